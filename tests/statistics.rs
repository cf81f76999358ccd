//! The engine checked against closed forms.
//!
//! Every statistical tolerance here is derived from the Monte Carlo standard error of the
//! statistic being checked (never hand-tuned), widened by the documented deterministic error of
//! the Beta-PERT quantile table where PERT tasks are involved:
//!
//! * a mean:      |x̄ − μ| < Z·σ/√n + bias;
//! * a variance:  |s² − σ²| < Z·SE(s²) + bias, SE(s²)² = μ₄/n − σ⁴(n − 3)/(n(n − 1)), μ₄ from the
//!   closed-form kurtosis;
//! * a quantile:  tested in probability space, |F(x̂_q) − q| < Z·√(q(1 − q)/n) + 1/n, which needs
//!   only the CDF (F(X₍ₖ₎) is Beta(k, n + 1 − k) distributed whatever the law); the 1/n covers
//!   the order-statistic discreteness of the type-7 sample quantile;
//! * a probability (an empirical CDF value, a criticality): |p̂ − p| < Z·√(p(1 − p)/n).
//!
//! Z = 4.5 gives a two-sided false-alarm probability of about 6.8e-6 per check under the normal
//! approximation (n = 200,000 makes it an excellent one); the seeds are fixed, so the tests are
//! deterministic anyway.
//!
//! PERT bias allowance: src/engine/pert_table.rs bounds the table's quantile error by
//! `PERT_TABLE_ERR × (p − o)` (its test `quantiles_match_an_independent_beta`). A sampled
//! duration is therefore within δ = 1.5e-4·(p − o) of the exact Beta-PERT quantile of the same
//! uniform, so: a mean is biased by at most δ; a standard deviation by at most δ (so a variance
//! by at most δ(2σ + δ)); every order statistic, hence every sample quantile, by at most δ (so
//! F is evaluated at x̂ ∓ δ); and an empirical CDF at x lies between the laws' CDFs at x − δ and
//! x + δ.
//!
//! Caveat (a src bug, see `pert_extreme_tails_match_beta`): that bound holds only away from the
//! table's first and last few cells (u < ~6/1024 or u > ~1018/1024), where linear interpolation
//! of a quantile function with a vertical tangent errs by up to ~0.1·(p − o). The quantiles
//! checked here (P10–P90) are far from those cells (measured error < 1e-6·(p − o)). The moment
//! biases that the end cells cause were measured on a 2·10⁷-point grid of the sampler: mean
//! ≤ 8.5e-5·(p − o) for every shape, below the allowance; sd 1.3e-4·(p − o) for r = 1/4,
//! 1.1e-4 for r = 2/7, 2.9e-4 for r = 1/14 and up to 4.1e-4 for r = 0. The chain test, whose
//! two PERT tasks have r = 2/7 and 1/14, therefore uses nearly all of its summed allowance.

mod support;

use p80::engine::{self, deterministic, RunSpec, Standard};
use p80::model::{Distribution, Estimate, Project, RateUnit};
use p80::stats::percentile::{fraction_at_or_below, quantile};
use p80::stats::summary::sorted;
use rand::Rng;
use statrs::distribution::{
    Beta, Continuous, ContinuousCDF, LogNormal, Normal, Triangular, Uniform,
};
use support::{compile, est, project, resource, run, task, with_cost, Z};

/// Iterations per statistical test.
const N: usize = 200_000;
/// The PERT table's documented worst quantile error, in units of the range p − o.
const PERT_TABLE_ERR: f64 = 1.5e-4;
/// The engine accumulates each chunk's per-task duration sum in fixed point (FIXED_SCALE in
/// src/engine/collect/mean_duration.rs); converting one chunk's sum errs by less than 2⁻²⁰
/// working day (the coarsest scale it has used; finer scales are within this bound).
const FIXED_POINT_STEP: f64 = 1.0 / 1_048_576.0;

// ---------------------------------------------------------------------------------------------
// Building projects: tests/support (task, with_cost, resource, project, compile, run).

// ---------------------------------------------------------------------------------------------
// Closed forms, computed here from the textbook formulas (not from `Estimate`), so the checks
// are not circular.

/// Moments and CDF of one three-point estimate's law.
struct Law {
    o: f64,
    m: f64,
    p: f64,
    dist: Distribution,
}

impl Law {
    fn of(e: &Estimate) -> Law {
        Law {
            o: e.optimistic,
            m: e.likely,
            p: e.pessimistic,
            dist: if e.optimistic == e.pessimistic {
                Distribution::Fixed
            } else {
                e.distribution
            },
        }
    }

    fn pert_shape(&self) -> (f64, f64) {
        let w = self.p - self.o;
        (
            1.0 + 4.0 * (self.m - self.o) / w,
            1.0 + 4.0 * (self.p - self.m) / w,
        )
    }

    fn mean(&self) -> f64 {
        let (o, m, p) = (self.o, self.m, self.p);
        match self.dist {
            Distribution::Pert => {
                let (a, b) = self.pert_shape();
                o + (p - o) * a / (a + b)
            }
            Distribution::Triangular => (o + m + p) / 3.0,
            Distribution::Uniform => 0.5 * (o + p),
            Distribution::Fixed => m,
            // Truncated below at 0: μ + σ·φ(α)/(1 − Φ(α)), α = −μ/σ.
            Distribution::Normal => {
                let (mu, sigma, _, lambda) = self.truncated_normal();
                mu + sigma * lambda
            }
            Distribution::LogNormal => {
                let (mu, sigma) = self.lognormal();
                (mu + sigma * sigma / 2.0).exp()
            }
            Distribution::Trigen => {
                let (a, b) = self.trigen();
                (a + m + b) / 3.0
            }
        }
    }

