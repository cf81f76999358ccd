//! `resource_profile.png`: the expected units of each resource in use over time (working days
//! from the start), one line per resource, with its capacity as a dashed line of the same
//! colour. Rendering is a pure function to PNG bytes, deterministic for the same input.

use plotters::prelude::*;

use super::chart::{encode_png_sized, ensure_fonts, err, text_style, ChartError};
use crate::engine::ResourceProfile;

/// Chart size in pixels.
pub const WIDTH: u32 = 1200;
/// Chart size in pixels.
pub const HEIGHT: u32 = 700;

const COLOURS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

/// Writes `resource_profile.png` (`p80 simulate --resource-profile`).
pub struct ProfileArtefact(pub ResourceProfile);

impl super::Artefact for ProfileArtefact {
    fn file_name(&self) -> &'static str {
        "resource_profile.png"
    }

    fn render(&self, r: &crate::stats::Report) -> crate::error::Result<Vec<u8>> {
        render_png(
            &format!("Expected resources in use: {}", r.project),
            &self.0,
        )
        .map_err(|e| crate::error::Error::Output(format!("resource_profile.png: {e}")))
    }
}

/// The x axis title; it says how much work lies after the measured horizon, if any.
fn x_desc(profile: &ResourceProfile) -> String {
    let beyond: f64 = profile.beyond.iter().sum();
    if beyond > 0.0 {
        let horizon = profile.units.first().map_or(0, Vec::len) as f64 * profile.bin_days;
        format!(
            "Working days from the start (not shown: {beyond:.1} unit-days per iteration after day {horizon:.0})"
        )
    } else {
        "Working days from the start".to_string()
    }
}

/// Renders the profile of the resources that are used at all.
pub fn render_png(title: &str, profile: &ResourceProfile) -> Result<Vec<u8>, ChartError> {
    ensure_fonts()?;
    let used: Vec<usize> = (0..profile.resources.len())
        .filter(|&r| profile.units[r].iter().any(|&u| u > 0.0))
        .collect();
    // Up to the last bin with any use (plus a margin), not the whole measured horizon.
    let last_used = used
        .iter()
        .filter_map(|&r| profile.units[r].iter().rposition(|&u| u > 1e-6))
        .max()
        .unwrap_or(0);
    let x_max = ((last_used + 1) as f64 * profile.bin_days * 1.05).max(1.0);
    let y_max = used
        .iter()
        .flat_map(|&r| profile.units[r].iter().copied().chain(profile.capacity[r]))
        .fold(0.0f64, f64::max)
        .max(0.5)
        * 1.15;
    let mut rgb = vec![255u8; WIDTH as usize * HEIGHT as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, text_style(26.0, BLACK))
            .margin(20)
            .x_label_area_size(55)
            .y_label_area_size(70)
            .build_cartesian_2d(0.0..x_max, 0.0..y_max)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(x_desc(profile))
            .y_desc("Expected units in use")
            .axis_desc_style(text_style(18.0, BLACK))
            .label_style(text_style(15.0, BLACK))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        for (k, &r) in used.iter().enumerate() {
            let colour = COLOURS[k % COLOURS.len()];
            let points = profile.units[r]
                .iter()
                .enumerate()
                .map(|(b, &u)| ((b as f64 + 0.5) * profile.bin_days, u))
                .filter(|&(x, _)| x <= x_max);
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(3)))
                .map_err(err)?
                .label(profile.resources[r].clone())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
                });
            if let Some(c) = profile.capacity[r] {
                let dashes = (0..(x_max / (x_max / 60.0)) as usize).map(|i| {
                    let x0 = i as f64 * x_max / 60.0;
                    PathElement::new(
                        vec![(x0, c), (x0 + x_max / 120.0, c)],
                        colour.stroke_width(1),
                    )
                });
                chart.draw_series(dashes).map_err(err)?;
            }
        }
        chart
            .configure_series_labels()
            .label_font(text_style(16.0, BLACK))
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(200, 200, 200))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    encode_png_sized(&rgb, WIDTH, HEIGHT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_png_with_text() {
        let p = ResourceProfile {
            bin_days: 1.0,
            resources: vec!["ds".into(), "gpu".into(), "idle".into()],
            capacity: vec![Some(1.0), None, None],
            units: vec![
                vec![0.2, 0.8, 1.0, 0.6, 0.1],
                vec![0.0, 0.0, 2.0, 2.0, 0.5],
                vec![0.0; 5],
            ],
            beyond: vec![0.0; 3],
        };
        let png = render_png("Expected resources in use: test", &p).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        // The title band has text.
        let dark = (0..WIDTH)
            .flat_map(|x| (0..45).map(move |y| (x, y)))
            .filter(|&(x, y)| {
                let p = img.get_pixel(x, y);
                0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]) < 100.0
            })
            .count();
        assert!(dark > 200, "title band has {dark} dark pixels");
        assert_eq!(
            render_png("Expected resources in use: test", &p).unwrap(),
            png
        );
    }
}
