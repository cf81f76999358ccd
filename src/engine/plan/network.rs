//! The network part of a compiled plan: tasks in topological order, their links, levels of
//! effort, earliest starts (start no earlier than), the tasks that can end the project and the
//! milestones.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use foldhash::HashMap;

use super::super::csr::Csr;
use super::super::rng::fnv1a;
use crate::model::{LinkKind, Project, TaskKind};

/// How a link constrains its successor: its type and lag (working days, negative for a lead).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkRule {
    /// Finish-to-start, start-to-start, finish-to-finish or start-to-finish.
    pub kind: LinkKind,
    /// Lag in working days (negative: a lead).
    pub lag: f64,
}

/// The rule of every link of a plain network: finish-to-start without lag.
pub const PLAIN_RULE: LinkRule = LinkRule {
    kind: LinkKind::FinishToStart,
    lag: 0.0,
};

/// Tasks in topological order and the links between them. Positions (`pos`) index every
/// per-task array of the plan.
///
/// Guarantees: every predecessor and every `finish_with` task of a position is at a smaller
/// position, so one forward sweep sees each task after everything it depends on.
#[derive(Debug, Clone)]
pub struct Network {
    order: Vec<usize>,
    name_hashes: Vec<u64>,
    preds: Csr<u32>,
    /// Parallel to `preds.items()` in a general network; in a plain one, [`PLAIN_RULE`] as
    /// many times as the most predecessors of a task.
    rules: Vec<LinkRule>,
    general: bool,
    is_loe: Vec<bool>,
    /// By position; empty when no task has an earliest start (`or_empty`).
    not_before: Vec<f64>,
    loe_ends: Csr<u32>,
    sinks: Vec<u32>,
    milestones: Vec<u32>,
}

