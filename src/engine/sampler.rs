//! Per-task duration samplers: each maps a uniform u ∈ [0, 1) to a duration by the inverse
//! CDF, exactly for fixed, uniform, triangular (and trigen, a triangular with solved bounds),
//! to about 1e-15 for the normal and lognormal (via [`std_normal_quantile`]), and through the
//! shared quantile table for Beta-PERT (see [`super::pert_table`]).

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
    /// Normal(mu, sigma) truncated below at 0: u' = u_lo + u·(1 − u_lo) with u_lo = Φ(−μ/σ),
    /// x = μ + σ·Φ⁻¹(u').
    Normal { mu: f64, sigma: f64, u_lo: f64 },
    /// Lognormal: x = exp(mu + sigma·Φ⁻¹(u)).
    LogNormal { mu: f64, sigma: f64 },
    /// A discrete law (a task's duration from a throughput forecast): the first value whose
    /// cumulative probability exceeds u. Tables are interned for the process's life (see
    /// [`Sampler::discrete`]) so that the sampler stays `Copy`.
    Discrete(&'static Discrete),
}

/// A discrete distribution: `values[j]` (ascending) with probability
/// `cumulative[j] − cumulative[j − 1]`; the last cumulative probability is exactly 1.
#[derive(Debug, PartialEq)]
pub struct Discrete {
    values: Box<[f64]>,
    cumulative: Box<[f64]>,
}

impl Discrete {
    /// The value at probability `u` ∈ [0, 1): the first whose cumulative probability is
    /// greater than `u` (the inverse CDF).
    #[inline]
    pub fn quantile(&self, u: f64) -> f64 {
        let j = self.cumulative.partition_point(|&c| c <= u);
        self.values[j.min(self.values.len() - 1)]
    }

    /// The values, ascending.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The cumulative probabilities of the values.
    pub fn cumulative(&self) -> &[f64] {
        &self.cumulative
    }
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
            Distribution::Trigen => {
                let (a, b) = e.trigen_bounds();
                Sampler::Triangular {
                    lo: a,
                    span: b - a,
                    c: (m - a) / (b - a),
                }
            }
            Distribution::Normal => {
                let (mu, sigma) = e.normal_params();
                Sampler::Normal {
                    mu,
                    sigma,
                    u_lo: e.normal_mass_below_zero(),
                }
            }
            Distribution::LogNormal => {
                let (mu, sigma) = e.lognormal_params();
                Sampler::LogNormal { mu, sigma }
            }
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

