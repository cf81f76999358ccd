//! Resource levelling in every iteration: the serial schedule-generation scheme of
//! [`super::level`] (priority: latest start of the unconstrained plan, ties by position) on
//! each lane's durations replaces the unconstrained starts and finishes. No task starts before
//! its resources have joined (`available_from`). General networks (link types, lags, earliest
//! starts, levels of effort) take the general scheme, [`Leveller::schedule_general`].

use super::level::{General, Leveller, Problem};
use super::plan::CompiledPlan;
use super::rows::Rows;

/// One worker's levelling scratch (levelled plans only), reused across lanes and chunks.
pub(crate) struct Levelling {
    leveller: Leveller,
    durations: Vec<f64>,
    starts: Vec<f64>,
    order: Vec<u32>,
    on_path: Vec<bool>,
    /// General networks: each position's earliest start (its start-no-earlier-than bound and
    /// its resources' joining days), levels of effort, and the levelled finishes.
    release: Vec<f64>,
    is_loe: Vec<bool>,
    finishes: Vec<f64>,
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
            release: (0..n)
                .map(|pos| {
                    let joins = plan.resources().release().get(pos).copied();
                    plan.network().not_before(pos).max(joins.unwrap_or(0.0))
                })
                .collect(),
            is_loe: (0..n).map(|pos| plan.network().is_loe(pos)).collect(),
            finishes: vec![0.0; n],
        }
    }

    /// Levels the first `m` lanes: rewrites their start and finish rows and sets their project
    /// end to the levelled makespan. Needs the duration and start rows.
    pub(crate) fn level_lanes(&mut self, plan: &CompiledPlan, rows: &mut Rows, m: usize) {
        let (w, n) = (rows.lanes, plan.len());
        let (res, net) = (plan.resources(), plan.network());
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
            if net.is_general() {
                let general = General {
                    rules: net.rules(),
                    release: &self.release,
                    is_loe: &self.is_loe,
                    loe_ends: net.loe_ends(),
                };
                rows.end[i] = self.leveller.schedule_general(
                    &problem,
                    &general,
                    &mut self.starts,
                    &mut self.finishes,
                );
                for pos in 0..n {
                    let (s, f) = (self.starts[pos], self.finishes[pos]);
                    rows.start[pos * w + i] = s;
                    rows.finish[pos * w + i] = f;
                    if self.is_loe[pos] {
                        rows.dur[pos * w + i] = f - s;
                    }
                }
                continue;
            }
            rows.end[i] = if res.improved() && res.release().is_empty() {
                self.leveller.schedule_justified(&problem, &mut self.starts)
            } else {
                self.leveller
                    .schedule_released(&problem, res.release(), &mut self.starts)
            };
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
