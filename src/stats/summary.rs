//! The summary of one measure (duration or cost) over all iterations.

use std::ops::Range;

use super::percentile::{quantile, quantile_se, REPORTED};
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
    /// Estimated standard error of the mean.
    pub mean_se: f64,
    /// Estimated standard error of the value at the confidence level.
    pub at_confidence_se: f64,
    /// `(k, standard error of Pk)` for every k in [`REPORTED`].
    pub percentile_se: Vec<(u32, f64)>,
}

impl Summary {
    /// Summarises ascending `sorted` values (at least one).
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
            mean_se: std / (sorted.len().max(1) as f64).sqrt(),
            at_confidence_se: quantile_se(sorted, confidence),
            percentile_se: REPORTED
                .iter()
                .map(|&k| (k, quantile_se(sorted, f64::from(k) / 100.0)))
                .collect(),
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
