//! Start no earlier than (`not_before` in tasks.csv; MS Project's constraint type 4, P6's
//! "start on or after"): a lower bound on a task's start in every iteration, and the range
//! rule (`[import] range`) for tasks.csv rows that give only `likely`.

use assert_cmd::Command;
use p80::engine::{deterministic, run, CompiledPlan, Outcomes, RunSpec, Standard};

fn load(dir: &std::path::Path, toml: &str, tasks: &str) -> p80::input::Loaded {
    std::fs::write(dir.join("project.toml"), toml).unwrap();
    std::fs::write(dir.join("tasks.csv"), tasks).unwrap();
    p80::input::load(&dir.join("project.toml")).unwrap()
}

#[test]
fn a_task_starts_no_earlier_than_its_bound_in_every_iteration() {
    let dir = tempfile::tempdir().unwrap();
    let l = load(
        dir.path(),
        "[project]\ntasks = \"tasks.csv\"\nstart = \"2027-01-04\"\n",
        "id,optimistic,likely,pessimistic,depends_on,not_before\n\
         a,1,2,6,,\n\
         b,1,1,1,a,5\n\
         c,1,1,1,,2027-01-11\n\
         d,1,1,1,a,0\n",
    );
    let bound = |id: &str| {
        l.project
            .tasks
            .iter()
            .find(|t| t.id == id)
            .unwrap()
            .not_before
    };
    // Monday 11 Jan is working day 6: 5 working days before it.
    assert_eq!(
        (bound("b"), bound("c"), bound("d")),
        (Some(5.0), Some(5.0), None)
    );
    let plan = CompiledPlan::compile(&l.project);
    assert!(
        plan.network().is_general(),
        "a bound takes the general path"
    );
    let s = deterministic(&plan);
    // b: a finishes at 2 (likely) but b may not start before 5.
    assert_eq!((s.early_start[1], s.early_finish[1]), (5.0, 6.0));
    assert_eq!((s.early_start[2], s.early_finish[2]), (5.0, 6.0));
    assert_eq!(s.early_start[3], 2.0);
    // In every iteration the project lasts at least 6 days, and more when a runs past 5.
    let sim = run(&plan, &RunSpec::new(4000, 3), &Outcomes);
    assert!(sim.durations.iter().all(|&d| d >= 6.0));
    assert!(sim.durations.iter().any(|&d| d > 6.0));
    let late = sim.durations.iter().filter(|&&d| d > 6.0).count() as f64 / 4000.0;
    // P(a > 5) for PERT(1, 2, 6): α = 1.8, β = 4.2 on [1, 6], P(X > 0.8) ≈ 0.0095; the share
    // of 4,000 iterations within z = 4.5 binomial standard errors (+ 1/n for the count).
    use statrs::distribution::{Beta, ContinuousCDF};
    let p = 1.0 - Beta::new(1.8, 4.2).unwrap().cdf(0.8);
    let tol = 4.5 * (p * (1.0 - p) / 4000.0).sqrt() + 1.0 / 4000.0;
    assert!((late - p).abs() < tol, "{late} vs {p} (±{tol})");
}

#[test]
fn a_start_held_by_its_bound_ends_the_critical_chain_there() {
    let dir = tempfile::tempdir().unwrap();
    // b waits for its bound (day 10) whatever a does (at most 6 days): b and c are critical
    // in every iteration, a in none; d, beside the bound, has float.
    let l = load(
        dir.path(),
        "[project]\ntasks = \"tasks.csv\"\n",
        "id,optimistic,likely,pessimistic,depends_on,not_before\n\
         a,1,2,6,,\n\
         b,1,2,3,a,10\n\
         c,1,1,1,b,\n\
         d,1,2,4,a,\n",
    );
    let plan = CompiledPlan::compile(&l.project);
    let s = deterministic(&plan);
    assert_eq!(s.critical, vec![false, true, true, false]);
    assert_eq!((s.early_start[1], s.total_float[0]), (10.0, 8.0));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let sim = pool.install(|| run(&plan, &RunSpec::new(3000, 9), &Standard));
        assert_eq!(sim.criticality, vec![0.0, 1.0, 1.0, 0.0]);
        assert!(sim.durations.iter().all(|&d| (12.0..=14.0).contains(&d)));
    }
}

