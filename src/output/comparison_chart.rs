//! `comparison.png`: the scenarios' S-curves (cumulative probability of the project duration
//! and of the project cost) overlaid, one colour per scenario, in two stacked panels of one
//! 1200 × 900 image, with a dot where each curve reaches the confidence level.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::axis::AxisFormat;
use super::chart::frame::{self, Area, X_TICKS};
use super::chart::palette::{self, MUTED_TEXT};
use super::chart::text::bold_style;
use super::chart::{err, ChartError, Frame, LegendItem, Swatch};
use super::format::{confidence_label, plural, thousands};
use super::Artefact;
use crate::error::{Error, Result};
use crate::stats::{Comparison, Summary};

/// Width of the image in pixels.
pub const WIDTH: u32 = frame::WIDTH;
/// Height of the image in pixels.
pub const HEIGHT: u32 = 900;

/// The legend sits 2 pixels below the family's default (as it always has: moving it would
/// change every comparison.png).
const LEGEND_Y: i32 = frame::LEGEND_Y + 2;
const CUM_MAX: f64 = 104.0;

/// The colour of scenario `i` (0 is the baseline).
pub fn colour(i: usize) -> RGBColor {
    palette::series(i)
}

/// The line width of scenario `i`'s curves: 5 pixels for the baseline, one less for each
/// following scenario, at least 2.
fn line_width(i: usize) -> u32 {
    5u32.saturating_sub(i as u32).max(2)
}

/// Writes `comparison.png`.
pub struct ComparisonChart;

impl Artefact<Comparison> for ComparisonChart {
    fn file_name(&self) -> &'static str {
        "comparison.png"
    }

    fn render(&self, comparison: &Comparison) -> Result<Vec<u8>> {
        render_png(comparison).map_err(|e| Error::Output(format!("comparison.png: {e}")))
    }
}

/// One panel: the axis title and each scenario's summary of the measure.
struct Panel<'a> {
    x_label: String,
    summaries: Vec<&'a Summary>,
}

/// Renders the chart to PNG bytes (no file I/O). Deterministic: same input, same bytes.
pub fn render_png(comparison: &Comparison) -> Result<Vec<u8>, ChartError> {
    let Some(first) = comparison.baseline().map(|b| &b.report) else {
        return Err(ChartError("no scenarios to plot".into()));
    };
    for sc in &comparison.scenarios {
        for s in [&sc.report.duration, &sc.report.cost] {
            if s.curve.points.is_empty() || !s.min.is_finite() || !s.max.is_finite() {
                return Err(ChartError(format!(
                    "scenario `{}` has no finite simulated values",
                    sc.name
                )));
            }
        }
    }
    let n = first.iterations;
    let subtitle = format!(
        "{} iteration{} per scenario   ·   seed {}   ·   the same random numbers for the same \
         tasks in every scenario   ·   dots at {}",
        thousands(n as f64, 0),
        plural(n),
        first.seed,
        confidence_label(first.confidence)
    );
    // Legend lines at least 3 pixels thick, so that thin ones still show their colour.
    let legend = comparison
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, sc)| LegendItem::new(Swatch::line(colour(i), line_width(i).max(3)), &sc.name))
        .collect();
    let cost_label = if first.currency.is_empty() {
        "Project cost".to_string()
    } else {
        format!("Project cost ({})", first.currency)
    };
    let duration = Panel {
        x_label: "Project duration (working days)".into(),
        summaries: comparison
            .scenarios
            .iter()
            .map(|sc| &sc.report.duration)
            .collect(),
    };
    let cost = Panel {
        x_label: cost_label,
        summaries: comparison
            .scenarios
            .iter()
            .map(|sc| &sc.report.cost)
            .collect(),
    };
    Frame::new(format!("Scenario comparison: {}", first.project))
        .size(WIDTH, HEIGHT)
        .subtitle(subtitle)
        .legend(legend)
        .legend_at(LEGEND_Y)
        .render(|body| {
            let panels = body.split_evenly((2, 1));
            draw_panel(&panels[0], &duration, first.confidence)?;
            draw_panel(&panels[1], &cost, first.confidence)
        })
}

