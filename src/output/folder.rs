//! The output folder as one unit: every run is written into a new hidden folder beside the
//! target (`.NAME.p80-new-PID`) and swapped in by one rename, so a reader (or a run killed at
//! any moment) sees either the old complete set of files or the new one, never a mix.
//!
//! - **Swap.** On Linux the new folder and the old one are exchanged atomically
//!   (`renameat2(RENAME_EXCHANGE)`), then the old one (now under the hidden name) is removed.
//!   Where the exchange is not supported (another OS, a file system without it) the fallback is
//!   two renames: the old folder to `.NAME.p80-old-PID`, the new one into place. A run killed
//!   between those two renames leaves no folder under NAME (the old set waits under the hidden
//!   name) until the next run.
//! - **Leftovers.** Hidden `.*.p80-new-PID` and `.*.p80-old-PID` folders beside the target
//!   whose process is no longer running (killed runs) are removed by the next run into the
//!   same parent folder; `.*.p80-tmp-*` files of older p80 versions inside the output folder go
//!   with it.
//! - **Ownership.** A folder is replaced only when everything in it is a file p80 writes (the
//!   `owned` names) or a p80 temporary file; anything else (a user's file, a sub-folder, a
//!   folder where a chart would go) is refused with exit 2 before anything is written, so a
//!   user's file is never deleted.

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How many names of foreign files an error lists.
const SHOWN: usize = 5;

/// A checked output folder: where it really is (links resolved) and the folder it lives in.
#[derive(Debug, Clone)]
pub struct Target {
    /// The folder as the user named it (for messages and the paths returned).
    pub shown: PathBuf,
    /// Absolute, links resolved.
    real: PathBuf,
    /// `real`'s parent, where the new folder is staged.
    parent: PathBuf,
    /// `real`'s last component.
    name: String,
    /// The file names p80 writes into such a folder.
    owned: Vec<String>,
}

impl Target {
    /// Checks `dir` as an output folder for files named `owned` (exit 2 on any problem, nothing
    /// touched): it must not be, hold or lie above one of `inputs`, nor the current folder or
    /// one above it (the run replaces the whole folder); if it exists it must be a folder
    /// holding only files named `owned` and p80 temporary files.
    pub fn check(dir: &Path, inputs: &[PathBuf], owned: &[&str]) -> Result<Target> {
        let shown = dir.to_path_buf();
        let real = super::write::resolve(dir).ok_or_else(|| {
            Error::Usage(format!("cannot use {} as the output folder", dir.display()))
        })?;
        let mut inside: Vec<String> = inputs
            .iter()
            .filter(|p| fs::canonicalize(p).is_ok_and(|c| c.starts_with(&real)))
            .map(|p| p.display().to_string())
            .collect();
        inside.dedup();
        if !inside.is_empty() {
            return Err(Error::Usage(format!(
                "refusing to overwrite input file{} {}: p80 replaces the whole output folder {} \
                 with each run; choose another output folder with --out",
                if inside.len() == 1 { "" } else { "s" },
                inside.join(", "),
                dir.display()
            )));
        }
        if let Ok(cwd) = std::env::current_dir().and_then(fs::canonicalize) {
            if cwd.starts_with(&real) {
                return Err(Error::Usage(format!(
                    "--out {} is the current folder or a folder above it: p80 replaces the \
                     whole output folder with each run; choose a new folder, e.g. --out p80-out",
                    dir.display()
                )));
            }
        }
        let (Some(parent), Some(name)) = (real.parent(), real.file_name().and_then(OsStr::to_str))
        else {
            return Err(Error::Usage(format!(
                "cannot use {} as the output folder: name a folder, e.g. --out p80-out",
                dir.display()
            )));
        };
        let target = Target {
            shown,
            parent: parent.to_path_buf(),
            name: name.to_string(),
            real,
            owned: owned.iter().map(|n| n.to_string()).collect(),
        };
        target.refuse_foreign()?;
        Ok(target)
    }

