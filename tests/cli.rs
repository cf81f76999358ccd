//! End-to-end tests of the `p80` binary on valid input: the `simulate` and `check` commands,
//! the output files and their contract, flags, determinism and usage errors.
//!
//! Bad input files are covered in `tests/bad_input.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// The files `p80 simulate` writes for data/dl-project (which has a milestone and resources).
const OUTPUTS: &[&str] = &[
    "summary.json",
    "summary.csv",
    "task_stats.csv",
    "health.csv",
    "milestone_stats.csv",
    "resource_stats.csv",
    "resource_reserve.csv",
    "duration.png",
    "cost.png",
    "gantt.png",
];

/// The files `p80 simulate` writes for a plan with a milestone but no resources.
const OUTPUTS_WITHOUT_RESOURCES: [&str; 8] = [
    "summary.json",
    "summary.csv",
    "task_stats.csv",
    "health.csv",
    "milestone_stats.csv",
    "duration.png",
    "cost.png",
    "gantt.png",
];

/// The files `p80 simulate` writes for a plan without milestones.
const OUTPUTS_WITHOUT_MILESTONES: [&str; 7] = [
    "summary.json",
    "summary.csv",
    "task_stats.csv",
    "health.csv",
    "duration.png",
    "cost.png",
    "gantt.png",
];

/// The percentile keys of summary.json, in order.
const PERCENTILES: [&str; 21] = [
    "p1", "p5", "p10", "p15", "p20", "p25", "p30", "p35", "p40", "p45", "p50", "p55", "p60", "p65",
    "p70", "p75", "p80", "p85", "p90", "p95", "p99",
];

/// The deterministic critical path of data/dl-project (most likely durations).
const DL_CRITICAL_PATH: &str = "goals -> kickoff -> data_audit -> data_collect -> labelling -> \
     model_dev -> hpo -> evaluation -> error_analysis -> review_model -> model_ready -> packaging -> deploy -> \
     shadow_run -> review_final -> handover";

fn p80() -> Command {
    Command::cargo_bin("p80").expect("the p80 binary is built")
}

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(rel)
}

fn dl_project() -> PathBuf {
    data("dl-project/project.toml")
}

fn simple_tasks() -> PathBuf {
    data("simple/tasks.csv")
}

/// Runs `p80 simulate PROJECT --out OUT ARGS...`, expecting success; returns stdout.
fn simulate_ok(project: &Path, out: &Path, args: &[&str]) -> String {
    let assert = p80()
        .arg("simulate")
        .arg(project)
        .arg("--out")
        .arg(out)
        .args(args)
        .assert()
        .success()
        .stderr(predicate::str::contains("panicked").not());
    String::from_utf8(assert.get_output().stdout.clone()).expect("stdout is UTF-8")
}

/// data/dl-project at 2000 iterations on one thread with the project file's seed: run once per
/// test binary and shared by the tests that only read its outputs (charts make every run cost
/// a second or two in a debug build). Returns the output folder and stdout. The folder is left
/// under target/tmp.
fn dl_2000() -> &'static (PathBuf, String) {
    static RUN: OnceLock<(PathBuf, String)> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("p80-cli-")
            .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
            .unwrap()
            .keep();
        let out = dir.join("out");
        let stdout = simulate_ok(
            &dl_project(),
            &out,
            &["--iterations", "2000", "--threads", "1"],
        );
        (out, stdout)
    })
}

fn read_json(out: &Path) -> Value {
    let text = fs::read_to_string(out.join("summary.json")).expect("summary.json exists");
    serde_json::from_str(&text).expect("summary.json is valid JSON")
}

/// Every output file's bytes, by name.
fn output_bytes(out: &Path) -> BTreeMap<&'static str, Vec<u8>> {
    OUTPUTS
        .iter()
        .map(|&name| {
            let bytes = fs::read(out.join(name)).unwrap_or_else(|e| panic!("reading {name}: {e}"));
            (name, bytes)
        })
        .collect()
}

/// Every file under `dir` (recursively) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn num(v: &Value, path: &str) -> f64 {
    let mut cur = v;
    for key in path.split('.') {
        cur = cur
            .get(key)
            .unwrap_or_else(|| panic!("summary.json has no `{path}` (missing `{key}`)"));
    }
    cur.as_f64()
        .unwrap_or_else(|| panic!("`{path}` is not a number: {cur}"))
}

fn assert_all_outputs_written(out: &Path) {
    assert_outputs_written(out, OUTPUTS);
}

/// Checks that exactly `names` were written into `out`, PNGs being PNG images.
fn assert_outputs_written(out: &Path, names: &[&str]) {
    let mut got: Vec<String> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    got.sort();
    let mut want: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(got, want, "files in {}", out.display());
    for &name in names {
        let p = out.join(name);
        assert!(p.is_file(), "{} was not written", p.display());
        if name.ends_with(".png") {
            let bytes = fs::read(&p).unwrap();
            assert!(
                bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
                "{} is not a PNG image",
                p.display()
            );
        }
    }
}

