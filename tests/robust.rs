//! Regression tests for issue 11's input-and-engine defects: inputs that crashed, hung,
//! allocated without bound or gave silently wrong answers now either run or stop with exit 2,
//! naming the file, line and field.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;

fn p80(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("p80").expect("the p80 binary is built");
    c.current_dir(dir);
    c
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(d.path().join(name), text).unwrap();
    }
    d
}

/// Runs p80 in `dir` with `args`; returns (exit code, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = p80(dir).args(args).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

/// Asserts exit 2 with every `expected` piece in stderr, and no panic.
fn refused(dir: &Path, args: &[&str], expected: &[&str]) -> String {
    let (code, _, err) = run(dir, args);
    assert_eq!(
        code,
        2,
        "{args:?}: exit {code}\n{}",
        &err[..err.len().min(3000)]
    );
    for e in expected {
        assert!(
            err.contains(e),
            "{args:?}: `{e}` not in\n{}",
            &err[..err.len().min(3000)]
        );
    }
    assert!(
        !err.contains("panicked") && !err.contains("overflow"),
        "{err}"
    );
    err
}

/// A chain of `n` tasks, each depending on the row above; `reverse` writes the rows bottom up.
fn chain(n: usize, reverse: bool) -> String {
    let mut rows: Vec<String> = (0..n)
        .map(|i| {
            let dep = if i == 0 {
                String::new()
            } else {
                format!("t{}", i - 1)
            };
            format!("t{i},1,2,4,{dep}\n")
        })
        .collect();
    if reverse {
        rows.reverse();
    }
    let mut s = String::from("id,optimistic,likely,pessimistic,depends_on\n");
    s.extend(rows);
    s
}

/// A 20,000-task chain in either order runs `check` and `simulate -n 100` (petgraph's
/// recursive Tarjan overflowed the stack at ~90,000 tasks in file order in release builds, at
/// far fewer in debug builds, where this test runs in a few seconds).
#[test]
fn long_chains_in_either_order_check_and_simulate() {
    chains_in_either_order(20_000);
}

/// The size: 100,000 tasks (about 12 s in a debug build; run with `--ignored`, or
/// `cargo test --release`).
#[test]
#[ignore]
fn chains_of_100k_tasks_check_and_simulate() {
    chains_in_either_order(100_000);
}

/// Both orders of an `n`-task chain check and simulate, with the same deterministic duration.
fn chains_in_either_order(n: usize) {
    for reverse in [false, true] {
        let d = folder(&[("tasks.csv", &chain(n, reverse))]);
        let started = Instant::now();
        let (code, out, err) = run(d.path(), &["check", "tasks.csv"]);
        assert_eq!(code, 0, "reverse={reverse}: {err}");
        assert!(
            out.contains(&format!("{n} tasks, valid")),
            "{}",
            &out[..200]
        );
        let duration = format!(
            "Deterministic duration: {} working days",
            p80::output::format::thousands(2.0 * n as f64, 1)
        );
        assert!(out.contains(&duration), "{duration}");
        let (code, out, err) = run(
            d.path(),
            &[
                "simulate",
                "tasks.csv",
                "-n",
                "100",
                "--out",
                "out",
                "--threads",
                "2",
            ],
        );
        assert_eq!(code, 0, "reverse={reverse}: {err}");
        assert!(out.contains("100 iterations"), "{out}");
        assert!(d.path().join("out/task_stats.csv").is_file());
        assert!(started.elapsed() < Duration::from_secs(60));
    }
}

/// A 100,000-task cycle is an error naming the cycle in a message of bounded length.
#[test]
fn a_long_cycle_is_reported_briefly() {
    let n = 100_000;
    let mut s = String::from("id,optimistic,likely,pessimistic,depends_on\n");
    for i in 0..n {
        let _ = writeln!(s, "t{i},1,2,3,t{}", (i + n - 1) % n);
    }
    let d = folder(&[("tasks.csv", &s)]);
    for cmd in ["check", "simulate"] {
        let err = refused(
            d.path(),
            &[cmd, "tasks.csv"],
            &[
                "tasks.csv:2: field `depends_on`: dependency cycle: t0 -> t1 -> ",
                "(99960 more)",
                "-> t99999 -> t0; remove one of these links",
            ],
        );
        assert!(err.len() < 2_000, "{} bytes", err.len());
    }
}

