//! A shared quantile table for Beta-PERT, so sampling costs a few loads instead of a
//! rejection sampler.
//!
//! Every Beta-PERT distribution is the same one-parameter family scaled to [o, p]: with
//! r = (m − o)/(p − o), the shape is Beta(1 + 4r, 5 − 4r). The table holds the exact quantile
//! function Q(u; r) on a grid of `SHAPES + 1` values of r and `CELLS + 1` values of u; sampling
//! interpolates bilinearly. The quantiles are computed once per process (a few milliseconds) by
//! integrating the density on a fine cosine-spaced grid and inverting the cumulative sums.
//! The resulting error is measured by this module's tests against an independent Beta
//! implementation (statrs) and documented in docs/accuracy.md: far below the Monte Carlo noise.
//!
//! Hand-written on purpose: Latin hypercube sampling, the Gaussian copula and common random
//! numbers need each draw to be the quantile of one given uniform. `rand_distr`'s `Pert` and
//! `Beta` sample by transformation/rejection (no inverse CDF), and `statrs`'s
//! `Beta::inverse_cdf` solves for each quantile iteratively, far too slow for the hot loop.

use std::sync::OnceLock;

use rayon::prelude::*;

/// Number of shape intervals: rows are r = j / SHAPES, j = 0..=SHAPES.
pub const SHAPES: usize = 128;
/// log2 of the number of probability cells.
pub(crate) const CELL_BITS: u32 = 10;
/// Number of probability cells: columns are u = k / CELLS, k = 0..=CELLS.
pub const CELLS: usize = 1 << CELL_BITS;
/// Cells at each end interpolated by a power law instead of a straight line. Near u = 0 the
/// quantile behaves like u^(1/α) (and 1 − Q like (1 − u)^(1/β) near 1), which no straight
/// line follows; a power law with the local exponent does, exactly in the limit.
pub const TAIL: usize = 8;
/// Fine integration grid per row.
const FINE: usize = 2048;

/// One row of quantiles for a fixed shape.
pub type Row = [f32; CELLS + 1];

/// The lower tail of one row in f64: Q at t = u·CELLS = 0..=TAIL and the power-law exponent
/// of each tail cell. Cell 0 uses Q = a·y + b·y² with y = t^(1/α): the exact asymptotic
/// exponent with its first-order correction, matching the table at t = 1 and t = 2.
#[derive(Clone, Copy)]
struct Tail {
    q: [f64; TAIL + 1],
    g: [f64; TAIL],
    a: f64,
    b: f64,
}

/// The table: `SHAPES + 1` rows of `CELLS + 1` quantiles on [0, 1], plus their tails.
pub struct PertTable {
    rows: Vec<Row>,
    tails: Vec<Tail>,
}

static TABLE: OnceLock<PertTable> = OnceLock::new();

/// The process-wide table, built on first use.
pub fn table() -> &'static PertTable {
    TABLE.get_or_init(PertTable::build)
}

impl PertTable {
    fn build() -> PertTable {
        // Cosine-spaced grid x(t) = (1 − cos πt)/2: dense near 0 and 1, where the density of a
        // skewed Beta bends sharply, so the trapezoid sums stay accurate there.
        let mut x = vec![0.0f64; FINE + 1];
        let mut ln_x = vec![0.0f64; FINE + 1];
        let mut ln_1mx = vec![0.0f64; FINE + 1];
        let mut dxdt = vec![0.0f64; FINE + 1];
        for i in 0..=FINE {
            let t = i as f64 / FINE as f64;
            let (sin, cos) = (std::f64::consts::PI * t).sin_cos();
            let xi = 0.5 * (1.0 - cos);
            x[i] = xi;
            ln_x[i] = xi.ln();
            ln_1mx[i] = (0.5 * (1.0 + cos)).ln();
            dxdt[i] = 0.5 * std::f64::consts::PI * sin;
        }
        let built: Vec<(Box<Row>, Tail)> = (0..=SHAPES)
            .into_par_iter()
            .map(|j| {
                let mut row = Box::new([0.0f32; CELLS + 1]);
                let tail = Self::build_row(j, &x, &ln_x, &ln_1mx, &dxdt, &mut row);
                (row, tail)
            })
            .collect();
        let (rows, tails): (Vec<Box<Row>>, Vec<Tail>) = built.into_iter().unzip();
        let rows = rows.into_iter().map(|r| *r).collect();
        PertTable { rows, tails }
    }