    fn variance(&self) -> f64 {
        let (o, m, p) = (self.o, self.m, self.p);
        match self.dist {
            Distribution::Pert => {
                let (a, b) = self.pert_shape();
                (p - o).powi(2) * a * b / ((a + b).powi(2) * (a + b + 1.0))
            }
            // E[X²] − μ² with E[X²] = (a² + b² + c² + ab + ac + bc)/6.
            Distribution::Triangular => {
                (o * o + m * m + p * p + o * m + o * p + m * p) / 6.0 - self.mean().powi(2)
            }
            Distribution::Uniform => (p - o).powi(2) / 12.0,
            Distribution::Fixed => 0.0,
            // Truncated below at 0: σ²(1 + αλ − λ²).
            Distribution::Normal => {
                let (_, sigma, alpha, lambda) = self.truncated_normal();
                sigma * sigma * (1.0 + alpha * lambda - lambda * lambda)
            }
            // (e^{σ²} − 1)·e^{2μ + σ²}.
            Distribution::LogNormal => {
                let (mu, sigma) = self.lognormal();
                ((sigma * sigma).exp() - 1.0) * (2.0 * mu + sigma * sigma).exp()
            }
            Distribution::Trigen => {
                let (a, b) = self.trigen();
                (a * a + m * m + b * b + a * m + a * b + m * b) / 6.0 - self.mean().powi(2)
            }
        }
    }

    /// Excess kurtosis μ₄/σ⁴ − 3.
    fn excess_kurtosis(&self) -> f64 {
        match self.dist {
            Distribution::Pert => {
                let (a, b) = self.pert_shape();
                6.0 * ((a - b).powi(2) * (a + b + 1.0) - a * b * (a + b + 2.0))
                    / (a * b * (a + b + 2.0) * (a + b + 3.0))
            }
            Distribution::Triangular => -0.6,
            Distribution::Uniform => -1.2,
            Distribution::Fixed => 0.0,
            // From the raw moments of the standard normal truncated below at α:
            // m₀ = 1, m₁ = λ, m_k = (k − 1)·m_{k−2} + α^{k−1}·λ.
            Distribution::Normal => {
                let (_, _, alpha, lambda) = self.truncated_normal();
                let m1 = lambda;
                let m2 = 1.0 + alpha * lambda;
                let m3 = 2.0 * m1 + alpha * alpha * lambda;
                let m4 = 3.0 * m2 + alpha.powi(3) * lambda;
                let var = m2 - m1 * m1;
                let c4 = m4 - 4.0 * m1 * m3 + 6.0 * m1 * m1 * m2 - 3.0 * m1.powi(4);
                c4 / (var * var) - 3.0
            }
            // e^{4σ²} + 2e^{3σ²} + 3e^{2σ²} − 6.
            Distribution::LogNormal => {
                let s2 = self.lognormal().1.powi(2);
                (4.0 * s2).exp() + 2.0 * (3.0 * s2).exp() + 3.0 * (2.0 * s2).exp() - 6.0
            }
            Distribution::Trigen => -0.6,
        }
    }

    /// The normal fit written out here: μ = (o + 4m + p)/6, σ = (p − o)/6; with α = −μ/σ the
    /// truncation point in standard units and λ = φ(α)/(1 − Φ(α)) (statrs).
    fn truncated_normal(&self) -> (f64, f64, f64, f64) {
        let (mu, sigma) = (
            (self.o + 4.0 * self.m + self.p) / 6.0,
            (self.p - self.o) / 6.0,
        );
        let z = Normal::new(0.0, 1.0).unwrap();
        let alpha = -mu / sigma;
        (mu, sigma, alpha, z.pdf(alpha) / z.sf(alpha))
    }

    /// The lognormal fit (μ, σ) from p80, checked here against its definition: the mode
    /// exp(μ − σ²) is m and statrs' LogNormal has P95/P5 = p/o.
    fn lognormal(&self) -> (f64, f64) {
        let (mu, sigma) = self.estimate().lognormal_params();
        let mode = (mu - sigma * sigma).exp();
        assert!(
            close(mode, self.m, 1e-12),
            "lognormal mode {mode} vs m {}",
            self.m
        );
        let d = LogNormal::new(mu, sigma).unwrap();
        let ratio = d.inverse_cdf(0.95) / d.inverse_cdf(0.05);
        let want = self.p / self.o;
        assert!(
            close(ratio, want, 1e-12),
            "lognormal P95/P5 = {ratio}, p/o = {want}"
        );
        (mu, sigma)
    }

    /// The trigen bounds (a, b) from p80, checked here against their definition: statrs'
    /// Triangular(a, b, m) has its P10 at o and its P90 at p.
    fn trigen(&self) -> (f64, f64) {
        let (a, b) = self.estimate().trigen_bounds();
        let t = Triangular::new(a, b, self.m).unwrap();
        assert!(
            (t.cdf(self.o) - 0.1).abs() < 1e-12,
            "trigen F(o) = {}",
            t.cdf(self.o)
        );
        assert!(
            (t.cdf(self.p) - 0.9).abs() < 1e-12,
            "trigen F(p) = {}",
            t.cdf(self.p)
        );
        (a, b)
    }

    fn estimate(&self) -> Estimate {
        Estimate {
            optimistic: self.o,
            likely: self.m,
            pessimistic: self.p,
            distribution: self.dist,
        }
    }

    /// Fourth cumulant κ₄ = excess · σ⁴ (additive over independent summands).
    fn kappa4(&self) -> f64 {
        self.excess_kurtosis() * self.variance().powi(2)
    }