/// Checks one measure (`duration` or `cost`) of summary.json against the contract.
fn check_measure(v: &Value, measure: &str, confidence: f64) {
    let m = &v[measure];
    assert!(m.is_object(), "`{measure}` is not an object: {m}");
    for key in ["deterministic", "mean", "std", "min", "max"] {
        let x = num(v, &format!("{measure}.{key}"));
        assert!(x.is_finite(), "{measure}.{key} = {x}");
    }
    let pct = m["percentiles"]
        .as_object()
        .unwrap_or_else(|| panic!("`{measure}.percentiles` is not an object"));
    let keys: Vec<&str> = pct.keys().map(String::as_str).collect();
    assert_eq!(keys, PERCENTILES, "{measure}.percentiles keys");
    let values: Vec<f64> = PERCENTILES
        .iter()
        .map(|k| num(v, &format!("{measure}.percentiles.{k}")))
        .collect();
    for (w, k) in values.windows(2).zip(PERCENTILES.windows(2)) {
        assert!(
            w[0] <= w[1],
            "{measure}: {} = {} > {} = {}",
            k[0],
            w[0],
            k[1],
            w[1]
        );
    }
    let (min, max) = (
        num(v, &format!("{measure}.min")),
        num(v, &format!("{measure}.max")),
    );
    let (p1, p99) = (values[0], values[20]);
    assert!(min <= p1, "{measure}: min {min} > p1 {p1}");
    assert!(p99 <= max, "{measure}: p99 {p99} > max {max}");
    let mean = num(v, &format!("{measure}.mean"));
    assert!(
        min <= mean && mean <= max,
        "{measure}: mean {mean} outside [min, max]"
    );
    assert!(num(v, &format!("{measure}.std")) >= 0.0);
    assert!(num(v, &format!("{measure}.deterministic")) > 0.0);
    let at = num(v, &format!("{measure}.at_confidence"));
    assert!(
        min <= at && at <= max,
        "{measure}: at_confidence {at} outside [min, max]"
    );
    // The value at the confidence level is a percentile like the others: for a confidence that
    // is one of the reported percentiles, the two are the same number.
    let label = format!("p{}", (confidence * 100.0).round());
    if let Some(p) = pct.get(&label) {
        assert_eq!(p.as_f64(), Some(at), "{measure}: {label} vs at_confidence");
    }
}

/// Checks summary.json against the contract; `expect` is (iterations, seed, confidence).
fn check_summary(v: &Value, iterations: u64, seed: u64, confidence: f64) {
    assert_eq!(v["iterations"].as_u64(), Some(iterations), "iterations");
    assert_eq!(v["seed"].as_u64(), Some(seed), "seed");
    assert_eq!(v["confidence"].as_f64(), Some(confidence), "confidence");
    check_measure(v, "duration", confidence);
    check_measure(v, "cost", confidence);
    let buffer = num(v, "buffer.schedule_days");
    let expected = num(v, "duration.at_confidence") - num(v, "duration.deterministic");
    assert!(
        (buffer - expected).abs() <= 1e-6,
        "buffer.schedule_days {buffer} != duration.at_confidence − deterministic {expected}"
    );
    let reserve = num(v, "buffer.cost_reserve");
    let expected = num(v, "cost.at_confidence") - num(v, "cost.deterministic");
    assert!(
        (reserve - expected).abs() <= 1e-6 * expected.abs().max(1.0),
        "buffer.cost_reserve {reserve} != cost.at_confidence − deterministic {expected}"
    );
}

// ---------------------------------------------------------------------------------------------
// simulate
// ---------------------------------------------------------------------------------------------

/// The README's first command, with the project file's own settings (10000 iterations,
/// seed 42, confidence 0.8): the one full-size run of the suite.
#[test]
fn simulate_dl_project_with_its_own_settings_writes_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let inputs_before = snapshot(&data("dl-project"));
    let stdout = simulate_ok(&dl_project(), &out, &[]);

    assert_all_outputs_written(&out);
    let v = read_json(&out);
    check_summary(&v, 10_000, 42, 0.8);
    assert_eq!(num(&v, "duration.deterministic"), 98.0);
    assert_eq!(num(&v, "cost.deterministic"), 444_656.0);
    // The estimates are skewed to the pessimistic side: the buffer and reserve are positive.
    assert!(num(&v, "buffer.schedule_days") > 0.0);
    assert!(num(&v, "buffer.cost_reserve") > 0.0);

    for needle in ["P50", "P80", "P90", "seed 42", "10,000 iterations"] {
        assert!(
            stdout.contains(needle),
            "stdout lacks {needle:?}:\n{stdout}"
        );
    }
    for name in OUTPUTS {
        assert!(
            stdout.contains(name),
            "stdout does not list {name}:\n{stdout}"
        );
    }
    assert_eq!(
        snapshot(&data("dl-project")),
        inputs_before,
        "simulate modified an input file"
    );
}

