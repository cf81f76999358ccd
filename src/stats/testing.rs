//! Reports from hand-written samples, for the unit tests of `stats` and `output`: no engine
//! run, so every number a test expects can be computed by hand.

use crate::engine::{Schedule, Simulation};
use crate::stats::Report;

pub(crate) use crate::input::testing::project;

/// A two-task chain (a → b, fixed costs 100 and 200) whose iterations gave `durations` and
/// `costs`; the plan says 10 working days and 300. Task a was critical in 60% of iterations,
/// b in all of them.
pub(crate) fn report(durations: &[f64], costs: &[f64]) -> Report {
    let p = project(
        "id,name,optimistic,likely,pessimistic,depends_on,cost\n\
         a,Design,2,4,8,,100\n\
         b,Build,3,6,12,a,200\n",
        None,
    );
    let schedule = Schedule {
        duration: 10.0,
        cost: 300.0,
        early_start: vec![0.0, 4.0],
        early_finish: vec![4.0, 10.0],
        total_float: vec![0.0, 0.0],
        critical: vec![true, true],
        critical_path: vec![0, 1],
    };
    let sim = Simulation {
        durations: durations.to_vec(),
        costs: costs.to_vec(),
        mean_duration: vec![4.5, 6.5],
        criticality: vec![0.6, 1.0],
        milestones: Vec::new(),
        risk_occurrence: Vec::new(),
        replicates: Vec::new(),
    };
    Report::new(&p, &schedule, &sim, 7, 0.8)
}

/// [`report`] with drivers: task a (criticality 0.6) has duration sensitivity 0.3, task b
/// (always critical) 0.9; durations 9, 10, 11 and costs 100, 300, 200.
pub(crate) fn report_with_drivers() -> Report {
    let p = project(
        "id,name,optimistic,likely,pessimistic,depends_on,cost\n\
         a,Design,2,4,8,,100\n\
         b,Build,3,6,12,a,200\n",
        None,
    );
    let (durations, costs) = ([9.0, 10.0, 11.0], [100.0, 300.0, 200.0]);
    let mut r = report(&durations, &costs);
    let driver = |rho: f64, start: f64| crate::engine::TaskDrivers {
        duration_sensitivity: rho,
        cost_sensitivity: 0.0,
        duration_sd: 1.0,
        mean_start: start,
        mean_finish: start + 4.0,
        start: [start, start + 1.0],
        finish: [start + 4.0, start + 5.0],
    };
    r.drivers = Some(
        crate::stats::DriverReport::new(
            &r.tasks,
            &crate::stats::Merges::of(&p),
            &[driver(0.3, 0.0), driver(0.9, 4.0)],
            &durations,
            &costs,
            1.0,
            0.8,
            None,
            None,
            None,
        )
        .expect("no calendar, no dates to fail"),
    );
    r
}
