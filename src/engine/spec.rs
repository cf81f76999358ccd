//! What one engine run does: which iterations of how many, with which seed and sampling.

use std::fmt;
use std::ops::Range;

pub use crate::model::Sampling;

use super::collect::Needs;
use super::isa::Isa;
use super::plan::CompiledPlan;

/// Latin hypercube runs are split into this many independent designs (replicates), so that
/// the spread between them gives an honest standard error (see [`RunSpec::replicates`] and
/// docs/accuracy.md). Ten replicates estimate a standard error to about ±24% (one standard
/// deviation of a standard deviation from 9 degrees of freedom), while each design keeps
/// a tenth of the iterations, enough for the stratification to remove nearly all of the
/// variance it can remove.
pub const LHS_REPLICATES: usize = 10;

/// A replicate of a Latin hypercube run has at least this many iterations (smaller runs get
/// fewer replicates).
pub const LHS_MIN_REPLICATE: usize = 2;

/// The chunk width used for a plan of `tasks` tasks: wide enough to amortise the per-task
/// overhead (loading its sampler and predecessor list), narrow enough that a worker's rows
/// (~5 MiB of finish times) stay in the shared cache. Measured on the reference machine
/// (BENCHMARKS.md): 64 lanes beat 24 by 10% on 10,000 tasks.
pub fn lanes_for(tasks: usize) -> usize {
    let budget = (5usize << 20) / 8; // ~5 MiB of finish times per worker
    (budget / tasks.max(1)).clamp(8, 256) / 8 * 8
}

/// Whether a worker keeps every task's rows (general networks, levelled plans, or a collector
/// reading starts and durations) rather than only the live finish rows of the plain path
/// ([`crate::engine::plan::Slotting`]).
pub(crate) fn keeps_rows(plan: &CompiledPlan, needs: Needs) -> bool {
    plan.network().is_general() || plan.is_levelled() || needs.rows
}

/// The bytes a slotted plain-path worker holds per lane, as [`Rows`](super::rows::Rows)
/// allocates them: live finish rows, and when criticality is collected a byte of marks per
/// slot and per sink, the tie marks and the last sink to raise the end; each task's cost when
/// collected. Until issue 15's fifth round the marks of slots and sinks were counted as a byte
/// per task (100,000 at 100k, where 25,098 slots and 18,705 sinks hold them).
fn plain_bytes_per_lane(plan: &CompiledPlan, needs: Needs) -> usize {
    let (n, sl) = (plan.len(), plan.slotting());
    let mut bytes = sl.slots() * 8 + 64;
    if needs.critical {
        bytes += sl.slots() + plan.network().sinks().len() + sl.mask_rows() + 4;
    }
    if needs.task_costs {
        bytes += n * 8;
    }
    bytes
}

/// The per-worker budget of the slotted plain path's rows. A fixed figure, not the cache size
/// of the machine at hand, because the chunk width fixes how per-task sums are rounded and
/// results must not depend on the machine. 15 MiB gives 48 lanes at 100,000 tasks (311,092
/// bytes a lane): two workers' rows (30 MB) no longer fit a 32 MiB shared L3 beside everything
/// else, but the per-task work of a chunk (about 590 instructions) is paid every 48 iterations
/// instead of every 32: faster than 32 lanes in each of seven windows in one process, by 3–13%
/// with 1 thread and 5–24% with 2 (minimum times, `cargo bench --bench lanes`, BENCHMARKS.md),
/// and 100k × 10k stays under 64 MB (59.9 MB). 64 lanes ran faster still but peaked at 70 MB.
const PLAIN_BUDGET: usize = 15 << 20;

