//! Resource levelling: the serial schedule-generation scheme (SGS) for the resource-constrained
//! project scheduling problem (RCPSP) with finish-to-start precedences and renewable resources.
//!
//! This is the core of per-iteration resource-constrained scheduling: [`Leveller::schedule`]
//! runs once per Monte Carlo iteration, so it allocates nothing once its scratch space has grown
//! to the plan's size, and it is deterministic (the same problem gives the same schedule, bit
//! for bit).
//!
//! # Algorithm
//! 1. The unconstrained critical path method on the given durations gives every task its latest
//!    start LS; that is the priority (smaller first, ties by smaller position).
//! 2. The serial SGS repeatedly takes the eligible task (all predecessors scheduled) with the
//!    best priority and starts it at the earliest time `t ≥ max(predecessor finishes)` at which
//!    every resource has room for it throughout `[t, t + d)`. Durations are real numbers, so the
//!    resource usage is an event-based profile: sorted change points, with the usage of every
//!    (finite-capacity) resource in each segment between them. Candidate starts are the
//!    precedence-feasible time and the segment boundaries after it (usage only drops at
//!    finishes); one forward sweep over the segments finds the first that fits.
//! 3. [`Leveller::schedule_justified`] adds forward-backward improvement (double justification,
//!    Valls, Ballestín & Quintanilla 2005): tasks are shifted as late as possible in decreasing
//!    order of finish, then as early as possible in increasing order of start. Each pass is a
//!    serial SGS over a list sorted by the previous schedule, which can only shorten it, so the
//!    makespan never gets worse.
//!
//! Measured on the PSPLIB and Patterson instances (`tests/corpus_rcpsp.rs`): mean gap to the
//! optimum 4.9% on j30 (3.9% justified), 12.0% to the best known on j120 (9.7%), 5.1% on
//! Patterson (4.0%); about 30 µs per j120 call in release (80 µs justified).
//!
//! 4. [`Leveller::schedule_general`] is the same serial SGS over a general network ([`General`]:
//!    FS/SS/FF/SF links with lags and leads, release times, levels of effort): a task becomes
//!    eligible once its predecessors and `finish_with` tasks are scheduled and starts at the
//!    latest of its release and its links' bounds, then when its units are free. On FS
//!    networks it gives exactly `schedule`'s schedule.
//!
//! Zero-duration tasks and tasks that demand nothing of a finite-capacity resource need no
//! capacity: they start as soon as their predecessors finish. Usage is compared with capacity
//! with a relative tolerance of [`CAPACITY_TOLERANCE`] so that rounding in sums of fractional
//! units (0.1 + 0.2 > 0.3) does not serialise tasks that fit exactly.
//!
//! # Input contract
//! A task that demands more units of a resource than its capacity can never be scheduled.
//! Callers must reject such input before scheduling (it is an input error, see
//! [`Problem::over_demand`]); `schedule` debug-asserts it, and in release builds starts such a
//! task after every previously scheduled task has finished (the result is then infeasible).

/// Relative slack allowed when comparing usage with capacity: `usage + demand <= capacity ×
/// (1 + CAPACITY_TOLERANCE)` (absolute below a capacity of 1). Also used by [`feasible`].
pub const CAPACITY_TOLERANCE: f64 = 1e-9;

use super::csr::Csr;
use super::forward::{bound, fmax};
use super::plan::LinkRule;

/// A resource-constrained scheduling problem in topological order.
#[derive(Debug, Clone, Copy)]
pub struct Problem<'a> {
    /// Duration by position, >= 0.
    pub durations: &'a [f64],
    /// The predecessors of each position (one row per position), all at smaller positions.
    pub preds: &'a Csr<u32>,
    /// The `(resource index, units)` demands of each position (one row per position): units
    /// of a resource used throughout the task.
    pub demands: &'a Csr<(u32, f64)>,
    /// Units available per resource, > 0 (`f64::INFINITY` = unlimited).
    pub capacity: &'a [f64],
}

impl<'a> Problem<'a> {
    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.durations.len()
    }

    /// Whether there are no tasks.
    pub fn is_empty(&self) -> bool {
        self.durations.is_empty()
    }

    /// Predecessor positions of `pos`.
    #[inline(always)]
    pub fn preds_of(&self, pos: usize) -> &'a [u32] {
        self.preds.row(pos)
    }

    /// `(resource, units)` demands of `pos`.
    #[inline(always)]
    pub fn demands_of(&self, pos: usize) -> &'a [(u32, f64)] {
        self.demands.row(pos)
    }

    /// The first `(position, resource)` whose task (of non-zero duration) demands more units of
    /// the resource than its capacity: such a task can never be scheduled, so callers must
    /// reject the input before calling [`Leveller::schedule`].
    pub fn over_demand(&self) -> Option<(usize, u32)> {
        (0..self.len())
            .filter(|&pos| self.durations[pos] > 0.0)
            .find_map(|pos| {
                self.demands_of(pos)
                    .iter()
                    .find(|&&(r, u)| u > limit(self.capacity[r as usize]))
                    .map(|&(r, _)| (pos, r))
            })
    }
}

