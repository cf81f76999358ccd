//! Each task's range of durations, own costs and finishes over a run: the grids on which a
//! second run ([`super::Drivers`]) bins them.

use super::{Chunk, Collector, Finish, Needs, Slots};
use crate::engine::plan::CompiledPlan;

/// Collects, by position, the smallest and largest duration, own cost
/// ([`Chunk::task_cost`]) and finish of every task. Minima and maxima merge exactly in any
/// order. Own costs are only measured when some task's cost can vary (else they are 0).
#[derive(Debug, Clone, Copy, Default)]
pub struct Bounds {
    costs: bool,
}

impl Bounds {
    /// Bounds for `plan`.
    pub fn for_plan(plan: &CompiledPlan) -> Bounds {
        let c = plan.costs();
        Bounds {
            costs: c.is_uncertain() || (0..plan.len()).any(|pos| c.per_day_certain(pos) != 0.0),
        }
    }
}

/// Ranges by position, `(min, max)` each.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskBounds {
    /// Durations (working days).
    pub duration: Vec<(f64, f64)>,
    /// Own costs (resource cost over the duration plus a drawn three-point cost).
    pub cost: Vec<(f64, f64)>,
    /// Finishes (working days from the project start).
    pub finish: Vec<(f64, f64)>,
}

impl TaskBounds {
    /// A range that holds every start of position `pos`: a start is its finish minus its
    /// duration, so it lies within [min finish − max duration, max finish − min duration]
    /// (and never before 0).
    pub fn start(&self, pos: usize) -> (f64, f64) {
        let (d, f) = (self.duration[pos], self.finish[pos]);
        ((f.0 - d.1).max(0.0), (f.1 - d.0).max(0.0))
    }
}

/// Empty ranges (min +∞, max −∞) that any value widens.
fn empty(n: usize) -> Vec<(f64, f64)> {
    vec![(f64::INFINITY, f64::NEG_INFINITY); n]
}

/// Widens `range` to hold `values` (plain comparisons, which vectorise; values are never NaN).
#[inline(always)]
pub(super) fn widen(range: &mut (f64, f64), values: &[f64]) {
    let (mut lo, mut hi) = *range;
    for &x in values {
        lo = if x < lo { x } else { lo };
        hi = if x > hi { x } else { hi };
    }
    *range = (lo, hi);
}

fn merge_into(a: &mut [(f64, f64)], b: &[(f64, f64)]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x = (x.0.min(y.0), x.1.max(y.1));
    }
}

impl Collector for Bounds {
    type Acc = TaskBounds;
    type Output = TaskBounds;

    fn needs(&self) -> Needs {
        Needs {
            task_costs: self.costs,
            ..Needs::NOTHING
        }
    }

    fn start(&self, plan: &CompiledPlan, _lanes: usize) -> TaskBounds {
        let n = plan.len();
        TaskBounds {
            duration: empty(n),
            cost: if self.costs {
                empty(n)
            } else {
                vec![(0.0, 0.0); n]
            },
            finish: empty(n),
        }
    }

    #[inline(always)]
    fn task(&self, acc: &mut TaskBounds, pos: usize, durations: &[f64]) {
        widen(&mut acc.duration[pos], durations);
    }

    #[inline(always)]
    fn finished(&self, acc: &mut TaskBounds, pos: usize, finish: &[f64]) {
        widen(&mut acc.finish[pos], finish);
    }

    fn chunk(&self, acc: &mut TaskBounds, chunk: &Chunk, _slots: &mut Slots) {
        if !self.costs {
            return;
        }
        for pos in 0..chunk.plan().len() {
            widen(&mut acc.cost[pos], chunk.task_cost(pos));
        }
    }

    fn merge(&self, acc: &mut TaskBounds, other: TaskBounds) {
        merge_into(&mut acc.duration, &other.duration);
        merge_into(&mut acc.cost, &other.cost);
        merge_into(&mut acc.finish, &other.finish);
    }

    fn finish(&self, acc: TaskBounds, _run: &Finish) -> TaskBounds {
        acc
    }
}
