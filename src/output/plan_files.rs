//! `p80 import`: an imported schedule written as p80's own files, `project.toml`, `tasks.csv`
//! and `resources.csv`, for people who edit the plan in a spreadsheet from then on.
//!
//! Guarantee: the written plan simulates to the same results as the schedule file. Task ids
//! (which name the random streams) are kept; every number is written in the shortest form that
//! reads back to the same bits (Rust's float formatting); a range that came from the rule or a
//! risk level is written as the rule's input (`likely` alone, or `likely` and `risk_level`) with
//! the rule in `project.toml`, so the reader derives the same three points and the outputs
//! still say which ranges are a rule.

use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::input::schedule::{ImportOptions, Progress, RangeSource, Schedule};
use crate::model::{LinkKind, RateUnit, TaskKind};

/// The files to write, `(name, bytes)`, in the order they are listed to the user.
pub fn render(
    schedule: &Schedule,
    options: &ImportOptions,
) -> Result<Vec<(&'static str, Vec<u8>)>> {
    let mut files = vec![
        ("project.toml", project_toml(schedule, options).into_bytes()),
        ("tasks.csv", tasks_csv(schedule)?),
    ];
    if !schedule.project.resources.is_empty() {
        files.push(("resources.csv", resources_csv(schedule)?));
    }
    Ok(files)
}

/// A TOML string literal.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML float that reads back to the same bits (`1.0`, not `1`).
fn float(x: f64) -> String {
    format!("{x:?}")
}

