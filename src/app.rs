//! The commands, end to end: read → validate → compile → simulate → summarize → export.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use crate::engine::{
    self, Bounds, Collector, CompiledPlan, Drivers, OutcomeSamples, Outcomes, Profile, ProfileBins,
    Reserves, RunSpec, Simulation, Standard,
};
use crate::error::{Error, Result};
use crate::input;
use crate::model::scenario::BASELINE;
use crate::options::{
    ForecastOptions, Settings, SimulateOptions, AUTO_MAX, AUTO_START, AUTO_TOLERANCE,
};
use crate::output;
use crate::stats::{Comparison, ForecastReport, Health, Merges, PlanFacts, Report, ScheduleReport};

/// What a command prints: `text` on stdout, `warnings` on stderr.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The human summary.
    pub text: String,
    /// Things the user should know that did not stop the run.
    pub warnings: Vec<String>,
    /// The process exit code: 0, or 2 when `p80 check --strict` found health warnings (the
    /// text is printed all the same).
    pub exit_code: u8,
}

/// `p80 simulate`: runs the simulation, writes the artefacts and returns the text to print.
pub fn simulate(opts: &SimulateOptions) -> Result<Outcome> {
    run_simulation(opts, false)
}

/// `p80 report`: `p80 simulate --drivers` plus `report.html`, the self-contained page for
/// sponsors (its tornado, top drivers and per-task P50/P80 finishes need the drivers' pass).
pub fn report(opts: &SimulateOptions) -> Result<Outcome> {
    let opts = SimulateOptions {
        drivers: true,
        ..opts.clone()
    };
    run_simulation(&opts, true)
}

/// Simulates, writes the artefacts of `simulate` (and `report.html` when `html`), and returns
/// the text to print.
fn run_simulation(opts: &SimulateOptions, html: bool) -> Result<Outcome> {
    let started = Instant::now();
    let mut loaded = input::load(&opts.project)?;
    let settings = opts.settings(&loaded.config)?;
    output::check_run_folder(&opts.out, &loaded.inputs)?; // before the work, not after
    let plan = compile(&loaded.project, settings.level, loaded.config.level_improve)?;
    let schedule = engine::deterministic(&plan);
    let facts = take_facts(&mut loaded, &schedule, opts.drivers, html);
    let pool = thread_pool(settings.threads)?;
    let (profile, reserves) = extra_collectors(opts, &plan, &schedule);
    // With --drivers, the first run also measures each task's ranges, and a second run over
    // the same iterations (the same draws: they are a function of seed, task and iteration)
    // bins each task against the first run's ranks.
    let collector = (
        Standard,
        profile,
        reserves,
        opts.drivers.then(|| Bounds::for_plan(&plan)),
    );
    check_memory(&plan, &settings, &collector)?;
    let (sim, profile, reserves, bounds) = pool.install(|| {
        if settings.auto_iterations {
            run_until_settled(&plan, &settings, !opts.quiet, &collector, |o| &o.0)
        } else {
            run_engine(&plan, &settings, !opts.quiet, &collector)
        }
    });
    let settings = Settings {
        iterations: sim.durations.len(),
        ..settings
    };
    let drivers = bounds.map(|bounds| {
        let collector = Drivers::new(&sim.durations, &sim.costs, &bounds);
        let spec =
            RunSpec::new(settings.iterations, settings.seed).with_sampling(settings.sampling);
        pool.install(|| engine::run(&plan, &spec, &collector))
    });
    // Each risk's contribution: the same run with that risk switched off (another answer
    // than the main run's: one run per risk, collecting only durations and costs).
    let spec = RunSpec::new(settings.iterations, settings.seed).with_sampling(settings.sampling);
    let without: Vec<OutcomeSamples> = pool.install(|| {
        (0..plan.durations().risks().len())
            .map(|r| engine::run(&plan.without_risk(r), &spec, &Outcomes))
            .collect()
    });
    // The compiled plan is not needed to summarize and write: free it first (at 100k tasks
    // it is about 9 MB of the peak).
    let warnings = plan.warnings().to_vec();
    drop(plan);
    let run = SimulateRun {
        loaded: &loaded,
        facts,
        settings: &settings,
        schedule: &schedule,
        pool: &pool,
        warnings: &warnings,
        html,
    };
    run.write(opts, &sim, profile, reserves, drivers, &without, started)
}

