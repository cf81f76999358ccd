//! `gantt.png`: the plan as a Gantt chart with its uncertainty. One row per task in plan order
//! (over [`MAX_ROWS`] tasks: the milestones and the most critical tasks, said in the
//! subtitle): the deterministic bar coloured by how often the task was critical, milestones as
//! diamonds, levels of effort as thin bars, each task's simulated P50 and P80 finish when the
//! report carries them; below them the project buffer as a block from the plan's finish to the
//! finish at the confidence level; the plan finish, the finish at the confidence level and the
//! deadline as tagged vertical lines; sprint boundaries when the plan has sprints; a date axis
//! (weeks or months) when it has a start date. Everything shown comes from the [`Report`]; this
//! file only chooses rows and lays them out.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::axis::AxisFormat;
use super::chart::frame::{self, Area, X_TICKS};
use super::chart::palette::{AXIS, BAR, CURVE, GRID, MUTED_TEXT, P50, PCONF, PLAN, TEXT};
use super::chart::text::{bold_style, text_style, widest};
use super::chart::{err, ChartError, Frame, LegendItem, Swatch, Tag};
use super::format::{confidence_label, plural, shorten, thousands};
use super::Artefact;
use crate::error::{Error, Result};
use crate::model::TaskKind;
use crate::stats::{GanttTask, Report, TaskStat};

/// The most task rows drawn; larger plans show their milestones and most critical tasks.
pub const MAX_ROWS: usize = 60;
/// Pixels per row.
const ROW_PX: u32 = 24;
/// Task names longer than this are shortened with an ellipsis.
const LABEL_MAX: usize = 38;
/// Criticality at or above which a task is coloured as (nearly always) critical.
const HIGH: f64 = 0.8;
/// Criticality at or above which a task is coloured as sometimes critical.
const MID: f64 = 0.2;
/// Sometimes critical.
const MID_COLOUR: RGBColor = RGBColor(86, 128, 188);
/// The deadline line.
const DEADLINE: RGBColor = RGBColor(150, 60, 160);
/// The buffer block's fill: 30% of the confidence colour on white.
const BUFFER_FILL: RGBColor = RGBColor(240, 197, 185);
/// Sprint boundaries.
const SPRINT: RGBColor = RGBColor(175, 175, 175);

/// The chart's coordinates: working days across, rows up.
type Chart<'a, 'b> = ChartContext<
    'a,
    BitMapBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Writes `gantt.png`.
pub struct GanttChart;

impl Artefact for GanttChart {
    fn file_name(&self) -> &'static str {
        "gantt.png"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        render_png(r).map_err(|e| Error::Output(format!("gantt.png: {e}")))
    }
}

/// The rows to draw, in plan order: every task when there are at most [`MAX_ROWS`], else the
/// milestones (most critical first if even they are too many) and then the most critical other
/// tasks (criticality, then on the plan's critical path, then plan order) up to
/// [`MAX_ROWS`]. Returns the task indices and how many of them are milestones.
pub fn select_rows(tasks: &[GanttTask]) -> Vec<usize> {
    if tasks.len() <= MAX_ROWS {
        return (0..tasks.len()).collect();
    }
    let rank = |a: &usize, b: &usize| {
        let (ta, tb) = (&tasks[*a], &tasks[*b]);
        tb.criticality
            .total_cmp(&ta.criticality)
            .then(tb.critical_in_plan.cmp(&ta.critical_in_plan))
            .then(a.cmp(b))
    };
    let (mut milestones, mut others): (Vec<usize>, Vec<usize>) =
        (0..tasks.len()).partition(|&i| tasks[i].kind == TaskKind::Milestone);
    milestones.sort_by(rank);
    others.sort_by(rank);
    let mut chosen: Vec<usize> = milestones
        .into_iter()
        .chain(others)
        .take(MAX_ROWS)
        .collect();
    chosen.sort_unstable();
    chosen
}

/// The colour of a task's bar: dark when critical in at least [`HIGH`] of iterations, mid
/// from [`MID`], light below.
fn bar_colour(criticality: f64) -> RGBColor {
    if criticality >= HIGH {
        CURVE
    } else if criticality >= MID {
        MID_COLOUR
    } else {
        BAR
    }
}

