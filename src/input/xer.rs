//! Primavera P6 XER (`.xer`, File > Export > Primavera PM): tab-separated tables (`%T` table,
//! `%F` fields, `%R` rows, `%E` end), usually Windows-1252. Reads the project, its calendar,
//! WBS (as groups), activities, relationships, resources with their rates, assignments,
//! expenses, user-defined fields, progress and constraints (see docs/format.md, "Primavera
//! P6 XER").
//!
//! Units: durations and lags are hours (`*_hr_cnt`), turned into working days by the hours per
//! day of the activity's calendar (a lag by the calendar the project's scheduling options name);
//! rates are per hour; assignment units per hour (1 = 100 %).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use super::schedule::{self, ImportOptions, Notes, Progress, RawLink, RawSchedule, RawTask};
use crate::error::Diagnostic;
use crate::model::calendar::MONDAY_TO_FRIDAY;
use crate::model::{Assignment, Billing, Calendar, LinkKind, RateUnit, Resource, TaskKind};

/// One XER table: its field names and rows, with lines.
#[derive(Debug, Default)]
struct Table {
    line: usize,
    fields: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Table {
    fn col(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f == name)
    }
}

/// A row with its table, for reading fields by name.
#[derive(Clone, Copy)]
struct Row<'a> {
    table: &'a Table,
    line: usize,
    cells: &'a [String],
}

impl<'a> Row<'a> {
    fn get(&self, name: &str) -> &'a str {
        self.table
            .col(name)
            .and_then(|i| self.cells.get(i))
            .map_or("", |s| s.trim())
    }
    fn num(&self, name: &str) -> Option<f64> {
        self.get(name).parse::<f64>().ok().filter(|v| v.is_finite())
    }
}

fn rows(t: &Table) -> impl Iterator<Item = Row<'_>> {
    t.rows.iter().map(move |(line, cells)| Row {
        table: t,
        line: *line,
        cells,
    })
}

/// Splits the file into its tables.
fn tables(path: &Path, text: &str) -> Result<HashMap<String, Table>, Diagnostic> {
    let mut out: HashMap<String, Table> = HashMap::new();
    let mut current: Option<String> = None;
    let mut ended = false;
    let mut first = true;
    for (i, raw) in text.split('\n').enumerate() {
        let line = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if first {
            first = false;
            if !raw.starts_with("ERMHDR") {
                return Err(Diagnostic::at(
                    path,
                    1,
                    None,
                    "the file does not start with ERMHDR: this is not a Primavera XER file \
                     (export one from P6 with File > Export > Primavera PM (XER))",
                ));
            }
            continue;
        }
        if raw.trim().is_empty() {
            continue;
        }
        let mut cells = raw.split('\t');
        let tag = cells.next().unwrap_or("");
        match tag {
            "%T" => {
                let name = cells.next().unwrap_or("").trim().to_string();
                out.insert(
                    name.clone(),
                    Table {
                        line,
                        ..Table::default()
                    },
                );
                current = Some(name);
            }
            "%F" | "%R" => {
                let Some(t) = current.as_ref().and_then(|n| out.get_mut(n)) else {
                    return Err(Diagnostic::at(
                        path,
                        line,
                        None,
                        format!("a {tag} line before any %T table line; the file is damaged"),
                    ));
                };
                let cells: Vec<String> = cells.map(|c| c.replace("\u{7f}\u{7f}", "\n")).collect();
                if tag == "%F" {
                    t.fields = cells.into_iter().map(|c| c.trim().to_string()).collect();
                } else if t.fields.is_empty() {
                    return Err(Diagnostic::at(
                        path,
                        line,
                        None,
                        "a %R row before the table's %F field line; the file is damaged",
                    ));
                } else {
                    t.rows.push((line, cells));
                }
            }
            "%E" => {
                ended = true;
                break;
            }
            _ => {
                return Err(Diagnostic::at(
                    path,
                    line,
                    None,
                    format!(
                        "a line starting with `{}`, not %T, %F, %R or %E; the file is damaged",
                        tag.chars().take(20).collect::<String>()
                    ),
                ))
            }
        }
    }
    if !ended {
        let lines = text.split('\n').count();
        return Err(Diagnostic::at(
            path,
            lines,
            None,
            "the file ends without the %E line: it is truncated; export it again from P6",
        ));
    }
    Ok(out)
}