    /// Quantiles of shape row `j` into `row`; returns its tail data.
    fn build_row(
        j: usize,
        x: &[f64],
        ln_x: &[f64],
        ln_1mx: &[f64],
        dxdt: &[f64],
        row: &mut Row,
    ) -> Tail {
        let mut cdf = vec![0.0f64; FINE + 1];
        let r = j as f64 / SHAPES as f64;
        let (am1, bm1) = (4.0 * r, 4.0 * (1.0 - r));
        let g = |i: usize| -> f64 {
            let lx = if am1 == 0.0 { 0.0 } else { am1 * ln_x[i] };
            let l1 = if bm1 == 0.0 { 0.0 } else { bm1 * ln_1mx[i] };
            let v = (lx + l1).exp() * dxdt[i];
            if v.is_finite() {
                v
            } else {
                0.0
            }
        };
        let mut prev = g(0);
        cdf[0] = 0.0;
        for i in 1..=FINE {
            let cur = g(i);
            cdf[i] = cdf[i - 1] + 0.5 * (prev + cur);
            prev = cur;
        }
        let total = cdf[FINE];
        // x with CDF(x) = target·total, by linear interpolation inside the fine cell.
        let invert = |target: f64, from: &mut usize| -> f64 {
            let goal = target * total;
            while *from + 1 < FINE && cdf[*from + 1] < goal {
                *from += 1;
            }
            let i = *from;
            let span = cdf[i + 1] - cdf[i];
            let frac = if span > 0.0 {
                ((goal - cdf[i]) / span).clamp(0.0, 1.0)
            } else {
                0.0
            };
            x[i] + frac * (x[i + 1] - x[i])
        };
        let mut i = 0usize;
        let mut tail = Tail {
            q: [0.0; TAIL + 1],
            g: [0.0; TAIL],
            a: 0.0,
            b: 0.0,
        };
        for k in 1..=TAIL {
            tail.q[k] = invert(k as f64 / CELLS as f64, &mut i);
        }
        tail.g[0] = 1.0 / (1.0 + am1);
        let s = 2f64.powf(tail.g[0]);
        tail.b = (tail.q[2] - tail.q[1] * s) / (s * s - s);
        tail.a = tail.q[1] - tail.b;
        for k in 1..TAIL {
            tail.g[k] = (tail.q[k + 1] / tail.q[k]).ln() / ((k + 1) as f64 / k as f64).ln();
        }
        let mut i = 0usize;
        row[0] = 0.0;
        row[CELLS] = 1.0;
        for (k, cell) in row.iter_mut().enumerate().take(CELLS).skip(1) {
            *cell = invert(k as f64 / CELLS as f64, &mut i) as f32;
        }
        tail
    }

    /// Row `j` (shape r = j / SHAPES).
    #[inline(always)]
    pub fn row(&self, j: usize) -> &Row {
        &self.rows[j]
    }

    /// Where shape r ∈ [0, 1] falls: the lower row and the weight of the row above.
    pub fn locate(r: f64) -> (usize, f32) {
        let t = r.clamp(0.0, 1.0) * SHAPES as f64;
        let j = (t.floor() as usize).min(SHAPES - 1);
        (j, (t - j as f64) as f32)
    }

    /// Q(u; r) on [0, 1] for rows `j` (= `lo`) and `j + 1` (= `hi`) with weight `w`, where
    /// u ∈ [0, 1) is given by 64 random bits `z` (u = z / 2^64). Inside, the top 10 bits pick
    /// the cell and the next 23 the position in it, with no float-to-integer conversion and
    /// no bounds check; the 2·TAIL end cells (1.6% of draws) take the power-law path.
    #[inline(always)]
    pub fn quantile_bits(&self, lo: &Row, hi: &Row, j: usize, w: f32, z: u64) -> f64 {
        let k = (z >> (64 - CELL_BITS)) as usize;
        if k.wrapping_sub(TAIL) >= CELLS - 2 * TAIL {
            return self.tail_quantile(j, w, z);
        }
        let f =
            f32::from_bits(0x3F80_0000 | ((z >> (64 - CELL_BITS - 23)) as u32 & 0x007F_FFFF)) - 1.0;
        let a = lo[k] + f * (lo[k + 1] - lo[k]);
        let b = hi[k] + f * (hi[k + 1] - hi[k]);
        f64::from(a + w * (b - a))
    }

