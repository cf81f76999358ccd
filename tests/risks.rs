//! The risk register against closed forms. Tolerances are z = 4.5 Monte Carlo standard errors
//! (two-sided false-alarm probability ~7e-6 per check), derived from the known variances.

mod support;

use p80::engine::{self, CompiledPlan, RunSpec, Simulation, Standard};
use support::mean;

const Z: f64 = 4.5;
const N: usize = 200_000;

fn run(tasks: &str, risks: &str, seed: u64) -> Simulation {
    let p = support::valid(support::with_risks(support::from_csv(tasks, ""), risks));
    engine::run(
        &CompiledPlan::compile(&p),
        &RunSpec::new(N, seed),
        &Standard,
    )
}

fn assert_mean(got: f64, want: f64, variance: f64, what: &str) {
    let tol = Z * (variance / N as f64).sqrt();
    assert!(
        (got - want).abs() < tol,
        "{what}: mean {got} vs {want} (tolerance {tol})"
    );
}

fn assert_probability(got: f64, p: f64, what: &str) {
    let tol = Z * (p * (1.0 - p) / N as f64).sqrt() + 1.0 / N as f64;
    assert!(
        (got - p).abs() < tol,
        "{what}: {got} vs {p} (tolerance {tol})"
    );
}

#[test]
fn an_event_moves_the_mean_by_probability_times_impact() {
    // Task ~ U(10, 20); event p = 0.3 adds exactly 5 days.
    let sim = run(
        "id,optimistic,likely,pessimistic,distribution\na,10,15,20,uniform\n",
        "id,probability,impact_likely,affects\nr,0.3,5,a\n",
        1,
    );
    // Var = 100/12 + 25·p(1 − p).
    assert_mean(
        mean(&sim.durations),
        15.0 + 0.3 * 5.0,
        100.0 / 12.0 + 25.0 * 0.21,
        "duration",
    );
    assert_probability(sim.risk_occurrence[0], 0.3, "occurrence");
}

#[test]
fn an_event_splits_the_distribution_at_the_right_height() {
    // Fixed 10 days; p = 0.3 of 5 more: the CDF is 0.7 on [10, 15) and 1 from 15.
    let sim = run(
        "id,likely,distribution\na,10,fixed\n",
        "id,probability,impact_likely,affects\nr,0.3,5,a\n",
        2,
    );
    assert!(sim.durations.iter().all(|&d| d == 10.0 || d == 15.0));
    let at_10 = sim.durations.iter().filter(|&&d| d == 10.0).count() as f64 / N as f64;
    assert_probability(at_10, 0.7, "P(D = 10)");
}

#[test]
fn a_driver_scales_every_affected_task_with_one_draw() {
    // A chain of 10 and 20 fixed days, both scaled by one triangular(0.9, 1.0, 1.3) factor:
    // D = 30·F exactly in every iteration, so D/30 has the triangular's moments.
    let sim = run(
        "id,likely,distribution,depends_on\na,10,fixed,\nb,20,fixed,a\n",
        "id,probability,kind,impact_optimistic,impact_likely,impact_pessimistic,affects,distribution\n\
         team,1,driver,0.9,1.0,1.3,a;b,triangular\n",
        3,
    );
    let (o, m, p) = (0.9f64, 1.0f64, 1.3f64);
    let var = (o * o + m * m + p * p - o * m - o * p - m * p) / 18.0;
    let f: Vec<f64> = sim.durations.iter().map(|d| d / 30.0).collect();
    assert_mean(mean(&f), (o + m + p) / 3.0, var, "factor");
    // One draw for both tasks: each task's mean duration is its length times the same factor.
    assert!((sim.mean_duration[1] / sim.mean_duration[0] - 2.0).abs() < 1e-9);
}

#[test]
fn an_event_adds_the_same_draw_to_every_affected_task() {
    // Two parallel 10-day tasks, one event (p = 1) adding U(0, 10) to both. With the same draw
    // D = 10 + X (mean 15); independent draws would give 10 + max(X1, X2) (mean 16.67).
    let sim = run(
        "id,likely,distribution\na,10,fixed\nb,10,fixed\n",
        "id,probability,impact_optimistic,impact_likely,impact_pessimistic,affects,distribution\n\
         r,1,0,5,10,a;b,uniform\n",
        4,
    );
    assert_mean(mean(&sim.durations), 15.0, 100.0 / 12.0, "duration");
    assert_eq!(sim.criticality, vec![1.0, 1.0]);
}

#[test]
fn a_risk_cost_is_paid_once_per_occurrence() {
    // Two affected tasks, cost 5000 with p = 0.2: cost per iteration is 0 or 5000.
    let sim = run(
        "id,likely,distribution\na,3,fixed\nb,4,fixed\n",
        "id,probability,impact_likely,cost_likely,affects\nr,0.2,1,5000,a;b\n",
        5,
    );
    assert!(sim.costs.iter().all(|&c| c == 0.0 || c == 5000.0));
    assert_mean(mean(&sim.costs), 1000.0, 5000.0f64.powi(2) * 0.16, "cost");
    // Cost and schedule impact come from the same occurrence.
    for (d, c) in sim.durations.iter().zip(&sim.costs) {
        assert_eq!(*c == 5000.0, *d == 5.0);
    }
}

#[test]
fn risks_do_not_depend_on_thread_count() {
    let tasks = "id,optimistic,likely,pessimistic,depends_on\na,1,3,9,\nb,2,4,8,a\nc,1,2,6,a\nd,1,1,3,b;c\n";
    let risks = "id,probability,kind,impact_optimistic,impact_likely,impact_pessimistic,cost_likely,affects\n\
                 e1,0.4,event,1,2,6,300,b;c\ne2,0.7,driver,0.8,1,1.5,,a;d\n";
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| run(tasks, risks, 9));
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap()
        .install(|| run(tasks, risks, 9));
    assert_eq!(one, two);
}

#[test]
fn days_added_by_an_event_are_billed_at_the_task_rates() {
    // Fixed 5 days with 2 units of a 500-a-day resource; an event (p = 0.5) adds 3 days and
    // costs 100: each iteration costs 5,000 without it and (5 + 3)·1,000 + 100 with it.
    let p = support::valid(support::with_risks(
        support::from_csv(
            "id,likely,distribution,resources\na,5,fixed,dev:2\n",
            "id,rate\ndev,500\n",
        ),
        "id,probability,impact_likely,cost_likely,affects\nlate,0.5,3,100,a\n",
    ));
    let sim = engine::run(
        &CompiledPlan::compile(&p),
        &RunSpec::new(1_000, 5),
        &Standard,
    );
    for (&d, &c) in sim.durations.iter().zip(&sim.costs) {
        let want = if d == 5.0 { 5_000.0 } else { 8_100.0 };
        assert!(d == 5.0 || d == 8.0, "duration {d}");
        assert_eq!(c, want, "duration {d}");
    }
    assert!(sim.durations.contains(&5.0) && sim.durations.contains(&8.0));
}
