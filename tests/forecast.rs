//! Throughput forecasts checked against closed forms.
//!
//! The bootstrap draws each period's throughput uniformly from the history, so a history of
//! two values is a Bernoulli or a shifted binomial process, whose periods-to-finish and
//! items-by-a-date have exact laws:
//!
//! * throughput 1 with probability p, else 0: the periods needed for B items are negative
//!   binomial, P(N ≤ k) = P(at least B successes in k trials);
//! * throughput 1 or 2 (2 with probability p): S_k = k + Binomial(k, p), so
//!   P(N ≤ k) = P(S_k ≥ B) = P(Binomial(k, p) ≥ B − k);
//! * items done in K periods of throughput a or b: K·a + (b − a)·Binomial(K, p).
//!
//! Laws are taken from statrs (an independent implementation). Tolerances come from the Monte
//! Carlo standard error, as in tests/statistics.rs: an empirical probability p̂ of n iterations
//! is within Z·√(p(1 − p)/n) of p (Z = 4.5, two-sided false alarm ≈ 6.8e-6 per check; the seeds
//! are fixed, so the tests are deterministic anyway). A P-value k̂_q (an order statistic) is
//! checked in probability space: F(k̂_q) ≥ q − Z·se and F(k̂_q − 1) ≤ q + Z·se, and it must be
//! exactly the exact law's k_q whenever q is more than Z·se from both F(k_q − 1) and F(k_q).

mod support;

use std::path::PathBuf;

use p80::engine::forecast::{bootstrap, CompiledForecast, Samples};
use p80::engine::forecast_exact::periods_distribution;
use p80::engine::{self, CompiledPlan, Outcomes, RunSpec, Sampling};
use p80::model::calendar::parse_date;
use p80::model::forecast::{Backlog, Forecast, History, Period, SplitRate, Target};
use p80::model::{Calendar, Distribution, Estimate, Project, Task};
use p80::stats::forecast::{at_least, at_most, Answer, ForecastReport, FORECAST_PERCENTILES};
use statrs::distribution::{Binomial, DiscreteCDF, NegativeBinomial};

/// Standard errors per check.
const Z: f64 = 4.5;
/// Iterations per statistical test.
const N: usize = 200_000;

fn history(items: &[u32]) -> History {
    History {
        file: PathBuf::from("history.csv"),
        periods: items
            .iter()
            .enumerate()
            .map(|(i, &n)| Period {
                line: i + 2,
                number: Some(i as i64 + 1),
                end_date: None,
                items_done: n,
            })
            .collect(),
    }
}

fn when(items: &[u32], backlog: Estimate, split: SplitRate) -> Forecast {
    Forecast {
        name: None,
        history: history(items),
        period_length: 10,
        last_periods: None,
        target: Target::Backlog(Backlog {
            items: backlog,
            split,
        }),
        file: PathBuf::from("project.toml"),
        target_line: 1,
        last_periods_line: None,
    }
}

fn how_many(items: &[u32], periods: u32) -> Forecast {
    Forecast {
        target: Target::Until {
            date: parse_date("2030-01-01").unwrap(),
            working_days: u64::from(periods) * 10,
            periods,
        },
        ..when(items, Estimate::fixed(1.0).unwrap(), SplitRate::NONE)
    }
}

fn run(f: &Forecast, n: usize, seed: u64) -> Samples {
    let s = bootstrap(&CompiledForecast::compile(f), n, seed);
    assert_eq!(s.capped, 0);
    s
}

fn sorted(s: &Samples) -> Vec<u64> {
    let mut v = s.values.clone();
    v.sort_unstable();
    v
}

/// The empirical CDF of ascending `sorted` at `k`.
fn ecdf(sorted: &[u64], k: u64) -> f64 {
    sorted.partition_point(|&v| v <= k) as f64 / sorted.len() as f64
}

