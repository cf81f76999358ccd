//! Plans built in memory for the engine's unit tests (integration tests have `tests/support`).

use crate::model::{Distribution, Estimate, Link, Project, Task, TaskKind};

/// `n` PERT tasks `t0..`, task `i` after the tasks `preds(i)` (each earlier than `i`), with
/// likely durations cycling through 2–6 days between 1 and 9.
pub(crate) fn pert_project(n: usize, preds: impl Fn(usize) -> Vec<usize>) -> Project {
    project(
        n,
        |i| Estimate::new(1.0, 2.0 + (i % 5) as f64, 9.0, Distribution::Pert).unwrap(),
        preds,
    )
}

/// `n` tasks `t0..`, task `i` with `estimate(i)` after the tasks `preds(i)` (each earlier
/// than `i`); no resources, risks or costs.
pub(crate) fn project(
    n: usize,
    estimate: impl Fn(usize) -> Estimate,
    preds: impl Fn(usize) -> Vec<usize>,
) -> Project {
    let tasks = (0..n)
        .map(|i| Task {
            id: format!("t{i}"),
            name: String::new(),
            estimate: estimate(i),
            depends_on: preds(i)
                .into_iter()
                .map(|p| Link::fs(&format!("t{p}")))
                .collect(),
            kind: TaskKind::Task,
            finish_with: vec![],
            resources: vec![],
            cost: 0.0,
            cost_range: None,
            effort: None,
            forecast: None,
            not_before: None,
            line: i + 2,
        })
        .collect();
    Project {
        name: "p".into(),
        currency: String::new(),
        tasks,
        resources: vec![],
        tasks_file: "t.csv".into(),
        resources_file: None,
        risks: vec![],
        risks_file: None,
        correlations: vec![],
        strict_correlation: false,
        communication_overhead: 0.0,
        forecasts: vec![],
    }
}
