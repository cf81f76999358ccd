//! `tornado.png` (`--drivers`): the tasks whose duration moves the project's finish most, by
//! their duration sensitivity (Spearman's ρ with the project duration), largest first, each
//! bar labelled with its value and a dot at the task's criticality; with a risk register a
//! second panel shows the risks by their contribution to the mean duration. The ranking and
//! the values come from the report; this file only lays them out.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::frame::{self, row_labels, row_y, rows, Area, HEIGHT, WIDTH};
use super::chart::palette::{BAR, CURVE, PCONF, TEXT};
use super::chart::text::{text_style, widest};
use super::chart::{err, ChartError, Frame, LegendItem, Swatch};
use super::format::{shorten, thousands};
use super::Artefact;
use crate::error::{Error, Result};
use crate::stats::Report;

/// Writes `tornado.png`.
pub struct TornadoChart;

/// At most this many tasks (and risks) are shown.
pub const TOP: usize = 15;
/// Names are cut to this many characters.
const NAME_MAX: usize = 42;

/// One panel: named rows with a bar value each and, optionally, a dot value each.
struct Panel {
    names: Vec<String>,
    values: Vec<f64>,
    dots: Option<Vec<f64>>,
    x_desc: &'static str,
    labels: Vec<String>,
    colour: RGBColor,
}

impl Artefact for TornadoChart {
    fn file_name(&self) -> &'static str {
        "tornado.png"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        render(r).map_err(|e| Error::Output(format!("tornado.png: {e}")))
    }
}

fn name_of(name: &str, id: &str) -> String {
    shorten(if name.is_empty() { id } else { name }, NAME_MAX)
}

fn render(r: &Report) -> Result<Vec<u8>, ChartError> {
    let Some(d) = &r.drivers else {
        return Err(ChartError("no drivers were measured".into()));
    };
    let top: Vec<usize> = d.sensitivity_ranking.iter().take(TOP).copied().collect();
    let tasks = Panel {
        names: top
            .iter()
            .map(|&i| name_of(&r.tasks[i].name, &r.tasks[i].id))
            .collect(),
        values: top
            .iter()
            .map(|&i| d.tasks[i].duration_sensitivity)
            .collect(),
        dots: Some(top.iter().map(|&i| r.tasks[i].criticality).collect()),
        x_desc: "Duration sensitivity (Spearman rank correlation with the project duration)",
        labels: top
            .iter()
            .map(|&i| format!("{:.2}", d.tasks[i].duration_sensitivity))
            .collect(),
        colour: BAR,
    };
    let mut risks: Vec<usize> = (0..r.risks.len()).collect();
    risks.sort_by(|&a, &b| {
        let (x, y) = (&r.risks[a], &r.risks[b]);
        y.duration_contribution
            .abs()
            .total_cmp(&x.duration_contribution.abs())
            .then_with(|| x.id.cmp(&y.id))
    });
    risks.truncate(TOP);
    let risk_panel = (!risks.is_empty()).then(|| Panel {
        names: risks
            .iter()
            .map(|&k| name_of(&r.risks[k].name, &r.risks[k].id))
            .collect(),
        values: risks
            .iter()
            .map(|&k| r.risks[k].duration_contribution)
            .collect(),
        dots: None,
        x_desc: "Risk contribution to the mean duration (working days)",
        labels: risks
            .iter()
            .map(|&k| format!("{:+.1} d", r.risks[k].duration_contribution))
            .collect(),
        colour: PCONF,
    });
    let first = top.first().map(|&i| {
        format!(
            "{} drives the finish most (ρ = {:.2})",
            name_of(&r.tasks[i].name, &r.tasks[i].id),
            d.tasks[i].duration_sensitivity
        )
    });
    let subtitle = format!(
        "{} iterations   ·   top {} of {} tasks by |sensitivity|{}",
        thousands(r.iterations as f64, 0),
        top.len(),
        r.tasks.len(),
        first.map(|f| format!("   ·   {f}")).unwrap_or_default()
    );
    let mut legend = vec![
        LegendItem::new(Swatch::Box(BAR), "Duration sensitivity (bar)"),
        LegendItem::new(Swatch::Dot(CURVE), "Criticality (dot, same 0–1 scale)"),
    ];
    if risk_panel.is_some() {
        legend.push(LegendItem::new(
            Swatch::Box(PCONF),
            "Risk: mean days added (lower panel)",
        ));
    }
    let height = match &risk_panel {
        Some(p) => HEIGHT + 60 + 34 * p.names.len() as u32,
        None => HEIGHT,
    };
    Frame::new(format!("What drives the finish: {}", r.project))
        .size(WIDTH, height)
        .subtitle(subtitle)
        .legend(legend)
        .render(|body| {
            let label_width = widest(
                body,
                tasks
                    .names
                    .iter()
                    .chain(risk_panel.iter().flat_map(|p| &p.names))
                    .map(String::as_str),
                &text_style(15.0, TEXT),
            )?;
            match &risk_panel {
                None => draw_panel(body, &tasks, label_width),
                Some(p) => {
                    let (_, h) = body.dim_in_pixel();
                    let split = h as i32 - (60 + 34 * p.names.len() as i32) - 40;
                    let (upper, lower) = body.split_vertically(split.max(200));
                    draw_panel(&upper, &tasks, label_width)?;
                    draw_panel(&lower, p, label_width)
                }
            }
        })
        .map_err(|e| ChartError(e.to_string()))
}

