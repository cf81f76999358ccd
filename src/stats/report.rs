//! Everything the outputs show, computed once from a project, its deterministic schedule and a
//! simulation. Outputs only format a [`Report`]; they compute nothing.

use chrono::NaiveDate;

use super::facts::{mean_daily_rate, Merges, PlanFacts};
use super::percentile::{fraction_at_or_below, quantile};
use super::profile::ResourceProfile;
use super::reserve::{reserves, ResourceReserve};
use super::schedule::too_far;
use super::summary::{sorted, Summary};
use crate::engine::{self, Schedule, Simulation};
use crate::error::Result;
use crate::model::calendar::{Calendar, TOLERANCE};
use crate::model::{Billing, Project};

/// The percentiles `milestone_stats.csv` reports.
pub const MILESTONE_PERCENTILES: [u32; 4] = [10, 50, 80, 90];

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

/// The project finish as dates (with a calendar): the duration's statistics mapped through
/// [`Calendar::finish_date`], which is monotone, so percentiles of dates are dates of
/// percentiles.
#[derive(Debug, Clone, PartialEq)]
pub struct DateSummary {
    /// Finish date of the deterministic plan.
    pub deterministic: NaiveDate,
    /// Earliest simulated finish date.
    pub min: NaiveDate,
    /// Latest simulated finish date.
    pub max: NaiveDate,
    /// Finish date at the confidence level.
    pub at_confidence: NaiveDate,
    /// `(k, date)` for every reported percentile k, as in [`Summary::percentiles`].
    pub percentiles: Vec<(u32, NaiveDate)>,
}

impl DateSummary {
    /// The date of reported percentile `k`, if it is one.
    pub fn p(&self, k: u32) -> Option<NaiveDate> {
        self.percentiles
            .iter()
            .find(|(j, _)| *j == k)
            .map(|(_, v)| *v)
    }
}

/// The chance of meeting a deadline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deadline {
    /// The deadline.
    pub date: NaiveDate,
    /// Working days from the start through the deadline, both included.
    pub working_days: u64,
    /// Fraction of iterations that finish on or before the deadline (duration ≤
    /// `working_days`).
    pub probability: f64,
}

/// Statistics of one milestone's finish, in working days from the project start.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneStat {
    /// Index in `Project::tasks`.
    pub task: usize,
    /// Task id.
    pub id: String,
    /// Task name.
    pub name: String,
    /// Finish in the deterministic plan.
    pub deterministic: f64,
    /// Mean simulated finish.
    pub mean: f64,
    /// `(k, Pk)` for every k in [`MILESTONE_PERCENTILES`].
    pub percentiles: Vec<(u32, f64)>,
    /// The same as dates, with a calendar.
    pub dates: Option<MilestoneDates>,
}

/// A milestone's finish as dates.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneDates {
    /// Date in the deterministic plan.
    pub deterministic: NaiveDate,
    /// `(k, date)` for every k in [`MILESTONE_PERCENTILES`].
    pub percentiles: Vec<(u32, NaiveDate)>,
}

/// What one risk did over the run.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskStat {
    /// Risk id.
    pub id: String,
    /// Risk name.
    pub name: String,
    /// "event" or "driver".
    pub kind: &'static str,
    /// The probability given in the register.
    pub probability: f64,
    /// Fraction of iterations in which it occurred.
    pub occurred: f64,
    /// Mean project duration minus the mean with this risk switched off (same random numbers
    /// for everything else), in working days.
    pub duration_contribution: f64,
    /// The same for the project cost.
    pub cost_contribution: f64,
}

/// What one resource did over the run, in expectation (see docs/format.md,
/// `resource_stats.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceStat {
    /// Resource id.
    pub id: String,
    /// Resource name.
    pub name: String,
    /// Units available at once; `None` is unlimited.
    pub capacity: Option<f64>,
    /// Mean money per working day for one unit (the mean of its rate range, if it has one).
    pub daily_rate: f64,
    /// Mean unit-days assigned: Σ over its tasks of units × the task's mean duration (exact by
    /// linearity of expectation).
    pub mean_busy_days: f64,
    /// Mean cost. Billed by task: `mean_busy_days` × the mean daily rate (rates are drawn
    /// independently of durations). Billed as a team: capacity × the mean paid days (its pay
    /// window in each iteration) × the mean daily rate, busy and idle days together.
    pub mean_cost: f64,
    /// Billed as a team: mean paid unit-days not spent on tasks, capacity × mean paid days −
    /// `mean_busy_days` (exact by linearity when levelling keeps its tasks inside its window).
    /// `None` for a resource billed by task, which is not paid when idle.
    pub mean_idle_days: Option<f64>,
    /// Billed as a team: `mean_idle_days` × the mean daily rate; `None` otherwise.
    pub mean_idle_cost: Option<f64>,
    /// `mean_busy_days` ÷ (capacity × mean project duration); `None` when the capacity is
    /// unlimited or the mean project duration is 0.
    pub utilisation: Option<f64>,
}

