//! The parallel Monte Carlo loop.
//!
//! Iterations are processed in chunks of `lanes` iterations. Within a chunk the plan is walked
//! once forward in topological order — each task's start for every lane is the latest of what
//! its links require (plain plans: the max of the predecessors' finishes), a tight pass over
//! contiguous rows — and once backward to mark the tasks on a longest path. Memory is
//! O(tasks × lanes) per worker plus O(iterations × (2 + milestones)) for the results: never
//! O(tasks × iterations).
//!
//! Guarantees: results depend only on the plan, the seed and the iteration count; never on the
//! thread count or on scheduling (random numbers are a function of (seed, task id, iteration),
//! and per-task sums are accumulated in fixed point, whose addition is associative).
//!
//! Scheduling semantics (early dates, as MS Project and Primavera compute them): a task starts
//! at the latest of the project start (0), its earliest start (start no earlier than) and, for
//! each link with lag L, FS: pred finish + L;
//! SS: pred start + L; FF: pred finish + L − duration; SF: pred start + L − duration. A level
//! of effort starts from its FS/SS links and lasts until the latest finish of its `finish_with`
//! tasks (zero if they finish before it starts).

use rayon::prelude::*;

use super::correlation;
use super::level::{Leveller, Problem};
use super::plan::{CompiledPlan, NO_SLOT};
use super::rng;
pub use crate::model::Sampling;
use crate::model::{LinkKind, RiskKind};

/// Per-iteration finish times of one milestone.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneSamples {
    /// The milestone's index in `Project::tasks`.
    pub task: usize,
    /// Finish offset (working days from the project start) in each iteration, in order.
    pub finish: Vec<f64>,
}

/// What one simulation produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// Project duration (working days) of each iteration, in iteration order.
    pub durations: Vec<f64>,
    /// Project cost of each iteration, in iteration order.
    pub costs: Vec<f64>,
    /// Mean duration of each task (sampled, or the span of a level of effort), indexed like
    /// `Project::tasks`.
    pub mean_duration: Vec<f64>,
    /// Fraction of iterations in which each task lay on a longest path (zero total float; every
    /// task on every tied longest path counts; levels of effort never count), indexed like
    /// `Project::tasks`.
    pub criticality: Vec<f64>,
    /// Finish times of every milestone, in file order.
    pub milestones: Vec<MilestoneSamples>,
    /// Fraction of iterations in which each risk occurred, in register order.
    pub risk_occurrence: Vec<f64>,
}

/// Fixed-point scale for per-task duration sums (2^20 per working day: a chunk's sum fits in
/// u64 up to 1.7e13 working days; truncation loses < 1e-6 day per chunk).
const FIXED_SCALE: f64 = 1_048_576.0;

/// The chunk width used for a plan of `tasks` tasks: wide enough to amortise the per-task
/// overhead (loading its sampler and predecessor list), narrow enough that a worker's rows
/// (~5 MiB of finish times) stay in the shared cache. Measured on the reference machine
/// (BENCHMARKS.md): 64 lanes beat 24 by 10% on 10,000 tasks.
pub fn lanes_for(tasks: usize) -> usize {
    let budget = (5usize << 20) / 8; // ~5 MiB of finish times per worker
    (budget / tasks.max(1)).clamp(8, 256) / 8 * 8
}

/// Runs `iterations` iterations of `plan` with `seed` on the current rayon pool (plain Monte
/// Carlo). `progress` is called with the number of iterations each finished chunk completed.
pub fn simulate(
    plan: &CompiledPlan,
    iterations: usize,
    seed: u64,
    progress: &(dyn Fn(usize) + Sync),
) -> Simulation {
    simulate_with_lanes(
        plan,
        iterations,
        seed,
        Sampling::Random,
        lanes_for(plan.len()),
        progress,
    )
}

/// [`simulate`] with a choice of sampling.
pub fn simulate_sampled(
    plan: &CompiledPlan,
    iterations: usize,
    seed: u64,
    sampling: Sampling,
    progress: &(dyn Fn(usize) + Sync),
) -> Simulation {
    simulate_with_lanes(
        plan,
        iterations,
        seed,
        sampling,
        lanes_for(plan.len()),
        progress,
    )
}

