//! Readers: each input format produces the same in-memory [`Project`], with source lines kept
//! for error messages. [`load`] is the entry point: a `project.toml` or a bare `tasks.csv`.

pub mod assignment;
pub mod correlations_csv;
pub mod forecast_toml;
pub mod history_csv;
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
pub use forecast_toml::ForecastSpec;
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
    /// Things the user should know about the inputs (e.g. a short forecast history).
    pub warnings: Vec<String>,
}

/// Reads and validates a project from a `project.toml` or a bare `tasks.csv`.
///
/// Every problem found in the files is returned at once as [`Error::Input`]. Tasks that take
/// their duration from a forecast (`forecast` column) get it read and checked here, with the
/// plan at the team's average throughput as their deterministic duration.
pub fn load(path: &Path) -> Result<Loaded> {
    let config = read_config(path)?;
    let is_toml = config.tasks_line.is_some();
    let mut inputs = vec![path.to_path_buf()];
    let Some(tasks_file) = config.tasks.clone() else {
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
    let mut tasks = match source::read_text(&tasks_file) {
        Ok(text) => tasks_csv::read(&tasks_file, &text, config.distribution, &config.risk_levels)
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
        inputs.push(tasks_file.clone());
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
    let mut warnings = Vec::new();
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

    let name = config.name.clone().unwrap_or_else(|| default_name(path));
    let mut project = Project {
        name,
        currency: config.currency.clone().unwrap_or_default(),
        tasks,
        resources,
        tasks_file,
        resources_file: config.resources.clone(),
        risks,
        risks_file: config.risks.clone(),
        correlations,
        strict_correlation: config.strict_correlation,
        communication_overhead: config.communication_overhead,
        forecasts,
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
        warnings,
    })
}

/// The project file's settings: `project.toml` read and checked, or the defaults around a bare
/// `tasks.csv`.
fn read_config(path: &Path) -> Result<ProjectConfig> {
    let is_toml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    if is_toml {
        let text = source::read_text(path)?;
        return project_toml::read(path, &text).map_err(Error::Input);
    }
    Ok(ProjectConfig {
        name: None,
        currency: None,
        tasks: Some(path.to_path_buf()),
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
        project_line: 1,
        forecasts: vec![],
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