/// Whether a plain-path worker keeps only live finish rows ([`crate::engine::plan::Slotting`]):
/// when keeping every task's finish would narrow chunks below 32 lanes (plans above 20,480
/// tasks). Smaller plans keep every row: the tie marks that slotting records for criticality
/// cost about 6 instructions per task and iteration (callgrind, 1,000 tasks), more than
/// wider chunks gain there.
pub(crate) fn slotted(plan: &CompiledPlan, needs: Needs) -> bool {
    !keeps_rows(plan, needs) && lanes_for(plan.len()) < 32
}

/// The chunk width of a run of `plan` for collectors needing `needs`: as many lanes (a
/// multiple of 8, from 8 to 256) as `PLAIN_BUDGET` holds when `slotted` (see `slotted`),
/// else [`lanes_for`].
pub fn chunk_width(plan: &CompiledPlan, needs: Needs, slotted: bool) -> usize {
    if !slotted {
        return lanes_for(plan.len());
    }
    (PLAIN_BUDGET / plain_bytes_per_lane(plan, needs)).clamp(8, 256) / 8 * 8
}

/// A run specification: iterations `range` out of a run of `total` iterations, drawn with
/// `seed` and `sampling`.
///
/// Guarantees: the result for an iteration depends only on the plan, the seed, the sampling,
/// the iteration's index and `total` (which fixes the Latin hypercube designs); never on the
/// range it is run in, the thread count or the chunk width. So the ranges `0..a` and `a..n`
/// give, iteration for iteration, the values of `0..n`. Per-task sums are accumulated per chunk
/// of [`RunSpec::chunk_lanes`] iterations aligned at multiples of it: ranges split at such
/// multiples also give sums that add up bit for bit.
#[derive(Clone, Copy)]
pub struct RunSpec<'a> {
    total: usize,
    range: (usize, usize),
    seed: u64,
    sampling: Sampling,
    lanes: Option<usize>,
    slotting: Option<bool>,
    isa: Isa,
    progress: Option<&'a (dyn Fn(usize) + Sync)>,
}