/// [`simulate`] with an explicit chunk width (for benchmarks and tests). The samples do not
/// depend on `lanes`; per-task means may differ in the last bits.
pub fn simulate_with_lanes(
    plan: &CompiledPlan,
    iterations: usize,
    seed: u64,
    sampling: Sampling,
    lanes: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Simulation {
    run(plan, iterations, seed, sampling, lanes, None, progress).0
}

/// The parallel loop behind every `simulate*` function; also returns the resource-profile
/// sums (fixed point, resource-major) when `bins` is given.
fn run(
    plan: &CompiledPlan,
    iterations: usize,
    seed: u64,
    sampling: Sampling,
    lanes: usize,
    bins: Option<ProfileBins>,
    progress: &(dyn Fn(usize) + Sync),
) -> (Simulation, Vec<u64>) {
    let n = plan.len();
    let lanes = lanes.max(1);
    let keys: Vec<u64> = plan
        .ids
        .iter()
        .map(|id| rng::stream_key(seed, id, 0))
        .collect();
    let risk_keys: Vec<[u64; 3]> = plan
        .risks
        .iter()
        .map(|r| [1, 2, 3].map(|purpose| rng::stream_key(seed, &r.id, purpose)))
        .collect();
    // Per iteration: duration, cost, then each milestone's finish.
    let width = 2 + plan.milestones.len();
    let mut out = vec![0.0; iterations * width];
    let chunks = iterations.div_ceil(lanes);
    let min_len = (chunks / (rayon::current_num_threads() * 8)).max(1);
    let totals = out
        .par_chunks_mut(lanes * width)
        .enumerate()
        .with_min_len(min_len)
        .fold(
            || {
                let mut w = Worker::new(
                    plan,
                    &keys,
                    &risk_keys,
                    lanes,
                    plan.general || plan.level || bins.is_some(),
                );
                if let Some(b) = bins {
                    w.profile = Some((b, vec![0; plan.resource_ids.len() * b.count]));
                }
                if sampling == Sampling::LatinHypercube {
                    w.latin = Some(iterations as u64);
                }
                w.cost_keys = plan
                    .cost_ranges
                    .iter()
                    .map(|&(pos, _)| rng::stream_key(seed, &plan.ids[pos as usize], 4))
                    .collect();
                w.rate_keys = plan
                    .rate_ranges
                    .iter()
                    .map(|(id, _, _)| rng::stream_key(seed, id, 5))
                    .collect();
                w
            },
            |mut w, (ci, chunk)| {
                let m = chunk.len() / width;
                w.run(
                    Durations::Sampled {
                        first: (ci * lanes) as u64,
                    },
                    m,
                );
                w.accumulate_profile(m);
                w.write_results(chunk, width, m);
                progress(m);
                w
            },
        )
        .map(|w| Totals {
            sum_fixed: w.sum_fixed,
            critical: w.critical,
            risk_hits: w.risk_hits,
            profile: w.profile.map(|p| p.1).unwrap_or_default(),
        })
        .reduce(|| Totals::zero(n, plan.risks.len()), Totals::merge);

    let it = iterations.max(1) as f64;
    let mut mean_duration = vec![0.0; n];
    let mut criticality = vec![0.0; n];
    for (pos, &task) in plan.order.iter().enumerate() {
        mean_duration[task] = totals.sum_fixed[pos] as f64 / FIXED_SCALE / it;
        criticality[task] = totals.critical[pos] as f64 / it;
    }
    let column = |c: usize| -> Vec<f64> { out.chunks_exact(width).map(|r| r[c]).collect() };
    let sim = Simulation {
        durations: column(0),
        costs: column(1),
        mean_duration,
        criticality,
        milestones: plan
            .milestones
            .iter()
            .enumerate()
            .map(|(j, &pos)| MilestoneSamples {
                task: plan.order[pos as usize],
                finish: column(2 + j),
            })
            .collect(),
        risk_occurrence: totals.risk_hits.iter().map(|&h| h as f64 / it).collect(),
    };
    (sim, totals.profile)
}

/// One pass over given durations (one lane): the deterministic schedule's early dates and
/// exact criticality, computed by the very code the simulation uses.
pub(crate) struct Trace {
    /// Early start by position.
    pub start: Vec<f64>,
    /// Early finish by position.
    pub finish: Vec<f64>,
    /// Duration by position (a level of effort's span included).
    pub duration: Vec<f64>,
    /// Whether each position lies on a longest path.
    pub critical: Vec<bool>,
    /// Project duration.
    pub end: f64,
    /// Project cost.
    pub cost: f64,
}

/// Runs one lane of `plan` with `durations` given by position.
pub(crate) fn trace(plan: &CompiledPlan, durations: &[f64]) -> Trace {
    let keys = vec![0u64; plan.len()];
    let mut w = Worker::new(plan, &keys, &[], 1, true);
    w.run(Durations::Given(durations), 1);
    Trace {
        start: w.start.clone(),
        finish: w.finish.clone(),
        duration: w.dur.clone(),
        critical: w.critical.iter().map(|&c| c > 0).collect(),
        end: w.end[0],
        cost: plan.fixed_cost + w.cost[0],
    }
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
    /// bin b (work after the last bin is counted in it).
    pub units: Vec<Vec<f64>>,
}

/// Bins for a resource profile: `count` bins of `bin_days` working days from the start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileBins {
    /// Width of a bin, in working days (> 0).
    pub bin_days: f64,
    /// Number of bins (>= 1).
    pub count: usize,
}

