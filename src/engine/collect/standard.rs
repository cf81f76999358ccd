//! The standard result of a simulation: what every report needs.

use std::ops::Range;

use super::{
    Chunk, Collector, Criticality, Finish, MeanDuration, MilestoneSamples, Milestones, Needs,
    Outcomes, RiskOccurrence, Slots,
};
use crate::engine::plan::CompiledPlan;

/// What one simulation produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// Project duration (working days) of each iteration, in iteration order.
    pub durations: Vec<f64>,
    /// Project cost of each iteration, in iteration order.
    pub costs: Vec<f64>,
    /// Mean duration of each task (sampled, or the span of a level of effort), indexed like
    /// `Project::tasks`.
    pub mean_duration: Vec<f64>,
    /// Fraction of iterations in which each task lay on a longest path (zero total float; every
    /// task on every tied longest path counts; levels of effort never count), indexed like
    /// `Project::tasks`.
    pub criticality: Vec<f64>,
    /// Finish times of every milestone, in file order.
    pub milestones: Vec<MilestoneSamples>,
    /// Fraction of iterations in which each risk occurred, in register order.
    pub risk_occurrence: Vec<f64>,
    /// Independent replicates: ranges of indices into `durations` (and every other
    /// per-iteration vector), each one Latin hypercube design whose iterations are not
    /// independent of each other; standard errors come from the spread between them. Empty for
    /// plain Monte Carlo, whose iterations are all independent.
    pub replicates: Vec<Range<usize>>,
}

/// Collects a [`Simulation`]: [`Outcomes`], [`Milestones`], [`MeanDuration`], [`Criticality`]
/// and [`RiskOccurrence`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Standard;

type Parts = (
    Outcomes,
    Milestones,
    MeanDuration,
    Criticality,
    RiskOccurrence,
);
const PARTS: Parts = (
    Outcomes,
    Milestones,
    MeanDuration,
    Criticality,
    RiskOccurrence,
);

impl Collector for Standard {
    type Acc = <Parts as Collector>::Acc;
    type Output = Simulation;

    fn needs(&self) -> Needs {
        PARTS.needs()
    }

    fn slots(&self, plan: &CompiledPlan) -> usize {
        PARTS.slots(plan)
    }

    fn start(&self, plan: &CompiledPlan, lanes: usize) -> Self::Acc {
        PARTS.start(plan, lanes)
    }

    #[inline(always)]
    fn task(&self, acc: &mut Self::Acc, pos: usize, durations: &[f64]) {
        PARTS.task(acc, pos, durations);
    }

    #[inline(always)]
    fn finished(&self, acc: &mut Self::Acc, pos: usize, finish: &[f64]) {
        PARTS.finished(acc, pos, finish);
    }

    #[inline(always)]
    fn critical(&self, acc: &mut Self::Acc, pos: usize, marks: &[u8], count: u64) {
        PARTS.critical(acc, pos, marks, count);
    }

    fn chunk(&self, acc: &mut Self::Acc, chunk: &Chunk, slots: &mut Slots) {
        PARTS.chunk(acc, chunk, slots);
    }

    fn merge(&self, acc: &mut Self::Acc, other: Self::Acc) {
        PARTS.merge(acc, other);
    }

    fn finish(&self, acc: Self::Acc, run: &Finish) -> Simulation {
        let (outcomes, milestones, mean_duration, criticality, risk_occurrence) =
            PARTS.finish(acc, run);
        Simulation {
            durations: outcomes.durations,
            costs: outcomes.costs,
            mean_duration,
            criticality,
            milestones,
            risk_occurrence,
            replicates: run.spec().replicate_ranges(),
        }
    }
}
