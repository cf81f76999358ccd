//! The domain: a project's tasks, estimates, dependencies and resources, independent of the
//! file format they were read from. Every item keeps the source line it came from so that
//! validation errors can point at it.

pub mod bounds;
pub mod calendar;
mod correlation;
pub mod correlation_matrix;
mod estimate;
pub mod forecast;
mod risk;
pub mod scenario;
mod sprints;
mod validate;

pub use calendar::Calendar;
pub use correlation::Correlation;
pub use estimate::{std_normal_cdf, Distribution, Estimate, RangeRule, RiskLevel, RiskLevels};
pub use forecast::Forecast;
pub use risk::{Risk, RiskKind};
pub use scenario::Scenario;
pub use sprints::{SprintStart, Sprints};
pub use validate::validate;

use std::path::PathBuf;

use compact_str::CompactString;

/// A resource assignment on a task: `units` of resource `resource` for the task's whole duration.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The resource id, as written in `resources.csv`.
    pub resource: String,
    /// Units assigned (> 0, may be fractional).
    pub units: f64,
}

/// How a dependency constrains its successor (early dates, as MS Project and Primavera):
/// with lag L, FS: start ≥ pred finish + L; SS: start ≥ pred start + L;
/// FF: finish ≥ pred finish + L; SF: finish ≥ pred start + L.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkKind {
    /// Finish-to-start (the default).
    #[default]
    FinishToStart,
    /// Start-to-start.
    StartToStart,
    /// Finish-to-finish.
    FinishToFinish,
    /// Start-to-finish.
    StartToFinish,
}

impl LinkKind {
    /// The two-letter code used in files: FS, SS, FF, SF.
    pub fn code(self) -> &'static str {
        match self {
            LinkKind::FinishToStart => "FS",
            LinkKind::StartToStart => "SS",
            LinkKind::FinishToFinish => "FF",
            LinkKind::StartToFinish => "SF",
        }
    }
}

/// A dependency on a predecessor task, with a lag in working days (negative: a lead).
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The predecessor's id. A `CompactString`: ids up to 24 bytes are kept inline, so the
    /// links of a 100k-task plan are not 200k separate 32-byte allocations (issue 15).
    pub task: CompactString,
    /// The link type.
    pub kind: LinkKind,
    /// Lag in working days; negative for a lead.
    pub lag: f64,
}

impl Link {
    /// A plain finish-to-start link with no lag.
    pub fn fs(task: &str) -> Self {
        Link {
            task: task.into(),
            kind: LinkKind::FinishToStart,
            lag: 0.0,
        }
    }
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.task)?;
        if self.kind != LinkKind::FinishToStart {
            write!(f, ":{}", self.kind.code())?;
        }
        if self.lag != 0.0 {
            write!(f, "{:+}", self.lag)?;
        }
        Ok(())
    }
}

/// How task durations are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sampling {
    /// Plain Monte Carlo: independent uniforms.
    #[default]
    Random,
    /// Latin hypercube: over the run's n iterations each task's uniforms fall once in each of
    /// the n strata [k/n, (k+1)/n), in a random order keyed by (seed, task id). Risk
    /// occurrences and impacts stay plain Monte Carlo.
    LatinHypercube,
}

impl Sampling {
    /// Parses `random` / `mc` / `monte-carlo` or `lhs` / `latin-hypercube` (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "random" | "mc" | "monte-carlo" | "montecarlo" => Some(Sampling::Random),
            "lhs" | "latin-hypercube" | "latin" => Some(Sampling::LatinHypercube),
            _ => None,
        }
    }
}

/// How many iterations to run: a number, or `auto` (double from 2,000 until the values at the
/// confidence level have settled; see `options::AUTO_TOLERANCE`). Read from the command line
/// and from project.toml alike, so it lives here, below both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Iterations {
    /// Exactly this many (>= 1).
    Count(u64),
    /// Chosen by the stopping rule.
    Auto,
}

impl Iterations {
    /// Parses a whole number >= 1 or `auto`.
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.trim().eq_ignore_ascii_case("auto") {
            return Ok(Iterations::Auto);
        }
        match s.trim().parse::<u64>() {
            Ok(n) if n >= 1 => Ok(Iterations::Count(n)),
            _ => Err(format!("`{s}` is not a whole number >= 1 or `auto`")),
        }
    }
}

/// What sort of task a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskKind {
    /// Ordinary work with a sampled duration.
    #[default]
    Task,
    /// Zero duration; marks an event (all estimates 0, or `type = milestone`).
    Milestone,
    /// Level of effort: starts as its links allow and lasts until the latest finish of its
    /// `finish_with` tasks; its duration is that span in every iteration.
    LevelOfEffort,
}

