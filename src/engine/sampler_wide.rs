//! The samplers' fill loops eight lanes at a time with AVX-512 (Beta-PERT, triangular,
//! uniform): the same bits as the scalar loops of
//! [`super::sampler::Sampler::fill`], in a fraction of the instructions.
//!
//! A draw is a counter hash (SplitMix64's finaliser: two 64-bit multiplies) and a few
//! operations on its bits. A PERT draw then interpolates in the task's pre-blended quantile row
//! ([`super::pert_table`]): about 33 instructions a draw in the scalar loop, a third of the
//! whole hot loop at 10,000 tasks. AVX2 has no 64-bit multiply and slow gathers (a block
//! version of the AVX2 copy ran 5–10% slower, see `Sampler::fill_v3`); AVX-512 has both
//! (`vpmullq`, and one 64-bit gather fetches a cell's two ends). The PERT lanes that fall in
//! the table's power-law end cells (1.6% of draws) are redone by the scalar code. Every value
//! is the scalar loop's, bit for bit: the same IEEE operations in the same order (no fused
//! multiply-add; `sqrt` is correctly rounded either way), as the tests here and tests/isa.rs
//! check.
//!
//! Hand-written on purpose, with intrinsics: the compiler does not vectorise the scalar loops
//! (the PERT table loads are indexed by the hash, and AVX2 cannot multiply 64-bit lanes) and
//! cannot know that a cell's two ends are adjacent.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

#[cfg(target_arch = "x86_64")]
use super::pert_table::{PertTable, Row};
#[cfg(target_arch = "x86_64")]
use super::rng;

/// Whether the CPU has the AVX-512 features these loops are compiled with (on top of
/// x86-64-v3, [`super::isa::has_v3`]).
pub(crate) fn has_avx512() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        super::isa::has_v3()
            && std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512dq")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// The counters of lanes `first + 8b .. first + 8b + 8` of stream `key` for block b = 0
/// (`rng::bits` hashes key + (iteration + 1)·γ), and the step to the next block.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt,avx512f,avx512dq")]
fn counters(key: u64, first: u64) -> (__m512i, __m512i) {
    let lane = |l: u64| key.wrapping_add(first.wrapping_add(l + 1).wrapping_mul(rng::GAMMA)) as i64;
    let x = _mm512_set_epi64(
        lane(7),
        lane(6),
        lane(5),
        lane(4),
        lane(3),
        lane(2),
        lane(1),
        lane(0),
    );
    (x, _mm512_set1_epi64(8u64.wrapping_mul(rng::GAMMA) as i64))
}

/// [`rng::mix64`] of eight lanes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt,avx512f,avx512dq")]
fn mix8(x: __m512i) -> __m512i {
    let (m1, m2) = rng::MIX64_MULTIPLIERS;
    let mut z = _mm512_xor_si512(x, _mm512_srli_epi64::<30>(x));
    z = _mm512_mullo_epi64(z, _mm512_set1_epi64(m1 as i64));
    z = _mm512_xor_si512(z, _mm512_srli_epi64::<27>(z));
    z = _mm512_mullo_epi64(z, _mm512_set1_epi64(m2 as i64));
    _mm512_xor_si512(z, _mm512_srli_epi64::<31>(z))
}

/// [`rng::to_unit`] of eight lanes: the top 53 bits as a double in [0, 1) (exact).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt,avx512f,avx512dq")]
fn unit8(z: __m512i) -> __m512d {
    let top = _mm512_cvtepu64_pd(_mm512_srli_epi64::<11>(z));
    _mm512_mul_pd(top, _mm512_set1_pd(1.0 / (1u64 << 53) as f64))
}

/// The quantile rows a PERT task samples from.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
pub(crate) enum PertRows<'r> {
    /// Its shape's pre-blended row (`PertTable::quantile_blended`).
    Blended(&'r Row),
    /// Table rows j and j + 1, blended per draw (`PertTable::quantile_bits`).
    Pair(&'r Row, &'r Row),
}

#[cfg(target_arch = "x86_64")]
impl PertRows<'_> {
    /// The scalar quantile of one draw.
    #[inline(always)]
    fn quantile(self, t: &PertTable, j: usize, w: f32, z: u64) -> f64 {
        match self {
            PertRows::Blended(row) => t.quantile_blended(row, j, w, z),
            PertRows::Pair(lo, hi) => t.quantile_bits(lo, hi, j, w, z),
        }
    }
}

