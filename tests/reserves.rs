//! Backup reserves per resource (`resource_reserve.csv`, `resource_reserves` in summary.json,
//! the console's backup line) against closed forms, as a user runs them.
//!
//! Every check here is exact (or to the 6 decimals the files keep): demand is a sum of the very
//! durations the schedule adds, so no Monte Carlo tolerance is involved.

use std::fs;
use std::path::Path;

use serde_json::Value;
mod support;
use support::p80;

/// Writes a project (tasks.csv, resources.csv and a project.toml naming them) into `dir`.
fn write_project(dir: &Path, tasks: &str, resources: &str, extra: &str) -> std::path::PathBuf {
    fs::write(dir.join("tasks.csv"), tasks).unwrap();
    fs::write(dir.join("resources.csv"), resources).unwrap();
    let toml = format!(
        "[project]\nname = \"reserves\"\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n\
         {extra}"
    );
    fs::write(dir.join("project.toml"), toml).unwrap();
    dir.join("project.toml")
}

/// Runs `p80 simulate` and returns stdout.
fn simulate(project: &Path, out: &Path, args: &[&str]) -> String {
    let a = p80()
        .arg("simulate")
        .arg(project)
        .arg("--out")
        .arg(out)
        .args(args)
        .assert()
        .success();
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

/// `resource_reserve.csv` as rows of (column → cell).
fn rows(out: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(out.join("resource_reserve.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        header,
        [
            "scope",
            "resource",
            "unit",
            "plan",
            "mean",
            "p50",
            "p80",
            "p90",
            "at_confidence",
            "reserve"
        ]
    );
    rdr.records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn f(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("not a number: {cell}"))
}

/// A chain where every task uses `ds:1`: the project's demand of ds is its duration in every
/// iteration, so its percentiles are the duration's, to the last printed digit; the plan is the
/// sum of the most likely durations (3 + 4 + 2 = 9). An hourly resource on one task: units ×
/// 8 hours × days (plan 0.5 × 8 × 4 = 16).
#[test]
fn a_chain_at_one_unit_demands_the_duration_distribution() {
    let d = tempfile::tempdir().unwrap();
    let project = write_project(
        d.path(),
        "id,optimistic,likely,pessimistic,depends_on,resources\n\
         a,1,3,9,,ds\n\
         b,2,4,12,a,ds:1;gpu:0.5\n\
         c,1,2,4,b,ds\n",
        "id,rate,unit,hours_per_day\nds,700,day,\ngpu,30,hour,8\n",
        "[simulation]\niterations = 4000\nseed = 3\nconfidence = 0.85\n",
    );
    let out = d.path().join("out");
    let stdout = simulate(&project, &out, &[]);
    let json: Value = serde_json::from_slice(&fs::read(out.join("summary.json")).unwrap()).unwrap();
    let rows = rows(&out);
    assert_eq!(rows.len(), 2, "project × ds and gpu; no milestones");
    let ds = &rows[0];
    assert_eq!(
        (&*ds["scope"], &*ds["resource"], &*ds["unit"]),
        ("project", "ds", "day")
    );
    assert_eq!(f(&ds["plan"]), 9.0);
    let dur = &json["duration"];
    for k in ["p50", "p80", "p90"] {
        assert_eq!(f(&ds[k]), dur["percentiles"][k].as_f64().unwrap(), "{k}");
    }
    assert_eq!(
        f(&ds["at_confidence"]),
        dur["at_confidence"].as_f64().unwrap()
    );
    assert_eq!(f(&ds["mean"]), dur["mean"].as_f64().unwrap());
    // The reserve is the schedule buffer (duration at the confidence − the plan's 9 days).
    assert_eq!(
        f(&ds["reserve"]),
        json["buffer"]["schedule_days"].as_f64().unwrap()
    );
    let gpu = &rows[1];
    assert_eq!((&*gpu["resource"], &*gpu["unit"]), ("gpu", "hour"));
    assert_eq!(f(&gpu["plan"]), 16.0);
    // The project-level rows are in summary.json too.
    let listed = json["resource_reserves"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["resource"], "ds");
    assert_eq!(listed[0]["reserve"].as_f64().unwrap(), f(&ds["reserve"]));
    assert_eq!(listed[1]["unit"], "hour");
    assert!(
        stdout.contains("Backup at P85 beyond the plan: ds "),
        "{stdout}"
    );
    assert!(stdout.contains("resource_reserve.csv"), "{stdout}");
}

/// A milestone's demand is the sum over its transitive predecessors: with `b` fixed at 5 days,
/// `a` using ds:1 and `b` ds:2, the milestone's ds demand is d_a + 10 in every iteration, so
/// its percentiles are those of the milestone's finish (d_a + 5) shifted by 5; work after the
/// milestone (c) and beside it (x) does not count toward it.
#[test]
fn a_milestone_demands_its_predecessors_work() {
    let d = tempfile::tempdir().unwrap();
    let project = write_project(
        d.path(),
        "id,type,optimistic,likely,pessimistic,depends_on,resources\n\
         a,,1,3,9,,ds\n\
         b,,5,5,5,a,ds:2\n\
         m,milestone,0,0,0,b,\n\
         c,,1,2,4,m,ds:0.5\n\
         x,,2,4,6,,ds:3\n",
        "id,rate\nds,700\n",
        "[simulation]\niterations = 3000\nseed = 8\n",
    );
    let out = d.path().join("out");
    simulate(&project, &out, &["--quiet"]);
    let rows = rows(&out);
    let scopes: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["scope"].as_str(), r["resource"].as_str()))
        .collect();
    assert_eq!(scopes, [("project", "ds"), ("m", "ds")]);
    // Plans: m = 3 × 1 + 5 × 2 = 13; project = 13 + 2 × 0.5 + 4 × 3 = 26.
    assert_eq!(f(&rows[0]["plan"]), 26.0);
    assert_eq!(f(&rows[1]["plan"]), 13.0);
    let mut rdr = csv::Reader::from_path(out.join("milestone_stats.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let ms: Vec<String> = rdr
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let col = |name: &str| f(&ms[header.iter().position(|h| h == name).unwrap()]);
    for k in ["p50", "p80", "p90"] {
        // Both files round to 6 decimals: the shift by 5 holds to 1e-6.
        let got = f(&rows[1][k]);
        assert!(
            (got - (col(k) + 5.0)).abs() <= 2e-6,
            "{k}: {got} vs {}",
            col(k) + 5.0
        );
    }
}

/// Same inputs and seed, one thread or two: the reserve file and summary.json are byte-identical.
#[test]
fn reserves_do_not_depend_on_the_thread_count() {
    let d = tempfile::tempdir().unwrap();
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/dl-project/project.toml");
    let read = |t: &str| {
        let out = d.path().join(t);
        simulate(
            &project,
            &out,
            &["--iterations", "3000", "--threads", t, "--quiet"],
        );
        (
            fs::read(out.join("resource_reserve.csv")).unwrap(),
            fs::read(out.join("summary.json")).unwrap(),
        )
    };
    assert_eq!(read("1"), read("2"));
}

/// Without resources there is no reserve file and no `resource_reserves` key.
#[test]
fn a_plan_without_resources_has_no_reserves() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("tasks.csv"),
        "id,optimistic,likely,pessimistic\na,1,2,3\n",
    )
    .unwrap();
    let out = d.path().join("out");
    let stdout = simulate(&d.path().join("tasks.csv"), &out, &["--iterations", "200"]);
    assert!(!out.join("resource_reserve.csv").exists());
    let json: Value = serde_json::from_slice(&fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert!(json.get("resource_reserves").is_none());
    assert!(!stdout.contains("Backup"), "{stdout}");
}
