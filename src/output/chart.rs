//! Distribution chart rendering: a histogram of simulated outcomes with the
//! S-curve (empirical cumulative probability) overlaid, as a PNG image.
//!
//! [`render_png`] draws one 1200×700 chart containing
//!
//! * a histogram of the simulated values (left axis: share of iterations, %),
//!   with up to 60 "nice" bins chosen from the data range (integer-valued data
//!   such as whole working days gets integer-width bins centred on the values,
//!   so there are no aliasing gaps);
//! * the S-curve, i.e. the empirical cumulative probability 0–100 % (right
//!   axis): an exact step curve for small samples (≤ 250 values), otherwise
//!   sampled at 250 evenly spaced x positions, with dots where it meets the
//!   P50 and confidence lines;
//! * vertical marker lines for the plan (deterministic) value, P50 and the
//!   chosen confidence level (e.g. P80), each labelled with its value; labels
//!   are kept inside the plot area and staggered vertically so they never
//!   overlap each other;
//! * a title, a subtitle with the iteration count, the range and the share of
//!   iterations at or below plan, a legend, and axis titles.
//!
//! Guarantees:
//!
//! * no file I/O: the result is the PNG file content as bytes;
//! * deterministic: the same input always produces the same bytes;
//! * self-contained text rendering: the DejaVu Sans font bundled by the
//!   `dejavu` crate is registered with plotters (once per process) under the
//!   family name `"sans-serif"`, so text is drawn even on machines without
//!   system fonts;
//! * no panics on degenerate input (a single value, all values equal, markers
//!   outside the data range); invalid input (no values, NaN or infinite
//!   values, a confidence outside 0..=1) is reported as a [`ChartError`].

use std::sync::OnceLock;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ColorType, ImageEncoder};
use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Width of the rendered image in pixels.
pub const WIDTH: u32 = 1200;
/// Height of the rendered image in pixels.
pub const HEIGHT: u32 = 700;

/// Font family name under which the bundled DejaVu Sans font is registered.
const FONT_FAMILY: &str = "sans-serif";

// Layout (pixels).
const HEADER_HEIGHT: u32 = 104;
const TITLE_Y: i32 = 12;
const SUBTITLE_Y: i32 = 50;
const LEGEND_Y: i32 = 84;
const SIDE_MARGIN: u32 = 14;

// Palette.
pub(crate) const TEXT: RGBColor = RGBColor(25, 25, 25);
pub(crate) const MUTED_TEXT: RGBColor = RGBColor(85, 85, 85);
pub(crate) const GRID: RGBColor = RGBColor(228, 228, 228);
pub(crate) const LIGHT_GRID: RGBColor = RGBColor(243, 243, 243);
pub(crate) const AXIS: RGBColor = RGBColor(110, 110, 110);
const BAR: RGBColor = RGBColor(164, 196, 230);
pub(crate) const CURVE: RGBColor = RGBColor(22, 45, 115);
const PLAN: RGBColor = RGBColor(75, 75, 75);
pub(crate) const P50: RGBColor = RGBColor(0, 128, 80);
pub(crate) const PCONF: RGBColor = RGBColor(205, 60, 20);

/// Everything needed to draw one distribution chart (histogram + S-curve).
pub struct DistributionChart<'a> {
    /// Chart title, e.g. "Project duration — Defect detection MVP".
    pub title: &'a str,
    /// X axis title, e.g. "Duration (working days)" or "Cost (USD)".
    pub x_label: &'a str,
    /// The simulated values, sorted ascending, len >= 1.
    pub sorted: &'a [f64],
    /// Plan value from most-likely durations.
    pub deterministic: f64,
    /// Median of the simulated values.
    pub p50: f64,
    /// Confidence level of the highlighted percentile, e.g. 0.8.
    pub confidence: f64,
    /// Value at the confidence level (e.g. P80).
    pub at_confidence: f64,
}

/// Errors while drawing or encoding.
#[derive(Debug, thiserror::Error)]
#[error("could not draw chart: {0}")]
pub struct ChartError(pub String);

/// Renders the chart to PNG bytes (no file I/O). Deterministic: same input, same bytes.
pub fn render_png(chart: &DistributionChart) -> Result<Vec<u8>, ChartError> {
    validate(chart)?;
    ensure_fonts()?;
    let mut rgb = vec![255u8; WIDTH as usize * HEIGHT as usize * 3];
    draw(&mut rgb, chart)?;
    encode_png(&rgb)
}

