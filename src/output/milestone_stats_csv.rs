//! `milestone_stats.csv`: per milestone, its finish in the plan and over the iterations.

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::{Report, MILESTONE_PERCENTILES};

/// Writes `milestone_stats.csv`: id, name, deterministic, mean, p10, p50, p80, p90 (finish
/// offsets in working days from the project start) and, with a start date, date_deterministic,
/// date_p10, date_p50, date_p80, date_p90; one row per milestone in the order of the tasks
/// file. Written only when the plan has milestones.
pub struct MilestoneStatsCsv;

impl Artefact for MilestoneStatsCsv {
    fn file_name(&self) -> &'static str {
        "milestone_stats.csv"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("milestone_stats.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        let dated = r.calendar.is_some();
        let mut header: Vec<String> = ["id", "name", "deterministic", "mean"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        header.extend(MILESTONE_PERCENTILES.iter().map(|k| format!("p{k}")));
        if dated {
            header.push("date_deterministic".into());
            header.extend(MILESTONE_PERCENTILES.iter().map(|k| format!("date_p{k}")));
        }
        w.write_record(&header).map_err(err)?;
        for m in &r.milestones {
            let mut rec = vec![
                m.id.clone(),
                m.name.clone(),
                round6(m.deterministic).to_string(),
                round6(m.mean).to_string(),
            ];
            rec.extend(m.percentiles.iter().map(|(_, v)| round6(*v).to_string()));
            if dated {
                match &m.dates {
                    Some(d) => {
                        rec.push(d.deterministic.to_string());
                        rec.extend(d.percentiles.iter().map(|(_, v)| v.to_string()));
                    }
                    None => rec.extend((0..=MILESTONE_PERCENTILES.len()).map(|_| String::new())),
                }
            }
            w.write_record(&rec).map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("milestone_stats.csv: {e}")))
    }
}