#[test]
fn simulate_dl_project_with_fewer_iterations() {
    let (out, stdout) = dl_2000();
    assert_all_outputs_written(out);
    check_summary(&read_json(out), 2000, 42, 0.8);
    assert!(stdout.contains("2,000 iterations"), "{stdout}");
    assert!(stdout.contains("1 thread,"), "{stdout}");
}

#[test]
fn simulate_bare_tasks_csv_uses_the_defaults() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let stdout = simulate_ok(&simple_tasks(), &out, &["--iterations", "2000"]);
    assert_outputs_written(&out, &OUTPUTS_WITHOUT_MILESTONES);
    let v = read_json(&out);
    // No project file: the default seed (80) and confidence (0.8).
    check_summary(&v, 2000, 80, 0.8);
    // No start date: everything in working days.
    for key in ["start", "finish_date", "deadline"] {
        assert!(
            v.get(key).is_none(),
            "summary.json has `{key}` without a start date"
        );
    }
    assert!(!stdout.contains("Finish date"), "{stdout}");
    // scope 2 + design 4 + build 6 + populate 2 + testing 2 + launch 0.5
    assert_eq!(num(&v, "duration.deterministic"), 16.5);
    // Fixed costs only: domain 240 + design 3000, whatever the durations.
    assert_eq!(num(&v, "cost.deterministic"), 3240.0);
    assert_eq!(num(&v, "cost.min"), 3240.0);
    assert_eq!(num(&v, "cost.max"), 3240.0);
    assert!(stdout.contains("seed 80"), "{stdout}");
    for p in ["P50", "P80", "P90"] {
        assert!(stdout.contains(p), "{stdout}");
    }
}

#[test]
fn flags_override_the_project_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let stdout = simulate_ok(
        &dl_project(),
        &out,
        &["--iterations", "500", "--seed", "7", "--confidence", "0.9"],
    );
    let v = read_json(&out);
    check_summary(&v, 500, 7, 0.9);
    assert_eq!(
        num(&v, "duration.at_confidence"),
        num(&v, "duration.percentiles.p90")
    );
    assert!(stdout.contains("seed 7"), "{stdout}");
    assert!(stdout.contains("500 iterations"), "{stdout}");
}

#[test]
fn short_flags_and_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let assert = p80()
        .arg("simulate")
        .arg(dl_project())
        .args(["-n", "300", "-j", "2", "-q", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(
        assert.get_output().stdout.is_empty(),
        "--quiet printed something"
    );
    assert_all_outputs_written(&out);
    assert_eq!(read_json(&out)["iterations"].as_u64(), Some(300));
}

#[test]
fn outputs_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let one = output_bytes(&dl_2000().0);
    for t in ["2", "3"] {
        let out = tmp.path().join(format!("threads-{t}"));
        simulate_ok(
            &dl_project(),
            &out,
            &["--iterations", "2000", "--threads", t, "--quiet"],
        );
        let other = output_bytes(&out);
        for name in OUTPUTS {
            assert!(
                one[name] == other[name],
                "{name} differs between --threads 1 and --threads {t}"
            );
        }
    }
}

#[test]
fn same_seed_gives_identical_outputs_and_another_seed_does_not() {
    // The shared run used the project file's seed, 42, on one thread.
    let first = output_bytes(&dl_2000().0);
    let tmp = tempfile::tempdir().unwrap();
    let run = |dir: &str, seed: &str| {
        let out = tmp.path().join(dir);
        simulate_ok(
            &dl_project(),
            &out,
            &["--iterations", "2000", "--seed", seed, "--quiet"],
        );
        output_bytes(&out)
    };
    let again = run("again", "42");
    assert!(first == again, "two runs with seed 42 differ");
    let other = run("other", "43");
    assert_ne!(
        first["summary.json"], other["summary.json"],
        "seeds 42 and 43 gave the same summary.json"
    );
    assert_ne!(first["task_stats.csv"], other["task_stats.csv"]);
}

#[test]
fn rerun_into_the_same_folder_replaces_the_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    simulate_ok(
        &dl_project(),
        &out,
        &["--iterations", "300", "--seed", "1", "-q"],
    );
    simulate_ok(
        &dl_project(),
        &out,
        &["--iterations", "400", "--seed", "2", "-q"],
    );
    let v = read_json(&out);
    assert_eq!(v["iterations"].as_u64(), Some(400));
    assert_eq!(v["seed"].as_u64(), Some(2));
    // Only the five outputs: no temporary files left behind.
    let mut names: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = OUTPUTS.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(names, want);
}