/// Monte Carlo tolerance of a probability `p` estimated from `n` iterations.
fn tol(p: f64, n: usize) -> f64 {
    Z * (p * (1.0 - p) / n as f64).sqrt()
}

/// Checks the empirical CDF of `sorted` against `cdf` at every k in `ks`, and every P-value
/// of the P-table (smallest k with F̂(k) ≥ q) against the exact one.
fn check_law(sorted: &[u64], cdf: &dyn Fn(u64) -> f64, ks: std::ops::RangeInclusive<u64>) {
    let n = sorted.len();
    for k in ks {
        let (got, want) = (ecdf(sorted, k), cdf(k));
        assert!(
            (got - want).abs() <= tol(want, n),
            "F({k}): {got} vs exact {want} (tolerance {})",
            tol(want, n)
        );
    }
    for q in FORECAST_PERCENTILES.map(|p| f64::from(p) / 100.0) {
        let k = at_most(sorted, q).unwrap();
        let se = tol(q, n);
        let below = if k == 0 { 0.0 } else { cdf(k - 1) };
        assert!(cdf(k) >= q - se, "P{q}: {k} has F = {} < {q}", cdf(k));
        assert!(below <= q + se, "P{q}: {k} − 1 already has F = {below}");
        // The exact P-value: the smallest k with F(k) ≥ q.
        let mut exact = 0;
        while cdf(exact) < q {
            exact += 1;
        }
        let far = (cdf(exact) - q).abs() > se && (q - cdf(exact.saturating_sub(1))).abs() > se;
        if far {
            assert_eq!(k, exact, "P{q}");
        }
    }
}

#[test]
fn constant_throughput_gives_a_certain_answer() {
    // 23 items at 5 a period: ⌈23 / 5⌉ = 5 periods in every iteration, every P-value 5.
    let f = when(
        &[5, 5, 5, 5, 5],
        Estimate::fixed(23.0).unwrap(),
        SplitRate::NONE,
    );
    let s = run(&f, 10_000, 1);
    assert!(s.values.iter().all(|&v| v == 5));
    let cal = Calendar::weekdays(parse_date("2027-03-01").unwrap());
    let r = ForecastReport::new("t", &f, &s, 1, 0.8, Some(&cal)).unwrap();
    let Answer::When { rows, plan, .. } = &r.answer else {
        panic!("when")
    };
    for row in rows {
        assert_eq!((row.periods, row.working_days), (5, 50));
        // Working day 50 from Monday 2027-03-01 (weekdays): Friday 2027-05-07.
        assert_eq!(row.date, parse_date("2027-05-07"));
    }
    assert_eq!(plan.unwrap().periods, 5);
    // The exact law is the same point mass.
    let d = periods_distribution(&CompiledForecast::compile(&f)).unwrap();
    assert_eq!((d.first, d.probabilities), (5, vec![1.0]));
    // How many in 7 periods: exactly 35.
    let s = run(&how_many(&[5, 5, 5], 7), 10_000, 1);
    assert!(s.values.iter().all(|&v| v == 35));
}

