//! `p80 compare` (scenarios with common random numbers), `resource_stats.csv` and the budget,
//! through the binary.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const TASKS: &str = "id,optimistic,likely,pessimistic,depends_on,resources,cost\n\
                     design,3,5,10,,dev,\n\
                     build,8,12,25,design,dev;gpu:2,1000\n\
                     test,2,4,9,build,qa,\n\
                     docs,2,3,5,design,dev:0.5,\n";
const RESOURCES: &str = "id,name,rate,unit,hours_per_day,capacity\n\
                         dev,Developer,500,day,,\n\
                         qa,Tester,400,day,,1\n\
                         gpu,GPU,2,hour,24,\n";

/// The required leading columns of comparison.csv.
const REQUIRED: &str = "scenario,duration_p50,duration_p80,duration_p90,cost_p50,cost_p80,cost_p90";

fn p80() -> Command {
    Command::cargo_bin("p80").unwrap()
}

/// A project with `project_keys` added to [project] and `rest` after it (scenarios).
fn fixture(dir: &Path, project_keys: &str, rest: &str) {
    fs::write(dir.join("tasks.csv"), TASKS).unwrap();
    fs::write(dir.join("resources.csv"), RESOURCES).unwrap();
    fs::write(
        dir.join("project.toml"),
        format!(
            "[project]\nname = \"C\"\ncurrency = \"EUR\"\ntasks = \"tasks.csv\"\n\
             resources = \"resources.csv\"\n{project_keys}\n[simulation]\niterations = 2000\n\
             seed = 7\n\n{rest}"
        ),
    )
    .unwrap();
}

/// Runs `p80 compare project.toml --out OUT ARGS` in `dir`, expecting success; returns stdout.
fn compare_ok(dir: &Path, out: &str, args: &[&str]) -> String {
    let a = p80()
        .args(["compare", "project.toml", "--out", out])
        .args(args)
        .current_dir(dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("panicked").not());
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

/// comparison.csv as (header, rows of cells).
fn table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

fn column<'a>(header: &[String], row: &'a [String], name: &str) -> &'a str {
    let i = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    &row[i]
}

#[test]
fn a_scenario_identical_to_the_plan_gives_identical_columns() {
    let d = tempfile::tempdir().unwrap();
    // The same rate, the same assignment and the same estimate as written: nothing changes.
    fixture(
        d.path(),
        "",
        "[[scenario]]\nname = \"same\"\nrate = { dev = 500 }\nassign = { build = \"dev;gpu:2\" }\n\
         estimate = { test = [2, 4, 9] }\n\n\
         [[scenario]]\nname = \"empty\"\n",
    );
    compare_ok(d.path(), "out", &["-q"]);
    let (header, rows) = table(&d.path().join("out/comparison.csv"));
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], "baseline");
    assert_eq!(rows[1][0], "same");
    assert_eq!(rows[2][0], "empty");
    for row in &rows[1..] {
        assert_eq!(row[1..], rows[0][1..], "{header:?}");
    }
}

#[test]
fn doubling_a_rate_raises_the_cost_and_keeps_the_durations() {
    let d = tempfile::tempdir().unwrap();
    fixture(
        d.path(),
        "",
        "[[scenario]]\nname = \"dearer developers\"\nrate = { dev = 1000 }\n",
    );
    let stdout = compare_ok(d.path(), "out", &[]);
    let (header, rows) = table(&d.path().join("out/comparison.csv"));
    let (base, dear) = (&rows[0], &rows[1]);
    for c in [
        "duration_p50",
        "duration_p80",
        "duration_p90",
        "duration_mean",
    ] {
        assert_eq!(column(&header, base, c), column(&header, dear, c), "{c}");
    }
    for c in ["cost_p50", "cost_p80", "cost_p90", "cost_mean", "cost_plan"] {
        let b: f64 = column(&header, base, c).parse().unwrap();
        let x: f64 = column(&header, dear, c).parse().unwrap();
        assert!(x > b, "{c}: {x} <= {b}");
    }
    // The developer's cost doubles exactly (same draws): the plan's dev time is 5 + 12 + 1.5
    // days, 500 a day more.
    let b: f64 = column(&header, base, "cost_plan").parse().unwrap();
    let x: f64 = column(&header, dear, "cost_plan").parse().unwrap();
    assert!((x - b - 18.5 * 500.0).abs() < 1e-6, "{x} - {b}");
    assert!(stdout.contains("Common random numbers"), "{stdout}");
    assert!(stdout.contains("dearer developers"), "{stdout}");
    assert!(stdout.contains("compared with baseline"), "{stdout}");
    assert!(
        stdout.contains("Wrote comparison.csv, comparison.png to out"),
        "{stdout}"
    );
}

