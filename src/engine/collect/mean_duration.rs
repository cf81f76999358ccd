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

/// `x as u128`: truncation toward zero of a non-negative sum (0 for NaN and negatives),
/// deterministic. Below 2⁶⁴ (every realistic chunk) through `u64`, which is one instruction
/// and gives the same integer; `as u128` alone calls a 25-instruction routine, once per task
/// and chunk (0.8 instructions per task and iteration at 32 lanes, callgrind).
#[inline(always)]
pub(super) fn to_fixed(x: f64) -> u128 {
    if x < 18_446_744_073_709_551_616.0 {
        x as u64 as u128
    } else {
        x as u128
    }
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
        acc[pos] += to_fixed(sum4(durations) * FIXED_SCALE);
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

#[cfg(test)]
mod tests {
    use super::to_fixed;

    #[test]
    fn to_fixed_is_the_u128_conversion_everywhere() {
        let two64 = 18_446_744_073_709_551_616.0f64;
        let mut xs = vec![
            0.0,
            -0.0,
            -1.0,
            0.5,
            1.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            two64,
            two64.next_down(),
            two64.next_up(),
            1e30,
            f64::MAX,
        ];
        let mut z = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..100_000 {
            z = crate::engine::rng::mix64(z);
            // Doubles of every magnitude from 2^-20 to 2^80, and their neighbours.
            let x =
                f64::from_bits(z >> 12 | 0x3FF0_0000_0000_0000) * 2f64.powi((z % 100) as i32 - 20);
            xs.extend([x, x.next_up(), x.next_down()]);
        }
        for x in xs {
            assert_eq!(to_fixed(x), x as u128, "{x:e}");
        }
    }
}
