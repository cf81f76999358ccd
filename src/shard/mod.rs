//! Shards: one run split over machines by iterations, merged into exactly the single-machine
//! answer (docs/scale-out.md).
//!
//! `p80 simulate|compare PROJECT --shard K/N` runs the iterations of shard K
//! ([`crate::engine::shard_range`]: contiguous, aligned at the chunk width) and writes
//! `shard-K-of-N.p80` ([`mod@file`]) into its output folder: the engine's gathered state
//! ([`crate::engine::Gathered`]: exact accumulators and per-iteration slots), before any
//! statistic is computed. `p80 merge SHARD... --out DIR` checks that the shards are complete,
//! disjoint and of the same run, re-reads the project (its path is in the shards; `--project`
//! overrides it) and checks it against the shards' fingerprint, merges the gathered state in
//! shard order and writes what the unsharded run writes, byte for byte.

pub mod auto;
pub mod file;

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::app::{self, Outcome};
use crate::engine::{
    self, Collector, CompiledPlan, Gathered, Outcomes, RunSpec, ShardOf, Standard,
};
use crate::error::{Error, Result};
use crate::input;
use crate::options::{Iterations, Settings, SimulateOptions};
use crate::output;

pub use auto::ShardChoice;
use file::{fingerprint, Kind, Payload, ShardFile, SimulateParts, StoredOptions};

/// `p80 simulate PROJECT --shard K/N`: runs shard K's iterations and writes its shard file.
pub fn simulate(opts: &SimulateOptions, choice: ShardChoice) -> Result<Outcome> {
    run_shard(opts, choice, Kind::Simulate)
}

/// `p80 compare PROJECT --shard K/N`: shard K's iterations of every scenario, in one file.
pub fn compare(opts: &SimulateOptions, choice: ShardChoice) -> Result<Outcome> {
    run_shard(opts, choice, Kind::Compare)
}

/// What cannot be sharded, refused with exit 2 before any work.
fn refuse_unshardable(opts: &SimulateOptions, settings: &Settings) -> Result<()> {
    if opts.drivers {
        return Err(Error::Usage(
            "--drivers cannot be sharded (its second pass bins every task against the whole \
             run's ranks); run it unsharded, or shard without --drivers"
                .into(),
        ));
    }
    if settings.auto_iterations || opts.iterations == Some(Iterations::Auto) {
        return Err(Error::Usage(
            "--iterations auto cannot be sharded (the count depends on the whole run); give a \
             number, e.g. --iterations 100000"
                .into(),
        ));
    }
    Ok(())
}

fn run_shard(opts: &SimulateOptions, choice: ShardChoice, kind: Kind) -> Result<Outcome> {
    let started = Instant::now();
    let shard = choice.resolve()?;
    let mut loaded = input::load(&opts.project)?;
    let settings = opts.settings(&loaded.config)?;
    refuse_unshardable(opts, &settings)?;
    let name = shard.file_name();
    let stored = StoredOptions::of(opts);
    let print = fingerprint(&loaded, &settings, &stored, kind, shard.n)?;
    let pool = app::thread_pool(settings.threads)?;
    let spec = RunSpec::new(settings.iterations, settings.seed).with_sampling(settings.sampling);
    let (payload, range) = match kind {
        Kind::Simulate => {
            let plan = app::compile(&loaded.project, settings.level, loaded.config.level_improve)?;
            // A shard summarizes nothing: its tasks are not needed while the engine runs.
            loaded.project.tasks = Vec::new();
            let schedule = engine::deterministic(&plan);
            let (profile, reserves) = app::extra_collectors(opts, &plan, &schedule);
            let collector: SimulateParts = (Standard, profile, reserves);
            let width = spec.chunk_lanes(&plan, collector.needs());
            let range = engine::shard_range(&spec, width, shard);
            let part = spec.with_range(range.clone());
            let payload = pool.install(|| Payload::Simulate {
                main: engine::gather(&plan, &part, &collector),
                without: (0..plan.durations().risks().len())
                    .map(|r| engine::gather(&plan.without_risk(r), &part, &Outcomes))
                    .collect(),
            });
            (payload, range)
        }
        Kind::Compare => {
            let projects = app::scenario_projects(&loaded)?;
            let plans = projects
                .iter()
                .map(|(_, p)| app::compile(p, settings.level, loaded.config.level_improve))
                .collect::<Result<Vec<_>>>()?;
            drop(projects);
            loaded.project.tasks = Vec::new();
            let width = |plan: &CompiledPlan| spec.chunk_lanes(plan, Standard.needs());
            let range = engine::shard_range(&spec, width(&plans[0]), shard);
            let payload = pool.install(|| Payload::Compare {
                scenarios: plans
                    .iter()
                    .map(|plan| {
                        let part = spec.with_range(engine::shard_range(&spec, width(plan), shard));
                        engine::gather(plan, &part, &Standard)
                    })
                    .collect(),
            });
            (payload, range)
        }
    };
    let project = std::fs::canonicalize(&opts.project).unwrap_or_else(|_| opts.project.clone());
    let bytes = ShardFile {
        p80_version: env!("CARGO_PKG_VERSION").to_string(),
        kind,
        shard,
        fingerprint: print,
        project,
        options: stored,
        iterations: settings.iterations,
        payload,
    }
    .encode()?;
    let written = output::shard_file::write_shard(&opts.out, &name, &bytes, &loaded.inputs)?;
    Ok(Outcome {
        text: format!(
            "p80 {}: shard {} of {}, iterations {}..{} of {} in {:.1} s\nWrote {} ({} bytes)\n",
            match kind {
                Kind::Simulate => "simulate",
                Kind::Compare => "compare",
            },
            shard.k,
            shard.n,
            range.start,
            range.end,
            settings.iterations,
            started.elapsed().as_secs_f64(),
            written.display(),
            bytes.len()
        ),
        warnings: loaded.warnings.clone(),
        exit_code: 0,
    })
}

