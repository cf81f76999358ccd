//! Engine benchmarks: the compiled plan simulated on generated layered networks (the same
//! shape as ../shared/bench/gen_network.py), per size and per distribution, with each feature
//! that takes its own path (levelling, correlation, Latin hypercube, risks with uncertain costs
//! and rates), plus the whole pipeline minus file I/O. Run with `cargo bench --bench engine`;
//! see BENCHMARKS.md.

use divan::{black_box, Bencher};
use p80::engine::{self, CompiledPlan, RunSpec, Sampling, Simulation, Standard};
use p80::model::{
    Assignment, Correlation, Distribution, Estimate, Link, Project, RateUnit, Resource, Risk,
    RiskKind, Task,
};

fn main() {
    divan::main();
}

/// A layered network like gen_network.py: ~sqrt(n) layers, 1-3 predecessors per task.
fn network(n: usize, dist: Distribution) -> Project {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |k: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % k
    };
    let layers = ((n as f64).sqrt().round() as usize).max(2);
    let mut tasks = Vec::with_capacity(n);
    let mut layer_start = vec![0usize];
    for i in 0..n {
        let layer = i * layers / n;
        if layer + 1 > layer_start.len() {
            layer_start.push(i);
        }
        let o = 1.0 + next(10) as f64;
        let m = o + next(11) as f64;
        let p = m + 1.0 + next(20) as f64;
        let mut deps: Vec<Link> = Vec::new();
        if layer > 0 {
            let (a, b) = (layer_start[layer - 1], layer_start[layer]);
            deps.push(Link::fs(&format!("T{}", a + next((b - a) as u64) as usize)));
            for _ in 0..next(3) {
                let d = Link::fs(&format!("T{}", next(b as u64)));
                if !deps.contains(&d) {
                    deps.push(d);
                }
            }
        }
        let estimate = Estimate::new(o, m, p, dist).expect("valid estimate");
        tasks.push(Task::plain(format!("T{i}"), estimate, deps, i + 2));
    }
    Project::of_tasks("bench", tasks, "bench.csv".into())
}

const ITERATIONS: usize = 10_000;

/// Task-samples per second = tasks × iterations / time (divan reports items/s).
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 5, sample_size = 1)]
fn pert_network(bencher: Bencher, n: usize) {
    pert_network_with(bencher, n, false);
}

/// [`pert_network`] with the hot loop's baseline copy even where the CPU has x86-64-v3
/// (`RunSpec::baseline_isa`): what the second copy gains, in one window.
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 5, sample_size = 1)]
fn pert_network_baseline_isa(bencher: Bencher, n: usize) {
    pert_network_with(bencher, n, true);
}

/// `n` PERT tasks × 10,000 iterations (1,000 from 100,000 tasks), seed 1, with the baseline
/// copy of the hot loop when `baseline`.
fn pert_network_with(bencher: Bencher, n: usize, baseline: bool) {
    let plan = CompiledPlan::compile(&network(n, Distribution::Pert));
    let iterations = if n >= 100_000 { 1_000 } else { ITERATIONS };
    let spec = RunSpec::new(iterations, 1);
    let spec = if baseline { spec.baseline_isa() } else { spec };
    bencher
        .counter(divan::counter::ItemsCount::new(n * iterations))
        .bench(|| black_box(engine::run(&plan, &spec, &Standard)));
}

#[divan::bench(args = ["pert", "triangular", "uniform", "fixed"], sample_count = 5, sample_size = 1)]
fn per_distribution(bencher: Bencher, dist: &str) {
    let d = Distribution::parse(dist).expect("known distribution");
    let plan = CompiledPlan::compile(&network(10_000, d));
    bencher
        .counter(divan::counter::ItemsCount::new(10_000 * ITERATIONS))
        .bench(|| black_box(run(&plan, ITERATIONS, Sampling::Random)));
}

/// Single-threaded, for the scaling ratio (compare with `pert_network(10000)` on all cores).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn pert_10k_one_thread(bencher: Bencher) {
    let plan = CompiledPlan::compile(&network(10_000, Distribution::Pert));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("pool");
    bencher
        .counter(divan::counter::ItemsCount::new(10_000 * ITERATIONS))
        .bench(|| pool.install(|| black_box(run(&plan, ITERATIONS, Sampling::Random))));
}

/// Compile + deterministic schedule + simulate + summarise for 10k tasks (no file I/O).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn pipeline_10k(bencher: Bencher) {
    let project = network(10_000, Distribution::Pert);
    bencher.bench(|| {
        let plan = CompiledPlan::compile(&project);
        let sched = p80::engine::deterministic(&plan);
        let sim = run(&plan, ITERATIONS, Sampling::Random);
        black_box(p80::stats::Report::new(&project, &sched, &sim, 1, 0.8))
    });
}

/// One run of `plan` with `sampling` (seed 1) on the current pool.
fn run(plan: &CompiledPlan, iterations: usize, sampling: Sampling) -> Simulation {
    engine::run(
        plan,
        &RunSpec::new(iterations, 1).with_sampling(sampling),
        &Standard,
    )
}

/// A deterministic pick in `0..k` for bench fixtures (xorshift; the fixtures only need to be
/// fixed, not random).
struct Pick(u64);
impl Pick {
    fn below(&mut self, k: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % k as u64) as usize
    }
}