/// Formats a value for display in labels: thousands separators, and a number
/// of decimals suited to its magnitude (`412,350`, `1,234.5`, `93.4`, `3.14`).
pub fn format_value(v: f64) -> String {
    let a = v.abs();
    let decimals = if a >= 10_000.0 {
        0
    } else if a >= 10.0 {
        1
    } else {
        2
    };
    format_fixed(v, decimals)
}

pub(crate) fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError(e.to_string())
}

fn validate(c: &DistributionChart) -> Result<(), ChartError> {
    if c.sorted.is_empty() {
        return Err(ChartError("no simulated values to plot".into()));
    }
    if c.sorted.iter().any(|v| !v.is_finite()) {
        return Err(ChartError(
            "simulated values contain NaN or infinity".into(),
        ));
    }
    for (name, v) in [
        ("plan value", c.deterministic),
        ("P50", c.p50),
        ("value at confidence", c.at_confidence),
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

/// Registers the bundled DejaVu Sans font with plotters, once per process.
pub(crate) fn ensure_fonts() -> Result<(), ChartError> {
    static FONTS: OnceLock<Result<(), String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            register_font(FONT_FAMILY, FontStyle::Normal, dejavu::sans::regular())
                .map_err(|_| "the bundled DejaVu Sans font could not be loaded".to_string())?;
            register_font(FONT_FAMILY, FontStyle::Bold, dejavu::sans::bold())
                .map_err(|_| "the bundled DejaVu Sans Bold font could not be loaded".to_string())
        })
        .clone()
        .map_err(ChartError)
}

fn encode_png(rgb: &[u8]) -> Result<Vec<u8>, ChartError> {
    encode_png_sized(rgb, WIDTH, HEIGHT)
}

/// Encodes a `width` × `height` RGB buffer as PNG (the same settings for every chart).
pub(crate) fn encode_png_sized(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(rgb, width, height, ColorType::Rgb8)
        .map_err(|e| ChartError(format!("PNG encoding failed: {e}")))?;
    Ok(out)
}

fn font_style(size: f64, style: FontStyle, color: RGBColor) -> TextStyle<'static> {
    let mut text = TextStyle::from(FontDesc::new(FontFamily::Name(FONT_FAMILY), size, style));
    text.color = color.to_backend_color();
    text
}

pub(crate) fn text_style(size: f64, color: RGBColor) -> TextStyle<'static> {
    font_style(size, FontStyle::Normal, color)
}

pub(crate) fn bold_style(size: f64, color: RGBColor) -> TextStyle<'static> {
    font_style(size, FontStyle::Bold, color)
}

/// Draws `text` centred horizontally at `(centre, y)`, shrinking the font one point at a
/// time from `size` (down to `min`) until it is at most `max_width` pixels wide.
#[allow(clippy::too_many_arguments)]
pub(crate) fn draw_centred_fitting(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    text: &str,
    style: fn(f64, RGBColor) -> TextStyle<'static>,
    color: RGBColor,
    mut size: f64,
    min: f64,
    max_width: u32,
    (centre, y): (i32, i32),
) -> Result<(), ChartError> {
    let mut st = style(size, color);
    while size > min && root.estimate_text_size(text, &st).map_err(err)?.0 > max_width {
        size -= 1.0;
        st = style(size, color);
    }
    root.draw_text(
        text,
        &st.pos(Pos::new(HPos::Center, VPos::Top)),
        (centre, y),
    )
    .map_err(err)
}

// ---------------------------------------------------------------------------
// Number formatting
// ---------------------------------------------------------------------------

