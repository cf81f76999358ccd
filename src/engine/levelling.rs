//! Resource levelling in every iteration: the serial schedule-generation scheme of
//! [`super::level`] (priority: latest start of the unconstrained plan, ties by position) on
//! each lane's durations replaces the unconstrained starts and finishes. No task starts before
//! its resources have joined (`available_from`).

use super::level::{Leveller, Problem};
use super::plan::CompiledPlan;
use super::rows::Rows;

/// One worker's levelling scratch (levelled plans only), reused across lanes and chunks.
pub(crate) struct Levelling {
    leveller: Leveller,
    durations: Vec<f64>,
    starts: Vec<f64>,
    order: Vec<u32>,
    on_path: Vec<bool>,
}

impl Levelling {
    /// Scratch for `plan` (which must be levelled).
    pub(crate) fn new(plan: &CompiledPlan) -> Levelling {
        let n = plan.len();
        Levelling {
            leveller: Leveller::new(n, plan.resources().limits().len()),
            durations: vec![0.0; n],
            starts: vec![0.0; n],
            order: Vec::new(),
            on_path: vec![false; n],
        }
    }

    /// Levels the first `m` lanes: rewrites their start and finish rows and sets their project
    /// end to the levelled makespan. Needs the duration and start rows.
    pub(crate) fn level_lanes(&mut self, plan: &CompiledPlan, rows: &mut Rows, m: usize) {
        let (w, n) = (rows.lanes, plan.len());
        let res = plan.resources();
        for i in 0..m {
            for pos in 0..n {
                self.durations[pos] = rows.dur[pos * w + i];
            }
            let problem = Problem {
                durations: &self.durations,
                preds: plan.network().preds(),
                demands: res.demands(),
                capacity: res.limits(),
            };
            rows.end[i] =
                self.leveller
                    .schedule_released(&problem, res.release(), &mut self.starts);
            for pos in 0..n {
                rows.start[pos * w + i] = self.starts[pos];
                rows.finish[pos * w + i] = self.starts[pos] + self.durations[pos];
            }
        }
    }

    /// Scratch for the levelled backward pass: an order of positions and path marks.
    pub(crate) fn backward_scratch(&mut self) -> (&mut Vec<u32>, &mut [bool]) {
        (&mut self.order, &mut self.on_path)
    }
}
