//! The backward pass: which tasks lie on a longest path in each lane, reported to the
//! collectors per task ([`Collector::critical`]). Exact, no tolerance: a task that can end
//! the project and finishes at the end is critical; a predecessor is critical when its link's
//! bound equals (bit for bit: the start is the max of exactly these bounds) a critical task's
//! start. Ties count for every tied task.

use super::collect::Collector;
use super::forward::{bound, latest_finish, Before};
use super::levelling::Levelling;
use super::plan::CompiledPlan;
use super::rows::Rows;

/// Marks and reports the critical tasks of an unlevelled chunk (`kept`: start and duration
/// rows are kept, so links are tested by their bound; else the plain finish-to-start test).
/// Rows of marks are all zero between chunks: each row is cleared once reported, and a row is
/// complete when reached, since only later positions write into it. Rows of non-critical tasks
/// are skipped with one scan.
/// Inlined into each copy of the worker's loop ([`super::isa`]).
#[inline(always)]
pub(crate) fn unlevelled<C: Collector>(
    plan: &CompiledPlan,
    rows: &mut Rows,
    m: usize,
    kept: bool,
    collector: &C,
    acc: &mut C::Acc,
) {
    let net = plan.network();
    let (w, n) = (rows.lanes, plan.len());
    let end = &rows.end[..m];
    for &s in net.sinks() {
        let s = s as usize;
        let f = &rows.finish[s * w..][..m];
        for ((c, &f), &e) in rows.crit[s * w..][..m].iter_mut().zip(f).zip(end) {
            *c = u8::from(f == e);
        }
    }
    for pos in (0..n).rev() {
        let (crit_before, crit_rest) = rows.crit.split_at_mut(pos * w);
        let c = &mut crit_rest[..m];
        let count: u64 = c.iter().map(|&x| u64::from(x)).sum();
        if count == 0 {
            continue;
        }
        collector.critical(acc, pos, c, count);
        if kept {
            let (st, d) = (&rows.start[pos * w..][..m], &rows.dur[pos * w..][..m]);
            let (preds, rules) = net.links_of(pos);
            for (&p, rule) in preds.iter().zip(rules) {
                let p = p as usize;
                let (ps, pf) = (&rows.start[p * w..][..m], &rows.finish[p * w..][..m]);
                let cp = &mut crit_before[p * w..][..m];
                for i in 0..m {
                    cp[i] |=
                        c[i] & u8::from(bound(rule.kind, ps[i], pf[i], rule.lag, d[i]) == st[i]);
                }
            }
        } else {
            let preds = net.preds_of(pos);
            if !preds.is_empty() {
                let done = Before {
                    rows: &rows.finish,
                    w,
                };
                latest_finish(&done, preds, &mut rows.scratch[..m]);
                for &p in preds {
                    let p = p as usize;
                    let f = &rows.finish[p * w..][..m];
                    let cp = &mut crit_before[p * w..][..m];
                    for i in 0..m {
                        cp[i] |= c[i] & u8::from(f[i] == rows.scratch[i]);
                    }
                }
            }
        }
        c.fill(0);
    }
}