#[test]
fn capacity_in_a_scenario_levels_the_plan() {
    let d = tempfile::tempdir().unwrap();
    // Two fixed 4-day tasks in parallel, each needing a whole developer.
    fs::write(
        d.path().join("tasks.csv"),
        "id,likely,distribution,resources\na,4,fixed,dev\nb,4,fixed,dev\n",
    )
    .unwrap();
    fs::write(d.path().join("resources.csv"), "id,rate\ndev,100\n").unwrap();
    fs::write(
        d.path().join("project.toml"),
        "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n\n\
         [[scenario]]\nname = \"one developer\"\ncapacity = { dev = 1 }\n\n\
         [[scenario]]\nname = \"two developers\"\nbased_on = \"one developer\"\n\
         capacity = { dev = 2 }\n",
    )
    .unwrap();
    compare_ok(d.path(), "out", &["-q", "-n", "100"]);
    let (header, rows) = table(&d.path().join("out/comparison.csv"));
    let p50 = |r: &[String]| column(&header, r, "duration_p50").to_string();
    assert_eq!(p50(&rows[0]), "4");
    assert_eq!(p50(&rows[1]), "8");
    assert_eq!(p50(&rows[2]), "4");
    // The same work, so the same cost.
    assert_eq!(column(&header, &rows[1], "cost_p50"), "800");
}

#[test]
fn header_has_the_required_columns_then_dates_buffer_reserve_and_chances() {
    let d = tempfile::tempdir().unwrap();
    fixture(
        d.path(),
        "start = \"2027-01-04\"\ndeadline = \"2027-02-26\"\nbudget = 30000\n",
        "[[scenario]]\nname = \"two testers\"\ncapacity = { qa = 2 }\n",
    );
    let stdout = compare_ok(d.path(), "out", &[]);
    let text = fs::read_to_string(d.path().join("out/comparison.csv")).unwrap();
    let header = text.lines().next().unwrap();
    assert_eq!(
        header,
        format!(
            "{REQUIRED},finish_date_p50,finish_date_p80,finish_date_p90,schedule_buffer,\
             cost_reserve,deadline_probability,budget_probability,duration_plan,duration_mean,\
             duration_at_confidence,cost_plan,cost_mean,cost_at_confidence,confidence"
        )
    );
    let (h, rows) = table(&d.path().join("out/comparison.csv"));
    let date = column(&h, &rows[0], "finish_date_p80");
    assert!(date.starts_with("2027-"), "{date}");
    let p: f64 = column(&h, &rows[0], "deadline_probability")
        .parse()
        .unwrap();
    assert!((0.0..=1.0).contains(&p));
    let p: f64 = column(&h, &rows[0], "budget_probability").parse().unwrap();
    assert!((0.0..=1.0).contains(&p));
    // The buffer is the value at the confidence minus the plan.
    let at: f64 = column(&h, &rows[0], "duration_at_confidence")
        .parse()
        .unwrap();
    let plan: f64 = column(&h, &rows[0], "duration_plan").parse().unwrap();
    let buffer: f64 = column(&h, &rows[0], "schedule_buffer").parse().unwrap();
    assert!((at - plan - buffer).abs() < 2e-6);
    for needle in [
        "finish P80",
        "on time",
        "in budget",
        "EUR 30,000",
        "2027-02-26",
    ] {
        assert!(stdout.contains(needle), "{needle} in\n{stdout}");
    }

    // Without a start, deadline or budget those columns are left out.
    let d = tempfile::tempdir().unwrap();
    fixture(d.path(), "", "");
    compare_ok(d.path(), "out", &["-q"]);
    let text = fs::read_to_string(d.path().join("out/comparison.csv")).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        format!(
            "{REQUIRED},schedule_buffer,cost_reserve,duration_plan,duration_mean,\
             duration_at_confidence,cost_plan,cost_mean,cost_at_confidence,confidence"
        )
    );
}

