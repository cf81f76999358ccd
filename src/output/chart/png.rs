//! PNG encoding: the same settings for every chart, so the same picture gives the same bytes.
//!
//! The bytes are exactly those of the `png` crate (0.17) with fast compression (fdeflate) and
//! adaptive filtering, which wrote p80's charts before: an 8-bit RGB image in one IDAT chunk,
//! each row filtered with the filter whose output has the smallest sum of absolute values
//! (Sub, Up, Avg or Paeth, the later one on a tie), the zlib stream written row by row and
//! kept stored when compressing would make it larger. Only the filter choice is done here,
//! faster: a row equal to the one above is Paeth and all zeros without trying the others
//! (charts repeat many rows), and the four sums are taken in one pass over the row instead of
//! four filter passes and four sums. A test compares the bytes with the `png` crate's.

use std::io::{self, Cursor};

use super::ChartError;

/// Bytes per pixel (RGB, 8 bits a channel): the distance to the pixel on the left.
const BPP: usize = 3;

/// The largest IDAT chunk the `png` crate writes (larger streams are split).
const MAX_IDAT: usize = (u32::MAX >> 1) as usize;

/// PNG filter types (the first byte of every filtered row).
const SUB: u8 = 1;
const UP: u8 = 2;
const AVG: u8 = 3;
const PAETH: u8 = 4;

/// Encodes a `width` × `height` RGB buffer (3 bytes a pixel, rows top to bottom) as PNG.
pub fn encode(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let failed = |e: io::Error| ChartError(format!("PNG encoding failed: {e}"));
    let row = width as usize * BPP;
    if row == 0 || height == 0 || rgb.len() != row * height as usize {
        return Err(ChartError(format!(
            "PNG encoding failed: {} bytes for a {width} × {height} RGB image",
            rgb.len()
        )));
    }
    let mut compressor = fdeflate::Compressor::new(Cursor::new(Vec::new())).map_err(failed)?;
    let zeros = vec![0u8; row];
    let mut prev: &[u8] = &zeros;
    let mut current = vec![0u8; row + 1];
    for line in rgb.chunks_exact(row) {
        current[0] = filter(prev, line, &mut current[1..]);
        compressor.write_data(&current).map_err(failed)?;
        prev = line;
    }
    let mut zlib = compressor.finish().map_err(failed)?.into_inner();
    let raw = (row + 1) * height as usize;
    if zlib.len() > fdeflate::StoredOnlyCompressor::<()>::compressed_size(raw) {
        // As the `png` crate does: stored, unfiltered, when compression does not pay.
        let mut stored =
            fdeflate::StoredOnlyCompressor::new(Cursor::new(Vec::new())).map_err(failed)?;
        for line in rgb.chunks_exact(row) {
            stored.write_data(&[0]).map_err(failed)?;
            stored.write_data(line).map_err(failed)?;
        }
        zlib = stored.finish().map_err(failed)?.into_inner();
    }
    let mut out = Vec::with_capacity(zlib.len() + 64);
    out.extend_from_slice(&[137, 80, 78, 71, 13, 10, 26, 10]);
    let mut ihdr = [0u8; 13];
    ihdr[..4].copy_from_slice(&width.to_be_bytes());
    ihdr[4..8].copy_from_slice(&height.to_be_bytes());
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // colour type: RGB; compression, filter method and interlace stay 0
    chunk(&mut out, b"IHDR", &ihdr);
    for part in zlib.chunks(MAX_IDAT) {
        chunk(&mut out, b"IDAT", part);
    }
    chunk(&mut out, b"IEND", &[]);
    Ok(out)
}

/// Appends one PNG chunk: length, type, data, CRC-32 of type and data.
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    // Chunks are at most MAX_IDAT (2³¹ − 1) bytes: the length fits.
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// Filters `cur` (the row below `prev`) into `out` with the adaptive choice; returns the
/// filter type.
fn filter(prev: &[u8], cur: &[u8], out: &mut [u8]) -> u8 {
    if cur == prev {
        // Up and Paeth predict every byte exactly; Paeth wins the tie.
        out.fill(0);
        return PAETH;
    }
    let sums = sums(prev, cur);
    let mut best = (u64::MAX, SUB);
    for (kind, &sum) in [SUB, UP, AVG, PAETH].into_iter().zip(&sums) {
        if sum <= best.0 {
            best = (sum, kind);
        }
    }
    apply(best.1, prev, cur, out);
    best.1
}

