//! The worker's x86-64-v3 copy against its baseline copy (`RunSpec::baseline_isa`), run after
//! run in turn in one process, so that a noisy host slows both alike (divan runs one bench's
//! samples together, and on this shared machine two such series differed by up to 40%).
//!
//!   cargo bench --bench isa -- NETWORK.csv ITERATIONS ROUNDS [THREADS]
//!
//! NETWORK.csv: e.g. from ../shared/bench/gen_network.py. Prints the minimum, first quartile
//! and median time of each copy, and task-samples per second.

mod support;

use std::path::Path;

use p80::engine::{CompiledPlan, RunSpec};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [path, iterations, rounds, rest @ ..] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench isa -- NETWORK.csv ITERATIONS ROUNDS [THREADS]");
        return;
    };
    let iterations: usize = iterations.parse().expect("ITERATIONS is a number");
    let rounds: usize = rounds.parse().expect("ROUNDS is a number");
    let threads: usize = rest
        .first()
        .map_or(1, |t| t.parse().expect("THREADS is a number"));
    let loaded = p80::input::load(Path::new(path)).expect("a valid plan");
    let plan = CompiledPlan::compile(&loaded.project);
    let copies = [
        ("avx-512", RunSpec::new(iterations, 1)),
        ("x86-64-v3", RunSpec::new(iterations, 1).without_avx512()),
        ("baseline", RunSpec::new(iterations, 1).baseline_isa()),
    ];
    let specs: Vec<RunSpec> = copies.iter().map(|&(_, spec)| spec).collect();
    let times = support::in_turn(&plan, &specs, rounds, threads);
    let samples = (plan.len() * iterations) as f64;
    println!(
        "{} tasks × {iterations} iterations, {threads} thread(s), {rounds} rounds",
        plan.len()
    );
    for (k, &(name, _)) in copies.iter().enumerate() {
        let t = &times[k];
        let (min, q1, med) = (t[0], t[t.len() / 4], t[t.len() / 2]);
        println!(
            "{name:10} min {min:.4} s  q1 {q1:.4} s  median {med:.4} s  ({:.0} M task-samples/s at the median)",
            samples / med / 1e6
        );
    }
}
