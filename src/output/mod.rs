//! Outputs: one module per artefact, all behind [`Artefact`]. Rendering is a pure function from
//! a [`Report`] to bytes, so each format is tested without touching the disk; [`write_all`]
//! makes them the output folder's whole content, swapped in as one ([`folder`]), refusing to
//! touch any input or any file p80 did not write.

pub mod chart;
pub mod comparison_chart;
pub mod comparison_csv;
pub mod console;
pub mod distribution_chart;
pub mod folder;
pub mod forecast_chart;
pub mod forecast_console;
pub mod forecast_csv;
pub mod format;
pub mod gantt_chart;
pub mod health_csv;
pub mod html_report;
pub mod jcl_csv;
pub mod merge_bias_csv;
pub mod milestone_stats_csv;
pub mod plan_files;
pub mod profile_chart;
pub mod resource_reserve_csv;
pub mod resource_stats_csv;
pub mod risk_stats_csv;
pub mod scatter_chart;
pub mod shard_file;
pub mod summary_csv;
pub mod summary_json;
pub mod task_stats_csv;
pub mod tornado_chart;
pub mod write;

use crate::error::Result;
use crate::stats::{Comparison, ForecastReport, Report};

pub use write::{check_run_folder, write_all, write_files, PLAN_FILES, RUN_FILES};

/// One output file, rendered from what a command computed: a [`Report`] for `p80 simulate`
/// (the default), a [`Comparison`] (every scenario's report, the baseline first) for
/// `p80 compare`, a [`ForecastReport`] for `p80 forecast`.
pub trait Artefact<R: ?Sized = Report>: Sync {
    /// The file name inside the output folder.
    fn file_name(&self) -> &'static str;
    /// The file's bytes.
    fn render(&self, report: &R) -> Result<Vec<u8>>;
}

/// The artefacts `p80 forecast` writes: `forecast.csv` and `forecast.png`.
pub fn forecast() -> Vec<Box<dyn Artefact<ForecastReport>>> {
    vec![
        Box::new(forecast_csv::ForecastCsv),
        Box::new(forecast_chart::ForecastChart),
    ]
}

/// The artefacts `p80 compare` writes: `comparison.csv` and `comparison.png`.
pub fn comparison() -> Vec<Box<dyn Artefact<Comparison>>> {
    vec![
        Box::new(comparison_csv::ComparisonCsv),
        Box::new(comparison_chart::ComparisonChart),
    ]
}

/// The artefacts `p80 simulate` writes for `report`, in the order they are listed to the user
/// (`health.csv` always, after `task_stats.csv`; `gantt.png` always, after `cost.png`):
/// `milestone_stats.csv` only when the plan has milestones, `risk_stats.csv` only with risks,
/// `resource_stats.csv` only with resources, `resource_reserve.csv` only when the report carries
/// reserves (some task uses a resource), `resource_profile.png` only when the report carries a
/// resource profile; with drivers (`--drivers`) `merge_bias.csv`, `jcl.csv`, `tornado.png` and
/// `scatter.png`.
pub fn standard(report: &Report) -> Vec<Box<dyn Artefact>> {
    let mut list: Vec<Box<dyn Artefact>> = vec![
        Box::new(summary_json::SummaryJson),
        Box::new(summary_csv::SummaryCsv),
        Box::new(task_stats_csv::TaskStatsCsv),
        Box::new(health_csv::HealthCsv),
    ];
    if !report.milestones.is_empty() {
        list.push(Box::new(milestone_stats_csv::MilestoneStatsCsv));
    }
    if !report.risks.is_empty() {
        list.push(Box::new(risk_stats_csv::RiskStatsCsv));
    }
    if !report.resources.is_empty() {
        list.push(Box::new(resource_stats_csv::ResourceStatsCsv));
    }
    if !report.reserves.is_empty() {
        list.push(Box::new(resource_reserve_csv::ResourceReserveCsv));
    }
    list.push(Box::new(distribution_chart::DurationChart));
    list.push(Box::new(distribution_chart::CostChart));
    list.push(Box::new(gantt_chart::GanttChart));
    if report.resource_profile.is_some() {
        list.push(Box::new(profile_chart::ProfileChart));
    }
    if report.drivers.is_some() {
        list.push(Box::new(merge_bias_csv::MergeBiasCsv));
        list.push(Box::new(jcl_csv::JclCsv));
        list.push(Box::new(tornado_chart::TornadoChart));
        list.push(Box::new(scatter_chart::ScatterChart));
    }
    list
}

/// Rounds to 6 decimals for files people read (well below any Monte Carlo precision). From
/// 1e15 on a double holds no decimals anyway, and `x × 1e6` could overflow to infinity (a
/// budget of 1e308 became `null` in summary.json): such values are returned as they are.
pub(crate) fn round6(x: f64) -> f64 {
    if x.abs() >= 1e15 {
        return x;
    }
    let r = (x * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0 // no "-0"
    } else {
        r
    }
}
