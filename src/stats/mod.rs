//! Summaries of a simulation: percentiles, moments, buffers and per-task statistics.

pub mod percentile;
pub mod report;
pub mod summary;

pub use report::{Buffer, Report, TaskStat};
pub use summary::Summary;
