//! The short human summary printed on stdout, and the `p80 check` schedule listing.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::format::{confidence_label, money, percent, plural, shorten, thousands};
use crate::model::{Calendar, Link, LinkKind, Project, TaskKind};
use crate::stats::{Comparison, Report, ScheduleReport};

/// The most characters of a task id the console shows (longer ids end in `…`).
pub const MAX_ID_SHOWN: usize = 60;

/// "start 2027-01-04, Mon–Fri, 6 holidays".
pub(crate) fn calendar_line(c: &Calendar) -> String {
    let h = c.holidays().len();
    format!(
        "start {}, working days {}, {} holiday{}",
        c.start(),
        c.workdays_label(),
        h,
        if h == 1 { "" } else { "s" }
    )
}

/// The summary printed after `p80 simulate`.
pub fn simulate_summary(r: &Report, written: &[PathBuf], threads: usize, seconds: f64) -> String {
    let c = confidence_label(r.confidence);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "p80: {} — {} iterations, seed {}, {} thread{}, {:.2} s",
        r.project,
        thousands(r.iterations as f64, 0),
        r.seed,
        threads,
        plural(threads),
        seconds
    );
    if let Some(c) = &r.calendar {
        let _ = writeln!(s, "Calendar: {}", calendar_line(c));
    }
    if let Some(u) = &r.range_rule {
        let _ = writeln!(s, "Ranges: {}.", u.sentence());
    }
    let cost_unit = if r.currency.is_empty() {
        "Cost".to_string()
    } else {
        format!("Cost ({})", r.currency)
    };
    let ps = [50u32, 80, 90];
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<24}{:>12}{:>12}{:>12}{:>12}",
        "", "plan", "P50", "P80", "P90"
    );
    let d = &r.duration;
    let _ = write!(
        s,
        "{:<24}{:>12}",
        "Duration (working days)",
        thousands(d.deterministic, 1)
    );
    for p in ps {
        let _ = write!(s, "{:>12}", thousands(d.p(p).unwrap_or(f64::NAN), 1));
    }
    let _ = writeln!(s);
    if let Some(fd) = &r.finish_date {
        let _ = write!(
            s,
            "{:<24}{:>12}",
            "Finish date",
            fd.deterministic.to_string()
        );
        for p in ps {
            let date = fd.p(p).map_or_else(String::new, |d| d.to_string());
            let _ = write!(s, "{date:>12}");
        }
        let _ = writeln!(s);
    }
    let k = &r.cost;
    let _ = write!(s, "{:<24}{:>12}", cost_unit, thousands(k.deterministic, 0));
    for p in ps {
        let _ = write!(s, "{:>12}", thousands(k.p(p).unwrap_or(f64::NAN), 0));
    }
    let _ = writeln!(s);
    let _ = writeln!(s);
    let (plan_date, conf_date) = match &r.finish_date {
        Some(fd) => (
            format!(" (finish {})", fd.deterministic),
            format!(", finish {}", fd.at_confidence),
        ),
        None => (String::new(), String::new()),
    };
    let _ = writeln!(
        s,
        "The plan's {} working days{plan_date} are met in {:.0}% of iterations.",
        thousands(d.deterministic, 1),
        d.at_or_below_plan * 100.0
    );
    let _ = writeln!(
        s,
        "At {c} ({:.0}% confidence) hold a schedule buffer of {} working days ({} in all{conf_date})",
        r.confidence * 100.0,
        thousands(r.buffer.schedule_days, 1),
        thousands(d.at_confidence, 1)
    );
    let _ = writeln!(
        s,
        "and a cost reserve of {} ({} in all).",
        money(&r.currency, r.buffer.cost_reserve),
        money(&r.currency, k.at_confidence)
    );
    if let (Some(dl), Some(fd)) = (&r.deadline, &r.finish_date) {
        let _ = writeln!(
            s,
            "The deadline {} (working day {}) is met in {} of iterations; at {c} the project \
             finishes by {}.",
            dl.date,
            thousands(dl.working_days as f64, 0),
            percent(dl.probability),
            fd.at_confidence
        );
    }
    if let Some(b) = &r.budget {
        let _ = writeln!(
            s,
            "The budget {} is met in {} of iterations; at {c} the project costs {}.",
            money(&r.currency, b.amount),
            percent(b.probability),
            money(&r.currency, k.at_confidence)
        );
    }
    if !r.criticality_ranking.is_empty() {
        let list: Vec<String> = r
            .criticality_ranking
            .iter()
            .take(5)
            .map(|&i| {
                let t = &r.tasks[i];
                format!(
                    "{} {:.0}%",
                    shorten(&t.id, MAX_ID_SHOWN),
                    t.criticality * 100.0
                )
            })
            .collect();
        let _ = writeln!(s, "Most often critical: {}", list.join(", "));
    }
    if let Some(dir) = written.first().and_then(|p| p.parent()) {
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let _ = writeln!(s, "Wrote {} to {}", names.join(", "), display_dir(dir));
    }
    s
}