/// Formats `v` with `decimals` decimals and `,` thousands separators.
pub(crate) fn format_fixed(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    // "-0.0" and friends are shown without the sign.
    if v < 0.0 && s.bytes().any(|b| matches!(b, b'1'..=b'9')) {
        out.push('-');
    }
    let digits = int_part.len();
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (digits - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac_part {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Smallest number of decimals (at most 6) that shows `step` exactly.
fn decimals_for_step(step: f64) -> usize {
    let step = step.abs();
    if step == 0.0 || !step.is_finite() {
        return 0;
    }
    (0..6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(6)
}

/// Spacing of the labelled ticks plotters draws for `lo..hi` with at most
/// `max_ticks` labels (the whole range if there is only one tick).
pub(crate) fn tick_step(lo: f64, hi: f64, max_ticks: usize) -> f64 {
    let ticks = RangedCoordf64::from(lo..hi).key_points(max_ticks);
    ticks
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min)
        .min(hi - lo)
}

/// Decimals for plain marker values, see [`AxisFormat::for_markers`].
fn marker_decimals(step: f64) -> usize {
    if step >= 100.0 {
        0
    } else {
        (decimals_for_step(step) + 1).min(6)
    }
}

/// Consistent formatting for all tick labels of one axis.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AxisFormat {
    divisor: f64,
    suffix: &'static str,
    decimals: usize,
}

impl AxisFormat {
    /// Chooses a unit suffix (k/M/B) from the axis magnitude and the number of
    /// decimals from the spacing of the ticks plotters will draw for `range`
    /// with at most `max_ticks` labels.
    pub(crate) fn for_axis(lo: f64, hi: f64, max_ticks: usize, use_suffix: bool) -> Self {
        let magnitude = lo.abs().max(hi.abs());
        let (divisor, suffix) = if use_suffix && magnitude >= 1e9 {
            (1e9, "B")
        } else if use_suffix && magnitude >= 1e6 {
            (1e6, "M")
        } else if use_suffix && magnitude >= 1e4 {
            (1e3, "k")
        } else {
            (1.0, "")
        };
        let decimals = decimals_for_step(tick_step(lo, hi, max_ticks) / divisor);
        AxisFormat {
            divisor,
            suffix,
            decimals,
        }
    }

    /// Format for marker values on an axis with tick spacing `step`: plain
    /// numbers with one decimal more than the ticks show (`87.0` for ticks
    /// every 5 days, `15.34` for ticks every 0.1, `432,964` once ticks are 100
    /// or more apart); billions as `2.14B`.
    pub(crate) fn for_markers(lo: f64, hi: f64, step: f64) -> Self {
        if lo.abs().max(hi.abs()) >= 1e9 {
            AxisFormat {
                divisor: 1e9,
                suffix: "B",
                decimals: (decimals_for_step(step / 1e9) + 1).min(6),
            }
        } else {
            AxisFormat {
                divisor: 1.0,
                suffix: "",
                decimals: marker_decimals(step),
            }
        }
    }

    pub(crate) fn format(&self, v: f64) -> String {
        let number = format_fixed(v / self.divisor, self.decimals);
        if !self.suffix.is_empty() && number.bytes().all(|b| matches!(b, b'0' | b'.' | b',')) {
            // "0" rather than "0k".
            return "0".into();
        }
        format!("{number}{}", self.suffix)
    }
}

fn format_percent(share: f64) -> String {
    let pct = share * 100.0;
    if pct > 0.0 && pct < 1.0 {
        "<1%".into()
    } else if pct > 99.0 && pct < 100.0 {
        ">99%".into()
    } else {
        format!("{:.0}%", pct)
    }
}

// ---------------------------------------------------------------------------
// Histogram
// ---------------------------------------------------------------------------

/// Equal-width bins `[start + i*width, start + (i+1)*width)`; shares in percent.
#[derive(Debug)]
struct Histogram {
    start: f64,
    width: f64,
    shares: Vec<f64>,
}

impl Histogram {
    fn end(&self) -> f64 {
        self.start + self.width * self.shares.len() as f64
    }

    fn max_share(&self) -> f64 {
        self.shares.iter().copied().fold(0.0, f64::max)
    }

    fn bins(&self) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        self.shares.iter().enumerate().map(move |(i, &s)| {
            let x0 = self.start + self.width * i as f64;
            (x0, x0 + self.width, s)
        })
    }
}

/// Smallest number of the form {1, 2, 2.5, 5} × 10^k that is >= `x` (> 0).
fn nice_ceil(x: f64) -> f64 {
    let exp = x.log10().floor();
    let base = 10f64.powf(exp);
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let c = m * base;
        if c >= x * (1.0 - 1e-12) {
            return c;
        }
    }
    10.0 * base
}