/// What a general network adds to a [`Problem`] for [`Leveller::schedule_general`]: link
/// types and lags, earliest starts and levels of effort (the forward pass's semantics, see
/// `engine::forward`).
#[derive(Debug, Clone, Copy)]
pub struct General<'a> {
    /// Each link's type and lag, parallel to `Problem::preds.items()`.
    pub rules: &'a [LinkRule],
    /// Earliest start by position (start no earlier than, resources joining); empty: none.
    pub release: &'a [f64],
    /// Whether each position is a level of effort.
    pub is_loe: &'a [bool],
    /// The `finish_with` positions of each position (empty rows for other tasks), all smaller.
    pub loe_ends: &'a Csr<u32>,
}

/// The most usage a capacity allows (capacity plus the rounding tolerance).
#[inline]
fn limit(capacity: f64) -> f64 {
    capacity + CAPACITY_TOLERANCE * capacity.max(1.0)
}

/// Resource usage over time: segment `k` is `[times[k], times[k + 1])` (the last one is open
/// ended) and uses `usage[k * width..][..width]`, one value per finite-capacity resource.
#[derive(Debug, Default, Clone)]
struct Profile {
    times: Vec<f64>,
    usage: Vec<f64>,
    width: usize,
}

impl Profile {
    fn reset(&mut self, width: usize) {
        self.width = width;
        self.times.clear();
        self.times.push(0.0);
        self.usage.clear();
        self.usage.resize(width, 0.0);
    }

    #[inline(always)]
    fn fits(&self, seg: usize, dem: &[(u32, f64)], limit: &[f64]) -> bool {
        let u = &self.usage[seg * self.width..][..self.width];
        dem.iter()
            .all(|&(r, x)| u[r as usize] + x <= limit[r as usize])
    }

    /// The earliest `t >= t0` at which `dem` fits throughout `[t, t + d)` (`d > 0`, `t0 >= 0`).
    fn earliest(&self, t0: f64, d: f64, dem: &[(u32, f64)], limit: &[f64]) -> f64 {
        let k = self.times.len();
        let mut t = t0;
        // The segment containing t0 (times[0] = 0 <= t0).
        let mut i = self.times.partition_point(|&x| x <= t0) - 1;
        let mut end = t + d;
        while i < k && self.times[i] < end {
            if self.fits(i, dem, limit) {
                i += 1;
            } else if i + 1 == k {
                // The open last segment is empty: only an over-capacity demand fails there.
                debug_assert!(
                    false,
                    "a task demands more than a resource's capacity; reject it before scheduling"
                );
                return t.max(self.times[i]);
            } else {
                // Any start before the next boundary would still overlap this segment.
                i += 1;
                t = self.times[i];
                end = t + d;
            }
        }
        t
    }

    /// Index of the boundary at `t`, inserting one (a copy of the segment it splits) if needed.
    fn split(&mut self, t: f64) -> usize {
        let i = self.times.partition_point(|&x| x < t);
        if i < self.times.len() && self.times[i] == t {
            return i;
        }
        // i >= 1 because times[0] = 0 <= t and t is not 0 here.
        self.times.insert(i, t);
        let (w, len) = (self.width, self.usage.len());
        self.usage.resize(len + w, 0.0);
        self.usage.copy_within((i - 1) * w..len, i * w);
        i
    }

    /// Adds `dem` over `[s, e)` (`s < e`).
    fn add(&mut self, s: f64, e: f64, dem: &[(u32, f64)]) {
        let a = self.split(s);
        let b = self.split(e);
        let w = self.width;
        for seg in a..b {
            let u = &mut self.usage[seg * w..][..w];
            for &(r, x) in dem {
                u[r as usize] += x;
            }
        }
    }
}

/// Scratch of one serial SGS pass.
#[derive(Debug, Default, Clone)]
struct Sgs {
    pending: Vec<u32>,
    eligible: Vec<u32>,
    finish: Vec<f64>,
    profile: Profile,
}

/// What one serial SGS pass needs besides its scratch: the durations, the constraints
/// (`before[j]` must finish before `j` starts; `after` is the transpose), the filtered demands
/// in compact resource indices with their limits, and the priority (smaller first).
struct Pass<'a> {
    dur: &'a [f64],
    before: &'a Csr<u32>,
    after: &'a Csr<u32>,
    dem: &'a Csr<(u32, f64)>,
    limit: &'a [f64],
    key: &'a [f64],
    /// Earliest start by position (empty: 0 for every task).
    release: &'a [f64],
}

impl Sgs {
    /// Counts each of the `n` tasks' unscheduled predecessors in `before` and makes the tasks
    /// without any eligible.
    fn start_pending(&mut self, before: &Csr<u32>, n: usize) {
        self.pending.clear();
        self.eligible.clear();
        for j in 0..n {
            let c = before.row(j).len() as u32;
            self.pending.push(c);
            if c == 0 {
                self.eligible.push(j as u32);
            }
        }
    }

    /// Removes and returns the eligible task with the smallest (key, position): the serial
    /// scheme's priority rule, the same in every pass.
    #[inline]
    fn take_next(&mut self, key: &[f64]) -> usize {
        let mut best = 0;
        let (mut bk, mut bj) = (key[self.eligible[0] as usize], self.eligible[0]);
        for (i, &j) in self.eligible.iter().enumerate().skip(1) {
            let k = key[j as usize];
            if k < bk || (k == bk && j < bj) {
                (best, bk, bj) = (i, k, j);
            }
        }
        self.eligible.swap_remove(best) as usize
    }