#[test]
fn bernoulli_throughput_needs_negative_binomial_periods() {
    // History 1, 0, 0, 1, 0: one item with p = 2/5. B = 4 items: N − 4 failures before the
    // 4th success, negative binomial.
    let f = when(
        &[1, 0, 0, 1, 0],
        Estimate::fixed(4.0).unwrap(),
        SplitRate::NONE,
    );
    let nb = NegativeBinomial::new(4.0, 0.4).unwrap();
    let cdf = |k: u64| if k < 4 { 0.0 } else { nb.cdf(k - 4) };
    let samples = run(&f, N, 42);
    // Iterations are independent: consecutive ones are uncorrelated (SE 1/√n).
    let x: Vec<f64> = samples.values.iter().map(|&v| v as f64).collect();
    let m = x.iter().sum::<f64>() / N as f64;
    let var = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>();
    let lag1 = x.windows(2).map(|w| (w[0] - m) * (w[1] - m)).sum::<f64>() / var;
    assert!(
        lag1.abs() < Z / (N as f64).sqrt(),
        "lag-1 correlation {lag1}"
    );
    let s = sorted(&samples);
    check_law(&s, &cdf, 0..=40);
    // The mean: B / p = 10 periods, standard deviation √(B(1 − p))/p.
    let mean = s.iter().sum::<u64>() as f64 / N as f64;
    let sd = (4.0f64 * 0.6).sqrt() / 0.4;
    assert!((mean - 10.0).abs() < Z * sd / (N as f64).sqrt(), "{mean}");
    // The exact engine gives the same law to rounding.
    let d = periods_distribution(&CompiledForecast::compile(&f)).unwrap();
    for k in 0..200u32 {
        assert!((d.cdf(k) - cdf(u64::from(k))).abs() < 1e-12, "k = {k}");
    }
}

#[test]
fn one_or_two_items_need_binomial_periods() {
    // History 1, 2, 2, 1, 2, 2, 2, 1: two items with p = 5/8. S_k = k + Binomial(k, 5/8), so
    // P(N ≤ k) = P(Binomial(k, 5/8) ≥ 30 − k) for 30 items.
    let f = when(
        &[1, 2, 2, 1, 2, 2, 2, 1],
        Estimate::fixed(30.0).unwrap(),
        SplitRate::NONE,
    );
    let cdf = |k: u64| -> f64 {
        if k == 0 {
            return 0.0;
        }
        let need = 30i64 - k as i64; // successes needed among k periods
        if need <= 0 {
            return 1.0;
        }
        if need as u64 > k {
            return 0.0;
        }
        Binomial::new(0.625, k).unwrap().sf(need as u64 - 1)
    };
    let s = sorted(&run(&f, N, 7));
    check_law(&s, &cdf, 10..=30);
    let d = periods_distribution(&CompiledForecast::compile(&f)).unwrap();
    for k in 0..=30u32 {
        assert!((d.cdf(k) - cdf(u64::from(k))).abs() < 1e-12, "k = {k}");
    }
}

#[test]
fn items_by_a_date_are_binomial_and_p80_is_the_20th_percentile() {
    // 12 periods of 3 or 7 items (7 with p = 1/4): S = 36 + 4·Binomial(12, 1/4).
    let f = how_many(&[3, 3, 7, 3], 12);
    let bin = Binomial::new(0.25, 12).unwrap();
    // P(S ≥ x) = P(Binomial ≥ ⌈(x − 36)/4⌉).
    let at_least_x = |x: u64| -> f64 {
        if x <= 36 {
            return 1.0;
        }
        let j = (x - 36).div_ceil(4);
        if j > 12 {
            0.0
        } else if j == 0 {
            1.0
        } else {
            bin.sf(j - 1)
        }
    };
    let samples = run(&f, N, 99);
    let s = sorted(&samples);
    for x in (36..=84).step_by(4) {
        let (got, want) = (
            s.iter().filter(|&&v| v >= x).count() as f64 / N as f64,
            at_least_x(x),
        );
        assert!(
            (got - want).abs() <= tol(want, N),
            "S({x}): {got} vs {want}"
        );
    }
    for q in FORECAST_PERCENTILES.map(|p| f64::from(p) / 100.0) {
        let x = at_least(&s, q).unwrap();
        let se = tol(q, N);
        // In at least q of the iterations, and x + 1 (the next possible count, x + 4) not.
        assert!(at_least_x(x) >= q - se, "P{q}: {x}");
        assert!(at_least_x(x + 1) <= q + se, "P{q}: {x} + 1");
        // The exact: the largest x with P(S ≥ x) ≥ q.
        let exact = (36..=84).rev().find(|&x| at_least_x(x) >= q).unwrap();
        if (at_least_x(exact) - q).abs() > se && (at_least_x(exact + 1) - q).abs() > se {
            assert_eq!(x, exact, "P{q}");
        }
    }
    // P80 counts the items reached in 80% of iterations: the 20th percentile from below,
    // never the 80th. Exactly: P(S ≥ 44) = P(B ≥ 2) = 0.842 ≥ 0.8 > P(S ≥ 48) = 0.609, while
    // the 80th percentile from below is 52 (P(B ≤ 3) = 0.649 < 0.8 ≤ P(B ≤ 4) = 0.842).
    assert_eq!(at_least(&s, 0.8), Some(44));
    assert_eq!(at_least(&s, 0.8), at_most(&s, 0.2));
    assert_eq!(at_most(&s, 0.8), Some(52));
    let r = ForecastReport::new("t", &f, &samples, 1, 0.8, None).unwrap();
    let Answer::HowMany {
        rows,
        at_confidence,
        plan,
        ..
    } = &r.answer
    else {
        panic!("how many")
    };
    assert_eq!(at_confidence.items, 44);
    let p80 = rows.iter().find(|r| (r.level - 0.8).abs() < 1e-12).unwrap();
    let p50 = rows.iter().find(|r| (r.level - 0.5).abs() < 1e-12).unwrap();
    assert_eq!(p80.items, 44);
    assert!(p50.items > p80.items, "more confidence, fewer items");
    // The plan at the mean throughput (4 a period): 48 items.
    assert_eq!(*plan, 48.0);
}

