//! `resource_stats.csv`: per resource, its expected busy time, cost and utilisation.

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::Report;

/// Writes `resource_stats.csv`: id, name, capacity (blank: unlimited), mean_busy_days (Σ over
/// its tasks of units × mean task duration), mean_cost (billed by task: mean busy days × daily
/// rate; billed as a team: its mean team pay), utilisation (mean busy days ÷ (capacity × mean
/// project duration); blank when the capacity is unlimited), and for team-billed resources
/// mean_idle_days and mean_idle_cost (the paid time not on tasks; blank when billed by task).
pub struct ResourceStatsCsv;

impl Artefact for ResourceStatsCsv {
    fn file_name(&self) -> &'static str {
        "resource_stats.csv"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("resource_stats.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "id",
            "name",
            "capacity",
            "mean_busy_days",
            "mean_cost",
            "utilisation",
            "mean_idle_days",
            "mean_idle_cost",
        ])
        .map_err(err)?;
        let opt = |v: Option<f64>| v.map_or_else(String::new, |v| round6(v).to_string());
        for s in &r.resources {
            w.write_record([
                s.id.clone(),
                s.name.clone(),
                opt(s.capacity),
                round6(s.mean_busy_days).to_string(),
                round6(s.mean_cost).to_string(),
                opt(s.utilisation),
                opt(s.mean_idle_days),
                opt(s.mean_idle_cost),
            ])
            .map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("resource_stats.csv: {e}")))
    }
}
