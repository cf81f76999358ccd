//! `comparison.png`: the scenarios' S-curves (cumulative probability of the project duration
//! and of the project cost) overlaid, one colour per scenario, in two stacked panels of one
//! 1200 × 900 image. The fonts, number formats and palette are those of [`super::chart`].

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::{
    bold_style, draw_centred_fitting, encode_png_sized, ensure_fonts, err, format_fixed,
    s_curve_points, text_style, AxisFormat, ChartError, AXIS, CURVE, GRID, LIGHT_GRID, MUTED_TEXT,
    P50, PCONF, TEXT,
};
use super::ComparisonArtefact;
use crate::error::{Error, Result};
use crate::stats::report::confidence_label;
use crate::stats::Report;

/// Width of the image in pixels.
pub const WIDTH: u32 = 1200;
/// Height of the image in pixels.
pub const HEIGHT: u32 = 900;

const TITLE_Y: i32 = 12;
const SUBTITLE_Y: i32 = 50;
const LEGEND_Y: i32 = 86;
const LEGEND_ROW: i32 = 26;
const CUM_MAX: f64 = 104.0;

/// Scenario colours, the baseline first; cycled when there are more scenarios.
const PALETTE: [RGBColor; 9] = [
    CURVE,
    PCONF,
    P50,
    RGBColor(150, 60, 160),
    RGBColor(215, 150, 0),
    RGBColor(0, 150, 200),
    RGBColor(140, 90, 50),
    RGBColor(220, 60, 140),
    RGBColor(110, 110, 110),
];

/// The colour of scenario `i` (0 is the baseline).
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The line width of scenario `i`'s curves: 5 pixels for the baseline, one less for each
/// following scenario, at least 2.
fn line_width(i: usize) -> u32 {
    5u32.saturating_sub(i as u32).max(2)
}

/// Writes `comparison.png`.
pub struct ComparisonChart;

impl ComparisonArtefact for ComparisonChart {
    fn file_name(&self) -> &'static str {
        "comparison.png"
    }

    fn render(&self, scenarios: &[(String, Report)]) -> Result<Vec<u8>> {
        render_png(scenarios).map_err(|e| Error::Output(format!("comparison.png: {e}")))
    }
}

/// One panel: a measure's sorted values per scenario and where each reaches the confidence.
struct Panel<'a> {
    x_label: String,
    curves: Vec<(&'a [f64], f64)>,
}

/// Renders the chart to PNG bytes (no file I/O). Deterministic: same input, same bytes.
pub fn render_png(scenarios: &[(String, Report)]) -> Result<Vec<u8>, ChartError> {
    let Some((_, first)) = scenarios.first() else {
        return Err(ChartError("no scenarios to plot".into()));
    };
    for (name, r) in scenarios {
        for v in [&r.sorted_durations, &r.sorted_costs] {
            if v.is_empty() || v.iter().any(|x| !x.is_finite()) {
                return Err(ChartError(format!(
                    "scenario `{name}` has no finite simulated values"
                )));
            }
        }
    }
    ensure_fonts()?;
    let mut rgb = vec![255u8; WIDTH as usize * HEIGHT as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let header = draw_header(&root, scenarios, first)?;
        let body = root.margin(header, 0, 0, 0);
        let panels = body.split_evenly((2, 1));
        let cost_label = if first.currency.is_empty() {
            "Project cost".to_string()
        } else {
            format!("Project cost ({})", first.currency)
        };
        let duration = Panel {
            x_label: "Project duration (working days)".into(),
            curves: scenarios
                .iter()
                .map(|(_, r)| (r.sorted_durations.as_slice(), r.duration.at_confidence))
                .collect(),
        };
        let cost = Panel {
            x_label: cost_label,
            curves: scenarios
                .iter()
                .map(|(_, r)| (r.sorted_costs.as_slice(), r.cost.at_confidence))
                .collect(),
        };
        draw_panel(&panels[0], &duration, first.confidence)?;
        draw_panel(&panels[1], &cost, first.confidence)?;
        root.present().map_err(err)?;
    }
    encode_png_sized(&rgb, WIDTH, HEIGHT)
}

/// Shortens a long scenario name for the legend.
fn short(name: &str) -> String {
    const MAX: usize = 40;
    if name.chars().count() <= MAX {
        name.to_string()
    } else {
        let mut s: String = name.chars().take(MAX - 1).collect();
        s.push('…');
        s
    }
}

