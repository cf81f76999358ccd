//! Three-point estimates and the distributions they are sampled from, and the playbook's risk
//! levels that derive a range from a single most likely value.
//!
//! The fits of the distributions that are not bounded by o and p (normal, lognormal, trigen) are
//! documented in docs/format.md (Distributions) and docs/accuracy.md (Samplers).

use std::f64::consts::{FRAC_1_SQRT_2, PI};
use std::fmt;

/// The probability levels `trigen` reads optimistic and pessimistic as (P10 and P90).
pub const TRIGEN_LEVELS: (f64, f64) = (0.10, 0.90);

/// Φ⁻¹(0.95): a `lognormal`'s σ makes its P95/P5 ratio equal to p/o, i.e.
/// ln(p/o) = 2·Z95·σ.
pub const Z95: f64 = 1.644_853_626_951_472_6;

/// The probability distribution a three-point estimate is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Distribution {
    /// Beta-PERT: α = 1 + 4(m−o)/(p−o), β = 1 + 4(p−m)/(p−o) on [o, p]; mean (o + 4m + p)/6.
    #[default]
    Pert,
    /// Triangular with minimum o, mode m, maximum p.
    Triangular,
    /// Uniform on [o, p] (m is validated but not used for sampling).
    Uniform,
    /// Always the most likely value m.
    Fixed,
    /// Normal with the PERT fit μ = (o + 4m + p)/6, σ = (p − o)/6, truncated at 0.
    Normal,
    /// Lognormal with its mode at m and P95/P5 = p/o: σ = ln(p/o)/(2·`Z95`), μ = ln m + σ².
    LogNormal,
    /// Triangular with mode m whose P10 and P90 (`TRIGEN_LEVELS`) are o and p; the bounds
    /// are solved for ([`Estimate::trigen_bounds`]).
    Trigen,
}

impl Distribution {
    /// All names accepted in input files.
    pub const NAMES: &'static str = "pert, triangular, uniform, fixed, normal, lognormal, trigen";

    /// Parses a distribution name (case-insensitive); `None` if unknown.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pert" | "beta-pert" | "betapert" => Some(Distribution::Pert),
            "triangular" | "triangle" => Some(Distribution::Triangular),
            "uniform" => Some(Distribution::Uniform),
            "fixed" | "constant" => Some(Distribution::Fixed),
            "normal" | "gaussian" => Some(Distribution::Normal),
            "lognormal" | "log-normal" => Some(Distribution::LogNormal),
            "trigen" => Some(Distribution::Trigen),
            _ => None,
        }
    }
}

impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Distribution::Pert => "pert",
            Distribution::Triangular => "triangular",
            Distribution::Uniform => "uniform",
            Distribution::Fixed => "fixed",
            Distribution::Normal => "normal",
            Distribution::LogNormal => "lognormal",
            Distribution::Trigen => "trigen",
        })
    }
}

/// A validated three-point estimate: 0 <= optimistic <= likely <= pessimistic, all finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Optimistic (smallest) value.
    pub optimistic: f64,
    /// Most likely value (mode); the deterministic plan uses it.
    pub likely: f64,
    /// Pessimistic (largest) value.
    pub pessimistic: f64,
    /// How to sample between them.
    pub distribution: Distribution,
}

