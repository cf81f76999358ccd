//! Cross-row validation of a [`Project`]: ids, references and the dependency graph.
//!
//! Everything a single row can check on its own is checked by the reader; this module checks
//! what needs the whole plan, and reports every problem it finds, each with file, line and field.

use std::collections::VecDeque;

// foldhash's maps: ids hash several times faster than with SipHash, and no iteration order
// reaches a diagnostic (hints take the smallest candidate, cycles are sorted).
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::{Project, TaskKind};
use crate::error::Diagnostic;

/// Returns every cross-row problem in the project; an empty list means the plan is valid:
/// unique task and resource ids, every predecessor and resource known, no task depending on
/// itself, no dependency cycle, and durations and costs that stay within
/// [`super::bounds::MAX_TOTAL`]. Work is linear in the plan's size, also on error paths
/// (cycles are found iteratively, "did you mean" hints only for the errors shown).
pub fn validate(project: &Project) -> Vec<Diagnostic> {
    let tf = &project.tasks_file;
    let mut out = Vec::new();
    let mut hints = Hints::default();
    if project.tasks.is_empty() {
        out.push(Diagnostic::file(
            tf,
            "the file has a header but no tasks; add one row per task",
        ));
        return out;
    }

    let mut task_line: HashMap<&str, usize> = HashMap::with_capacity(project.tasks.len());
    for t in &project.tasks {
        if let Some(first) = task_line.get(t.id.as_str()) {
            out.push(Diagnostic::at(
                tf,
                t.line,
                Some("id"),
                format!(
                    "duplicate task id `{}` (first defined on line {first}); ids must be unique",
                    t.id
                ),
            ));
        } else {
            task_line.insert(&t.id, t.line);
        }
    }

    let mut resource_ids: HashMap<&str, usize> = HashMap::new();
    if let Some(rf) = &project.resources_file {
        for r in &project.resources {
            if let Some(first) = resource_ids.get(r.id.as_str()) {
                out.push(Diagnostic::at(
                    rf,
                    r.line,
                    Some("id"),
                    format!(
                        "duplicate resource id `{}` (first defined on line {first}); ids must be unique",
                        r.id
                    ),
                ));
            } else {
                resource_ids.insert(&r.id, r.line);
            }
            if r.billing == super::Billing::Team && r.capacity.is_none() {
                out.push(Diagnostic::at(
                    rf,
                    r.line,
                    Some("capacity"),
                    format!(
                        "`{}` is billed as a team, which needs a capacity (the units paid every \
                         day); give one, or bill it by task",
                        r.id
                    ),
                ));
            }
            if let (Some(a), Some(b)) = (r.available_from, r.available_until) {
                if b <= a {
                    out.push(Diagnostic::at(
                        rf,
                        r.line,
                        Some("available_until"),
                        format!(
                            "`{}` leaves (working day {b}) before it joins (working day {a}); \
                             give an available_until after available_from",
                            r.id
                        ),
                    ));
                }
            }
        }
    }

    // The first resource of each id (a duplicate is reported above).
    let mut capacity: HashMap<&str, Option<f64>> = HashMap::new();
    for r in &project.resources {
        capacity.entry(r.id.as_str()).or_insert(r.capacity);
    }
    let loe: HashSet<&str> = project
        .tasks
        .iter()
        .filter(|t| t.kind == TaskKind::LevelOfEffort)
        .map(|t| t.id.as_str())
        .collect();
    let mut seen = HashSet::new(); // one task's predecessors, emptied for each task
    for t in &project.tasks {
        seen.clear();
        for dep in &t.depends_on {
            let id = dep.task.as_str();
            if id == t.id {
                out.push(Diagnostic::at(
                    tf,
                    t.line,
                    Some("depends_on"),
                    format!(
                        "task `{}` depends on itself; remove `{dep}` from its depends_on",
                        t.id
                    ),
                ));
            } else if !task_line.contains_key(id) {
                out.push(Diagnostic::at(
                    tf,
                    t.line,
                    Some("depends_on"),
                    format!(
                        "unknown task `{id}`{}; use the id of a task in this file",
                        hints.unknown(id, &task_line)
                    ),
                ));
            } else if !seen.insert(id) {
                out.push(Diagnostic::at(
                    tf,
                    t.line,
                    Some("depends_on"),
                    format!("`{id}` is listed twice; list each predecessor once"),
                ));
            } else if loe.contains(id) {
                out.push(Diagnostic::at(
                    tf,
                    t.line,
                    Some("depends_on"),
                    format!("`{id}` is a level-of-effort task, which cannot be a predecessor; link to the tasks it spans instead"),
                ));
            }
        }
        for id in &t.finish_with {
            if id == &t.id {
                out.push(Diagnostic::at(
                    tf,
                    t.line,
                    Some("finish_with"),
                    "a task cannot finish with itself",
                ));
            } else if !task_line.contains_key(id.as_str()) {
                out.push(Diagnostic::at(
                    tf,
                    t.line,
                    Some("finish_with"),
                    format!(
                        "unknown task `{id}`{}; use the id of a task in this file",
                        hints.suggest(id, task_line.keys().copied())
                    ),
                ));
            } else if loe.contains(id.as_str()) {
                out.push(Diagnostic::at(
                    tf,
                    t.line,
                    Some("finish_with"),
                    format!("`{id}` is a level-of-effort task; name the tasks it spans instead"),
                ));
            }
        }
        if let Some(m) = never_gets_its_units(project, t) {
            out.push(Diagnostic::at(tf, t.line, Some("resources"), m));
        }
        for a in &t.resources {
            let cap = capacity.get(a.resource.as_str()).copied().flatten();
            if let Some(c) = cap.filter(|&c| a.units > c * (1.0 + 1e-9)) {
                out.push(Diagnostic::at(
                    tf,
                    t.line,
                    Some("resources"),
                    format!(
                        "`{}:{}` needs more units than the {c} that exist; lower the units or raise the resource's capacity",
                        a.resource, a.units
                    ),
                ));
            }
            if !resource_ids.contains_key(a.resource.as_str()) {
                let hint = if project.resources_file.is_none() {
                    " (no resources file is given: name one with `resources = \"resources.csv\"` in project.toml)".to_string()
                } else {
                    format!(
                        "{}; use an id from the resources file",
                        hints.suggest(&a.resource, resource_ids.keys().copied())
                    )
                };
                out.push(Diagnostic::at(
                    tf,
                    t.line,
                    Some("resources"),
                    format!("unknown resource `{}`{hint}", a.resource),
                ));
            }
        }
    }

    if let Some(rf) = &project.risks_file {
        let mut risk_line: HashMap<&str, usize> = HashMap::new();
        for r in &project.risks {
            if let Some(first) = risk_line.get(r.id.as_str()) {
                out.push(Diagnostic::at(
                    rf,
                    r.line,
                    Some("id"),
                    format!("duplicate risk id `{}` (first defined on line {first}); ids must be unique", r.id),
                ));
            } else {
                risk_line.insert(&r.id, r.line);
            }
            let mut seen = HashSet::new();
            for id in &r.affects {
                if !task_line.contains_key(id.as_str()) {
                    out.push(Diagnostic::at(
                        rf,
                        r.line,
                        Some("affects"),
                        format!(
                            "unknown task `{id}`{}; use task ids from the tasks file",
                            hints.suggest(id, task_line.keys().copied())
                        ),
                    ));
                } else if loe.contains(id.as_str()) {
                    out.push(Diagnostic::at(
                        rf,
                        r.line,
                        Some("affects"),
                        format!("`{id}` is a level-of-effort task, whose duration is the span of others; let the risk affect those"),
                    ));
                } else if !seen.insert(id.as_str()) {
                    out.push(Diagnostic::at(
                        rf,
                        r.line,
                        Some("affects"),
                        format!("`{id}` is listed twice"),
                    ));
                }
            }
        }
    }

    out.extend(check_correlations(project, &task_line, &loe, &mut hints));
    out.extend(find_cycles(project));
    if out.is_empty() {
        // Only a plan whose references resolve can be bounded.
        out.extend(super::bounds::check(project));
    }
    out
}