/// The filtered byte's weight in the adaptive choice: its absolute value as a signed byte.
#[inline(always)]
fn weight(v: u8) -> u32 {
    u32::from((v as i8).unsigned_abs())
}

/// The average predictor, `(a + b) / 2` without widening.
#[inline(always)]
fn average(a: u8, b: u8) -> u8 {
    (a & b) + ((a ^ b) >> 1)
}

/// The Sub, Up, Avg and Paeth sums of `cur`'s filtered bytes, in one pass.
fn sums(prev: &[u8], cur: &[u8]) -> [u64; 4] {
    const CHUNK: usize = 32;
    let len = cur.len();
    let mut s = [0u64; 4];
    // The first pixel has no left neighbour (it counts as 0).
    for i in 0..BPP.min(len) {
        let (x, b) = (cur[i], prev[i]);
        s[0] += u64::from(weight(x));
        s[1] += u64::from(weight(x.wrapping_sub(b)));
        s[2] += u64::from(weight(x.wrapping_sub(b / 2)));
        s[3] += u64::from(weight(x.wrapping_sub(paeth(0, b, 0))));
    }
    if len <= BPP {
        return s;
    }
    let x = &cur[BPP..];
    let a = &cur[..len - BPP];
    let b = &prev[BPP..];
    let c = &prev[..len - BPP];
    let mut xs = x.chunks_exact(CHUNK);
    let mut as_ = a.chunks_exact(CHUNK);
    let mut bs = b.chunks_exact(CHUNK);
    let mut cs = c.chunks_exact(CHUNK);
    for (((x, a), b), c) in (&mut xs).zip(&mut as_).zip(&mut bs).zip(&mut cs) {
        // Byte residuals first, then their sums: both loops vectorise (as the `png` crate's).
        let mut r = [[0u8; CHUNK]; 4];
        for i in 0..CHUNK {
            r[0][i] = x[i].wrapping_sub(a[i]);
            r[1][i] = x[i].wrapping_sub(b[i]);
            r[2][i] = x[i].wrapping_sub(average(a[i], b[i]));
            r[3][i] = x[i].wrapping_sub(paeth(a[i], b[i], c[i]));
        }
        for k in 0..4 {
            // At most 32 × 128 = 4,096: a u16 sum holds it.
            let sum: u16 = r[k]
                .iter()
                .map(|&v| u16::from((v as i8).unsigned_abs()))
                .sum();
            s[k] += u64::from(sum);
        }
    }
    let rest = xs
        .remainder()
        .iter()
        .zip(as_.remainder())
        .zip(bs.remainder())
        .zip(cs.remainder());
    for (((&x, &a), &b), &c) in rest {
        s[0] += u64::from(weight(x.wrapping_sub(a)));
        s[1] += u64::from(weight(x.wrapping_sub(b)));
        s[2] += u64::from(weight(x.wrapping_sub(average(a, b))));
        s[3] += u64::from(weight(x.wrapping_sub(paeth(a, b, c))));
    }
    s
}

/// Writes `cur` filtered with `kind` into `out`.
fn apply(kind: u8, prev: &[u8], cur: &[u8], out: &mut [u8]) {
    let len = cur.len();
    let first = BPP.min(len);
    for i in 0..first {
        let (x, b) = (cur[i], prev[i]);
        out[i] = match kind {
            SUB => x,
            UP => x.wrapping_sub(b),
            AVG => x.wrapping_sub(b / 2),
            _ => x.wrapping_sub(paeth(0, b, 0)),
        };
    }
    let x = &cur[first..];
    let a = &cur[..len - first];
    let b = &prev[first..];
    let c = &prev[..len - first];
    let o = &mut out[first..];
    match kind {
        SUB => o
            .iter_mut()
            .zip(x.iter().zip(a))
            .for_each(|(o, (&x, &a))| *o = x.wrapping_sub(a)),
        UP => o
            .iter_mut()
            .zip(x.iter().zip(b))
            .for_each(|(o, (&x, &b))| *o = x.wrapping_sub(b)),
        AVG => o
            .iter_mut()
            .zip(x.iter().zip(a.iter().zip(b)))
            .for_each(|(o, (&x, (&a, &b)))| *o = x.wrapping_sub(average(a, b))),
        _ => o
            .iter_mut()
            .zip(x.iter().zip(a.iter().zip(b.iter().zip(c))))
            .for_each(|(o, (&x, (&a, (&b, &c))))| *o = x.wrapping_sub(paeth(a, b, c))),
    }
}