    /// Runs a serial SGS; fills `start` and returns the makespan.
    fn run(&mut self, p: &Pass, start: &mut [f64]) -> f64 {
        let n = p.dur.len();
        self.start_pending(p.before, n);
        self.finish.clear();
        self.finish.resize(n, 0.0);
        self.profile.reset(p.limit.len());
        let mut makespan = 0.0f64;
        while !self.eligible.is_empty() {
            let j = self.take_next(p.key);

            let mut t = p.release.get(j).copied().unwrap_or(0.0);
            for &q in p.before.row(j) {
                t = t.max(self.finish[q as usize]);
            }
            let d = p.dur[j];
            let dem = p.dem.row(j);
            if !dem.is_empty() {
                // (Demands are only kept for tasks of positive duration.)
                t = self.profile.earliest(t, d, dem, p.limit);
                self.profile.add(t, t + d, dem);
            }
            start[j] = t;
            let f = t + d;
            self.finish[j] = f;
            makespan = makespan.max(f);
            for &s in p.after.row(j) {
                let c = &mut self.pending[s as usize];
                *c -= 1;
                if *c == 0 {
                    self.eligible.push(s);
                }
            }
        }
        makespan
    }
}

impl Sgs {
    /// A serial SGS over a general network: `p.before` holds the links and the `finish_with`
    /// tasks (so every one is scheduled before its successor), `preds` the links alone (their
    /// rules in `g.rules`). A task starts at the latest of its release and its links' bounds
    /// and, if it needs units, at the first time they are free throughout its duration; a
    /// level of effort starts from its links and lasts until its `finish_with` tasks end (it
    /// is never delayed; units assigned to it are booked over that span). Fills `start` and
    /// `finish`; returns the latest finish of a task that is not a level of effort.
    fn run_general(
        &mut self,
        p: &Pass,
        preds: &Csr<u32>,
        g: &General,
        start: &mut [f64],
        finish: &mut [f64],
    ) -> f64 {
        let n = p.dur.len();
        self.start_pending(p.before, n);
        self.profile.reset(p.limit.len());
        let mut makespan = 0.0f64;
        while !self.eligible.is_empty() {
            let j = self.take_next(p.key);

            let loe = g.is_loe[j];
            let d = if loe { 0.0 } else { p.dur[j] };
            let mut t = g.release.get(j).copied().unwrap_or(0.0).max(0.0);
            let r = preds.range(j);
            for (&q, rule) in preds.items()[r.clone()].iter().zip(&g.rules[r]) {
                let q = q as usize;
                t = fmax(t, bound(rule.kind, start[q], finish[q], rule.lag, d));
            }
            let dem = p.dem.row(j);
            let f = if loe {
                let mut f = t;
                for &e in g.loe_ends.row(j) {
                    f = fmax(f, finish[e as usize]);
                }
                if f > t && !dem.is_empty() {
                    self.profile.add(t, f, dem);
                }
                f
            } else {
                if !dem.is_empty() {
                    t = self.profile.earliest(t, d, dem, p.limit);
                    self.profile.add(t, t + d, dem);
                }
                makespan = makespan.max(t + d);
                t + d
            };
            start[j] = t;
            finish[j] = f;
            for &s in p.after.row(j) {
                let c = &mut self.pending[s as usize];
                *c -= 1;
                if *c == 0 {
                    self.eligible.push(s);
                }
            }
        }
        makespan
    }
}

/// Reusable scratch space so per-iteration calls do not allocate.
///
/// Buffers grow to the largest problem seen (`new` sizes them up front) and are reused.
#[derive(Debug, Default, Clone)]
pub struct Leveller {
    /// Early finish (CPM), then late finish.
    ef: Vec<f64>,
    lf: Vec<f64>,
    /// Priority of the current pass.
    key: Vec<f64>,
    /// Successors: the transpose of the predecessors.
    succs: Csr<u32>,
    /// Demands on finite-capacity resources of tasks with positive duration, in compact
    /// resource indices.
    dem: Csr<(u32, f64)>,
    compact: Vec<u32>,
    limit: Vec<f64>,
    /// Start times of the first (forward) and the backward pass.
    first: Vec<f64>,
    back: Vec<f64>,
    sgs: Sgs,
    /// General networks: links and `finish_with` tasks before each position, and the
    /// transpose.
    gbefore: Csr<u32>,
    gafter: Csr<u32>,
}

const UNLIMITED: u32 = u32::MAX;

impl Leveller {
    /// Scratch space for problems of up to `tasks` tasks and `resources` resources (larger
    /// problems work too; the buffers then grow once).
    pub fn new(tasks: usize, resources: usize) -> Self {
        fn f<T>(n: usize) -> Vec<T> {
            Vec::with_capacity(n)
        }
        let segments = 2 * tasks + 1;
        Leveller {
            ef: f(tasks),
            lf: f(tasks),
            key: f(tasks),
            succs: Csr::with_capacity(tasks, 4 * tasks),
            dem: Csr::with_capacity(tasks, tasks * resources.min(8)),
            compact: Vec::with_capacity(resources),
            limit: Vec::with_capacity(resources),
            first: f(tasks),
            back: f(tasks),
            sgs: Sgs {
                pending: f(tasks),
                eligible: f(tasks),
                finish: f(tasks),
                profile: Profile {
                    times: Vec::with_capacity(segments),
                    usage: Vec::with_capacity(segments * resources),
                    width: 0,
                },
            },
            gbefore: Csr::with_capacity(tasks, 4 * tasks),
            gafter: Csr::with_capacity(tasks, 4 * tasks),
        }
    }