impl Network {
    /// The network of a validated project (ids resolve, no cycles). `index` maps task ids to
    /// their index in `project.tasks`.
    ///
    /// The order is the file order wherever that is already topological (Kahn's algorithm
    /// taking the earliest row first), which keeps predecessors close in memory.
    ///
    /// # Panics
    /// If the project has a cycle; validation rules it out.
    pub(super) fn build(project: &Project, index: &HashMap<&str, usize>) -> Network {
        let n = project.tasks.len();
        // Edges for the order: links, and finish_with tasks before their level of effort.
        let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut indegree = vec![0usize; n];
        for (i, t) in project.tasks.iter().enumerate() {
            let froms = t
                .depends_on
                .iter()
                .map(|d| d.task.as_str())
                .chain(t.finish_with.iter().map(String::as_str));
            for from in froms {
                succs[index[from]].push(i);
                indegree[i] += 1;
            }
        }
        let mut ready: BinaryHeap<Reverse<usize>> =
            (0..n).filter(|&i| indegree[i] == 0).map(Reverse).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(Reverse(i)) = ready.pop() {
            order.push(i);
            for &s in &succs[i] {
                indegree[s] -= 1;
                if indegree[s] == 0 {
                    ready.push(Reverse(s));
                }
            }
        }
        assert_eq!(
            order.len(),
            n,
            "compile() needs an acyclic, validated project"
        );
        let mut pos_of = vec![0u32; n];
        for (pos, &i) in order.iter().enumerate() {
            pos_of[i] = pos as u32;
        }

        // Exact capacities: grown by doubling, the links' arrays held up to twice their size
        // (about 8 MB at 100,000 tasks, BENCHMARKS.md "Peak memory").
        let link_count: usize = project.tasks.iter().map(|t| t.depends_on.len()).sum();
        let mut preds = Csr::with_capacity(n, link_count);
        let mut rules = Vec::with_capacity(link_count);
        let mut loe_ends = Csr::with_capacity(n, 0);
        let mut is_loe = Vec::with_capacity(n);
        let mut not_before = Vec::with_capacity(n);
        let mut has_successor = vec![false; n];
        for &i in &order {
            let t = &project.tasks[i];
            let mut links: Vec<(u32, LinkRule)> = t
                .depends_on
                .iter()
                .map(|d| {
                    let rule = LinkRule {
                        kind: d.kind,
                        lag: d.lag,
                    };
                    (pos_of[index[d.task.as_str()]], rule)
                })
                .collect();
            links.sort_unstable_by_key(|l| l.0);
            for &(p, _) in &links {
                has_successor[p as usize] = true;
            }
            preds.push_row(links.iter().map(|l| l.0));
            rules.extend(links.iter().map(|l| l.1));
            loe_ends.push_row(t.finish_with.iter().map(|id| pos_of[index[id.as_str()]]));
            is_loe.push(t.kind == TaskKind::LevelOfEffort);
            not_before.push(t.not_before.filter(|b| *b > 0.0).unwrap_or(0.0));
        }
        let general = is_loe.iter().any(|&l| l)
            || not_before.iter().any(|&b| b > 0.0)
            || rules
                .iter()
                .any(|r| r.kind != LinkKind::FinishToStart || r.lag != 0.0);
        // A plain network's links are all finish-to-start without lag: one shared row of such
        // rules, as long as the most predecessors of a task, stands for every task's (3.2 MB
        // less at 100,000 tasks).
        let rules = if general {
            rules
        } else {
            let widest = (0..n).map(|pos| preds.row(pos).len()).max().unwrap_or(0);
            vec![PLAIN_RULE; widest]
        };
        let sinks = (0..n)
            .filter(|&pos| !is_loe[pos] && (general || !has_successor[pos]))
            .map(|pos| pos as u32)
            .collect();
        let milestones = {
            let mut m: Vec<(usize, u32)> = order
                .iter()
                .enumerate()
                .filter(|(_, &i)| project.tasks[i].kind == TaskKind::Milestone)
                .map(|(pos, &i)| (i, pos as u32))
                .collect();
            m.sort_unstable();
            m.into_iter().map(|(_, pos)| pos).collect()
        };
        Network {
            name_hashes: order
                .iter()
                .map(|&i| fnv1a(project.tasks[i].id.as_bytes()))
                .collect(),
            order,
            preds,
            rules,
            general,
            is_loe,
            not_before: super::or_empty(not_before, &0.0),
            loe_ends,
            sinks,
            milestones,
        }
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether there are no tasks.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The task's index in `Project::tasks` for each position (a permutation).
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The position of each task (indexed like `Project::tasks`): the inverse of [`Self::order`].
    pub fn positions(&self) -> Vec<u32> {
        let mut pos_of = vec![0u32; self.len()];
        for (pos, &i) in self.order.iter().enumerate() {
            pos_of[i] = pos as u32;
        }
        pos_of
    }

    /// The hash ([`fnv1a`]) of each task's id, by position: the ids name the random streams
    /// (8 bytes a task instead of a copy of every id: 2.2 MB less at 100,000 tasks).
    pub fn name_hashes(&self) -> &[u64] {
        &self.name_hashes
    }

    /// The predecessors of every position (one row per position, ascending, all smaller).
    pub fn preds(&self) -> &Csr<u32> {
        &self.preds
    }

    /// Predecessor positions of `pos`, ascending.
    #[inline(always)]
    pub fn preds_of(&self, pos: usize) -> &[u32] {
        self.preds.row(pos)
    }

    /// The range of `pos`'s predecessors among all links (indexes arrays parallel to the
    /// links, such as [`super::Slotting::pred_slots`]).
    #[inline(always)]
    pub fn pred_range(&self, pos: usize) -> std::ops::Range<usize> {
        self.preds.range(pos)
    }

    /// The links into `pos`: predecessor positions and, at the same index, each link's rule.
    #[inline(always)]
    pub fn links_of(&self, pos: usize) -> (&[u32], &[LinkRule]) {
        let r = self.preds.range(pos);
        let rules = if self.general {
            &self.rules[r.clone()]
        } else {
            &self.rules[..r.len()]
        };
        (&self.preds.items()[r], rules)
    }

    /// Every link's rule, parallel to `preds().items()`, in a general network; empty in a
    /// plain one (every rule is `PLAIN_RULE`; [`Self::links_of`] gives them).
    pub fn rules(&self) -> &[LinkRule] {
        if self.general {
            &self.rules
        } else {
            &[]
        }
    }

    /// The `finish_with` positions of every position (one row per position; empty for tasks
    /// that are not levels of effort).
    pub fn loe_ends(&self) -> &Csr<u32> {
        &self.loe_ends
    }

    /// Whether any link is not a plain finish-to-start without lag, any task is a level of
    /// effort or has an earliest start. Plain networks take the fast path: start = max of
    /// predecessors' finishes.
    pub fn is_general(&self) -> bool {
        self.general
    }

    /// The earliest start of position `pos` (working days; 0 = the project start): a
    /// start-no-earlier-than constraint. Any bound above 0 makes the network general.
    #[inline(always)]
    pub fn not_before(&self, pos: usize) -> f64 {
        self.not_before.get(pos).copied().unwrap_or(0.0)
    }

    /// Whether position `pos` is a level-of-effort task.
    #[inline(always)]
    pub fn is_loe(&self, pos: usize) -> bool {
        self.is_loe[pos]
    }

    /// The `finish_with` positions of a level-of-effort position (empty for other tasks).
    #[inline(always)]
    pub fn loe_ends_of(&self, pos: usize) -> &[u32] {
        self.loe_ends.row(pos)
    }

    /// Positions whose finish can end the project: the sinks in a plain network; every task
    /// but levels of effort in a general one (an SS or FF link, or a lead, lets a predecessor
    /// finish after its successors).
    pub fn sinks(&self) -> &[u32] {
        &self.sinks
    }

    /// Positions of the milestones, in file order.
    pub fn milestones(&self) -> &[u32] {
        &self.milestones
    }
}
