//! The frame every chart is drawn in: a white canvas, a header band (title, subtitle and a
//! legend that wraps over as many centred rows as it needs), and below it the body, where the
//! chart draws its plot with the family's margins, axes, grid and labelled markers. The frame
//! registers the fonts and encodes the PNG.

use std::ops::Range;

use plotters::chart::{MeshStyle, SecondaryMeshStyle};
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::{AXIS, GRID, LIGHT_GRID, MUTED_TEXT, TEXT};
use super::text::{bold_style, draw_centred_fitting, ensure_fonts, text_style, width};
use super::{err, png, ChartError};
use crate::output::format::shorten;

/// The drawing area a chart draws on (pixel coordinates from its top-left corner).
pub type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// Width of a chart, in pixels.
pub const WIDTH: u32 = 1200;
/// Height of a single-panel chart, in pixels.
pub const HEIGHT: u32 = 700;
/// The most labelled ticks on an x axis.
pub const X_TICKS: usize = 12;

/// Top of the title.
const TITLE_Y: i32 = 12;
/// Top of the subtitle.
const SUBTITLE_Y: i32 = 50;
/// Middle of the first legend row, by default.
pub const LEGEND_Y: i32 = 84;
/// Distance between legend rows.
const LEGEND_ROW: i32 = 26;
/// From the middle of the last legend row to the body.
const BELOW_LEGEND: i32 = 20;
/// Space kept free on each side of the header's text.
const SIDE: u32 = 20;
/// Legend labels longer than this many characters are shortened with an ellipsis.
const LEGEND_LABEL_MAX: usize = 40;
const SWATCH_W: i32 = 28;
const SWATCH_GAP: i32 = 7;
const ITEM_GAP: i32 = 30;

/// What a legend item shows beside its label.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Swatch {
    /// A filled box: bars of a histogram, a tornado or a Gantt chart.
    Box(RGBColor),
    /// A line `width` pixels thick, solid or dashed (`Some((dash, gap))`; drawn at most 8 and
    /// 5 pixels in the legend so that a dash pattern shows in its 28 pixels).
    Line {
        /// Colour.
        colour: RGBColor,
        /// Thickness in pixels.
        width: u32,
        /// Dash and gap lengths in pixels; `None` for a solid line.
        dash: Option<(u32, u32)>,
    },
    /// A filled dot: points of a scatter, markers on a curve.
    Dot(RGBColor),
}

impl Swatch {
    /// A solid line.
    pub fn line(colour: RGBColor, width: u32) -> Swatch {
        Swatch::Line {
            colour,
            width,
            dash: None,
        }
    }

    /// A dashed line.
    pub fn dashed(colour: RGBColor, width: u32, dash: u32, gap: u32) -> Swatch {
        Swatch::Line {
            colour,
            width,
            dash: Some((dash, gap)),
        }
    }
}

/// One entry of the legend.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendItem {
    /// What it looks like.
    pub swatch: Swatch,
    /// What it is.
    pub label: String,
}

impl LegendItem {
    /// An item.
    pub fn new(swatch: Swatch, label: impl Into<String>) -> LegendItem {
        LegendItem {
            swatch,
            label: label.into(),
        }
    }
}

/// A chart's frame: size, title, subtitle and legend. [`Frame::render`] draws the header and
/// hands the body below it to the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    width: u32,
    height: u32,
    title: String,
    subtitle: String,
    legend: Vec<LegendItem>,
    legend_y: i32,
}

impl Frame {
    /// A [`WIDTH`] × [`HEIGHT`] frame with `title` and no subtitle or legend yet.
    pub fn new(title: impl Into<String>) -> Frame {
        Frame {
            width: WIDTH,
            height: HEIGHT,
            title: title.into(),
            subtitle: String::new(),
            legend: Vec::new(),
            legend_y: LEGEND_Y,
        }
    }

    /// Another size (a chart of several panels is taller).
    pub fn size(mut self, width: u32, height: u32) -> Frame {
        self.width = width;
        self.height = height;
        self
    }

    /// The line under the title: what was simulated and how to read the chart.
    pub fn subtitle(mut self, subtitle: impl Into<String>) -> Frame {
        self.subtitle = subtitle.into();
        self
    }

    /// The legend, in reading order.
    pub fn legend(mut self, items: Vec<LegendItem>) -> Frame {
        self.legend = items;
        self
    }