    /// Serial SGS with priority = latest start from the unconstrained critical path method
    /// (smaller first), ties by position. Fills `start` (by position) and returns the makespan
    /// (0 for no tasks). Deterministic.
    ///
    /// Callers must reject problems in which a task demands more than a resource's capacity
    /// (see [`Problem::over_demand`]).
    ///
    /// # Panics
    /// If `start.len() != p.len()` or the CSR arrays are inconsistent.
    pub fn schedule(&mut self, p: &Problem, start: &mut [f64]) -> f64 {
        assert_eq!(start.len(), p.len(), "start must have one slot per task");
        self.prepare(p);
        self.latest_starts(p);
        self.run_forward(p, start)
    }

    /// [`schedule`](Self::schedule) with release times: no task starts before `release[pos]`
    /// (its resources' availability; empty: no release times). Priorities are those of
    /// `schedule` (latest starts of the unconstrained plan).
    ///
    /// # Panics
    /// As `schedule`, and if `release` is neither empty nor one value per task.
    pub fn schedule_released(&mut self, p: &Problem, release: &[f64], start: &mut [f64]) -> f64 {
        assert_eq!(start.len(), p.len(), "start must have one slot per task");
        assert!(
            release.is_empty() || release.len() == p.len(),
            "release must be empty or have one value per task"
        );
        self.prepare(p);
        self.latest_starts(p);
        self.run_forward_released(p, release, start)
    }

    /// Serial SGS over a general network (every link type and lag, earliest starts, levels of
    /// effort; see [`General`]) with the priority of [`schedule`](Self::schedule). Fills
    /// `start` and `finish` (a level of effort's finish is the end of its span) and returns
    /// the makespan (levels of effort excluded). Deterministic. The durations of levels of
    /// effort in `p` are ignored.
    ///
    /// # Panics
    /// If `start` or `finish` do not have one slot per task, or `g` does not match `p`.
    pub fn schedule_general(
        &mut self,
        p: &Problem,
        g: &General,
        start: &mut [f64],
        finish: &mut [f64],
    ) -> f64 {
        let n = p.len();
        assert!(start.len() == n && finish.len() == n, "one slot per task");
        assert!(g.rules.len() == p.preds.items().len() && g.is_loe.len() == n);
        self.prepare(p);
        self.latest_starts(p);
        self.gbefore.clear();
        for j in 0..n {
            let ends = g.loe_ends.row(j);
            self.gbefore
                .push_row(p.preds_of(j).iter().chain(ends).copied());
        }
        self.gbefore.transpose_into(n, &mut self.gafter);
        let pass = Pass {
            dur: p.durations,
            before: &self.gbefore,
            after: &self.gafter,
            dem: &self.dem,
            limit: &self.limit,
            key: &self.key,
            release: &[],
        };
        self.sgs.run_general(&pass, p.preds, g, start, finish)
    }

    /// [`schedule`](Self::schedule) followed by one forward-backward improvement pass
    /// ([`justify`](Self::justify)). The makespan is never longer than `schedule`'s; costs about
    /// three times as much.
    pub fn schedule_justified(&mut self, p: &Problem, start: &mut [f64]) -> f64 {
        assert_eq!(start.len(), p.len(), "start must have one slot per task");
        self.prepare(p);
        self.latest_starts(p);
        self.run_forward(p, start);
        self.justify_prepared(p, start)
    }

    /// One forward-backward improvement pass (double justification) on a feasible schedule
    /// `start` of `p`, in place: right-justify (serial SGS on the reversed network, tasks in
    /// decreasing order of finish), then left-justify (serial SGS, tasks in increasing order
    /// of the right-justified starts). Returns the new makespan, which is never longer; calling
    /// it again may shorten the schedule further.
    pub fn justify(&mut self, p: &Problem, start: &mut [f64]) -> f64 {
        assert_eq!(start.len(), p.len(), "start must have one slot per task");
        self.prepare(p);
        self.justify_prepared(p, start)
    }

    fn justify_prepared(&mut self, p: &Problem, start: &mut [f64]) -> f64 {
        let n = p.len();
        let d = p.durations;
        let mut first = std::mem::take(&mut self.first);
        first.clear();
        first.extend_from_slice(start);
        let m0 = first.iter().zip(d).map(|(s, d)| s + d).fold(0.0, f64::max);

        // Right-justify: a serial SGS on the reversed network (successors first), taking tasks
        // in decreasing order of finish. Reverse time: `back[j]` is how long before the end `j`
        // finishes.
        self.key.clear();
        self.key.extend(first.iter().zip(d).map(|(s, d)| -(s + d)));
        let mut back = std::mem::take(&mut self.back);
        back.clear();
        back.resize(n, 0.0);
        let pass = Pass {
            dur: d,
            before: &self.succs,
            after: p.preds,
            dem: &self.dem,
            limit: &self.limit,
            key: &self.key,
            release: &[],
        };
        self.sgs.run(&pass, &mut back);

        // Left-justify: forward again, in increasing order of the right-justified starts, i.e.
        // decreasing reverse finish.
        for j in 0..n {
            self.key[j] = -(back[j] + d[j]);
        }
        let mut m = self.run_forward(p, start);
        if m > m0 {
            // Cannot happen (justification never lengthens a schedule); a safeguard against
            // rounding in real-valued durations.
            start.copy_from_slice(&first);
            m = m0;
        }
        self.first = first;
        self.back = back;
        m
    }

