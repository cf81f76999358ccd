//! Chunk widths timed run after run in turn in one process (issue 15: "choosing the lane count
//! from the cache size"), so that a noisy host slows every width alike.
//!
//!   cargo bench --bench lanes -- NETWORK.csv ITERATIONS ROUNDS THREADS [WIDTH ...]
//!
//! NETWORK.csv: e.g. from ../shared/bench/gen_network.py. Times the plan's own width
//! (`default`, from `RunSpec::chunk_lanes`) and each WIDTH given (`RunSpec::with_lanes`; the
//! memory a width needs is not checked here), and prints the minimum and median time of each,
//! with task-samples per second at the minimum.

mod support;

use std::path::Path;

use p80::engine::{Collector, CompiledPlan, RunSpec, Standard};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [path, iterations, rounds, threads, widths @ ..] = args.as_slice() else {
        eprintln!(
            "usage: cargo bench --bench lanes -- NETWORK.csv ITERATIONS ROUNDS THREADS [WIDTH ...]"
        );
        return;
    };
    let iterations: usize = iterations.parse().expect("ITERATIONS is a number");
    let rounds: usize = rounds.parse().expect("ROUNDS is a number");
    let threads: usize = threads.parse().expect("THREADS is a number");
    let widths: Vec<usize> = widths
        .iter()
        .map(|w| w.parse().expect("each WIDTH is a number"))
        .collect();
    let loaded = p80::input::load(Path::new(path)).expect("a valid plan");
    let plan = CompiledPlan::compile(&loaded.project);
    let mut specs = vec![("default".to_string(), RunSpec::new(iterations, 1))];
    for &w in &widths {
        specs.push((w.to_string(), RunSpec::new(iterations, 1).with_lanes(w)));
    }
    let runs: Vec<RunSpec> = specs.iter().map(|(_, spec)| *spec).collect();
    let times = support::in_turn(&plan, &runs, rounds, threads);
    let own = RunSpec::new(iterations, 1).chunk_lanes(&plan, Standard.needs());
    let samples = (plan.len() * iterations) as f64;
    println!(
        "{} tasks × {iterations} iterations, {threads} thread(s), {rounds} rounds; the plan's own width is {own} lanes",
        plan.len()
    );
    for (k, (name, _)) in specs.iter().enumerate() {
        let t = &times[k];
        let (min, med) = (t[0], t[t.len() / 2]);
        println!(
            "{name:>8} lanes: min {min:.4} s  median {med:.4} s  ({:.0} M task-samples/s at the minimum)",
            samples / min / 1e6
        );
    }
}