/// The Paeth predictor of the pixel left (`a`), above (`b`) and above left (`c`), in the
/// `png` crate's formulation (FPNGE's, all in unsigned bytes): the same choice as the PNG
/// specification's.
#[inline(always)]
fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let pa = b.max(c) - c.min(b);
    let pb = a.max(c) - c.min(a);
    let pc = if (a < c) == (c < b) {
        pa.max(pb) - pa.min(pb)
    } else {
        255
    };
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::{ColorType, ImageEncoder};

    /// The `png` crate's bytes for the same image and settings (the encoder p80 used before).
    fn reference(rgb: &[u8], width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
            .write_image(rgb, width, height, ColorType::Rgb8)
            .unwrap();
        out
    }

    /// A small deterministic generator (xorshift), so the test needs no random crate.
    fn noise(n: usize, mut state: u64) -> Vec<u8> {
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn the_bytes_are_the_png_crates() {
        for &(w, h) in &[
            (1u32, 1u32),
            (1, 7),
            (5, 3),
            (11, 4),
            (37, 9),
            (64, 5),
            (400, 30),
        ] {
            let n = (w * h * 3) as usize;
            // Noise (stored fallback), smooth ramps, and repeated rows with small changes.
            let random = noise(n, 0x9e37_79b9_7f4a_7c15 ^ u64::from(w * 131 + h));
            let ramp: Vec<u8> = (0..n).map(|i| (i % 251) as u8 ^ (i / 97) as u8).collect();
            let mut chart = vec![255u8; n];
            for (i, px) in chart.chunks_exact_mut(3).enumerate() {
                let (x, y) = (i as u32 % w, i as u32 / w);
                if x % 7 == 0 || (y > h / 2 && x < w / 3) {
                    px.copy_from_slice(&[30, 90, 200]);
                }
                if y % 5 == 0 && x == y % w {
                    px.copy_from_slice(&[200, 40, 40]);
                }
            }
            for img in [&random, &ramp, &chart] {
                assert_eq!(
                    encode(img, w, h).unwrap(),
                    reference(img, w, h),
                    "{w} × {h}"
                );
            }
        }
    }

    #[test]
    fn the_bytes_of_a_chart_are_the_png_crates() {
        use crate::output::chart::{err, frame, palette, Frame, LegendItem, Swatch};
        use plotters::prelude::*;
        let values: Vec<(f64, f64)> = (0..200)
            .map(|i| (f64::from(i) / 20.0, (f64::from(i) / 30.0).sin().abs()))
            .collect();
        let png = Frame::new("Title: project")
            .subtitle("10,000 iterations   ·   what to read first")
            .legend(vec![LegendItem::new(
                Swatch::line(palette::series(0), 3),
                "Series",
            )])
            .render(|body| {
                let mut chart = frame::plot(body, false)
                    .build_cartesian_2d(0.0..10.0, 0.0..1.0)
                    .map_err(err)?;
                frame::style_mesh(&mut chart.configure_mesh())
                    .x_desc("Working days")
                    .y_desc("Share")
                    .draw()
                    .map_err(err)?;
                chart
                    .draw_series(values.iter().map(|&(x, y)| {
                        Rectangle::new([(x, 0.0), (x + 0.04, y)], palette::series(1).filled())
                    }))
                    .map_err(err)?;
                chart
                    .draw_series(LineSeries::new(
                        values.clone(),
                        palette::series(0).stroke_width(3),
                    ))
                    .map_err(err)?;
                Ok(())
            })
            .unwrap();
        let img = crate::output::chart::testing::decode(&png);
        let (w, h) = img.dimensions();
        assert_eq!(png, reference(img.as_raw(), w, h));
    }

    #[test]
    fn a_buffer_of_the_wrong_size_is_an_error() {
        assert!(encode(&[0; 10], 2, 2).is_err());
        assert!(encode(&[], 0, 0).is_err());
    }
}