/// A node of P6's structured calendar text: `(0||name(key|value|…)(children…))`.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses P6's structured calendar text (hand-written: no crate reads this P6-only syntax;
/// it is a few dozen bytes per day of the week and exception).
fn parse_node(s: &[u8], i: &mut usize, depth: usize) -> Option<Node> {
    let skip_ws = |i: &mut usize| {
        while *i < s.len() && s[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    if depth > 32 {
        return None;
    }
    skip_ws(i);
    if s.get(*i) != Some(&b'(') {
        return None;
    }
    *i += 1;
    while s.get(*i).is_some_and(u8::is_ascii_digit) {
        *i += 1;
    }
    skip_ws(i);
    if s.get(*i..*i + 2) != Some(b"||") {
        return None;
    }
    *i += 2;
    let name_start = *i;
    while s.get(*i).is_some_and(|&c| c != b'(') {
        *i += 1;
    }
    let name = String::from_utf8_lossy(&s[name_start..*i])
        .trim()
        .to_string();
    *i += 1; // '('
    let attr_start = *i;
    while s.get(*i).is_some_and(|&c| c != b')') {
        *i += 1;
    }
    let attr_text = String::from_utf8_lossy(s.get(attr_start..*i)?).to_string();
    *i += 1; // ')'
    let parts: Vec<&str> = attr_text.split('|').collect();
    let attrs = parts
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].trim().to_string(), c[1].trim().to_string()))
        .collect();
    skip_ws(i);
    if s.get(*i) != Some(&b'(') {
        return None;
    }
    *i += 1;
    let mut children = Vec::new();
    loop {
        skip_ws(i);
        match s.get(*i) {
            Some(b')') => {
                *i += 1;
                break;
            }
            Some(b'(') => children.push(parse_node(s, i, depth + 1)?),
            _ => return None,
        }
    }
    skip_ws(i);
    if s.get(*i) != Some(&b')') {
        return None;
    }
    *i += 1;
    Some(Node {
        name,
        attrs,
        children,
    })
}

/// Minutes in `(s|08:00|f|12:00)` ranges (also `8:00 AM` style); 0 for none.
fn range_minutes(node: &Node) -> f64 {
    node.children
        .iter()
        .filter_map(|r| {
            let t = |v: &str| -> Option<f64> {
                let v = v.trim();
                let (time, pm) = match v.split_once(' ') {
                    Some((t, ampm)) => (t, Some(ampm.eq_ignore_ascii_case("pm"))),
                    None => (v, None),
                };
                let (h, m) = time.split_once(':')?;
                let mut h: f64 = h.parse().ok()?;
                let m: f64 = m.parse().ok()?;
                match pm {
                    Some(true) if h < 12.0 => h += 12.0,
                    Some(false) if h == 12.0 => h = 0.0,
                    _ => {}
                }
                Some(h * 60.0 + m)
            };
            let (s, f) = (t(r.attr("s")?)?, t(r.attr("f")?)?);
            let f = if f <= s { f + 1440.0 } else { f };
            Some(f - s)
        })
        .sum()
}

/// A calendar: working weekdays (from Monday), hours per day, exceptions.
#[derive(Debug, Clone)]
struct Cal {
    name: String,
    workdays: [bool; 7],
    hours_per_day: f64,
    holidays: Vec<NaiveDate>,
    extra: Vec<NaiveDate>,
    partial_days: bool,
}

