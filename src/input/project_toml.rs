//! `project.toml`: names the CSV files and holds the settings (see docs/format.md).
//!
//! Unknown keys are an error naming the key and its line; paths are resolved relative to the
//! project file's folder.

use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::error::Diagnostic;
use crate::model::calendar::{self, Calendar, MONDAY_TO_FRIDAY};
use crate::model::{Correlation, Distribution, RiskLevels, Sampling};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    project: Option<Spanned<ProjectSection>>,
    #[serde(default)]
    simulation: SimulationSection,
    calendar: Option<Spanned<CalendarSection>>,
    #[serde(default)]
    correlation: Vec<Spanned<CorrelationGroup>>,
    risk_levels: Option<Spanned<RiskLevelsSection>>,
    #[serde(default)]
    scenario: Vec<Spanned<super::scenario_toml::ScenarioSection>>,
    forecast: Option<Spanned<super::forecast_toml::Section>>,
    import: Option<Spanned<ImportSection>>,
}

/// `[import]`: where an imported schedule's ranges come from.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportSection {
    optimistic: Option<String>,
    likely: Option<String>,
    pessimistic: Option<String>,
    risk_level: Option<String>,
    range: Option<Spanned<Vec<f64>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RiskLevelsSection {
    low: Option<[f64; 2]>,
    medium: Option<[f64; 2]>,
    high: Option<[f64; 2]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CorrelationGroup {
    tasks: Vec<String>,
    coefficient: f64,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ProjectSection {
    name: Option<String>,
    currency: Option<String>,
    tasks: Option<Spanned<String>>,
    schedule: Option<Spanned<String>>,
    resources: Option<Spanned<String>>,
    distribution: Option<Spanned<String>>,
    start: Option<Spanned<toml::Value>>,
    deadline: Option<Spanned<toml::Value>>,
    risks: Option<Spanned<String>>,
    correlations: Option<Spanned<String>>,
    budget: Option<Spanned<toml::Value>>,
    delay_cost: Option<Spanned<toml::Value>>,
    communication_overhead: Option<Spanned<f64>>,
    sprint_length: Option<Spanned<toml::Value>>,
    sprint_start: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SimulationSection {
    iterations: Option<Spanned<toml::Value>>,
    seed: Option<Spanned<i64>>,
    confidence: Option<Spanned<f64>>,
    threads: Option<Spanned<i64>>,
    sampling: Option<Spanned<String>>,
    strict_correlation: Option<bool>,
    level: Option<bool>,
    level_improve: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarSection {
    workdays: Option<Spanned<Vec<Spanned<String>>>>,
    holidays: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    extra_workdays: Option<Spanned<Vec<Spanned<toml::Value>>>>,
}

/// What a project file says, with paths resolved against its folder.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectConfig {
    /// `[project] name`.
    pub name: Option<String>,
    /// `[project] currency`.
    pub currency: Option<String>,
    /// The risk register file, if named.
    pub risks: Option<PathBuf>,
    /// Line of the `risks` key.
    pub risks_line: Option<usize>,
    /// The correlations file, if named.
    pub correlations: Option<PathBuf>,
    /// Line of the `correlations` key.
    pub correlations_line: Option<usize>,
    /// `[[correlation]]` groups.
    pub correlation_groups: Vec<Correlation>,
    /// `[[scenario]]` blocks, in file order (the plan as written is not among them).
    pub scenarios: Vec<crate::model::Scenario>,
    /// `[project] budget`: p80 reports the chance that the cost is at most this.
    pub budget: Option<f64>,
    /// `[project] delay_cost`: money per working day past the deadline (the economic cost).
    pub delay_cost: Option<f64>,
    /// Line of the `delay_cost` key.
    pub delay_cost_line: Option<usize>,
    /// `[simulation] sampling`.
    pub sampling: Option<Sampling>,
    /// `[simulation] strict_correlation`.
    pub strict_correlation: bool,
    /// `[project] communication_overhead` for effort-driven tasks (0 by default).
    pub communication_overhead: f64,
    /// `[risk_levels]`: the multipliers of the `risk_level` shorthand.
    pub risk_levels: RiskLevels,
    /// `[simulation] level` (None: level when resources have capacities).
    pub level: Option<bool>,
    /// `[simulation] level_improve`: one forward-backward improvement pass after each
    /// levelling (false by default).
    pub level_improve: bool,
    /// `[project] tasks`: the tasks file (a tasks.csv). At most one of `tasks` and `schedule`
    /// is given; neither only in a project file with a `[forecast]` table and no plan
    /// (`p80 forecast` needs no plan; the other commands report it missing).
    pub tasks: Option<PathBuf>,
    /// `[project] schedule`: an MS Project XML, Primavera XER or GanttProject file holding the
    /// plan instead of `tasks` (and `resources`).
    pub schedule: Option<PathBuf>,
    /// `[import]`: how an imported schedule's ranges are found (and the range rule for
    /// `tasks.csv` rows that give only `likely`).
    pub import: super::schedule::ImportOptions,
    /// Whether `[import] range` was given (it then also applies to `tasks.csv`).
    pub range_rule_given: bool,
    /// Line of the `deadline` key.
    pub deadline_line: Option<usize>,
    /// The `[calendar]` section as given (with a schedule file and no `start`, it applies from
    /// the schedule's start).
    pub calendar_days: Option<CalendarDays>,
    /// The resources file, if named.
    pub resources: Option<PathBuf>,
    /// The default distribution for rows that name none.
    pub distribution: Distribution,
    /// `[simulation]` settings; `None` where the file says nothing.
    pub iterations: Option<crate::model::Iterations>,
    /// Random seed.
    pub seed: Option<u64>,
    /// Confidence level in (0, 1).
    pub confidence: Option<f64>,
    /// Worker threads.
    pub threads: Option<usize>,
    /// `[project] start`: the project start date; `None` works in days only.
    pub start: Option<NaiveDate>,
    /// `[project] deadline` (only with a start, on or after it).
    pub deadline: Option<NaiveDate>,
    /// The working-day calendar (`[calendar]`, default Monday to Friday without holidays);
    /// present exactly when `start` is.
    pub calendar: Option<Calendar>,
    /// Line of the `start` key, for messages about it.
    pub start_line: Option<usize>,
    /// Lines of the `tasks` (or `schedule`) and `resources` keys (for errors about the files
    /// they name); `None` for a bare tasks.csv or schedule file.
    pub tasks_line: Option<usize>,
    /// See `tasks_line`.
    pub resources_line: Option<usize>,
    /// Line of the `[project]` table (for [`MISSING_TASKS`]); 1 when there is none.
    pub project_line: usize,
    /// The `[forecast]` table and its named forecasts, checked (history files not yet read).
    pub forecasts: Vec<super::forecast_toml::ForecastSpec>,
    /// `[project] sprint_length` and `sprint_start`: finishes are also stated in sprints.
    pub sprints: Option<crate::model::Sprints>,
}

/// The message for a project file that names no plan (neither `tasks` nor `schedule` in
/// `[project]`), worded as the TOML parser words a missing key (kept for files written before
/// `tasks` became optional).
pub const MISSING_TASKS: &str =
    "missing field `tasks`; name the tasks file, e.g. tasks = \"tasks.csv\" (or a schedule: \
     schedule = \"plan.xml\", an MS Project XML, Primavera XER or GanttProject file)";

/// Parses `text`, the contents of the project file `file`. Reports every value problem at once
/// (a syntax error or unknown key stops at the first, as the TOML parser does).
pub fn read(file: &Path, text: &str) -> Result<ProjectConfig, Vec<Diagnostic>> {
    let line_of = |span: Range<usize>| text[..span.start.min(text.len())].matches('\n').count() + 1;
    let parsed: ProjectFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(line_of);
        let msg = e.message().trim().to_string();
        // The hint and the field below read the wording of serde's and toml's messages
        // ("unknown field `x`, expected …", "missing field `x`"): the tests
        // `unknown_key_names_key_and_line`, `a_missing_key_is_named` and
        // `a_value_of_the_wrong_type_names_its_key` assert whole messages, so an upgrade
        // that rewords them fails there, loudly.
        let hint = if msg.contains("unknown field") {
            "; remove it or check its spelling (see docs/format.md)"
        } else {
            ""
        };
        let field = msg
            .split('`')
            .nth(1)
            .filter(|_| msg.contains("field"))
            .map(str::to_string)
            // Type and syntax errors do not name the key: take it from the reported line.
            .or_else(|| {
                let (key, _) = text.lines().nth(line? - 1)?.split_once('=')?;
                let key = key.trim().trim_matches('"');
                (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
            });
        vec![Diagnostic {
            file: file.to_path_buf(),
            line,
            field,
            message: format!("{msg}{hint}"),
        }]
    })?;

    let mut errors = Vec::new();
    let dir = file.parent().unwrap_or(Path::new(""));
    // Without a [forecast] table a plan is required; a file with neither [project] nor
    // [forecast] is reported first, alone, as the parser did when `project` was required.
    let project_line = parsed.project.as_ref().map_or(1, |p| line_of(p.span()));
    let plan_required = parsed.forecast.is_none();
    let p = match parsed.project {
        Some(p) => p.into_inner(),
        None if plan_required => {
            return Err(vec![Diagnostic::at(
                file,
                1,
                Some("project"),
                "missing field `project`; add a [project] table with at least \
                 tasks = \"tasks.csv\"",
            )])
        }
        None => ProjectSection::default(),
    };
    let s = parsed.simulation;

    let distribution = match &p.distribution {
        None => Distribution::Pert,
        Some(d) => Distribution::parse(d.get_ref()).unwrap_or_else(|| {
            errors.push(Diagnostic::at(
                file,
                line_of(d.span()),
                Some("distribution"),
                format!(
                    "unknown distribution `{}`; use one of {}",
                    d.get_ref(),
                    Distribution::NAMES
                ),
            ));
            Distribution::Pert
        }),
    };
    let iterations = s.iterations.as_ref().and_then(|v| {
        let parsed = match v.get_ref() {
            toml::Value::Integer(n) if *n >= 1 => Some(crate::model::Iterations::Count(*n as u64)),
            toml::Value::String(t) if t.eq_ignore_ascii_case("auto") => {
                Some(crate::model::Iterations::Auto)
            }
            _ => None,
        };
        if parsed.is_none() {
            errors.push(Diagnostic::at(
                file,
                line_of(v.span()),
                Some("iterations"),
                format!("{} must be at least 1, or \"auto\"", v.get_ref()),
            ));
        }
        parsed
    });
    let mut positive = |v: &Option<Spanned<i64>>, field: &str, min: i64| -> Option<u64> {
        let v = v.as_ref()?;
        if *v.get_ref() < min {
            errors.push(Diagnostic::at(
                file,
                line_of(v.span()),
                Some(field),
                format!("{} must be at least {min}", v.get_ref()),
            ));
            return None;
        }
        Some(*v.get_ref() as u64)
    };
    let seed = positive(&s.seed, "seed", 0);
    let threads = positive(&s.threads, "threads", 1).and_then(|t| {
        crate::limits::threads(t, "threads")
            .map_err(|m| {
                let line = s.threads.as_ref().map_or(1, |v| line_of(v.span()));
                errors.push(Diagnostic::at(file, line, Some("threads"), m));
            })
            .ok()
    });
    let confidence = s.confidence.as_ref().and_then(|c| {
        let v = *c.get_ref();
        if v > 0.0 && v < 1.0 {
            Some(v)
        } else {
            errors.push(Diagnostic::at(
                file,
                line_of(c.span()),
                Some("confidence"),
                format!("{v} is not between 0 and 1 (exclusive); write 0.8 for P80"),
            ));
            None
        }
    });
    match (&p.tasks, &p.schedule) {
        (None, None) if plan_required => errors.push(Diagnostic::at(
            file,
            project_line,
            Some("tasks"),
            MISSING_TASKS,
        )),
        (Some(_), Some(s)) => errors.push(Diagnostic::at(
            file,
            line_of(s.span()),
            Some("schedule"),
            "give either tasks (a tasks.csv) or schedule (an MS Project, Primavera or \
             GanttProject file), not both",
        )),
        (None, Some(_)) if p.resources.is_some() => {
            let r = p.resources.as_ref().map_or(0..0, |r| r.span());
            errors.push(Diagnostic::at(
                file,
                line_of(r),
                Some("resources"),
                "the schedule file holds the resources; remove resources (or use tasks = \
                 \"tasks.csv\" instead of schedule)",
            ))
        }
        _ => {}
    }
    for (key, val) in [
        ("tasks", p.tasks.as_ref()),
        ("schedule", p.schedule.as_ref()),
        ("resources", p.resources.as_ref()),
    ] {
        if let Some(v) = val {
            if v.get_ref().trim().is_empty() {
                errors.push(Diagnostic::at(
                    file,
                    line_of(v.span()),
                    Some(key),
                    "is empty; name a CSV file",
                ));
            }
        }
    }
    if let Some(v) = &p.communication_overhead {
        if !(0.0..=1.0).contains(v.get_ref()) {
            errors.push(Diagnostic::at(
                file,
                line_of(v.span()),
                Some("communication_overhead"),
                format!(
                    "{} is not between 0 and 1; 0.1 adds 10% effort per extra unit",
                    v.get_ref()
                ),
            ));
        }
    }
    let mut risk_levels = RiskLevels::default();
    if let Some(section) = &parsed.risk_levels {
        let r = section.get_ref();
        for (slot, v) in [
            (&mut risk_levels.low, r.low),
            (&mut risk_levels.medium, r.medium),
            (&mut risk_levels.high, r.high),
        ] {
            if let Some([lo, hi]) = v {
                *slot = (lo, hi);
            }
        }
        if let Err((field, msg)) = risk_levels.check() {
            errors.push(Diagnostic::at(
                file,
                line_of(section.span()),
                Some(field),
                msg,
            ));
        }
    }
    let sampling = s.sampling.as_ref().and_then(|v| {
        Sampling::parse(v.get_ref()).or_else(|| {
            errors.push(Diagnostic::at(
                file,
                line_of(v.span()),
                Some("sampling"),
                format!("unknown sampling `{}`; use random or lhs", v.get_ref()),
            ));
            None
        })
    });
    let mut correlation_groups = Vec::new();
    for g in &parsed.correlation {
        let line = line_of(g.span());
        let c = g.get_ref();
        if !(-1.0..=1.0).contains(&c.coefficient) {
            errors.push(Diagnostic::at(
                file,
                line,
                Some("coefficient"),
                format!("{} is not between -1 and 1", c.coefficient),
            ));
        } else {
            correlation_groups.push(Correlation {
                tasks: c.tasks.clone(),
                coefficient: c.coefficient,
                file: file.to_path_buf(),
                line,
            });
        }
    }
    for (key, v) in [("risks", &p.risks), ("correlations", &p.correlations)] {
        let Some(v) = v else { continue };
        if v.get_ref().trim().is_empty() {
            errors.push(Diagnostic::at(
                file,
                line_of(v.span()),
                Some(key),
                "is empty; name a CSV file",
            ));
        }
    }
    let budget = p.budget.as_ref().and_then(|v| {
        let b = super::scenario_toml::number(v.get_ref()).filter(|b| b.is_finite() && *b >= 0.0);
        if b.is_none() {
            errors.push(Diagnostic::at(
                file,
                line_of(v.span()),
                Some("budget"),
                format!(
                    "{} is not an amount >= 0 in the project currency",
                    v.get_ref()
                ),
            ));
        }
        b
    });
    let delay_cost = p.delay_cost.as_ref().and_then(|v| {
        let d = super::scenario_toml::number(v.get_ref()).filter(|d| d.is_finite() && *d >= 0.0);
        if d.is_none() {
            errors.push(Diagnostic::at(
                file,
                line_of(v.span()),
                Some("delay_cost"),
                format!(
                    "{} is not an amount >= 0 in the project currency per working day late",
                    v.get_ref()
                ),
            ));
        }
        d
    });
    if let (Some(v), None) = (&p.delay_cost, &p.deadline) {
        errors.push(Diagnostic::at(
            file,
            line_of(v.span()),
            Some("delay_cost"),
            "a cost of delay needs a deadline to be late for: add deadline = \"YYYY-MM-DD\" \
             (and start) to [project]",
        ));
    }
    let dates = read_dates(file, &p, parsed.calendar.as_ref(), &line_of, &mut errors);
    let scenarios = super::scenario_toml::read(
        file,
        distribution,
        dates.calendar.as_ref(),
        &parsed.scenario,
        &line_of,
        &mut errors,
    );
    let sprints = read_sprints(file, &p, &dates, &line_of, &mut errors);
    let forecasts = parsed.forecast.as_ref().map_or_else(Vec::new, |f| {
        super::forecast_toml::read(file, f, dates.calendar.as_ref(), &line_of, &mut errors)
    });
    let mut import = super::schedule::ImportOptions {
        distribution,
        risk_levels,
        ..Default::default()
    };
    let mut range_rule_given = false;
    if let Some(section) = &parsed.import {
        let i = section.get_ref();
        let line = line_of(section.span());
        import.at = Some((file.to_path_buf(), line));
        import.optimistic = i.optimistic.clone();
        import.likely = i.likely.clone();
        import.pessimistic = i.pessimistic.clone();
        import.risk_level = i.risk_level.clone();
        if i.optimistic.is_some() != i.pessimistic.is_some() {
            errors.push(Diagnostic::at(
                file,
                line,
                Some(if i.optimistic.is_some() {
                    "pessimistic"
                } else {
                    "optimistic"
                }),
                "name both the optimistic and the pessimistic field (likely is optional: the \
                 scheduled duration by default)",
            ));
        }
        if i.likely.is_some() && i.optimistic.is_none() && i.pessimistic.is_none() {
            errors.push(Diagnostic::at(
                file,
                line,
                Some("likely"),
                "a likely field needs optimistic and pessimistic fields too",
            ));
        }
        if let Some(r) = &i.range {
            let rule = match r.get_ref().as_slice() {
                &[o, m, p] => {
                    let rule = crate::model::RangeRule([o, m, p]);
                    rule.check().map(|()| rule)
                }
                other => Err(format!(
                    "{} values; give three multipliers [optimistic, likely, pessimistic] of the \
                     scheduled duration, e.g. [0.9, 1.0, 1.4]",
                    other.len()
                )),
            };
            match rule {
                Ok(rule) => {
                    import.range = rule;
                    range_rule_given = true;
                }
                Err(m) => errors.push(Diagnostic::at(file, line_of(r.span()), Some("range"), m)),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ProjectConfig {
        start: dates.calendar.as_ref().map(Calendar::start),
        deadline: dates.deadline,
        calendar: dates.calendar,
        calendar_days: dates.days,
        start_line: p.start.as_ref().map(|v| line_of(v.span())),
        deadline_line: p.deadline.as_ref().map(|v| line_of(v.span())),
        tasks_line: p
            .tasks
            .as_ref()
            .or(p.schedule.as_ref())
            .map(|t| line_of(t.span())),
        project_line,
        forecasts,
        sprints,
        schedule: p.schedule.as_ref().map(|s| dir.join(s.get_ref())),
        import,
        range_rule_given,
        resources_line: p.resources.as_ref().map(|r| line_of(r.span())),
        risks_line: p.risks.as_ref().map(|r| line_of(r.span())),
        correlations_line: p.correlations.as_ref().map(|r| line_of(r.span())),
        risks: p.risks.as_ref().map(|r| dir.join(r.get_ref())),
        correlations: p.correlations.as_ref().map(|r| dir.join(r.get_ref())),
        correlation_groups,
        scenarios,
        budget,
        delay_cost,
        delay_cost_line: p.delay_cost.as_ref().map(|v| line_of(v.span())),
        sampling,
        strict_correlation: s.strict_correlation.unwrap_or(false),
        communication_overhead: p
            .communication_overhead
            .as_ref()
            .map_or(0.0, |v| *v.get_ref()),
        level: s.level,
        level_improve: s.level_improve.unwrap_or(false),
        risk_levels,
        name: p.name,
        currency: p.currency,
        tasks: p.tasks.as_ref().map(|t| dir.join(t.get_ref())),
        resources: p.resources.map(|r| dir.join(r.get_ref())),
        distribution,
        iterations,
        seed,
        confidence,
        threads,
    })
}

/// `[project] sprint_length` (working days > 0) and `sprint_start` (a date on or after the
/// start, which needs a start date, or a number of working days after the start; default 0).
fn read_sprints(
    file: &Path,
    p: &ProjectSection,
    dates: &Dates,
    line_of: &dyn Fn(Range<usize>) -> usize,
    errors: &mut Vec<Diagnostic>,
) -> Option<crate::model::Sprints> {
    use crate::model::{SprintStart, Sprints};
    let start_known = p.start.is_some() || p.schedule.is_some();
    let length = p.sprint_length.as_ref().and_then(|v| {
        let n = super::scenario_toml::number(v.get_ref()).filter(|n| n.is_finite() && *n > 0.0);
        if n.is_none() {
            errors.push(Diagnostic::at(
                file,
                line_of(v.span()),
                Some("sprint_length"),
                format!(
                    "{} is not a number of working days > 0; write e.g. sprint_length = 10 for \
                     two-week sprints",
                    v.get_ref()
                ),
            ));
        }
        n
    });
    let start = match &p.sprint_start {
        None => Some(SprintStart::Offset(0.0)),
        Some(v) => {
            let line = line_of(v.span());
            let at = |m: String| Diagnostic::at(file, line, Some("sprint_start"), m);
            if p.sprint_length.is_none() {
                errors.push(at(
                    "sprint_start needs sprint_length; add e.g. sprint_length = 10 to [project]"
                        .into(),
                ));
                None
            } else if let Some(n) = super::scenario_toml::number(v.get_ref()) {
                if n.is_finite() {
                    Some(SprintStart::Offset(n))
                } else {
                    errors.push(at(format!("{n} is not a number of working days")));
                    None
                }
            } else {
                match date_value(v.get_ref()) {
                    Err(m) => {
                        errors.push(at(format!(
                            "{m}; or give a number of working days after the start"
                        )));
                        None
                    }
                    Ok(_) if !start_known => {
                        errors.push(at("a sprint_start date needs a start date; add start = \
                                        \"YYYY-MM-DD\" to [project] or give sprint_start as a \
                                        number of working days"
                            .into()));
                        None
                    }
                    Ok(d) => match dates.calendar.as_ref().map(|c| c.start()) {
                        Some(s) if d < s => {
                            errors.push(at(format!(
                                "sprint_start {d} is before the start {s}; give the first \
                                 sprint that begins on or after the start, or a negative number \
                                 of working days"
                            )));
                            None
                        }
                        _ => Some(SprintStart::Date(d)),
                    },
                }
            }
        }
    };
    Some(Sprints {
        length: length?,
        start: start?,
    })
}

/// The calendar and deadline a project file gives.
struct Dates {
    calendar: Option<Calendar>,
    deadline: Option<NaiveDate>,
    days: Option<CalendarDays>,
}

/// What a `[calendar]` section says, before a start date makes it a [`Calendar`].
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarDays {
    /// Working weekdays, indexed from Monday.
    pub workdays: [bool; 7],
    /// Days off.
    pub holidays: Vec<NaiveDate>,
    /// Days worked whatever their weekday.
    pub extra_workdays: Vec<NaiveDate>,
}

impl CalendarDays {
    /// The calendar these days give from `start`.
    pub fn calendar(&self, start: NaiveDate) -> Option<Calendar> {
        Calendar::new(start, self.workdays, self.holidays.iter().copied())
            .ok()
            .map(|c| c.with_extra_workdays(self.extra_workdays.iter().copied()))
    }
}

/// A date value: a `"YYYY-MM-DD"` string or a TOML local date (`2027-01-04` unquoted).
pub(super) fn date_value(v: &toml::Value) -> std::result::Result<NaiveDate, String> {
    let example = "write it as \"YYYY-MM-DD\", e.g. \"2027-01-04\"";
    match v {
        toml::Value::String(s) => {
            calendar::parse_date(s.trim()).ok_or_else(|| format!("{s:?} is not a date; {example}"))
        }
        toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                    .ok_or_else(|| format!("{dt} is not a date; {example}"))
            }
            _ => Err(format!(
                "{dt} has a time of day; give the date only: {example}"
            )),
        },
        other => Err(format!("{other} is not a date; {example}")),
    }
}

/// `[project] start` and `deadline` and the `[calendar]` section, every problem reported.
fn read_dates(
    file: &Path,
    p: &ProjectSection,
    section: Option<&Spanned<CalendarSection>>,
    line_of: &dyn Fn(Range<usize>) -> usize,
    errors: &mut Vec<Diagnostic>,
) -> Dates {
    let mut date = |v: &Option<Spanned<toml::Value>>, field: &str| -> Option<NaiveDate> {
        let v = v.as_ref()?;
        date_value(v.get_ref())
            .map_err(|m| errors.push(Diagnostic::at(file, line_of(v.span()), Some(field), m)))
            .ok()
    };
    let start = date(&p.start, "start");
    let deadline = date(&p.deadline, "deadline");

    let mut workdays = MONDAY_TO_FRIDAY;
    let mut holidays = Vec::new();
    let mut extra = Vec::new();
    // With a schedule file, its start date serves when project.toml gives none.
    let start_known = p.start.is_some() || p.schedule.is_some();
    if let Some(section) = section {
        let c = section.get_ref();
        if let Some(list) = &c.workdays {
            workdays = [false; 7];
            for day in list.get_ref() {
                match calendar::parse_weekday(day.get_ref()) {
                    Some(w) => workdays[w.num_days_from_monday() as usize] = true,
                    None => errors.push(Diagnostic::at(
                        file,
                        line_of(day.span()),
                        Some("workdays"),
                        format!(
                            "unknown weekday `{}`; use mon, tue, wed, thu, fri, sat, sun (or full names)",
                            day.get_ref()
                        ),
                    )),
                }
            }
            if list.get_ref().is_empty() {
                errors.push(Diagnostic::at(
                    file,
                    line_of(list.span()),
                    Some("workdays"),
                    "is empty; list the working weekdays, e.g. [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
                ));
            }
        }
        if let Some(list) = &c.holidays {
            for h in list.get_ref() {
                match date_value(h.get_ref()) {
                    Ok(d) => holidays.push(d),
                    Err(m) => {
                        errors.push(Diagnostic::at(file, line_of(h.span()), Some("holidays"), m))
                    }
                }
            }
        }
        if let Some(list) = &c.extra_workdays {
            for h in list.get_ref() {
                match date_value(h.get_ref()) {
                    Ok(d) if holidays.contains(&d) => errors.push(Diagnostic::at(
                        file,
                        line_of(h.span()),
                        Some("extra_workdays"),
                        format!("{d} is a holiday too; keep it in one of the two lists"),
                    )),
                    Ok(d) => extra.push(d),
                    Err(m) => errors.push(Diagnostic::at(
                        file,
                        line_of(h.span()),
                        Some("extra_workdays"),
                        m,
                    )),
                }
            }
        }
        if !start_known {
            errors.push(Diagnostic::at(
                file,
                line_of(section.span()),
                Some("calendar"),
                "a calendar needs a start date; add start = \"YYYY-MM-DD\" to [project] (or remove [calendar])",
            ));
        }
    }
    if let (Some(v), false) = (&p.deadline, start_known) {
        errors.push(Diagnostic::at(
            file,
            line_of(v.span()),
            Some("deadline"),
            "a deadline needs a start date; add start = \"YYYY-MM-DD\" to [project]",
        ));
    }
    if let (Some(d), Some(s), Some(v)) = (deadline, start, &p.deadline) {
        if d < s {
            errors.push(Diagnostic::at(
                file,
                line_of(v.span()),
                Some("deadline"),
                format!("deadline {d} is before the start {s}"),
            ));
        }
    }
    let days = CalendarDays {
        workdays,
        holidays,
        extra_workdays: extra,
    };
    let calendar = start.and_then(|s| days.calendar(s));
    Dates {
        calendar,
        deadline: deadline.filter(|_| start_known),
        days: section.map(|_| days),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_project_file() {
        let c = read(
            Path::new("plans/x/project.toml"),
            "[project]\nname = \"N\"\ntasks = \"t.csv\"\nresources = \"r.csv\"\n[simulation]\niterations = 500\nseed = 7\nconfidence = 0.9\n",
        )
        .unwrap();
        assert_eq!(c.tasks, Some(PathBuf::from("plans/x/t.csv")));
        assert_eq!(c.resources, Some(PathBuf::from("plans/x/r.csv")));
        assert_eq!(
            (c.iterations, c.seed, c.confidence),
            (
                Some(crate::model::Iterations::Count(500)),
                Some(7),
                Some(0.9)
            )
        );
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = read(
            Path::new("p.toml"),
            "[project]\ntasks = \"t.csv\"\n[simulation]\niteration = 5\n",
        )
        .unwrap_err();
        let t = e[0].to_string();
        assert_eq!(t, "p.toml:4: field `iteration`: unknown field `iteration`, expected one of `iterations`, `seed`, `confidence`, `threads`, `sampling`, `strict_correlation`, `level`, `level_improve`; remove it or check its spelling (see docs/format.md)");
    }

    #[test]
    fn a_missing_key_is_named() {
        assert_eq!(
            errors("[project]\nname = \"x\"\n[[correlation]]\ncoefficient = 0.5\n")[0],
            "p.toml:3: field `tasks`: missing field `tasks`"
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_key() {
        assert_eq!(
            errors("[project]\ntasks = \"t.csv\"\n[simulation]\nseed = \"x\"\n")[0],
            "p.toml:4: field `seed`: invalid type: string \"x\", expected i64"
        );
    }

    #[test]
    fn empty_file_keys_name_their_own_field() {
        assert_eq!(
            errors("[project]\ntasks = \"t.csv\"\nrisks = \"\"\ncorrelations = \" \"\n"),
            [
                "p.toml:3: field `risks`: is empty; name a CSV file",
                "p.toml:4: field `correlations`: is empty; name a CSV file",
            ]
        );
    }

    #[test]
    fn bad_values_are_all_reported() {
        let e = read(
            Path::new("p.toml"),
            "[project]\ntasks = \"t.csv\"\ndistribution = \"gamma\"\n[simulation]\niterations = 0\nconfidence = 1.5\n",
        )
        .unwrap_err();
        let t: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert_eq!(t.len(), 3, "{t:?}");
        assert_eq!(t[0], "p.toml:3: field `distribution`: unknown distribution `gamma`; use one of pert, triangular, uniform, fixed, normal, lognormal, trigen");
        assert_eq!(
            t[1],
            "p.toml:5: field `iterations`: 0 must be at least 1, or \"auto\""
        );
        assert_eq!(t[2], "p.toml:6: field `confidence`: 1.5 is not between 0 and 1 (exclusive); write 0.8 for P80");
    }

    fn d(s: &str) -> NaiveDate {
        calendar::parse_date(s).unwrap()
    }

    fn errors(text: &str) -> Vec<String> {
        read(Path::new("p.toml"), text)
            .unwrap_err()
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn start_deadline_and_calendar() {
        let c = read(
            Path::new("p.toml"),
            "[project]\ntasks = \"t.csv\"\nstart = \"2027-01-04\"\ndeadline = 2027-06-30\n\
             [calendar]\nworkdays = [\"Mon\", \"tuesday\", \"WED\", \"thu\"]\n\
             holidays = [\"2027-05-31\", 2027-01-18]\n",
        )
        .unwrap();
        assert_eq!(c.start, Some(d("2027-01-04")));
        assert_eq!(c.deadline, Some(d("2027-06-30")));
        assert_eq!(c.start_line, Some(3));
        let cal = c.calendar.unwrap();
        assert_eq!(cal.start(), d("2027-01-04"));
        assert_eq!(
            cal.workdays(),
            [true, true, true, true, false, false, false]
        );
        assert_eq!(
            cal.holidays().iter().copied().collect::<Vec<_>>(),
            [d("2027-01-18"), d("2027-05-31")]
        );
    }

    #[test]
    fn a_start_alone_gives_monday_to_friday() {
        let c = read(
            Path::new("p.toml"),
            "[project]\ntasks = \"t.csv\"\nstart = \"2027-01-04\"\n",
        )
        .unwrap();
        assert_eq!(c.calendar, Some(Calendar::weekdays(d("2027-01-04"))));
        assert_eq!(c.deadline, None);
        let c = read(Path::new("p.toml"), "[project]\ntasks = \"t.csv\"\n").unwrap();
        assert_eq!((c.start, c.calendar, c.deadline), (None, None, None));
    }

    #[test]
    fn bad_dates_and_weekdays_name_line_and_field() {
        let t = errors(
            "[project]\ntasks = \"t.csv\"\nstart = \"2027-13-01\"\ndeadline = \"soon\"\n\
             [calendar]\nworkdays = [\"mon\",\n  \"funday\"]\n\
             holidays = [\"2027-05-31\",\n  \"2027-02-30\", 5]\n",
        );
        assert_eq!(t.len(), 5, "{t:#?}");
        assert_eq!(t[0], "p.toml:3: field `start`: \"2027-13-01\" is not a date; write it as \"YYYY-MM-DD\", e.g. \"2027-01-04\"");
        assert_eq!(t[1], "p.toml:4: field `deadline`: \"soon\" is not a date; write it as \"YYYY-MM-DD\", e.g. \"2027-01-04\"");
        assert_eq!(t[2], "p.toml:7: field `workdays`: unknown weekday `funday`; use mon, tue, wed, thu, fri, sat, sun (or full names)");
        assert_eq!(t[3], "p.toml:9: field `holidays`: \"2027-02-30\" is not a date; write it as \"YYYY-MM-DD\", e.g. \"2027-01-04\"");
        assert_eq!(t[4], "p.toml:9: field `holidays`: 5 is not a date; write it as \"YYYY-MM-DD\", e.g. \"2027-01-04\"");
    }

    #[test]
    fn empty_workdays_and_a_date_with_a_time_are_refused() {
        let t = errors(
            "[project]\ntasks = \"t.csv\"\nstart = 2027-01-04T09:00:00\n[calendar]\nworkdays = []\n",
        );
        assert_eq!(t.len(), 2, "{t:#?}");
        assert_eq!(t[0], "p.toml:3: field `start`: 2027-01-04T09:00:00 has a time of day; give the date only: write it as \"YYYY-MM-DD\", e.g. \"2027-01-04\"");
        assert!(t[0].contains("time of day"), "{}", t[0]);
        assert_eq!(t[1], "p.toml:5: field `workdays`: is empty; list the working weekdays, e.g. [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]");
    }

    #[test]
    fn deadline_needs_a_start_on_or_before_it() {
        let t = errors("[project]\ntasks = \"t.csv\"\ndeadline = \"2027-06-30\"\n");
        assert_eq!(t.len(), 1, "{t:#?}");
        assert_eq!(t[0], "p.toml:3: field `deadline`: a deadline needs a start date; add start = \"YYYY-MM-DD\" to [project]");
        let t = errors(
            "[project]\ntasks = \"t.csv\"\nstart = \"2027-01-04\"\ndeadline = \"2027-01-03\"\n",
        );
        assert_eq!(t.len(), 1, "{t:#?}");
        assert_eq!(
            t[0],
            "p.toml:4: field `deadline`: deadline 2027-01-03 is before the start 2027-01-04"
        );
        // On the start day itself is fine.
        let c = read(
            Path::new("p.toml"),
            "[project]\ntasks = \"t.csv\"\nstart = \"2027-01-04\"\ndeadline = \"2027-01-04\"\n",
        )
        .unwrap();
        assert_eq!(c.deadline, Some(d("2027-01-04")));
    }

    #[test]
    fn a_calendar_needs_a_start() {
        let t = errors("[project]\ntasks = \"t.csv\"\n\n[calendar]\nholidays = [\"2027-05-31\"]\n");
        assert_eq!(t.len(), 1, "{t:#?}");
        assert!(
            t[0].contains("field `calendar`: a calendar needs a start date"),
            "{}",
            t[0]
        );
        assert_eq!(t[0], "p.toml:4: field `calendar`: a calendar needs a start date; add start = \"YYYY-MM-DD\" to [project] (or remove [calendar])");
    }

    #[test]
    fn unknown_calendar_key_names_key_and_line() {
        let t = errors(
            "[project]\ntasks = \"t.csv\"\nstart = \"2027-01-04\"\n[calendar]\nholiday = []\n",
        );
        assert_eq!(t[0], "p.toml:5: field `holiday`: unknown field `holiday`, expected one of `workdays`, `holidays`, `extra_workdays`; remove it or check its spelling (see docs/format.md)");
    }
}
