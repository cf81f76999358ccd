//! What drives the risk, per task: rank correlations of its duration and own cost with the
//! project's, the spread of its duration, and its start and finish distribution.
//!
//! A second run: [`Drivers`] is built from a first run's per-iteration project durations and
//! costs (their ranks) and [`TaskBounds`] (the ranges to bin in), and given to a run with the
//! same [`crate::engine::RunSpec`], which regenerates exactly the first run's draws. Memory is
//! O(tasks + iterations): per task a fixed number of bins, per iteration two ranks.
//!
//! Accuracy (docs/accuracy.md):
//! - Spearman correlations are exact for the task's values coarsened to [`RANK_BINS`]
//!   equal-width bins between its smallest and largest value (values in a bin share the bin's
//!   mid-rank, as ties do). The project's ranks are exact (mid-ranks for ties).
//! - Start and finish percentiles are read from [`DATE_BINS`] equal-width bins, linear within
//!   the bin that holds the percentile, and clamped to the smallest and largest value: never
//!   further than one bin width from the exact (type-7) percentile of the same samples.
//! - Means and the duration's standard deviation come from fixed-point sums (2⁻²⁰ day), exact
//!   up to one truncation per task and chunk.
//!
//! Every accumulator is integers, so results do not depend on thread count or scheduling.

use super::{Chunk, Collector, Finish, Needs, Slots, TaskBounds, FIXED_SCALE};
use crate::engine::plan::CompiledPlan;

/// Bins per task for rank correlations.
pub const RANK_BINS: usize = 64;
/// Bins per task for start and finish percentiles.
pub const DATE_BINS: usize = 128;
/// The start and finish percentiles collected (P50, P80).
pub const DRIVER_PERCENTILES: [f64; 2] = [0.5, 0.8];

/// An equal-width grid over `[lo, hi]`: `bins` bins, or one when the range is flat.
#[derive(Debug, Clone, Copy)]
struct Grid {
    lo: f64,
    /// Bins per unit (0 when the range is flat: every value goes to bin 0).
    scale: f64,
}

impl Grid {
    fn new((lo, hi): (f64, f64), bins: usize) -> Grid {
        let width = hi - lo;
        let scale = if width > 0.0 && width.is_finite() {
            bins as f64 / width
        } else {
            0.0
        };
        Grid {
            lo: if lo.is_finite() { lo } else { 0.0 },
            scale,
        }
    }

    #[inline(always)]
    fn bin(&self, x: f64, bins: usize) -> usize {
        // Negative and NaN values saturate to 0; the maximum lands in the last bin.
        (((x - self.lo) * self.scale) as usize).min(bins - 1)
    }

    fn flat(&self) -> bool {
        self.scale == 0.0
    }
}

/// Per iteration, twice the mid-rank (1-based; tied values share the mean of their ranks) of
/// each value of `x`, so that ranks are integers.
pub fn doubled_midranks(x: &[f64]) -> Vec<u32> {
    let n = x.len();
    let mut idx: Vec<u32> = (0..n as u32).collect();
    idx.sort_by(|&a, &b| x[a as usize].total_cmp(&x[b as usize]));
    let mut ranks = vec![0u32; n];
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && x[idx[j + 1] as usize] == x[idx[i] as usize] {
            j += 1;
        }
        for &k in &idx[i..=j] {
            ranks[k as usize] = (i + j + 2) as u32;
        }
        i = j + 1;
    }
    ranks
}

/// Four times Σ (rank − mean rank)² of doubled mid-ranks `r` (an integer).
fn spread4(r: &[u32]) -> i128 {
    let n = r.len() as i128;
    r.iter()
        .map(|&x| i128::from(x) * i128::from(x))
        .sum::<i128>()
        - n * (n + 1) * (n + 1)
}

