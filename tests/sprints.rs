//! Sprints (`[project] sprint_length`, `sprint_start`): the finish in sprints on the console and
//! in summary.json, with sprint numbers computed by hand, and the errors for bad values.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn p80() -> Command {
    Command::cargo_bin("p80").unwrap()
}

/// A project folder with `project.toml` = `[project]` + `extra`, over a chain of two fixed
/// 10-day tasks (duration exactly 20 working days in every iteration) and a PERT task beside it.
fn project(extra: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("project.toml"),
        format!("[project]\ntasks = \"tasks.csv\"\n{extra}"),
    )
    .unwrap();
    std::fs::write(
        d.path().join("tasks.csv"),
        "id,optimistic,likely,pessimistic,distribution,depends_on\n\
         a,10,10,10,fixed,\n\
         b,10,10,10,fixed,a\n\
         c,2,5,12,pert,\n\
         end,0,0,0,,b;c\n",
    )
    .unwrap();
    d
}

fn simulate(d: &tempfile::TempDir, threads: &str) -> (String, Value) {
    let out = d.path().join(format!("out{threads}"));
    let a = p80()
        .arg("simulate")
        .arg(d.path().join("project.toml"))
        .args(["-n", "500", "--threads", threads, "-o"])
        .arg(&out)
        .assert()
        .code(0);
    let text = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let json = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    (text, json)
}

#[test]
fn a_finish_at_a_sprint_end_is_the_end_of_that_sprint() {
    // 20 working days in sprints of 5 from the start: exactly the end of sprint 4.
    let d = project("sprint_length = 5\n");
    let (text, v) = simulate(&d, "1");
    assert!(
        text.contains(
            "Sprints of 5 working days from the start: plan: end of sprint 4, P50: end of \
             sprint 4, P80: end of sprint 4, P90: end of sprint 4."
        ),
        "{text}"
    );
    let s = &v["sprints"];
    assert_eq!(
        (s["length"].as_f64(), s["start_offset"].as_f64()),
        (Some(5.0), Some(0.0))
    );
    assert_eq!(
        (s["deterministic"].as_i64(), s["at_confidence"].as_i64()),
        (Some(4), Some(4))
    );
    assert_eq!(s["percentiles"]["p99"], 4);
    assert!(s.get("end_dates").is_none() && s.get("start_date").is_none());
}

#[test]
fn a_sprint_start_date_shifts_the_sprints_and_dates_their_ends() {
    // Start Monday 2027-01-04 (Mon–Fri); sprint 1 begins Monday 11 January, 5 working days
    // in: (20 − 5) / 5 = 3, so the finish is the end of sprint 3, working day 20, Friday 29
    // January. An offset of 1 instead: ⌈19 / 5⌉ = 4.
    let d = project("start = \"2027-01-04\"\nsprint_length = 5\nsprint_start = \"2027-01-11\"\n");
    let (text, v) = simulate(&d, "2");
    assert!(
        text.contains(
            "Sprints of 5 working days from 2027-01-11: plan: end of sprint 3, P50: end of \
             sprint 3, P80: end of sprint 3 (2027-01-29), P90: end of sprint 3."
        ),
        "{text}"
    );
    let s = &v["sprints"];
    assert_eq!(s["start_offset"], 5.0);
    assert_eq!(s["start_date"], "2027-01-11");
    assert_eq!(s["deterministic"], 3);
    assert_eq!(s["end_dates"]["at_confidence"], "2027-01-29");
    let d = project("sprint_length = 5\nsprint_start = 1\n");
    assert_eq!(simulate(&d, "1").1["sprints"]["deterministic"], 4);
}

#[test]
fn summary_json_with_sprints_is_the_same_for_any_thread_count() {
    let d = project("start = \"2027-01-04\"\nsprint_length = 3\n");
    assert_eq!(simulate(&d, "1").1, simulate(&d, "2").1);
}

#[test]
fn bad_sprint_settings_name_the_key() {
    for (extra, key, words) in [
        ("sprint_length = 0\n", "sprint_length", "working days > 0"),
        (
            "sprint_length = \"two weeks\"\n",
            "sprint_length",
            "working days > 0",
        ),
        ("sprint_start = 3\n", "sprint_start", "needs sprint_length"),
        (
            "sprint_length = 10\nsprint_start = \"2027-01-11\"\n",
            "sprint_start",
            "needs a start date",
        ),
        (
            "start = \"2027-01-04\"\nsprint_length = 10\nsprint_start = \"2026-12-28\"\n",
            "sprint_start",
            "before the start",
        ),
        (
            "sprint_length = 10\nsprint_start = \"soon\"\n",
            "sprint_start",
            "not a date",
        ),
    ] {
        let d = project(extra);
        p80()
            .arg("simulate")
            .arg(d.path().join("project.toml"))
            .args(["-n", "100", "-o"])
            .arg(d.path().join("out"))
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(format!("field `{key}`"))
                    .and(predicate::str::contains(words)),
            );
    }
}
