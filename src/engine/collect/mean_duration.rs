//! Each task's mean duration.

use super::{Collector, Finish};
use crate::engine::plan::CompiledPlan;

/// Fixed-point scale for per-task duration sums (2^20 per working day; truncation loses
/// < 1e-6 day per chunk). A chunk's sum is converted to 128 bits, which holds 3e32 working
/// days: far above what [`crate::model::bounds::MAX_TOTAL`] lets a chunk reach (a 64-bit
/// conversion saturated at 1.7e13 per chunk, e.g. 1.76e11-day tasks in 100 lanes).
pub const FIXED_SCALE: f64 = 1_048_576.0;

/// Collects each task's mean duration (sampled, or the span of a level of effort), indexed
/// like `Project::tasks`. Sums are fixed point, one truncation per task and chunk, so they add
/// up exactly in any order; chunks are aligned at multiples of the chunk width, so the means
/// do not depend on threads or ranges either (only on the chunk width, in the last bits).
#[derive(Debug, Clone, Copy, Default)]
pub struct MeanDuration;

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

impl Collector for MeanDuration {
    /// Fixed-point sums by position.
    type Acc = Vec<u128>;
    type Output = Vec<f64>;

    fn start(&self, plan: &CompiledPlan, _lanes: usize) -> Vec<u128> {
        vec![0; plan.len()]
    }

    #[inline(always)]
    fn task(&self, acc: &mut Vec<u128>, pos: usize, durations: &[f64]) {
        // Truncation toward zero of a non-negative sum: one instruction, deterministic.
        acc[pos] += (sum4(durations) * FIXED_SCALE) as u128;
    }

    fn merge(&self, acc: &mut Vec<u128>, other: Vec<u128>) {
        for (a, b) in acc.iter_mut().zip(other) {
            *a += b;
        }
    }

    fn finish(&self, acc: Vec<u128>, run: &Finish) -> Vec<f64> {
        let it = run.iterations().max(1) as f64;
        let mut mean = vec![0.0; acc.len()];
        for (pos, &task) in run.plan().network().order().iter().enumerate() {
            mean[task] = acc[pos] as f64 / FIXED_SCALE / it;
        }
        mean
    }
}
