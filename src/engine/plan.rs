//! The compiled plan: a validated [`Project`] flattened once into arrays in topological order,
//! so the simulation's inner loop touches only contiguous memory.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::pert_table::{self, Row};
use super::sampler::Sampler;
use crate::model::{LinkKind, RiskKind, TaskKind};

/// `CompiledPlan::corr_slot` of an uncorrelated task.
pub const NO_SLOT: u32 = u32::MAX;

/// At most this many distinct PERT shapes get a pre-blended row (4 KiB each); the rest sample
/// from the shared table directly (two rows per draw, ~20% slower, same values up to f32
/// rounding).
pub const MAX_BLENDED_ROWS: usize = 1024;

/// Gives each distinct PERT shape (in plan order, up to the cap) its own blended row.
fn blend_pert_rows(samplers: &mut [Sampler]) -> Vec<Row> {
    let mut index: HashMap<(u32, u32), u32> = HashMap::new();
    let mut rows: Vec<Row> = Vec::new();
    if !samplers.iter().any(|s| matches!(s, Sampler::Pert { .. })) {
        return rows;
    }
    let table = pert_table::table(); // built now (in parallel), not inside the first chunk
    for s in samplers.iter_mut() {
        if let Sampler::Pert {
            row, w, blended, ..
        } = s
        {
            let key = (*row, w.to_bits());
            let next = rows.len();
            if let Some(&i) = index.get(&key) {
                *blended = i;
            } else if next < MAX_BLENDED_ROWS {
                rows.push(*table.blend(*row as usize, *w));
                index.insert(key, next as u32);
                *blended = next as u32;
            }
        }
    }
    rows
}
use crate::model::Project;

/// The duration sampler of each forecast tasks use: the exact law of its whole periods, in
/// working days ([`super::forecast_exact`]); and a warning for each that can exceed
/// [`crate::model::forecast::MAX_PERIODS`] periods.
fn forecast_samplers(project: &Project) -> (HashMap<&str, Sampler>, Vec<String>) {
    let mut samplers = HashMap::new();
    let mut warnings = Vec::new();
    for f in &project.forecasts {
        let compiled = super::forecast::CompiledForecast::compile(f);
        let Some(law) = super::forecast_exact::periods_distribution(&compiled) else {
            continue; // validation admits only "when" forecasts for tasks
        };
        if law.beyond_cap > 0.0 {
            warnings.push(format!(
                "{}: with a probability of {:.2e} the backlog would take more than {} periods; \
                 tasks using it stop at {} periods then",
                f.label(),
                law.beyond_cap,
                crate::model::forecast::MAX_PERIODS,
                crate::model::forecast::MAX_PERIODS
            ));
        }
        if let Some(name) = f.name.as_deref() {
            samplers.insert(name, law.sampler(f.period_length));
        }
    }
    (samplers, warnings)
}

/// A risk ready to simulate.
#[derive(Debug, Clone)]
pub struct CompiledRisk {
    /// The risk's id (names its random streams).
    pub id: String,
    /// Probability of occurring in an iteration.
    pub probability: f64,
    /// Event (adds days) or driver (multiplies durations).
    pub kind: RiskKind,
    /// Impact sampler: working days or a factor.
    pub impact: Sampler,
    /// Cost sampler (once per iteration when it occurs), if any.
    pub cost: Option<Sampler>,
}