/// Why task `t` can never get its resources' units, if it cannot: its shortest duration does
/// not fit between the latest `available_from` and the earliest `available_until` of the
/// resources it uses. Milestones, levels of effort and forecast tasks are not checked.
fn never_gets_its_units(project: &Project, t: &super::Task) -> Option<String> {
    if t.kind != TaskKind::Task || t.forecast.is_some() {
        return None;
    }
    let mut from = (0.0f64, "");
    let mut until = (f64::INFINITY, "");
    for a in &t.resources {
        let Some(r) = project.resources.iter().find(|r| r.id == a.resource) else {
            continue;
        };
        if let Some(f) = r.available_from.filter(|&f| f > from.0) {
            from = (f, &r.id);
        }
        if let Some(u) = r.available_until.filter(|&u| u < until.0) {
            until = (u, &r.id);
        }
    }
    let shortest = t.estimate.minimum();
    let room = until.0 - from.0;
    (until.0.is_finite() && shortest > room + 1e-9).then(|| {
        let joins = if from.1.is_empty() {
            "the start".to_string()
        } else {
            format!("working day {} (when `{}` joins)", from.0, from.1)
        };
        format!(
            "task `{}` can never get its units: it lasts at least {shortest} working days, but \
             its resources are all there only from {joins} to working day {} (when `{}` \
             leaves), {} days; widen the resources' available_from / available_until or assign \
             others",
            t.id,
            until.0,
            until.1,
            room.max(0.0)
        )
    })
}