/// What the report reads of the project's tasks (with the merge points when `drivers`),
/// taken from `loaded` after the deterministic pass; then the tasks are freed, so that they
/// are not in memory while the engine runs (issue 15: 32 MB at 100k tasks). Only `p80 report`
/// of a project with `[[scenario]]` blocks keeps them: it compiles each scenario from the
/// project after the main run.
pub(crate) fn take_facts(
    loaded: &mut input::Loaded,
    schedule: &engine::Schedule,
    drivers: bool,
    html: bool,
) -> (PlanFacts, Option<Merges>) {
    let merges = drivers.then(|| Merges::of(&loaded.project));
    let facts = if html && !loaded.config.scenarios.is_empty() {
        PlanFacts::new(&loaded.project, &schedule.early_finish)
    } else {
        PlanFacts::take(&mut loaded.project, &schedule.early_finish)
    };
    (facts, merges)
}

/// What `p80 simulate` (and `p80 merge` of its shards) has once the engine has run.
pub(crate) struct SimulateRun<'a> {
    /// The inputs; their project's tasks are freed ([`take_facts`]) unless `html` needs them
    /// for the scenarios.
    pub loaded: &'a input::Loaded,
    /// What the report reads of the project's tasks, and the merge points with --drivers.
    pub facts: (PlanFacts, Option<Merges>),
    pub settings: &'a Settings,
    pub schedule: &'a engine::Schedule,
    pub pool: &'a rayon::ThreadPool,
    /// The compiled plan's warnings.
    pub warnings: &'a [String],
    /// Also write `report.html` (`p80 report`), with the scenarios side by side when the
    /// project has any.
    pub html: bool,
}

/// The resource profile (only with --resource-profile and some task using a resource) and the
/// backup reserves (only when some task uses a resource) collected beside [`Standard`].
pub(crate) fn extra_collectors(
    opts: &SimulateOptions,
    plan: &CompiledPlan,
    schedule: &engine::Schedule,
) -> (Option<Profile>, Option<Reserves>) {
    // The resource profile is collected in the same run, only when asked for (it keeps start
    // times, so plain runs do not pay for it): 200 bins over twice the deterministic duration,
    // and as many more as the iterations need, up to 50 times that duration.
    let profile = (opts.resource_profile && plan.resources().any_use()).then(|| {
        Profile::new(ProfileBins {
            bin_days: (schedule.duration / 100.0).max(1e-3),
            count: 200,
            max_count: 5_000,
        })
    });
    // Backup reserves: each resource's demand per iteration, for the project and the work
    // before each milestone, in the same run (only when some task uses a resource).
    let reserves = Some(Reserves::new(plan)).filter(|r| !r.is_empty());
    (profile, reserves)
}

impl SimulateRun<'_> {
    /// Summarizes what the engine collected (`without`: the runs with each risk switched off)
    /// into the report, writes the artefacts and returns the text to print.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn write(
        self,
        opts: &SimulateOptions,
        sim: &Simulation,
        profile: Option<engine::ResourceProfile>,
        reserves: Option<Vec<engine::ReserveSamples>>,
        drivers: Option<Vec<engine::TaskDrivers>>,
        without: &[OutcomeSamples],
        started: Instant,
    ) -> Result<Outcome> {
        let (loaded, settings, pool) = (self.loaded, self.settings, self.pool);
        let (facts, merges) = self.facts;
        let mut report = Report::from_facts(
            facts,
            self.schedule,
            sim,
            settings.seed,
            settings.confidence,
        )
        .with_run(settings.sampling, settings.auto_iterations)
        .with_range_rule(loaded.range_rule);
        if !without.is_empty() {
            let without: Vec<(f64, f64)> = without
                .iter()
                .map(|s| (mean(&s.durations), mean(&s.costs)))
                .collect();
            report = report.with_risk_contributions(&without);
        }
        if let Some(calendar) = &loaded.config.calendar {
            report = report.with_calendar(calendar, settings.deadline)?;
        }
        if let Some(sprints) = &loaded.config.sprints {
            report = report.with_sprints(sprints)?;
        }
        report = report
            .with_budget(settings.budget)
            .with_delay_cost(sim, settings.delay_cost);
        if let (Some(d), Some(merges)) = (&drivers, &merges) {
            report = report.with_drivers(merges, sim, d)?;
        }
        if let Some(p) = &profile {
            report = report.with_resource_profile(p);
        }
        if let Some(r) = &reserves {
            report = report.with_reserves(r);
        }
        if self.html && !loaded.config.scenarios.is_empty() {
            // The report shows the scenarios side by side: `p80 compare`'s runs (same
            // settings, same random numbers).
            let (reports, _, _) = scenario_reports(loaded, settings, pool, !opts.quiet)?;
            report = report.with_scenarios(&Comparison::new(reports));
        }
        let mut artefacts = output::standard(&report);
        if self.html {
            artefacts.push(Box::new(output::html_report::HtmlReport));
        }
        let written =
            pool.install(|| output::write_all(&opts.out, &report, &artefacts, &loaded.inputs))?;
        Ok(Outcome {
            text: output::console::simulate_summary(
                &report,
                &written,
                settings.threads,
                started.elapsed().as_secs_f64(),
            ),
            warnings: [loaded.warnings.clone(), self.warnings.to_vec()].concat(),
            exit_code: 0,
        })
    }
}

