//! Readers: each input format produces the same in-memory [`Project`], with source lines kept
//! for error messages. [`load`] is the entry point: a `project.toml` or a bare `tasks.csv`.

pub mod assignment;
pub mod correlations_csv;
pub mod project_toml;
pub mod resources_csv;
pub mod risks_csv;
mod scenario_toml;
pub mod source;
pub mod table;
pub mod tasks_csv;

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::model::{self, Distribution, Project};
pub use project_toml::ProjectConfig;

/// A validated project with the settings its file gave, and every file it was read from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The plan, validated: safe to compile.
    pub project: Project,
    /// What the project file said (defaults when a bare tasks.csv was given).
    pub config: ProjectConfig,
    /// Every input file, so that outputs never overwrite one.
    pub inputs: Vec<PathBuf>,
}

/// Reads and validates a project from a `project.toml` or a bare `tasks.csv`.
///
/// Every problem found in the files is returned at once as [`Error::Input`].
pub fn load(path: &Path) -> Result<Loaded> {
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let mut inputs = vec![path.to_path_buf()];
    let config = if is_toml {
        let text = source::read_text(path)?;
        project_toml::read(path, &text).map_err(Error::Input)?
    } else {
        ProjectConfig {
            name: None,
            currency: None,
            tasks: path.to_path_buf(),
            resources: None,
            distribution: Distribution::Pert,
            iterations: None,
            seed: None,
            confidence: None,
            threads: None,
            start: None,
            deadline: None,
            calendar: None,
            start_line: None,
            tasks_line: None,
            resources_line: None,
            risks: None,
            risks_line: None,
            correlations: None,
            correlations_line: None,
            correlation_groups: vec![],
            scenarios: vec![],
            budget: None,
            sampling: None,
            strict_correlation: false,
            communication_overhead: 0.0,
            level: None,
            risk_levels: crate::model::RiskLevels::default(),
        }
    };
    // A file named in project.toml that cannot be read is a problem of project.toml, at its key.
    let named_by = |key: &str, key_line: Option<usize>, d: Diagnostic| match (key_line, d.line) {
        (Some(_), None) => Diagnostic {
            file: path.to_path_buf(),
            line: key_line,
            field: Some(key.to_string()),
            message: format!("{}: {}", d.file.display(), d.message),
        },
        _ => d,
    };

    let mut errors: Vec<Diagnostic> = Vec::new();
    let tasks = match source::read_text(&config.tasks) {
        Ok(text) => tasks_csv::read(
            &config.tasks,
            &text,
            config.distribution,
            &config.risk_levels,
        )
        .unwrap_or_else(|e| {
            errors.extend(e);
            Vec::new()
        }),
        Err(d) => {
            errors.push(named_by("tasks", config.tasks_line, d));
            Vec::new()
        }
    };
    if is_toml {
        inputs.push(config.tasks.clone());
    }
    let mut resources = Vec::new();
    if let Some(rf) = &config.resources {
        inputs.push(rf.clone());
        match source::read_text(rf) {
            Ok(text) => match resources_csv::read_with(rf, &text, config.distribution) {
                Ok(r) => resources = r,
                Err(e) => errors.extend(e),
            },
            Err(d) => errors.push(named_by("resources", config.resources_line, d)),
        }
    }
    let mut risks = Vec::new();
    if let Some(rf) = &config.risks {
        inputs.push(rf.clone());
        match source::read_text(rf) {
            Ok(text) => match risks_csv::read(rf, &text, config.distribution) {
                Ok(r) => risks = r,
                Err(e) => errors.extend(e),
            },
            Err(d) => errors.push(named_by("risks", config.risks_line, d)),
        }
    }
    let mut correlations = config.correlation_groups.clone();
    if let Some(cf) = &config.correlations {
        inputs.push(cf.clone());
        match source::read_text(cf) {
            Ok(text) => match correlations_csv::read(cf, &text) {
                Ok(c) => correlations.extend(c),
                Err(e) => errors.extend(e),
            },
            Err(d) => errors.push(named_by("correlations", config.correlations_line, d)),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }

    let name = config.name.clone().unwrap_or_else(|| default_name(path));
    let mut project = Project {
        name,
        currency: config.currency.clone().unwrap_or_default(),
        tasks,
        resources,
        tasks_file: config.tasks.clone(),
        resources_file: config.resources.clone(),
        risks,
        risks_file: config.risks.clone(),
        correlations,
        strict_correlation: config.strict_correlation,
        communication_overhead: config.communication_overhead,
    };
    project.derive_effort_durations();
    let problems = model::validate(&project);
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(Loaded {
        project,
        config,
        inputs,
    })
}

/// The project's folder name (or file stem) when the file gives no name.
fn default_name(path: &Path) -> String {
    let dir = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    let stem = path.file_stem().and_then(|n| n.to_str());
    dir.filter(|d| !d.is_empty() && *d != ".")
        .or(stem)
        .unwrap_or("project")
        .to_string()
}