    /// Row `j` blended with row `j + 1` at weight `w`: the table for one shape, so sampling
    /// needs one row instead of two (linear interpolation in r and in u commute).
    pub fn blend(&self, j: usize, w: f32) -> Box<Row> {
        let (lo, hi) = (self.row(j), self.row(j + 1));
        let mut out = Box::new([0.0f32; CELLS + 1]);
        for (o, (&a, &b)) in out.iter_mut().zip(lo.iter().zip(hi.iter())) {
            *o = a + w * (b - a);
        }
        out
    }

    /// [`Self::quantile_bits`] from a row made by [`Self::blend`]`(j, w)`.
    #[inline(always)]
    pub fn quantile_blended(&self, row: &Row, j: usize, w: f32, z: u64) -> f64 {
        let k = (z >> (64 - CELL_BITS)) as usize;
        if k.wrapping_sub(TAIL) >= CELLS - 2 * TAIL {
            return self.tail_quantile(j, w, z);
        }
        let f =
            f32::from_bits(0x3F80_0000 | ((z >> (64 - CELL_BITS - 23)) as u32 & 0x007F_FFFF)) - 1.0;
        f64::from(row[k] + f * (row[k + 1] - row[k]))
    }

    /// The end cells: power-law interpolation in f64. The upper tail of shape r is the lower
    /// tail of shape 1 − r mirrored (Beta(α, β) reflected is Beta(β, α)).
    ///
    /// Written without branches on the side (a coin flip no predictor learns) or on the first
    /// cell, and with the cell read from the bits instead of `ceil` (a libm call in the
    /// baseline build): the same values as the direct form. With u = z / 2^64 to 53 bits,
    /// t = u·2^10 (or (1 − u)·2^10 above 1/2, exact by Sterbenz's lemma) is exact, so
    /// ⌊t⌋ = c, the top ten bits, below, and ⌈t⌉ = 2^10 − c above; t / 1 = t, so the first cell
    /// takes the others' division by k.
    #[cold]
    #[inline(never)]
    fn tail_quantile(&self, j: usize, w: f32, z: u64) -> f64 {
        let u = super::rng::to_unit(z);
        let lower = z >> 63 == 0; // u < 1/2
        let c = (z >> (64 - CELL_BITS)) as usize;
        let t = if lower { u } else { 1.0 - u } * CELLS as f64; // in [0, TAIL] (0 only below)
        let k = if lower { c } else { CELLS - 1 - c }.min(TAIL - 1);
        // One logarithm shared by both rows: Q = q_k·(t/k)^g = q_k·exp(g·ln(t/k)).
        let l = (t / k.max(1) as f64).ln();
        let eval = |tail: &Tail| -> f64 {
            if k == 0 {
                let y = (tail.g[0] * l).exp();
                y * (tail.a + tail.b * y)
            } else {
                tail.q[k] * (tail.g[k] * l).exp()
            }
        };
        let (ja, jb) = if lower {
            (j, j + 1)
        } else {
            (SHAPES - j, SHAPES - j - 1)
        };
        let (ea, eb) = (eval(&self.tails[ja]), eval(&self.tails[jb]));
        let (a, b) = if lower {
            (ea, eb)
        } else {
            (1.0 - ea, 1.0 - eb)
        };
        a + f64::from(w) * (b - a)
    }

