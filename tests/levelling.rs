//! Resource levelling inside every iteration: hand-checked cases, feasibility of every
//! iteration's schedule, and the switches.

use std::fs;
use std::path::Path;
mod support;

use assert_cmd::Command;
use p80::engine::collect::{Chunk, Collector, Finish, Needs, Slots};
use p80::engine::{self, deterministic, CompiledPlan, RunSpec, Standard};
use p80::model::Project;

fn project(tasks: &str, resources: &str) -> Project {
    support::valid(support::from_csv(tasks, resources))
}

#[test]
fn two_tasks_sharing_one_unit_run_in_sequence() {
    let p = project(
        "id,likely,distribution,resources\na,3,fixed,ds\nb,5,fixed,ds\nc,2,fixed,\n",
        "id,rate,capacity\nds,100,1\n",
    );
    let plan = CompiledPlan::compile(&p);
    assert!(plan.is_levelled());
    let s = deterministic(&plan);
    assert_eq!(s.duration, 8.0);
    // Priority: latest start in the unconstrained plan (a: 2, b: 0), so b goes first.
    assert_eq!((s.early_start[0], s.early_start[1]), (5.0, 0.0));
    assert_eq!(s.critical, vec![true, true, false]);
    // Without levelling they overlap.
    assert_eq!(
        deterministic(&plan.clone().without_levelling()).duration,
        5.0
    );
    // Cost is unchanged by levelling: the same work, later.
    assert_eq!(s.cost, 800.0);
}

#[test]
fn fractional_units_share_a_resource() {
    // Two half-time tasks fit side by side on one unit; a third does not.
    let p = project(
        "id,likely,distribution,resources\na,4,fixed,ds:0.5\nb,4,fixed,ds:0.5\nc,4,fixed,ds:0.5\n",
        "id,rate,capacity\nds,100,1\n",
    );
    assert_eq!(deterministic(&CompiledPlan::compile(&p)).duration, 8.0);
}

#[test]
fn every_iteration_is_levelled_and_respects_precedence() {
    // A small network on two capacity-1 resources with uncertain durations: in every
    // iteration the project takes at least the total work on each resource (capacity 1).
    let tasks = "id,optimistic,likely,pessimistic,depends_on,resources\n\
                 a,1,2,4,,x\nb,2,3,6,,x\nc,1,1,3,a,y\nd,2,4,5,b,y\ne,1,2,2,c;d,x\n";
    let p = project(tasks, "id,rate,capacity\nx,10,1\ny,20,1\n");
    let plan = CompiledPlan::compile(&p);
    let sim = engine::run(&plan, &RunSpec::new(2_000, 5), &Standard);
    // Mean work on x is E[a] + E[b] + E[e]; each iteration's duration >= that iteration's work.
    let unconstrained = engine::run(
        &plan.clone().without_levelling(),
        &RunSpec::new(2_000, 5),
        &Standard,
    );
    for (l, u) in sim.durations.iter().zip(&unconstrained.durations) {
        assert!(l >= u, "levelling can only lengthen: {l} < {u}");
    }
    // Same draws (common random numbers): costs do not depend on levelling.
    assert_eq!(sim.costs, unconstrained.costs);
    let go = |t| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .unwrap()
            .install(|| engine::run(&plan, &RunSpec::new(2_000, 5), &Standard))
    };
    assert_eq!(go(1), go(2));
}