/// A plan ready to simulate. Positions (`pos`) index the arrays in topological order;
/// `order[pos]` is the task's index in `Project::tasks`.
#[derive(Debug, Clone)]
pub struct CompiledPlan {
    /// Task index in the project for each position.
    pub order: Vec<usize>,
    /// Task ids by position (they name the random streams).
    pub ids: Vec<String>,
    /// Duration sampler by position.
    pub samplers: Vec<Sampler>,
    /// Most likely duration by position (the deterministic plan).
    pub likely: Vec<f64>,
    /// Predecessors of position `pos` are `preds[pred_start[pos]..pred_start[pos + 1]]`,
    /// all at smaller positions.
    pub pred_start: Vec<u32>,
    /// Flattened predecessor positions.
    pub preds: Vec<u32>,
    /// Link type of each entry of `preds`.
    pub link_kind: Vec<LinkKind>,
    /// Lag (working days, negative for a lead) of each entry of `preds`.
    pub link_lag: Vec<f64>,
    /// Whether any link is not a plain finish-to-start without lag, any task is a level of
    /// effort or has an earliest start. Plain plans take the fast path: start = max of
    /// predecessors' finishes.
    pub general: bool,
    /// Whether each position is a level-of-effort task.
    pub is_loe: Vec<bool>,
    /// Earliest start by position (working days; 0 = the project start): a
    /// start-no-earlier-than constraint. Any bound above 0 makes the plan general.
    pub not_before: Vec<f64>,
    /// For a level-of-effort position, the positions of its `finish_with` tasks are
    /// `loe_end[loe_end_start[pos]..loe_end_start[pos + 1]]`.
    pub loe_end_start: Vec<u32>,
    /// Flattened `finish_with` positions.
    pub loe_end: Vec<u32>,
    /// Positions whose finish can end the project: the sinks in a plain plan; every task but
    /// levels of effort in a general one (an SS or FF link, or a lead, lets a predecessor finish
    /// after its successors).
    pub sinks: Vec<u32>,
    /// Positions of the milestones, in file order.
    pub milestones: Vec<u32>,
    /// The risk register, in file order.
    pub risks: Vec<CompiledRisk>,
    /// Risks affecting position `pos` are `task_risks[risk_start[pos]..risk_start[pos + 1]]`,
    /// drivers first (they scale the sampled duration), then events (they add to it).
    pub risk_start: Vec<u32>,
    /// Flattened risk indices.
    pub task_risks: Vec<u32>,
    /// Correlated groups: positions and Cholesky factor.
    pub corr_groups: Vec<super::correlation::Group>,
    /// For each position, its slot in the correlated uniforms (`NO_SLOT` if uncorrelated).
    pub corr_slot: Vec<u32>,
    /// Warnings for the user (e.g. a repaired correlation matrix).
    pub warnings: Vec<String>,
    /// Whether each iteration is resource-levelled (some task uses a resource with a capacity,
    /// and levelling was not switched off with [`CompiledPlan::without_levelling`]).
    pub level: bool,
    /// Demands on resources with a capacity: those of `pos` are
    /// `demands[demand_start[pos]..demand_start[pos + 1]]`, as (capacitated resource, units).
    pub demand_start: Vec<u32>,
    /// Flattened demands.
    pub demands: Vec<(u32, f64)>,
    /// Capacity of each capacitated resource (indices as in `demands`).
    pub capacity: Vec<f64>,
    /// Positions using each capacitated resource (for criticality through resource waits).
    pub resource_users: Vec<Vec<u32>>,
    /// Every resource's id, in file order (for the resource profile).
    pub resource_ids: Vec<String>,
    /// Every resource's capacity (`None`: unlimited), in file order.
    pub resource_capacity: Vec<Option<f64>>,
    /// All resource uses of position `pos`, as (resource index in file order, units), in
    /// `uses[use_start[pos]..use_start[pos + 1]]`.
    pub use_start: Vec<u32>,
    /// Flattened uses.
    pub uses: Vec<(u32, f64)>,
    /// Money per working day of duration, by position (Σ units × daily rate).
    pub cost_per_day: Vec<f64>,
    /// Sum of the tasks' fixed costs (most likely values: the deterministic plan).
    pub fixed_cost: f64,
    /// Sum of the fixed costs that are not three-point (the simulation samples the others).
    pub fixed_cost_certain: f64,
    /// Positions with a three-point fixed cost, and its sampler.
    pub cost_ranges: Vec<(u32, Sampler)>,
    /// Money per working day from resources with a fixed rate, by position (the simulation
    /// adds the uncertain rates' part per iteration).
    pub cost_per_day_certain: Vec<f64>,
    /// Resources with a three-point rate: id (names the stream), rate sampler (per unit of
    /// `unit`) and the factor turning it into a daily rate (hours per day, or 1).
    pub rate_ranges: Vec<(String, Sampler, f64)>,
    /// Uses of uncertain-rate resources by position: `(rate index, units)` in
    /// `rate_uses[rate_use_start[pos]..rate_use_start[pos + 1]]`.
    pub rate_use_start: Vec<u32>,
    /// Flattened uses.
    pub rate_uses: Vec<(u32, f64)>,
    /// One pre-blended PERT quantile row per distinct shape (at most [`MAX_BLENDED_ROWS`]),
    /// indexed by `Sampler::Pert::blended`.
    pub pert_rows: Vec<Row>,
}

