//! Team billing (`billing = team`: paid for the capacity every day on the project) and
//! availability windows (`available_from` / `available_until`), on hand-computed plans.
//! Costs here are exact per iteration (sums of a few products), so the tolerances are float
//! rounding (relative 1e-9), not Monte Carlo error; means are compared with the same
//! iterations' own durations, which is exact by linearity.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use p80::engine::{self, deterministic, CompiledPlan, RunSpec, Standard};
use p80::input::{resources_csv, tasks_csv};
use p80::model::{self, Distribution, Project};
use p80::stats::Report;

fn project(tasks: &str, resources: &str) -> Project {
    let p = Project {
        name: "team".into(),
        currency: String::new(),
        tasks: tasks_csv::read(
            Path::new("tasks.csv"),
            tasks,
            Distribution::Pert,
            &Default::default(),
        )
        .expect("tasks"),
        resources: resources_csv::read(Path::new("resources.csv"), resources).expect("resources"),
        tasks_file: "tasks.csv".into(),
        resources_file: Some("resources.csv".into()),
        risks: vec![],
        risks_file: None,
        correlations: vec![],
        strict_correlation: false,
        communication_overhead: 0.0,
        forecasts: vec![],
    };
    let problems = model::validate(&p);
    assert!(problems.is_empty(), "{problems:?}");
    p
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn a_team_on_a_chain_costs_rate_times_capacity_times_duration_in_every_iteration() {
    // Two people billed as a team at 100 a day; a chain whose first task uses one of them and
    // whose second uses none. Whatever the durations, the team is paid 2 × 100 × the project
    // duration, and the task time is not paid again; the fixed cost 50 is added once.
    let p = project(
        "id,optimistic,likely,pessimistic,depends_on,resources,cost\n\
         a,2,4,9,,dev,50\nb,1,3,8,a,,\n",
        "id,rate,capacity,billing\ndev,100,2,team\n",
    );
    let plan = CompiledPlan::compile(&p);
    let s = deterministic(&plan);
    assert!(
        close(s.cost, 50.0 + 2.0 * 100.0 * 7.0),
        "plan cost {}",
        s.cost
    );
    let sim = engine::run(&plan, &RunSpec::new(5_000, 3), &Standard);
    for (&d, &c) in sim.durations.iter().zip(&sim.costs) {
        assert!(close(c, 50.0 + 200.0 * d), "cost {c} for duration {d}");
    }
    // The same with an uncertain rate: one draw per iteration, cost / (2 × duration) is it.
    let p = project(
        "id,optimistic,likely,pessimistic,depends_on,resources\na,2,4,9,,dev\nb,1,3,8,a,\n",
        "id,rate_optimistic,rate,rate_pessimistic,capacity,billing\ndev,80,100,150,2,team\n",
    );
    let sim = engine::run(
        &CompiledPlan::compile(&p),
        &RunSpec::new(2_000, 3),
        &Standard,
    );
    for (&d, &c) in sim.durations.iter().zip(&sim.costs) {
        let rate = c / (2.0 * d);
        assert!((80.0 - 1e-9..=150.0 + 1e-9).contains(&rate), "rate {rate}");
    }
    let spread = sim
        .costs
        .iter()
        .zip(&sim.durations)
        .map(|(c, d)| c / d)
        .fold((f64::MAX, f64::MIN), |(lo, hi), r| (lo.min(r), hi.max(r)));
    assert!(spread.1 - spread.0 > 1.0, "the rate is drawn: {spread:?}");
}

#[test]
fn an_idle_second_person_shows_as_idle_cost() {
    // Two data engineers billed as a team at 600 a day, but every task needs one: a chain of
    // 3 + 5 fixed days. Paid 2 × 8 = 16 person-days (9,600), busy 8, idle 8 (4,800).
    let p = project(
        "id,likely,distribution,depends_on,resources\na,3,fixed,,de\nb,5,fixed,a,de\n",
        "id,rate,capacity,billing\nde,600,2,team\n",
    );
    let plan = CompiledPlan::compile(&p);
    let s = deterministic(&plan);
    let sim = engine::run(&plan, &RunSpec::new(100, 1), &Standard);
    let r = Report::new(&p, &s, &sim, 1, 0.8);
    let de = &r.resources[0];
    assert_eq!(
        (
            de.mean_busy_days,
            de.mean_cost,
            de.mean_idle_days,
            de.mean_idle_cost
        ),
        (8.0, 9_600.0, Some(8.0), Some(4_800.0))
    );
    assert!(sim.costs.iter().all(|&c| c == 9_600.0));
    // Billed by task, the same people cost only their busy days and have no idle cost.
    let p = project(
        "id,likely,distribution,depends_on,resources\na,3,fixed,,de\nb,5,fixed,a,de\n",
        "id,rate,capacity\nde,600,2\n",
    );
    let plan = CompiledPlan::compile(&p);
    let sim = engine::run(&plan, &RunSpec::new(100, 1), &Standard);
    let r = Report::new(&p, &deterministic(&plan), &sim, 1, 0.8);
    let de = &r.resources[0];
    assert_eq!(
        (de.mean_cost, de.mean_idle_days, de.mean_idle_cost),
        (4_800.0, None, None)
    );
}

#[test]
fn idle_time_is_paid_time_minus_busy_time_on_random_durations() {
    // A team of 2 on a chain where each task uses one unit: paid 2 × E[duration], busy
    // E[duration] (linearity), so idle = E[duration], each iteration's exactly.
    let p = project(
        "id,optimistic,likely,pessimistic,depends_on,resources\na,2,4,9,,ds\nb,1,3,8,a,ds\n",
        "id,rate,capacity,billing\nds,700,2,team\n",
    );
    let plan = CompiledPlan::compile(&p);
    let sim = engine::run(&plan, &RunSpec::new(4_000, 9), &Standard);
    let r = Report::new(&p, &deterministic(&plan), &sim, 9, 0.8);
    let mean = sim.durations.iter().sum::<f64>() / sim.durations.len() as f64;
    let ds = &r.resources[0];
    assert!(close(ds.mean_cost, 2.0 * 700.0 * mean));
    assert!(close(ds.mean_idle_days.unwrap(), mean), "{ds:?}");
    assert!(close(ds.mean_idle_cost.unwrap(), 700.0 * mean), "{ds:?}");
    let mean_cost = sim.costs.iter().sum::<f64>() / sim.costs.len() as f64;
    assert!(
        close(mean_cost, ds.mean_cost),
        "{mean_cost} vs {}",
        ds.mean_cost
    );
}

#[test]
fn the_pay_window_runs_from_joining_to_the_finish_or_leaving() {
    // A 20-day task that needs nobody; a contractor paid from day 5 to day 12 (7 days) and
    // an engineer from day 15 until the finish (5 days), both idle.
    let p = project(
        "id,likely,distribution,resources\nwork,20,fixed,\n",
        "id,rate,capacity,billing,available_from,available_until\n\
         c,100,1,team,5,12\ne,10,3,team,15,\nlate,1000,1,team,25,\n",
    );
    let plan = CompiledPlan::compile(&p);
    assert_eq!(deterministic(&plan).cost, 100.0 * 7.0 + 3.0 * 10.0 * 5.0);
}

#[test]
fn team_billing_without_a_capacity_is_an_input_error_at_its_line() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("tasks.csv"),
        "id,likely,distribution,resources\na,3,fixed,de\n",
    )
    .unwrap();
    fs::write(
        d.path().join("resources.csv"),
        "id,rate,capacity,billing\nx,1,1,team\nde,600,,team\n",
    )
    .unwrap();
    fs::write(
        d.path().join("project.toml"),
        "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n",
    )
    .unwrap();
    Command::cargo_bin("p80")
        .unwrap()
        .args(["simulate", "project.toml", "-n", "10", "--out", "out"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "resources.csv:3: field `capacity`",
        ))
        .stderr(predicates::str::contains("capacity"));
}