    /// Moves the middle of the first legend row to `y` (default [`LEGEND_Y`]).
    pub fn legend_at(mut self, y: i32) -> Frame {
        self.legend_y = y;
        self
    }

    /// Draws the frame and lets `body` draw the chart in the area below the header, then
    /// encodes the picture as PNG. Deterministic: the same frame and drawing give the same
    /// bytes. No file I/O.
    pub fn render(
        &self,
        body: impl FnOnce(&Area) -> Result<(), ChartError>,
    ) -> Result<Vec<u8>, ChartError> {
        ensure_fonts()?;
        let mut rgb = vec![255u8; self.width as usize * self.height as usize * 3];
        {
            let root =
                BitMapBackend::with_buffer(&mut rgb, (self.width, self.height)).into_drawing_area();
            // No `root.fill(&WHITE)`: the canvas starts white (every byte 255).
            let header = self.draw_header(&root)?;
            body(&root.margin(header, 0, 0, 0))?;
            root.present().map_err(err)?;
        }
        png::encode(&rgb, self.width, self.height)
    }

    /// Title, subtitle and legend rows; returns the height of the header band.
    fn draw_header(&self, root: &Area) -> Result<i32, ChartError> {
        let centre = self.width as i32 / 2;
        let max_width = self.width - 2 * SIDE;
        draw_centred_fitting(
            root,
            &self.title,
            bold_style,
            TEXT,
            26.0,
            12.0,
            max_width,
            (centre, TITLE_Y),
        )?;
        if !self.subtitle.is_empty() {
            draw_centred_fitting(
                root,
                &self.subtitle,
                text_style,
                MUTED_TEXT,
                16.0,
                10.0,
                max_width,
                (centre, SUBTITLE_Y),
            )?;
        }
        let rows = self.legend_rows(root, max_width as i32)?;
        for (r, row) in rows.iter().enumerate() {
            let total: i32 = row
                .iter()
                .map(|(_, _, w)| SWATCH_W + SWATCH_GAP + w)
                .sum::<i32>()
                + ITEM_GAP * (row.len() as i32 - 1);
            let mut x = (self.width as i32 - total).max(0) / 2;
            let y = self.legend_y + r as i32 * LEGEND_ROW;
            for (item, label, w) in row {
                draw_swatch(root, item.swatch, x, y)?;
                root.draw_text(
                    label,
                    &legend_style().pos(Pos::new(HPos::Left, VPos::Center)),
                    (x + SWATCH_W + SWATCH_GAP, y),
                )
                .map_err(err)?;
                x += SWATCH_W + SWATCH_GAP + w + ITEM_GAP;
            }
        }
        Ok(self.legend_y + (rows.len().max(1) as i32 - 1) * LEGEND_ROW + BELOW_LEGEND)
    }

    /// The legend items with their (shortened) labels and label widths, in rows no wider
    /// than `max_width`.
    #[allow(clippy::type_complexity)]
    fn legend_rows(
        &self,
        root: &Area,
        max_width: i32,
    ) -> Result<Vec<Vec<(&LegendItem, String, i32)>>, ChartError> {
        let style = legend_style();
        let mut rows: Vec<Vec<(&LegendItem, String, i32)>> = Vec::new();
        let mut row_width = 0;
        for item in &self.legend {
            let label = shorten(&item.label, LEGEND_LABEL_MAX);
            let w = width(root, &label, &style)? as i32;
            let size = SWATCH_W + SWATCH_GAP + w;
            match rows.last_mut() {
                Some(row) if row_width + ITEM_GAP + size <= max_width => {
                    row_width += ITEM_GAP + size;
                    row.push((item, label, w));
                }
                _ => {
                    row_width = size;
                    rows.push(vec![(item, label, w)]);
                }
            }
        }
        Ok(rows)
    }
}

fn legend_style() -> TextStyle<'static> {
    text_style(15.0, TEXT)
}

