//! The forward pass: every task's start and finish in every lane of a chunk, in one sweep in
//! topological order. Early dates, as MS Project and Primavera compute them: a task starts at
//! the latest of the project start (0), its earliest start (start no earlier than) and, for
//! each link with lag L, FS: pred finish + L; SS: pred start + L; FF: pred finish + L −
//! duration; SF: pred start + L − duration. A level of effort starts from its links and lasts
//! until the latest finish of its `finish_with` tasks (zero if they finish before it starts).

use super::booking::{book_cost, task_cost};
use super::collect::Collector;
use super::draws::{Draws, Source};
use super::plan::CompiledPlan;
use super::rows::Rows;
use crate::model::LinkKind;

#[inline(always)]
pub(crate) fn fmax(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// The earliest start a link allows, one lane. The forward and backward passes both call this,
/// so the backward pass can test "this link drove the start" by exact equality.
#[inline(always)]
pub(crate) fn bound(
    kind: LinkKind,
    pred_start: f64,
    pred_finish: f64,
    lag: f64,
    duration: f64,
) -> f64 {
    match kind {
        LinkKind::FinishToStart => pred_finish + lag,
        LinkKind::StartToStart => pred_start + lag,
        LinkKind::FinishToFinish => pred_finish + lag - duration,
        LinkKind::StartToFinish => pred_start + lag - duration,
    }
}

/// The lane rows a task's draw books into: the project cost per lane and, when kept, each
/// task's own cost (`w` lanes a task).
struct Lanes<'a> {
    cost: &'a mut [f64],
    tcost: &'a mut [f64],
    w: usize,
}

/// Position `pos`'s durations for the chunk, into `row` (one value per lane), booked into the
/// lanes' project cost (and the task's own cost when kept), then given to the collectors: the
/// first step of both plain paths.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn draw_task<C: Collector, const V3: bool>(
    plan: &CompiledPlan,
    draws: &Draws,
    src: Source,
    pos: usize,
    row: &mut [f64],
    lanes: Lanes,
    collector: &C,
    acc: &mut C::Acc,
) {
    let (m, w) = (row.len(), lanes.w);
    let sampled = matches!(src, Source::Sampled { .. });
    draws.fill_durations::<V3>(plan, src, pos, row);
    book_cost(plan, sampled, draws.rate_lanes(), w, pos, row, lanes.cost);
    if !lanes.tcost.is_empty() {
        let out = &mut lanes.tcost[pos * w..][..m];
        let (rates, ranges) = (draws.rate_lanes(), draws.range_lanes());
        task_cost(plan, sampled, rates, ranges, w, pos, row, out);
    }
    collector.task(acc, pos, row);
}

/// Plain networks whose every finish row is kept (plans small enough, see
/// [`super::spec::slotted`]): finish = duration + max over predecessors, in place in the
/// finish rows by position, without a scratch copy for the common cases of one and two
/// predecessors. Start and duration rows are not kept; the backward pass re-reads the
/// predecessors' finishes. Inlined into each copy of the worker's loop ([`super::isa`]).
#[inline(always)]
pub(crate) fn plain_full<C: Collector, const V3: bool>(
    plan: &CompiledPlan,
    draws: &Draws,
    rows: &mut Rows,
    src: Source,
    m: usize,
    collector: &C,
    acc: &mut C::Acc,
) {
    let (w, n) = (rows.lanes, plan.len());
    for pos in 0..n {
        let (done, rest) = rows.finish.split_at_mut(pos * w);
        let row = &mut rest[..m];
        let lanes = Lanes {
            cost: &mut rows.cost[..m],
            tcost: &mut rows.tcost,
            w,
        };
        draw_task::<C, V3>(plan, draws, src, pos, row, lanes, collector, acc);
        let done = Before { rows: done, w };
        let preds = plan.network().preds_of(pos);
        add_latest_finish::<_, V3>(row, &done, preds, &mut rows.scratch);
    }
}

