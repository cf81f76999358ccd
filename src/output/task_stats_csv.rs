//! `task_stats.csv`: per task, mean duration, criticality and mean cost.

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::Report;

/// Writes `task_stats.csv`: id, name, mean_duration, criticality, mean_cost, critical_in_plan,
/// one row per task in the order of the tasks file.
pub struct TaskStatsCsv;

impl Artefact for TaskStatsCsv {
    fn file_name(&self) -> &'static str {
        "task_stats.csv"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("task_stats.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "id",
            "name",
            "mean_duration",
            "criticality",
            "mean_cost",
            "critical_in_plan",
        ])
        .map_err(err)?;
        for t in &r.tasks {
            w.write_record([
                t.id.clone(),
                t.name.clone(),
                round6(t.mean_duration).to_string(),
                round6(t.criticality).to_string(),
                round6(t.mean_cost).to_string(),
                t.deterministic_critical.to_string(),
            ])
            .map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("task_stats.csv: {e}")))
    }
}