    /// The sampler of a discrete law: `values` ascending, `cumulative` their cumulative
    /// probabilities (ascending, the last 1), both non-empty and of one length.
    ///
    /// The table is interned: every distinct table is stored once for the process's life (a
    /// plan compiles one per forecast its tasks use, and recompiling a plan reuses it), which
    /// keeps `Sampler` small and `Copy`, as the PERT table keeps its rows in a static.
    ///
    /// # Panics
    /// If the lengths differ or are 0.
    pub fn discrete(values: Vec<f64>, cumulative: Vec<f64>) -> Sampler {
        use std::sync::Mutex;
        static TABLES: Mutex<Vec<&'static Discrete>> = Mutex::new(Vec::new());
        assert!(
            !values.is_empty() && values.len() == cumulative.len(),
            "a discrete law needs one cumulative probability per value"
        );
        let table = Discrete {
            values: values.into(),
            cumulative: cumulative.into(),
        };
        let mut tables = TABLES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&known) = tables.iter().find(|t| ***t == table) {
            return Sampler::Discrete(known);
        }
        let table: &'static Discrete = Box::leak(Box::new(table));
        tables.push(table);
        Sampler::Discrete(table)
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
            Sampler::Normal { mu, sigma, u_lo } => truncated_normal(mu, sigma, u_lo, u),
            Sampler::LogNormal { mu, sigma } => lognormal(mu, sigma, u),
            Sampler::Discrete(d) => d.quantile(u),
        }
    }

    /// Whether every draw is the same value.
    pub fn is_fixed(&self) -> bool {
        match self {
            Sampler::Fixed(_) => true,
            Sampler::Discrete(d) => d.values.len() == 1,
            _ => false,
        }
    }

    /// Fills `out[i]` with the duration for iteration `first + i` of stream `key`;
    /// `blended` holds the plan's pre-blended PERT rows.
    /// The hot loop: one tight pass per distribution kind. Never inlined, like
    /// `Sampler::fill_v3`: inlined into the worker's baseline loop it cost 3 instructions per
    /// task and iteration more (callgrind: 59.4 against 56.5 at 1,000 PERT tasks).
    #[inline(never)]
    pub fn fill(&self, blended: &[Row], key: u64, first: u64, out: &mut [f64]) {
        self.fill_body(blended, key, first, out);
    }

    /// [`Self::fill`] compiled for x86-64-v3 ([`crate::engine::isa`]): the same values. With
    /// `wide` (the CPU has AVX-512, `engine::sampler_wide`), PERT, triangular and uniform
    /// draws take eight lanes at a time.
    ///
    /// Its PERT lanes were also tried in blocks of 64 with AVX2 (the random bits of a block
    /// first, then every lane's table lookup without a branch, then the few lanes in the
    /// table's end cells), so that both loops vectorise. That took 43.8 instructions per task
    /// and iteration instead of 50.0 (10,000 PERT tasks, callgrind) but ran 5–10% slower on
    /// this machine's AMD EPYC (AVX2 has no 64-bit multiply, and its gathers are slow), so
    /// without AVX-512 each lane keeps its own branch.
    ///
    /// # Safety
    /// The CPU must have the features enabled here, and AVX-512 when `wide`.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt")]
    #[inline(never)]
    pub(crate) unsafe fn fill_v3(
        &self,
        blended: &[Row],
        key: u64,
        first: u64,
        out: &mut [f64],
        wide: bool,
    ) {
        if wide {
            use super::sampler_wide as w8;
            // SAFETY (each call): `wide` only on a CPU with AVX-512 (the caller's promise).
            match *self {
                Sampler::Pert {
                    lo,
                    span,
                    row,
                    w,
                    blended: b,
                } => {
                    let t = pert_table::table();
                    let j = row as usize;
                    let rows = match blended.get(b as usize) {
                        Some(r) => w8::PertRows::Blended(r),
                        None => w8::PertRows::Pair(t.row(j), t.row(j + 1)),
                    };
                    return unsafe { w8::fill_pert(t, rows, j, w, lo, span, key, first, out) };
                }
                Sampler::Triangular { lo, span, c } => {
                    return unsafe { w8::fill_triangular(lo, span, Some(c), key, first, out) };
                }
                Sampler::Uniform { lo, span } => {
                    return unsafe { w8::fill_triangular(lo, span, None, key, first, out) };
                }
                _ => {}
            }
        }
        self.fill_body(blended, key, first, out);
    }

    /// [`Self::fill`], or [`Self::fill_v3`] when `V3` (chosen by the worker only on a CPU with
    /// the features, `Worker::run_chunk`), with its AVX-512 PERT lanes when `wide` (chosen
    /// only on a CPU with them): the dispatch sits here, beside the copies.
    #[inline(always)]
    pub(crate) fn fill_isa<const V3: bool>(
        &self,
        blended: &[Row],
        key: u64,
        first: u64,
        out: &mut [f64],
        wide: bool,
    ) {
        #[cfg(target_arch = "x86_64")]
        if V3 {
            // SAFETY: V3 is chosen only on a CPU with these features, `wide` only on one with
            // AVX-512 (`Worker::new`).
            return unsafe { self.fill_v3(blended, key, first, out, wide) };
        }
        let _ = wide;
        self.fill(blended, key, first, out);
    }

    /// What [`Self::fill`] does.
    #[inline(always)]
    fn fill_body(&self, blended: &[Row], key: u64, first: u64, out: &mut [f64]) {
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
            Sampler::Normal { mu, sigma, u_lo } => {
                for (i, o) in out.iter_mut().enumerate() {
                    *o = truncated_normal(mu, sigma, u_lo, rng::uniform(key, first + i as u64));
                }
            }
            Sampler::LogNormal { mu, sigma } => {
                for (i, o) in out.iter_mut().enumerate() {
                    *o = lognormal(mu, sigma, rng::uniform(key, first + i as u64));
                }
            }
            Sampler::Discrete(d) => {
                for (i, o) in out.iter_mut().enumerate() {
                    *o = d.quantile(rng::uniform(key, first + i as u64));
                }
            }
        }
    }
}