    /// Builds the successor lists and the filtered demands.
    fn prepare(&mut self, p: &Problem) {
        let n = p.len();
        assert_eq!(p.preds.rows(), n, "preds must have one row per task");
        assert_eq!(p.demands.rows(), n, "demands must have one row per task");
        debug_assert!(
            (0..n).all(|j| p.preds_of(j).iter().all(|&q| (q as usize) < j)),
            "predecessors must be at smaller positions"
        );

        // Successors: the transpose of the predecessors (in increasing position).
        p.preds.transpose_into(n, &mut self.succs);

        // Only finite-capacity resources are tracked, in compact indices.
        self.compact.clear();
        self.limit.clear();
        for &c in p.capacity {
            debug_assert!(c > 0.0, "capacities must be positive");
            if c.is_finite() {
                self.compact.push(self.limit.len() as u32);
                self.limit.push(limit(c));
            } else {
                self.compact.push(UNLIMITED);
            }
        }
        self.dem.clear();
        for j in 0..n {
            let d = p.durations[j];
            debug_assert!(d >= 0.0, "durations must be >= 0 (position {j}: {d})");
            let (compact, limit) = (&self.compact, &self.limit);
            let demands = if d > 0.0 { p.demands_of(j) } else { &[] };
            self.dem.push_row(demands.iter().filter_map(|&(r, u)| {
                let c = compact[r as usize];
                (c != UNLIMITED && u > 0.0).then(|| {
                    debug_assert!(
                        u <= limit[c as usize],
                        "position {j} demands {u} units of resource {r} but its capacity \
                         is {}: callers must reject this input (Problem::over_demand)",
                        p.capacity[r as usize]
                    );
                    (c, u)
                })
            }));
        }
    }

    /// Unconstrained CPM on `p.durations`: `key` = latest start.
    fn latest_starts(&mut self, p: &Problem) {
        let n = p.len();
        let d = p.durations;
        self.ef.clear();
        let mut end = 0.0f64;
        for (j, &dj) in d.iter().enumerate() {
            let mut es = 0.0f64;
            for &q in p.preds_of(j) {
                es = es.max(self.ef[q as usize]);
            }
            let f = es + dj;
            self.ef.push(f);
            end = end.max(f);
        }
        self.lf.clear();
        self.lf.resize(n, end);
        self.key.clear();
        self.key.resize(n, 0.0);
        for j in (0..n).rev() {
            let ls = self.lf[j] - d[j];
            self.key[j] = ls;
            for &q in p.preds_of(j) {
                let l = &mut self.lf[q as usize];
                *l = l.min(ls);
            }
        }
    }

    /// Forward serial SGS with the current `key`.
    fn run_forward(&mut self, p: &Problem, start: &mut [f64]) -> f64 {
        self.run_forward_released(p, &[], start)
    }

    /// Forward serial SGS with the current `key`, no task starting before its `release`.
    fn run_forward_released(&mut self, p: &Problem, release: &[f64], start: &mut [f64]) -> f64 {
        let pass = Pass {
            dur: p.durations,
            before: p.preds,
            after: &self.succs,
            dem: &self.dem,
            limit: &self.limit,
            key: &self.key,
            release,
        };
        self.sgs.run(&pass, start)
    }
}