/// Spearman's ρ between a task's binned values (`counts` per bin, `rank_sums` the sums of the
/// project's doubled mid-ranks of the iterations in each bin) and the project's values
/// (`spread_y` = [`spread4`] of its ranks). 0 when either does not vary.
fn spearman(counts: &[u32], rank_sums: &[u64], spread_y: i128) -> f64 {
    let n: i128 = counts.iter().map(|&c| i128::from(c)).sum();
    let (mut cum, mut sxy, mut sxx) = (0i128, 0i128, 0i128);
    for (&c, &s) in counts.iter().zip(rank_sums) {
        let c = i128::from(c);
        if c == 0 {
            continue;
        }
        let r2 = 2 * cum + c + 1; // twice the bin's mid-rank
        sxy += r2 * i128::from(s);
        sxx += c * r2 * r2;
        cum += c;
    }
    let base = n * (n + 1) * (n + 1);
    let (cov, spread_x) = (sxy - base, sxx - base);
    if spread_x <= 0 || spread_y <= 0 {
        return 0.0;
    }
    cov as f64 / ((spread_x as f64) * (spread_y as f64)).sqrt()
}

/// The value below which a share `q` of the `counts` (over `grid`, `bins` bins) lies, linear
/// within its bin.
fn binned_quantile(counts: &[u32], grid: Grid, q: f64) -> f64 {
    let n: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if grid.flat() || n == 0 {
        return grid.lo;
    }
    let target = q * n as f64;
    let mut cum = 0u64;
    for (b, &c) in counts.iter().enumerate() {
        if c > 0 && (cum + u64::from(c)) as f64 >= target {
            let within = ((target - cum as f64) / f64::from(c)).clamp(0.0, 1.0);
            return grid.lo + (b as f64 + within) / grid.scale;
        }
        cum += u64::from(c);
    }
    grid.lo + counts.len() as f64 / grid.scale
}

/// Collects [`TaskDrivers`] for every task in a second run (see the module documentation).
#[derive(Debug, Clone)]
pub struct Drivers {
    /// Doubled mid-ranks of the project duration and cost, by iteration.
    duration_rank: Vec<u32>,
    cost_rank: Vec<u32>,
    /// Grids by position: duration, own cost, start, finish.
    grids: Vec<[Grid; 4]>,
    /// Whether any task's own cost varies (else cost bins are not kept).
    costs_vary: bool,
}

/// One worker's bins and sums, flat by position.
pub struct DriversAcc {
    dur_count: Vec<u32>,
    dur_ranks: Vec<u64>,
    cost_count: Vec<u32>,
    cost_ranks: Vec<u64>,
    start_hist: Vec<u32>,
    finish_hist: Vec<u32>,
    /// Fixed-point Σ duration, Σ duration², Σ start, Σ finish.
    sums: Vec<[u128; 4]>,
    /// Smallest and largest start and finish (percentiles are clamped to them).
    ranges: Vec<[(f64, f64); 2]>,
}

/// What drives one task, over the run.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDrivers {
    /// Spearman's ρ between the task's duration and the project duration.
    pub duration_sensitivity: f64,
    /// Spearman's ρ between the task's own cost and the project cost (0 when it does not
    /// vary).
    pub cost_sensitivity: f64,
    /// Standard deviation of the task's duration (divisor n).
    pub duration_sd: f64,
    /// Mean start and finish (working days from the project start).
    pub mean_start: f64,
    pub mean_finish: f64,
    /// Start and finish at each of [`DRIVER_PERCENTILES`].
    pub start: [f64; 2],
    pub finish: [f64; 2],
}

impl Drivers {
    /// A collector for a second run of the run whose per-iteration project `durations` and
    /// `costs` (iterations 0..n, in order) and task `bounds` are given. The second run must
    /// use the same plan and run specification, over iterations 0..n.
    pub fn new(durations: &[f64], costs: &[f64], bounds: &TaskBounds) -> Drivers {
        let grids: Vec<[Grid; 4]> = (0..bounds.duration.len())
            .map(|pos| {
                [
                    Grid::new(bounds.duration[pos], RANK_BINS),
                    Grid::new(bounds.cost[pos], RANK_BINS),
                    Grid::new(bounds.start(pos), DATE_BINS),
                    Grid::new(bounds.finish[pos], DATE_BINS),
                ]
            })
            .collect();
        Drivers {
            duration_rank: doubled_midranks(durations),
            cost_rank: doubled_midranks(costs),
            costs_vary: grids.iter().any(|g| !g[1].flat()),
            grids,
        }
    }
}

