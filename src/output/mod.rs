//! Outputs: one module per artefact, all behind [`Artefact`]. Rendering is a pure function from
//! a [`Report`] to bytes, so each format is tested without touching the disk; [`write_all`]
//! writes them, atomically, refusing to overwrite any input.

pub mod chart;
pub mod charts;
pub mod console;
pub mod summary_csv;
pub mod summary_json;
pub mod task_stats_csv;
pub mod write;

use crate::error::Result;
use crate::stats::Report;

pub use write::write_all;

/// One output file.
pub trait Artefact: Sync {
    /// The file name inside the output folder.
    fn file_name(&self) -> &'static str;
    /// The file's bytes.
    fn render(&self, report: &Report) -> Result<Vec<u8>>;
}

/// The artefacts `p80 simulate` writes, in the order they are listed to the user.
pub fn standard() -> Vec<Box<dyn Artefact>> {
    vec![
        Box::new(summary_json::SummaryJson),
        Box::new(summary_csv::SummaryCsv),
        Box::new(task_stats_csv::TaskStatsCsv),
        Box::new(charts::DurationChart),
        Box::new(charts::CostChart),
    ]
}

/// Rounds to 6 decimals for files people read (well below any Monte Carlo precision).
pub(crate) fn round6(x: f64) -> f64 {
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0 // no "-0"
    } else {
        r
    }
}