/// Criticality of a levelled schedule by brute force, from its definition: a task is critical
/// when some chain of "driving" steps leads from it to a task that finishes at the project
/// end, a step t → s meaning s starts the instant t finishes and either depends on t or
/// shares a capacity-limited resource with it (so s's start may have waited for t). Every
/// chain is enumerated (no memo, no ordering): independent of the engine's sorted sweep.
fn brute_force_critical(p: &Project, start: &[f64], finish: &[f64]) -> Vec<bool> {
    let n = p.tasks.len();
    let end = finish.iter().copied().fold(0.0, f64::max);
    let limited = |r: &str| {
        p.resources
            .iter()
            .any(|x| x.id == r && x.capacity.is_some())
    };
    let drives = |t: usize, s: usize| {
        t != s
            && finish[t] == start[s]
            && (p.tasks[s]
                .depends_on
                .iter()
                .any(|l| l.task == p.tasks[t].id)
                || p.tasks[t].resources.iter().any(|a| {
                    limited(&a.resource)
                        && p.tasks[s]
                            .resources
                            .iter()
                            .any(|b| b.resource == a.resource)
                }))
    };
    let mut out = vec![false; n];
    for (t, o) in out.iter_mut().enumerate() {
        // Depth-first over every chain from t; `path` keeps a chain from revisiting a task.
        fn walk(
            t: usize,
            n: usize,
            path: &mut Vec<bool>,
            at_end: &dyn Fn(usize) -> bool,
            drives: &dyn Fn(usize, usize) -> bool,
        ) -> bool {
            if at_end(t) {
                return true;
            }
            path[t] = true;
            let found =
                (0..n).any(|s| !path[s] && drives(t, s) && walk(s, n, path, at_end, drives));
            path[t] = false;
            found
        }
        *o = walk(
            t,
            n,
            &mut vec![false; n],
            &|t: usize| finish[t] == end,
            &drives,
        );
    }
    out
}

/// A random small levelled instance (or `None` when no capacity binds): 3–8 tasks, random
/// finish-to-start links, one or two resources of capacity 1 or 2, each task using up to the
/// capacity of one of them or none. Durations are whole days (`fixed`, so ties are common) or
/// triangular around them.
fn random_levelled(g: &mut rand::rngs::StdRng, fixed: bool) -> Option<(Project, CompiledPlan)> {
    use p80::model::{Distribution, Estimate, RateUnit};
    use rand::Rng;
    let n = g.random_range(3..=8);
    let k = g.random_range(1..=2);
    let capacity: Vec<f64> = (0..k).map(|_| g.random_range(1..=2) as f64).collect();
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let deps: Vec<String> = (0..i)
                .filter(|_| g.random_bool(0.25))
                .map(|j| format!("t{j}"))
                .collect();
            let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
            let d = g.random_range(1..=5) as f64;
            let e = if fixed {
                Estimate::fixed(d).unwrap()
            } else {
                support::est(0.5 * d, d, 2.0 * d, Distribution::Triangular)
            };
            let t = support::task(&format!("t{i}"), e, &deps);
            let r = g.random_range(0..=k); // k: no resource
            let uses: Vec<(String, f64)> = (r < k)
                .then(|| {
                    (
                        format!("r{r}"),
                        g.random_range(1..=capacity[r] as u32) as f64,
                    )
                })
                .into_iter()
                .collect();
            let uses: Vec<(&str, f64)> = uses.iter().map(|(r, u)| (r.as_str(), *u)).collect();
            support::with_cost(t, 0.0, &uses)
        })
        .collect();
    let resources = capacity
        .iter()
        .enumerate()
        .map(|(r, &c)| {
            let mut x = support::resource(&format!("r{r}"), 1.0, RateUnit::Day, 8.0);
            x.capacity = Some(c);
            x
        })
        .collect();
    let p = support::project(tasks, resources);
    let plan = support::compile(&p);
    plan.is_levelled().then_some((p, plan))
}

/// Levelled criticality (deterministic schedule and simulation) equals the brute force on 300
/// random small instances with whole-day durations (ties are common).
#[test]
fn levelled_criticality_matches_brute_force_on_small_instances() {
    let mut g = support::rng(9);
    let mut checked = 0;
    for case in 0..300 {
        let Some((p, plan)) = random_levelled(&mut g, true) else {
            continue;
        };
        checked += 1;
        let s = deterministic(&plan);
        let want = brute_force_critical(&p, &s.early_start, &s.early_finish);
        assert_eq!(s.critical, want, "case {case}: {p:#?}\n{s:#?}");
        // Fixed durations: every iteration is this schedule, so criticality is 0 or 1.
        let sim = engine::run(&plan, &RunSpec::new(130, 1), &Standard);
        let got: Vec<bool> = sim.criticality.iter().map(|&c| c == 1.0).collect();
        assert_eq!(got, want, "case {case}: simulated {:?}", sim.criticality);
        assert!(sim.criticality.iter().all(|&c| c == 0.0 || c == 1.0));
    }
    assert!(checked > 200, "only {checked} levelled instances");
}

