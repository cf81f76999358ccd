//! Entry points for the fuzz targets in `fuzz/` (see DEVELOPERS.md): each feeds arbitrary bytes
//! to one reader the way the CLI does and throws the answer away. Any panic, abort, stack
//! overflow or hang reached from here is a bug; an `Err` (a diagnostic) is the right answer to
//! bad bytes. Not part of p80's interface for users.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::input::{self, correlations_csv, history_csv, project_toml, resources_csv, risks_csv};
use crate::model::{Distribution, Project, RiskLevels};

/// The separator between the files of [`plan`]'s input.
pub const FILE_SEPARATOR: u8 = 0;

/// The files of a plan folder, in the order [`plan`] takes them from its input.
pub const PLAN_FILES: [&str; 5] = [
    "project.toml",
    "tasks.csv",
    "resources.csv",
    "risks.csv",
    "correlations.csv",
];

/// `data` as text the way [`input::source`] reads a file (a BOM is dropped), or None where
/// that reader refuses the bytes.
fn text(data: &[u8]) -> Option<&str> {
    let t = std::str::from_utf8(data).ok()?;
    Some(t.strip_prefix('\u{feff}').unwrap_or(t))
}

/// `tasks.csv`, with the default distribution and risk levels.
pub fn tasks_csv(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = input::tasks_csv::read(
            Path::new("tasks.csv"),
            t,
            Distribution::default(),
            &RiskLevels::default(),
        );
    }
}

/// `resources.csv`.
pub fn resources_csv(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = resources_csv::read(Path::new("resources.csv"), t);
    }
}

/// `risks.csv`.
pub fn risks_csv(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = risks_csv::read(Path::new("risks.csv"), t, Distribution::default());
    }
}

/// `correlations.csv`.
pub fn correlations_csv(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = correlations_csv::read(Path::new("correlations.csv"), t);
    }
}

/// A throughput history (`throughput.csv`).
pub fn history_csv(data: &[u8]) {
    if let Some(t) = text(data) {
        let _ = history_csv::read(Path::new("throughput.csv"), t);
    }
}

/// A small valid project (two resources, three tasks) that [`project_toml`] applies its
/// scenarios to.
fn base_project() -> &'static Project {
    static BASE: OnceLock<Project> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = scratch().join("base");
        let files = [
            (
                "tasks.csv",
                "id,optimistic,likely,pessimistic,depends_on,resources,cost\n\
                 a,1,2,4,,dev:1,100\nb,2,3,5,a,dev:1;qa:1,\nc,1,1,2,a,qa:1,50\n",
            ),
            ("resources.csv", "id,capacity,rate\ndev,2,500\nqa,1,400\n"),
            (
                "project.toml",
                "[project]\nname = \"base\"\ntasks = \"tasks.csv\"\n\
                 resources = \"resources.csv\"\n",
            ),
        ];
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        for (name, text) in files {
            std::fs::write(dir.join(name), text).expect("a scratch file");
        }
        input::load(&dir.join("project.toml"))
            .expect("the base project is valid")
            .project
    })
}

/// `project.toml` (every table, scenarios and forecasts included); the scenarios it reads are
/// applied to a small fixed project.
pub fn project_toml(data: &[u8]) {
    let Some(t) = text(data) else { return };
    let Ok(config) = project_toml::read(Path::new("project.toml"), t) else {
        return;
    };
    let base = base_project();
    let mut applied: Vec<(String, Project)> = Vec::new();
    for s in &config.scenarios {
        let from = match &s.based_on {
            None => Some(base),
            Some(b) => applied.iter().find(|(n, _)| n == b).map(|(_, p)| p),
        };
        if let Some(Ok(p)) = from.map(|from| s.apply(from)) {
            applied.push((s.name.clone(), p));
        }
    }
}

/// A per-process scratch folder for readers that take a path.
fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("p80-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("a scratch folder");
        d
    })
}

/// A schedule file (`extension` "xml", "xer" or "gan") read as `p80 import` does: read, built
/// into a project, validated, compiled.
pub fn schedule(data: &[u8], extension: &str) {
    let path = scratch().join(format!("schedule.{extension}"));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let options = input::ImportOptions::default();
    if let Ok(s) = input::read_schedule(&path, &options) {
        if crate::model::validate(&s.project).is_empty() {
            let _ = crate::app::compile(&s.project, false, false);
        }
    }
}

/// The whole read → validate → compile path on a plan folder made from `data`: the parts
/// between [`FILE_SEPARATOR`] bytes are [`PLAN_FILES`] in order (missing ones are absent).
pub fn plan(data: &[u8]) {
    let dir = scratch().join("plan");
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let mut parts = data.split(|&b| b == FILE_SEPARATOR);
    for name in PLAN_FILES {
        let path = dir.join(name);
        let written = match parts.next() {
            Some(bytes) => std::fs::write(&path, bytes),
            None => std::fs::remove_file(&path).or(Ok(())),
        };
        if written.is_err() {
            return;
        }
    }
    if let Ok(loaded) = input::load(&dir.join("project.toml")) {
        let level = loaded.config.level.unwrap_or(true);
        let _ = crate::app::compile(&loaded.project, level, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_point_takes_garbage_and_the_examples() {
        let garbage: &[&[u8]] = &[b"", b"\xff\xfe", b"id\n\"", b"\0\0\0\0\0\0"];
        for g in garbage {
            tasks_csv(g);
            resources_csv(g);
            risks_csv(g);
            correlations_csv(g);
            history_csv(g);
            project_toml(g);
            for ext in ["xml", "xer", "gan"] {
                schedule(g, ext);
            }
            plan(g);
        }
        let _ = base_project();
        project_toml(b"[[scenario]]\nname = \"more\"\nassign = { b = \"dev:2\" }\n");
        let _ = std::fs::remove_dir_all(scratch());
    }
}