impl Estimate {
    /// Checks the ordering and finiteness; on failure says which value is wrong and how to fix it.
    /// Returns `(field, message)` so the reader can attach the file and line.
    pub fn new(
        optimistic: f64,
        likely: f64,
        pessimistic: f64,
        distribution: Distribution,
    ) -> Result<Self, (&'static str, String)> {
        for (field, v) in [
            ("optimistic", optimistic),
            ("likely", likely),
            ("pessimistic", pessimistic),
        ] {
            if !v.is_finite() {
                return Err((field, format!("{v} is not a finite number of working days")));
            }
            if v < 0.0 {
                return Err((
                    field,
                    format!("{v} is negative; durations are >= 0 working days"),
                ));
            }
        }
        if optimistic > likely {
            return Err((
                "optimistic",
                format!(
                    "optimistic {optimistic} is greater than likely {likely}; \
                     estimates must satisfy optimistic <= likely <= pessimistic"
                ),
            ));
        }
        if likely > pessimistic {
            return Err((
                "pessimistic",
                format!(
                    "pessimistic {pessimistic} is less than likely {likely}; \
                     estimates must satisfy optimistic <= likely <= pessimistic"
                ),
            ));
        }
        let e = Estimate {
            optimistic,
            likely,
            pessimistic,
            distribution,
        };
        let effective = e.effective_distribution();
        if effective == Distribution::LogNormal && optimistic == 0.0 {
            return Err((
                "optimistic",
                "a lognormal estimate needs optimistic > 0 (its spread is ln(pessimistic / \
                 optimistic)); raise optimistic or use another distribution"
                    .to_string(),
            ));
        }
        let trigen = effective == Distribution::Trigen;
        if trigen && optimistic == likely {
            return Err((
                "optimistic",
                format!(
                    "a {distribution} estimate needs optimistic < likely (both are {likely}); \
                     lower optimistic or use triangular or pert"
                ),
            ));
        }
        if trigen && likely == pessimistic {
            return Err((
                "pessimistic",
                format!(
                    "a {distribution} estimate needs likely < pessimistic (both are {likely}); \
                     raise pessimistic or use triangular or pert"
                ),
            ));
        }
        if trigen {
            let (a, _) = e.trigen_bounds();
            if a < 0.0 {
                return Err((
                    "optimistic",
                    format!(
                        "as the P10 of a triangular with mode {likely} and P90 {pessimistic}, \
                         optimistic {optimistic} puts the minimum at {a:.3} < 0 working days; \
                         raise optimistic or use triangular (o and p as the bounds)"
                    ),
                ));
            }
        }
        Ok(e)
    }

    /// A fixed duration.
    pub fn fixed(value: f64) -> Result<Self, (&'static str, String)> {
        Self::new(value, value, value, Distribution::Fixed)
    }

    /// The shortest value the distribution can take: the optimistic point for bounded
    /// distributions, the likely one when fixed, the lower bound (at least 0) for trigen, and 0
    /// for normal and lognormal (unbounded below, cut at 0).
    pub fn minimum(&self) -> f64 {
        match self.effective_distribution() {
            Distribution::Fixed => self.likely,
            Distribution::Pert | Distribution::Triangular | Distribution::Uniform => {
                self.optimistic
            }
            Distribution::Trigen => self.trigen_bounds().0.max(0.0),
            _ => 0.0,
        }
    }

    /// The distribution actually sampled: a zero-width range is fixed whatever was asked.
    pub fn effective_distribution(&self) -> Distribution {
        if self.pessimistic == self.optimistic {
            Distribution::Fixed
        } else {
            self.distribution
        }
    }

    /// The exact mean of the distribution.
    pub fn mean(&self) -> f64 {
        let (o, m, p) = (self.optimistic, self.likely, self.pessimistic);
        match self.effective_distribution() {
            Distribution::Pert => (o + 4.0 * m + p) / 6.0,
            Distribution::Triangular => (o + m + p) / 3.0,
            Distribution::Uniform => (o + p) / 2.0,
            Distribution::Fixed => m,
            Distribution::Normal => {
                // Truncated below at 0: μ + σλ, λ = φ(α)/(1 − Φ(α)), α = −μ/σ.
                let (mu, sigma) = self.normal_params();
                let alpha = -mu / sigma;
                mu + sigma * normal_pdf(alpha) / std_normal_cdf(-alpha)
            }
            Distribution::LogNormal => {
                let (mu, sigma) = self.lognormal_params();
                (mu + 0.5 * sigma * sigma).exp()
            }
            Distribution::Trigen => {
                let (a, b) = self.trigen_bounds();
                (a + m + b) / 3.0
            }
        }
    }

    /// The exact variance of the distribution.
    pub fn variance(&self) -> f64 {
        let (o, m, p) = (self.optimistic, self.likely, self.pessimistic);
        match self.effective_distribution() {
            Distribution::Pert => {
                let (a, b) = self.pert_shape();
                let w = p - o;
                w * w * a * b / ((a + b) * (a + b) * (a + b + 1.0))
            }
            Distribution::Triangular => (o * o + m * m + p * p - o * m - o * p - m * p) / 18.0,
            Distribution::Uniform => (p - o) * (p - o) / 12.0,
            Distribution::Fixed => 0.0,
            Distribution::Normal => {
                // Truncated below at 0: σ²(1 + αλ − λ²).
                let (mu, sigma) = self.normal_params();
                let alpha = -mu / sigma;
                let lambda = normal_pdf(alpha) / std_normal_cdf(-alpha);
                sigma * sigma * (1.0 + alpha * lambda - lambda * lambda)
            }
            Distribution::LogNormal => {
                let (mu, sigma) = self.lognormal_params();
                let s2 = sigma * sigma;
                s2.exp_m1() * (2.0 * mu + s2).exp()
            }
            Distribution::Trigen => {
                let (a, b) = self.trigen_bounds();
                (a * a + m * m + b * b - a * m - a * b - m * b) / 18.0
            }
        }
    }

