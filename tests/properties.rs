//! Property tests: invariants that must hold for every plan, not just hand-picked ones.

use std::path::Path;

use p80::engine::{self, deterministic, CompiledPlan, RunSpec, Standard};
use p80::model::{
    self, Assignment, Billing, Distribution, Estimate, Link, Project, RateUnit, Resource, Task,
    TaskKind,
};
use p80::stats::percentile::quantile;
use proptest::prelude::*;

/// One generated task: optimistic, likely, pessimistic, distribution index, predecessor
/// indices, units of the one resource (none below 0.5).
type Row = (f64, f64, f64, u8, Vec<usize>, f64);

/// A random DAG: each task depends on up to 3 earlier tasks; estimates o <= m <= p.
fn plans() -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            0.0f64..10.0,
            0.0f64..10.0,
            0.0f64..20.0,
            0u8..4,
            prop::collection::vec(any::<prop::sample::Index>(), 0..3),
            0.0f64..1.5,
        ),
        1..25,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (a, b, c, dist, preds, units))| {
                let o = a;
                let m = o + b;
                let p = m + c;
                let preds: Vec<usize> = if i == 0 {
                    vec![]
                } else {
                    preds.iter().map(|ix| ix.index(i)).collect()
                };
                (o, m, p, dist, preds, units)
            })
            .collect()
    })
}

fn build(rows: &[Row], capacity: Option<f64>) -> Project {
    let dists = [
        Distribution::Pert,
        Distribution::Triangular,
        Distribution::Uniform,
        Distribution::Fixed,
    ];
    let tasks = rows
        .iter()
        .enumerate()
        .map(|(i, (o, m, p, d, preds, units))| {
            let mut deps: Vec<usize> = preds.clone();
            deps.sort_unstable();
            deps.dedup();
            Task {
                id: format!("t{i}"),
                name: String::new(),
                estimate: Estimate::new(*o, *m, *p, dists[*d as usize]).unwrap(),
                depends_on: deps.iter().map(|j| Link::fs(&format!("t{j}"))).collect(),
                kind: TaskKind::Task,
                finish_with: vec![],
                resources: if *units > 0.5 {
                    vec![Assignment {
                        resource: "r".into(),
                        units: units.min(1.0),
                    }]
                } else {
                    vec![]
                },
                cost: 1.0,
                cost_range: None,
                effort: None,
                forecast: None,
                not_before: None,
                line: i + 2,
            }
        })
        .collect();
    let p = Project {
        name: "prop".into(),
        currency: String::new(),
        tasks,
        resources: vec![Resource {
            id: "r".into(),
            name: String::new(),
            rate: 10.0,
            unit: RateUnit::Day,
            hours_per_day: 8.0,
            capacity,
            rate_range: None,
            billing: Billing::Task,
            available_from: None,
            available_until: None,
            line: 2,
        }],
        risks: vec![],
        risks_file: None,
        correlations: vec![],
        strict_correlation: false,
        tasks_file: "t.csv".into(),
        resources_file: Some("r.csv".into()),
        communication_overhead: 0.0,
        forecasts: vec![],
    };
    assert!(model::validate(&p).is_empty());
    p
}

/// The same plan with every task at one end of its range.
fn at(p: &Project, pick: fn(&Estimate) -> f64) -> f64 {
    let mut q = p.clone();
    for t in &mut q.tasks {
        t.estimate = Estimate::fixed(pick(&t.estimate)).unwrap();
    }
    deterministic(&CompiledPlan::compile(&q)).duration
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every iteration lies between the all-optimistic and all-pessimistic schedules, and in
    /// every iteration at least one task is critical.
    #[test]
    fn iterations_are_bounded_and_someone_is_critical(rows in plans(), seed in any::<u64>()) {
        let p = build(&rows, None);
        let plan = CompiledPlan::compile(&p);
        let sim = engine::run(&plan, &RunSpec::new(300, seed), &Standard);
        let (lo, hi) = (at(&p, |e| e.optimistic), at(&p, |e| e.pessimistic));
        for &d in &sim.durations {
            prop_assert!(d >= lo - 1e-9 && d <= hi + 1e-9, "{d} outside [{lo}, {hi}]");
        }
        prop_assert!(sim.criticality.iter().all(|&c| (0.0..=1.0).contains(&c)));
        // Some task ends the project in every iteration, so the criticalities sum to >= 1.
        prop_assert!(sim.criticality.iter().sum::<f64>() >= 1.0 - 1e-12);
        // The deterministic schedule is between the bounds too.
        let det = deterministic(&plan).duration;
        prop_assert!(det >= lo - 1e-9 && det <= hi + 1e-9);
    }

    /// Levelling only ever lengthens an iteration, never changes its cost, and the levelled
    /// deterministic schedule respects every precedence.
    #[test]
    fn levelling_only_lengthens(rows in plans(), seed in any::<u64>()) {
        let p = build(&rows, Some(1.0));
        let plan = CompiledPlan::compile(&p);
        let free = plan.clone().without_levelling();
        let spec = RunSpec::new(100, seed);
        let (a, b) = (engine::run(&plan, &spec, &Standard), engine::run(&free, &spec, &Standard));
        for (l, u) in a.durations.iter().zip(&b.durations) {
            prop_assert!(*l >= *u - 1e-9, "levelled {l} < unconstrained {u}");
        }
        prop_assert_eq!(&a.costs, &b.costs);
        let s = deterministic(&plan);
        for (i, t) in p.tasks.iter().enumerate() {
            for l in &t.depends_on {
                let j: usize = l.task[1..].parse().unwrap();
                prop_assert!(s.early_start[i] >= s.early_finish[j] - 1e-9);
            }
        }
    }

    /// Percentiles are monotone and within [min, max].
    #[test]
    fn percentiles_are_monotone(mut v in prop::collection::vec(-1e6f64..1e6, 1..200)) {
        v.sort_by(f64::total_cmp);
        let qs: Vec<f64> = (0..=20).map(|k| quantile(&v, k as f64 / 20.0)).collect();
        prop_assert!(qs.windows(2).all(|w| w[0] <= w[1]));
        prop_assert_eq!(qs[0], v[0]);
        prop_assert_eq!(qs[20], *v.last().unwrap());
    }

    /// The readers never panic, whatever the bytes: they return tasks or diagnostics.
    #[test]
    fn readers_never_panic(text in "(id|likely|optimistic|pessimistic|depends_on|resources|type|x_n|,|;|:|\\+|-|[0-9a-z.]{0,4}|\n| ){0,60}") {
        let _ = p80::input::tasks_csv::read(Path::new("t.csv"), &text, Distribution::Pert, &Default::default());
        let _ = p80::input::resources_csv::read(Path::new("r.csv"), &text);
        let _ = p80::input::risks_csv::read(Path::new("k.csv"), &text, Distribution::Pert);
        let _ = p80::input::project_toml::read(Path::new("p.toml"), &text);
    }
}