/// Eight lanes of `row[k] + f · (row[k + 1] − row[k])` (cells `k` < 1024, positions `f`):
/// row[k] and row[k + 1] come in one 8-byte load.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt,avx512f,avx512dq")]
fn interpolate8(row: &Row, k: __m512i, f: __m256) -> __m256 {
    // SAFETY: every index k < 1024 reads bytes 4k..4k + 8 of the 1,025 floats of `row`.
    let pair = unsafe { _mm512_i64gather_epi64::<4>(k, row.as_ptr().cast::<i64>()) };
    let a = _mm256_castsi256_ps(_mm512_cvtepi64_epi32(pair));
    let c = _mm256_castsi256_ps(_mm512_cvtepi64_epi32(_mm512_srli_epi64::<32>(pair)));
    _mm256_add_ps(a, _mm256_mul_ps(f, _mm256_sub_ps(c, a)))
}

/// `out[i] = lo + span · Q(u_i)` for iteration `first + i` of stream `key`, where Q is the
/// quantile of shape row `j` with weight `w` from `rows`: exactly the values of the scalar
/// loop.
///
/// # Safety
/// The CPU must have the features enabled here ([`has_avx512`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt,avx512f,avx512dq")]
#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn fill_pert(
    t: &PertTable,
    rows: PertRows,
    j: usize,
    w: f32,
    lo: f64,
    span: f64,
    key: u64,
    first: u64,
    out: &mut [f64],
) {
    use super::pert_table::{CELLS, CELL_BITS, TAIL};
    let blocks = out.len() / 8;
    let (mut x, step) = counters(key, first);
    let tail = _mm512_set1_epi64(TAIL as i64);
    let inner = _mm512_set1_epi64((CELLS - 2 * TAIL) as i64);
    let mantissa = _mm512_set1_epi64(0x007F_FFFF);
    let one_bits = _mm512_set1_epi64(0x3F80_0000);
    let one = _mm256_set1_ps(1.0);
    let (lo8, span8, w8) = (_mm512_set1_pd(lo), _mm512_set1_pd(span), _mm256_set1_ps(w));
    for b in 0..blocks {
        let z = mix8(x);
        // PertTable::quantile_bits: cell k from the top bits, the position f in it from the
        // next 23.
        let k = _mm512_srli_epi64::<{ 64 - CELL_BITS }>(z);
        let ends = _mm512_cmpge_epu64_mask(_mm512_sub_epi64(k, tail), inner);
        let bits = _mm512_or_si512(
            _mm512_and_si512(_mm512_srli_epi64::<{ 64 - CELL_BITS - 23 }>(z), mantissa),
            one_bits,
        );
        let f = _mm256_sub_ps(_mm256_castsi256_ps(_mm512_cvtepi64_epi32(bits)), one);
        let q = match rows {
            PertRows::Blended(row) => interpolate8(row, k, f),
            PertRows::Pair(lo_row, hi_row) => {
                let (a, c) = (interpolate8(lo_row, k, f), interpolate8(hi_row, k, f));
                _mm256_add_ps(a, _mm256_mul_ps(w8, _mm256_sub_ps(c, a)))
            }
        };
        let v = _mm512_add_pd(lo8, _mm512_mul_pd(span8, _mm512_cvtps_pd(q)));
        let dst = &mut out[b * 8..b * 8 + 8];
        // SAFETY: `dst` holds eight doubles.
        unsafe { _mm512_storeu_pd(dst.as_mut_ptr(), v) };
        if ends != 0 {
            // The end cells' power law, lane by lane.
            let mut zs = [0u64; 8];
            // SAFETY: `zs` holds eight u64.
            unsafe { _mm512_storeu_si512(zs.as_mut_ptr().cast(), z) };
            for (l, (o, &zl)) in dst.iter_mut().zip(&zs).enumerate() {
                if ends & (1 << l) != 0 {
                    *o = lo + span * rows.quantile(t, j, w, zl);
                }
            }
        }
        x = _mm512_add_epi64(x, step);
    }
    for (i, o) in out.iter_mut().enumerate().skip(blocks * 8) {
        let z = rng::bits(key, first + i as u64);
        *o = lo + span * rows.quantile(t, j, w, z);
    }
}