/// One task (activity) of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Unique id.
    pub id: String,
    /// Human-readable name (may be empty).
    pub name: String,
    /// The three-point estimate in working days and how to sample it.
    pub estimate: Estimate,
    /// Predecessors with link types and lags.
    pub depends_on: Vec<Link>,
    /// Ordinary task, milestone or level of effort.
    pub kind: TaskKind,
    /// For a level-of-effort task: the tasks whose latest finish ends it.
    pub finish_with: Vec<String>,
    /// Resources used for the task's whole duration.
    pub resources: Vec<Assignment>,
    /// Fixed cost of the task in the project currency (>= 0); the most likely value when
    /// `cost_range` is given.
    pub cost: f64,
    /// A three-point fixed cost, sampled in every iteration (`cost_optimistic`, `cost_likely`,
    /// `cost_pessimistic`); `None` when the cost is a fixed value. Boxed, as `effort`: most
    /// tasks have neither, and a plan of 100k tasks keeps 48 bytes less per task (the test
    /// `a_task_stays_small` guards the size).
    pub cost_range: Option<Box<Estimate>>,
    /// Effort in person-days (`effort_*` columns) when the duration is effort-driven: the
    /// duration estimate is then derived by [`Project::derive_effort_durations`].
    pub effort: Option<Box<Estimate>>,
    /// The name of the `[forecast.NAME]` the task takes its duration from (`forecast` column):
    /// its duration is the forecast's whole periods in working days, and `estimate` holds the
    /// plan at the team's average throughput.
    pub forecast: Option<String>,
    /// Start no earlier than this many working days after the project start (a
    /// start-no-earlier-than constraint): a lower bound on the start in every iteration.
    /// `None` (or a bound of 0) is no constraint; readers keep only finite bounds > 0.
    pub not_before: Option<f64>,
    /// 1-based line in the tasks file.
    pub line: usize,
}

/// How a resource's rate is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateUnit {
    /// Money per hour; a working day holds `hours_per_day` hours.
    Hour,
    /// Money per working day.
    Day,
}

/// How a resource is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Billing {
    /// Paid only while assigned to a task: units × daily rate × the task's duration.
    #[default]
    Task,
    /// Paid for `capacity` units every working day it is on the project, busy or idle: from
    /// the project start (or `available_from`) to the project finish (or `available_until`, if
    /// earlier). Assigned task time is part of that pay, never added to it.
    Team,
}

/// A person or machine that costs money while assigned to a task (or, billed as a team,
/// while on the project).
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Unique id, referenced from a task's `resources`.
    pub id: String,
    /// Human-readable name (may be empty).
    pub name: String,
    /// Money per `unit` (>= 0).
    pub rate: f64,
    /// Whether `rate` is per hour or per day.
    pub unit: RateUnit,
    /// Hours billed per working day when `unit` is hour (8 for a person, 24 for a machine that
    /// runs around the clock).
    pub hours_per_day: f64,
    /// Units available at once; `None` is unlimited. Honoured by levelling every iteration.
    pub capacity: Option<f64>,
    /// A three-point rate (`rate_optimistic`, `rate`, `rate_pessimistic`), one draw per
    /// iteration shared by every task using the resource; `None` when the rate is fixed.
    pub rate_range: Option<Estimate>,
    /// Paid per assigned task time (the default) or for its whole time on the project.
    pub billing: Billing,
    /// Working days after the project start before which the resource is not available
    /// (`None`: from the start). Levelling starts no task using it earlier.
    pub available_from: Option<f64>,
    /// Working days after the project start at which the resource leaves (`None`: never).
    /// Levelling finishes tasks using it by then whenever they can fit.
    pub available_until: Option<f64>,
    /// 1-based line in the resources file.
    pub line: usize,
}

impl Resource {
    /// Money per working day for one unit of this resource.
    pub fn daily_rate(&self) -> f64 {
        match self.unit {
            RateUnit::Hour => self.rate * self.hours_per_day,
            RateUnit::Day => self.rate,
        }
    }
}

/// A whole plan as read from its files. Produced by every input format alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// The project's name, for titles.
    pub name: String,
    /// Currency code or symbol for costs.
    pub currency: String,
    /// Tasks in file order.
    pub tasks: Vec<Task>,
    /// Resources in file order.
    pub resources: Vec<Resource>,
    /// The risk register, in file order (empty when there is none).
    pub risks: Vec<Risk>,
    /// The risks file, if any, for error messages.
    pub risks_file: Option<PathBuf>,
    /// Rank correlations between task durations.
    pub correlations: Vec<Correlation>,
    /// Whether an inconsistent correlation matrix is an error (else it is repaired).
    pub strict_correlation: bool,
    /// The tasks file, for error messages.
    pub tasks_file: PathBuf,
    /// The resources file, if any, for error messages.
    pub resources_file: Option<PathBuf>,
    /// Communication overhead of effort-driven tasks: each unit beyond the first adds this
    /// fraction to the effort (0 by default).
    pub communication_overhead: f64,
    /// The throughput forecasts tasks take their durations from (`forecast` column), each
    /// named; empty when no task has one.
    pub forecasts: Vec<Forecast>,
}

