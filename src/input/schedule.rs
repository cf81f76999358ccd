//! What the schedule readers share. [`super::mspdi`], [`super::xer`] and [`super::gan`] each
//! turn their file into a [`RawSchedule`] (tasks keyed as the file keys them, durations and lags
//! already in working days, summary tasks and levels of effort as the file has them); [`build`]
//! turns that into the same validated-shape [`Project`] for all three: summary tasks resolved
//! into links between the tasks they group, ranges found by the rules of `[import]`, progress
//! and constraints applied, and everything read but not modelled listed once as a warning.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::Diagnostic;
use crate::model::{
    Assignment, Calendar, Distribution, Estimate, Link, LinkKind, Project, RangeRule, Resource,
    RiskLevel, RiskLevels, Task, TaskKind,
};

/// `[import]` in `project.toml`: where an imported schedule's ranges come from. In order: the
/// three-point fields (`optimistic`, `likely`, `pessimistic`; MS Project's Duration1, Duration2
/// and Duration3 by default), else the `risk_level` field mapped through `[risk_levels]`, else
/// the range rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOptions {
    /// The field holding the optimistic duration (a custom field's name or alias).
    pub optimistic: Option<String>,
    /// The field holding the most likely duration; `None`: the scheduled duration.
    pub likely: Option<String>,
    /// The field holding the pessimistic duration.
    pub pessimistic: Option<String>,
    /// The field holding a risk level (`low`, `medium`, `high`).
    pub risk_level: Option<String>,
    /// The rule for tasks without estimates: multipliers of the scheduled duration.
    pub range: RangeRule,
    /// The distribution every imported range is sampled from (`[project] distribution`).
    pub distribution: Distribution,
    /// The multipliers of the risk levels (`[risk_levels]`).
    pub risk_levels: RiskLevels,
    /// The project file and the line of its `[import]`, when there is one (for errors about
    /// the fields it names).
    pub at: Option<(PathBuf, usize)>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            optimistic: None,
            likely: None,
            pessimistic: None,
            risk_level: None,
            range: RangeRule::default(),
            distribution: Distribution::Pert,
            risk_levels: RiskLevels::default(),
            at: None,
        }
    }
}

impl ImportOptions {
    /// An error about a field `[import]` names (`key`): at its line in project.toml.
    pub fn field_error(&self, schedule: &Path, key: &str, message: String) -> Diagnostic {
        match &self.at {
            Some((file, line)) => Diagnostic::at(file, *line, Some(key), message),
            None => Diagnostic::file(schedule, message),
        }
    }

    /// The three-point field names asked for, or `defaults` (a format's own PERT fields) when
    /// `[import]` names none.
    pub fn fields<'a>(&'a self, defaults: Option<[&'a str; 3]>) -> Option<[Option<&'a str>; 3]> {
        match (&self.optimistic, &self.pessimistic) {
            (Some(o), Some(p)) => Some([Some(o), self.likely.as_deref(), Some(p)]),
            _ => defaults.map(|[o, m, p]| [Some(o), Some(m), Some(p)]),
        }
    }
}

/// How far a task has progressed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Progress {
    /// Not started: the whole duration is ahead.
    NotStarted,
    /// Started, not finished: the remaining duration is ahead.
    InProgress,
    /// Finished: done, adds no time and no uncertainty.
    Complete,
}

/// A link as a file holds it: the predecessor by the file's key, the lag in working days.
#[derive(Debug, Clone, PartialEq)]
pub struct RawLink {
    /// The predecessor's key (UID, task_id, …).
    pub pred: String,
    /// The link type.
    pub kind: LinkKind,
    /// Lag in working days (negative: a lead).
    pub lag: f64,
    /// Where the link is written, for errors.
    pub line: usize,
    /// The field naming the predecessor, for errors.
    pub field: &'static str,
}

