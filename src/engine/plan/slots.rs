//! Where the plain path keeps finish times: one row per *live* task instead of one per task.
//!
//! The forward pass of a plain network reads a task's finish row only until its last
//! successor has been computed. Rows are therefore handed out in topological order and given
//! back after that last use (a register allocation over the order), so a worker holds
//! `slots()` rows, the largest number of tasks alive at once, instead of one per task: about a
//! quarter of the plan for the layered random networks of `bench/` (25,098 of 100,000). The
//! freed memory buys wider chunks (fewer per-task overheads per iteration) at the same
//! footprint (issue 15, BENCHMARKS.md).
//!
//! Criticality cannot re-read the finishes of tasks whose rows were reused, so the forward
//! pass records, per task with two or more predecessors, which of them drove its start (a
//! byte of tie marks per eight predecessors and lane): `mask_of` places those bytes.

use super::network::Network;

/// [`Slotting::mask_of`] for a task with fewer than two predecessors (nothing to record: a
/// single predecessor always drives the start).
pub const NO_MASK: u32 = u32::MAX;

/// The rows of a plain network's forward pass. Empty for general networks (which keep every
/// row).
///
/// Guarantees: a task's slot differs from the slot of every predecessor and of every task
/// alive while it is computed; a milestone's slot is never reused within a chunk (collectors
/// read milestone finishes when the chunk is done); sinks' rows are reused right after them.
#[derive(Debug, Clone, Default)]
pub struct Slotting {
    slot_of: Vec<u32>,
    /// Parallel to the network's predecessor items: the slot of each predecessor.
    pred_slot: Vec<u32>,
    /// Per position, the slot of its finish row at the end of a chunk: milestones only;
    /// `u32::MAX` elsewhere.
    kept_row: Vec<u32>,
    slots: usize,
    mask_of: Vec<u32>,
    mask_rows: usize,
    is_sink: Vec<bool>,
}

impl Slotting {
    /// The slotting of `net`'s forward pass (empty when `net` is general).
    pub fn build(net: &Network) -> Slotting {
        let n = net.len();
        if net.is_general() || n == 0 {
            return Slotting::default();
        }
        // The last position that reads each task's row (itself when nothing does).
        let mut last_use: Vec<u32> = (0..n as u32).collect();
        for pos in 0..n {
            for &p in net.preds_of(pos) {
                last_use[p as usize] = pos as u32;
            }
        }
        let mut kept = vec![false; n];
        for &m in net.milestones() {
            kept[m as usize] = true;
        }
        // Tasks whose rows are free after position k, grouped by k (a counting sort).
        let mut start = vec![0u32; n + 1];
        for (task, &k) in last_use.iter().enumerate() {
            if !kept[task] {
                start[k as usize + 1] += 1;
            }
        }
        for k in 0..n {
            start[k + 1] += start[k];
        }
        let mut freed = vec![0u32; start[n] as usize];
        let mut next = start.clone();
        for (task, &k) in last_use.iter().enumerate() {
            if !kept[task] {
                freed[next[k as usize] as usize] = task as u32;
                next[k as usize] += 1;
            }
        }
        let mut slot_of = vec![0u32; n];
        let mut free: Vec<u32> = Vec::new();
        let mut slots = 0u32;
        for pos in 0..n {
            // Last freed, first reused: the row most likely still in cache.
            slot_of[pos] = free.pop().unwrap_or_else(|| {
                slots += 1;
                slots - 1
            });
            for &t in &freed[start[pos] as usize..start[pos + 1] as usize] {
                free.push(slot_of[t as usize]);
            }
        }
        let pred_slot = net
            .preds()
            .items()
            .iter()
            .map(|&p| slot_of[p as usize])
            .collect();
        let kept_row = (0..n)
            .map(|pos| if kept[pos] { slot_of[pos] } else { u32::MAX })
            .collect();
        let mut mask_rows = 0u32;
        let mask_of = (0..n)
            .map(|pos| {
                let k = net.preds_of(pos).len();
                if k < 2 {
                    NO_MASK
                } else {
                    mask_rows += k.div_ceil(8) as u32;
                    mask_rows - k.div_ceil(8) as u32
                }
            })
            .collect();
        let mut is_sink = vec![false; n];
        for &s in net.sinks() {
            is_sink[s as usize] = true;
        }
        Slotting {
            slot_of,
            pred_slot,
            kept_row,
            slots: slots as usize,
            mask_of,
            mask_rows: mask_rows as usize,
            is_sink,
        }
    }

    /// Number of finish rows a worker needs.
    pub fn slots(&self) -> usize {
        self.slots
    }

    /// The finish row of position `pos`.
    #[inline(always)]
    pub fn slot_of(&self, pos: usize) -> usize {
        self.slot_of[pos] as usize
    }

    /// The finish rows of the predecessors of `pos` (in the order of `preds_of`), given the
    /// range of its predecessor items (`Network::pred_range`).
    #[inline(always)]
    pub fn pred_slots(&self, range: std::ops::Range<usize>) -> &[u32] {
        &self.pred_slot[range]
    }

    /// The row holding position `pos`'s finish when a chunk is done: milestones only; `u32::MAX`
    /// for the others, whose rows were reused.
    pub fn kept_rows(&self) -> &[u32] {
        &self.kept_row
    }

    /// The first of the ⌈preds / 8⌉ tie-mark rows of `pos`, or [`NO_MASK`].
    #[inline(always)]
    pub fn mask_of(&self, pos: usize) -> u32 {
        self.mask_of[pos]
    }

    /// Number of tie-mark rows.
    pub fn mask_rows(&self) -> usize {
        self.mask_rows
    }

    /// Whether position `pos` can end the project.
    #[inline(always)]
    pub fn is_sink(&self, pos: usize) -> bool {
        self.is_sink[pos]
    }
}