fn calendar(path: &Path, row: Row) -> Result<Cal, Diagnostic> {
    let data = row.get("clndr_data");
    let mut workdays = MONDAY_TO_FRIDAY;
    let mut minutes = [480.0, 480.0, 480.0, 480.0, 480.0, 0.0, 0.0];
    let mut holidays = Vec::new();
    let mut extra = Vec::new();
    let mut partial_days = false;
    if !data.is_empty() {
        let bytes = data.as_bytes();
        let mut i = 0;
        let root = parse_node(bytes, &mut i, 0).ok_or_else(|| {
            Diagnostic::at(
                path,
                row.line,
                Some("clndr_data"),
                format!(
                    "calendar {} ({}): the calendar data cannot be read; export the file again",
                    row.get("clndr_id"),
                    row.get("clndr_name")
                ),
            )
        })?;
        if let Some(week) = root.child("DaysOfWeek") {
            workdays = [false; 7];
            minutes = [0.0; 7];
            for day in &week.children {
                if let Ok(d @ 1..=7) = day.name.parse::<usize>() {
                    let i = (d + 5) % 7; // 1 is Sunday
                    minutes[i] = range_minutes(day);
                    workdays[i] = minutes[i] > 0.0;
                }
            }
        }
        if let Some(list) = root.child("Exceptions") {
            let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date");
            for e in &list.children {
                let Some(serial) = e.attr("d").and_then(|d| d.parse::<u64>().ok()) else {
                    continue;
                };
                let Some(date) = epoch.checked_add_days(chrono::Days::new(serial)) else {
                    continue;
                };
                let m = range_minutes(e);
                if m > 0.0 {
                    extra.push(date);
                    partial_days = true;
                } else {
                    holidays.push(date);
                }
            }
        }
    }
    if !workdays.iter().any(|&w| w) {
        workdays = MONDAY_TO_FRIDAY;
    }
    let worked: Vec<f64> = minutes.iter().copied().filter(|m| *m > 0.0).collect();
    let computed = if worked.is_empty() {
        8.0
    } else {
        worked.iter().sum::<f64>() / worked.len() as f64 / 60.0
    };
    let hours_per_day = row
        .num("day_hr_cnt")
        .filter(|h| *h > 0.0)
        .unwrap_or(computed);
    Ok(Cal {
        name: row.get("clndr_name").to_string(),
        workdays,
        hours_per_day,
        holidays,
        extra,
        partial_days,
    })
}

