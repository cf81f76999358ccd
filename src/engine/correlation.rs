//! Correlated sampling by a Gaussian copula.
//!
//! Each correlated task keeps its own distribution exactly (its inverse CDF is applied to a
//! uniform, as for any task); only the uniforms are correlated. For a group of tasks connected
//! by correlations, p80 turns each target rank (Spearman) correlation ρ into the normal
//! correlation r = 2·sin(πρ/6) (exact for a Gaussian copula), checks the matrix is positive
//! semi-definite, and in every iteration maps the tasks' own independent uniforms u to normals
//! z = Φ⁻¹(u), correlates them (y = L·z, L the Cholesky factor), and maps back u' = Φ(y).
//!
//! A matrix that is not positive semi-definite is repaired to the nearest correlation matrix
//! in the Frobenius norm (Higham 2002, alternating projections with Dykstra's correction), and
//! the repair reports how far it moved; in strict mode it is an error instead.

pub use crate::model::correlation_matrix::{
    factor, groups, normal_from_rank, rank_from_normal, Groups, Repair,
};

use super::sampler::std_normal_quantile;
use crate::model::std_normal_cdf;

/// A group of correlated tasks, ready for sampling.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Plan positions of the group's tasks.
    pub positions: Vec<u32>,
    /// Lower-triangular Cholesky factor of the normal correlation matrix, row-major k × k.
    pub chol: Vec<f64>,
}

/// Correlates one lane: `u` holds the group's independent uniforms and receives correlated
/// ones; `z` is scratch of the same length.
#[inline]
pub fn correlate(chol: &[f64], u: &mut [f64], z: &mut [f64]) {
    let k = u.len();
    for (zi, &ui) in z.iter_mut().zip(u.iter()) {
        // Keep away from 0 and 1, where Φ⁻¹ is infinite.
        *zi = std_normal_quantile(ui.clamp(1e-16, 1.0 - 1e-16));
    }
    for i in 0..k {
        let row = &chol[i * k..i * k + i + 1];
        let y: f64 = row.iter().zip(&z[..=i]).map(|(a, b)| a * b).sum();
        u[i] = std_normal_cdf(y).min(1.0 - f64::EPSILON / 2.0);
    }
}
