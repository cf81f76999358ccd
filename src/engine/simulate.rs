//! The parallel Monte Carlo loop.
//!
//! Iterations are processed in chunks of `lanes` iterations. Within a chunk the plan is walked
//! once forward in topological order — each task's finish for every lane is
//! `max(predecessors' finishes) + sampled duration`, a tight pass over contiguous rows — and once
//! backward to mark the tasks on a longest path. Memory is O(tasks × lanes) per worker plus
//! O(iterations) for the results: never O(tasks × iterations).
//!
//! Guarantees: results depend only on the plan, the seed and the iteration count; never on the
//! thread count or on scheduling (random numbers are a function of (seed, task id, iteration),
//! and per-task sums are accumulated in fixed point, whose addition is associative).

use rayon::prelude::*;

use super::plan::CompiledPlan;
use super::rng;

/// What one simulation produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// Project duration (working days) of each iteration, in iteration order.
    pub durations: Vec<f64>,
    /// Project cost of each iteration, in iteration order.
    pub costs: Vec<f64>,
    /// Mean sampled duration of each task, indexed like `Project::tasks`.
    pub mean_duration: Vec<f64>,
    /// Fraction of iterations in which each task lay on a longest path (zero total float; every
    /// task on every tied longest path counts), indexed like `Project::tasks`.
    pub criticality: Vec<f64>,
}

/// Fixed-point scale for per-task duration sums (2^20 per working day: a chunk's sum fits in
/// u64 up to 1.7e13 working days; truncation loses < 1e-6 day per chunk).
const FIXED_SCALE: f64 = 1_048_576.0;

/// The chunk width used for a plan of `tasks` tasks: wide enough to amortise the per-task
/// overhead (loading its sampler and predecessor list), narrow enough that a worker's rows
/// (~5 MiB of finish times) stay in the shared cache. Measured on the reference machine
/// (BENCHMARKS.md): 64 lanes beat 24 by 10% on 10,000 tasks.
pub fn lanes_for(tasks: usize) -> usize {
    let budget = (5usize << 20) / 8; // ~5 MiB of finish times per worker
    (budget / tasks.max(1)).clamp(8, 256) / 8 * 8
}

/// Runs `iterations` iterations of `plan` with `seed` on the current rayon pool.
/// `progress` is called with the number of iterations each finished chunk completed.
pub fn simulate(
    plan: &CompiledPlan,
    iterations: usize,
    seed: u64,
    progress: &(dyn Fn(usize) + Sync),
) -> Simulation {
    simulate_with_lanes(plan, iterations, seed, lanes_for(plan.len()), progress)
}

/// [`simulate`] with an explicit chunk width (for benchmarks and tests). The samples do not
/// depend on `lanes`; per-task means may differ in the last bits.
pub fn simulate_with_lanes(
    plan: &CompiledPlan,
    iterations: usize,
    seed: u64,
    lanes: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Simulation {
    let n = plan.len();
    let lanes = lanes.max(1);
    let keys: Vec<u64> = plan
        .ids
        .iter()
        .map(|id| rng::stream_key(seed, id, 0))
        .collect();
    let mut durations = vec![0.0; iterations];
    let mut costs = vec![0.0; iterations];
    let chunks = iterations.div_ceil(lanes);
    let min_len = (chunks / (rayon::current_num_threads() * 8)).max(1);
    let totals = durations
        .par_chunks_mut(lanes)
        .zip(costs.par_chunks_mut(lanes))
        .enumerate()
        .with_min_len(min_len)
        .fold(
            || Worker::new(plan, &keys, lanes),
            |mut w, (ci, (d, c))| {
                w.run((ci * lanes) as u64, d, c);
                progress(d.len());
                w
            },
        )
        .map(|w| Totals {
            sum_fixed: w.sum_fixed,
            critical: w.critical,
        })
        .reduce(|| Totals::zero(n), Totals::merge);

    let it = iterations.max(1) as f64;
    let mut mean_duration = vec![0.0; n];
    let mut criticality = vec![0.0; n];
    for (pos, &task) in plan.order.iter().enumerate() {
        mean_duration[task] = totals.sum_fixed[pos] as f64 / FIXED_SCALE / it;
        criticality[task] = totals.critical[pos] as f64 / it;
    }
    Simulation {
        durations,
        costs,
        mean_duration,
        criticality,
    }
}

/// Per-task totals, merged across workers by integer addition (order-independent).
struct Totals {
    sum_fixed: Vec<u128>,
    critical: Vec<u64>,
}

impl Totals {
    fn zero(n: usize) -> Self {
        Totals {
            sum_fixed: vec![0; n],
            critical: vec![0; n],
        }
    }

    fn merge(mut self, other: Totals) -> Self {
        for (a, b) in self.sum_fixed.iter_mut().zip(other.sum_fixed) {
            *a += b;
        }
        for (a, b) in self.critical.iter_mut().zip(other.critical) {
            *a += b;
        }
        self
    }
}

/// One worker's scratch space (O(tasks × lanes)) and running totals.
struct Worker<'p> {
    plan: &'p CompiledPlan,
    keys: &'p [u64],
    lanes: usize,
    finish: Vec<f64>,
    crit: Vec<u8>,
    start: Vec<f64>,
    cost: Vec<f64>,
    end: Vec<f64>,
    sum_fixed: Vec<u128>,
    critical: Vec<u64>,
}

