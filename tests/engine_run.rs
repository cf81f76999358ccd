//! The engine's one entry point: iteration ranges that concatenate to the full run bit for
//! bit (what shards build on), Latin hypercube replicates, and an honest resource profile.

use std::fs;
use std::path::Path;

use p80::engine::{
    self, CompiledPlan, Outcomes, Profile, ProfileBins, RunSpec, Sampling, Simulation, Standard,
};

/// A plan with every feature of the plain and levelled paths: PERT, triangular and normal
/// durations, a milestone, a capacitated resource (levelled), an uncertain rate, three-point
/// costs, risk events and drivers with costs, and a correlated group.
const LEVELLED: (&str, &str, &str, &str) = (
    "id,optimistic,likely,pessimistic,distribution,depends_on,resources,cost_optimistic,cost_likely,cost_pessimistic\n\
     a,2,4,9,,,dev,100,200,400\n\
     b,1,3,8,triangular,a,dev,,,\n\
     c,3,5,12,,a,ops,,,\n\
     d,2,3,5,normal,,dev,,,\n\
     m,0,0,0,,b;c,,,,\n\
     e,4,6,15,,m,dev;ops,,,\n\
     f,1,2,6,,d,ops,50,60,90\n\
     g,2,2,9,,e;f,dev,,,\n",
    "id,rate,rate_optimistic,rate_pessimistic,capacity\ndev,500,400,800,1\nops,300,,,\n",
    "id,probability,kind,impact_optimistic,impact_likely,impact_pessimistic,cost_likely,affects\n\
     late,0.3,event,2,4,8,1000,b;e\n\
     team,0.5,driver,0.9,1.0,1.4,,c;g\n",
    "[[correlation]]\ntasks = [\"a\", \"c\", \"e\"]\ncoefficient = 0.6\n",
);

/// A general network: every link type, lags, leads and a level of effort.
const GENERAL: (&str, &str, &str, &str) = (
    "id,optimistic,likely,pessimistic,depends_on,type,finish_with,resources\n\
     a,2,4,9,,,,dev\n\
     b,1,3,8,a:SS+2,,,dev\n\
     c,3,5,12,a:FF-1,,,\n\
     d,2,3,5,b:SF+4;c+1,,,\n\
     pm,0,0,0,a:SS,loe,d,dev:0.5\n\
     m,0,0,0,d;c,,,\n",
    "id,rate\ndev,500\n",
    "id,probability,kind,impact_optimistic,impact_likely,impact_pessimistic,cost_likely,affects\n\
     late,0.4,event,1,2,5,300,c\n",
    "",
);

fn plan(dir: &Path, files: (&str, &str, &str, &str)) -> CompiledPlan {
    let (tasks, resources, risks, extra) = files;
    fs::write(dir.join("tasks.csv"), tasks).unwrap();
    fs::write(dir.join("resources.csv"), resources).unwrap();
    fs::write(dir.join("risks.csv"), risks).unwrap();
    let risks = if risks.is_empty() {
        ""
    } else {
        "risks = \"risks.csv\"\n"
    };
    let toml = dir.join("project.toml");
    fs::write(
        &toml,
        format!(
            "[project]\nname = \"R\"\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n\
             {risks}{extra}"
        ),
    )
    .unwrap();
    let loaded = p80::input::load(&toml).expect("valid fixture");
    CompiledPlan::compile(&loaded.project)
}

fn sim(plan: &CompiledPlan, spec: &RunSpec) -> Simulation {
    engine::run(plan, spec, &Standard)
}

#[test]
fn ranges_concatenate_to_the_full_run_bit_for_bit() {
    let d = tempfile::tempdir().unwrap();
    let n = 300;
    for fixture in [LEVELLED, GENERAL] {
        let plan = plan(d.path(), fixture);
        for sampling in [Sampling::Random, Sampling::LatinHypercube] {
            let full = RunSpec::new(n, 11).with_sampling(sampling).with_lanes(16);
            let whole = sim(&plan, &full);
            assert_eq!(whole.durations.len(), n);
            for a in [0, 1, 37, 64, 150, n - 1, n] {
                let head = sim(&plan, &full.with_range(0..a));
                let tail = sim(&plan, &full.with_range(a..n));
                let cat = |x: &[f64], y: &[f64]| [x, y].concat();
                assert_eq!(
                    cat(&head.durations, &tail.durations),
                    whole.durations,
                    "{sampling:?} split at {a}: durations"
                );
                assert_eq!(cat(&head.costs, &tail.costs), whole.costs, "costs");
                for ((h, t), w) in head
                    .milestones
                    .iter()
                    .zip(&tail.milestones)
                    .zip(&whole.milestones)
                {
                    assert_eq!(cat(&h.finish, &t.finish), w.finish, "milestone finishes");
                }
                // Integer counts add up exactly.
                for ((h, t), w) in head
                    .risk_occurrence
                    .iter()
                    .zip(&tail.risk_occurrence)
                    .zip(&whole.risk_occurrence)
                {
                    let hits = h * a as f64 + t * (n - a) as f64;
                    assert!(
                        (hits - w * n as f64).abs() < 1e-9,
                        "risk hits {hits} vs {}",
                        w * n as f64
                    );
                }
            }
            // The Outcomes collector alone gives the same durations and costs.
            let o = engine::run(&plan, &full, &Outcomes);
            assert_eq!(
                (o.durations, o.costs),
                (whole.durations.clone(), whole.costs.clone())
            );
            // And the chunk width changes no iteration.
            let other = sim(&plan, &full.with_lanes(40));
            assert_eq!(other.durations, whole.durations);
        }
    }
}

