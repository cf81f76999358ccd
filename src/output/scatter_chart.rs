//! `scatter.png` (`--drivers`): every iteration's (finish, cost) as a density scatter (darker
//! cells hold more iterations), the frontier of `jcl.csv` (the smallest cost met together with
//! each finish at the confidence level) and, with a deadline and a budget, their lines and the
//! joint probability in the legend. The values come from the report; this file only maps
//! them to pixels.

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::chart::axis::AxisFormat;
use super::chart::frame::{self, X_TICKS};
use super::chart::palette::{CURVE, P50, PCONF, PLAN};
use super::chart::{err, ChartError, Frame, LegendItem, Swatch};

use super::format::{confidence_label, money, percent, thousands};
use super::Artefact;
use crate::error::{Error, Result};
use crate::stats::Report;

/// Writes `scatter.png`.
pub struct ScatterChart;

/// Density cells across and up the plot.
const CELLS_X: usize = 150;
const CELLS_Y: usize = 90;

impl Artefact for ScatterChart {
    fn file_name(&self) -> &'static str {
        "scatter.png"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        render(r).map_err(|e| Error::Output(format!("scatter.png: {e}")))
    }
}

fn render(r: &Report) -> Result<Vec<u8>, ChartError> {
    let Some(d) = &r.drivers else {
        return Err(ChartError("no drivers were measured".into()));
    };
    if d.samples.is_empty() {
        return Err(ChartError("no iterations".into()));
    }
    let joint = d.joint;
    let (mut x0, mut x1, mut y0, mut y1) = d.samples.iter().fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(a, b, c, e), &(x, y)| (a.min(x), b.max(x), c.min(y), e.max(y)),
    );
    if let Some(j) = joint {
        (x0, x1) = (x0.min(j.working_days as f64), x1.max(j.working_days as f64));
        (y0, y1) = (y0.min(j.budget), y1.max(j.budget));
    }
    let (x0, x1) = frame::widen_if_flat(x0, x1);
    let (y0, y1) = frame::widen_if_flat(y0, y1);
    let (xr, yr) = (frame::padded(x0, x1)?, frame::padded(y0, y1)?);
    // Density: iterations per cell, shaded by the square root of the count.
    let (cw, ch) = (
        (xr.end - xr.start) / CELLS_X as f64,
        (yr.end - yr.start) / CELLS_Y as f64,
    );
    let mut cells = vec![0u32; CELLS_X * CELLS_Y];
    for &(x, y) in &d.samples {
        let i = (((x - xr.start) / cw) as usize).min(CELLS_X - 1);
        let k = (((y - yr.start) / ch) as usize).min(CELLS_Y - 1);
        cells[k * CELLS_X + i] += 1;
    }
    let most = f64::from(cells.iter().copied().max().unwrap_or(1).max(1));

    let mut legend = vec![
        LegendItem::new(Swatch::Box(CURVE), "Iterations (darker: more of them)"),
        LegendItem::new(
            Swatch::line(PCONF, 3),
            format!("{} frontier (jcl.csv)", confidence_label(r.confidence)),
        ),
    ];
    if let Some(j) = joint {
        legend.push(LegendItem::new(
            Swatch::dashed(P50, 2, 10, 5),
            format!("Deadline {}", j.deadline),
        ));
        legend.push(LegendItem::new(
            Swatch::dashed(PLAN, 2, 10, 5),
            format!("Budget {}", money(&r.currency, j.budget)),
        ));
        legend.push(LegendItem::new(
            Swatch::Box(P50),
            format!("Deadline and budget both met: {}", percent(j.probability)),
        ));
    }
    let subtitle = match joint {
        Some(j) => format!(
            "{} iterations   ·   joint confidence of the deadline and the budget: {}",
            thousands(r.iterations as f64, 0),
            percent(j.probability)
        ),
        None => format!(
            "{} iterations   ·   give a deadline and a budget for their joint confidence",
            thousands(r.iterations as f64, 0)
        ),
    };
    let cost_label = if r.currency.is_empty() {
        "Cost".to_string()
    } else {
        format!("Cost ({})", r.currency)
    };
    Frame::new(format!("Finish and cost together: {}", r.project))
        .subtitle(subtitle)
        .legend(legend)
        .render(|body| {
            let mut chart = frame::plot(body, false)
                .build_cartesian_2d(xr.clone(), yr.clone())
                .map_err(err)?;
            let x_fmt = AxisFormat::for_axis(xr.start, xr.end, X_TICKS, true);
            let y_fmt = AxisFormat::for_axis(yr.start, yr.end, 8, true);
            let xf = |v: &f64| x_fmt.format(*v);
            let yf = |v: &f64| y_fmt.format(*v);
            frame::style_mesh(&mut chart.configure_mesh())
                .y_labels(8)
                .x_label_formatter(&xf)
                .y_label_formatter(&yf)
                .x_desc("Duration (working days)")
                .y_desc(cost_label.as_str())
                .draw()
                .map_err(err)?;
            chart
                .draw_series(
                    cells
                        .iter()
                        .enumerate()
                        .filter(|(_, &c)| c > 0)
                        .map(|(idx, &c)| {
                            let (i, k) = (idx % CELLS_X, idx / CELLS_X);
                            let (a, b) = (xr.start + cw * i as f64, yr.start + ch * k as f64);
                            let shade = 0.15 + 0.85 * (f64::from(c) / most).sqrt();
                            Rectangle::new([(a, b), (a + cw, b + ch)], CURVE.mix(shade).filled())
                        }),
                )
                .map_err(err)?;
            if let Some(j) = joint {
                let (wd, budget) = (j.working_days as f64, j.budget);
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        vec![(wd, yr.start), (wd, yr.end)],
                        10,
                        5,
                        P50.stroke_width(2),
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(DashedPathElement::new(
                        vec![(xr.start, budget), (xr.end, budget)],
                        10,
                        5,
                        PLAN.stroke_width(2),
                    )))
                    .map_err(err)?;
            }
            chart
                .draw_series(LineSeries::new(
                    d.frontier.iter().map(|p| (p.duration, p.cost)),
                    PCONF.stroke_width(3),
                ))
                .map_err(err)?;
            Ok(())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_drawn_in_the_frame_and_is_deterministic() {
        use crate::output::chart::palette::PCONF;
        let r = crate::stats::testing::report_with_drivers();
        let png = render(&r).unwrap();
        assert_eq!(png, render(&r).unwrap());
        let coloured = crate::output::chart::testing::pixels_of(&png, PCONF);
        assert!(coloured > 50, "{coloured} pixels of the main series");
    }

    #[test]
    fn without_drivers_there_is_no_scatter() {
        let r = crate::stats::testing::report(&[1.0, 2.0], &[1.0, 2.0]);
        assert!(render(&r).is_err());
    }
}