/// Correlated tasks must exist, be sampled (not fixed, not a level of effort), and be given
/// one coefficient per pair; in strict mode the matrix must be consistent.
fn check_correlations(
    project: &Project,
    task_line: &HashMap<&str, usize>,
    loe: &HashSet<&str>,
    hints: &mut Hints,
) -> Vec<Diagnostic> {
    if project.correlations.is_empty() {
        return Vec::new(); // nothing to check, and no per-task sets to build
    }
    let mut out = Vec::new();
    let fixed: HashSet<&str> = project
        .tasks
        .iter()
        .filter(|t| {
            t.forecast.is_none()
                && t.estimate.effective_distribution() == crate::model::Distribution::Fixed
        })
        .map(|t| t.id.as_str())
        .collect();
    let mut pairs: HashMap<(&str, &str), f64> = HashMap::new();
    for c in &project.correlations {
        let at = |msg: String| Diagnostic::at(&c.file, c.line, Some("tasks"), msg);
        if c.tasks.len() < 2 {
            out.push(at("a correlation needs at least two tasks".into()));
        }
        for (i, id) in c.tasks.iter().enumerate() {
            if !task_line.contains_key(id.as_str()) {
                out.push(at(format!(
                    "unknown task `{id}`{}",
                    hints.suggest(id, task_line.keys().copied())
                )));
            } else if loe.contains(id.as_str()) {
                out.push(at(format!(
                    "`{id}` is a level-of-effort task; correlate the tasks it spans"
                )));
            } else if fixed.contains(id.as_str()) {
                out.push(at(format!(
                    "`{id}` has a fixed duration; only uncertain durations can be correlated"
                )));
            }
            for other in &c.tasks[i + 1..] {
                if other == id {
                    out.push(at(format!("`{id}` is listed twice")));
                    continue;
                }
                let key = if id < other {
                    (id.as_str(), other.as_str())
                } else {
                    (other.as_str(), id.as_str())
                };
                if let Some(prev) = pairs.insert(key, c.coefficient) {
                    if prev != c.coefficient {
                        out.push(at(format!(
                            "`{}` and `{}` are given two coefficients ({prev} and {}); keep one",
                            key.0, key.1, c.coefficient
                        )));
                    }
                }
            }
        }
    }
    if out.is_empty() {
        out.extend(check_group_sizes(project, task_line));
    }
    if out.is_empty() && project.strict_correlation {
        let index: std::collections::HashMap<&str, usize> = project
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        if let Err((first, msg)) =
            super::correlation_matrix::groups(&project.correlations, &index, true)
        {
            let c = &project.correlations[first];
            out.push(Diagnostic::at(&c.file, c.line, Some("coefficient"), msg));
        }
    }
    out
}