/// `p80 forecast`: bootstraps the team's throughput history (read → check → compile →
/// simulate → summarize → export), writes `forecast.csv` and `forecast.png`, and returns the
/// summary.
pub fn forecast(opts: &ForecastOptions) -> Result<Outcome> {
    let started = Instant::now();
    let loaded = input::load_forecast(&opts.project, opts.name.as_deref())?;
    let settings = opts.settings(&loaded.config)?;
    output::check_run_folder(&opts.out, &loaded.inputs)?;
    // One value per iteration, a sorted copy and the report's: 24 bytes each.
    crate::limits::check_iterations(settings.iterations as u64, 24).map_err(Error::Usage)?;
    let compiled = engine::forecast::CompiledForecast::compile(&loaded.forecast);
    let pool = thread_pool(settings.threads)?;
    let samples =
        pool.install(|| engine::forecast::bootstrap(&compiled, settings.iterations, settings.seed));
    let report = ForecastReport::new(
        &loaded.project,
        &loaded.forecast,
        &samples,
        settings.seed,
        settings.confidence,
        loaded.config.calendar.as_ref(),
    )?;
    let artefacts = output::forecast();
    let written =
        pool.install(|| output::write_all(&opts.out, &report, &artefacts, &loaded.inputs))?;
    let mut warnings = loaded.warnings;
    if samples.capped > 0 {
        warnings.push(format!(
            "{}: {} of {} iterations did not finish within {} periods and stopped there; \
             check the backlog against the history",
            loaded.forecast.label(),
            samples.capped,
            settings.iterations,
            crate::model::forecast::MAX_PERIODS
        ));
    }
    Ok(Outcome {
        text: output::forecast_console::forecast_summary(
            &report,
            &written,
            settings.threads,
            started.elapsed().as_secs_f64(),
        ),
        warnings,
        exit_code: 0,
    })
}

/// `p80 check`: validates the plan and returns its deterministic schedule and its health
/// check as text; writes `health.csv` into `out` when given. With `strict`, health warnings
/// make the exit code 2 (and a line on stderr says so).
pub fn check(project: &Path, strict: bool, out: Option<&Path>) -> Result<Outcome> {
    let loaded = input::load(project)?;
    let level = loaded.config.level.unwrap_or(true);
    let plan = compile(&loaded.project, level, loaded.config.level_improve)?;
    // The project file's run settings are checked as `simulate` would check them.
    let settings = SimulateOptions {
        project: project.to_path_buf(),
        iterations: None,
        seed: None,
        confidence: None,
        threads: None,
        deadline: None,
        budget: None,
        sampling: None,
        out: Default::default(),
        quiet: true,
        no_level: false,
        resource_profile: false,
        drivers: false,
    }
    .settings(&loaded.config)?;
    check_memory(&plan, &settings, &Standard)?;
    let schedule = engine::deterministic(&plan);
    // Nothing below needs the compiled plan: free it before the listing is built.
    let plan_warnings = plan.warnings().to_vec();
    drop(plan);
    let health = Health::of(&loaded.project, &schedule.early_finish);
    let written = match out {
        Some(dir) => {
            let artefacts: Vec<Box<dyn output::Artefact<Health>>> =
                vec![Box::new(output::health_csv::HealthCsv)];
            output::write_all(dir, &health, &artefacts, &loaded.inputs)?
        }
        None => Vec::new(),
    };
    let schedule = ScheduleReport::new(
        &schedule,
        loaded.config.calendar.as_ref(),
        loaded.config.deadline,
    )?;
    let mut text = output::console::check_listing(&loaded.project, &schedule);
    if let Some((rule, tasks)) = loaded.range_rule {
        let used = crate::stats::report::RangeRuleUse { rule, tasks };
        text.push_str(&format!("Ranges: {}.\n", used.sentence()));
    }
    text.push('\n');
    text.push_str(&output::console::health_listing(&health));
    for w in &written {
        text.push_str(&format!("Wrote {}\n", w.display()));
    }
    let mut warnings = [loaded.warnings, plan_warnings].concat();
    let failed = health.warnings().count();
    let exit_code = if strict && failed > 0 {
        warnings.push(format!(
            "--strict: the health check warns on {failed} check{}; exit code 2",
            if failed == 1 { "" } else { "s" }
        ));
        2
    } else {
        0
    };
    Ok(Outcome {
        text,
        warnings,
        exit_code,
    })
}