#[test]
fn task_stats_has_one_row_per_task() {
    let out = &dl_2000().0;

    let mut rdr = csv::Reader::from_path(out.join("task_stats.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header[..5],
        ["id", "name", "mean_duration", "criticality", "mean_cost"],
        "task_stats.csv header: {header:?}"
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 29, "dl-project has 29 tasks");

    // Same ids, same order as the tasks file.
    let mut tasks = csv::Reader::from_path(data("dl-project/tasks.csv")).unwrap();
    let ids: Vec<String> = tasks.records().map(|r| r.unwrap()[0].to_string()).collect();
    let got: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(got, ids);

    for r in &rows {
        let id = &r[0];
        let mean_duration: f64 = r[2].parse().unwrap();
        let criticality: f64 = r[3].parse().unwrap();
        let mean_cost: f64 = r[4].parse().unwrap();
        if id == "model_ready" {
            assert_eq!(mean_duration, 0.0, "a milestone takes no time");
        } else {
            assert!(mean_duration > 0.0, "{id}: mean_duration {mean_duration}");
        }
        assert!(
            (0.0..=1.0).contains(&criticality),
            "{id}: criticality {criticality}"
        );
        assert!(mean_cost >= 0.0, "{id}: mean_cost {mean_cost}");
    }
    // Every path starts at `goals` and ends at `handover`: always critical.
    for id in ["goals", "kickoff", "handover"] {
        let row = rows.iter().find(|r| &r[0] == id).unwrap();
        assert_eq!(&row[3], "1", "{id} is on every path");
    }
    // The fixed `security` task has 61 days of float in the plan: never critical here.
    let security = rows.iter().find(|r| &r[0] == "security").unwrap();
    assert_eq!(&security[3], "0");
    assert_eq!(
        &security[2], "5",
        "a fixed task always takes its likely duration"
    );
}

#[test]
fn summary_csv_has_a_duration_and_a_cost_row() {
    let out = &dl_2000().0;
    let v = read_json(out);
    let mut rdr = csv::Reader::from_path(out.join("summary.csv")).unwrap();
    let header = rdr.headers().unwrap().clone();
    for col in ["measure", "deterministic", "mean", "std", "min", "max"]
        .iter()
        .chain(PERCENTILES.iter())
    {
        assert!(
            header.iter().any(|h| h == *col),
            "summary.csv lacks column {col}"
        );
    }
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let measures: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    // dl-project has a start date: a third row gives the finish as dates.
    assert_eq!(measures, ["duration", "cost", "finish_date"]);
    // The same numbers as summary.json.
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    for (row, measure) in rows.iter().zip(["duration", "cost"]) {
        for key in ["deterministic", "mean", "p50", "p80", "p99"] {
            let csv_value: f64 = row[col(key)].parse().unwrap();
            let path = if key.starts_with('p') {
                format!("{measure}.percentiles.{key}")
            } else {
                format!("{measure}.{key}")
            };
            assert_eq!(csv_value, num(&v, &path), "{measure} {key}");
        }
    }
    let dates = &rows[2];
    assert_eq!(&dates[col("unit")], "date");
    for key in ["deterministic", "at_confidence"] {
        assert_eq!(
            Some(&dates[col(key)]),
            v["finish_date"][key].as_str(),
            "finish_date {key}"
        );
    }
    for key in PERCENTILES {
        assert_eq!(
            Some(&dates[col(key)]),
            v["finish_date"]["percentiles"][key].as_str(),
            "finish_date {key}"
        );
    }
    for key in ["mean", "std", "buffer"] {
        assert_eq!(&dates[col(key)], "", "finish_date {key} is blank");
    }
}

#[test]
fn default_output_folder_is_p80_out_in_the_current_directory() {
    let cwd = tempfile::tempdir().unwrap();
    p80()
        .current_dir(cwd.path())
        .arg("simulate")
        .arg(dl_project()) // absolute
        .args(["--iterations", "200"])
        .assert()
        .success();
    assert_all_outputs_written(&cwd.path().join("p80-out"));
    assert!(cwd.path().join("p80-out/summary.json").is_file());
}

#[test]
fn relative_paths_in_project_toml_are_relative_to_the_project_file() {
    // Run from an unrelated folder: tasks.csv and resources.csv are still found.
    let cwd = tempfile::tempdir().unwrap();
    p80()
        .current_dir(cwd.path())
        .arg("check")
        .arg(dl_project())
        .assert()
        .success()
        .stdout(predicate::str::contains("29 tasks"));
}

#[test]
fn project_toml_with_its_own_settings_and_default_distribution() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("tasks.csv"),
        "id,optimistic,likely,pessimistic,depends_on,resources,cost\n\
         a,1,2,4,,dev,100\n\
         b,2,3,9,a,dev:0.5,\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("resources.csv"),
        "id,rate,unit\ndev,10,hour\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("project.toml"),
        "[project]\nname = \"Tiny\"\ncurrency = \"EUR\"\ntasks = \"tasks.csv\"\n\
         resources = \"resources.csv\"\ndistribution = \"uniform\"\n\n\
         [simulation]\niterations = 321\nseed = 5\nconfidence = 0.75\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let stdout = simulate_ok(&dir.path().join("project.toml"), &out, &[]);
    let v = read_json(&out);
    check_summary(&v, 321, 5, 0.75);
    // a: 2 days × 80/day + 100; b: 3 days × 40/day.
    assert_eq!(
        num(&v, "cost.deterministic"),
        2.0 * 80.0 + 100.0 + 3.0 * 40.0
    );
    assert_eq!(num(&v, "duration.deterministic"), 5.0);
    assert!(stdout.contains("P75"), "{stdout}");
    assert!(stdout.contains("EUR"), "{stdout}");
}

