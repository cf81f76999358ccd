//! `forecast.png`: the bootstrap's distribution in the family's distribution chart (see
//! [`super::distribution_chart`]): a histogram of the periods needed ("when") or of the items
//! done by the date ("how many"), the cumulative curve over it, and lines at the plan at the
//! average throughput, the P50 and the value at the confidence level, tagged with their
//! values (and dates, with a start date).
//!
//! For "how many" the curve falls: it is the chance of finishing at least that many items,
//! which is how its P-values read (P80 is where it crosses 80%).

use super::chart::palette::{BAR, CURVE, P50, PCONF, PLAN};
use super::chart::{Frame, LegendItem, Swatch};
use super::distribution_chart::{confidence_legend, render_body, Body, Layout, Marker};
use super::format::{confidence_label, percent, plural, thousands};
use super::Artefact;
use crate::error::{Error, Result};
use crate::stats::forecast::{Answer, ForecastReport};

/// Writes `forecast.png`.
pub struct ForecastChart;

impl Artefact<ForecastReport> for ForecastChart {
    fn file_name(&self) -> &'static str {
        "forecast.png"
    }

    fn render(&self, r: &ForecastReport) -> Result<Vec<u8>> {
        render(r).map_err(|e| Error::Output(format!("forecast.png: {e}")))
    }
}

/// " · search" for a named forecast.
fn name_suffix(r: &ForecastReport) -> String {
    match r.label.strip_prefix("[forecast.") {
        Some(n) => format!(" · {}", n.trim_end_matches(']')),
        None => String::new(),
    }
}