#[test]
fn without_scenarios_compare_runs_the_baseline_and_says_so() {
    let d = tempfile::tempdir().unwrap();
    fixture(d.path(), "", "");
    p80()
        .args(["compare", "project.toml", "--out", "out", "-n", "300"])
        .current_dir(d.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: the project has no [[scenario]]: compared the plan as written (baseline) only",
        ))
        .stdout(predicate::str::contains("1 scenario,"));
    let (_, rows) = table(&d.path().join("out/comparison.csv"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "baseline");
}

#[test]
fn an_unknown_resource_in_a_scenario_exits_2_at_its_line() {
    let d = tempfile::tempdir().unwrap();
    // [project] is lines 1-5, an empty line, [simulation] 7-9, an empty line, then the scenario.
    fixture(
        d.path(),
        "",
        "[[scenario]]\nname = \"more\"\ncapacity = { qa = 2, devs = 2 }\n",
    );
    let toml = fs::read_to_string(d.path().join("project.toml")).unwrap();
    let line = toml
        .lines()
        .position(|l| l.starts_with("capacity"))
        .unwrap()
        + 1;
    p80()
        .args(["compare", "project.toml", "--out", "out"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "project.toml:{line}: field `capacity`: scenario `more`: unknown resource `devs`"
        )));
    assert!(!d.path().join("out").exists(), "nothing is written");

    // A bad value and a reserved name are reported from the project file too.
    fixture(
        d.path(),
        "",
        "[[scenario]]\nname = \"baseline\"\n\n[[scenario]]\nname = \"x\"\nrate = { dev = -1 }\n",
    );
    p80()
        .args(["compare", "project.toml", "--out", "out"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "field `name`: `baseline` is reserved",
        ))
        .stderr(predicate::str::contains(
            "field `rate`: scenario `x`: rate of `dev` is -1",
        ));
}

