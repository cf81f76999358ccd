//! The schedule health check end to end: `p80 check` prints every check, warns (exit 0) or,
//! with `--strict`, fails (exit 2) on findings, and writes `health.csv` with `--out`;
//! `p80 simulate` writes the same `health.csv`. Each finding on its own bad plan is tested in
//! `src/stats/health.rs`.

use assert_cmd::Command;
use predicates::prelude::*;

fn p80() -> Command {
    Command::cargo_bin("p80").unwrap()
}

/// A plan with one open end (`loose` has no successor) and nothing else wrong.
const OPEN_END: &str = "id,optimistic,likely,pessimistic,depends_on\n\
                        s,0,0,0,\n\
                        a,2,4,8,s\n\
                        loose,1,2,4,s\n\
                        f,0,0,0,a\n";

#[test]
fn the_example_plan_passes_every_check() {
    p80()
        .args(["check", "data/dl-project/project.toml", "--strict"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Health check: all 9 checks ok (DCMA 14-point and GAO thresholds; see docs/format.md)",
        ))
        // A zero range below the 5% threshold is listed but passes.
        .stdout(predicate::str::contains("zero ranges").and(predicate::str::contains("security")));
}

#[test]
fn findings_warn_and_strict_makes_them_errors() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = dir.path().join("tasks.csv");
    std::fs::write(&tasks, OPEN_END).unwrap();
    let warn = "  warning  open ends";
    p80()
        .arg("check")
        .arg(&tasks)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 of 9 checks warn"))
        .stdout(predicate::str::contains(warn).and(predicate::str::contains("loose")));
    p80()
        .arg("check")
        .arg(&tasks)
        .arg("--strict")
        .assert()
        .code(2)
        .stdout(predicate::str::contains(warn))
        .stderr(predicate::str::contains("--strict"));
}

#[test]
fn check_writes_health_csv_only_when_asked_and_simulate_writes_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = dir.path().join("tasks.csv");
    std::fs::write(&tasks, OPEN_END).unwrap();
    let out = dir.path().join("out");
    p80()
        .arg("check")
        .arg(&tasks)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let csv = std::fs::read_to_string(out.join("health.csv")).unwrap();
    assert_eq!(
        csv,
        "check,count,threshold,status,tasks\n\
         open_ends,1,5%,warning,loose\n\
         leads,0,0,ok,\n\
         lags,0,5%,ok,\n\
         non_fs_links,0,10%,ok,\n\
         long_tasks,0,5%,ok,\n\
         narrow_ranges,0,5%,ok,\n\
         zero_ranges,0,5%,ok,\n\
         milestone_ranges,0,0,ok,\n\
         unpriced_resources,0,0,ok,\n"
    );
    for threads in ["1", "2"] {
        let sim = dir.path().join(format!("sim{threads}"));
        p80()
            .arg("simulate")
            .arg(&tasks)
            .args(["-n", "200", "--threads", threads, "-o"])
            .arg(&sim)
            .assert()
            .code(0)
            .stdout(predicate::str::contains(
                "Health check: 1 warning (open ends)",
            ));
        assert_eq!(
            std::fs::read_to_string(sim.join("health.csv")).unwrap(),
            csv
        );
    }
}
