//! The deterministic schedule: the critical path method on most likely durations.

use super::plan::CompiledPlan;

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
    /// Total float by task (late finish − early finish).
    pub total_float: Vec<f64>,
    /// Whether the task lies on a longest path (exactly zero float, ties included).
    pub critical: Vec<bool>,
    /// Critical tasks in topological order (indices into `Project::tasks`).
    pub critical_path: Vec<usize>,
}

/// Computes the deterministic schedule of `plan`.
pub fn deterministic(plan: &CompiledPlan) -> Schedule {
    let n = plan.len();
    let mut es = vec![0.0f64; n];
    let mut ef = vec![0.0f64; n];
    for pos in 0..n {
        es[pos] = plan
            .preds_of(pos)
            .iter()
            .map(|&p| ef[p as usize])
            .fold(0.0, f64::max);
        ef[pos] = es[pos] + plan.likely[pos];
    }
    let duration = plan
        .sinks
        .iter()
        .map(|&s| ef[s as usize])
        .fold(0.0, f64::max);
    let mut lf = vec![duration; n];
    let mut crit = vec![false; n];
    for &s in &plan.sinks {
        crit[s as usize] = ef[s as usize] == duration;
    }
    for pos in (0..n).rev() {
        let ls = lf[pos] - plan.likely[pos];
        for &p in plan.preds_of(pos) {
            let p = p as usize;
            lf[p] = lf[p].min(ls);
            if crit[pos] && ef[p] == es[pos] {
                crit[p] = true;
            }
        }
    }
    let cost = plan.fixed_cost
        + plan
            .cost_per_day
            .iter()
            .zip(&plan.likely)
            .map(|(k, d)| k * d)
            .sum::<f64>();

    let mut out = Schedule {
        duration,
        cost,
        early_start: vec![0.0; n],
        early_finish: vec![0.0; n],
        total_float: vec![0.0; n],
        critical: vec![false; n],
        critical_path: Vec::new(),
    };
    for (pos, &task) in plan.order.iter().enumerate() {
        out.early_start[task] = es[pos];
        out.early_finish[task] = ef[pos];
        out.total_float[task] = if crit[pos] {
            0.0
        } else {
            (lf[pos] - ef[pos]).max(0.0)
        };
        out.critical[task] = crit[pos];
        if crit[pos] {
            out.critical_path.push(task);
        }
    }
    out
}
