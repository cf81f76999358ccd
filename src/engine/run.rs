//! The engine's entry point: [`run`] simulates a run specification's iterations in parallel,
//! chunk by chunk, and returns what its collectors collected.
//!
//! Iterations are processed in chunks of `lanes` iterations aligned at multiples of `lanes`.
//! Within a chunk the plan is walked once forward in topological order and, when a collector
//! needs criticality, once backward. Memory is O(tasks × lanes) per worker plus the
//! collectors' per-iteration slots: never O(tasks × iterations).
//!
//! Guarantees: results depend only on the plan, the specification and the collectors; never
//! on the thread count or on scheduling (random numbers are a function of (seed, task id,
//! iteration), per-iteration results go to fixed slots, and accumulators merge exactly).

use std::ops::Range;
use std::sync::Mutex;

use rayon::prelude::*;

use super::collect::trace::{Trace, TraceLane};
use super::collect::{Collector, Finish, Slots};
use super::draws::{Source, Streams};
use super::isa::Isa;
use super::plan::CompiledPlan;
use super::spec::{RunSpec, Sampling};
use super::worker::Worker;

/// Runs `spec`'s iterations of `plan` on the current rayon pool and returns what `collector`
/// collected (a tuple of collectors returns a tuple of outputs).
pub fn run<C: Collector>(plan: &CompiledPlan, spec: &RunSpec, collector: &C) -> C::Output {
    gather(plan, spec, collector).finish(plan, spec, collector)
}

/// What a run gathered before its collectors finish: the merged accumulator and the
/// per-iteration slots of `range`. Gathered ranges of one run merge exactly (shards): see
/// [`super::shard`]. Serializable so that a shard can be written to a file and merged on
/// another machine.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Gathered<A> {
    acc: A,
    slots: Vec<f64>,
    stride: usize,
    range: Range<usize>,
}

impl<A> Gathered<A> {
    /// The gathering of `self`'s range followed by `next`'s (which must start where `self`'s
    /// ends). Per-task sums add up bit for bit when the ranges split at a multiple of the
    /// chunk width.
    ///
    /// # Panics
    /// If the ranges are not adjacent or the slot strides differ (check before merging).
    pub fn merge<C: Collector<Acc = A>>(mut self, next: Gathered<A>, collector: &C) -> Self {
        assert_eq!(self.range.end, next.range.start, "ranges must be adjacent");
        assert_eq!(self.stride, next.stride, "gathered by the same collectors");
        collector.merge(&mut self.acc, next.acc);
        self.slots.extend(next.slots);
        self.range.end = next.range.end;
        self
    }

    /// Whether the slots are what `collector` gathers on `plan` for the range (a check on
    /// state read from a file before merging it).
    pub fn fits<C: Collector<Acc = A>>(&self, plan: &CompiledPlan, collector: &C) -> bool {
        let stride = collector.slots(plan).max(1);
        self.stride == stride && self.slots.len() == self.range.len() * stride
    }

    /// The iterations gathered.
    pub fn range(&self) -> Range<usize> {
        self.range.clone()
    }

    /// The collectors' output (`spec` describes the run; the gathered range replaces its
    /// range). Gathering everything then finishing is exactly [`run`].
    pub fn finish<C: Collector<Acc = A>>(
        self,
        plan: &CompiledPlan,
        spec: &RunSpec,
        collector: &C,
    ) -> C::Output {
        let spec = spec.with_range(self.range.clone());
        let run = Finish {
            plan,
            spec: &spec,
            data: &self.slots,
            stride: self.stride,
            offset: 0,
        };
        collector.finish(self.acc, &run)
    }
}