/// One panel: every scenario's S-curve, guides at P50 and the confidence, and a dot where each
/// curve reaches the confidence.
fn draw_panel(area: &Area, panel: &Panel, confidence: f64) -> Result<(), ChartError> {
    let (lo, hi) = panel
        .summaries
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
            (lo.min(s.min), hi.max(s.max))
        });
    let (lo, hi) = frame::widen_if_flat(lo, hi);
    let x = frame::padded(lo, hi)?;
    let (lo, hi) = (x.start, x.end);
    // Two panels share the body: tighter margins than a single plot.
    let mut chart = frame::plot(area, false)
        .margin_top(8)
        .margin_bottom(8)
        .x_label_area_size(56)
        .build_cartesian_2d(lo..hi, 0.0..CUM_MAX)
        .map_err(err)?;
    let x_fmt = AxisFormat::for_axis(lo, hi, X_TICKS, true);
    let x_formatter = |v: &f64| x_fmt.format(*v);
    let y_formatter = |v: &f64| {
        if *v > 100.0 + 1e-9 {
            String::new()
        } else {
            format!("{v:.0}")
        }
    };
    frame::style_mesh(&mut chart.configure_mesh())
        .y_labels(6)
        .y_max_light_lines(1)
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc(panel.x_label.as_str())
        .y_desc("Cumulative probability (%)")
        .draw()
        .map_err(err)?;

    // Guides at P50 and at the confidence level, labelled at the left end.
    let conf = confidence * 100.0;
    let mut guides = vec![(50.0, "P50".to_string())];
    if (conf - 50.0).abs() > 1e-9 {
        guides.push((conf, confidence_label(confidence)));
    }
    for (q, label) in &guides {
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(lo, *q), (hi, *q)],
                6,
                5,
                MUTED_TEXT.mix(0.7).stroke_width(1),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                label.clone(),
                (lo, *q),
                bold_style(14.0, MUTED_TEXT).pos(Pos::new(HPos::Left, VPos::Bottom)),
            )))
            .map_err(err)?;
    }

    // The curves in order, each a little thinner than the one before (down to 2 pixels), so
    // that curves that coincide (a scenario that changes only the cost leaves the duration
    // curve as it was) show as nested stripes rather than hiding one another.
    for (i, s) in panel.summaries.iter().enumerate() {
        chart
            .draw_series(LineSeries::new(
                s.curve.percent(),
                colour(i).stroke_width(line_width(i)),
            ))
            .map_err(err)?;
    }
    for (i, s) in panel.summaries.iter().enumerate() {
        let at = s.at_confidence;
        chart
            .draw_series([
                Circle::new((at, conf), 6, WHITE.filled()),
                Circle::new((at, conf), 4, colour(i).filled()),
            ])
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testing::report;
    use crate::stats::Report;

    /// A scenario whose 2,000 durations and costs spread evenly over a range scaled by `scale`.
    fn scenario(scale: f64) -> Report {
        let v: Vec<f64> = (0..2000)
            .map(|i| scale * (8.0 + f64::from(i) / 250.0))
            .collect();
        let costs: Vec<f64> = v.iter().map(|d| 30.0 * d).collect();
        report(&v, &costs)
    }

    use crate::output::chart::testing::decode;

    #[test]
    fn renders_a_deterministic_png_with_a_title() {
        let comparison = Comparison::new(vec![
            ("baseline".to_string(), scenario(1.0)),
            ("faster".to_string(), scenario(0.8)),
            (
                "a scenario with a very long name indeed, longer than forty".to_string(),
                scenario(1.2),
            ),
        ]);
        let png = render_png(&comparison).unwrap();
        assert_eq!(png, render_png(&comparison).unwrap(), "deterministic");
        let img = decode(&png);
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        let dark = (0..40)
            .flat_map(|y| (0..WIDTH).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let p = img.get_pixel(x, y).0;
                let lum =
                    0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]);
                lum < 100.0
            })
            .count();
        assert!(dark > 300, "only {dark} dark pixels in the title band");
        // Each scenario's colour appears in the plot.
        for i in 0..3 {
            let c = colour(i);
            let n = img.pixels().filter(|p| p.0 == [c.0, c.1, c.2]).count();
            assert!(n > 200, "scenario {i}: {n} pixels of its colour");
        }
    }

    #[test]
    fn a_single_scenario_and_equal_values_do_not_panic() {
        let c = Comparison::new(vec![(
            "baseline".to_string(),
            report(&[5.0; 10], &[1.0; 10]),
        )]);
        render_png(&c).unwrap();
        assert!(render_png(&Comparison::new(Vec::new())).is_err());
    }
}