/// A task as a file holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTask {
    /// The file's key for the task, which links use.
    pub key: String,
    /// The p80 id wanted (made a valid, unique id by [`build`]).
    pub id: String,
    /// How the file names the task, for notes and messages ("UID 12", "A1000").
    pub source: String,
    /// The task's name.
    pub name: String,
    /// Where the task is written.
    pub line: usize,
    /// The key of the summary task it belongs to.
    pub parent: Option<String>,
    /// Whether it is a summary task (groups others; never simulated).
    pub summary: bool,
    /// Task, milestone or level of effort.
    pub kind: TaskKind,
    /// For a level of effort: keys of the tasks whose finish ends it.
    pub loe_end: Vec<String>,
    /// Progress.
    pub progress: Progress,
    /// The duration still ahead, working days (the remaining duration of a task in progress).
    pub duration: f64,
    /// The task's whole planned duration, working days (scales the three points of a task in
    /// progress to what remains).
    pub total: f64,
    /// Three-point durations over the whole task, working days, read from the fields of
    /// [`ImportOptions::fields`]: `None` when the task has none of them.
    pub three_point: Option<ThreePoint>,
    /// The value of the risk-level field.
    pub risk_level: Option<String>,
    /// Predecessors.
    pub links: Vec<RawLink>,
    /// Start no earlier than this date.
    pub not_before: Option<NaiveDate>,
    /// Resources assigned, by p80 resource id.
    pub resources: Vec<Assignment>,
    /// Fixed cost (and costs already incurred) in the project currency.
    pub cost: f64,
}

/// The three-point fields of one task: each value (working days) where the task has it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreePoint {
    /// Optimistic, likely (`None`: the scheduled duration), pessimistic.
    pub values: [Option<f64>; 3],
}

/// A whole schedule file, as read.
#[derive(Debug, Clone)]
pub struct RawSchedule {
    /// The file.
    pub file: PathBuf,
    /// The format's name, for messages ("MS Project XML").
    pub format: &'static str,
    /// The project's name.
    pub name: String,
    /// The currency code or symbol.
    pub currency: String,
    /// The working-day calendar, starting at time zero (the project start or the data date).
    pub calendar: Calendar,
    /// Tasks, in file order.
    pub tasks: Vec<RawTask>,
    /// Resources, in file order.
    pub resources: Vec<Resource>,
    /// Names of the three-point fields read, for messages.
    pub fields: Option<[Option<String>; 3]>,
    /// Things read but not modelled.
    pub notes: Notes,
}

/// Things read but not modelled: each kind listed once, with a few examples.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Notes {
    kinds: Vec<(String, Vec<String>)>,
}

/// How many examples a note lists.
const EXAMPLES: usize = 5;

impl Notes {
    /// Adds `example` under `kind` (a sentence saying what p80 does with such items).
    pub fn add(&mut self, kind: &str, example: impl Into<String>) {
        let example = example.into();
        match self.kinds.iter_mut().find(|(k, _)| k == kind) {
            Some((_, list)) => list.push(example),
            None => self.kinds.push((kind.to_string(), vec![example])),
        }
    }

    /// Adds a note without examples.
    pub fn once(&mut self, kind: &str) {
        if !self.kinds.iter().any(|(k, _)| k == kind) {
            self.kinds.push((kind.to_string(), Vec::new()));
        }
    }

    /// One line per kind: `file: kind (N: a, b, … and M more)`.
    pub fn lines(&self, file: &Path) -> Vec<String> {
        self.kinds
            .iter()
            .map(|(kind, examples)| {
                let mut line = format!("{}: {kind}", file.display());
                if !examples.is_empty() {
                    let shown: Vec<&str> =
                        examples.iter().take(EXAMPLES).map(String::as_str).collect();
                    line.push_str(&format!(" ({}: {}", examples.len(), shown.join(", ")));
                    if examples.len() > EXAMPLES {
                        line.push_str(&format!(", … and {} more", examples.len() - EXAMPLES));
                    }
                    line.push(')');
                }
                line
            })
            .collect()
    }
}

/// Where an imported task's range came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RangeSource {
    /// The three-point fields.
    Fields,
    /// The risk-level field, through `[risk_levels]`.
    RiskLevel(RiskLevel),
    /// The range rule: not an estimate.
    Rule,
    /// None needed: a milestone, a level of effort, or a task already done.
    None,
}

