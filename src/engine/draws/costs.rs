//! Uncertain costs: each three-point task cost and each uncertain daily rate, drawn once per
//! iteration. Streams: (seed, task id) purpose 4 and (seed, resource id) purpose 5.

use super::super::plan::CompiledPlan;
use super::Draws;

impl Draws<'_> {
    /// Adds the chunk's three-point task costs to `cost` (and keeps them per lane) and draws the uncertain daily rates.
    pub(super) fn draw_costs(
        &mut self,
        plan: &CompiledPlan,
        first: u64,
        m: usize,
        cost: &mut [f64],
    ) {
        let w = self.lanes;
        for (k, range) in plan.costs().ranges().iter().enumerate() {
            let drawn = &mut self.range_lanes[k * w..][..m];
            range.sampler.fill(&[], self.streams.cost[k], first, drawn);
            for (c, &x) in cost[..m].iter_mut().zip(drawn.iter()) {
                *c += x;
            }
        }
        for (k, rate) in plan.costs().rates().iter().enumerate() {
            let lanes = &mut self.rate_lanes[k * w..][..m];
            rate.sampler.fill(&[], self.streams.rate[k], first, lanes);
            for r in lanes.iter_mut() {
                *r *= rate.per_day;
            }
        }
    }
}
