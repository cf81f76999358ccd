//! The short human summary printed on stdout, and the `p80 check` schedule listing.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::engine::Schedule;
use crate::error::{Error, Result};
use crate::model::{Calendar, Link, LinkKind, Project, TaskKind};
use crate::stats::Report;

/// Formats `x` with thousands separators and `decimals` decimals: 1234567.8 → "1,234,567.8".
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if x < 0.0 && out.chars().any(|c| c != '0' && c != '.' && c != ',') {
        out.insert(0, '-');
    }
    out
}

fn money(currency: &str, x: f64) -> String {
    if currency.is_empty() {
        thousands(x, 0)
    } else {
        format!("{currency} {}", thousands(x, 0))
    }
}

/// A probability as a whole percent, never rounding a possibility to 0% or a risk to 100%.
fn percent(p: f64) -> String {
    if p > 0.0 && p < 0.005 {
        "<1%".into()
    } else if p < 1.0 && p > 0.995 {
        ">99%".into()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

/// "start 2027-01-04, Mon–Fri, 6 holidays".
fn calendar_line(c: &Calendar) -> String {
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
    let c = r.confidence_label();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "p80: {} — {} iterations, seed {}, {} thread{}, {:.2} s",
        r.project,
        thousands(r.iterations as f64, 0),
        r.seed,
        threads,
        if threads == 1 { "" } else { "s" },
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
    let on_time =
        crate::stats::percentile::fraction_at_or_below(&r.sorted_durations, d.deterministic);
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
        on_time * 100.0
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
    let mut top: Vec<_> = r.tasks.iter().filter(|t| t.criticality > 0.0).collect();
    top.sort_by(|a, b| {
        b.criticality
            .total_cmp(&a.criticality)
            .then_with(|| a.id.cmp(&b.id))
    });
    if !top.is_empty() {
        let list: Vec<String> = top
            .iter()
            .take(5)
            .map(|t| format!("{} {:.0}%", t.id, t.criticality * 100.0))
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
    scenarios: &[(String, Report)],
    written: &[PathBuf],
    threads: usize,
    seconds: f64,
) -> String {
    let mut s = String::new();
    let Some((base_name, base)) = scenarios.first() else {
        return s;
    };
    let n = scenarios.len();
    let _ = writeln!(
        s,
        "p80 compare: {} — {} scenario{}, {} iterations each, seed {}, {} thread{}, {:.2} s",
        base.project,
        n,
        if n == 1 { "" } else { "s" },
        thousands(base.iterations as f64, 0),
        base.seed,
        threads,
        if threads == 1 { "" } else { "s" },
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

    const NAME_MAX: usize = 32;
    let name_cell = |name: &str| {
        if name.chars().count() <= NAME_MAX {
            name.to_string()
        } else {
            let mut t: String = name.chars().take(NAME_MAX - 1).collect();
            t.push('…');
            t
        }
    };
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
    for (name, r) in scenarios {
        let mut row = vec![name_cell(name)];
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
        let c = base.confidence_label();
        let _ = writeln!(s, "At {c}, compared with {base_name}:");
        let w = scenarios[1..]
            .iter()
            .map(|(name, _)| name_cell(name).chars().count())
            .max()
            .unwrap_or(0);
        for (name, r) in &scenarios[1..] {
            let dd = r.duration.at_confidence - base.duration.at_confidence;
            let dc = r.cost.at_confidence - base.cost.at_confidence;
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

fn display_dir(dir: &Path) -> String {
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
    let links: Vec<String> = t.depends_on.iter().map(Link::to_string).collect();
    let mut s = links.join(";");
    if t.kind == TaskKind::LevelOfEffort && !t.finish_with.is_empty() {
        if !s.is_empty() {
            s.push_str("; ");
        }
        let _ = write!(s, "until {}", t.finish_with.join(";"));
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
/// task, the project's finish date and how it stands against the deadline.
///
/// Fails (a usage error) only when a date would fall after [`Calendar::LAST_DATE`].
pub fn check_listing(
    project: &Project,
    sched: &Schedule,
    calendar: Option<&Calendar>,
    deadline: Option<NaiveDate>,
) -> Result<String> {
    let too_far = |offset: f64| {
        let start = calendar.map(|c| c.start().to_string()).unwrap_or_default();
        Error::Usage(format!(
            "a finish {offset} working days after the start {start} falls after {}: p80 cannot \
             show it as a date; check the estimates or remove start",
            Calendar::LAST_DATE
        ))
    };
    let finish_date =
        |c: &Calendar, offset: f64| c.finish_date(offset).ok_or_else(|| too_far(offset));
    // A zero-duration task (a milestone) is shown on its finish date, as scheduling tools do.
    let dates = |c: &Calendar, i: usize| -> Result<(NaiveDate, NaiveDate)> {
        let (es, ef) = (sched.early_start[i], sched.early_finish[i]);
        let finish = finish_date(c, ef)?;
        let start = if ef <= es {
            finish
        } else {
            c.start_date(es).ok_or_else(|| too_far(es))?
        };
        Ok((start, finish))
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "p80 check: {} — {} tasks, valid",
        project.name,
        project.tasks.len()
    );
    if let Some(c) = calendar {
        let _ = writeln!(s, "Calendar: {}", calendar_line(c));
    }
    let _ = writeln!(s);
    let w = project
        .tasks
        .iter()
        .map(|t| t.id.chars().count())
        .max()
        .unwrap_or(2)
        .max(4);
    let date_header = if calendar.is_some() {
        format!("  {:>10}  {:>11}", "start date", "finish date")
    } else {
        String::new()
    };
    let header = format!(
        "{:<w$}  {:>8}  {:>8}  {:>8}{date_header}  {:>8}  {:<8}  depends on",
        "task", "likely", "start", "finish", "float", "critical"
    );
    let _ = writeln!(s, "{}", header.trim_end());
    for (i, t) in project.tasks.iter().enumerate() {
        let date_cells = match calendar {
            Some(c) => {
                let (start, finish) = dates(c, i)?;
                format!("  {:>10}  {:>11}", start.to_string(), finish.to_string())
            }
            None => String::new(),
        };
        let row = format!(
            "{:<w$}  {:>8}  {:>8}  {:>8}{date_cells}  {:>8}  {:<8}  {}",
            t.id,
            thousands(t.estimate.likely, 1),
            thousands(sched.early_start[i], 1),
            thousands(sched.early_finish[i], 1),
            thousands(sched.total_float[i], 1),
            if sched.critical[i] { "*" } else { "" },
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
        path.push_str(&project.tasks[i].id);
    }
    let _ = writeln!(s, "Critical path: {path}");
    let _ = writeln!(
        s,
        "Deterministic duration: {} working days",
        thousands(sched.duration, 1)
    );
    if let Some(c) = calendar {
        let finish = finish_date(c, sched.duration)?;
        let _ = writeln!(s, "Deterministic finish date: {finish}");
        if let Some(d) = deadline {
            let available = c.working_days_through(d);
            let needed = Calendar::finish_day(sched.duration).unwrap_or(u64::MAX);
            let verdict = if needed <= available {
                let spare = available - needed;
                format!(
                    "the plan meets it with {spare} working day{} to spare",
                    if spare == 1 { "" } else { "s" }
                )
            } else {
                let late = needed - available;
                format!(
                    "the plan misses it by {late} working day{}",
                    if late == 1 { "" } else { "s" }
                )
            };
            let _ = writeln!(s, "Deadline: {d} (working day {available}); {verdict}");
        }
    }
    let _ = writeln!(
        s,
        "Deterministic cost: {}",
        money(&project.currency, sched.cost)
    );
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(1234567.849, 1), "1,234,567.8");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(-1500.0, 0), "-1,500");
        assert_eq!(thousands(-0.01, 1), "0.0");
    }
}