/// The chance of staying within a budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// The budget, in the project currency.
    pub amount: f64,
    /// Fraction of iterations whose cost is at most `amount` (up to a relative 10⁻⁹).
    pub probability: f64,
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
    /// Indices into `tasks` of the tasks that were ever critical, most often critical first
    /// (ties by id).
    pub criticality_ranking: Vec<usize>,
    /// All simulated durations, ascending.
    pub sorted_durations: Vec<f64>,
    /// All simulated costs, ascending.
    pub sorted_costs: Vec<f64>,
    /// Milestones in file order (empty when the plan has none).
    pub milestones: Vec<MilestoneStat>,
    /// The working-day calendar, when the project has a start date.
    pub calendar: Option<Calendar>,
    /// The finish as dates, with a calendar.
    pub finish_date: Option<DateSummary>,
    /// The deadline and the chance of meeting it, when one is given.
    pub deadline: Option<Deadline>,
    /// The risk register's effect, in register order (empty without risks).
    pub risks: Vec<RiskStat>,
    /// Per-resource statistics in file order (empty without resources).
    pub resources: Vec<ResourceStat>,
    /// The budget and the chance of staying within it, when one is given.
    pub budget: Option<Budget>,
    /// With `[project] delay_cost` (and a deadline): the cost of delay per working day late
    /// and the economic cost, cost + delay_cost × working days past the deadline, per
    /// iteration (the deterministic value from the plan's cost and duration).
    pub economic_cost: Option<EconomicCost>,
    /// How durations were sampled.
    pub sampling: crate::model::Sampling,
    /// Whether the iteration count was chosen automatically (`--iterations auto`).
    pub auto_iterations: bool,
    /// The expected resource profile, when it was measured (`--resource-profile`).
    pub resource_profile: Option<ResourceProfile>,
    /// Backup reserves per (scope, resource): the project first, then each milestone in file
    /// order, resources in file order; only pairs some task of the scope uses (empty when no
    /// task uses a resource, or when they were not measured).
    pub reserves: Vec<ResourceReserve>,
    /// When some tasks have no estimates and took their range from a rule: the rule and how
    /// many tasks did. Stated in every output so nobody mistakes it for estimates.
    pub range_rule: Option<RangeRuleUse>,
    /// What drives the risk, when it was measured (`--drivers`).
    pub drivers: Option<super::drivers::DriverReport>,
    /// The schedule health check of the plan (the same as `p80 check` prints).
    pub health: super::health::Health,
    /// The finish in sprints, when the project has `sprint_length`.
    pub sprints: Option<super::sprints::SprintSummary>,
    /// What the Gantt chart shows (tasks' deterministic bars; date ticks with a calendar).
    pub gantt: super::gantt::GanttData,
    /// The project's scenarios side by side, when they were simulated for `p80 report`
    /// (empty otherwise).
    pub scenarios: Vec<super::comparison::ScenarioRow>,
}

/// The economic cost: what the project costs once each working day past the deadline is
/// charged at the cost of delay.
#[derive(Debug, Clone, PartialEq)]
pub struct EconomicCost {
    /// Money per working day past the deadline.
    pub delay_cost: f64,
    /// The economic cost's statistics (the same as `Report::cost`'s).
    pub summary: Summary,
}

/// Tasks whose three points come from a range rule (`[import] range`), not from estimates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeRuleUse {
    /// The multipliers of the scheduled duration.
    pub rule: crate::model::RangeRule,
    /// How many tasks took their range from it.
    pub tasks: usize,
}

