//! Histograms of simulated values: equal-width bins of a "nice" width chosen from the data.

/// Counts of values in equal-width bins `[start + i·width, start + (i + 1)·width)`; the last
/// bin also holds values on its right edge.
///
/// When every value is the same, the histogram is a point mass: one bin of width 0 at `start`
/// (the value) holding them all; a chart gives it a visible width.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    /// Left edge of the first bin (the value itself for a point mass).
    pub start: f64,
    /// Width of every bin (0 for a point mass).
    pub width: f64,
    /// Values in each bin, from the left.
    pub counts: Vec<usize>,
    /// Number of values counted (the sum of `counts`).
    pub total: usize,
}

/// Most bins a histogram may have (only reached if rounding goes badly wrong for huge values).
const MAX_BINS: usize = 1000;

impl Histogram {
    /// Bins ascending `sorted` values (NaN-free).
    ///
    /// About 2·√n bins, between 10 and 50, each of width the smallest {1, 2, 2.5, 5} × 10^k
    /// that is at least range ÷ (1.2 × target): 30–60 bins for large samples. The first bin
    /// starts at a multiple of the width. When every value is a whole number, widths are whole
    /// numbers and bins are centred on the integers (`[k − 0.5, k + 0.5)` for width 1), so each
    /// bin holds exactly `width` possible values and there are no aliasing gaps.
    ///
    /// An empty slice gives a histogram with no bins.
    pub fn of_sorted(sorted: &[f64]) -> Histogram {
        let n = sorted.len();
        let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
            return Histogram {
                start: 0.0,
                width: 0.0,
                counts: Vec::new(),
                total: 0,
            };
        };
        if max - min <= 0.0 {
            return Histogram {
                start: min,
                width: 0.0,
                counts: vec![n],
                total: n,
            };
        }
        let integral = sorted.iter().all(|v| v.fract() == 0.0 && v.abs() < 1e15);
        let target = (2.0 * (n as f64).sqrt()).round().clamp(10.0, 50.0);
        let mut width = nice_ceil((max - min) / (target * 1.2));
        let start = if integral {
            width = width.ceil().max(1.0);
            (min / width).floor() * width - 0.5
        } else {
            (min / width).floor() * width
        };
        let bins = (((max - start) / width).floor() as usize)
            .saturating_add(1)
            .clamp(1, MAX_BINS);
        let mut counts = vec![0usize; bins];
        for &v in sorted {
            let idx = ((v - start) / width).floor();
            let idx = if idx <= 0.0 {
                0
            } else {
                (idx as usize).min(bins - 1)
            };
            counts[idx] += 1;
        }
        Histogram {
            start,
            width,
            counts,
            total: n,
        }
    }

    /// Right edge of the last bin (`start` for a point mass).
    pub fn end(&self) -> f64 {
        self.start + self.width * self.counts.len() as f64
    }

    /// Each bin as `(left edge, right edge, percent of all values)`, from the left.
    pub fn bins(&self) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        self.counts.iter().enumerate().map(move |(i, &c)| {
            let x0 = self.start + self.width * i as f64;
            (x0, x0 + self.width, percent(c, self.total))
        })
    }

    /// The largest percent of all values in one bin (0 without values).
    pub fn max_percent(&self) -> f64 {
        self.bins().map(|b| b.2).fold(0.0, f64::max)
    }
}

/// `count` as a percent of `total`.
pub(crate) fn percent(count: usize, total: usize) -> f64 {
    count as f64 * 100.0 / total as f64
}