#[test]
fn x_columns_and_bom_and_blank_lines_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = dir.path().join("tasks.csv");
    fs::write(
        &tasks,
        "\u{feff} ID , Likely ,optimistic,pessimistic,x_note,X_Owner\n\
         a,2,1,3,\"note, with a comma\",me\n\
         \n\
         b,1,1,1,,you\n",
    )
    .unwrap();
    p80()
        .arg("check")
        .arg(&tasks)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 tasks"));
}

// ---------------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------------

#[test]
fn check_prints_the_deterministic_schedule() {
    let cwd = tempfile::tempdir().unwrap();
    p80()
        .current_dir(cwd.path())
        .arg("check")
        .arg(dl_project())
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "Deterministic duration: 98.0 working days",
        ))
        .stdout(predicate::str::contains(format!(
            "Critical path: {DL_CRITICAL_PATH}\n"
        )))
        .stdout(predicate::str::contains("Deterministic cost: USD 444,656"))
        .stderr(predicate::str::is_empty());
    // check writes nothing.
    assert!(snapshot(cwd.path()).is_empty(), "check wrote files");
}

#[test]
fn check_works_on_a_bare_tasks_csv() {
    p80()
        .arg("check")
        .arg(simple_tasks())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Deterministic duration: 16.5 working days",
        ))
        .stdout(predicate::str::contains(
            "Critical path: scope -> design -> build -> populate -> testing -> launch",
        ));
}

// ---------------------------------------------------------------------------------------------
// usage
// ---------------------------------------------------------------------------------------------

#[test]
fn help_and_version_exit_0() {
    p80()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("simulate"))
        .stdout(predicate::str::contains("check"));
    p80()
        .args(["simulate", "--help"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("--iterations"))
        .stdout(predicate::str::contains("--confidence"));
    p80()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

/// Runs p80 with `args` in a fresh folder and expects a usage error (exit 2) that mentions
/// `needle`, with nothing written.
fn expect_usage_error(args: &[&str], needle: &str) {
    let cwd = tempfile::tempdir().unwrap();
    p80()
        .current_dir(cwd.path())
        .args(args)
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(needle))
        .stderr(predicate::str::contains("panicked").not());
    assert!(snapshot(cwd.path()).is_empty(), "{args:?} wrote files");
    assert!(!cwd.path().join("p80-out").exists());
}

#[test]
fn unknown_flag_exits_2() {
    let p = dl_project();
    let p = p.to_str().unwrap();
    expect_usage_error(&["simulate", p, "--bogus"], "--bogus");
    expect_usage_error(&["check", p, "--iterations", "5"], "--iterations");
}

#[test]
fn missing_or_unknown_subcommand_exits_2() {
    expect_usage_error(&[], "Usage");
    expect_usage_error(&["simulat"], "simulat");
    expect_usage_error(&["simulate"], "PROJECT");
}

#[test]
fn confidence_outside_0_1_exits_2() {
    let p = dl_project();
    let p = p.to_str().unwrap();
    for c in ["1.5", "1", "0", "-0.2", "NaN", "inf"] {
        expect_usage_error(
            &[
                "simulate",
                p,
                "--iterations",
                "200",
                &format!("--confidence={c}"),
            ],
            "--confidence",
        );
    }
    expect_usage_error(&["simulate", p, "--confidence", "high"], "high");
}

#[test]
fn zero_or_non_numeric_iterations_exit_2() {
    let p = dl_project();
    let p = p.to_str().unwrap();
    expect_usage_error(&["simulate", p, "--iterations", "0"], "--iterations");
    expect_usage_error(&["simulate", p, "--iterations", "many"], "--iterations");
    expect_usage_error(&["simulate", p, "--iterations=-5"], "--iterations");
}