impl RangeRuleUse {
    /// The sentence every output uses.
    pub fn sentence(&self) -> String {
        let [o, m, p] = self.rule.0;
        format!(
            "{} task{} ha{} no estimates: {} ranges are the rule {} (optimistic {o}, likely {m}, \
             pessimistic {p} × the scheduled duration), not estimates",
            self.tasks,
            if self.tasks == 1 { "" } else { "s" },
            if self.tasks == 1 { "s" } else { "ve" },
            if self.tasks == 1 { "its" } else { "their" },
            self.rule,
        )
    }
}

impl Report {
    /// Builds the report. `schedule` and `sim` must come from a plan compiled from `project`
    /// ([`Self::from_facts`] with the project's [`PlanFacts`]).
    pub fn new(
        project: &Project,
        schedule: &Schedule,
        sim: &Simulation,
        seed: u64,
        confidence: f64,
    ) -> Report {
        let facts = PlanFacts::new(project, &schedule.early_finish);
        Report::from_facts(facts, schedule, sim, seed, confidence)
    }

    /// Builds the report from what it reads of the project, taken before the run (so that
    /// the project's tasks need not be in memory during it). `schedule` and `sim` must come
    /// from the plan compiled from the project `facts` were taken from.
    pub fn from_facts(
        facts: PlanFacts,
        schedule: &Schedule,
        sim: &Simulation,
        seed: u64,
        confidence: f64,
    ) -> Report {
        let sorted_durations = sorted(&sim.durations);
        let sorted_costs = sorted(&sim.costs);
        // Latin hypercube runs: standard errors from the spread between replicates.
        let duration = Summary::from_sorted(&sorted_durations, schedule.duration, confidence)
            .with_replicates(&sim.durations, &sim.replicates, confidence);
        let cost = Summary::from_sorted(&sorted_costs, schedule.cost, confidence).with_replicates(
            &sim.costs,
            &sim.replicates,
            confidence,
        );
        let tasks: Vec<TaskStat> = (facts.tasks.mean_costs(&sim.mean_duration).enumerate())
            .map(|(i, mean_cost)| TaskStat {
                id: facts.tasks.id(i).to_owned(),
                name: facts.tasks.name(i).to_owned(),
                mean_duration: sim.mean_duration[i],
                criticality: sim.criticality[i],
                mean_cost,
                deterministic_critical: schedule.critical[i],
            })
            .collect();
        let mut milestones: Vec<MilestoneStat> = sim
            .milestones
            .iter()
            .map(|m| {
                let t = &tasks[m.task];
                let finish = sorted(&m.finish);
                MilestoneStat {
                    task: m.task,
                    id: t.id.clone(),
                    name: t.name.clone(),
                    deterministic: schedule.early_finish[m.task],
                    mean: finish.iter().sum::<f64>() / finish.len() as f64,
                    percentiles: MILESTONE_PERCENTILES
                        .iter()
                        .map(|&k| (k, quantile(&finish, f64::from(k) / 100.0)))
                        .collect(),
                    dates: None,
                }
            })
            .collect();
        milestones.sort_by_key(|m| m.task);
        let resources = resource_stats(&facts, &sim.mean_duration, &sim.durations, duration.mean);
        let gantt = super::gantt::GanttData::new(
            facts.tasks.kinds().iter().copied(),
            schedule,
            &sim.criticality,
        );
        drop(facts.tasks);
        Report {
            project: facts.project,
            currency: facts.currency,
            iterations: sim.durations.len(),
            seed,
            confidence,
            buffer: Buffer {
                schedule_days: duration.at_confidence - duration.deterministic,
                cost_reserve: cost.at_confidence - cost.deterministic,
            },
            duration,
            cost,
            criticality_ranking: criticality_ranking(&tasks),
            tasks,
            sorted_durations,
            sorted_costs,
            milestones,
            calendar: None,
            finish_date: None,
            deadline: None,
            sampling: crate::model::Sampling::Random,
            auto_iterations: false,
            resource_profile: None,
            reserves: Vec::new(),
            range_rule: None,
            drivers: None,
            health: facts.health,
            sprints: None,
            gantt,
            scenarios: Vec::new(),
            resources,
            budget: None,
            economic_cost: None,
            risks: facts
                .risks
                .into_iter()
                .zip(&sim.risk_occurrence)
                .map(|(r, &occurred)| RiskStat {
                    id: r.id,
                    name: r.name,
                    kind: match r.kind {
                        crate::model::RiskKind::Event => "event",
                        crate::model::RiskKind::Driver => "driver",
                    },
                    probability: r.probability,
                    occurred,
                    duration_contribution: 0.0,
                    cost_contribution: 0.0,
                })
                .collect(),
        }
    }

