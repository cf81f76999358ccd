//! What drives the risk (`--drivers`): each statistic against an independent reference.
//!
//! The references keep every iteration's values (a test-only collector storing task durations,
//! starts and finishes in per-iteration slots), which the real collector must not do. Every
//! tolerance is derived in a comment: either a hard bound of the binning (the comparison is on
//! the same samples, so there is no Monte Carlo error) or z = 4.5 standard errors.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use p80::engine::collect::{Chunk, Finish, Needs, Slots, DATE_BINS, RANK_BINS};
use p80::engine::{
    self, Bounds, Collector, CompiledPlan, Drivers, RunSpec, Simulation, Standard, TaskDrivers,
};

const Z: f64 = 4.5;

/// Every iteration's duration, start and finish of every task, by position (test only:
/// O(tasks × iterations)).
struct Everything;

impl Collector for Everything {
    type Acc = ();
    type Output = Vec<[Vec<f64>; 4]>;

    fn needs(&self) -> Needs {
        Needs {
            rows: true,
            task_costs: true,
            ..Needs::NOTHING
        }
    }

    fn slots(&self, plan: &CompiledPlan) -> usize {
        4 * plan.len()
    }

    fn start(&self, _plan: &CompiledPlan, _lanes: usize) {}

    fn chunk(&self, _acc: &mut (), chunk: &Chunk, slots: &mut Slots) {
        for pos in 0..chunk.plan().len() {
            let rows = [
                chunk.duration(pos),
                chunk.start(pos),
                chunk.finish(pos),
                chunk.task_cost(pos),
            ];
            for (k, row) in rows.iter().enumerate() {
                for (i, &x) in row.iter().enumerate() {
                    slots.set(i, 4 * pos + k, x);
                }
            }
        }
    }

    fn merge(&self, _acc: &mut (), _other: ()) {}

    fn finish(&self, _acc: (), run: &Finish) -> Vec<[Vec<f64>; 4]> {
        (0..run.plan().len())
            .map(|pos| [0, 1, 2, 3].map(|k| run.column(4 * pos + k)))
            .collect()
    }
}

fn compile(dir: &Path, tasks: &str) -> CompiledPlan {
    compile_with(dir, tasks, None)
}

fn compile_with(dir: &Path, tasks: &str, resources: Option<&str>) -> CompiledPlan {
    fs::write(dir.join("tasks.csv"), tasks).unwrap();
    let toml = dir.join("project.toml");
    let mut text = String::from("[project]\nname = \"D\"\ntasks = \"tasks.csv\"\n");
    if let Some(r) = resources {
        fs::write(dir.join("resources.csv"), r).unwrap();
        text.push_str("resources = \"resources.csv\"\n");
    }
    fs::write(&toml, text).unwrap();
    let loaded = p80::input::load(&toml).unwrap();
    CompiledPlan::compile(&loaded.project)
}

/// Both passes, as `p80 simulate --drivers` runs them, plus the full-storage reference.
fn run(plan: &CompiledPlan, n: usize) -> (Simulation, Vec<TaskDrivers>, Vec<[Vec<f64>; 4]>) {
    let spec = RunSpec::new(n, 7);
    let (sim, bounds) = engine::run(plan, &spec, &(Standard, Bounds::for_plan(plan)));
    let drivers = engine::run(
        plan,
        &spec,
        &Drivers::new(&sim.durations, &sim.costs, &bounds),
    );
    let all = engine::run(plan, &spec, &Everything);
    (sim, drivers, all)
}

