//! One worker's lane state: rows of `lanes` values (finishes: one per task when rows are kept,
//! one per live task on the plain path; start and duration when kept; criticality marks and
//! tie marks when collected) and per-lane project results.

use super::collect::Needs;
use super::plan::CompiledPlan;

/// Rows of `lanes` values each (O(tasks × lanes) per worker).
pub(crate) struct Rows {
    /// Values per row.
    pub lanes: usize,
    /// Finish of each task by position when rows are kept; on the plain path by slot
    /// ([`crate::engine::plan::Slotting`]), durations written there first.
    pub finish: Vec<f64>,
    /// Start and duration of each task: kept only on the general path (else empty).
    pub start: Vec<f64>,
    pub dur: Vec<f64>,
    /// Longest-path marks: only when criticality is collected (else empty); by position, or
    /// on the plain path by slot (a task's marks are gathered from its successors while its
    /// row is live, the same span as its finish). All zero between chunks.
    pub crit: Vec<u8>,
    /// Plain path with criticality: each sink's "reached the running project end" marks, by
    /// sink in position order.
    pub sink_marks: Vec<u8>,
    /// Plain path with criticality: which predecessors drove each start (bit k of byte row
    /// `mask_of(pos) + k / 8` for predecessor k), and per lane the last sink that raised the
    /// running project end.
    pub mask: Vec<u8>,
    pub last_raise: Vec<u32>,
    /// Each task's own cost (see `booking::task_cost`): only when a collector needs task costs
    /// (else empty).
    pub tcost: Vec<f64>,
    /// Project duration per lane.
    pub end: Vec<f64>,
    /// Project cost per lane.
    pub cost: Vec<f64>,
    /// One lane-wide scratch row.
    pub scratch: Vec<f64>,
}

impl Rows {
    /// Rows for `plan`: every task's start and duration when `keep` is set; every task's
    /// finish unless `slotted`, then only the live finish rows and, with criticality, tie
    /// marks.
    pub(crate) fn new(
        plan: &CompiledPlan,
        lanes: usize,
        keep: bool,
        slotted: bool,
        needs: Needs,
    ) -> Rows {
        let tasks = plan.len();
        let kept = if keep { tasks * lanes } else { 0 };
        let finish_rows = if slotted {
            plan.slotting().slots()
        } else {
            tasks
        };
        let masks = slotted && needs.critical;
        Rows {
            lanes,
            finish: vec![0.0; finish_rows * lanes],
            mask: vec![
                0;
                if masks {
                    plan.slotting().mask_rows() * lanes
                } else {
                    0
                }
            ],
            last_raise: vec![0; if masks { lanes } else { 0 }],
            start: vec![0.0; kept],
            dur: vec![0.0; kept],
            crit: vec![
                0;
                if needs.critical {
                    finish_rows * lanes
                } else {
                    0
                }
            ],
            sink_marks: vec![
                0;
                if masks {
                    plan.network().sinks().len() * lanes
                } else {
                    0
                }
            ],
            tcost: vec![0.0; if needs.task_costs { tasks * lanes } else { 0 }],
            end: vec![0.0; lanes],
            cost: vec![0.0; lanes],
            scratch: vec![0.0; lanes],
        }
    }
}
