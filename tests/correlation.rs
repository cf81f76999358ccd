//! Correlated sampling (Gaussian copula) against its guarantees: marginals unchanged, rank
//! correlations as asked, the spread of a fully correlated chain, and the repair of an
//! inconsistent matrix against the definition of the nearest correlation matrix. Tolerances
//! come from the Monte Carlo standard error (z = 4.5).
//!
//! Spearman's ρ̂ of n pairs from a Gaussian copula: its Fisher transform atanh(ρ̂) has variance
//! ≈ 1.06/(n − 3) (Fieller, Hartley & Pearson 1957), so SE(ρ̂) ≈ (1 − ρ²)·√(1.06/(n − 3)):
//! 0.0033 at ρ = 0, 0.0024 at ρ = 0.5 and 0.0017 at ρ = 0.7 for n = 100,000. Without the
//! rank → normal conversion 2·sin(πρ/6) a target of 0.7 would give (6/π)·asin(0.35) = 0.683
//! and 0.5 would give 0.483: 0.017 off, 7 to 10 standard errors, so those checks fail.

mod support;

use p80::engine::{self, CompiledPlan, RunSpec, Simulation, Standard};
use p80::model::{self, Project};
use statrs::distribution::{Beta, ContinuousCDF};

const Z: f64 = 4.5;
const N: usize = 100_000;

fn project(tasks: &str, correlations: &[(&[&str], f64)], strict: bool) -> Project {
    support::with_correlations(support::from_csv(tasks, ""), correlations, strict)
}

fn run(p: &Project) -> Simulation {
    let problems = model::validate(p);
    assert!(problems.is_empty(), "{problems:?}");
    engine::run(&CompiledPlan::compile(p), &RunSpec::new(N, 17), &Standard)
}

/// Ranks (0-based; no ties among continuous samples).
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    for (rank, &i) in idx.iter().enumerate() {
        r[i] = rank as f64;
    }
    r
}

/// The tolerance of a sample Spearman correlation around `rho` over N pairs: Z standard
/// errors (see the module documentation).
fn spearman_tolerance(rho: f64) -> f64 {
    Z * (1.0 - rho * rho) * (1.06 / (N as f64 - 3.0)).sqrt()
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let m = (n - 1.0) / 2.0;
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - m) * (y - m)).sum();
    let var: f64 = ra.iter().map(|x| (x - m) * (x - m)).sum();
    cov / var
}

/// Three PERT tasks, each followed by a milestone that exposes its duration.
const THREE: &str = "id,optimistic,likely,pessimistic,depends_on\n\
                     a,2,5,14,\nb,1,3,4,\nc,10,20,50,\n\
                     ma,0,0,0,a\nmb,0,0,0,b\nmc,0,0,0,c\n";

#[test]
fn a_pair_gets_its_rank_correlation_and_keeps_its_marginals() {
    let sim = run(&project(THREE, &[(&["a", "b"], 0.7)], false));
    let (a, b, c) = (
        &sim.milestones[0].finish,
        &sim.milestones[1].finish,
        &sim.milestones[2].finish,
    );
    let rho = spearman(a, b);
    let tol = spearman_tolerance(0.7);
    assert!((rho - 0.7).abs() < tol, "rank correlation {rho} (±{tol})");
    let tol = spearman_tolerance(0.0);
    let rho = spearman(a, c);
    assert!(rho.abs() < tol, "uncorrelated pair {rho} (±{tol})");
    // Marginal of a: PERT(2, 5, 14) = 2 + 12·Beta(2, 4). In probability space, the sample
    // quantiles sit at their levels within z·sqrt(q(1 − q)/n) (plus the table's documented
    // 1.5e-4 × range, as a bias on x).
    let beta = Beta::new(2.0, 4.0).unwrap();
    let mut sorted = a.clone();
    sorted.sort_by(f64::total_cmp);
    for q in [0.1, 0.5, 0.9] {
        let x = sorted[(q * N as f64) as usize];
        let (lo, hi) = (
            beta.cdf((x - 2.0) / 12.0 - 1.5e-4),
            beta.cdf((x - 2.0) / 12.0 + 1.5e-4),
        );
        let tol = Z * (q * (1.0 - q) / N as f64).sqrt() + 1.0 / N as f64;
        assert!(
            lo - tol < q && q < hi + tol,
            "P{}: F = [{lo}, {hi}]",
            q * 100.0
        );
    }
}

#[test]
fn a_group_gets_one_coefficient_for_every_pair() {
    let sim = run(&project(THREE, &[(&["a", "b", "c"], 0.5)], false));
    let f: Vec<&Vec<f64>> = sim.milestones.iter().map(|m| &m.finish).collect();
    for (i, j) in [(0, 1), (0, 2), (1, 2)] {
        let rho = spearman(f[i], f[j]);
        let tol = spearman_tolerance(0.5);
        assert!((rho - 0.5).abs() < tol, "pair {i},{j}: {rho} (±{tol})");
    }
}