#[test]
fn comparison_outputs_are_identical_for_any_thread_count_and_the_chart_has_text() {
    let d = tempfile::tempdir().unwrap();
    fixture(
        d.path(),
        "start = \"2027-01-04\"\n",
        "[[scenario]]\nname = \"outsourced docs\"\nassign = { docs = \"\" }\ncost = { docs = [800, 1000, 1500] }\n\n\
         [[scenario]]\nname = \"slower build\"\nestimate = { build = [10, 14, 30] }\n",
    );
    compare_ok(d.path(), "a", &["-q", "-j", "1"]);
    compare_ok(d.path(), "b", &["-q", "-j", "2"]);
    for f in ["comparison.csv", "comparison.png"] {
        assert!(
            fs::read(d.path().join("a").join(f)).unwrap()
                == fs::read(d.path().join("b").join(f)).unwrap(),
            "{f} differs between -j1 and -j2"
        );
    }
    let mut files: Vec<String> = fs::read_dir(d.path().join("a"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["comparison.csv", "comparison.png"]);

    let png = fs::read(d.path().join("a/comparison.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1200, 900));
    let dark = (0..40)
        .flat_map(|y| (0..img.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let p = img.get_pixel(x, y).0;
            let lum = 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]);
            lum < 100.0
        })
        .count();
    assert!(dark > 300, "only {dark} dark pixels in the title band");

    let (h, rows) = table(&d.path().join("a/comparison.csv"));
    // A slower build takes longer; outsourcing the docs changes only the cost.
    let d80 = |r: &[String]| column(&h, r, "duration_p80").parse::<f64>().unwrap();
    assert!(d80(&rows[2]) > d80(&rows[0]));
    assert_eq!(d80(&rows[1]), d80(&rows[0]));
}

#[test]
fn resource_stats_for_a_hand_checkable_plan() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("tasks.csv"),
        "id,likely,distribution,resources\nwork,4,fixed,dev:0.5\n",
    )
    .unwrap();
    fs::write(
        d.path().join("resources.csv"),
        "id,name,rate,capacity\ndev,Developer,100,1\nops,Operations,50,\n",
    )
    .unwrap();
    fs::write(
        d.path().join("project.toml"),
        "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\nbudget = 200\n",
    )
    .unwrap();
    let a = p80()
        .args(["simulate", "project.toml", "-n", "50", "--out", "out"])
        .current_dir(d.path())
        .assert()
        .success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let text = fs::read_to_string(d.path().join("out/resource_stats.csv")).unwrap();
    assert_eq!(
        text,
        "id,name,capacity,mean_busy_days,mean_cost,utilisation,mean_idle_days,mean_idle_cost\n\
         dev,Developer,1,2,200,0.5,,\n\
         ops,Operations,,0,0,,,\n"
    );
    // The budget equals the fixed cost: met in every iteration.
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(d.path().join("out/summary.json")).unwrap()).unwrap();
    assert_eq!(v["budget"]["amount"], 200.0);
    assert_eq!(v["budget"]["probability"], 1.0);
    assert!(
        stdout.contains("The budget 200 is met in 100% of iterations"),
        "{stdout}"
    );
    assert!(stdout.contains("resource_stats.csv"), "{stdout}");
    // --budget overrides the file.
    let v = {
        p80()
            .args([
                "simulate",
                "project.toml",
                "-n",
                "50",
                "-q",
                "--budget",
                "199",
                "--out",
                "o2",
            ])
            .current_dir(d.path())
            .assert()
            .success();
        serde_json::from_slice::<serde_json::Value>(
            &fs::read(d.path().join("o2/summary.json")).unwrap(),
        )
        .unwrap()
    };
    assert_eq!(v["budget"]["probability"], 0.0);
}

#[test]
fn resource_stats_add_up_to_the_resource_part_of_the_cost() {
    let d = tempfile::tempdir().unwrap();
    fixture(d.path(), "", "");
    p80()
        .args(["simulate", "project.toml", "-q", "--out", "out"])
        .current_dir(d.path())
        .assert()
        .success();
    let text = fs::read_to_string(d.path().join("out/resource_stats.csv")).unwrap();
    let resource_cost: f64 = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(4).unwrap().parse::<f64>().unwrap())
        .sum();
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(d.path().join("out/summary.json")).unwrap()).unwrap();
    let mean_cost = v["cost"]["mean"].as_f64().unwrap();
    // Mean cost = fixed costs (1000) + every resource's mean cost (6-decimal rounding aside).
    assert!(
        (mean_cost - 1000.0 - resource_cost).abs() < 1e-4,
        "{mean_cost} vs {resource_cost}"
    );
}

#[test]
fn the_example_project_compares_its_staffing_scenarios() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/dl-project/project.toml");
    let out = tempfile::tempdir().unwrap();
    let a = p80()
        .arg("compare")
        .arg(&project)
        .args(["-n", "500", "--out"])
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let (h, rows) = table(&out.path().join("comparison.csv"));
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        names,
        [
            "baseline",
            "team of three",
            "second data engineer",
            "data engineer hired in March",
            "bigger GPU"
        ]
    );
    let d80 = |i: usize| column(&h, &rows[i], "duration_p80").parse::<f64>().unwrap();
    let c80 = |i: usize| column(&h, &rows[i], "cost_p80").parse::<f64>().unwrap();
    // One person per role makes tasks wait; a second data engineer recovers much of it, one
    // hired in March less.
    assert!(d80(1) > d80(0));
    assert!(d80(2) < d80(3) && d80(3) < d80(1));
    // People are billed as a team: the cost columns differ by scenario (a smaller team is
    // cheaper even though it takes longer).
    assert!(c80(1) < c80(2) && c80(2) < c80(0), "{rows:?}");
    // The bigger GPU changes costs only.
    assert_eq!(d80(4), d80(0));
    assert!(c80(4) < c80(0));
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .starts_with("Recommendation: at P80, "),
        "{stdout}"
    );
    assert!(stdout.contains("deadline 2027-06-30"), "{stdout}");
}

