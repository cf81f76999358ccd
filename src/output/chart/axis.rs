//! Axis numbers: tick spacing and one consistent format for all labels of an axis.

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;

use crate::output::format::thousands;

/// Spacing of the labelled ticks plotters draws for `lo..hi` with at most `max_ticks` labels
/// (the whole range if there is only one tick).
pub fn tick_step(lo: f64, hi: f64, max_ticks: usize) -> f64 {
    let ticks = RangedCoordf64::from(lo..hi).key_points(max_ticks);
    ticks
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min)
        .min(hi - lo)
}

/// Smallest number of decimals (at most 6) that shows `step` exactly.
fn decimals_for_step(step: f64) -> usize {
    let step = step.abs();
    if step == 0.0 || !step.is_finite() {
        return 0;
    }
    (0..6)
        .find(|&d| {
            let scaled = step * 10f64.powi(d as i32);
            (scaled - scaled.round()).abs() <= 1e-6 * scaled.max(1.0)
        })
        .unwrap_or(6)
}

/// One format for every number shown along an axis (tick labels, or values marked on it).
#[derive(Clone, Copy, Debug)]
pub struct AxisFormat {
    divisor: f64,
    suffix: &'static str,
    decimals: usize,
}

impl AxisFormat {
    /// Tick labels for `lo..hi` with at most `max_ticks` labels: a unit suffix (k/M/B, when
    /// `use_suffix`) from the axis magnitude and the decimals the tick spacing needs
    /// ("400k", "1.5M", "85", "0.25").
    pub fn for_axis(lo: f64, hi: f64, max_ticks: usize, use_suffix: bool) -> Self {
        let magnitude = lo.abs().max(hi.abs());
        let (divisor, suffix) = if use_suffix && magnitude >= 1e9 {
            (1e9, "B")
        } else if use_suffix && magnitude >= 1e6 {
            (1e6, "M")
        } else if use_suffix && magnitude >= 1e4 {
            (1e3, "k")
        } else {
            (1.0, "")
        };
        let decimals = decimals_for_step(tick_step(lo, hi, max_ticks) / divisor);
        AxisFormat {
            divisor,
            suffix,
            decimals,
        }
    }

    /// Values marked on an axis with tick spacing `step`: plain numbers with one decimal more
    /// than the ticks show (`87.0` for ticks every 5 days, `15.34` for ticks every 0.1,
    /// `432,964` once ticks are 100 or more apart); billions as `2.14B`.
    pub fn for_markers(lo: f64, hi: f64, step: f64) -> Self {
        if lo.abs().max(hi.abs()) >= 1e9 {
            AxisFormat {
                divisor: 1e9,
                suffix: "B",
                decimals: (decimals_for_step(step / 1e9) + 1).min(6),
            }
        } else {
            AxisFormat {
                divisor: 1.0,
                suffix: "",
                decimals: if step >= 100.0 {
                    0
                } else {
                    (decimals_for_step(step) + 1).min(6)
                },
            }
        }
    }

    /// `v` in this format ("0" rather than "0k").
    pub fn format(&self, v: f64) -> String {
        let number = thousands(v / self.divisor, self.decimals);
        if !self.suffix.is_empty() && number.bytes().all(|b| matches!(b, b'0' | b'.' | b',')) {
            return "0".into();
        }
        format!("{number}{}", self.suffix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_and_marker_formats() {
        let f = AxisFormat::for_axis(380_000.0, 470_000.0, 12, true);
        assert_eq!(f.format(400_000.0), "400k");
        let f = AxisFormat::for_axis(1.2e6, 2.6e6, 12, true);
        assert_eq!(f.format(1.5e6), "1.5M");
        let f = AxisFormat::for_axis(2.0e9, 4.5e9, 12, true);
        assert_eq!(f.format(2.5e9), "2.5B");
        let f = AxisFormat::for_axis(-30_000.0, 20_000.0, 12, true);
        assert_eq!(f.format(0.0), "0");
        assert_eq!(f.format(-10_000.0), "-10k");
        let f = AxisFormat::for_axis(80.0, 130.0, 12, true);
        assert_eq!(f.format(85.0), "85");
        let f = AxisFormat::for_markers(1.4e9, 3.4e9, 0.2e9);
        assert_eq!(f.format(2_141_643_552.0), "2.14B");
        let f = AxisFormat::for_markers(300_000.0, 560_000.0, 20_000.0);
        assert_eq!(f.format(432_964.3), "432,964");
        let f = AxisFormat::for_markers(70.0, 130.0, 5.0);
        assert_eq!(f.format(87.0), "87.0");
        let f = AxisFormat::for_markers(15.0, 15.7, 0.1);
        assert_eq!(f.format(15.3351), "15.34");
        assert_eq!(decimals_for_step(0.25), 2);
        assert_eq!(tick_step(0.0, 100.0, 12), 10.0);
    }
}
