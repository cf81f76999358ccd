//! MS Project XML (MSPDI, `.xml`, as MS Project saves with File > Save As > XML): tasks,
//! summary tasks, milestones, links with lags, the project calendar, resources and
//! assignments, progress, constraints and the PERT fields (see docs/format.md, "MS Project
//! XML").
//!
//! Units: durations are ISO 8601 durations of working time (`PT8H0M0S`); lags are tenths of a
//! minute of working time (`LinkLag` 4800 = one 8-hour day); costs are in cents; rates per
//! hour; assignment units 1 = 100 %. Working days have the project calendar's working minutes
//! per day (`MinutesPerDay` when its days differ).

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use super::schedule::{self, ImportOptions, Notes, Progress, RawLink, RawSchedule, RawTask};
use super::xml::{self, Element};
use crate::error::Diagnostic;
use crate::model::calendar::MONDAY_TO_FRIDAY;
use crate::model::{Assignment, Billing, Calendar, LinkKind, RateUnit, Resource, TaskKind};

/// MS Project's PERT fields, read as optimistic, expected and pessimistic durations unless
/// `[import]` names others.
pub const PERT_FIELDS: [&str; 3] = ["Duration1", "Duration2", "Duration3"];

/// Field ids of the PERT fields, for files that use them without defining them.
const PERT_FIELD_IDS: [(&str, &str); 3] = [
    ("188743783", "Duration1"),
    ("188743784", "Duration2"),
    ("188743785", "Duration3"),
];

/// Reads an MS Project XML file.
pub fn read(path: &Path, options: &ImportOptions) -> Result<RawSchedule, Vec<Diagnostic>> {
    let text = xml::read_text(path).map_err(|d| vec![d])?;
    let root = xml::parse(path, &text, &["TimephasedData", "Baseline"]).map_err(|d| vec![d])?;
    drop(text);
    if root.name != "Project" {
        return Err(vec![Diagnostic::at(
            path,
            root.line,
            None,
            format!(
                "the root element is <{}>, not <Project>: this is not an MS Project XML file",
                root.name
            ),
        )]);
    }
    Reader {
        path,
        options,
        notes: Notes::default(),
        errors: Vec::new(),
    }
    .project(&root)
}

struct Reader<'a> {
    path: &'a Path,
    options: &'a ImportOptions,
    notes: Notes,
    errors: Vec<Diagnostic>,
}

/// Minutes of an ISO 8601 duration (`PT8H30M0S`, `P1DT2H`; a day is 24 hours).
pub fn duration_minutes(s: &str) -> Option<f64> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let s = s.strip_prefix('P')?;
    let mut minutes = 0.0;
    let mut in_time = false;
    let mut number = String::new();
    let mut any = false;
    for c in s.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' | '.' => number.push(c),
            unit => {
                let v: f64 = number.parse().ok()?;
                number.clear();
                any = true;
                minutes += v * match (unit, in_time) {
                    ('Y', false) => 365.0 * 1440.0,
                    ('M', false) => 30.0 * 1440.0,
                    ('W', false) => 7.0 * 1440.0,
                    ('D', false) => 1440.0,
                    ('H', true) => 60.0,
                    ('M', true) => 1.0,
                    ('S', true) => 1.0 / 60.0,
                    _ => return None,
                };
            }
        }
    }
    (any && number.is_empty() && minutes.is_finite()).then_some(if neg {
        -minutes
    } else {
        minutes
    })
}