/// `p80 compare`: simulates the plan as written (`baseline`) and every scenario with the same
/// settings and seed, so that each task gets the same random numbers in every scenario (common
/// random numbers: differences are the scenarios', not sampling noise), then writes
/// `comparison.csv` and `comparison.png` and returns the comparison table.
///
/// Every scenario is applied and checked before anything is simulated. With `--iterations
/// auto` the count doubles until every scenario has settled, so all use the same count.
pub fn compare(opts: &SimulateOptions) -> Result<Outcome> {
    let started = Instant::now();
    let loaded = input::load(&opts.project)?;
    let settings = opts.settings(&loaded.config)?;
    output::check_run_folder(&opts.out, &loaded.inputs)?;
    let pool = thread_pool(settings.threads)?;
    let (reports, plans, projects) = scenario_reports(&loaded, &settings, &pool, !opts.quiet)?;
    write_comparison(
        opts, &loaded, &settings, &projects, &plans, reports, &pool, started,
    )
}

/// Every scenario of the project's `[[scenario]]` blocks and the baseline (the plan as
/// written), simulated with the same settings and seed (common random numbers): each one's
/// report, the compiled plans and the (name, project) pairs, the baseline first.
#[allow(clippy::type_complexity)]
fn scenario_reports(
    loaded: &input::Loaded,
    settings: &Settings,
    pool: &rayon::ThreadPool,
    show_progress: bool,
) -> Result<(
    Vec<(String, Report)>,
    Vec<CompiledPlan>,
    Vec<(String, crate::model::Project)>,
)> {
    let projects = scenario_projects(loaded)?;
    let plans = projects
        .iter()
        .map(|(_, p)| compile(p, settings.level, loaded.config.level_improve))
        .collect::<Result<Vec<_>>>()?;
    for plan in &plans {
        check_memory(plan, settings, &Standard)?;
    }
    let mut n = settings.iterations;
    let reports = pool.install(|| -> Result<Vec<(String, Report)>> {
        'count: loop {
            let at_n = Settings {
                iterations: n,
                ..*settings
            };
            let mut reports = Vec::with_capacity(plans.len());
            for ((name, project), plan) in projects.iter().zip(&plans) {
                let sim = run_engine(plan, &at_n, show_progress, &Standard);
                if settings.auto_iterations && n < AUTO_MAX && !settled(&sim, settings.confidence) {
                    n *= 2;
                    continue 'count;
                }
                let report = scenario_report(loaded, settings, project, plan, &sim)?;
                reports.push((name.clone(), report));
            }
            return Ok(reports);
        }
    })?;
    Ok((reports, plans, projects))
}

