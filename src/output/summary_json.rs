//! `summary.json`: the machine-readable summary (the contract later versions extend, never break).

use serde_json::{json, Map, Value};

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::{DateSummary, Report, Summary};

/// Writes `summary.json`.
pub struct SummaryJson;

fn measure(s: &Summary, unit: &str, iterations: usize) -> Value {
    let mut pct = Map::new();
    for (k, v) in &s.percentiles {
        pct.insert(format!("p{k}"), json!(round6(*v)));
    }
    let mut se = Map::new();
    se.insert(
        "mean".into(),
        json!(round6(s.std / (iterations.max(1) as f64).sqrt())),
    );
    se.insert("at_confidence".into(), json!(round6(s.at_confidence_se)));
    for (k, v) in &s.percentile_se {
        se.insert(format!("p{k}"), json!(round6(*v)));
    }
    json!({
        "unit": unit,
        "deterministic": round6(s.deterministic),
        "mean": round6(s.mean),
        "std": round6(s.std),
        "min": round6(s.min),
        "max": round6(s.max),
        "at_confidence": round6(s.at_confidence),
        "percentiles": pct,
        "standard_errors": se,
    })
}

/// `finish_date`: the duration's statistics as ISO dates.
fn dates(d: &DateSummary) -> Value {
    let mut pct = Map::new();
    for (k, v) in &d.percentiles {
        pct.insert(format!("p{k}"), json!(v.to_string()));
    }
    json!({
        "deterministic": d.deterministic.to_string(),
        "min": d.min.to_string(),
        "max": d.max.to_string(),
        "at_confidence": d.at_confidence.to_string(),
        "percentiles": pct,
    })
}

/// The JSON value of a report (exposed for tests and for other tools).
pub fn to_value(r: &Report) -> Value {
    let mut v = json!({
        "p80_version": env!("CARGO_PKG_VERSION"),
        "project": r.project,
        "currency": r.currency,
        "iterations": r.iterations,
        "seed": r.seed,
        "confidence": r.confidence,
        "sampling": match r.sampling {
            crate::model::Sampling::Random => "random",
            crate::model::Sampling::LatinHypercube => "lhs",
        },
        "iterations_chosen": if r.auto_iterations { "auto" } else { "fixed" },
        "duration": measure(&r.duration, "working days", r.iterations),
        "cost": measure(&r.cost, &r.currency, r.iterations),
        "buffer": {
            "schedule_days": round6(r.buffer.schedule_days),
            "cost_reserve": round6(r.buffer.cost_reserve),
        },
    });
    // With a start date only: later keys extend the contract, never change it.
    if let (Some(c), Some(d), Value::Object(o)) = (&r.calendar, &r.finish_date, &mut v) {
        o.insert("start".into(), json!(c.start().to_string()));
        o.insert("finish_date".into(), dates(d));
        if let Some(dl) = &r.deadline {
            o.insert(
                "deadline".into(),
                json!({
                    "date": dl.date.to_string(),
                    "probability": round6(dl.probability),
                    "working_days": dl.working_days,
                }),
            );
        }
    }
    if let (Some(u), Value::Object(o)) = (&r.range_rule, &mut v) {
        o.insert(
            "range_rule".into(),
            json!({
                "multipliers": u.rule.0,
                "tasks": u.tasks,
                "note": u.sentence(),
            }),
        );
    }
    if let (Some(b), Value::Object(o)) = (&r.budget, &mut v) {
        o.insert(
            "budget".into(),
            json!({
                "amount": round6(b.amount),
                "probability": round6(b.probability),
            }),
        );
    }
    v
}

impl Artefact for SummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let mut out = serde_json::to_vec_pretty(&to_value(r))
            .map_err(|e| Error::Output(format!("summary.json: {e}")))?;
        out.push(b'\n');
        Ok(out)
    }
}