/// Compares, in every lane of a run, the backward pass's marks with the brute force on that
/// lane's levelled start and finish rows. Output: (lanes checked, lanes that differ).
struct BruteForceLanes<'p> {
    project: &'p Project,
}

impl Collector for BruteForceLanes<'_> {
    /// The current chunk's marks by position, lanes checked, lanes that differ.
    type Acc = (Vec<Vec<u8>>, u64, u64);
    type Output = (u64, u64);
    fn needs(&self) -> Needs {
        Needs {
            rows: true,
            critical: true,
            ..Needs::NOTHING
        }
    }
    fn start(&self, plan: &CompiledPlan, lanes: usize) -> Self::Acc {
        (vec![vec![0; lanes]; plan.len()], 0, 0)
    }
    fn critical(&self, acc: &mut Self::Acc, pos: usize, marks: &[u8], _count: u64) {
        acc.0[pos][..marks.len()].copy_from_slice(marks);
    }
    fn chunk(&self, acc: &mut Self::Acc, chunk: &Chunk, _slots: &mut Slots) {
        let order = chunk.plan().network().order();
        let n = order.len();
        for lane in 0..chunk.len() {
            let (mut start, mut finish, mut got) = (vec![0.0; n], vec![0.0; n], vec![false; n]);
            for (pos, &t) in order.iter().enumerate() {
                start[t] = chunk.start(pos)[lane];
                finish[t] = chunk.finish(pos)[lane];
                got[t] = acc.0[pos][lane] == 1;
            }
            acc.1 += 1;
            if got != brute_force_critical(self.project, &start, &finish) {
                acc.2 += 1;
            }
        }
        for marks in &mut acc.0 {
            marks.fill(0);
        }
    }
    fn merge(&self, acc: &mut Self::Acc, other: Self::Acc) {
        acc.1 += other.1;
        acc.2 += other.2;
    }
    fn finish(&self, acc: Self::Acc, _run: &Finish) -> Self::Output {
        (acc.1, acc.2)
    }
}

/// The same with sampled (triangular) durations: in every lane of 100 random instances × 200
/// iterations, the levelled backward pass marks exactly the tasks the brute force finds.
#[test]
fn levelled_criticality_matches_brute_force_in_every_sampled_lane() {
    let mut g = support::rng(10);
    let (mut lanes, mut instances) = (0, 0);
    while instances < 100 {
        let Some((p, plan)) = random_levelled(&mut g, false) else {
            continue;
        };
        instances += 1;
        let (checked, wrong) = engine::run(
            &plan,
            &RunSpec::new(200, instances),
            &BruteForceLanes { project: &p },
        );
        assert_eq!(wrong, 0, "{wrong} of {checked} lanes differ: {p:#?}");
        lanes += checked;
    }
    assert_eq!(lanes, 100 * 200);
}

fn write(dir: &Path, tasks: &str, resources: &str, sim: &str) {
    fs::write(dir.join("tasks.csv"), tasks).unwrap();
    fs::write(dir.join("resources.csv"), resources).unwrap();
    fs::write(
        dir.join("project.toml"),
        format!("[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n[simulation]\niterations = 200\n{sim}"),
    )
    .unwrap();
}

fn summary_duration(dir: &Path, out: &str) -> f64 {
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join(out).join("summary.json")).unwrap()).unwrap();
    v["duration"]["deterministic"].as_f64().unwrap()
}

