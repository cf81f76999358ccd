//! Writing a run's files: all rendered in memory first, then written as the output folder's
//! whole new content and swapped in ([`super::folder`]), so the folder always holds one
//! complete run. An output folder that is, holds or lies above one of the inputs, or holds
//! files p80 did not write, is refused before anything is written.

use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::folder::Target;
use super::Artefact;
use crate::error::{Error, Result};

/// Every file name `p80 simulate`, `compare` and `forecast` write: an output folder holding
/// only these (and p80 temporary files) may be replaced by any of them.
pub const RUN_FILES: &[&str] = &[
    "summary.json",
    "summary.csv",
    "task_stats.csv",
    "health.csv",
    "milestone_stats.csv",
    "risk_stats.csv",
    "resource_stats.csv",
    "resource_reserve.csv",
    "merge_bias.csv",
    "jcl.csv",
    "duration.png",
    "cost.png",
    "gantt.png",
    "report.html",
    "resource_profile.png",
    "tornado.png",
    "scatter.png",
    "report.html",
    "comparison.csv",
    "comparison.png",
    "forecast.csv",
    "forecast.png",
];

/// The file names `p80 import` writes (see [`super::plan_files`]).
pub const PLAN_FILES: &[&str] = &["project.toml", "tasks.csv", "resources.csv"];

/// Checks, before any work, that `dir` can take a run's files (see [`Target::check`]): exit 2
/// if it is, holds or lies above an input, is the current folder, or holds files p80 did not
/// write.
pub fn check_run_folder(dir: &Path, inputs: &[PathBuf]) -> Result<()> {
    Target::check(dir, inputs, RUN_FILES).map(|_| ())
}

/// Renders every artefact from `report` (a [`crate::stats::Report`], a
/// [`crate::stats::Comparison`] or a [`crate::stats::ForecastReport`]), then makes them the
/// whole content of `dir` (created if needed; files of an earlier run that this one does not
/// write are gone). Returns the paths written, in the artefacts' order.
///
/// Fails with a usage error (exit 2), changing nothing, if `dir` is, holds or lies above one
/// of `inputs` or holds files p80 did not write; with exit 1, changing nothing, if a file
/// cannot be rendered or written.
pub fn write_all<R: Sync + ?Sized>(
    dir: &Path,
    report: &R,
    artefacts: &[Box<dyn Artefact<R>>],
    inputs: &[PathBuf],
) -> Result<Vec<PathBuf>> {
    let target = Target::check(dir, inputs, RUN_FILES)?;
    // In parallel: charts dominate; results keep the artefacts' order.
    let rendered = artefacts
        .par_iter()
        .map(|a| a.render(report))
        .collect::<Result<Vec<_>>>()?;
    let files: Vec<(&str, &[u8])> = artefacts
        .iter()
        .zip(&rendered)
        .map(|(a, b)| (a.file_name(), b.as_slice()))
        .collect();
    target.replace(&files)?;
    Ok(artefacts.iter().map(|a| dir.join(a.file_name())).collect())
}

/// Writes files already rendered, `(name, bytes)`, as the whole content of `dir` (created if
/// needed), swapped in as one; returns the paths written. Refuses, changing nothing, a `dir`
/// that is, holds or lies above one of `inputs`, holds files other than [`PLAN_FILES`], or,
/// unless `replace` is set, holds any of them already (a plan someone may have edited).
pub fn write_files(
    dir: &Path,
    files: &[(&str, Vec<u8>)],
    inputs: &[PathBuf],
    replace: bool,
) -> Result<Vec<PathBuf>> {
    let target = Target::check(dir, inputs, PLAN_FILES)?;
    let existing = target.existing();
    if let Some(n) = PLAN_FILES
        .iter()
        .find(|n| existing.iter().any(|e| e == *n))
        .filter(|_| !replace)
    {
        return Err(Error::Usage(format!(
            "{} exists already: choose another folder with --out, or replace the files with \
             --force",
            dir.join(n).display()
        )));
    }
    let list: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    target.replace(&list)?;
    Ok(files.iter().map(|(n, _)| dir.join(n)).collect())
}

/// `path` made absolute with links resolved, even when its end does not exist yet (as with
/// `--out new/..`): the missing components cannot be links, so they are applied lexically.
pub(super) fn resolve(path: &Path) -> Option<PathBuf> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_a_folder_not_yet_created() {
        let dir = tempfile::tempdir().unwrap();
        let real = fs::canonicalize(dir.path()).unwrap();
        assert_eq!(
            resolve(&dir.path().join("new/../a/b")),
            Some(real.join("a/b"))
        );
    }

    #[test]
    fn refuses_an_input_reached_through_a_folder_not_yet_created() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("summary.csv");
        fs::write(&p, "id").unwrap();
        let target = dir.path().join("new/..");
        let e = check_run_folder(&target, &[p]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }

    #[test]
    fn every_artefact_name_is_a_run_file() {
        let names = crate::output::comparison()
            .iter()
            .map(|a| a.file_name())
            .chain(crate::output::forecast().iter().map(|a| a.file_name()))
            .chain(
                crate::output::standard(&crate::stats::testing::report(&[1.0], &[1.0]))
                    .iter()
                    .map(|a| a.file_name()),
            )
            .chain([
                // The artefacts `standard` adds only for some plans.
                Artefact::<crate::stats::Report>::file_name(
                    &super::super::milestone_stats_csv::MilestoneStatsCsv,
                ),
                super::super::risk_stats_csv::RiskStatsCsv.file_name(),
                super::super::resource_stats_csv::ResourceStatsCsv.file_name(),
                super::super::profile_chart::ProfileChart.file_name(),
                super::super::html_report::HtmlReport.file_name(),
            ])
            .collect::<Vec<_>>();
        for n in names {
            assert!(RUN_FILES.contains(&n), "{n} is missing from RUN_FILES");
        }
    }
}