/// The table printed after `p80 compare`: one row per scenario (the baseline first) with the
/// duration, finish date and cost percentiles and the chances of meeting the deadline and the
/// budget, then each scenario's change from the baseline at the confidence level.
pub fn compare_summary(
    comparison: &Comparison,
    written: &[PathBuf],
    threads: usize,
    seconds: f64,
) -> String {
    let mut s = String::new();
    let Some(baseline) = comparison.baseline() else {
        return s;
    };
    let (base_name, base) = (&baseline.name, &baseline.report);
    let scenarios = &comparison.scenarios;
    let n = scenarios.len();
    let _ = writeln!(
        s,
        "p80 compare: {} — {} scenario{}, {} iterations each, seed {}, {} thread{}, {:.2} s",
        base.project,
        n,
        plural(n),
        thousands(base.iterations as f64, 0),
        base.seed,
        threads,
        plural(threads),
        seconds
    );
    let _ = writeln!(
        s,
        "Common random numbers: every scenario draws the same random numbers for the same tasks."
    );
    if let Some(c) = &base.calendar {
        let _ = writeln!(s, "Calendar: {}", calendar_line(c));
    }
    let _ = writeln!(s);

    let name_cell = |name: &str| shorten(name, 32);
    let ps = [50u32, 80, 90];
    let mut header: Vec<String> = vec!["scenario".into()];
    header.extend(ps.iter().map(|p| format!("dur P{p}")));
    if base.finish_date.is_some() {
        header.push("finish P80".into());
    }
    header.extend(ps.iter().map(|p| format!("cost P{p}")));
    if base.deadline.is_some() {
        header.push("on time".into());
    }
    if base.budget.is_some() {
        header.push("in budget".into());
    }
    let mut rows = vec![header];
    for sc in scenarios {
        let r = &sc.report;
        let mut row = vec![name_cell(&sc.name)];
        row.extend(
            ps.iter()
                .map(|&p| thousands(r.duration.p(p).unwrap_or(f64::NAN), 1)),
        );
        if let Some(fd) = &r.finish_date {
            row.push(fd.p(80).map_or_else(String::new, |d| d.to_string()));
        }
        row.extend(
            ps.iter()
                .map(|&p| thousands(r.cost.p(p).unwrap_or(f64::NAN), 0)),
        );
        if let Some(d) = &r.deadline {
            row.push(percent(d.probability));
        }
        if let Some(b) = &r.budget {
            row.push(percent(b.probability));
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c == 0 {
                let _ = write!(line, "{cell:<w$}", w = widths[0]);
            } else {
                let _ = write!(line, "  {cell:>w$}", w = widths[c]);
            }
        }
        let _ = writeln!(s, "{}", line.trim_end());
    }
    let _ = writeln!(s);
    let cost_unit = if base.currency.is_empty() {
        String::new()
    } else {
        format!(" ({})", base.currency)
    };
    let _ = writeln!(
        s,
        "dur: project duration in working days; cost: project cost{cost_unit}."
    );
    let mut chances = Vec::new();
    if let Some(d) = &base.deadline {
        chances.push(format!(
            "on time: chance of finishing by the deadline {}",
            d.date
        ));
    }
    if let Some(b) = &base.budget {
        chances.push(format!(
            "in budget: chance of costing at most {}",
            money(&base.currency, b.amount)
        ));
    }
    if !chances.is_empty() {
        let _ = writeln!(s, "{}.", chances.join("; "));
    }

    if n > 1 {
        let c = confidence_label(base.confidence);
        let _ = writeln!(s, "At {c}, compared with {base_name}:");
        let w = comparison
            .alternatives()
            .iter()
            .map(|sc| name_cell(&sc.name).chars().count())
            .max()
            .unwrap_or(0);
        for sc in comparison.alternatives() {
            let (name, r) = (&sc.name, &sc.report);
            let (dd, dc) = (sc.change.duration, sc.change.cost);
            // The sign in front of the currency: "+USD 2,150", "-USD 300".
            let sign = |x: f64, shown: &str| {
                if shown.bytes().all(|b| matches!(b, b'0' | b'.' | b',')) {
                    ""
                } else if x > 0.0 {
                    "+"
                } else {
                    "-"
                }
            };
            let days = thousands(dd.abs(), 1);
            let days = format!("{}{days}", sign(dd, &days));
            let cost = thousands(dc.abs(), 0);
            let cost = format!("{}{}", sign(dc, &cost), money(&base.currency, dc.abs()));
            let mut line = format!(
                "  {:<w$}  duration {days} working days, cost {cost}",
                name_cell(name)
            );
            if let (Some(fd), Some(bd)) = (&r.finish_date, &base.finish_date) {
                let _ = write!(
                    line,
                    ", finish {} (baseline {})",
                    fd.at_confidence, bd.at_confidence
                );
            }
            let _ = writeln!(s, "{line}");
        }
    }
    if let Some(dir) = written.first().and_then(|p| p.parent()) {
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let _ = writeln!(s, "Wrote {} to {}", names.join(", "), display_dir(dir));
    }
    s
}

