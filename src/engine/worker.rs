//! One worker: simulates a chunk of lanes (draws, forward pass, levelling, backward pass) and
//! hands the result to the collectors.

use super::backward;
use super::booking::book_team;
use super::collect::{Chunk, Collector, Needs, Slots};
use super::draws::{Draws, Source, Streams};
use super::forward;
use super::isa::Isa;
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
    /// Runs the x86-64-v3 copy of the loop ([`super::isa`]); set only on a CPU that has it
    /// (and its draws take AVX-512 lanes only on a CPU that has those).
    v3: bool,
}

impl<'p> Worker<'p> {
    /// A worker for chunks of `lanes` lanes of `plan`, computing what `needs` asks for, with
    /// live finish rows only when `slotted` (and the plan's rows are not kept); `designs` when
    /// sampling Latin hypercubes; the widest copy of the loop up to `isa` that the CPU has.
    pub(crate) fn new(
        plan: &'p CompiledPlan,
        streams: &'p Streams,
        lanes: usize,
        needs: Needs,
        slotted: bool,
        designs: Option<Designs>,
        isa: Isa,
    ) -> Self {
        let kept = keeps_rows(plan, needs);
        let isa = isa.available();
        let slotted = slotted && !kept;
        Worker {
            plan,
            needs,
            kept,
            slotted,
            rows: Rows::new(plan, lanes, kept, slotted, needs),
            draws: Draws::new(plan, streams, lanes, designs, isa == Isa::Avx512),
            levelling: plan.is_levelled().then(|| Levelling::new(plan)),
            v3: isa >= Isa::V3,
        }
    }

    /// Simulates `m` lanes from `src` and gives them to `collector`. For sampled chunks, lane
    /// i is iteration `first + i`. The same bits whichever copy of the loop runs.
    pub(crate) fn run_chunk<C: Collector>(
        &mut self,
        src: Source,
        m: usize,
        collector: &C,
        acc: &mut C::Acc,
        slots: &mut Slots,
    ) {
        #[cfg(target_arch = "x86_64")]
        if self.v3 {
            // SAFETY: `v3` is set only when the CPU has these features (`isa::has_v3`).
            return unsafe { self.run_chunk_v3(src, m, collector, acc, slots) };
        }
        self.run_chunk_with::<C, false>(src, m, collector, acc, slots);
    }

    /// [`Self::run_chunk`] compiled for x86-64-v3.
    ///
    /// # Safety
    /// The CPU must have the features enabled here.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt")]
    unsafe fn run_chunk_v3<C: Collector>(
        &mut self,
        src: Source,
        m: usize,
        collector: &C,
        acc: &mut C::Acc,
        slots: &mut Slots,
    ) {
        self.run_chunk_with::<C, true>(src, m, collector, acc, slots);
    }

    /// The body of both copies of [`Self::run_chunk`]: inlined into each, with the passes it
    /// calls, so that each is compiled for its instruction set; `V3` picks the matching copy
    /// of the functions that are not inlined.
    #[inline(always)]
    fn run_chunk_with<C: Collector, const V3: bool>(
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
            forward::general::<C, V3>(plan, draws, &mut self.rows, src, m, collector, acc);
        } else if self.slotted {
            forward::plain::<C, V3>(
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
            forward::plain_full::<C, V3>(plan, draws, &mut self.rows, src, m, collector, acc);
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
