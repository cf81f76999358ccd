//! `resource_profile.png`: the expected units of each resource in use over time (working days
//! from the start), one line per resource in the series colours, and each capacity as a dashed
//! line tagged with its value (one line for resources that share a capacity). Work after the
//! measured horizon is in no bin; the subtitle then says how much of it there is.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart::axis::AxisFormat;
use super::chart::frame::{self, Area, X_TICKS};
use super::chart::palette::{self, MUTED_TEXT};
use super::chart::text::bold_style;
use super::chart::{err, ChartError, Frame, LegendItem, Swatch};
use super::format::{plural, thousands};
use super::Artefact;
use crate::error::{Error, Result};
use crate::stats::{Report, ResourceProfile};

/// Labelled ticks on the units axis.
const Y_TICKS: usize = 8;
/// The capacity lines' dash pattern.
const DASH: (u32, u32) = (8, 5);

/// Writes `resource_profile.png` (`p80 simulate --resource-profile`); renders only for a
/// report that carries a resource profile.
pub struct ProfileChart;

impl Artefact for ProfileChart {
    fn file_name(&self) -> &'static str {
        "resource_profile.png"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let profile = r.resource_profile.as_ref().ok_or_else(|| {
            Error::Output("resource_profile.png: the run measured no resource profile".into())
        })?;
        render_png(
            &format!("Expected resources in use: {}", r.project),
            r.iterations,
            profile,
        )
        .map_err(|e| Error::Output(format!("resource_profile.png: {e}")))
    }
}

/// Resources that share a capacity: one dashed line, in the resource's colour when it is the
/// only one, else muted.
struct CapacityLine {
    units: f64,
    colour: RGBColor,
    label: String,
}

/// Renders the profile of `iterations` iterations to PNG bytes (no file I/O). Deterministic:
/// same input, same bytes.
pub fn render_png(
    title: &str,
    iterations: usize,
    profile: &ResourceProfile,
) -> Result<Vec<u8>, ChartError> {
    let capacities = capacity_lines(profile);
    let mut subtitle = format!(
        "{} iteration{}   ·   units of each resource in use, mean over the iterations",
        thousands(iterations as f64, 0),
        plural(iterations),
    );
    if !capacities.is_empty() {
        subtitle.push_str("   ·   dashed: capacity");
    }
    if let Some(note) = beyond_note(profile) {
        subtitle.push_str("   ·   ");
        subtitle.push_str(&note);
    }
    let mut legend: Vec<LegendItem> = profile
        .resources
        .iter()
        .enumerate()
        .map(|(k, r)| LegendItem::new(Swatch::line(palette::series(k), 3), &r.name))
        .collect();
    if !capacities.is_empty() {
        legend.push(LegendItem::new(
            Swatch::dashed(MUTED_TEXT, 2, DASH.0, DASH.1),
            "Capacity",
        ));
    }
    Frame::new(title)
        .subtitle(subtitle)
        .legend(legend)
        .render(|body| draw_body(body, profile, &capacities))
}

/// What the bins leave out: the mean work per iteration after the horizon, if any.
fn beyond_note(profile: &ResourceProfile) -> Option<String> {
    let beyond = profile.beyond();
    (beyond > 0.0).then(|| {
        format!(
            "not shown: {} unit-days per iteration after day {}",
            thousands(beyond, 1),
            thousands(profile.horizon, 0)
        )
    })
}