/// The shard files among `paths`: files as given, folders searched (not recursively) for
/// `shard-*-of-*.p80`, in name order. Exit 2 for a path that does not exist or a folder
/// holding none.
fn shard_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::Io {
                    context: format!("cannot list {}", p.display()),
                    source: e,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("shard-") && n.ends_with(".p80"))
                })
                .collect();
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "{}: no shard-K-of-N.p80 file in this folder",
                    p.display()
                )));
            }
            found.sort();
            out.extend(found);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(Error::Usage(format!(
                "{}: no such shard file or folder",
                p.display()
            )));
        }
    }
    if out.is_empty() {
        return Err(Error::Usage(
            "name the shard files or folders to merge".into(),
        ));
    }
    Ok(out)
}

/// Reads the shards, checks that they are one run's complete set (same fingerprint, command
/// and count; each shard once; none missing) and returns them in shard order.
fn read_set(paths: &[PathBuf]) -> Result<Vec<(PathBuf, ShardFile)>> {
    let mut files = Vec::new();
    for p in shard_paths(paths)? {
        let bytes = std::fs::read(&p).map_err(|e| Error::Io {
            context: format!("cannot read {}", p.display()),
            source: e,
        })?;
        let f = ShardFile::decode(&p, &bytes)?;
        files.push((p, f));
    }
    let (p0, f0) = &files[0];
    for (p, f) in &files[1..] {
        if f.fingerprint != f0.fingerprint || f.kind != f0.kind || f.shard.n != f0.shard.n {
            return Err(Error::Usage(format!(
                "{}: not from the same run as {} (different inputs, options, seed, iterations, \
                 command or shard count: {:?} {}/{} against {:?} {}/{}); merge one run's shards",
                p.display(),
                p0.display(),
                f.kind,
                f.shard.k,
                f.shard.n,
                f0.kind,
                f0.shard.k,
                f0.shard.n
            )));
        }
    }
    let n = f0.shard.n;
    let mut by_k: std::collections::BTreeMap<usize, (PathBuf, ShardFile)> = Default::default();
    for (p, f) in files {
        let k = f.shard.k;
        if k >= n {
            return Err(Error::Usage(format!(
                "{}: shard {k} of {n} does not exist: a damaged shard",
                p.display()
            )));
        }
        if let Some((q, _)) = by_k.get(&k) {
            return Err(Error::Usage(format!(
                "{}: shard {k} of {n} is given twice (also {}); merge each shard once",
                p.display(),
                q.display()
            )));
        }
        by_k.insert(k, (p, f));
    }
    if by_k.len() < n {
        let missing: Vec<String> = (0..n)
            .filter(|k| !by_k.contains_key(k))
            .take(10)
            .map(|k| ShardOf { k, n }.file_name())
            .collect();
        return Err(Error::Usage(format!(
            "missing {} shard{} of {n}: {}{}: merge needs all of them",
            n - by_k.len(),
            if n - by_k.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if n - by_k.len() > missing.len() {
                " …"
            } else {
                ""
            }
        )));
    }
    Ok(by_k.into_values().collect())
}

/// Merges gathered ranges in shard order; exit 2 naming the shard whose range is not where
/// its number puts it (a damaged or forged file).
fn merge_ranges<C: engine::Collector>(
    parts: Vec<(PathBuf, Gathered<C::Acc>)>,
    expected: impl Fn(usize) -> std::ops::Range<usize>,
    plan: &engine::CompiledPlan,
    collector: &C,
) -> Result<Gathered<C::Acc>> {
    let mut acc: Option<Gathered<C::Acc>> = None;
    for (k, (path, g)) in parts.into_iter().enumerate() {
        if g.range() != expected(k) || !g.fits(plan, collector) {
            return Err(Error::Usage(format!(
                "{}: holds iterations {:?} (shard {k} is {:?}) or values that do not fit the \
                 plan: a damaged shard; run it again",
                path.display(),
                g.range(),
                expected(k)
            )));
        }
        acc = Some(match acc {
            None => g,
            Some(a) => a.merge(g, collector),
        });
    }
    acc.ok_or_else(|| Error::Usage("no shards to merge".into()))
}

