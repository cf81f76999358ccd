//! Validates the resource leveller (`engine::level`) on the PSPLIB j30/j120 and Patterson RCPSP
//! instances in `../shared/corpus` (or `$P80_CORPUS`): feasibility of every schedule, never
//! shorter than the known optimum, mean gap to the optimum / best known, the unconstrained case
//! against the files' critical-path lengths, no allocation per call, and the time per call.
//!
//! Skips (passing) with a message when the corpus is absent. All 1,190 instances take a few
//! seconds in a debug build; `--nocapture` shows the gaps and timings.

mod support;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use p80::engine::csr::Csr;
use p80::engine::level::{feasible, General, Leveller, Problem};
use p80::engine::plan::LinkRule;
use p80::model::LinkKind;

/// Counts this thread's allocations, to check that scheduling allocates nothing once the
/// scratch space has grown.
struct Counting;

thread_local! {
    static ALLOCATIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        unsafe { std::alloc::System.realloc(ptr, layout, size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(|a| a.get())
}

/// An instance as read: jobs numbered from 0 in file order.
struct Raw {
    durations: Vec<f64>,
    successors: Vec<Vec<usize>>,
    demands: Vec<Vec<f64>>,
    capacity: Vec<f64>,
    /// Critical-path length stated in the file (PSPLIB `MPM-Time`).
    mpm_time: Option<f64>,
}

/// An instance in topological order, ready for `Leveller`.
struct Instance {
    name: String,
    durations: Vec<f64>,
    preds: Csr<u32>,
    demands: Csr<(u32, f64)>,
    capacity: Vec<f64>,
    mpm_time: Option<f64>,
    /// Critical-path length ignoring resources (from the known answers).
    cpm: f64,
    /// Proven optimum, or the best known makespan (j120).
    best: f64,
    /// Proven lower bound on the optimum (= `best` where the optimum is known).
    lower: f64,
}

impl Instance {
    fn problem(&self) -> Problem<'_> {
        Problem {
            durations: &self.durations,
            preds: &self.preds,
            demands: &self.demands,
            capacity: &self.capacity,
        }
    }
}

struct Set {
    name: &'static str,
    /// What `best` is: "optimum" or "best known".
    versus: &'static str,
    instances: Vec<Instance>,
}

/// `$P80_CORPUS`, or `../shared/corpus` beside the repository.
fn corpus_dir() -> PathBuf {
    std::env::var_os("P80_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// All three sets, parsed once per test binary; `None` (after a message) if the corpus is absent.
fn corpus() -> Option<&'static [Set]> {
    static SETS: OnceLock<Option<Vec<Set>>> = OnceLock::new();
    SETS.get_or_init(|| {
        let dir = corpus_dir();
        if !dir.join("psplib").is_dir() || !dir.join("patterson").is_dir() {
            println!("corpus not found at {}; skipping", dir.display());
            return None;
        }
        Some(vec![
            psplib(&dir, "j30", "optimum"),
            psplib(&dir, "j120", "best known"),
            patterson(&dir),
        ])
    })
    .as_deref()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// CSV rows (header skipped) keyed by the column `key`.
fn csv_rows(path: &Path, key: usize) -> HashMap<String, Vec<String>> {
    read(path)
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<String> = l.split(',').map(|c| c.trim().to_string()).collect();
            (cells[key].clone(), cells)
        })
        .collect()
}

fn num(s: &str, what: &str) -> f64 {
    s.parse().unwrap_or_else(|e| panic!("{what}: {s:?}: {e}"))
}

/// The `.ext` files in `dir`, sorted by name.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

fn psplib(dir: &Path, set: &'static str, versus: &'static str) -> Set {
    // set,instance,n_activities,mpm_time_cpm,hrs_best_makespan,kobe_optimum
    let known = csv_rows(&dir.join("psplib/known_answers.csv"), 1);
    let paths = files(&dir.join("psplib").join(set), "sm");
    let instances = paths
        .iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            let raw = parse_sm(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let row = known
                .get(&name)
                .unwrap_or_else(|| panic!("{name} missing from known_answers.csv"));
            assert_eq!(row[0], set, "{name}: set column");
            assert_eq!(
                num(&row[2], "n_activities") as usize + 2,
                raw.durations.len(),
                "{name}"
            );
            let cpm = num(&row[3], "mpm_time_cpm");
            assert_eq!(
                raw.mpm_time,
                Some(cpm),
                "{name}: MPM-Time in the file vs known_answers"
            );
            let best = num(&row[4], "hrs_best_makespan");
            // kobe_optimum is "104..105" (lower..upper bound) when the optimum is open, "..88"
            // when it lists no lower bound (the critical path then is one).
            let lower = match row[5].split_once("..") {
                Some(("", _)) => cpm,
                Some((lo, _)) => num(lo, "kobe lower bound").max(cpm),
                None => {
                    let opt = num(&row[5], "kobe_optimum");
                    assert_eq!(
                        opt, best,
                        "{name}: proven optimum differs from the best known"
                    );
                    opt
                }
            };
            assert!(
                set != "j30" || lower == best,
                "{name}: every j30 optimum is known"
            );
            ordered(name, raw, cpm, best, lower)
        })
        .collect();
    Set {
        name: set,
        versus,
        instances,
    }
}

