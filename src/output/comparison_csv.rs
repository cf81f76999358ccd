//! `comparison.csv`: one row per scenario (the baseline first), the numbers to compare.

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::Comparison;

/// Writes `comparison.csv`. Columns: `scenario`, `duration_p50`, `duration_p80`,
/// `duration_p90`, `cost_p50`, `cost_p80`, `cost_p90`; with a cost of delay
/// `economic_cost_p50`, `economic_cost_p80`, `economic_cost_p90`; with a start date `finish_date_p50`,
/// `finish_date_p80`, `finish_date_p90`; `schedule_buffer` and `cost_reserve` (at the
/// confidence level, from each scenario's own plan); with a deadline `deadline_probability`;
/// with a budget `budget_probability`; then `duration_plan`, `duration_mean`,
/// `duration_at_confidence`, `cost_plan`, `cost_mean`, `cost_at_confidence` and `confidence`.
pub struct ComparisonCsv;

/// The percentiles of the leading columns.
const PERCENTILES: [u32; 3] = [50, 80, 90];

impl Artefact<Comparison> for ComparisonCsv {
    fn file_name(&self) -> &'static str {
        "comparison.csv"
    }

    fn render(&self, comparison: &Comparison) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("comparison.csv: {e}"));
        let Some(first) = comparison.baseline().map(|s| &s.report) else {
            return Err(Error::Output("comparison.csv: no scenarios".into()));
        };
        let dates = first.finish_date.is_some();
        let deadline = first.deadline.is_some();
        let budget = first.budget.is_some();
        let economic = first.economic_cost.is_some();

        let mut header = vec!["scenario".to_string()];
        for m in ["duration", "cost"] {
            header.extend(PERCENTILES.iter().map(|k| format!("{m}_p{k}")));
        }
        if economic {
            header.extend(PERCENTILES.iter().map(|k| format!("economic_cost_p{k}")));
        }
        if dates {
            header.extend(PERCENTILES.iter().map(|k| format!("finish_date_p{k}")));
        }
        header.extend(["schedule_buffer".into(), "cost_reserve".into()]);
        if deadline {
            header.push("deadline_probability".into());
        }
        if budget {
            header.push("budget_probability".into());
        }
        header.extend(
            [
                "duration_plan",
                "duration_mean",
                "duration_at_confidence",
                "cost_plan",
                "cost_mean",
                "cost_at_confidence",
                "confidence",
            ]
            .map(String::from),
        );

        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).map_err(err)?;
        let num = |v: f64| round6(v).to_string();
        for sc in &comparison.scenarios {
            let r = &sc.report;
            let mut rec = vec![sc.name.clone()];
            for s in [&r.duration, &r.cost] {
                rec.extend(PERCENTILES.iter().map(|&k| num(s.p(k).unwrap_or(f64::NAN))));
            }
            if economic {
                let e = r.economic_cost.as_ref().map(|e| &e.summary);
                rec.extend(
                    PERCENTILES
                        .iter()
                        .map(|&k| e.and_then(|e| e.p(k)).map_or_else(String::new, num)),
                );
            }
            if dates {
                let fd = r.finish_date.as_ref();
                rec.extend(PERCENTILES.iter().map(|&k| {
                    fd.and_then(|d| d.p(k))
                        .map_or_else(String::new, |d| d.to_string())
                }));
            }
            rec.push(num(r.buffer.schedule_days));
            rec.push(num(r.buffer.cost_reserve));
            if deadline {
                rec.push(r.deadline.map_or_else(String::new, |d| num(d.probability)));
            }
            if budget {
                rec.push(r.budget.map_or_else(String::new, |b| num(b.probability)));
            }
            for v in [
                r.duration.deterministic,
                r.duration.mean,
                r.duration.at_confidence,
                r.cost.deterministic,
                r.cost.mean,
                r.cost.at_confidence,
                r.confidence,
            ] {
                rec.push(num(v));
            }
            w.write_record(&rec).map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("comparison.csv: {e}")))
    }
}