/// Renders the Gantt chart of `r` to PNG bytes (no file I/O). Deterministic.
pub fn render_png(r: &Report) -> Result<Vec<u8>, ChartError> {
    let g = &r.gantt;
    let rows = select_rows(&g.tasks);
    let c = confidence_label(r.confidence);
    let mut subtitle = format!(
        "Bars: the plan on most likely durations, coloured by how often each task was critical \
         ({} iteration{})",
        thousands(r.iterations as f64, 0),
        plural(r.iterations)
    );
    if rows.len() < g.tasks.len() {
        let milestones = rows
            .iter()
            .filter(|&&i| g.tasks[i].kind == TaskKind::Milestone)
            .count();
        subtitle = format!(
            "{}   ·   {}",
            rows_shown(rows.len(), g.tasks.len(), milestones),
            subtitle
        );
    }
    let marks = rows.iter().any(|&i| g.tasks[i].finish_marks.is_some());
    let mut legend = vec![
        LegendItem::new(Swatch::Box(CURVE), "Critical in 80% or more"),
        LegendItem::new(Swatch::Box(MID_COLOUR), "20–80%"),
        LegendItem::new(Swatch::Box(BAR), "under 20%"),
        LegendItem::new(Swatch::Box(BUFFER_FILL), format!("Buffer to {c}")),
    ];
    if marks {
        legend.push(LegendItem::new(Swatch::line(P50, 3), "Task P50 finish"));
        legend.push(LegendItem::new(Swatch::line(PCONF, 3), "Task P80 finish"));
    }
    if r.deadline.is_some() {
        legend.push(LegendItem::new(
            Swatch::dashed(DEADLINE, 2, 8, 5),
            "Deadline",
        ));
    }
    if r.sprints.is_some() {
        legend.push(LegendItem::new(
            Swatch::dashed(SPRINT, 1, 4, 4),
            "Sprint boundary",
        ));
    }
    // Rows plus the buffer row; header, axis and margins around them.
    let n = rows.len() + 1;
    let height = (n as u32 * ROW_PX + 240).max(480);
    Frame::new(format!("Schedule with buffer: {}", r.project))
        .size(frame::WIDTH, height)
        .subtitle(subtitle)
        .legend(legend)
        .render(|body| draw_body(body, r, &rows))
}

/// The label of a row: the task's name, or its id when it has none.
/// Which rows a large plan's chart shows: `shown` of `total` tasks, `milestones` of them
/// milestones (not named when there are none).
fn rows_shown(shown: usize, total: usize, milestones: usize) -> String {
    let which = if milestones == 0 {
        format!("the {shown} most critical")
    } else {
        format!(
            "the {milestones} milestone{} and the {} most critical",
            plural(milestones),
            shown - milestones
        )
    };
    format!("{shown} of {} tasks: {which}", thousands(total as f64, 0))
}

fn row_name(t: &TaskStat) -> String {
    shorten(if t.name.is_empty() { &t.id } else { &t.name }, LABEL_MAX)
}

