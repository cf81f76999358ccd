//! Plans built in memory for the engine's unit tests (integration tests have `tests/support`).

use crate::model::{Distribution, Estimate, Link, Project, Task};

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
        .map(|i| {
            let links = preds(i)
                .iter()
                .map(|p| Link::fs(&format!("t{p}")))
                .collect();
            Task::plain(format!("t{i}"), estimate(i), links, i + 2)
        })
        .collect();
    Project::of_tasks("p", tasks, "t.csv".into())
}