    /// Records that `tasks` tasks took their range from `rule` (nothing when none did).
    pub fn with_range_rule(mut self, used: Option<(crate::model::RangeRule, usize)>) -> Report {
        self.range_rule = used
            .filter(|(_, n)| *n > 0)
            .map(|(rule, tasks)| RangeRuleUse { rule, tasks });
        self
    }

    /// Records how the run was sampled and whether its iteration count was automatic.
    pub fn with_run(mut self, sampling: crate::model::Sampling, auto_iterations: bool) -> Report {
        self.sampling = sampling;
        self.auto_iterations = auto_iterations;
        self
    }

    /// Sets each risk's contribution from the mean duration and cost of a run with that risk
    /// switched off (`without[r]`, same seed and iterations).
    pub fn with_risk_contributions(mut self, without: &[(f64, f64)]) -> Report {
        for (r, &(d, c)) in self.risks.iter_mut().zip(without) {
            r.duration_contribution = self.duration.mean - d;
            r.cost_contribution = self.cost.mean - c;
        }
        self
    }

    /// Adds the chance of staying within `budget` (cost ≤ budget, up to a relative 10⁻⁹ so
    /// that a budget equal to a fixed cost is met despite rounding in the sums).
    pub fn with_budget(mut self, budget: Option<f64>) -> Report {
        self.budget = budget.map(|amount| Budget {
            amount,
            probability: fraction_at_or_below(
                &self.sorted_costs,
                amount + 1e-9 * amount.abs().max(1.0),
            ),
        });
        self
    }

    /// Adds the economic cost of each iteration of `sim` (the simulation this report was built
    /// from): its cost + `delay_cost` × max(0, duration − the deadline's working days). Needs
    /// the deadline ([`Self::with_calendar`] first); nothing without `delay_cost` or a deadline.
    /// Durations within the calendar's tolerance of the deadline are on time, as for the
    /// deadline's probability.
    pub fn with_delay_cost(mut self, sim: &Simulation, delay_cost: Option<f64>) -> Report {
        let (Some(rate), Some(deadline)) = (delay_cost, self.deadline) else {
            return self;
        };
        let due = deadline.working_days as f64;
        let economic = |duration: f64, cost: f64| {
            let late = duration - due;
            cost + if late > TOLERANCE { rate * late } else { 0.0 }
        };
        let values: Vec<f64> = sim
            .durations
            .iter()
            .zip(&sim.costs)
            .map(|(&d, &c)| economic(d, c))
            .collect();
        let deterministic = economic(self.duration.deterministic, self.cost.deterministic);
        let summary = Summary::from_sorted(&sorted(&values), deterministic, self.confidence)
            .with_replicates(&values, &sim.replicates, self.confidence);
        self.economic_cost = Some(EconomicCost {
            delay_cost: rate,
            summary,
        });
        self
    }

    /// Adds what drives the risk from the engine's `drivers` (indexed like `project.tasks`),
    /// the project's merge points and the per-iteration results of `sim`. Call it after
    /// [`Self::with_calendar`] and [`Self::with_budget`]: it dates percentiles with the
    /// calendar and gives the joint confidence when there are both a deadline and a budget.
    pub fn with_drivers(
        mut self,
        merges: &Merges,
        sim: &Simulation,
        drivers: &[engine::TaskDrivers],
    ) -> Result<Report> {
        self.drivers = Some(super::drivers::DriverReport::new(
            &self.tasks,
            merges,
            drivers,
            &sim.durations,
            &sim.costs,
            self.duration.std,
            self.confidence,
            self.calendar.as_ref(),
            self.deadline.map(|d| (d.date, d.working_days)),
            self.budget.map(|b| b.amount),
        )?);
        // The Gantt chart marks each task's simulated P50 and P80 finish.
        if let Some(d) = &self.drivers {
            for (g, t) in self.gantt.tasks.iter_mut().zip(&d.tasks) {
                g.finish_marks = Some(super::gantt::FinishMarks {
                    p50: t.finish_p50,
                    p80: t.finish_p80,
                });
            }
        }
        Ok(self)
    }

