//! Everything the outputs show, computed once from a project, its deterministic schedule and a
//! simulation. Outputs only format a [`Report`]; they compute nothing.

use super::summary::{sorted, Summary};
use crate::engine::{CompiledPlan, Schedule, Simulation};
use crate::model::Project;

/// Per-task statistics, in the project's file order.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskStat {
    /// Task id.
    pub id: String,
    /// Task name.
    pub name: String,
    /// Mean sampled duration (working days).
    pub mean_duration: f64,
    /// Fraction of iterations on a longest path (ties count for every tied task).
    pub criticality: f64,
    /// Mean cost: fixed cost + daily resource cost × mean duration.
    pub mean_cost: f64,
    /// Whether the task is on the deterministic critical path.
    pub deterministic_critical: bool,
}

/// Buffer and reserve to hold at the chosen confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Buffer {
    /// Duration at the confidence − deterministic duration (working days).
    pub schedule_days: f64,
    /// Cost at the confidence − deterministic cost.
    pub cost_reserve: f64,
}

/// The results of one run, ready to be written in any format.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Project name.
    pub project: String,
    /// Currency of costs.
    pub currency: String,
    /// Iterations simulated.
    pub iterations: usize,
    /// The seed used.
    pub seed: u64,
    /// The confidence level, in (0, 1).
    pub confidence: f64,
    /// Project duration (working days).
    pub duration: Summary,
    /// Project cost.
    pub cost: Summary,
    /// Recommended buffer and reserve.
    pub buffer: Buffer,
    /// Per-task statistics in file order.
    pub tasks: Vec<TaskStat>,
    /// All simulated durations, ascending.
    pub sorted_durations: Vec<f64>,
    /// All simulated costs, ascending.
    pub sorted_costs: Vec<f64>,
}

impl Report {
    /// Builds the report. `sim` must come from `plan`, compiled from `project`.
    pub fn new(
        project: &Project,
        plan: &CompiledPlan,
        schedule: &Schedule,
        sim: &Simulation,
        seed: u64,
        confidence: f64,
    ) -> Report {
        let sorted_durations = sorted(&sim.durations);
        let sorted_costs = sorted(&sim.costs);
        let duration = Summary::from_sorted(&sorted_durations, schedule.duration, confidence);
        let cost = Summary::from_sorted(&sorted_costs, schedule.cost, confidence);
        let mut per_day = vec![0.0; project.tasks.len()];
        for (pos, &t) in plan.order.iter().enumerate() {
            per_day[t] = plan.cost_per_day[pos];
        }
        let tasks = project
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| TaskStat {
                id: t.id.clone(),
                name: t.name.clone(),
                mean_duration: sim.mean_duration[i],
                criticality: sim.criticality[i],
                mean_cost: t.cost + per_day[i] * sim.mean_duration[i],
                deterministic_critical: schedule.critical[i],
            })
            .collect();
        Report {
            project: project.name.clone(),
            currency: project.currency.clone(),
            iterations: sim.durations.len(),
            seed,
            confidence,
            buffer: Buffer {
                schedule_days: duration.at_confidence - duration.deterministic,
                cost_reserve: cost.at_confidence - cost.deterministic,
            },
            duration,
            cost,
            tasks,
            sorted_durations,
            sorted_costs,
        }
    }

    /// "P80" for confidence 0.8 (rounded to a whole percent, or one decimal when needed).
    pub fn confidence_label(&self) -> String {
        confidence_label(self.confidence)
    }
}

/// "P80" for 0.8, "P97.5" for 0.975.
pub fn confidence_label(c: f64) -> String {
    let pct = c * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("P{}", pct.round())
    } else {
        format!("P{}", (pct * 10.0).round() / 10.0)
    }
}