/// Plain networks (finish-to-start links without lags, no levels of effort): finish =
/// duration + max over predecessors, in place in the task's finish row (its slot, see
/// [`crate::engine::plan::Slotting`]), without a scratch copy for the common cases of one and
/// two predecessors. Start and duration rows are not kept. The project end of each lane is
/// the running maximum over the sinks; with `critical`, the tie marks of every task with two
/// or more predecessors, each sink's "reached the running end" mark (in `sink_marks`)
/// and the last sink to raise the end are recorded for [`super::backward::plain`]. Inlined
/// into each copy of the worker's loop ([`super::isa`]).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(crate) fn plain<C: Collector, const V3: bool>(
    plan: &CompiledPlan,
    draws: &Draws,
    rows: &mut Rows,
    src: Source,
    m: usize,
    critical: bool,
    collector: &C,
    acc: &mut C::Acc,
) {
    let (net, sl) = (plan.network(), plan.slotting());
    let (w, n) = (rows.lanes, plan.len());
    rows.end[..m].fill(0.0);
    if critical {
        rows.last_raise[..m].fill(0);
    }
    let mut sink = 0;
    for pos in 0..n {
        if pos + AHEAD < n {
            prefetch_rows(
                &rows.finish,
                sl.pred_slots(net.pred_range(pos + AHEAD)),
                w,
                m,
            );
        }
        let slot = sl.slot_of(pos);
        let (lo, rest) = rows.finish.split_at_mut(slot * w);
        let (row, hi) = rest.split_at_mut(w);
        let row = &mut row[..m];
        let lanes = Lanes {
            cost: &mut rows.cost[..m],
            tcost: &mut rows.tcost,
            w,
        };
        draw_task::<C, V3>(plan, draws, src, pos, row, lanes, collector, acc);
        let done = Done { lo, hi, slot, w };
        let preds = sl.pred_slots(net.pred_range(pos));
        if critical && preds.len() >= 2 {
            let marks =
                &mut rows.mask[sl.mask_of(pos) as usize * w..][..preds.len().div_ceil(8) * w];
            add_latest_finish_marked::<V3>(row, &done, preds, marks, &mut rows.scratch);
        } else {
            add_latest_finish::<_, V3>(row, &done, preds, &mut rows.scratch);
        }
        collector.finished(acc, pos, row);
        if sl.is_sink(pos) {
            let end = &mut rows.end[..m];
            if critical {
                let c = &mut rows.sink_marks[sink * w..][..m];
                sink += 1;
                let raised = &mut rows.last_raise[..m];
                for i in 0..m {
                    let f = row[i];
                    c[i] = u8::from(f >= end[i]);
                    if f > end[i] {
                        end[i] = f;
                        raised[i] = pos as u32;
                    }
                }
            } else {
                for (e, &f) in end.iter_mut().zip(row.iter()) {
                    *e = fmax(*e, f);
                }
            }
        }
    }
}

/// How many positions ahead [`plain`] asks the cache for the predecessors' rows.
const AHEAD: usize = 4;

/// Asks the cache for the first `m` lanes of each row in `slots` (a hint: no effect on results).
#[inline(always)]
fn prefetch_rows(finish: &[f64], slots: &[u32], w: usize, m: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        let base = finish.as_ptr();
        for &q in slots {
            let row = base.wrapping_add(q as usize * w);
            // A plain loop: `(0..m).step_by(8)` cost about 80 instructions per task and chunk
            // (callgrind, 1,000 tasks at 32 lanes).
            let mut line = 0;
            while line < m {
                // SAFETY: a prefetch reads nothing and cannot fault, whatever the address (and
                // these are inside `finish`: rows of `w` ≥ `m` values).
                unsafe {
                    std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                        row.wrapping_add(line).cast(),
                    )
                };
                line += 8;
            }
        }
    }
}

/// Finish rows that a task's predecessors are read from, one `w`-lane row per slot or
/// position. Two kinds, so that each pass's lane loops are compiled for its own layout
/// (a shared one with a branch per row cost 0.6% instructions at 10k tasks).
pub(crate) trait FinishRows {
    /// The first `m` lanes of row `q`.
    fn row(&self, q: u32, m: usize) -> &[f64];
}

/// Rows by position, all of which precede the task being computed.
pub(crate) struct Before<'a> {
    pub rows: &'a [f64],
    pub w: usize,
}

impl FinishRows for Before<'_> {
    #[inline(always)]
    fn row(&self, q: u32, m: usize) -> &[f64] {
        &self.rows[q as usize * self.w..][..m]
    }
}

/// The slotted rows other than the one being computed (at `slot`): `lo` holds the rows before
/// it, `hi` those after it.
struct Done<'a> {
    lo: &'a [f64],
    hi: &'a [f64],
    slot: usize,
    w: usize,
}

