//! Engine benchmarks: the compiled plan simulated on generated layered networks (the same
//! shape as ../shared/bench/gen_network.py), per size and per distribution, plus the whole
//! pipeline minus file I/O. Run with `cargo bench --bench engine`; see BENCHMARKS.md.

use divan::{black_box, Bencher};
use p80::engine::{simulate, CompiledPlan};
use p80::model::{Distribution, Estimate, Link, Project, Task, TaskKind};

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
        tasks.push(Task {
            id: format!("T{i}"),
            name: String::new(),
            estimate: Estimate::new(o, m, p, dist).expect("valid estimate"),
            depends_on: deps,
            kind: TaskKind::Task,
            finish_with: vec![],
            resources: vec![],
            cost: 0.0,
            cost_range: None,
            effort: None,
            forecast: None,
            not_before: None,
            line: i + 2,
        });
    }
    Project {
        name: "bench".into(),
        currency: String::new(),
        tasks,
        resources: vec![],
        tasks_file: "bench.csv".into(),
        resources_file: None,
        risks: vec![],
        risks_file: None,
        correlations: vec![],
        strict_correlation: false,
        communication_overhead: 0.0,
        forecasts: vec![],
    }
}

const ITERATIONS: usize = 10_000;

/// Task-samples per second = tasks × iterations / time (divan reports items/s).
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 5, sample_size = 1)]
fn pert_network(bencher: Bencher, n: usize) {
    let plan = CompiledPlan::compile(&network(n, Distribution::Pert));
    let iterations = if n >= 100_000 { 1_000 } else { ITERATIONS };
    bencher
        .counter(divan::counter::ItemsCount::new(n * iterations))
        .bench(|| black_box(simulate(&plan, iterations, 1, &|_| {})));
}

#[divan::bench(args = ["pert", "triangular", "uniform", "fixed"], sample_count = 5, sample_size = 1)]
fn per_distribution(bencher: Bencher, dist: &str) {
    let d = Distribution::parse(dist).expect("known distribution");
    let plan = CompiledPlan::compile(&network(10_000, d));
    bencher
        .counter(divan::counter::ItemsCount::new(10_000 * ITERATIONS))
        .bench(|| black_box(simulate(&plan, ITERATIONS, 1, &|_| {})));
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
        .bench(|| pool.install(|| black_box(simulate(&plan, ITERATIONS, 1, &|_| {}))));
}

/// Compile + deterministic schedule + simulate + summarise for 10k tasks (no file I/O).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn pipeline_10k(bencher: Bencher) {
    let project = network(10_000, Distribution::Pert);
    bencher.bench(|| {
        let plan = CompiledPlan::compile(&project);
        let sched = p80::engine::deterministic(&plan);
        let sim = simulate(&plan, ITERATIONS, 1, &|_| {});
        black_box(p80::stats::Report::new(&project, &sched, &sim, 1, 0.8))
    });
}
