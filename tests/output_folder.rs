//! The output folder is always one complete run (issue 11, item 6): runs killed at any moment
//! leave the old complete set or the new one, never a mix; files of earlier runs do not
//! remain; leftovers of killed runs are cleaned by the next run; a failed run changes nothing;
//! inputs and files p80 did not write are never touched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

mod support;
use support::{data, p80};

/// Every file in `dir` (not recursive) with its bytes; sub-folders as `name/`.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().unwrap().is_dir() {
                (format!("{name}/"), Vec::new())
            } else {
                (name, fs::read(e.path()).unwrap())
            }
        })
        .collect()
}

fn names(dir: &Path) -> Vec<String> {
    contents(dir).into_keys().collect()
}

/// A plan of `n` tasks (a chain with extra links back), big enough that a debug run takes a
/// noticeable moment to simulate and write.
fn big_plan(dir: &Path, n: usize) -> PathBuf {
    let mut csv = String::from("id,optimistic,likely,pessimistic,depends_on,cost\n");
    for i in 0..n {
        let mut deps = Vec::new();
        if i > 0 {
            deps.push(format!("t{}", i - 1));
        }
        if i > 10 {
            deps.push(format!("t{}", (i * 7919) % (i - 10)));
        }
        csv.push_str(&format!(
            "t{i},1,2,{},{},{}\n",
            3 + i % 5,
            deps.join(";"),
            100 + i
        ));
    }
    let path = dir.join("tasks.csv");
    fs::write(&path, csv).unwrap();
    path
}

fn simulate(plan: &Path, out: &Path, seed: &str) -> std::process::Output {
    p80()
        .arg("simulate")
        .arg(plan)
        .arg("--out")
        .arg(out)
        .args(["-n", "2000", "-q", "--seed", seed])
        .output()
        .unwrap()
}

/// The hidden staging and swapped-out folders beside `out`.
fn leftovers(parent: &Path) -> Vec<String> {
    names(parent)
        .into_iter()
        .filter(|n| n.contains(".p80-new-") || n.contains(".p80-old-"))
        .collect()
}

#[test]
fn a_run_killed_at_any_moment_leaves_the_old_or_the_new_complete_set() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = big_plan(tmp.path(), 4000);
    // Reference runs: seed 1 (set A) and seed 2 (set B), each complete.
    let refs = tmp.path().join("refs");
    fs::create_dir(&refs).unwrap();
    let started = Instant::now();
    assert!(simulate(&plan, &refs.join("a"), "1").status.success());
    let run_time = started.elapsed();
    assert!(simulate(&plan, &refs.join("b"), "2").status.success());
    let a = contents(&refs.join("a"));
    let b = contents(&refs.join("b"));
    assert_ne!(a, b);

    let parent = tmp.path().join("work");
    fs::create_dir(&parent).unwrap();
    let out = parent.join("out");
    assert!(simulate(&plan, &out, "1").status.success());

    let binary = assert_cmd::cargo::cargo_bin("p80");
    let kills = 30;
    let (mut old, mut new) = (0, 0);
    for i in 0..kills {
        let seed = if i % 2 == 0 { "2" } else { "1" };
        let mut child = Process::new(&binary)
            .arg("simulate")
            .arg(&plan)
            .arg("--out")
            .arg(&out)
            .args(["-n", "2000", "-q", "--seed", seed])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        if i < kills / 2 {
            // Spread over the whole run: loading, simulating, rendering, writing.
            std::thread::sleep(run_time.mul_f64((i as f64 + 0.5) / (kills / 2) as f64));
        } else {
            // Into the writing itself: from the moment the new folder appears (or, for the
            // scheme this replaced, a temporary file inside the old one), 0 to 14 ms later.
            let deadline = Instant::now() + run_time * 3;
            while Instant::now() < deadline {
                let writing = !leftovers(&parent).is_empty()
                    || names(&out).iter().any(|n| n.contains(".p80-tmp-"));
                if writing || child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_micros(200));
            }
            std::thread::sleep(Duration::from_millis((i - kills / 2) as u64));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let now = contents(&out);
        if now == a {
            old += usize::from(seed == "2");
            new += usize::from(seed == "1");
        } else if now == b {
            old += usize::from(seed == "1");
            new += usize::from(seed == "2");
        } else {
            panic!(
                "kill {i}: {} holds a mix: {:?}",
                out.display(),
                now.keys().collect::<Vec<_>>()
            );
        }
        // The killed run's folder is the only leftover: the ones before it were cleaned
        // (unless the kill came before this run reached its cleanup).
        assert!(leftovers(&parent).len() <= 2, "{:?}", leftovers(&parent));
    }
    eprintln!("{kills} kills: {old} left the old set, {new} the new one");
    // A complete run cleans every leftover.
    assert!(simulate(&plan, &out, "2").status.success());
    assert_eq!(contents(&out), b);
    assert_eq!(names(&parent), ["out/"]);
}

#[test]
fn files_of_an_earlier_run_do_not_remain() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let run = |project: PathBuf| {
        p80()
            .arg("simulate")
            .arg(project)
            .arg("--out")
            .arg(&out)
            .args(["-n", "200", "-q"])
            .assert()
            .success();
    };
    run(data("dl-project/project.toml"));
    assert!(out.join("milestone_stats.csv").exists());
    run(data("simple/tasks.csv"));
    assert_eq!(
        names(&out),
        [
            "cost.png",
            "duration.png",
            "gantt.png",
            "health.csv",
            "summary.csv",
            "summary.json",
            "task_stats.csv"
        ]
    );
    // compare replaces a simulate run whole, too.
    p80()
        .arg("compare")
        .arg(data("dl-project/project.toml"))
        .arg("--out")
        .arg(&out)
        .args(["-n", "200", "-q"])
        .assert()
        .success();
    assert_eq!(names(&out), ["comparison.csv", "comparison.png"]);
    assert_eq!(names(tmp.path()), ["out/"]);
}