#[test]
fn no_level_flag_and_setting_give_the_unconstrained_answer() {
    let d = tempfile::tempdir().unwrap();
    let (t, r) = (
        "id,likely,distribution,resources\na,3,fixed,ds\nb,5,fixed,ds\n",
        "id,rate,capacity\nds,100,1\n",
    );
    write(d.path(), t, r, "");
    let p80 = || Command::cargo_bin("p80").unwrap();
    p80()
        .args(["simulate", "project.toml", "-q", "--out", "lev"])
        .current_dir(d.path())
        .assert()
        .success();
    p80()
        .args([
            "simulate",
            "project.toml",
            "-q",
            "--no-level",
            "--out",
            "free",
        ])
        .current_dir(d.path())
        .assert()
        .success();
    assert_eq!(summary_duration(d.path(), "lev"), 8.0);
    assert_eq!(summary_duration(d.path(), "free"), 5.0);
    write(d.path(), t, r, "level = false\n");
    p80()
        .args(["simulate", "project.toml", "-q", "--out", "free2"])
        .current_dir(d.path())
        .assert()
        .success();
    assert_eq!(summary_duration(d.path(), "free2"), 5.0);
}

#[test]
fn a_task_needing_more_than_exists_is_an_input_error() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "id,likely,distribution,resources\na,3,fixed,ds:2\n",
        "id,rate,capacity\nds,100,1\n",
        "",
    );
    Command::cargo_bin("p80")
        .unwrap()
        .args(["simulate", "project.toml", "--out", "o"])
        .current_dir(d.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "tasks.csv:2: field `resources`: `ds:2` needs more units than the 1 that exist",
        ));
}

#[test]
fn ss_plus_2_between_two_tasks_sharing_one_unit_forces_them_apart() {
    // b may start 2 days after a starts (SS+2), but both need the one `ds`: b waits for a's
    // finish at 3 and the project ends at 3 + 2 = 5 (unlevelled: 2 + 2 = 4, overlapping).
    let p = project(
        "id,likely,distribution,depends_on,resources\na,3,fixed,,ds\nb,2,fixed,a:SS+2,ds\n",
        "id,rate,capacity\nds,100,1\n",
    );
    let plan = CompiledPlan::compile(&p);
    assert!(plan.is_levelled() && plan.network().is_general());
    let s = deterministic(&plan);
    assert_eq!((s.early_start[0], s.early_start[1]), (0.0, 3.0));
    assert_eq!(s.duration, 5.0);
    // Both are critical: b's start is a's finish (it waited for the unit a held).
    assert_eq!(s.critical, vec![true, true]);
    let free = deterministic(&plan.clone().without_levelling());
    assert_eq!((free.early_start[1], free.duration), (2.0, 4.0));
    // With a capacity of two the link alone decides.
    let p = project(
        "id,likely,distribution,depends_on,resources\na,3,fixed,,ds\nb,2,fixed,a:SS+2,ds\n",
        "id,rate,capacity\nds,100,2\n",
    );
    let s = deterministic(&CompiledPlan::compile(&p));
    assert_eq!((s.early_start[1], s.duration), (2.0, 4.0));
}

#[test]
fn every_link_type_lag_and_bound_is_honoured_when_levelled() {
    // FF+1: c finishes at least 1 after a finishes; SF: d finishes after b starts + 4; FS-1:
    // e starts 1 before a finishes; f starts no earlier than day 9. Nothing shares units, so
    // the levelled schedule is the unlevelled one.
    let p = project(
        "id,likely,distribution,depends_on,resources,not_before\n\
         a,4,fixed,,x,\nb,2,fixed,a,y,\nc,2,fixed,a:FF+1,z,\nd,1,fixed,b:SF+4,x,\n\
         e,1,fixed,a:FS-1,y,\nf,1,fixed,,z,9\n",
        "id,rate,capacity\nx,1,1\ny,1,1\nz,1,1\n",
    );
    let plan = CompiledPlan::compile(&p);
    let levelled = deterministic(&plan);
    let free = deterministic(&plan.clone().without_levelling());
    assert_eq!(levelled.early_start, free.early_start);
    assert_eq!(levelled.duration, free.duration);
    // a 0–4, b 4–6, c 3–5, d 7–8, e 3–4, f 9–10.
    assert_eq!(levelled.early_start, vec![0.0, 4.0, 3.0, 7.0, 3.0, 9.0]);
    assert_eq!(levelled.duration, 10.0);
}

