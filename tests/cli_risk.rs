//! The risk register, correlation, Latin hypercube and automatic iterations through the CLI.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const TASKS: &str = "id,optimistic,likely,pessimistic,depends_on,resources\n\
                     design,3,5,10,,dev\n\
                     build,8,12,25,design,dev\n\
                     test,2,4,9,build,dev\n\
                     docs,2,3,5,design,dev\n";
const RESOURCES: &str = "id,rate\ndev,500\n";
const RISKS: &str = "id,name,probability,kind,impact_optimistic,impact_likely,impact_pessimistic,cost_likely,affects\n\
                     late,Vendor late,0.3,event,2,4,8,1000,build\n\
                     team,New team,0.5,driver,0.9,1.0,1.4,,build;test\n";

fn fixture(dir: &Path, extra_toml: &str) {
    fs::write(dir.join("tasks.csv"), TASKS).unwrap();
    fs::write(dir.join("resources.csv"), RESOURCES).unwrap();
    fs::write(dir.join("risks.csv"), RISKS).unwrap();
    fs::write(
        dir.join("project.toml"),
        format!(
            "[project]\nname = \"R\"\ncurrency = \"EUR\"\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\nrisks = \"risks.csv\"\n{extra_toml}"
        ),
    )
    .unwrap();
}

fn p80() -> Command {
    Command::cargo_bin("p80").unwrap()
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

#[test]
fn risks_correlation_lhs_and_auto_iterations_end_to_end() {
    let d = tempfile::tempdir().unwrap();
    fixture(
        d.path(),
        "[[correlation]]\ntasks = [\"design\", \"build\", \"test\"]\ncoefficient = 0.5\n",
    );
    let out = d.path().join("out");
    p80()
        .args([
            "simulate",
            "project.toml",
            "--sampling",
            "lhs",
            "--iterations",
            "auto",
            "--out",
        ])
        .arg(&out)
        .current_dir(d.path())
        .assert()
        .success();
    let s = json(&out.join("summary.json"));
    assert_eq!(s["sampling"], "lhs");
    assert_eq!(s["iterations_chosen"], "auto");
    // The stopping rule: both standard errors at the confidence within 0.1% of the values,
    // unless the maximum was reached.
    let n = s["iterations"].as_u64().unwrap();
    assert!((2_000..=2_048_000).contains(&n));
    if n < 2_048_000 {
        for m in ["duration", "cost"] {
            let se = s[m]["standard_errors"]["at_confidence"].as_f64().unwrap();
            let v = s[m]["at_confidence"].as_f64().unwrap();
            // Values in summary.json are rounded to 6 decimals.
            assert!(se <= 0.001 * v + 1e-6, "{m}: se {se} vs value {v}");
        }
    }
    let risks = fs::read_to_string(out.join("risk_stats.csv")).unwrap();
    let mut lines = risks.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,name,kind,probability,occurred,duration_contribution,cost_contribution"
    );
    let late: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&late[..3], &["late", "Vendor late", "event"]);
    let occurred: f64 = late[4].parse().unwrap();
    // A binomial share of n iterations: z = 4.5 standard errors √(p(1 − p)/n), plus 1/n for
    // the count's granularity and 1e-6 for the rounding to 6 decimals. (Under LHS risk
    // occurrences are plain Monte Carlo draws, so the plain standard error applies.)
    let tol = 4.5 * (0.3 * 0.7 / n as f64).sqrt() + 1.0 / n as f64 + 1e-6;
    assert!((occurred - 0.3).abs() < tol, "occurred {occurred} (±{tol})");
    let contribution: f64 = late[5].parse().unwrap();
    assert!(
        contribution > 0.0,
        "a schedule risk lengthens the project: {contribution}"
    );
}

