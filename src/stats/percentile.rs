//! Exact sample percentiles.

/// The percentiles every summary reports: P1, P5, P10, …, P95 (every 5) and P99.
pub const REPORTED: [u32; 21] = [
    1, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 99,
];

/// The `q`-quantile (0 <= q <= 1) of ascending `sorted` values, interpolating linearly between
/// order statistics (Hyndman & Fan type 7, numpy's default): position q·(n − 1).
/// Returns NaN for an empty slice.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// The standard error of the sample `q`-quantile of ascending `sorted` values, estimated
/// without assuming a distribution: the order statistics at ranks n·q ± √(n·q(1 − q)) bound a
/// ±1 standard error interval (the binomial approximation), so SE ≈ half their distance.
/// 0 for fewer than two values. It assumes independent iterations: Latin hypercube runs use
/// the spread between their replicates instead ([`super::replicates`]).
pub fn quantile_se(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n < 2 {
        return 0.0;
    }
    let nf = n as f64;
    let k = (nf * q * (1.0 - q)).sqrt();
    let lo = ((nf * q - k) / nf).clamp(0.0, 1.0);
    let hi = ((nf * q + k) / nf).clamp(0.0, 1.0);
    (quantile(sorted, hi) - quantile(sorted, lo)) / 2.0
}

/// The fraction of `sorted` values that are <= `x` (the empirical CDF).
pub fn fraction_at_or_below(sorted: &[f64], x: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.partition_point(|&v| v <= x) as f64 / sorted.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_numpy_linear() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 10.0);
        assert_eq!(quantile(&v, 0.5), 3.0);
        // numpy.percentile([1,2,3,4,10], 80) == 5.2
        assert!((quantile(&v, 0.8) - 5.2).abs() < 1e-12);
        assert_eq!(fraction_at_or_below(&v, 3.0), 0.6);
        assert!(quantile(&[], 0.5).is_nan());
    }

    #[test]
    fn quantile_se_matches_the_normal_theory_for_uniform_values() {
        // n evenly spread values on [0, 1]: the density is 1, so SE(q) ≈ sqrt(q(1 − q)/n).
        let n = 100_000;
        let v: Vec<f64> = (0..n).map(|i| (i as f64 + 0.5) / n as f64).collect();
        for q in [0.1, 0.5, 0.8] {
            let want = (q * (1.0 - q) / n as f64).sqrt();
            assert!((quantile_se(&v, q) / want - 1.0).abs() < 0.01, "q={q}");
        }
        assert_eq!(quantile_se(&[3.0], 0.5), 0.0);
    }
}