#[test]
fn a_fully_correlated_chain_spreads_like_one_task_scaled() {
    // Five identical U(0, 10) tasks in a chain with correlation 1: D = 5·X exactly, so
    // std(D) = 5·10/√12 (instead of √5·10/√12 if independent).
    let tasks = "id,optimistic,likely,pessimistic,distribution,depends_on\n\
                 t1,0,5,10,uniform,\nt2,0,5,10,uniform,t1\nt3,0,5,10,uniform,t2\nt4,0,5,10,uniform,t3\nt5,0,5,10,uniform,t4\n";
    let sim = run(&project(
        tasks,
        &[(&["t1", "t2", "t3", "t4", "t5"], 1.0)],
        false,
    ));
    let n = N as f64;
    let mean = sim.durations.iter().sum::<f64>() / n;
    let var = sim
        .durations
        .iter()
        .map(|d| (d - mean) * (d - mean))
        .sum::<f64>()
        / (n - 1.0);
    let sigma = 5.0 * 10.0 / 12f64.sqrt();
    // SE of the sample std for a uniform (kurtosis 9/5): σ·sqrt((κ − 1)/(4n)).
    let se = sigma * ((1.8 - 1.0) / (4.0 * n)).sqrt();
    assert!(
        (var.sqrt() - sigma).abs() < Z * se,
        "std {} vs {sigma}",
        var.sqrt()
    );
    assert!((mean - 25.0).abs() < Z * sigma / n.sqrt());
}

#[test]
fn an_inconsistent_matrix_is_repaired_with_a_warning_or_rejected_in_strict_mode() {
    let bad: &[(&[&str], f64)] = &[(&["a", "b"], 0.9), (&["b", "c"], 0.9), (&["a", "c"], -0.9)];
    let p = project(THREE, bad, false);
    assert!(model::validate(&p).is_empty());
    let plan = CompiledPlan::compile(&p);
    assert_eq!(plan.warnings().len(), 1);
    assert_eq!(
        plan.warnings()[0],
        "the correlations among 3 tasks were inconsistent and were repaired to the \
         nearest valid matrix: the largest rank correlation moved by 0.417"
    );
    let strict = project(THREE, bad, true);
    let d = model::validate(&strict);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].to_string(),
        "correlations.csv:2: field `coefficient`: the correlations are inconsistent (the matrix \
         is not positive semi-definite; smallest eigenvalue -0.816); lower some coefficients, or \
         drop strict mode to repair it"
    );
}

#[test]
fn correlated_runs_do_not_depend_on_thread_count() {
    let p = project(THREE, &[(&["a", "b", "c"], 0.4)], false);
    let plan = CompiledPlan::compile(&p);
    let go = |t| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .unwrap()
            .install(|| engine::run(&plan, &RunSpec::new(5_000, 3), &Standard))
    };
    assert_eq!(go(1), go(2));
}

#[test]
fn bad_correlations_are_reported() {
    let p = project(
        THREE,
        &[
            (&["a", "zz"], 0.5),
            (&["ma", "b"], 0.5),
            (&["a", "b"], 0.2),
            (&["b", "a"], 0.3),
        ],
        false,
    );
    let d: Vec<String> = model::validate(&p).iter().map(|d| d.to_string()).collect();
    assert_eq!(
        d,
        [
            "correlations.csv:2: field `tasks`: unknown task `zz`",
            "correlations.csv:3: field `tasks`: `ma` has a fixed duration; only uncertain \
             durations can be correlated",
            "correlations.csv:5: field `tasks`: `a` and `b` are given two coefficients (0.2 and \
             0.3); keep one",
        ]
    );
}

/// Latin hypercube sampling: the standard error of an estimated mean, measured over
/// independent replications, is far smaller than plain Monte Carlo's on the same plan.
#[test]
fn latin_hypercube_has_a_smaller_standard_error_than_plain_sampling() {
    use p80::engine::Sampling;
    // A chain of three PERT tasks: the mean duration is linear in the draws, where LHS shines.
    let tasks = "id,optimistic,likely,pessimistic,depends_on\na,2,5,14,\nb,1,3,4,a\nc,10,20,50,b\n";
    let p = project(tasks, &[], false);
    let plan = CompiledPlan::compile(&p);
    let reps = 100;
    let spread = |sampling| {
        let means: Vec<f64> = (0..reps)
            .map(|seed| {
                let s = engine::run(
                    &plan,
                    &RunSpec::new(1_000, seed).with_sampling(sampling),
                    &Standard,
                );
                s.durations.iter().sum::<f64>() / 1_000.0
            })
            .collect();
        let m = means.iter().sum::<f64>() / reps as f64;
        (means.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (reps - 1) as f64).sqrt()
    };
    let (plain, latin) = (spread(Sampling::Random), spread(Sampling::LatinHypercube));
    eprintln!("standard error of the mean over {reps} replications of 1,000 iterations: plain {plain:.4}, LHS {latin:.4} ({:.0}x smaller)", plain / latin);
    // The ratio of two sample standard deviations over 100 replications is known to within
    // ~±30% (z = 4.5 would allow far less than the 10x seen); require a conservative 3x.
    assert!(latin * 3.0 < plain, "plain {plain}, LHS {latin}");
    // And LHS keeps every marginal: each task's 1,000 draws fill the 1,000 strata once.
}