    /// The names of the files the folder holds now (empty when it does not exist).
    pub fn existing(&self) -> Vec<String> {
        let Ok(entries) = fs::read_dir(&self.real) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    }

    /// Errors if the folder exists and is not a folder, or holds anything p80 did not write.
    fn refuse_foreign(&self) -> Result<()> {
        let meta = match fs::symlink_metadata(&self.real) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                return Err(Error::io(
                    format!("cannot read output folder {}", self.shown.display()),
                    e,
                ))
            }
        };
        if !meta.is_dir() {
            // Exit 1 as for any folder that cannot be created (a file is in the way).
            return Err(Error::Output(format!(
                "cannot create output folder {}: a file is in the way; choose a folder with \
                 --out",
                self.shown.display()
            )));
        }
        let entries = fs::read_dir(&self.real).map_err(|e| {
            Error::io(
                format!("cannot read output folder {}", self.shown.display()),
                e,
            )
        })?;
        let mut foreign = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| {
                Error::io(
                    format!("cannot read output folder {}", self.shown.display()),
                    e,
                )
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
            let ours = self.owned.contains(&name) || is_temporary_file(&name);
            if !(ours && is_file) {
                foreign.push(if is_file { name } else { format!("{name}/") });
            }
        }
        if foreign.is_empty() {
            return Ok(());
        }
        foreign.sort();
        let n = foreign.len();
        let mut list = foreign[..n.min(SHOWN)].join(", ");
        if n > SHOWN {
            list.push_str(&format!(" and {} more", n - SHOWN));
        }
        Err(Error::Usage(format!(
            "the output folder {} holds {} p80 did not write ({list}): p80 replaces the whole \
             folder with each run and never deletes files it did not write; move {}, or choose \
             another folder with --out",
            self.shown.display(),
            if n == 1 { "something" } else { "things" },
            if n == 1 { "it" } else { "them" },
        )))
    }

    /// Writes `files` (name, bytes) as the folder's whole new content: staged beside it, every
    /// file written and flushed to disk, then swapped in. On any error nothing visible changed
    /// (the staged folder is removed) and the error names the file. Leftovers of killed runs
    /// beside the folder are removed first.
    pub fn replace(&self, files: &[(&str, &[u8])]) -> Result<()> {
        fs::create_dir_all(&self.parent).map_err(|e| {
            Error::io(
                format!("cannot create output folder {}", self.shown.display()),
                e,
            )
        })?;
        remove_leftovers(&self.parent);
        let staged = self
            .parent
            .join(format!(".{}.p80-new-{}", self.name, std::process::id()));
        let _ = fs::remove_dir_all(&staged); // only ever ours: this process's id
                                             // Checked again just before the swap: a file may have appeared since `check`.
        let result = self
            .stage(&staged, files)
            .and_then(|()| self.refuse_foreign())
            .and_then(|()| self.swap(&staged));
        if result.is_err() {
            let _ = fs::remove_dir_all(&staged);
        }
        result
    }

    /// Creates `staged` and writes every file into it, each flushed to disk (the flushes run
    /// concurrently, one thread each).
    fn stage(&self, staged: &Path, files: &[(&str, &[u8])]) -> Result<()> {
        fs::create_dir(staged).map_err(|e| {
            Error::io(
                format!(
                    "cannot create output folder {} (staged as {})",
                    self.shown.display(),
                    staged.display()
                ),
                e,
            )
        })?;
        if let Ok(meta) = fs::metadata(&self.real) {
            // The new folder keeps the old one's permissions.
            let _ = fs::set_permissions(staged, meta.permissions());
        }
        let failed = |name: &str, e: io::Error| {
            Error::io(
                format!("cannot write {}", self.shown.join(name).display()),
                e,
            )
        };
        let mut written = Vec::with_capacity(files.len());
        for (name, bytes) in files {
            let file = fs::File::create(staged.join(name)).and_then(|mut f| {
                f.write_all(bytes)?;
                Ok(f)
            });
            written.push((*name, file.map_err(|e| failed(name, e))?));
        }
        // Flushed all at once: the file system commits concurrent flushes together, where one
        // after the other each waits for its own journal commit.
        // A thread that cannot be started leaves its file to be flushed here.
        let flushed: Vec<io::Result<()>> = std::thread::scope(|s| {
            let flushing: Vec<_> = written
                .iter()
                .map(|(_, f)| std::thread::Builder::new().spawn_scoped(s, move || f.sync_all()))
                .collect();
            flushing
                .into_iter()
                .zip(&written)
                .map(|(h, (_, f))| match h {
                    Ok(h) => h
                        .join()
                        .unwrap_or_else(|_| Err(io::Error::other("flush failed"))),
                    Err(_) => f.sync_all(),
                })
                .collect()
        });
        for ((name, _), result) in written.iter().zip(flushed) {
            result.map_err(|e| failed(name, e))?;
        }
        sync_folder(staged);
        Ok(())
    }

    /// Puts `staged` in the folder's place; the old folder, if any, is removed.
    fn swap(&self, staged: &Path) -> Result<()> {
        let failed = |e: io::Error| {
            Error::io(
                format!(
                    "cannot move the new output into {} (staged as {})",
                    self.shown.display(),
                    staged.display()
                ),
                e,
            )
        };
        if fs::symlink_metadata(&self.real).is_err() {
            fs::rename(staged, &self.real).map_err(failed)?;
            sync_folder(&self.parent);
            return Ok(());
        }
        match exchange(staged, &self.real) {
            Ok(()) => {
                sync_folder(&self.parent);
                // `staged` now holds the old run; a failure here is cleaned by the next run.
                let _ = fs::remove_dir_all(staged);
                Ok(())
            }
            Err(e) if exchange_unsupported(&e) => {
                let old =
                    self.parent
                        .join(format!(".{}.p80-old-{}", self.name, std::process::id()));
                fs::rename(&self.real, &old).map_err(failed)?;
                if let Err(e) = fs::rename(staged, &self.real) {
                    let _ = fs::rename(&old, &self.real);
                    return Err(failed(e));
                }
                sync_folder(&self.parent);
                let _ = fs::remove_dir_all(&old);
                Ok(())
            }
            Err(e) => Err(failed(e)),
        }
    }
}