/// Smallest number of the form {1, 2, 2.5, 5} × 10^k that is >= `x` (> 0).
fn nice_ceil(x: f64) -> f64 {
    let exp = x.log10().floor();
    let base = 10f64.powf(exp);
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        let c = m * base;
        if c >= x * (1.0 - 1e-12) {
            return c;
        }
    }
    10.0 * base
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quantiles of a triangular distribution on [lo, hi] with mode `mode`, ascending.
    fn triangular(n: usize, lo: f64, mode: f64, hi: f64) -> Vec<f64> {
        let fc = (mode - lo) / (hi - lo);
        (0..n)
            .map(|i| {
                let u = (i as f64 + 0.5) / n as f64;
                if u < fc {
                    lo + (u * (hi - lo) * (mode - lo)).sqrt()
                } else {
                    hi - ((1.0 - u) * (hi - lo) * (hi - mode)).sqrt()
                }
            })
            .collect()
    }

    #[test]
    fn nice_widths() {
        assert_eq!(nice_ceil(0.7), 1.0);
        assert_eq!(nice_ceil(1.0), 1.0);
        assert_eq!(nice_ceil(1.3), 2.0);
        assert_eq!(nice_ceil(2.2), 2.5);
        assert_eq!(nice_ceil(3.0), 5.0);
        assert_eq!(nice_ceil(6.0), 10.0);
        assert_eq!(nice_ceil(0.031), 0.05);
        assert_eq!(nice_ceil(1200.0), 2000.0);
    }

    #[test]
    fn hand_computed_small_sample() {
        // n = 5: target = round(2·√5) = 4 → clamped to 10; range 1.5 / 12 = 0.125 → width 0.2;
        // start = floor(0.1 / 0.2) · 0.2 = 0; bins = floor(1.6 / 0.2) + 1 = 9. Values 0.1 → bin
        // 0, 0.45 → 2, 0.5 → 2 (0.5 / 0.2 = 2.5), 1.0 → 5, 1.6 → 8 (the last bin).
        let h = Histogram::of_sorted(&[0.1, 0.45, 0.5, 1.0, 1.6]);
        assert_eq!((h.start, h.width, h.total), (0.0, 0.2, 5));
        assert_eq!(h.counts, vec![1, 0, 2, 0, 0, 1, 0, 0, 1]);
        let shares: Vec<f64> = h.bins().map(|b| b.2).collect();
        assert_eq!(
            shares,
            vec![20.0, 0.0, 40.0, 0.0, 0.0, 20.0, 0.0, 0.0, 20.0]
        );
        assert_eq!(h.max_percent(), 40.0);
        assert!((h.end() - 1.8).abs() < 1e-12);
    }

    #[test]
    fn whole_numbers_get_bins_centred_on_the_integers() {
        // Range 4 / 12 → nice width 0.5 → whole width 1, start floor(3) − 0.5 = 2.5: bins
        // [2.5, 3.5) … [6.5, 7.5).
        let h = Histogram::of_sorted(&[3.0, 3.0, 4.0, 6.0, 7.0, 7.0, 7.0]);
        assert_eq!((h.start, h.width), (2.5, 1.0));
        assert_eq!(h.counts, vec![2, 1, 0, 1, 3]);

        let v: Vec<f64> = triangular(10_000, 80.0, 90.0, 130.0)
            .into_iter()
            .map(f64::round)
            .collect();
        let h = Histogram::of_sorted(&v);
        assert_eq!((h.start, h.width), (79.5, 1.0));
        assert!(h.counts.iter().all(|&c| c > 0), "no empty bins inside");
    }

    #[test]
    fn large_samples_get_30_to_60_bins_covering_the_data() {
        for (lo, mode, hi) in [(80.0, 90.0, 130.0), (1.0, 1.3, 2.9), (3.1e5, 3.5e5, 4.9e5)] {
            let v = triangular(10_000, lo, mode, hi);
            let h = Histogram::of_sorted(&v);
            assert!((30..=62).contains(&h.counts.len()), "{}", h.counts.len());
            assert_eq!(h.counts.iter().sum::<usize>(), 10_000);
            assert!((h.bins().map(|b| b.2).sum::<f64>() - 100.0).abs() < 1e-9);
            assert!(h.start <= v[0] && h.end() > v[v.len() - 1]);
        }
    }

    #[test]
    fn equal_values_are_a_point_mass_and_no_values_no_bins() {
        let h = Histogram::of_sorted(&[42.0; 7]);
        assert_eq!(
            h,
            Histogram {
                start: 42.0,
                width: 0.0,
                counts: vec![7],
                total: 7
            }
        );
        assert_eq!(h.end(), 42.0);
        let h = Histogram::of_sorted(&[]);
        assert!(h.counts.is_empty());
        assert_eq!(h.max_percent(), 0.0);
    }
}