/// A folder as written, "." for the current one.
pub(crate) fn display_dir(dir: &Path) -> String {
    let d = dir.display().to_string();
    if d.is_empty() {
        ".".into()
    } else {
        d
    }
}

/// A link's type and lag as in `depends_on` without the task: `FS`, `SS+2`, `FF-1`, `FS+0.5`.
fn link_label(l: &Link) -> String {
    let mut s = l.kind.code().to_string();
    if l.lag != 0.0 {
        let _ = write!(s, "{:+}", l.lag);
    }
    s
}

/// The `depends on` cell of the check table: the task's links as written in `depends_on`
/// (`a;b:SS+2`), and for a level of effort the tasks it lasts until (`a:SS; until b;c`).
fn predecessors(t: &crate::model::Task) -> String {
    let links: Vec<String> = t
        .depends_on
        .iter()
        .map(|l| {
            Link {
                task: shorten(&l.task, MAX_ID_SHOWN),
                ..l.clone()
            }
            .to_string()
        })
        .collect();
    let mut s = links.join(";");
    if t.kind == TaskKind::LevelOfEffort && !t.finish_with.is_empty() {
        if !s.is_empty() {
            s.push_str("; ");
        }
        let ends: Vec<String> = t
            .finish_with
            .iter()
            .map(|id| shorten(id, MAX_ID_SHOWN))
            .collect();
        let _ = write!(s, "until {}", ends.join(";"));
    }
    s
}

/// What joins two consecutive tasks of the critical path (in topological order): ` -> ` when
/// `later` depends on `earlier` finish-to-start without lag, ` -(SS+2)-> ` for any other link
/// (type and lag of the link), and ` | ` when `later` has no link from `earlier` (both are
/// critical, on longest paths that tie).
fn path_arrow(project: &Project, earlier: usize, later: usize) -> String {
    let from = project.tasks[earlier].id.as_str();
    match project.tasks[later]
        .depends_on
        .iter()
        .find(|l| l.task == from)
    {
        Some(l) if l.kind == LinkKind::FinishToStart && l.lag == 0.0 => " -> ".into(),
        Some(l) => format!(" -({})-> ", link_label(l)),
        None => " | ".into(),
    }
}