    /// The normal fit before truncation, (μ, σ) = ((o + 4m + p)/6, (p − o)/6): the classic PERT
    /// mean and standard deviation. The sampled law is this normal truncated below at 0.
    pub fn normal_params(&self) -> (f64, f64) {
        let (o, m, p) = (self.optimistic, self.likely, self.pessimistic);
        ((o + 4.0 * m + p) / 6.0, (p - o) / 6.0)
    }

    /// The probability the normal fit puts below 0, Φ(−μ/σ): the part the truncation removes.
    pub fn normal_mass_below_zero(&self) -> f64 {
        let (mu, sigma) = self.normal_params();
        std_normal_cdf(-mu / sigma)
    }

    /// The lognormal fit (μ, σ) of ln X, meaningful when 0 < o < p: the mode exp(μ − σ²) is m
    /// and the ratio P95/P5 = exp(2·Z95·σ) is p/o, so σ = ln(p/o)/(2·Z95) and μ = ln m + σ².
    pub fn lognormal_params(&self) -> (f64, f64) {
        let (o, m, p) = (self.optimistic, self.likely, self.pessimistic);
        let sigma = (p / o).ln() / (2.0 * Z95);
        (m.ln() + sigma * sigma, sigma)
    }

    /// The bounds (a, b) of the `trigen` triangular: mode m, P10 = o and P90 = p
    /// (`TRIGEN_LEVELS`); meaningful when o < m < p. `a` may be negative, which
    /// [`Estimate::new`] rejects.
    ///
    /// With s = F(m) = (m − a)/(b − a) and w = b − a, the P10 of the left piece is
    /// a + √(0.1·w·(m − a)), so m − o = w·(s − √(0.1·s)); likewise p − m = w·(t − √(0.1·t))
    /// with t = 1 − s. The ratio (m − o)/(p − m) is increasing in s on (0.1, 0.9), from 0 to ∞,
    /// so there is exactly one solution, found by bracketed root finding; then
    /// w = (p − o)/((s − √(0.1s)) + (t − √(0.1t))), a = m − s·w, b = m + t·w.
    pub fn trigen_bounds(&self) -> (f64, f64) {
        let (o, m, p) = (self.optimistic, self.likely, self.pessimistic);
        let (q_lo, q_hi) = TRIGEN_LEVELS;
        let (d1, d2) = (m - o, p - m);
        // s − √(q·s) = √s·(s − q)/(√s + √q), without cancellation near s = q.
        let arm = |s: f64, q: f64| s.sqrt() * (s - q) / (s.sqrt() + q.sqrt());
        let h = |s: f64| d2 * arm(s, q_lo) - d1 * arm(1.0 - s, 1.0 - q_hi);
        // F(m) lies between the two levels: h < 0 at s = 0.1 and > 0 at s = 0.9.
        let s = bracketed_root(&h, q_lo, q_hi);
        let t = 1.0 - s;
        let w = (p - o) / (arm(s, q_lo) + arm(t, 1.0 - q_hi));
        (m - s * w, m + t * w)
    }

    /// Beta-PERT shape parameters (α, β); meaningful when optimistic < pessimistic.
    pub fn pert_shape(&self) -> (f64, f64) {
        let r = (self.likely - self.optimistic) / (self.pessimistic - self.optimistic);
        (1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r))
    }
}

/// The standard normal distribution function Φ(x) = erfc(−x/√2)/2, with `libm`'s erfc (the
/// FreeBSD/musl implementation): relative error at most about 3e-16·(1 + x²) (an ulp or two,
/// times Φ's condition number in the lower tail; measured against mpmath in this module's
/// tests and docs/accuracy.md); 0 below x ≈ −37.5, where Φ is subnormal.
pub fn std_normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x * FRAC_1_SQRT_2)
}