/// Draws a legend swatch whose left end is at `x`, centred on `y`.
fn draw_swatch(root: &Area, swatch: Swatch, x: i32, y: i32) -> Result<(), ChartError> {
    match swatch {
        Swatch::Box(colour) => root.draw(&Rectangle::new(
            [(x + 4, y - 7), (x + SWATCH_W - 4, y + 7)],
            colour.filled(),
        )),
        Swatch::Line {
            colour,
            width,
            dash,
        } => {
            let pts = vec![(x, y), (x + SWATCH_W, y)];
            let st = colour.stroke_width(width);
            match dash {
                Some((d, g)) => root.draw(&DashedPathElement::new(pts, d.min(8), g.min(5), st)),
                None => root.draw(&PathElement::new(pts, st)),
            }
        }
        Swatch::Dot(colour) => root.draw(&Circle::new((x + SWATCH_W / 2, y), 5, colour.filled())),
    }
    .map_err(err)
}

/// A chart builder on `area` with the family's margins and label areas: 14 pixels left,
/// 10 below, 62 pixels for the x labels and 84 for the y labels; on the right 14 pixels and
/// 84 for a secondary y axis (`secondary_axis`), else 30 so that the last x label fits.
/// Charts may override any of these before building.
pub fn plot<'a, 'b>(
    area: &'a Area<'b>,
    secondary_axis: bool,
) -> ChartBuilder<'a, 'b, BitMapBackend<'b>> {
    let mut b = ChartBuilder::on(area);
    b.margin_left(14)
        .margin_bottom(10)
        .x_label_area_size(62)
        .y_label_area_size(84);
    if secondary_axis {
        b.margin_right(14).right_y_label_area_size(84);
    } else {
        b.margin_right(30);
    }
    b
}

/// Applies the family's axis style to a mesh: grid lines at labelled ticks and lighter ones
/// between, grey axes, 15-point labels, 17-point axis titles, at most [`X_TICKS`] labelled x
/// ticks with up to 2 light lines between. The chart still sets its y ticks, formatters and
/// axis titles.
pub fn style_mesh<'m, 'a, 'b, X, Y, XT, YT, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.bold_line_style(GRID)
        .light_line_style(LIGHT_GRID)
        .axis_style(AXIS)
        .label_style(text_style(15.0, TEXT))
        .axis_desc_style(text_style(17.0, TEXT))
        .x_labels(X_TICKS)
        .x_max_light_lines(2)
}

/// Applies the family's axis style to a secondary (right) axis.
pub fn style_secondary_axes<'m, 'a, 'b, X, Y, XT, YT, DB>(
    axes: &'m mut SecondaryMeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut SecondaryMeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    axes.axis_style(AXIS)
        .label_style(text_style(15.0, TEXT))
        .axis_desc_style(text_style(17.0, TEXT))
}

/// A label in a box tagging a vertical line (plan, P50, deadline …) near the top of the plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The line's x, in pixels of the whole image (as `ChartContext::backend_coord` gives).
    pub x: i32,
    /// The text.
    pub label: String,
    /// The colour of the text and the box's border (the line's colour).
    pub colour: RGBColor,
}

/// Draws `tags` near the top of the plot whose pixel ranges (of the whole image, as
/// `plotting_area().get_pixel_range()` gives) are `plot_x` and `plot_y`, on `area` (any area
/// of the same image). Tags are placed in the order given (sort them by x): see
/// [`place_tags`].
pub fn draw_tags(
    area: &Area,
    tags: &[Tag],
    plot_x: Range<i32>,
    plot_y: Range<i32>,
) -> Result<(), ChartError> {
    const PAD_X: i32 = 6;
    const PAD_Y: i32 = 4;
    const ROW_GAP: i32 = 6;
    let style = bold_style(15.0, TEXT);
    let mut boxes = Vec::with_capacity(tags.len());
    for tag in tags {
        let (tw, th) = area.estimate_text_size(&tag.label, &style).map_err(err)?;
        boxes.push((tag.x, tw as i32 + 2 * PAD_X, th as i32 + 2 * PAD_Y));
    }
    let spans: Vec<(i32, i32)> = boxes.iter().map(|&(x, w, _)| (x, w)).collect();
    // From pixels of the image to pixels of `area`.
    let (ox, oy) = area.get_base_pixel();
    for ((tag, &(_, _, bh)), (row, x0, x1)) in
        tags.iter().zip(&boxes).zip(place_tags(&spans, plot_x))
    {
        let y0 = plot_y.start + 8 + row as i32 * (bh + ROW_GAP);
        let (x0, x1, y0) = (x0 - ox, x1 - ox, y0 - oy);
        area.draw(&Rectangle::new(
            [(x0, y0), (x1, y0 + bh)],
            WHITE.mix(0.92).filled(),
        ))
        .map_err(err)?;
        area.draw(&Rectangle::new(
            [(x0, y0), (x1, y0 + bh)],
            tag.colour.stroke_width(1),
        ))
        .map_err(err)?;
        area.draw_text(
            &tag.label,
            &bold_style(15.0, tag.colour).pos(Pos::new(HPos::Center, VPos::Center)),
            ((x0 + x1) / 2, y0 + bh / 2),
        )
        .map_err(err)?;
    }
    Ok(())
}