#[inline(always)]
fn fmax(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// Sum with four accumulators (deterministic for a given length, and not latency-bound).
#[inline]
fn sum4(x: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let mut chunks = x.chunks_exact(4);
    for c in &mut chunks {
        for k in 0..4 {
            acc[k] += c[k];
        }
    }
    let tail: f64 = chunks.remainder().iter().sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

impl<'p> Worker<'p> {
    fn new(plan: &'p CompiledPlan, keys: &'p [u64], lanes: usize) -> Self {
        let n = plan.len();
        Worker {
            plan,
            keys,
            lanes,
            finish: vec![0.0; n * lanes],
            crit: vec![0; n * lanes],
            start: vec![0.0; lanes],
            cost: vec![0.0; lanes],
            end: vec![0.0; lanes],
            sum_fixed: vec![0; n],
            critical: vec![0; n],
        }
    }

    /// Start times (max of predecessors' finishes) of `pos` for the first `m` lanes, into `start`.
    #[inline(always)]
    fn starts(finish: &[f64], preds: &[u32], w: usize, m: usize, start: &mut [f64]) {
        let (&p0, more) = preds.split_first().expect("caller checks for predecessors");
        start[..m].copy_from_slice(&finish[p0 as usize * w..][..m]);
        for &p in more {
            let f = &finish[p as usize * w..][..m];
            for (s, &x) in start[..m].iter_mut().zip(f) {
                *s = fmax(*s, x);
            }
        }
    }

    /// Simulates iterations `first .. first + dur_out.len()`.
    fn run(&mut self, first: u64, dur_out: &mut [f64], cost_out: &mut [f64]) {
        let plan = self.plan;
        let (w, m, n) = (self.lanes, dur_out.len(), plan.len());
        let cost = &mut self.cost[..m];
        cost.fill(0.0);

        // Forward pass: finish = max(predecessors' finishes) + duration.
        for pos in 0..n {
            let (done, rest) = self.finish.split_at_mut(pos * w);
            let row = &mut rest[..m];
            plan.samplers[pos].fill(&plan.pert_rows, self.keys[pos], first, row);
            // Truncation toward zero of a non-negative sum: one instruction, deterministic.
            self.sum_fixed[pos] += u128::from((sum4(row) * FIXED_SCALE) as u64);
            let k = plan.cost_per_day[pos];
            if k != 0.0 {
                for (c, &d) in cost.iter_mut().zip(row.iter()) {
                    *c += k * d;
                }
            }
            // finish = duration + max over predecessors, without a scratch copy for the
            // common cases of one and two predecessors.
            match *plan.preds_of(pos) {
                [] => {}
                [a] => {
                    let fa = &done[a as usize * w..][..m];
                    for (r, &x) in row.iter_mut().zip(fa) {
                        *r += x;
                    }
                }
                [a, b] => {
                    let (fa, fb) = (&done[a as usize * w..][..m], &done[b as usize * w..][..m]);
                    for ((r, &x), &y) in row.iter_mut().zip(fa).zip(fb) {
                        *r += fmax(x, y);
                    }
                }
                ref preds => {
                    Self::starts(done, preds, w, m, &mut self.start);
                    for (r, &s) in row.iter_mut().zip(&self.start[..m]) {
                        *r += s;
                    }
                }
            }
        }

        // Project end: the latest sink.
        let end = &mut self.end[..m];
        end.fill(0.0);
        for &s in &plan.sinks {
            for (e, &f) in end.iter_mut().zip(&self.finish[s as usize * w..][..m]) {
                *e = fmax(*e, f);
            }
        }

        // Backward pass: a sink finishing at the end is critical; a predecessor whose finish
        // equals a critical task's start (bit for bit: the start is that very max) is critical.
        // Rows are all zero between chunks: each row is cleared once it has been counted, and
        // a row is complete when reached, since only later positions write into it.
        for &s in &plan.sinks {
            let s = s as usize;
            let f = &self.finish[s * w..][..m];
            for ((c, &f), &e) in self.crit[s * w..][..m].iter_mut().zip(f).zip(end.iter()) {
                *c = u8::from(f == e);
            }
        }
        for pos in (0..n).rev() {
            let (crit_before, crit_rest) = self.crit.split_at_mut(pos * w);
            let c = &mut crit_rest[..m];
            let count: u64 = c.iter().map(|&x| u64::from(x)).sum();
            if count == 0 {
                continue;
            }
            self.critical[pos] += count;
            let preds = plan.preds_of(pos);
            if !preds.is_empty() {
                Self::starts(&self.finish, preds, w, m, &mut self.start);
                for &p in preds {
                    let p = p as usize;
                    let f = &self.finish[p * w..][..m];
                    let cp = &mut crit_before[p * w..][..m];
                    for i in 0..m {
                        cp[i] |= c[i] & u8::from(f[i] == self.start[i]);
                    }
                }
            }
            c.fill(0);
        }

        dur_out.copy_from_slice(end);
        for (o, &c) in cost_out.iter_mut().zip(cost.iter()) {
            *o = plan.fixed_cost + c;
        }
    }
}