#[test]
fn a_split_rate_and_a_range_of_items_follow_their_laws() {
    // Constant throughput 4: N = ⌈I/4⌉. Items I = ⌊x·s + 1/2⌋.
    // 1. A fixed backlog of 40 with s uniform on [1, 1.5]: P(I ≤ b) = ((b + 1/2)/40 − 1)/0.5.
    let f = when(
        &[4, 4],
        Estimate::fixed(40.0).unwrap(),
        SplitRate {
            low: 1.0,
            high: 1.5,
        },
    );
    let items_cdf = |b: f64| (((b + 0.5) / 40.0 - 1.0) / 0.5).clamp(0.0, 1.0);
    let cdf = |k: u64| items_cdf(4.0 * k as f64);
    let s = sorted(&run(&f, N, 3));
    check_law(&s, &cdf, 9..=16);
    let d = periods_distribution(&CompiledForecast::compile(&f)).unwrap();
    for k in 0..=16u32 {
        assert!((d.cdf(k) - cdf(u64::from(k))).abs() < 1e-12, "k = {k}");
    }
    // 2. A uniform backlog [30, 50], no split: P(I ≤ b) = (b + 1/2 − 30)/20.
    let f = when(
        &[4, 4],
        Estimate::new(30.0, 40.0, 50.0, Distribution::Uniform).unwrap(),
        SplitRate::NONE,
    );
    let cdf = |k: u64| ((4.0 * k as f64 + 0.5 - 30.0) / 20.0).clamp(0.0, 1.0);
    let s = sorted(&run(&f, N, 4));
    check_law(&s, &cdf, 7..=13);
    let d = periods_distribution(&CompiledForecast::compile(&f)).unwrap();
    for k in 0..=13u32 {
        assert!((d.cdf(k) - cdf(u64::from(k))).abs() < 1e-9, "k = {k}");
    }
}