fn draw_body(body: &Area, r: &Report, rows: &[usize]) -> Result<(), ChartError> {
    let g = &r.gantt;
    let c = confidence_label(r.confidence);
    let plan = r.duration.deterministic;
    let at_conf = r.duration.at_confidence;
    let deadline = r.deadline.map(|d| d.working_days as f64);
    let x_max = rows
        .iter()
        .flat_map(|&i| {
            let t = &g.tasks[i];
            [t.finish, t.finish_marks.map_or(0.0, |m| m.p80.max(m.p50))]
        })
        .chain([plan, at_conf, deadline.unwrap_or(0.0)])
        .fold(1.0f64, f64::max);
    let x_range = -0.01 * x_max..x_max * 1.04;
    let mut names: Vec<String> = rows.iter().map(|&i| row_name(&r.tasks[i])).collect();
    names.push(format!("Project buffer to {c}"));
    let n = names.len();
    let label_style = text_style(14.0, TEXT);
    let label_width = widest(body, names.iter().map(String::as_str), &label_style)?;
    let dated = r.calendar.is_some() && !g.weeks.is_empty();
    let mut chart = frame::plot(body, false)
        .y_label_area_size(label_width + 20)
        .build_cartesian_2d(x_range.clone(), frame::rows(n))
        .map_err(err)?;
    let labels = frame::row_labels(&names);
    let x_fmt = AxisFormat::for_axis(0.0, x_range.end, X_TICKS, false);
    let x_formatter = |v: &f64| x_fmt.format(*v);
    let mut mesh = chart.configure_mesh();
    frame::style_mesh(&mut mesh)
        .disable_y_mesh()
        .y_labels(2 * n + 1)
        .y_label_formatter(&labels)
        .y_label_style(label_style.clone());
    if dated {
        mesh.disable_x_mesh().x_labels(0);
    } else {
        mesh.x_label_formatter(&x_formatter)
            .x_desc("Working days from the start");
    }
    mesh.draw().map_err(err)?;
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let top = frame::row_y(n, 0) + 0.5;
    let bottom = -0.5;

    if dated {
        draw_date_axis(
            body,
            &chart,
            r,
            x_range.end,
            (plot_x.clone(), plot_y.clone()),
        )?;
    }
    // Sprint boundaries and their numbers along the top.
    if let Some(sp) = &r.sprints {
        let first = ((0.0 - sp.offset) / sp.length).ceil() as i64;
        let px_per_day = (plot_x.end - plot_x.start) as f64 / (x_range.end - x_range.start);
        let sprint_px = sp.length * px_per_day;
        // Lines at least 6 pixels apart, numbers as far apart as the widest is wide (7 pixels
        // a character and 12 to spare): every `step`-th boundary and every `every`-th sprint
        // (a multiple of `step`), so that tiny sprints stay cheap and legible.
        let last = ((x_range.end - sp.offset) / sp.length).ceil().max(1.0);
        let label_px = 7.0 * (last.log10().floor() + 2.0) + 12.0;
        let step = ((6.0 / sprint_px).ceil() as i64).max(1);
        let every = ((label_px / sprint_px / step as f64).ceil() as i64).max(1) * step;
        let mut k = first + (step - first.rem_euclid(step)) % step;
        loop {
            let x = sp.offset + k as f64 * sp.length;
            if x > x_range.end {
                break;
            }
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    vec![(x, bottom), (x, top)],
                    4,
                    4,
                    SPRINT.stroke_width(1),
                )))
                .map_err(err)?;
            let mid = x + sp.length / 2.0;
            if k >= 0 && k.rem_euclid(every) == 0 && mid < x_range.end {
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("S{}", k + 1),
                        (mid, top),
                        text_style(12.0, MUTED_TEXT).pos(Pos::new(HPos::Center, VPos::Top)),
                    )))
                    .map_err(err)?;
            }
            k += step;
        }
    }

    // Task rows.
    for (row, &i) in rows.iter().enumerate() {
        let t = &g.tasks[i];
        let y = frame::row_y(n, row);
        let colour = bar_colour(t.criticality);
        match t.kind {
            TaskKind::Milestone => {}
            TaskKind::LevelOfEffort => {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(t.start, y - 0.08), (t.finish, y + 0.08)],
                        MUTED_TEXT.filled(),
                    )))
                    .map_err(err)?;
            }
            TaskKind::Task => {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(t.start, y - 0.3), (t.finish, y + 0.3)],
                        colour.filled(),
                    )))
                    .map_err(err)?;
            }
        }
        if t.kind == TaskKind::Milestone || (t.kind == TaskKind::Task && t.finish <= t.start) {
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((t.finish, y))
                        + Polygon::new(vec![(0, -8), (8, 0), (0, 8), (-8, 0)], colour.filled())
                        + PathElement::new(
                            vec![(0, -8), (8, 0), (0, 8), (-8, 0), (0, -8)],
                            TEXT.stroke_width(1),
                        ),
                ))
                .map_err(err)?;
        }
        if let Some(m) = t.finish_marks {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(t.finish, y), (m.p80.max(t.finish), y)],
                    PCONF.stroke_width(1),
                )))
                .map_err(err)?;
            for (x, colour) in [(m.p50, P50), (m.p80, PCONF)] {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x, y - 0.42), (x, y + 0.42)],
                        colour.stroke_width(3),
                    )))
                    .map_err(err)?;
            }
        }
    }

    // The buffer row: a block from the plan's finish to the finish at the confidence level.
    let y = frame::row_y(n, n - 1);
    let (lo, hi) = (plan.min(at_conf), plan.max(at_conf));
    chart
        .draw_series([
            Rectangle::new([(lo, y - 0.34), (hi, y + 0.34)], BUFFER_FILL.filled()),
            Rectangle::new([(lo, y - 0.34), (hi, y + 0.34)], PCONF.stroke_width(2)),
        ])
        .map_err(err)?;
    let buffer_text = format!(
        "{} working days",
        if r.buffer.schedule_days >= 0.0 {
            format!("+{}", thousands(r.buffer.schedule_days, 1))
        } else {
            thousands(r.buffer.schedule_days, 1)
        }
    );
    let (text_x, anchor, dx) = if hi < x_range.end * 0.8 {
        (hi, HPos::Left, 8)
    } else {
        (lo, HPos::Right, -8)
    };
    chart
        .draw_series(std::iter::once(
            EmptyElement::at((text_x, y))
                + Text::new(
                    buffer_text,
                    (dx, 0),
                    bold_style(14.0, PCONF).pos(Pos::new(anchor, VPos::Center)),
                ),
        ))
        .map_err(err)?;

    // Vertical lines: plan finish, finish at the confidence level, deadline; tagged.
    let date = |x: f64, d: Option<chrono::NaiveDate>| match d {
        Some(d) => d.format("%b %-d").to_string(),
        None => thousands(x, 1),
    };
    let fd = r.finish_date.as_ref();
    let mut lines: Vec<(f64, RGBColor, bool, String)> = vec![
        (
            plan,
            PLAN,
            false,
            format!("Plan {}", date(plan, fd.map(|f| f.deterministic))),
        ),
        (
            at_conf,
            PCONF,
            false,
            format!("{c} {}", date(at_conf, fd.map(|f| f.at_confidence))),
        ),
    ];
    if let (Some(x), Some(dl)) = (deadline, r.deadline) {
        lines.push((
            x,
            DEADLINE,
            true,
            format!("Deadline {}", date(x, Some(dl.date))),
        ));
    }
    for (x, colour, dashed, _) in &lines {
        let pts = vec![(*x, bottom), (*x, top)];
        if *dashed {
            chart
                .draw_series(std::iter::once(DashedPathElement::new(
                    pts,
                    8,
                    5,
                    colour.stroke_width(2),
                )))
                .map_err(err)?;
        } else {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    pts,
                    colour.stroke_width(2),
                )))
                .map_err(err)?;
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    let tags: Vec<Tag> = lines
        .iter()
        .map(|(x, colour, _, label)| Tag {
            x: chart.backend_coord(&(*x, 0.0)).0,
            label: label.clone(),
            colour: *colour,
        })
        .collect();
    // Tags near the top, under the sprint numbers: late lines meet the empty top right of a
    // Gantt chart (its first tasks are at the top left).
    let tag_y = (plot_y.start + 12)..plot_y.end;
    frame::draw_tags(body, &tags, plot_x, tag_y)?;
    Ok(())
}