/// Where tags go: for each `(line x, box width)` in order, `(row, left, right)` in pixels.
/// A box sits 6 pixels left of its line (right of it when there is no room on the left),
/// inside `plot_x` with 2 pixels to spare, on the lowest-numbered row (0 is the top) where it
/// keeps 6 pixels from every box placed before it.
pub fn place_tags(spans: &[(i32, i32)], plot_x: Range<i32>) -> Vec<(usize, i32, i32)> {
    const GAP: i32 = 6;
    const SEP: i32 = 6;
    let mut placed: Vec<(usize, i32, i32)> = Vec::with_capacity(spans.len());
    for &(x, bw) in spans {
        let mut x0 = x - GAP - bw;
        if x0 < plot_x.start + 2 {
            x0 = x + GAP;
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
    }
    placed
}

/// Category rows (tornado bars, Gantt tasks) on a numeric y axis: the range for `n` rows, each
/// one unit high, row 0 at the top (see [`row_y`]).
pub fn rows(n: usize) -> Range<f64> {
    -0.5..n as f64 - 0.5
}

/// The y of the middle of row `i` of `n` (row 0 at the top).
pub fn row_y(n: usize, i: usize) -> f64 {
    (n - 1 - i) as f64
}

/// A y label formatter for rows named `names` (row 0 at the top): the name at a row's middle,
/// nothing elsewhere. Ask the mesh for `2 · n + 1` y labels so that every row gets one.
pub fn row_labels(names: &[String]) -> impl Fn(&f64) -> String + '_ {
    move |y: &f64| {
        let n = names.len();
        let r = y.round();
        if (y - r).abs() > 1e-9 || r < 0.0 || r >= n as f64 {
            return String::new();
        }
        names[n - 1 - r as usize].clone()
    }
}

/// `lo..hi` widened to ±5% of its value (at least ±1) when its width is (nearly) zero, so that
/// a range of equal values can be plotted.
pub fn widen_if_flat(mut lo: f64, mut hi: f64) -> (f64, f64) {
    if hi - lo <= 1e-9 * lo.abs().max(hi.abs()).max(1e-300) {
        let pad = (lo.abs() * 0.05).max(1.0);
        lo -= pad;
        hi += pad;
    }
    (lo, hi)
}

