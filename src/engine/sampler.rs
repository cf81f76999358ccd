//! Per-task duration samplers: each maps a uniform u ∈ [0, 1) to a duration by the inverse
//! CDF, exactly for fixed, uniform and triangular, and through the shared quantile table for
//! Beta-PERT (see [`super::pert_table`]).

use super::pert_table::{self, PertTable, Row};

/// `Sampler::Pert::blended` when the shape has no pre-blended row.
pub const NO_BLEND: u32 = u32::MAX;
use super::rng;
use crate::model::{Distribution, Estimate};

/// A compiled sampler for one task's duration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sampler {
    /// Always `value`.
    Fixed(f64),
    /// Uniform on [lo, lo + span].
    Uniform { lo: f64, span: f64 },
    /// Triangular on [lo, lo + span] with the mode at lo + c·span.
    Triangular { lo: f64, span: f64, c: f64 },
    /// Beta-PERT on [lo, lo + span]: table rows `row` and `row + 1`, weight `w` of the upper;
    /// `blended` indexes the plan's pre-blended row for this shape ([`NO_BLEND`] if none).
    Pert {
        lo: f64,
        span: f64,
        row: u32,
        w: f32,
        blended: u32,
    },
}

impl Sampler {
    /// The sampler for an estimate.
    pub fn new(e: &Estimate) -> Self {
        let (o, m, p) = (e.optimistic, e.likely, e.pessimistic);
        let span = p - o;
        match e.effective_distribution() {
            Distribution::Fixed => Sampler::Fixed(m),
            Distribution::Uniform => Sampler::Uniform { lo: o, span },
            Distribution::Triangular => Sampler::Triangular {
                lo: o,
                span,
                c: (m - o) / span,
            },
            Distribution::Pert => {
                let (row, w) = PertTable::locate((m - o) / span);
                Sampler::Pert {
                    lo: o,
                    span,
                    row: row as u32,
                    w,
                    blended: NO_BLEND,
                }
            }
        }
    }

    /// The duration at probability `u` ∈ [0, 1) (the inverse CDF).
    pub fn quantile(&self, u: f64) -> f64 {
        match *self {
            Sampler::Fixed(v) => v,
            Sampler::Uniform { lo, span } => lo + span * u,
            Sampler::Triangular { lo, span, c } => lo + span * triangular01(c, u),
            Sampler::Pert {
                lo, span, row, w, ..
            } => {
                let t = pert_table::table();
                let row = row as usize;
                lo + span * t.quantile_bits(t.row(row), t.row(row + 1), row, w, rng::from_unit(u))
            }
        }
    }

    /// Whether every draw is the same value.
    pub fn is_fixed(&self) -> bool {
        matches!(self, Sampler::Fixed(_))
    }

    /// Fills `out[i]` with the duration for iteration `first + i` of stream `key`;
    /// `blended` holds the plan's pre-blended PERT rows.
    /// The hot loop: one tight pass per distribution kind.
    #[inline]
    pub fn fill(&self, blended: &[Row], key: u64, first: u64, out: &mut [f64]) {
        match *self {
            Sampler::Fixed(v) => out.fill(v),
            Sampler::Uniform { lo, span } => {
                for (i, o) in out.iter_mut().enumerate() {
                    *o = lo + span * rng::uniform(key, first + i as u64);
                }
            }
            Sampler::Triangular { lo, span, c } => {
                for (i, o) in out.iter_mut().enumerate() {
                    *o = lo + span * triangular01(c, rng::uniform(key, first + i as u64));
                }
            }
            Sampler::Pert {
                lo,
                span,
                row,
                w,
                blended: b,
            } => {
                let t = pert_table::table();
                let j = row as usize;
                if let Some(r) = blended.get(b as usize) {
                    for (i, o) in out.iter_mut().enumerate() {
                        let z = rng::bits(key, first + i as u64);
                        *o = lo + span * t.quantile_blended(r, j, w, z);
                    }
                } else {
                    let (lo_row, hi_row) = (t.row(j), t.row(j + 1));
                    for (i, o) in out.iter_mut().enumerate() {
                        let z = rng::bits(key, first + i as u64);
                        *o = lo + span * t.quantile_bits(lo_row, hi_row, j, w, z);
                    }
                }
            }
        }
    }
}

/// Inverse CDF of the triangular distribution on [0, 1] with mode c. Branch-free (one square
/// root, two selects): u < c is a coin flip the branch predictor cannot learn.
#[inline(always)]
fn triangular01(c: f64, u: f64) -> f64 {
    let left = u < c;
    let x = if left { u * c } else { (1.0 - u) * (1.0 - c) };
    let s = x.sqrt();
    if left {
        s
    } else {
        1.0 - s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_hit_the_ends_and_the_mode() {
        let e = Estimate::new(2.0, 4.0, 10.0, Distribution::Triangular).unwrap();
        let s = Sampler::new(&e);
        assert_eq!(s.quantile(0.0), 2.0);
        // The CDF at the mode is (m − o)/(p − o) = 0.25.
        assert!((s.quantile(0.25) - 4.0).abs() < 1e-12);
        let u = Sampler::new(&Estimate::new(2.0, 4.0, 10.0, Distribution::Uniform).unwrap());
        assert!((u.quantile(0.5) - 6.0).abs() < 1e-12);
        assert!(Sampler::new(&Estimate::fixed(3.0).unwrap()).is_fixed());
    }

    #[test]
    fn fill_agrees_with_quantile() {
        for d in [
            Distribution::Pert,
            Distribution::Triangular,
            Distribution::Uniform,
        ] {
            let s = Sampler::new(&Estimate::new(1.0, 2.0, 9.0, d).unwrap());
            let mut out = [0.0; 17];
            s.fill(&[], 99, 1000, &mut out);
            for (i, v) in out.iter().enumerate() {
                assert_eq!(*v, s.quantile(rng::uniform(99, 1000 + i as u64)));
            }
            // A pre-blended row gives the same values up to f32 rounding of the blend.
            if let Sampler::Pert { row, w, .. } = s {
                let blended = [*pert_table::table().blend(row as usize, w)];
                let mut with_blend = s;
                if let Sampler::Pert { blended: b, .. } = &mut with_blend {
                    *b = 0;
                }
                let mut out2 = [0.0; 17];
                with_blend.fill(&blended, 99, 1000, &mut out2);
                for (a, b) in out.iter().zip(&out2) {
                    assert!((a - b).abs() < 1e-6 * 8.0, "{a} vs {b}");
                }
            }
        }
    }
}
