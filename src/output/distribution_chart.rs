//! `duration.png` and `cost.png`: the distribution of one simulated measure as a histogram
//! (left axis: share of iterations) with the S-curve (right axis: cumulative probability)
//! overlaid, and vertical lines at the plan, the P50 and the value at the confidence level,
//! each tagged with its value; the S-curve has a dot and a guide to the right axis where each
//! percentile line meets it. The histogram and the curve come from the report's
//! [`Summary`]; this file only lays them out.
//!
//! The chart's body ([`Body`]: bars, a curve on the right axis, tagged vertical lines, laid out
//! by [`Layout`]) is shared: `forecast.png` is the same chart of a throughput forecast.

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::chart::axis::{tick_step, AxisFormat};
use super::chart::frame::{self, Area, X_TICKS};
use super::chart::palette::{BAR, CURVE, GRID, P50, PCONF, PLAN};
use super::chart::{err, ChartError, Frame, LegendItem, Swatch, Tag};
use super::format::{confidence_label, percent, plural, thousands};
use super::Artefact;
use crate::error::{Error, Result};
use crate::stats::{Histogram, Report, Summary};

/// Writes `duration.png`.
pub struct DurationChart;
/// Writes `cost.png`.
pub struct CostChart;

impl Artefact for DurationChart {
    fn file_name(&self) -> &'static str {
        "duration.png"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        render_png(&DistributionChart {
            title: &format!("Project duration: {}", r.project),
            x_label: "Duration (working days)",
            summary: &r.duration,
            confidence: r.confidence,
        })
        .map_err(|e| Error::Output(format!("duration.png: {e}")))
    }
}

impl Artefact for CostChart {
    fn file_name(&self) -> &'static str {
        "cost.png"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let label = if r.currency.is_empty() {
            "Cost".to_string()
        } else {
            format!("Cost ({})", r.currency)
        };
        render_png(&DistributionChart {
            title: &format!("Project cost: {}", r.project),
            x_label: &label,
            summary: &r.cost,
            confidence: r.confidence,
        })
        .map_err(|e| Error::Output(format!("cost.png: {e}")))
    }
}

/// Everything one distribution chart shows.
pub struct DistributionChart<'a> {
    /// Chart title, e.g. "Project duration: Defect detection MVP".
    pub title: &'a str,
    /// X axis title, e.g. "Duration (working days)" or "Cost (USD)".
    pub x_label: &'a str,
    /// The measure: its plan value, percentiles, histogram and S-curve.
    pub summary: &'a Summary,
    /// The confidence level whose value is marked, e.g. 0.8.
    pub confidence: f64,
}

/// Cumulative axis headroom above 100% (room for the dots at the top).
const CUM_MAX: f64 = 104.0;
/// Labelled ticks on the share axis.
const Y_TICKS: usize = 8;

/// A vertical line at a value, with its tag.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Where the line is.
    pub value: f64,
    /// Its tag, e.g. "P80 118.9".
    pub label: String,
    /// Its colour.
    pub colour: RGBColor,
    /// Dash and gap, or `None` for a solid line.
    pub dash: Option<(u32, u32)>,
    /// Cumulative probability (percent) at which the line meets the S-curve: a dot there and
    /// a guide to the right axis.
    pub on_curve: Option<f64>,
}

impl Marker {
    /// The marker's legend swatch.
    pub fn swatch(&self) -> Swatch {
        Swatch::Line {
            colour: self.colour,
            width: 2,
            dash: self.dash,
        }
    }
}

/// The x range of a distribution chart and where its histogram's bars go.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// The x axis.
    pub x: std::ops::Range<f64>,
    /// Where the bars are drawn (a point mass gets a visible width).
    bars: Bars,
}