/// [`simulate_sampled`] that also measures the expected resource profile over `bins`. It keeps
/// start and duration rows (the general path), so it costs more than a plain run; results are
/// otherwise identical.
pub fn simulate_with_profile(
    plan: &CompiledPlan,
    iterations: usize,
    seed: u64,
    sampling: Sampling,
    bins: ProfileBins,
    progress: &(dyn Fn(usize) + Sync),
) -> (Simulation, ResourceProfile) {
    let lanes = lanes_for(plan.len());
    let (sim, sums) = run(
        plan,
        iterations,
        seed,
        sampling,
        lanes,
        Some(bins),
        progress,
    );
    let r = plan.resource_ids.len();
    let it = iterations.max(1) as f64;
    let units = (0..r)
        .map(|k| {
            sums[k * bins.count..(k + 1) * bins.count]
                .iter()
                .map(|&v| v as f64 / FIXED_SCALE / it)
                .collect()
        })
        .collect();
    (
        sim,
        ResourceProfile {
            bin_days: bins.bin_days,
            resources: plan.resource_ids.clone(),
            capacity: plan.resource_capacity.clone(),
            units,
        },
    )
}

/// Where a chunk's durations come from.
#[derive(Clone, Copy)]
enum Durations<'a> {
    /// Sampled for iterations `first..first + lanes`.
    Sampled { first: u64 },
    /// One lane of fixed durations by position.
    Given(&'a [f64]),
}

/// Per-task totals, merged across workers by integer addition (order-independent).
struct Totals {
    sum_fixed: Vec<u128>,
    critical: Vec<u64>,
    risk_hits: Vec<u64>,
    profile: Vec<u64>,
}

impl Totals {
    fn zero(n: usize, risks: usize) -> Self {
        Totals {
            sum_fixed: vec![0; n],
            critical: vec![0; n],
            risk_hits: vec![0; risks],
            profile: Vec::new(),
        }
    }

    fn merge(mut self, other: Totals) -> Self {
        if self.profile.len() < other.profile.len() {
            self.profile.resize(other.profile.len(), 0);
        }
        for (a, b) in self.profile.iter_mut().zip(other.profile) {
            *a += b;
        }
        for (a, b) in self.risk_hits.iter_mut().zip(other.risk_hits) {
            *a += b;
        }
        for (a, b) in self.sum_fixed.iter_mut().zip(other.sum_fixed) {
            *a += b;
        }
        for (a, b) in self.critical.iter_mut().zip(other.critical) {
            *a += b;
        }
        self
    }
}

/// One worker's scratch space (O(tasks × lanes)) and running totals.
struct Worker<'p> {
    plan: &'p CompiledPlan,
    keys: &'p [u64],
    lanes: usize,
    general: bool,
    finish: Vec<f64>,
    /// Start and duration rows: general plans only (empty otherwise).
    start: Vec<f64>,
    dur: Vec<f64>,
    crit: Vec<u8>,
    scratch: Vec<f64>,
    cost: Vec<f64>,
    end: Vec<f64>,
    sum_fixed: Vec<u128>,
    critical: Vec<u64>,
    /// Per risk and lane of the current chunk: a driver's factor (1 when it does not occur)
    /// or an event's added days (0 when it does not occur).
    risk_effect: Vec<f64>,
    risk_hits: Vec<u64>,
    risk_keys: &'p [[u64; 3]],
    /// Correlated uniforms of the current chunk: slot × lanes.
    corr_u: Vec<f64>,
    /// Scratch for one group's uniforms and normals (reused across chunks).
    corr_scratch: Vec<f64>,
    /// Latin hypercube over this many iterations, or plain Monte Carlo.
    latin: Option<u64>,
    /// Resource levelling scratch (levelled plans only).
    leveller: Option<Leveller>,
    lv_d: Vec<f64>,
    lv_s: Vec<f64>,
    lv_order: Vec<u32>,
    lv_crit: Vec<bool>,
    /// Daily rate of each uncertain-rate resource, per lane of the current chunk.
    rate_lanes: Vec<f64>,
    /// Stream keys: each three-point task cost, then each uncertain rate.
    cost_keys: Vec<u64>,
    rate_keys: Vec<u64>,
    /// Resource profile bins and fixed-point sums (resource-major), when measured.
    profile: Option<(ProfileBins, Vec<u64>)>,
}

