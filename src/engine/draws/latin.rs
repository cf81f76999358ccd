//! Replicated Latin hypercube sampling: the run's iterations are split into independent
//! designs (see `RunSpec::replicates`); within a design each task's draws fill every stratum
//! once, in an order given by a keyed permutation (no stored permutation).

use super::super::rng;
use super::super::spec::Designs;

/// Where one lane sits: its design, its index within it, the design's size and the lane's
/// iteration.
#[derive(Debug, Clone, Copy, Default)]
struct Lane {
    design: u64,
    local: u64,
    size: u64,
    iteration: u64,
}

/// The Latin hypercube position of each lane of the current chunk (computed once per chunk,
/// used by every task).
pub(super) struct LatinLanes {
    designs: Designs,
    lanes: Vec<Lane>,
}

impl LatinLanes {
    pub(super) fn new(designs: Designs, lanes: usize) -> Self {
        LatinLanes {
            designs,
            lanes: vec![Lane::default(); lanes],
        }
    }

    /// Places the lanes of iterations `first..first + m`.
    pub(super) fn prepare(&mut self, first: u64, m: usize) {
        for (i, lane) in self.lanes[..m].iter_mut().enumerate() {
            let iteration = first + i as u64;
            let design = self.designs.of(iteration as usize);
            let range = self.designs.range(design);
            *lane = Lane {
                design: design as u64,
                local: iteration - range.start as u64,
                size: range.len() as u64,
                iteration,
            };
        }
    }

    /// The uniform of stream `key` in lane `i`.
    #[inline(always)]
    pub(super) fn uniform(&self, key: u64, i: usize) -> f64 {
        let l = &self.lanes[i];
        rng::latin_uniform(key, l.design, l.local, l.size, l.iteration)
    }
}