fn draw_panel(area: &Area, p: &Panel, label_width: u32) -> Result<(), ChartError> {
    let n = p.names.len().max(1);
    let lo = p.values.iter().fold(0.0f64, |a, &v| a.min(v));
    let mut hi = p.values.iter().fold(0.0f64, |a, &v| a.max(v));
    if let Some(dots) = &p.dots {
        hi = dots.iter().fold(hi, |a, &v| a.max(v));
    }
    let (lo, hi) = frame::widen_if_flat(lo, hi);
    // Room on the right for the value labels.
    let span = hi - lo;
    let x = (lo - 0.03 * span)..(hi + 0.12 * span);
    let mut chart = frame::plot(area, false)
        .y_label_area_size(label_width + 20)
        .build_cartesian_2d(x, rows(n))
        .map_err(err)?;
    let labels = row_labels(&p.names);
    frame::style_mesh(&mut chart.configure_mesh())
        .disable_y_mesh()
        .y_labels(2 * n + 1)
        .y_label_formatter(&labels)
        .x_desc(p.x_desc)
        .draw()
        .map_err(err)?;
    chart
        .draw_series(p.values.iter().enumerate().map(|(i, &v)| {
            let y = row_y(n, i);
            Rectangle::new([(0.0, y - 0.35), (v, y + 0.35)], p.colour.filled())
        }))
        .map_err(err)?;
    if let Some(dots) = &p.dots {
        chart
            .draw_series(
                dots.iter()
                    .enumerate()
                    .map(|(i, &v)| Circle::new((v, row_y(n, i)), 5, CURVE.filled())),
            )
            .map_err(err)?;
    }
    let style = text_style(14.0, TEXT).pos(Pos::new(HPos::Left, VPos::Center));
    let pad = 0.01 * span;
    chart
        .draw_series(
            p.values
                .iter()
                .zip(&p.labels)
                .enumerate()
                .map(|(i, (&v, l))| {
                    Text::new(l.clone(), (v.max(0.0) + pad, row_y(n, i)), style.clone())
                }),
        )
        .map_err(err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_drawn_in_the_frame_and_is_deterministic() {
        use crate::output::chart::palette::BAR;
        let r = crate::stats::testing::report_with_drivers();
        let png = render(&r).unwrap();
        assert_eq!(png, render(&r).unwrap());
        let coloured = crate::output::chart::testing::pixels_of(&png, BAR);
        assert!(coloured > 300, "{coloured} pixels of the main series");
    }

    #[test]
    fn without_drivers_there_is_no_tornado() {
        let r = crate::stats::testing::report(&[1.0, 2.0], &[1.0, 2.0]);
        assert!(render(&r).is_err());
    }
}