fn patterson(dir: &Path) -> Set {
    let optimum = csv_rows(&dir.join("patterson/optimum/optimum.csv"), 0);
    // file,n_activities,n_resources,n_arcs_incl_dummies,cpm_length
    let cpm = csv_rows(&dir.join("patterson/cpm_lengths_derived.csv"), 0);
    let paths = files(&dir.join("patterson"), "rcp");
    let instances = paths
        .iter()
        .map(|path| {
            let file = path.file_name().unwrap().to_string_lossy().to_string();
            let raw = parse_rcp(&read(path)).unwrap_or_else(|e| panic!("{file}: {e}"));
            let opt = num(
                &optimum
                    .get(&file)
                    .unwrap_or_else(|| panic!("{file}: no optimum"))[1],
                "optimum",
            );
            let c = num(
                &cpm.get(&file)
                    .unwrap_or_else(|| panic!("{file}: no cpm length"))[4],
                "cpm_length",
            );
            let name = file.trim_end_matches(".rcp").to_string();
            ordered(name, raw, c, opt, opt)
        })
        .collect();
    Set {
        name: "patterson",
        versus: "optimum",
        instances,
    }
}

/// Parses a PSPLIB single-mode `.sm` file.
fn parse_sm(text: &str) -> Result<Raw, String> {
    let lines: Vec<&str> = text.lines().collect();
    let find = |prefix: &str| {
        lines
            .iter()
            .position(|l| l.trim_start().starts_with(prefix))
            .ok_or_else(|| format!("no {prefix:?} line"))
    };
    let ints = |l: &str| -> Result<Vec<i64>, String> {
        l.split_whitespace()
            .map(|t| t.parse::<i64>().map_err(|e| format!("{t:?} in {l:?}: {e}")))
            .collect()
    };
    let after_colon = |i: usize| -> Result<i64, String> {
        let l = lines[i];
        let v = l.split(':').nth(1).ok_or(format!("no ':' in {l:?}"))?;
        let t = v
            .split_whitespace()
            .next()
            .ok_or(format!("no number in {l:?}"))?;
        t.parse::<i64>().map_err(|e| format!("{t:?} in {l:?}: {e}"))
    };
    let n = after_colon(find("jobs (incl. supersource/sink )")?)? as usize;
    let resources = after_colon(find("- renewable")?)? as usize;
    // PROJECT INFORMATION: a header line, then pronr #jobs rel.date duedate tardcost MPM-Time.
    let info = ints(lines[find("pronr.")? + 1])?;
    let mpm_time = *info.get(5).ok_or("no MPM-Time")? as f64;

    let prec = find("PRECEDENCE RELATIONS:")? + 2;
    let mut successors = vec![Vec::new(); n];
    for (k, l) in lines[prec..prec + n].iter().enumerate() {
        let v = ints(l)?;
        if v.len() < 3 || v[0] as usize != k + 1 || v.len() != 3 + v[2] as usize {
            return Err(format!("bad precedence line {l:?}"));
        }
        for &s in &v[3..] {
            if s < 1 || s as usize > n {
                return Err(format!("successor {s} out of range in {l:?}"));
            }
            successors[k].push(s as usize - 1);
        }
    }

    let req = find("REQUESTS/DURATIONS:")? + 3; // header and a dashed line
    let mut durations = Vec::with_capacity(n);
    let mut demands = Vec::with_capacity(n);
    for (k, l) in lines[req..req + n].iter().enumerate() {
        let v = ints(l)?;
        if v.len() != 3 + resources || v[0] as usize != k + 1 || v[1] != 1 {
            return Err(format!("bad request line {l:?}"));
        }
        durations.push(v[2] as f64);
        demands.push(v[3..].iter().map(|&u| u as f64).collect());
    }

    let avail = find("RESOURCEAVAILABILITIES:")? + 2;
    let capacity: Vec<f64> = ints(lines[avail])?.into_iter().map(|c| c as f64).collect();
    if capacity.len() != resources {
        return Err(format!(
            "{} capacities for {resources} resources",
            capacity.len()
        ));
    }
    if durations[0] != 0.0 || durations[n - 1] != 0.0 {
        return Err("the first and last jobs must be zero-duration dummies".into());
    }
    Ok(Raw {
        durations,
        successors,
        demands,
        capacity,
        mpm_time: Some(mpm_time),
    })
}

