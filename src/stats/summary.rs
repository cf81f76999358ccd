//! The summary of one measure (duration or cost) over all iterations.

use std::ops::Range;

use super::ecdf::CumulativeCurve;
use super::histogram::Histogram;
use super::percentile::{fraction_at_or_below, quantile, quantile_se, REPORTED};
use super::replicates;

/// Location, spread and percentiles of one simulated measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The value in the deterministic plan (most likely durations).
    pub deterministic: f64,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (n − 1 in the denominator; 0 for one iteration).
    pub std: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// The value at the chosen confidence level.
    pub at_confidence: f64,
    /// `(k, Pk)` for every k in [`REPORTED`].
    pub percentiles: Vec<(u32, f64)>,
    /// Estimated standard error of the value at the confidence level.
    pub at_confidence_se: f64,
    /// `(k, standard error of Pk)` for every k in [`REPORTED`].
    pub percentile_se: Vec<(u32, f64)>,
    /// Estimated standard error of the mean: `std / √n` for independent iterations, the spread
    /// between replicates for Latin hypercube runs ([`Summary::with_replicates`]).
    pub mean_se: f64,
    /// Fraction of iterations at or below the deterministic value (the plan is met).
    pub at_or_below_plan: f64,
    /// The values binned for a histogram.
    pub histogram: Histogram,
    /// The empirical cumulative distribution (S-curve).
    pub curve: CumulativeCurve,
}

impl Summary {
    /// Summarises ascending `sorted` values (at least one, NaN-free).
    pub fn from_sorted(sorted: &[f64], deterministic: f64, confidence: f64) -> Summary {
        let n = sorted.len() as f64;
        let mean = sorted.iter().sum::<f64>() / n;
        let ss: f64 = sorted.iter().map(|v| (v - mean) * (v - mean)).sum();
        let std = if sorted.len() > 1 {
            (ss / (n - 1.0)).sqrt()
        } else {
            0.0
        };
        Summary {
            deterministic,
            mean,
            std,
            min: sorted.first().copied().unwrap_or(f64::NAN),
            max: sorted.last().copied().unwrap_or(f64::NAN),
            at_confidence: quantile(sorted, confidence),
            percentiles: REPORTED
                .iter()
                .map(|&k| (k, quantile(sorted, f64::from(k) / 100.0)))
                .collect(),
            at_confidence_se: quantile_se(sorted, confidence),
            percentile_se: REPORTED
                .iter()
                .map(|&k| (k, quantile_se(sorted, f64::from(k) / 100.0)))
                .collect(),
            mean_se: std / (sorted.len().max(1) as f64).sqrt(),
            at_or_below_plan: fraction_at_or_below(sorted, deterministic),
            histogram: Histogram::of_sorted(sorted),
            curve: CumulativeCurve::of_sorted(sorted),
        }
    }

    /// The summary with standard errors from the spread between independent `replicates`
    /// (ranges of indices into `values`, the iterations in run order; see
    /// [`super::replicates`]). Unchanged with fewer than two replicates.
    pub fn with_replicates(
        mut self,
        values: &[f64],
        replicates: &[Range<usize>],
        confidence: f64,
    ) -> Summary {
        if replicates.len() < 2 {
            return self;
        }
        let sorted_values = sorted(values);
        let se = |q: f64| replicates::percentile_se(values, &sorted_values, replicates, q);
        self.mean_se = replicates::mean_se(values, replicates, self.std);
        self.at_confidence_se = se(confidence);
        self.percentile_se = REPORTED
            .iter()
            .map(|&k| (k, se(f64::from(k) / 100.0)))
            .collect();
        self
    }

    /// The reported percentile `k` (e.g. 50), if it is one of [`REPORTED`].
    pub fn p(&self, k: u32) -> Option<f64> {
        self.percentiles
            .iter()
            .find(|(j, _)| *j == k)
            .map(|(_, v)| *v)
    }
}

/// Sorts a copy of `values` ascending (NaN-free input).
pub fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_summary() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(v − mean)² = 32, std = √(32/7), SE = std/√8.
        let v = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let s = Summary::from_sorted(&v, 4.0, 0.8);
        assert_eq!(s.mean, 5.0);
        assert_eq!(s.std, (32.0f64 / 7.0).sqrt());
        assert_eq!(s.mean_se, (32.0f64 / 7.0).sqrt() / 8.0f64.sqrt());
        assert_eq!((s.min, s.max), (2.0, 9.0));
        // Type 7: P80 at position 0.8 · 7 = 5.6 → 5 + 0.6 · (7 − 5) = 6.2.
        assert!((s.at_confidence - 6.2).abs() < 1e-12);
        assert_eq!(s.p(50), Some(4.5));
        // 2, 4, 4, 4 are at or below the plan 4.
        assert_eq!(s.at_or_below_plan, 0.5);
        assert_eq!(s.histogram.total, 8);
        assert_eq!(s.curve.points.last(), Some(&(9.0, 8)));
    }

    #[test]
    fn one_value_has_no_spread() {
        let s = Summary::from_sorted(&[3.0], 3.0, 0.8);
        assert_eq!((s.std, s.mean_se, s.at_or_below_plan), (0.0, 0.0, 1.0));
    }
}
