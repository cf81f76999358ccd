//! How often each risk occurs.

use super::{Chunk, Collector, Finish, Slots};
use crate::engine::plan::CompiledPlan;

/// Collects the fraction of iterations in which each risk occurred, in register order.
#[derive(Debug, Clone, Copy, Default)]
pub struct RiskOccurrence;

impl Collector for RiskOccurrence {
    /// Counts by risk.
    type Acc = Vec<u64>;
    type Output = Vec<f64>;

    fn start(&self, plan: &CompiledPlan, _lanes: usize) -> Vec<u64> {
        vec![0; plan.durations().risks().len()]
    }

    fn chunk(&self, acc: &mut Vec<u64>, chunk: &Chunk, _slots: &mut Slots) {
        for (r, hits) in acc.iter_mut().enumerate() {
            *hits += chunk
                .risk_occurred(r)
                .iter()
                .map(|&o| u64::from(o))
                .sum::<u64>();
        }
    }

    fn merge(&self, acc: &mut Vec<u64>, other: Vec<u64>) {
        for (a, b) in acc.iter_mut().zip(other) {
            *a += b;
        }
    }

    fn finish(&self, acc: Vec<u64>, run: &Finish) -> Vec<f64> {
        let it = run.iterations().max(1) as f64;
        acc.iter().map(|&h| h as f64 / it).collect()
    }
}