/// Checks a schedule: every start is finite and >= 0, every predecessor finishes no later than
/// its successor starts, and no resource is ever used beyond its capacity (with the
/// [`CAPACITY_TOLERANCE`]; zero-duration tasks use nothing). The error names the first
/// violation. Quadratic in the number of tasks: meant for tests and assertions.
pub fn feasible(p: &Problem, start: &[f64]) -> Result<(), String> {
    let n = p.len();
    if start.len() != n {
        return Err(format!("{} start times for {n} tasks", start.len()));
    }
    for (j, &s) in start.iter().enumerate() {
        if !(s.is_finite() && s >= 0.0) {
            return Err(format!("position {j} starts at {s}"));
        }
    }
    let finish = |j: usize| start[j] + p.durations[j];
    for (j, &s) in start.iter().enumerate() {
        for &q in p.preds_of(j) {
            let q = q as usize;
            if q >= j {
                return Err(format!(
                    "position {j} has predecessor {q}: not in topological order"
                ));
            }
            // Exact: the scheduler starts a task at the max of its predecessors' finishes.
            let tol = 1e-12 * finish(q).abs().max(1.0);
            if s < finish(q) - tol {
                return Err(format!(
                    "position {j} starts at {s} before its predecessor {q} finishes at {}",
                    finish(q)
                ));
            }
        }
    }
    // Usage only rises when a task starts, so checking every start time suffices. Sums are
    // recomputed from scratch at each one (no drift from running additions).
    let mut usage = vec![0.0; p.capacity.len()];
    for i in (0..n).filter(|&i| p.durations[i] > 0.0) {
        let t = start[i];
        usage.fill(0.0);
        for j in (0..n).filter(|&j| p.durations[j] > 0.0 && start[j] <= t && t < finish(j)) {
            for &(r, u) in p.demands_of(j) {
                usage[r as usize] += u;
            }
        }
        for (r, (&u, &c)) in usage.iter().zip(p.capacity).enumerate() {
            if u > limit(c) {
                return Err(format!(
                    "resource {r} is used {u} > capacity {c} at time {t} (when position {i} starts)"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A task for [`Owned::new`]: duration, predecessors, demands.
    type Spec<'a> = (f64, &'a [u32], &'a [(u32, f64)]);

    /// An owned problem for tests.
    #[derive(Debug, Clone)]
    struct Owned {
        durations: Vec<f64>,
        preds: Csr<u32>,
        demands: Csr<(u32, f64)>,
        capacity: Vec<f64>,
    }

    impl Owned {
        /// `tasks`: (duration, predecessors, demands).
        fn new(tasks: &[Spec], capacity: &[f64]) -> Self {
            let mut o = Owned {
                durations: vec![],
                preds: Csr::new(),
                demands: Csr::new(),
                capacity: capacity.to_vec(),
            };
            for &(d, ps, ds) in tasks {
                o.durations.push(d);
                o.preds.push_row(ps.iter().copied());
                o.demands.push_row(ds.iter().copied());
            }
            o
        }

        fn problem(&self) -> Problem<'_> {
            Problem {
                durations: &self.durations,
                preds: &self.preds,
                demands: &self.demands,
                capacity: &self.capacity,
            }
        }
    }

    fn run(o: &Owned) -> (f64, Vec<f64>) {
        let p = o.problem();
        let mut start = vec![f64::NAN; p.len()];
        let m = Leveller::new(p.len(), p.capacity.len()).schedule(&p, &mut start);
        feasible(&p, &start).unwrap();
        (m, start)
    }

    fn cpm_length(o: &Owned) -> f64 {
        let mut ef = vec![0.0f64; o.durations.len()];
        for j in 0..ef.len() {
            let es = o
                .problem()
                .preds_of(j)
                .iter()
                .map(|&q| ef[q as usize])
                .fold(0.0, f64::max);
            ef[j] = es + o.durations[j];
        }
        ef.into_iter().fold(0.0, f64::max)
    }

    /// The reference generator of the tests (`rand`'s `StdRng`, seeded), with the two draws
    /// the instances need.
    struct Rng(rand::rngs::StdRng);
    impl Rng {
        fn new(seed: u64) -> Self {
            Rng(rand::SeedableRng::seed_from_u64(seed))
        }
        fn below(&mut self, n: u64) -> u64 {
            rand::Rng::random_range(&mut self.0, 0..n)
        }
        fn unit(&mut self) -> f64 {
            rand::Rng::random(&mut self.0)
        }
    }

    /// A random instance: real or integer durations (some zero), 0-3 predecessors, demands of
    /// up to the capacity (integer or fractional), some unlimited resources.
    fn random(rng: &mut Rng, n: usize, integer: bool) -> Owned {
        let resources = 1 + rng.below(4) as usize;
        let capacity: Vec<f64> = (0..resources)
            .map(|_| match rng.below(5) {
                0 => f64::INFINITY,
                1 => 1.0,
                2 => 2.5,
                _ => (2 + rng.below(8)) as f64,
            })
            .collect();
        let mut o = Owned::new(&[], &capacity);
        for j in 0..n {
            let d = match rng.below(8) {
                0 => 0.0,
                _ if integer => (1 + rng.below(9)) as f64,
                _ => 0.25 + 9.0 * rng.unit(),
            };
            o.durations.push(d);
            let mut ps: Vec<u32> = Vec::new();
            if j > 0 {
                let k = rng.below(4).min(j as u64);
                ps = (0..k).map(|_| rng.below(j as u64) as u32).collect();
                ps.sort_unstable();
                ps.dedup();
            }
            o.preds.push_row(ps);
            let mut ds = Vec::new();
            for (r, &c) in capacity.iter().enumerate() {
                if rng.below(3) != 0 {
                    let cap = if c.is_finite() { c } else { 5.0 };
                    let u = if integer {
                        (1 + rng.below(cap as u64)) as f64
                    } else {
                        cap * (0.05 + 0.95 * rng.unit())
                    };
                    ds.push((r as u32, u.min(cap)));
                }
            }
            o.demands.push_row(ds);
        }
        o
    }

    /// A naive serial SGS (same priority and order) that tries every candidate start from
    /// scratch: the reference for the event-based profile.
    fn naive(o: &Owned) -> (f64, Vec<f64>) {
        let p = o.problem();
        let n = p.len();
        let mut lev = Leveller::new(n, p.capacity.len());
        lev.prepare(&p);
        lev.latest_starts(&p);
        let ls = lev.key.clone();
        let mut start = vec![0.0; n];
        let mut done = vec![false; n];
        let mut finish = vec![0.0f64; n];
        for _ in 0..n {
            let j = (0..n)
                .filter(|&j| !done[j] && p.preds_of(j).iter().all(|&q| done[q as usize]))
                .min_by(|&a, &b| ls[a].total_cmp(&ls[b]).then(a.cmp(&b)))
                .unwrap();
            let t0 = p
                .preds_of(j)
                .iter()
                .map(|&q| finish[q as usize])
                .fold(0.0, f64::max);
            let d = p.durations[j];
            let mut cands: Vec<f64> = (0..n)
                .filter(|&i| done[i] && finish[i] > t0)
                .map(|i| finish[i])
                .collect();
            cands.push(t0);
            cands.sort_by(f64::total_cmp);
            let fits = |t: f64| {
                if d == 0.0 {
                    return true;
                }
                // Usage is highest at a start inside [t, t + d) or at t itself.
                let points: Vec<f64> = std::iter::once(t)
                    .chain(
                        (0..n)
                            .filter(|&i| done[i] && start[i] > t && start[i] < t + d)
                            .map(|i| start[i]),
                    )
                    .collect();
                points.iter().all(|&x| {
                    p.demands_of(j).iter().all(|&(r, u)| {
                        let used: f64 = (0..n)
                            .filter(|&i| {
                                done[i] && p.durations[i] > 0.0 && start[i] <= x && x < finish[i]
                            })
                            .flat_map(|i| {
                                p.demands_of(i)
                                    .iter()
                                    .filter(|&&(q, _)| q == r)
                                    .map(|&(_, v)| v)
                            })
                            .sum();
                        used + u <= limit(p.capacity[r as usize])
                    })
                })
            };
            let t = cands.into_iter().find(|&t| fits(t)).unwrap();
            start[j] = t;
            finish[j] = t + d;
            done[j] = true;
        }
        (finish.iter().copied().fold(0.0, f64::max), start)
    }

    #[test]
    fn two_tasks_sharing_one_unit_run_in_sequence() {
        let o = Owned::new(&[(3.0, &[], &[(0, 1.0)]), (2.5, &[], &[(0, 1.0)])], &[1.0]);
        let (m, s) = run(&o);
        assert_eq!(m, 5.5);
        // LS: task 0 has 3 - 3 = 0, task 1 has 3 - 2.5 = 0.5: task 0 goes first.
        assert_eq!(s, vec![0.0, 3.0]);
    }

    #[test]
    fn unlimited_capacity_gives_the_cpm_length() {
        let mut rng = Rng::new(7);
        for case in 0..200 {
            let mut o = random(&mut rng, 1 + case % 40, case % 2 == 0);
            o.capacity.fill(f64::INFINITY);
            let (m, s) = run(&o);
            assert_eq!(m, cpm_length(&o));
            // Every task starts at its early start.
            for j in 0..s.len() {
                let es = o
                    .problem()
                    .preds_of(j)
                    .iter()
                    .map(|&q| s[q as usize] + o.durations[q as usize]);
                assert_eq!(s[j], es.fold(0.0, f64::max));
            }
        }
    }

    #[test]
    fn no_demands_gives_the_cpm_length() {
        let o = Owned::new(
            &[(2.0, &[], &[]), (3.0, &[0], &[]), (1.0, &[], &[])],
            &[1.0],
        );
        assert_eq!(run(&o).0, 5.0);
    }

    /// Capacity 2. A (3 days, 1 unit), B (2 days, 2 units), C after A (2 days, 1 unit),
    /// D after B (1 day, 1 unit), E a milestone after C and D.
    /// CPM: A 0-3, C 3-5, B 0-2, D 2-3; length 5; LS: A 0, B 2, C 3, D 4, E 5.
    /// SGS: A at 0; B needs both units, free from 3; C (after A) must wait for B: 5;
    /// D (after B) fits beside C at 5; E at 7. Optimal: B cannot overlap A or C (7 days).
    #[test]
    fn hand_checked_example() {
        let o = Owned::new(
            &[
                (3.0, &[], &[(0, 1.0)]),
                (2.0, &[], &[(0, 2.0)]),
                (2.0, &[0], &[(0, 1.0)]),
                (1.0, &[1], &[(0, 1.0)]),
                (0.0, &[2, 3], &[]),
            ],
            &[2.0],
        );
        let (m, s) = run(&o);
        assert_eq!(m, 7.0);
        assert_eq!(s, vec![0.0, 3.0, 5.0, 5.0, 7.0]);
        let p = o.problem();
        let mut js = vec![0.0; 5];
        assert_eq!(Leveller::new(5, 1).schedule_justified(&p, &mut js), 7.0);
        feasible(&p, &js).unwrap();
    }

    /// Two resources; a task waits for the later of two conflicts, and a gap that is too
    /// short is skipped.
    #[test]
    fn second_hand_checked_example() {
        // 0: 0-4 uses r0 ×2 (cap 2). 1: LS small, 0-1 uses r1 ×1 (cap 1). 2: 3 days, needs r0 and
        // r1 → cannot start before 4 (r0). 3: after 1, 1 day on r1 → 1-2.
        let o = Owned::new(
            &[
                (4.0, &[], &[(0, 2.0)]),
                (1.0, &[], &[(1, 1.0)]),
                (3.0, &[], &[(0, 1.0), (1, 1.0)]),
                (1.0, &[1], &[(1, 1.0)]),
            ],
            &[2.0, 1.0],
        );
        // CPM length 4; LS: 0 → 0, 1 → 2, 2 → 1, 3 → 3. Order: 0, 2, 1, 3.
        // 0 at 0-4. 2 at 4-7 (r0 full before 4). 1: r1 free in [0, 4): 0-1. 3: after 1, at 1-2.
        let (m, s) = run(&o);
        assert_eq!(s, vec![0.0, 0.0, 4.0, 1.0]);
        assert_eq!(m, 7.0);
    }

    #[test]
    fn zero_duration_tasks_need_no_capacity() {
        // A milestone demanding the whole resource while a task holds it: no wait.
        let o = Owned::new(
            &[
                (0.0, &[], &[(0, 1.0)]),
                (4.0, &[0], &[(0, 1.0)]),
                (0.0, &[], &[(0, 1.0)]),
                (0.0, &[1], &[(0, 1.0)]),
                (2.0, &[3], &[(0, 1.0)]),
            ],
            &[1.0],
        );
        let (m, s) = run(&o);
        assert_eq!(s, vec![0.0, 0.0, 0.0, 4.0, 4.0]);
        assert_eq!(m, 6.0);
        // All durations zero: everything at 0.
        let z = Owned::new(&[(0.0, &[], &[(0, 1.0)]), (0.0, &[0], &[(0, 1.0)])], &[1.0]);
        assert_eq!(run(&z), (0.0, vec![0.0, 0.0]));
    }

    #[test]
    fn empty_problem() {
        let o = Owned::new(&[], &[1.0]);
        assert_eq!(run(&o), (0.0, vec![]));
    }

    #[test]
    fn fractional_units_that_fit_exactly_run_together() {
        let o = Owned::new(&[(1.0, &[], &[(0, 0.1)]), (1.0, &[], &[(0, 0.2)])], &[0.3]);
        assert_eq!(run(&o).0, 1.0);
    }

    #[test]
    fn matches_a_naive_serial_sgs_and_is_feasible() {
        let mut rng = Rng::new(42);
        let mut lev = Leveller::new(4, 1); // grows as needed
        for case in 0..400 {
            let o = random(&mut rng, 1 + case % 35, case % 3 == 0);
            let p = o.problem();
            let mut s = vec![0.0; p.len()];
            let m = lev.schedule(&p, &mut s);
            feasible(&p, &s).unwrap_or_else(|e| panic!("case {case}: {e}"));
            assert!(m >= cpm_length(&o));
            let (nm, ns) = naive(&o);
            assert_eq!((m, &s), (nm, &ns), "case {case}: {o:?}");
            // Deterministic, also with reused scratch.
            let mut again = vec![0.0; p.len()];
            assert_eq!(lev.schedule(&p, &mut again), m);
            assert_eq!(again, s);
        }
    }

    #[test]
    fn justification_is_feasible_and_never_longer() {
        let mut rng = Rng::new(3);
        let mut lev = Leveller::new(40, 4);
        let mut improved = 0;
        for case in 0..400 {
            let o = random(&mut rng, 5 + case % 40, case % 2 == 0);
            let p = o.problem();
            let mut s = vec![0.0; p.len()];
            let m = lev.schedule(&p, &mut s);
            let mut js = vec![0.0; p.len()];
            let jm = lev.schedule_justified(&p, &mut js);
            feasible(&p, &js).unwrap_or_else(|e| panic!("case {case}: {e}"));
            assert!(jm <= m, "case {case}: {jm} > {m}");
            assert_eq!(
                jm,
                js.iter()
                    .zip(&o.durations)
                    .map(|(s, d)| s + d)
                    .fold(0.0, f64::max)
            );
            improved += usize::from(jm < m);
            // Repeating the pass on its own output never lengthens it either.
            let again = lev.justify(&p, &mut js);
            feasible(&p, &js).unwrap_or_else(|e| panic!("case {case}: {e}"));
            assert!(again <= jm, "case {case}: {again} > {jm}");
        }
        assert!(improved > 0, "justification never helped");
    }

    #[test]
    fn feasible_reports_violations() {
        let o = Owned::new(
            &[
                (2.0, &[], &[(0, 1.0)]),
                (2.0, &[], &[(0, 1.0)]),
                (1.0, &[0], &[]),
            ],
            &[1.0],
        );
        let p = o.problem();
        assert!(feasible(&p, &[0.0, 2.0, 2.0]).is_ok());
        assert!(feasible(&p, &[0.0, 1.0, 2.0])
            .unwrap_err()
            .contains("resource 0"));
        assert!(feasible(&p, &[0.0, 2.0, 1.5])
            .unwrap_err()
            .contains("predecessor"));
        assert!(feasible(&p, &[0.0, 2.0]).is_err());
        assert!(feasible(&p, &[-1.0, 2.0, 2.0]).is_err());
    }

    #[test]
    fn over_demand_is_found() {
        let o = Owned::new(&[(0.0, &[], &[(0, 5.0)]), (1.0, &[], &[(0, 2.0)])], &[1.0]);
        assert_eq!(o.problem().over_demand(), Some((1, 0)));
        let ok = Owned::new(&[(0.0, &[], &[(0, 5.0)]), (1.0, &[], &[(0, 1.0)])], &[1.0]);
        assert_eq!(ok.problem().over_demand(), None);
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "callers must reject")]
    fn over_demand_is_a_debug_assertion() {
        let o = Owned::new(&[(1.0, &[], &[(0, 2.0)])], &[1.0]);
        run(&o);
    }
}