/// The listing printed by `p80 check`: every task's early dates, float and predecessors (with
/// link types and lags), the critical path with the link types and lags between its tasks, and
/// the deterministic duration and cost; with a calendar, the start and finish dates of every
/// task, the project's finish date and how it stands against the deadline. `sched` must come
/// from a plan compiled from `project`.
pub fn check_listing(project: &Project, sched: &ScheduleReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "p80 check: {} — {} tasks, valid",
        project.name,
        project.tasks.len()
    );
    if let Some(c) = &sched.calendar {
        let _ = writeln!(s, "Calendar: {}", calendar_line(c));
    }
    let _ = writeln!(s);
    // Ids are shortened for display (a 65,536-character id would exceed what a format width
    // can hold, and no terminal shows it anyway); the files keep them whole.
    let id_cell = |id: &str| shorten(id, MAX_ID_SHOWN);
    let w = project
        .tasks
        .iter()
        .map(|t| t.id.chars().count().min(MAX_ID_SHOWN))
        .max()
        .unwrap_or(2)
        .max(4);
    let date_header = if sched.calendar.is_some() {
        format!("  {:>10}  {:>11}", "start date", "finish date")
    } else {
        String::new()
    };
    let header = format!(
        "{:<w$}  {:>8}  {:>8}  {:>8}{date_header}  {:>8}  {:<8}  depends on",
        "task", "likely", "start", "finish", "float", "critical"
    );
    let _ = writeln!(s, "{}", header.trim_end());
    for (t, st) in project.tasks.iter().zip(&sched.tasks) {
        let date_cells = match st.dates {
            Some((start, finish)) => {
                format!("  {:>10}  {:>11}", start.to_string(), finish.to_string())
            }
            None => String::new(),
        };
        let row = format!(
            "{:<w$}  {:>8}  {:>8}  {:>8}{date_cells}  {:>8}  {:<8}  {}",
            id_cell(&t.id),
            thousands(t.estimate.likely, 1),
            thousands(st.early_start, 1),
            thousands(st.early_finish, 1),
            thousands(st.total_float, 1),
            if st.critical { "*" } else { "" },
            predecessors(t)
        );
        let _ = writeln!(s, "{}", row.trim_end());
    }
    let _ = writeln!(s);
    let mut path = String::new();
    for (k, &i) in sched.critical_path.iter().enumerate() {
        if k > 0 {
            path.push_str(&path_arrow(project, sched.critical_path[k - 1], i));
        }
        path.push_str(&id_cell(&project.tasks[i].id));
    }
    let _ = writeln!(s, "Critical path: {path}");
    let _ = writeln!(
        s,
        "Deterministic duration: {} working days",
        thousands(sched.duration, 1)
    );
    if let Some(finish) = sched.finish_date {
        let _ = writeln!(s, "Deterministic finish date: {finish}");
        if let Some(dl) = &sched.deadline {
            let verdict = match dl.margin() {
                Ok(spare) => format!(
                    "the plan meets it with {spare} working day{} to spare",
                    if spare == 1 { "" } else { "s" }
                ),
                Err(late) => format!(
                    "the plan misses it by {late} working day{}",
                    if late == 1 { "" } else { "s" }
                ),
            };
            let _ = writeln!(
                s,
                "Deadline: {} (working day {}); {verdict}",
                dl.date, dl.available
            );
        }
    }
    let _ = writeln!(
        s,
        "Deterministic cost: {}",
        money(&project.currency, sched.cost)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::parse_date;
    use crate::stats::testing::report;

    fn calendar() -> Calendar {
        // Monday 2027-01-04, Monday to Friday, no holidays.
        let d = parse_date("2027-01-04").unwrap();
        Calendar::new(d, [true, true, true, true, true, false, false], []).unwrap()
    }

    #[test]
    fn simulate_summary_whole_text() {
        // Durations 8…12 (plan 10): P50 10, P80 11.2, P90 11.6; 3 of 5 at or below the plan.
        // Costs (plan 300): P50 310, P80 420, P90 460. Working day 10 is Friday 2027-01-15,
        // day 12 Tuesday 2027-01-19.
        let r = report(
            &[8.0, 9.0, 10.0, 11.0, 12.0],
            &[250.0, 300.0, 310.0, 400.0, 500.0],
        )
        .with_budget(Some(320.0))
        .with_calendar(&calendar(), parse_date("2027-01-15"))
        .unwrap();
        let written = [
            PathBuf::from("out/summary.json"),
            PathBuf::from("out/duration.png"),
        ];
        let got = simulate_summary(&r, &written, 2, 0.5);
        assert_eq!(
            got,
            "\
p80: Test plan — 5 iterations, seed 7, 2 threads, 0.50 s
Calendar: start 2027-01-04, working days Mon–Fri, 0 holidays

                                plan         P50         P80         P90
Duration (working days)         10.0        10.0        11.2        11.6
Finish date               2027-01-15  2027-01-15  2027-01-19  2027-01-19
Cost (EUR)                       300         310         420         460

The plan's 10.0 working days (finish 2027-01-15) are met in 60% of iterations.
At P80 (80% confidence) hold a schedule buffer of 1.2 working days (11.2 in all, finish 2027-01-19)
and a cost reserve of EUR 120 (EUR 420 in all).
The deadline 2027-01-15 (working day 10) is met in 60% of iterations; at P80 the project finishes by 2027-01-19.
The budget EUR 320 is met in 60% of iterations; at P80 the project costs EUR 420.
Most often critical: b 100%, a 60%
Wrote summary.json, duration.png to out
"
        );
    }

    #[test]
    fn compare_summary_whole_text() {
        // Baseline durations 1…5 (P50 3, P80 4.2, P90 4.6), costs 10…50; the second scenario
        // doubles the durations (P80 8.4: +4.2 days) and trims the top cost (P80 41: −1).
        let base = report(&[1.0, 2.0, 3.0, 4.0, 5.0], &[10.0, 20.0, 30.0, 40.0, 50.0]);
        let slower = report(&[2.0, 4.0, 6.0, 8.0, 10.0], &[10.0, 20.0, 30.0, 40.0, 45.0]);
        let c = Comparison::new(vec![
            ("baseline".into(), base.with_budget(Some(35.0))),
            (
                "a rather long scenario name that is cut".into(),
                slower.with_budget(Some(35.0)),
            ),
        ]);
        let got = compare_summary(&c, &[PathBuf::from("comparison.csv")], 1, 1.0);
        assert_eq!(
            got,
            "\
p80 compare: Test plan — 2 scenarios, 5 iterations each, seed 7, 1 thread, 1.00 s
Common random numbers: every scenario draws the same random numbers for the same tasks.

scenario                          dur P50  dur P80  dur P90  cost P50  cost P80  cost P90  in budget
baseline                              3.0      4.2      4.6        30        42        46        60%
a rather long scenario name tha…      6.0      8.4      9.2        30        41        43        60%

dur: project duration in working days; cost: project cost (EUR).
in budget: chance of costing at most EUR 35.
At P80, compared with baseline:
  a rather long scenario name tha…  duration +4.2 working days, cost -EUR 1
Wrote comparison.csv to .
"
        );
    }

    #[test]
    fn check_listing_whole_text() {
        let p = crate::stats::testing::project(
            "id,optimistic,likely,pessimistic,depends_on,cost\n\
             a,2,4,8,,100\n\
             m,0,0,0,a,0\n\
             b,3,4.5,12,a:SS+1,200\n",
            None,
        );
        let sched = crate::engine::Schedule {
            duration: 5.5,
            cost: 300.0,
            early_start: vec![0.0, 4.0, 1.0],
            early_finish: vec![4.0, 4.0, 5.5],
            total_float: vec![0.0, 1.5, 0.0],
            critical: vec![true, false, true],
            critical_path: vec![0, 2],
        };
        let sched =
            ScheduleReport::new(&sched, Some(&calendar()), parse_date("2027-01-08")).unwrap();
        let got = check_listing(&p, &sched);
        assert_eq!(
            got,
            "\
p80 check: Test plan — 3 tasks, valid
Calendar: start 2027-01-04, working days Mon–Fri, 0 holidays

task    likely     start    finish  start date  finish date     float  critical  depends on
a          4.0       0.0       4.0  2027-01-04   2027-01-07       0.0  *
m          0.0       4.0       4.0  2027-01-07   2027-01-07       1.5            a
b          4.5       1.0       5.5  2027-01-05   2027-01-11       0.0  *         a:SS+1

Critical path: a -(SS+1)-> b
Deterministic duration: 5.5 working days
Deterministic finish date: 2027-01-11
Deadline: 2027-01-08 (working day 5); the plan misses it by 1 working day
Deterministic cost: EUR 300
"
        );
    }
}
