//! Typed options: the command line merged with the project file's settings and the defaults.
//! Flags override the file; the file overrides the defaults.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::cli::{ForecastArgs, SimulateArgs};
use crate::error::{Error, Result};
use crate::input::ProjectConfig;
use crate::model::Sampling;

/// The seed used when neither the command line nor the project file gives one.
pub const DEFAULT_SEED: u64 = 80;
/// Iterations used when neither the command line nor the project file gives a number.
pub const DEFAULT_ITERATIONS: u64 = 10_000;
/// Confidence used when neither the command line nor the project file gives one.
pub const DEFAULT_CONFIDENCE: f64 = 0.8;

pub use crate::model::Iterations;

/// `--iterations auto` stops when the standard error of the duration and of the cost at the
/// confidence level are both at most this fraction of the value (0.1%).
pub const AUTO_TOLERANCE: f64 = 0.001;
/// `--iterations auto` starts here and doubles.
pub const AUTO_START: usize = 2_000;
/// `--iterations auto` never runs more than this.
pub const AUTO_MAX: usize = 2_048_000;

/// What `p80 simulate` was asked to do, before the project file is read.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulateOptions {
    /// The project.toml or tasks.csv.
    pub project: PathBuf,
    /// Overrides, when given on the command line.
    pub iterations: Option<Iterations>,
    /// Seed override.
    pub seed: Option<u64>,
    /// Confidence override.
    pub confidence: Option<f64>,
    /// Thread count override (checked against [`crate::limits::MAX_THREADS`] when resolved).
    pub threads: Option<u64>,
    /// Deadline override.
    pub deadline: Option<NaiveDate>,
    /// Budget override.
    pub budget: Option<f64>,
    /// Sampling override.
    pub sampling: Option<Sampling>,
    /// Output folder.
    pub out: PathBuf,
    /// Whether to print the summary.
    pub quiet: bool,
    /// `--no-level`: ignore capacities.
    pub no_level: bool,
    /// `--resource-profile`: also write resource_profile.png.
    pub resource_profile: bool,
    /// `--drivers`: also measure what drives the risk (a second engine pass).
    pub drivers: bool,
}

impl From<SimulateArgs> for SimulateOptions {
    fn from(a: SimulateArgs) -> Self {
        SimulateOptions {
            project: a.project,
            iterations: a.iterations,
            seed: a.seed,
            confidence: a.confidence,
            threads: a.threads,
            deadline: a.deadline,
            budget: a.budget,
            sampling: a.sampling.map(|s| match s {
                crate::cli::SamplingArg::Random => Sampling::Random,
                crate::cli::SamplingArg::Lhs => Sampling::LatinHypercube,
            }),
            out: a.out,
            quiet: a.quiet,
            no_level: a.no_level,
            resource_profile: a.resource_profile,
            drivers: a.drivers,
        }
    }
}

/// The settings a run uses, all resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Monte Carlo iterations (>= 1); with `auto_iterations`, where the doubling starts.
    pub iterations: usize,
    /// Whether to choose the iteration count by the stopping rule.
    pub auto_iterations: bool,
    /// Random seed.
    pub seed: u64,
    /// Confidence level in (0, 1).
    pub confidence: f64,
    /// Worker threads (>= 1).
    pub threads: usize,
    /// The deadline to report on, if any (only with a start date, on or after it).
    pub deadline: Option<NaiveDate>,
    /// The budget to report on, if any.
    pub budget: Option<f64>,
    /// Money per working day past the deadline (`[project] delay_cost`), if any: the
    /// economic cost. Only with a deadline.
    pub delay_cost: Option<f64>,
    /// Plain Monte Carlo or Latin hypercube.
    pub sampling: Sampling,
    /// Whether to honour resource capacities (level every iteration).
    pub level: bool,
}

