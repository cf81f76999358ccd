//! The cost part of a compiled plan: fixed costs (certain and three-point), each task's money
//! per working day of duration, the resources whose rate is uncertain, and the resources paid
//! as a team (for their whole time on the project).

use std::collections::HashMap;

use super::super::csr::Csr;
use super::super::sampler::Sampler;
use super::network::Network;
use crate::model::{Billing, Project, RateUnit};

/// A task's three-point fixed cost.
#[derive(Debug, Clone)]
pub struct CostRange {
    /// The task's position.
    pub pos: u32,
    /// The cost's sampler.
    pub sampler: Sampler,
}

/// A resource with a three-point rate, drawn once per iteration.
#[derive(Debug, Clone)]
pub struct RateRange {
    /// The resource's id (names its random stream).
    pub id: String,
    /// Rate sampler, per unit of the resource's billing unit.
    pub sampler: Sampler,
    /// The factor turning a drawn rate into a daily rate (hours per day, or 1).
    pub per_day: f64,
}

/// A resource billed as a team and used by some task: paid `capacity` units × its daily rate
/// for every working day of its pay window `[from, min(project finish, until))` (empty when
/// the project finishes before it joins). Its assigned task time is part of that pay: tasks' money per day leaves
/// it out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TeamPay {
    /// Units paid every day of the window.
    pub capacity: f64,
    /// Working day on which the pay starts (0: the project start).
    pub from: f64,
    /// Working day after which it stops even if the project goes on (`f64::INFINITY`: never).
    pub until: f64,
    /// Money per working day for one unit at the most likely rate (the deterministic plan,
    /// and every iteration when `rate` is `None`).
    pub daily_rate: f64,
    /// The resource's index into [`Costs::rates`] when its rate is drawn per iteration.
    pub rate: Option<u32>,
}

impl TeamPay {
    /// Working days paid when the project finishes at `end`.
    #[inline(always)]
    pub fn days(&self, end: f64) -> f64 {
        (end.min(self.until) - self.from).max(0.0)
    }
}

/// What a plan costs. Indexed by position.
#[derive(Debug, Clone)]
pub struct Costs {
    /// By position; empty when every task's is zero (`or_empty`), as are the two below.
    per_day: Vec<f64>,
    per_day_certain: Vec<f64>,
    fixed: f64,
    fixed_certain: f64,
    ranges: Vec<CostRange>,
    /// Index into `ranges` of each position's three-point cost, or `u32::MAX`; empty when no
    /// task has one.
    range_of: Vec<u32>,
    rates: Vec<RateRange>,
    rate_uses: Csr<(u32, f64)>,
    team: Vec<TeamPay>,
}

