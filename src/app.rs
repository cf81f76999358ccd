//! The commands, end to end: read → validate → compile → simulate → summarize → export.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use crate::engine::{self, CompiledPlan, Simulation};
use crate::error::{Error, Result};
use crate::input;
use crate::options::{Settings, SimulateOptions, AUTO_MAX, AUTO_START, AUTO_TOLERANCE};
use crate::output;
use crate::stats::Report;

/// What a command prints: `text` on stdout, `warnings` on stderr.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The human summary.
    pub text: String,
    /// Things the user should know that did not stop the run.
    pub warnings: Vec<String>,
}

/// `p80 simulate`: runs the simulation, writes the artefacts and returns the text to print.
pub fn simulate(opts: &SimulateOptions) -> Result<Outcome> {
    let started = Instant::now();
    let loaded = input::load(&opts.project)?;
    let settings = opts.settings(&loaded.config)?;
    let plan = CompiledPlan::compile(&loaded.project);
    let schedule = engine::deterministic(&plan);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .map_err(|e| {
            Error::Output(format!(
                "cannot start {} worker threads: {e}",
                settings.threads
            ))
        })?;
    let sim = pool.install(|| {
        if settings.auto_iterations {
            run_until_settled(&plan, &settings, !opts.quiet)
        } else {
            run_engine(&plan, &settings, !opts.quiet)
        }
    });
    let settings = Settings {
        iterations: sim.durations.len(),
        ..settings
    };
    let mut report = Report::new(
        &loaded.project,
        &plan,
        &schedule,
        &sim,
        settings.seed,
        settings.confidence,
    )
    .with_run(settings.sampling, settings.auto_iterations);
    if !plan.risks.is_empty() {
        // Each risk's contribution: the same run with that risk switched off.
        let without: Vec<(f64, f64)> = pool.install(|| {
            (0..plan.risks.len())
                .map(|r| {
                    let s = engine::simulate_sampled(
                        &plan.without_risk(r),
                        settings.iterations,
                        settings.seed,
                        settings.sampling,
                        &|_| {},
                    );
                    (mean(&s.durations), mean(&s.costs))
                })
                .collect()
        });
        report = report.with_risk_contributions(&without);
    }
    if let Some(calendar) = &loaded.config.calendar {
        report = report.with_calendar(calendar, settings.deadline)?;
    }
    let artefacts = output::standard(&report);
    let written =
        pool.install(|| output::write_all(&opts.out, &report, &artefacts, &loaded.inputs))?;
    Ok(Outcome {
        text: output::console::simulate_summary(
            &report,
            &written,
            settings.threads,
            started.elapsed().as_secs_f64(),
        ),
        warnings: plan.warnings.clone(),
    })
}

/// `p80 check`: validates the plan and returns its deterministic schedule as text.
pub fn check(project: &Path) -> Result<Outcome> {
    let loaded = input::load(project)?;
    let plan = CompiledPlan::compile(&loaded.project);
    let schedule = engine::deterministic(&plan);
    let text = output::console::check_listing(
        &loaded.project,
        &schedule,
        loaded.config.calendar.as_ref(),
        loaded.config.deadline,
    )?;
    Ok(Outcome {
        text,
        warnings: plan.warnings,
    })
}

/// `--iterations auto`: doubles the iteration count from [`AUTO_START`] until the standard
/// errors of the duration and the cost at the confidence level are both within
/// [`AUTO_TOLERANCE`] of their values (or [`AUTO_MAX`] is reached). Random numbers are a
/// function of the iteration, so the final run is exactly the fixed-count run of that size.
fn run_until_settled(plan: &CompiledPlan, settings: &Settings, show_progress: bool) -> Simulation {
    let mut n = AUTO_START;
    loop {
        let sim = run_engine(
            plan,
            &Settings {
                iterations: n,
                ..*settings
            },
            show_progress,
        );
        let settled = |values: &[f64]| {
            let sorted = crate::stats::summary::sorted(values);
            let p = crate::stats::percentile::quantile(&sorted, settings.confidence);
            crate::stats::percentile::quantile_se(&sorted, settings.confidence)
                <= AUTO_TOLERANCE * p.abs()
        };
        if n >= AUTO_MAX || (settled(&sim.durations) && settled(&sim.costs)) {
            return sim;
        }
        n *= 2;
    }
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len().max(1) as f64
}

/// Runs the engine on the current rayon pool, with a progress bar on stderr for long runs when
/// stderr is a terminal.
fn run_engine(plan: &CompiledPlan, settings: &Settings, show_progress: bool) -> Simulation {
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
    let sim = engine::simulate_sampled(
        plan,
        settings.iterations,
        settings.seed,
        settings.sampling,
        &progress,
    );
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    sim
}