/// Runs `spec`'s iterations (its range only) and merges the workers' accumulators: the
/// partial run of a shard. Finish it, or merge it with the adjacent ranges first.
pub fn gather<C: Collector>(
    plan: &CompiledPlan,
    spec: &RunSpec,
    collector: &C,
) -> Gathered<C::Acc> {
    let needs = collector.needs();
    let lanes = spec.chunk_lanes(plan, needs);
    let slotted = spec.slotted(plan, needs);
    let isa = spec.isa();
    let streams = Streams::new(plan, spec.seed());
    let designs = (spec.sampling() == Sampling::LatinHypercube).then(|| spec.designs());
    // A padding slot when there are none: chunks of the slot buffer pace the loop.
    let stride = collector.slots(plan).max(1);
    let range = spec.iterations();
    let mut slots = vec![0.0; range.len() * stride];
    // Chunk k covers iterations [k·lanes, (k + 1)·lanes) ∩ range.
    let head = ((range.start / lanes + 1) * lanes).min(range.end) - range.start;
    let (head_slots, rest_slots) = slots.split_at_mut(head * stride);
    let chunks = 1 + range.len().saturating_sub(head).div_ceil(lanes);
    let threads = rayon::current_num_threads();
    let min_len = if collector.large_accumulator() {
        chunks.div_ceil(threads)
    } else {
        chunks / (threads * 8)
    }
    .max(1);
    // Workers whose share is done, each with its accumulator, for the next share: a worker's
    // rows (megabytes on large plans) are allocated once per thread rather than once per
    // share (about 16 per thread), and they carry nothing from one chunk to the next (see
    // `Worker::run_chunk`). The accumulator goes on summing the next share (merges are exact
    // and order-independent), so one is alive per thread and they are merged once at the end:
    // at 100,000 tasks nine blocks of 2.4 MB (one per pending share) became two.
    let idle: Mutex<Vec<(Worker, C::Acc)>> = Mutex::new(Vec::new());
    rayon::iter::once(head_slots)
        .chain(rest_slots.par_chunks_mut(lanes * stride))
        .enumerate()
        .with_min_len(min_len)
        .fold(
            || {
                let spare = idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
                spare.unwrap_or_else(|| {
                    let worker = Worker::new(plan, &streams, lanes, needs, slotted, designs, isa);
                    (worker, collector.start(plan, lanes))
                })
            },
            |(mut worker, mut acc), (k, chunk_slots)| {
                let m = chunk_slots.len() / stride;
                if m > 0 {
                    let first = if k == 0 {
                        range.start
                    } else {
                        range.start + head + (k - 1) * lanes
                    };
                    let src = Source::Sampled {
                        first: first as u64,
                    };
                    let mut slots = Slots::new(chunk_slots, stride);
                    worker.run_chunk(src, m, collector, &mut acc, &mut slots);
                    spec.report_progress(m);
                }
                (worker, acc)
            },
        )
        .for_each(|done| idle.lock().unwrap_or_else(|e| e.into_inner()).push(done));
    let mut accs = idle
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|(_, acc)| acc);
    let mut acc = accs.next().unwrap_or_else(|| collector.start(plan, lanes));
    for other in accs {
        collector.merge(&mut acc, other);
    }
    Gathered {
        acc,
        slots,
        stride,
        range,
    }
}

/// One lane of `plan` with `durations` given by position: the deterministic schedule's early
/// dates and exact criticality, computed by the very passes the simulation uses.
pub(crate) fn trace(plan: &CompiledPlan, durations: &[f64]) -> Trace {
    let streams = Streams::none();
    let collector = TraceLane;
    let mut worker = Worker::new(
        plan,
        &streams,
        1,
        collector.needs(),
        false,
        None,
        Isa::Baseline,
    );
    let mut acc = collector.start(plan, 1);
    let mut none = [0.0];
    let mut slots = Slots::new(&mut none, 1);
    worker.run_chunk(
        Source::Given(durations),
        1,
        &collector,
        &mut acc,
        &mut slots,
    );
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::collect::Standard;
    use crate::engine::test_plans::pert_project;

    /// Thirty PERT tasks, each after one or two earlier ones.
    fn project() -> crate::model::Project {
        pert_project(30, |i| match i {
            0 => vec![],
            1 => vec![0],
            _ => vec![i - 1, i / 2],
        })
    }

    /// Shards: two ranges split at a multiple of the chunk width, gathered separately and
    /// merged, give exactly the full run, per-task sums and counts included.
    #[test]
    fn gathered_ranges_merge_into_the_full_run() {
        let plan = CompiledPlan::compile(&project());
        for sampling in [Sampling::Random, Sampling::LatinHypercube] {
            let spec = RunSpec::new(1_000, 9)
                .with_sampling(sampling)
                .with_lanes(24);
            let full = run(&plan, &spec, &Standard);
            for a in [0, 24, 480, 984, 1_000] {
                let head = gather(&plan, &spec.with_range(0..a), &Standard);
                let tail = gather(&plan, &spec.with_range(a..1_000), &Standard);
                let merged = head.merge(tail, &Standard).finish(&plan, &spec, &Standard);
                assert_eq!(merged, full, "{sampling:?} split at {a}");
            }
        }
    }
}