impl Layout {
    /// The x range for values from `min` to `max` with vertical lines at `markers` (widened if
    /// they are all equal), covering the histogram's bars (a point mass drawn 1/40 of that
    /// range wide), padded.
    pub fn new(
        min: f64,
        max: f64,
        markers: &[f64],
        hist: &Histogram,
    ) -> Result<Layout, ChartError> {
        let (lo, hi) = markers
            .iter()
            .fold((min, max), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        let (lo, hi) = frame::widen_if_flat(lo, hi);
        let (bar_start, bar_width) = if hist.width > 0.0 {
            (hist.start, hist.width)
        } else {
            let w = (hi - lo) / 40.0;
            (hist.start - w / 2.0, w)
        };
        let bar_end = bar_start + bar_width * hist.counts.len() as f64;
        Ok(Layout {
            x: frame::padded(lo.min(bar_start), hi.max(bar_end))?,
            bars: Bars {
                start: bar_start,
                width: bar_width,
            },
        })
    }

    /// The format of values marked on this x axis (one decimal more than its ticks).
    pub fn marker_format(&self) -> AxisFormat {
        let (lo, hi) = (self.x.start, self.x.end);
        AxisFormat::for_markers(lo, hi, tick_step(lo, hi, X_TICKS))
    }
}

/// The body of a distribution chart: a histogram (left axis: share of iterations) with a
/// cumulative curve over it (right axis) and tagged vertical lines.
pub struct Body<'a> {
    /// X axis title.
    pub x_label: &'a str,
    /// Right axis title, e.g. "Cumulative probability (%)".
    pub curve_label: &'a str,
    /// The bars.
    pub histogram: &'a Histogram,
    /// The curve's points, (value, percent).
    pub curve: Vec<(f64, f64)>,
    /// The vertical lines.
    pub markers: Vec<Marker>,
    /// The x range and the bars' placement.
    pub layout: Layout,
}

/// Renders a distribution chart: `frame` (title, subtitle, legend) around `body`.
/// Deterministic: same input, same bytes.
pub fn render_body(frame: Frame, body: &Body) -> Result<Vec<u8>, ChartError> {
    frame.render(|area| draw_body(area, body))
}

/// Renders the chart to PNG bytes (no file I/O). Deterministic: same input, same bytes.
/// Invalid input (no values, non-finite values, a confidence outside 0..=1) is an error.
pub fn render_png(c: &DistributionChart) -> Result<Vec<u8>, ChartError> {
    validate(c)?;
    let s = c.summary;
    let p50 = s.p(50).unwrap_or(f64::NAN);
    let label = confidence_label(c.confidence);

    let hist = &s.histogram;
    let layout = Layout::new(s.min, s.max, &[s.deterministic, p50, s.at_confidence], hist)?;
    let marker_fmt = layout.marker_format();
    let value = |v: f64| marker_fmt.format(v);
    let markers = vec![
        Marker {
            value: s.deterministic,
            label: format!("Plan {}", value(s.deterministic)),
            colour: PLAN,
            dash: Some((5, 5)),
            on_curve: None,
        },
        Marker {
            value: p50,
            label: format!("P50 {}", value(p50)),
            colour: P50,
            dash: Some((12, 6)),
            on_curve: Some(50.0),
        },
        Marker {
            value: s.at_confidence,
            label: format!("{label} {}", value(s.at_confidence)),
            colour: PCONF,
            dash: None,
            on_curve: Some(c.confidence * 100.0),
        },
    ];

    let n = hist.total;
    let range = if n == 1 {
        format!("value {}", value(s.min))
    } else if s.max > s.min {
        format!("range {} – {}", value(s.min), value(s.max))
    } else {
        format!("all values {}", value(s.min))
    };
    let subtitle = format!(
        "{} iteration{}   ·   {range}   ·   {} of iterations at or below plan",
        thousands(n as f64, 0),
        plural(n),
        percent(s.at_or_below_plan)
    );
    let legend = vec![
        LegendItem::new(Swatch::Box(BAR), "Histogram (left axis)"),
        LegendItem::new(Swatch::line(CURVE, 3), "S-curve (right axis)"),
        LegendItem::new(markers[0].swatch(), "Plan (most-likely estimates)"),
        LegendItem::new(markers[1].swatch(), "P50 (median)"),
        LegendItem::new(markers[2].swatch(), confidence_legend(c.confidence)),
    ];
    let body = Body {
        x_label: c.x_label,
        curve_label: "Cumulative probability (%)",
        histogram: hist,
        curve: s.curve.percent().collect(),
        markers,
        layout,
    };
    render_body(Frame::new(c.title).subtitle(subtitle).legend(legend), &body)
}

/// The legend label of the confidence line: "P80 (80% confidence)", "P97.5 (97.5% confidence)".
pub fn confidence_legend(confidence: f64) -> String {
    let label = confidence_label(confidence);
    format!("{label} ({}% confidence)", &label[1..])
}

/// Where the histogram's bars are drawn (a point mass gets a visible width).
#[derive(Debug, Clone, PartialEq)]
struct Bars {
    start: f64,
    width: f64,
}