impl fmt::Debug for RunSpec<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunSpec")
            .field("total", &self.total)
            .field("range", &self.iterations())
            .field("seed", &self.seed)
            .field("sampling", &self.sampling)
            .field("lanes", &self.lanes)
            .field("isa", &self.isa)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl<'a> RunSpec<'a> {
    /// All `iterations` iterations of a plain Monte Carlo run with `seed`.
    pub fn new(iterations: usize, seed: u64) -> Self {
        RunSpec {
            total: iterations,
            range: (0, iterations),
            seed,
            sampling: Sampling::Random,
            lanes: None,
            slotting: None,
            isa: Isa::Avx512,
            progress: None,
        }
    }

    /// The same run with its hot loop compiled for the baseline instruction set even on a
    /// CPU that has x86-64-v3 (`engine::isa`). The results are the same bits either way; tests
    /// compare the two, and benches measure what the second copy gains.
    pub fn baseline_isa(mut self) -> Self {
        self.isa = Isa::Baseline;
        self
    }

    /// The same run with the x86-64-v3 copy of the hot loop but without its eight-lane AVX-512
    /// draws (`engine::sampler_wide`), even on a CPU that has them: the same bits, for tests
    /// and benches.
    pub fn without_avx512(mut self) -> Self {
        self.isa = self.isa.min(Isa::V3);
        self
    }

    /// The widest copy of the hot loop workers may take ([`Self::baseline_isa`],
    /// [`Self::without_avx512`]); each takes it only where the CPU has it (`Worker::new`).
    pub(crate) fn isa(&self) -> Isa {
        self.isa
    }

    /// The same run with `sampling`.
    pub fn with_sampling(mut self, sampling: Sampling) -> Self {
        self.sampling = sampling;
        self
    }

    /// Only iterations `range` of the run (e.g. one shard).
    ///
    /// # Panics
    /// If the range is decreasing or ends after the run's total.
    pub fn with_range(mut self, range: Range<usize>) -> Self {
        assert!(
            range.start <= range.end && range.end <= self.total,
            "iterations {range:?} are not within 0..{}",
            self.total
        );
        self.range = (range.start, range.end);
        self
    }

    /// An explicit chunk width (benchmarks and tests): it changes no iteration's values, only
    /// the last bits of per-task means.
    pub fn with_lanes(mut self, lanes: usize) -> Self {
        self.lanes = Some(lanes.max(1));
        self
    }

    /// Forces the plain path to keep only live finish rows (`true`) or every task's (`false`)
    /// whatever the plan's size (tests and benchmarks): it changes no value at a given chunk
    /// width. Plans that keep every row (general, levelled) ignore it.
    pub fn with_slotting(mut self, on: bool) -> Self {
        self.slotting = Some(on);
        self
    }

    /// Whether a plain-path worker keeps only live finish rows: the override, or [`slotted`].
    pub(crate) fn slotted(&self, plan: &CompiledPlan, needs: Needs) -> bool {
        match self.slotting {
            Some(on) => on && !keeps_rows(plan, needs),
            None => slotted(plan, needs),
        }
    }

    /// Calls `f` with the number of iterations each finished chunk completed (from worker
    /// threads).
    pub fn with_progress(mut self, f: &'a (dyn Fn(usize) + Sync)) -> Self {
        self.progress = Some(f);
        self
    }

    /// The run's total number of iterations.
    pub fn total(&self) -> usize {
        self.total
    }

    /// The iterations this run computes.
    pub fn iterations(&self) -> Range<usize> {
        self.range.0..self.range.1
    }

    /// The seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How durations are sampled.
    pub fn sampling(&self) -> Sampling {
        self.sampling
    }

    /// The chunk width for `plan` and collectors that need `needs`: the override, or
    /// [`chunk_width`].
    pub fn chunk_lanes(&self, plan: &CompiledPlan, needs: Needs) -> usize {
        let width = || chunk_width(plan, needs, self.slotted(plan, needs));
        self.lanes.unwrap_or_else(width).max(1)
    }

    pub(crate) fn report_progress(&self, done: usize) {
        if let Some(f) = self.progress {
            f(done);
        }
    }

    /// The number of independent Latin hypercube designs the run's `total` iterations are
    /// split into: [`LHS_REPLICATES`], fewer when a replicate would have fewer than
    /// [`LHS_MIN_REPLICATE`] iterations, and 1 for plain sampling (whose iterations are all
    /// independent).
    pub fn replicates(&self) -> usize {
        self.designs().count
    }

    /// The iterations of replicate `b`: `b·total/R .. (b + 1)·total/R`, R = [`Self::replicates`].
    pub fn replicate(&self, b: usize) -> Range<usize> {
        self.designs().range(b)
    }

    /// The replicate holding iteration `i`.
    pub fn replicate_of(&self, i: usize) -> usize {
        self.designs().of(i)
    }

    pub(crate) fn designs(&self) -> Designs {
        let count = match self.sampling {
            Sampling::Random => 1,
            Sampling::LatinHypercube => (self.total / LHS_MIN_REPLICATE).clamp(1, LHS_REPLICATES),
        };
        Designs {
            total: self.total,
            count,
        }
    }

    /// The Latin hypercube replicates intersected with this run's iterations, as ranges of
    /// indices into the run's per-iteration results; empty for plain sampling.
    pub fn replicate_ranges(&self) -> Vec<Range<usize>> {
        if self.sampling == Sampling::Random {
            return Vec::new();
        }
        let (a, b) = self.range;
        (0..self.replicates())
            .map(|k| self.replicate(k))
            .filter(|r| r.start < b && r.end > a)
            .map(|r| r.start.max(a) - a..r.end.min(b) - a)
            .collect()
    }
}

/// How a run's `total` iterations are split into `count` contiguous designs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Designs {
    total: usize,
    count: usize,
}