#[test]
fn output_folder_that_is_a_file_exits_1() {
    // Not an input problem: exit 1, with a message naming the folder, and no panic.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("taken");
    fs::write(&out, "a file").unwrap();
    p80()
        .arg("simulate")
        .arg(dl_project())
        .arg("--out")
        .arg(&out)
        .args(["--iterations", "200"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("taken"))
        .stderr(predicate::str::contains("panicked").not());
    assert_eq!(fs::read(&out).unwrap(), b"a file");
}

#[test]
fn bad_seed_or_threads_exit_2() {
    let p = dl_project();
    let p = p.to_str().unwrap();
    expect_usage_error(&["simulate", p, "--seed=-1"], "--seed");
    expect_usage_error(&["simulate", p, "--threads", "0"], "--threads");
}

// ---------------------------------------------------------------------------------------------
// calendar, deadline and milestones
// ---------------------------------------------------------------------------------------------

/// `summary.json`'s `finish_date` dates in percentile order, checked to be ISO dates.
fn finish_dates(v: &Value) -> Vec<String> {
    let fd = &v["finish_date"];
    assert!(fd.is_object(), "summary.json has no finish_date: {v}");
    let pct = fd["percentiles"]
        .as_object()
        .expect("finish_date.percentiles");
    let keys: Vec<&str> = pct.keys().map(String::as_str).collect();
    assert_eq!(keys, PERCENTILES, "finish_date.percentiles keys");
    let dates: Vec<String> = PERCENTILES
        .iter()
        .map(|k| pct[*k].as_str().expect("a date string").to_string())
        .collect();
    for d in dates.iter().chain(
        ["deterministic", "at_confidence", "min", "max"]
            .iter()
            .map(|k| fd[*k].as_str().unwrap_or_else(|| panic!("finish_date.{k}")))
            .map(str::to_string)
            .collect::<Vec<_>>()
            .iter(),
    ) {
        let b = d.as_bytes();
        assert!(
            b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && d.chars().filter(char::is_ascii_digit).count() == 8,
            "{d:?} is not YYYY-MM-DD"
        );
    }
    // ISO dates order as strings.
    for (w, k) in dates.windows(2).zip(PERCENTILES.windows(2)) {
        assert!(
            w[0] <= w[1],
            "finish_date {} = {} > {} = {}",
            k[0],
            w[0],
            k[1],
            w[1]
        );
    }
    dates
}

#[test]
fn dl_project_reports_finish_dates_and_its_deadline() {
    let (out, stdout) = dl_2000();
    let v = read_json(out);
    let dates = finish_dates(&v);
    assert_eq!(v["start"].as_str(), Some("2027-01-04"));
    // 98 working days from Monday 2027-01-04, Mon–Fri, with 2027-01-18 and 2027-02-15 off.
    assert_eq!(
        v["finish_date"]["deterministic"].as_str(),
        Some("2027-05-21")
    );
    assert_eq!(
        v["finish_date"]["at_confidence"].as_str(),
        v["finish_date"]["percentiles"]["p80"].as_str()
    );
    let dl = &v["deadline"];
    assert_eq!(dl["date"].as_str(), Some("2027-06-30"));
    // Through 2027-06-30: 124 working days (holidays 01-18, 02-15, 05-31, 06-18).
    assert_eq!(dl["working_days"].as_u64(), Some(124));
    let p = num(&v, "deadline.probability");
    assert!((0.0..=1.0).contains(&p), "probability {p}");
    // The probability agrees with the percentile dates: a percentile on or before the deadline
    // means at least that share finishes by it (up to one iteration of interpolation).
    let n = 2000.0;
    for (k, d) in PERCENTILES.iter().zip(&dates) {
        let q: f64 = k[1..].parse::<f64>().unwrap() / 100.0;
        if d.as_str() <= "2027-06-30" {
            assert!(p >= q - 1.0 / n, "{k} = {d} but P(deadline) = {p}");
        } else {
            assert!(p <= q + 1.0 / n, "{k} = {d} but P(deadline) = {p}");
        }
    }
    for needle in [
        "Finish date               2027-05-21",
        "(finish 2027-05-21)",
        "The deadline 2027-06-30 (working day 124) is met in",
        "Calendar: start 2027-01-04, working days Mon–Fri, 10 holidays",
    ] {
        assert!(
            stdout.contains(needle),
            "stdout lacks {needle:?}:\n{stdout}"
        );
    }
}

#[test]
fn dl_project_writes_milestone_stats() {
    let out = &dl_2000().0;
    let mut rdr = csv::Reader::from_path(out.join("milestone_stats.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "id",
            "name",
            "deterministic",
            "mean",
            "p10",
            "p50",
            "p80",
            "p90",
            "date_deterministic",
            "date_p10",
            "date_p50",
            "date_p80",
            "date_p90"
        ]
    );
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(&r[0], "model_ready");
    // review_model finishes on day 77 in the plan: Thursday 2027-04-22.
    assert_eq!((&r[2], &r[8]), ("77", "2027-04-22"));
    let x: Vec<f64> = (3..8).map(|i| r[i].parse().unwrap()).collect();
    assert!(x[1] <= x[2] && x[2] <= x[3] && x[3] <= x[4], "{r:?}");
    assert!(
        x[1] >= 77.0 - 11.0,
        "the milestone cannot finish before its path allows: {r:?}"
    );
    for i in 9..12 {
        assert!(r[i] <= r[i + 1], "{r:?}");
    }
}

/// Writes a small project with a calendar into a fresh folder: `a` (3 days) → milestone `m` →
/// `b` (2 days), all fixed, starting on Friday 2027-01-01 (a holiday), Wednesday 2027-01-06
/// off. Working days: 1 = Mon 01-04, 2 = Tue 01-05, 3 = Thu 01-07, 4 = Fri 01-08,
/// 5 = Mon 01-11.
fn calendar_project(extra_project_keys: &str, calendar: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("tasks.csv"),
        "id,name,optimistic,likely,pessimistic,distribution,depends_on,cost\n\
         a,Build,3,3,3,fixed,,100\n\
         m,Built,0,0,0,,a,\n\
         b,Ship,2,2,2,fixed,m,\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("project.toml"),
        format!(
            "[project]\nname = \"Dated\"\ntasks = \"tasks.csv\"\nstart = \"2027-01-01\"\n\
             {extra_project_keys}\n[calendar]\n{calendar}\n"
        ),
    )
    .unwrap();
    dir
}

