//! `risk_stats.csv`: per risk, how often it occurred and what it added to duration and cost.

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::Report;

/// Writes `risk_stats.csv`: id, name, kind, probability, occurred (share of iterations),
/// duration_contribution (working days) and cost_contribution — each the mean with the risk
/// minus the mean with it switched off, all other random numbers equal.
pub struct RiskStatsCsv;

impl Artefact for RiskStatsCsv {
    fn file_name(&self) -> &'static str {
        "risk_stats.csv"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("risk_stats.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "id",
            "name",
            "kind",
            "probability",
            "occurred",
            "duration_contribution",
            "cost_contribution",
        ])
        .map_err(err)?;
        for k in &r.risks {
            w.write_record([
                k.id.clone(),
                k.name.clone(),
                k.kind.to_string(),
                round6(k.probability).to_string(),
                round6(k.occurred).to_string(),
                round6(k.duration_contribution).to_string(),
                round6(k.cost_contribution).to_string(),
            ])
            .map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("risk_stats.csv: {e}")))
    }
}