/// Marks and reports the critical tasks of a plain chunk from what [`super::forward::plain`]
/// recorded, without its reused finish rows: a sink is critical where it reached the running
/// project end and no later sink raised it (so it equals the end); a critical task's single
/// predecessor is critical, and of two or more those whose tie mark is set (their finish is
/// the start, bit for bit). The same marks as [`unlevelled`] on kept rows. A task's marks are
/// gathered in the row of its slot: its successors all lie within its row's live span.
/// Inlined into each copy of the worker's loop ([`super::isa`]).
#[inline(always)]
pub(crate) fn plain<C: Collector>(
    plan: &CompiledPlan,
    rows: &mut Rows,
    m: usize,
    collector: &C,
    acc: &mut C::Acc,
) {
    let (net, sl) = (plan.network(), plan.slotting());
    let (w, n) = (rows.lanes, plan.len());
    let mut sink = net.sinks().len();
    for pos in (0..n).rev() {
        let slot = sl.slot_of(pos);
        let (lo, rest) = rows.crit.split_at_mut(slot * w);
        let (own, hi) = rest.split_at_mut(w);
        let c: &mut [u8] = if sl.is_sink(pos) {
            sink -= 1;
            let c = &mut rows.sink_marks[sink * w..][..m];
            for (c, &r) in c.iter_mut().zip(&rows.last_raise[..m]) {
                *c &= u8::from(pos as u32 >= r);
            }
            c
        } else {
            &mut own[..m]
        };
        let count: u64 = c.iter().map(|&x| u64::from(x)).sum();
        if count == 0 {
            continue;
        }
        collector.critical(acc, pos, c, count);
        let preds = net.pred_range(pos);
        match *sl.pred_slots(preds.clone()) {
            [] => {}
            [p] => {
                let cp = other_row(lo, hi, slot, p, w, m);
                for (cp, &c) in cp.iter_mut().zip(c.iter()) {
                    *cp |= c;
                }
            }
            ref pred_slots => {
                let first = sl.mask_of(pos) as usize;
                for (k, &p) in pred_slots.iter().enumerate() {
                    let marks = &rows.mask[(first + k / 8) * w..][..m];
                    let bit = k % 8;
                    let cp = other_row(lo, hi, slot, p, w, m);
                    for i in 0..m {
                        cp[i] |= c[i] & (marks[i] >> bit) & 1;
                    }
                }
            }
        }
        c.fill(0);
    }
}

/// The first `m` lanes of slot `q`'s row of marks, given the rows before (`lo`) and after
/// (`hi`) slot `slot`, which `q` is not.
#[inline(always)]
fn other_row<'a>(
    lo: &'a mut [u8],
    hi: &'a mut [u8],
    slot: usize,
    q: u32,
    w: usize,
    m: usize,
) -> &'a mut [u8] {
    let q = q as usize;
    if q < slot {
        &mut lo[q * w..][..m]
    } else {
        &mut hi[(q - slot - 1) * w..][..m]
    }
}

/// Criticality in a levelled schedule, lane by lane: a task is critical when it finishes at
/// the end, or when a critical task's start equals the bound of its link from this task (the
/// finish for a finish-to-start link without lag) or it waited for a resource this task held
/// (its start is then this task's finish). Levels of effort never count.
/// Inlined into each copy of the worker's loop ([`super::isa`]).
#[inline(always)]
pub(crate) fn levelled<C: Collector>(
    plan: &CompiledPlan,
    rows: &mut Rows,
    lv: &mut Levelling,
    m: usize,
    collector: &C,
    acc: &mut C::Acc,
) {
    let (net, res) = (plan.network(), plan.resources());
    let (w, n) = (rows.lanes, plan.len());
    let (order, on_path) = lv.backward_scratch();
    for i in 0..m {
        let start = |pos: usize| rows.start[pos * w + i];
        let finish = |pos: usize| rows.finish[pos * w + i];
        order.clear();
        order.extend(0..n as u32);
        order.sort_unstable_by(|&a, &b| {
            start(b as usize)
                .total_cmp(&start(a as usize))
                .then(b.cmp(&a))
        });
        for (pos, p) in on_path.iter_mut().enumerate().take(n) {
            *p = finish(pos) == rows.end[i] && !net.is_loe(pos);
        }
        for &s in order.iter() {
            let s = s as usize;
            if !on_path[s] || net.is_loe(s) {
                continue;
            }
            rows.crit[s * w + i] = 1;
            let st = start(s);
            let d = rows.dur[s * w + i];
            let (preds, rules) = net.links_of(s);
            for (&p, rule) in preds.iter().zip(rules) {
                let p = p as usize;
                if bound(rule.kind, start(p), finish(p), rule.lag, d) == st {
                    on_path[p] = true;
                }
            }
            for &(r, _) in res.demands().row(s) {
                for &t in res.users_of(r as usize) {
                    if t as usize != s && finish(t as usize) == st {
                        on_path[t as usize] = true;
                    }
                }
            }
        }
    }
    for pos in 0..n {
        let c = &mut rows.crit[pos * w..][..m];
        let count: u64 = c.iter().map(|&x| u64::from(x)).sum();
        if count > 0 {
            collector.critical(acc, pos, c, count);
            c.fill(0);
        }
    }
}
