//! Three-point estimates and the distributions they are sampled from.

use std::fmt;

/// The probability distribution a three-point estimate is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Distribution {
    /// Beta-PERT: α = 1 + 4(m−o)/(p−o), β = 1 + 4(p−m)/(p−o) on [o, p]; mean (o + 4m + p)/6.
    #[default]
    Pert,
    /// Triangular with minimum o, mode m, maximum p.
    Triangular,
    /// Uniform on [o, p] (m is validated but not used for sampling).
    Uniform,
    /// Always the most likely value m.
    Fixed,
}

impl Distribution {
    /// All names accepted in input files.
    pub const NAMES: &'static str = "pert, triangular, uniform, fixed";

    /// Parses a distribution name (case-insensitive); `None` if unknown.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pert" | "beta-pert" | "betapert" => Some(Distribution::Pert),
            "triangular" | "triangle" => Some(Distribution::Triangular),
            "uniform" => Some(Distribution::Uniform),
            "fixed" | "constant" => Some(Distribution::Fixed),
            _ => None,
        }
    }
}

impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Distribution::Pert => "pert",
            Distribution::Triangular => "triangular",
            Distribution::Uniform => "uniform",
            Distribution::Fixed => "fixed",
        })
    }
}

/// A validated three-point estimate: 0 <= optimistic <= likely <= pessimistic, all finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Optimistic (smallest) value.
    pub optimistic: f64,
    /// Most likely value (mode); the deterministic plan uses it.
    pub likely: f64,
    /// Pessimistic (largest) value.
    pub pessimistic: f64,
    /// How to sample between them.
    pub distribution: Distribution,
}

impl Estimate {
    /// Checks the ordering and finiteness; on failure says which value is wrong and how to fix it.
    /// Returns `(field, message)` so the reader can attach the file and line.
    pub fn new(
        optimistic: f64,
        likely: f64,
        pessimistic: f64,
        distribution: Distribution,
    ) -> Result<Self, (&'static str, String)> {
        for (field, v) in [
            ("optimistic", optimistic),
            ("likely", likely),
            ("pessimistic", pessimistic),
        ] {
            if !v.is_finite() {
                return Err((field, format!("{v} is not a finite number of working days")));
            }
            if v < 0.0 {
                return Err((
                    field,
                    format!("{v} is negative; durations are >= 0 working days"),
                ));
            }
        }
        if optimistic > likely {
            return Err((
                "optimistic",
                format!(
                    "optimistic {optimistic} is greater than likely {likely}; \
                     estimates must satisfy optimistic <= likely <= pessimistic"
                ),
            ));
        }
        if likely > pessimistic {
            return Err((
                "pessimistic",
                format!(
                    "pessimistic {pessimistic} is less than likely {likely}; \
                     estimates must satisfy optimistic <= likely <= pessimistic"
                ),
            ));
        }
        Ok(Estimate {
            optimistic,
            likely,
            pessimistic,
            distribution,
        })
    }

    /// A fixed duration.
    pub fn fixed(value: f64) -> Result<Self, (&'static str, String)> {
        Self::new(value, value, value, Distribution::Fixed)
    }

    /// The distribution actually sampled: a zero-width range is fixed whatever was asked.
    pub fn effective_distribution(&self) -> Distribution {
        if self.pessimistic == self.optimistic {
            Distribution::Fixed
        } else {
            self.distribution
        }
    }

    /// The exact mean of the distribution.
    pub fn mean(&self) -> f64 {
        let (o, m, p) = (self.optimistic, self.likely, self.pessimistic);
        match self.effective_distribution() {
            Distribution::Pert => (o + 4.0 * m + p) / 6.0,
            Distribution::Triangular => (o + m + p) / 3.0,
            Distribution::Uniform => (o + p) / 2.0,
            Distribution::Fixed => m,
        }
    }

    /// The exact variance of the distribution.
    pub fn variance(&self) -> f64 {
        let (o, m, p) = (self.optimistic, self.likely, self.pessimistic);
        match self.effective_distribution() {
            Distribution::Pert => {
                let (a, b) = self.pert_shape();
                let w = p - o;
                w * w * a * b / ((a + b) * (a + b) * (a + b + 1.0))
            }
            Distribution::Triangular => (o * o + m * m + p * p - o * m - o * p - m * p) / 18.0,
            Distribution::Uniform => (p - o) * (p - o) / 12.0,
            Distribution::Fixed => 0.0,
        }
    }

    /// Beta-PERT shape parameters (α, β); meaningful when optimistic < pessimistic.
    pub fn pert_shape(&self) -> (f64, f64) {
        let r = (self.likely - self.optimistic) / (self.pessimistic - self.optimistic);
        (1.0 + 4.0 * r, 1.0 + 4.0 * (1.0 - r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_is_enforced_with_the_offending_field() {
        assert_eq!(
            Estimate::new(5.0, 3.0, 8.0, Distribution::Pert)
                .unwrap_err()
                .0,
            "optimistic"
        );
        assert_eq!(
            Estimate::new(1.0, 9.0, 8.0, Distribution::Pert)
                .unwrap_err()
                .0,
            "pessimistic"
        );
        assert_eq!(
            Estimate::new(-1.0, 0.0, 8.0, Distribution::Pert)
                .unwrap_err()
                .0,
            "optimistic"
        );
        assert_eq!(
            Estimate::new(1.0, f64::NAN, 8.0, Distribution::Pert)
                .unwrap_err()
                .0,
            "likely"
        );
    }

    #[test]
    fn pert_mean_matches_the_textbook_formula() {
        let e = Estimate::new(2.0, 5.0, 14.0, Distribution::Pert).unwrap();
        assert!((e.mean() - (2.0 + 20.0 + 14.0) / 6.0).abs() < 1e-12);
        let (a, b) = e.pert_shape();
        assert!((a - 2.0).abs() < 1e-12 && (b - 4.0).abs() < 1e-12);
    }

    #[test]
    fn zero_width_is_fixed() {
        let e = Estimate::new(3.0, 3.0, 3.0, Distribution::Pert).unwrap();
        assert_eq!(e.effective_distribution(), Distribution::Fixed);
        assert_eq!(e.variance(), 0.0);
    }
}