/// Builds the histogram. `zero_range_width` is the bar width used when all
/// values are equal.
fn build_histogram(values: &[f64], min: f64, max: f64, zero_range_width: f64) -> Histogram {
    let n = values.len();
    let range = max - min;
    let integral = values.iter().all(|v| v.fract() == 0.0 && v.abs() < 1e15);
    if range <= 0.0 {
        return Histogram {
            start: min - zero_range_width / 2.0,
            width: zero_range_width,
            shares: vec![100.0],
        };
    }
    // About 2·sqrt(n) bins, between 10 and 50, at most 20 % more; with the
    // nice widths this gives 30–60 bins (typically 40–60) for large simulations.
    let target = (2.0 * (n as f64).sqrt()).round().clamp(10.0, 50.0);
    let mut width = nice_ceil(range / (target * 1.2));
    let start = if integral {
        // Integer widths centred on the integers: each bin holds exactly
        // `width` possible values, so there are no aliasing artefacts.
        width = width.ceil().max(1.0);
        (min / width).floor() * width - 0.5
    } else {
        (min / width).floor() * width
    };
    // (The cap only matters if rounding went badly wrong for huge values.)
    let bins = (((max - start) / width).floor() as usize)
        .saturating_add(1)
        .clamp(1, 1000);
    let mut counts = vec![0usize; bins];
    for &v in values {
        let idx = ((v - start) / width).floor();
        let idx = if idx <= 0.0 {
            0
        } else {
            (idx as usize).min(bins - 1)
        };
        counts[idx] += 1;
    }
    let shares = counts
        .into_iter()
        .map(|c| c as f64 * 100.0 / n as f64)
        .collect();
    Histogram {
        start,
        width,
        shares,
    }
}

/// Points of the empirical CDF in percent, from (min, 0) to (max, 100).
/// Small samples are drawn as an exact step curve; large ones are sampled at
/// evenly spaced x positions (a few pixels apart), which draws a smooth line
/// without the jagged look of thousands of tiny thick segments.
pub(crate) fn s_curve_points(sorted: &[f64], min: f64, max: f64) -> Vec<(f64, f64)> {
    const STEP_LIMIT: usize = 250;
    const SAMPLES: usize = 250;
    let n = sorted.len();
    let cum = |count: usize| count as f64 * 100.0 / n as f64;
    let mut pts = Vec::with_capacity(2 * n.min(SAMPLES) + 2);
    pts.push((min, 0.0));
    if max <= min {
        pts.push((min, 100.0));
    } else if n <= STEP_LIMIT {
        for (i, &x) in sorted.iter().enumerate() {
            pts.push((x, cum(i)));
            pts.push((x, cum(i + 1)));
        }
    } else {
        for k in 0..=SAMPLES {
            let x = if k == SAMPLES {
                max
            } else {
                min + (max - min) * k as f64 / SAMPLES as f64
            };
            pts.push((x, cum(sorted.partition_point(|&v| v <= x))));
        }
    }
    pts
}

// ---------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum LineKind {
    Dashed(u32, u32),
    Solid,
}

struct Marker {
    value: f64,
    label: String,
    color: RGBColor,
    kind: LineKind,
    /// Cumulative probability (percent) at which the marker meets the S-curve.
    on_curve: Option<f64>,
}

enum Swatch {
    Bar,
    Line(RGBColor, LineKind, u32),
}