impl FinishRows for Done<'_> {
    /// Never the slot being computed.
    #[inline(always)]
    fn row(&self, q: u32, m: usize) -> &[f64] {
        let q = q as usize;
        if q < self.slot {
            &self.lo[q * self.w..][..m]
        } else {
            &self.hi[(q - self.slot - 1) * self.w..][..m]
        }
    }
}

/// Adds to each lane of `row` the latest finish of the predecessors in rows `preds` (slots, or
/// positions when every row is kept): in place, without the scratch copy for the common cases
/// of one and two predecessors. `V3`: the x86-64-v3 copy ([`super::isa`]).
#[inline(always)]
fn add_latest_finish<R: FinishRows, const V3: bool>(
    row: &mut [f64],
    done: &R,
    preds: &[u32],
    scratch: &mut [f64],
) {
    #[cfg(target_arch = "x86_64")]
    if V3 {
        // SAFETY: V3 is chosen only on a CPU with these features (`Worker::run_chunk`).
        return unsafe { add_latest_finish_v3(row, done, preds, scratch) };
    }
    add_latest_finish_base(row, done, preds, scratch);
}

/// [`add_latest_finish_body`] for the baseline instruction set.
///
/// Its own function, never inlined, so that its lane loops get the registers to themselves:
/// inlined into the sweep, the row's address was reloaded from the stack in every iteration of
/// the two-predecessor loop (callgrind, 2,000 PERT tasks × 4,096: +1.35 M instructions).
#[inline(never)]
fn add_latest_finish_base<R: FinishRows>(
    row: &mut [f64],
    done: &R,
    preds: &[u32],
    scratch: &mut [f64],
) {
    add_latest_finish_body(row, done, preds, scratch);
}

/// [`add_latest_finish_body`] for x86-64-v3, never inlined like [`add_latest_finish_base`].
///
/// # Safety
/// The CPU must have the features enabled here.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt")]
#[inline(never)]
unsafe fn add_latest_finish_v3<R: FinishRows>(
    row: &mut [f64],
    done: &R,
    preds: &[u32],
    scratch: &mut [f64],
) {
    add_latest_finish_body(row, done, preds, scratch);
}

/// What [`add_latest_finish`] does.
#[inline(always)]
fn add_latest_finish_body<R: FinishRows>(
    row: &mut [f64],
    done: &R,
    preds: &[u32],
    scratch: &mut [f64],
) {
    let m = row.len();
    match *preds {
        [] => {}
        [a] => {
            for (r, &x) in row.iter_mut().zip(done.row(a, m)) {
                *r += x;
            }
        }
        [a, b] => {
            let (fa, fb) = (done.row(a, m), done.row(b, m));
            for ((r, &x), &y) in row.iter_mut().zip(fa).zip(fb) {
                *r += fmax(x, y);
            }
        }
        [ref rest @ .., last] => {
            // The last predecessor's maximum and the addition in one pass.
            let top = &mut scratch[..m];
            latest_finish(done, rest, top);
            for ((r, &s), &x) in row.iter_mut().zip(top.iter()).zip(done.row(last, m)) {
                *r += fmax(s, x);
            }
        }
    }
}

/// [`add_latest_finish`] for two or more predecessors, also marking in `marks` (⌈preds / 8⌉
/// rows of `w` bytes) which predecessors reach the latest finish: bit k % 8 of row k / 8 for
/// predecessor k. "Reaches" is exact equality with the maximum, as the backward pass of
/// kept rows tests it. `V3`: the x86-64-v3 copy ([`super::isa`]).
#[inline(always)]
fn add_latest_finish_marked<const V3: bool>(
    row: &mut [f64],
    done: &Done,
    preds: &[u32],
    marks: &mut [u8],
    scratch: &mut [f64],
) {
    #[cfg(target_arch = "x86_64")]
    if V3 {
        // SAFETY: V3 is chosen only on a CPU with these features (`Worker::run_chunk`).
        return unsafe { add_latest_finish_marked_v3(row, done, preds, marks, scratch) };
    }
    add_latest_finish_marked_base(row, done, preds, marks, scratch);
}

/// [`add_latest_finish_marked_body`] for the baseline instruction set, never inlined (as
/// [`add_latest_finish_base`]).
#[inline(never)]
fn add_latest_finish_marked_base(
    row: &mut [f64],
    done: &Done,
    preds: &[u32],
    marks: &mut [u8],
    scratch: &mut [f64],
) {
    add_latest_finish_marked_body(row, done, preds, marks, scratch);
}