#[test]
fn latin_hypercube_replicates_are_independent_designs() {
    let d = tempfile::tempdir().unwrap();
    let plan = plan(d.path(), GENERAL);
    let n = 1_003;
    let spec = RunSpec::new(n, 5).with_sampling(Sampling::LatinHypercube);
    let s = sim(&plan, &spec);
    assert_eq!(s.replicates.len(), engine::LHS_REPLICATES);
    assert_eq!(s.replicates.first().map(|r| r.start), Some(0));
    assert_eq!(s.replicates.last().map(|r| r.end), Some(n));
    for w in s.replicates.windows(2) {
        assert_eq!(w[0].end, w[1].start);
        assert!(w[0].len().abs_diff(w[1].len()) <= 1);
    }
    assert!(sim(&plan, &RunSpec::new(n, 5)).replicates.is_empty());
    // A range keeps the replicates it overlaps, relative to its own first iteration.
    let part = sim(&plan, &spec.with_range(150..420));
    assert_eq!(part.replicates.first(), Some(&(0..50)));
    assert_eq!(part.replicates.last().map(|r| r.end), Some(270));
}

/// Ten tasks sharing one unit of `ds`, with durations whose mean is several times the most
/// likely: the runs last far longer than twice the deterministic plan.
fn queue(dir: &Path) -> CompiledPlan {
    let mut tasks = String::from("id,optimistic,likely,pessimistic,resources\n");
    for i in 0..10 {
        tasks += &format!("t{i},1,1,30,ds\n");
    }
    plan(dir, (&tasks, "id,rate,capacity\nds,100,1\n", "", ""))
}

#[test]
fn a_levelled_resource_with_capacity_one_never_shows_more_than_one_unit() {
    let d = tempfile::tempdir().unwrap();
    let plan = queue(d.path());
    let deterministic = engine::deterministic(&plan).duration;
    assert_eq!(deterministic, 10.0);
    // The bins p80 simulate uses: 200 over twice the deterministic plan, up to 50 times it.
    let bins = ProfileBins {
        bin_days: deterministic / 100.0,
        count: 200,
        max_count: 5_000,
    };
    let (s, profile) = engine::run(
        &plan,
        &RunSpec::new(2_000, 3),
        &(Standard, Profile::new(bins)),
    );
    assert!(s.durations.iter().any(|&x| x > 2.0 * deterministic));
    let ds = &profile.units[0];
    let peak = ds.iter().copied().fold(0.0, f64::max);
    assert!(
        peak <= 1.0 + 1e-9,
        "{peak} units of a resource with capacity 1"
    );
    assert!(peak > 0.99, "the resource is busy from the start: {peak}");
    // Every bin up to the latest finish, and no work lost: the area is the mean work.
    let latest = s.durations.iter().copied().fold(0.0, f64::max);
    assert_eq!(ds.len(), (latest / bins.bin_days).ceil() as usize);
    assert_eq!(profile.beyond, vec![0.0]);
    let work: f64 = s.mean_duration.iter().sum();
    let area = ds.iter().sum::<f64>() * bins.bin_days;
    assert!(
        (area - work).abs() < 1e-4 * work,
        "area {area} vs work {work}"
    );

    // A horizon the runs outlast: the work after it is reported, not piled into a bin.
    let short = ProfileBins {
        max_count: 200,
        ..bins
    };
    let (_, clipped) = engine::run(
        &plan,
        &RunSpec::new(2_000, 3),
        &(Standard, Profile::new(short)),
    );
    assert_eq!(clipped.units[0].len(), 200);
    assert!(clipped.units[0].iter().all(|&u| u <= 1.0 + 1e-9));
    assert_eq!(clipped.units[0][..], ds[..200]);
    let shown = clipped.units[0].iter().sum::<f64>() * bins.bin_days;
    assert!(clipped.beyond[0] > 0.0);
    assert!((shown + clipped.beyond[0] - work).abs() < 1e-4 * work);
}