/// Mid-ranks (1-based; ties share the mean rank).
fn ranks(x: &[f64]) -> Vec<f64> {
    p80::engine::collect::doubled_midranks(x)
        .into_iter()
        .map(|r| f64::from(r) / 2.0)
        .collect()
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// The hard bound of coarsening `x` to `RANK_BINS` equal-width bins on Spearman's ρ (ρ the
/// exact value). Ranks R = M + E with M the bin's mid-rank and E the rank within the bin
/// (Σ E = 0 in every bin, so cov(M, E) = 0 and σ²_R = σ²_M + σ²_E). Then
/// ρ σ_R = ρ_b σ_M + cov(E, R_y)/σ_y and |cov(E, R_y)| ≤ σ_E σ_y, so with w = σ_E/σ_M:
/// |ρ_b − ρ| ≤ |ρ| (√(1 + w²) − 1) + w. σ²_E = Σ_b c_b (c_b² − 1)/12 / n (ranks within a bin
/// of c values), σ²_R from the exact ranks.
fn binning_bound(x: &[f64], rho: f64) -> f64 {
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let mut counts = vec![0f64; RANK_BINS];
    for &v in x {
        let b = (((v - lo) * RANK_BINS as f64 / (hi - lo)) as usize).min(RANK_BINS - 1);
        counts[b] += 1.0;
    }
    let n = x.len() as f64;
    let var_e = counts.iter().map(|c| c * (c * c - 1.0) / 12.0).sum::<f64>() / n;
    let r = ranks(x);
    let mr = r.iter().sum::<f64>() / n;
    let var_r = r.iter().map(|v| (v - mr) * (v - mr)).sum::<f64>() / n;
    let w = (var_e / (var_r - var_e)).sqrt();
    rho.abs() * ((1.0 + w * w).sqrt() - 1.0) + w
}

/// Type-7 quantile of sorted values, with the gap to the next order statistic.
fn quantile_and_gap(sorted: &[f64], q: f64) -> (f64, f64) {
    let h = (sorted.len() - 1) as f64 * q;
    let (j, frac) = (h.floor() as usize, h - h.floor());
    let next = sorted[(j + 1).min(sorted.len() - 1)];
    let prev = sorted[j.saturating_sub(1)];
    (sorted[j] + frac * (next - sorted[j]), (next - prev).abs())
}

fn sorted(x: &[f64]) -> Vec<f64> {
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

#[test]
fn chain_sensitivities_and_dates_match_a_full_storage_reference() {
    let d = tempfile::tempdir().unwrap();
    let plan = compile(
        d.path(),
        "id,optimistic,likely,pessimistic,distribution,depends_on\n\
         a,2,4,9,,\n\
         b,1,3,20,triangular,a\n\
         c,5,6,8,,b\n\
         e,3,5,7,uniform,c\n",
    );
    let (sim, drivers, all) = run(&plan, 4_000);
    let ry = ranks(&sim.durations);
    for (pos, &task) in plan.network().order().iter().enumerate() {
        let [dur, start, finish, _] = &all[pos];
        let exact = pearson(&ranks(dur), &ry);
        let got = drivers[task].duration_sensitivity;
        let bound = binning_bound(dur, exact);
        assert!(
            (got - exact).abs() <= bound + 1e-12,
            "task {task}: ρ {got} vs exact {exact} (bound {bound})"
        );
        // Start and finish percentiles: within one bin of the exact type-7 value (plus the gap
        // between the two order statistics it interpolates between, which may straddle a bin
        // edge). Bins span the finish range, and starts [min finish − max duration, max finish
        // − min duration].
        let range = |x: &[f64]| {
            x.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                    (a.min(v), b.max(v))
                })
        };
        let (fr, dr) = (range(finish), range(dur));
        let widths = [
            ((fr.1 - dr.0).max(0.0) - (fr.0 - dr.1).max(0.0)) / DATE_BINS as f64,
            (fr.1 - fr.0) / DATE_BINS as f64,
        ];
        for (k, (values, got)) in [(start, drivers[task].start), (finish, drivers[task].finish)]
            .into_iter()
            .enumerate()
        {
            let s = sorted(values);
            for (q, g) in [0.5, 0.8].into_iter().zip(got) {
                let (exact, gap) = quantile_and_gap(&s, q);
                assert!(
                    (g - exact).abs() <= widths[k] + gap + 1e-9,
                    "task {task} {k} P{q}: {g} vs {exact} (bin {})",
                    widths[k]
                );
            }
        }
        // Means and spread: fixed-point sums, exact to 1e-6 per chunk.
        let n = dur.len() as f64;
        let mean = |x: &[f64]| x.iter().sum::<f64>() / n;
        let sd = (dur.iter().map(|x| x * x).sum::<f64>() / n - mean(dur).powi(2)).sqrt();
        assert!((drivers[task].mean_start - mean(start)).abs() < 1e-5);
        assert!((drivers[task].mean_finish - mean(finish)).abs() < 1e-5);
        assert!((drivers[task].duration_sd - sd).abs() < 1e-3);
    }
    // On a chain every task drives: b (the widest) most.
    let b = drivers[1].duration_sensitivity;
    assert!(drivers.iter().all(|t| t.duration_sensitivity <= b));
}

