//! Replicated Latin hypercube sampling: the run's iterations are split into independent
//! designs (see `RunSpec::replicates`); within a design each task's draws fill every stratum
//! once, in an order given by a keyed permutation (no stored permutation).

use super::super::rng::LatinCell;
use super::super::spec::Designs;

/// The Latin hypercube position of each lane of the current chunk (computed once per chunk,
/// used by every task).
pub(super) struct LatinLanes {
    designs: Designs,
    lanes: Vec<LatinCell>,
}

impl LatinLanes {
    pub(super) fn new(designs: Designs, lanes: usize) -> Self {
        LatinLanes {
            designs,
            lanes: vec![LatinCell::default(); lanes],
        }
    }

    /// Places the lanes of iterations `first..first + m`.
    pub(super) fn prepare(&mut self, first: u64, m: usize) {
        for (i, lane) in self.lanes[..m].iter_mut().enumerate() {
            let iteration = first + i as u64;
            let design = self.designs.of(iteration as usize);
            let range = self.designs.range(design);
            *lane = LatinCell::new(
                design as u64,
                iteration - range.start as u64,
                range.len() as u64,
                iteration,
            );
        }
    }

    /// The uniform of stream `key` in lane `i`.
    #[inline(always)]
    pub(super) fn uniform(&self, key: u64, i: usize) -> f64 {
        self.lanes[i].uniform(key)
    }
}
