//! The risk register's draws: whether each risk occurs in a lane, its effect on durations and
//! its cost. Streams: (seed, risk id) with purposes 1 (occurrence), 2 (impact), 3 (cost).

use super::super::plan::CompiledPlan;
use super::super::rng;
use super::Draws;
use crate::model::RiskKind;

impl Draws<'_> {
    /// Draws every risk for the chunk's lanes; an occurring risk's cost is added to `cost`.
    pub(super) fn draw_risks(
        &mut self,
        plan: &CompiledPlan,
        first: u64,
        m: usize,
        cost: &mut [f64],
    ) {
        let w = self.lanes;
        for (r, risk) in plan.durations().risks().iter().enumerate() {
            let [k_occ, k_imp, k_cost] = self.streams.risk[r];
            let effect = &mut self.risk_effect[r * w..][..m];
            let occurred = &mut self.occurred[r * w..][..m];
            risk.impact.fill(&[], k_imp, first, effect);
            let neutral = if risk.kind == RiskKind::Driver {
                1.0
            } else {
                0.0
            };
            if let Some(c) = &risk.cost {
                c.fill(&[], k_cost, first, &mut self.scratch[..m]);
            }
            // One occurrence draw per lane decides the effect and the cost together.
            for (i, (e, o)) in effect.iter_mut().zip(occurred.iter_mut()).enumerate() {
                let occurs = rng::uniform(k_occ, first + i as u64) < risk.probability;
                *o = occurs;
                if !occurs {
                    *e = neutral;
                } else if risk.cost.is_some() {
                    cost[i] += self.scratch[i];
                }
            }
        }
    }
}

/// Applies the risks affecting `pos` to its sampled durations `d`: drivers multiply, then
/// events add. `effect` holds each risk's effect per lane (`lanes` per risk).
#[inline(always)]
pub(super) fn apply(plan: &CompiledPlan, effect: &[f64], lanes: usize, pos: usize, d: &mut [f64]) {
    let model = plan.durations();
    for &r in model.risks_of(pos) {
        let r = r as usize;
        let e = &effect[r * lanes..][..d.len()];
        if model.risks()[r].kind == RiskKind::Driver {
            for (x, &f) in d.iter_mut().zip(e) {
                *x *= f;
            }
        } else {
            for (x, &a) in d.iter_mut().zip(e) {
                *x += a;
            }
        }
    }
}