/// `p80 merge SHARD... --out DIR`: checks the shards, re-reads their project (`project`
/// overrides the path stored in them) and writes the unsharded run's outputs into `out`.
pub fn merge(
    paths: &[PathBuf],
    out: &Path,
    project: Option<&Path>,
    threads: Option<u64>,
    quiet: bool,
) -> Result<Outcome> {
    let started = Instant::now();
    let set = read_set(paths)?;
    let first = &set[0].1;
    let kind = first.kind;
    let n = first.shard.n;
    let project = project.map_or_else(|| first.project.clone(), Path::to_path_buf);
    let opts = first
        .options
        .options(project.clone(), out.to_path_buf(), threads, quiet);
    let mut loaded = input::load(&project)?;
    let settings = opts.settings(&loaded.config)?;
    output::check_run_folder(out, &loaded.inputs)?;
    if fingerprint(&loaded, &settings, &first.options, kind, n)? != first.fingerprint
        || settings.iterations != first.iterations
    {
        return Err(Error::Usage(format!(
            "{}: the shards were not written from {} as it is now (an input file, a setting, \
             the seed or the iteration count differs); run the shards again, or name the \
             project they read with --project",
            set[0].0.display(),
            project.display()
        )));
    }
    let pool = app::thread_pool(settings.threads)?;
    let spec = RunSpec::new(settings.iterations, settings.seed).with_sampling(settings.sampling);
    let mut payloads = Vec::with_capacity(n);
    for (p, f) in set {
        payloads.push((p, f.payload));
    }
    match kind {
        Kind::Simulate => {
            let plan = app::compile(&loaded.project, settings.level, loaded.config.level_improve)?;
            let schedule = engine::deterministic(&plan);
            // Merged shards never have --drivers nor write report.html.
            let facts = app::take_facts(&mut loaded, &schedule, false, false);
            let (profile, reserves) = app::extra_collectors(&opts, &plan, &schedule);
            let collector: SimulateParts = (Standard, profile, reserves);
            let risks = plan.durations().risks().len();
            let mut mains = Vec::with_capacity(n);
            let mut withouts: Vec<Vec<(PathBuf, Gathered<()>)>> =
                (0..risks).map(|_| Vec::with_capacity(n)).collect();
            for (p, payload) in payloads {
                let Payload::Simulate { main, without } = payload else {
                    unreachable!("the kind is checked")
                };
                if without.len() != risks {
                    return Err(Error::Usage(format!(
                        "{}: holds {} risk runs, the project has {risks} risks: a damaged shard",
                        p.display(),
                        without.len()
                    )));
                }
                mains.push((p.clone(), main));
                for (r, w) in without.into_iter().enumerate() {
                    withouts[r].push((p.clone(), w));
                }
            }
            let width = spec.chunk_lanes(&plan, collector.needs());
            let expected = |k| engine::shard_range(&spec, width, ShardOf { k, n });
            let (sim, profile, reserves) =
                merge_ranges(mains, expected, &plan, &collector)?.finish(&plan, &spec, &collector);
            let without = withouts
                .into_iter()
                .enumerate()
                .map(|(r, parts)| {
                    let without = plan.without_risk(r);
                    Ok(merge_ranges(parts, expected, &without, &Outcomes)?
                        .finish(&without, &spec, &Outcomes))
                })
                .collect::<Result<Vec<_>>>()?;
            let run = app::SimulateRun {
                loaded: &loaded,
                facts,
                settings: &settings,
                schedule: &schedule,
                pool: &pool,
                warnings: plan.warnings(),
                html: false,
            };
            run.write(&opts, &sim, profile, reserves, None, &without, started)
        }
        Kind::Compare => {
            let projects = app::scenario_projects(&loaded)?;
            let plans = projects
                .iter()
                .map(|(_, p)| app::compile(p, settings.level, loaded.config.level_improve))
                .collect::<Result<Vec<_>>>()?;
            // Per scenario, every shard's part in shard order.
            let mut by_scenario: Vec<Vec<(PathBuf, Gathered<_>)>> =
                (0..plans.len()).map(|_| Vec::with_capacity(n)).collect();
            for (p, payload) in payloads {
                let Payload::Compare { scenarios } = payload else {
                    unreachable!("the kind is checked")
                };
                if scenarios.len() != plans.len() {
                    return Err(Error::Usage(format!(
                        "{}: holds {} scenarios, the project has {}: a damaged shard",
                        p.display(),
                        scenarios.len(),
                        plans.len()
                    )));
                }
                for (s, g) in scenarios.into_iter().enumerate() {
                    by_scenario[s].push((p.clone(), g));
                }
            }
            let mut reports = Vec::with_capacity(plans.len());
            for (((name, project), plan), parts) in projects.iter().zip(&plans).zip(by_scenario) {
                let width = spec.chunk_lanes(plan, Standard.needs());
                let expected = |k| engine::shard_range(&spec, width, ShardOf { k, n });
                let sim =
                    merge_ranges(parts, expected, plan, &Standard)?.finish(plan, &spec, &Standard);
                reports.push((
                    name.clone(),
                    app::scenario_report(&loaded, &settings, project, plan, &sim)?,
                ));
            }
            app::write_comparison(
                &opts, &loaded, &settings, &projects, &plans, reports, &pool, started,
            )
        }
    }
}
