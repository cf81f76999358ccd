//! `summary.csv`: the numbers of `summary.json`, one row per measure, for spreadsheets.

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::percentile::REPORTED;
use crate::stats::{Report, Summary};

/// Writes `summary.csv`: columns measure, unit, deterministic, mean, std, min, max,
/// at_confidence, buffer (at the confidence − deterministic), confidence, p1 … p99; rows
/// `duration`, `cost` and, with a start date, `finish_date` (ISO dates).
pub struct SummaryCsv;

impl Artefact for SummaryCsv {
    fn file_name(&self) -> &'static str {
        "summary.csv"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("summary.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<String> = [
            "measure",
            "unit",
            "deterministic",
            "mean",
            "std",
            "min",
            "max",
            "at_confidence",
            "buffer",
            "confidence",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        header.extend(REPORTED.iter().map(|k| format!("p{k}")));
        w.write_record(&header).map_err(err)?;
        let rows: [(&str, &str, &Summary, f64); 2] = [
            (
                "duration",
                "working days",
                &r.duration,
                r.buffer.schedule_days,
            ),
            ("cost", &r.currency, &r.cost, r.buffer.cost_reserve),
        ];
        for (name, unit, s, buffer) in rows {
            let mut rec = vec![name.to_string(), unit.to_string()];
            for v in [
                s.deterministic,
                s.mean,
                s.std,
                s.min,
                s.max,
                s.at_confidence,
                buffer,
                r.confidence,
            ] {
                rec.push(round6(v).to_string());
            }
            rec.extend(s.percentiles.iter().map(|(_, v)| round6(*v).to_string()));
            w.write_record(&rec).map_err(err)?;
        }
        if let Some(d) = &r.finish_date {
            // Dates where a date means something; mean, std and buffer are left blank.
            let mut rec = vec![
                "finish_date".to_string(),
                "date".to_string(),
                d.deterministic.to_string(),
                String::new(),
                String::new(),
                d.min.to_string(),
                d.max.to_string(),
                d.at_confidence.to_string(),
                String::new(),
                round6(r.confidence).to_string(),
            ];
            rec.extend(d.percentiles.iter().map(|(_, v)| v.to_string()));
            w.write_record(&rec).map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("summary.csv: {e}")))
    }
}
