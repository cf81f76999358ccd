//! Link types, lags and levels of effort against hand-computed early dates (deterministic
//! schedule) and exact per-iteration identities (simulation).

mod support;

use p80::engine::{self, deterministic, CompiledPlan, RunSpec, Schedule, Standard};
use p80::model::Project;

fn project(tasks: &str, resources: &str) -> Project {
    support::valid(support::from_csv(tasks, resources))
}

/// A fixed at 5 days, B fixed at 3 days, linked by `link` (B depends on A).
fn two(link: &str) -> (Project, Schedule) {
    let p = project(
        &format!("id,likely,distribution,depends_on\nA,5,fixed,\nB,3,fixed,{link}\n"),
        "",
    );
    let s = deterministic(&CompiledPlan::compile(&p));
    (p, s)
}

/// (B start, B finish, project end, A critical, B critical, B float)
fn check(link: &str, want: (f64, f64, f64, bool, bool, f64)) {
    let (_, s) = two(link);
    let got = (
        s.early_start[1],
        s.early_finish[1],
        s.duration,
        s.critical[0],
        s.critical[1],
        s.total_float[1],
    );
    assert_eq!(got, want, "link {link}");
    assert_eq!(s.early_start[0], 0.0);
}

#[test]
fn finish_to_start_with_lag_and_lead() {
    check("A", (5.0, 8.0, 8.0, true, true, 0.0));
    check("A+2", (7.0, 10.0, 10.0, true, true, 0.0));
    check("A:FS+2", (7.0, 10.0, 10.0, true, true, 0.0));
    // A lead: B starts 2 days before A finishes and ends the project.
    check("A:FS-2", (3.0, 6.0, 6.0, true, true, 0.0));
}

#[test]
fn start_to_start() {
    // B starts with A and finishes first: A alone ends the project; B has 2 days of float.
    check("A:SS", (0.0, 3.0, 5.0, true, false, 2.0));
    // Lag 2: both finish on day 5, a tie: both critical.
    check("A:SS+2", (2.0, 5.0, 5.0, true, true, 0.0));
    // A lead cannot start B before the project start.
    check("A:SS-2", (0.0, 3.0, 5.0, true, false, 2.0));
}

#[test]
fn finish_to_finish() {
    check("A:FF", (2.0, 5.0, 5.0, true, true, 0.0));
    check("A:FF+4", (6.0, 9.0, 9.0, true, true, 0.0));
    check("A:FF-1", (1.0, 4.0, 5.0, true, false, 1.0));
}

#[test]
fn start_to_finish() {
    // B must finish no earlier than A starts (day 0): it starts at the project start.
    check("A:SF", (0.0, 3.0, 5.0, true, false, 2.0));
    // B must finish no earlier than day 6: A's start drives B, both critical.
    check("A:SF+6", (3.0, 6.0, 6.0, true, true, 0.0));
}

#[test]
fn a_chain_of_mixed_links() {
    // A(4) -SS+1-> B(6) -FF+2-> C(2) -FS-1-> D(3); E(1) after A.
    let p = project(
        "id,likely,distribution,depends_on\nA,4,fixed,\nB,6,fixed,A:SS+1\nC,2,fixed,B:FF+2\nD,3,fixed,C:FS-1\nE,1,fixed,A\n",
        "",
    );
    let s = deterministic(&CompiledPlan::compile(&p));
    // B: start 1, finish 7. C: finish >= 9 -> start 7, finish 9. D: start 8, finish 11.
    assert_eq!(s.early_start, vec![0.0, 1.0, 7.0, 8.0, 4.0]);
    assert_eq!(s.early_finish, vec![4.0, 7.0, 9.0, 11.0, 5.0]);
    assert_eq!(s.duration, 11.0);
    assert_eq!(s.critical, vec![true, true, true, true, false]);
    assert_eq!(s.total_float[4], 6.0);
}

#[test]
fn level_of_effort_spans_its_tasks_and_costs_rate_times_span() {
    // PM runs from A's start to B's finish; it costs 100/day; nothing else costs money.
    let tasks = "id,optimistic,likely,pessimistic,depends_on,type,finish_with,resources\n\
                 A,2,5,9,,,,\n\
                 B,1,3,8,A,,,\n\
                 C,1,2,3,A:SS,,,\n\
                 PM,,,,A:SS,loe,B;C,pm\n";
    let p = project(tasks, "id,rate\npm,100\n");
    let plan = CompiledPlan::compile(&p);
    let s = deterministic(&plan);
    assert_eq!(s.early_start[3], 0.0);
    assert_eq!(s.early_finish[3], 8.0);
    assert_eq!(s.cost, 800.0);
    assert!(!s.critical[3], "a level of effort is never critical");

    let sim = engine::run(&plan, &RunSpec::new(5_000, 7), &Standard);
    // In every iteration the span is the project duration, and the cost is exactly 100 × span.
    for (d, c) in sim.durations.iter().zip(&sim.costs) {
        assert!(
            (c - 100.0 * d).abs() <= 1e-9 * c.abs().max(1.0),
            "cost {c} vs span {d}"
        );
    }
    let mean_span = sim.durations.iter().sum::<f64>() / sim.durations.len() as f64;
    assert!((sim.mean_duration[3] - mean_span).abs() < 1e-5);
    assert_eq!(sim.criticality[3], 0.0);
}

#[test]
fn simulation_agrees_with_the_schedule_for_fixed_durations() {
    // With fixed durations every iteration is the deterministic schedule.
    let p = project(
        "id,likely,distribution,depends_on\nA,4,fixed,\nB,6,fixed,A:SS+1\nC,2,fixed,B:FF+2\nD,3,fixed,C:FS-1\nE,1,fixed,A\nM,0,,D\n",
        "",
    );
    let plan = CompiledPlan::compile(&p);
    let sim = engine::run(&plan, &RunSpec::new(100, 1), &Standard);
    assert!(sim.durations.iter().all(|&d| d == 11.0));
    assert_eq!(sim.criticality, vec![1.0, 1.0, 1.0, 1.0, 0.0, 1.0]);
    assert_eq!(sim.milestones.len(), 1);
    assert_eq!(sim.milestones[0].task, 5);
    assert!(sim.milestones[0].finish.iter().all(|&f| f == 11.0));
}

#[test]
fn general_plans_are_identical_across_thread_counts() {
    let p = project(
        "id,optimistic,likely,pessimistic,depends_on,type,finish_with\n\
         A,1,4,9,,,\nB,2,6,7,A:SS+1,,\nC,1,2,6,B:FF+2,,\nD,1,3,5,C:FS-1,,\nE,1,1,4,A;B:SF,,\nM,0,0,0,D;E,,\nL,,,,A,loe,D\n",
        "",
    );
    let plan = CompiledPlan::compile(&p);
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| engine::run(&plan, &RunSpec::new(3_000, 11), &Standard))
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(3));
}