    /// Adds the expected resource profile measured by the engine (resources named as in
    /// `resources`).
    pub fn with_resource_profile(mut self, profile: &engine::ResourceProfile) -> Report {
        let names: Vec<(&str, &str)> = self
            .resources
            .iter()
            .map(|r| (r.id.as_str(), r.name.as_str()))
            .collect();
        self.resource_profile = Some(ResourceProfile::from_engine(profile, &names));
        self
    }

    /// Adds the scenarios' summary rows (`p80 report` of a plan with `[[scenario]]` blocks).
    pub fn with_scenarios(mut self, comparison: &super::Comparison) -> Report {
        self.scenarios = comparison.rows();
        self
    }

    /// Adds the backup reserves from the demand the engine measured per (scope, resource), at
    /// the report's confidence. `samples` must come from the plan this report is of.
    pub fn with_reserves(mut self, samples: &[engine::ReserveSamples]) -> Report {
        self.reserves = reserves(&self.tasks, &self.resources, samples, self.confidence);
        self
    }

    /// Adds the finish in sprints (after [`Report::with_calendar`], whose calendar it uses
    /// for a `sprint_start` date and the sprints' end dates).
    pub fn with_sprints(mut self, sprints: &crate::model::Sprints) -> Result<Report> {
        self.sprints = Some(super::sprints::SprintSummary::new(
            sprints,
            &self.duration,
            self.calendar.as_ref(),
        )?);
        Ok(self)
    }

    /// Adds dates: the finish dates of the project and of its milestones under `calendar`, and
    /// the chance of meeting `deadline` (which must not be before the calendar's start).
    ///
    /// Fails (a usage error) when a date would fall after [`Calendar::LAST_DATE`].
    pub fn with_calendar(
        mut self,
        calendar: &Calendar,
        deadline: Option<NaiveDate>,
    ) -> Result<Report> {
        let date = |offset: f64| {
            calendar
                .finish_date(offset)
                .ok_or_else(|| too_far(calendar, offset))
        };
        let d = &self.duration;
        self.finish_date = Some(DateSummary {
            deterministic: date(d.deterministic)?,
            min: date(d.min)?,
            max: date(d.max)?,
            at_confidence: date(d.at_confidence)?,
            percentiles: d
                .percentiles
                .iter()
                .map(|&(k, v)| Ok((k, date(v)?)))
                .collect::<Result<_>>()?,
        });
        for m in &mut self.milestones {
            m.dates = Some(MilestoneDates {
                deterministic: date(m.deterministic)?,
                percentiles: m
                    .percentiles
                    .iter()
                    .map(|&(k, v)| Ok((k, date(v)?)))
                    .collect::<Result<_>>()?,
            });
        }
        self.deadline = deadline.map(|date| {
            let working_days = calendar.working_days_through(date);
            // Finishing on working day ⌈D⌉ (at least 1) is on or before the deadline exactly
            // when D ≤ working_days (up to the calendar's tolerance) and working_days ≥ 1.
            let probability = if working_days == 0 {
                0.0
            } else {
                fraction_at_or_below(&self.sorted_durations, working_days as f64 + TOLERANCE)
            };
            Deadline {
                date,
                working_days,
                probability,
            }
        });
        // Date ticks for the Gantt chart as far as any value it can show: the longest run, the
        // deadline, with a tenth to spare.
        let horizon = self
            .duration
            .max
            .max(self.duration.deterministic)
            .max(self.deadline.map_or(0.0, |d| d.working_days as f64))
            * 1.1
            + 5.0;
        self.gantt.add_dates(calendar, horizon);
        self.calendar = Some(calendar.clone());
        Ok(self)
    }
}

/// Indices of the tasks with a criticality above 0, most often critical first, ties by id.
fn criticality_ranking(tasks: &[TaskStat]) -> Vec<usize> {
    let mut ranking: Vec<usize> = (0..tasks.len())
        .filter(|&i| tasks[i].criticality > 0.0)
        .collect();
    ranking.sort_by(|&a, &b| {
        tasks[b]
            .criticality
            .total_cmp(&tasks[a].criticality)
            .then_with(|| tasks[a].id.cmp(&tasks[b].id))
    });
    ranking
}