/// The largest double below 1. The unbounded laws clamp their probability to it, so a draw
/// stays finite if rounding (in u_lo + u·(1 − u_lo), or in a caller's uniforms) reaches 1;
/// for the 53-bit uniforms of [`rng::uniform`] the clamp changes nothing but that rounding.
const BELOW_ONE: f64 = 1.0 - f64::EPSILON / 2.0;

/// The normal(μ, σ) truncated below at 0, at probability u: the quantile of u mapped into
/// [Φ(−μ/σ), 1). The `max` only guards the rounding at u = 0 (the result is ≥ 0 exactly).
#[inline(always)]
fn truncated_normal(mu: f64, sigma: f64, u_lo: f64, u: f64) -> f64 {
    let p = (u_lo + u * (1.0 - u_lo)).min(BELOW_ONE);
    (mu + sigma * std_normal_quantile(p)).max(0.0)
}

/// The lognormal with log-mean μ and log-sd σ at probability u (0 at u = 0).
#[inline(always)]
fn lognormal(mu: f64, sigma: f64, u: f64) -> f64 {
    (mu + sigma * std_normal_quantile(u.min(BELOW_ONE))).exp()
}

// Wichura's AS 241 (PPND16) coefficients, lowest degree first, rounded to the nearest double.
/// Numerator and denominator for |p − 1/2| ≤ 0.425, in r = 0.180625 − (p − 1/2)².
const AS241_A: [f64; 8] = [
    3.3871328727963665,
    133.14166789178438,
    1971.5909503065513,
    13731.69376550946,
    45921.95393154987,
    67265.7709270087,
    33430.57558358813,
    2509.0809287301227,
];
const AS241_B: [f64; 8] = [
    1.0,
    42.31333070160091,
    687.1870074920579,
    5394.196021424751,
    21213.794301586597,
    39307.89580009271,
    28729.085735721943,
    5226.495278852854,
];
/// For r = √(−ln min(p, 1 − p)) ≤ 5, in r − 1.6.
const AS241_C: [f64; 8] = [
    1.4234371107496835,
    4.630337846156546,
    5.769497221460691,
    3.6478483247632045,
    1.2704582524523684,
    0.2417807251774506,
    0.022723844989269184,
    0.0007745450142783414,
];
const AS241_D: [f64; 8] = [
    1.0,
    2.053191626637759,
    1.6763848301838038,
    0.6897673349851,
    0.14810397642748008,
    0.015198666563616457,
    0.0005475938084995345,
    1.0507500716444169e-09,
];
/// For r > 5 (min(p, 1 − p) < e⁻²⁵ ≈ 1.4e-11), in r − 5.
const AS241_E: [f64; 8] = [
    6.657904643501103,
    5.463784911164114,
    1.7848265399172913,
    0.29656057182850487,
    0.026532189526576124,
    0.0012426609473880784,
    2.7115555687434876e-05,
    2.0103343992922881e-07,
];
const AS241_F: [f64; 8] = [
    1.0,
    0.599832206555888,
    0.1369298809227358,
    0.014875361290850615,
    0.0007868691311456133,
    1.8463183175100548e-05,
    1.421511758316446e-07,
    2.0442631033899397e-15,
];

/// Σ c[k]·x^k by Horner's rule.
#[inline(always)]
fn poly(c: &[f64; 8], x: f64) -> f64 {
    let mut acc = c[7];
    for &k in c[..7].iter().rev() {
        acc = acc * x + k;
    }
    acc
}

/// The standard normal quantile Φ⁻¹(p) for p ∈ [0, 1] (−∞ at 0, +∞ at 1).
///
/// Wichura's algorithm AS 241 (PPND16, Applied Statistics 37, 1988; the one R's `qnorm`
/// uses): for |p − 1/2| ≤ 0.425 (85 % of uniform draws) a degree-7 rational function of
/// 0.180625 − (p − 1/2)², otherwise one of r = √(−ln min(p, 1 − p)), split at r = 5. Accurate
/// to about 1 part in 10¹⁶ by construction; measured against mpmath and statrs in the tests
/// and docs/accuracy.md. No refinement step is needed, hence no erfc in the hot loop
/// (Acklam's approximation, 1.15e-9, would need a Halley step with an accurate erfc to get
/// there, at about twice the cost). `1 − p` is exact for p ≥ 1/2, so the function is exactly
/// antisymmetric about 1/2.
///
/// Hand-written on purpose: it runs per lane in the hot loop (normal and lognormal tasks,
/// correlated groups); `libm` has no Φ⁻¹ and `statrs` (a test-only dependency, the reference
/// in the tests) goes through a general erfc⁻¹.
#[inline(always)]
pub fn std_normal_quantile(p: f64) -> f64 {
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        q * poly(&AS241_A, r) / poly(&AS241_B, r)
    } else {
        normal_quantile_tail(p, q)
    }
}

