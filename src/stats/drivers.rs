//! What drives the risk (`--drivers`): per-task sensitivities, cruciality, schedule
//! sensitivity index, start and finish percentiles; merge bias at every merge point; the joint
//! confidence of a deadline and a budget and the frontier of (finish, cost) pairs met together
//! at the confidence level. Computed once here from the engine's [`TaskDrivers`] and the
//! per-iteration project durations and costs; outputs only format it.

use chrono::NaiveDate;

use super::facts::Merges;
use super::report::TaskStat;
use super::schedule::too_far;
use crate::engine::TaskDrivers;
use crate::error::Result;
use crate::model::calendar::{Calendar, TOLERANCE};

/// How many finish values the joint-confidence frontier has.
pub const FRONTIER_POINTS: usize = 41;

/// One task's drivers, in working days from the project start.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDriverStat {
    /// Spearman's ρ between the task's duration and the project duration.
    pub duration_sensitivity: f64,
    /// Spearman's ρ between the task's own cost and the project cost (0 when it does not vary).
    pub cost_sensitivity: f64,
    /// Criticality × duration sensitivity.
    pub cruciality: f64,
    /// Schedule sensitivity index: criticality × σ(task duration) ÷ σ(project duration).
    pub ssi: f64,
    /// Start at P50 and P80.
    pub start_p50: f64,
    pub start_p80: f64,
    /// Finish at P50 and P80.
    pub finish_p50: f64,
    pub finish_p80: f64,
    /// Mean start and mean finish.
    pub mean_start: f64,
    pub mean_finish: f64,
    /// Finish dates at P50 and P80, with a calendar.
    pub finish_dates: Option<(NaiveDate, NaiveDate)>,
}

/// The delay merging paths add at a task with two or more predecessors.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeBias {
    /// Index in `Project::tasks`.
    pub task: usize,
    /// Task id and name.
    pub id: String,
    pub name: String,
    /// Predecessor ids, in the order of `depends_on`.
    pub predecessors: Vec<String>,
    /// Mean start in the simulation.
    pub mean_start: f64,
    /// The latest of the predecessors' mean finishes.
    pub latest_predecessor_mean_finish: f64,
    /// `mean_start − latest_predecessor_mean_finish` (working days).
    pub merge_bias: f64,
}

/// The joint confidence of a deadline and a budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Joint {
    /// The deadline and its working days from the start, both included.
    pub deadline: NaiveDate,
    pub working_days: u64,
    /// The budget.
    pub budget: f64,
    /// Share of iterations that finish by the deadline and cost at most the budget.
    pub probability: f64,
}

/// A point of the joint-confidence frontier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontierPoint {
    /// A finish (working days).
    pub duration: f64,
    /// Its date, with a calendar.
    pub finish_date: Option<NaiveDate>,
    /// The smallest cost c with P(duration ≤ `duration` and cost ≤ c) ≥ the confidence.
    pub cost: f64,
}

/// Everything `--drivers` adds to a report.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverReport {
    /// Per task, in file order.
    pub tasks: Vec<TaskDriverStat>,
    /// Task indices by |duration sensitivity|, largest first (ties by id).
    pub sensitivity_ranking: Vec<usize>,
    /// Every task with two or more predecessors, in file order.
    pub merge_bias: Vec<MergeBias>,
    /// Index into `merge_bias` of the largest bias, if any is above zero.
    pub largest_merge_bias: Option<usize>,
    /// With a deadline and a budget.
    pub joint: Option<Joint>,
    /// The frontier at the confidence level, by increasing finish.
    pub frontier: Vec<FrontierPoint>,
    /// Every iteration's (duration, cost), in iteration order.
    pub samples: Vec<(f64, f64)>,
}

impl DriverReport {
    /// Builds the drivers of the report's `tasks` (ids and criticality) from the engine's
    /// `drivers` (indexed like them), the project's `merges`, its per-iteration `durations` and `costs` and
    /// their standard deviation `duration_sd`; dates with `calendar`, the joint confidence
    /// with a `deadline` (and its working days) and a `budget`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        task_stats: &[TaskStat],
        merges: &Merges,
        drivers: &[TaskDrivers],
        durations: &[f64],
        costs: &[f64],
        duration_sd: f64,
        confidence: f64,
        calendar: Option<&Calendar>,
        deadline: Option<(NaiveDate, u64)>,
        budget: Option<f64>,
    ) -> Result<DriverReport> {
        let date = |cal: &Calendar, offset: f64| {
            cal.finish_date(offset).ok_or_else(|| too_far(cal, offset))
        };
        let mut tasks = Vec::with_capacity(drivers.len());
        for (d, crit) in drivers.iter().zip(task_stats.iter().map(|t| t.criticality)) {
            let finish_dates = match calendar {
                Some(cal) => Some((date(cal, d.finish[0])?, date(cal, d.finish[1])?)),
                None => None,
            };
            tasks.push(TaskDriverStat {
                duration_sensitivity: d.duration_sensitivity,
                cost_sensitivity: d.cost_sensitivity,
                cruciality: crit * d.duration_sensitivity,
                ssi: if duration_sd > 0.0 {
                    crit * d.duration_sd / duration_sd
                } else {
                    0.0
                },
                start_p50: d.start[0],
                start_p80: d.start[1],
                finish_p50: d.finish[0],
                finish_p80: d.finish[1],
                mean_start: d.mean_start,
                mean_finish: d.mean_finish,
                finish_dates,
            });
        }
        let mut sensitivity_ranking: Vec<usize> = (0..tasks.len()).collect();
        sensitivity_ranking.sort_by(|&a, &b| {
            let (x, y) = (&tasks[a], &tasks[b]);
            y.duration_sensitivity
                .abs()
                .total_cmp(&x.duration_sensitivity.abs())
                .then_with(|| task_stats[a].id.cmp(&task_stats[b].id))
        });
        let merge_bias = merge_bias(task_stats, merges, &tasks);
        let largest_merge_bias = (0..merge_bias.len())
            .filter(|&k| merge_bias[k].merge_bias > 0.0)
            .max_by(|&a, &b| {
                merge_bias[a]
                    .merge_bias
                    .total_cmp(&merge_bias[b].merge_bias)
            });
        let joint = match (deadline, budget) {
            (Some((date, working_days)), Some(budget)) => Some(Joint {
                deadline: date,
                working_days,
                budget,
                probability: joint_probability(durations, costs, working_days, budget),
            }),
            _ => None,
        };
        let mut frontier = frontier(durations, costs, confidence);
        if let Some(cal) = calendar {
            for p in &mut frontier {
                p.finish_date = Some(date(cal, p.duration)?);
            }
        }
        Ok(DriverReport {
            tasks,
            sensitivity_ranking,
            merge_bias,
            largest_merge_bias,
            joint,
            frontier,
            samples: durations
                .iter()
                .copied()
                .zip(costs.iter().copied())
                .collect(),
        })
    }
}