/// The date axis: grid lines and labels at week starts (up to 16 weeks shown) or month starts
/// (every month up to 18, else every third), drawn under the plot.
fn draw_date_axis(
    body: &Area,
    chart: &Chart,
    r: &Report,
    x_end: f64,
    (plot_x, plot_y): (std::ops::Range<i32>, std::ops::Range<i32>),
) -> Result<(), ChartError> {
    let g = &r.gantt;
    let in_range = |t: &&crate::stats::DateTick| t.offset <= x_end;
    let weeks: Vec<_> = g.weeks.iter().filter(in_range).collect();
    let months: Vec<_> = g.months.iter().filter(in_range).collect();
    let (ticks, format, desc): (Vec<_>, &str, &str) = if weeks.len() <= 16 {
        (weeks, "%b %-d", "Weeks (Mondays)")
    } else if months.len() <= 18 {
        (months, "%b %Y", "Months")
    } else {
        (months.into_iter().step_by(3).collect(), "%b %Y", "Quarters")
    };
    let (ox, oy) = body.get_base_pixel();
    let style = text_style(14.0, TEXT).pos(Pos::new(HPos::Center, VPos::Top));
    for t in &ticks {
        let (px, _) = chart.backend_coord(&(t.offset, 0.0));
        if px < plot_x.start || px > plot_x.end {
            continue;
        }
        body.draw(&PathElement::new(
            vec![(px - ox, plot_y.start - oy), (px - ox, plot_y.end - oy)],
            GRID.stroke_width(1),
        ))
        .map_err(err)?;
        body.draw(&PathElement::new(
            vec![(px - ox, plot_y.end - oy), (px - ox, plot_y.end - oy + 5)],
            AXIS.stroke_width(1),
        ))
        .map_err(err)?;
        body.draw_text(
            &t.date.format(format).to_string(),
            &style,
            (px - ox, plot_y.end - oy + 8),
        )
        .map_err(err)?;
    }
    body.draw_text(
        desc,
        &text_style(17.0, TEXT).pos(Pos::new(HPos::Center, VPos::Top)),
        ((plot_x.start + plot_x.end) / 2 - ox, plot_y.end - oy + 34),
    )
    .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::FinishMarks;

    fn task(i: usize, kind: TaskKind, criticality: f64) -> GanttTask {
        GanttTask {
            kind,
            start: i as f64,
            finish: i as f64 + 1.0,
            criticality,
            critical_in_plan: false,
            finish_marks: None,
        }
    }

    #[test]
    fn large_plans_keep_their_milestones_and_most_critical_tasks_in_plan_order() {
        // 100 tasks: every 10th a milestone (10), criticality rising with the index.
        let tasks: Vec<GanttTask> = (0..100)
            .map(|i| {
                let kind = if i % 10 == 0 {
                    TaskKind::Milestone
                } else {
                    TaskKind::Task
                };
                task(i, kind, i as f64 / 100.0)
            })
            .collect();
        let rows = select_rows(&tasks);
        assert_eq!(rows.len(), MAX_ROWS);
        assert!(rows.windows(2).all(|w| w[0] < w[1]));
        // All 10 milestones, and the 50 most critical others: 45..=99 without 50, 60, 70, 80, 90
        // (5 × 9 = 45 from 51..=99, and 45..=49).
        for m in (0..100).step_by(10) {
            assert!(rows.contains(&m));
        }
        let others: Vec<usize> = rows.iter().copied().filter(|i| i % 10 != 0).collect();
        assert_eq!(others.len(), 50);
        assert_eq!(others[0], 45);
        assert_eq!(select_rows(&tasks[..60]).len(), 60);
    }

    #[test]
    fn the_subtitle_names_milestones_only_when_there_are_some() {
        assert_eq!(
            rows_shown(60, 100_000, 0),
            "60 of 100,000 tasks: the 60 most critical"
        );
        assert_eq!(
            rows_shown(60, 1_000, 1),
            "60 of 1,000 tasks: the 1 milestone and the 59 most critical"
        );
        assert_eq!(
            rows_shown(60, 1_000, 3),
            "60 of 1,000 tasks: the 3 milestones and the 57 most critical"
        );
    }

    #[test]
    fn the_chart_is_deterministic_and_draws_the_marks_when_present() {
        let r = crate::stats::testing::report(&[8.0, 9.0, 10.0, 11.0, 12.0], &[1.0; 5]);
        let png = render_png(&r).unwrap();
        assert_eq!(png, render_png(&r).unwrap());
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        let count = |c: RGBColor| img.pixels().filter(|p| p.0 == [c.0, c.1, c.2]).count();
        assert_eq!(count(P50), 0, "no P50 marks without task finishes");
        // Task a (criticality 0.6) mid blue, b (1.0) dark.
        assert!(count(MID_COLOUR) > 1000 && count(CURVE) > 1000);
        let mut marked = r.clone();
        marked.gantt.tasks[1].finish_marks = Some(FinishMarks {
            p50: 10.5,
            p80: 11.5,
        });
        let img = image::load_from_memory(&render_png(&marked).unwrap())
            .unwrap()
            .to_rgb8();
        // In the body (below the legend row at y = 84): the tick, 3 pixels × about 20.
        let body_p50 = img
            .enumerate_pixels()
            .filter(|(_, y, p)| *y > 110 && p.0 == [P50.0, P50.1, P50.2])
            .count();
        assert!(body_p50 > 30, "{body_p50} P50 pixels in the body");
    }
}