fn draw_body(area: &Area, b: &Body) -> Result<(), ChartError> {
    let (lo, hi) = (b.layout.x.start, b.layout.x.end);
    let bars = &b.layout.bars;
    let markers = &b.markers;
    // The share axis leaves the top quarter free for the tags.
    let y_max = (b.histogram.max_percent() * 1.38).max(1e-9);
    let mut chart = frame::plot(area, true)
        .build_cartesian_2d(lo..hi, 0.0..y_max)
        .map_err(err)?
        .set_secondary_coord(lo..hi, 0.0..CUM_MAX);

    let x_fmt = AxisFormat::for_axis(lo, hi, X_TICKS, true);
    let y_fmt = AxisFormat::for_axis(0.0, y_max, Y_TICKS, false);
    let x_formatter = |v: &f64| x_fmt.format(*v);
    // Shares above 100 % only exist as headroom for the tags.
    let y_formatter = |v: &f64| {
        if *v > 100.0 + 1e-9 {
            String::new()
        } else {
            y_fmt.format(*v)
        }
    };
    let pct_formatter = |v: &f64| format!("{v:.0}");
    frame::style_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .y_labels(Y_TICKS)
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc(b.x_label)
        .y_desc("Share of iterations (%)")
        .draw()
        .map_err(err)?;
    frame::style_secondary_axes(&mut chart.configure_secondary_axes())
        .y_labels(6)
        .y_label_formatter(&pct_formatter)
        .y_desc(b.curve_label)
        .draw()
        .map_err(err)?;

    // Horizontal grid lines for the cumulative axis (every 20 %).
    chart
        .draw_secondary_series((1..=5).map(|k| {
            let q = k as f64 * 20.0;
            PathElement::new(vec![(lo, q), (hi, q)], GRID.stroke_width(1))
        }))
        .map_err(err)?;

    // Histogram bars, with a small gap between neighbours.
    let shares = b.histogram.bins().map(|b| b.2);
    chart
        .draw_series(
            shares
                .enumerate()
                .filter(|&(_, share)| share > 0.0)
                .map(|(i, share)| {
                    let x0 = bars.start + bars.width * i as f64;
                    let x1 = x0 + bars.width;
                    let gap = (x1 - x0) * 0.06;
                    Rectangle::new([(x0 + gap, 0.0), (x1 - gap, share)], BAR.filled())
                }),
        )
        .map_err(err)?;

    // Guides from the S-curve to the right axis at the marked probabilities.
    for m in markers {
        if let Some(q) = m.on_curve {
            chart
                .draw_secondary_series(std::iter::once(DashedPathElement::new(
                    vec![(m.value, q), (hi, q)],
                    3,
                    4,
                    m.colour.mix(0.8).stroke_width(1),
                )))
                .map_err(err)?;
        }
    }

    // The S-curve.
    chart
        .draw_secondary_series(LineSeries::new(
            b.curve.iter().copied(),
            CURVE.stroke_width(3),
        ))
        .map_err(err)?;

    // Marker lines.
    let y_top = y_max;
    for m in markers {
        let pts = vec![(m.value, 0.0), (m.value, y_top)];
        let style = m.colour.stroke_width(2);
        match m.dash {
            Some((dash, gap)) => chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    pts, dash, gap, style,
                )))
                .map(|_| ()),
            None => chart
                .draw_series(std::iter::once(PathElement::new(pts, style)))
                .map(|_| ()),
        }
        .map_err(err)?;
    }

    // Dots where the percentile lines meet the S-curve.
    for m in markers {
        if let Some(q) = m.on_curve {
            chart
                .draw_secondary_series([
                    Circle::new((m.value, q), 6, WHITE.filled()),
                    Circle::new((m.value, q), 4, m.colour.filled()),
                ])
                .map_err(err)?;
        }
    }

    // Tags, left to right by value.
    let mut order: Vec<usize> = (0..markers.len()).collect();
    order.sort_by(|&a, &b| markers[a].value.total_cmp(&markers[b].value));
    let tags: Vec<Tag> = order
        .into_iter()
        .map(|i| Tag {
            x: chart.backend_coord(&(markers[i].value, 0.0)).0,
            label: markers[i].label.clone(),
            colour: markers[i].colour,
        })
        .collect();
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    drop(chart);
    frame::draw_tags(area, &tags, plot_x, plot_y)
}