fn project_toml(s: &Schedule, options: &ImportOptions) -> String {
    let p = &s.project;
    let file = p
        .tasks_file
        .file_name()
        .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
    let mut t = String::new();
    let _ = writeln!(t, "# Written by `p80 import` from {file} ({}).", s.format);
    let _ = writeln!(
        t,
        "# It simulates to the same results as the file itself; edit tasks.csv from here on."
    );
    if s.range_rule_tasks > 0 {
        let _ = writeln!(
            t,
            "# {} task(s) have no estimates: tasks.csv gives them only `likely` (the scheduled \
             duration) and [import] range derives their range; replace it with optimistic and \
             pessimistic values where you know better.",
            s.range_rule_tasks
        );
    }
    let _ = writeln!(t, "[project]");
    let _ = writeln!(t, "name = {}", quoted(&p.name));
    if !p.currency.is_empty() {
        let _ = writeln!(t, "currency = {}", quoted(&p.currency));
    }
    let _ = writeln!(t, "tasks = \"tasks.csv\"");
    if !p.resources.is_empty() {
        let _ = writeln!(t, "resources = \"resources.csv\"");
    }
    let _ = writeln!(t, "distribution = \"{}\"", options.distribution);
    let c = &s.calendar;
    let _ = writeln!(t, "start = \"{}\"", c.start());
    let _ = writeln!(t);
    let _ = writeln!(t, "[calendar]");
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let workdays: Vec<String> = (0..7)
        .filter(|&i| c.workdays()[i])
        .map(|i| format!("\"{}\"", days[i]))
        .collect();
    let _ = writeln!(t, "workdays = [{}]", workdays.join(", "));
    let list = |dates: &mut dyn Iterator<Item = &chrono::NaiveDate>| {
        dates
            .map(|d| format!("\"{d}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(t, "holidays = [{}]", list(&mut c.holidays().iter()));
    if !c.extra_workdays().is_empty() {
        let _ = writeln!(
            t,
            "extra_workdays = [{}]",
            list(&mut c.extra_workdays().iter())
        );
    }
    if s.range_rule_tasks > 0 {
        let [o, m, p] = s.range.0;
        let _ = writeln!(t);
        let _ = writeln!(t, "[import]");
        let _ = writeln!(
            t,
            "range = [{}, {}, {}]   # optimistic, likely, pessimistic × `likely` of rows without a range",
            float(o),
            float(m),
            float(p)
        );
    }
    if s.info
        .iter()
        .any(|i| matches!(i.range, RangeSource::RiskLevel(_)))
    {
        let r = &options.risk_levels;
        let _ = writeln!(t);
        let _ = writeln!(t, "[risk_levels]");
        for (name, (lo, hi)) in [("low", r.low), ("medium", r.medium), ("high", r.high)] {
            let _ = writeln!(t, "{name} = [{}, {}]", float(lo), float(hi));
        }
    }
    t
}

fn csv_error(e: impl std::fmt::Display) -> Error {
    Error::Output(format!("cannot write the imported plan: {e}"))
}

fn tasks_csv(s: &Schedule) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "name",
        "optimistic",
        "likely",
        "pessimistic",
        "distribution",
        "risk_level",
        "type",
        "depends_on",
        "finish_with",
        "resources",
        "cost",
        "not_before",
        "x_source",
        "x_group",
        "x_status",
    ])
    .map_err(csv_error)?;
    for (t, info) in s.project.tasks.iter().zip(&s.info) {
        let e = &t.estimate;
        let num = |x: f64| format!("{x}");
        let blank = String::new;
        let (o, m, p, dist, level) = match (t.kind, info.range) {
            (TaskKind::LevelOfEffort, _) => (blank(), blank(), blank(), "", blank()),
            (TaskKind::Milestone, _) => (blank(), "0".into(), blank(), "", blank()),
            (_, RangeSource::None) => (blank(), num(e.likely), blank(), "fixed", blank()),
            (_, RangeSource::Rule) => (blank(), num(info.duration), blank(), "", blank()),
            (_, RangeSource::RiskLevel(l)) => {
                (blank(), num(info.duration), blank(), "", l.to_string())
            }
            (_, RangeSource::Fields) => {
                let (o, m, p) = (num(e.optimistic), num(e.likely), num(e.pessimistic));
                (o, m, p, "", blank())
            }
        };
        let kind = match t.kind {
            TaskKind::Task => "task",
            TaskKind::Milestone => "milestone",
            TaskKind::LevelOfEffort => "loe",
        };
        let links: Vec<String> = t
            .depends_on
            .iter()
            .map(|l| {
                let mut x = l.task.to_string();
                if l.kind != LinkKind::FinishToStart || l.lag < 0.0 {
                    x.push(':');
                    x.push_str(l.kind.code());
                }
                if l.lag != 0.0 {
                    x.push_str(&format!("{:+}", l.lag));
                }
                x
            })
            .collect();
        let resources: Vec<String> = t
            .resources
            .iter()
            .map(|a| format!("{}:{}", a.resource, a.units))
            .collect();
        let status = match info.progress {
            Progress::NotStarted => "",
            Progress::InProgress => "in progress (remaining duration)",
            Progress::Complete => "complete",
        };
        let range_note = match info.range {
            RangeSource::Rule => "; range from [import] range",
            _ => "",
        };
        w.write_record([
            t.id.as_str(),
            t.name.as_str(),
            &o,
            &m,
            &p,
            dist,
            &level,
            kind,
            &links.join(";"),
            &t.finish_with.join(";"),
            &resources.join(";"),
            &if t.cost == 0.0 {
                String::new()
            } else {
                num(t.cost)
            },
            &info
                .not_before
                .filter(|_| t.not_before.is_some())
                .map_or_else(String::new, |d| d.to_string()),
            &info.source,
            &info.group,
            format!("{status}{range_note}").trim_start_matches("; "),
        ])
        .map_err(csv_error)?;
    }
    w.into_inner().map_err(csv_error)
}

fn resources_csv(s: &Schedule) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "name", "rate", "unit", "hours_per_day"])
        .map_err(csv_error)?;
    for r in &s.project.resources {
        w.write_record([
            r.id.as_str(),
            r.name.as_str(),
            &format!("{}", r.rate),
            match r.unit {
                RateUnit::Hour => "hour",
                RateUnit::Day => "day",
            },
            &format!("{}", r.hours_per_day),
        ])
        .map_err(csv_error)?;
    }
    w.into_inner().map_err(csv_error)
}