/// One line per distinct capacity, lowest first.
fn capacity_lines(profile: &ResourceProfile) -> Vec<CapacityLine> {
    let mut lines: Vec<(f64, Vec<usize>)> = Vec::new();
    for (k, r) in profile.resources.iter().enumerate() {
        let Some(c) = r.capacity else { continue };
        match lines.iter_mut().find(|(u, _)| *u == c) {
            Some((_, members)) => members.push(k),
            None => lines.push((c, vec![k])),
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    lines
        .into_iter()
        .map(|(units, members)| {
            let ids: Vec<&str> = members
                .iter()
                .map(|&k| profile.resources[k].id.as_str())
                .collect();
            CapacityLine {
                units,
                colour: match members[..] {
                    [k] => palette::series(k),
                    _ => MUTED_TEXT,
                },
                label: format!("capacity {units} ({})", ids.join(", ")),
            }
        })
        .collect()
}

fn draw_body(
    body: &Area,
    profile: &ResourceProfile,
    capacities: &[CapacityLine],
) -> Result<(), ChartError> {
    // Up to the end of the work (plus a margin), not the whole measured horizon.
    let x_max = profile.busy_until.max(profile.bin_days) * 1.05;
    let y_max = profile
        .resources
        .iter()
        .map(|r| r.peak)
        .chain(capacities.iter().map(|c| c.units))
        .fold(0.0f64, f64::max)
        .max(0.5)
        * 1.15;
    let mut chart = frame::plot(body, false)
        .build_cartesian_2d(0.0..x_max, 0.0..y_max)
        .map_err(err)?;
    let x_fmt = AxisFormat::for_axis(0.0, x_max, X_TICKS, true);
    let y_fmt = AxisFormat::for_axis(0.0, y_max, Y_TICKS, false);
    let x_formatter = |v: &f64| x_fmt.format(*v);
    let y_formatter = |v: &f64| y_fmt.format(*v);
    frame::style_mesh(&mut chart.configure_mesh())
        .y_labels(Y_TICKS)
        .y_max_light_lines(1)
        .x_label_formatter(&x_formatter)
        .y_label_formatter(&y_formatter)
        .x_desc("Working days from the start")
        .y_desc("Expected units in use")
        .draw()
        .map_err(err)?;

    for c in capacities {
        chart
            .draw_series(std::iter::once(DashedPathElement::new(
                vec![(0.0, c.units), (x_max, c.units)],
                DASH.0,
                DASH.1,
                c.colour.stroke_width(2),
            )))
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(Text::new(
                c.label.clone(),
                (x_max, c.units),
                bold_style(14.0, c.colour).pos(Pos::new(HPos::Right, VPos::Bottom)),
            )))
            .map_err(err)?;
    }
    for (k, r) in profile.resources.iter().enumerate() {
        let points = r
            .units
            .iter()
            .enumerate()
            .map(|(b, &u)| (profile.bin_centre(b), u))
            .filter(|&(x, _)| x <= x_max);
        chart
            .draw_series(LineSeries::new(points, palette::series(k).stroke_width(3)))
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::chart::frame::{HEIGHT, WIDTH};
    use crate::stats::ResourceLoad;

    fn load(id: &str, capacity: Option<f64>, units: Vec<f64>) -> ResourceLoad {
        let peak = units.iter().copied().fold(0.0, f64::max);
        ResourceLoad {
            id: id.into(),
            name: format!("Resource {id}"),
            capacity,
            units,
            peak,
            beyond: 0.0,
        }
    }

    fn profile() -> ResourceProfile {
        ResourceProfile {
            bin_days: 1.0,
            resources: vec![
                load("ds", Some(1.0), vec![0.2, 0.8, 1.0, 0.6, 0.1]),
                load("de", Some(1.0), vec![0.5, 0.5, 0.0, 0.0, 0.0]),
                load("gpu", Some(2.0), vec![0.0, 0.0, 2.0, 2.0, 0.5]),
                load("cpu", None, vec![0.1; 5]),
            ],
            busy_until: 5.0,
            horizon: 5.0,
        }
    }

    #[test]
    fn capacities_are_grouped_by_value() {
        let lines = capacity_lines(&profile());
        let got: Vec<(f64, &str)> = lines.iter().map(|l| (l.units, l.label.as_str())).collect();
        assert_eq!(
            got,
            vec![(1.0, "capacity 1 (ds, de)"), (2.0, "capacity 2 (gpu)")]
        );
        assert_eq!(lines[0].colour, MUTED_TEXT);
        assert_eq!(lines[1].colour, palette::series(2));
    }

    #[test]
    fn renders_a_deterministic_png_in_the_family_style() {
        let p = profile();
        let png = render_png("Expected resources in use: test", 1000, &p).unwrap();
        assert_eq!(
            png,
            render_png("Expected resources in use: test", 1000, &p).unwrap()
        );
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        let dark = (0..WIDTH)
            .flat_map(|x| (0..40).map(move |y| (x, y)))
            .filter(|&(x, y)| {
                let p = img.get_pixel(x, y);
                0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]) < 100.0
            })
            .count();
        assert!(dark > 300, "title band has {dark} dark pixels");
        for k in 0..4 {
            let c = palette::series(k);
            let n = img.pixels().filter(|p| p.0 == [c.0, c.1, c.2]).count();
            assert!(n > 100, "resource {k}: {n} pixels of its colour");
        }
    }

    #[test]
    fn work_after_the_horizon_is_noted_in_the_subtitle() {
        let mut p = profile();
        assert_eq!(beyond_note(&p), None);
        p.horizon = 1500.0;
        p.resources[2].beyond = 1234.56;
        p.resources[3].beyond = 0.04;
        assert_eq!(
            beyond_note(&p).as_deref(),
            Some("not shown: 1,234.6 unit-days per iteration after day 1,500")
        );
        let noted = render_png("Expected resources in use: test", 1000, &p).unwrap();
        p.resources[2].beyond = 0.0;
        p.resources[3].beyond = 0.0;
        assert_ne!(
            noted,
            render_png("Expected resources in use: test", 1000, &p).unwrap()
        );
    }

    #[test]
    fn an_empty_profile_still_renders() {
        let p = ResourceProfile {
            bin_days: 0.5,
            resources: Vec::new(),
            busy_until: 0.0,
            horizon: 0.0,
        };
        render_png("t", 1, &p).unwrap();
    }
}