#[inline(always)]
fn fmax(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// Sum with four accumulators (deterministic for a given length, and not latency-bound).
#[inline]
fn sum4(x: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let mut chunks = x.chunks_exact(4);
    for c in &mut chunks {
        for k in 0..4 {
            acc[k] += c[k];
        }
    }
    let tail: f64 = chunks.remainder().iter().sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// The earliest start a link allows, one lane. The forward and backward passes both call this,
/// so the backward pass can test "this link drove the start" by exact equality.
#[inline(always)]
fn bound(kind: LinkKind, pred_start: f64, pred_finish: f64, lag: f64, duration: f64) -> f64 {
    match kind {
        LinkKind::FinishToStart => pred_finish + lag,
        LinkKind::StartToStart => pred_start + lag,
        LinkKind::FinishToFinish => pred_finish + lag - duration,
        LinkKind::StartToFinish => pred_start + lag - duration,
    }
}

impl<'p> Worker<'p> {
    fn new(
        plan: &'p CompiledPlan,
        keys: &'p [u64],
        risk_keys: &'p [[u64; 3]],
        lanes: usize,
        general: bool,
    ) -> Self {
        let n = plan.len();
        let rows = if general { n * lanes } else { 0 };
        Worker {
            plan,
            keys,
            lanes,
            general,
            finish: vec![0.0; n * lanes],
            start: vec![0.0; rows],
            dur: vec![0.0; rows],
            crit: vec![0; n * lanes],
            scratch: vec![0.0; lanes],
            cost: vec![0.0; lanes],
            end: vec![0.0; lanes],
            sum_fixed: vec![0; n],
            critical: vec![0; n],
            risk_effect: vec![0.0; plan.risks.len() * lanes],
            risk_hits: vec![0; plan.risks.len()],
            risk_keys,
            corr_u: vec![0.0; plan.corr_slot.iter().filter(|&&s| s != NO_SLOT).count() * lanes],
            corr_scratch: Vec::new(),
            latin: None,
            leveller: plan.level.then(|| Leveller::new(n, plan.capacity.len())),
            lv_d: vec![0.0; if plan.level { n } else { 0 }],
            lv_s: vec![0.0; if plan.level { n } else { 0 }],
            lv_order: Vec::new(),
            lv_crit: vec![false; if plan.level { n } else { 0 }],
            rate_lanes: vec![0.0; plan.rate_ranges.len() * lanes],
            cost_keys: Vec::new(),
            rate_keys: Vec::new(),
            profile: None,
        }
    }

    /// Adds the chunk's resource use to the profile: for every task and lane, units × the
    /// share of each bin its [start, finish) covers (work beyond the last bin goes to it).
    fn accumulate_profile(&mut self, m: usize) {
        let plan = self.plan;
        let w = self.lanes;
        let Some((bins, sums)) = self.profile.as_mut() else {
            return;
        };
        let last = (bins.count - 1) as f64;
        for pos in 0..plan.len() {
            let uses = &plan.uses[plan.use_start[pos] as usize..plan.use_start[pos + 1] as usize];
            if uses.is_empty() {
                continue;
            }
            for i in 0..m {
                let (s, f) = (
                    self.start[pos * w + i] / bins.bin_days,
                    self.finish[pos * w + i] / bins.bin_days,
                );
                if f <= s {
                    continue;
                }
                let mut b = s.floor().min(last);
                while b <= last {
                    let hi = if b == last { f } else { f.min(b + 1.0) };
                    let overlap = hi - s.max(b);
                    if overlap > 0.0 {
                        for &(r, units) in uses {
                            sums[r as usize * bins.count + b as usize] +=
                                (units * overlap * FIXED_SCALE) as u64;
                        }
                    }
                    if hi >= f {
                        break;
                    }
                    b += 1.0;
                }
            }
        }
    }

    /// Draws the chunk's three-point task costs (added to the lanes' costs) and uncertain
    /// daily rates. Streams: (seed, task id) purpose 4 and (seed, resource id) purpose 5.
    fn draw_costs(&mut self, first: u64, m: usize) {
        let (plan, w) = (self.plan, self.lanes);
        for (k, (_, sampler)) in plan.cost_ranges.iter().enumerate() {
            sampler.fill(&[], self.cost_keys[k], first, &mut self.scratch[..m]);
            for (c, &x) in self.cost[..m].iter_mut().zip(&self.scratch[..m]) {
                *c += x;
            }
        }
        for (k, (_, sampler, per_day)) in plan.rate_ranges.iter().enumerate() {
            let lanes = &mut self.rate_lanes[k * w..][..m];
            sampler.fill(&[], self.rate_keys[k], first, lanes);
            for r in lanes.iter_mut() {
                *r *= per_day;
            }
        }
    }

    /// Books position `pos`'s durations `d` (one per lane): their sum for the task's mean, in
    /// fixed point, and their resource cost into `cost`. Sampled runs use the iteration's
    /// uncertain rates; the deterministic pass uses the most likely rates.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn book(
        plan: &CompiledPlan,
        sampled: bool,
        rate_lanes: &[f64],
        w: usize,
        pos: usize,
        d: &[f64],
        cost: &mut [f64],
        sum_fixed: &mut u128,
    ) {
        // Truncation toward zero of a non-negative sum: one instruction, deterministic.
        *sum_fixed += u128::from((sum4(d) * FIXED_SCALE) as u64);
        let k = if sampled {
            plan.cost_per_day_certain[pos]
        } else {
            plan.cost_per_day[pos]
        };
        if k != 0.0 {
            for (c, &x) in cost.iter_mut().zip(d) {
                *c += k * x;
            }
        }
        if sampled && plan.rate_use_start[pos] != plan.rate_use_start[pos + 1] {
            Self::uncertain_rate_cost(plan, rate_lanes, w, pos, d, cost);
        }
    }

    /// Adds the cost of position `pos`'s uncertain-rate resources over durations `d`.
    #[inline(always)]
    fn uncertain_rate_cost(
        plan: &CompiledPlan,
        rate_lanes: &[f64],
        w: usize,
        pos: usize,
        d: &[f64],
        cost: &mut [f64],
    ) {
        let uses = &plan.rate_uses
            [plan.rate_use_start[pos] as usize..plan.rate_use_start[pos + 1] as usize];
        for &(k, units) in uses {
            let r = &rate_lanes[k as usize * w..][..d.len()];
            for ((c, &x), &rate) in cost.iter_mut().zip(d).zip(r) {
                *c += units * rate * x;
            }
        }
    }

    /// Resource levelling, lane by lane: the serial schedule-generation scheme (priority:
    /// latest start from the unconstrained plan, ties by position; see [`super::level`]) on
    /// the lane's durations replaces the unconstrained starts and finishes.
    fn level_lanes(&mut self, m: usize) {
        let plan = self.plan;
        let (w, n) = (self.lanes, plan.len());
        let Some(leveller) = self.leveller.as_mut() else {
            return;
        };
        for i in 0..m {
            for pos in 0..n {
                self.lv_d[pos] = self.dur[pos * w + i];
            }
            let problem = Problem {
                durations: &self.lv_d,
                pred_start: &plan.pred_start,
                preds: &plan.preds,
                demand_start: &plan.demand_start,
                demands: &plan.demands,
                capacity: &plan.capacity,
            };
            self.end[i] = leveller.schedule(&problem, &mut self.lv_s);
            for pos in 0..n {
                self.start[pos * w + i] = self.lv_s[pos];
                self.finish[pos * w + i] = self.lv_s[pos] + self.lv_d[pos];
            }
        }
    }

    /// Criticality in a levelled schedule: a task is critical when it finishes at the end, or
    /// when a critical task starts the instant it finishes and either depends on it or waited
    /// for a resource it held (its start is then driven by this task's finish).
    fn backward_levelled(&mut self, m: usize) {
        let plan = self.plan;
        let (w, n) = (self.lanes, plan.len());
        for i in 0..m {
            let start = |pos: usize| self.start[pos * w + i];
            let finish = |pos: usize| self.finish[pos * w + i];
            self.lv_order.clear();
            self.lv_order.extend(0..n as u32);
            self.lv_order.sort_unstable_by(|&a, &b| {
                start(b as usize)
                    .total_cmp(&start(a as usize))
                    .then(b.cmp(&a))
            });
            for pos in 0..n {
                self.lv_crit[pos] = finish(pos) == self.end[i];
            }
            for &s in &self.lv_order {
                let s = s as usize;
                if !self.lv_crit[s] {
                    continue;
                }
                self.critical[s] += 1;
                let st = start(s);
                for &p in plan.preds_of(s) {
                    if finish(p as usize) == st {
                        self.lv_crit[p as usize] = true;
                    }
                }
                let demands =
                    &plan.demands[plan.demand_start[s] as usize..plan.demand_start[s + 1] as usize];
                for &(r, _) in demands {
                    for &t in &plan.resource_users[r as usize] {
                        if t as usize != s && finish(t as usize) == st {
                            self.lv_crit[t as usize] = true;
                        }
                    }
                }
            }
        }
    }

    /// The task uniform of stream `key` at `iteration` under the run's sampling.
    #[inline(always)]
    fn unit(latin: Option<u64>, key: u64, iteration: u64) -> f64 {
        match latin {
            None => rng::uniform(key, iteration),
            Some(n) => rng::latin_uniform(key, iteration, n),
        }
    }

    /// Correlates the uniforms of every correlated group for the chunk's lanes: each task's own
    /// stream gives an independent uniform, the group's copula correlates them.
    fn draw_correlated(&mut self, first: u64, m: usize) {
        let w = self.lanes;
        for g in &self.plan.corr_groups {
            let k = g.positions.len();
            self.corr_scratch.resize(2 * k, 0.0);
            let (u, z) = self.corr_scratch.split_at_mut(k);
            for i in 0..m {
                for (uj, &pos) in u.iter_mut().zip(&g.positions) {
                    *uj = Self::unit(self.latin, self.keys[pos as usize], first + i as u64);
                }
                correlation::correlate(&g.chol, u, z);
                for (&uj, &pos) in u.iter().zip(&g.positions) {
                    self.corr_u[self.plan.corr_slot[pos as usize] as usize * w + i] = uj;
                }
            }
        }
    }

    /// Fills `row` with position `pos`'s durations from `src`: sampled from the correlated
    /// uniforms when the task is correlated, from its Latin hypercube strata, or from its own
    /// stream — with the risks affecting it applied — or the given fixed durations.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn fill_durations(
        plan: &CompiledPlan,
        keys: &[u64],
        corr_u: &[f64],
        risk_effect: &[f64],
        latin: Option<u64>,
        w: usize,
        src: Durations,
        pos: usize,
        row: &mut [f64],
    ) {
        let first = match src {
            Durations::Given(d) => return row.fill(d[pos]),
            Durations::Sampled { first } => first,
        };
        let slot = plan.corr_slot[pos];
        if let (NO_SLOT, Some(n)) = (slot, latin) {
            let s = &plan.samplers[pos];
            for (i, o) in row.iter_mut().enumerate() {
                *o = s.quantile(rng::latin_uniform(keys[pos], first + i as u64, n));
            }
        } else if slot == NO_SLOT {
            plan.samplers[pos].fill(&plan.pert_rows, keys[pos], first, row);
        } else {
            let s = &plan.samplers[pos];
            for (o, &u) in row.iter_mut().zip(&corr_u[slot as usize * w..]) {
                *o = s.quantile(u);
            }
        }
        if !plan.risks_of(pos).is_empty() {
            Self::apply_risks(plan, risk_effect, w, pos, row);
        }
    }

    /// Draws every risk for the chunk's lanes: whether it occurs, its effect on durations, and
    /// its cost (added to the lanes' costs). Streams: (seed, risk id) with purposes 1, 2, 3.
    fn draw_risks(&mut self, first: u64, m: usize, seed_keys: &[[u64; 3]]) {
        let w = self.lanes;
        for (r, risk) in self.plan.risks.iter().enumerate() {
            let [k_occ, k_imp, k_cost] = seed_keys[r];
            let effect = &mut self.risk_effect[r * w..][..m];
            risk.impact.fill(&[], k_imp, first, effect);
            let neutral = if risk.kind == RiskKind::Driver {
                1.0
            } else {
                0.0
            };
            // One occurrence draw per lane decides the effect and the cost together.
            if let Some(cost) = &risk.cost {
                cost.fill(&[], k_cost, first, &mut self.scratch[..m]);
            }
            let mut hits = 0u64;
            for (i, e) in effect.iter_mut().enumerate() {
                let occurs = rng::uniform(k_occ, first + i as u64) < risk.probability;
                hits += u64::from(occurs);
                if !occurs {
                    *e = neutral;
                } else if risk.cost.is_some() {
                    self.cost[i] += self.scratch[i];
                }
            }
            self.risk_hits[r] += hits;
        }
    }

    /// Applies the risks affecting `pos` to its sampled durations: drivers multiply, then
    /// events add.
    #[inline(always)]
    fn apply_risks(plan: &CompiledPlan, risk_effect: &[f64], w: usize, pos: usize, d: &mut [f64]) {
        for &r in plan.risks_of(pos) {
            let r = r as usize;
            let e = &risk_effect[r * w..][..d.len()];
            if plan.risks[r].kind == RiskKind::Driver {
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

    /// Start times (max of predecessors' finishes) of the first `m` lanes, into `start`.
    #[inline(always)]
    fn max_finish(finish: &[f64], preds: &[u32], w: usize, m: usize, start: &mut [f64]) {
        let (&p0, more) = preds.split_first().expect("caller checks for predecessors");
        start[..m].copy_from_slice(&finish[p0 as usize * w..][..m]);
        for &p in more {
            let f = &finish[p as usize * w..][..m];
            for (s, &x) in start[..m].iter_mut().zip(f) {
                *s = fmax(*s, x);
            }
        }
    }

    /// Simulates `m` lanes: fills `end[..m]`, `cost[..m]` and the rows of every task.
    fn run(&mut self, src: Durations, m: usize) {
        let plan = self.plan;
        self.cost[..m].fill(0.0);
        if let Durations::Sampled { first } = src {
            if !plan.risks.is_empty() {
                self.draw_risks(first, m, self.risk_keys);
            }
            if !plan.corr_groups.is_empty() {
                self.draw_correlated(first, m);
            }
            if !plan.cost_ranges.is_empty() || !plan.rate_ranges.is_empty() {
                self.draw_costs(first, m);
            }
        }
        if self.general {
            self.forward_general(src, m);
        } else {
            self.forward_plain(src, m);
        }
        if plan.level {
            self.level_lanes(m);
            self.backward_levelled(m);
            return;
        }
        let w = self.lanes;
        // Project end: the latest finish among the tasks that can end it.
        let end = &mut self.end[..m];
        end.fill(0.0);
        for &s in &plan.sinks {
            for (e, &f) in end.iter_mut().zip(&self.finish[s as usize * w..][..m]) {
                *e = fmax(*e, f);
            }
        }
        self.backward(m);
    }

    /// Plain plans: finish = duration + max over predecessors, without a scratch copy for the
    /// common cases of one and two predecessors.
    fn forward_plain(&mut self, src: Durations, m: usize) {
        let plan = self.plan;
        let (w, n) = (self.lanes, plan.len());
        for pos in 0..n {
            let (done, rest) = self.finish.split_at_mut(pos * w);
            let row = &mut rest[..m];
            Self::fill_durations(
                plan,
                self.keys,
                &self.corr_u,
                &self.risk_effect,
                self.latin,
                w,
                src,
                pos,
                row,
            );
            let sampled = matches!(src, Durations::Sampled { .. });
            Self::book(
                plan,
                sampled,
                &self.rate_lanes,
                w,
                pos,
                row,
                &mut self.cost[..m],
                &mut self.sum_fixed[pos],
            );
            match *plan.preds_of(pos) {
                [] => {}
                [a] => {
                    let fa = &done[a as usize * w..][..m];
                    for (r, &x) in row.iter_mut().zip(fa) {
                        *r += x;
                    }
                }
                [a, b] => {
                    let (fa, fb) = (&done[a as usize * w..][..m], &done[b as usize * w..][..m]);
                    for ((r, &x), &y) in row.iter_mut().zip(fa).zip(fb) {
                        *r += fmax(x, y);
                    }
                }
                ref preds => {
                    Self::max_finish(done, preds, w, m, &mut self.scratch);
                    for (r, &s) in row.iter_mut().zip(&self.scratch[..m]) {
                        *r += s;
                    }
                }
            }
        }
    }

    /// General plans: every link type and lag, and levels of effort.
    fn forward_general(&mut self, src: Durations, m: usize) {
        let plan = self.plan;
        let (w, n) = (self.lanes, plan.len());
        for pos in 0..n {
            let mut drow = std::mem::take(&mut self.dur);
            let d = &mut drow[pos * w..][..m];
            if !plan.is_loe[pos] {
                Self::fill_durations(
                    plan,
                    self.keys,
                    &self.corr_u,
                    &self.risk_effect,
                    self.latin,
                    w,
                    src,
                    pos,
                    d,
                );
            }
            let (fin_done, fin_rest) = self.finish.split_at_mut(pos * w);
            let (st_done, st_rest) = self.start.split_at_mut(pos * w);
            let (frow, srow) = (&mut fin_rest[..m], &mut st_rest[..m]);
            srow.fill(plan.not_before[pos]);
            for l in plan.links_of(pos) {
                let (p, kind, lag) = (plan.preds[l] as usize, plan.link_kind[l], plan.link_lag[l]);
                let (ps, pf) = (&st_done[p * w..][..m], &fin_done[p * w..][..m]);
                for i in 0..m {
                    srow[i] = fmax(srow[i], bound(kind, ps[i], pf[i], lag, d[i]));
                }
            }
            if plan.is_loe[pos] {
                frow.copy_from_slice(srow);
                for &e in plan.loe_end_of(pos) {
                    for (f, &x) in frow.iter_mut().zip(&fin_done[e as usize * w..][..m]) {
                        *f = fmax(*f, x);
                    }
                }
                for i in 0..m {
                    d[i] = frow[i] - srow[i];
                }
            } else {
                for i in 0..m {
                    frow[i] = srow[i] + d[i];
                }
            }
            let sampled = matches!(src, Durations::Sampled { .. });
            Self::book(
                plan,
                sampled,
                &self.rate_lanes,
                w,
                pos,
                d,
                &mut self.cost[..m],
                &mut self.sum_fixed[pos],
            );
            self.dur = drow;
        }
    }

    /// Marks the tasks on a longest path and counts them. A task that can end the project and
    /// finishes at the end is critical; a predecessor is critical when its link's bound equals
    /// (bit for bit: the start is the max of exactly these bounds) a critical task's start.
    /// Rows are all zero between chunks: each row is cleared once counted, and a row is
    /// complete when reached, since only later positions write into it.
    fn backward(&mut self, m: usize) {
        let plan = self.plan;
        let (w, n) = (self.lanes, plan.len());
        let end = &self.end[..m];
        for &s in &plan.sinks {
            let s = s as usize;
            let f = &self.finish[s * w..][..m];
            for ((c, &f), &e) in self.crit[s * w..][..m].iter_mut().zip(f).zip(end) {
                *c = u8::from(f == e);
            }
        }
        for pos in (0..n).rev() {
            let (crit_before, crit_rest) = self.crit.split_at_mut(pos * w);
            let c = &mut crit_rest[..m];
            let count: u64 = c.iter().map(|&x| u64::from(x)).sum();
            if count == 0 {
                continue;
            }
            self.critical[pos] += count;
            if self.general {
                let (st, d) = (&self.start[pos * w..][..m], &self.dur[pos * w..][..m]);
                for l in plan.links_of(pos) {
                    let (p, kind, lag) =
                        (plan.preds[l] as usize, plan.link_kind[l], plan.link_lag[l]);
                    let (ps, pf) = (&self.start[p * w..][..m], &self.finish[p * w..][..m]);
                    let cp = &mut crit_before[p * w..][..m];
                    for i in 0..m {
                        cp[i] |= c[i] & u8::from(bound(kind, ps[i], pf[i], lag, d[i]) == st[i]);
                    }
                }
            } else {
                let preds = plan.preds_of(pos);
                if !preds.is_empty() {
                    Self::max_finish(&self.finish, preds, w, m, &mut self.scratch);
                    for &p in preds {
                        let p = p as usize;
                        let f = &self.finish[p * w..][..m];
                        let cp = &mut crit_before[p * w..][..m];
                        for i in 0..m {
                            cp[i] |= c[i] & u8::from(f[i] == self.scratch[i]);
                        }
                    }
                }
            }
            c.fill(0);
        }
    }

    /// Writes the lanes' results into an interleaved output chunk of `width` values per
    /// iteration: duration, cost, then each milestone's finish.
    fn write_results(&self, chunk: &mut [f64], width: usize, m: usize) {
        let plan = self.plan;
        for (i, row) in chunk.chunks_exact_mut(width).take(m).enumerate() {
            row[0] = self.end[i];
            row[1] = plan.fixed_cost_certain + self.cost[i];
            for (j, &pos) in plan.milestones.iter().enumerate() {
                row[2 + j] = self.finish[pos as usize * self.lanes + i];
            }
        }
    }
}
