//! The chart family's frame: everything charts share, so that each chart file holds only
//! what is specific to it and every chart looks like one family.
//!
//! - [`frame`]: the canvas, the header band (title, subtitle, wrapping legend), the body's
//!   margins, axis and grid style, tags on vertical lines, and the PNG it all becomes;
//! - [`palette`]: text, grid and axis colours, the distribution roles (plan, P50, confidence)
//!   and the series colours;
//! - [`text`]: the embedded DejaVu Sans (never a system font), text styles, text that fits;
//! - [`axis`]: tick spacing and axis number formats;
//! - [`png`]: the encoder.
//!
//! A chart is a [`Frame`] and a closure that draws the body:
//!
//! ```no_run
//! use p80::output::chart::{err, frame, palette, ChartError, Frame, LegendItem, Swatch};
//! use plotters::prelude::*;
//!
//! fn render(values: &[(f64, f64)]) -> Result<Vec<u8>, ChartError> {
//!     Frame::new("Title: project")
//!         .subtitle("10,000 iterations   ·   what to read first")
//!         .legend(vec![LegendItem::new(Swatch::line(palette::series(0), 3), "Series")])
//!         .render(|body| {
//!             let mut chart = frame::plot(body, false)
//!                 .build_cartesian_2d(0.0..10.0, 0.0..1.0)
//!                 .map_err(err)?;
//!             frame::style_mesh(&mut chart.configure_mesh())
//!                 .y_labels(6)
//!                 .x_desc("Working days")
//!                 .y_desc("Share")
//!                 .draw()
//!                 .map_err(err)?;
//!             chart
//!                 .draw_series(LineSeries::new(values.to_vec(), palette::series(0).stroke_width(3)))
//!                 .map_err(err)?;
//!             Ok(())
//!         })
//! }
//! ```

pub mod axis;
pub mod frame;
pub mod palette;
pub mod png;
pub mod text;

pub use frame::{Frame, LegendItem, Swatch, Tag};

/// A chart could not be drawn or encoded.
#[derive(Debug, thiserror::Error)]
#[error("could not draw chart: {0}")]
pub struct ChartError(pub String);

/// Wraps any drawing error.
pub fn err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError(e.to_string())
}

/// (tests only) what chart tests look at: the decoded image and how many pixels have a colour.
#[cfg(test)]
pub(crate) mod testing {
    use plotters::style::RGBColor;

    /// The PNG as an RGB image (panics on bytes that are not a PNG).
    pub(crate) fn decode(png: &[u8]) -> image::RgbImage {
        image::load_from_memory(png).expect("valid PNG").to_rgb8()
    }

    /// How many pixels of `png` are exactly `colour`, checking first that the image has the
    /// frame's width.
    pub(crate) fn pixels_of(png: &[u8], colour: RGBColor) -> usize {
        let img = decode(png);
        assert_eq!(img.width(), super::frame::WIDTH);
        img.pixels()
            .filter(|p| p.0 == [colour.0, colour.1, colour.2])
            .count()
    }
}
