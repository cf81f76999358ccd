//! Magnitude limits, so that every number a run computes stays finite and every fixed-point
//! sum stays exact.
//!
//! Two layers: every number read from a file is at most [`MAX_INPUT`] in magnitude (checked by
//! the readers), and [`check`] bounds what the whole plan can add up to — the longest any
//! iteration can take (every task at its largest draw with every risk occurring, lags and
//! earliest starts added: a bound on any path and on any levelled schedule) and the most it
//! can cost — by [`MAX_TOTAL`]. Statistics square these values and the engine sums durations
//! in fixed point (2⁻²⁰ day, 128 bits per chunk), so 1e18 leaves a margin of 10²⁰ for both.

use super::{Estimate, Project, RiskKind, TaskKind};
use crate::error::Diagnostic;

/// The largest magnitude of any number in an input file (durations, costs, rates, units,
/// impacts, items): 1e15.
pub const MAX_INPUT: f64 = 1e15;

/// The largest duration (working days) or cost an iteration may reach in the worst case: 1e18.
pub const MAX_TOTAL: f64 = 1e18;

/// Standard normal quantile beyond any the samplers draw (their largest probability is
/// 1 − 2⁻⁵³, at z ≈ 8.2).
const Z_MAX: f64 = 9.0;

/// The largest value the sampler of `e` can return.
pub fn upper_bound(e: &Estimate) -> f64 {
    use super::Distribution::*;
    match e.effective_distribution() {
        Pert | Triangular | Uniform => e.pessimistic,
        Fixed => e.likely,
        Trigen => e.trigen_bounds().1.max(e.pessimistic),
        Normal => {
            let (mu, sigma) = e.normal_params();
            mu + Z_MAX * sigma
        }
        LogNormal => {
            let (mu, sigma) = e.lognormal_params();
            (mu + Z_MAX * sigma).exp().max(e.pessimistic)
        }
    }
}

/// Every way the plan can exceed [`MAX_TOTAL`]: at most one problem for the durations and one
/// for the costs, each naming the task (file, line, field) that contributes most.
pub fn check(project: &Project) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let n = project.tasks.len();
    // Looked up only, never iterated: foldhash hashes ids several times faster than SipHash.
    let index: foldhash::HashMap<&str, usize> = project
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    // Each task's largest duration: its largest draw, times every driver at its largest, plus
    // every event at its largest.
    let mut factor = vec![1.0f64; n];
    let mut added = vec![0.0f64; n];
    for r in &project.risks {
        let hi = upper_bound(&r.impact);
        for id in &r.affects {
            let Some(&t) = index.get(id.as_str()) else {
                continue;
            };
            match r.kind {
                RiskKind::Driver => factor[t] *= hi.max(1.0),
                RiskKind::Event => added[t] += hi.max(0.0),
            }
        }
    }
    let worst: Vec<f64> = project
        .tasks
        .iter()
        .enumerate()
        .map(|(t, task)| upper_bound(&task.estimate).max(0.0) * factor[t] + added[t])
        .collect();
    let lags: f64 = project
        .tasks
        .iter()
        .flat_map(|t| &t.depends_on)
        .map(|l| l.lag.abs())
        .sum();
    let bound = project
        .tasks
        .iter()
        .filter_map(|t| t.not_before)
        .fold(0.0f64, f64::max);
    let span = worst.iter().sum::<f64>() + lags + bound;
    let biggest = |v: &[f64]| {
        (0..v.len()).max_by(|&a, &b| v[a].partial_cmp(&v[b]).unwrap_or(std::cmp::Ordering::Less))
    };
    if span.is_nan() || span > MAX_TOTAL {
        if let Some(t) = biggest(&worst) {
            let task = &project.tasks[t];
            out.push(Diagnostic::at(
                &project.tasks_file,
                task.line,
                Some(if task.effort.is_some() {
                    "effort_pessimistic"
                } else {
                    "pessimistic"
                }),
                format!(
                    "the plan's durations can add up to {} working days (task `{}` alone to {}, \
                     with its risks), more than p80 can represent exactly ({MAX_TOTAL:e}); \
                     check the units of the estimates, lags and risk impacts",
                    sci(span),
                    crate::model::validate::shorten_id(&task.id),
                    sci(worst[t])
                ),
            ));
        }
        return out;
    }
    // Costs: fixed costs, resources for the task's longest duration (a level of effort can span
    // the whole plan), and every risk's cost once.
    let rates: std::collections::HashMap<&str, f64> = project
        .resources
        .iter()
        .map(|r| {
            let hi = r
                .rate_range
                .as_ref()
                .map_or(r.rate, upper_bound)
                .max(r.rate);
            let daily = match r.unit {
                super::RateUnit::Hour => hi * r.hours_per_day,
                super::RateUnit::Day => hi,
            };
            (r.id.as_str(), daily.abs())
        })
        .collect();
    let cost: Vec<f64> = project
        .tasks
        .iter()
        .enumerate()
        .map(|(t, task)| {
            let fixed = task
                .cost_range
                .as_deref()
                .map_or(task.cost, upper_bound)
                .max(task.cost);
            let days = if task.kind == TaskKind::LevelOfEffort {
                span
            } else {
                worst[t]
            };
            let per_day: f64 = task
                .resources
                .iter()
                .map(|a| a.units * rates.get(a.resource.as_str()).copied().unwrap_or(0.0))
                .sum();
            fixed.abs() + per_day * days
        })
        .collect();
    let risk_cost: f64 = project
        .risks
        .iter()
        .filter_map(|r| r.cost.as_ref())
        .map(|c| upper_bound(c).abs())
        .sum();
    let total = cost.iter().sum::<f64>() + risk_cost;
    if total.is_nan() || total > MAX_TOTAL {
        if let Some(t) = biggest(&cost) {
            let task = &project.tasks[t];
            let field = if task.resources.is_empty() {
                "cost"
            } else {
                "resources"
            };
            out.push(Diagnostic::at(
                &project.tasks_file,
                task.line,
                Some(field),
                format!(
                    "the plan's costs can add up to {} (task `{}` alone to {}), more than p80 \
                     can represent exactly ({MAX_TOTAL:e}); check the costs, rates, units and \
                     durations",
                    sci(total),
                    crate::model::validate::shorten_id(&task.id),
                    sci(cost[t])
                ),
            ));
        }
    }
    out
}

/// A large number in short scientific notation ("3.2e20", "inf" for an overflow).
fn sci(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.1e}")
    } else {
        "more than 1e308".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Distribution;

    #[test]
    fn upper_bounds_cover_the_samplers_largest_draw() {
        let e = Estimate::new(1.0, 2.0, 9.0, Distribution::LogNormal).unwrap();
        let (mu, sigma) = e.lognormal_params();
        // The sampler's largest draw is at probability 1 − 2⁻⁵³ (z ≈ 8.2 < 9).
        assert!(upper_bound(&e) >= (mu + 8.3 * sigma).exp());
        let p = Estimate::new(1.0, 2.0, 9.0, Distribution::Pert).unwrap();
        assert_eq!(upper_bound(&p), 9.0);
        let n = Estimate::new(1.0, 2.0, 9.0, Distribution::Normal).unwrap();
        assert!(upper_bound(&n) > 9.0);
    }
}
