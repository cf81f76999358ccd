//! Uncertain costs (three-point fixed costs and rates) and effort-driven durations, against
//! closed forms. Tolerances: z = 4.5 Monte Carlo standard errors from the known variances.

mod support;

use std::fs;

use assert_cmd::Command;
use p80::engine::{self, deterministic, CompiledPlan, RunSpec, Standard};
use support::mean_var;

const Z: f64 = 4.5;
const N: usize = 100_000;

fn load(
    dir: &std::path::Path,
    tasks: &str,
    resources: &str,
    project_extra: &str,
) -> p80::model::Project {
    fs::write(dir.join("tasks.csv"), tasks).unwrap();
    fs::write(dir.join("resources.csv"), resources).unwrap();
    fs::write(
        dir.join("project.toml"),
        format!("[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n{project_extra}"),
    )
    .unwrap();
    p80::input::load(&dir.join("project.toml"))
        .expect("valid project")
        .project
}

#[test]
fn a_three_point_fixed_cost_is_sampled_and_its_likely_value_is_the_plan() {
    let d = tempfile::tempdir().unwrap();
    let p = load(
        d.path(),
        "id,likely,distribution,cost_optimistic,cost_likely,cost_pessimistic\na,5,fixed,100,200,600\n",
        "id,rate\nx,1\n",
        "distribution = \"triangular\"\n",
    );
    let plan = CompiledPlan::compile(&p);
    assert_eq!(deterministic(&plan).cost, 200.0);
    let sim = engine::run(&plan, &RunSpec::new(N, 1), &Standard);
    assert!(sim.costs.iter().all(|&c| (100.0..=600.0).contains(&c)));
    let (m, _) = mean_var(&sim.costs);
    let var = (100f64.powi(2) + 200f64.powi(2) + 600f64.powi(2)
        - 100.0 * 200.0
        - 100.0 * 600.0
        - 200.0 * 600.0)
        / 18.0;
    assert!(
        (m - 300.0).abs() < Z * (var / N as f64).sqrt(),
        "mean cost {m}"
    );
}

#[test]
fn an_uncertain_rate_is_one_draw_shared_by_every_task() {
    // Two tasks of 3 and 4 days use one unit each of a resource whose daily rate is
    // uniform(100, 200): cost = 7 × rate exactly in every iteration.
    let d = tempfile::tempdir().unwrap();
    let p = load(
        d.path(),
        "id,likely,distribution,resources\na,3,fixed,dev\nb,4,fixed,dev\n",
        "id,rate_optimistic,rate,rate_pessimistic\ndev,100,150,200\n",
        "distribution = \"uniform\"\n",
    );
    let plan = CompiledPlan::compile(&p);
    assert_eq!(deterministic(&plan).cost, 7.0 * 150.0);
    let sim = engine::run(&plan, &RunSpec::new(N, 2), &Standard);
    let rate: Vec<f64> = sim.costs.iter().map(|c| c / 7.0).collect();
    assert!(rate.iter().all(|&r| (100.0..=200.0).contains(&r)));
    let (m, v) = mean_var(&rate);
    let (mu, var) = (150.0, 100f64.powi(2) / 12.0);
    assert!(
        (m - mu).abs() < Z * (var / N as f64).sqrt(),
        "mean rate {m}"
    );
    // Variance of the uniform's sample variance: (μ4 − σ⁴)/n with μ4 = 100⁴/80.
    let se_var = ((100f64.powi(4) / 80.0 - var * var) / N as f64).sqrt();
    assert!(
        (v - var).abs() < Z * se_var,
        "a shared draw keeps the uniform's variance: {v} vs {var}"
    );
}

#[test]
fn effort_divides_by_units_with_the_communication_overhead() {
    let d = tempfile::tempdir().unwrap();
    let tasks = "id,effort_optimistic,effort_likely,effort_pessimistic,distribution,resources\n\
                 a,8,10,16,triangular,ds:2\n\
                 b,,6,,,ds\n";
    let p = load(d.path(), tasks, "id,rate\nds,100\n", "");
    // 10 person-days by 2 people: 5 days; 6 by one: 6.
    assert_eq!(
        (
            p.tasks[0].estimate.optimistic,
            p.tasks[0].estimate.likely,
            p.tasks[0].estimate.pessimistic
        ),
        (4.0, 5.0, 8.0)
    );
    assert_eq!(p.tasks[1].estimate.likely, 6.0);
    let q = load(
        d.path(),
        tasks,
        "id,rate\nds,100\n",
        "communication_overhead = 0.1\n",
    );
    // Two people with 10% overhead for the second: 10 / 2 × 1.1 = 5.5.
    assert!((q.tasks[0].estimate.likely - 5.5).abs() < 1e-12);
    assert_eq!(q.tasks[1].estimate.likely, 6.0);
    // Cost follows units and duration: 2 × 100 × 5.5.
    let plan = CompiledPlan::compile(&q);
    assert!((deterministic(&plan).cost - (2.0 * 100.0 * 5.5 + 100.0 * 6.0)).abs() < 1e-9);
}