/// The standard normal density φ(x).
fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * PI).sqrt()
}

/// A root of `f` between `a` and `b`, where f(a) and f(b) differ in sign: the Illinois variant
/// of regula falsi (always bracketed, superlinear), with a bisection step whenever the secant
/// point would not shrink the bracket. Stops when the bracket is a few ulps wide.
fn bracketed_root(f: &impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let (mut fa, mut fb) = (f(a), f(b));
    if fa == 0.0 {
        return a;
    }
    if fb == 0.0 {
        return b;
    }
    let mut side = 0i8;
    for _ in 0..200 {
        let secant = (a * fb - b * fa) / (fb - fa);
        let (lo, hi) = (a.min(b), a.max(b));
        let c = if secant > lo && secant < hi {
            secant
        } else {
            0.5 * (a + b)
        };
        if c <= lo || c >= hi {
            break; // no double left between the ends
        }
        let fc = f(c);
        if fc == 0.0 {
            return c;
        }
        if (fc > 0.0) == (fb > 0.0) {
            b = c;
            fb = fc;
            if side == -1 {
                fa *= 0.5;
            }
            side = -1;
        } else {
            a = c;
            fa = fc;
            if side == 1 {
                fb *= 0.5;
            }
            side = 1;
        }
        if (b - a).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs()) {
            break;
        }
    }
    if fa.abs() < fb.abs() {
        a
    } else {
        b
    }
}

/// A risk level of the playbook shorthand: a row that gives only `likely` and a `risk_level`
/// gets optimistic = likely × low multiplier and pessimistic = likely × high multiplier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskLevel {
    /// A well-understood task.
    Low,
    /// Some unknowns.
    Medium,
    /// Novel or poorly understood work.
    High,
}

impl RiskLevel {
    /// All names accepted in input files.
    pub const NAMES: &'static str = "low, medium, high";

    /// Parses a level name (case-insensitive); `None` if unknown.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "low" => Some(RiskLevel::Low),
            "medium" => Some(RiskLevel::Medium),
            "high" => Some(RiskLevel::High),
            _ => None,
        }
    }
}

impl fmt::Display for RiskLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        })
    }
}

/// The multipliers of each [`RiskLevel`], as (optimistic, pessimistic) factors of `likely`:
/// o = likely × first, p = likely × second. `project.toml` may override the defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskLevels {
    /// Default (0.9, 1.25): −10 % / +25 %.
    pub low: (f64, f64),
    /// Default (0.8, 1.5): −20 % / +50 %.
    pub medium: (f64, f64),
    /// Default (0.7, 2.0): −30 % / +100 %.
    pub high: (f64, f64),
}

impl Default for RiskLevels {
    fn default() -> Self {
        RiskLevels {
            low: (0.9, 1.25),
            medium: (0.8, 1.5),
            high: (0.7, 2.0),
        }
    }
}

impl RiskLevels {
    /// The (optimistic, pessimistic) multipliers of a level.
    pub fn multipliers(&self, level: RiskLevel) -> (f64, f64) {
        match level {
            RiskLevel::Low => self.low,
            RiskLevel::Medium => self.medium,
            RiskLevel::High => self.high,
        }
    }

    /// The (optimistic, pessimistic) range a level gives a most likely value.
    pub fn range(&self, level: RiskLevel, likely: f64) -> (f64, f64) {
        let (lo, hi) = self.multipliers(level);
        (likely * lo, likely * hi)
    }