/// `out[i] = lo + span · T(u_i)` for iteration `first + i` of stream `key`, T the triangular
/// quantile on [0, 1] with mode `c` (`sampler::triangular01`), or `lo + span · u_i` when `c`
/// is `None` (uniform): exactly the values of the scalar loops.
///
/// # Safety
/// The CPU must have the features enabled here ([`has_avx512`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,bmi1,bmi2,lzcnt,popcnt,avx512f,avx512dq")]
pub(crate) unsafe fn fill_triangular(
    lo: f64,
    span: f64,
    c: Option<f64>,
    key: u64,
    first: u64,
    out: &mut [f64],
) {
    let blocks = out.len() / 8;
    let (mut x, step) = counters(key, first);
    let (lo8, span8, one) = (
        _mm512_set1_pd(lo),
        _mm512_set1_pd(span),
        _mm512_set1_pd(1.0),
    );
    let c8 = _mm512_set1_pd(c.unwrap_or(0.0));
    let one_minus_c = _mm512_sub_pd(one, c8);
    for b in 0..blocks {
        let u = unit8(mix8(x));
        let r = if c.is_some() {
            // left = u < c; s = √(u·c) on the left, 1 − √((1 − u)(1 − c)) on the right.
            let left = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(u, c8);
            let right_x = _mm512_mul_pd(_mm512_sub_pd(one, u), one_minus_c);
            let s = _mm512_sqrt_pd(_mm512_mask_blend_pd(left, right_x, _mm512_mul_pd(u, c8)));
            _mm512_mask_blend_pd(left, _mm512_sub_pd(one, s), s)
        } else {
            u
        };
        let v = _mm512_add_pd(lo8, _mm512_mul_pd(span8, r));
        // SAFETY: lanes 8b..8b + 8 are inside `out`.
        unsafe { _mm512_storeu_pd(out.as_mut_ptr().add(b * 8), v) };
        x = _mm512_add_epi64(x, step);
    }
    for (i, o) in out.iter_mut().enumerate().skip(blocks * 8) {
        let u = rng::uniform(key, first + i as u64);
        *o = match c {
            Some(c) => lo + span * super::sampler::triangular01(c, u),
            None => lo + span * u,
        };
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;
    use crate::engine::pert_table::table;
    use crate::engine::sampler::triangular01;

    const RUNS: [(u64, u64, usize); 3] = [(1, 0, 64), (99, 1000, 37), (u64::MAX, 12_345, 256)];

    /// Every lane, block and remainder, inner and end cells, from a blended row and from two
    /// table rows: the scalar loop's bits.
    #[test]
    fn pert_lanes_give_the_scalar_bits() {
        if !has_avx512() {
            eprintln!("skipped: this CPU has no AVX-512");
            return;
        }
        let t = table();
        let mut ends = 0;
        for (j, w) in [(0usize, 0.0f32), (17, 0.25), (64, 0.5), (127, 0.999)] {
            let row = t.blend(j, w);
            for rows in [
                PertRows::Blended(&row),
                PertRows::Pair(t.row(j), t.row(j + 1)),
            ] {
                for (key, first, m) in RUNS {
                    let (lo, span) = (3.0, 7.5);
                    let mut wide = vec![0.0; m];
                    // SAFETY: has_avx512() above.
                    unsafe { fill_pert(t, rows, j, w, lo, span, key, first, &mut wide) };
                    for (i, &v) in wide.iter().enumerate() {
                        let z = rng::bits(key, first + i as u64);
                        let want = lo
                            + span
                                * match rows {
                                    PertRows::Blended(r) => t.quantile_blended(r, j, w, z),
                                    PertRows::Pair(a, b) => t.quantile_bits(a, b, j, w, z),
                                };
                        assert_eq!(v.to_bits(), want.to_bits(), "j {j} key {key} lane {i}");
                        let k = (z >> 54) as usize;
                        ends += usize::from(!(8..1016).contains(&k));
                    }
                }
            }
        }
        assert!(ends > 0, "some lanes fell in the end cells");
    }

    /// Modes at both ends, inside and none (uniform): the scalar loops' bits.
    #[test]
    fn triangular_and_uniform_lanes_give_the_scalar_bits() {
        if !has_avx512() {
            eprintln!("skipped: this CPU has no AVX-512");
            return;
        }
        for c in [Some(0.0), Some(0.25), Some(0.5), Some(0.9), Some(1.0), None] {
            for (key, first, m) in RUNS {
                let (lo, span) = (2.0, 13.25);
                let mut wide = vec![0.0; m];
                // SAFETY: has_avx512() above.
                unsafe { fill_triangular(lo, span, c, key, first, &mut wide) };
                for (i, &v) in wide.iter().enumerate() {
                    let u = rng::uniform(key, first + i as u64);
                    let want = match c {
                        Some(c) => lo + span * triangular01(c, u),
                        None => lo + span * u,
                    };
                    assert_eq!(v.to_bits(), want.to_bits(), "c {c:?} key {key} lane {i}");
                }
            }
        }
    }
}