#[test]
fn results_are_identical_for_any_thread_count_with_every_feature() {
    let d = tempfile::tempdir().unwrap();
    fixture(d.path(), "[simulation]\niterations = 3000\nsampling = \"lhs\"\n[[correlation]]\ntasks = [\"build\", \"test\"]\ncoefficient = 0.7\n");
    let run = |threads: &str, out: &str| {
        p80()
            .args([
                "simulate",
                "project.toml",
                "-j",
                threads,
                "-q",
                "--out",
                out,
            ])
            .current_dir(d.path())
            .assert()
            .success();
    };
    run("1", "a");
    run("2", "b");
    for f in [
        "summary.json",
        "summary.csv",
        "task_stats.csv",
        "risk_stats.csv",
        "health.csv",
        "duration.png",
        "cost.png",
        "gantt.png",
    ] {
        assert_eq!(
            fs::read(d.path().join("a").join(f)).unwrap(),
            fs::read(d.path().join("b").join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn inconsistent_correlations_warn_or_fail_in_strict_mode() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("corr.csv"),
        "task_a,task_b,coefficient\ndesign,build,0.9\nbuild,test,0.9\ndesign,test,-0.9\n",
    )
    .unwrap();
    fixture(d.path(), "correlations = \"corr.csv\"\n");
    // correlations must be in [project]: rewrite the file with the key in place.
    let toml = fs::read_to_string(d.path().join("project.toml"))
        .unwrap()
        .replace("correlations = \"corr.csv\"\n", "");
    let toml = toml.replace(
        "risks = \"risks.csv\"\n",
        "risks = \"risks.csv\"\ncorrelations = \"corr.csv\"\n",
    );
    fs::write(d.path().join("project.toml"), &toml).unwrap();
    p80()
        .args(["simulate", "project.toml", "-n", "500", "-q", "--out", "o"])
        .current_dir(d.path())
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "warning: the correlations among 3 tasks were inconsistent",
        ));
    fs::write(
        d.path().join("project.toml"),
        format!("{toml}[simulation]\nstrict_correlation = true\n"),
    )
    .unwrap();
    p80()
        .args(["simulate", "project.toml", "-n", "500", "-q", "--out", "o2"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "corr.csv:2: field `coefficient`: the correlations are inconsistent",
        ));
    assert!(!d.path().join("o2").exists());
}

#[test]
fn bad_risk_rows_are_reported_with_line_and_field() {
    let d = tempfile::tempdir().unwrap();
    fixture(d.path(), "");
    fs::write(
        d.path().join("risks.csv"),
        "id,probability,kind,impact_likely,affects\nr1,1.2,event,3,build\nr2,0.5,event,3,nosuch\n",
    )
    .unwrap();
    p80()
        .args(["simulate", "project.toml", "--out", "o"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "risks.csv:2: field `probability`: 1.2 is not between 0 and 1",
        ));
    fs::write(
        d.path().join("risks.csv"),
        "id,probability,kind,impact_likely,affects\nr2,0.5,event,3,nosuch\n",
    )
    .unwrap();
    p80()
        .args(["simulate", "project.toml", "--out", "o"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "risks.csv:2: field `affects`: unknown task `nosuch`",
        ));
    assert!(!d.path().join("o").exists());
}

#[test]
fn a_missing_risks_file_is_reported_at_its_key() {
    let d = tempfile::tempdir().unwrap();
    fixture(d.path(), "");
    fs::remove_file(d.path().join("risks.csv")).unwrap();
    p80()
        .args(["simulate", "project.toml", "--out", "o"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("project.toml:6: field `risks`"));
}

#[test]
fn bad_sampling_and_iterations_are_usage_errors() {
    let d = tempfile::tempdir().unwrap();
    fixture(d.path(), "");
    p80()
        .args(["simulate", "project.toml", "--sampling", "sobol"])
        .current_dir(d.path())
        .assert()
        .code(2);
    p80()
        .args(["simulate", "project.toml", "-n", "many"])
        .current_dir(d.path())
        .assert()
        .code(2);
    fs::write(
        d.path().join("project.toml"),
        "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n[simulation]\nsampling = \"sobol\"\niterations = \"lots\"\n",
    )
    .unwrap();
    p80()
        .args(["simulate", "project.toml", "--out", "o"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "project.toml:5: field `sampling`: unknown sampling `sobol`",
        ))
        .stderr(predicates::str::contains(
            "project.toml:6: field `iterations`",
        ));
}