#[test]
fn a_level_of_effort_spanning_levelled_tasks_stretches_with_them() {
    // a and b share the one `ds` and run one after the other; the level of effort `pm`
    // spans them (finish_with a;b) and holds no units: 0 to 7, not 0 to 4.
    let p = project(
        "id,likely,distribution,depends_on,resources,type,finish_with\n\
         a,3,fixed,,ds,,\nb,4,fixed,,ds,,\npm,,,,,loe,a;b\n",
        "id,rate,capacity\nds,100,1\n",
    );
    let plan = CompiledPlan::compile(&p);
    let s = deterministic(&plan);
    assert_eq!(s.duration, 7.0);
    assert_eq!((s.early_start[2], s.early_finish[2]), (0.0, 7.0));
    let free = deterministic(&plan.clone().without_levelling());
    assert_eq!(free.early_finish[2], 4.0);
    // In every iteration the span ends with the later of the two.
    let p = project(
        "id,optimistic,likely,pessimistic,depends_on,resources,type,finish_with\n\
         a,1,3,6,,ds,,\nb,2,4,9,,ds,,\npm,,,,,,loe,a;b\n",
        "id,rate,capacity\nds,100,1\n",
    );
    let plan = CompiledPlan::compile(&p);
    let sim = engine::run(&plan, &RunSpec::new(500, 3), &Standard);
    // a and b never overlap: the project lasts a + b, which the span covers.
    let t = deterministic(&plan);
    assert_eq!(t.early_finish[2], t.duration);
    assert!(sim.durations.iter().all(|&d| d >= 3.0 - 1e-12));
}

#[test]
fn plans_with_lagged_links_are_levelled_not_refused() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "id,likely,distribution,depends_on,resources\na,3,fixed,,ds\nb,2,fixed,a:SS+1,ds\n",
        "id,rate,capacity\nds,100,1\n",
        "level_improve = true\n",
    );
    let p80 = || Command::cargo_bin("p80").unwrap();
    // Levelled (the improvement pass is for plain networks: a general one is levelled without
    // it), b waits for the unit (3 + 2 = 5); with --no-level it starts at 1 (3).
    for (out, extra, want) in [("o", &[][..], 5.0), ("n", &["--no-level"][..], 3.0)] {
        p80()
            .args(["simulate", "project.toml", "-q", "--out", out])
            .args(extra)
            .current_dir(d.path())
            .assert()
            .success();
        let v: serde_json::Value =
            serde_json::from_slice(&fs::read(d.path().join(out).join("summary.json")).unwrap())
                .unwrap();
        assert_eq!(v["duration"]["deterministic"], want);
    }
}