/// The tails of [`std_normal_quantile`] (15 % of uniform draws): |p − 1/2| > 0.425.
#[inline(always)]
fn normal_quantile_tail(p: f64, q: f64) -> f64 {
    let t = if q < 0.0 { p } else { 1.0 - p };
    let val = if t <= 0.0 {
        f64::INFINITY
    } else {
        let r = (-t.ln()).sqrt();
        if r <= 5.0 {
            poly(&AS241_C, r - 1.6) / poly(&AS241_D, r - 1.6)
        } else {
            poly(&AS241_E, r - 5.0) / poly(&AS241_F, r - 5.0)
        }
    };
    if q < 0.0 {
        -val
    } else {
        val
    }
}

/// Inverse CDF of the triangular distribution on [0, 1] with mode c. Branch-free (one square
/// root, two selects): u < c is a coin flip the branch predictor cannot learn.
#[inline(always)]
pub(crate) fn triangular01(c: f64, u: f64) -> f64 {
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

    #[test]
    fn discrete_laws_are_inverted_exactly_and_interned() {
        let s = Sampler::discrete(vec![20.0, 30.0, 50.0], vec![0.25, 0.75, 1.0]);
        for (u, want) in [
            (0.0, 20.0),
            (0.249_999, 20.0),
            (0.25, 30.0),
            (0.5, 30.0),
            (0.75, 50.0),
            (1.0 - f64::EPSILON / 2.0, 50.0),
        ] {
            assert_eq!(s.quantile(u), want, "u = {u}");
        }
        let mut out = [0.0; 40];
        s.fill(&[], 5, 100, &mut out);
        for (i, v) in out.iter().enumerate() {
            assert_eq!(*v, s.quantile(rng::uniform(5, 100 + i as u64)));
        }
        let again = Sampler::discrete(vec![20.0, 30.0, 50.0], vec![0.25, 0.75, 1.0]);
        match (s, again) {
            (Sampler::Discrete(a), Sampler::Discrete(b)) => assert!(std::ptr::eq(a, b)),
            _ => panic!("discrete samplers"),
        }
        assert!(!s.is_fixed());
        assert!(Sampler::discrete(vec![7.0], vec![1.0]).is_fixed());
    }

    #[test]
    fn new_distributions_fill_agrees_with_quantile() {
        for e in [
            Estimate::new(1.0, 2.0, 9.0, Distribution::Normal).unwrap(),
            Estimate::new(0.0, 0.0, 9.0, Distribution::Normal).unwrap(),
            Estimate::new(1.0, 2.0, 9.0, Distribution::LogNormal).unwrap(),
            Estimate::new(5.0, 6.0, 9.0, Distribution::Trigen).unwrap(),
        ] {
            let s = Sampler::new(&e);
            let mut out = [0.0; 33];
            s.fill(&[], 7, 500, &mut out);
            for (i, v) in out.iter().enumerate() {
                assert_eq!(*v, s.quantile(rng::uniform(7, 500 + i as u64)), "{e:?}");
                assert!(*v >= 0.0);
            }
        }
    }

    #[test]
    fn new_distributions_at_their_defining_points() {
        // Trigen: P10 and P90 are o and p, the mode m sits at F(m).
        let e = Estimate::new(5.0, 6.0, 9.0, Distribution::Trigen).unwrap();
        let s = Sampler::new(&e);
        assert!((s.quantile(0.1) - 5.0).abs() < 1e-12, "{}", s.quantile(0.1));
        assert!((s.quantile(0.9) - 9.0).abs() < 1e-12, "{}", s.quantile(0.9));
        // Truncated normal: starts at 0, and its median is where the truncated CDF is 1/2.
        let e = Estimate::new(0.0, 0.0, 6.0, Distribution::Normal).unwrap();
        let s = Sampler::new(&e);
        assert_eq!(s.quantile(0.0), 0.0);
        let phi = crate::model::std_normal_cdf;
        // μ = σ = 1: F(x) = (Φ(x − 1) − Φ(−1))/(1 − Φ(−1)).
        for u in [1e-9, 0.1, 0.5, 0.9, 0.999] {
            let x = s.quantile(u);
            let f = (phi(x - 1.0) - phi(-1.0)) / (1.0 - phi(-1.0));
            assert!((f - u).abs() < 1e-14, "u = {u}: F(x) = {f}");
        }
        // Lognormal: the median is exp(μ), and 0 at u = 0.
        let e = Estimate::new(2.0, 5.0, 14.0, Distribution::LogNormal).unwrap();
        let (mu, _) = e.lognormal_params();
        let s = Sampler::new(&e);
        assert!((s.quantile(0.5) - mu.exp()).abs() < 1e-13 * mu.exp());
        assert_eq!(s.quantile(0.0), 0.0);
        // u = 1 (a caller's rounding) still gives a finite draw, as does the largest uniform.
        for e in [
            e,
            Estimate::new(0.0, 0.0, 6.0, Distribution::Normal).unwrap(),
        ] {
            let s = Sampler::new(&e);
            let top = s.quantile(1.0 - f64::EPSILON / 2.0);
            assert!(top.is_finite() && s.quantile(1.0) == top, "{e:?}");
        }
    }

    /// Φ⁻¹ against statrs (Boost's erfc⁻¹) on a fine grid, both tails far out, and the
    /// 53-bit uniforms next to 0, 1/2 and 1. docs/accuracy.md records the measured worst.
    #[test]
    fn normal_quantile_matches_statrs() {
        use statrs::distribution::{ContinuousCDF, Normal};
        let n = Normal::new(0.0, 1.0).unwrap();
        let mut ps: Vec<f64> = (1..100_000).map(|k| k as f64 / 100_000.0).collect();
        for e in 1..=300 {
            let t = 10f64.powi(-e);
            ps.extend([t, 3.0 * t, 1.0 - t]);
        }
        let ulp = 1.0 / (1u64 << 53) as f64;
        for k in 1..64u32 {
            let k = f64::from(k);
            ps.extend([k * ulp, 1.0 - k * ulp, 0.5 - k * ulp, 0.5 + k * ulp]);
        }
        // Each side of the region boundaries: |p − 1/2| = 0.425 and r = 5 (p = e^{−25}).
        let e25 = (-25f64).exp();
        ps.extend([
            0.075,
            0.075 * (1.0 - 1e-15),
            0.925,
            0.925 + 1e-15,
            e25,
            e25 * 1.000_001,
            e25 * 0.999_999,
        ]);
        let (mut worst_abs, mut worst_rel, mut at): (f64, f64, f64) = (0.0, 0.0, 0.0);
        for &p in &ps {
            if !(p > 0.0 && p < 1.0) {
                continue;
            }
            let (got, want) = (std_normal_quantile(p), n.inverse_cdf(p));
            let abs = (got - want).abs();
            let rel = abs / want.abs().max(1e-300);
            if abs > worst_abs {
                at = p;
            }
            worst_abs = worst_abs.max(abs);
            if want.abs() > 1e-3 {
                worst_rel = worst_rel.max(rel);
            }
        }
        eprintln!(
            "Φ⁻¹ vs statrs over {} points: max abs error {worst_abs:.2e} (at p = {at:e}), \
             max rel error {worst_rel:.2e}",
            ps.len()
        );
        assert!(
            worst_abs < 1e-13,
            "max abs error {worst_abs:e} at p = {at:e}"
        );
        assert!(worst_rel < 1e-14, "max rel error {worst_rel:e}");
        assert_eq!(std_normal_quantile(0.5), 0.0);
        assert_eq!(std_normal_quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(std_normal_quantile(1.0), f64::INFINITY);
        // Exactly antisymmetric for p ≥ 1/2 (1 − p is exact there).
        for &p in &ps {
            if (0.5..1.0).contains(&p) {
                assert_eq!(std_normal_quantile(p), -std_normal_quantile(1.0 - p));
            }
        }
    }
}
