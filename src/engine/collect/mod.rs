//! Collectors: what a run measures. The engine walks the iterations chunk by chunk and hands
//! each collector what it produced; a collector keeps a running state (its accumulator) and
//! turns it into its output at the end.
//!
//! # Adding a statistic
//! Write one file here with a type implementing [`Collector`]:
//! - [`Collector::needs`]: what the worker must compute or keep for it ([`Needs`]). Start and
//!   duration rows are kept, and the backward pass run, only when some collector asks, so a
//!   plain run pays for nothing it does not collect.
//! - [`Collector::task`] sees each task's final durations for the chunk's lanes as the forward
//!   pass books them (per-task sums, demands, sensitivity);
//!   [`Collector::critical`] sees which lanes put a task on a longest path;
//!   [`Collector::chunk`] sees the finished chunk ([`Chunk`]: project duration and cost per
//!   lane, every task's finish, start and duration rows, risk occurrences) and may write
//!   [`Collector::slots`] values per iteration into fixed per-iteration slots.
//! - [`Collector::merge`] adds two workers' (or two shards') accumulators. It must be exact
//!   and order-independent — integers, fixed point, or per-iteration slots — so results never
//!   depend on the thread count and shards merge into exactly the single-machine answer.
//! - [`Collector::finish`] turns the merged accumulator and the slot columns into the output.
//! - [`Collector::large_accumulator`]: say so when an accumulator is O(tasks × something)
//!   (the drivers' bins): the run then keeps one accumulator per thread instead of one per
//!   load-balancing split.
//!
//! Then pass it to [`crate::engine::run`], alone or in a tuple with others (a tuple collects
//! everything its members collect, in one run, and returns a tuple of their outputs); an
//! `Option<C>` collects when it is `Some`.
//!
//! Calls are statically dispatched: the hooks of the collectors in a run are inlined into the
//! passes, and empty hooks cost nothing. Per-task and per-chunk hooks only; never per lane.
//! A collector that needs data from a first run (ranks of the project duration, bounds for a
//! histogram) is built from that run's output and given to a second run with the same
//! [`crate::engine::RunSpec`]: random numbers are a function of (seed, task, iteration), so the
//! second run sees exactly the draws of the first.

mod bounds;
mod criticality;
mod drivers;
mod mean_duration;
mod milestones;
mod outcomes;
mod profile;
mod reserves;
mod risk_occurrence;
mod standard;
pub(crate) mod trace;
mod view;

pub use bounds::{Bounds, TaskBounds};
pub use criticality::Criticality;
pub use drivers::{
    doubled_midranks, Drivers, TaskDrivers, DATE_BINS, DRIVER_PERCENTILES, RANK_BINS,
};
pub use mean_duration::{MeanDuration, FIXED_SCALE};
pub use milestones::{MilestoneSamples, Milestones};
pub use outcomes::{OutcomeSamples, Outcomes};
pub use profile::{Profile, ProfileBins, ResourceProfile};
pub use reserves::{ReserveSamples, Reserves, Scope};
pub use risk_occurrence::RiskOccurrence;
pub use standard::{Simulation, Standard};
pub use view::{Chunk, Finish, Slots};

use super::plan::CompiledPlan;

/// What a collector needs the worker to compute or keep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    /// Keep every task's start and duration rows (the plain path keeps only finishes, and
    /// overwrites durations with them).
    pub rows: bool,
    /// Run the backward pass that marks the tasks on a longest path.
    pub critical: bool,
    /// Keep each task's own cost per lane ([`Chunk::task_cost`]).
    pub task_costs: bool,
}

impl Needs {
    /// Nothing beyond finishes and the project's duration and cost.
    pub const NOTHING: Needs = Needs {
        rows: false,
        critical: false,
        task_costs: false,
    };

    /// Everything either needs.
    pub const fn union(self, other: Needs) -> Needs {
        Needs {
            rows: self.rows || other.rows,
            critical: self.critical || other.critical,
            task_costs: self.task_costs || other.task_costs,
        }
    }
}

/// A statistic gathered over a run's iterations. See the module documentation.
pub trait Collector: Sync {
    /// One worker's running state.
    type Acc: Send;
    /// What the run returns for this collector.
    type Output;

    /// What the worker must compute or keep for this collector.
    fn needs(&self) -> Needs {
        Needs::NOTHING
    }

    /// Number of `f64` values this collector stores per iteration.
    fn slots(&self, _plan: &CompiledPlan) -> usize {
        0
    }

    /// Whether an accumulator is large (say O(tasks × bins)): the run then splits its
    /// iterations into one contiguous share per thread, so that few accumulators exist at
    /// once, instead of the finer splits that balance the load.
    fn large_accumulator(&self) -> bool {
        false
    }

    /// A fresh, empty accumulator for a worker with chunks of `lanes` iterations.
    fn start(&self, plan: &CompiledPlan, lanes: usize) -> Self::Acc;

    /// Position `pos` has its final `durations` for the chunk's lanes (called in topological
    /// order, once per task and chunk, by the forward pass).
    #[inline(always)]
    fn task(&self, _acc: &mut Self::Acc, _pos: usize, _durations: &[f64]) {}

    /// Position `pos` has its final `finish` times for the chunk's lanes (levelled when the
    /// plan is levelled): called once per task and chunk, in topological order on the plain
    /// path (whose rows are reused, so [`Chunk::finish`] keeps only milestones), after the
    /// schedule is complete otherwise.
    #[inline(always)]
    fn finished(&self, _acc: &mut Self::Acc, _pos: usize, _finish: &[f64]) {}