impl Task {
    /// An ordinary task `id` with `estimate` and the links `depends_on`, and nothing else: no
    /// name, resources, cost, effort, forecast or start constraint. For plans built in code
    /// (tests, benchmarks); the readers set every field from their files.
    pub fn plain(
        id: impl Into<String>,
        estimate: Estimate,
        depends_on: Vec<Link>,
        line: usize,
    ) -> Task {
        Task {
            id: id.into(),
            name: String::new(),
            estimate,
            depends_on,
            kind: TaskKind::Task,
            finish_with: vec![],
            resources: vec![],
            cost: 0.0,
            cost_range: None,
            effort: None,
            forecast: None,
            not_before: None,
            line,
        }
    }
}

impl Project {
    /// A project `name` of `tasks` from `tasks_file`, and nothing else: no currency,
    /// resources, risks, correlations, forecasts or communication overhead. For plans built
    /// in code (tests, benchmarks); the readers set every field from their files.
    pub fn of_tasks(name: impl Into<String>, tasks: Vec<Task>, tasks_file: PathBuf) -> Project {
        Project {
            name: name.into(),
            currency: String::new(),
            tasks,
            resources: vec![],
            tasks_file,
            resources_file: None,
            risks: vec![],
            risks_file: None,
            correlations: vec![],
            strict_correlation: false,
            communication_overhead: 0.0,
            forecasts: vec![],
        }
    }

    /// Sets the duration estimate of every effort-driven task from its effort and its assigned
    /// units u: duration = effort ÷ u × (1 + overhead × max(u − 1, 0)), applied to all three
    /// points (exact for every distribution p80 offers: each scales with its points). Each unit
    /// beyond the first adds the overhead fraction; one unit or less adds none, so a task at
    /// half a unit takes twice its effort whatever the overhead. Tasks whose units sum to 0
    /// keep their estimate (the reader rejects them).
    ///
    /// Returns a problem (tasks file, line, field `resources`) for every task whose derived
    /// duration would exceed [`bounds::MAX_INPUT`] working days (effort ÷ a tiny unit count):
    /// such a task keeps no silently wrong estimate, the plan is refused.
    pub fn derive_effort_durations(&mut self) -> Vec<crate::error::Diagnostic> {
        let overhead = self.communication_overhead;
        let mut problems = Vec::new();
        for t in &mut self.tasks {
            let Some(e) = t.effort.as_deref().copied() else {
                continue;
            };
            let units: f64 = t.resources.iter().map(|a| a.units).sum();
            if units <= 0.0 {
                continue;
            }
            let f = (1.0 + overhead * (units - 1.0).max(0.0)) / units;
            let derived = Estimate::new(
                e.optimistic * f,
                e.likely * f,
                e.pessimistic * f,
                e.distribution,
            );
            match derived {
                Ok(d) if d.pessimistic <= bounds::MAX_INPUT => t.estimate = d,
                _ => problems.push(crate::error::Diagnostic::at(
                    &self.tasks_file,
                    t.line,
                    Some("resources"),
                    format!(
                        "effort {} ÷ {} units gives a duration of {:.1e} working days, more than \
                         the {:e} p80 accepts; check the units (e.g. 0.5 for half a person)",
                        e.pessimistic,
                        short_number(units),
                        e.pessimistic * f,
                        bounds::MAX_INPUT
                    ),
                )),
            }
        }
        problems
    }
}

/// A number as people read it: plain for everyday magnitudes, scientific (`1e-300`) for tiny
/// or huge ones.
fn short_number(x: f64) -> String {
    if x != 0.0 && !(1e-4..1e9).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plan of 100k tasks holds 100k `Task`s from reading to writing, beside the engine's
    /// rows (issue 15: peak memory under 64 MB at 100k tasks × 10k iterations). 232 bytes on
    /// 64-bit targets (280 before `cost_range` and `effort` were boxed): a field that most
    /// tasks do not use belongs in a box or a side table, not inline.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_task_stays_small() {
        assert!(
            std::mem::size_of::<Task>() <= 232,
            "Task is {} bytes",
            std::mem::size_of::<Task>()
        );
        assert!(std::mem::size_of::<Link>() <= 40);
    }
}