/// Σ x of non-negative `x` in fixed point (one truncation).
#[inline(always)]
fn fixed(sum: f64) -> u128 {
    super::mean_duration::to_fixed(sum.max(0.0) * FIXED_SCALE)
}

/// Adds each lane's project rank to its value's bin.
#[inline(always)]
fn bin_ranks(grid: Grid, values: &[f64], ranks: &[u32], count: &mut [u32], sums: &mut [u64]) {
    for (&x, &r) in values.iter().zip(ranks) {
        let b = grid.bin(x, RANK_BINS);
        count[b] += 1;
        sums[b] += u64::from(r);
    }
}

fn add_all<T: Copy + std::ops::AddAssign>(a: &mut [T], b: &[T]) {
    for (x, &y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

impl Collector for Drivers {
    type Acc = DriversAcc;
    type Output = Vec<TaskDrivers>;

    fn needs(&self) -> Needs {
        Needs {
            rows: true,
            critical: false,
            task_costs: self.costs_vary,
        }
    }

    /// O(tasks × bins) per accumulator: one share of the iterations per thread.
    fn large_accumulator(&self) -> bool {
        true
    }

    fn start(&self, plan: &CompiledPlan, _lanes: usize) -> DriversAcc {
        let n = plan.len();
        let cost_bins = if self.costs_vary { n * RANK_BINS } else { 0 };
        DriversAcc {
            dur_count: vec![0; n * RANK_BINS],
            dur_ranks: vec![0; n * RANK_BINS],
            cost_count: vec![0; cost_bins],
            cost_ranks: vec![0; cost_bins],
            start_hist: vec![0; n * DATE_BINS],
            finish_hist: vec![0; n * DATE_BINS],
            sums: vec![[0; 4]; n],
            ranges: vec![[(f64::INFINITY, f64::NEG_INFINITY); 2]; n],
        }
    }

    fn chunk(&self, acc: &mut DriversAcc, chunk: &Chunk, _slots: &mut Slots) {
        let (first, m) = (chunk.first() as usize, chunk.len());
        let dur_rank = &self.duration_rank[first..first + m];
        let cost_rank = &self.cost_rank[first..first + m];
        for (pos, g) in self.grids.iter().enumerate() {
            let (d, s, f) = (chunk.duration(pos), chunk.start(pos), chunk.finish(pos));
            let (rb, db) = (pos * RANK_BINS..(pos + 1) * RANK_BINS, pos * DATE_BINS);
            if !g[1].flat() {
                let (c, r) = (
                    &mut acc.cost_count[rb.clone()],
                    &mut acc.cost_ranks[rb.clone()],
                );
                bin_ranks(g[1], chunk.task_cost(pos), cost_rank, c, r);
            }
            // One pass over the lanes for everything else (a flat duration grid bins every
            // lane in bin 0, which gives ρ = 0 as it should).
            let dc: &mut [u32; RANK_BINS] = (&mut acc.dur_count[rb.clone()])
                .try_into()
                .expect("RANK_BINS bins");
            let dr: &mut [u64; RANK_BINS] =
                (&mut acc.dur_ranks[rb]).try_into().expect("RANK_BINS bins");
            let sh: &mut [u32; DATE_BINS] = (&mut acc.start_hist[db..db + DATE_BINS])
                .try_into()
                .expect("DATE_BINS bins");
            let fh: &mut [u32; DATE_BINS] = (&mut acc.finish_hist[db..db + DATE_BINS])
                .try_into()
                .expect("DATE_BINS bins");
            let (gd, gs, gf) = (g[0], g[2], g[3]);
            let [mut sr, mut fr] = acc.ranges[pos];
            let (mut sd, mut sd2, mut ss, mut sf) = (0.0, 0.0, 0.0, 0.0);
            for i in 0..m {
                let (x, a, b) = (d[i], s[i], f[i]);
                let k = gd.bin(x, RANK_BINS);
                dc[k] += 1;
                dr[k] += u64::from(dur_rank[i]);
                sh[gs.bin(a, DATE_BINS)] += 1;
                fh[gf.bin(b, DATE_BINS)] += 1;
                sd += x;
                sd2 += x * x;
                ss += a;
                sf += b;
                sr = (
                    if a < sr.0 { a } else { sr.0 },
                    if a > sr.1 { a } else { sr.1 },
                );
                fr = (
                    if b < fr.0 { b } else { fr.0 },
                    if b > fr.1 { b } else { fr.1 },
                );
            }
            acc.ranges[pos] = [sr, fr];
            let sums = &mut acc.sums[pos];
            sums[0] += fixed(sd);
            sums[1] += fixed(sd2);
            sums[2] += fixed(ss);
            sums[3] += fixed(sf);
        }
    }

    fn merge(&self, acc: &mut DriversAcc, other: DriversAcc) {
        add_all(&mut acc.dur_count, &other.dur_count);
        add_all(&mut acc.dur_ranks, &other.dur_ranks);
        add_all(&mut acc.cost_count, &other.cost_count);
        add_all(&mut acc.cost_ranks, &other.cost_ranks);
        add_all(&mut acc.start_hist, &other.start_hist);
        add_all(&mut acc.finish_hist, &other.finish_hist);
        for (a, b) in acc.sums.iter_mut().zip(&other.sums) {
            add_all(a, b);
        }
        for (a, b) in acc.ranges.iter_mut().zip(&other.ranges) {
            for (x, y) in a.iter_mut().zip(b) {
                *x = (x.0.min(y.0), x.1.max(y.1));
            }
        }
    }

    fn finish(&self, acc: DriversAcc, run: &Finish) -> Vec<TaskDrivers> {
        let it = run.iterations().max(1) as f64;
        let (spread_d, spread_c) = (spread4(&self.duration_rank), spread4(&self.cost_rank));
        let mut out = vec![None; self.grids.len()];
        for (pos, &task) in run.plan().network().order().iter().enumerate() {
            let g = &self.grids[pos];
            let (rb, db) = (pos * RANK_BINS..(pos + 1) * RANK_BINS, pos * DATE_BINS);
            let rho = |flat: bool, count: &[u32], ranks: &[u64], spread: i128| {
                if flat {
                    0.0
                } else {
                    spearman(&count[rb.clone()], &ranks[rb.clone()], spread)
                }
            };
            let s = acc.sums[pos].map(|x| x as f64 / FIXED_SCALE / it);
            let hist = |h: &[u32], grid: Grid, (lo, hi): (f64, f64)| {
                DRIVER_PERCENTILES
                    .map(|q| binned_quantile(&h[db..db + DATE_BINS], grid, q).clamp(lo.min(hi), hi))
            };
            out[task] = Some(TaskDrivers {
                duration_sensitivity: rho(g[0].flat(), &acc.dur_count, &acc.dur_ranks, spread_d),
                cost_sensitivity: rho(g[1].flat(), &acc.cost_count, &acc.cost_ranks, spread_c),
                duration_sd: (s[1] - s[0] * s[0]).max(0.0).sqrt(),
                mean_start: s[2],
                mean_finish: s[3],
                start: hist(&acc.start_hist, g[2], acc.ranges[pos][0]),
                finish: hist(&acc.finish_hist, g[3], acc.ranges[pos][1]),
            });
        }
        out.into_iter()
            .map(|t| t.expect("every task has a position"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midranks_share_ties() {
        assert_eq!(doubled_midranks(&[3.0, 1.0, 3.0, 2.0]), vec![7, 2, 7, 4]);
        assert_eq!(spread4(&[2, 4, 6]), 4 * 2);
    }

    #[test]
    fn spearman_of_unbinned_ranks_is_exact() {
        // One value per bin: x ranks 1, 2, 3, 4; y ranks 1, 3, 2, 4 → ρ = 1 − 6·2/(4·15) = 0.8.
        let y = [2u32, 6, 4, 8];
        let rho = spearman(&[1, 1, 1, 1], &[2, 6, 4, 8], spread4(&y));
        assert!((rho - 0.8).abs() < 1e-12, "{rho}");
    }

    #[test]
    fn binned_quantiles_interpolate_within_the_bin() {
        let grid = Grid::new((0.0, 4.0), 4);
        // One value in each bin of width 1: the median is at the end of bin 1.
        assert_eq!(binned_quantile(&[1, 1, 1, 1], grid, 0.5), 2.0);
        assert_eq!(binned_quantile(&[0, 2, 0, 2], grid, 0.25), 1.5);
    }
}