/// The most tasks one group of correlated tasks (tasks linked by correlations, directly or
/// through others) may hold: its matrix is checked and, when inconsistent, repaired in
/// O(k³) per step, and each iteration correlates its k normals in O(k²).
pub const MAX_CORRELATED_GROUP: usize = 1000;

/// One problem per group of correlated tasks larger than [`MAX_CORRELATED_GROUP`], at the
/// group's first correlation.
fn check_group_sizes(project: &Project, task_line: &HashMap<&str, usize>) -> Vec<Diagnostic> {
    // Union-find over task indices (petgraph's: iterative, no recursion along long chains).
    let index: HashMap<&str, usize> = task_line.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let mut sets = petgraph::unionfind::UnionFind::<usize>::new(index.len());
    let mut used = vec![false; index.len()];
    for c in &project.correlations {
        let ids: Vec<usize> = c
            .tasks
            .iter()
            .filter_map(|t| index.get(t.as_str()).copied())
            .collect();
        for &t in &ids {
            used[t] = true;
        }
        for &t in ids.iter().skip(1) {
            sets.union(ids[0], t);
        }
    }
    let mut size: HashMap<usize, usize> = HashMap::new();
    for (t, _) in used.iter().enumerate().filter(|(_, &u)| u) {
        *size.entry(sets.find_mut(t)).or_default() += 1;
    }
    let mut out = Vec::new();
    let mut reported = HashSet::new();
    for c in &project.correlations {
        let Some(&t) = c.tasks.first().and_then(|t| index.get(t.as_str())) else {
            continue;
        };
        let root = sets.find_mut(t);
        let k = size.get(&root).copied().unwrap_or(0);
        if k > MAX_CORRELATED_GROUP && reported.insert(root) {
            out.push(Diagnostic::at(
                &c.file,
                c.line,
                Some("tasks"),
                format!(
                    "this correlation joins a group of {k} tasks correlated with each other \
                     (directly or through others); p80 correlates at most \
                     {MAX_CORRELATED_GROUP} tasks in one group (its matrix costs O(k³) to check \
                     and repair); correlate smaller groups, e.g. per team or work package"
                ),
            ));
        }
    }
    out
}

/// "Did you mean" hints with bounded work: only as many as the error listing shows
/// ([`crate::error::MAX_SHOWN`]; diagnostics are shown in the order they are found), and none
/// for ids longer than [`MAX_HINT_CHARS`]. 10,000 unknown ids among 10,000 tasks thus cost 50
/// scans, not 10,000.
#[derive(Debug)]
struct Hints {
    left: usize,
}

/// Ids longer than this get no "did you mean" (the edit distance is quadratic in the length).
const MAX_HINT_CHARS: usize = 64;

impl Default for Hints {
    fn default() -> Self {
        Hints {
            left: crate::error::MAX_SHOWN,
        }
    }
}

impl Hints {
    /// A hint for an unknown predecessor: a near miss, or `A-2` meant as a lead.
    fn unknown(&mut self, id: &str, known: &HashMap<&str, usize>) -> String {
        if let Some((base, lead)) = id.rsplit_once('-') {
            if known.contains_key(base) && lead.parse::<f64>().is_ok() {
                return format!(
                    " (for a lead of {lead} days on `{base}` write `{base}:FS-{lead}`)"
                );
            }
        }
        self.suggest(id, known.keys().copied())
    }

