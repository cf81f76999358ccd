//! PNG encoding: the same settings for every chart, so the same picture gives the same bytes.

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{ColorType, ImageEncoder};

use super::ChartError;

/// Encodes a `width` × `height` RGB buffer (3 bytes a pixel, rows top to bottom) as PNG.
pub fn encode(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(rgb, width, height, ColorType::Rgb8)
        .map_err(|e| ChartError(format!("PNG encoding failed: {e}")))?;
    Ok(out)
}
