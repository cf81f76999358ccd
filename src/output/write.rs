//! Writing artefacts to disk: all rendered in memory first, then each written to a temporary
//! name in the output folder and renamed into place, so a failed run leaves no half-written
//! file. An output path that is one of the inputs is refused before anything is written.

use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::Artefact;
use crate::error::{Error, Result};

/// Renders every artefact from `report` (a [`crate::stats::Report`], a
/// [`crate::stats::Comparison`] or a [`crate::stats::ForecastReport`]), then writes them into
/// `dir` (created if needed). Returns the paths written, in the artefacts' order.
///
/// Fails with a usage error (exit 2), writing nothing, if any output would replace one of
/// `inputs`.
pub fn write_all<R: Sync + ?Sized>(
    dir: &Path,
    report: &R,
    artefacts: &[Box<dyn Artefact<R>>],
    inputs: &[PathBuf],
) -> Result<Vec<PathBuf>> {
    let targets: Vec<PathBuf> = artefacts.iter().map(|a| dir.join(a.file_name())).collect();
    refuse_inputs(&targets, inputs)?;
    // In parallel: charts dominate; results keep the artefacts' order.
    let rendered = artefacts
        .par_iter()
        .map(|a| a.render(report))
        .collect::<Result<Vec<_>>>()?;
    write_rendered(dir, &targets, &rendered)?;
    Ok(targets)
}

/// Writes files already rendered, `(name, bytes)`, into `dir` (created if needed), each
/// atomically; returns the paths written. Refuses, writing nothing, to replace one of `inputs`
/// or, unless `replace` is set, any file that exists already (a plan someone may have edited).
pub fn write_files(
    dir: &Path,
    files: &[(&str, Vec<u8>)],
    inputs: &[PathBuf],
    replace: bool,
) -> Result<Vec<PathBuf>> {
    let targets: Vec<PathBuf> = files.iter().map(|(n, _)| dir.join(n)).collect();
    refuse_inputs(&targets, inputs)?;
    if let Some(t) = targets.iter().find(|t| t.exists()).filter(|_| !replace) {
        return Err(Error::Usage(format!(
            "{} exists already: choose another folder with --out, or replace the files with \
             --force",
            t.display()
        )));
    }
    let bytes: Vec<Vec<u8>> = files.iter().map(|(_, b)| b.clone()).collect();
    write_rendered(dir, &targets, &bytes)?;
    Ok(targets)
}

/// Creates `dir` and writes each file atomically.
fn write_rendered(dir: &Path, targets: &[PathBuf], rendered: &[Vec<u8>]) -> Result<()> {
    fs::create_dir_all(dir)
        .map_err(|e| Error::io(format!("cannot create output folder {}", dir.display()), e))?;
    for (path, bytes) in targets.iter().zip(rendered) {
        write_atomic(path, bytes)?;
    }
    Ok(())
}

/// Errors if any target is the same file as an input.
fn refuse_inputs(targets: &[PathBuf], inputs: &[PathBuf]) -> Result<()> {
    let inputs: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|p| fs::canonicalize(p).ok())
        .collect();
    for t in targets {
        if let Some(c) = resolve(t) {
            if inputs.contains(&c) {
                return Err(Error::Usage(format!(
                    "refusing to overwrite input file {}: choose another output folder with --out",
                    t.display()
                )));
            }
        }
    }
    Ok(())
}

/// `path` made absolute with links resolved, even when its end does not exist yet (as with
/// `--out new/..`): the missing components cannot be links, so they are applied lexically.
fn resolve(path: &Path) -> Option<PathBuf> {
    let mut missing = Vec::new();
    let mut cur = path;
    let mut base = loop {
        let probe = if cur.as_os_str().is_empty() {
            Path::new(".")
        } else {
            cur
        };
        if let Ok(c) = fs::canonicalize(probe) {
            break c;
        }
        missing.push(cur.components().next_back()?);
        cur = cur.parent()?;
    };
    for c in missing.iter().rev() {
        match c {
            Component::ParentDir => {
                base.pop();
            }
            Component::CurDir => {}
            c => base.push(c),
        }
    }
    Some(base)
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    let tmp = path.with_file_name(format!(".{name}.p80-tmp-{}", std::process::id()));
    let result = fs::write(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(format!("cannot write {}", path.display()), e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_an_input_reached_through_a_folder_not_yet_created() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("summary.csv");
        fs::write(&p, "id").unwrap();
        let target = dir.path().join("new/../summary.csv");
        assert!(refuse_inputs(&[target], &[p]).is_err());
    }

    #[test]
    fn refuses_an_input_as_output() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("summary.json");
        fs::write(&p, "{}").unwrap();
        let e = refuse_inputs(std::slice::from_ref(&p), std::slice::from_ref(&p)).unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }
}