#[test]
fn calendar_holidays_and_deadline_in_every_output() {
    let dir = calendar_project(
        "deadline = \"2027-01-11\"",
        "workdays = [\"mon\", \"Tuesday\", \"wed\", \"THU\", \"fri\"]\n\
         holidays = [\"2027-01-01\", \"2027-01-06\"]",
    );
    let project = dir.path().join("project.toml");
    let out = dir.path().join("out");
    let stdout = simulate_ok(&project, &out, &["--iterations", "300"]);
    assert_outputs_written(&out, &OUTPUTS_WITHOUT_RESOURCES);
    let v = read_json(&out);
    check_summary(&v, 300, 80, 0.8);
    let dates = finish_dates(&v);
    // Every iteration takes 5 working days: Monday 2027-01-11.
    assert!(dates.iter().all(|d| d == "2027-01-11"), "{dates:?}");
    assert_eq!(
        v["finish_date"]["deterministic"].as_str(),
        Some("2027-01-11")
    );
    assert_eq!(v["start"].as_str(), Some("2027-01-01"));
    assert_eq!(v["deadline"]["date"].as_str(), Some("2027-01-11"));
    assert_eq!(v["deadline"]["working_days"].as_u64(), Some(5));
    assert_eq!(num(&v, "deadline.probability"), 1.0);
    assert!(stdout.contains("is met in 100% of iterations"), "{stdout}");

    // The milestone after 3 working days: Thursday 2027-01-07.
    let text = fs::read_to_string(out.join("milestone_stats.csv")).unwrap();
    assert_eq!(
        text,
        "id,name,deterministic,mean,p10,p50,p80,p90,date_deterministic,date_p10,date_p50,\
         date_p80,date_p90\nm,Built,3,3,3,3,3,3,2027-01-07,2027-01-07,2027-01-07,2027-01-07,\
         2027-01-07\n"
    );

    // --deadline overrides the file: one working day earlier is never met.
    let out2 = dir.path().join("out2");
    let stdout = simulate_ok(&project, &out2, &["-n", "300", "--deadline", "2027-01-08"]);
    let v = read_json(&out2);
    assert_eq!(v["deadline"]["date"].as_str(), Some("2027-01-08"));
    assert_eq!(v["deadline"]["working_days"].as_u64(), Some(4));
    assert_eq!(num(&v, "deadline.probability"), 0.0);
    assert!(
        stdout.contains("The deadline 2027-01-08 (working day 4) is met in 0% of iterations"),
        "{stdout}"
    );

    // check lists the dates; the milestone sits on its finish date.
    p80()
        .arg("check")
        .arg(&project)
        .assert()
        .success()
        .stdout(predicate::str::contains("start date  finish date"))
        .stdout(predicate::str::contains("2027-01-04   2027-01-07"))
        .stdout(predicate::str::contains("2027-01-07   2027-01-07"))
        .stdout(predicate::str::contains("2027-01-08   2027-01-11"))
        .stdout(predicate::str::contains(
            "Deterministic finish date: 2027-01-11",
        ))
        .stdout(predicate::str::contains(
            "Deadline: 2027-01-11 (working day 5); the plan meets it with 0 working days to spare",
        ));
}

#[test]
fn weekend_work_shortens_the_calendar() {
    // Seven-day weeks, no holidays: 5 working days from Friday 2027-01-01 end on Tuesday 01-05.
    let dir = calendar_project(
        "",
        "workdays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]",
    );
    let out = dir.path().join("out");
    simulate_ok(&dir.path().join("project.toml"), &out, &["-n", "100"]);
    let v = read_json(&out);
    assert_eq!(
        v["finish_date"]["deterministic"].as_str(),
        Some("2027-01-05")
    );
    assert!(v.get("deadline").is_none(), "no deadline was given");
}