impl CompiledPlan {
    /// Flattens a project that passed [`crate::model::validate`].
    ///
    /// The order is the file order wherever that is already topological (Kahn's algorithm
    /// taking the earliest row first), which keeps predecessors close in memory.
    ///
    /// # Panics
    /// If the project has unknown references or a cycle; validation rules these out.
    pub fn compile(project: &Project) -> CompiledPlan {
        let n = project.tasks.len();
        let index: HashMap<&str, usize> = project
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let rates: HashMap<&str, f64> = project
            .resources
            .iter()
            .map(|r| (r.id.as_str(), r.daily_rate()))
            .collect();

        // Edges for the order: links, and finish_with tasks before their level of effort.
        let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut indegree = vec![0usize; n];
        for (i, t) in project.tasks.iter().enumerate() {
            let froms = t
                .depends_on
                .iter()
                .map(|d| d.task.as_str())
                .chain(t.finish_with.iter().map(String::as_str));
            for from in froms {
                let p = index[from];
                succs[p].push(i);
                indegree[i] += 1;
            }
        }
        let mut ready: BinaryHeap<Reverse<usize>> =
            (0..n).filter(|&i| indegree[i] == 0).map(Reverse).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(Reverse(i)) = ready.pop() {
            order.push(i);
            for &s in &succs[i] {
                indegree[s] -= 1;
                if indegree[s] == 0 {
                    ready.push(Reverse(s));
                }
            }
        }
        assert_eq!(
            order.len(),
            n,
            "compile() needs an acyclic, validated project"
        );
        let mut pos_of = vec![0u32; n];
        for (pos, &i) in order.iter().enumerate() {
            pos_of[i] = pos as u32;
        }

        let mut pred_start = Vec::with_capacity(n + 1);
        let mut preds = Vec::new();
        let mut link_kind = Vec::new();
        let mut link_lag = Vec::new();
        let mut loe_end_start = Vec::with_capacity(n + 1);
        let mut loe_end = Vec::new();
        let mut is_loe = Vec::with_capacity(n);
        let mut not_before = Vec::with_capacity(n);
        let mut samplers = Vec::with_capacity(n);
        let mut likely = Vec::with_capacity(n);
        let mut cost_per_day = Vec::with_capacity(n);
        let mut ids = Vec::with_capacity(n);
        let mut has_successor = vec![false; n];
        let (forecast_samplers, mut warnings) = forecast_samplers(project);
        for &i in &order {
            let t = &project.tasks[i];
            pred_start.push(preds.len() as u32);
            let mut links: Vec<(u32, LinkKind, f64)> = t
                .depends_on
                .iter()
                .map(|d| (pos_of[index[d.task.as_str()]], d.kind, d.lag))
                .collect();
            links.sort_unstable_by_key(|l| l.0);
            for (p, kind, lag) in links {
                has_successor[p as usize] = true;
                preds.push(p);
                link_kind.push(kind);
                link_lag.push(lag);
            }
            loe_end_start.push(loe_end.len() as u32);
            loe_end.extend(t.finish_with.iter().map(|id| pos_of[index[id.as_str()]]));
            is_loe.push(t.kind == TaskKind::LevelOfEffort);
            not_before.push(t.not_before.filter(|b| *b > 0.0).unwrap_or(0.0));
            samplers.push(match &t.forecast {
                Some(name) => forecast_samplers[name.as_str()],
                None => Sampler::new(&t.estimate),
            });
            likely.push(t.estimate.likely);
            cost_per_day.push(
                t.resources
                    .iter()
                    .map(|a| a.units * rates[a.resource.as_str()])
                    .sum(),
            );
            ids.push(t.id.clone());
        }
        pred_start.push(preds.len() as u32);
        loe_end_start.push(loe_end.len() as u32);
        let mut affecting: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (r, risk) in project.risks.iter().enumerate() {
            for id in &risk.affects {
                affecting[pos_of[index[id.as_str()]] as usize].push(r as u32);
            }
        }
        let mut risk_start = Vec::with_capacity(n + 1);
        let mut task_risks = Vec::new();
        for list in &mut affecting {
            list.sort_by_key(|&r| (project.risks[r as usize].kind == RiskKind::Event, r));
            risk_start.push(task_risks.len() as u32);
            task_risks.extend(list.iter());
        }
        risk_start.push(task_risks.len() as u32);
        let risks = project
            .risks
            .iter()
            .map(|r| CompiledRisk {
                id: r.id.clone(),
                probability: r.probability,
                kind: r.kind,
                impact: Sampler::new(&r.impact),
                cost: r.cost.as_ref().map(Sampler::new),
            })
            .collect();
        // Validation has checked strict mode, so grouping cannot fail here.
        let corr =
            super::correlation::groups(&project.correlations, &index, false).unwrap_or_default();
        let mut corr_slot = vec![NO_SLOT; n];
        let mut corr_groups = Vec::new();
        let mut next_slot = 0u32;
        for (tasks, chol) in corr.groups {
            let positions: Vec<u32> = tasks.iter().map(|&t| pos_of[t]).collect();
            for &p in &positions {
                corr_slot[p as usize] = next_slot;
                next_slot += 1;
            }
            corr_groups.push(super::correlation::Group { positions, chol });
        }
        // Capacitated resources, in file order, and each position's demands on them.
        let cap_index: HashMap<&str, u32> = project
            .resources
            .iter()
            .filter(|r| r.capacity.is_some())
            .enumerate()
            .map(|(k, r)| (r.id.as_str(), k as u32))
            .collect();
        let capacity: Vec<f64> = project
            .resources
            .iter()
            .filter_map(|r| r.capacity)
            .collect();
        let mut demand_start = Vec::with_capacity(n + 1);
        let mut demands = Vec::new();
        let mut resource_users = vec![Vec::new(); capacity.len()];
        for (pos, &i) in order.iter().enumerate() {
            demand_start.push(demands.len() as u32);
            for a in &project.tasks[i].resources {
                if let Some(&k) = cap_index.get(a.resource.as_str()) {
                    demands.push((k, a.units));
                    resource_users[k as usize].push(pos as u32);
                }
            }
        }
        demand_start.push(demands.len() as u32);
        // Three-point costs and rates.
        let cost_ranges: Vec<(u32, Sampler)> = order
            .iter()
            .enumerate()
            .filter_map(|(pos, &i)| {
                project.tasks[i]
                    .cost_range
                    .as_ref()
                    .map(|r| (pos as u32, Sampler::new(r)))
            })
            .collect();
        let fixed_cost_certain: f64 = project
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
        let rate_ranges: Vec<(String, Sampler, f64)> = project
            .resources
            .iter()
            .filter_map(|r| {
                let per_day = match r.unit {
                    crate::model::RateUnit::Hour => r.hours_per_day,
                    crate::model::RateUnit::Day => 1.0,
                };
                r.rate_range
                    .as_ref()
                    .map(|e| (r.id.clone(), Sampler::new(e), per_day))
            })
            .collect();
        let mut rate_use_start = Vec::with_capacity(n + 1);
        let mut rate_uses = Vec::new();
        let mut cost_per_day_certain = Vec::with_capacity(n);
        for &i in &order {
            rate_use_start.push(rate_uses.len() as u32);
            let mut certain = 0.0;
            for a in &project.tasks[i].resources {
                match rate_index.get(a.resource.as_str()) {
                    Some(&k) => rate_uses.push((k, a.units)),
                    None => certain += a.units * rates[a.resource.as_str()],
                }
            }
            cost_per_day_certain.push(certain);
        }
        rate_use_start.push(rate_uses.len() as u32);
        let res_index: HashMap<&str, u32> = project
            .resources
            .iter()
            .enumerate()
            .map(|(k, r)| (r.id.as_str(), k as u32))
            .collect();
        let mut use_start = Vec::with_capacity(n + 1);
        let mut uses = Vec::new();
        for &i in &order {
            use_start.push(uses.len() as u32);
            uses.extend(
                project.tasks[i]
                    .resources
                    .iter()
                    .map(|a| (res_index[a.resource.as_str()], a.units)),
            );
        }
        use_start.push(uses.len() as u32);
        let pert_rows = blend_pert_rows(&mut samplers);
        let general = is_loe.iter().any(|&l| l)
            || not_before.iter().any(|&b| b > 0.0)
            || link_kind
                .iter()
                .zip(&link_lag)
                .any(|(&k, &lag)| k != LinkKind::FinishToStart || lag != 0.0);
        let sinks = (0..n)
            .filter(|&pos| !is_loe[pos] && (general || !has_successor[pos]))
            .map(|pos| pos as u32)
            .collect();
        let milestones = {
            let mut m: Vec<(usize, u32)> = order
                .iter()
                .enumerate()
                .filter(|(_, &i)| project.tasks[i].kind == TaskKind::Milestone)
                .map(|(pos, &i)| (i, pos as u32))
                .collect();
            m.sort_unstable();
            m.into_iter().map(|(_, pos)| pos).collect()
        };
        CompiledPlan {
            order,
            ids,
            samplers,
            likely,
            pred_start,
            preds,
            link_kind,
            link_lag,
            general,
            is_loe,
            not_before,
            loe_end_start,
            loe_end,
            sinks,
            milestones,
            risks,
            risk_start,
            task_risks,
            corr_groups,
            corr_slot,
            warnings: {
                warnings.extend(corr.warnings);
                warnings
            },
            level: !demands.is_empty(),
            demand_start,
            demands,
            capacity,
            resource_users,
            resource_ids: project.resources.iter().map(|r| r.id.clone()).collect(),
            resource_capacity: project.resources.iter().map(|r| r.capacity).collect(),
            use_start,
            uses,
            cost_per_day,
            fixed_cost: project.tasks.iter().map(|t| t.cost).sum(),
            fixed_cost_certain,
            cost_ranges,
            cost_per_day_certain,
            rate_ranges,
            rate_use_start,
            rate_uses,
            pert_rows,
        }
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the plan has no tasks.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Predecessor positions of `pos`.
    #[inline(always)]
    pub fn preds_of(&self, pos: usize) -> &[u32] {
        &self.preds[self.pred_start[pos] as usize..self.pred_start[pos + 1] as usize]
    }

    /// The range of `pos`'s links in `preds`, `link_kind` and `link_lag`.
    #[inline(always)]
    pub fn links_of(&self, pos: usize) -> std::ops::Range<usize> {
        self.pred_start[pos] as usize..self.pred_start[pos + 1] as usize
    }

    /// The risks affecting position `pos` (drivers first).
    #[inline(always)]
    pub fn risks_of(&self, pos: usize) -> &[u32] {
        &self.task_risks[self.risk_start[pos] as usize..self.risk_start[pos + 1] as usize]
    }

    /// The plan with unlimited resources (no levelling).
    pub fn without_levelling(mut self) -> CompiledPlan {
        self.level = false;
        self
    }

    /// Why this plan cannot be levelled, if it cannot: the serial schedule-generation scheme
    /// handles finish-to-start links without lags, no levels of effort and no earliest starts.
    pub fn levelling_limitation(&self) -> Option<&'static str> {
        (self.level && self.general).then_some(
            "resource levelling supports finish-to-start links without lags, no \
             level-of-effort tasks and no start-no-earlier-than dates; remove those, or switch \
             levelling off with --no-level (or [simulation] level = false)",
        )
    }