/// [`add_latest_finish_marked_body`] for x86-64-v3, never inlined.
///
/// # Safety
/// The CPU must have the features enabled here.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt")]
#[inline(never)]
unsafe fn add_latest_finish_marked_v3(
    row: &mut [f64],
    done: &Done,
    preds: &[u32],
    marks: &mut [u8],
    scratch: &mut [f64],
) {
    add_latest_finish_marked_body(row, done, preds, marks, scratch);
}

/// What [`add_latest_finish_marked`] does.
#[inline(always)]
fn add_latest_finish_marked_body(
    row: &mut [f64],
    done: &Done,
    preds: &[u32],
    marks: &mut [u8],
    scratch: &mut [f64],
) {
    let (m, w) = (row.len(), done.w);
    if let [a, b] = *preds {
        // Two predecessors (a third of the tasks of `bench/` networks): the maximum, both
        // marks and the addition in one pass. Two passes cost 75.5 instructions per task and
        // iteration against 79.2 for the general code below, one pass 0.3 fewer again
        // (callgrind, 100,000 tasks at 32 lanes).
        let (fa, fb) = (done.row(a, m), done.row(b, m));
        let marks = &mut marks[..m];
        for i in 0..m {
            let (x, y) = (fa[i], fb[i]);
            marks[i] = u8::from(x >= y) | (u8::from(y >= x) << 1);
            row[i] += fmax(x, y);
        }
        return;
    }
    if let [a, b, c] = *preds {
        // Three predecessors (another third of the tasks of `bench/` networks): the maximum,
        // the three marks and the addition in one pass instead of six, 4.3 fewer instructions
        // per task and iteration (callgrind, 100,000 tasks at 32 lanes). The maximum is taken
        // in the order of `latest_finish`, so every lane gets the same value.
        let (fa, fb, fc) = (done.row(a, m), done.row(b, m), done.row(c, m));
        let marks = &mut marks[..m];
        for i in 0..m {
            let (x, y, z) = (fa[i], fb[i], fc[i]);
            let t = fmax(fmax(x, y), z);
            marks[i] = u8::from(x == t) | (u8::from(y == t) << 1) | (u8::from(z == t) << 2);
            row[i] += t;
        }
        return;
    }
    let top = &mut scratch[..m];
    latest_finish(done, preds, top);
    for (k, &p) in preds.iter().enumerate() {
        let f = done.row(p, m);
        let mk = &mut marks[k / 8 * w..][..m];
        match k % 8 {
            0 => mark::<0>(mk, f, top),
            1 => mark::<1>(mk, f, top),
            2 => mark::<2>(mk, f, top),
            3 => mark::<3>(mk, f, top),
            4 => mark::<4>(mk, f, top),
            5 => mark::<5>(mk, f, top),
            6 => mark::<6>(mk, f, top),
            _ => mark::<7>(mk, f, top),
        }
    }
    for (r, &s) in row.iter_mut().zip(top.iter()) {
        *r += s;
    }
}

/// Sets bit `BIT` of each lane's mark where `finish` equals `top` (bit 0 starts the byte
/// afresh). The bit is a constant so that the loop vectorises (a variable shift did not: 13
/// instructions per lane in callgrind).
#[inline(always)]
fn mark<const BIT: u32>(marks: &mut [u8], finish: &[f64], top: &[f64]) {
    let hit = finish.iter().zip(top).map(|(f, t)| u8::from(f == t) << BIT);
    if BIT == 0 {
        for (k, h) in marks.iter_mut().zip(hit) {
            *k = h;
        }
    } else {
        for (k, h) in marks.iter_mut().zip(hit) {
            *k |= h;
        }
    }
}

/// The latest finish of the predecessors in rows `preds` (at least one), lane by lane, into
/// `out`.
#[inline(always)]
pub(crate) fn latest_finish<R: FinishRows>(done: &R, preds: &[u32], out: &mut [f64]) {
    let m = out.len();
    match *preds {
        [] => panic!("caller checks for predecessors"),
        [a] => out.copy_from_slice(done.row(a, m)),
        [a, b, ref more @ ..] => {
            // The first two in one pass, not a copy (a call to memmove) and a pass: 4.7% of a
            // 10,000-task run was in memmove, mostly here (perf).
            for ((s, &x), &y) in out.iter_mut().zip(done.row(a, m)).zip(done.row(b, m)) {
                *s = fmax(x, y);
            }
            for &p in more {
                for (s, &x) in out.iter_mut().zip(done.row(p, m)) {
                    *s = fmax(*s, x);
                }
            }
        }
    }
}

