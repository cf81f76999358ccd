//! The correlation matrices of the Gaussian copula, from the target rank correlations: which
//! tasks are correlated together (connected components), rank → normal correlation
//! r = 2·sin(πρ/6) (exact for a Gaussian copula), the positive semi-definite check, the repair
//! to the nearest correlation matrix in the Frobenius norm (Higham 2002, alternating
//! projections with Dykstra's correction) and the Cholesky factor. Validation (strict mode)
//! and the engine's compiled plan both use it; sampling is `engine::correlation`.

use std::collections::HashMap;

use nalgebra::{DMatrix, SymmetricEigen};
use petgraph::unionfind::UnionFind;

/// How much a repair moved a group's matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    /// Largest change of any rank correlation.
    pub max_change: f64,
    /// Frobenius norm of the change (of the normal correlations).
    pub frobenius: f64,
}

/// The correlated groups of a project (connected components of its correlations), with the
/// tasks as indices into `Project::tasks`, their Cholesky factors, and a warning for every
/// repaired group.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Groups {
    /// Task indices and Cholesky factor of each group.
    pub groups: Vec<(Vec<usize>, Vec<f64>)>,
    /// One sentence per repaired group.
    pub warnings: Vec<String>,
}

/// Groups a project's correlations. `index` maps task ids to indices (every id must be known:
/// validation checks). In `strict` mode an inconsistent group is an error, returned with the
/// index of the first correlation that belongs to it.
pub fn groups<S: std::hash::BuildHasher>(
    correlations: &[super::Correlation],
    index: &HashMap<&str, usize, S>,
    strict: bool,
) -> Result<Groups, (usize, String)> {
    // Connected components of the tasks that appear, by petgraph's union-find.
    let n = index.values().max().map_or(0, |&m| m + 1);
    let mut sets = UnionFind::<usize>::new(n);
    let mut appears = vec![false; n];
    for c in correlations {
        let ids: Vec<usize> = c.tasks.iter().map(|t| index[t.as_str()]).collect();
        for &t in &ids {
            appears[t] = true;
            sets.union(ids[0], t);
        }
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for t in (0..n).filter(|&t| appears[t]) {
        members.entry(sets.find_mut(t)).or_default().push(t);
    }
    // Each component is sorted (filled in increasing order); components by their first task.
    let mut comps: Vec<Vec<usize>> = members.into_values().collect();
    comps.sort_unstable();

    let mut out = Groups::default();
    for tasks in comps {
        let k = tasks.len();
        let slot: HashMap<usize, usize> = tasks.iter().enumerate().map(|(i, &t)| (t, i)).collect();
        let mut m = DMatrix::identity(k, k);
        let mut first = usize::MAX;
        for (ci, c) in correlations.iter().enumerate() {
            let ids: Vec<usize> = c.tasks.iter().map(|t| index[t.as_str()]).collect();
            if !slot.contains_key(&ids[0]) {
                continue;
            }
            first = first.min(ci);
            for (x, &a) in ids.iter().enumerate() {
                for &b in &ids[x + 1..] {
                    let (i, j) = (slot[&a], slot[&b]);
                    m[(i, j)] = c.coefficient;
                    m[(j, i)] = c.coefficient;
                }
            }
        }
        match factor(&m, strict) {
            Ok((chol, repair)) => {
                if let Some(r) = repair {
                    out.warnings.push(format!(
                        "the correlations among {} tasks were inconsistent and were repaired to the \
                         nearest valid matrix: the largest rank correlation moved by {:.3}",
                        k, r.max_change
                    ));
                }
                out.groups.push((tasks, chol));
            }
            Err(msg) => return Err((first, msg)),
        }
    }
    Ok(out)
}

/// Spearman ρ → the Pearson correlation of the Gaussian copula with that rank correlation.
pub fn normal_from_rank(rho: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rho / 6.0).sin()
}

/// The inverse: Pearson r of the copula's normals → Spearman ρ.
pub fn rank_from_normal(r: f64) -> f64 {
    6.0 / std::f64::consts::PI * (r / 2.0).asin()
}