fn resource(id: &str, rate: f64, capacity: Option<f64>, rate_range: Option<Estimate>) -> Resource {
    Resource {
        id: id.into(),
        name: String::new(),
        rate,
        unit: RateUnit::Day,
        hours_per_day: 8.0,
        capacity,
        rate_range,
        billing: p80::model::Billing::Task,
        available_from: None,
        available_until: None,
        line: 2,
    }
}

/// The network with every task on one of two capacitated resources (3 and 2 units) or none:
/// every iteration is levelled by the serial schedule-generation scheme.
fn levelled(n: usize) -> Project {
    let mut p = network(n, Distribution::Pert);
    let mut pick = Pick(11);
    for t in &mut p.tasks {
        t.resources = match pick.below(5) {
            0 => vec![],
            1 => vec![Assignment {
                resource: "dev".into(),
                units: 2.0,
            }],
            2 => vec![Assignment {
                resource: "ops".into(),
                units: 1.0,
            }],
            _ => vec![Assignment {
                resource: "dev".into(),
                units: 1.0,
            }],
        };
    }
    p.resources = vec![
        resource("dev", 600.0, Some(3.0), None),
        resource("ops", 500.0, Some(2.0), None),
    ];
    p
}

/// The network with disjoint groups of four tasks correlated at 0.5 (a Gaussian copula per
/// group), covering `share` of the tasks.
fn correlated(n: usize, share: f64) -> Project {
    let mut p = network(n, Distribution::Pert);
    let groups = (n as f64 * share / 4.0) as usize;
    let stride = n / groups.max(1);
    p.correlations = (0..groups)
        .map(|g| Correlation {
            tasks: (0..4).map(|k| format!("T{}", g * stride + k)).collect(),
            coefficient: 0.5,
            file: "project.toml".into(),
            line: g + 1,
        })
        .collect();
    p
}

/// The network with 20 risks (events and drivers, each affecting 10 tasks, with costs), a
/// three-point fixed cost on every fifth task and one resource with an uncertain rate.
fn risky(n: usize) -> Project {
    let mut p = network(n, Distribution::Pert);
    let mut pick = Pick(5);
    for (i, t) in p.tasks.iter_mut().enumerate() {
        t.resources = vec![Assignment {
            resource: if i % 2 == 0 { "dev" } else { "ops" }.into(),
            units: 1.0,
        }];
        if i % 5 == 0 {
            t.cost_range = Some(Box::new(
                Estimate::new(100.0, 200.0, 500.0, Distribution::Pert).expect("cost"),
            ));
        }
    }
    p.resources = vec![
        resource(
            "dev",
            600.0,
            None,
            Some(Estimate::new(500.0, 600.0, 800.0, Distribution::Pert).expect("rate")),
        ),
        resource("ops", 500.0, None, None),
    ];
    p.risks = (0..20)
        .map(|k| {
            let event = k % 2 == 1;
            Risk {
                id: format!("r{k}"),
                name: String::new(),
                probability: 0.3,
                kind: if event {
                    RiskKind::Event
                } else {
                    RiskKind::Driver
                },
                impact: if event {
                    Estimate::new(2.0, 4.0, 9.0, Distribution::Pert)
                } else {
                    Estimate::new(0.95, 1.05, 1.3, Distribution::Pert)
                }
                .expect("impact"),
                cost: Some(
                    Estimate::new(1000.0, 1000.0, 1000.0, Distribution::Fixed).expect("cost"),
                ),
                affects: (0..10)
                    .map(|_| format!("T{}", pick.below(n)))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                line: k + 2,
            }
        })
        .collect();
    p
}

/// Resource levelling in every iteration (serial SGS on 500 tasks, two capacitated resources).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn levelled_500(bencher: Bencher) {
    let plan = CompiledPlan::compile(&levelled(500));
    assert!(plan.is_levelled());
    bencher
        .counter(divan::counter::ItemsCount::new(500usize * 1_000))
        .bench(|| black_box(run(&plan, 1_000, Sampling::Random)));
}

/// Correlated durations: 10k tasks, 10% of them in groups of four (Gaussian copula).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn correlated_10k(bencher: Bencher) {
    let plan = CompiledPlan::compile(&correlated(10_000, 0.1));
    bencher
        .counter(divan::counter::ItemsCount::new(10_000 * ITERATIONS))
        .bench(|| black_box(run(&plan, ITERATIONS, Sampling::Random)));
}

/// Latin hypercube sampling on 1k tasks.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn latin_hypercube_1k(bencher: Bencher) {
    let plan = CompiledPlan::compile(&network(1_000, Distribution::Pert));
    bencher
        .counter(divan::counter::ItemsCount::new(1_000 * ITERATIONS))
        .bench(|| black_box(run(&plan, ITERATIONS, Sampling::LatinHypercube)));
}

/// A risk register (20 events and drivers), uncertain fixed costs and an uncertain rate on
/// 10k tasks.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn risks_and_costs_10k(bencher: Bencher) {
    let plan = CompiledPlan::compile(&risky(10_000));
    bencher
        .counter(divan::counter::ItemsCount::new(10_000 * ITERATIONS))
        .bench(|| black_box(run(&plan, ITERATIONS, Sampling::Random)));
}