/// The plan as written (`baseline`) and every scenario applied, in file order; every
/// scenario's problems at once.
pub(crate) fn scenario_projects(
    loaded: &input::Loaded,
) -> Result<Vec<(String, crate::model::Project)>> {
    let mut projects = vec![(BASELINE.to_string(), loaded.project.clone())];
    let mut problems = Vec::new();
    for s in &loaded.config.scenarios {
        // `based_on` names an earlier scenario (checked when reading); when that one failed,
        // its problems are reported and this one is skipped.
        let base = match &s.based_on {
            None => Some(&loaded.project),
            Some(b) => projects.iter().find(|(n, _)| n == b).map(|(_, p)| p),
        };
        let Some(base) = base else { continue };
        match s.apply(base) {
            Ok(p) => projects.push((s.name.clone(), p)),
            Err(e) => problems.extend(e),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(projects)
}

/// One scenario's report in a comparison.
pub(crate) fn scenario_report(
    loaded: &input::Loaded,
    settings: &Settings,
    project: &crate::model::Project,
    plan: &CompiledPlan,
    sim: &Simulation,
) -> Result<Report> {
    let mut report = Report::new(
        project,
        &engine::deterministic(plan),
        sim,
        settings.seed,
        settings.confidence,
    )
    .with_run(settings.sampling, settings.auto_iterations)
    .with_range_rule(loaded.range_rule);
    if let Some(calendar) = &loaded.config.calendar {
        report = report.with_calendar(calendar, settings.deadline)?;
    }
    if let Some(sprints) = &loaded.config.sprints {
        report = report.with_sprints(sprints)?;
    }
    Ok(report
        .with_budget(settings.budget)
        .with_delay_cost(sim, settings.delay_cost))
}

/// Writes `comparison.csv` and `comparison.png` from every scenario's report and returns the
/// text and warnings `p80 compare` prints.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_comparison(
    opts: &SimulateOptions,
    loaded: &input::Loaded,
    settings: &Settings,
    projects: &[(String, crate::model::Project)],
    plans: &[CompiledPlan],
    reports: Vec<(String, Report)>,
    pool: &rayon::ThreadPool,
    started: Instant,
) -> Result<Outcome> {
    let comparison = Comparison::new(reports);
    let artefacts = output::comparison();
    let written =
        pool.install(|| output::write_all(&opts.out, &comparison, &artefacts, &loaded.inputs))?;
    let mut warnings: Vec<String> = loaded.warnings.clone();
    if loaded.config.scenarios.is_empty() {
        warnings.push(
            "the project has no [[scenario]]: compared the plan as written (baseline) only; \
             add [[scenario]] blocks to project.toml to compare staffing options (see \
             docs/format.md)"
                .to_string(),
        );
    }
    // The plan's warnings once; a scenario's only when the plan does not have them.
    warnings.extend(plans[0].warnings().iter().cloned());
    for (plan, (name, _)) in plans.iter().zip(projects).skip(1) {
        for w in plan.warnings() {
            if !plans[0].warnings().contains(w) {
                warnings.push(format!("scenario `{name}`: {w}"));
            }
        }
    }
    Ok(Outcome {
        text: output::console::compare_summary(
            &comparison,
            &written,
            settings.threads,
            started.elapsed().as_secs_f64(),
        ),
        warnings,
        exit_code: 0,
    })
}

/// `p80 import`: reads a schedule file (or the one a project.toml names, with its `[import]`
/// settings), checks that it is a valid plan, and writes it as `project.toml`, `tasks.csv`
/// and `resources.csv` into `out`, which simulate to the same results.
pub fn import(file: &Path, out: &Path, force: bool) -> Result<Outcome> {
    let format = input::Format::of(file);
    if format != input::Format::Toml && !format.is_schedule() {
        return Err(Error::Usage(format!(
            "{} is not a schedule file: p80 import reads MS Project XML (.xml), Primavera XER \
             (.xer) and GanttProject (.gan) files (a tasks.csv is p80's own format already)",
            file.display()
        )));
    }
    // A project.toml's [import], [risk_levels] and distribution apply; a bare schedule file
    // takes the defaults.
    let config = input::read_config(file)?;
    let Some(schedule_file) = config.schedule.clone() else {
        return Err(Error::Usage(format!(
            "{} names no schedule file: p80 import reads an MS Project XML (.xml), Primavera XER \
             (.xer) or GanttProject (.gan) file, or a project.toml with schedule = \"…\"",
            file.display()
        )));
    };
    let options = config.import;
    let mut inputs = vec![file.to_path_buf(), schedule_file.clone()];
    let schedule = input::read_schedule(&schedule_file, &options).map_err(Error::Input)?;
    let problems = crate::model::validate(&schedule.project);
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    compile(&schedule.project, false, false)?;
    let files = output::plan_files::render(&schedule, &options)?;
    inputs.dedup();
    let written = output::write_files(out, &files, &inputs, force)?;
    let p = &schedule.project;
    let mut text = format!(
        "p80 import: {} ({}) — {} tasks, {} links, {} resources\n",
        p.name,
        schedule.format,
        p.tasks.len(),
        p.tasks.iter().map(|t| t.depends_on.len()).sum::<usize>(),
        p.resources.len()
    );
    text.push_str(&format!(
        "Calendar: start {}, working days {}, {} holidays\n",
        schedule.calendar.start(),
        schedule.calendar.workdays_label(),
        schedule.calendar.holidays().len()
    ));
    if schedule.range_rule_tasks > 0 {
        let used = crate::stats::report::RangeRuleUse {
            rule: schedule.range,
            tasks: schedule.range_rule_tasks,
        };
        text.push_str(&format!("Ranges: {}.\n", used.sentence()));
    }
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    text.push_str(&format!(
        "Wrote {} to {}\n",
        names.join(", "),
        out.display()
    ));
    Ok(Outcome {
        text,
        warnings: schedule.warnings,
        exit_code: 0,
    })
}

/// `--iterations auto`: doubles the iteration count from [`AUTO_START`] until the standard
/// errors of the duration and the cost at the confidence level are both within
/// [`AUTO_TOLERANCE`] of their values (or [`AUTO_MAX`] is reached). Random numbers are a
/// function of the iteration, so the final run is exactly the fixed-count run of that size.
/// `sim` finds the simulation in the collectors' output.
fn run_until_settled<C: Collector>(
    plan: &CompiledPlan,
    settings: &Settings,
    show_progress: bool,
    collector: &C,
    sim: impl Fn(&C::Output) -> &Simulation,
) -> C::Output {
    let mut n = AUTO_START;
    loop {
        let out = run_engine(
            plan,
            &Settings {
                iterations: n,
                ..*settings
            },
            show_progress,
            collector,
        );
        if n >= AUTO_MAX || settled(sim(&out), settings.confidence) {
            return out;
        }
        n *= 2;
    }
}

/// Refuses (a usage error, exit 2) a run whose per-iteration results would not fit in memory,
/// saying how many iterations fit. Each iteration keeps its collectors' slots (8 bytes each);
/// the summaries sort a copy of every column and the report holds one more; the per-risk
/// reruns hold two columns at a time. With `--iterations auto` the largest count it may reach
/// is checked.
fn check_memory<C: Collector>(
    plan: &CompiledPlan,
    settings: &Settings,
    collector: &C,
) -> Result<()> {
    let slots = collector.slots(plan) as u64;
    let reruns = if plan.durations().risks().is_empty() {
        0
    } else {
        2
    };
    let per_iteration = 8 * (3 * slots + reruns);
    let n = if settings.auto_iterations {
        AUTO_MAX.max(settings.iterations)
    } else {
        settings.iterations
    };
    crate::limits::check_iterations(n as u64, per_iteration).map_err(Error::Usage)
}

/// A rayon pool of `threads` workers for one command.
pub(crate) fn thread_pool(threads: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Output(format!("cannot start {threads} worker threads: {e}")))
}

