//! Correlated groups: each task's own stream (or Latin hypercube stratum) gives an independent
//! uniform, and the group's Gaussian copula correlates them (see `engine::correlation`).

use super::super::correlation;
use super::super::plan::CompiledPlan;
use super::super::rng;
use super::Draws;

impl Draws<'_> {
    /// Correlates the uniforms of every correlated group for the chunk's lanes.
    pub(super) fn draw_correlated(&mut self, plan: &CompiledPlan, first: u64, m: usize) {
        let w = self.lanes;
        let model = plan.durations();
        for g in model.corr_groups() {
            let k = g.positions.len();
            self.corr_scratch.resize(2 * k, 0.0);
            let (u, z) = self.corr_scratch.split_at_mut(k);
            for i in 0..m {
                for (uj, &pos) in u.iter_mut().zip(&g.positions) {
                    let key = self.streams.task[pos as usize];
                    *uj = match &self.latin {
                        None => rng::uniform(key, first + i as u64),
                        Some(latin) => latin.uniform(key, i),
                    };
                }
                correlation::correlate(&g.chol, u, z);
                for (&uj, &pos) in u.iter().zip(&g.positions) {
                    self.corr_u[model.corr_slot(pos as usize) as usize * w + i] = uj;
                }
            }
        }
    }
}