#[test]
fn a_cost_of_delay_adds_the_economic_cost_and_a_recommendation() {
    let d = tempfile::tempdir().unwrap();
    // A chain of about 21 working days against a deadline of 20 (2027-01-04 to 2027-01-29);
    // a contractor makes `build` faster for 9,000 more.
    fixture(
        d.path(),
        "start = \"2027-01-04\"\ndeadline = \"2027-01-29\"\ndelay_cost = 2000\n",
        "[[scenario]]\nname = \"contractor\"\nestimate = { build = [4, 6, 9] }\n\
         cost = { build = 10000 }\n",
    );
    let stdout = compare_ok(d.path(), "out", &["--threads", "1"]);
    let (header, rows) = table(&d.path().join("out/comparison.csv"));
    let at = |row: &[String], name: &str| column(&header, row, name).parse::<f64>().unwrap();
    for row in &rows {
        for p in ["p50", "p80", "p90"] {
            let (c, e) = (
                at(row, &format!("cost_{p}")),
                at(row, &format!("economic_cost_{p}")),
            );
            assert!(e >= c, "economic cost {e} below cost {c}");
        }
    }
    // The contractor is on time: its economic cost is its cost; the baseline is late often.
    assert!(at(&rows[1], "deadline_probability") >= 0.8);
    assert_eq!(at(&rows[1], "economic_cost_p80"), at(&rows[1], "cost_p80"));
    assert!(at(&rows[0], "deadline_probability") < 0.8);
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("Recommendation: at P80, \"")
            && last.contains("the cheapest that meets the deadline 2027-01-29 with at least 80%")
            || last.contains("it is also the cheapest that meets the deadline 2027-01-29"),
        "{stdout}"
    );
    let lowest = if at(&rows[0], "economic_cost_p80") < at(&rows[1], "economic_cost_p80") {
        "baseline"
    } else {
        "contractor"
    };
    assert!(
        last.contains(&format!("\"{lowest}\" has the lowest economic cost")),
        "{last}"
    );
    // The same bytes on two threads.
    compare_ok(d.path(), "out2", &["--threads", "2"]);
    for f in ["comparison.csv", "comparison.png"] {
        assert_eq!(
            fs::read(d.path().join("out").join(f)).unwrap(),
            fs::read(d.path().join("out2").join(f)).unwrap(),
            "{f}"
        );
    }
    // simulate: summary.json's economic_cost has the shape of cost.
    let a = p80()
        .args(["simulate", "project.toml", "--out", "sim"])
        .current_dir(d.path())
        .assert()
        .success();
    let text = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains(
            "With EUR 2,000 per working day past the deadline, the economic cost at P80 is EUR "
        ),
        "{text}"
    );
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(d.path().join("sim/summary.json")).unwrap()).unwrap();
    let keys =
        |x: &serde_json::Value| -> Vec<String> { x.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&v["economic_cost"]), keys(&v["cost"]));
    assert!(v["economic_cost"]["mean"].as_f64() > v["cost"]["mean"].as_f64());
}

#[test]
fn a_cost_of_delay_needs_a_deadline() {
    let d = tempfile::tempdir().unwrap();
    fixture(d.path(), "delay_cost = 100\n", "");
    p80()
        .args(["compare", "project.toml", "--out", "out"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "project.toml:6: field `delay_cost`: a cost of delay needs a deadline",
        ));
}