    /// Q(u; r) for u ∈ [0, 1) and shape r; identical to [`Self::quantile_bits`] on the bits
    /// of `u`.
    pub fn quantile(&self, r: f64, u: f64) -> f64 {
        let (j, w) = Self::locate(r);
        self.quantile_bits(self.row(j), self.row(j + 1), j, w, super::rng::from_unit(u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{Beta, ContinuousCDF};

    fn exact(r: f64, u: f64) -> f64 {
        Beta::new(1.0 + 4.0 * r, 5.0 - 4.0 * r)
            .unwrap()
            .inverse_cdf(u)
    }

    /// Largest quantile error over shapes on and between rows, and probabilities at table
    /// points, mid-cell, in the power-law end cells and far out in the tails. The bound is in
    /// units of the range p − o; docs/accuracy.md records the measured values.
    #[test]
    fn quantiles_match_an_independent_beta() {
        let mut us: Vec<f64> = vec![
            1e-9, 1e-6, 1e-4, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.8, 0.9, 0.95, 0.99,
        ];
        for k in (0..12).chain(CELLS - 12..CELLS) {
            for f in [0.1, 0.5, 0.9] {
                us.push((k as f64 + f) / CELLS as f64);
            }
        }
        us.extend([1.0 - 1e-4, 1.0 - 1e-6, 1.0 - 1e-9]);
        let t = table();
        let mut worst: f64 = 0.0;
        for r in [
            0.0,
            0.01,
            0.1,
            0.25,
            1.0 / 3.0,
            0.5,
            0.61803,
            0.9,
            0.99,
            1.0,
        ] {
            for &u in &us {
                let err = (t.quantile(r, u) - exact(r, u)).abs();
                // Measured worst: 1.08e-4 (r = 0 and 1, just inside the linear cells); bound 1.5e-4.
                assert!(err < 1.5e-4, "r={r} u={u}: error {err}");
                worst = worst.max(err);
            }
        }
        eprintln!("worst PERT table quantile error: {worst:.2e} of the range");
    }

    /// The end cells' branch-free form gives the direct form's bits: `ceil` for the upper
    /// cell, a branch for the side and for the first cell.
    #[test]
    fn end_cells_match_their_direct_form() {
        let t = table();
        let direct = |j: usize, w: f32, z: u64| -> f64 {
            let u = super::super::rng::to_unit(z);
            let lower = u < 0.5;
            let x = if lower { u } else { 1.0 - u } * CELLS as f64;
            let k = if lower {
                x as usize
            } else {
                (x.ceil() as usize).max(1) - 1
            }
            .min(TAIL - 1);
            let l = if k == 0 { x.ln() } else { (x / k as f64).ln() };
            let eval = |tail: &Tail| -> f64 {
                if k == 0 {
                    let y = (tail.g[0] * l).exp();
                    y * (tail.a + tail.b * y)
                } else {
                    tail.q[k] * (tail.g[k] * l).exp()
                }
            };
            let (a, b) = if lower {
                (eval(&t.tails[j]), eval(&t.tails[j + 1]))
            } else {
                (
                    1.0 - eval(&t.tails[SHAPES - j]),
                    1.0 - eval(&t.tails[SHAPES - j - 1]),
                )
            };
            a + f64::from(w) * (b - a)
        };
        let mut zs: Vec<u64> = Vec::new();
        // Every end cell at its first and last 53-bit value and in between, and random bits.
        for c in (0..TAIL as u64).chain((CELLS - TAIL) as u64..CELLS as u64) {
            let start = c << 54;
            zs.extend([
                start,
                start + (1 << 11),
                start | ((1 << 54) - (1 << 11)),
                start | (1 << 40),
            ]);
        }
        let mut x = 7u64;
        while zs.len() < 50_000 {
            x = super::super::rng::mix64(x.wrapping_add(super::super::rng::GAMMA));
            let c = x >> 54;
            if !(TAIL as u64..(CELLS - TAIL) as u64).contains(&c) {
                zs.push(x);
            }
        }
        for (j, w) in [(0usize, 0.0f32), (5, 0.3), (64, 0.5), (127, 0.99)] {
            for &z in &zs {
                let want = direct(j, w, z);
                let got = t.tail_quantile(j, w, z);
                assert_eq!(got.to_bits(), want.to_bits(), "j {j} w {w} z {z:#x}");
            }
        }
    }

    #[test]
    fn rows_are_monotone_and_span_zero_to_one() {
        let t = table();
        for j in 0..=SHAPES {
            let row = t.row(j);
            assert_eq!(row[0], 0.0);
            assert_eq!(row[CELLS], 1.0);
            assert!(row.windows(2).all(|w| w[0] <= w[1]), "row {j} not monotone");
        }
    }
}
