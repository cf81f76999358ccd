//! The short human summary printed on stdout, the `p80 check` schedule listing, and
//! [`print()`], which puts either on stdout with every error checked.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::format::{confidence_label, money, percent, plural, shorten, thousands};
use crate::error::{Error, Result};
use crate::model::{Calendar, Link, LinkKind, Project, TaskKind};
use crate::stats::{Comparison, Health, Report, ScheduleReport};

/// Writes `text` to `out` and flushes it. Any error (a closed stdout, a broken pipe after
/// `| head` exited, a full device) is an I/O error naming standard output (exit 1): the
/// caller's output never silently goes missing.
pub fn print(out: &mut impl std::io::Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("cannot write to standard output", e))
}

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
    if let Some(e) = &r.economic_cost {
        let _ = writeln!(
            s,
            "With {} per working day past the deadline, the economic cost at {c} is {} (mean {}).",
            money(&r.currency, e.delay_cost),
            money(&r.currency, e.summary.at_confidence),
            money(&r.currency, e.summary.mean)
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
    if let Some(line) = backup_line(r) {
        let _ = writeln!(s, "{line}");
    }
    if let Some(sp) = &r.sprints {
        let _ = writeln!(s, "{}", sprint_line(sp, r.confidence));
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
    if let Some(d) = &r.drivers {
        let top: Vec<String> = d
            .sensitivity_ranking
            .iter()
            .take(3)
            .filter(|&&i| d.tasks[i].duration_sensitivity != 0.0)
            .map(|&i| format!("{} {:.2}", r.tasks[i].id, d.tasks[i].duration_sensitivity))
            .collect();
        if !top.is_empty() {
            let _ = writeln!(s, "Drives the duration most: {}", top.join(", "));
        }
        if let Some(m) = d.largest_merge_bias.map(|k| &d.merge_bias[k]) {
            let _ = writeln!(
                s,
                "Largest merge bias: {} (+{:.1} working days: starts on average after its latest \
                 predecessor's mean finish)",
                m.id, m.merge_bias
            );
        }
        if let Some(j) = d.joint {
            let _ = writeln!(
                s,
                "Deadline and budget are met together in {:.0}% of iterations (joint confidence).",
                j.probability * 100.0
            );
        }
    }
    let warned: Vec<&str> = r.health.warnings().map(|c| c.title).collect();
    if !warned.is_empty() {
        let _ = writeln!(
            s,
            "Health check: {} warning{} ({}): see health.csv or p80 check.",
            warned.len(),
            plural(warned.len()),
            warned.join("; ")
        );
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

/// At most this many resources in the backup line; the rest are in `resource_reserve.csv`.
const BACKUP_SHOWN: usize = 6;

/// "Backup at P80 beyond the plan: ds 14.2 days, gpu 310 hours": each resource's
/// project-level reserve, in file order (days to one decimal, hours whole; "none" when the
/// plan already covers the confidence level). `None` without reserves.
fn backup_line(r: &Report) -> Option<String> {
    let project: Vec<_> = r.reserves.iter().filter(|s| s.is_project()).collect();
    if project.is_empty() {
        return None;
    }
    let mut items: Vec<String> = project
        .iter()
        .take(BACKUP_SHOWN)
        .map(|s| {
            let (value, unit) = if s.unit == "hour" {
                (thousands(s.reserve, 0), "hours")
            } else {
                (thousands(s.reserve, 1), "days")
            };
            if value.starts_with('-') || value.bytes().all(|b| matches!(b, b'0' | b'.')) {
                format!("{} none", s.resource)
            } else {
                format!("{} {value} {unit}", s.resource)
            }
        })
        .collect();
    if project.len() > BACKUP_SHOWN {
        items.push(format!(
            "and {} more in resource_reserve.csv",
            project.len() - BACKUP_SHOWN
        ));
    }
    Some(format!(
        "Backup at {} beyond the plan: {}",
        confidence_label(r.confidence),
        items.join(", ")
    ))
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
    if base.economic_cost.is_some() {
        header.push(format!("econ {}", confidence_label(base.confidence)));
    }
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
        if base.economic_cost.is_some() {
            row.push(
                r.economic_cost
                    .as_ref()
                    .map_or_else(String::new, |e| thousands(e.summary.at_confidence, 0)),
            );
        }
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
    if let Some(e) = &base.economic_cost {
        chances.push(format!(
            "econ: economic cost at {}, the cost plus {} per working day past the deadline",
            confidence_label(base.confidence),
            money(&base.currency, e.delay_cost)
        ));
    }
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
    if let Some(rec) = &comparison.recommendation {
        let _ = writeln!(s, "{}", recommendation(comparison, rec));
    }
    s
}

/// The closing sentence of `p80 compare` with a cost of delay: the scenario with the lowest
/// economic cost at the confidence, and the cheapest that meets the deadline at it.
fn recommendation(comparison: &Comparison, rec: &crate::stats::Recommendation) -> String {
    let sc = &comparison.scenarios;
    let best = &sc[rec.lowest_economic_cost];
    let r = &best.report;
    let c = confidence_label(r.confidence);
    let econ = r
        .economic_cost
        .as_ref()
        .map_or(f64::NAN, |e| e.summary.at_confidence);
    let deadline = r
        .deadline
        .map_or_else(String::new, |d| format!(" {}", d.date));
    let chance = percent(r.confidence);
    let on_time = match rec.cheapest_on_time {
        Some(i) if i == rec.lowest_economic_cost => format!(
            "it is also the cheapest that meets the deadline{deadline} with at least {chance} \
             ({} at {c})",
            money(&r.currency, r.cost.at_confidence)
        ),
        Some(i) => format!(
            "the cheapest that meets the deadline{deadline} with at least {chance} is \"{}\" \
             ({} at {c})",
            sc[i].name,
            money(&r.currency, sc[i].report.cost.at_confidence)
        ),
        None => format!("no scenario meets the deadline{deadline} with at least {chance}"),
    };
    format!(
        "Recommendation: at {c}, \"{}\" has the lowest economic cost ({}); {on_time}.",
        best.name,
        money(&r.currency, econ)
    )
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
                task: shorten(&l.task, MAX_ID_SHOWN).into(),
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

/// "end of sprint 12", or "before sprint 1" for a finish before sprint 1 begins.
pub(crate) fn sprint_label(number: i64) -> String {
    if number >= 1 {
        format!("end of sprint {number}")
    } else {
        "before sprint 1".into()
    }
}

/// The finish in sprints, one line: "Sprints of 10 working days from 2027-01-04: plan: end of
/// sprint 10, P50: end of sprint 11, P80: end of sprint 12 (2027-06-25), P90: end of sprint
/// 13." The confidence level is added when it is not P50, P80 or P90; its sprint's end date
/// is given with a calendar.
fn sprint_line(sp: &crate::stats::SprintSummary, confidence: f64) -> String {
    let from = match (sp.start_date, sp.offset) {
        (Some(d), _) => format!("from {d}"),
        (None, 0.0) => "from the start".into(),
        (None, o) => format!("from working day offset {}", thousands(o, 1)),
    };
    let mut parts = vec![format!("plan: {}", sprint_label(sp.deterministic.number))];
    let conf_k = (confidence * 100.0).round() as u32;
    let exact = (confidence * 100.0 - f64::from(conf_k)).abs() < 1e-9;
    let mut shown_conf = false;
    for k in [50u32, 80, 90] {
        if let Some(x) = sp.p(k) {
            let mut part = format!("P{k}: {}", sprint_label(x.number));
            if exact && k == conf_k {
                shown_conf = true;
                if let Some(d) = x.end_date {
                    let _ = write!(part, " ({d})");
                }
            }
            parts.push(part);
        }
    }
    if !shown_conf {
        let x = sp.at_confidence;
        let mut part = format!(
            "{}: {}",
            confidence_label(confidence),
            sprint_label(x.number)
        );
        if let Some(d) = x.end_date {
            let _ = write!(part, " ({d})");
        }
        parts.push(part);
    }
    format!(
        "Sprints of {} working days {from}: {}.",
        super::format::sprint_days(sp.length),
        parts.join(", ")
    )
}

/// How many task ids a health finding names before "and N more".
const HEALTH_SHOWN: usize = 5;

/// The health check as `p80 check` prints it: a headline (how many checks warn, where the
/// thresholds come from), then one line per check: status, title, count out of the items
/// checked, threshold, and the first few tasks (or resources) concerned.
pub fn health_listing(h: &Health) -> String {
    let mut s = String::new();
    let n = h.warnings().count();
    let verdict = if n == 0 {
        format!("all {} checks ok", h.checks.len())
    } else {
        format!("{n} of {} checks warn", h.checks.len())
    };
    let _ = writeln!(
        s,
        "Health check: {verdict} (DCMA 14-point and GAO thresholds; see docs/format.md)"
    );
    let w = h
        .checks
        .iter()
        .map(|c| c.title.chars().count())
        .max()
        .unwrap_or(0);
    for c in &h.checks {
        let counted = format!("{} of {} {}", c.count, c.out_of, c.unit);
        let limit = format!("at most {}", super::format::health_threshold(c.limit));
        let mut row = format!(
            "  {:<7}  {:<w$}  {:>18}  {:<12}",
            super::format::health_status(c),
            c.title,
            counted,
            limit
        );
        if !c.items.is_empty() {
            let shown: Vec<&str> = c
                .items
                .iter()
                .take(HEALTH_SHOWN)
                .map(String::as_str)
                .collect();
            row.push_str(&shown.join(", "));
            if c.items.len() > HEALTH_SHOWN {
                let _ = write!(row, " and {} more", c.items.len() - HEALTH_SHOWN);
            }
        }
        let _ = writeln!(s, "{}", row.trim_end());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_reports_write_and_flush_errors() {
        /// A writer that fails on write or on flush.
        struct Failing(bool);
        impl std::io::Write for Failing {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                if self.0 {
                    Err(std::io::ErrorKind::BrokenPipe.into())
                } else {
                    Ok(b.len())
                }
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Err(std::io::Error::from_raw_os_error(28)) // ENOSPC
            }
        }
        for fail_on_write in [true, false] {
            let e = print(&mut Failing(fail_on_write), "text").unwrap_err();
            assert_eq!(e.exit_code(), 1);
            assert!(e
                .to_string()
                .starts_with("cannot write to standard output: "));
        }
        let mut v = Vec::new();
        print(&mut v, "text").unwrap();
        assert_eq!(v, b"text");
    }
    use crate::model::calendar::parse_date;
    use crate::stats::testing::report;

    fn calendar() -> Calendar {
        // Monday 2027-01-04, Monday to Friday, no holidays.
        let d = parse_date("2027-01-04").unwrap();
        Calendar::new(d, [true, true, true, true, true, false, false], []).unwrap()
    }

    #[test]
    fn drivers_name_the_tasks_that_move_the_finish() {
        // b has sensitivity 0.9, a 0.3; a chain has no merge point; no deadline, no joint line.
        let r = crate::stats::testing::report_with_drivers();
        let got = simulate_summary(&r, &[], 1, 1.0);
        assert!(
            got.contains("\nDrives the duration most: b 0.90, a 0.30\n"),
            "{got}"
        );
        assert!(!got.contains("merge bias"), "{got}");
        assert!(!got.contains("joint confidence"), "{got}");
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
    fn the_backup_line_lists_project_reserves() {
        let mk = |milestone: Option<usize>, resource: &str, unit: &'static str, reserve: f64| {
            crate::stats::ResourceReserve {
                milestone,
                scope: String::new(),
                resource: resource.into(),
                unit,
                plan: 0.0,
                mean: 0.0,
                percentiles: vec![],
                at_confidence: 0.0,
                reserve,
            }
        };
        let mut r = report(&[1.0], &[1.0]);
        assert_eq!(backup_line(&r), None);
        r.reserves = vec![
            mk(None, "ds", "day", 14.23),
            mk(None, "gpu", "hour", 1310.4),
            mk(None, "de", "day", -0.5),
            mk(Some(1), "ds", "day", 3.0),
        ];
        assert_eq!(
            backup_line(&r).unwrap(),
            "Backup at P80 beyond the plan: ds 14.2 days, gpu 1,310 hours, de none"
        );
        r.reserves = (0..8)
            .map(|k| mk(None, &format!("r{k}"), "day", 1.0))
            .collect();
        assert_eq!(
            backup_line(&r).unwrap(),
            "Backup at P80 beyond the plan: r0 1.0 days, r1 1.0 days, r2 1.0 days, r3 1.0 days, \
             r4 1.0 days, r5 1.0 days, and 2 more in resource_reserve.csv"
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