impl Costs {
    /// The costs of a validated project laid out like `net`.
    pub(super) fn build(project: &Project, net: &Network) -> Costs {
        let n = net.len();
        let order = net.order();
        // Task time of a team-billed resource is paid by its team pay: 0 per day here.
        let rates: HashMap<&str, f64> = project
            .resources
            .iter()
            .map(|r| {
                let by_task = r.billing == Billing::Task;
                (r.id.as_str(), if by_task { r.daily_rate() } else { 0.0 })
            })
            .collect();
        let team_billed: std::collections::HashSet<&str> = project
            .resources
            .iter()
            .filter(|r| r.billing == Billing::Team)
            .map(|r| r.id.as_str())
            .collect();
        let per_day = order
            .iter()
            .map(|&i| {
                project.tasks[i]
                    .resources
                    .iter()
                    .map(|a| a.units * rates[a.resource.as_str()])
                    .sum()
            })
            .collect();
        let ranges: Vec<CostRange> = order
            .iter()
            .enumerate()
            .filter_map(|(pos, &i)| {
                project.tasks[i].cost_range.as_ref().map(|r| CostRange {
                    pos: pos as u32,
                    sampler: Sampler::new(r),
                })
            })
            .collect();
        let fixed_certain: f64 = project
            .tasks
            .iter()
            .filter(|t| t.cost_range.is_none())
            .map(|t| t.cost)
            .sum();
        let rate_index: HashMap<&str, u32> = project
            .resources
            .iter()
            .filter(|r| r.rate_range.is_some())
            .enumerate()
            .map(|(k, r)| (r.id.as_str(), k as u32))
            .collect();
        let uncertain = project
            .resources
            .iter()
            .filter_map(|r| {
                let per_day = match r.unit {
                    RateUnit::Hour => r.hours_per_day,
                    RateUnit::Day => 1.0,
                };
                r.rate_range.as_ref().map(|e| RateRange {
                    id: r.id.clone(),
                    sampler: Sampler::new(e),
                    per_day,
                })
            })
            .collect();
        let mut rate_uses = Csr::with_capacity(n, 0);
        let mut per_day_certain = Vec::with_capacity(n);
        for &i in order {
            let mut certain = 0.0;
            let mut uses = Vec::new();
            for a in &project.tasks[i].resources {
                if team_billed.contains(a.resource.as_str()) {
                    continue;
                }
                match rate_index.get(a.resource.as_str()) {
                    Some(&k) => uses.push((k, a.units)),
                    None => certain += a.units * rates[a.resource.as_str()],
                }
            }
            rate_uses.push_row(uses);
            per_day_certain.push(certain);
        }
        // A team resource no task uses is not on the project (a scenario may leave out a hire).
        let used: std::collections::HashSet<&str> = project
            .tasks
            .iter()
            .flat_map(|t| t.resources.iter().filter(|a| a.units > 0.0))
            .map(|a| a.resource.as_str())
            .collect();
        let team = project
            .resources
            .iter()
            .filter(|r| r.billing == Billing::Team && used.contains(r.id.as_str()))
            .map(|r| TeamPay {
                capacity: r.capacity.unwrap_or(0.0),
                from: r.available_from.unwrap_or(0.0),
                until: r.available_until.unwrap_or(f64::INFINITY),
                daily_rate: r.daily_rate(),
                rate: rate_index.get(r.id.as_str()).copied(),
            })
            .collect();
        let mut range_of = vec![u32::MAX; n];
        for (k, r) in ranges.iter().enumerate() {
            range_of[r.pos as usize] = k as u32;
        }
        Costs {
            range_of: super::or_empty(range_of, &u32::MAX),
            per_day: super::or_empty(per_day, &0.0),
            per_day_certain: super::or_empty(per_day_certain, &0.0),
            fixed: project.tasks.iter().map(|t| t.cost).sum(),
            fixed_certain,
            ranges,
            rates: uncertain,
            rate_uses,
            team,
        }
    }

    /// Money per working day of duration, by position, at the most likely rates (Σ units ×
    /// daily rate): the deterministic plan.
    #[inline(always)]
    pub fn per_day(&self, pos: usize) -> f64 {
        self.per_day.get(pos).copied().unwrap_or(0.0)
    }

    /// Money per working day from resources with a fixed rate, by position (a simulation adds
    /// the uncertain rates' part per iteration, see [`Self::rate_uses_of`]).
    #[inline(always)]
    pub fn per_day_certain(&self, pos: usize) -> f64 {
        self.per_day_certain.get(pos).copied().unwrap_or(0.0)
    }

    /// Sum of the tasks' fixed costs at their most likely values (the deterministic plan).
    pub fn fixed(&self) -> f64 {
        self.fixed
    }

    /// Sum of the fixed costs that are not three-point (a simulation draws the others).
    pub fn fixed_certain(&self) -> f64 {
        self.fixed_certain
    }

    /// The three-point fixed costs.
    pub fn ranges(&self) -> &[CostRange] {
        &self.ranges
    }

    /// The index into [`Self::ranges`] of position `pos`'s three-point cost, if it has one.
    #[inline(always)]
    pub fn range_of(&self, pos: usize) -> Option<usize> {
        let k = self.range_of.get(pos).copied().unwrap_or(u32::MAX);
        (k != u32::MAX).then_some(k as usize)
    }

    /// The resources with a three-point rate.
    pub fn rates(&self) -> &[RateRange] {
        &self.rates
    }

    /// Position `pos`'s uses of uncertain-rate resources: `(index into rates(), units)`.
    #[inline(always)]
    pub fn rate_uses_of(&self, pos: usize) -> &[(u32, f64)] {
        self.rate_uses.row(pos)
    }

    /// The resources billed as a team, in file order.
    pub fn team(&self) -> &[TeamPay] {
        &self.team
    }

    /// Whether anything about cost is drawn per iteration (three-point costs or rates).
    pub fn is_uncertain(&self) -> bool {
        !self.ranges.is_empty() || !self.rates.is_empty()
    }
}
