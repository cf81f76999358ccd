//! Every milestone's finish in every iteration.

use super::{Chunk, Collector, Finish, Slots};
use crate::engine::plan::CompiledPlan;

/// Per-iteration finish times of one milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneSamples {
    /// The milestone's index in `Project::tasks`.
    pub task: usize,
    /// Finish offset (working days from the project start) in each iteration, in order.
    pub finish: Vec<f64>,
}

/// Collects each milestone's finish per iteration (one slot per milestone).
#[derive(Debug, Clone, Copy, Default)]
pub struct Milestones;

impl Collector for Milestones {
    type Acc = ();
    type Output = Vec<MilestoneSamples>;

    fn slots(&self, plan: &CompiledPlan) -> usize {
        plan.network().milestones().len()
    }

    fn start(&self, _plan: &CompiledPlan, _lanes: usize) {}

    fn chunk(&self, _acc: &mut (), chunk: &Chunk, slots: &mut Slots) {
        for (j, &pos) in chunk.plan().network().milestones().iter().enumerate() {
            for (i, &f) in chunk.finish(pos as usize).iter().enumerate() {
                slots.set(i, j, f);
            }
        }
    }

    fn merge(&self, _acc: &mut (), _other: ()) {}

    fn finish(&self, _acc: (), run: &Finish) -> Vec<MilestoneSamples> {
        let net = run.plan().network();
        net.milestones()
            .iter()
            .enumerate()
            .map(|(j, &pos)| MilestoneSamples {
                task: net.order()[pos as usize],
                finish: run.column(j),
            })
            .collect()
    }
}