/// Parses a Patterson `.rcp` file: a whitespace token stream (records may wrap):
/// `jobs resources`, the capacities, then per job `duration demand×resources #successors
/// successors…` (jobs numbered from 1).
fn parse_rcp(text: &str) -> Result<Raw, String> {
    let mut tokens = text
        .split_whitespace()
        .map(|t| t.parse::<i64>().map_err(|e| format!("token {t:?}: {e}")));
    let mut next = || {
        tokens
            .next()
            .unwrap_or(Err("unexpected end of file".into()))
    };
    let n = next()? as usize;
    let resources = next()? as usize;
    let capacity = (0..resources)
        .map(|_| next().map(|c| c as f64))
        .collect::<Result<Vec<_>, _>>()?;
    let mut durations = Vec::with_capacity(n);
    let mut demands = Vec::with_capacity(n);
    let mut successors = Vec::with_capacity(n);
    for _ in 0..n {
        durations.push(next()? as f64);
        demands.push(
            (0..resources)
                .map(|_| next().map(|u| u as f64))
                .collect::<Result<Vec<_>, _>>()?,
        );
        let k = next()?;
        let mut s = Vec::new();
        for _ in 0..k {
            let j = next()?;
            if j < 1 || j as usize > n {
                return Err(format!("successor {j} out of range"));
            }
            s.push(j as usize - 1);
        }
        successors.push(s);
    }
    if let Some(t) = tokens.next() {
        return Err(format!("trailing token {t:?}"));
    }
    Ok(Raw {
        durations,
        successors,
        demands,
        capacity,
        mpm_time: None,
    })
}

