//! How often each task lies on a longest path.

use super::{Collector, Finish, Needs};
use crate::engine::plan::CompiledPlan;

/// Collects each task's criticality: the fraction of iterations in which it lay on a longest
/// path (zero total float; every task on every tied longest path counts; levels of effort
/// never count), indexed like `Project::tasks`. Counts are integers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Criticality;

impl Collector for Criticality {
    /// Counts by position.
    type Acc = Vec<u64>;
    type Output = Vec<f64>;

    fn needs(&self) -> Needs {
        Needs {
            critical: true,
            ..Needs::NOTHING
        }
    }

    fn start(&self, plan: &CompiledPlan, _lanes: usize) -> Vec<u64> {
        vec![0; plan.len()]
    }

    #[inline(always)]
    fn critical(&self, acc: &mut Vec<u64>, pos: usize, _marks: &[u8], count: u64) {
        acc[pos] += count;
    }

    fn merge(&self, acc: &mut Vec<u64>, other: Vec<u64>) {
        for (a, b) in acc.iter_mut().zip(other) {
            *a += b;
        }
    }

    fn finish(&self, acc: Vec<u64>, run: &Finish) -> Vec<f64> {
        let it = run.iterations().max(1) as f64;
        let mut criticality = vec![0.0; acc.len()];
        for (pos, &task) in run.plan().network().order().iter().enumerate() {
            criticality[task] = acc[pos] as f64 / it;
        }
        criticality
    }
}
