//! `p80 forecast` and forecast tasks as a user runs them: the example, the artefacts, byte
//! identity for any thread count, and every kind of bad input (exit 2, the whole message,
//! nothing written, inputs untouched).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn p80() -> Command {
    Command::cargo_bin("p80").expect("the p80 binary is built")
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sprint-team/project.toml")
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            files.insert(path.clone(), fs::read(&path).unwrap());
        }
    }
    files
}

/// A temporary folder with a throughput history of 8 two-week sprints and a project.toml.
struct Fixture {
    dir: tempfile::TempDir,
}

const HISTORY: &str = "period,end_date,items_done\n\
    1,2027-01-08,7\n2,2027-01-22,9\n3,2027-02-05,4\n4,2027-02-19,11\n\
    5,2027-03-05,8\n6,2027-03-19,10\n7,2027-04-02,6\n8,2027-04-16,9\n";

impl Fixture {
    fn new(project: &str) -> Fixture {
        let f = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        f.file("history.csv", HISTORY).file("project.toml", project);
        f
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, name: &str, text: &str) -> &Fixture {
        fs::write(self.path().join(name), text).unwrap();
        self
    }

    /// Runs p80 in the folder; returns (exit code, stdout, stderr).
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = p80().current_dir(self.path()).args(args).output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Runs p80 expecting invalid input or usage: exit 2, nothing on stdout, no panic, no
    /// output folder, every file unchanged. Returns stderr.
    fn invalid(&self, args: &[&str]) -> String {
        let before = snapshot(self.path());
        let (code, stdout, stderr) = self.run(args);
        assert_eq!(code, 2, "p80 {args:?}: stderr\n{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!self.path().join("out").exists());
        assert!(!self.path().join("p80-out").exists());
        assert_eq!(snapshot(self.path()), before, "inputs changed");
        stderr
    }
}

const WHEN: &str = "[project]\nname = \"Team\"\nstart = \"2027-04-19\"\n\n\
    [forecast]\nhistory = \"history.csv\"\nperiod_length = 10\nbacklog = [60, 70, 90]\n";

#[test]
fn the_example_forecasts_when_and_how_many() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("when");
    let a = p80()
        .args([
            "forecast",
            example().to_str().unwrap(),
            "-o",
            o.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(
        a.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    let text = String::from_utf8(a.stdout).unwrap();
    assert!(
        text.starts_with(
            "p80 forecast: Inspection app team [forecast] — 10,000 iterations, seed 42"
        ),
        "{text}"
    );
    assert!(
        text.contains("At P80 (80% confidence) the backlog is done within "),
        "{text}"
    );
    assert!(
        text.contains("Wrote forecast.csv, forecast.png to "),
        "{text}"
    );
    let csv = fs::read_to_string(o.join("forecast.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("percentile,periods,working_days,date"));
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    let percentiles: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        percentiles,
        ["5", "10", "25", "50", "70", "75", "80", "85", "90", "95", "99"]
    );
    // Periods never fall as the percentile rises; working days are 10 a period.
    for w in rows.windows(2) {
        assert!(w[0][1].parse::<u64>().unwrap() <= w[1][1].parse::<u64>().unwrap());
    }
    for r in &rows {
        assert_eq!(
            r[2].parse::<u64>().unwrap(),
            10 * r[1].parse::<u64>().unwrap()
        );
    }
    let png = fs::read(o.join("forecast.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    let o = out.path().join("by-june");
    let b = p80()
        .args([
            "forecast",
            example().to_str().unwrap(),
            "--name",
            "by-june",
            "-o",
            o.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(b.status.success());
    let csv = fs::read_to_string(o.join("forecast.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("percentile,items"));
    let items: Vec<u64> = lines
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    // More confidence, fewer items.
    assert!(items.windows(2).all(|w| w[0] >= w[1]), "{items:?}");
    assert!(items[0] > items[10], "{items:?}");
}

#[test]
fn outputs_are_byte_identical_for_any_thread_count() {
    let f = Fixture::new(&format!(
        "{WHEN}split_rate = [1.0, 1.3]\n\n[forecast.june]\nuntil = \"2027-06-30\"\n"
    ));
    for name in ["", "june"] {
        let mut first: Option<(Vec<u8>, Vec<u8>)> = None;
        for threads in ["1", "2", "3"] {
            let out = format!("out-{name}-{threads}");
            let mut args = vec![
                "forecast",
                "project.toml",
                "-n",
                "20000",
                "-j",
                threads,
                "-o",
            ];
            args.push(&out);
            if !name.is_empty() {
                args.extend(["--name", name]);
            }
            let (code, _, stderr) = f.run(&args);
            assert_eq!(code, 0, "{stderr}");
            let dir = f.path().join(&out);
            let files = (
                fs::read(dir.join("forecast.csv")).unwrap(),
                fs::read(dir.join("forecast.png")).unwrap(),
            );
            match &first {
                None => first = Some(files),
                Some(want) => assert!(&files == want, "{name}: -j {threads} differs"),
            }
        }
    }
}

#[test]
fn a_short_history_warns_and_a_seed_reproduces() {
    let f = Fixture::new(WHEN);
    f.file(
        "history.csv",
        "end_date,items_done\n2027-03-19,10\n2027-04-02,6\n2027-04-16,9\n",
    );
    let (code, stdout, stderr) = f.run(&["forecast", "project.toml", "-o", "a", "--seed", "5"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "warning: [forecast]: only 3 periods of history resampled; a bootstrap of so few \
         periods cannot show the spread a longer history would, so treat the forecast as rough \
         and add periods to history.csv as they finish (at least 5, better 10 or more)\n"
    );
    assert!(stdout.contains("History: history.csv: 3 periods (2027-03-19 … 2027-04-16), 6–10 items a period, mean 8.3"), "{stdout}");
    let (_, _, _) = f.run(&["forecast", "project.toml", "-o", "b", "--seed", "5", "-q"]);
    assert_eq!(
        fs::read(f.path().join("a/forecast.csv")).unwrap(),
        fs::read(f.path().join("b/forecast.csv")).unwrap()
    );
}

#[test]
fn an_endless_forecast_is_capped_and_explained() {
    // One item in 1,000 periods on average: 5 items take about 5,000 periods, and some
    // iterations exceed the cap of 10,000.
    let mut history = String::from("period,items_done\n");
    for i in 1..=1000 {
        history.push_str(&format!("{i},{}\n", u32::from(i == 500)));
    }
    let f = Fixture::new("[forecast]\nhistory = \"history.csv\"\nperiod_length = 1\nbacklog = 5\n");
    f.file("history.csv", &history);
    let (code, stdout, stderr) = f.run(&["forecast", "project.toml", "-n", "2000", "-o", "capped"]);
    assert_eq!(code, 0, "{stderr}");
    let capped: usize = stderr
        .strip_prefix("warning: [forecast]: ")
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    // P(Poisson(10) < 5) ≈ 0.029 of the iterations: about 58 of 2,000.
    assert!((20..120).contains(&capped), "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "warning: [forecast]: {capped} of 2000 iterations did not finish within 10000 \
             periods and stopped there; check the backlog against the history\n"
        )
    );
    assert!(stdout.contains(&format!(
        "{capped} iterations reached the cap of 10,000 periods unfinished and count as 10,000"
    )));
    // A backlog that could never be done in time is refused before anything runs.
    f.file(
        "project.toml",
        "[forecast]\nhistory = \"history.csv\"\nperiod_length = 1\nbacklog = 50\n",
    );
    assert_eq!(
        f.invalid(&["forecast", "project.toml", "-o", "out"]),
        "error: invalid input: 1 problem found\n  project.toml:4: field `backlog`: [forecast]: \
         up to 50 items at the mean throughput of 0.00 items a period would take about 50,000 \
         periods (50,000 working days); p80 forecasts at most 10,000 periods: check the \
         backlog and the history's items_done, or forecast a part of the backlog\n"
    );
}

/// `history.csv` replaced by `text` must fail with exactly `message`.
fn bad_history(text: &str, message: &str) {
    let f = Fixture::new(WHEN);
    f.file("history.csv", text);
    assert_eq!(
        f.invalid(&["forecast", "project.toml", "-o", "out"]),
        format!("error: invalid input: {message}\n")
    );
}

#[test]
fn bad_histories_name_file_line_and_field() {
    bad_history(
        "period,end_date,items_done\n",
        "1 problem found\n  history.csv: the file has a header but no periods; add one row per \
         past period, oldest first, with the items finished in it (items_done)",
    );
    bad_history(
        "period,items_done\n1,0\n2,0\n3,0\n",
        "1 problem found\n  history.csv: field `items_done`: every period has items_done 0: a \
         team that has finished nothing gives nothing to forecast from; check the column, or \
         add periods in which items were finished (3 periods read)",
    );
    bad_history(
        "period,end_date,items_done\n1,2027-01-08,7\n2,2027-01-22,-2\n3,2027-01-15,4.5\n",
        "3 problems found\n  history.csv:3: field `items_done`: -2 is negative; items_done \
         counts the items finished in the period (0, 1, 2 …)\n  history.csv:4: field \
         `items_done`: 4.5 is not a whole number; items_done counts finished items (0, 1, 2 …): \
         count an item in the period in which it was finished\n  history.csv:4: field \
         `end_date`: 2027-01-15 is before 2027-01-22 (line 3); list the periods oldest first",
    );
    bad_history(
        "period,done\n1,3\n",
        "2 problems found\n  history.csv:1: field `done`: unknown column; known columns are \
         period, end_date, items_done; start user-note columns with `x_`\n  history.csv:1: \
         field `items_done`: required column is missing; the header needs at least: items_done",
    );
    bad_history(
        "items_done\n3\n",
        "1 problem found\n  history.csv:1: field `end_date`: the header needs an `end_date` \
         column (each period's last day, YYYY-MM-DD) or a `period` column (1, 2, 3 …) or both, \
         beside items_done",
    );
    bad_history(
        "period,items_done\n1,five\n",
        "1 problem found\n  history.csv:2: field `items_done`: `five` is not a number; give the \
         items finished in the period as a whole number, e.g. 12",
    );
}

#[test]
fn bad_forecast_tables_name_line_and_field() {
    let f = Fixture::new(
        "[project]\nstart = \"2027-04-19\"\n\n[forecast]\nhistory = \"missing.csv\"\n\
         period_length = 0\nbacklog = [90, 60]\n",
    );
    assert_eq!(
        f.invalid(&["forecast", "project.toml", "-o", "out"]),
        "error: invalid input: 2 problems found\n  project.toml:6: field `period_length`: 0 is \
         not a whole number of working days >= 1; write e.g. 10 for two-week sprints\n  \
         project.toml:7: field `backlog`: [90, 60] is not in order; a range goes from the \
         fewest items to the most\n"
    );
    f.file(
        "project.toml",
        "[forecast]\nhistory = \"missing.csv\"\nperiod_length = 10\nuntil = \"2027-06-30\"\n",
    );
    assert_eq!(
        f.invalid(&["forecast", "project.toml", "-o", "out"]),
        "error: invalid input: 1 problem found\n  project.toml:4: field `until`: until needs the \
         date the forecast starts from; add start = \"YYYY-MM-DD\" to [project]\n"
    );
    f.file(
        "project.toml",
        "[forecast]\nhistory = \"missing.csv\"\nperiod_length = 10\nbacklog = 40\n",
    );
    assert_eq!(
        f.invalid(&["forecast", "project.toml", "-o", "out"]),
        "error: invalid input: 1 problem found\n  project.toml:2: field `history`: missing.csv: \
         file not found; check the path (paths in project.toml are relative to the project \
         file)\n"
    );
    f.file(
        "project.toml",
        "[project]\nname = \"x\"\n\n[forecast]\nhistory = \"history.csv\"\nperiod_length = 10\n\
         backlog = 40\nlast_periods = 2\n\n[forecast.a]\nbacklog = 5\n",
    );
    f.file("history.csv", "period,items_done\n1,5\n2,0\n3,0\n");
    assert_eq!(
        f.invalid(&["forecast", "project.toml", "-o", "out"]),
        "error: invalid input: 1 problem found\n  project.toml:8: field `last_periods`: \
         [forecast]: the last 2 periods of history.csv all have items_done 0, so no forecast can \
         finish; resample more periods (raise last_periods) or check the history\n"
    );
}

#[test]
fn usage_errors() {
    let f = Fixture::new(&format!("{WHEN}\n[forecast.a]\nbacklog = 5\n"));
    assert_eq!(
        f.invalid(&["forecast", "project.toml", "--name", "b", "-o", "out"]),
        "error: --name b: project.toml defines no [forecast.b]; its forecasts are: (the \
         [forecast] table), a\n"
    );
    assert_eq!(
        f.invalid(&["forecast", "project.toml", "-n", "auto", "-o", "out"]),
        "error: p80 forecast runs a fixed number of iterations (the bootstrap is cheap): give \
         one with --iterations, e.g. -n 100000\n"
    );
    assert_eq!(
        f.invalid(&["forecast", "history.csv", "-o", "out"]),
        "error: history.csv: p80 forecast reads a project.toml with a [forecast] table \
         (history, period_length, and backlog or until); see docs/format.md\n"
    );
    f.file(
        "project.toml",
        "[forecast]\nhistory = \"history.csv\"\nperiod_length = 10\n\n\
         [forecast.a]\nbacklog = 5\n\n[forecast.b]\nbacklog = 7\n",
    );
    assert_eq!(
        f.invalid(&["forecast", "project.toml", "-o", "out"]),
        "error: project.toml defines several forecasts (a, b); choose one with --name\n"
    );
    // A forecast-only project has no plan to simulate.
    assert_eq!(
        f.invalid(&["simulate", "project.toml", "-o", "out"]),
        "error: invalid input: 1 problem found\n  project.toml:1: field `tasks`: missing field \
         `tasks`; name the tasks file, e.g. tasks = \"tasks.csv\" (or a schedule: schedule = \
         \"plan.xml\", an MS Project XML, Primavera XER or GanttProject file)\n"
    );
    let (code, stdout, _) = f.run(&["forecast", "project.toml", "--name", "b", "-o", "out"]);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("p80 forecast: "), "{stdout}");
    assert!(stdout.contains(" [forecast.b] — "), "{stdout}");
}

#[test]
fn tasks_take_their_duration_from_a_forecast() {
    let f = Fixture::new(
        "[project]\nname = \"Plan\"\ntasks = \"tasks.csv\"\nstart = \"2027-04-19\"\n\n\
         [forecast]\nhistory = \"history.csv\"\nperiod_length = 10\n\n\
         [forecast.app]\nbacklog = [30, 40, 60]\n",
    );
    f.file(
        "tasks.csv",
        "id,likely,optimistic,pessimistic,depends_on,forecast\n\
         design,5,3,8,,\napp,,,,design,app\nlaunch,0,0,0,app,\n",
    );
    let (code, stdout, stderr) = f.run(&["check", "project.toml"]);
    assert_eq!(code, 0, "{stderr}");
    // Mean throughput 8: ⌈40 / 8⌉ = 5 periods = 50 working days in the plan.
    assert!(
        stdout.contains("app         50.0       5.0      55.0  2027-04-26   2027-07-02"),
        "{stdout}"
    );
    let (code, stdout, stderr) = f.run(&["simulate", "project.toml", "-o", "run", "-n", "4000"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Duration (working days)         55.0"),
        "{stdout}"
    );
    // The task's mean duration is the exact law's mean × 10, within its standard error.
    let stats = fs::read_to_string(f.path().join("run/task_stats.csv")).unwrap();
    let app = stats.lines().find(|l| l.starts_with("app,")).unwrap();
    let mean: f64 = app.split(',').nth(2).unwrap().parse().unwrap();
    assert!((40.0..70.0).contains(&mean), "{app}");

    // Every way to misuse the column is an error of tasks.csv at the row.
    f.file(
        "project.toml",
        "[project]\ntasks = \"tasks.csv\"\nstart = \"2027-04-19\"\n\n\
         [forecast]\nhistory = \"history.csv\"\nperiod_length = 10\n\n\
         [forecast.june]\nuntil = \"2027-06-30\"\n",
    );
    f.file(
        "tasks.csv",
        "id,type,likely,depends_on,forecast\na,,3,,june\nm,milestone,,a,june\n",
    );
    assert_eq!(
        f.invalid(&["simulate", "project.toml", "-o", "out"]),
        "error: invalid input: 2 problems found\n  tasks.csv:2: field `likely`: the task takes \
         its duration from forecast `june`; leave likely blank (or clear forecast to estimate \
         the task)\n  tasks.csv:3: field `type`: a milestone has no duration of its own to take \
         from forecast `june`; make it a task or clear forecast\n"
    );
    f.file(
        "tasks.csv",
        "id,likely,distribution,depends_on,forecast\na,3,fixed,,\nb,,,a,nope\n",
    );
    assert_eq!(
        f.invalid(&["check", "project.toml"]),
        "error: invalid input: 1 problem found\n  tasks.csv:3: field `forecast`: unknown \
         forecast `nope`; project.toml defines [forecast.june]\n"
    );
    // A bare tasks.csv has no forecasts to name.
    assert_eq!(
        f.invalid(&["check", "tasks.csv"]),
        "error: invalid input: 1 problem found\n  tasks.csv:3: field `forecast`: unknown \
         forecast `nope`; forecasts are defined in project.toml: run p80 on a project.toml with \
         tasks = this file and a [forecast.NAME] table (see docs/format.md)\n"
    );
    f.file(
        "tasks.csv",
        "id,likely,distribution,depends_on,forecast\na,3,fixed,,\nb,,,a,june\n",
    );
    assert_eq!(
        f.invalid(&["check", "project.toml"]),
        "error: invalid input: 1 problem found\n  tasks.csv:3: field `forecast`: \
         [forecast.june] counts the items done by 2027-06-30 (until); a task takes its duration \
         from a forecast of when a backlog is done: give it backlog instead\n"
    );
}

#[test]
fn a_scenario_cannot_re_estimate_a_forecast_task() {
    let f = Fixture::new(
        "[project]\ntasks = \"tasks.csv\"\n\n[forecast]\nhistory = \"history.csv\"\n\
         period_length = 10\n\n[forecast.app]\nbacklog = 40\n\n\
         [[scenario]]\nname = \"faster\"\nestimate = { app = [10, 20, 30] }\n",
    );
    f.file("tasks.csv", "id,likely,depends_on,forecast\napp,,,app\n");
    assert_eq!(
        f.invalid(&["compare", "project.toml", "-o", "out"]),
        "error: invalid input: 1 problem found\n  project.toml:13: field `estimate`: scenario \
         `faster`: task `app` takes its duration from [forecast.app]; change that forecast's \
         backlog instead of the task's estimate\n"
    );
}

#[test]
fn forecast_tasks_take_start_no_earlier_than_and_leave_the_range_rule_to_estimates() {
    let f = Fixture::new(
        "[project]\nname = \"Plan\"\ntasks = \"tasks.csv\"\nstart = \"2027-04-19\"\n\n\
         [import]\nrange = [0.8, 1.0, 1.5]\n\n\
         [forecast]\nhistory = \"history.csv\"\nperiod_length = 10\n\n\
         [forecast.app]\nbacklog = 40\n",
    );
    f.file(
        "tasks.csv",
        "id,likely,depends_on,not_before,forecast\n\
         design,5,,,\napp,,design,2027-05-17,app\nlaunch,0,app,,\n",
    );
    let (code, stdout, stderr) = f.run(&["check", "project.toml"]);
    assert_eq!(code, 0, "{stderr}");
    // The forecast task waits for its date (working day 20), then takes its plan of 5 periods.
    assert!(
        stdout.contains("app         50.0      20.0      70.0  2027-05-17   2027-07-23"),
        "{stdout}"
    );
    // Only `design` takes its range from the rule: the forecast task has no `likely`.
    assert!(
        stdout.contains("Ranges: 1 task has no estimates: its ranges are the rule [0.8, 1, 1.5]"),
        "{stdout}"
    );
    let (code, _, stderr) = f.run(&["simulate", "project.toml", "-o", "run", "-n", "2000"]);
    assert_eq!(code, 0, "{stderr}");
    let summary = fs::read_to_string(f.path().join("run/summary.json")).unwrap();
    assert!(summary.contains("\"tasks\": 1"), "{summary}");
    // The bound holds in every iteration: at best 4 periods after working day 20 (without it,
    // design + 40 ≤ 47.5).
    assert!(summary.contains("\"min\": 60.0"), "{summary}");
}

#[test]
fn forecasts_beside_a_schedule_file() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schedules");
    let f = Fixture::new(
        "[project]\nschedule = \"office-move.xml\"\n\n\
         [forecast]\nhistory = \"history.csv\"\nperiod_length = 10\nbacklog = 40\n",
    );
    fs::copy(
        fixture.join("office-move.xml"),
        f.path().join("office-move.xml"),
    )
    .unwrap();
    // `p80 forecast` does not read the schedule: without [project] start there are no dates,
    // and a forecast until a date needs one.
    let (code, stdout, stderr) = f.run(&["forecast", "project.toml", "-o", "fc"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("Calendar:"), "{stdout}");
    assert!(
        stdout.contains("the backlog is done within 6 periods"),
        "{stdout}"
    );
    f.file(
        "project.toml",
        "[project]\nschedule = \"office-move.xml\"\n\n\
         [forecast]\nhistory = \"history.csv\"\nperiod_length = 10\nbacklog = 40\n\n\
         [forecast.june]\nuntil = \"2027-06-30\"\n",
    );
    assert_eq!(
        f.invalid(&["forecast", "project.toml", "--name", "june", "-o", "out"]),
        "error: invalid input: 1 problem found\n  project.toml:10: field `until`: until needs \
         the date the forecast starts from; add start = \"YYYY-MM-DD\" to [project]\n"
    );
    // With a start, both run; the plan is still the schedule's, and `p80 import` writes it.
    f.file(
        "project.toml",
        "[project]\nschedule = \"office-move.xml\"\nstart = \"2027-04-19\"\n\n\
         [forecast]\nhistory = \"history.csv\"\nperiod_length = 10\nbacklog = 40\n\n\
         [forecast.june]\nuntil = \"2027-06-30\"\n",
    );
    let (code, stdout, stderr) = f.run(&["forecast", "project.toml", "-n", "2000", "-o", "fc"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Calendar: start 2027-04-19, working days Mon–Fri, 0 holidays"),
        "{stdout}"
    );
    let (code, stdout, stderr) = f.run(&[
        "forecast",
        "project.toml",
        "--name",
        "june",
        "-n",
        "2000",
        "-o",
        "fc2",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Until 2027-06-30: 5 whole periods"),
        "{stdout}"
    );
    let (code, stdout, stderr) = f.run(&["simulate", "project.toml", "-n", "2000", "-o", "sim"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("p80: Office move — "), "{stdout}");
    let (code, stdout, stderr) = f.run(&["import", "project.toml", "-o", "plan"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("p80 import: Office move (MS Project XML)"),
        "{stdout}"
    );

    // A file that only forecasts has no schedule to import.
    let f =
        Fixture::new("[forecast]\nhistory = \"history.csv\"\nperiod_length = 10\nbacklog = 40\n");
    assert_eq!(
        f.invalid(&["import", "project.toml", "-o", "out"]),
        "error: project.toml names no schedule file: p80 import reads an MS Project XML (.xml), \
         Primavera XER (.xer) or GanttProject (.gan) file, or a project.toml with schedule = \
         \"…\"\n"
    );
}