    /// Checks every pair: finite, 0 ≤ first < 1 < second. On failure returns the level's name
    /// (`low`, `medium` or `high`, for a `project.toml` key) and a message.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        for (name, (lo, hi)) in [
            ("low", self.low),
            ("medium", self.medium),
            ("high", self.high),
        ] {
            if !(lo.is_finite() && hi.is_finite() && (0.0..1.0).contains(&lo) && hi > 1.0) {
                return Err((
                    name,
                    format!(
                        "multipliers ({lo}, {hi}) must satisfy 0 <= optimistic < 1 < pessimistic, \
                         e.g. (0.8, 1.5): o = likely × 0.8, p = likely × 1.5"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The range rule for tasks that come with a scheduled duration only (an imported schedule
/// without three-point fields or risk levels, or a `tasks.csv` row with only `likely` when
/// `project.toml` sets `[import] range`): optimistic, likely and pessimistic are these
/// multipliers of the scheduled duration. The default is 0.9, 1.0, 1.4. A rule, not an
/// estimate: every output that uses it says so.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeRule(pub [f64; 3]);

impl Default for RangeRule {
    fn default() -> Self {
        RangeRule([0.9, 1.0, 1.4])
    }
}

impl RangeRule {
    /// The three points the rule gives a scheduled duration `d` (always `m·d` for each
    /// multiplier `m`, so a `tasks.csv` row that repeats `d` gets the same bits).
    pub fn points(&self, d: f64) -> (f64, f64, f64) {
        let [o, m, p] = self.0;
        (d * o, d * m, d * p)
    }

    /// The estimate the rule gives a scheduled duration `d` with `distribution`.
    pub fn estimate(
        &self,
        d: f64,
        distribution: Distribution,
    ) -> Result<Estimate, (&'static str, String)> {
        let (o, m, p) = self.points(d);
        Estimate::new(o, m, p, distribution)
    }

    /// Checks the multipliers: finite, 0 ≤ optimistic ≤ likely ≤ pessimistic, likely > 0.
    pub fn check(&self) -> Result<(), String> {
        let [o, m, p] = self.0;
        if [o, m, p].iter().all(|v| v.is_finite()) && 0.0 <= o && o <= m && m <= p && m > 0.0 {
            Ok(())
        } else {
            Err(format!(
                "multipliers [{o}, {m}, {p}] must satisfy 0 <= optimistic <= likely <= \
                 pessimistic and likely > 0, e.g. [0.9, 1.0, 1.4]"
            ))
        }
    }
}

impl fmt::Display for RangeRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [o, m, p] = self.0;
        write!(f, "[{o}, {m}, {p}]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_is_enforced_with_the_offending_field() {
        assert_eq!(
            Estimate::new(5.0, 3.0, 8.0, Distribution::Pert)
                .unwrap_err()
                .0,
            "optimistic"
        );
        assert_eq!(
            Estimate::new(1.0, 9.0, 8.0, Distribution::Pert)
                .unwrap_err()
                .0,
            "pessimistic"
        );
        assert_eq!(
            Estimate::new(-1.0, 0.0, 8.0, Distribution::Pert)
                .unwrap_err()
                .0,
            "optimistic"
        );
        assert_eq!(
            Estimate::new(1.0, f64::NAN, 8.0, Distribution::Pert)
                .unwrap_err()
                .0,
            "likely"
        );
    }

    #[test]
    fn pert_mean_matches_the_textbook_formula() {
        let e = Estimate::new(2.0, 5.0, 14.0, Distribution::Pert).unwrap();
        assert!((e.mean() - (2.0 + 20.0 + 14.0) / 6.0).abs() < 1e-12);
        let (a, b) = e.pert_shape();
        assert!((a - 2.0).abs() < 1e-12 && (b - 4.0).abs() < 1e-12);
    }

    #[test]
    fn zero_width_is_fixed() {
        let e = Estimate::new(3.0, 3.0, 3.0, Distribution::Pert).unwrap();
        assert_eq!(e.effective_distribution(), Distribution::Fixed);
        assert_eq!(e.variance(), 0.0);
    }

    #[test]
    fn new_names_parse_and_display() {
        for (name, d) in [
            ("normal", Distribution::Normal),
            ("Gaussian", Distribution::Normal),
            ("lognormal", Distribution::LogNormal),
            ("LOG-NORMAL", Distribution::LogNormal),
            ("trigen", Distribution::Trigen),
        ] {
            assert_eq!(Distribution::parse(name), Some(d), "{name}");
            assert_eq!(Distribution::parse(&d.to_string()), Some(d));
            assert!(Distribution::NAMES.contains(&d.to_string()));
        }
    }

    /// The triangular CDF on [a, b] with mode c, written out here.
    fn tri_cdf(a: f64, c: f64, b: f64, x: f64) -> f64 {
        if x <= c {
            (x - a).powi(2) / ((b - a) * (c - a))
        } else {
            1.0 - (b - x).powi(2) / ((b - a) * (b - c))
        }
    }

    #[test]
    fn trigen_bounds_put_p10_and_p90_at_o_and_p() {
        let mut worst: f64 = 0.0;
        for (o, m, p) in [
            (2.0, 5.0, 14.0),
            (4.0, 5.0, 6.0),
            (9.0, 10.0, 30.0),
            (10.0, 29.0, 30.0),
            (1.0, 1.001, 1000.0),
            (999.0, 1000.0, 1000.001),
            (0.5, 0.6, 0.65),
        ] {
            let e = Estimate {
                optimistic: o,
                likely: m,
                pessimistic: p,
                distribution: Distribution::Trigen,
            };
            let (a, b) = e.trigen_bounds();
            assert!(
                a < o && o < m && m < p && p < b,
                "{o} {m} {p}: bounds {a}, {b}"
            );
            let (q10, q90) = (tri_cdf(a, m, b, o), tri_cdf(a, m, b, p));
            let err = (q10 - 0.1).abs().max((q90 - 0.9).abs());
            assert!(err < 1e-12, "{o} {m} {p}: F(o) = {q10}, F(p) = {q90}");
            worst = worst.max(err);
        }
        // Symmetric: bounds symmetric about m.
        let e = Estimate::new(4.0, 5.0, 6.0, Distribution::Trigen).unwrap();
        let (a, b) = e.trigen_bounds();
        assert!((5.0 - a - (b - 5.0)).abs() < 1e-12);
        // By hand: s = 1/2, w = 2/(2(1/2 − √0.05)), a = 5 − w/2.
        let w = 1.0 / (0.5 - 0.05f64.sqrt());
        assert!((a - (5.0 - w / 2.0)).abs() < 1e-12, "{a}");
        eprintln!("worst trigen P10/P90 error: {worst:.1e}");
    }

    #[test]
    fn trigen_needs_a_strict_order_and_a_non_negative_minimum() {
        let err = |o, m, p| Estimate::new(o, m, p, Distribution::Trigen).unwrap_err();
        assert_eq!(err(5.0, 5.0, 8.0).0, "optimistic");
        assert_eq!(err(2.0, 8.0, 8.0).0, "pessimistic");
        let (field, msg) = err(2.0, 5.0, 14.0);
        assert_eq!(field, "optimistic");
        assert!(msg.contains("< 0 working days"), "{msg}");
        // Zero width is fixed, whatever the distribution.
        assert!(Estimate::new(3.0, 3.0, 3.0, Distribution::Trigen).is_ok());
        assert!(Estimate::new(3.0, 3.0, 3.0, Distribution::LogNormal).is_ok());
    }

    #[test]
    fn trigen_moments_are_the_triangular_ones_of_the_bounds() {
        let e = Estimate::new(4.0, 5.0, 9.0, Distribution::Trigen).unwrap();
        let (a, b) = e.trigen_bounds();
        let t = Estimate::new(a, 5.0, b, Distribution::Triangular).unwrap();
        assert!((e.mean() - t.mean()).abs() < 1e-12);
        assert!((e.variance() - t.variance()).abs() < 1e-12);
    }

    #[test]
    fn lognormal_fit_has_mode_m_and_the_p95_to_p5_ratio_of_p_to_o() {
        // Z95 is Φ⁻¹(0.95) (mpmath: 1.644853626951472714863849…): Φ of it is 0.95 to within
        // Φ's rounding (a few ulps of 0.95), and the next doubles either side are farther.
        let gap = |z: f64| (std_normal_cdf(z) - 0.95).abs();
        assert!(
            gap(Z95) <= 4.0 * f64::EPSILON,
            "Φ(Z95) = {}",
            std_normal_cdf(Z95)
        );
        assert!(gap(Z95 * (1.0 + 1e-12)) > gap(Z95) && gap(Z95 * (1.0 - 1e-12)) > gap(Z95));
        for (o, m, p) in [
            (2.0, 5.0, 14.0),
            (4.0, 5.0, 6.0),
            (4.9, 5.0, 100.0),
            (1.0, 2.0, 1000.0),
            (5.0, 5.0, 8.0),
        ] {
            let e = Estimate::new(o, m, p, Distribution::LogNormal).unwrap();
            let (mu, sigma) = e.lognormal_params();
            let mode = (mu - sigma * sigma).exp();
            assert!((mode - m).abs() < 1e-12 * m, "{o} {m} {p}: mode {mode}");
            let ratio = ((mu + Z95 * sigma) - (mu - Z95 * sigma)).exp();
            assert!(
                (ratio - p / o).abs() < 1e-12 * p / o,
                "{o} {m} {p}: P95/P5 {ratio}"
            );
            let mean = (mu + sigma * sigma / 2.0).exp();
            assert!((e.mean() - mean).abs() < 1e-12 * mean);
            let var = ((sigma * sigma).exp() - 1.0) * mean * mean;
            assert!((e.variance() - var).abs() < 1e-12 * var);
        }
        let (field, msg) = Estimate::new(0.0, 5.0, 8.0, Distribution::LogNormal).unwrap_err();
        assert_eq!(field, "optimistic");
        assert!(msg.contains("optimistic > 0"), "{msg}");
    }

    /// Φ against mpmath (50 digits) from −37 to 8: the relative error stays within
    /// 4ε·(1 + x²), a few ulps times the condition number of Φ in the lower tail.
    /// (Below x ≈ −37.5 Φ is subnormal and erfc returns 0.)
    #[test]
    fn normal_cdf_matches_mpmath() {
        let reference = [
            (-37.0, 5.725_571_222_524_577e-300),
            (-30.0, 4.906_713_927_148_187e-198),
            (-20.0, 2.753_624_118_606_233_7e-89),
            (-10.0, 7.619_853_024_160_525e-24),
            (-6.0, 9.865_876_450_376_98e-10),
            (-3.0, 0.001_349_898_031_630_094_6),
            (-1.0, 0.158_655_253_931_457_05),
            (-0.5, 0.308_537_538_725_986_9),
            (-0.1, 0.460_172_162_722_971),
            (0.0, 0.5),
            (0.3, 0.617_911_422_188_952_7),
            (1.0, 0.841_344_746_068_542_9),
            (2.5, 0.993_790_334_674_223_8),
            (8.0, 0.999_999_999_999_999_3),
        ];
        let mut worst: f64 = 0.0;
        for (x, want) in reference {
            let got = std_normal_cdf(x);
            let rel = ((got - want) / want).abs();
            worst = worst.max(rel / (1.0 + x * x));
            // Rounding x/√2 costs about x²·ε relative (the condition number of Φ in the tail).
            assert!(
                rel < 4.0 * f64::EPSILON * (1.0 + x * x),
                "Φ({x}) = {got:e}, mpmath {want:e}: rel error {rel:e}"
            );
        }
        eprintln!("worst Φ relative error vs mpmath: {worst:.1e} × (1 + x²)");
    }

    #[test]
    fn truncated_normal_moments() {
        // Far from 0 the truncation is negligible: the PERT mean and (p − o)²/36.
        let e = Estimate::new(10.0, 12.0, 16.0, Distribution::Normal).unwrap();
        assert!((e.mean() - (10.0 + 48.0 + 16.0) / 6.0).abs() < 1e-12);
        assert!((e.variance() - 1.0).abs() < 1e-12);
        // o = m = 0, p = 6: μ = 1, σ = 1, α = −1: mean 1 + φ(1)/Φ(1).
        let e = Estimate::new(0.0, 0.0, 6.0, Distribution::Normal).unwrap();
        let (phi1, cdf1) = (0.241_970_724_519_143_37, 0.841_344_746_068_542_9);
        let lambda = phi1 / cdf1;
        assert!((e.mean() - (1.0 + lambda)).abs() < 1e-14, "{}", e.mean());
        assert!((e.variance() - (1.0 - lambda - lambda * lambda)).abs() < 1e-14);
    }

    #[test]
    fn risk_levels() {
        assert_eq!(RiskLevel::parse(" High "), Some(RiskLevel::High));
        assert_eq!(RiskLevel::parse("MEDIUM"), Some(RiskLevel::Medium));
        assert_eq!(RiskLevel::parse("low"), Some(RiskLevel::Low));
        assert_eq!(RiskLevel::parse("extreme"), None);
        let r = RiskLevels::default();
        assert!(r.check().is_ok());
        assert_eq!(r.range(RiskLevel::Medium, 10.0), (8.0, 15.0));
        assert_eq!(r.range(RiskLevel::High, 10.0), (7.0, 20.0));
        let bad = RiskLevels {
            high: (0.7, 0.9),
            ..r
        };
        assert_eq!(bad.check().unwrap_err().0, "high");
    }
}