/// Whether `name` is a temporary file of an older p80 (`.NAME.p80-tmp-PID`).
fn is_temporary_file(name: &str) -> bool {
    name.starts_with('.') && name.contains(".p80-tmp-")
}

/// Removes `.*.p80-new-PID` and `.*.p80-old-PID` entries of `parent` whose process has ended.
fn remove_leftovers(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(leftover_pid) else {
            continue;
        };
        if pid != std::process::id() && !running(pid) {
            let path = entry.path();
            if entry.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                let _ = fs::remove_dir_all(&path);
            } else {
                let _ = fs::remove_file(&path);
            }
        }
    }
}

/// The process id in a staged or swapped-out folder's name `.NAME.p80-new-PID` /
/// `.NAME.p80-old-PID`.
fn leftover_pid(name: &str) -> Option<u32> {
    if !name.starts_with('.') {
        return None;
    }
    let (_, pid) = name
        .rsplit_once(".p80-new-")
        .or_else(|| name.rsplit_once(".p80-old-"))?;
    pid.parse().ok().filter(|&p| p > 0 && p <= i32::MAX as u32)
}

/// Whether a process with this id is running on this machine.
#[cfg(unix)]
fn running(pid: u32) -> bool {
    // Signal 0 checks only; EPERM means it exists under another user.
    // SAFETY: kill with signal 0 sends nothing; pid is positive (never a process group).
    let r = unsafe { libc::kill(pid as libc::pid_t, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn running(_pid: u32) -> bool {
    true // cannot tell: keep it
}

/// Exchanges two existing paths atomically (Linux `renameat2(RENAME_EXCHANGE)`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// Whether the exchange failed because the system or file system cannot do it (then the
/// two-rename fallback runs).
fn exchange_unsupported(e: &io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(
        e.raw_os_error(),
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)
    ) {
        return true;
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// Flushes a folder's entries to disk (best effort: not every file system can).
fn sync_folder(dir: &Path) {
    if let Ok(f) = fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_new_run_replaces_the_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let t = Target::check(&out, &[], &["a.csv", "b.csv"]).unwrap();
        t.replace(&[("a.csv", b"1"), ("b.csv", b"2")]).unwrap();
        assert_eq!(names(&out), ["a.csv", "b.csv"]);
        fs::write(out.join(".a.csv.p80-tmp-1"), "x").unwrap();
        let t = Target::check(&out, &[], &["a.csv", "b.csv"]).unwrap();
        t.replace(&[("a.csv", b"3")]).unwrap();
        assert_eq!(names(&out), ["a.csv"]);
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"3");
        assert_eq!(names(tmp.path()), ["out"]);
    }

    #[test]
    fn the_fallback_of_two_renames_gives_the_same_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("a.csv"), "old").unwrap();
        let t = Target::check(&out, &[], &["a.csv"]).unwrap();
        let staged = tmp.path().join(".out.p80-new-test");
        fs::create_dir(&staged).unwrap();
        fs::write(staged.join("a.csv"), "new").unwrap();
        // What swap does when the exchange is unsupported.
        let old = tmp
            .path()
            .join(format!(".out.p80-old-{}", std::process::id()));
        fs::rename(&t.real, &old).unwrap();
        fs::rename(&staged, &t.real).unwrap();
        fs::remove_dir_all(&old).unwrap();
        assert_eq!(fs::read(out.join("a.csv")).unwrap(), b"new");
        assert_eq!(names(tmp.path()), ["out"]);
    }

    #[test]
    fn refuses_foreign_files_and_folders_and_touches_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir_all(out.join("a.png")).unwrap();
        fs::write(out.join("notes.txt"), "mine").unwrap();
        let e = Target::check(&out, &[], &["a.png"]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let msg = e.to_string();
        assert!(msg.contains("a.png/, notes.txt"), "{msg}");
        assert_eq!(names(&out), ["a.png", "notes.txt"]);
    }

    #[test]
    fn refuses_a_folder_holding_an_input_and_a_file_as_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("plan/tasks.csv");
        fs::create_dir_all(input.parent().unwrap()).unwrap();
        fs::write(&input, "id").unwrap();
        for out in [
            tmp.path().to_path_buf(),
            tmp.path().join("plan"),
            input.clone(),
        ] {
            let e = Target::check(&out, std::slice::from_ref(&input), &[]).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{out:?}");
            assert!(e.to_string().contains("refusing to overwrite input file"));
        }
        let file = tmp.path().join("file");
        fs::write(&file, "x").unwrap();
        assert_eq!(Target::check(&file, &[], &[]).unwrap_err().exit_code(), 1);
    }

    #[test]
    fn leftovers_of_ended_processes_are_removed_and_live_ones_kept() {
        let tmp = tempfile::tempdir().unwrap();
        // A process id that cannot be running: above the kernel's maximum.
        let dead = tmp.path().join(".out.p80-new-2147483647");
        let old = tmp.path().join(".x.p80-old-2147483646");
        let live = tmp
            .path()
            .join(format!(".y.p80-new-{}", std::process::id()));
        let other = tmp.path().join(".notes.p80-new-abc");
        for d in [&dead, &old, &live, &other] {
            fs::create_dir(d).unwrap();
        }
        remove_leftovers(tmp.path());
        let mut want = vec![
            ".notes.p80-new-abc".to_string(),
            format!(".y.p80-new-{}", std::process::id()),
        ];
        want.sort();
        assert_eq!(names(tmp.path()), want);
    }
}
