//! The commands, end to end: read → validate → compile → simulate → summarize → export.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use crate::engine::{self, CompiledPlan};
use crate::error::{Error, Result};
use crate::input;
use crate::options::{Settings, SimulateOptions};
use crate::output;
use crate::stats::Report;

/// `p80 simulate`: runs the simulation, writes the artefacts and returns the text to print.
pub fn simulate(opts: &SimulateOptions) -> Result<String> {
    let started = Instant::now();
    let loaded = input::load(&opts.project)?;
    let settings = opts.settings(&loaded.config)?;
    let plan = CompiledPlan::compile(&loaded.project);
    let schedule = engine::deterministic(&plan);
    let sim = run_engine(&plan, &settings, !opts.quiet)?;
    let report = Report::new(
        &loaded.project,
        &plan,
        &schedule,
        &sim,
        settings.seed,
        settings.confidence,
    );
    let written = output::write_all(&opts.out, &report, &output::standard(), &loaded.inputs)?;
    Ok(output::console::simulate_summary(
        &report,
        &written,
        settings.threads,
        started.elapsed().as_secs_f64(),
    ))
}

/// `p80 check`: validates the plan and returns its deterministic schedule as text.
pub fn check(project: &Path) -> Result<String> {
    let loaded = input::load(project)?;
    let plan = CompiledPlan::compile(&loaded.project);
    let schedule = engine::deterministic(&plan);
    Ok(output::console::check_listing(&loaded.project, &schedule))
}

/// Runs the engine on a pool of `settings.threads` threads, with a progress bar on stderr for
/// long runs when stderr is a terminal.
fn run_engine(
    plan: &CompiledPlan,
    settings: &Settings,
    show_progress: bool,
) -> Result<engine::Simulation> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .map_err(|e| {
            Error::Output(format!(
                "cannot start {} worker threads: {e}",
                settings.threads
            ))
        })?;
    // Roughly a second of work or more: ~1e8 task-iterations.
    let long = (plan.len() as f64) * (settings.iterations as f64) > 1e8;
    let bar = if show_progress && long && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(settings.iterations as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} simulating {bar:40} {pos}/{len} iterations ({eta})",
        ) {
            bar.set_style(style);
        }
        Some(bar)
    } else {
        None
    };
    let progress = |done: usize| {
        if let Some(b) = &bar {
            b.inc(done as u64);
        }
    };
    let sim =
        pool.install(|| engine::simulate(plan, settings.iterations, settings.seed, &progress));
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(sim)
}