/// Reads a Primavera P6 XER file.
pub fn read(path: &Path, options: &ImportOptions) -> Result<RawSchedule, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|e| vec![super::source::read_error(path, e)])?;
    let text =
        schedule::decode(path, &bytes, Some(encoding_rs::WINDOWS_1252)).map_err(|d| vec![d])?;
    drop(bytes);
    let tables = tables(path, &text).map_err(|d| vec![d])?;
    let mut notes = Notes::default();
    let mut errors = Vec::new();
    let empty = Table::default();
    let table = |name: &str| tables.get(name).unwrap_or(&empty);
    for name in ["PROJECT", "TASK"] {
        if !tables.contains_key(name) {
            return Err(vec![Diagnostic::file(
                path,
                format!(
                    "the file has no %T {name} table (it holds {}); export the project again \
                     from P6 with its activities",
                    {
                        let mut names: Vec<&str> = tables.keys().map(String::as_str).collect();
                        names.sort_unstable();
                        if names.is_empty() {
                            "no tables".to_string()
                        } else {
                            names.join(", ")
                        }
                    }
                ),
            )]);
        }
    }
    for (name, fields) in [
        ("PROJECT", &["proj_id"][..]),
        ("TASK", &["task_id", "proj_id", "task_code"][..]),
        ("TASKPRED", &["task_id", "pred_task_id", "pred_type"][..]),
    ] {
        if let Some(t) = tables.get(name) {
            for f in fields {
                if t.col(f).is_none() {
                    errors.push(Diagnostic::at(
                        path,
                        t.line + 1,
                        Some(f),
                        format!("the {name} table has no field {f}"),
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // The project: the one exported (export_flag Y), else the first.
    let projects: Vec<Row> = rows(table("PROJECT")).collect();
    let Some(project) = projects
        .iter()
        .find(|p| p.get("export_flag") == "Y")
        .or(projects.first())
        .copied()
    else {
        return Err(vec![Diagnostic::file(
            path,
            "the PROJECT table has no project",
        )]);
    };
    let proj_id = project.get("proj_id").to_string();
    for p in &projects {
        if p.get("proj_id") != proj_id {
            notes.add(
                "the file holds several projects; p80 reads one",
                format!("{} left out", p.get("proj_short_name")),
            );
        }
    }

    // Calendars.
    let mut calendars: HashMap<String, Cal> = HashMap::new();
    for row in rows(table("CALENDAR")) {
        match calendar(path, row) {
            Ok(c) => {
                calendars.insert(row.get("clndr_id").to_string(), c);
            }
            Err(d) => errors.push(d),
        }
    }
    let unknown_calendar = |id: &str, row: Row, table_name: &str| {
        let has = tables.contains_key("CALENDAR");
        Diagnostic::at(
            path,
            row.line,
            Some("clndr_id"),
            if has {
                format!("unknown calendar id {id} in the {table_name} table: the CALENDAR table has no such calendar")
            } else {
                format!("calendar id {id} in the {table_name} table, but the file has no %T CALENDAR table")
            },
        )
    };
    let project_cal_id = project.get("clndr_id").to_string();
    let project_cal = if project_cal_id.is_empty() {
        rows(table("CALENDAR"))
            .find(|r| r.get("default_flag") == "Y")
            .and_then(|r| calendars.get(r.get("clndr_id")).cloned())
    } else {
        match calendars.get(&project_cal_id) {
            Some(c) => Some(c.clone()),
            None => {
                errors.push(unknown_calendar(&project_cal_id, project, "PROJECT"));
                None
            }
        }
    };
    let project_cal = project_cal.unwrap_or(Cal {
        name: "Monday to Friday".into(),
        workdays: MONDAY_TO_FRIDAY,
        hours_per_day: 8.0,
        holidays: Vec::new(),
        extra: Vec::new(),
        partial_days: false,
    });
    if project_cal.partial_days {
        notes.once(
            "calendar exceptions that change a day's working hours count as whole working days",
        );
    }
    let working_per_week = project_cal.workdays.iter().filter(|&&w| w).count() as f64;

    // Time zero: the data date (when after the planned start).
    let plan_start = schedule::date_part(project.get("plan_start_date"));
    let data_date = schedule::date_part(project.get("last_recalc_date"));
    let zero = match (plan_start, data_date) {
        (Some(p), Some(d)) => p.max(d),
        (Some(p), None) => p,
        (None, Some(d)) => d,
        (None, None) => {
            return Err(vec![Diagnostic::at(
                path,
                project.line,
                Some("plan_start_date"),
                "the project has neither a planned start nor a data date",
            )])
        }
    };
    let lag_calendar = rows(table("SCHEDOPTIONS"))
        .find(|r| r.get("proj_id") == proj_id)
        .map(|r| r.get("sched_calendar_on_relationship_lag").to_string())
        .unwrap_or_default();

    // WBS: groups (summary tasks in p80's terms).
    let mut tasks: Vec<RawTask> = Vec::new();
    let mut wbs_parent: HashMap<String, String> = HashMap::new();
    for w in rows(table("PROJWBS")).filter(|w| w.get("proj_id") == proj_id) {
        if w.get("proj_node_flag") == "Y" {
            continue;
        }
        let id = w.get("wbs_id").to_string();
        wbs_parent.insert(id.clone(), w.get("parent_wbs_id").to_string());
        tasks.push(RawTask {
            key: format!("wbs {id}"),
            id: String::new(),
            source: format!("WBS {}", w.get("wbs_short_name")),
            name: w.get("wbs_name").to_string(),
            line: w.line,
            parent: None,
            summary: true,
            kind: TaskKind::Task,
            loe_end: Vec::new(),
            progress: Progress::NotStarted,
            duration: 0.0,
            total: 0.0,
            three_point: None,
            risk_level: None,
            links: Vec::new(),
            not_before: None,
            resources: Vec::new(),
            cost: 0.0,
        });
    }
    for t in &mut tasks {
        let id = t.key.trim_start_matches("wbs ").to_string();
        t.parent = wbs_parent
            .get(&id)
            .filter(|p| wbs_parent.contains_key(*p))
            .map(|p| format!("wbs {p}"));
    }

    // User-defined fields for ranges.
    let udf_types: Vec<Row> = rows(table("UDFTYPE"))
        .filter(|r| r.get("table_name") == "TASK")
        .collect();
    let udf_id = |name: &str| -> Option<String> {
        udf_types
            .iter()
            .find(|r| {
                r.get("udf_type_label").eq_ignore_ascii_case(name)
                    || r.get("udf_type_name").eq_ignore_ascii_case(name)
            })
            .map(|r| r.get("udf_type_id").to_string())
    };
    let wanted = options.fields(None);
    let mut field_ids: [Option<String>; 3] = [None, None, None];
    if let Some(names) = wanted {
        for (k, name) in names.iter().enumerate() {
            if let Some(name) = name {
                field_ids[k] = udf_id(name);
                if field_ids[k].is_none() {
                    errors.push(options.field_error(
                        path,
                        ["optimistic", "likely", "pessimistic"][k],
                        format!(
                            "{}: the file defines no activity user-defined field `{name}`",
                            path.display()
                        ),
                    ));
                }
            }
        }
    }
    let risk_id = options.risk_level.as_ref().and_then(|name| {
        let id = udf_id(name);
        if id.is_none() {
            errors.push(options.field_error(
                path,
                "risk_level",
                format!(
                    "{}: the file defines no activity user-defined field `{name}`",
                    path.display()
                ),
            ));
        }
        id
    });
    // (udf type, task_id) → (value text, line)
    let mut udf: HashMap<(String, String), (String, usize)> = HashMap::new();
    if field_ids.iter().any(Option::is_some) || risk_id.is_some() {
        for v in rows(table("UDFVALUE")) {
            let value = [v.get("udf_number"), v.get("udf_text")]
                .into_iter()
                .find(|s| !s.is_empty())
                .unwrap_or("")
                .to_string();
            udf.insert(
                (v.get("udf_type_id").to_string(), v.get("fk_id").to_string()),
                (value, v.line),
            );
        }
    }

    // Activities.
    let mut wbs_members: HashMap<String, Vec<String>> = HashMap::new();
    let mut hours_of_task: HashMap<String, f64> = HashMap::new();
    let mut wbs_summaries: Vec<(usize, String)> = Vec::new();
    for t in rows(table("TASK")).filter(|t| t.get("proj_id") == proj_id) {
        let key = t.get("task_id").to_string();
        let code = t.get("task_code");
        let source = format!("activity {code}");
        let cal_id = t.get("clndr_id");
        let hours = if cal_id.is_empty() {
            project_cal.hours_per_day
        } else {
            match calendars.get(cal_id) {
                Some(c) => {
                    if cal_id != project_cal_id {
                        notes.add(
                            "activities on a calendar other than the project's are scheduled \
                             on the project calendar (their hours per day convert their \
                             durations)",
                            format!("{code} on {}", c.name),
                        );
                    }
                    c.hours_per_day
                }
                None => {
                    errors.push(unknown_calendar(cal_id, t, "TASK"));
                    continue;
                }
            }
        };
        hours_of_task.insert(key.clone(), hours);
        let progress = match t.get("status_code") {
            "TK_Complete" => Progress::Complete,
            "TK_Active" => Progress::InProgress,
            _ => Progress::NotStarted,
        };
        let target = t.num("target_drtn_hr_cnt").unwrap_or(0.0) / hours;
        let remaining = t.num("remain_drtn_hr_cnt").map(|h| h / hours);
        let duration = match progress {
            Progress::Complete => 0.0,
            _ => remaining.unwrap_or(target),
        };
        if duration < 0.0 {
            errors.push(Diagnostic::at(
                path,
                t.line,
                Some("remain_drtn_hr_cnt"),
                format!("{source}: a negative duration"),
            ));
            continue;
        }
        let wbs = t.get("wbs_id").to_string();
        let parent = wbs_parent.contains_key(&wbs).then(|| format!("wbs {wbs}"));
        let kind = match t.get("task_type") {
            "TT_Mile" | "TT_FinMile" => TaskKind::Milestone,
            "TT_LOE" => TaskKind::LevelOfEffort,
            "TT_WBS" => {
                wbs_summaries.push((tasks.len(), wbs.clone()));
                TaskKind::LevelOfEffort
            }
            _ => TaskKind::Task,
        };
        if kind != TaskKind::LevelOfEffort {
            wbs_members
                .entry(wbs.clone())
                .or_default()
                .push(key.clone());
        }
        // Constraints.
        let mut not_before = None;
        if progress == Progress::NotStarted {
            for (ty, date) in [("cstr_type", "cstr_date"), ("cstr_type2", "cstr_date2")] {
                let c = t.get(ty);
                let d = schedule::date_part(t.get(date));
                match c {
                    "" => {}
                    "CS_MSOA" => not_before = not_before.max(d),
                    "CS_ALAP" => notes.add(
                        "as-late-as-possible activities are scheduled as soon as possible",
                        code.to_string(),
                    ),
                    other => notes.add(
                        "constraints other than start on or after are ignored",
                        format!(
                            "{code} {}{}",
                            other.trim_start_matches("CS_"),
                            d.map(|d| format!(" {d}")).unwrap_or_default()
                        ),
                    ),
                }
            }
        }
        let value = |k: &Option<String>| -> Option<(String, usize)> {
            k.as_ref()
                .and_then(|id| udf.get(&(id.clone(), key.clone())))
                .cloned()
        };
        let mut vals = [None; 3];
        for k in 0..3 {
            if let Some((v, line)) = value(&field_ids[k]) {
                match v.parse::<f64>() {
                    Ok(x) if x.is_finite() && x >= 0.0 => vals[k] = Some(x),
                    _ => errors.push(Diagnostic::at(
                        path,
                        line,
                        Some("udf_number"),
                        format!("{source}: `{v}` is not a number of working days >= 0"),
                    )),
                }
            }
        }
        let three_point = vals
            .iter()
            .any(Option::is_some)
            .then_some(schedule::ThreePoint { values: vals });
        let risk_level = value(&risk_id).map(|(v, _)| v);
        tasks.push(RawTask {
            key,
            id: code.to_string(),
            source,
            name: t.get("task_name").to_string(),
            line: t.line,
            parent,
            summary: false,
            kind,
            loe_end: Vec::new(),
            progress,
            duration,
            total: target,
            three_point,
            risk_level,
            links: Vec::new(),
            not_before,
            resources: Vec::new(),
            cost: 0.0,
        });
    }
    // A WBS summary activity lasts as long as the activities of its WBS (and below).
    for (i, wbs) in wbs_summaries {
        let mut ends = Vec::new();
        for (w, members) in &wbs_members {
            let mut p = Some(w.clone());
            let mut guard = 0;
            while let Some(x) = p {
                if x == wbs {
                    ends.extend(members.iter().cloned());
                    break;
                }
                guard += 1;
                if guard > 64 {
                    break;
                }
                p = wbs_parent.get(&x).cloned();
            }
        }
        ends.sort_unstable();
        tasks[i].loe_end = ends;
        notes.add(
            "WBS summary activities are levels of effort lasting until the last activity of \
             their WBS",
            tasks[i].source.clone(),
        );
    }
    let index: HashMap<String, usize> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.key.clone(), i))
        .collect();

    // Relationships.
    for r in rows(table("TASKPRED")) {
        let succ = r.get("task_id");
        let Some(&si) = index.get(succ) else { continue };
        let pred_proj = r.get("pred_proj_id");
        if !pred_proj.is_empty() && pred_proj != proj_id {
            notes.add(
                "relationships with activities of other projects are left out",
                format!("{} on task_id {}", tasks[si].source, r.get("pred_task_id")),
            );
            continue;
        }
        let kind = match r.get("pred_type") {
            "PR_FS" => LinkKind::FinishToStart,
            "PR_SS" => LinkKind::StartToStart,
            "PR_FF" => LinkKind::FinishToFinish,
            "PR_SF" => LinkKind::StartToFinish,
            other => {
                errors.push(Diagnostic::at(
                    path,
                    r.line,
                    Some("pred_type"),
                    format!("unknown relationship type `{other}`; P6 writes PR_FS, PR_SS, PR_FF or PR_SF"),
                ));
                continue;
            }
        };
        let pred = r.get("pred_task_id").to_string();
        let hours = r.num("lag_hr_cnt").unwrap_or(0.0);
        let lag = match lag_calendar.as_str() {
            "rcal_24Hour" => {
                if hours != 0.0 {
                    notes.once(
                        "lags on the 24-hour calendar (scheduling option) are read as the \
                         working days they span",
                    );
                }
                hours / 24.0 * working_per_week / 7.0
            }
            "rcal_Successor" => hours / hours_of_task.get(succ).copied().unwrap_or(8.0),
            "rcal_Project" => hours / project_cal.hours_per_day,
            _ => {
                hours
                    / hours_of_task
                        .get(&pred)
                        .copied()
                        .unwrap_or(project_cal.hours_per_day)
            }
        };
        tasks[si].links.push(RawLink {
            pred,
            kind,
            lag,
            line: r.line,
            field: "pred_task_id",
        });
    }

    // Resources and their rates (the rate in force at time zero).
    let mut rates: HashMap<String, Vec<(Option<NaiveDate>, f64)>> = HashMap::new();
    for r in rows(table("RSRCRATE")) {
        rates
            .entry(r.get("rsrc_id").to_string())
            .or_default()
            .push((
                schedule::date_part(r.get("start_date")),
                r.num("cost_per_qty").unwrap_or(0.0),
            ));
    }
    let mut resources = Vec::new();
    let mut res_by_id: HashMap<String, (String, bool, f64)> = HashMap::new(); // id → (p80 id, material, rate)
    let mut taken: Vec<String> = Vec::new();
    for r in rows(table("RSRC")) {
        let key = r.get("rsrc_id").to_string();
        let short = r.get("rsrc_short_name");
        let mut id = schedule::sanitize_id(if short.is_empty() { &key } else { short });
        if taken.contains(&id) {
            id = format!("{id}_{key}");
        }
        taken.push(id.clone());
        let mut list = rates.get(&key).cloned().unwrap_or_default();
        list.sort_by_key(|(d, _)| *d);
        let rate = list
            .iter()
            .rev()
            .find(|(d, _)| d.is_none_or(|d| d <= zero))
            .or(list.first())
            .map_or(0.0, |(_, r)| *r);
        if list.len() > 1 {
            notes.add(
                "resources with rates for later dates are costed at the rate in force at the \
                 start",
                id.clone(),
            );
        }
        let material = r.get("rsrc_type") == "RT_Mat";
        if material {
            notes.add(
                "material resources are read as fixed costs of their activities",
                id.clone(),
            );
        } else {
            resources.push(Resource {
                id: id.clone(),
                name: r.get("rsrc_name").to_string(),
                rate: rate.max(0.0),
                unit: RateUnit::Hour,
                hours_per_day: project_cal.hours_per_day.min(24.0),
                capacity: None,
                rate_range: None,
                billing: Billing::Task,
                available_from: None,
                available_until: None,
                line: r.line,
            });
        }
        res_by_id.insert(key, (id, material, rate));
    }
    for a in rows(table("TASKRSRC")) {
        let Some(&ti) = index.get(a.get("task_id")) else {
            continue;
        };
        let task = &mut tasks[ti];
        let Some((id, material, rate)) = res_by_id.get(a.get("rsrc_id")) else {
            if a.get("rsrc_id").is_empty() {
                notes.add(
                    "assignments of a role without a resource are left out",
                    task.source.clone(),
                );
            }
            continue;
        };
        let actual = a.num("act_reg_cost").unwrap_or(0.0) + a.num("act_ot_cost").unwrap_or(0.0);
        if *material {
            let at_completion = actual + a.num("remain_cost").unwrap_or(0.0);
            task.cost += if at_completion > 0.0 {
                at_completion
            } else {
                a.num("target_cost").unwrap_or(0.0)
            };
            continue;
        }
        task.cost += actual;
        if a.num("cost_per_qty")
            .is_some_and(|c| (c - rate).abs() > 1e-9)
        {
            notes.add(
                "assignments with a rate of their own (a role's, or a custom one) are costed \
                 at the resource's rate",
                format!("{id} on {}", task.code()),
            );
        }
        let units = a
            .num("remain_qty_per_hr")
            .or_else(|| a.num("target_qty_per_hr"))
            .unwrap_or(1.0);
        if units > 0.0 {
            task.resources.push(Assignment {
                resource: id.clone(),
                units,
            });
        }
    }
    // Expenses: fixed costs.
    for c in rows(table("PROJCOST")) {
        let Some(&ti) = index.get(c.get("task_id")) else {
            continue;
        };
        let at_completion = c.num("act_cost").unwrap_or(0.0) + c.num("remain_cost").unwrap_or(0.0);
        tasks[ti].cost += if at_completion > 0.0 {
            at_completion
        } else {
            c.num("target_cost").unwrap_or(0.0)
        };
    }
    if rows(table("RSRC")).any(|r| r.get("def_qty_per_hr").parse::<f64>().is_ok()) {
        notes.once(
            "resource maximum units are not read: p80 levels only resources given a capacity in \
             resources.csv (the file's dates are not levelled either)",
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let calendar = Calendar::new(zero, project_cal.workdays, project_cal.holidays.clone())
        .map_err(|e| vec![Diagnostic::file(path, e.to_string())])?
        .with_extra_workdays(project_cal.extra.clone());
    let currency = rows(table("CURRTYPE"))
        .next()
        .map(|c| c.get("curr_short_name").to_string())
        .unwrap_or_default();
    let name = rows(table("PROJWBS"))
        .find(|w| w.get("proj_id") == proj_id && w.get("proj_node_flag") == "Y")
        .map(|w| w.get("wbs_name").to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| project.get("proj_short_name").to_string());
    Ok(RawSchedule {
        file: path.to_path_buf(),
        format: "Primavera P6 XER",
        name,
        currency,
        calendar,
        tasks,
        resources,
        fields: wanted.map(|n| n.map(|x| x.map(str::to_string))),
        notes,
    })
}

impl RawTask {
    /// The activity id in messages.
    fn code(&self) -> &str {
        self.source.trim_start_matches("activity ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_text() {
        let s = b"(0||CalendarData()((0||DaysOfWeek()((0||1()())(0||2()((0||0(s|08:00|f|12:00)())(0||1(s|13:00|f|17:00)())))))(0||Exceptions()((0||0(d|43650)())(0||1(d|43651)((0||0(s|8:00 AM|f|4:00 PM)())))))))";
        let mut i = 0;
        let root = parse_node(s, &mut i, 0).unwrap();
        let week = root.child("DaysOfWeek").unwrap();
        assert_eq!(range_minutes(&week.children[0]), 0.0);
        assert_eq!(range_minutes(&week.children[1]), 480.0);
        let ex = root.child("Exceptions").unwrap();
        assert_eq!(ex.children[0].attr("d"), Some("43650"));
        assert_eq!(range_minutes(&ex.children[1]), 480.0);
        let mut i = 0;
        assert!(parse_node(b"(0||CalendarData()((0||", &mut i, 0).is_none());
    }
}