    /// [`suggest`] while the budget lasts, then nothing.
    fn suggest<'a>(&mut self, wanted: &str, known: impl Iterator<Item = &'a str>) -> String {
        if self.left == 0 || wanted.chars().count() > MAX_HINT_CHARS {
            return String::new();
        }
        self.left -= 1;
        suggest(wanted, known)
    }
}

/// " (did you mean `x`?)" when a known id is one edit away (insert, delete, substitute, or
/// swap two adjacent characters: the optimal string alignment distance) or differs only in case.
fn suggest<'a>(wanted: &str, known: impl Iterator<Item = &'a str>) -> String {
    let lw = wanted.to_lowercase();
    let n = lw.chars().count();
    let mut best: Option<&str> = None;
    for k in known {
        // One edit changes the length by at most one character: skip the rest cheaply.
        if k.len() > 4 * (n + 1) || k.chars().count().abs_diff(n) > 1 {
            continue;
        }
        let lk = k.to_lowercase();
        if lk == lw || strsim::osa_distance(&lk, &lw) <= 1 {
            best = Some(match best {
                Some(b) if b <= k => b,
                _ => k,
            });
        }
    }
    best.map(|b| format!(" (did you mean `{b}`?)"))
        .unwrap_or_default()
}

/// One diagnostic per dependency cycle, naming every task on it in order.
fn find_cycles(project: &Project) -> Vec<Diagnostic> {
    let mut index: HashMap<&str, NodeIndex> = HashMap::with_capacity(project.tasks.len());
    let links: usize = project
        .tasks
        .iter()
        .map(|t| t.depends_on.len() + t.finish_with.len())
        .sum();
    let mut graph: DiGraph<usize, ()> = DiGraph::with_capacity(project.tasks.len(), links);
    for (i, t) in project.tasks.iter().enumerate() {
        index
            .entry(t.id.as_str())
            .or_insert_with(|| graph.add_node(i));
    }
    for t in &project.tasks {
        let to = index[t.id.as_str()];
        for dep in &t.depends_on {
            if dep.task == t.id {
                continue; // reported as a self-dependency
            }
            if let Some(&from) = index.get(dep.task.as_str()) {
                graph.update_edge(from, to, ());
            }
        }
        // A level-of-effort task ends with its finish_with tasks: it comes after them.
        for id in &t.finish_with {
            if let Some(&from) = index.get(id.as_str()) {
                if from != to {
                    graph.update_edge(from, to, ());
                }
            }
        }
    }
    let mut out = Vec::new();
    // Kosaraju's algorithm is iterative (petgraph's Tarjan recurses once per task along a
    // chain and overflows the stack at ~90,000 tasks).
    let mut sccs: Vec<Vec<NodeIndex>> = kosaraju_scc(&graph)
        .into_iter()
        .filter(|c| c.len() > 1)
        .collect();
    sccs.sort_by_key(|c| c.iter().map(|n| graph[*n]).min());
    for scc in sccs {
        let members: HashSet<NodeIndex> = scc.iter().copied().collect();
        let start = *scc
            .iter()
            .min_by_key(|n| graph[**n])
            .expect("non-empty scc");
        let cycle = cycle_through(&graph, &members, start);
        let names: Vec<&str> = cycle
            .iter()
            .map(|n| project.tasks[graph[*n]].id.as_str())
            .collect();
        let names = elide(&names, MAX_NAMED, " -> ");
        let first = &project.tasks[graph[start]];
        let mut msg = format!(
            "dependency cycle: {names} -> {}; remove one of these links",
            cycle_first(&project.tasks[graph[start]].id)
        );
        if scc.len() > cycle.len() {
            let mut all: Vec<&str> = scc
                .iter()
                .map(|n| project.tasks[graph[*n]].id.as_str())
                .collect();
            all.sort_unstable();
            msg.push_str(&format!(
                " (tasks caught in cycles together: {})",
                elide(&all, MAX_NAMED, ", ")
            ));
        }
        out.push(Diagnostic::at(
            &project.tasks_file,
            first.line,
            Some("depends_on"),
            msg,
        ));
    }
    out
}

