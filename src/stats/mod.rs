//! Summaries of a simulation: percentiles, moments, buffers and per-task statistics.

pub mod percentile;
pub mod report;
pub mod summary;

pub use report::{
    Buffer, DateSummary, Deadline, MilestoneDates, MilestoneStat, Report, RiskStat, TaskStat,
    MILESTONE_PERCENTILES,
};
pub use summary::Summary;