fn number(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

fn flag(e: &Element, name: &str) -> bool {
    matches!(e.text_of(name), Some("1") | Some("true"))
}

/// `HH:MM:SS` as minutes after midnight (24:00 for `00:00:00` as an end).
fn minutes_of_day(s: &str, end: bool) -> Option<f64> {
    let mut parts = s.trim().split(':');
    let h: f64 = parts.next()?.parse().ok()?;
    let m: f64 = parts.next().unwrap_or("0").parse().ok()?;
    let v = h * 60.0 + m;
    Some(if end && v == 0.0 { 1440.0 } else { v })
}

fn working_minutes(e: &Element) -> f64 {
    e.child("WorkingTimes")
        .map(|w| {
            w.children("WorkingTime")
                .filter_map(|t| {
                    let from = minutes_of_day(t.text_of("FromTime")?, false)?;
                    let to = minutes_of_day(t.text_of("ToTime")?, true)?;
                    Some((to - from).max(0.0))
                })
                .sum()
        })
        .unwrap_or(0.0)
}

/// Lag formats whose lag is calendar (elapsed) time.
const ELAPSED_FORMATS: [u32; 12] = [4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52];
/// Lag formats whose lag is a percentage of the predecessor's duration.
const PERCENT_FORMATS: [u32; 4] = [19, 20, 51, 52];

/// A calendar as the reader resolves it: working weekdays (with minutes), holidays, extra days.
struct CalendarDays {
    minutes: [f64; 7],
    holidays: Vec<NaiveDate>,
    extra: Vec<NaiveDate>,
}

impl Reader<'_> {
    fn err(&mut self, line: usize, field: &str, message: String) {
        self.errors
            .push(Diagnostic::at(self.path, line, Some(field), message));
    }

    fn project(mut self, root: &Element) -> Result<RawSchedule, Vec<Diagnostic>> {
        let path = self.path;
        let start = match root.text_of("StartDate").map(schedule::date_part) {
            Some(Some(d)) => d,
            Some(None) => {
                let line = root.child("StartDate").map_or(root.line, |c| c.line);
                return Err(vec![Diagnostic::at(
                    path,
                    line,
                    Some("StartDate"),
                    "is not a date-time (YYYY-MM-DDTHH:MM:SS)",
                )]);
            }
            None => {
                return Err(vec![Diagnostic::at(
                    path,
                    root.line,
                    Some("StartDate"),
                    "the project has no start date; save the file again from MS Project",
                )])
            }
        };
        let minutes_per_day_setting = root
            .text_of("MinutesPerDay")
            .and_then(number)
            .filter(|m| *m > 0.0)
            .unwrap_or(480.0);

        // Calendars.
        let calendars: HashMap<String, &Element> = root
            .child("Calendars")
            .map(|c| {
                c.children("Calendar")
                    .filter_map(|c| Some((c.text_of("UID")?.to_string(), c)))
                    .collect()
            })
            .unwrap_or_default();
        let project_cal_uid = root.text_of("CalendarUID").map(str::to_string);
        let days = match &project_cal_uid {
            Some(uid) => match calendars.get(uid) {
                Some(c) => self.calendar_days(c, &calendars),
                None => {
                    let line = root.child("CalendarUID").map_or(root.line, |c| c.line);
                    return Err(vec![Diagnostic::at(
                        path,
                        line,
                        Some("CalendarUID"),
                        format!(
                            "unknown calendar id {uid}: the file has no <Calendar> with this UID"
                        ),
                    )]);
                }
            },
            None => CalendarDays {
                minutes: [480.0, 480.0, 480.0, 480.0, 480.0, 0.0, 0.0],
                holidays: Vec::new(),
                extra: Vec::new(),
            },
        };
        let worked: Vec<f64> = days.minutes.iter().copied().filter(|m| *m > 0.0).collect();
        let minutes_per_day = match worked.first() {
            Some(&m) if worked.iter().all(|&x| x == m) => m,
            _ => minutes_per_day_setting,
        };
        let workdays = {
            let w = days.minutes.map(|m| m > 0.0);
            if w.iter().any(|&x| x) {
                w
            } else {
                MONDAY_TO_FRIDAY
            }
        };
        let working_per_week = workdays.iter().filter(|&&w| w).count() as f64;
        let elapsed_days = |minutes: f64| minutes / 1440.0 * working_per_week / 7.0;

        // Custom fields: FieldID → names (FieldName and Alias).
        let mut field_names: HashMap<String, Vec<String>> = PERT_FIELD_IDS
            .iter()
            .map(|(id, name)| (id.to_string(), vec![name.to_string()]))
            .collect();
        if let Some(list) = root.child("ExtendedAttributes") {
            for ea in list.children("ExtendedAttribute") {
                if let Some(id) = ea.text_of("FieldID") {
                    let names = field_names.entry(id.to_string()).or_default();
                    for n in [ea.text_of("FieldName"), ea.text_of("Alias")]
                        .into_iter()
                        .flatten()
                    {
                        if !names.iter().any(|x| x.eq_ignore_ascii_case(n)) {
                            names.push(n.to_string());
                        }
                    }
                }
            }
        }
        let field_id = |name: &str| -> Option<String> {
            field_names
                .iter()
                .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
                .map(|(id, _)| id.clone())
        };
        let wanted = self.options.fields(Some(PERT_FIELDS));
        let explicit = self.options.optimistic.is_some();
        let mut field_ids: [Option<String>; 3] = [None, None, None];
        if let Some(names) = wanted {
            for (k, name) in names.iter().enumerate() {
                if let Some(name) = name {
                    field_ids[k] = field_id(name);
                    if field_ids[k].is_none() && explicit {
                        let key = ["optimistic", "likely", "pessimistic"][k];
                        self.errors.push(self.options.field_error(
                            path,
                            key,
                            format!("{}: the file defines no field `{name}`", path.display()),
                        ));
                    }
                }
            }
        }
        let risk_id = match &self.options.risk_level {
            Some(name) => match field_id(name) {
                Some(id) => Some(id),
                None => {
                    self.errors.push(self.options.field_error(
                        path,
                        "risk_level",
                        format!("{}: the file defines no field `{name}`", path.display()),
                    ));
                    None
                }
            },
            None => None,
        };
        let fields_read = wanted.map(|n| n.map(|x| x.map(str::to_string)));

        // Resources.
        let mut resources: Vec<Resource> = Vec::new();
        // UID → (id, kind: 1 work / 0 material / 2 cost, cost per use)
        let mut res_by_uid: HashMap<String, (String, u32, f64)> = HashMap::new();
        let mut taken: Vec<String> = Vec::new();
        let hours_per_day = minutes_per_day / 60.0;
        if let Some(list) = root.child("Resources") {
            for r in list.children("Resource") {
                let Some(uid) = r.text_of("UID") else {
                    continue;
                };
                let name = r.text_of("Name").unwrap_or("");
                if flag(r, "IsNull") || (name.is_empty() && uid == "0") {
                    continue;
                }
                let mut id = schedule::sanitize_id(if name.is_empty() { uid } else { name });
                if taken.contains(&id) {
                    id = format!("{id}_{uid}");
                }
                taken.push(id.clone());
                let kind = r
                    .text_of("Type")
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(1u32);
                let cost_per_use = r.text_of("CostPerUse").and_then(number).unwrap_or(0.0) / 100.0;
                let rate = r.text_of("StandardRate").and_then(number).unwrap_or(0.0);
                if rate < 0.0 {
                    self.err(r.line, "StandardRate", format!("{rate} is negative"));
                }
                if r.child("Rates")
                    .is_some_and(|rs| rs.children("Rate").count() > 1)
                {
                    self.notes.add(
                        "rate tables with rates for later dates are not read (p80 uses the \
                         standard rate)",
                        id.clone(),
                    );
                }
                if kind == 1 {
                    if let Some(cal) = r.text_of("CalendarUID").and_then(|u| calendars.get(u)) {
                        let base = cal.text_of("BaseCalendarUID");
                        let own_days = cal
                            .child("WeekDays")
                            .is_some_and(|w| w.children("WeekDay").count() > 0)
                            || cal.child("Exceptions").is_some();
                        if own_days || (base.is_some() && base != project_cal_uid.as_deref()) {
                            self.notes.add(
                                "resources with a calendar of their own (other working days or \
                                 hours) work on the project calendar in p80",
                                id.clone(),
                            );
                        }
                    }
                    resources.push(Resource {
                        id: id.clone(),
                        name: name.to_string(),
                        rate: rate.max(0.0),
                        unit: RateUnit::Hour,
                        hours_per_day,
                        capacity: None,
                        rate_range: None,
                        billing: Billing::Task,
                        available_from: None,
                        available_until: None,
                        line: r.line,
                    });
                } else {
                    self.notes.add(
                        "material and cost resources are read as fixed costs of their tasks",
                        id.clone(),
                    );
                }
                if r.text_of("MaxUnits").is_some() {
                    self.notes.once(
                        "resource maximum units are not read: p80 levels only resources given a \
                         capacity in resources.csv (the file's dates are not levelled either)",
                    );
                }
                res_by_uid.insert(uid.to_string(), (id, kind, cost_per_use));
            }
        }

        // Tasks.
        let mut tasks: Vec<RawTask> = Vec::new();
        let mut percent_lags: Vec<(usize, usize, f64)> = Vec::new(); // (task, link, percent)
        let mut outline: Vec<(u32, String)> = Vec::new();
        let mut skipped: HashMap<String, &'static str> = HashMap::new();
        let mut any_progress = false;
        let task_list: Vec<&Element> = root
            .child("Tasks")
            .map(|t| t.children("Task").collect())
            .unwrap_or_default();
        for t in &task_list {
            let Some(uid) = t.text_of("UID") else {
                self.err(t.line, "UID", "a task without a UID".to_string());
                continue;
            };
            let level: u32 = t
                .text_of("OutlineLevel")
                .and_then(|l| l.parse().ok())
                .unwrap_or(1);
            if flag(t, "IsNull") {
                skipped.insert(uid.to_string(), "empty");
                continue;
            }
            if level == 0 || uid == "0" && flag(t, "Summary") {
                continue; // the project summary task
            }
            while outline.last().is_some_and(|(l, _)| *l >= level) {
                outline.pop();
            }
            let parent = outline.last().map(|(_, k)| k.clone());
            outline.push((level, uid.to_string()));
            let source = format!("UID {uid}");
            if matches!(t.text_of("Active"), Some("0")) {
                self.notes.add(
                    "inactive tasks are left out, with their links",
                    source.clone(),
                );
                skipped.insert(uid.to_string(), "inactive");
                continue;
            }
            if flag(t, "IsExternalTask") {
                self.notes.add(
                    "external tasks (from other projects) are left out, with their links",
                    source.clone(),
                );
                skipped.insert(uid.to_string(), "external");
                continue;
            }
            let name = t.text_of("Name").unwrap_or("").to_string();
            let summary = flag(t, "Summary");
            let dur_format: u32 = t
                .text_of("DurationFormat")
                .and_then(|f| f.parse().ok())
                .unwrap_or(7);
            let elapsed = ELAPSED_FORMATS.contains(&dur_format);
            let to_days = |minutes: f64| {
                if elapsed {
                    elapsed_days(minutes)
                } else {
                    minutes / minutes_per_day
                }
            };
            let mut read_duration = |field: &str| -> Option<f64> {
                let text = t.text_of(field)?;
                match duration_minutes(text) {
                    Some(m) if m >= 0.0 => Some(to_days(m)),
                    _ => {
                        let line = t.child(field).map_or(t.line, |c| c.line);
                        self.errors.push(Diagnostic::at(
                            path,
                            line,
                            Some(field),
                            format!("{source}: `{text}` is not a duration (PT8H0M0S)"),
                        ));
                        None
                    }
                }
            };
            let total = read_duration("Duration").unwrap_or(0.0);
            let remaining = read_duration("RemainingDuration");
            if elapsed && !summary {
                self.notes.add(
                    "elapsed durations (calendar time) are read as the working days they span",
                    source.clone(),
                );
            }
            let percent = t.text_of("PercentComplete").and_then(number).unwrap_or(0.0);
            let progress = if percent >= 100.0 || t.text_of("ActualFinish").is_some() {
                Progress::Complete
            } else if percent > 0.0 || t.text_of("ActualStart").is_some() {
                Progress::InProgress
            } else {
                Progress::NotStarted
            };
            if progress != Progress::NotStarted && !summary {
                any_progress = true;
            }
            let duration = match progress {
                Progress::Complete => 0.0,
                Progress::InProgress => remaining.unwrap_or(total * (1.0 - percent / 100.0)),
                Progress::NotStarted => total,
            };
            let kind = if flag(t, "Milestone") {
                TaskKind::Milestone
            } else {
                TaskKind::Task
            };
            if flag(t, "Manual") && !summary {
                self.notes.add(
                    "manually scheduled tasks are scheduled automatically (as soon as their \
                     links allow)",
                    source.clone(),
                );
            }
            if t.text_of("Deadline").is_some() {
                self.notes.add(
                    "task deadlines are not read (give the project's deadline in project.toml)",
                    source.clone(),
                );
            }
            if t.text_of("CalendarUID")
                .is_some_and(|c| c != "-1" && Some(c) != project_cal_uid.as_deref())
            {
                self.notes.add(
                    "tasks with a calendar of their own are scheduled on the project calendar",
                    source.clone(),
                );
            }
            // Constraints: start no earlier than is honoured; the others are not.
            let constraint: u32 = t
                .text_of("ConstraintType")
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            let constraint_date = t.text_of("ConstraintDate").and_then(schedule::date_part);
            let mut not_before = None;
            match (constraint, constraint_date) {
                (0, _) => {}
                (4, Some(d)) => not_before = Some(d),
                (1, _) => self.notes.add(
                    "as-late-as-possible tasks are scheduled as soon as possible",
                    source.clone(),
                ),
                (c, d) => {
                    let what = [
                        "",
                        "",
                        "must start on",
                        "must finish on",
                        "start no earlier than",
                        "start no later than",
                        "finish no earlier than",
                        "finish no later than",
                    ]
                    .get(c as usize)
                    .copied()
                    .unwrap_or("constraint");
                    let date = d.map(|d| format!(" {d}")).unwrap_or_default();
                    self.notes.add(
                        "constraints other than start no earlier than are ignored",
                        format!("{source} {what}{date}"),
                    );
                }
            }
            let mut cost = t.text_of("FixedCost").and_then(number).unwrap_or(0.0) / 100.0;
            if cost < 0.0 {
                self.err(
                    t.line,
                    "FixedCost",
                    format!("{source}: a negative fixed cost"),
                );
                cost = 0.0;
            }
            // Custom fields.
            let mut values: HashMap<&str, (&str, usize)> = HashMap::new();
            for ea in t.children("ExtendedAttribute") {
                if let (Some(id), Some(v)) = (ea.text_of("FieldID"), ea.text_of("Value")) {
                    values.insert(id, (v, ea.line));
                }
            }
            let field_value = |k: usize, reader: &mut Self| -> Option<f64> {
                let id = field_ids[k].as_deref()?;
                let (v, line) = *values.get(id)?;
                let value = if v.trim_start().starts_with(['P', '-']) {
                    duration_minutes(v).map(to_days)
                } else {
                    number(v)
                };
                let name = fields_read
                    .as_ref()
                    .and_then(|n| n[k].clone())
                    .unwrap_or_default();
                match value {
                    Some(x) if x >= 0.0 => Some(x),
                    _ => {
                        reader.err(
                            line,
                            &name,
                            format!("{source}: `{v}` is not a duration (PT8H0M0S) or a number of working days >= 0"),
                        );
                        None
                    }
                }
            };
            let vals = [
                field_value(0, &mut self),
                field_value(1, &mut self),
                field_value(2, &mut self),
            ];
            let three_point = vals
                .iter()
                .any(Option::is_some)
                .then_some(schedule::ThreePoint { values: vals });
            let risk_level = risk_id
                .as_deref()
                .and_then(|id| values.get(id))
                .map(|(v, _)| v.to_string());
            // Links.
            let mut links = Vec::new();
            for l in t.children("PredecessorLink") {
                let Some(pred) = l.text_of("PredecessorUID") else {
                    self.err(
                        l.line,
                        "PredecessorUID",
                        format!("{source}: a link without a predecessor"),
                    );
                    continue;
                };
                if flag(l, "CrossProject") {
                    self.notes.add(
                        "links to other projects are left out",
                        format!(
                            "{source} on {}",
                            l.text_of("CrossProjectName").unwrap_or(pred)
                        ),
                    );
                    continue;
                }
                let kind = match l.text_of("Type").unwrap_or("1") {
                    "0" => LinkKind::FinishToFinish,
                    "1" => LinkKind::FinishToStart,
                    "2" => LinkKind::StartToFinish,
                    "3" => LinkKind::StartToStart,
                    other => {
                        let line = l.child("Type").map_or(l.line, |c| c.line);
                        self.err(
                            line,
                            "Type",
                            format!("{source}: unknown link type {other} (0 FF, 1 FS, 2 SF, 3 SS)"),
                        );
                        continue;
                    }
                };
                let raw_lag = l.text_of("LinkLag").and_then(number).unwrap_or(0.0);
                let format: u32 = l
                    .text_of("LagFormat")
                    .and_then(|f| f.parse().ok())
                    .unwrap_or(7);
                let lag = if PERCENT_FORMATS.contains(&format) {
                    self.notes.add(
                        "lags in percent of the predecessor's duration are fixed lags of that \
                         share of its scheduled duration",
                        format!("{source} on UID {pred}"),
                    );
                    percent_lags.push((tasks.len(), links.len(), raw_lag));
                    0.0
                } else if ELAPSED_FORMATS.contains(&format) {
                    self.notes.add(
                        "elapsed lags (calendar time) are read as the working days they span",
                        format!("{source} on UID {pred}"),
                    );
                    elapsed_days(raw_lag / 10.0)
                } else {
                    raw_lag / 10.0 / minutes_per_day
                };
                links.push(RawLink {
                    pred: pred.to_string(),
                    kind,
                    lag,
                    line: l.child("PredecessorUID").map_or(l.line, |c| c.line),
                    field: "PredecessorUID",
                });
            }
            tasks.push(RawTask {
                key: uid.to_string(),
                id: format!("t{uid}"),
                source,
                name,
                line: t.line,
                parent,
                summary,
                kind,
                loe_end: Vec::new(),
                progress,
                duration,
                total,
                three_point,
                risk_level,
                links,
                not_before,
                resources: Vec::new(),
                cost,
            });
        }
        // Percent lags: a share of the predecessor's scheduled duration.
        let total_of: HashMap<String, f64> =
            tasks.iter().map(|t| (t.key.clone(), t.total)).collect();
        for (ti, li, pct) in percent_lags {
            let pred = tasks[ti].links[li].pred.clone();
            tasks[ti].links[li].lag = total_of.get(&pred).copied().unwrap_or(0.0) * pct / 100.0;
        }
        // Links to tasks left out go with them.
        for t in &mut tasks {
            t.links.retain(|l| !skipped.contains_key(&l.pred));
        }

        // Assignments.
        let index: HashMap<String, usize> = tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.key.clone(), i))
            .collect();
        if let Some(list) = root.child("Assignments") {
            for a in list.children("Assignment") {
                let (Some(tuid), Some(ruid)) = (a.text_of("TaskUID"), a.text_of("ResourceUID"))
                else {
                    continue;
                };
                let Some(&ti) = index.get(tuid) else { continue };
                let Some((id, kind, per_use)) = res_by_uid.get(ruid) else {
                    continue; // unassigned (-65535) or a resource left out
                };
                let cents = |f: &str| a.text_of(f).and_then(number).unwrap_or(0.0) / 100.0;
                let task = &mut tasks[ti];
                if *kind != 1 {
                    task.cost += cents("Cost");
                    continue;
                }
                let units = a.text_of("Units").and_then(number).unwrap_or(1.0);
                if task.progress == Progress::NotStarted {
                    task.cost += per_use;
                } else {
                    task.cost += cents("ActualCost");
                }
                if units > 0.0 {
                    task.resources.push(Assignment {
                        resource: id.clone(),
                        units,
                    });
                } else {
                    self.notes.add(
                        "assignments of 0 units are left out",
                        format!("{} on {}", id, task.source),
                    );
                }
            }
        }
        if root.child("Calendars").is_some_and(|c| {
            c.children("Calendar")
                .any(|c| c.child("WorkWeeks").is_some_and(|w| !w.children.is_empty()))
        }) {
            self.notes.once(
                "work weeks (alternative working weeks for a period) are not read: the default \
                 week applies all year",
            );
        }

        // Time zero: the status date when work has started, else the project start.
        let mut zero = start;
        if any_progress {
            let status = root
                .text_of("StatusDate")
                .and_then(schedule::date_part)
                .or_else(|| root.text_of("CurrentDate").and_then(schedule::date_part));
            match status {
                Some(s) if s > start => zero = s,
                _ => self.notes.once(
                    "the file has tasks in progress but no status date after the start: their \
                     remaining work starts at the project start",
                ),
            }
        }
        if !self.errors.is_empty() {
            return Err(self.errors);
        }
        let calendar = Calendar::new(zero, workdays, days.holidays)
            .map_err(|e| vec![Diagnostic::file(path, e.to_string())])?
            .with_extra_workdays(days.extra);
        let name = root
            .text_of("Name")
            .or_else(|| root.text_of("Title"))
            .map(|n| n.strip_suffix(".xml").unwrap_or(n).to_string())
            .unwrap_or_else(|| {
                path.file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("project")
                    .to_string()
            });
        let currency = root
            .text_of("CurrencyCode")
            .or_else(|| root.text_of("CurrencySymbol"))
            .unwrap_or("")
            .to_string();
        Ok(RawSchedule {
            file: path.to_path_buf(),
            format: "MS Project XML",
            name,
            currency,
            calendar,
            tasks,
            resources,
            fields: fields_read,
            notes: self.notes,
        })
    }

    /// The working minutes of each weekday (from Monday) and the exceptions of a calendar,
    /// with what it inherits from its base calendars.
    fn calendar_days(&mut self, cal: &Element, all: &HashMap<String, &Element>) -> CalendarDays {
        // The chain: this calendar, its base, its base's base … (at most 16 deep).
        let mut chain = vec![cal];
        while let Some(base) = chain
            .last()
            .and_then(|c| c.text_of("BaseCalendarUID"))
            .filter(|b| *b != "-1")
            .and_then(|b| all.get(b))
        {
            if chain.len() > 16 || chain.iter().any(|c| std::ptr::eq(*c, *base)) {
                break;
            }
            chain.push(base);
        }
        let mut minutes: [Option<f64>; 7] = [None; 7];
        let mut holidays = Vec::new();
        let mut extra = Vec::new();
        // Base calendars first, so that the derived calendar's days and exceptions win.
        for c in chain.iter().rev() {
            let Some(week) = c.child("WeekDays") else {
                continue;
            };
            for wd in week.children("WeekDay") {
                let day: u32 = wd
                    .text_of("DayType")
                    .and_then(|d| d.parse().ok())
                    .unwrap_or(99);
                let working = flag(wd, "DayWorking");
                if (1..=7).contains(&day) {
                    // DayType 1 is Sunday.
                    let i = ((day + 5) % 7) as usize;
                    minutes[i] = Some(if working {
                        working_minutes(wd).max(1.0)
                    } else {
                        0.0
                    });
                } else if day == 0 {
                    // An exception in the old format: a period with DayWorking.
                    if let Some(p) = wd.child("TimePeriod") {
                        let from = p.text_of("FromDate").and_then(schedule::date_part);
                        let to = p.text_of("ToDate").and_then(schedule::date_part);
                        if let (Some(from), Some(to)) = (from, to) {
                            for d in from.iter_days().take_while(|d| *d <= to).take(36_600) {
                                if working {
                                    extra.push(d);
                                } else {
                                    holidays.push(d);
                                }
                            }
                        }
                    }
                }
            }
        }
        for c in chain.iter().rev() {
            if let Some(list) = c.child("Exceptions") {
                for e in list.children("Exception") {
                    self.exception(e, &mut holidays, &mut extra);
                }
            }
        }
        // A later exception wins over an earlier one for the same day.
        holidays.sort_unstable();
        holidays.dedup();
        extra.sort_unstable();
        extra.dedup();
        extra.retain(|d| holidays.binary_search(d).is_err());
        CalendarDays {
            minutes: minutes.map(|m| m.unwrap_or(0.0)),
            holidays,
            extra,
        }
    }

    /// One `<Exception>` (2007 format): the days of its period that its recurrence picks,
    /// off (`DayWorking` 0) or worked.
    fn exception(
        &mut self,
        e: &Element,
        holidays: &mut Vec<NaiveDate>,
        extra: &mut Vec<NaiveDate>,
    ) {
        let Some(p) = e.child("TimePeriod") else {
            return;
        };
        let from = p.text_of("FromDate").and_then(schedule::date_part);
        let to = p.text_of("ToDate").and_then(schedule::date_part);
        let (Some(from), Some(to)) = (from, to) else {
            return;
        };
        let working = flag(e, "DayWorking");
        let kind: u32 = e.text_of("Type").and_then(|t| t.parse().ok()).unwrap_or(1);
        let int = |name: &str| e.text_of(name).and_then(|v| v.parse::<i64>().ok());
        let period = int("Period").unwrap_or(1).max(1);
        let picks = |d: NaiveDate| -> bool {
            match kind {
                // Daily, every `period` days.
                1 | 7 => (d - from).num_days() % period == 0,
                // Yearly on a month day.
                2 => {
                    Some(d.month0() as i64) == int("Month")
                        && Some(d.day() as i64) == int("MonthDay")
                }
                // Yearly or monthly on the n-th weekday.
                3 | 5 => {
                    let month_ok = kind == 5 || Some(d.month0() as i64) == int("Month");
                    let weekday_ok = int("MonthItem").is_some_and(|w| {
                        w >= 3 && d.weekday().num_days_from_sunday() as i64 == w - 3
                    });
                    let nth = (d.day() as i64 - 1) / 7; // 0 = first
                    let last = (d + chrono::Days::new(7)).month() != d.month();
                    let pos_ok = match int("MonthPosition") {
                        Some(4) => last,
                        Some(p) => nth == p,
                        None => false,
                    };
                    month_ok && weekday_ok && pos_ok
                }
                // Monthly on a day.
                4 => Some(d.day() as i64) == int("MonthDay"),
                // Weekly on the days of a bitmap (1 Sunday … 64 Saturday).
                6 => {
                    let mask = int("DaysOfWeek").unwrap_or(0);
                    let bit = 1 << d.weekday().num_days_from_sunday();
                    let weeks = (d - from).num_days() / 7;
                    mask & bit != 0 && weeks % period == 0
                }
                _ => false,
            }
        };
        if !(1..=7).contains(&kind) {
            self.notes.add(
                "calendar exceptions of an unknown recurrence are not read",
                e.text_of("Name").unwrap_or("(unnamed)").to_string(),
            );
            return;
        }
        if working
            && e.child("WorkingTimes")
                .is_some_and(|w| working_minutes_of(w) > 0.0)
        {
            self.notes.once(
                "calendar exceptions that change a day's working hours count as whole working \
                 days",
            );
        }
        for d in from.iter_days().take_while(|d| *d <= to).take(36_600) {
            if picks(d) {
                if working {
                    extra.push(d);
                } else {
                    holidays.push(d);
                }
            }
        }
    }
}

fn working_minutes_of(w: &Element) -> f64 {
    w.children("WorkingTime")
        .filter_map(|t| {
            let from = minutes_of_day(t.text_of("FromTime")?, false)?;
            let to = minutes_of_day(t.text_of("ToTime")?, true)?;
            Some((to - from).max(0.0))
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations() {
        assert_eq!(duration_minutes("PT8H0M0S"), Some(480.0));
        assert_eq!(duration_minutes("PT0H1M0S"), Some(1.0));
        assert_eq!(duration_minutes("PT7H30M30S"), Some(450.5));
        assert_eq!(duration_minutes("P1DT2H"), Some(1560.0));
        assert_eq!(duration_minutes("-PT8H"), Some(-480.0));
        for bad in ["", "8H", "PTxH", "PT8", "P1X"] {
            assert_eq!(duration_minutes(bad), None, "{bad}");
        }
    }
}