/// Per-resource busy time, cost and utilisation from the per-task mean durations, and for
/// team-billed resources the paid and idle time from every iteration's project duration.
fn resource_stats(
    facts: &PlanFacts,
    mean_duration: &[f64],
    durations: &[f64],
    mean_project: f64,
) -> Vec<ResourceStat> {
    let mut busy = vec![0.0; facts.resources.len()];
    let mut used = vec![false; facts.resources.len()];
    for u in &facts.uses {
        let r = u.resource as usize;
        busy[r] += u.units * mean_duration[u.task as usize];
        used[r] |= u.units > 0.0;
    }
    facts
        .resources
        .iter()
        .zip(busy)
        .zip(used)
        .map(|((r, busy), used)| {
            let rate = mean_daily_rate(r);
            // A team resource no task uses is not on the project: paid nothing.
            let paid = (r.billing == Billing::Team).then(|| {
                if used {
                    r.capacity.unwrap_or(0.0) * mean_paid_days(r, durations)
                } else {
                    0.0
                }
            });
            ResourceStat {
                id: r.id.clone(),
                name: r.name.clone(),
                capacity: r.capacity,
                daily_rate: rate,
                mean_busy_days: busy,
                mean_cost: paid.unwrap_or(busy) * rate,
                mean_idle_days: paid.map(|p| p - busy),
                mean_idle_cost: paid.map(|p| (p - busy) * rate),
                utilisation: r
                    .capacity
                    .filter(|_| mean_project > 0.0)
                    .map(|c| busy / (c * mean_project)),
            }
        })
        .collect()
}

/// The mean number of working days a team-billed resource is paid for: its pay window
/// `[from, min(finish, until))` in each iteration (the engine's `TeamPay::days`), averaged.
fn mean_paid_days(r: &crate::model::Resource, durations: &[f64]) -> f64 {
    if durations.is_empty() {
        return 0.0;
    }
    let from = r.available_from.unwrap_or(0.0);
    let until = r.available_until.unwrap_or(f64::INFINITY);
    durations
        .iter()
        .map(|&e| (e.min(until) - from).max(0.0))
        .sum::<f64>()
        / durations.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ResourceProfile as EngineProfile;
    use crate::stats::testing::report;

    #[test]
    fn tasks_are_ranked_by_criticality_then_id() {
        let mk = |id: &str, criticality: f64| TaskStat {
            id: id.into(),
            name: String::new(),
            mean_duration: 1.0,
            criticality,
            mean_cost: 0.0,
            deterministic_critical: false,
        };
        let tasks = [mk("c", 0.5), mk("a", 0.0), mk("b", 0.9), mk("a2", 0.5)];
        assert_eq!(criticality_ranking(&tasks), vec![2, 3, 0]);
        let r = report(&[9.0, 10.0, 11.0], &[1.0, 2.0, 3.0]);
        assert_eq!(r.criticality_ranking, vec![1, 0]);
    }

    #[test]
    fn budget_and_plan_shares() {
        let r =
            report(&[8.0, 9.0, 10.0, 11.0], &[250.0, 300.0, 300.0, 400.0]).with_budget(Some(300.0));
        // Durations at or below the plan's 10 days: 3 of 4; costs within 300: 3 of 4.
        assert_eq!(r.duration.at_or_below_plan, 0.75);
        assert_eq!(r.budget.unwrap().probability, 0.75);
        assert_eq!(r.cost.at_or_below_plan, 0.75);
        // Buffer at P80 (position 2.4): 10.4 − 10 days, 340 − 300.
        assert!((r.buffer.schedule_days - 0.4).abs() < 1e-12);
        assert!((r.buffer.cost_reserve - 40.0).abs() < 1e-9);
    }

    #[test]
    fn the_resource_profile_is_carried_with_names() {
        let p = EngineProfile {
            bin_days: 1.0,
            resources: vec!["x".into()],
            capacity: vec![Some(2.0)],
            units: vec![vec![1.0, 0.5]],
            beyond: vec![0.0],
        };
        let r = report(&[1.0], &[1.0]).with_resource_profile(&p);
        let prof = r.resource_profile.unwrap();
        assert_eq!(prof.resources[0].name, "x");
        assert_eq!(prof.busy_until, 2.0);
    }
}
