//! The worker's copies of the hot loop (baseline x86-64; x86-64-v3 when the CPU has it; and
//! that with eight-lane AVX-512 PERT draws when the CPU has those: `engine::isa`) give the
//! same bits: every distribution kind, PERT shapes with and
//! without a pre-blended row, draws in the table's end cells, slotted and kept rows, Latin
//! hypercubes, and the example projects in data/ (resources, levelling, risks, correlation,
//! costs). Values are compared by their `{:?}` text, which tells every double apart (−0 from
//! 0 too).

mod support;

use p80::engine::{self, Bounds, CompiledPlan, RunSpec, Sampling, Standard};
use p80::model::{Distribution, Estimate, Project, TaskKind};
use rand::Rng;
use support::{est, task};

/// `n` tasks in file order, each after up to three earlier ones, of every distribution kind.
/// PERT shapes are drawn from a continuum, so a plan of more than 1,024 tasks has PERT tasks
/// beyond the pre-blended rows (sampled from two table rows).
fn random_project(seed: u64, n: usize) -> Project {
    let mut g = support::rng(seed);
    let mut tasks = Vec::with_capacity(n);
    for i in 0..n {
        let id = format!("t{i}");
        let mut deps: Vec<String> = Vec::new();
        if i > 0 {
            for _ in 0..g.random_range(0..=3) {
                let d = format!("t{}", g.random_range(i.saturating_sub(40)..i));
                if !deps.contains(&d) {
                    deps.push(d);
                }
            }
        }
        let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
        let o: f64 = g.random_range(0.5..5.0);
        let m = o + g.random_range(0.0..4.0);
        let p = m + g.random_range(0.5..9.0);
        let mut t = match g.random_range(0..20) {
            0 => {
                let mut t = task(&id, Estimate::fixed(0.0).unwrap(), &deps);
                t.kind = TaskKind::Milestone;
                t
            }
            1 => task(&id, Estimate::fixed(o.round()).unwrap(), &deps),
            2 => task(&id, est(o, m, p, Distribution::Triangular), &deps),
            3 => task(&id, est(o, m, p, Distribution::Uniform), &deps),
            4 => task(&id, est(o, m, p, Distribution::Normal), &deps),
            5 => task(&id, est(o, m, p, Distribution::LogNormal), &deps),
            _ => task(&id, est(o, m, p, Distribution::Pert), &deps),
        };
        t.line = i + 2;
        tasks.push(t);
    }
    support::valid(support::project(tasks, vec![]))
}

/// Every copy of the loop on `plan` with `spec`, compared with the baseline.
fn assert_same_bits(plan: &CompiledPlan, spec: RunSpec, what: &str) {
    let collector = (Standard, Bounds::for_plan(plan));
    let base = format!("{:?}", engine::run(plan, &spec.baseline_isa(), &collector));
    let v3 = format!(
        "{:?}",
        engine::run(plan, &spec.without_avx512(), &collector)
    );
    assert!(
        v3 == base,
        "{what}: the x86-64-v3 copy differs from the baseline"
    );
    let wide = format!("{:?}", engine::run(plan, &spec, &collector));
    assert!(
        wide == base,
        "{what}: the AVX-512 copy differs from the baseline"
    );
}

#[test]
fn every_copy_of_the_loop_agrees_bit_for_bit_on_random_plans() {
    if !std::is_x86_feature_detected!("avx2") {
        eprintln!("note: this CPU has no AVX2, so every run takes the baseline copy");
    } else if !std::is_x86_feature_detected!("avx512dq") {
        eprintln!("note: this CPU has no AVX-512, so the widest copy is x86-64-v3");
    }
    for seed in 0..6u64 {
        // About 1,400 distinct PERT shapes for odd seeds, above 1,024: some rows are not pre-blended.
        let n = if seed % 2 == 1 { 2_000 } else { 300 };
        let plan = support::compile(&random_project(seed, n));
        for lanes in [8, 24, 64, 256] {
            for slotting in [false, true] {
                // 203 iterations: a partial last chunk too.
                let spec = RunSpec::new(203, seed + 3)
                    .with_lanes(lanes)
                    .with_slotting(slotting);
                let what = format!("seed {seed}, {n} tasks, {lanes} lanes, slotting {slotting}");
                assert_same_bits(&plan, spec, &what);
            }
        }
        let lhs = RunSpec::new(500, seed).with_sampling(Sampling::LatinHypercube);
        assert_same_bits(&plan, lhs, &format!("seed {seed}, Latin hypercube"));
    }
}

#[test]
fn every_copy_of_the_loop_agrees_bit_for_bit_on_the_examples() {
    for example in [
        "dl-project/project.toml",
        "sprint-team/project.toml",
        "simple/tasks.csv",
    ] {
        let loaded = p80::input::load(&support::data(example)).expect("the example loads");
        let plan = CompiledPlan::compile(&loaded.project);
        for sampling in [Sampling::Random, Sampling::LatinHypercube] {
            let spec = RunSpec::new(1_000, 42).with_sampling(sampling);
            assert_same_bits(&plan, spec, &format!("{example}, {sampling:?}"));
        }
    }
}