/// Merge bias of every task with two or more predecessors.
fn merge_bias(
    task_stats: &[TaskStat],
    merges: &Merges,
    tasks: &[TaskDriverStat],
) -> Vec<MergeBias> {
    merges
        .iter()
        .map(|(i, predecessors)| {
            let latest = predecessors
                .iter()
                .map(|&p| tasks[p as usize].mean_finish)
                .fold(f64::NEG_INFINITY, f64::max);
            MergeBias {
                task: i,
                id: task_stats[i].id.clone(),
                name: task_stats[i].name.clone(),
                predecessors: predecessors
                    .iter()
                    .map(|&p| task_stats[p as usize].id.clone())
                    .collect(),
                mean_start: tasks[i].mean_start,
                latest_predecessor_mean_finish: latest,
                merge_bias: tasks[i].mean_start - latest,
            }
        })
        .collect()
}

/// Share of iterations with duration ≤ `working_days` (up to the calendar's tolerance; none
/// when the deadline is before the first working day) and cost ≤ `budget` (up to a relative
/// 10⁻⁹), as `Report` counts each alone.
pub fn joint_probability(durations: &[f64], costs: &[f64], working_days: u64, budget: f64) -> f64 {
    if working_days == 0 || durations.is_empty() {
        return 0.0;
    }
    let (d_max, c_max) = (
        working_days as f64 + TOLERANCE,
        budget + 1e-9 * budget.abs().max(1.0),
    );
    let met = durations
        .iter()
        .zip(costs)
        .filter(|&(&d, &c)| d <= d_max && c <= c_max)
        .count();
    met as f64 / durations.len() as f64
}

/// The frontier at `confidence`: for [`FRONTIER_POINTS`] finishes evenly from the smallest
/// sampled finish f with P(duration ≤ f) ≥ confidence to the largest, the smallest sampled
/// cost c with P(duration ≤ f and cost ≤ c) ≥ confidence (the k-th smallest cost among the
/// iterations finishing by f, k = ⌈confidence · n⌉).
pub fn frontier(durations: &[f64], costs: &[f64], confidence: f64) -> Vec<FrontierPoint> {
    let n = durations.len();
    if n == 0 {
        return Vec::new();
    }
    let k = ((confidence * n as f64).ceil() as usize).clamp(1, n);
    let mut pairs: Vec<(f64, f64)> = durations
        .iter()
        .copied()
        .zip(costs.iter().copied())
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let (lo, hi) = (pairs[k - 1].0, pairs[n - 1].0);
    let steps = if hi > lo { FRONTIER_POINTS - 1 } else { 0 };
    let mut out = Vec::with_capacity(steps + 1);
    let mut prefix: Vec<f64> = Vec::with_capacity(n);
    for s in 0..=steps {
        let f = if s == steps {
            hi
        } else {
            lo + (hi - lo) * s as f64 / steps as f64
        };
        let m = pairs.partition_point(|p| p.0 <= f);
        prefix.clear();
        prefix.extend(pairs[..m].iter().map(|p| p.1));
        let (_, &mut c, _) = prefix.select_nth_unstable_by(k - 1, f64::total_cmp);
        out.push(FrontierPoint {
            duration: f,
            finish_date: None,
            cost: c,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joint_probability_counts_iterations_meeting_both() {
        let d = [8.0, 9.0, 10.0, 11.0];
        let c = [400.0, 300.0, 200.0, 100.0];
        // Duration ≤ 10 and cost ≤ 300: iterations 1 and 2.
        assert_eq!(joint_probability(&d, &c, 10, 300.0), 0.5);
        assert_eq!(joint_probability(&d, &c, 0, 1e9), 0.0);
    }

    #[test]
    fn the_frontier_takes_the_kth_cost_among_iterations_finishing_in_time() {
        let d = [1.0, 2.0, 3.0, 4.0];
        let c = [40.0, 10.0, 30.0, 20.0];
        // Confidence 0.5: k = 2. From f = 2 (2nd smallest duration) to 4.
        let f = frontier(&d, &c, 0.5);
        assert_eq!(f.len(), FRONTIER_POINTS);
        assert_eq!((f[0].duration, f[0].cost), (2.0, 40.0));
        let last = f.last().unwrap();
        assert_eq!((last.duration, last.cost), (4.0, 20.0));
        // f = 3: costs 40, 10, 30 → second smallest 30.
        let at3 = f.iter().find(|p| p.duration == 3.0).unwrap();
        assert_eq!(at3.cost, 30.0);
    }
}