#[test]
fn milestone_stats_without_a_calendar_has_offsets_only() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = dir.path().join("tasks.csv");
    fs::write(
        &tasks,
        "id,optimistic,likely,pessimistic,depends_on\na,1,2,4,\ngate,0,0,0,a\nb,1,1,1,gate\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    simulate_ok(&tasks, &out, &["-n", "500"]);
    assert_outputs_written(&out, &OUTPUTS_WITHOUT_RESOURCES);
    let text = fs::read_to_string(out.join("milestone_stats.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("id,name,deterministic,mean,p10,p50,p80,p90")
    );
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(row[..3], ["gate", "", "2"]);
    assert_eq!(lines.next(), None);
    let v = read_json(&out);
    assert!(v.get("finish_date").is_none() && v.get("deadline").is_none());
}

#[test]
fn deadline_without_a_start_date_exits_2() {
    // On the command line, with a bare tasks file or a project file without start.
    let simple = simple_tasks();
    expect_usage_error(
        &[
            "simulate",
            simple.to_str().unwrap(),
            "--deadline",
            "2027-06-30",
        ],
        "--deadline 2027-06-30 needs a project start date",
    );
    let dir = tempfile::tempdir().unwrap();
    fs::copy(simple_tasks(), dir.path().join("tasks.csv")).unwrap();
    let project = dir.path().join("project.toml");
    fs::write(&project, "[project]\ntasks = \"tasks.csv\"\n").unwrap();
    expect_usage_error(
        &[
            "simulate",
            project.to_str().unwrap(),
            "--deadline",
            "2027-06-30",
        ],
        "add start = \"YYYY-MM-DD\" to [project]",
    );
    // In the project file: an input error at the deadline's line.
    fs::write(
        &project,
        "[project]\ntasks = \"tasks.csv\"\ndeadline = \"2027-06-30\"\n",
    )
    .unwrap();
    expect_usage_error(
        &["simulate", project.to_str().unwrap()],
        "project.toml:3: field `deadline`: a deadline needs a start date",
    );
}

#[test]
fn bad_deadline_flag_exits_2() {
    let p = dl_project();
    let p = p.to_str().unwrap();
    expect_usage_error(&["simulate", p, "--deadline", "30/06/2027"], "--deadline");
    expect_usage_error(&["simulate", p, "--deadline", "2027-02-30"], "not a date");
    expect_usage_error(
        &["simulate", p, "--deadline", "2026-12-31"],
        "--deadline 2026-12-31 is before the project start 2027-01-04",
    );
}

#[test]
fn bad_calendar_values_exit_2_with_line_and_field() {
    let cases = [
        (
            "start = \"2027-02-29\"",
            "",
            "project.toml:3: field `start`: \"2027-02-29\" is not a date",
        ),
        (
            "start = \"2027-01-04\"\ndeadline = \"2026-12-31\"",
            "",
            "project.toml:4: field `deadline`: deadline 2026-12-31 is before the start 2027-01-04",
        ),
        (
            "start = \"2027-01-04\"",
            "[calendar]\nworkdays = [\"mon\", \"fry\"]",
            "project.toml:6: field `workdays`: unknown weekday `fry`",
        ),
        (
            "start = \"2027-01-04\"",
            "[calendar]\nworkdays = []",
            "project.toml:6: field `workdays`: is empty",
        ),
        (
            "start = \"2027-01-04\"",
            "[calendar]\nholidays = [\n  \"2027-05-31\",\n  \"May 31\",\n]",
            "project.toml:8: field `holidays`: \"May 31\" is not a date",
        ),
        (
            "start = \"2027-01-04\"",
            "[calendar]\nholiday = [\"2027-05-31\"]",
            "project.toml:6: field `holiday`: unknown field",
        ),
    ];
    for (project_keys, calendar, needle) in cases {
        let dir = tempfile::tempdir().unwrap();
        fs::copy(simple_tasks(), dir.path().join("tasks.csv")).unwrap();
        let project = dir.path().join("project.toml");
        fs::write(
            &project,
            format!("[project]\ntasks = \"tasks.csv\"\n{project_keys}\n\n{calendar}\n"),
        )
        .unwrap();
        for cmd in ["simulate", "check"] {
            let cwd = tempfile::tempdir().unwrap();
            p80()
                .current_dir(cwd.path())
                .arg(cmd)
                .arg(&project)
                .assert()
                .code(2)
                .stdout(predicate::str::is_empty())
                .stderr(predicate::str::contains(needle))
                .stderr(predicate::str::contains("panicked").not());
            assert!(snapshot(cwd.path()).is_empty(), "{cmd} wrote files");
        }
    }
}

#[test]
fn check_shows_dates_with_a_calendar_and_none_without() {
    p80()
        .arg("check")
        .arg(dl_project())
        .assert()
        .success()
        .stdout(predicate::str::contains("Deterministic finish date: 2027-05-21"))
        .stdout(predicate::str::contains(
            "Deadline: 2027-06-30 (working day 124); the plan meets it with 26 working days to spare",
        ))
        // model_ready (a milestone) sits on review_model's finish date.
        .stdout(predicate::str::is_match(r"model_ready +0\.0 +77\.0 +77\.0  2027-04-22   2027-04-22").unwrap());
    p80()
        .arg("check")
        .arg(simple_tasks())
        .assert()
        .success()
        .stdout(predicate::str::contains("start date").not())
        .stdout(predicate::str::contains("finish date").not());
}

#[test]
fn a_finish_after_year_9999_exits_2() {
    // 3,000,000 working days is about 11,500 years: no date can show it.
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("tasks.csv"),
        "id,likely,distribution\na,3000000,fixed\n",
    )
    .unwrap();
    let project = dir.path().join("project.toml");
    fs::write(
        &project,
        "[project]\ntasks = \"tasks.csv\"\nstart = \"2027-01-04\"\n",
    )
    .unwrap();
    let p = project.to_str().unwrap();
    expect_usage_error(&["simulate", p, "-n", "10"], "falls after 9999-12-31");
    expect_usage_error(&["check", p], "falls after 9999-12-31");
}