    /// A copy of the plan in which risk `r` never occurs (for its contribution).
    pub fn without_risk(&self, r: usize) -> CompiledPlan {
        let mut p = self.clone();
        p.risks[r].probability = 0.0;
        p
    }

    /// The `finish_with` positions of a level-of-effort position.
    #[inline(always)]
    pub fn loe_end_of(&self, pos: usize) -> &[u32] {
        &self.loe_end[self.loe_end_start[pos] as usize..self.loe_end_start[pos + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::simulate;
    use crate::model::{Distribution, Estimate, Task};

    fn pert_tasks(n: usize) -> Project {
        let tasks = (0..n)
            .map(|i| Task {
                id: format!("t{i}"),
                name: String::new(),
                // A distinct shape per task: likely moves through (o, p).
                estimate: Estimate::new(
                    0.0,
                    (i as f64 + 0.5) / n as f64 * 10.0,
                    10.0,
                    Distribution::Pert,
                )
                .unwrap(),
                depends_on: vec![],
                kind: crate::model::TaskKind::Task,
                finish_with: vec![],
                resources: vec![],
                cost: 0.0,
                cost_range: None,
                effort: None,
                forecast: None,
                not_before: None,
                line: i + 2,
            })
            .collect();
        Project {
            name: "p".into(),
            currency: String::new(),
            tasks,
            resources: vec![],
            tasks_file: "t.csv".into(),
            resources_file: None,
            risks: vec![],
            risks_file: None,
            correlations: vec![],
            strict_correlation: false,
            communication_overhead: 0.0,
            forecasts: vec![],
        }
    }

    #[test]
    fn shapes_beyond_the_cap_sample_from_the_shared_table() {
        let plan = CompiledPlan::compile(&pert_tasks(MAX_BLENDED_ROWS + 50));
        assert_eq!(plan.pert_rows.len(), MAX_BLENDED_ROWS);
        let unblended = plan
            .samplers
            .iter()
            .filter(|s| matches!(s, Sampler::Pert { blended, .. } if *blended == crate::engine::sampler::NO_BLEND))
            .count();
        assert_eq!(unblended, 50);
        // Both paths give the same draws up to f32 rounding of the blend.
        let mut unblended_plan = plan.clone();
        unblended_plan.pert_rows.clear();
        let a = simulate(&plan, 64, 3, &|_| {});
        let b = simulate(&unblended_plan, 64, 3, &|_| {});
        for (x, y) in a.durations.iter().zip(&b.durations) {
            assert!((x - y).abs() < 1e-5, "{x} vs {y}");
        }
    }
}
