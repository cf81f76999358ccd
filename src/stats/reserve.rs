//! Backup reserves per resource: how much more of each resource than the plan assigns to hold,
//! for the project and for the work before each milestone, at the chosen confidence. The only
//! place that reads `engine::ReserveSamples`.

use super::percentile::quantile;
use super::report::{ResourceStat, TaskStat};
use super::summary::sorted;
use crate::engine::{ReserveSamples, Scope};

/// The percentiles `resource_reserve.csv` reports besides the confidence level.
pub const RESERVE_PERCENTILES: [u32; 3] = [50, 80, 90];

/// The demand on one resource within one scope (see docs/format.md, `resource_reserve.csv`):
/// units × duration summed over the scope's tasks that use it, in the resource's billing
/// unit (days, or hours for resources billed by the hour: × hours per day).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceReserve {
    /// The milestone whose predecessors' work this is (index in `Project::tasks`); `None`
    /// for the whole project.
    pub milestone: Option<usize>,
    /// `project`, or the milestone's id.
    pub scope: String,
    /// Resource id.
    pub resource: String,
    /// `day` or `hour`: the resource's billing unit, the unit of every value below.
    pub unit: &'static str,
    /// Demand in the deterministic plan (most likely durations).
    pub plan: f64,
    /// Mean demand over the iterations.
    pub mean: f64,
    /// `(k, Pk)` for every k in [`RESERVE_PERCENTILES`] (type-7 quantiles).
    pub percentiles: Vec<(u32, f64)>,
    /// Demand at the confidence level.
    pub at_confidence: f64,
    /// `at_confidence − plan`: what to hold beyond the plan (negative when the plan already
    /// covers the confidence level).
    pub reserve: f64,
}

impl ResourceReserve {
    /// The demand at reported percentile `k`, if it is one.
    pub fn p(&self, k: u32) -> Option<f64> {
        self.percentiles
            .iter()
            .find(|(j, _)| *j == k)
            .map(|(_, v)| *v)
    }

    /// Whether this is the whole project's demand (not a milestone's).
    pub fn is_project(&self) -> bool {
        self.milestone.is_none()
    }
}

/// Every (scope, resource) pair's reserve, in the engine's order (the project, then milestones
/// in file order; resources in file order). `samples` must come from a plan compiled from the
/// project whose `tasks` and `resources` these are (the report's, in file order).
pub fn reserves(
    tasks: &[TaskStat],
    resources: &[ResourceStat],
    samples: &[ReserveSamples],
    confidence: f64,
) -> Vec<ResourceReserve> {
    samples
        .iter()
        .map(|s| {
            let demand = sorted(&s.demand);
            let at_confidence = quantile(&demand, confidence);
            let (milestone, scope) = match s.scope {
                Scope::Project => (None, "project".to_string()),
                Scope::Milestone(t) => (Some(t), tasks[t].id.clone()),
            };
            ResourceReserve {
                milestone,
                scope,
                resource: resources[s.resource].id.clone(),
                unit: if s.hourly { "hour" } else { "day" },
                plan: s.plan,
                // Summed in ascending order, as `Summary` sums the duration.
                mean: demand.iter().sum::<f64>() / demand.len().max(1) as f64,
                percentiles: RESERVE_PERCENTILES
                    .iter()
                    .map(|&k| (k, quantile(&demand, f64::from(k) / 100.0)))
                    .collect(),
                at_confidence,
                reserve: at_confidence - s.plan,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testing::project;

    #[test]
    fn percentiles_and_reserve_by_hand() {
        let p = project(
            "id,type,optimistic,likely,pessimistic,depends_on,resources\n\
             a,,1,2,3,,gpu:2\n\
             m,milestone,0,0,0,a,\n",
            Some("id,rate,unit,hours_per_day\ngpu,3,hour,24\n"),
        );
        let samples = [
            ReserveSamples {
                scope: Scope::Project,
                resource: 0,
                hourly: true,
                plan: 2.5,
                demand: vec![5.0, 1.0, 4.0, 2.0, 3.0],
            },
            ReserveSamples {
                scope: Scope::Milestone(1),
                resource: 0,
                hourly: false,
                plan: 10.0,
                demand: vec![8.0; 3],
            },
        ];
        // The report's tasks and resources, named as in the project.
        let tasks: Vec<TaskStat> = p
            .tasks
            .iter()
            .map(|t| TaskStat {
                id: t.id.clone(),
                name: t.name.clone(),
                mean_duration: 0.0,
                criticality: 0.0,
                mean_cost: 0.0,
                deterministic_critical: false,
            })
            .collect();
        let resources: Vec<ResourceStat> = p
            .resources
            .iter()
            .map(|r| ResourceStat {
                id: r.id.clone(),
                name: r.name.clone(),
                capacity: r.capacity,
                daily_rate: 0.0,
                mean_busy_days: 0.0,
                mean_cost: 0.0,
                mean_idle_days: None,
                mean_idle_cost: None,
                utilisation: None,
            })
            .collect();
        let r = reserves(&tasks, &resources, &samples, 0.75);
        // 1…5: mean 3; type 7 at q: 1 + 4q, so P50 3, P80 4.2, P90 4.6, P75 4.
        assert_eq!(r[0].scope, "project");
        assert!(r[0].is_project());
        assert_eq!((r[0].resource.as_str(), r[0].unit), ("gpu", "hour"));
        assert_eq!(r[0].mean, 3.0);
        assert_eq!(r[0].p(50), Some(3.0));
        assert!((r[0].p(80).unwrap() - 4.2).abs() < 1e-12);
        assert!((r[0].p(90).unwrap() - 4.6).abs() < 1e-12);
        assert_eq!(r[0].at_confidence, 4.0);
        assert_eq!(r[0].reserve, 1.5);
        // A constant demand below the plan: a negative reserve, said as it is.
        assert_eq!((r[1].scope.as_str(), r[1].unit), ("m", "day"));
        assert_eq!(r[1].milestone, Some(1));
        assert_eq!(r[1].reserve, -2.0);
    }
}
