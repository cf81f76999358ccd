//! The duration part of a compiled plan: each task's sampler (from its estimate, or the exact
//! law of a throughput forecast) and most likely duration, the risk register with the risks
//! affecting each task, and the correlated groups.

use std::collections::HashMap;

use super::super::correlation::{self, Group};
use super::super::csr::Csr;
use super::super::pert_table::{self, Row};
use super::super::sampler::Sampler;
use super::super::{forecast, forecast_exact};
use super::network::Network;
use crate::model::{Project, RiskKind};

/// `DurationModel::corr_slot` of an uncorrelated task.
pub const NO_SLOT: u32 = u32::MAX;

/// At most this many distinct PERT shapes get a pre-blended row (4 KiB each); the rest sample
/// from the shared table directly (two rows per draw, ~20% slower, same values up to f32
/// rounding).
pub const MAX_BLENDED_ROWS: usize = 1024;

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

/// How each task's duration is drawn. Indexed by position.
#[derive(Debug, Clone)]
pub struct DurationModel {
    samplers: Vec<Sampler>,
    likely: Vec<f64>,
    pert_rows: Vec<Row>,
    risks: Vec<CompiledRisk>,
    task_risks: Csr<u32>,
    corr_groups: Vec<Group>,
    /// By position; empty when no task is correlated (`or_empty`).
    corr_slot: Vec<u32>,
    corr_slots: usize,
}

impl DurationModel {
    /// The duration model of a validated project laid out like `net`; also returns the
    /// warnings of forecasts that can exceed their period cap, then those of repaired
    /// correlation groups.
    pub(super) fn build(
        project: &Project,
        net: &Network,
        index: &foldhash::HashMap<&str, usize>,
    ) -> (DurationModel, Vec<String>) {
        let n = net.len();
        let pos_of = net.positions();
        let order = net.order();
        let (forecast_samplers, mut warnings) = forecast_samplers(project);
        let mut samplers: Vec<Sampler> = order
            .iter()
            .map(|&i| {
                let t = &project.tasks[i];
                match &t.forecast {
                    Some(name) => forecast_samplers[name.as_str()],
                    None => Sampler::new(&t.estimate),
                }
            })
            .collect();
        let likely = order
            .iter()
            .map(|&i| project.tasks[i].estimate.likely)
            .collect();
        let mut affecting: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (r, risk) in project.risks.iter().enumerate() {
            for id in &risk.affects {
                affecting[pos_of[index[id.as_str()]] as usize].push(r as u32);
            }
        }
        for list in &mut affecting {
            list.sort_by_key(|&r| (project.risks[r as usize].kind == RiskKind::Event, r));
        }
        let task_risks = Csr::from_rows(affecting);
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
        let corr = correlation::groups(&project.correlations, index, false).unwrap_or_default();
        let mut corr_slot = vec![NO_SLOT; n];
        let mut corr_groups = Vec::new();
        let mut next_slot = 0u32;
        for (tasks, chol) in corr.groups {
            let positions: Vec<u32> = tasks.iter().map(|&t| pos_of[t]).collect();
            for &p in &positions {
                corr_slot[p as usize] = next_slot;
                next_slot += 1;
            }
            corr_groups.push(Group { positions, chol });
        }
        let pert_rows = blend_pert_rows(&mut samplers);
        let model = DurationModel {
            samplers,
            likely,
            pert_rows,
            risks,
            task_risks,
            corr_groups,
            corr_slot: super::or_empty(corr_slot, &NO_SLOT),
            corr_slots: next_slot as usize,
        };
        warnings.extend(corr.warnings);
        (model, warnings)
    }

    /// The duration sampler of each position.
    pub fn samplers(&self) -> &[Sampler] {
        &self.samplers
    }

    /// Most likely duration by position (the deterministic plan).
    pub fn likely(&self) -> &[f64] {
        &self.likely
    }

    /// One pre-blended PERT quantile row per distinct shape (at most [`MAX_BLENDED_ROWS`]),
    /// indexed by `Sampler::Pert::blended`.
    pub fn pert_rows(&self) -> &[Row] {
        &self.pert_rows
    }

    /// The risk register, in file order.
    pub fn risks(&self) -> &[CompiledRisk] {
        &self.risks
    }

    /// The risks affecting position `pos` (indices into [`Self::risks`]): drivers first (they
    /// scale the sampled duration), then events (they add to it).
    #[inline(always)]
    pub fn risks_of(&self, pos: usize) -> &[u32] {
        self.task_risks.row(pos)
    }

    /// Correlated groups: positions and Cholesky factor.
    pub fn corr_groups(&self) -> &[Group] {
        &self.corr_groups
    }

    /// Position `pos`'s slot among the correlated uniforms, or [`NO_SLOT`].
    #[inline(always)]
    pub fn corr_slot(&self, pos: usize) -> u32 {
        self.corr_slot.get(pos).copied().unwrap_or(NO_SLOT)
    }

    /// Number of correlated tasks (slots `0..corr_slots()`).
    pub fn corr_slots(&self) -> usize {
        self.corr_slots
    }

    /// Switches risk `r` off (it never occurs).
    pub(super) fn disable_risk(&mut self, r: usize) {
        self.risks[r].probability = 0.0;
    }

    #[cfg(test)]
    pub(super) fn drop_blended_rows(&mut self) {
        self.pert_rows.clear();
    }
}

/// The duration sampler of each forecast tasks use: the exact law of its whole periods, in
/// working days ([`forecast_exact`]); and a warning for each that can exceed
/// [`crate::model::forecast::MAX_PERIODS`] periods.
fn forecast_samplers(project: &Project) -> (HashMap<&str, Sampler>, Vec<String>) {
    let mut samplers = HashMap::new();
    let mut warnings = Vec::new();
    for f in &project.forecasts {
        let compiled = forecast::CompiledForecast::compile(f);
        let Some(law) = forecast_exact::periods_distribution(&compiled) else {
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