/// The repair against the definition of the nearest correlation matrix (Higham 2002): the
/// result is symmetric, has a unit diagonal, is positive semi-definite, and no correlation
/// matrix on a grid of all 3 × 3 correlation matrices (step 0.02 in each off-diagonal entry,
/// PSD by its determinant and minors), nor any within ±0.02 of the result (step 0.0005), is
/// nearer in the Frobenius norm. Checked on the classic
/// inconsistent triple and on random symmetric matrices that are not PSD.
#[test]
fn the_repair_is_the_nearest_correlation_matrix() {
    use nalgebra::{DMatrix, SymmetricEigen};
    use p80::model::correlation_matrix::nearest_correlation;
    use rand::Rng;

    let matrix =
        |x: f64, y: f64, z: f64| DMatrix::from_row_slice(3, 3, &[1.0, x, y, x, 1.0, z, y, z, 1.0]);
    // Every correlation matrix on the grid: |x|, |y|, |z| ≤ 1 and det ≥ 0 (the 2 × 2 minors
    // 1 − x² etc. are then ≥ 0 too), which for a unit diagonal is PSD.
    let steps = 100;
    let grid: Vec<f64> = (0..=steps)
        .map(|k| -1.0 + 2.0 * k as f64 / steps as f64)
        .collect();
    let nearest_on_grid = |a: &DMatrix<f64>| {
        let mut best = f64::INFINITY;
        for &x in &grid {
            for &y in &grid {
                for &z in &grid {
                    if 1.0 - x * x - y * y - z * z + 2.0 * x * y * z >= 0.0 {
                        // ‖G − A‖_F with G = matrix(x, y, z); diagonals are both 1.
                        let d = (x - a[(0, 1)]).powi(2)
                            + (y - a[(0, 2)]).powi(2)
                            + (z - a[(1, 2)]).powi(2);
                        best = best.min((2.0 * d).sqrt());
                    }
                }
            }
        }
        best
    };
    let nearest_around = |h: &DMatrix<f64>, a: &DMatrix<f64>| {
        let mut best = f64::INFINITY;
        let offsets: Vec<f64> = (-40..=40).map(|k| k as f64 * 0.0005).collect();
        for &dx in &offsets {
            for &dy in &offsets {
                for &dz in &offsets {
                    let (x, y, z) = (h[(0, 1)] + dx, h[(0, 2)] + dy, h[(1, 2)] + dz);
                    if x.abs() <= 1.0
                        && y.abs() <= 1.0
                        && z.abs() <= 1.0
                        && 1.0 - x * x - y * y - z * z + 2.0 * x * y * z >= 0.0
                    {
                        let d = (x - a[(0, 1)]).powi(2)
                            + (y - a[(0, 2)]).powi(2)
                            + (z - a[(1, 2)]).powi(2);
                        best = best.min((2.0 * d).sqrt());
                    }
                }
            }
        }
        best
    };
    let mut cases = vec![matrix(0.9, -0.9, 0.9).map(p80::engine::correlation::normal_from_rank)];
    let mut g = support::rng(11);
    while cases.len() < 6 {
        let (x, y, z) = (
            g.random_range(-1.0..1.0),
            g.random_range(-1.0..1.0),
            g.random_range(-1.0..1.0),
        );
        let m = matrix(x, y, z);
        if SymmetricEigen::new(m.clone()).eigenvalues.min() < -0.05 {
            cases.push(m);
        }
    }
    for a in &cases {
        let h = nearest_correlation(a);
        assert!((&h - h.transpose()).amax() < 1e-12, "not symmetric: {h}");
        for i in 0..3 {
            assert!((h[(i, i)] - 1.0).abs() < 1e-12, "diagonal {}", h[(i, i)]);
        }
        let min_eig = SymmetricEigen::new(h.clone()).eigenvalues.min();
        assert!(min_eig > -1e-9, "not PSD: smallest eigenvalue {min_eig}");
        let (got, grid_best) = ((&h - a).norm(), nearest_on_grid(a));
        // The nearest correlation matrix is at least as near as every one on the grid.
        assert!(
            got <= grid_best + 1e-9,
            "repair at {got}, a grid matrix at {grid_best}: {a}"
        );
        // And locally: no correlation matrix within ±0.02 of it (step 0.0005) is nearer.
        let local_best = nearest_around(&h, a);
        assert!(
            got <= local_best + 1e-9,
            "repair at {got}, a neighbour at {local_best}: {a}"
        );
    }
}
