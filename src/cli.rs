//! Command-line definitions (clap derive types only). [`crate::options`] turns them into typed
//! options; nothing downstream reads raw arguments.
// The doc comments below are also clap's `--help` text, where `[forecast]` and `[[scenario]]`
// name project.toml tables literally: rustdoc would read them as links.
#![allow(rustdoc::broken_intra_doc_links)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Monte Carlo schedule and cost risk analysis: P50/P80/P90 dates and budgets, buffers and
/// reserves, from three-point estimates.
#[derive(Debug, Parser)]
#[command(name = "p80", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Monte Carlo simulation and write summary.json, summary.csv, task_stats.csv,
    /// health.csv, duration.png, cost.png and gantt.png (plus milestone_stats.csv,
    /// resource_stats.csv, resource_reserve.csv and risk_stats.csv when the plan has
    /// milestones, resources or risks; merge_bias.csv, jcl.csv, tornado.png and scatter.png
    /// with --drivers).
    Simulate(SimulateArgs),
    /// Validate the plan, print its deterministic schedule (critical path on most likely
    /// durations) and its schedule health check (DCMA 14-point / GAO). Exit 0 if valid (health
    /// findings are warnings), 2 if not (or, with --strict, if the health check warns).
    Check(CheckArgs),
    /// Run the plan as written (`baseline`) and every [[scenario]] of project.toml with the
    /// same random numbers, and write comparison.csv and comparison.png.
    Compare(SimulateArgs),
    /// Forecast from a team's throughput history ([forecast] in project.toml): when the
    /// backlog will be done, or how many items by a date. Writes forecast.csv and
    /// forecast.png.
    Forecast(ForecastArgs),
    /// Run the simulation like `simulate --drivers` (same flags, same files) and also write
    /// report.html: one self-contained page (charts embedded, no network) for sponsors,
    /// printable on A4.
    Report(SimulateArgs),
    /// Merge the shard files of `simulate --shard` or `compare --shard` into exactly the
    /// outputs of the unsharded run.
    Merge(MergeArgs),
    /// Write an MS Project XML, Primavera XER or GanttProject file as p80's own project.toml,
    /// tasks.csv and resources.csv, which simulate to the same results.
    Import(ImportArgs),
}

/// Arguments of `p80 forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// A project.toml with a [forecast] table.
    pub project: PathBuf,
    /// Which forecast: NAME for a [forecast.NAME] table [default: [forecast], or the only
    /// one].
    #[arg(long)]
    pub name: Option<String>,
    /// Number of bootstrap iterations [default: 10000, or the project file's].
    #[arg(long, short = 'n', value_parser = crate::model::Iterations::parse)]
    pub iterations: Option<crate::model::Iterations>,
    /// Random seed; the same seed and inputs give identical outputs [default: 80].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Confidence level marked on the chart and named in the summary, between 0 and 1
    /// [default: 0.8].
    #[arg(long)]
    pub confidence: Option<f64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..=crate::limits::MAX_THREADS as u64))]
    pub threads: Option<u64>,
    /// Output folder.
    #[arg(long, short = 'o', default_value = "p80-out")]
    pub out: PathBuf,
    /// Print nothing on success (errors still go to stderr).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Arguments of `p80 import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The schedule: an MS Project XML (.xml), Primavera P6 XER (.xer) or GanttProject (.gan)
    /// file, or a project.toml naming one (its [import] settings apply).
    pub schedule: PathBuf,
    /// Folder for project.toml, tasks.csv and resources.csv.
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// Replace files the folder holds already.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `p80 simulate` (and of `p80 compare`, which takes the same flags).
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A project.toml, a bare tasks.csv, or a schedule file (.xml MS Project, .xer Primavera,
    /// .gan GanttProject).
    pub project: PathBuf,
    /// Number of Monte Carlo iterations, or `auto` to run until the P-values settle
    /// [default: 10000, or the project file's].
    #[arg(long, short = 'n', value_parser = crate::model::Iterations::parse)]
    pub iterations: Option<crate::model::Iterations>,
    /// Random seed; the same seed and inputs give identical outputs [default: 80].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Confidence level for the buffer and reserve, between 0 and 1 [default: 0.8].
    #[arg(long)]
    pub confidence: Option<f64>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..=crate::limits::MAX_THREADS as u64))]
    pub threads: Option<u64>,
    /// Deadline (YYYY-MM-DD): report the probability of finishing on or before it; needs
    /// `start` in project.toml [default: the project file's deadline].
    #[arg(long, value_name = "DATE", value_parser = parse_deadline)]
    pub deadline: Option<chrono::NaiveDate>,
    /// Budget in the project currency: report the probability that the cost is at most it
    /// [default: the project file's budget].
    #[arg(long, value_name = "AMOUNT", value_parser = parse_budget)]
    pub budget: Option<f64>,
    /// Output folder.
    #[arg(long, short = 'o', default_value = "p80-out")]
    pub out: PathBuf,
    /// Sampling: plain Monte Carlo (random) or Latin hypercube (lhs) [default: random, or the
    /// project file's].
    #[arg(long, value_enum)]
    pub sampling: Option<SamplingArg>,
    /// Ignore resource capacities (no levelling): the unconstrained answer.
    #[arg(long)]
    pub no_level: bool,
    /// Also write resource_profile.png: the expected units of each resource in use over time.
    #[arg(long)]
    pub resource_profile: bool,
    /// Also measure what drives the risk (a second pass over the same iterations):
    /// sensitivities, cruciality and P50/P80 dates in task_stats.csv, merge_bias.csv,
    /// tornado.png, jcl.csv, scatter.png and the joint confidence of a deadline and a budget.
    #[arg(long)]
    pub drivers: bool,
    /// Print nothing on success (errors still go to stderr).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Run only shard K of N (0-based) of the iterations and write shard-K-of-N.p80 into
    /// the output folder, for `p80 merge`; `auto` reads SLURM_ARRAY_TASK_ID and
    /// SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX and P80_SHARD_COUNT
    /// (docs/scale-out.md).
    /// (Parsed by `p80::shard::ShardChoice::parse`: a later layer than this one.)
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
}

/// Arguments of `p80 merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files (shard-K-of-N.p80), or folders holding them.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// The project the shards ran [default: the path stored in the shards]; its files must
    /// be the ones the shards read.
    #[arg(long)]
    pub project: Option<PathBuf>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, short = 'j', value_parser = clap::value_parser!(u64).range(1..1025))]
    pub threads: Option<u64>,
    /// Output folder.
    #[arg(long, short = 'o', default_value = "p80-out")]
    pub out: PathBuf,
    /// Print nothing on success (errors still go to stderr).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

fn parse_budget(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(b) if b.is_finite() && b >= 0.0 => Ok(b),
        _ => Err("not an amount >= 0; write it as a plain number, e.g. 200000".to_string()),
    }
}

fn parse_deadline(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::model::calendar::parse_date(s.trim())
        .ok_or_else(|| "not a date; write it as YYYY-MM-DD, e.g. 2027-06-30".to_string())
}

/// How durations are sampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SamplingArg {
    /// Plain Monte Carlo.
    Random,
    /// Latin hypercube: each task's draws fill every probability stratum once.
    Lhs,
}

/// Arguments of `p80 check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// A project.toml, a bare tasks.csv, or a schedule file (.xml, .xer, .gan).
    pub project: PathBuf,
    /// Treat health-check warnings as errors: exit 2 when any check exceeds its threshold.
    #[arg(long)]
    pub strict: bool,
    /// Also write health.csv into this folder [default: write nothing].
    #[arg(long, short = 'o')]
    pub out: Option<PathBuf>,
}
