//! Team billing (`billing = team`: paid for the capacity every day on the project) and
//! availability windows (`available_from` / `available_until`), on hand-computed plans.
//! Costs here are exact per iteration (sums of a few products), so the tolerances are float
//! rounding (relative 1e-9), not Monte Carlo error; means are compared with the same
//! iterations' own durations, which is exact by linearity.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use p80::engine::{self, deterministic, CompiledPlan, RunSpec, Standard};
use p80::model::{self, Project};
use p80::stats::Report;
use predicates::prelude::*;

mod support;

/// A validated project from tasks.csv and resources.csv text.
fn project(tasks: &str, resources: &str) -> Project {
    support::valid(support::from_csv(tasks, resources))
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
    // A 20-day task that needs nobody; a contractor `c` there from day 5 to day 12 (paid 7
    // days) and three engineers `e` from day 15 to the finish (paid 5 days), each with a
    // one-day job.
    let p = project(
        "id,likely,distribution,resources\nwork,20,fixed,\ncjob,1,fixed,c\nejob,1,fixed,e:2\n",
        "id,rate,capacity,billing,available_from,available_until\n\
         c,100,1,team,5,12\ne,10,3,team,15,\n",
    );
    let s = deterministic(&CompiledPlan::compile(&p));
    assert_eq!((s.early_start[1], s.early_start[2]), (5.0, 15.0));
    assert_eq!(s.cost, 100.0 * 7.0 + 3.0 * 10.0 * 5.0);
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

#[test]
fn a_resource_joining_on_day_10_delays_the_task_that_needs_it_to_day_10() {
    // `b` needs `de`, who joins on working day 10; `a` needs nobody in particular. Whatever
    // `a` draws (at most 9 days), the project ends when `b` does: 10 + 3.
    let p = project(
        "id,optimistic,likely,pessimistic,distribution,resources\n\
         a,2,4,9,pert,ds\nb,3,3,3,fixed,de\n",
        "id,rate,capacity,available_from\nds,100,1,\nde,100,,10\n",
    );
    let plan = CompiledPlan::compile(&p);
    assert!(plan.is_levelled(), "a late joiner is honoured by levelling");
    let s = deterministic(&plan);
    assert_eq!((s.early_start[0], s.early_start[1]), (0.0, 10.0));
    assert_eq!(s.duration, 13.0);
    let sim = engine::run(&plan, &RunSpec::new(2_000, 5), &Standard);
    assert!(sim.durations.iter().all(|&d| d == 13.0));
    // Without levelling windows are ignored, like capacities.
    let free = deterministic(&plan.clone().without_levelling());
    assert_eq!(free.early_start[1], 0.0);
    // A successor waits for it, and a second task on a capacity of one waits in turn.
    let p = project(
        "id,likely,distribution,depends_on,resources\n\
         a,2,fixed,,\nb,3,fixed,a,de\nc,4,fixed,,de\nd,1,fixed,b,\n",
        "id,rate,capacity,available_from\nde,100,1,10\n",
    );
    let s = deterministic(&CompiledPlan::compile(&p));
    // Unconstrained latest starts: b and c both 2 (end 6), ties by position: b at 10, then c
    // when b frees the unit at 13, d after b at 13; the end is c's finish, 17.
    assert_eq!(s.early_start, vec![0.0, 10.0, 13.0, 13.0]);
    assert_eq!(s.duration, 17.0);
}

fn write_project(dir: &Path, tasks: &str, resources: &str, extra: &str) {
    fs::write(dir.join("tasks.csv"), tasks).unwrap();
    fs::write(dir.join("resources.csv"), resources).unwrap();
    fs::write(
        dir.join("project.toml"),
        format!(
            "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n\
             start = \"2027-01-04\"\n{extra}"
        ),
    )
    .unwrap();
}

#[test]
fn joining_dates_and_scenario_overrides_are_working_days_from_the_start() {
    let d = tempfile::tempdir().unwrap();
    // 2027-01-04 is a Monday: 2027-01-18 is 10 working days later.
    write_project(
        d.path(),
        "id,likely,distribution,resources\nb,3,fixed,de\n",
        "id,rate,capacity,billing,available_from\nde,100,1,team,2027-01-18\n",
        "\n[[scenario]]\nname = \"earlier\"\navailable_from = { de = \"2027-01-11\" }\n\n\
         [[scenario]]\nname = \"from the start\"\navailable_from = { de = \"start\" }\n",
    );
    let loaded = p80::input::load(&d.path().join("project.toml")).expect("valid");
    let plan = CompiledPlan::compile(&loaded.project);
    let s = deterministic(&plan);
    assert_eq!(s.early_start[0], 10.0);
    // Paid from the day they join to the finish: 3 days.
    assert_eq!(s.cost, 300.0);
    let config = p80::input::read_config(&d.path().join("project.toml")).expect("config");
    let starts: Vec<f64> = config
        .scenarios
        .iter()
        .map(|sc| {
            let p = sc.apply(&loaded.project).expect("applies");
            deterministic(&CompiledPlan::compile(&p)).early_start[0]
        })
        .collect();
    assert_eq!(starts, vec![5.0, 0.0]);
}

#[test]
fn a_task_that_can_never_get_its_units_is_an_input_error_naming_it() {
    let d = tempfile::tempdir().unwrap();
    write_project(
        d.path(),
        "id,optimistic,likely,pessimistic,resources\nok,1,2,3,c\nlong,6,8,12,c\n",
        "id,rate,capacity,available_from,available_until\nc,100,1,10,15\n",
        "",
    );
    Command::cargo_bin("p80")
        .unwrap()
        .args(["simulate", "project.toml", "-n", "10", "--out", "out"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "tasks.csv:3: field `resources`: task `long` can never get its units",
        ))
        .stderr(predicates::str::contains("ok").not());
}

#[test]
fn a_team_resource_no_task_uses_is_not_on_the_project() {
    // `hire` is billed as a team but has no work in the plan: it costs nothing, and has no
    // idle time; a scenario that assigns it work brings it in, from the day it joins.
    let p = project(
        "id,likely,distribution,depends_on,resources\na,4,fixed,,de\nb,6,fixed,a,de\n",
        "id,rate,capacity,billing,available_from\nde,100,1,team,\nhire,50,1,team,2\n",
    );
    let plan = CompiledPlan::compile(&p);
    let s = deterministic(&plan);
    assert_eq!(s.cost, 100.0 * 10.0);
    let sim = engine::run(&plan, &RunSpec::new(10, 1), &Standard);
    let r = Report::new(&p, &s, &sim, 1, 0.8);
    assert_eq!(
        (r.resources[1].mean_cost, r.resources[1].mean_idle_days),
        (0.0, Some(0.0))
    );
    let mut q = p.clone();
    q.tasks[1].resources = vec![model::Assignment {
        resource: "hire".into(),
        units: 1.0,
    }];
    // b moves to the hire (who is there from day 2): de works 4 days, the hire from day 2 to
    // the finish at 10, idle for 2 of them.
    let s = deterministic(&CompiledPlan::compile(&q));
    assert_eq!(s.cost, 100.0 * 10.0 + 50.0 * 8.0);
}

#[test]
fn team_pay_windows_and_general_levelling_are_identical_for_any_thread_count() {
    let d = tempfile::tempdir().unwrap();
    write_project(
        d.path(),
        "id,optimistic,likely,pessimistic,depends_on,resources,type,finish_with\n\
         a,2,4,9,,de,,\nb,1,3,8,a:SS+1,de,,\nc,2,3,5,,ds,,\nd,1,2,4,c;b,ds;de_hire,,\n\
         pm,,,,,,loe,a;d\n",
        "id,rate_optimistic,rate,rate_pessimistic,capacity,billing,available_from\n\
         de,500,600,800,1,team,\nds,700,700,700,2,team,\nde_hire,600,600,600,1,team,2027-01-11\n",
        "deadline = \"2027-01-22\"\ndelay_cost = 1000\n[simulation]\niterations = 3000\n",
    );
    let run = |threads: &str, out: &str| {
        Command::cargo_bin("p80")
            .unwrap()
            .args([
                "simulate",
                "project.toml",
                "-q",
                "--threads",
                threads,
                "--out",
                out,
            ])
            .current_dir(d.path())
            .assert()
            .success();
    };
    run("1", "one");
    run("2", "two");
    let names: Vec<_> = fs::read_dir(d.path().join("one"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(names.len() >= 6, "{names:?}");
    for name in names {
        assert_eq!(
            fs::read(d.path().join("one").join(&name)).unwrap(),
            fs::read(d.path().join("two").join(&name)).unwrap(),
            "{name:?}"
        );
    }
    let stats = fs::read_to_string(d.path().join("one/resource_stats.csv")).unwrap();
    assert!(stats.starts_with(
        "id,name,capacity,mean_busy_days,mean_cost,utilisation,mean_idle_days,mean_idle_cost\n"
    ));
}
