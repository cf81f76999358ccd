//! One worker's lane state: a row of `lanes` values per task (finish; start and duration when
//! kept; criticality marks when collected) and per-lane project results.

use super::collect::Needs;

/// Rows by position, `lanes` values each (O(tasks × lanes) per worker).
pub(crate) struct Rows {
    /// Values per row.
    pub lanes: usize,
    /// Finish of each task (the plain path writes durations here first).
    pub finish: Vec<f64>,
    /// Start and duration of each task: kept only on the general path (else empty).
    pub start: Vec<f64>,
    pub dur: Vec<f64>,
    /// Longest-path marks: only when criticality is collected (else empty). All zero between
    /// chunks.
    pub crit: Vec<u8>,
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
    /// Rows for `tasks` tasks; start and duration rows when `keep` is set.
    pub(crate) fn new(tasks: usize, lanes: usize, keep: bool, needs: Needs) -> Rows {
        let kept = if keep { tasks * lanes } else { 0 };
        Rows {
            lanes,
            finish: vec![0.0; tasks * lanes],
            start: vec![0.0; kept],
            dur: vec![0.0; kept],
            crit: vec![0; if needs.critical { tasks * lanes } else { 0 }],
            tcost: vec![0.0; if needs.task_costs { tasks * lanes } else { 0 }],
            end: vec![0.0; lanes],
            cost: vec![0.0; lanes],
            scratch: vec![0.0; lanes],
        }
    }
}