impl Designs {
    /// The iterations of design `b`.
    pub(crate) fn range(&self, b: usize) -> Range<usize> {
        let (n, r) = (self.total as u128, self.count as u128);
        let at = |k: u128| (k * n / r) as usize;
        at(b as u128)..at(b as u128 + 1)
    }

    /// The design holding iteration `i` (< total).
    #[inline]
    pub(crate) fn of(&self, i: usize) -> usize {
        // The largest b with b·n/R <= i, i.e. b < (i + 1)·R/n.
        let (n, r) = (self.total as u128, self.count as u128);
        (((i as u128 + 1) * r - 1) / n) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicates_tile_the_run() {
        for n in [1usize, 2, 3, 7, 19, 20, 21, 99, 1000, 4097] {
            let spec = RunSpec::new(n, 1).with_sampling(Sampling::LatinHypercube);
            let r = spec.replicates();
            assert!((1..=LHS_REPLICATES).contains(&r));
            let mut next = 0;
            for b in 0..r {
                let range = spec.replicate(b);
                assert_eq!(range.start, next, "n={n}");
                assert!(range.len() >= LHS_MIN_REPLICATE.min(n), "n={n}");
                for i in range.clone() {
                    assert_eq!(spec.replicate_of(i), b, "n={n} i={i}");
                }
                next = range.end;
            }
            assert_eq!(next, n);
            let part = spec.with_range(n / 3..n);
            let ranges = part.replicate_ranges();
            assert_eq!(ranges.iter().map(|r| r.len()).sum::<usize>(), n - n / 3);
        }
        assert_eq!(RunSpec::new(100, 1).replicates(), 1);
        assert!(RunSpec::new(100, 1).replicate_ranges().is_empty());
    }

    /// The chunk width's count of a slotted worker's bytes per lane covers what `Rows`
    /// allocates (so the budget bounds the memory) and is not looser than the 64 bytes it
    /// allows for the per-lane scratch (so the width is not narrower than it need be). A plan
    /// with long-lived rows, sinks among the tasks, and tasks of one to three predecessors.
    #[test]
    fn the_counted_bytes_are_the_rows_allocated() {
        use super::super::rows::Rows;
        use super::super::test_plans::pert_project;
        use crate::engine::collect::{Collector, Standard};
        let project = pert_project(400, |i| match i {
            0 => vec![],
            // Tasks 3, 7, 11, … lose their next task as successor: some end the project.
            _ if i % 4 == 0 => vec![i / 2],
            _ => {
                let mut preds = vec![i - 1];
                for k in 1..=i % 3 {
                    let far = (k * 131 + i * 17) % i;
                    if !preds.contains(&far) {
                        preds.push(far);
                    }
                }
                preds
            }
        });
        let plan = CompiledPlan::compile(&project);
        let sl = plan.slotting();
        let sinks = plan.network().sinks().len();
        assert!(
            sl.slots() > 10 && sl.mask_rows() > 10 && sinks > 10,
            "{} {} {sinks}",
            sl.slots(),
            sl.mask_rows()
        );
        let needs = Standard.needs();
        for needs in [
            needs,
            Needs {
                task_costs: true,
                ..needs
            },
            Needs {
                critical: false,
                ..needs
            },
        ] {
            for lanes in [8, 48] {
                let r = Rows::new(&plan, lanes, false, true, needs);
                let allocated = 8 * (r.finish.len() + r.tcost.len() + r.end.len() + r.cost.len())
                    + 8 * r.scratch.len()
                    + r.crit.len()
                    + r.sink_marks.len()
                    + r.mask.len()
                    + 4 * r.last_raise.len();
                let counted = plain_bytes_per_lane(&plan, needs) * lanes;
                assert!(
                    allocated <= counted,
                    "{needs:?} {lanes}: {allocated} > {counted}"
                );
                assert!(
                    counted - allocated <= 64 * lanes,
                    "{needs:?} {lanes}: {counted}"
                );
            }
        }
    }
}