fn draw(buf: &mut [u8], c: &DistributionChart) -> Result<(), ChartError> {
    let root = BitMapBackend::with_buffer(buf, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(err)?;

    let n = c.sorted.len();
    let (data_min, data_max) = c
        .sorted
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    let pct = (c.confidence * 100.0).round() as u32;

    // X range: data and marker values (padded if they are all equal).
    let (mut lo, mut hi) = [c.deterministic, c.p50, c.at_confidence]
        .iter()
        .fold((data_min, data_max), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if hi - lo <= 1e-9 * lo.abs().max(hi.abs()).max(1e-300) {
        let pad = (lo.abs() * 0.05).max(1.0);
        lo -= pad;
        hi += pad;
    }
    // Widen to the histogram edges, plus a little padding.
    let hist = build_histogram(c.sorted, data_min, data_max, (hi - lo) / 40.0);
    lo = lo.min(hist.start);
    hi = hi.max(hist.end());
    let pad = (hi - lo) * 0.03;
    let (lo, hi) = (lo - pad, hi + pad);
    if !(hi - lo).is_finite() || hi - lo <= 0.0 {
        return Err(ChartError(format!(
            "values from {data_min} to {data_max} span too wide or too narrow a range to plot"
        )));
    }

    const X_TICKS: usize = 12;
    const Y_TICKS: usize = 8;
    let marker_fmt = AxisFormat::for_markers(lo, hi, tick_step(lo, hi, X_TICKS));
    let value = |v: f64| marker_fmt.format(v);
    let markers = [
        Marker {
            value: c.deterministic,
            label: format!("Plan {}", value(c.deterministic)),
            color: PLAN,
            kind: LineKind::Dashed(5, 5),
            on_curve: None,
        },
        Marker {
            value: c.p50,
            label: format!("P50 {}", value(c.p50)),
            color: P50,
            kind: LineKind::Dashed(12, 6),
            on_curve: Some(50.0),
        },
        Marker {
            value: c.at_confidence,
            label: format!("P{pct} {}", value(c.at_confidence)),
            color: PCONF,
            kind: LineKind::Solid,
            on_curve: Some(c.confidence * 100.0),
        },
    ];

    // Left axis leaves the top quarter free for the marker labels.
    let y_max = (hist.max_share() * 1.38).max(1e-9);
    const CUM_MAX: f64 = 104.0;

    let range = if n == 1 {
        format!("value {}", value(data_min))
    } else if data_max > data_min {
        format!("range {} – {}", value(data_min), value(data_max))
    } else {
        format!("all values {}", value(data_min))
    };
    draw_header(&root, c, &range, &markers, pct)?;

    let mut chart = ChartBuilder::on(&root)
        .margin_top(HEADER_HEIGHT)
        .margin_left(SIDE_MARGIN)
        .margin_right(SIDE_MARGIN)
        .margin_bottom(10)
        .x_label_area_size(62)
        .y_label_area_size(84)
        .right_y_label_area_size(84)
        .build_cartesian_2d(lo..hi, 0.0..y_max)
        .map_err(err)?
        .set_secondary_coord(lo..hi, 0.0..CUM_MAX);

    let x_fmt = AxisFormat::for_axis(lo, hi, X_TICKS, true);
    let y_fmt = AxisFormat::for_axis(0.0, y_max, Y_TICKS, false);
    let x_formatter = |v: &f64| x_fmt.format(*v);
    // Shares above 100 % only exist as headroom for the marker labels.
    let y_formatter = |v: &f64| {
        if *v > 100.0 + 1e-9 {
            String::new()
        } else {
            y_fmt.format(*v)
        }
    };
    let pct_formatter = |v: &f64| format!("{v:.0}");

    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_labels(X_TICKS)
        .y_labels(Y_TICKS)
        .x_max_light_lines(2)
        .bold_line_style(GRID)
        .light_line_style(LIGHT_GRID)
        .axis_style(AXIS)
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .label_style(text_style(15.0, TEXT))
        .axis_desc_style(text_style(17.0, TEXT))
        .x_desc(c.x_label)
        .y_desc("Share of iterations (%)")
        .draw()
        .map_err(err)?;

    chart
        .configure_secondary_axes()
        .y_labels(6)
        .axis_style(AXIS)
        .y_label_formatter(&pct_formatter)
        .label_style(text_style(15.0, TEXT))
        .axis_desc_style(text_style(17.0, TEXT))
        .y_desc("Cumulative probability (%)")
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
    chart
        .draw_series(hist.bins().filter(|b| b.2 > 0.0).map(|(x0, x1, share)| {
            let gap = (x1 - x0) * 0.06;
            Rectangle::new([(x0 + gap, 0.0), (x1 - gap, share)], BAR.filled())
        }))
        .map_err(err)?;

    // Guides from the S-curve to the right axis at the marked probabilities.
    for m in &markers {
        if let Some(q) = m.on_curve {
            chart
                .draw_secondary_series(std::iter::once(DashedPathElement::new(
                    vec![(m.value, q), (hi, q)],
                    3,
                    4,
                    m.color.mix(0.8).stroke_width(1),
                )))
                .map_err(err)?;
        }
    }

    // The S-curve.
    chart
        .draw_secondary_series(LineSeries::new(
            s_curve_points(c.sorted, data_min, data_max),
            CURVE.stroke_width(3),
        ))
        .map_err(err)?;

    // Marker lines.
    for m in &markers {
        let pts = vec![(m.value, 0.0), (m.value, y_max)];
        let style = m.color.stroke_width(2);
        match m.kind {
            LineKind::Dashed(dash, gap) => chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    pts, dash, gap, style,
                )))
                .map(|_| ()),
            LineKind::Solid => chart
                .draw_series(std::iter::once(PathElement::new(pts, style)))
                .map(|_| ()),
        }
        .map_err(err)?;
    }

    // Dots where the percentile markers meet the S-curve.
    for m in &markers {
        if let Some(q) = m.on_curve {
            chart
                .draw_secondary_series([
                    Circle::new((m.value, q), 6, WHITE.filled()),
                    Circle::new((m.value, q), 4, m.color.filled()),
                ])
                .map_err(err)?;
        }
    }

    // Marker labels, in pixel coordinates on the root area.
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let positions: Vec<i32> = markers
        .iter()
        .map(|m| chart.backend_coord(&(m.value, 0.0)).0)
        .collect();
    drop(chart);
    draw_marker_labels(&root, &markers, &positions, plot_x, plot_y)?;

    root.present().map_err(err)?;
    Ok(())
}

