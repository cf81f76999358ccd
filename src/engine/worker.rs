//! One worker: simulates a chunk of lanes (draws, forward pass, levelling, backward pass) and
//! hands the result to the collectors.

use super::backward;
use super::booking::book_team;
use super::collect::{Chunk, Collector, Needs, Slots};
use super::draws::{Draws, Source, Streams};
use super::forward;
use super::levelling::Levelling;
use super::plan::CompiledPlan;
use super::rows::Rows;
use super::spec::{keeps_rows, Designs};

/// A worker's scratch space, O(tasks × lanes), reused across its chunks.
pub(crate) struct Worker<'p> {
    plan: &'p CompiledPlan,
    needs: Needs,
    /// Start and duration rows are kept: general networks, levelled plans, or a collector
    /// asked for them.
    kept: bool,
    /// Plain path keeping only live finish rows ([`super::spec::slotted`]).
    slotted: bool,
    rows: Rows,
    draws: Draws<'p>,
    levelling: Option<Levelling>,
}

impl<'p> Worker<'p> {
    /// A worker for chunks of `lanes` lanes of `plan`, computing what `needs` asks for, with
    /// live finish rows only when `slotted` (and the plan's rows are not kept); `designs` when
    /// sampling Latin hypercubes.
    pub(crate) fn new(
        plan: &'p CompiledPlan,
        streams: &'p Streams,
        lanes: usize,
        needs: Needs,
        slotted: bool,
        designs: Option<Designs>,
    ) -> Self {
        let kept = keeps_rows(plan, needs);
        let slotted = slotted && !kept;
        Worker {
            plan,
            needs,
            kept,
            slotted,
            rows: Rows::new(plan, lanes, kept, slotted, needs),
            draws: Draws::new(plan, streams, lanes, designs),
            levelling: plan.is_levelled().then(|| Levelling::new(plan)),
        }
    }

    /// Simulates `m` lanes from `src` and gives them to `collector`. For sampled chunks, lane
    /// i is iteration `first + i`.
    pub(crate) fn run_chunk<C: Collector>(
        &mut self,
        src: Source,
        m: usize,
        collector: &C,
        acc: &mut C::Acc,
        slots: &mut Slots,
    ) {
        let plan = self.plan;
        self.rows.cost[..m].fill(0.0);
        let first = match src {
            Source::Sampled { first } => {
                self.draws.draw_chunk(plan, first, m, &mut self.rows.cost);
                first
            }
            Source::Given(_) => 0,
        };
        let critical = self.needs.critical;
        let draws = &self.draws;
        if self.kept {
            forward::general(plan, draws, &mut self.rows, src, m, collector, acc);
        } else if self.slotted {
            forward::plain(
                plan,
                draws,
                &mut self.rows,
                src,
                m,
                critical,
                collector,
                acc,
            );
        } else {
            forward::plain_full(plan, draws, &mut self.rows, src, m, collector, acc);
        }
        match &mut self.levelling {
            Some(lv) => {
                lv.level_lanes(plan, &mut self.rows, m);
                if critical {
                    backward::levelled(plan, &mut self.rows, lv, m, collector, acc);
                }
            }
            None if self.slotted => {
                if critical {
                    backward::plain(plan, &mut self.rows, m, collector, acc);
                }
            }
            None => {
                forward::project_end(plan, &mut self.rows, m);
                if critical {
                    backward::unlevelled(plan, &mut self.rows, m, self.kept, collector, acc);
                }
            }
        }
        if !self.slotted {
            let w = self.rows.lanes;
            for pos in 0..plan.len() {
                collector.finished(acc, pos, &self.rows.finish[pos * w..][..m]);
            }
        }
        let sampled = matches!(src, Source::Sampled { .. });
        book_team(
            plan,
            sampled,
            self.draws.rate_lanes(),
            self.rows.lanes,
            &self.rows.end[..m],
            &mut self.rows.cost[..m],
        );
        let base = match src {
            Source::Sampled { .. } => plan.costs().fixed_certain(),
            Source::Given(_) => plan.costs().fixed(),
        };
        for c in &mut self.rows.cost[..m] {
            *c += base;
        }
        let rows = &self.rows;
        let chunk = Chunk {
            plan,
            first,
            m,
            lanes: rows.lanes,
            end: &rows.end,
            cost: &rows.cost,
            finish: &rows.finish,
            finish_rows: self.slotted.then(|| plan.slotting().kept_rows()),
            start: &rows.start,
            duration: &rows.dur,
            occurred: self.draws.occurred(),
            task_cost: &rows.tcost,
        };
        collector.chunk(acc, &chunk, slots);
    }
}
