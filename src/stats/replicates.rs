//! Standard errors from independent replicates, for runs whose iterations are not independent
//! (Latin hypercube: each replicate is one design, see `engine::RunSpec::replicates`).
//!
//! The estimate is computed on all iterations together; its standard error is estimated from
//! the spread of the same statistic over the R replicates: SE = sd(θ₁ … θ_R) / √R. For the
//! mean this is exact in expectation (the pooled mean is the mean of the replicates' means,
//! up to their sizes differing by one iteration); for a percentile it is the usual first-order
//! approximation (the pooled percentile behaves like the mean of the replicates' percentiles).
//! With R = 10 the estimate has 9 degrees of freedom: it is itself uncertain by about ±24%.

use std::ops::Range;

use super::percentile::{quantile, quantile_se};
use super::summary::sorted;

/// The standard error of `statistic` over `values` from its spread across `replicates`
/// (ranges of indices into `values`); `None` with fewer than two replicates.
pub fn replicate_se(
    values: &[f64],
    replicates: &[Range<usize>],
    statistic: impl Fn(&[f64]) -> f64,
) -> Option<f64> {
    let r = replicates.len();
    if r < 2 {
        return None;
    }
    let theta: Vec<f64> = replicates
        .iter()
        .map(|b| statistic(&values[b.clone()]))
        .collect();
    let mean = theta.iter().sum::<f64>() / r as f64;
    let ss: f64 = theta.iter().map(|t| (t - mean) * (t - mean)).sum();
    Some((ss / (r - 1) as f64 / r as f64).sqrt())
}

/// The standard error of the sample `q`-quantile: from the replicates when there are at least
/// two, else by [`quantile_se`] on ascending `sorted` (independent iterations).
pub fn percentile_se(
    values: &[f64],
    sorted_values: &[f64],
    replicates: &[Range<usize>],
    q: f64,
) -> f64 {
    replicate_se(values, replicates, |block| quantile(&sorted(block), q))
        .unwrap_or_else(|| quantile_se(sorted_values, q))
}

/// The standard error of the mean: from the replicates when there are at least two, else
/// `std / √n`.
pub fn mean_se(values: &[f64], replicates: &[Range<usize>], std: f64) -> f64 {
    replicate_se(values, replicates, |block| {
        block.iter().sum::<f64>() / block.len().max(1) as f64
    })
    .unwrap_or_else(|| std / (values.len().max(1) as f64).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spread_of_replicate_means() {
        // Replicate means 1, 2, 3, 4: sd 1.29, SE = sd / 2.
        let values = [1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 4.0, 4.0];
        let blocks = [0..2, 2..4, 4..6, 6..8];
        let se = mean_se(&values, &blocks, 0.0);
        assert!((se - (5.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-12, "{se}");
        // Fewer than two replicates: the independent-iteration formulas.
        let one: Vec<Range<usize>> = std::iter::once(0..values.len()).collect();
        assert_eq!(mean_se(&values, &one, 2.0), 2.0 / 8f64.sqrt());
        let s = sorted(&values);
        assert_eq!(percentile_se(&values, &s, &[], 0.5), quantile_se(&s, 0.5));
        // Identical replicates: no spread.
        let same = [1.0, 5.0, 1.0, 5.0, 1.0, 5.0];
        assert_eq!(
            percentile_se(&same, &sorted(&same), &[0..2, 2..4, 4..6], 0.8),
            0.0
        );
    }
}
