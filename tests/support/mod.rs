//! What the integration tests share: builders for tasks, resources and projects (from model
//! values or from CSV text), validation and compilation, the Monte Carlo tolerance helpers,
//! and the one reference random generator for generated fixtures (`rand`'s `StdRng`, seeded).
//!
//! Each test file that uses it declares `mod support;`; not every file uses every item.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use p80::engine::{self, CompiledPlan, RunSpec, Simulation, Standard};
use p80::input::{resources_csv, risks_csv, tasks_csv};
use p80::model::{
    self, Assignment, Correlation, Distribution, Estimate, Link, Project, RateUnit, Resource, Task,
};
use rand::rngs::StdRng;
use rand::SeedableRng;

/// Standard errors allowed per statistical check: a two-sided false-alarm probability of about
/// 6.8e-6 under the normal approximation (the seeds are fixed, so the tests are deterministic).
pub const Z: f64 = 4.5;

/// The reference generator for generated fixtures (random plans, random instances): the same
/// seed gives the same fixture on every machine with the locked `rand`.
pub fn rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}

/// A three-point estimate (panics if invalid: fixtures are valid by construction).
pub fn est(o: f64, m: f64, p: f64, d: Distribution) -> Estimate {
    Estimate::new(o, m, p, d).expect("valid estimate")
}

/// A plain task: `estimate`, finish-to-start links to `deps`, no resources, no cost.
pub fn task(id: &str, estimate: Estimate, deps: &[&str]) -> Task {
    Task {
        name: format!("task {id}"),
        ..Task::plain(id, estimate, deps.iter().map(|s| Link::fs(s)).collect(), 0)
    }
}

/// `t` with a fixed cost and resource assignments (resource id, units).
pub fn with_cost(mut t: Task, cost: f64, resources: &[(&str, f64)]) -> Task {
    t.cost = cost;
    t.resources = resources
        .iter()
        .map(|(r, u)| Assignment {
            resource: r.to_string(),
            units: *u,
        })
        .collect();
    t
}

/// A resource with a fixed rate, unlimited.
pub fn resource(id: &str, rate: f64, unit: RateUnit, hours_per_day: f64) -> Resource {
    Resource {
        id: id.to_string(),
        name: String::new(),
        rate,
        unit,
        hours_per_day,
        capacity: None,
        rate_range: None,
        billing: p80::model::Billing::Task,
        available_from: None,
        available_until: None,
        line: 0,
    }
}

/// A project of `tasks` (lines 2, 3, … of `tasks.csv`) and `resources` (lines 2, 3, … of
/// `resources.csv`), with no risks or correlations. Not validated: see [`valid`].
pub fn project(mut tasks: Vec<Task>, mut resources: Vec<Resource>) -> Project {
    for (i, t) in tasks.iter_mut().enumerate() {
        t.line = i + 2;
    }
    for (i, r) in resources.iter_mut().enumerate() {
        r.line = i + 2;
    }
    let resources_file = (!resources.is_empty()).then(|| PathBuf::from("resources.csv"));
    Project {
        resources,
        resources_file,
        ..Project::of_tasks("test", tasks, PathBuf::from("tasks.csv"))
    }
}

/// A project read from `tasks.csv` text (PERT by default) and, unless empty, `resources.csv`
/// text. Not validated: see [`valid`].
pub fn from_csv(tasks: &str, resources: &str) -> Project {
    let tasks = tasks_csv::read(
        Path::new("tasks.csv"),
        tasks,
        Distribution::Pert,
        &Default::default(),
    )
    .expect("tasks.csv parses");
    let resources = if resources.is_empty() {
        vec![]
    } else {
        resources_csv::read(Path::new("resources.csv"), resources).expect("resources.csv parses")
    };
    let mut p = project(tasks, vec![]);
    p.resources_file = Some(PathBuf::from("resources.csv"));
    p.resources = resources;
    p
}

/// `p` with the risk register read from `risks.csv` text.
pub fn with_risks(mut p: Project, risks: &str) -> Project {
    p.risks = risks_csv::read(Path::new("risks.csv"), risks, Distribution::Pert)
        .expect("risks.csv parses");
    p.risks_file = Some(PathBuf::from("risks.csv"));
    p
}

/// `p` with rank correlations (task ids, coefficient), one `correlations.csv` line each, and
/// strict mode (an inconsistent matrix is an error) or not.
pub fn with_correlations(mut p: Project, correlations: &[(&[&str], f64)], strict: bool) -> Project {
    p.correlations = correlations
        .iter()
        .enumerate()
        .map(|(i, (ids, c))| Correlation {
            tasks: ids.iter().map(|s| s.to_string()).collect(),
            coefficient: *c,
            file: PathBuf::from("correlations.csv"),
            line: i + 2,
        })
        .collect();
    p.strict_correlation = strict;
    p
}

/// `p`, after asserting that validation finds nothing.
pub fn valid(p: Project) -> Project {
    let problems = model::validate(&p);
    assert!(problems.is_empty(), "invalid test project: {problems:?}");
    p
}

/// Validates (must be clean) and compiles.
pub fn compile(p: &Project) -> CompiledPlan {
    let problems = model::validate(p);
    assert!(problems.is_empty(), "invalid test project: {problems:?}");
    CompiledPlan::compile(p)
}

/// `n` iterations of the standard collectors with `seed`.
pub fn run(plan: &CompiledPlan, n: usize, seed: u64) -> Simulation {
    engine::run(plan, &RunSpec::new(n, seed), &Standard)
}

/// Sample mean.
pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Sample mean and (unbiased) variance.
pub fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let m = mean(x);
    (
        m,
        x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n - 1.0),
    )
}

/// The tolerance of a sample mean of `n` draws with variance `variance`: Z standard errors.
pub fn mean_tolerance(variance: f64, n: usize) -> f64 {
    Z * (variance / n as f64).sqrt()
}

/// The tolerance of an estimated probability `p` from `n` draws: Z binomial standard errors,
/// plus 1/n for the granularity of a count.
pub fn probability_tolerance(p: f64, n: usize) -> f64 {
    Z * (p * (1.0 - p) / n as f64).sqrt() + 1.0 / n as f64
}

/// The p80 binary of this build, as a command to run.
pub fn p80() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("p80").expect("the p80 binary is built")
}

/// A path under the repository's data/ folder.
pub fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(rel)
}