#[test]
fn of_two_parallel_tasks_the_dominant_one_has_sensitivity_one() {
    let d = tempfile::tempdir().unwrap();
    let plan = compile(
        d.path(),
        "id,optimistic,likely,pessimistic,distribution,depends_on\n\
         big,10,12,15,triangular,\n\
         small,1,2,3,triangular,\n\
         end,0,0,0,,big;small\n",
    );
    let n = 4_000;
    let (_, drivers, all) = run(&plan, n);
    // The project duration is big's duration in every iteration: ρ = 1 up to the binning
    // (ρ_b = σ_M/σ_R = 1/√(1 + w²) ≥ 1 − w²/2; w ≈ 1/64 for a spread-out law, so > 0.999).
    let big = drivers[0].duration_sensitivity;
    let bound = binning_bound(
        &all[plan.network().order().iter().position(|&t| t == 0).unwrap()][0],
        1.0,
    );
    assert!(big >= 1.0 - bound && big <= 1.0 + 1e-12, "big: {big}");
    // small is independent of the project duration: ρ = 0 with standard error 1/√(n − 1).
    let small = drivers[1].duration_sensitivity;
    assert!(small.abs() < Z / ((n - 1) as f64).sqrt(), "small: {small}");
    // A milestone never varies.
    assert_eq!(drivers[2].duration_sensitivity, 0.0);
}

/// E[max(X, Y)] for X, Y independent Tri(a, m, b): b − ∫ F(x)² dx (Simpson, 20,000 steps).
fn expected_max_triangular(a: f64, m: f64, b: f64) -> f64 {
    let cdf = |x: f64| {
        if x <= m {
            (x - a) * (x - a) / ((b - a) * (m - a))
        } else {
            1.0 - (b - x) * (b - x) / ((b - a) * (b - m))
        }
    };
    let steps = 20_000;
    let h = (b - a) / steps as f64;
    let mut s = 0.0;
    for i in 0..=steps {
        let w = if i == 0 || i == steps {
            1.0
        } else if i % 2 == 1 {
            4.0
        } else {
            2.0
        };
        s += w * cdf(a + i as f64 * h).powi(2);
    }
    b - s * h / 3.0
}

#[test]
fn merge_bias_of_two_identical_triangular_tasks_is_e_max_minus_mean() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("tasks.csv"),
        "id,name,optimistic,likely,pessimistic,distribution,depends_on\n\
         x,X,2,4,10,triangular,\n\
         y,Y,2,4,10,triangular,\n\
         join,Join,1,1,1,fixed,x;y\n",
    )
    .unwrap();
    fs::write(
        d.path().join("project.toml"),
        "[project]\nname = \"M\"\ntasks = \"tasks.csv\"\n",
    )
    .unwrap();
    let n = 20_000;
    let out = d.path().join("out");
    Command::cargo_bin("p80")
        .unwrap()
        .args(["simulate", "--drivers", "-q", "-n", &n.to_string(), "-o"])
        .arg(&out)
        .arg(d.path().join("project.toml"))
        .assert()
        .success();
    let csv = fs::read_to_string(out.join("merge_bias.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,name,predecessors,mean_start,latest_predecessor_mean_finish,merge_bias"
    );
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&row[..3], &["join", "Join", "x;y"]);
    let bias: f64 = row[5].parse().unwrap();
    let (a, m, b) = (2.0, 4.0, 10.0);
    let expected = expected_max_triangular(a, m, b) - (a + m + b) / 3.0;
    // Standard error: the bias is mean(max(X, Y)) − max(mean X, mean Y); each mean has
    // standard error σ/√n with σ² = (a² + b² + m² − ab − am − bm)/18, and the max of the
    // two sample means is above μ by at most |ε_X| + |ε_Y|: allow Z · 3σ/√n.
    let sigma = ((a * a + b * b + m * m - a * b - a * m - b * m) / 18.0).sqrt();
    let tol = Z * 3.0 * sigma / (n as f64).sqrt();
    assert!(
        (bias - expected).abs() < tol,
        "{bias} vs {expected} ± {tol}"
    );
    assert!(lines.next().is_none(), "one merge point");
}