fn draw_header(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    c: &DistributionChart,
    range: &str,
    markers: &[Marker],
    pct: u32,
) -> Result<(), ChartError> {
    let centre = WIDTH as i32 / 2;
    let max_width = WIDTH - 2 * 20;

    // Title: shrink the font until it fits.
    draw_centred_fitting(
        root,
        c.title,
        bold_style,
        TEXT,
        26.0,
        12.0,
        max_width,
        (centre, TITLE_Y),
    )?;

    let n = c.sorted.len();
    let within_plan = c.sorted.iter().filter(|&&v| v <= c.deterministic).count() as f64 / n as f64;
    let subtitle = format!(
        "{} iteration{}   ·   {}   ·   {} of iterations at or below plan",
        format_fixed(n as f64, 0),
        if n == 1 { "" } else { "s" },
        range,
        format_percent(within_plan)
    );
    draw_centred_fitting(
        root,
        &subtitle,
        text_style,
        MUTED_TEXT,
        16.0,
        10.0,
        max_width,
        (centre, SUBTITLE_Y),
    )?;

    // Legend strip.
    let items = [
        (Swatch::Bar, "Histogram (left axis)".to_string()),
        (
            Swatch::Line(CURVE, LineKind::Solid, 3),
            "S-curve (right axis)".to_string(),
        ),
        (
            Swatch::Line(markers[0].color, markers[0].kind, 2),
            "Plan (most-likely estimates)".to_string(),
        ),
        (
            Swatch::Line(markers[1].color, markers[1].kind, 2),
            "P50 (median)".to_string(),
        ),
        (
            Swatch::Line(markers[2].color, markers[2].kind, 2),
            format!("P{pct} ({pct}% confidence)"),
        ),
    ];
    const SWATCH_W: i32 = 28;
    const SWATCH_GAP: i32 = 7;
    const ITEM_GAP: i32 = 30;
    let style = text_style(15.0, TEXT);
    let widths = items
        .iter()
        .map(|(_, t)| root.estimate_text_size(t, &style).map(|s| s.0 as i32))
        .collect::<Result<Vec<_>, _>>()
        .map_err(err)?;
    let total: i32 = widths
        .iter()
        .map(|w| SWATCH_W + SWATCH_GAP + w)
        .sum::<i32>()
        + ITEM_GAP * (items.len() as i32 - 1);
    let mut x = (WIDTH as i32 - total).max(0) / 2;
    let y = LEGEND_Y;
    for ((swatch, label), w) in items.iter().zip(widths) {
        match swatch {
            Swatch::Bar => root
                .draw(&Rectangle::new(
                    [(x + 4, y - 7), (x + SWATCH_W - 4, y + 7)],
                    BAR.filled(),
                ))
                .map_err(err)?,
            Swatch::Line(color, kind, width) => {
                let pts = vec![(x, y), (x + SWATCH_W, y)];
                let st = color.stroke_width(*width);
                match kind {
                    LineKind::Dashed(d, g) => {
                        root.draw(&DashedPathElement::new(pts, *d.min(&8), *g.min(&5), st))
                    }
                    LineKind::Solid => root.draw(&PathElement::new(pts, st)),
                }
                .map_err(err)?;
            }
        }
        root.draw_text(
            label,
            &style.pos(Pos::new(HPos::Left, VPos::Center)),
            (x + SWATCH_W + SWATCH_GAP, y),
        )
        .map_err(err)?;
        x += SWATCH_W + SWATCH_GAP + w + ITEM_GAP;
    }
    Ok(())
}

