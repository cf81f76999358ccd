//! The empirical cumulative distribution (the S-curve) of simulated values, as points.

use super::histogram::percent;

/// Up to this many values the curve is the exact staircase.
pub const STEP_LIMIT: usize = 250;
/// Above [`STEP_LIMIT`] values, the curve is evaluated at this many equal steps in x.
pub const SAMPLES: usize = 250;

/// Points `(x, count)` tracing the empirical CDF of ascending values from `(min, 0)` to
/// `(max, n)`: for up to [`STEP_LIMIT`] values the vertices of the exact staircase
/// (`(x_i, i)` and `(x_i, i + 1)` for the i-th value, 0-based); for more, the number of values
/// `≤ x` at [`SAMPLES`] + 1 evenly spaced x from min to max, which traces the same curve
/// smoothly without thousands of tiny segments.
#[derive(Debug, Clone, PartialEq)]
pub struct CumulativeCurve {
    /// The points, x ascending (repeated x on the vertical steps).
    pub points: Vec<(f64, usize)>,
    /// Number of values (the count at the last point).
    pub total: usize,
}

impl CumulativeCurve {
    /// The curve of ascending `sorted` values (NaN-free); no points for an empty slice.
    pub fn of_sorted(sorted: &[f64]) -> CumulativeCurve {
        let n = sorted.len();
        let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
            return CumulativeCurve {
                points: Vec::new(),
                total: 0,
            };
        };
        let mut points = Vec::with_capacity(2 * n.min(SAMPLES) + 2);
        points.push((min, 0));
        if max <= min {
            points.push((min, n));
        } else if n <= STEP_LIMIT {
            for (i, &x) in sorted.iter().enumerate() {
                points.push((x, i));
                points.push((x, i + 1));
            }
        } else {
            for k in 0..=SAMPLES {
                let x = if k == SAMPLES {
                    max
                } else {
                    min + (max - min) * k as f64 / SAMPLES as f64
                };
                points.push((x, sorted.partition_point(|&v| v <= x)));
            }
        }
        CumulativeCurve { points, total: n }
    }

    /// The points as `(x, cumulative probability in percent)`.
    pub fn percent(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.points
            .iter()
            .map(move |&(x, c)| (x, percent(c, self.total)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_samples_are_the_exact_staircase() {
        let c = CumulativeCurve::of_sorted(&[1.0, 2.0, 2.0, 5.0]);
        assert_eq!(
            c.points,
            vec![
                (1.0, 0),
                (1.0, 0),
                (1.0, 1),
                (2.0, 1),
                (2.0, 2),
                (2.0, 2),
                (2.0, 3),
                (5.0, 3),
                (5.0, 4)
            ]
        );
        let pct: Vec<f64> = c.percent().map(|p| p.1).collect();
        assert_eq!(pct, [0.0, 0.0, 25.0, 25.0, 50.0, 50.0, 75.0, 75.0, 100.0]);
    }

    #[test]
    fn large_samples_are_evaluated_on_an_even_grid() {
        // 1000 values 0, 1, …, 999: at x = 999·k/250 the count of values ≤ x is ⌊x⌋ + 1.
        let v: Vec<f64> = (0..1000).map(f64::from).collect();
        let c = CumulativeCurve::of_sorted(&v);
        assert_eq!(c.points.len(), SAMPLES + 2);
        assert_eq!(c.points[0], (0.0, 0));
        assert_eq!(c.points[1], (0.0, 1));
        assert_eq!(c.points[2], (999.0 / 250.0, 4)); // 3.996 → 0, 1, 2, 3
        assert_eq!(c.points[126], (999.0 * 125.0 / 250.0, 500)); // 499.5
        assert_eq!(*c.points.last().unwrap(), (999.0, 1000));
        assert!(c
            .points
            .windows(2)
            .all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1));
    }

    #[test]
    fn equal_values_jump_at_once_and_no_values_give_no_points() {
        let c = CumulativeCurve::of_sorted(&[3.0; 400]);
        assert_eq!(c.points, vec![(3.0, 0), (3.0, 400)]);
        assert!(CumulativeCurve::of_sorted(&[]).points.is_empty());
    }
}