#[test]
fn a_date_needs_a_start_and_a_bad_value_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tasks.csv"),
        "id,likely,distribution,not_before\na,1,fixed,2027-01-11\nb,1,fixed,-2\nc,1,fixed,soon\n",
    )
    .unwrap();
    let out = Command::cargo_bin("p80")
        .unwrap()
        .arg("check")
        .arg(dir.path().join("tasks.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let f = dir.path().join("tasks.csv");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: invalid input: 3 problems found\n  \
             {0}:2: field `not_before`: the date 2027-01-11 needs the project's start date: add start = \"YYYY-MM-DD\" to [project] in project.toml, or give working days after the start\n  \
             {0}:3: field `not_before`: `-2` is neither a date (YYYY-MM-DD) nor a number of working days >= 0\n  \
             {0}:4: field `not_before`: `soon` is neither a date (YYYY-MM-DD) nor a number of working days >= 0\n",
            f.display()
        )
    );
}

#[test]
fn levelling_honours_a_plan_with_bounds() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("resources.csv"),
        "id,rate,capacity\nr,100,1\n",
    )
    .unwrap();
    load(
        dir.path(),
        "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n",
        "id,likely,distribution,resources,not_before\na,1,fixed,r,3\nb,2,fixed,r,\n",
    );
    // b runs 0–2, a waits for its bound at 3: 4 days.
    Command::cargo_bin("p80")
        .unwrap()
        .arg("check")
        .arg(dir.path().join("project.toml"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "Deterministic duration: 4.0 working days",
        ));
}

#[test]
fn the_range_rule_fills_rows_with_only_likely_and_is_stated() {
    let dir = tempfile::tempdir().unwrap();
    let l = load(
        dir.path(),
        "[project]\ntasks = \"tasks.csv\"\n\n[import]\nrange = [0.5, 1.0, 2.0]\n",
        "id,optimistic,likely,pessimistic,distribution\na,,4,,\nb,1,2,3,\nc,,3,,fixed\nm,,0,,\n",
    );
    let e = |i: usize| {
        let t = &l.project.tasks[i].estimate;
        (t.optimistic, t.likely, t.pessimistic)
    };
    assert_eq!(e(0), (2.0, 4.0, 8.0));
    assert_eq!(e(1), (1.0, 2.0, 3.0));
    assert_eq!(e(2), (3.0, 3.0, 3.0));
    assert_eq!(e(3), (0.0, 0.0, 0.0));
    assert_eq!(l.range_rule.map(|r| r.1), Some(1));
    let out = Command::cargo_bin("p80")
        .unwrap()
        .arg("simulate")
        .arg(dir.path().join("project.toml"))
        .args(["-n", "200", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("\nRanges: 1 task has no estimates: its ranges are the rule [0.5, 1, 2] (optimistic 0.5, likely 1, pessimistic 2 × the scheduled duration), not estimates.\n"),
        "{stdout}"
    );
    let json = std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap();
    assert!(json.contains("\"range_rule\": {\n    \"multipliers\": [\n      0.5,\n      1.0,\n      2.0\n    ],\n    \"tasks\": 1,"), "{json}");
    // Without [import] range such a row is an error, as before.
    std::fs::write(
        dir.path().join("project.toml"),
        "[project]\ntasks = \"tasks.csv\"\n",
    )
    .unwrap();
    assert!(p80::input::load(&dir.path().join("project.toml")).is_err());
}

#[test]
fn project_toml_names_tasks_or_a_schedule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("project.toml"),
        "[project]\ntasks = \"tasks.csv\"\nschedule = \"plan.xml\"\n\n[import]\nrange = [1.0, 0.9]\n",
    )
    .unwrap();
    let out = Command::cargo_bin("p80")
        .unwrap()
        .arg("check")
        .arg(dir.path().join("project.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let f = dir.path().join("project.toml");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: invalid input: 2 problems found\n  \
             {0}:3: field `schedule`: give either tasks (a tasks.csv) or schedule (an MS Project, Primavera or GanttProject file), not both\n  \
             {0}:6: field `range`: 2 values; give three multipliers [optimistic, likely, pessimistic] of the scheduled duration, e.g. [0.9, 1.0, 1.4]\n",
            f.display()
        )
    );
}
