//! Summaries of a simulation: percentiles, moments, buffers and per-task statistics.

pub mod percentile;
pub mod replicates;
pub mod report;
pub mod summary;

pub use report::{
    Budget, Buffer, DateSummary, Deadline, MilestoneDates, MilestoneStat, Report, ResourceStat,
    RiskStat, TaskStat, MILESTONE_PERCENTILES,
};
pub use summary::Summary;