/// Compiles a validated project, with or without levelling, and with or without the
/// forward-backward improvement after levelling (`improve`).
pub fn compile(
    project: &crate::model::Project,
    level: bool,
    improve: bool,
) -> Result<CompiledPlan> {
    let plan = CompiledPlan::compile(project).with_level_improvement(improve);
    let plan = if level {
        plan
    } else {
        plan.without_levelling()
    };
    Ok(plan)
}

/// The stopping rule of `--iterations auto`: the standard errors of the duration and of the
/// cost at the confidence level are both within [`AUTO_TOLERANCE`] of their values (from the
/// replicates of a Latin hypercube run, as in the report).
fn settled(sim: &Simulation, confidence: f64) -> bool {
    let ok = |values: &[f64]| {
        let sorted = crate::stats::summary::sorted(values);
        let p = crate::stats::percentile::quantile(&sorted, confidence);
        let se =
            crate::stats::replicates::percentile_se(values, &sorted, &sim.replicates, confidence);
        se <= AUTO_TOLERANCE * p.abs()
    };
    ok(&sim.durations) && ok(&sim.costs)
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len().max(1) as f64
}

/// Runs the engine with `collector` on the current rayon pool, with a progress bar on stderr
/// for long runs when stderr is a terminal.
fn run_engine<C: Collector>(
    plan: &CompiledPlan,
    settings: &Settings,
    show_progress: bool,
    collector: &C,
) -> C::Output {
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
    let spec = RunSpec::new(settings.iterations, settings.seed)
        .with_sampling(settings.sampling)
        .with_progress(&progress);
    let out = engine::run(plan, &spec, collector);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    out
}