/// Puts a raw instance in topological order (Kahn, smallest job first, so file order is kept
/// when it already is topological) and flattens it.
fn ordered(name: String, raw: Raw, cpm: f64, best: f64, lower: f64) -> Instance {
    let n = raw.durations.len();
    let mut indegree = vec![0usize; n];
    let mut preds_of = vec![Vec::new(); n];
    for (j, ss) in raw.successors.iter().enumerate() {
        for &s in ss {
            indegree[s] += 1;
            preds_of[s].push(j);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> =
        (0..n).filter(|&j| indegree[j] == 0).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(j)) = ready.pop() {
        order.push(j);
        for &s in &raw.successors[j] {
            indegree[s] -= 1;
            if indegree[s] == 0 {
                ready.push(Reverse(s));
            }
        }
    }
    assert_eq!(order.len(), n, "{name}: the precedence graph has a cycle");
    let mut pos = vec![0u32; n];
    for (p, &j) in order.iter().enumerate() {
        pos[j] = p as u32;
    }
    let mut inst = Instance {
        name,
        durations: Vec::with_capacity(n),
        preds: Csr::new(),
        demands: Csr::new(),
        capacity: raw.capacity,
        mpm_time: raw.mpm_time,
        cpm,
        best,
        lower,
    };
    for &j in &order {
        inst.durations.push(raw.durations[j]);
        let mut ps: Vec<u32> = preds_of[j].iter().map(|&q| pos[q]).collect();
        ps.sort_unstable();
        inst.preds.push_row(ps);
        inst.demands.push_row(
            raw.demands[j]
                .iter()
                .enumerate()
                .filter(|&(_, &u)| u != 0.0)
                .map(|(r, &u)| (r as u32, u)),
        );
    }
    assert_eq!(
        inst.problem().over_demand(),
        None,
        "{}: a task exceeds a capacity",
        inst.name
    );
    inst
}

/// Makespans of one set: plain serial SGS and with forward-backward improvement.
struct Run {
    plain: Vec<f64>,
    justified: Vec<f64>,
    /// Justification repeated until it stops improving (at most 20 passes).
    iterated: Vec<f64>,
    passes: usize,
}

fn run(set: &Set) -> Run {
    let mut lev = Leveller::new(122, 4);
    let mut out = Run {
        plain: Vec::new(),
        justified: Vec::new(),
        iterated: Vec::new(),
        passes: 0,
    };
    for inst in &set.instances {
        let p = inst.problem();
        let mut start = vec![0.0; p.len()];
        out.plain.push(lev.schedule(&p, &mut start));
        let mut m = lev.justify(&p, &mut start);
        out.justified.push(m);
        out.passes += 1;
        for _ in 1..20 {
            let next = lev.justify(&p, &mut start);
            out.passes += 1;
            assert!(
                next <= m,
                "{}: justification lengthened a schedule",
                inst.name
            );
            if next == m {
                break;
            }
            m = next;
        }
        feasible(&p, &start).unwrap_or_else(|e| panic!("{} (iterated): {e}", inst.name));
        out.iterated.push(m);
    }
    out
}

fn gaps(set: &Set, makespans: &[f64]) -> (f64, f64) {
    let g: Vec<f64> = set
        .instances
        .iter()
        .zip(makespans)
        .map(|(i, &m)| (m - i.best) / i.best)
        .collect();
    let mean = g.iter().sum::<f64>() / g.len() as f64;
    (mean, g.iter().copied().fold(0.0, f64::max))
}

#[test]
fn every_schedule_is_feasible_and_never_beats_the_optimum() {
    let Some(sets) = corpus() else { return };
    let mut lev = Leveller::new(122, 4);
    let mut failures = Vec::new();
    for set in sets {
        let expected = match set.name {
            "j30" => 480,
            "j120" => 600,
            _ => 110,
        };
        assert_eq!(
            set.instances.len(),
            expected,
            "{}: instances in the corpus",
            set.name
        );
        for inst in &set.instances {
            let p = inst.problem();
            let mut start = vec![0.0; p.len()];
            for justified in [false, true] {
                let (how, m) = if justified {
                    ("justified", lev.schedule_justified(&p, &mut start))
                } else {
                    ("serial SGS", lev.schedule(&p, &mut start))
                };
                let end = start
                    .iter()
                    .zip(&inst.durations)
                    .map(|(s, d)| s + d)
                    .fold(0.0, f64::max);
                let problem = if let Err(e) = feasible(&p, &start) {
                    Some(e)
                } else if m != end {
                    Some(format!(
                        "returned makespan {m} but the last task finishes at {end}"
                    ))
                } else if m < inst.cpm {
                    Some(format!("makespan {m} < critical path {}", inst.cpm))
                } else if m < inst.lower {
                    Some(format!("makespan {m} < proven lower bound {}", inst.lower))
                } else if m < inst.best {
                    // Beating decades of metaheuristics with one priority rule would mean a bug.
                    Some(format!("makespan {m} < best known {}", inst.best))
                } else {
                    None
                };
                if let Some(e) = problem {
                    failures.push(format!("{} {} ({how}): {e}", set.name, inst.name));
                }
            }
        }
        println!(
            "{:>9}: {} instances feasible (plain and justified), none shorter than the {}",
            set.name,
            set.instances.len(),
            set.versus
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The general scheme (link types, lags, levels of effort, bounds) on every instance as plain
/// finish-to-start links: the same schedule as the serial SGS, so feasible and never below
/// the optimum. With a one-day lag on every link each schedule stays feasible for the lagged
/// links (start >= predecessor finish + 1) and the capacities.
#[test]
fn the_general_scheme_is_feasible_and_never_beats_the_optimum() {
    let Some(sets) = corpus() else { return };
    let mut lev = Leveller::new(122, 4);
    let mut failures = Vec::new();
    for set in sets {
        for inst in &set.instances {
            let p = inst.problem();
            let n = p.len();
            let mut plain = vec![0.0; n];
            let m0 = lev.schedule(&p, &mut plain);
            let no_loe = vec![false; n];
            let ends = Csr::from_rows((0..n).map(|_| Vec::<u32>::new()));
            for lag in [0.0, 1.0] {
                let rules = vec![
                    LinkRule {
                        kind: LinkKind::FinishToStart,
                        lag
                    };
                    p.preds.items().len()
                ];
                let g = General {
                    rules: &rules,
                    release: &[],
                    is_loe: &no_loe,
                    loe_ends: &ends,
                };
                let (mut start, mut finish) = (vec![0.0; n], vec![0.0; n]);
                let m = lev.schedule_general(&p, &g, &mut start, &mut finish);
                let problem = if lag == 0.0 && (start != plain || m != m0) {
                    Some(format!("differs from the serial SGS: {m} vs {m0}"))
                } else if let Err(e) = feasible(&p, &start) {
                    Some(e)
                } else if m < inst.best.max(inst.lower) {
                    Some(format!("makespan {m} < {} {}", set.versus, inst.best))
                } else if let Some(j) = (0..n).find(|&j| {
                    p.preds_of(j)
                        .iter()
                        .any(|&q| start[j] < finish[q as usize] + lag)
                }) {
                    Some(format!("position {j} starts before its lagged predecessor"))
                } else {
                    None
                };
                if let Some(e) = problem {
                    failures.push(format!("{} {} (lag {lag}): {e}", set.name, inst.name));
                }
            }
        }
        println!(
            "{:>9}: general scheme feasible on {} instances, never shorter than the {}",
            set.name,
            set.instances.len(),
            set.versus
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn mean_gap_to_the_optimum() {
    let Some(sets) = corpus() else { return };
    println!("gap = (makespan - reference) / reference; mean and max over the instances");
    for set in sets {
        let r = run(set);
        let (pm, px) = gaps(set, &r.plain);
        let (jm, jx) = gaps(set, &r.justified);
        let (im, ix) = gaps(set, &r.iterated);
        let optimal = |ms: &[f64]| {
            set.instances
                .iter()
                .zip(ms)
                .filter(|(i, &m)| m == i.best)
                .count()
        };
        println!(
            "{:>9} vs {:<10} ({:>3} inst.), mean / max gap (at reference):\n    \
             serial SGS (LST)     {:5.2}% / {:4.1}% ({})\n    \
             + forward-backward   {:5.2}% / {:4.1}% ({})\n    \
             + repeated until no gain {:5.2}% / {:4.1}% ({}; {:.1} passes per instance)",
            set.name,
            set.versus,
            set.instances.len(),
            100.0 * pm,
            100.0 * px,
            optimal(&r.plain),
            100.0 * jm,
            100.0 * jx,
            optimal(&r.justified),
            100.0 * im,
            100.0 * ix,
            optimal(&r.iterated),
            r.passes as f64 / set.instances.len() as f64,
        );
        assert!(
            r.justified.iter().zip(&r.plain).all(|(j, p)| j <= p),
            "{}: justification lengthened a schedule",
            set.name
        );
        let bound = if set.name == "j30" { 0.10 } else { 0.30 };
        assert!(
            pm < bound,
            "{}: mean gap {:.2}% >= {:.0}%",
            set.name,
            100.0 * pm,
            100.0 * bound
        );
        assert!(
            jm < bound,
            "{}: justified mean gap {:.2}% >= {:.0}%",
            set.name,
            100.0 * jm,
            100.0 * bound
        );
    }
}

#[test]
fn scheduling_does_not_allocate() {
    let Some(sets) = corpus() else { return };
    let before = allocations();
    let start = std::hint::black_box(vec![0.0; 122]);
    assert_eq!(allocations(), before + 1, "the allocation counter counts");
    let mut start = start;
    // Sized up front by `new`: no allocation at all, on any instance of either size.
    let mut lev = Leveller::new(122, 4);
    let before = allocations();
    for set in &sets[..2] {
        for inst in &set.instances {
            let p = inst.problem();
            lev.schedule(&p, &mut start[..p.len()]);
            lev.schedule_justified(&p, &mut start[..p.len()]);
        }
    }
    assert_eq!(
        allocations() - before,
        0,
        "Leveller::new(122, 4) allocated while scheduling"
    );
    // Sized too small: grows during the first call only.
    let mut lev = Leveller::new(2, 1);
    let p = sets[1].instances[0].problem();
    lev.schedule_justified(&p, &mut start);
    let before = allocations();
    for _ in 0..10 {
        lev.schedule_justified(&p, &mut start);
    }
    assert_eq!(allocations() - before, 0, "allocated after growing");
}

#[test]
fn unlimited_capacity_gives_the_critical_path_length() {
    let Some(sets) = corpus() else { return };
    let mut lev = Leveller::new(122, 4);
    for set in sets {
        for inst in &set.instances {
            let capacity = vec![f64::INFINITY; inst.capacity.len()];
            let p = Problem {
                capacity: &capacity,
                ..inst.problem()
            };
            let mut start = vec![0.0; p.len()];
            let m = lev.schedule(&p, &mut start);
            feasible(&p, &start).unwrap();
            // j30/j120: the file's MPM-Time; Patterson: cpm_lengths_derived.csv.
            let expected = inst.mpm_time.unwrap_or(inst.cpm);
            assert_eq!(
                m, expected,
                "{} {}: unconstrained makespan",
                set.name, inst.name
            );
        }
        println!(
            "{:>9}: unconstrained makespan = critical-path length on {} instances",
            set.name,
            set.instances.len()
        );
    }
}

/// Time per call on j120: one instance, the mean over the set, and 10,000 iterations with
/// perturbed real durations of the instance with the most resource conflicts (largest best
/// known / critical path) on the rayon pool (1,000 in debug). Prints only: the machine is shared.
#[test]
fn time_per_call_on_j120() {
    let Some(sets) = corpus() else { return };
    let j120 = &sets[1];
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let mut lev = Leveller::new(122, 4);
    let mut start = vec![0.0; 122];
    let mut call = |inst: &Instance, justified: bool| {
        let p = inst.problem();
        if justified {
            lev.schedule_justified(&p, &mut start)
        } else {
            lev.schedule(&p, &mut start)
        }
    };
    for (how, justified) in [("serial SGS", false), ("+ forward-backward", true)] {
        let inst = &j120.instances[0];
        let (mut calls, t0) = (0u32, Instant::now());
        while t0.elapsed().as_secs_f64() < 0.1 {
            for _ in 0..10 {
                call(inst, justified);
            }
            calls += 10;
        }
        let one = t0.elapsed().as_secs_f64() * 1e6 / f64::from(calls);
        let t0 = Instant::now();
        for inst in &j120.instances {
            call(inst, justified);
        }
        let all = t0.elapsed().as_secs_f64() * 1e6 / j120.instances.len() as f64;
        println!(
            "j120 ({profile}) {how:<18}: {one:6.1} µs per call on {}, {all:6.1} µs mean over {} instances",
            inst.name,
            j120.instances.len()
        );
    }

    use rayon::prelude::*;
    let inst = j120
        .instances
        .iter()
        .max_by(|a, b| (a.best / a.cpm).total_cmp(&(b.best / b.cpm)))
        .unwrap();
    let p = inst.problem();
    let iterations: u64 = if cfg!(debug_assertions) {
        1_000
    } else {
        10_000
    };
    for (how, justified) in [("serial SGS", false), ("+ forward-backward", true)] {
        let t0 = Instant::now();
        let total: f64 = (0..iterations)
            .into_par_iter()
            .map_init(
                || {
                    (
                        Leveller::new(p.len(), p.capacity.len()),
                        vec![0.0; p.len()],
                        vec![0.0; p.len()],
                    )
                },
                |(lev, dur, start), it| {
                    // Each duration scaled by a random factor in [0.8, 1.4), the same for
                    // iteration `it` whatever the thread.
                    let mut g = support::rng(it);
                    for (j, d) in dur.iter_mut().enumerate() {
                        let u: f64 = rand::Rng::random(&mut g);
                        *d = inst.durations[j] * (0.8 + 0.6 * u);
                    }
                    let q = Problem {
                        durations: dur,
                        ..p
                    };
                    if justified {
                        lev.schedule_justified(&q, start)
                    } else {
                        lev.schedule(&q, start)
                    }
                },
            )
            .sum();
        let (ms, threads) = (
            t0.elapsed().as_secs_f64() * 1e3,
            rayon::current_num_threads(),
        );
        println!(
            "{} (best known {} vs CPM {}) × {iterations} iterations, real durations, {} threads \
             ({profile}) {how}: {:.0} ms (≈ {:.0} µs per call per thread), mean makespan {:.1}",
            inst.name,
            inst.best,
            inst.cpm,
            threads,
            ms,
            ms * 1e3 * threads as f64 / iterations as f64,
            total / iterations as f64
        );
    }
}