#[test]
fn the_bootstrap_and_the_exact_law_agree_with_every_feature() {
    // A PERT backlog, a split range and an uneven history with zeros: no closed form, but the
    // bootstrap must sample the exact engine's law.
    let f = when(
        &[0, 3, 5, 2, 8, 4, 0, 6, 7, 3],
        Estimate::new(40.0, 55.0, 90.0, Distribution::Pert).unwrap(),
        SplitRate {
            low: 1.0,
            high: 1.3,
        },
    );
    let d = periods_distribution(&CompiledForecast::compile(&f)).unwrap();
    assert!((d.probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    let s = sorted(&run(&f, N, 5));
    let last = d.first + d.probabilities.len() as u32;
    check_law(
        &s,
        &|k| d.cdf(k as u32),
        u64::from(d.first)..=u64::from(last),
    );
}

#[test]
fn the_last_periods_only_are_resampled() {
    // The last 3 periods are 6, 6, 6: certain, whatever came before.
    let mut f = when(
        &[1, 0, 9, 6, 6, 6],
        Estimate::fixed(24.0).unwrap(),
        SplitRate::NONE,
    );
    f.last_periods = Some(3);
    assert!(run(&f, 5_000, 1).values.iter().all(|&v| v == 4));
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let f = when(
        &[0, 3, 5, 2, 8, 4, 0, 6, 7, 3],
        Estimate::new(40.0, 55.0, 90.0, Distribution::Pert).unwrap(),
        SplitRate {
            low: 1.0,
            high: 1.3,
        },
    );
    let c = CompiledForecast::compile(&f);
    let runs: Vec<Samples> = [1, 2, 3, 7]
        .iter()
        .map(|&t| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .unwrap();
            pool.install(|| bootstrap(&c, 10_007, 80))
        })
        .collect();
    for r in &runs[1..] {
        assert_eq!(r, &runs[0]);
    }
    // A longer run extends a shorter one: iteration i's draws do not depend on the count.
    let longer = bootstrap(&c, 20_000, 80);
    assert_eq!(&longer.values[..10_007], &runs[0].values[..]);
}

/// A plan: `design` (fixed 3 days), then `sprints`, whose duration comes from `forecast`.
fn plan(forecast: Forecast) -> Project {
    let task = |id: &str, estimate: Estimate, deps: &[&str], forecast: Option<&str>| Task {
        forecast: forecast.map(str::to_string),
        ..support::task(id, estimate, deps)
    };
    Project {
        name: "plan".into(),
        currency: String::new(),
        tasks: vec![
            task("design", Estimate::fixed(3.0).unwrap(), &[], None),
            task(
                "sprints",
                Estimate::fixed(0.0).unwrap(),
                &["design"],
                Some("team"),
            ),
        ],
        resources: vec![],
        risks: vec![],
        risks_file: None,
        correlations: vec![],
        strict_correlation: false,
        tasks_file: PathBuf::from("tasks.csv"),
        resources_file: None,
        communication_overhead: 0.0,
        forecasts: vec![Forecast {
            name: Some("team".into()),
            ..forecast
        }],
    }
}

#[test]
fn a_task_samples_the_forecasts_exact_law() {
    // The negative binomial of the Bernoulli history above, in periods of 10 working days,
    // after a fixed 3-day design: P(duration ≤ 3 + 10k) = P(N ≤ k).
    let f = when(
        &[1, 0, 0, 1, 0],
        Estimate::fixed(4.0).unwrap(),
        SplitRate::NONE,
    );
    let nb = NegativeBinomial::new(4.0, 0.4).unwrap();
    let cdf = |k: u64| if k < 4 { 0.0 } else { nb.cdf(k - 4) };
    let compiled = CompiledPlan::compile(&plan(f));
    for sampling in [Sampling::Random, Sampling::LatinHypercube] {
        let sim = engine::run(
            &compiled,
            &RunSpec::new(N, 11).with_sampling(sampling),
            &Outcomes,
        );
        let mut periods: Vec<u64> = sim
            .durations
            .iter()
            .map(|&d| {
                let k = (d - 3.0) / 10.0;
                assert_eq!(k, k.round(), "whole periods: {d}");
                k as u64
            })
            .collect();
        periods.sort_unstable();
        // Latin hypercube draws are less variable than plain ones: the plain Monte Carlo
        // tolerance is conservative for them.
        check_law(&periods, &cdf, 0..=40);
    }
}