/// What `p80 import` writes about a task besides the model's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskInfo {
    /// How the file names it ("UID 12").
    pub source: String,
    /// The summary tasks it belongs to, outermost first, joined by " / ".
    pub group: String,
    /// Progress.
    pub progress: Progress,
    /// Where its range came from.
    pub range: RangeSource,
    /// The scheduled duration still ahead (working days): `likely` for the rule and risk
    /// levels.
    pub duration: f64,
    /// Its start-no-earlier-than date, when one is kept.
    pub not_before: Option<NaiveDate>,
}

/// An imported schedule: the project, its calendar and what `p80 import` needs to write it.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// The plan (tasks, resources, name, currency), not yet validated.
    pub project: Project,
    /// The calendar, starting at time zero.
    pub calendar: Calendar,
    /// Per task of `project.tasks`.
    pub info: Vec<TaskInfo>,
    /// Things read but not modelled, one line each.
    pub warnings: Vec<String>,
    /// How many tasks took their range from the range rule.
    pub range_rule_tasks: usize,
    /// The rule they took.
    pub range: RangeRule,
    /// The format's name.
    pub format: &'static str,
}

/// A p80 id from a file's: whitespace and the characters p80 reserves (`;`, `:`, `+`, `,`)
/// become `_`.
pub fn sanitize_id(raw: &str) -> String {
    let s: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_whitespace() || matches!(c, ';' | ':' | '+' | ',') {
                '_'
            } else {
                c
            }
        })
        .collect();
    if s.is_empty() {
        "_".to_string()
    } else {
        s
    }
}

