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

/// Start times (max of predecessors' finishes) of the first `m` lanes, into `start`.
#[inline(always)]
pub(crate) fn max_finish(finish: &[f64], preds: &[u32], w: usize, m: usize, start: &mut [f64]) {
    let (&p0, more) = preds.split_first().expect("caller checks for predecessors");
    start[..m].copy_from_slice(&finish[p0 as usize * w..][..m]);
    for &p in more {
        let f = &finish[p as usize * w..][..m];
        for (s, &x) in start[..m].iter_mut().zip(f) {
            *s = fmax(*s, x);
        }
    }
}

/// Plain networks (finish-to-start links without lags, no levels of effort): finish =
/// duration + max over predecessors, in place in the finish rows, without a scratch copy for
/// the common cases of one and two predecessors. Start and duration rows are not kept.
pub(crate) fn plain<C: Collector>(
    plan: &CompiledPlan,
    draws: &Draws,
    rows: &mut Rows,
    src: Source,
    m: usize,
    collector: &C,
    acc: &mut C::Acc,
) {
    let (w, n) = (rows.lanes, plan.len());
    let sampled = matches!(src, Source::Sampled { .. });
    for pos in 0..n {
        let (done, rest) = rows.finish.split_at_mut(pos * w);
        let row = &mut rest[..m];
        draws.fill_durations(plan, src, pos, row);
        book_cost(
            plan,
            sampled,
            draws.rate_lanes(),
            w,
            pos,
            row,
            &mut rows.cost[..m],
        );
        if !rows.tcost.is_empty() {
            let out = &mut rows.tcost[pos * w..][..m];
            let (rates, ranges) = (draws.rate_lanes(), draws.range_lanes());
            task_cost(plan, sampled, rates, ranges, w, pos, row, out);
        }
        collector.task(acc, pos, row);
        add_latest_finish(
            row,
            done,
            plan.network().preds_of(pos),
            w,
            &mut rows.scratch,
        );
    }
}

/// Adds to each lane of `row` the latest finish of `preds` (their rows in `done`, `w` lanes
/// apart): in place, without the scratch copy for the common cases of one and two
/// predecessors.
///
/// Its own function, never inlined, so that its lane loops get the registers to themselves:
/// inlined into the sweep, the row's address was reloaded from the stack in every iteration of
/// the two-predecessor loop (callgrind, 2,000 PERT tasks × 4,096: +1.35 M instructions).
#[inline(never)]
fn add_latest_finish(row: &mut [f64], done: &[f64], preds: &[u32], w: usize, scratch: &mut [f64]) {
    let m = row.len();
    match *preds {
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
            max_finish(done, preds, w, m, scratch);
            for (r, &s) in row.iter_mut().zip(&scratch[..m]) {
                *r += s;
            }
        }
    }
}

/// General networks (every link type and lag, levels of effort, earliest starts), or whenever
/// start and duration rows must be kept.
pub(crate) fn general<C: Collector>(
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
            draws.fill_durations(plan, src, pos, d);
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