/// A project with a calendar, a deadline and a budget; `extra` columns for cost.
fn joint_run(d: &Path, tasks: &str, resources: Option<&str>, threads: &str) -> serde_json::Value {
    fs::write(d.join("tasks.csv"), tasks).unwrap();
    let mut toml = String::from(
        "[project]\nname = \"J\"\ntasks = \"tasks.csv\"\nstart = \"2027-01-04\"\n\
         deadline = \"2027-01-18\"\n",
    );
    if let Some(r) = resources {
        fs::write(d.join("resources.csv"), r).unwrap();
        toml.push_str("resources = \"resources.csv\"\n");
    }
    fs::write(d.join("project.toml"), toml).unwrap();
    let out = d.join(format!("out{threads}"));
    Command::cargo_bin("p80")
        .unwrap()
        .args([
            "simulate",
            "--drivers",
            "-q",
            "-n",
            "20000",
            "--budget",
            "5000",
            "-j",
        ])
        .arg(threads)
        .arg("-o")
        .arg(&out)
        .arg(d.join("project.toml"))
        .assert()
        .success();
    serde_json::from_str(&fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn joint_confidence_is_the_smaller_marginal_when_cost_follows_duration() {
    let d = tempfile::tempdir().unwrap();
    // Cost = 500 × duration: the deadline (working day 11) and the budget (10 days) are
    // nested events, so P(both) = min of the marginals, exactly on the same samples.
    let s = joint_run(
        d.path(),
        "id,optimistic,likely,pessimistic,resources\nw,6,10,16,dev\n",
        Some("id,rate\ndev,500\n"),
        "1",
    );
    let joint = s["joint"]["probability"].as_f64().unwrap();
    let pd = s["deadline"]["probability"].as_f64().unwrap();
    let pc = s["budget"]["probability"].as_f64().unwrap();
    assert!((joint - pd.min(pc)).abs() < 1e-9, "{joint} vs {pd} {pc}");
    assert_eq!(s["joint"]["deadline"], "2027-01-18");
    assert_eq!(s["joint"]["budget"].as_f64(), Some(5000.0));
}

#[test]
fn joint_confidence_of_independent_cost_is_the_product_and_outputs_ignore_threads() {
    let d = tempfile::tempdir().unwrap();
    let tasks = "id,optimistic,likely,pessimistic,cost_optimistic,cost_likely,cost_pessimistic\n\
                 w,6,10,16,3000,5000,8000\n";
    let s = joint_run(d.path(), tasks, None, "1");
    let joint = s["joint"]["probability"].as_f64().unwrap();
    let pd = s["deadline"]["probability"].as_f64().unwrap();
    let pc = s["budget"]["probability"].as_f64().unwrap();
    // Standard error of a share of 20,000 independent iterations: √(p(1 − p)/n); the
    // product of the estimated marginals is far more precise than that bound needs.
    let p = pd * pc;
    let se = (p * (1.0 - p) / 20_000.0).sqrt();
    assert!((joint - p).abs() < Z * se, "{joint} vs {p} ± {se}");
    // Every file --drivers writes is the same for 1 and 2 threads.
    joint_run(d.path(), tasks, None, "2");
    for f in fs::read_dir(d.path().join("out1")).unwrap() {
        let name = f.unwrap().file_name();
        let a = fs::read(d.path().join("out1").join(&name)).unwrap();
        let b = fs::read(d.path().join("out2").join(&name)).unwrap();
        assert!(a == b, "{name:?} differs between 1 and 2 threads");
    }
}

#[test]
fn cost_sensitivities_match_a_full_storage_reference() {
    let d = tempfile::tempdir().unwrap();
    // Costs from a fixed rate over the duration, an uncertain rate, and a three-point cost.
    let plan = compile_with(
        d.path(),
        "id,optimistic,likely,pessimistic,depends_on,resources,cost_optimistic,cost_likely,cost_pessimistic\n\
         a,2,4,9,,dev,,,\n\
         b,1,3,20,a,ops,,,\n\
         c,5,6,8,b,,1000,2000,6000\n\
         e,3,5,7,c,dev;ops,,,\n",
        Some("id,rate,rate_optimistic,rate_pessimistic\ndev,500,,\nops,300,200,900\n"),
    );
    let (sim, drivers, all) = run(&plan, 4_000);
    // The tasks' own costs add up to the project cost of each iteration (no certain fixed
    // costs, no risks here): the engine's task costs are the ones it books.
    for (i, &total) in sim.costs.iter().enumerate() {
        let sum: f64 = all.iter().map(|rows| rows[3][i]).sum();
        assert!(
            (sum - total).abs() <= 1e-9 * total,
            "iteration {i}: {sum} vs {total}"
        );
    }
    let ry = ranks(&sim.costs);
    for (pos, &task) in plan.network().order().iter().enumerate() {
        let cost = &all[pos][3];
        let exact = pearson(&ranks(cost), &ry);
        let got = drivers[task].cost_sensitivity;
        let bound = binning_bound(cost, exact);
        assert!(
            (got - exact).abs() <= bound + 1e-12,
            "task {task}: cost ρ {got} vs exact {exact} (bound {bound})"
        );
        assert!(exact.abs() > 0.05, "task {task} drives the cost ({exact})");
    }
}