/// A 65,536-character id: `check` and `simulate` print without panicking (the console
/// shortens ids; the files keep them whole).
#[test]
fn a_huge_id_is_shortened_on_the_console() {
    let id = "x".repeat(65_536);
    let tasks = format!("id,optimistic,likely,pessimistic,depends_on\n{id},1,2,3,\nb,1,2,3,{id}\n");
    let d = folder(&[("tasks.csv", &tasks)]);
    let (code, out, err) = run(d.path(), &["check", "tasks.csv"]);
    assert_eq!(code, 0, "{err}");
    let shown = format!("{}…", "x".repeat(59));
    assert!(
        out.contains(&format!("{shown}  ")),
        "{}",
        &out[..out.len().min(500)]
    );
    assert!(out.contains(&format!("Critical path: {shown} -> b")));
    assert!(out.lines().all(|l| l.chars().count() < 300));
    let (code, out, err) = run(
        d.path(),
        &["simulate", "tasks.csv", "-n", "200", "--out", "o"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(&format!("{shown} 100%")), "{out}");
    let stats = fs::read_to_string(d.path().join("o/task_stats.csv")).unwrap();
    assert!(stats.contains(&id));
}

/// CSV syntax errors are errors in every CSV reader: an unclosed quote (named at the line it
/// opened, instead of swallowing every following row), a stray quote, too many fields.
#[test]
fn csv_syntax_errors_are_refused_in_every_reader() {
    let tasks = "id,optimistic,likely,pessimistic\na,1,2,3,\"oops\nb,1,2,3\nc,1,2,3\n";
    let d = folder(&[("tasks.csv", tasks)]);
    refused(
        d.path(),
        &["check", "tasks.csv"],
        &["tasks.csv:2: field `column 5`: this quote is never closed"],
    );
    refused(
        d.path(),
        &["simulate", "tasks.csv"],
        &["this quote is never closed"],
    );

    let ok_tasks = "id,optimistic,likely,pessimistic,resources\na,1,2,3,dev\nb,1,2,3,\n";
    let project = "[project]\nname = \"p\"\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\nrisks = \"risks.csv\"\ncorrelations = \"correlations.csv\"\n";
    let good = [
        ("resources.csv", "id,rate\ndev,100\n"),
        ("risks.csv", "id,probability,impact_optimistic,impact_likely,impact_pessimistic,affects\nr1,0.5,1,2,3,a\n"),
        ("correlations.csv", "task_a,task_b,coefficient\na,b,0.5\n"),
    ];
    let d = folder(&[
        ("project.toml", project),
        ("tasks.csv", ok_tasks),
        good[0],
        good[1],
        good[2],
    ]);
    let (code, _, err) = run(d.path(), &["check", "project.toml"]);
    assert_eq!(code, 0, "{err}");
    let broken = [
        ("resources.csv", "id,rate\ndev,1\"00\n", "resources.csv:2: field `rate`: a `\"` inside a cell"),
        ("risks.csv", "id,probability,impact_optimistic,impact_likely,impact_pessimistic,affects\nr1,0.5,1,2,3,\"a\n", "risks.csv:2: field `affects`: this quote is never closed"),
        ("correlations.csv", "task_a,task_b,coefficient\na,\"b\"x,0.5\n", "correlations.csv:2: field `task_b`: text after the closing quote"),
        ("correlations.csv", "task_a,task_b,coefficient\na,b,0.5,1\n", "correlations.csv:2: field `column 4`: the row has 4 fields"),
    ];
    for (name, text, expected) in broken {
        fs::write(d.path().join(name), text).unwrap();
        refused(d.path(), &["check", "project.toml"], &[expected]);
        let original = good.iter().find(|g| g.0 == name).unwrap().1;
        fs::write(d.path().join(name), original).unwrap();
    }
}

/// `-n` beyond what the machine can hold is refused before allocating, saying what fits;
/// `check` validates the project file's iterations the same way.
#[test]
fn iterations_are_checked_against_memory_before_allocating() {
    let d = folder(&[("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")]);
    refused(
        d.path(),
        &["simulate", "tasks.csv", "-n", "17179869184", "--out", "o"],
        &["iterations fit"],
    );
    assert!(!d.path().join("o").exists());
    let toml = "[project]\nname = \"p\"\ntasks = \"tasks.csv\"\n[simulation]\niterations = 1099511627776\n";
    fs::write(d.path().join("project.toml"), toml).unwrap();
    refused(
        d.path(),
        &["check", "project.toml"],
        &["1099511627776 iterations"],
    );
}

/// Thread counts are capped the same way wherever they are set.
#[test]
fn thread_counts_are_capped_everywhere() {
    let d = folder(&[
        ("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n"),
        (
            "project.toml",
            "[project]\nname = \"p\"\ntasks = \"tasks.csv\"\n[simulation]\nthreads = 1000000\n",
        ),
    ]);
    refused(
        d.path(),
        &["check", "project.toml"],
        &["project.toml:5: field `threads`: threads 1000000 is not between 1 and 1024"],
    );
    // The flag is bounded by clap with the same constant.
    refused(
        d.path(),
        &["simulate", "tasks.csv", "--threads", "1000000"],
        &["1000000 is not in 1..=1024"],
    );
}

/// 10,000 tasks depending on unknown ids: "did you mean" is computed only for the errors
/// shown, so the answer comes at once (it took over a minute).
#[test]
fn unknown_ids_en_masse_answer_quickly() {
    let mut s = String::from("id,likely,distribution,depends_on\n");
    for i in 0..10_000 {
        let _ = writeln!(s, "task{i},1,fixed,tsak{i}");
    }
    let d = folder(&[("tasks.csv", &s)]);
    let started = Instant::now();
    let err = refused(
        d.path(),
        &["check", "tasks.csv"],
        &[
            "10000 problems found",
            "unknown task `tsak0` (did you mean `task0`?)",
            "… and 9950 more",
        ],
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(err.matches("did you mean").count(), 50);
}

/// More than 1,000 tasks correlated in one group are refused (the repair is O(k³) a step).
#[test]
fn oversized_correlation_groups_are_refused() {
    let mut tasks = String::from("id,optimistic,likely,pessimistic\n");
    let mut corr = String::from("task_a,task_b,coefficient\n");
    for i in 0..1001 {
        let _ = writeln!(tasks, "t{i},1,2,3");
        if i > 0 {
            let _ = writeln!(corr, "t{},t{i},0.5", i - 1);
        }
    }
    let project =
        "[project]\nname = \"p\"\ntasks = \"tasks.csv\"\ncorrelations = \"correlations.csv\"\n";
    let d = folder(&[
        ("project.toml", project),
        ("tasks.csv", &tasks),
        ("correlations.csv", &corr),
    ]);
    refused(
        d.path(),
        &["check", "project.toml"],
        &[
            "correlations.csv:2: field `tasks`: this correlation joins a group of 1001 tasks",
            "at most 1000",
        ],
    );
}

/// A resource named twice in one assignment demands the sum: `dev:0.6;dev:0.6` fails the
/// capacity check exactly as `dev:1.2` does, in tasks.csv and in a scenario's `assign`.
#[test]
fn repeated_resources_are_summed_before_the_capacity_check() {
    let resources = "id,rate,capacity\ndev,100,1\n";
    for cell in ["dev:1.2", "dev:0.6;dev:0.6"] {
        let tasks = format!("id,optimistic,likely,pessimistic,resources\na,1,2,3,{cell}\n");
        let project =
            "[project]\nname = \"p\"\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n";
        let d = folder(&[
            ("project.toml", project),
            ("tasks.csv", &tasks),
            ("resources.csv", resources),
        ]);
        refused(
            d.path(),
            &["check", "project.toml"],
            &["tasks.csv:2: field `resources`: `dev:1.2` needs more units than the 1 that exist"],
        );
    }
    let tasks = "id,optimistic,likely,pessimistic,resources\na,1,2,3,dev:0.5\n";
    let project = "[project]\nname = \"p\"\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n\n[[scenario]]\nname = \"twice\"\nassign = { a = \"dev:0.6;dev:0.6\" }\n";
    let d = folder(&[
        ("project.toml", project),
        ("tasks.csv", tasks),
        ("resources.csv", resources),
    ]);
    refused(d.path(), &["compare", "project.toml", "-n", "100", "--out", "o"], &["project.toml:8: field `assign`: scenario `twice`: task `a` uses 1.2 units of `dev` but its capacity is 1"]);
}

/// Effort ÷ a tiny unit count that overflows is refused at the input (it fell back to the raw
/// effort silently).
#[test]
fn effort_over_tiny_units_is_refused() {
    let tasks =
        "id,effort_optimistic,effort_likely,effort_pessimistic,resources\na,10,20,30,dev:1e-300\n";
    let project = "[project]\nname = \"p\"\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n";
    let d = folder(&[
        ("project.toml", project),
        ("tasks.csv", tasks),
        ("resources.csv", "id,rate\ndev,100\n"),
    ]);
    refused(
        d.path(),
        &["check", "project.toml"],
        &["tasks.csv:2: field `resources`: effort 30 ÷ 1e-300 units gives a duration of"],
    );
}

/// Inputs whose results cannot be represented are refused at the input with file, line and
/// field: single values near 1e308, and values whose sums or products over the plan overflow.
#[test]
fn unrepresentable_values_are_refused_at_the_input() {
    let d = folder(&[(
        "tasks.csv",
        "id,optimistic,likely,pessimistic\na,1,2,3\nb,1,1e308,1.7e308\n",
    )]);
    refused(
        d.path(),
        &["simulate", "tasks.csv", "--out", "o"],
        &["tasks.csv:3: field `likely`: `1e308` is too large; p80 accepts numbers up to 1e15"],
    );
    assert!(!d.path().join("o").exists());

    // Each value is accepted, but drivers multiply: 1e15 × 1e15 × 1e15 working days.
    let risks = "id,kind,probability,impact_optimistic,impact_likely,impact_pessimistic,affects\nd1,driver,0.5,1,1e15,1e15,a\nd2,driver,0.5,1,1e15,1e15,a\n";
    let project = "[project]\nname = \"p\"\ntasks = \"tasks.csv\"\nrisks = \"risks.csv\"\n";
    let d = folder(&[
        ("project.toml", project),
        (
            "tasks.csv",
            "id,optimistic,likely,pessimistic\na,1,2,1e15\n",
        ),
        ("risks.csv", risks),
    ]);
    refused(d.path(), &["simulate", "project.toml", "--out", "o"], &["tasks.csv:2: field `pessimistic`: the plan's durations can add up to 1.0e45 working days"]);

    // Costs: a rate of 1e15 for 1e6 units over 1e6 days.
    let project = "[project]\nname = \"p\"\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n";
    let d = folder(&[
        ("project.toml", project),
        (
            "tasks.csv",
            "id,optimistic,likely,pessimistic,resources\na,1,2,1e6,big:1e6\n",
        ),
        ("resources.csv", "id,rate\nbig,1e15\n"),
    ]);
    refused(
        d.path(),
        &["simulate", "project.toml", "--out", "o"],
        &["tasks.csv:2: field `resources`: the plan's costs can add up to 1.0e27"],
    );
}

/// task_stats.csv keeps long durations whole (its fixed-point sums saturated at 1.76e11 a
/// task while the summary said 1e12), and no output holds inf, NaN or null.
#[test]
fn large_durations_do_not_saturate() {
    let d = folder(&[(
        "tasks.csv",
        "id,optimistic,likely,pessimistic\na,1e12,1e12,1e12\nb,1e14,1e14,1e14\n",
    )]);
    let (code, _, err) = run(
        d.path(),
        &["simulate", "tasks.csv", "-n", "1000", "--out", "o"],
    );
    assert_eq!(code, 0, "{err}");
    let stats = fs::read_to_string(d.path().join("o/task_stats.csv")).unwrap();
    let mean = |id: &str| -> f64 {
        let line = stats
            .lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .unwrap();
        line.split(',').nth(2).unwrap().parse().unwrap()
    };
    assert_eq!(mean("a"), 1e12, "{stats}");
    assert_eq!(mean("b"), 1e14, "{stats}");
    for f in ["summary.csv", "summary.json", "task_stats.csv"] {
        let text = fs::read_to_string(d.path().join("o").join(f))
            .unwrap()
            .to_lowercase();
        for bad in ["inf", "nan", "null"] {
            assert!(!text.contains(bad), "{f}: {text}");
        }
    }
}