/// Builds a group from its `k` tasks' target rank correlations (`rank[i][j]`, symmetric,
/// unit diagonal). Returns the Cholesky factor and, when the matrix had to be repaired, by
/// how much; in `strict` mode a matrix that is not positive semi-definite is an error.
pub fn factor(rank: &DMatrix<f64>, strict: bool) -> Result<(Vec<f64>, Option<Repair>), String> {
    let k = rank.nrows();
    let r = rank.map(normal_from_rank);
    // Eigenvalues only (no vectors): the check every group pays.
    let min_eig = r.clone().symmetric_eigenvalues().min();
    let (target, repair) = if min_eig >= -1e-12 {
        (r, None)
    } else if strict {
        return Err(format!(
            "the correlations are inconsistent (the matrix is not positive semi-definite; smallest \
             eigenvalue {min_eig:.3}); lower some coefficients, or drop strict mode to repair it"
        ));
    } else {
        let fixed = nearest_correlation(&r);
        let moved = (&fixed - &r).norm();
        let ranks = fixed.map(rank_from_normal);
        let max_change = (&ranks - rank).amax();
        (
            fixed,
            Some(Repair {
                max_change,
                frobenius: moved,
            }),
        )
    };
    // Cholesky with a tiny ridge for matrices on the PSD boundary (correlation 1).
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let mut s = target[(i, j)];
            for p in 0..j {
                s -= l[i * k + p] * l[j * k + p];
            }
            if i == j {
                l[i * k + i] = s.max(0.0).sqrt();
            } else {
                let d = l[j * k + j];
                l[i * k + j] = if d > 1e-12 { s / d } else { 0.0 };
            }
        }
    }
    Ok((l, repair))
}

/// Higham's nearest correlation matrix (Frobenius norm): the correlation matrix (symmetric,
/// positive semi-definite, unit diagonal) nearest to `a`, by alternating projections.
pub fn nearest_correlation(a: &DMatrix<f64>) -> DMatrix<f64> {
    let mut y = a.clone();
    let mut ds = DMatrix::zeros(a.nrows(), a.ncols());
    for _ in 0..MAX_STEPS {
        let r = &y - &ds;
        let eig = SymmetricEigen::new(r.clone());
        // The projection onto the PSD cone, X = V·max(Λ, ε)·Vᵀ, written as R plus a
        // correction from the few eigenvalues below ε only: O(k²·m) instead of two O(k³)
        // products (m = eigenvalues below ε, usually a small share of k).
        let low: Vec<usize> = (0..eig.eigenvalues.len())
            .filter(|&i| eig.eigenvalues[i] < 1e-10)
            .collect();
        let mut v = DMatrix::zeros(r.nrows(), low.len());
        let mut w = DMatrix::zeros(r.nrows(), low.len());
        for (c, &i) in low.iter().enumerate() {
            let lift = 1e-10 - eig.eigenvalues[i];
            v.set_column(c, &eig.eigenvectors.column(i));
            w.set_column(c, &(eig.eigenvectors.column(i) * lift));
        }
        let x = &r + &w * v.transpose();
        ds = &x - &r;
        let mut next = x;
        for i in 0..next.nrows() {
            next[(i, i)] = 1.0;
        }
        let change = (&next - &y).norm();
        let size = next.norm();
        y = next;
        if change <= TOLERANCE * size {
            break;
        }
    }
    y
}

/// Higham's iteration stops when a step changes the matrix by less than this fraction of its
/// Frobenius norm (the warning reports the change to 3 decimals; Cholesky follows). An
/// absolute 1e-10 was never reached on large groups, which then ran all steps: 794 tasks
/// with 2,000 pairs now stop after 37 (BENCHMARKS.md) ...
const TOLERANCE: f64 = 1e-8;

/// ... or after this many steps (each one an O(k³) eigendecomposition).
const MAX_STEPS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_and_normal_correlations_round_trip() {
        for rho in [-0.9, -0.3, 0.0, 0.5, 0.8, 1.0] {
            assert!((rank_from_normal(normal_from_rank(rho)) - rho).abs() < 1e-12);
        }
        assert!((normal_from_rank(1.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_valid_matrix_is_not_repaired() {
        let m = DMatrix::from_row_slice(2, 2, &[1.0, 0.6, 0.6, 1.0]);
        let (l, repair) = factor(&m, true).unwrap();
        assert!(repair.is_none());
        let r = normal_from_rank(0.6);
        assert!((l[2] - r).abs() < 1e-12 && (l[3] - (1.0 - r * r).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn an_inconsistent_matrix_is_repaired_or_rejected() {
        // a~b and b~c strongly positive, a~c strongly negative: impossible.
        let m = DMatrix::from_row_slice(3, 3, &[1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0]);
        assert!(factor(&m, true)
            .unwrap_err()
            .contains("not positive semi-definite"));
        let (_, repair) = factor(&m, false).unwrap();
        let repair = repair.unwrap();
        assert!(
            repair.max_change > 0.1 && repair.frobenius > 0.1,
            "{repair:?}"
        );
    }
}
