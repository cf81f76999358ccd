//! Property tests: invariants that must hold for every plan, not just hand-picked ones.

mod support;

use std::path::Path;

use p80::engine::collect::{Chunk, Collector, Finish, Needs, Slots};
use p80::engine::{self, deterministic, CompiledPlan, RunSpec, Standard};
use p80::model::{self, Distribution, Estimate, Project, RateUnit};
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
            let deps: Vec<String> = deps.iter().map(|j| format!("t{j}")).collect();
            let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
            let t = support::task(
                &format!("t{i}"),
                support::est(*o, *m, *p, dists[*d as usize]),
                &deps,
            );
            let units: &[(&str, f64)] = if *units > 0.5 {
                &[("r", units.min(1.0))]
            } else {
                &[]
            };
            support::with_cost(t, 1.0, units)
        })
        .collect();
    let mut r = support::resource("r", 10.0, RateUnit::Day, 8.0);
    r.capacity = capacity;
    let p = support::project(tasks, vec![r]);
    support::valid(p)
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
        // Every longest path starts at a task without predecessors and ends at one without
        // successors, so in every iteration some of each is critical.
        let sources: f64 = p.tasks.iter().zip(&sim.criticality)
            .filter(|(t, _)| t.depends_on.is_empty()).map(|(_, c)| c).sum();
        prop_assert!(sources >= 1.0 - 1e-12, "sources critical {sources} of the iterations");
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

    /// Levelled schedules never use more of a resource than its capacity at any moment, in
    /// any iteration (checked on every lane's levelled starts and finishes).
    #[test]
    fn levelled_schedules_never_exceed_a_capacity(
        rows in plans(),
        seed in any::<u64>(),
        capacity in 1.0f64..2.5,
    ) {
        let p = build(&rows, Some(capacity));
        let plan = CompiledPlan::compile(&p);
        let spec = RunSpec::new(100, seed);
        let (over, lanes) = engine::run(&plan, &spec, &PeakUse);
        prop_assert_eq!(lanes, 100);
        prop_assert!(over <= capacity + 1e-9, "{over} units in use at once, capacity {capacity}");
    }

    /// Every output file of a run is finite: no `inf`, `NaN` or `null` in the CSV and JSON
    /// files, for plans from tiny to the largest values p80 accepts (1e15 per number).
    #[test]
    fn outputs_are_finite(rows in plans(), seed in any::<u64>(), scale in prop::sample::select(vec![1e-6, 1.0, 1e6, 1e12])) {
        let mut p = build(&rows, None);
        for t in &mut p.tasks {
            let e = t.estimate;
            t.estimate = Estimate::new(e.optimistic * scale, e.likely * scale, e.pessimistic * scale, e.distribution).unwrap();
            t.cost *= scale;
        }
        prop_assert!(model::validate(&p).is_empty());
        let plan = CompiledPlan::compile(&p);
        let sim = engine::run(&plan, &RunSpec::new(200, seed), &Standard);
        let report = p80::stats::Report::new(&p, &deterministic(&plan), &sim, seed, 0.8);
        for a in p80::output::standard(&report) {
            let name = a.file_name();
            if !(name.ends_with(".csv") || name.ends_with(".json")) {
                continue;
            }
            let text = String::from_utf8(a.render(&report).unwrap()).unwrap().to_lowercase();
            for bad in ["inf", "nan", "null"] {
                prop_assert!(!text.contains(bad), "{name} contains {bad}:\n{text}");
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

/// The most units of the one resource in use at once over every lane, and the lanes seen.
struct PeakUse;

impl Collector for PeakUse {
    type Acc = (f64, usize);
    type Output = (f64, usize);

    fn needs(&self) -> Needs {
        Needs {
            rows: true,
            ..Needs::NOTHING
        }
    }

    fn start(&self, _plan: &CompiledPlan, _lanes: usize) -> (f64, usize) {
        (0.0, 0)
    }

    fn chunk(&self, acc: &mut (f64, usize), chunk: &Chunk, _slots: &mut Slots) {
        let plan = chunk.plan();
        for lane in 0..chunk.len() {
            // (time, +units at a start / −units at a finish); finishes first at a tie.
            let mut events: Vec<(f64, f64)> = Vec::new();
            for pos in 0..plan.len() {
                let (s, f) = (chunk.start(pos)[lane], chunk.finish(pos)[lane]);
                if f <= s {
                    continue;
                }
                for &(_, units) in plan.resources().uses_of(pos) {
                    events.push((s, units));
                    events.push((f, -units));
                }
            }
            events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
            let mut used = 0.0f64;
            for (_, d) in events {
                used += d;
                acc.0 = acc.0.max(used);
            }
        }
        acc.1 += chunk.len();
    }

    fn merge(&self, acc: &mut (f64, usize), other: (f64, usize)) {
        acc.0 = acc.0.max(other.0);
        acc.1 += other.1;
    }

    fn finish(&self, acc: (f64, usize), _run: &Finish) -> (f64, usize) {
        acc
    }
}
