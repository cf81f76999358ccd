//! `duration.png` and `cost.png`: the two distribution charts as artefacts.

use super::chart::{render_png, DistributionChart};
use super::Artefact;
use crate::error::{Error, Result};
use crate::stats::{Report, Summary};

/// Writes `duration.png`.
pub struct DurationChart;
/// Writes `cost.png`.
pub struct CostChart;

fn render(title: &str, x_label: &str, sorted: &[f64], s: &Summary, r: &Report) -> Result<Vec<u8>> {
    let p50 = s.p(50).unwrap_or(f64::NAN);
    render_png(&DistributionChart {
        title,
        x_label,
        sorted,
        deterministic: s.deterministic,
        p50,
        confidence: r.confidence,
        at_confidence: s.at_confidence,
    })
    .map_err(|e| Error::Output(e.to_string()))
}

impl Artefact for DurationChart {
    fn file_name(&self) -> &'static str {
        "duration.png"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let title = format!("Project duration: {}", r.project);
        render(
            &title,
            "Duration (working days)",
            &r.sorted_durations,
            &r.duration,
            r,
        )
    }
}

impl Artefact for CostChart {
    fn file_name(&self) -> &'static str {
        "cost.png"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let title = format!("Project cost: {}", r.project);
        let label = if r.currency.is_empty() {
            "Cost".to_string()
        } else {
            format!("Cost ({})", r.currency)
        };
        render(&title, &label, &r.sorted_costs, &r.cost, r)
    }
}