#[test]
fn the_resource_profile_is_units_in_use_over_time() {
    use p80::engine::{Profile, ProfileBins};
    // Fixed 4-day task at half a unit, then a 2-day task at 2 units of another resource.
    let p = project(
        "id,likely,distribution,depends_on,resources\na,4,fixed,,dev:0.5\nb,2,fixed,a,gpu:2\n",
        "id,rate\ndev,100\ngpu,10\n",
    );
    let plan = CompiledPlan::compile(&p);
    let bins = ProfileBins {
        bin_days: 1.0,
        count: 8,
        max_count: 8,
    };
    let (_, prof) = engine::run(
        &plan,
        &RunSpec::new(100, 1),
        &(Standard, Profile::new(bins)),
    );
    assert_eq!(prof.resources, vec!["dev".to_string(), "gpu".to_string()]);
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-5);
    assert!(
        close(&prof.units[0], &[0.5, 0.5, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0]),
        "{:?}",
        prof.units[0]
    );
    assert!(
        close(&prof.units[1], &[0.0, 0.0, 0.0, 0.0, 2.0, 2.0, 0.0, 0.0]),
        "{:?}",
        prof.units[1]
    );

    // Uncertain durations: the area under each curve is units × mean duration, exactly.
    let q = project(
        "id,optimistic,likely,pessimistic,depends_on,resources\na,2,4,9,,dev:0.5\nb,1,2,6,a,gpu:2\n",
        "id,rate\ndev,100\ngpu,10\n",
    );
    let plan = CompiledPlan::compile(&q);
    let bins = ProfileBins {
        bin_days: 0.5,
        count: 40,
        max_count: 40,
    };
    let (sim, prof) = engine::run(
        &plan,
        &RunSpec::new(5_000, 3),
        &(Standard, Profile::new(bins)),
    );
    let area = |r: usize| prof.units[r].iter().sum::<f64>() * bins.bin_days;
    assert!(
        (area(0) - 0.5 * sim.mean_duration[0]).abs() < 1e-4,
        "{} vs {}",
        area(0),
        0.5 * sim.mean_duration[0]
    );
    assert!((area(1) - 2.0 * sim.mean_duration[1]).abs() < 1e-4);
    // The profile does not change the simulation.
    assert_eq!(sim, engine::run(&plan, &RunSpec::new(5_000, 3), &Standard));
}

#[test]
fn resource_profile_flag_writes_a_png() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "id,likely,distribution,resources\na,3,fixed,ds\nb,5,fixed,ds\n",
        "id,rate,capacity\nds,100,1\n",
        "",
    );
    Command::cargo_bin("p80")
        .unwrap()
        .args([
            "simulate",
            "project.toml",
            "-q",
            "--resource-profile",
            "--out",
            "o",
        ])
        .current_dir(d.path())
        .assert()
        .success();
    let png = fs::read(d.path().join("o").join("resource_profile.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // Without the flag, no profile.
    Command::cargo_bin("p80")
        .unwrap()
        .args(["simulate", "project.toml", "-q", "--out", "o2"])
        .current_dir(d.path())
        .assert()
        .success();
    assert!(!d.path().join("o2").join("resource_profile.png").exists());
}

#[test]
fn the_improvement_pass_never_lengthens_a_levelled_schedule() {
    // Twelve tasks on two scarce resources: in every iteration the improved (justified)
    // schedule is no longer than the serial SGS's, and over the run it is shorter somewhere.
    let mut tasks = String::from("id,optimistic,likely,pessimistic,depends_on,resources\n");
    let deps = [
        "", "", "", "t0", "t1", "t1;t2", "t3", "t4", "t5", "t6;t7", "t8", "t9;t10",
    ];
    let uses = [
        "a:2", "b:1", "a:1;b:1", "b:2", "a:1", "a:2", "b:1", "a:1;b:1", "b:2", "a:2", "a:1", "b:1",
    ];
    for i in 0..12 {
        let (o, m, p) = (1 + i % 3, 3 + i % 4, 6 + i % 5);
        tasks.push_str(&format!("t{i},{o},{m},{p},{},{}\n", deps[i], uses[i]));
    }
    let p = project(&tasks, "id,rate,capacity\na,1,2\nb,1,2\n");
    let plain = CompiledPlan::compile(&p);
    let improved = plain.clone().with_level_improvement(true);
    let spec = RunSpec::new(2_000, 11);
    let (a, b) = (
        engine::run(&plain, &spec, &Standard),
        engine::run(&improved, &spec, &Standard),
    );
    assert!(a.durations.iter().zip(&b.durations).all(|(x, y)| y <= x));
    assert!(
        a.durations.iter().zip(&b.durations).any(|(x, y)| y < x),
        "the improvement pass shortens some iteration"
    );
    assert!(deterministic(&improved).duration <= deterministic(&plain).duration);
}
