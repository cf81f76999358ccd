//! `merge_bias.csv` (`--drivers`): the delay merging paths add at each task with two or more
//! predecessors.

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::Report;

/// Writes `merge_bias.csv`: id, name, predecessors (ids joined by `;`), mean_start,
/// latest_predecessor_mean_finish, merge_bias; one row per task with two or more
/// predecessors, in the order of the tasks file (only the header without drivers or merges).
pub struct MergeBiasCsv;

impl Artefact for MergeBiasCsv {
    fn file_name(&self) -> &'static str {
        "merge_bias.csv"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("merge_bias.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "id",
            "name",
            "predecessors",
            "mean_start",
            "latest_predecessor_mean_finish",
            "merge_bias",
        ])
        .map_err(err)?;
        for m in r.drivers.iter().flat_map(|d| &d.merge_bias) {
            w.write_record([
                m.id.clone(),
                m.name.clone(),
                m.predecessors.join(";"),
                round6(m.mean_start).to_string(),
                round6(m.latest_predecessor_mean_finish).to_string(),
                round6(m.merge_bias).to_string(),
            ])
            .map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("merge_bias.csv: {e}")))
    }
}