fn validate(c: &DistributionChart) -> Result<(), ChartError> {
    let s = c.summary;
    if s.histogram.total == 0 {
        return Err(ChartError("no simulated values to plot".into()));
    }
    if !s.min.is_finite() || !s.max.is_finite() {
        return Err(ChartError(
            "simulated values contain NaN or infinity".into(),
        ));
    }
    for (name, v) in [
        ("plan value", s.deterministic),
        ("P50", s.p(50).unwrap_or(f64::NAN)),
        ("value at confidence", s.at_confidence),
    ] {
        if !v.is_finite() {
            return Err(ChartError(format!("{name} is not a finite number")));
        }
    }
    if !(0.0..=1.0).contains(&c.confidence) {
        return Err(ChartError(format!(
            "confidence {} is outside 0..=1",
            c.confidence
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::chart::frame::{HEIGHT, WIDTH};
    use crate::stats::summary::sorted;

    /// Deterministic, sorted, right-skewed sample (quantiles of a triangular distribution on
    /// [lo, hi] with mode `mode`).
    fn triangular_sample(n: usize, lo: f64, mode: f64, hi: f64) -> Vec<f64> {
        let fc = (mode - lo) / (hi - lo);
        (0..n)
            .map(|i| {
                let u = (i as f64 + 0.5) / n as f64;
                if u < fc {
                    lo + (u * (hi - lo) * (mode - lo)).sqrt()
                } else {
                    hi - ((1.0 - u) * (hi - lo) * (hi - mode)).sqrt()
                }
            })
            .collect()
    }

    /// The summary of `values` with the plan at their 20th percentile.
    fn summary(values: &[f64]) -> Summary {
        let v = sorted(values);
        let plan = v[((v.len() - 1) as f64 * 0.2).round() as usize];
        Summary::from_sorted(&v, plan, 0.8)
    }

    fn render(s: &Summary) -> Result<Vec<u8>, ChartError> {
        render_png(&DistributionChart {
            title: "Project duration: Test project",
            x_label: "Duration (working days)",
            summary: s,
            confidence: 0.8,
        })
    }

    use crate::output::chart::testing::decode;

    fn dark_pixels_in_title_band(img: &image::RgbImage) -> usize {
        (0..40)
            .flat_map(|y| (0..WIDTH).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let p = img.get_pixel(x, y).0;
                0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]) < 100.0
            })
            .count()
    }

    #[test]
    fn renders_a_deterministic_png_with_a_title() {
        let s = summary(&triangular_sample(10_000, 80.0, 90.0, 130.0));
        let png = render(&s).expect("render");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(png, render(&s).expect("render"), "deterministic");
        let img = decode(&png);
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        let dark = dark_pixels_in_title_band(&img);
        assert!(dark > 300, "only {dark} dark pixels in the title band");
        // Bars, curve and the three marker colours are drawn.
        for c in [BAR, CURVE, PLAN, P50, PCONF] {
            let n = img.pixels().filter(|p| p.0 == [c.0, c.1, c.2]).count();
            assert!(n > 50, "{c:?}: {n} pixels");
        }
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let png = render(&summary(&[42.0; 500])).expect("all equal");
        assert_eq!(decode(&png).dimensions(), (WIDTH, HEIGHT));
        render(&summary(&[7.5])).expect("single value");
        render(&summary(&[0.0])).expect("single zero");
        render(&summary(&[1e12, 1e12 + 1.0])).expect("huge values");
        render(&summary(&[1e300; 3])).expect("large equal values");

        // Markers far outside the data, negative values.
        let mut s = summary(&[-3.0, -1.0, 2.0]);
        s.deterministic = -50.0;
        s.at_confidence = 1e6;
        render(&s).expect("markers outside the data");

        // Unplottable spans are errors, not panics.
        assert!(render(&summary(&[-f64::MAX, f64::MAX])).is_err());
    }

    #[test]
    fn the_confidence_is_labelled_as_everywhere_else() {
        assert_eq!(confidence_legend(0.8), "P80 (80% confidence)");
        // Was "P98 (98% confidence)" while the console and summary.csv said P97.5.
        assert_eq!(confidence_legend(0.975), "P97.5 (97.5% confidence)");
    }

    #[test]
    fn invalid_inputs_are_errors() {
        let mut s = summary(&[1.0, 2.0]);
        s.histogram.total = 0;
        assert!(render(&s).is_err());
        let mut s = summary(&[1.0, 2.0]);
        s.max = f64::NAN;
        assert!(render(&s).is_err());
        let s = summary(&[1.0, 2.0]);
        let chart = DistributionChart {
            title: "t",
            x_label: "x",
            summary: &s,
            confidence: 1.5,
        };
        assert!(render_png(&chart).is_err());
    }
}