/// Draws the marker labels near the top of the plot area. Each label sits
/// just left of its line (right of it if there is no room on the left), and
/// goes to the highest row where it overlaps no other label.
fn draw_marker_labels(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    markers: &[Marker],
    line_x: &[i32],
    plot_x: std::ops::Range<i32>,
    plot_y: std::ops::Range<i32>,
) -> Result<(), ChartError> {
    const PAD_X: i32 = 6;
    const PAD_Y: i32 = 4;
    const GAP: i32 = 6;
    const ROW_GAP: i32 = 6;
    const SEP: i32 = 6;
    let style = bold_style(15.0, TEXT);

    let mut order: Vec<usize> = (0..markers.len()).collect();
    order.sort_by(|&a, &b| markers[a].value.total_cmp(&markers[b].value));

    let mut placed: Vec<(usize, i32, i32)> = Vec::new(); // (row, x0, x1)
    for i in order {
        let m = &markers[i];
        let (tw, th) = root.estimate_text_size(&m.label, &style).map_err(err)?;
        let (bw, bh) = (tw as i32 + 2 * PAD_X, th as i32 + 2 * PAD_Y);
        let px = line_x[i];
        let mut x0 = px - GAP - bw;
        if x0 < plot_x.start + 2 {
            x0 = px + GAP;
        }
        x0 = x0.min(plot_x.end - 2 - bw).max(plot_x.start + 2);
        let x1 = x0 + bw;
        let row = (0..)
            .find(|&r| {
                !placed
                    .iter()
                    .any(|&(pr, a, b)| pr == r && x0 < b + SEP && a < x1 + SEP)
            })
            .unwrap_or(0);
        placed.push((row, x0, x1));
        let y0 = plot_y.start + 8 + row as i32 * (bh + ROW_GAP);
        root.draw(&Rectangle::new(
            [(x0, y0), (x1, y0 + bh)],
            WHITE.mix(0.92).filled(),
        ))
        .map_err(err)?;
        root.draw(&Rectangle::new(
            [(x0, y0), (x1, y0 + bh)],
            m.color.stroke_width(1),
        ))
        .map_err(err)?;
        root.draw_text(
            &m.label,
            &bold_style(15.0, m.color).pos(Pos::new(HPos::Center, VPos::Center)),
            ((x0 + x1) / 2, y0 + bh / 2),
        )
        .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic, sorted, right-skewed sample (quantiles of a triangular
    /// distribution on [lo, hi] with mode `mode`).
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

    fn chart_for(values: &[f64]) -> DistributionChart<'_> {
        let q = |p: f64| values[((values.len() - 1) as f64 * p).round() as usize];
        DistributionChart {
            title: "Project duration — Test project",
            x_label: "Duration (working days)",
            sorted: values,
            deterministic: q(0.2),
            p50: q(0.5),
            confidence: 0.8,
            at_confidence: q(0.8),
        }
    }

    fn decode(png: &[u8]) -> image::RgbImage {
        image::load_from_memory(png).expect("valid PNG").to_rgb8()
    }

    #[test]
    fn renders_valid_png_of_expected_size() {
        let values = triangular_sample(10_000, 80.0, 90.0, 130.0);
        let png = render_png(&chart_for(&values)).expect("render");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let img = decode(&png);
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
    }

    #[test]
    fn title_band_contains_text() {
        let values = triangular_sample(5_000, 80.0, 90.0, 130.0);
        let img = decode(&render_png(&chart_for(&values)).expect("render"));
        let dark = (0..40)
            .flat_map(|y| (0..WIDTH).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let p = img.get_pixel(x, y).0;
                let lum = 0.299 * p[0] as f64 + 0.587 * p[1] as f64 + 0.114 * p[2] as f64;
                lum < 100.0
            })
            .count();
        assert!(dark > 300, "only {dark} dark pixels in the title band");
    }

    #[test]
    fn rendering_is_deterministic() {
        let values = triangular_sample(2_000, 300_000.0, 380_000.0, 520_000.0);
        let mut chart = chart_for(&values);
        chart.title = "Project cost";
        chart.x_label = "Cost (USD)";
        let a = render_png(&chart).expect("render");
        let b = render_png(&chart).expect("render");
        assert!(a == b, "two renders differ");
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let equal = vec![42.0; 500];
        let png = render_png(&chart_for(&equal)).expect("all equal");
        assert_eq!(decode(&png).dimensions(), (WIDTH, HEIGHT));

        let single = [7.5];
        render_png(&chart_for(&single)).expect("single value");

        let zero = [0.0];
        render_png(&chart_for(&zero)).expect("single zero");

        // Markers far outside the data, negative values, huge values.
        let values = [-3.0, -1.0, 2.0];
        let chart = DistributionChart {
            deterministic: -50.0,
            p50: 1e6,
            at_confidence: 1e6,
            confidence: 1.0,
            ..chart_for(&values)
        };
        render_png(&chart).expect("markers outside the data");

        let huge = [1e12, 1e12 + 1.0];
        render_png(&chart_for(&huge)).expect("huge values");

        // Unplottable spans are errors, not panics.
        let extreme = [-f64::MAX, f64::MAX];
        assert!(render_png(&chart_for(&extreme)).is_err());
        let large_equal = [1e300; 3];
        render_png(&chart_for(&large_equal)).expect("large equal values");
    }

    #[test]
    fn invalid_inputs_are_errors() {
        let empty: [f64; 0] = [];
        let chart = DistributionChart {
            title: "t",
            x_label: "x",
            sorted: &empty,
            deterministic: 1.0,
            p50: 1.0,
            confidence: 0.8,
            at_confidence: 1.0,
        };
        assert!(render_png(&chart).is_err());

        let nan = [1.0, f64::NAN];
        let values = [1.0, 2.0];
        let chart = DistributionChart {
            sorted: &nan,
            ..chart_for(&values)
        };
        assert!(render_png(&chart).is_err());

        let chart = DistributionChart {
            confidence: 1.5,
            ..chart_for(&values)
        };
        assert!(render_png(&chart).is_err());
    }

    #[test]
    fn histogram_uses_40_to_60_bins_for_large_samples() {
        for (lo, mode, hi) in [(80.0, 90.0, 130.0), (1.0, 1.3, 2.9), (3.1e5, 3.5e5, 4.9e5)] {
            let v = triangular_sample(10_000, lo, mode, hi);
            let h = build_histogram(&v, v[0], v[v.len() - 1], 1.0);
            assert!(
                (30..=62).contains(&h.shares.len()),
                "{} bins",
                h.shares.len()
            );
            let total: f64 = h.shares.iter().sum();
            assert!((total - 100.0).abs() < 1e-9);
            assert!(h.start <= v[0] && h.end() > v[v.len() - 1]);
        }
    }

    #[test]
    fn integer_data_gets_integer_bins_centred_on_values() {
        let v: Vec<f64> = triangular_sample(10_000, 80.0, 90.0, 130.0)
            .into_iter()
            .map(f64::round)
            .collect();
        let h = build_histogram(&v, v[0], v[v.len() - 1], 1.0);
        assert_eq!(h.width, 1.0);
        assert_eq!(h.start, 79.5);
        assert!(
            h.shares.iter().all(|&s| s > 0.0),
            "no empty bins inside the range"
        );
    }

    #[test]
    fn number_formatting() {
        assert_eq!(format_value(412_000.0), "412,000");
        assert_eq!(format_value(1_234_567.4), "1,234,567");
        assert_eq!(format_value(1_234.56), "1,234.6");
        assert_eq!(format_value(93.44), "93.4");
        assert_eq!(format_value(87.0), "87.0");
        assert_eq!(format_value(4.567), "4.57");
        assert_eq!(format_value(-12_345.0), "-12,345");
        assert_eq!(format_value(-0.001), "0.00");
        assert_eq!(format_fixed(999.0, 0), "999");
        assert_eq!(format_fixed(1000.0, 0), "1,000");
        let f = AxisFormat::for_axis(380_000.0, 470_000.0, 12, true);
        assert_eq!(f.format(400_000.0), "400k");
        let f = AxisFormat::for_axis(1.2e6, 2.6e6, 12, true);
        assert_eq!(f.format(1.5e6), "1.5M");
        let f = AxisFormat::for_axis(2.0e9, 4.5e9, 12, true);
        assert_eq!(f.format(2.5e9), "2.5B");
        let f = AxisFormat::for_axis(-30_000.0, 20_000.0, 12, true);
        assert_eq!(f.format(0.0), "0");
        assert_eq!(f.format(-10_000.0), "-10k");
        let f = AxisFormat::for_markers(1.4e9, 3.4e9, 0.2e9);
        assert_eq!(f.format(2_141_643_552.0), "2.14B");
        let f = AxisFormat::for_markers(300_000.0, 560_000.0, 20_000.0);
        assert_eq!(f.format(432_964.3), "432,964");
        let f = AxisFormat::for_markers(70.0, 130.0, 5.0);
        assert_eq!(f.format(87.0), "87.0");
        let f = AxisFormat::for_markers(15.0, 15.7, 0.1);
        assert_eq!(f.format(15.3351), "15.34");
        let f = AxisFormat::for_axis(80.0, 130.0, 12, true);
        assert_eq!(f.format(85.0), "85");
        assert_eq!(format_percent(0.123), "12%");
        assert_eq!(format_percent(0.001), "<1%");
        assert_eq!(format_percent(0.0), "0%");
    }
}
