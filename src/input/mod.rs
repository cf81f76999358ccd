//! Readers: each input format produces the same in-memory [`Project`], with source lines kept
//! for error messages. [`load`] is the entry point for every command: a `project.toml`, a bare
//! `tasks.csv`, or a schedule file (MS Project XML, Primavera XER, GanttProject), chosen by
//! the file's extension.

pub mod assignment;
pub mod correlations_csv;
pub mod forecast_toml;
pub mod gan;
pub mod history_csv;
pub mod mspdi;
pub mod project_toml;
pub mod resources_csv;
pub mod risks_csv;
mod scenario_toml;
pub mod schedule;
pub mod source;
pub mod table;
pub mod tasks_csv;
#[cfg(test)]
pub(crate) mod testing;
pub mod xer;
pub mod xml;

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Error, Result};
use crate::model::{self, Distribution, Project, RangeRule};
pub use forecast_toml::ForecastSpec;
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
    /// Things the user should know about the inputs, one line each: what a schedule file
    /// holds that p80 does not model, a short or gappy forecast history.
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

/// Reads and validates a project from a `project.toml`, a bare `tasks.csv` or a schedule file
/// (`.xml`, `.xer`, `.gan`).
///
/// Every problem found in the files is returned at once as [`Error::Input`]. Tasks that take
/// their duration from a forecast (`forecast` column) get it read and checked here, with the
/// plan at the team's average throughput as their deterministic duration.
pub fn load(path: &Path) -> Result<Loaded> {
    let format = Format::of(path);
    let is_toml = format == Format::Toml;
    let mut config = read_config(path)?;
    let mut inputs = vec![path.to_path_buf()];
    // The file the tasks come from: the schedule file or the tasks.csv.
    let Some(tasks_file) = config.schedule.clone().or_else(|| config.tasks.clone()) else {
        return Err(Diagnostic::at(
            path,
            config.project_line,
            Some("tasks"),
            project_toml::MISSING_TASKS,
        )
        .into());
    };
    // A file named in project.toml that cannot be read is a problem of project.toml, at its key.
    let named_by =
        |key: &str, key_line: Option<usize>, d: Diagnostic| named_by(path, key, key_line, d);

    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut warnings = Vec::new();
    let mut range_rule_tasks = 0;
    let mut tasks = Vec::new();
    let mut resources = Vec::new();
    let mut schedule_name = None;
    let mut schedule_currency = None;
    if let Some(file) = &config.schedule {
        match read_schedule(file, &config.import) {
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
        match source::read_text(&tasks_file) {
            Ok(text) => match tasks_csv::read_with(&tasks_file, &text, &options) {
                Ok(r) => {
                    tasks = r.tasks;
                    range_rule_tasks = r.range_rule_tasks;
                }
                Err(e) => errors.extend(e),
            },
            Err(d) => errors.push(named_by("tasks", config.tasks_line, d)),
        }
    }
    if is_toml {
        inputs.push(tasks_file.clone());
    }
    if let Some(rf) = &config.resources {
        inputs.push(rf.clone());
        match source::read_text(rf) {
            Ok(text) => match resources_csv::read_with(
                rf,
                &text,
                config.distribution,
                config.calendar.as_ref(),
            ) {
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
    let forecasts = task_forecasts(
        path,
        &config,
        &tasks_file,
        &mut tasks,
        &mut inputs,
        &mut errors,
        &mut warnings,
    );
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
        tasks_file,
        resources_file,
        risks,
        risks_file: config.risks.clone(),
        correlations,
        strict_correlation: config.strict_correlation,
        communication_overhead: config.communication_overhead,
        forecasts,
    };
    let mut problems = project.derive_effort_durations();
    problems.extend(model::validate(&project));
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

/// The project file's settings: `project.toml` read and checked, or the defaults around a
/// bare `tasks.csv` or schedule file.
pub fn read_config(path: &Path) -> Result<ProjectConfig> {
    let format = Format::of(path);
    if format == Format::Toml {
        let text = source::read_text(path)?;
        return project_toml::read(path, &text).map_err(Error::Input);
    }
    let file = Some(path.to_path_buf());
    let (tasks, schedule) = if format.is_schedule() {
        (None, file)
    } else {
        (file, None)
    };
    Ok(ProjectConfig {
        name: None,
        currency: None,
        tasks,
        schedule,
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
        delay_cost: None,
        delay_cost_line: None,
        sampling: None,
        strict_correlation: false,
        communication_overhead: 0.0,
        level: None,
        level_improve: false,
        risk_levels: crate::model::RiskLevels::default(),
        import: ImportOptions::default(),
        range_rule_given: false,
        deadline_line: None,
        calendar_days: None,
        project_line: 1,
        forecasts: vec![],
        sprints: None,
    })
}

/// A file named in project.toml (at `key_line`, under `key`) that cannot be read is a problem
/// of project.toml, at that key.
fn named_by(path: &Path, key: &str, key_line: Option<usize>, d: Diagnostic) -> Diagnostic {
    match (key_line, d.line) {
        (Some(_), None) => Diagnostic {
            file: path.to_path_buf(),
            line: key_line,
            field: Some(key.to_string()),
            message: format!("{}: {}", d.file.display(), d.message),
        },
        _ => d,
    }
}

/// The forecasts the tasks name (`forecast` column), each read once, in order of first use:
/// unknown names and "how many" forecasts are errors at the task's line; a forecast task's
/// estimate becomes the plan at the team's average throughput (whole periods).
fn task_forecasts(
    path: &Path,
    config: &ProjectConfig,
    tasks_file: &Path,
    tasks: &mut [model::Task],
    inputs: &mut Vec<PathBuf>,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<String>,
) -> Vec<model::Forecast> {
    let mut out: Vec<model::Forecast> = Vec::new();
    let mut failed: Vec<&str> = Vec::new();
    let named: Vec<&str> = config
        .forecasts
        .iter()
        .filter_map(|f| f.name.as_deref())
        .collect();
    for t in tasks.iter_mut() {
        let Some(name) = t.forecast.as_deref() else {
            continue;
        };
        let at = |msg: String| Diagnostic::at(tasks_file, t.line, Some("forecast"), msg);
        let Some(spec) = config
            .forecasts
            .iter()
            .find(|f| f.name.as_deref() == Some(name))
        else {
            let have = if config.tasks_line.is_none() {
                "forecasts are defined in project.toml: run p80 on a project.toml with \
                 tasks = this file and a [forecast.NAME] table (see docs/format.md)"
                    .to_string()
            } else if named.is_empty() {
                format!(
                    "{} defines no named forecast; add a [forecast.{name}] table with history, \
                     period_length and backlog (see docs/format.md)",
                    path.display()
                )
            } else {
                format!(
                    "{} defines {}",
                    path.display(),
                    named
                        .iter()
                        .map(|n| format!("[forecast.{n}]"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            errors.push(at(format!("unknown forecast `{name}`; {have}")));
            continue;
        };
        if let model::forecast::Target::Until { date, .. } = spec.target {
            errors.push(at(format!(
                "[forecast.{name}] counts the items done by {date} (until); a task takes its \
                 duration from a forecast of when a backlog is done: give it backlog instead"
            )));
            continue;
        }
        if failed.contains(&name) {
            continue;
        }
        let index = match out.iter().position(|f| f.name.as_deref() == Some(name)) {
            Some(i) => i,
            None => match read_forecast(path, spec, inputs) {
                Ok((f, w)) => {
                    if let Some(d) = f.check_for_task() {
                        errors.push(d);
                        failed.push(spec.name.as_deref().unwrap_or_default());
                        continue;
                    }
                    warnings.extend(w);
                    out.push(f);
                    out.len() - 1
                }
                Err(e) => {
                    errors.extend(e);
                    failed.push(spec.name.as_deref().unwrap_or_default());
                    continue;
                }
            },
        };
        let forecast = &out[index];
        if let Some(periods) = forecast.plan_periods() {
            let days = f64::from(periods) * f64::from(forecast.period_length);
            t.estimate = model::Estimate::fixed(days).expect("a whole number of days is valid");
        }
    }
    out
}

/// Reads the history of `spec` (a forecast of the project file `path`) and checks the
/// forecast as a whole. Returns it with its warnings, or every problem found.
fn read_forecast(
    path: &Path,
    spec: &ForecastSpec,
    inputs: &mut Vec<PathBuf>,
) -> Result<(model::Forecast, Vec<String>), Vec<Diagnostic>> {
    inputs.push(spec.history.clone());
    let text = source::read_text(&spec.history)
        .map_err(|d| vec![named_by(path, "history", Some(spec.history_line), d)])?;
    let history = history_csv::read(&spec.history, &text)?;
    let forecast = model::Forecast {
        name: spec.name.clone(),
        history,
        period_length: spec.period_length,
        last_periods: spec.last_periods,
        target: spec.target,
        file: path.to_path_buf(),
        target_line: spec.target_line,
        last_periods_line: spec.last_periods_line,
    };
    let (problems, warnings) = forecast.check();
    if problems.is_empty() {
        Ok((forecast, warnings))
    } else {
        Err(problems)
    }
}

/// A forecast ready for `p80 forecast`, with the project's settings and calendar.
#[derive(Debug, Clone)]
pub struct LoadedForecast {
    /// The forecast, checked.
    pub forecast: model::Forecast,
    /// The project's name (`[project] name`, or the folder's).
    pub project: String,
    /// What the project file said.
    pub config: ProjectConfig,
    /// Every input file, so that outputs never overwrite one.
    pub inputs: Vec<PathBuf>,
    /// Things the user should know (a small history, gaps in it).
    pub warnings: Vec<String>,
}

/// Reads the forecast `name` of a `project.toml` (`None`: `[forecast]`, or the only named
/// one) and its history, and checks them.
///
/// A bare CSV, a file without forecasts or an unknown or ambiguous name is a usage error;
/// problems in the files are [`Error::Input`], every one at once.
pub fn load_forecast(path: &Path, name: Option<&str>) -> Result<LoadedForecast> {
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if !is_toml {
        return Err(Error::Usage(format!(
            "{}: p80 forecast reads a project.toml with a [forecast] table (history, \
             period_length, and backlog or until); see docs/format.md",
            path.display()
        )));
    }
    let config = read_config(path)?;
    let list = || {
        config
            .forecasts
            .iter()
            .map(|f| {
                f.name
                    .as_deref()
                    .unwrap_or("(the [forecast] table)")
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let spec = match name {
        Some(n) => config
            .forecasts
            .iter()
            .find(|f| f.name.as_deref() == Some(n))
            .ok_or_else(|| {
                Error::Usage(if config.forecasts.is_empty() {
                    format!("--name {n}: {} defines no forecast", path.display())
                } else {
                    format!(
                        "--name {n}: {} defines no [forecast.{n}]; its forecasts are: {}",
                        path.display(),
                        list()
                    )
                })
            })?,
        None => match config.forecasts.iter().find(|f| f.name.is_none()) {
            Some(f) => f,
            None => match &config.forecasts[..] {
                [] => {
                    return Err(Error::Input(vec![Diagnostic {
                        file: path.to_path_buf(),
                        line: None,
                        field: Some("forecast".into()),
                        message: "no [forecast] table; add one with history, period_length and \
                                  backlog or until (see docs/format.md)"
                            .into(),
                    }]))
                }
                [only] => only,
                _ => {
                    return Err(Error::Usage(format!(
                        "{} defines several forecasts ({}); choose one with --name",
                        path.display(),
                        list()
                    )))
                }
            },
        },
    };
    let mut inputs = vec![path.to_path_buf()];
    let (forecast, warnings) = read_forecast(path, spec, &mut inputs).map_err(Error::Input)?;
    Ok(LoadedForecast {
        forecast,
        project: config.name.clone().unwrap_or_else(|| default_name(path)),
        config,
        inputs,
        warnings,
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