    /// Position `pos` lies on a longest path in the `count` (> 0) lanes whose `marks` are 1
    /// (called by the backward pass when some collector [`Needs::critical`]).
    #[inline(always)]
    fn critical(&self, _acc: &mut Self::Acc, _pos: usize, _marks: &[u8], _count: u64) {}

    /// The chunk is complete (schedules levelled, costs summed).
    fn chunk(&self, _acc: &mut Self::Acc, _chunk: &Chunk, _slots: &mut Slots) {}

    /// Adds `other` into `acc`. Exact and order-independent.
    fn merge(&self, acc: &mut Self::Acc, other: Self::Acc);

    /// The output from the merged accumulator and this collector's slot columns.
    fn finish(&self, acc: Self::Acc, run: &Finish) -> Self::Output;
}

impl<C: Collector> Collector for Option<C> {
    type Acc = Option<C::Acc>;
    type Output = Option<C::Output>;

    fn needs(&self) -> Needs {
        self.as_ref().map_or(Needs::NOTHING, C::needs)
    }

    fn slots(&self, plan: &CompiledPlan) -> usize {
        self.as_ref().map_or(0, |c| c.slots(plan))
    }

    fn large_accumulator(&self) -> bool {
        self.as_ref().is_some_and(C::large_accumulator)
    }

    fn start(&self, plan: &CompiledPlan, lanes: usize) -> Self::Acc {
        self.as_ref().map(|c| c.start(plan, lanes))
    }

    #[inline(always)]
    fn task(&self, acc: &mut Self::Acc, pos: usize, durations: &[f64]) {
        if let (Some(c), Some(a)) = (self, acc) {
            c.task(a, pos, durations);
        }
    }

    #[inline(always)]
    fn finished(&self, acc: &mut Self::Acc, pos: usize, finish: &[f64]) {
        if let (Some(c), Some(a)) = (self, acc) {
            c.finished(a, pos, finish);
        }
    }

    #[inline(always)]
    fn critical(&self, acc: &mut Self::Acc, pos: usize, marks: &[u8], count: u64) {
        if let (Some(c), Some(a)) = (self, acc) {
            c.critical(a, pos, marks, count);
        }
    }

    fn chunk(&self, acc: &mut Self::Acc, chunk: &Chunk, slots: &mut Slots) {
        if let (Some(c), Some(a)) = (self, acc) {
            c.chunk(a, chunk, slots);
        }
    }

    fn merge(&self, acc: &mut Self::Acc, other: Self::Acc) {
        if let (Some(c), Some(a), Some(b)) = (self, acc, other) {
            c.merge(a, b);
        }
    }

    fn finish(&self, acc: Self::Acc, run: &Finish) -> Self::Output {
        match (self, acc) {
            (Some(c), Some(a)) => Some(c.finish(a, run)),
            _ => None,
        }
    }
}

/// Tuples collect what each member collects; member k's slots follow those of members < k.
macro_rules! tuple_collector {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: Collector),+> Collector for ($($name,)+) {
            type Acc = ($($name::Acc,)+);
            type Output = ($($name::Output,)+);

            fn needs(&self) -> Needs {
                Needs::NOTHING$(.union(self.$idx.needs()))+
            }

            fn slots(&self, plan: &CompiledPlan) -> usize {
                0 $(+ self.$idx.slots(plan))+
            }

            fn large_accumulator(&self) -> bool {
                false $(|| self.$idx.large_accumulator())+
            }

            fn start(&self, plan: &CompiledPlan, lanes: usize) -> Self::Acc {
                ($(self.$idx.start(plan, lanes),)+)
            }

            #[inline(always)]
            fn task(&self, acc: &mut Self::Acc, pos: usize, durations: &[f64]) {
                $(self.$idx.task(&mut acc.$idx, pos, durations);)+
            }

            #[inline(always)]
            fn finished(&self, acc: &mut Self::Acc, pos: usize, finish: &[f64]) {
                $(self.$idx.finished(&mut acc.$idx, pos, finish);)+
            }

            #[inline(always)]
            fn critical(&self, acc: &mut Self::Acc, pos: usize, marks: &[u8], count: u64) {
                $(self.$idx.critical(&mut acc.$idx, pos, marks, count);)+
            }

            #[allow(unused_assignments)]
            fn chunk(&self, acc: &mut Self::Acc, chunk: &Chunk, slots: &mut Slots) {
                let mut offset = 0;
                $(
                    self.$idx.chunk(&mut acc.$idx, chunk, &mut slots.sub(offset));
                    offset += self.$idx.slots(chunk.plan());
                )+
            }

            fn merge(&self, acc: &mut Self::Acc, other: Self::Acc) {
                $(self.$idx.merge(&mut acc.$idx, other.$idx);)+
            }

            #[allow(unused_assignments)]
            fn finish(&self, acc: Self::Acc, run: &Finish) -> Self::Output {
                let mut offset = 0;
                ($(
                    {
                        let out = self.$idx.finish(acc.$idx, &run.sub(offset));
                        offset += self.$idx.slots(run.plan());
                        out
                    },
                )+)
            }
        }
    };
}

tuple_collector!(A 0);
tuple_collector!(A 0, B 1);
tuple_collector!(A 0, B 1, C 2);
tuple_collector!(A 0, B 1, C 2, D 3);
tuple_collector!(A 0, B 1, C 2, D 3, E 4);
tuple_collector!(A 0, B 1, C 2, D 3, E 4, F 5);
