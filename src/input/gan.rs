//! GanttProject (`.gan`): tasks (nested tasks make their parent a summary), milestones,
//! dependencies with lags, the weekly calendar and its holidays, resources with their standard
//! rate, allocations, progress, custom columns for ranges (see docs/format.md, "GanttProject").
//!
//! Units: durations and lags in working days; rates per day; allocation loads in percent.
//! GanttProject places a task without a (strong) dependency at its own start date: p80 keeps
//! that date as the task's start-no-earlier-than, so the plan starts where GanttProject shows
//! it.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::schedule::{self, ImportOptions, Notes, Progress, RawLink, RawSchedule, RawTask};
use super::xml::{self, Element};
use crate::error::Diagnostic;
use crate::model::calendar::parse_date;
use crate::model::{Assignment, Billing, Calendar, LinkKind, RateUnit, Resource, TaskKind};

/// Reads a GanttProject file.
pub fn read(path: &Path, options: &ImportOptions) -> Result<RawSchedule, Vec<Diagnostic>> {
    let text = xml::read_text(path).map_err(|d| vec![d])?;
    let root = xml::parse(path, &text, &["view", "description"]).map_err(|d| vec![d])?;
    if root.name != "project" {
        return Err(vec![Diagnostic::at(
            path,
            root.line,
            None,
            format!(
                "the root element is <{}>, not <project>: this is not a GanttProject file",
                root.name
            ),
        )]);
    }
    let mut notes = Notes::default();
    let mut errors = Vec::new();
    let number = |e: &Element, a: &str, errors: &mut Vec<Diagnostic>| -> Option<f64> {
        let v = e.attr(a)?;
        match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                errors.push(Diagnostic::at(
                    path,
                    e.line,
                    Some(a),
                    format!("`{v}` is not a number"),
                ));
                None
            }
        }
    };

    // Custom columns: name → id.
    let tasks_el = root.child("tasks");
    let props: HashMap<String, String> = tasks_el
        .and_then(|t| t.child("taskproperties"))
        .map(|p| {
            p.children("taskproperty")
                .filter(|p| p.attr("type") == Some("custom"))
                .filter_map(|p| Some((p.attr("name")?.to_lowercase(), p.attr("id")?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let prop_id = |key: &str, name: &str, errors: &mut Vec<Diagnostic>| {
        let id = props.get(&name.to_lowercase()).cloned();
        if id.is_none() {
            errors.push(options.field_error(
                path,
                key,
                format!("{}: the file has no custom column `{name}`", path.display()),
            ));
        }
        id
    };
    let wanted = options.fields(None);
    let mut field_ids: [Option<String>; 3] = [None, None, None];
    if let Some(names) = wanted {
        for (k, name) in names.iter().enumerate() {
            if let Some(name) = name {
                field_ids[k] = prop_id(
                    ["optimistic", "likely", "pessimistic"][k],
                    name,
                    &mut errors,
                );
            }
        }
    }
    let risk_id = options
        .risk_level
        .as_ref()
        .and_then(|n| prop_id("risk_level", n, &mut errors));

    // Tasks, depth first; dependencies are written on the predecessor.
    struct Gan<'e> {
        el: &'e Element,
        parent: Option<String>,
        summary: bool,
        start: Option<NaiveDate>,
    }
    let mut flat: Vec<Gan> = Vec::new();
    fn walk<'e>(el: &'e Element, parent: Option<String>, out: &mut Vec<Gan<'e>>) {
        for t in el.children("task") {
            let id = t.attr("id").unwrap_or("").to_string();
            let summary = t.children("task").next().is_some();
            out.push(Gan {
                el: t,
                parent: parent.clone(),
                summary,
                start: t.attr("start").and_then(parse_date),
            });
            walk(t, Some(id), out);
        }
    }
    if let Some(t) = tasks_el {
        walk(t, None, &mut flat);
    }
    let known: HashMap<&str, usize> = flat
        .iter()
        .enumerate()
        .filter_map(|(i, g)| Some((g.el.attr("id")?, i)))
        .collect();
    // Successor id → links (and whether each is strong).
    let mut incoming: HashMap<String, Vec<(RawLink, bool)>> = HashMap::new();
    for g in &flat {
        let Some(pred) = g.el.attr("id") else {
            continue;
        };
        for d in g.el.children("depend") {
            let Some(succ) = d.attr("id") else { continue };
            if !known.contains_key(succ) {
                errors.push(Diagnostic::at(
                    path,
                    d.line,
                    Some("id"),
                    format!(
                        "task {pred} has a dependency on task {succ}, which is not in the file; \
                         remove the dependency or add the task"
                    ),
                ));
                continue;
            }
            let kind = match d.attr("type").unwrap_or("2") {
                "1" => LinkKind::StartToStart,
                "2" => LinkKind::FinishToStart,
                "3" => LinkKind::FinishToFinish,
                "4" => LinkKind::StartToFinish,
                other => {
                    errors.push(Diagnostic::at(
                        path,
                        d.line,
                        Some("type"),
                        format!("unknown dependency type {other} (1 SS, 2 FS, 3 FF, 4 SF)"),
                    ));
                    continue;
                }
            };
            let lag = number(d, "difference", &mut errors).unwrap_or(0.0);
            let strong = d
                .attr("hardness")
                .is_none_or(|h| h.eq_ignore_ascii_case("strong"));
            incoming.entry(succ.to_string()).or_default().push((
                RawLink {
                    pred: pred.to_string(),
                    kind,
                    lag,
                    line: d.line,
                    field: "depend",
                },
                strong,
            ));
        }
    }
    let zero = flat
        .iter()
        .filter(|g| !g.summary)
        .filter_map(|g| g.start)
        .min();
    let Some(zero) = zero else {
        return Err(vec![Diagnostic::at(
            path,
            tasks_el.map_or(root.line, |t| t.line),
            Some("start"),
            "no task has a start date (YYYY-MM-DD); the file holds no plan to simulate",
        )]);
    };

    // Tasks placed by a strong dependency, their own or a summary's above them.
    let strong: Vec<bool> = flat
        .iter()
        .map(|g| {
            g.el.attr("id")
                .and_then(|k| incoming.get(k))
                .is_some_and(|links| links.iter().any(|(_, s)| *s))
        })
        .collect();
    let placed: Vec<bool> = (0..flat.len())
        .map(|i| {
            let mut at = Some(i);
            let mut guard = 0;
            while let Some(j) = at {
                if strong[j] {
                    return true;
                }
                guard += 1;
                if guard > flat.len() {
                    break;
                }
                at = flat[j]
                    .parent
                    .as_deref()
                    .and_then(|p| known.get(p).copied());
            }
            false
        })
        .collect();
    let mut tasks = Vec::new();
    for (gi, g) in flat.iter().enumerate() {
        let t = g.el;
        let Some(key) = t.attr("id") else {
            errors.push(Diagnostic::at(
                path,
                t.line,
                Some("id"),
                "a task without an id",
            ));
            continue;
        };
        let source = format!("task {key}");
        if g.start.is_none() {
            errors.push(Diagnostic::at(
                path,
                t.line,
                Some("start"),
                format!(
                    "{source}: `{}` is not a date (YYYY-MM-DD)",
                    t.attr("start").unwrap_or("")
                ),
            ));
        }
        let milestone = t.attr("meeting") == Some("true");
        let total = if milestone {
            0.0
        } else {
            number(t, "duration", &mut errors).unwrap_or(0.0)
        };
        if total < 0.0 {
            errors.push(Diagnostic::at(
                path,
                t.line,
                Some("duration"),
                format!("{source}: a negative duration"),
            ));
        }
        let complete = number(t, "complete", &mut errors).unwrap_or(0.0);
        let progress = if complete >= 100.0 {
            Progress::Complete
        } else if complete > 0.0 {
            notes.add(
                "tasks in progress keep the share of their duration not yet complete, from \
                 their own start (a GanttProject file has no status date)",
                source.clone(),
            );
            Progress::InProgress
        } else {
            Progress::NotStarted
        };
        let duration = match progress {
            Progress::Complete => 0.0,
            Progress::InProgress => total * (1.0 - complete / 100.0),
            Progress::NotStarted => total,
        };
        let links: Vec<(RawLink, bool)> = incoming.remove(key).unwrap_or_default();
        // GanttProject keeps a task without a strong dependency (its own or a summary's
        // above it) at its own start.
        let mut not_before = if placed[gi] || g.summary {
            None
        } else {
            g.start
        };
        if t.attr("thirdDate-constraint") == Some("1") {
            not_before = not_before.max(t.attr("thirdDate").and_then(parse_date));
        }
        let values: HashMap<&str, (&str, usize)> = t
            .children("customproperty")
            .filter_map(|c| Some((c.attr("taskproperty-id")?, (c.attr("value")?, c.line))))
            .collect();
        let mut vals = [None; 3];
        for k in 0..3 {
            let Some(id) = field_ids[k].as_deref() else {
                continue;
            };
            if let Some((v, line)) = values.get(id) {
                match v.trim().parse::<f64>() {
                    Ok(x) if x.is_finite() && x >= 0.0 => vals[k] = Some(x),
                    _ => errors.push(Diagnostic::at(
                        path,
                        *line,
                        Some("value"),
                        format!("{source}: `{v}` is not a number of working days >= 0"),
                    )),
                }
            }
        }
        let three_point = vals
            .iter()
            .any(Option::is_some)
            .then_some(schedule::ThreePoint { values: vals });
        let risk_level = risk_id
            .as_deref()
            .and_then(|id| values.get(id))
            .map(|(v, _)| v.to_string());
        let mut cost = 0.0;
        if t.attr("cost-calculated") == Some("false") {
            if let Some(c) = number(t, "cost-manual-value", &mut errors) {
                cost = c.max(0.0);
                notes.add(
                    "manual task costs are read as fixed costs (in addition to resource costs)",
                    source.clone(),
                );
            }
        }
        tasks.push(RawTask {
            key: key.to_string(),
            id: format!("t{key}"),
            source,
            name: t.attr("name").unwrap_or("").to_string(),
            line: t.line,
            parent: g.parent.clone(),
            summary: g.summary,
            kind: if milestone {
                TaskKind::Milestone
            } else {
                TaskKind::Task
            },
            loe_end: Vec::new(),
            progress,
            duration,
            total,
            three_point,
            risk_level,
            links: links.into_iter().map(|(l, _)| l).collect(),
            not_before,
            resources: Vec::new(),
            cost,
        });
    }

    // Resources and allocations.
    let mut resources = Vec::new();
    let mut res_by_id: HashMap<String, String> = HashMap::new();
    let mut taken: Vec<String> = Vec::new();
    if let Some(list) = root.child("resources") {
        for r in list.children("resource") {
            let Some(key) = r.attr("id") else { continue };
            let name = r.attr("name").unwrap_or("");
            let mut id = schedule::sanitize_id(if name.is_empty() { key } else { name });
            if taken.contains(&id) {
                id = format!("{id}_{key}");
            }
            taken.push(id.clone());
            let rate = r
                .children("rate")
                .find(|x| x.attr("name").is_none_or(|n| n == "standard"))
                .and_then(|x| number(x, "value", &mut errors))
                .unwrap_or(0.0);
            resources.push(Resource {
                id: id.clone(),
                name: name.to_string(),
                rate: rate.max(0.0),
                unit: RateUnit::Day,
                hours_per_day: 8.0,
                capacity: None,
                rate_range: None,
                billing: Billing::Task,
                available_from: None,
                available_until: None,
                line: r.line,
            });
            res_by_id.insert(key.to_string(), id);
        }
    }
    let index: HashMap<String, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.key.clone(), i))
        .collect();
    if let Some(list) = root.child("allocations") {
        for a in list.children("allocation") {
            let (Some(tk), Some(rk)) = (a.attr("task-id"), a.attr("resource-id")) else {
                continue;
            };
            let (Some(&ti), Some(id)) = (index.get(tk), res_by_id.get(rk)) else {
                errors.push(Diagnostic::at(
                    path,
                    a.line,
                    Some(if index.contains_key(tk) {
                        "resource-id"
                    } else {
                        "task-id"
                    }),
                    format!(
                        "an allocation of resource {rk} to task {tk}: no such {}",
                        if index.contains_key(tk) {
                            "resource"
                        } else {
                            "task"
                        }
                    ),
                ));
                continue;
            };
            let load = number(a, "load", &mut errors).unwrap_or(100.0);
            if load > 0.0 {
                tasks[ti].resources.push(Assignment {
                    resource: id.clone(),
                    units: load / 100.0,
                });
            }
        }
    }
    if root
        .child("vacations")
        .is_some_and(|v| v.children("vacation").next().is_some())
    {
        notes.once("resource vacations are not read (p80 has one calendar for everyone)");
    }

    // The calendar: the default week and the dated days.
    let mut workdays = crate::model::calendar::MONDAY_TO_FRIDAY;
    let mut holidays = Vec::new();
    let mut extra = Vec::new();
    if let Some(cal) = root.child("calendars") {
        if let Some(week) = cal.child("day-types").and_then(|d| d.child("default-week")) {
            for (i, day) in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
                .iter()
                .enumerate()
            {
                if let Some(v) = week.attr(day) {
                    workdays[i] = v.trim() == "0";
                }
            }
        }
        if !workdays.iter().any(|&w| w) {
            errors.push(Diagnostic::at(
                path,
                cal.line,
                Some("default-week"),
                "no day of the week is a working day",
            ));
        }
        for d in cal.children("date") {
            let month = d.attr("month").and_then(|m| m.parse::<u32>().ok());
            let day = d.attr("date").and_then(|m| m.parse::<u32>().ok());
            let (Some(month), Some(day)) = (month, day) else {
                continue;
            };
            let years: Vec<i32> = match d.attr("year").filter(|y| !y.trim().is_empty()) {
                Some(y) => y.trim().parse().ok().into_iter().collect(),
                // Every year: from the start for 30 years.
                None => (zero.year()..zero.year() + 30).collect(),
            };
            let working = match d.attr("type").unwrap_or("HOLIDAY") {
                "WORKING_DAY" => true,
                "NEUTRAL" => continue,
                _ => false,
            };
            for y in years {
                if let Some(date) = NaiveDate::from_ymd_opt(y, month, day) {
                    if working {
                        extra.push(date);
                    } else {
                        holidays.push(date);
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let calendar = Calendar::new(zero, workdays, holidays)
        .map_err(|e| vec![Diagnostic::file(path, e.to_string())])?
        .with_extra_workdays(extra);
    let name = root
        .attr("name")
        .filter(|n| !n.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| {
            path.file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("project")
                .to_string()
        });
    Ok(RawSchedule {
        file: path.to_path_buf(),
        format: "GanttProject",
        name,
        currency: String::new(),
        calendar,
        tasks,
        resources,
        fields: wanted.map(|n| n.map(|x| x.map(str::to_string))),
        notes,
    })
}