/// Title, subtitle and the legend (wrapped over as many rows as needed). Returns the height
/// used.
fn draw_header(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    scenarios: &[(String, Report)],
    first: &Report,
) -> Result<u32, ChartError> {
    let centre = WIDTH as i32 / 2;
    let max_width = WIDTH - 40;
    let title = format!("Scenario comparison: {}", first.project);
    draw_centred_fitting(
        root,
        &title,
        bold_style,
        TEXT,
        26.0,
        12.0,
        max_width,
        (centre, TITLE_Y),
    )?;
    let n = first.iterations;
    let subtitle = format!(
        "{} iteration{} per scenario   ·   seed {}   ·   the same random numbers for the same \
         tasks in every scenario   ·   dots at {}",
        format_fixed(n as f64, 0),
        if n == 1 { "" } else { "s" },
        first.seed,
        confidence_label(first.confidence)
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

    // Legend: rows of (swatch, name), each row centred.
    const SWATCH_W: i32 = 28;
    const SWATCH_GAP: i32 = 7;
    const ITEM_GAP: i32 = 30;
    let style = text_style(15.0, TEXT);
    let mut rows: Vec<Vec<(usize, String, i32)>> = vec![Vec::new()];
    let mut row_width = 0;
    for (i, (name, _)) in scenarios.iter().enumerate() {
        let label = short(name);
        let w = root.estimate_text_size(&label, &style).map_err(err)?.0 as i32;
        let item = SWATCH_W + SWATCH_GAP + w;
        let row = rows.last_mut().expect("one row");
        if !row.is_empty() && row_width + ITEM_GAP + item > max_width as i32 {
            rows.push(Vec::new());
            row_width = 0;
        }
        let row = rows.last_mut().expect("one row");
        if !row.is_empty() {
            row_width += ITEM_GAP;
        }
        row_width += item;
        row.push((i, label, w));
    }
    for (r, row) in rows.iter().enumerate() {
        let total: i32 = row
            .iter()
            .map(|(_, _, w)| SWATCH_W + SWATCH_GAP + w)
            .sum::<i32>()
            + ITEM_GAP * (row.len() as i32 - 1);
        let mut x = (WIDTH as i32 - total).max(0) / 2;
        let y = LEGEND_Y + r as i32 * LEGEND_ROW;
        for (i, label, w) in row {
            root.draw(&PathElement::new(
                vec![(x, y), (x + SWATCH_W, y)],
                colour(*i).stroke_width(line_width(*i).max(3)),
            ))
            .map_err(err)?;
            root.draw_text(
                label,
                &style.pos(Pos::new(HPos::Left, VPos::Center)),
                (x + SWATCH_W + SWATCH_GAP, y),
            )
            .map_err(err)?;
            x += SWATCH_W + SWATCH_GAP + w + ITEM_GAP;
        }
    }
    Ok((LEGEND_Y + (rows.len() as i32 - 1) * LEGEND_ROW + 20) as u32)
}

/// One panel: every scenario's S-curve, guides at P50 and the confidence, and a dot where each
/// curve reaches the confidence.
fn draw_panel(
    area: &DrawingArea<BitMapBackend<'_>, Shift>,
    panel: &Panel,
    confidence: f64,
) -> Result<(), ChartError> {
    let (mut lo, mut hi) = panel
        .curves
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (v, _)| {
            (lo.min(v[0]), hi.max(v[v.len() - 1]))
        });
    if hi - lo <= 1e-9 * lo.abs().max(hi.abs()).max(1e-300) {
        let pad = (lo.abs() * 0.05).max(1.0);
        lo -= pad;
        hi += pad;
    }
    let pad = (hi - lo) * 0.03;
    let (lo, hi) = (lo - pad, hi + pad);
    if !(hi - lo).is_finite() || hi - lo <= 0.0 {
        return Err(ChartError(format!(
            "values from {lo} to {hi} span too wide or too narrow a range to plot"
        )));
    }
    const X_TICKS: usize = 12;
    let mut chart = ChartBuilder::on(area)
        .margin_left(14)
        .margin_right(30)
        .margin_top(8)
        .margin_bottom(8)
        .x_label_area_size(56)
        .y_label_area_size(84)
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
    chart
        .configure_mesh()
        .x_labels(X_TICKS)
        .y_labels(6)
        .x_max_light_lines(2)
        .y_max_light_lines(1)
        .bold_line_style(GRID)
        .light_line_style(LIGHT_GRID)
        .axis_style(AXIS)
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .label_style(text_style(15.0, TEXT))
        .axis_desc_style(text_style(17.0, TEXT))
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
    for (i, &(values, _)) in panel.curves.iter().enumerate() {
        let (min, max) = (values[0], values[values.len() - 1]);
        chart
            .draw_series(LineSeries::new(
                s_curve_points(values, min, max),
                colour(i).stroke_width(line_width(i)),
            ))
            .map_err(err)?;
    }
    for i in 0..panel.curves.len() {
        let (_, at) = panel.curves[i];
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
    use crate::engine::{self, CompiledPlan};

    fn report(scale: f64) -> Report {
        let d = tempfile::tempdir().unwrap();
        let (o, m, p) = (2.0 * scale, 3.0 * scale, 6.0 * scale);
        std::fs::write(
            d.path().join("tasks.csv"),
            format!("id,optimistic,likely,pessimistic,depends_on,cost\na,{o},{m},{p},,100\nb,{o},{m},{p},a,{}\n", 100.0 * scale),
        )
        .unwrap();
        std::fs::write(
            d.path().join("project.toml"),
            "[project]\nname = \"Chart test\"\ncurrency = \"EUR\"\ntasks = \"tasks.csv\"\n",
        )
        .unwrap();
        let p = crate::input::load(&d.path().join("project.toml"))
            .unwrap()
            .project;
        let plan = CompiledPlan::compile(&p);
        let sim = engine::run(&plan, &engine::RunSpec::new(2000, 1), &engine::Standard);
        Report::new(&p, &engine::deterministic(&plan), &sim, 1, 0.8)
    }

    fn decode(png: &[u8]) -> image::RgbImage {
        image::load_from_memory(png).expect("valid PNG").to_rgb8()
    }

    #[test]
    fn renders_a_deterministic_png_with_a_title() {
        let scenarios = vec![
            ("baseline".to_string(), report(1.0)),
            ("faster".to_string(), report(0.8)),
            (
                "a scenario with a very long name indeed, longer than forty".to_string(),
                report(1.2),
            ),
        ];
        let png = render_png(&scenarios).unwrap();
        assert_eq!(png, render_png(&scenarios).unwrap(), "deterministic");
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
        let mut r = report(1.0);
        r.sorted_durations = vec![5.0; 10];
        render_png(&[("baseline".to_string(), r)]).unwrap();
        assert!(render_png(&[]).is_err());
    }
}
