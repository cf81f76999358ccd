//! The slotted plain path (live finish rows and tie marks, used for plans above 20,480 tasks)
//! gives exactly what keeping every row gives: durations, costs, criticality (every tied path),
//! milestone finishes and each task's finish range, on random plans full of exact ties (fixed
//! durations, milestones, shared predecessors) and with up to 20 predecessors per task (tie
//! marks over three bytes).

mod support;

use p80::engine::{self, Bounds, RunSpec, Standard};
use p80::model::{Distribution, Estimate, Project, TaskKind};
use rand::Rng;
use support::{est, task};

/// `n` tasks in file (topological) order; each depends on up to `max_preds` distinct earlier
/// tasks, mostly recent ones (a short live set) but some far back (long-lived rows); a third
/// have fixed durations and a tenth are milestones, so that finishes tie exactly.
fn random_plain_project(seed: u64, n: usize, max_preds: usize) -> Project {
    let mut g = support::rng(seed);
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let id = format!("t{i}");
        let mut deps: Vec<String> = Vec::new();
        if i > 0 {
            for _ in 0..g.random_range(0..=max_preds) {
                let back = if g.random_bool(0.8) {
                    g.random_range(1..=i.min(12))
                } else {
                    g.random_range(1..=i)
                };
                let d = format!("t{}", i - back);
                if !deps.contains(&d) {
                    deps.push(d);
                }
            }
        }
        let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
        let mut t = match g.random_range(0..10) {
            0 => {
                let mut t = task(&id, Estimate::fixed(0.0).unwrap(), &deps);
                t.kind = TaskKind::Milestone;
                t
            }
            1..=3 => task(
                &id,
                Estimate::fixed(g.random_range(0..4) as f64).unwrap(),
                &deps,
            ),
            _ => {
                let o = g.random_range(1..5) as f64;
                task(&id, est(o, o + 2.0, o + 7.0, Distribution::Pert), &deps)
            }
        };
        t.line = i + 2;
        tasks.push(t);
    }
    support::valid(support::project(tasks, vec![]))
}

#[test]
fn slotted_and_full_rows_agree_bit_for_bit() {
    for seed in 0..24u64 {
        let max_preds = [3, 9, 20][seed as usize % 3];
        let project = random_plain_project(seed, 150 + 10 * seed as usize, max_preds);
        let plan = support::compile(&project);
        assert!(!plan.network().is_general(), "seed {seed}: a plain network");
        assert!(
            plan.slotting().slots() < plan.len(),
            "seed {seed}: rows are reused"
        );
        let collector = (Standard, Bounds::for_plan(&plan));
        for lanes in [8, 24] {
            // 203 iterations: a partial last chunk too.
            let spec = RunSpec::new(203, seed + 7).with_lanes(lanes);
            let full = engine::run(&plan, &spec.with_slotting(false), &collector);
            let slotted = engine::run(&plan, &spec.with_slotting(true), &collector);
            assert_eq!(slotted.0, full.0, "seed {seed} lanes {lanes}: simulation");
            assert_eq!(slotted.1, full.1, "seed {seed} lanes {lanes}: task bounds");
            assert!(
                full.0.criticality.iter().filter(|&&c| c > 0.0).count() > 1,
                "seed {seed}: some criticality to compare"
            );
        }
    }
}

#[test]
fn ties_make_every_tied_predecessor_critical() {
    // a (fixed 3) and b (fixed 3) both feed c: both are critical in every iteration, on the
    // slotted path as on the full one.
    let tasks = vec![
        task("a", Estimate::fixed(3.0).unwrap(), &[]),
        task("b", Estimate::fixed(3.0).unwrap(), &[]),
        task("x", est(1.0, 2.0, 9.0, Distribution::Pert), &[]),
        task(
            "c",
            est(1.0, 2.0, 4.0, Distribution::Pert),
            &["x", "a", "b"],
        ),
    ];
    let plan = support::compile(&support::valid(support::project(tasks, vec![])));
    let spec = RunSpec::new(1000, 3).with_slotting(true);
    let sim = engine::run(&plan, &spec, &Standard);
    let full = engine::run(&plan, &spec.with_slotting(false), &Standard);
    assert_eq!(sim, full);
    // Task order: a, b, x, c. a and b tie exactly; x (1 to 9 days) beats 3 in most iterations.
    assert_eq!(sim.criticality[0], sim.criticality[1]);
    assert!(sim.criticality[0] > 0.0 && sim.criticality[0] < 1.0);
    assert!((sim.criticality[0] + sim.criticality[2] - 1.0).abs() < 1e-12);
    assert_eq!(sim.criticality[3], 1.0);
}
