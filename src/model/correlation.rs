//! Correlations between task durations: pairs from `correlations.csv` and groups from
//! `project.toml`, as target rank (Spearman) correlations.

use std::path::PathBuf;

/// A set of tasks whose durations are rank-correlated with one coefficient (every pair of the
/// set). A row of `correlations.csv` is a set of two.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// Task ids.
    pub tasks: Vec<String>,
    /// Target rank correlation of every pair, in [-1, 1].
    pub coefficient: f64,
    /// Where it was written, for messages.
    pub file: PathBuf,
    /// 1-based line there.
    pub line: usize,
}