#[test]
fn effort_below_one_unit_takes_longer_and_pays_no_overhead() {
    // The rule: duration = effort ÷ u × (1 + overhead × max(u − 1, 0)). Hand-computed:
    // a: 10 person-days at half a unit, overhead 0.2: 10 ÷ 0.5 = 20 (not 10 ÷ 0.5 × 0.9 = 18);
    // b: 5 at a tenth of a unit: 50 days; c: 6 at one unit: 6; d: 6 at 1.5 units:
    // 6 ÷ 1.5 × (1 + 0.2 × 0.5) = 4.4; e: 10 at 2 units: 10 ÷ 2 × 1.2 = 6.
    let d = tempfile::tempdir().unwrap();
    let tasks = "id,effort_likely,resources
                 a,10,dev:0.5
b,5,dev:0.1
c,6,dev
d,6,dev:1.5
e,10,dev:2
";
    let p = load(
        d.path(),
        tasks,
        "id,rate
dev,100
",
        "communication_overhead = 0.2
",
    );
    let likely: Vec<f64> = p.tasks.iter().map(|t| t.estimate.likely).collect();
    for (got, want) in likely.iter().zip([20.0, 50.0, 6.0, 4.4, 6.0]) {
        assert!((got - want).abs() < 1e-12, "{likely:?}");
    }
    // Overhead 1 (the case): 5 person-days at dev:0.1 last 50 days, not 5.
    let q = load(
        d.path(),
        "id,effort_likely,resources
b,5,dev:0.1
",
        "id,rate
dev,100
",
        "communication_overhead = 1
",
    );
    assert!((q.tasks[0].estimate.likely - 50.0).abs() < 1e-12);
    // Cost is units × rate × duration: 0.1 × 100 × 50 = the effort's 5 person-days × 100.
    let plan = CompiledPlan::compile(&q);
    assert!((deterministic(&plan).cost - 500.0).abs() < 1e-9);
}

#[test]
fn cost_and_effort_mistakes_are_reported() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("tasks.csv"),
        "id,likely,distribution,cost,cost_likely,effort_likely,resources\n\
         a,3,fixed,10,20,,\n\
         b,,,,,5,\n\
         c,2,fixed,,,4,ds\n",
    )
    .unwrap();
    fs::write(
        d.path().join("resources.csv"),
        "id,rate,rate_optimistic\nds,100,50\n",
    )
    .unwrap();
    fs::write(
        d.path().join("project.toml"),
        "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("p80")
        .unwrap()
        .args(["check", "project.toml"])
        .current_dir(d.path())
        .assert()
        .code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    for want in [
        "tasks.csv:2: field `cost`: give either cost",
        "tasks.csv:3: field `resources`: an effort-driven task needs assigned resources",
        "tasks.csv:4: field `effort_likely`: give either a duration",
        "resources.csv:2: field `rate`: give rate alone",
    ] {
        assert!(err.contains(want), "missing {want:?} in {err}");
    }
}

#[test]
fn risk_level_multipliers_can_be_overridden_in_project_toml() {
    let d = tempfile::tempdir().unwrap();
    let tasks = "id,likely,risk_level\na,10,high\nb,10,low\n";
    let p = load(
        d.path(),
        tasks,
        "id,rate\nx,1\n",
        "[risk_levels]\nhigh = [0.5, 3.0]\n",
    );
    let (a, b) = (p.tasks[0].estimate, p.tasks[1].estimate);
    assert_eq!((a.optimistic, a.pessimistic), (5.0, 30.0));
    // Levels not overridden keep their defaults (low: 0.9, 1.25).
    assert_eq!((b.optimistic, b.pessimistic), (9.0, 12.5));
    fs::write(
        d.path().join("project.toml"),
        "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n[risk_levels]\nmedium = [1.2, 1.5]\n",
    )
    .unwrap();
    Command::cargo_bin("p80")
        .unwrap()
        .args(["check", "project.toml"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "project.toml:4: field `medium`: multipliers (1.2, 1.5)",
        ));
}