    /// The PERT table's deterministic error bound δ for this law (0 for exact samplers).
    fn bias(&self) -> f64 {
        match self.dist {
            Distribution::Pert => PERT_TABLE_ERR * (self.p - self.o),
            _ => 0.0,
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        let (o, m, p) = (self.o, self.m, self.p);
        match self.dist {
            Distribution::Pert => {
                let (a, b) = self.pert_shape();
                if x <= o {
                    0.0
                } else if x >= p {
                    1.0
                } else {
                    Beta::new(a, b).unwrap().cdf((x - o) / (p - o))
                }
            }
            Distribution::Triangular => Triangular::new(o, p, m).unwrap().cdf(x),
            Distribution::Uniform => Uniform::new(o, p).unwrap().cdf(x),
            // (Φ((x − μ)/σ) − Φ(−μ/σ)) / (1 − Φ(−μ/σ)) for x ≥ 0.
            Distribution::Normal => {
                let (mu, sigma, alpha, _) = self.truncated_normal();
                let z = Normal::new(0.0, 1.0).unwrap();
                if x <= 0.0 {
                    0.0
                } else {
                    (z.cdf((x - mu) / sigma) - z.cdf(alpha)) / z.sf(alpha)
                }
            }
            Distribution::LogNormal => {
                let (mu, sigma) = self.lognormal();
                LogNormal::new(mu, sigma).unwrap().cdf(x)
            }
            Distribution::Trigen => {
                let (a, b) = self.trigen();
                Triangular::new(a, b, m).unwrap().cdf(x)
            }
            Distribution::Fixed => {
                if x >= m {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// SE-derived checks.

fn sample_mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Unbiased sample variance (two passes).
fn sample_variance(x: &[f64]) -> f64 {
    let mu = sample_mean(x);
    x.iter().map(|v| (v - mu) * (v - mu)).sum::<f64>() / (x.len() as f64 - 1.0)
}

/// |x̄ − μ| < Z·σ/√n + bias.
fn check_mean(label: &str, x: &[f64], mu: f64, sigma: f64, bias: f64) {
    let n = x.len() as f64;
    let got = sample_mean(x);
    let tol = Z * sigma / n.sqrt() + bias;
    assert!(
        (got - mu).abs() <= tol,
        "{label}: sample mean {got} vs closed form {mu} (|diff| {} > tol {tol})",
        (got - mu).abs()
    );
}

/// |s² − σ²| < Z·SE(s²) + bias, with SE(s²)² = μ₄/n − σ⁴(n − 3)/(n(n − 1)) and
/// μ₄ = (excess + 3)·σ⁴ (≈ σ⁴(κ − 1)/n). `bias` bounds |σ′ − σ| (see the module docs).
fn check_variance(label: &str, x: &[f64], var: f64, excess_kurtosis: f64, sd_bias: f64) {
    let n = x.len() as f64;
    let got = sample_variance(x);
    let mu4 = (excess_kurtosis + 3.0) * var * var;
    let se = (mu4 / n - var * var * (n - 3.0) / (n * (n - 1.0))).sqrt();
    let bias = sd_bias * (2.0 * var.sqrt() + sd_bias);
    let tol = Z * se + bias;
    assert!(
        (got - var).abs() <= tol,
        "{label}: sample variance {got} vs closed form {var} (|diff| {} > tol {tol})",
        (got - var).abs()
    );
}

/// The sample q-quantile checked in probability space: with x̂ the type-7 sample quantile and
/// δ the bias bound, F(x̂ + δ) ≥ q − tol and F(x̂ − δ) ≤ q + tol, tol = Z·√(q(1 − q)/n) + 1/n.
fn check_quantile(label: &str, sorted: &[f64], q: f64, cdf: impl Fn(f64) -> f64, bias: f64) {
    let n = sorted.len() as f64;
    let xq = quantile(sorted, q);
    let tol = Z * (q * (1.0 - q) / n).sqrt() + 1.0 / n;
    let (lo, hi) = (cdf(xq - bias), cdf(xq + bias));
    assert!(
        hi >= q - tol && lo <= q + tol,
        "{label}: P{} = {xq}; closed-form F there is in [{lo}, {hi}], expected {q} ± {tol}",
        q * 100.0
    );
}

/// An empirical probability `got` against a closed form known to lie in [p_lo, p_hi]:
/// p_lo − Z·√(p_lo(1 − p_lo)/n) ≤ got ≤ p_hi + Z·√(p_hi(1 − p_hi)/n).
fn check_probability(label: &str, got: f64, p_lo: f64, p_hi: f64, n: usize) {
    let n = n as f64;
    let se = |p: f64| (p * (1.0 - p) / n).sqrt();
    let (lo, hi) = (p_lo - Z * se(p_lo), p_hi + Z * se(p_hi));
    assert!(
        got >= lo && got <= hi,
        "{label}: empirical {got} outside [{lo}, {hi}] (closed form in [{p_lo}, {p_hi}])"
    );
}

/// Relative closeness for exact-arithmetic identities that go through a different order of
/// floating-point operations.
fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

// ---------------------------------------------------------------------------------------------
// 1. One task per distribution.

#[test]
fn single_task_moments_and_quantiles_match_closed_forms() {
    let cases = [
        (
            "pert",
            est(2.0, 5.0, 14.0, Distribution::Pert),
            101u64,
            // Textbook: α = 1 + 4·3/12 = 2, β = 1 + 4·9/12 = 4; mean (2 + 20 + 14)/6 = 6,
            // variance 12²·8/(36·7) = 32/7.
            (6.0, 32.0 / 7.0),
        ),
        (
            "triangular",
            est(2.0, 5.0, 14.0, Distribution::Triangular),
            102,
            // mean 21/3 = 7; variance (4 + 25 + 196 − 10 − 28 − 70)/18 = 117/18 = 6.5.
            (7.0, 6.5),
        ),
        (
            "uniform",
            est(2.0, 5.0, 14.0, Distribution::Uniform),
            103,
            // mean 8; variance 144/12 = 12.
            (8.0, 12.0),
        ),
        ("fixed", Estimate::fixed(5.0).unwrap(), 104, (5.0, 0.0)),
    ];
    for (name, e, seed, (hand_mean, hand_var)) in cases {
        let law = Law::of(&e);
        // The closed forms three ways: by hand, from the textbook formulas here, and from the
        // library's `Estimate` (which the engine's users rely on).
        assert!(
            close(law.mean(), hand_mean, 1e-12),
            "{name}: test's own mean"
        );
        assert!(
            close(law.variance(), hand_var, 1e-12),
            "{name}: test's own variance"
        );
        assert!(close(e.mean(), hand_mean, 1e-12), "{name}: Estimate::mean");
        assert!(
            close(e.variance(), hand_var, 1e-12),
            "{name}: Estimate::variance"
        );

        let plan = compile(&project(vec![task("only", e, &[])], vec![]));
        let sim = run(&plan, N, seed);
        assert_eq!(sim.durations.len(), N);
        // A single task: the project duration is the task duration, always inside [o, p].
        assert!(
            sim.durations
                .iter()
                .all(|&d| d >= e.optimistic && d <= e.pessimistic),
            "{name}: a duration outside [o, p]"
        );

        let d = &sim.durations;
        if law.dist == Distribution::Fixed {
            assert!(d.iter().all(|&x| x == e.likely), "{name}: not constant");
            continue;
        }
        let sigma = law.variance().sqrt();
        check_mean(name, d, law.mean(), sigma, law.bias());
        check_variance(name, d, law.variance(), law.excess_kurtosis(), law.bias());
        let s = sorted(d);
        for q in [0.1, 0.5, 0.9] {
            check_quantile(name, &s, q, |x| law.cdf(x), law.bias());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. A chain: sums of independent durations.

#[test]
fn chain_mean_and_variance_are_sums() {
    let ests = [
        ("A", est(1.0, 3.0, 8.0, Distribution::Pert)),
        ("B", est(2.0, 4.0, 12.0, Distribution::Triangular)),
        ("C", est(0.5, 1.0, 3.5, Distribution::Uniform)),
        // r = 1/14: between two rows of the PERT table.
        ("D", est(3.0, 3.5, 10.0, Distribution::Pert)),
        ("E", Estimate::fixed(2.0).unwrap()),
    ];
    let mut tasks = Vec::new();
    for (i, (id, e)) in ests.iter().enumerate() {
        let deps: Vec<&str> = if i == 0 { vec![] } else { vec![ests[i - 1].0] };
        tasks.push(task(id, *e, &deps));
    }
    // File order reversed: the compiled order must still be the chain.
    tasks.reverse();
    let plan = compile(&project(tasks, vec![]));
    let sim = run(&plan, N, 2024);

    let laws: Vec<Law> = ests.iter().map(|(_, e)| Law::of(e)).collect();
    let mu: f64 = laws.iter().map(Law::mean).sum();
    let var: f64 = laws.iter().map(Law::variance).sum();
    // Cumulants add over independent summands: κ₄(Σ) = Σ κ₄, so excess(Σ) = Σκ₄ / (Σσ²)².
    let excess = laws.iter().map(Law::kappa4).sum::<f64>() / (var * var);
    // Each PERT summand is off by at most its δ, so the sum by at most Σδ (mean and sd alike).
    let bias: f64 = laws.iter().map(Law::bias).sum();

    check_mean("chain", &sim.durations, mu, var.sqrt(), bias);
    check_variance("chain", &sim.durations, var, excess, bias);
    // Every task of a chain is critical in every iteration.
    assert!(
        sim.criticality.iter().all(|&c| c == 1.0),
        "{:?}",
        sim.criticality
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Parallel independent tasks: the CDF of the max is the product of the CDFs.

#[test]
fn parallel_max_cdf_is_product_of_cdfs() {
    let ests = [
        ("P", est(4.0, 6.0, 12.0, Distribution::Pert)),
        ("T", est(3.0, 7.0, 11.0, Distribution::Triangular)),
        ("U", est(5.0, 7.0, 10.0, Distribution::Uniform)),
    ];
    let tasks = ests.iter().map(|(id, e)| task(id, *e, &[])).collect();
    let plan = compile(&project(tasks, vec![]));
    let sim = run(&plan, N, 77);
    let laws: Vec<Law> = ests.iter().map(|(_, e)| Law::of(e)).collect();
    let s = sorted(&sim.durations);

    // Points where every law's CDF lies in [0.001, 0.999], the range over which the PERT table's
    // error bound is measured (beyond it, see `pert_extreme_tails_match_beta`).
    for x in [6.0, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 10.5] {
        for l in &laws {
            let f = l.cdf(x);
            assert!(
                l.dist != Distribution::Pert || (0.001..=0.999).contains(&f),
                "F({x}) = {f}"
            );
        }
        let got = fraction_at_or_below(&s, x);
        // A PERT sample within δ of the exact quantile: P(X′ ≤ x) ∈ [F(x − δ), F(x + δ)].
        let lo: f64 = laws.iter().map(|l| l.cdf(x - l.bias())).product();
        let hi: f64 = laws.iter().map(|l| l.cdf(x + l.bias())).product();
        check_probability(&format!("F_max({x})"), got, lo, hi, N);
    }
    // Three sinks; the max is always at least every task's minimum.
    assert!(s[0] >= 5.0);
}

/// The PERT sampler's extreme tails: P(X ≤ x) at the exact Beta-PERT quantiles of levels that
/// fall inside the first and last cells of the quantile table (u < 1/1024 or u > 1 − 1/1024),
/// where the table switches to power-law interpolation (a straight line there was far off).
#[test]
fn pert_extreme_tails_match_beta() {
    let n = 1_000_000;
    let e = est(2.0, 5.0, 14.0, Distribution::Pert);
    let law = Law::of(&e);
    let (a, b) = law.pert_shape();
    let beta = Beta::new(a, b).unwrap();
    let sim = run(
        &compile(&project(vec![task("only", e, &[])], vec![])),
        n,
        909,
    );
    let s = sorted(&sim.durations);
    let mut failures = Vec::new();
    for q in [
        0.25 / 1024.0,
        0.5 / 1024.0,
        1.0 - 0.5 / 1024.0,
        1.0 - 0.25 / 1024.0,
    ] {
        let x = e.optimistic + (e.pessimistic - e.optimistic) * beta.inverse_cdf(q);
        // The table bias δ enters as F(x ∓ δ), as everywhere else.
        let (lo, hi) = (law.cdf(x - law.bias()), law.cdf(x + law.bias()));
        let got = fraction_at_or_below(&s, x);
        let se = |p: f64| (p * (1.0 - p) / n as f64).sqrt();
        if got < lo - Z * se(lo) || got > hi + Z * se(hi) {
            failures.push(format!(
                "q = {q:.6}: x = {x:.4}, empirical F = {got:.6}, closed form {q:.6} (≈ {:.1} SE off)",
                (got - q) / se(q)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// 4. Cost.

#[test]
fn cost_with_an_hourly_resource_is_exact_per_iteration() {
    let (rate, hours, units, fixed) = (95.5, 7.5, 1.5, 1234.5);
    let e = est(2.0, 5.0, 14.0, Distribution::Triangular);
    let p = project(
        vec![with_cost(task("build", e, &[]), fixed, &[("dev", units)])],
        vec![resource("dev", rate, RateUnit::Hour, hours)],
    );
    let plan = compile(&p);
    let sim = run(&plan, N, 5);
    assert_eq!(sim.costs.len(), N);
    for (i, (&d, &c)) in sim.durations.iter().zip(&sim.costs).enumerate() {
        let want = fixed + units * rate * hours * d;
        assert!(close(c, want, 1e-9), "iteration {i}: cost {c}, want {want}");
    }
    let law = Law::of(&e);
    let k = units * rate * hours;
    check_mean(
        "hourly cost",
        &sim.costs,
        fixed + k * law.mean(),
        k * law.variance().sqrt(),
        k * law.bias(),
    );
}

#[test]
fn cost_with_day_rates_and_several_tasks() {
    // One task, two resources: a day-rate crane (hours_per_day must be ignored for day rates)
    // and an hourly pump running around the clock.
    let (crane, pump, pump_h) = (1800.0, 12.25, 24.0);
    let e = est(2.0, 5.0, 14.0, Distribution::Pert);
    let resources = vec![
        resource("crane", crane, RateUnit::Day, 10.0),
        resource("pump", pump, RateUnit::Hour, pump_h),
    ];
    let p = project(
        vec![with_cost(
            task("lift", e, &[]),
            500.0,
            &[("crane", 2.0), ("pump", 1.0)],
        )],
        resources.clone(),
    );
    let sim = run(&compile(&p), N, 6);
    let k = 2.0 * crane + 1.0 * pump * pump_h;
    for (i, (&d, &c)) in sim.durations.iter().zip(&sim.costs).enumerate() {
        let want = 500.0 + k * d;
        assert!(close(c, want, 1e-9), "iteration {i}: cost {c}, want {want}");
    }
    let law = Law::of(&e);
    check_mean(
        "day-rate cost",
        &sim.costs,
        500.0 + k * law.mean(),
        k * law.variance().sqrt(),
        k * law.bias(),
    );

    // Several tasks (a chain and a parallel branch): the cost is Σ (fixed + k_i·d_i) whatever
    // the network, so its mean is Σ (fixed_i + k_i·μ_i) and its variance Σ k_i²σ_i².
    let specs = [
        (
            "a",
            est(1.0, 2.0, 6.0, Distribution::Triangular),
            100.0,
            vec![("crane", 1.0)],
            vec![],
        ),
        (
            "b",
            est(2.0, 3.0, 9.0, Distribution::Pert),
            0.0,
            vec![("pump", 2.5)],
            vec!["a"],
        ),
        (
            "c",
            est(4.0, 5.0, 7.0, Distribution::Uniform),
            250.0,
            vec![],
            vec![],
        ),
        (
            "d",
            Estimate::fixed(3.0).unwrap(),
            75.0,
            vec![("crane", 0.5), ("pump", 1.0)],
            vec!["b", "c"],
        ),
    ];
    let tasks = specs
        .iter()
        .map(|(id, e, c, r, deps)| with_cost(task(id, *e, deps), *c, r))
        .collect();
    let sim = run(&compile(&project(tasks, resources)), N, 7);
    let daily = |r: &[(&str, f64)]| -> f64 {
        r.iter()
            .map(|(id, u)| u * if *id == "crane" { crane } else { pump * pump_h })
            .sum()
    };
    let (mut mu, mut var, mut bias) = (0.0, 0.0, 0.0);
    for (_, e, c, r, _) in &specs {
        let (law, k) = (Law::of(e), daily(r));
        mu += c + k * law.mean();
        var += k * k * law.variance();
        bias += k * law.bias();
    }
    check_mean("multi-task cost", &sim.costs, mu, var.sqrt(), bias);
}

// ---------------------------------------------------------------------------------------------
// 5. Determinism across thread counts.

/// ~300 tasks in random layers; each task after the first layer depends on 1–3 distinct tasks
/// of the previous two layers; mixed distributions (some zero-width); some resources; the file
/// order shuffled.
fn random_layered_project(seed: u64) -> Project {
    let mut g = support::rng(seed);
    let mut layers: Vec<Vec<String>> = Vec::new();
    let mut tasks = Vec::new();
    let mut next_id = 0usize;
    while next_id < 300 {
        let width = (3 + g.random_range(0..20)).min(300 - next_id);
        let mut layer = Vec::new();
        for _ in 0..width {
            let id = format!("t{next_id:03}");
            next_id += 1;
            let o = (g.random::<f64>() * 5.0 * 4.0).round() / 4.0;
            let m = o + (g.random::<f64>() * 5.0 * 4.0).round() / 4.0;
            let p = m + (g.random::<f64>() * 10.0 * 4.0).round() / 4.0;
            let e = match g.random_range(0..5) {
                0 => est(o, m, p, Distribution::Pert),
                1 => est(o, m, p, Distribution::Triangular),
                2 => est(o, m, p, Distribution::Uniform),
                3 => Estimate::fixed(m).unwrap(),
                _ => est(o, o, o, Distribution::Pert), // zero width: sampled as fixed
            };
            let mut deps: Vec<String> = Vec::new();
            if !layers.is_empty() {
                let from = layers.len().saturating_sub(2);
                let pool: Vec<&String> = layers[from..].iter().flatten().collect();
                for _ in 0..1 + g.random_range(0..3) {
                    let d = pool[g.random_range(0..pool.len())].clone();
                    if !deps.contains(&d) {
                        deps.push(d);
                    }
                }
            }
            let deps_ref: Vec<&str> = deps.iter().map(String::as_str).collect();
            let mut t = task(&id, e, &deps_ref);
            match g.random_range(0..4) {
                0 => {
                    t = with_cost(
                        t,
                        10.0 * g.random_range(0..50) as f64,
                        &[("dev", 0.5 + g.random_range(0..3) as f64)],
                    )
                }
                1 => t = with_cost(t, 0.0, &[("rig", 1.0), ("dev", 1.0)]),
                2 => t.cost = 1000.0 * g.random::<f64>(),
                _ => {}
            }
            tasks.push(t);
            layer.push(id);
        }
        layers.push(layer);
    }
    for i in (1..tasks.len()).rev() {
        let j = g.random_range(0..i + 1);
        tasks.swap(i, j);
    }
    project(
        tasks,
        vec![
            resource("dev", 85.0, RateUnit::Hour, 8.0),
            resource("rig", 1200.0, RateUnit::Day, 8.0),
        ],
    )
}

#[test]
fn results_do_not_depend_on_thread_count_or_chunking() {
    // Not a multiple of any chunk width, so the last chunk is partial.
    let n = 20_011;
    let p = random_layered_project(0x5EED);
    assert_eq!(p.tasks.len(), 300);
    let plan = compile(&p);
    let in_pool = |threads: usize, seed: u64| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| run(&plan, n, seed))
    };
    let one = in_pool(1, 42);
    assert_eq!(one.durations.len(), n);
    assert_eq!(in_pool(2, 42), one, "2 threads differ from 1");
    assert_eq!(in_pool(3, 42), one, "3 threads differ from 1");

    // The chunk width changes no sample; per-task means only through floating-point summation
    // and fixed-point conversion: per chunk, sum4 over L lanes errs by at most (L/4 + 3)·ε·Σ|d|
    // (γ_k bound), and the conversion by FIXED_POINT_STEP; divided by n.
    for lanes in [8, 40, 256] {
        let other = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap()
            .install(|| {
                engine::run(
                    &plan,
                    &RunSpec::new(n, 42)
                        .with_sampling(p80::engine::Sampling::Random)
                        .with_lanes(lanes),
                    &Standard,
                )
            });
        assert_eq!(other.durations, one.durations, "lanes {lanes}: durations");
        assert_eq!(other.costs, one.costs, "lanes {lanes}: costs");
        assert_eq!(
            other.criticality, one.criticality,
            "lanes {lanes}: criticality"
        );
        let chunks = (n.div_ceil(lanes) + n.div_ceil(p80::engine::lanes_for(plan.len()))) as f64;
        for (i, (&a, &b)) in other
            .mean_duration
            .iter()
            .zip(&one.mean_duration)
            .enumerate()
        {
            // Both runs' summation errors (L ≤ 256 lanes), both runs' rounding, and a few ulps
            // for the final conversions and divisions.
            let sum_err = 2.0 * (256.0 / 4.0 + 3.0) * f64::EPSILON * a.abs().max(b.abs());
            let round_err = chunks * FIXED_POINT_STEP / n as f64;
            assert!(
                (a - b).abs() <= sum_err + round_err + 4.0 * f64::EPSILON * a.abs(),
                "lanes {lanes}: task {i} mean {a} vs {b}"
            );
        }
    }

    // Another seed gives other draws.
    let other = in_pool(2, 43);
    assert_ne!(other.durations, one.durations);
    let same = other
        .durations
        .iter()
        .zip(&one.durations)
        .filter(|(a, b)| a == b)
        .count();
    // Only plans with a fixed longest path could repeat a duration; this one has random tasks
    // everywhere, so nearly all iterations must differ.
    assert!(
        same < n / 10,
        "{same} of {n} iterations identical across seeds"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Criticality.

#[test]
fn criticality_is_the_probability_of_being_longest() {
    // A fixed at `a`, B uniform on [5, 15], both feeding C: A is critical iff B ≤ a, so
    // P = (a − 5)/10; B is critical iff B ≥ a; C always.
    for (a, seed) in [(10.0, 11u64), (12.0, 12)] {
        let p = project(
            vec![
                task("A", Estimate::fixed(a).unwrap(), &[]),
                task("B", est(5.0, 10.0, 15.0, Distribution::Uniform), &[]),
                task("C", Estimate::fixed(1.0).unwrap(), &["A", "B"]),
            ],
            vec![],
        );
        let sim = run(&compile(&p), N, seed);
        let pa = (a - 5.0) / 10.0;
        check_probability(&format!("crit A (a = {a})"), sim.criticality[0], pa, pa, N);
        check_probability(
            &format!("crit B (a = {a})"),
            sim.criticality[1],
            1.0 - pa,
            1.0 - pa,
            N,
        );
        assert_eq!(sim.criticality[2], 1.0, "the sink is always critical");
        // Exactly one of A and B in every iteration, barring an exact tie (probability 2⁻⁵³
        // per iteration), which would count both: the counts add up to n.
        let both = (sim.criticality[0] + sim.criticality[1]) * N as f64;
        assert!(
            (both - N as f64).abs() < 0.5,
            "crit A + crit B = {both}/{N}"
        );
        // The project duration is max(a, B) + 1.
        let law = Law::of(&est(5.0, 10.0, 15.0, Distribution::Uniform));
        let s = sorted(&sim.durations);
        for x in [a + 1.0, a + 2.0, 14.0] {
            let f = law.cdf(x - 1.0) * if x - 1.0 >= a { 1.0 } else { 0.0 };
            check_probability(
                &format!("F({x}), a = {a}"),
                fraction_at_or_below(&s, x),
                f,
                f,
                N,
            );
        }
    }
}

#[test]
fn tied_paths_are_all_critical() {
    // With a common successor and without one (two sinks).
    for with_sink in [true, false] {
        let mut tasks = vec![
            task("X", Estimate::fixed(7.0).unwrap(), &[]),
            task("Y", Estimate::fixed(7.0).unwrap(), &[]),
            // Shorter, never critical.
            task("W", est(1.0, 2.0, 6.5, Distribution::Pert), &[]),
        ];
        if with_sink {
            tasks.push(task("Z", Estimate::fixed(2.0).unwrap(), &["X", "Y", "W"]));
        }
        let plan = compile(&project(tasks, vec![]));
        let sim = run(&plan, 10_000, 3);
        assert_eq!(sim.criticality[0], 1.0, "X (sink {with_sink})");
        assert_eq!(sim.criticality[1], 1.0, "Y (sink {with_sink})");
        assert_eq!(sim.criticality[2], 0.0, "W (sink {with_sink})");
        if with_sink {
            assert_eq!(sim.criticality[3], 1.0, "Z");
        }
        let det = deterministic(&plan);
        assert!(det.critical[0] && det.critical[1] && !det.critical[2]);
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Deterministic schedule.

#[test]
fn deterministic_diamond_is_hand_computed() {
    // A(3) → {B(5), C(2)} → D(4), listed in reverse file order D, C, B, A.
    let tasks = vec![
        with_cost(
            task("D", est(3.0, 4.0, 9.0, Distribution::Pert), &["B", "C"]),
            25.0,
            &[],
        ),
        with_cost(
            task("C", est(1.0, 2.0, 3.0, Distribution::Triangular), &["A"]),
            50.0,
            &[("rig", 1.0)],
        ),
        with_cost(
            task("B", est(4.0, 5.0, 7.0, Distribution::Uniform), &["A"]),
            0.0,
            &[("eng", 2.0)],
        ),
        with_cost(
            task("A", est(2.0, 3.0, 6.0, Distribution::Pert), &[]),
            100.0,
            &[("eng", 1.0)],
        ),
    ];
    let p = project(
        tasks,
        vec![
            resource("eng", 100.0, RateUnit::Hour, 8.0),
            resource("rig", 500.0, RateUnit::Day, 8.0),
        ],
    );
    let s = deterministic(&compile(&p));
    // Indices: D = 0, C = 1, B = 2, A = 3.
    assert_eq!(s.duration, 12.0);
    assert_eq!(s.early_start, vec![8.0, 3.0, 3.0, 0.0]);
    assert_eq!(s.early_finish, vec![12.0, 5.0, 8.0, 3.0]);
    assert_eq!(s.total_float, vec![0.0, 3.0, 0.0, 0.0]);
    assert_eq!(s.critical, vec![true, false, true, true]);
    assert_eq!(
        s.critical_path,
        vec![3, 2, 0],
        "A, B, D in topological order"
    );
    // Fixed 175; A: 1 × 800/day × 3; B: 2 × 800 × 5; C: 500 × 2; D: none.
    let want = 175.0 + 800.0 * 3.0 + 1600.0 * 5.0 + 500.0 * 2.0;
    assert_eq!(want, 11_575.0);
    assert!(close(s.cost, want, 1e-12), "cost {}", s.cost);
}

// ---------------------------------------------------------------------------------------------
// 8. Per-task mean durations.

#[test]
fn task_mean_durations_match_closed_forms() {
    let specs = [
        ("a", est(2.0, 5.0, 14.0, Distribution::Pert), vec![]),
        ("b", est(0.0, 9.0, 10.0, Distribution::Pert), vec!["a"]),
        ("c", est(1.0, 1.5, 4.0, Distribution::Triangular), vec!["a"]),
        ("d", est(3.0, 3.0, 8.0, Distribution::Triangular), vec![]),
        (
            "e",
            est(2.0, 2.5, 3.0, Distribution::Uniform),
            vec!["c", "d"],
        ),
        ("f", Estimate::fixed(3.25).unwrap(), vec!["b", "e"]),
        ("g", est(4.0, 4.0, 4.0, Distribution::Uniform), vec!["f"]),
    ];
    let tasks = specs.iter().map(|(id, e, d)| task(id, *e, d)).collect();
    let plan = compile(&project(tasks, vec![]));
    let sim = run(&plan, N, 8);
    let n = N as f64;
    // The engine sums in fixed point: each chunk's sum errs by < FIXED_POINT_STEP, over at most
    // n/8 chunks (8 lanes is the narrowest); plus a few ulps for the final divisions.
    let fixed_point = (N.div_ceil(8) as f64) * FIXED_POINT_STEP / n;
    for (i, (id, e, _)) in specs.iter().enumerate() {
        let law = Law::of(e);
        assert!(close(e.mean(), law.mean(), 1e-12), "{id}: Estimate::mean");
        let got = sim.mean_duration[i];
        let tol = Z * law.variance().sqrt() / n.sqrt()
            + law.bias()
            + fixed_point
            + 4.0 * f64::EPSILON * law.mean();
        assert!(
            (got - law.mean()).abs() <= tol,
            "{id}: mean duration {got} vs {} (tol {tol})",
            law.mean()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Deadlines: the probability of finishing by a date.

#[test]
fn deadline_probability_is_the_cdf_at_the_deadlines_working_days() {
    use p80::model::calendar::{parse_date, Calendar, MONDAY_TO_FRIDAY};
    let date = |s: &str| parse_date(s).unwrap();
    // Start Monday 2027-01-04, Monday to Friday, Wednesday 2027-01-06 off: working days
    // 1 = 01-04, 2 = 01-05, 3 = 01-07, 4 = 01-08, 5 = 01-11, 6 = 01-12.
    let cal = Calendar::new(date("2027-01-04"), MONDAY_TO_FRIDAY, [date("2027-01-06")]).unwrap();
    let e = est(2.0, 5.0, 14.0, Distribution::Triangular);
    let p = project(vec![task("a", e, &[])], vec![]);
    let plan = compile(&p);
    let sched = deterministic(&plan);
    let sim = run(&plan, N, 9);
    let law = Law::of(&e);
    // (deadline, working days from the start through it, closed form of F there).
    // Triangular(2, 5, 14): F(x) = (x − 2)²/(12·3) below 5, 1 − (14 − x)²/(12·9) above.
    let cases = [
        ("2027-01-12", 6, 1.0 - 64.0 / 108.0), // a Tuesday: 11/27
        ("2027-01-10", 4, 4.0 / 36.0),         // a Sunday counts as the Friday before
        ("2027-01-06", 2, 0.0),                // a holiday; nothing finishes in 2 days
        ("2027-01-22", 14, 1.0),
    ];
    for (deadline, working_days, exact) in cases {
        let report = p80::stats::Report::new(&p, &sched, &sim, 9, 0.8)
            .with_calendar(&cal, Some(date(deadline)))
            .unwrap();
        let dl = report.deadline.expect("a deadline was given");
        assert_eq!(dl.date, date(deadline));
        assert_eq!(
            dl.working_days, working_days,
            "working days through {deadline}"
        );
        assert!(
            close(law.cdf(working_days as f64), exact, 1e-12),
            "closed form at {working_days}"
        );
        check_probability(
            &format!("P(finish by {deadline})"),
            dl.probability,
            exact,
            exact,
            N,
        );
        // The same number as the empirical CDF of the durations at that many working days.
        let durations = sorted(&sim.durations);
        assert_eq!(
            dl.probability,
            fraction_at_or_below(&durations, working_days as f64 + 1e-9)
        );
        // The plan's 5 working days end on Monday 2027-01-11.
        let fd = report.finish_date.expect("dates with a calendar");
        assert_eq!(fd.deterministic, date("2027-01-11"));
        assert_eq!(fd.at_confidence, fd.p(80).unwrap());
    }
}

// ---------------------------------------------------------------------------------------------
// 9. The fitted distributions: truncated normal, lognormal, trigen.

/// Each fitted law: the closed-form mean and variance agree three ways (mpmath at 40 digits,
/// the test's formulas, p80's `Estimate`); the sample mean, variance and five quantiles (in
/// probability space) match; every draw is ≥ 0; for trigen, o and p are the P10 and P90. The
/// test's formulas go through statrs, whose erfc (0.18) errs by up to ~1e-10 relative, so they
/// are compared with mpmath to 1e-9; p80's own closed forms to 1e-12.
#[test]
fn fitted_distributions_match_closed_forms() {
    let cases = [
        (
            "normal, light truncation",
            est(2.0, 5.0, 14.0, Distribution::Normal),
            201u64,
            // μ = 6, σ = 2: 0.135 % of the normal lies below 0.
            (6.008_875_678_084_251, 3.946_667_153_833_037),
        ),
        (
            "normal, heavy truncation",
            est(0.0, 1.0, 12.0, Distribution::Normal),
            202,
            // μ = 8/3, σ = 2: 9.1 % of the normal lies below 0.
            (3.027_608_787_071_192, 2.907_208_464_639_152),
        ),
        (
            "lognormal",
            est(2.0, 5.0, 14.0, Distribution::LogNormal),
            203,
            // σ = ln 7 / (2·1.6449) = 0.5915, μ = ln 5 + σ².
            (8.450_894_939_506_773, 29.917_623_374_591_154),
        ),
        (
            "lognormal, wide",
            est(1.0, 2.0, 20.0, Distribution::LogNormal),
            204,
            (6.938_179_343_407_672, 62.176_707_509_940_51),
        ),
        (
            "trigen",
            est(4.0, 5.0, 9.0, Distribution::Trigen),
            205,
            // Bounds 2.516640620000198 and 11.377037822090105.
            (6.297_892_814_030_101, 3.481_675_660_372_315),
        ),
        (
            "trigen, minimum near 0",
            est(3.0, 4.0, 12.0, Distribution::Trigen),
            206,
            // Bounds 0.73971421285005382 and 16.409787860160915.
            (7.049_834_024_336_99, 11.393_986_285_006_541),
        ),
    ];
    for (name, e, seed, (mp_mean, mp_var)) in cases {
        let law = Law::of(&e);
        assert!(
            close(law.mean(), mp_mean, 1e-9),
            "{name}: test's own mean {}",
            law.mean()
        );
        assert!(
            close(law.variance(), mp_var, 1e-9),
            "{name}: test's own variance {}",
            law.variance()
        );
        assert!(
            close(e.mean(), mp_mean, 1e-12),
            "{name}: Estimate::mean {}",
            e.mean()
        );
        assert!(
            close(e.variance(), mp_var, 1e-12),
            "{name}: Estimate::variance {}",
            e.variance()
        );

        let plan = compile(&project(vec![task("only", e, &[])], vec![]));
        let sim = run(&plan, N, seed);
        let d = &sim.durations;
        assert!(d.iter().all(|&x| x >= 0.0), "{name}: a negative duration");
        check_mean(name, d, law.mean(), law.variance().sqrt(), 0.0);
        check_variance(name, d, law.variance(), law.excess_kurtosis(), 0.0);
        let s = sorted(d);
        for q in [0.01, 0.1, 0.5, 0.9, 0.99] {
            check_quantile(name, &s, q, |x| law.cdf(x), 0.0);
        }
        if e.distribution == Distribution::Trigen {
            // o and p are the P10 and P90: the share of draws at or below each.
            for (x, q) in [(e.optimistic, 0.1), (e.pessimistic, 0.9)] {
                let got = fraction_at_or_below(&s, x);
                check_probability(&format!("{name}: F({x})"), got, q, q, N);
            }
        }
        if e.distribution == Distribution::Normal {
            // The truncation: no draw below 0, and the share below a small x > 0 is the
            // truncated CDF there (9 % of the untruncated law is cut off in the heavy case).
            assert!(s[0] >= 0.0);
            let x = 0.05 * e.normal_params().1;
            let f = law.cdf(x);
            check_probability(
                &format!("{name}: F({x})"),
                fraction_at_or_below(&s, x),
                f,
                f,
                N,
            );
        }
    }
}

/// A chain of the fitted laws with a triangular and a PERT task: the duration's mean and
/// variance are the sums of the tasks' closed forms (kurtosis from the summed fourth
/// cumulants).
#[test]
fn chain_of_fitted_distributions_sums() {
    let ests = [
        ("N", est(0.0, 1.0, 12.0, Distribution::Normal)),
        ("L", est(2.0, 5.0, 14.0, Distribution::LogNormal)),
        ("G", est(3.0, 4.0, 12.0, Distribution::Trigen)),
        ("T", est(2.0, 4.0, 12.0, Distribution::Triangular)),
        ("P", est(1.0, 3.0, 8.0, Distribution::Pert)),
    ];
    let mut tasks = Vec::new();
    for (i, (id, e)) in ests.iter().enumerate() {
        let deps: Vec<&str> = if i == 0 { vec![] } else { vec![ests[i - 1].0] };
        tasks.push(task(id, *e, &deps));
    }
    let sim = run(&compile(&project(tasks, vec![])), N, 2025);
    let laws: Vec<Law> = ests.iter().map(|(_, e)| Law::of(e)).collect();
    let mu: f64 = laws.iter().map(Law::mean).sum();
    let var: f64 = laws.iter().map(Law::variance).sum();
    let excess = laws.iter().map(Law::kappa4).sum::<f64>() / (var * var);
    let bias: f64 = laws.iter().map(Law::bias).sum();
    check_mean("fitted chain", &sim.durations, mu, var.sqrt(), bias);
    check_variance("fitted chain", &sim.durations, var, excess, bias);
}