/// Turns a raw schedule into the project and what `p80 import` needs, with every problem found.
pub fn build(raw: RawSchedule, options: &ImportOptions) -> Result<Schedule, Vec<Diagnostic>> {
    let file = raw.file.clone();
    let mut notes = raw.notes;
    let mut errors = Vec::new();
    let by_key: HashMap<&str, usize> = {
        let mut m = HashMap::new();
        for (i, t) in raw.tasks.iter().enumerate() {
            if m.insert(t.key.as_str(), i).is_some() {
                errors.push(Diagnostic::at(
                    &file,
                    t.line,
                    None,
                    format!("{} is defined twice; each task needs its own key", t.source),
                ));
            }
        }
        m
    };
    let parent_of = |i: usize| -> Option<usize> {
        raw.tasks[i]
            .parent
            .as_deref()
            .and_then(|k| by_key.get(k).copied())
    };
    // Leaves (tasks p80 simulates) under each summary, in file order.
    let n = raw.tasks.len();
    let is_leaf = |i: usize| !raw.tasks[i].summary;
    let mut leaves: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut group: Vec<String> = vec![String::new(); n];
    for (i, group) in group.iter_mut().enumerate() {
        let mut chain = Vec::new();
        let mut p = parent_of(i);
        let mut guard = 0;
        while let Some(s) = p {
            if guard > n {
                break; // a parent cycle (a broken file): stop, do not loop
            }
            guard += 1;
            chain.push(s);
            if is_leaf(i) {
                leaves[s].push(i);
            }
            p = parent_of(s);
        }
        *group = chain
            .iter()
            .rev()
            .map(|&s| raw.tasks[s].name.as_str())
            .collect::<Vec<_>>()
            .join(" / ");
    }

    // p80 ids: valid and unique.
    let mut ids: Vec<String> = Vec::with_capacity(n);
    let mut taken: HashSet<String> = HashSet::new();
    for t in &raw.tasks {
        if t.summary {
            ids.push(String::new()); // never a p80 task
            continue;
        }
        let mut id = sanitize_id(&t.id);
        if taken.contains(&id) {
            id = format!("{id}_{}", sanitize_id(&t.key));
        }
        while taken.contains(&id) {
            id.push('_');
        }
        if id != t.id {
            notes.add(
                "task ids with spaces or the characters ; : + , (reserved in p80) were changed",
                format!("`{}` is `{id}`", t.id),
            );
        }
        taken.insert(id.clone());
        ids.push(id);
    }

    // Links between leaves: a summary stands for its leaves (a link from a summary: from each
    // leaf; to a summary: to each leaf).
    let mut links: Vec<Vec<(usize, LinkKind, f64)>> = vec![Vec::new(); n];
    let mut loe_end: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, t) in raw.tasks.iter().enumerate() {
        for k in &t.loe_end {
            match by_key.get(k.as_str()) {
                Some(&j) => loe_end[i].push(j),
                None => errors.push(Diagnostic::at(
                    &file,
                    t.line,
                    None,
                    format!("{}: unknown task `{k}`", t.source),
                )),
            }
        }
        for l in &t.links {
            let Some(&p) = by_key.get(l.pred.as_str()) else {
                errors.push(Diagnostic::at(
                    &file,
                    l.line,
                    Some(l.field),
                    format!(
                        "{} links to `{}`, which is not a task in this file; remove the link or \
                         add the task",
                        t.source, l.pred
                    ),
                ));
                continue;
            };
            let preds: Vec<usize> = if is_leaf(p) {
                vec![p]
            } else {
                if matches!(l.kind, LinkKind::StartToStart | LinkKind::StartToFinish)
                    && leaves[p].len() > 1
                {
                    notes.add(
                        "links from a summary task's start are read as links from each of its \
                         tasks (a summary starts with its first task)",
                        format!("{} from {}", t.source, raw.tasks[p].source),
                    );
                }
                leaves[p].clone()
            };
            if leaves[p].contains(&i) || leaves[i].contains(&p) {
                notes.add(
                    "links between a summary task and a task it groups are left out",
                    format!("{} on {}", t.source, raw.tasks[p].source),
                );
                continue;
            }
            let succs: Vec<usize> = if is_leaf(i) {
                vec![i]
            } else {
                leaves[i].clone()
            };
            for &s in &succs {
                for &q in &preds {
                    if q != s {
                        links[s].push((q, l.kind, l.lag));
                    }
                }
            }
        }
    }
    // A level of effort's links: links from it (it cannot drive others in p80, nor in P6)
    // name the tasks it lasts until; links into it by finish name them too.
    for s in 0..n {
        let mut kept = Vec::new();
        for &(p, kind, lag) in &links[s] {
            let loe_pred = raw.tasks[p].kind == TaskKind::LevelOfEffort;
            let loe_by_finish = raw.tasks[s].kind == TaskKind::LevelOfEffort
                && matches!(kind, LinkKind::FinishToFinish | LinkKind::StartToFinish);
            if loe_pred {
                loe_end[p].push(s);
            } else if loe_by_finish {
                loe_end[s].push(p);
            } else {
                kept.push((p, kind, lag));
            }
        }
        links[s] = kept;
    }

    let mut tasks = Vec::new();
    let mut info = Vec::new();
    let mut range_rule_tasks = 0;
    let rule = options.range;
    let dist = options.distribution;
    #[allow(clippy::needless_range_loop)] // `i` indexes several parallel arrays
    for i in 0..n {
        let t = &raw.tasks[i];
        if t.summary {
            if t.cost != 0.0 || !t.resources.is_empty() {
                notes.add(
                    "costs and resources on summary tasks are not read (p80 costs the tasks \
                     they group)",
                    t.source.clone(),
                );
            }
            continue;
        }
        let mut kind = t.kind;
        let mut ends: Vec<String> = Vec::new();
        for &j in &loe_end[i] {
            let id = &ids[j];
            if !ends.contains(id) && j != i && raw.tasks[j].kind != TaskKind::LevelOfEffort {
                ends.push(id.clone());
            }
        }
        if kind == TaskKind::LevelOfEffort && ends.is_empty() {
            notes.add(
                "levels of effort linked to no task they could last until are simulated as \
                 tasks of their scheduled duration",
                t.source.clone(),
            );
            kind = TaskKind::Task;
        }
        // Done: a task that is complete, or in progress with nothing left.
        let done = t.progress == Progress::Complete
            || (t.progress == Progress::InProgress && t.duration == 0.0);
        if done {
            kind = TaskKind::Task;
        } else if kind == TaskKind::Task && t.duration == 0.0 {
            kind = TaskKind::Milestone;
        } else if kind == TaskKind::Milestone && t.duration != 0.0 {
            kind = TaskKind::Task;
        }
        let estimate_error =
            |field: &str, msg: String| Diagnostic::at(&file, t.line, Some(field), msg);
        let (estimate, range) = if done || kind == TaskKind::LevelOfEffort {
            (Estimate::fixed(0.0).ok(), RangeSource::None)
        } else if kind == TaskKind::Milestone {
            (Estimate::new(0.0, 0.0, 0.0, dist).ok(), RangeSource::None)
        } else if let Some(tp) = t
            .three_point
            .filter(|tp| tp.values[0].is_some() && tp.values[2].is_some())
        {
            // The fields hold the whole task; a task in progress keeps the share still ahead.
            let scale = if t.progress == Progress::InProgress && t.total > 0.0 {
                t.duration / t.total
            } else {
                1.0
            };
            let [o, m, p] = tp.values;
            let (o, p) = (o.unwrap_or(0.0) * scale, p.unwrap_or(0.0) * scale);
            let m = m.map_or(t.duration, |m| m * scale);
            let names = raw.fields.clone().unwrap_or_default();
            let name = |k: usize| {
                names[k]
                    .clone()
                    .unwrap_or_else(|| ["optimistic", "likely", "pessimistic"][k].to_string())
            };
            match Estimate::new(o, m, p, dist) {
                Ok(e) => (Some(e), RangeSource::Fields),
                Err((field, msg)) => {
                    let k = ["optimistic", "likely", "pessimistic"]
                        .iter()
                        .position(|f| *f == field)
                        .unwrap_or(1);
                    errors.push(estimate_error(
                        &name(k),
                        format!(
                            "{}: {msg} (working days from the fields {}, {}, {})",
                            t.source,
                            name(0),
                            name(1),
                            name(2)
                        ),
                    ));
                    (None, RangeSource::Fields)
                }
            }
        } else if let Some(text) = t.risk_level.as_deref().filter(|s| !s.trim().is_empty()) {
            if t.three_point.is_some() {
                notes.add(
                    "tasks with only some of the three-point fields take their range from the \
                     next rule",
                    t.source.clone(),
                );
            }
            let field = options.risk_level.clone().unwrap_or_default();
            match RiskLevel::parse(text) {
                Some(level) => {
                    let (o, p) = options.risk_levels.range(level, t.duration);
                    match Estimate::new(o, t.duration, p, dist) {
                        Ok(e) => (Some(e), RangeSource::RiskLevel(level)),
                        Err((_, msg)) => {
                            errors.push(estimate_error(&field, format!("{}: {msg}", t.source)));
                            (None, RangeSource::RiskLevel(level))
                        }
                    }
                }
                None => {
                    errors.push(estimate_error(
                        &field,
                        format!(
                            "{}: unknown risk level `{text}`; use one of {}",
                            t.source,
                            RiskLevel::NAMES
                        ),
                    ));
                    (None, RangeSource::Rule)
                }
            }
        } else {
            if t.three_point.is_some() {
                notes.add(
                    "tasks with only some of the three-point fields take their range from the \
                     next rule",
                    t.source.clone(),
                );
            }
            range_rule_tasks += 1;
            match rule.estimate(t.duration, dist) {
                Ok(e) => (Some(e), RangeSource::Rule),
                Err((_, msg)) => {
                    errors.push(estimate_error("duration", format!("{}: {msg}", t.source)));
                    (None, RangeSource::Rule)
                }
            }
        };
        let Some(estimate) = estimate else { continue };
        // Constraints: a summary's start-no-earlier-than holds for every task it groups.
        let mut not_before = t.not_before;
        let mut p = parent_of(i);
        let mut guard = 0;
        while let (Some(s), true) = (p, guard <= n) {
            not_before = not_before.max(raw.tasks[s].not_before);
            p = parent_of(s);
            guard += 1;
        }
        let not_before = not_before
            .filter(|_| t.progress == Progress::NotStarted)
            .filter(|d| raw.calendar.offset_of(*d) > 0.0);
        // One link per pair of tasks (a summary's links can repeat a task's own).
        let mut depends_on: Vec<Link> = Vec::new();
        for &(p, kind, lag) in &links[i] {
            let id = &ids[p];
            if depends_on.iter().any(|l| l.task == *id) {
                notes.add(
                    "links that repeat a pair of tasks already linked (through summary tasks) \
                     are dropped",
                    format!("{} on {}", t.source, raw.tasks[p].source),
                );
                continue;
            }
            depends_on.push(Link {
                task: id.as_str().into(),
                kind,
                lag,
            });
        }
        let mut resources: Vec<Assignment> = Vec::new();
        for a in &t.resources {
            match resources.iter_mut().find(|r| r.resource == a.resource) {
                Some(r) => r.units += a.units,
                None => resources.push(a.clone()),
            }
        }
        info.push(TaskInfo {
            source: t.source.clone(),
            group: group[i].clone(),
            progress: t.progress,
            range,
            duration: t.duration,
            not_before,
        });
        tasks.push(Task {
            id: ids[i].clone(),
            name: t.name.clone(),
            estimate,
            depends_on,
            kind,
            finish_with: if kind == TaskKind::LevelOfEffort {
                ends
            } else {
                Vec::new()
            },
            resources,
            cost: t.cost,
            cost_range: None,
            effort: None,
            forecast: None,
            not_before: not_before.map(|d| raw.calendar.offset_of(d)),
            line: t.line,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let resources_file = (!raw.resources.is_empty()).then(|| file.clone());
    let project = Project {
        name: raw.name,
        currency: raw.currency,
        tasks,
        resources: raw.resources,
        risks: Vec::new(),
        risks_file: None,
        correlations: Vec::new(),
        strict_correlation: false,
        tasks_file: file.clone(),
        resources_file,
        communication_overhead: 0.0,
        forecasts: Vec::new(),
    };
    Ok(Schedule {
        project,
        calendar: raw.calendar,
        info,
        warnings: notes.lines(&file),
        range_rule_tasks,
        range: rule,
        format: raw.format,
    })
}

/// Text of a schedule file: UTF-8, or the encoding `fallback` names when the bytes are not
/// UTF-8 (Windows-1252 for XER), with a UTF-8 or UTF-16 byte order mark honoured. A binary
/// file (an `.mpp`, a zip) is refused with what to do instead.
pub fn decode(
    path: &Path,
    bytes: &[u8],
    fallback: Option<&'static encoding_rs::Encoding>,
) -> Result<String, Diagnostic> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if !had_errors {
            return Ok(text.into_owned());
        }
    }
    if looks_binary(bytes) {
        return Err(Diagnostic::file(path, binary_message(bytes)));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => match fallback {
            Some(enc) => Ok(enc.decode_without_bom_handling(bytes).0.into_owned()),
            None => {
                let good = e.valid_up_to();
                let line = bytes[..good].iter().filter(|&&b| b == b'\n').count() + 1;
                Err(Diagnostic::at(
                    path,
                    line,
                    None,
                    format!(
                        "byte 0x{:02X} on this line is not UTF-8; save the file as UTF-8 (or \
                         declare its encoding in the XML declaration)",
                        bytes[good]
                    ),
                ))
            }
        },
    }
}

/// Whether the first bytes look like a binary file rather than text.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.iter().take(4096).any(|&b| b == 0)
}

fn binary_message(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "this is a binary file (an MS Project .mpp?), which p80 cannot read; in MS Project use \
         File > Save As > XML Format (*.xml) and give p80 the .xml file"
            .to_string()
    } else {
        "this is a binary file, not text; p80 reads MS Project XML (.xml), Primavera P6 XER \
         (.xer) and GanttProject (.gan) files"
            .to_string()
    }
}

/// A date-time of a schedule file, `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD HH:MM`: its date.
pub fn date_part(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    crate::model::calendar::parse_date(s.get(..10)?)
}