#[test]
fn leftovers_of_killed_runs_are_cleaned_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // A process id above the kernel's maximum: certainly not running.
    let staged = tmp.path().join(".out.p80-new-2147483647");
    fs::create_dir(&staged).unwrap();
    fs::write(staged.join("summary.json"), "half").unwrap();
    fs::create_dir(tmp.path().join(".out.p80-old-2147483646")).unwrap();
    fs::create_dir(&out).unwrap();
    fs::write(out.join(".summary.json.p80-tmp-2147483647"), "half").unwrap();
    fs::write(out.join("cost.png"), "old").unwrap();
    p80()
        .arg("simulate")
        .arg(data("simple/tasks.csv"))
        .arg("--out")
        .arg(&out)
        .args(["-n", "200", "-q"])
        .assert()
        .success();
    assert_eq!(names(tmp.path()), ["out/"]);
    assert!(!names(&out).iter().any(|n| n.starts_with('.')));
}

/// Runs `args`, expecting exit 2 with `needle` in stderr and nothing changed under `root`.
fn refused(root: &Path, args: &[&std::ffi::OsStr], needle: &str) {
    let before = snapshot(root);
    let output = p80().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(needle), "{stderr}");
    assert!(snapshot(root) == before, "{stderr}: something changed");
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.insert(path.clone(), b"/".to_vec());
                stack.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn a_failed_run_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let simple = data("simple/tasks.csv");
    let args = |o: &Path| -> Vec<std::ffi::OsString> {
        vec![
            "simulate".into(),
            simple.clone().into(),
            "--out".into(),
            o.into(),
            "-n".into(),
            "200".into(),
        ]
    };
    let os = |v: &[std::ffi::OsString]| v.iter().map(|s| s.to_os_string()).collect::<Vec<_>>();
    p80().args(args(&out)).assert().success();
    // A chart path that is a folder (with a file of the user's in it).
    fs::remove_file(out.join("duration.png")).unwrap();
    fs::create_dir(out.join("duration.png")).unwrap();
    fs::write(out.join("duration.png/mine.txt"), "keep").unwrap();
    let a = os(&args(&out));
    let a: Vec<&std::ffi::OsStr> = a.iter().map(|s| s.as_os_str()).collect();
    refused(tmp.path(), &a, "duration.png/");
    // A file p80 did not write.
    fs::remove_dir_all(out.join("duration.png")).unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    refused(tmp.path(), &a, "notes.txt");
    // The same for compare and forecast.
    let sprint = data("sprint-team/project.toml");
    for cmd in ["compare", "forecast"] {
        let v: Vec<std::ffi::OsString> = vec![
            cmd.into(),
            sprint.clone().into(),
            "--out".into(),
            out.clone().into(),
        ];
        let v: Vec<&std::ffi::OsStr> = v.iter().map(|s| s.as_os_str()).collect();
        refused(tmp.path(), &v, "notes.txt");
    }
    // --out a file: exit 1, nothing changed.
    let file = tmp.path().join("file");
    fs::write(&file, "x").unwrap();
    let before = snapshot(tmp.path());
    let output = p80().args(args(&file)).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("a file is in the way"));
    assert!(snapshot(tmp.path()) == before);
}

#[test]
fn an_output_folder_holding_an_input_or_the_current_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan");
    fs::create_dir(&plan).unwrap();
    fs::copy(data("simple/tasks.csv"), plan.join("tasks.csv")).unwrap();
    let before = snapshot(tmp.path());
    for out in [".", "..", "sub/..", "tasks.csv"] {
        let output = p80()
            .current_dir(&plan)
            .args(["simulate", "tasks.csv", "--out", out, "-n", "200"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "--out {out}: {stderr}");
        assert!(
            stderr.contains("refusing to overwrite input file"),
            "--out {out}: {stderr}"
        );
    }
    // The current folder, even without inputs in it.
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let before_cwd = snapshot(tmp.path());
    let output = p80()
        .current_dir(&elsewhere)
        .arg("simulate")
        .arg(plan.join("tasks.csv"))
        .args(["--out", ".", "-n", "200"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is the current folder"), "{stderr}");
    assert!(snapshot(tmp.path()) == before_cwd);
    fs::remove_dir(&elsewhere).unwrap();
    assert!(snapshot(tmp.path()) == before);
}

#[test]
fn import_replaces_its_folder_whole_only_with_force() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schedules");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan");
    let import = |file: &str, force: bool| {
        let mut c = p80();
        c.arg("import")
            .arg(fixture.join(file))
            .arg("--out")
            .arg(&out);
        if force {
            c.arg("--force");
        }
        c.output().unwrap()
    };
    assert!(import("cafe.xer", false).status.success());
    let first = names(&out);
    assert!(first.contains(&"resources.csv".to_string()), "{first:?}");
    assert_eq!(import("launch.gan", false).status.code(), Some(2));
    assert_eq!(names(&out), first);
    assert!(import("launch.gan", true).status.success());
    // A file of the user's beside the plan is never removed, even with --force.
    fs::write(out.join("risks.csv"), "mine").unwrap();
    let before = snapshot(tmp.path());
    let o = import("cafe.xer", true);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("risks.csv"));
    assert!(snapshot(tmp.path()) == before);
}
