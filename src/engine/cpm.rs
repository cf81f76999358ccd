//! The deterministic schedule: the critical path method on most likely durations, computed by
//! the simulation's own forward and backward passes (so the two can never disagree), plus late
//! dates for the total float.

use super::plan::CompiledPlan;
use super::run::trace;
use crate::model::LinkKind;

/// Early dates, float and criticality of every task on most likely durations.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// Project duration in working days.
    pub duration: f64,
    /// Project cost (fixed costs + resource costs over most likely durations).
    pub cost: f64,
    /// Early start by task (indexed like `Project::tasks`).
    pub early_start: Vec<f64>,
    /// Early finish by task.
    pub early_finish: Vec<f64>,
    /// Total float by task (late finish − early finish; 0 on the critical path).
    pub total_float: Vec<f64>,
    /// Whether the task lies on a longest path (exactly, ties included).
    pub critical: Vec<bool>,
    /// Critical tasks in topological order (indices into `Project::tasks`).
    pub critical_path: Vec<usize>,
}

/// Computes the deterministic schedule of `plan`.
pub fn deterministic(plan: &CompiledPlan) -> Schedule {
    let n = plan.len();
    let net = plan.network();
    let t = trace(plan, plan.durations().likely());

    // Late finish: no task may finish after the project end; each link bounds its
    // predecessor's late dates by the successor's (FS: LF_p ≤ LS_s − L; SS: LS_p ≤ LS_s − L;
    // FF: LF_p ≤ LF_s − L; SF: LS_p ≤ LF_s − L).
    let mut lf = vec![t.end; n];
    for pos in (0..n).rev() {
        let ls = lf[pos] - t.duration[pos];
        let (preds, rules) = net.links_of(pos);
        for (&p, rule) in preds.iter().zip(rules) {
            let (p, lag) = (p as usize, rule.lag);
            let d_p = t.duration[p];
            let bound = match rule.kind {
                LinkKind::FinishToStart => ls - lag,
                LinkKind::StartToStart => ls - lag + d_p,
                LinkKind::FinishToFinish => lf[pos] - lag,
                LinkKind::StartToFinish => lf[pos] - lag + d_p,
            };
            lf[p] = lf[p].min(bound);
        }
        if net.is_loe(pos) {
            lf[pos] = t.finish[pos]; // a level of effort has no float of its own
        }
    }

    let mut out = Schedule {
        duration: t.end,
        cost: t.cost,
        early_start: vec![0.0; n],
        early_finish: vec![0.0; n],
        total_float: vec![0.0; n],
        critical: vec![false; n],
        critical_path: Vec::new(),
    };
    for (pos, &task) in net.order().iter().enumerate() {
        out.early_start[task] = t.start[pos];
        out.early_finish[task] = t.finish[pos];
        out.total_float[task] = if t.critical[pos] {
            0.0
        } else {
            (lf[pos] - t.finish[pos]).max(0.0)
        };
        out.critical[task] = t.critical[pos];
        if t.critical[pos] {
            out.critical_path.push(task);
        }
    }
    out
}
