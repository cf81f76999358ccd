//! The resource profile: expected units of each resource in use over time.

use super::{Chunk, Collector, Finish, Needs, Slots, FIXED_SCALE};
use crate::engine::plan::CompiledPlan;

/// Time bins for a resource profile: bins of `bin_days` working days from the start, at least
/// `count` of them and as many more as the runs need, up to `max_count`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileBins {
    /// Width of a bin, in working days (> 0).
    pub bin_days: f64,
    /// Bins always reported (>= 1).
    pub count: usize,
    /// The horizon: no bin starts at or after `max_count × bin_days` (>= `count`); work after
    /// it is reported in [`ResourceProfile::beyond`] instead.
    pub max_count: usize,
}

/// The expected number of units of each resource in use over time.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceProfile {
    /// Width of a time bin, in working days.
    pub bin_days: f64,
    /// Resource ids, in file order.
    pub resources: Vec<String>,
    /// Capacities (`None`: unlimited).
    pub capacity: Vec<Option<f64>>,
    /// `units[r][b]`: mean over iterations of the average units of resource r in use during
    /// bin b, `[b × bin_days, (b + 1) × bin_days)`. Every resource has the same number of
    /// bins: the requested count, or up to the latest finish of any run (within the horizon).
    pub units: Vec<Vec<f64>>,
    /// Mean over iterations of each resource's work (unit × working days) after the horizon,
    /// not shown in any bin: 0 unless some run outlasted `max_count` bins.
    pub beyond: Vec<f64>,
}

/// Collects a [`ResourceProfile`]. Needs start rows (the general path).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Profile {
    bins: ProfileBins,
}

impl Profile {
    /// A profile over `bins`.
    ///
    /// # Panics
    /// If `bins.bin_days` is not positive or `bins.count` is 0 or above `bins.max_count`.
    pub fn new(bins: ProfileBins) -> Profile {
        assert!(
            bins.bin_days > 0.0 && bins.count >= 1 && bins.count <= bins.max_count,
            "invalid profile bins {bins:?}"
        );
        Profile { bins }
    }
}

/// Fixed-point sums of unit × bin-widths: `sums[bin × resources + r]`, and after the horizon.
#[derive(Debug, Clone)]
pub struct ProfileAcc {
    resources: usize,
    sums: Vec<u128>,
    beyond: Vec<u128>,
}

impl Collector for Profile {
    type Acc = ProfileAcc;
    type Output = ResourceProfile;

    fn needs(&self) -> Needs {
        Needs {
            rows: true,
            ..Needs::NOTHING
        }
    }

    fn start(&self, plan: &CompiledPlan, _lanes: usize) -> ProfileAcc {
        let resources = plan.resources().ids().len();
        ProfileAcc {
            resources,
            sums: vec![0; self.bins.count * resources],
            beyond: vec![0; resources],
        }
    }

    /// For every task and lane, units × the share of each bin its [start, finish) covers.
    fn chunk(&self, acc: &mut ProfileAcc, chunk: &Chunk, _slots: &mut Slots) {
        let (plan, bins, width) = (chunk.plan(), self.bins, acc.resources);
        let horizon = bins.max_count as f64;
        for pos in 0..plan.len() {
            let uses = plan.resources().uses_of(pos);
            if uses.is_empty() {
                continue;
            }
            let (start, finish) = (chunk.start(pos), chunk.finish(pos));
            for (&s, &f) in start.iter().zip(finish) {
                let (s, f) = (s / bins.bin_days, f / bins.bin_days);
                if f <= s {
                    continue;
                }
                let mut b = s.floor();
                while b < horizon {
                    let hi = f.min(b + 1.0);
                    let overlap = hi - s.max(b);
                    if overlap > 0.0 {
                        let at = b as usize * width;
                        if acc.sums.len() < at + width {
                            acc.sums.resize(at + width, 0);
                        }
                        for &(r, units) in uses {
                            acc.sums[at + r as usize] += (units * overlap * FIXED_SCALE) as u128;
                        }
                    }
                    if hi >= f {
                        break;
                    }
                    b += 1.0;
                }
                if f > horizon {
                    let overlap = f - s.max(horizon);
                    for &(r, units) in uses {
                        acc.beyond[r as usize] += (units * overlap * FIXED_SCALE) as u128;
                    }
                }
            }
        }
    }

    fn merge(&self, acc: &mut ProfileAcc, other: ProfileAcc) {
        if acc.sums.len() < other.sums.len() {
            acc.sums.resize(other.sums.len(), 0);
        }
        for (a, b) in acc.sums.iter_mut().zip(other.sums) {
            *a += b;
        }
        for (a, b) in acc.beyond.iter_mut().zip(other.beyond) {
            *a += b;
        }
    }

    fn finish(&self, acc: ProfileAcc, run: &Finish) -> ResourceProfile {
        let plan = run.plan();
        let it = run.iterations().max(1) as f64;
        let width = acc.resources;
        let count = acc
            .sums
            .len()
            .checked_div(width)
            .map_or(self.bins.count, |b| b.max(self.bins.count));
        let mean = |v: u128| v as f64 / FIXED_SCALE / it;
        ResourceProfile {
            bin_days: self.bins.bin_days,
            resources: plan.resources().ids().to_vec(),
            capacity: plan.resources().capacity().to_vec(),
            units: (0..width)
                .map(|r| {
                    (0..count)
                        .map(|b| acc.sums.get(b * width + r).map_or(0.0, |&v| mean(v)))
                        .collect()
                })
                .collect(),
            beyond: acc
                .beyond
                .iter()
                .map(|&v| mean(v) * self.bins.bin_days)
                .collect(),
        }
    }
}
