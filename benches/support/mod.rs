//! What the hand-timed benches (`isa`, `lanes`) share: run specifications timed run after run
//! in turn, so that a noisy host slows each of them alike, and the order statistics printed.

use std::time::Instant;

use p80::engine::{self, CompiledPlan, RunSpec, Standard};

/// The times in seconds of `rounds` runs of each spec on `plan` with the `Standard`
/// collectors, taken in turn on `threads` threads: `times[k]` are spec `k`'s, sorted.
pub fn in_turn(
    plan: &CompiledPlan,
    specs: &[RunSpec],
    rounds: usize,
    threads: usize,
) -> Vec<Vec<f64>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let mut times = vec![Vec::new(); specs.len()];
    pool.install(|| {
        for _ in 0..rounds {
            for (k, spec) in specs.iter().enumerate() {
                let t = Instant::now();
                std::hint::black_box(engine::run(plan, spec, &Standard));
                times[k].push(t.elapsed().as_secs_f64());
            }
        }
    });
    for t in &mut times {
        t.sort_by(f64::total_cmp);
    }
    times
}
