//! Fonts and text: the embedded DejaVu Sans (never a system font), the text styles of the
//! family, and text that must fit a width.

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::register_font;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::Area;
use super::{err, ChartError};

/// Font family name under which the bundled DejaVu Sans is registered with plotters.
const FONT_FAMILY: &str = "sans-serif";

/// Registers the bundled DejaVu Sans (regular and bold) with plotters, once per process.
/// [`super::Frame::render`] calls it; text drawn without it would be blank on a machine
/// without system fonts.
pub fn ensure_fonts() -> Result<(), ChartError> {
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

fn font_style(size: f64, style: FontStyle, colour: RGBColor) -> TextStyle<'static> {
    let mut text = TextStyle::from(FontDesc::new(FontFamily::Name(FONT_FAMILY), size, style));
    text.color = colour.to_backend_color();
    text
}

/// Regular text of `size` points.
pub fn text_style(size: f64, colour: RGBColor) -> TextStyle<'static> {
    font_style(size, FontStyle::Normal, colour)
}

/// Bold text of `size` points.
pub fn bold_style(size: f64, colour: RGBColor) -> TextStyle<'static> {
    font_style(size, FontStyle::Bold, colour)
}

/// The width of `text` in pixels.
pub fn width(area: &Area, text: &str, style: &TextStyle) -> Result<u32, ChartError> {
    Ok(area.estimate_text_size(text, style).map_err(err)?.0)
}

/// The width in pixels of the widest of `texts` (0 for none): what a category axis (task
/// names of a tornado or Gantt chart) needs for its labels.
pub fn widest<'t>(
    area: &Area,
    texts: impl IntoIterator<Item = &'t str>,
    style: &TextStyle,
) -> Result<u32, ChartError> {
    texts
        .into_iter()
        .try_fold(0, |w, t| Ok(w.max(width(area, t, style)?)))
}

/// Draws `text` centred horizontally at `(centre, y)` (top aligned), shrinking the font one
/// point at a time from `size` (down to `min`) until it is at most `max_width` pixels wide.
#[allow(clippy::too_many_arguments)]
pub fn draw_centred_fitting(
    area: &Area,
    text: &str,
    style: fn(f64, RGBColor) -> TextStyle<'static>,
    colour: RGBColor,
    mut size: f64,
    min: f64,
    max_width: u32,
    (centre, y): (i32, i32),
) -> Result<(), ChartError> {
    let mut st = style(size, colour);
    while size > min && width(area, text, &st)? > max_width {
        size -= 1.0;
        st = style(size, colour);
    }
    area.draw_text(
        text,
        &st.pos(Pos::new(HPos::Center, VPos::Top)),
        (centre, y),
    )
    .map_err(err)
}
