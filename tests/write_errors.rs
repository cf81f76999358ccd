//! Writes are checked (issue 11, item 7): a broken pipe or a full device on stdout and a full
//! disk under the output folder are exit 1 naming what could not be written, never a panic or
//! a silent 0, and a failed write changes nothing in the output folder.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("p80")
}

/// A plan whose `p80 check` listing is far larger than a pipe's buffer (64 KiB).
fn big_plan(dir: &Path) -> PathBuf {
    let mut csv = String::from("id,optimistic,likely,pessimistic,depends_on\n");
    for i in 0..3000 {
        let dep = if i > 0 {
            format!("t{}", i - 1)
        } else {
            String::new()
        };
        csv.push_str(&format!("t{i},1,2,3,{dep}\n"));
    }
    let path = dir.join("tasks.csv");
    fs::write(&path, csv).unwrap();
    path
}

fn stderr_of(child: std::process::Child) -> (Option<i32>, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_broken_pipe_on_stdout_is_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = big_plan(tmp.path());
    for args in [
        vec!["check".into(), plan.clone().into_os_string()],
        vec![
            "simulate".into(),
            plan.clone().into_os_string(),
            "-n".into(),
            "100".into(),
            "--out".into(),
            tmp.path().join("out").into_os_string(),
        ],
    ] {
        let mut child = Command::new(binary())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader goes away before p80 prints
        let (code, stderr) = stderr_of(child);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: cannot write to standard output: Broken pipe"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn head_closing_the_pipe_is_exit_1() {
    // `p80 check plan | head -1`, as a shell runs it.
    let tmp = tempfile::tempdir().unwrap();
    let plan = big_plan(tmp.path());
    let Ok(out) = Command::new("bash")
        .arg("-c")
        .arg(r#""$0" check "$1" | head -1; echo "p80 exit ${PIPESTATUS[0]}" >&2"#)
        .arg(binary())
        .arg(&plan)
        .output()
    else {
        eprintln!("skipped: no bash");
        return;
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("p80 check: ") && stdout.ends_with(" — 3000 tasks, valid\n"),
        "{stdout}"
    );
    assert!(stderr.contains("p80 exit 1"), "{stderr}");
    assert!(stderr.contains("Broken pipe"), "{stderr}");
}

#[test]
fn a_full_device_on_stdout_is_exit_1() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let plan = big_plan(tmp.path());
    let child = Command::new(binary())
        .arg("check")
        .arg(&plan)
        .stdout(Stdio::from(full))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (code, stderr) = stderr_of(child);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write to standard output: No space left on device"),
        "{stderr}"
    );
}

/// A tiny tmpfs mounted on a folder, unmounted when dropped.
struct Tiny(PathBuf);

impl Tiny {
    /// Mounts 64 KiB of tmpfs on `dir`, or None where mounting is not allowed (not root).
    fn mount(dir: &Path) -> Option<Tiny> {
        fs::create_dir_all(dir).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tiny(dir.to_path_buf()))
    }
}

impl Drop for Tiny {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_is_exit_1_naming_the_file_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(tiny) = Tiny::mount(&tmp.path().join("tiny")) else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let out = tiny.0.join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("summary.json"), "old run").unwrap();
    let plan = big_plan(tmp.path());
    let mut child = Command::new(binary())
        .arg("simulate")
        .arg(&plan)
        .args(["-n", "200", "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let (code, stderr) = stderr_of(child);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("cannot write {}/", out.display())),
        "{stderr}"
    );
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    // The old run is whole and nothing else is left on the disk.
    assert_eq!(fs::read(out.join("summary.json")).unwrap(), b"old run");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);
    assert_eq!(fs::read_dir(&tiny.0).unwrap().count(), 1);
}