fn render(r: &ForecastReport) -> Result<Vec<u8>, super::chart::ChartError> {
    let conf = confidence_label(r.confidence);
    let n = r.iterations;
    let h = &r.history;
    let history = format!(
        "{} iteration{} resampling {} period{} ({}–{} items, mean {})",
        thousands(n as f64, 0),
        plural(n),
        h.used,
        plural(h.used),
        thousands(f64::from(h.min), 0),
        thousands(f64::from(h.max), 0),
        thousands(h.mean, 1)
    );
    let (min, max) = (r.range.0 as f64, r.range.1 as f64);
    let start = r
        .calendar
        .as_ref()
        .map(|c| format!(" from {}", c.start()))
        .unwrap_or_default();
    let plan_legend = "Plan (average throughput)";
    let (title, subtitle, x_label, curve_label, curve_legend, markers) = match &r.answer {
        Answer::When {
            items,
            rows,
            at_confidence,
            plan,
            plan_met,
            ..
        } => {
            let p50 = rows.iter().find(|row| (row.level - 0.5).abs() < 1e-12);
            let tag = |prefix: &str, periods: u64, date: Option<chrono::NaiveDate>| match date {
                Some(d) => format!("{prefix} {periods} · {d}"),
                None => format!("{prefix} {periods}"),
            };
            let mut markers = Vec::new();
            if let Some(p) = plan {
                markers.push((
                    Marker {
                        value: p.periods as f64,
                        label: tag("Plan", p.periods, p.date),
                        colour: PLAN,
                        dash: Some((5, 5)),
                        on_curve: None,
                    },
                    plan_legend.to_string(),
                ));
            }
            if let Some(p) = p50 {
                markers.push((
                    Marker {
                        value: p.periods as f64,
                        label: tag("P50", p.periods, p.date),
                        colour: P50,
                        dash: Some((12, 6)),
                        on_curve: Some(50.0),
                    },
                    "P50 (median)".to_string(),
                ));
            }
            markers.push((
                Marker {
                    value: at_confidence.periods as f64,
                    label: tag(&conf, at_confidence.periods, at_confidence.date),
                    colour: PCONF,
                    dash: None,
                    on_curve: Some(r.confidence * 100.0),
                },
                confidence_legend(r.confidence),
            ));
            let items = if items.0 == items.1 {
                format!("{} items", thousands(items.0 as f64, 0))
            } else {
                format!(
                    "{}–{} items",
                    thousands(items.0 as f64, 0),
                    thousands(items.1 as f64, 0)
                )
            };
            let met = plan_met
                .map(|m| format!("   ·   {} within the plan", percent(m)))
                .unwrap_or_default();
            (
                format!(
                    "When will the backlog be done? {}{}",
                    r.project,
                    name_suffix(r)
                ),
                format!("{history}   ·   {items}{met}"),
                format!(
                    "Periods of {} working day{}{start}",
                    r.period_length,
                    plural(r.period_length as usize)
                ),
                "Cumulative probability (%)",
                "S-curve (right axis)",
                markers,
            )
        }
        Answer::HowMany {
            date,
            periods,
            rows,
            at_confidence,
            plan,
            plan_met,
            ..
        } => {
            let p50 = rows.iter().find(|row| (row.level - 0.5).abs() < 1e-12);
            let mut markers = vec![(
                Marker {
                    value: *plan,
                    label: format!("Plan {}", thousands(*plan, 1)),
                    colour: PLAN,
                    dash: Some((5, 5)),
                    on_curve: None,
                },
                plan_legend.to_string(),
            )];
            if let Some(p) = p50 {
                markers.push((
                    Marker {
                        value: p.items as f64,
                        label: format!("P50 {}", thousands(p.items as f64, 0)),
                        colour: P50,
                        dash: Some((12, 6)),
                        on_curve: Some(50.0),
                    },
                    "P50 (median)".to_string(),
                ));
            }
            markers.push((
                Marker {
                    value: at_confidence.items as f64,
                    label: format!("{conf} {}", thousands(at_confidence.items as f64, 0)),
                    colour: PCONF,
                    dash: None,
                    on_curve: Some(r.confidence * 100.0),
                },
                confidence_legend(r.confidence),
            ));
            (
                format!("How many items by {date}? {}{}", r.project, name_suffix(r)),
                format!(
                    "{history}   ·   {periods} whole period{} of {} working days   ·   {} reach the plan",
                    plural(*periods as usize),
                    r.period_length,
                    percent(*plan_met)
                ),
                format!("Items done by {date}"),
                "Chance of at least this many (%)",
                "Chance of at least this many (right axis)",
                markers,
            )
        }
    };
    let values: Vec<f64> = markers.iter().map(|(m, _)| m.value).collect();
    let layout = Layout::new(min, max, &values, &r.histogram)?;
    let mut legend = vec![
        LegendItem::new(Swatch::Box(BAR), "Histogram (left axis)"),
        LegendItem::new(Swatch::line(CURVE, 3), curve_legend),
    ];
    legend.extend(
        markers
            .iter()
            .map(|(m, label)| LegendItem::new(m.swatch(), label.clone())),
    );
    let markers = markers.into_iter().map(|(m, _)| m).collect();
    let body = Body {
        x_label: &x_label,
        curve_label,
        histogram: &r.histogram,
        curve: r.curve.clone(),
        markers,
        layout,
    };
    render_body(Frame::new(title).subtitle(subtitle).legend(legend), &body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::chart::frame::{HEIGHT, WIDTH};
    use crate::stats::forecast::testing::{how_many, when};

    use crate::output::chart::testing::decode;

    #[test]
    fn both_kinds_render_deterministic_pngs_with_every_role() {
        for r in [when(true), when(false), how_many()] {
            let png = ForecastChart.render(&r).expect("render");
            assert_eq!(png, ForecastChart.render(&r).unwrap(), "deterministic");
            let img = decode(&png);
            assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
            for c in [BAR, CURVE, PLAN, P50, PCONF] {
                let n = img.pixels().filter(|p| p.0 == [c.0, c.1, c.2]).count();
                assert!(n > 50, "{c:?}: {n} pixels");
            }
        }
    }

    #[test]
    fn a_certain_forecast_is_a_point_mass() {
        let mut r = when(true);
        r.histogram = crate::stats::Histogram::of_sorted(&[4.0; 100]);
        r.range = (4, 4);
        r.curve = vec![(4.0, 0.0), (4.0, 100.0)];
        let png = ForecastChart.render(&r).expect("render");
        assert_eq!(decode(&png).dimensions(), (WIDTH, HEIGHT));
    }
}