impl SimulateOptions {
    /// Resolves the settings: flags, then the project file, then the defaults.
    pub fn settings(&self, file: &ProjectConfig) -> Result<Settings> {
        let confidence = self
            .confidence
            .or(file.confidence)
            .unwrap_or(DEFAULT_CONFIDENCE);
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(Error::Usage(format!(
                "--confidence {confidence} is not between 0 and 1 (exclusive); write 0.8 for P80"
            )));
        }
        let spec = self
            .iterations
            .or(file.iterations)
            .unwrap_or(Iterations::Count(DEFAULT_ITERATIONS));
        let (iterations, auto_iterations) = match spec {
            Iterations::Count(n) => (n, false),
            Iterations::Auto => (AUTO_START as u64, true),
        };
        let iterations = usize::try_from(iterations)
            .ok()
            .filter(|&n| n <= 1 << 34)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{iterations} iterations is more than p80 can hold in memory"
                ))
            })?;
        let threads = resolve_threads(self.threads, file.threads)?;
        let deadline = self.deadline.or(file.deadline);
        if let (Some(d), Some(flag)) = (deadline, self.deadline) {
            match &file.calendar {
                None => {
                    let how = if file.tasks_line.is_some() {
                        "add start = \"YYYY-MM-DD\" to [project] in the project file"
                    } else {
                        "use a project.toml with start = \"YYYY-MM-DD\" in [project]"
                    };
                    return Err(Error::Usage(format!(
                        "--deadline {flag} needs a project start date: {how}"
                    )));
                }
                Some(c) if d < c.start() => {
                    return Err(Error::Usage(format!(
                        "--deadline {d} is before the project start {}",
                        c.start()
                    )));
                }
                Some(_) => {}
            }
        }
        Ok(Settings {
            iterations,
            auto_iterations,
            seed: self.seed.or(file.seed).unwrap_or(DEFAULT_SEED),
            confidence,
            threads,
            deadline,
            budget: self.budget.or(file.budget),
            delay_cost: file.delay_cost,
            sampling: self.sampling.or(file.sampling).unwrap_or_default(),
            level: !self.no_level && file.level.unwrap_or(true),
        })
    }
}

/// What `p80 forecast` was asked to do, before the project file is read.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastOptions {
    /// The project.toml.
    pub project: PathBuf,
    /// `--name`: which forecast.
    pub name: Option<String>,
    /// Overrides, when given on the command line.
    pub iterations: Option<Iterations>,
    /// Seed override.
    pub seed: Option<u64>,
    /// Confidence override.
    pub confidence: Option<f64>,
    /// Thread count override (checked against [`crate::limits::MAX_THREADS`] when resolved).
    pub threads: Option<u64>,
    /// Output folder.
    pub out: PathBuf,
    /// Whether to print the summary.
    pub quiet: bool,
}

impl From<ForecastArgs> for ForecastOptions {
    fn from(a: ForecastArgs) -> Self {
        ForecastOptions {
            project: a.project,
            name: a.name,
            iterations: a.iterations,
            seed: a.seed,
            confidence: a.confidence,
            threads: a.threads,
            out: a.out,
            quiet: a.quiet,
        }
    }
}

/// The settings a forecast uses, all resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForecastSettings {
    /// Bootstrap iterations (>= 1).
    pub iterations: usize,
    /// Random seed.
    pub seed: u64,
    /// Confidence level in (0, 1).
    pub confidence: f64,
    /// Worker threads (>= 1).
    pub threads: usize,
}

impl ForecastOptions {
    /// Resolves the settings: flags, then the project file, then the defaults. `auto`
    /// iterations are refused: the bootstrap is cheap, so ask for a number.
    pub fn settings(&self, file: &ProjectConfig) -> Result<ForecastSettings> {
        let confidence = self
            .confidence
            .or(file.confidence)
            .unwrap_or(DEFAULT_CONFIDENCE);
        if !(confidence > 0.0 && confidence < 1.0) {
            return Err(Error::Usage(format!(
                "--confidence {confidence} is not between 0 and 1 (exclusive); write 0.8 for P80"
            )));
        }
        let iterations = match self.iterations.or(file.iterations) {
            None => DEFAULT_ITERATIONS,
            Some(Iterations::Count(n)) => n,
            Some(Iterations::Auto) => {
                return Err(Error::Usage(
                    "p80 forecast runs a fixed number of iterations (the bootstrap is cheap): \
                     give one with --iterations, e.g. -n 100000"
                        .to_string(),
                ))
            }
        };
        let iterations = usize::try_from(iterations)
            .ok()
            .filter(|&n| n <= 1 << 31)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "{iterations} iterations is more than p80 can hold in memory"
                ))
            })?;
        Ok(ForecastSettings {
            iterations,
            seed: self.seed.or(file.seed).unwrap_or(DEFAULT_SEED),
            confidence,
            threads: resolve_threads(self.threads, file.threads)?,
        })
    }
}

/// The worker threads: `--threads`, else the project file's `threads` (checked when read),
/// else every core; all capped by [`crate::limits::MAX_THREADS`] (a flag above it is a usage
/// error).
fn resolve_threads(flag: Option<u64>, file: Option<usize>) -> Result<usize> {
    match flag {
        Some(t) => crate::limits::threads(t, "--threads").map_err(Error::Usage),
        None => Ok(file
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .clamp(1, crate::limits::MAX_THREADS)),
    }
}