/// `lo..hi` padded by 3% on each side so that data touching the ends stays visible. Errors
/// when the result cannot be plotted (infinite or empty).
pub fn padded(lo: f64, hi: f64) -> Result<Range<f64>, ChartError> {
    let pad = (hi - lo) * 0.03;
    let range = (lo - pad)..(hi + pad);
    if !(range.end - range.start).is_finite() || range.end - range.start <= 0.0 {
        return Err(ChartError(format!(
            "values from {lo} to {hi} span too wide or too narrow a range to plot"
        )));
    }
    Ok(range)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::chart::palette::{self, BAR, CURVE};
    use crate::output::chart::text::widest;

    use crate::output::chart::testing::decode;

    fn pixels_of(img: &image::RgbImage, c: RGBColor) -> usize {
        img.pixels().filter(|p| p.0 == [c.0, c.1, c.2]).count()
    }

    #[test]
    fn tags_go_left_of_their_line_and_down_a_row_when_they_would_touch() {
        // Plot from x 100 to 1000. A tag 50 wide at line 300 sits at 244..294; one at 320
        // (264..314) would overlap it and goes to row 1; one near the left edge flips to the
        // right of its line; one near the right edge is pulled inside.
        let placed = place_tags(&[(300, 50), (320, 50), (120, 50), (999, 50)], 100..1000);
        assert_eq!(
            placed,
            vec![(0, 244, 294), (1, 264, 314), (0, 126, 176), (0, 943, 993)]
        );
    }

    #[test]
    fn the_legend_wraps_into_centred_rows_and_the_header_grows() {
        let items: Vec<LegendItem> = (0..12)
            .map(|i| {
                LegendItem::new(
                    Swatch::line(palette::series(i), 3),
                    format!("Scenario number {i}"),
                )
            })
            .collect();
        let mut rgb = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        ensure_fonts().unwrap();
        let one = Frame::new("t").legend(items[..3].to_vec());
        assert_eq!(one.legend_rows(&root, 1160).unwrap().len(), 1);
        assert_eq!(one.draw_header(&root).unwrap(), LEGEND_Y + BELOW_LEGEND);
        let many = Frame::new("t").legend(items);
        let rows = many.legend_rows(&root, 1160).unwrap();
        assert!(rows.len() >= 2);
        assert_eq!(rows.iter().map(Vec::len).sum::<usize>(), 12);
        for row in &rows {
            let w: i32 = row
                .iter()
                .map(|(_, _, w)| SWATCH_W + SWATCH_GAP + w)
                .sum::<i32>()
                + ITEM_GAP * (row.len() as i32 - 1);
            assert!(w <= 1160, "row of {w} pixels");
        }
        assert_eq!(
            many.draw_header(&root).unwrap(),
            LEGEND_Y + (rows.len() as i32 - 1) * LEGEND_ROW + BELOW_LEGEND
        );
        // Long labels are shortened.
        let long = Frame::new("t").legend(vec![LegendItem::new(Swatch::Box(BAR), "x".repeat(60))]);
        assert_eq!(
            long.legend_rows(&root, 1160).unwrap()[0][0]
                .1
                .chars()
                .count(),
            40
        );
    }

    #[test]
    fn row_labels_name_each_row_from_the_top() {
        let names: Vec<String> = ["first", "second", "third"].map(String::from).to_vec();
        let f = row_labels(&names);
        assert_eq!(rows(3), -0.5..2.5);
        assert_eq!(f(&row_y(3, 0)), "first");
        assert_eq!(f(&row_y(3, 2)), "third");
        assert_eq!(f(&0.5), "");
        assert_eq!(f(&3.0), "");
    }

    /// A tornado chart as the coming charts will be written: the frame, one bar per named row,
    /// the category axis as wide as the longest name.
    fn tornado(names: &[String], values: &[f64]) -> Result<Vec<u8>, ChartError> {
        Frame::new("Sensitivity: demo")
            .subtitle("Spearman rank correlation with the project duration")
            .legend(vec![
                LegendItem::new(Swatch::Box(BAR), "Duration sensitivity"),
                LegendItem::new(Swatch::Dot(CURVE), "Criticality"),
            ])
            .render(|body| {
                let label_width = widest(
                    body,
                    names.iter().map(String::as_str),
                    &text_style(15.0, TEXT),
                )?;
                let n = names.len();
                let mut chart = plot(body, false)
                    .y_label_area_size(label_width + 20)
                    .build_cartesian_2d(-1.0..1.0, rows(n))
                    .map_err(err)?;
                let labels = row_labels(names);
                style_mesh(&mut chart.configure_mesh())
                    .disable_y_mesh()
                    .y_labels(2 * n + 1)
                    .y_label_formatter(&labels)
                    .x_desc("Rank correlation")
                    .draw()
                    .map_err(err)?;
                chart
                    .draw_series(values.iter().enumerate().map(|(i, &v)| {
                        let y = row_y(n, i);
                        Rectangle::new([(0.0, y - 0.35), (v, y + 0.35)], BAR.filled())
                    }))
                    .map_err(err)?;
                chart
                    .draw_series(
                        values
                            .iter()
                            .enumerate()
                            .map(|(i, &v)| Circle::new((v.abs(), row_y(n, i)), 5, CURVE.filled())),
                    )
                    .map_err(err)?;
                Ok(())
            })
    }

    #[test]
    fn a_tornado_chart_is_a_small_function_of_the_frame() {
        let names: Vec<String> = ["Model development", "Labelling", "Data collection"]
            .map(String::from)
            .to_vec();
        let png = tornado(&names, &[0.62, -0.35, 0.1]).unwrap();
        assert_eq!(png, tornado(&names, &[0.62, -0.35, 0.1]).unwrap());
        let img = decode(&png);
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        assert!(pixels_of(&img, BAR) > 10_000);
        assert!(pixels_of(&img, CURVE) > 100);
    }
}
