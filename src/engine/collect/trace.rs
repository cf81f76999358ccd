//! One lane's schedule, for the deterministic plan (`cpm`): early dates, durations and exact
//! criticality, computed by the very passes the simulation uses.

use super::{Chunk, Collector, Finish, Needs, Slots};
use crate::engine::plan::CompiledPlan;

/// One lane's schedule by position.
#[derive(Debug, Clone, Default)]
pub(crate) struct Trace {
    /// Early start by position.
    pub start: Vec<f64>,
    /// Early finish by position.
    pub finish: Vec<f64>,
    /// Duration by position (a level of effort's span included).
    pub duration: Vec<f64>,
    /// Whether each position lies on a longest path.
    pub critical: Vec<bool>,
    /// Project duration.
    pub end: f64,
    /// Project cost.
    pub cost: f64,
}

/// Collects lane 0 of a one-lane run into a [`Trace`] (see `engine::run::trace`).
pub(crate) struct TraceLane;

impl Collector for TraceLane {
    type Acc = Trace;
    type Output = Trace;

    fn needs(&self) -> Needs {
        Needs {
            rows: true,
            critical: true,
            task_costs: false,
        }
    }

    fn start(&self, plan: &CompiledPlan, _lanes: usize) -> Trace {
        Trace {
            critical: vec![false; plan.len()],
            ..Trace::default()
        }
    }

    #[inline(always)]
    fn critical(&self, acc: &mut Trace, pos: usize, marks: &[u8], _count: u64) {
        acc.critical[pos] = marks[0] != 0;
    }

    fn chunk(&self, acc: &mut Trace, chunk: &Chunk, _slots: &mut Slots) {
        let n = chunk.plan().len();
        acc.start = (0..n).map(|pos| chunk.start(pos)[0]).collect();
        acc.finish = (0..n).map(|pos| chunk.finish(pos)[0]).collect();
        acc.duration = (0..n).map(|pos| chunk.duration(pos)[0]).collect();
        acc.end = chunk.project_duration()[0];
        acc.cost = chunk.project_cost()[0];
    }

    /// A trace is one lane of one chunk: there is never a second accumulator with data.
    fn merge(&self, _acc: &mut Trace, _other: Trace) {}

    fn finish(&self, acc: Trace, _run: &Finish) -> Trace {
        acc
    }
}