/// How many tasks a cycle message names before it elides the rest.
const MAX_NAMED: usize = 40;

/// `names` joined by `sep`, at most `max` of them: the first ones, `… (N more) …` and the
/// last one, so a cycle of 100,000 tasks gives a message of bounded length.
fn elide(names: &[&str], max: usize, sep: &str) -> String {
    let shown = |s: &&str| shorten_id(s);
    if names.len() <= max {
        return names.iter().map(shown).collect::<Vec<_>>().join(sep);
    }
    let head: Vec<String> = names[..max - 1].iter().map(shown).collect();
    format!(
        "{}{sep}… ({} more) …{sep}{}",
        head.join(sep),
        names.len() - max,
        shorten_id(names[names.len() - 1])
    )
}

/// The first task of a cycle as named again at its end.
fn cycle_first(id: &str) -> String {
    shorten_id(id)
}

/// An id cut to 80 characters for messages that list many (a 65,536-character id would
/// otherwise make each of them enormous).
pub(crate) fn shorten_id(id: &str) -> String {
    if id.chars().count() <= 80 {
        id.to_string()
    } else {
        let mut s: String = id.chars().take(79).collect();
        s.push('…');
        s
    }
}

/// A shortest cycle through `start` inside one strongly connected component.
fn cycle_through(
    graph: &DiGraph<usize, ()>,
    members: &HashSet<NodeIndex>,
    start: NodeIndex,
) -> Vec<NodeIndex> {
    let mut parent: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(n) = queue.pop_front() {
        for s in graph.neighbors(n) {
            if s == start {
                let mut path = vec![n];
                let mut cur = n;
                while cur != start {
                    cur = parent[&cur];
                    path.push(cur);
                }
                path.reverse();
                return path;
            }
            if members.contains(&s) && !parent.contains_key(&s) {
                parent.insert(s, n);
                queue.push_back(s);
            }
        }
    }
    vec![start]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Estimate, Task};
    use std::path::PathBuf;

    fn task(id: &str, deps: &[&str], line: usize) -> Task {
        let links = deps.iter().map(|s| crate::model::Link::fs(s)).collect();
        Task::plain(id, Estimate::fixed(1.0).unwrap(), links, line)
    }

    fn project(tasks: Vec<Task>) -> Project {
        Project {
            currency: "USD".into(),
            ..Project::of_tasks("t", tasks, PathBuf::from("tasks.csv"))
        }
    }

    #[test]
    fn cycle_names_every_task_on_it() {
        let p = project(vec![
            task("a", &["c"], 2),
            task("b", &["a"], 3),
            task("c", &["b"], 4),
            task("d", &[], 5),
        ]);
        let d = validate(&p);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].message.contains("a -> b -> c -> a"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].line, Some(2));
    }

    #[test]
    fn unknown_and_self_and_duplicate_are_all_reported() {
        let p = project(vec![
            task("a", &["a"], 2),
            task("b", &["zz", "a"], 3),
            task("a", &[], 4),
        ]);
        let d = validate(&p);
        let text: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            text,
            [
                "tasks.csv:4: field `id`: duplicate task id `a` (first defined on line 2); ids \
                 must be unique",
                "tasks.csv:2: field `depends_on`: task `a` depends on itself; remove `a` from its \
                 depends_on",
                "tasks.csv:3: field `depends_on`: unknown task `zz`; use the id of a task in this \
                 file",
            ]
        );
    }

    #[test]
    fn suggestion_for_near_miss() {
        assert_eq!(
            suggest("trian", ["train", "eval"].into_iter()),
            " (did you mean `train`?)"
        );
        assert_eq!(suggest("zzz", ["train"].into_iter()), "");
    }
}
