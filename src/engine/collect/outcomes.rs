//! The project's duration and cost in every iteration.

use super::{Chunk, Collector, Finish, Slots};
use crate::engine::plan::CompiledPlan;

/// Collects each iteration's project duration and cost (two slots per iteration).
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcomes;

/// Per-iteration project duration and cost.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeSamples {
    /// Project duration (working days) of each iteration, in iteration order.
    pub durations: Vec<f64>,
    /// Project cost of each iteration, in iteration order.
    pub costs: Vec<f64>,
}

impl Collector for Outcomes {
    type Acc = ();
    type Output = OutcomeSamples;

    fn slots(&self, _plan: &CompiledPlan) -> usize {
        2
    }

    fn start(&self, _plan: &CompiledPlan, _lanes: usize) {}

    fn chunk(&self, _acc: &mut (), chunk: &Chunk, slots: &mut Slots) {
        let (end, cost) = (chunk.project_duration(), chunk.project_cost());
        for i in 0..chunk.len() {
            slots.set(i, 0, end[i]);
            slots.set(i, 1, cost[i]);
        }
    }

    fn merge(&self, _acc: &mut (), _other: ()) {}

    fn finish(&self, _acc: (), run: &Finish) -> OutcomeSamples {
        OutcomeSamples {
            durations: run.column(0),
            costs: run.column(1),
        }
    }
}