/// General networks (every link type and lag, levels of effort, earliest starts), or whenever
/// start and duration rows must be kept. Inlined into each copy of the worker's loop
/// ([`super::isa`]).
#[inline(always)]
pub(crate) fn general<C: Collector, const V3: bool>(
    plan: &CompiledPlan,
    draws: &Draws,
    rows: &mut Rows,
    src: Source,
    m: usize,
    collector: &C,
    acc: &mut C::Acc,
) {
    let net = plan.network();
    let (w, n) = (rows.lanes, plan.len());
    let sampled = matches!(src, Source::Sampled { .. });
    for pos in 0..n {
        let d = &mut rows.dur[pos * w..][..m];
        let loe = net.is_loe(pos);
        if !loe {
            draws.fill_durations::<V3>(plan, src, pos, d);
        }
        let (fin_done, fin_rest) = rows.finish.split_at_mut(pos * w);
        let (st_done, st_rest) = rows.start.split_at_mut(pos * w);
        let (frow, srow) = (&mut fin_rest[..m], &mut st_rest[..m]);
        srow.fill(net.not_before(pos));
        let (preds, rules) = net.links_of(pos);
        for (&p, rule) in preds.iter().zip(rules) {
            let p = p as usize;
            let (ps, pf) = (&st_done[p * w..][..m], &fin_done[p * w..][..m]);
            for i in 0..m {
                srow[i] = fmax(srow[i], bound(rule.kind, ps[i], pf[i], rule.lag, d[i]));
            }
        }
        if loe {
            frow.copy_from_slice(srow);
            for &e in net.loe_ends_of(pos) {
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
        book_cost(
            plan,
            sampled,
            draws.rate_lanes(),
            w,
            pos,
            d,
            &mut rows.cost[..m],
        );
        if !rows.tcost.is_empty() {
            let out = &mut rows.tcost[pos * w..][..m];
            let (rates, ranges) = (draws.rate_lanes(), draws.range_lanes());
            task_cost(plan, sampled, rates, ranges, w, pos, d, out);
        }
        collector.task(acc, pos, d);
    }
}

/// The project end of each lane of an unlevelled schedule: the latest finish among the tasks
/// that can end the project.
#[inline(always)]
pub(crate) fn project_end(plan: &CompiledPlan, rows: &mut Rows, m: usize) {
    let w = rows.lanes;
    let end = &mut rows.end[..m];
    end.fill(0.0);
    for &s in plan.network().sinks() {
        for (e, &f) in end.iter_mut().zip(&rows.finish[s as usize * w..][..m]) {
            *e = fmax(*e, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten rows of 24 lanes with many exact ties (values from a small set).
    fn rows() -> Vec<f64> {
        let mut z = 7u64;
        (0..10 * 24)
            .map(|_| {
                z = crate::engine::rng::mix64(z);
                (z % 9) as f64 * 0.5
            })
            .collect()
    }

    /// Every predecessor count from 1 to 6, in both copies: the latest finish and the row it is
    /// added to are the lane-by-lane maximum of the predecessors' rows, as a plain fold gives it.
    #[test]
    fn latest_finish_is_the_maximum_of_every_predecessor() {
        let (w, m) = (24, 20); // a partial chunk: m < w
        let all = rows();
        let done = Before { rows: &all, w };
        for k in 1..=6usize {
            let preds: Vec<u32> = (0..k as u32).map(|i| (i * 7 + k as u32) % 10).collect();
            let want: Vec<f64> = (0..m)
                .map(|i| {
                    preds
                        .iter()
                        .map(|&p| all[p as usize * w + i])
                        .fold(f64::MIN, f64::max)
                })
                .collect();
            let mut out = vec![0.0; m];
            latest_finish(&done, &preds, &mut out);
            assert_eq!(out, want, "{k} predecessors");
            for v3 in [false, true] {
                if v3 && !crate::engine::isa::has_v3() {
                    continue;
                }
                let mut row = vec![1.0; m];
                let mut scratch = vec![0.0; w];
                if v3 {
                    add_latest_finish::<_, true>(&mut row, &done, &preds, &mut scratch);
                } else {
                    add_latest_finish::<_, false>(&mut row, &done, &preds, &mut scratch);
                }
                let added: Vec<f64> = want.iter().map(|x| 1.0 + x).collect();
                assert_eq!(row, added, "{k} predecessors, v3 {v3}");
            }
        }
    }
}
