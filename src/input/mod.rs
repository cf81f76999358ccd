//! Readers: each input format produces the same in-memory [`Project`], with source lines kept
//! for error messages. [`load`] is the entry point for every command: a `project.toml`, a bare
//! `tasks.csv`, or a schedule file (MS Project XML, Primavera XER, GanttProject), chosen by
//! the file's extension.

pub mod assignment;
pub mod correlations_csv;
pub mod gan;
pub mod mspdi;
pub mod project_toml;
pub mod resources_csv;
pub mod risks_csv;
mod scenario_toml;
pub mod schedule;
pub mod source;
pub mod table;
pub mod tasks_csv;
pub mod xer;
pub mod xml;

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::model::{self, Distribution, Project, RangeRule};
pub use project_toml::ProjectConfig;
pub use schedule::{ImportOptions, Schedule};

/// A validated project with the settings its file gave, and every file it was read from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The plan, validated: safe to compile.
    pub project: Project,
    /// What the project file said (defaults when a bare tasks.csv was given).
    pub config: ProjectConfig,
    /// Every input file, so that outputs never overwrite one.
    pub inputs: Vec<PathBuf>,
    /// Things read but not modelled (from a schedule file), one line each.
    pub warnings: Vec<String>,
    /// The range rule and how many tasks took their range from it (not estimates), when any
    /// did.
    pub range_rule: Option<(RangeRule, usize)>,
}

/// The kinds of file p80 reads a plan from, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `project.toml`.
    Toml,
    /// A bare `tasks.csv` (any other extension).
    Csv,
    /// MS Project XML (`.xml`).
    MsProject,
    /// Primavera P6 XER (`.xer`).
    Xer,
    /// GanttProject (`.gan`).
    GanttProject,
    /// A binary MS Project file (`.mpp`), which p80 cannot read.
    Mpp,
}

impl Format {
    /// The format of `path`, from its extension (case-insensitive).
    pub fn of(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "toml" => Format::Toml,
            "xml" | "mspdi" => Format::MsProject,
            "xer" => Format::Xer,
            "gan" => Format::GanttProject,
            "mpp" | "mpt" => Format::Mpp,
            _ => Format::Csv,
        }
    }

    /// Whether this is a schedule file of a planning tool.
    pub fn is_schedule(self) -> bool {
        matches!(
            self,
            Format::MsProject | Format::Xer | Format::GanttProject | Format::Mpp
        )
    }
}

/// Reads a schedule file (MS Project XML, Primavera XER or GanttProject, by extension) into a
/// project, with its calendar and what `p80 import` writes; not yet validated.
pub fn read_schedule(
    path: &Path,
    options: &ImportOptions,
) -> std::result::Result<Schedule, Vec<Diagnostic>> {
    let raw = match Format::of(path) {
        Format::MsProject => mspdi::read(path, options)?,
        Format::Xer => xer::read(path, options)?,
        Format::GanttProject => gan::read(path, options)?,
        _ => {
            return Err(vec![Diagnostic::file(
                path,
                "a binary MS Project file (.mpp), which p80 cannot read; in MS Project use File > \
                 Save As > XML Format (*.xml) and give p80 the .xml file",
            )])
        }
    };
    schedule::build(raw, options)
}

/// The settings of a plan given without a project.toml: every default.
fn bare_config(path: &Path) -> ProjectConfig {
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
        schedule: None,
        import: ImportOptions::default(),
        range_rule_given: false,
        deadline_line: None,
        calendar_days: None,
    }
}

/// Reads and validates a project from a `project.toml`, a bare `tasks.csv` or a schedule file
/// (`.xml`, `.xer`, `.gan`).
///
/// Every problem found in the files is returned at once as [`Error::Input`].
pub fn load(path: &Path) -> Result<Loaded> {
    let format = Format::of(path);
    let is_toml = format == Format::Toml;
    let mut inputs = vec![path.to_path_buf()];
    let mut config = if is_toml {
        let text = source::read_text(path)?;
        project_toml::read(path, &text).map_err(Error::Input)?
    } else {
        let mut c = bare_config(path);
        if format.is_schedule() {
            c.schedule = Some(path.to_path_buf());
        }
        c
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
    let mut warnings = Vec::new();
    let mut range_rule_tasks = 0;
    let mut tasks = Vec::new();
    let mut resources = Vec::new();
    let mut schedule_name = None;
    let mut schedule_currency = None;
    if let Some(file) = config.schedule.clone() {
        if is_toml {
            inputs.push(file.clone());
        }
        match read_schedule(&file, &config.import) {
            Ok(s) => {
                tasks = s.project.tasks;
                resources = s.project.resources;
                range_rule_tasks = s.range_rule_tasks;
                warnings = s.warnings;
                schedule_name = Some(s.project.name);
                schedule_currency = Some(s.project.currency);
                // project.toml's start and [calendar] win over the file's.
                let calendar = match (&config.calendar, &config.calendar_days) {
                    (Some(c), _) => c.clone(),
                    (None, Some(days)) => days.calendar(s.calendar.start()).unwrap_or(s.calendar),
                    (None, None) => s.calendar,
                };
                if let (Some(d), Some(line)) = (config.deadline, config.deadline_line) {
                    if d < calendar.start() {
                        errors.push(Diagnostic::at(
                            path,
                            line,
                            Some("deadline"),
                            format!(
                                "deadline {d} is before the start {} of {}",
                                calendar.start(),
                                file.display()
                            ),
                        ));
                    }
                }
                config.start = Some(calendar.start());
                config.calendar = Some(calendar);
            }
            Err(e) => errors.extend(
                e.into_iter()
                    .map(|d| named_by("schedule", config.tasks_line, d)),
            ),
        }
    } else {
        let options = tasks_csv::TaskOptions {
            distribution: config.distribution,
            risk_levels: &config.risk_levels,
            range_rule: config.range_rule_given.then_some(config.import.range),
            calendar: config.calendar.as_ref(),
        };
        match source::read_text(&config.tasks) {
            Ok(text) => match tasks_csv::read_with(&config.tasks, &text, &options) {
                Ok(r) => {
                    tasks = r.tasks;
                    range_rule_tasks = r.range_rule_tasks;
                }
                Err(e) => errors.extend(e),
            },
            Err(d) => errors.push(named_by("tasks", config.tasks_line, d)),
        }
        if is_toml {
            inputs.push(config.tasks.clone());
        }
    }
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

    let name = config
        .name
        .clone()
        .or(schedule_name)
        .unwrap_or_else(|| default_name(path));
    let resources_file = match &config.schedule {
        Some(f) => (!resources.is_empty()).then(|| f.clone()),
        None => config.resources.clone(),
    };
    let mut project = Project {
        name,
        currency: config
            .currency
            .clone()
            .or(schedule_currency)
            .unwrap_or_default(),
        tasks,
        resources,
        tasks_file: config.tasks.clone(),
        resources_file,
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
    let range_rule = (range_rule_tasks > 0).then_some((config.import.range, range_rule_tasks));
    Ok(Loaded {
        project,
        config,
        inputs,
        warnings,
        range_rule,
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
