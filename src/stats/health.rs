//! The schedule health check of `p80 check` (and of `health.csv`): DCMA 14-point and GAO style
//! checks of the plan's logic, durations, ranges and rates, computed once from the validated
//! [`Project`]. Each check counts what it finds, names the tasks (or resources) concerned and
//! compares the count with a threshold; the thresholds and their sources are in docs/format.md
//! ("Health check").

use crate::model::{LinkKind, Project, TaskKind};

/// DCMA check 8 (high duration): a task longer than this many working days is hard to
/// status and hides its detail.
pub const LONG_TASK_DAYS: f64 = 44.0;

/// A range whose pessimistic value is under this factor × the most likely value is
/// suspiciously narrow (p80's heuristic, after GAO's warning that narrow ranges understate
/// uncertainty).
pub const NARROW_FACTOR: f64 = 1.1;

/// How many findings a check tolerates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// At most this many.
    Count(usize),
    /// At most this fraction of the items checked (e.g. 0.05 of the tasks).
    Share(f64),
}

/// One check of the health check: what it counts, what it found and how that stands against
/// its threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Stable key, used as the `check` column of `health.csv` (e.g. `open_ends`).
    pub key: &'static str,
    /// Human title for the console (e.g. "open ends").
    pub title: &'static str,
    /// How many findings (links for the link checks, tasks or resources otherwise).
    pub count: usize,
    /// How many items were checked: the denominator of a [`Limit::Share`].
    pub out_of: usize,
    /// What `count` and `out_of` count: "tasks", "links" or "resources".
    pub unit: &'static str,
    /// The threshold.
    pub limit: Limit,
    /// Ids of the tasks (or resources) concerned, in plan (file) order, each once.
    pub items: Vec<String>,
}

impl Check {
    /// Whether the count is within the threshold (a share is compared exactly: count ≤
    /// share × out_of; nothing checked passes).
    pub fn passed(&self) -> bool {
        match self.limit {
            Limit::Count(n) => self.count <= n,
            Limit::Share(f) => self.count as f64 <= f * self.out_of as f64 + 1e-9,
        }
    }
}

/// Every check, in a fixed order (see [`Health::of`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    /// The checks, in the order they are printed.
    pub checks: Vec<Check>,
}

impl Health {
    /// Runs every check on a validated project, in this order: open ends, leads, lags,
    /// non-FS links, long tasks, narrow ranges, zero ranges, milestones with a range,
    /// resources without a rate. Definitions (all in docs/format.md):
    ///
    /// - *open ends*: tasks without a predecessor, or without a successor, other than the
    ///   project's start (the first task in file order without predecessors) and finish (of
    ///   the tasks without successors, the one that finishes last in the deterministic plan,
    ///   `early_finish`, indexed like `project.tasks`; ties: the last in file order); a level
    ///   of effort needs no successor
    ///   (its finish is set by `finish_with`). At most 5% of tasks.
    /// - *leads*: links with a negative lag (count of links; the successors are named). None.
    /// - *lags*: links with a positive lag. At most 5% of links.
    /// - *non-FS links*: links other than finish-to-start. At most 10% of links.
    /// - *long tasks*: work tasks (not milestones or levels of effort) whose most likely
    ///   duration exceeds [`LONG_TASK_DAYS`]. At most 5% of work tasks.
    /// - *narrow ranges*: work tasks with likely > 0, a range (optimistic < pessimistic) and
    ///   pessimistic < [`NARROW_FACTOR`] × likely. At most 5% of work tasks.
    /// - *zero ranges*: work tasks with likely > 0 and optimistic = pessimistic. At most 5%
    ///   of work tasks.
    /// - *milestones with a range*: tasks with a most likely duration of 0 (milestones in the
    ///   plan) whose pessimistic duration is above 0. None.
    /// - *resources without a rate*: resources whose rate (and pessimistic rate) is 0. None.
    ///
    /// Tasks whose duration comes from a throughput forecast are left out of the range checks
    /// (their range is the forecast's).
    pub fn of(project: &Project, early_finish: &[f64]) -> Health {
        let tasks = &project.tasks;
        let mut has_successor = vec![false; tasks.len()];
        // Looked up only, never iterated: foldhash hashes ids several times faster than SipHash.
        let index: foldhash::HashMap<&str, usize> = tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        for t in tasks {
            for l in &t.depends_on {
                if let Some(&i) = index.get(l.task.as_str()) {
                    has_successor[i] = true;
                }
            }
        }
        let start = tasks.iter().position(|t| t.depends_on.is_empty());
        let finish = (0..tasks.len())
            .filter(|&i| !has_successor[i])
            .max_by(|&a, &b| early_finish[a].total_cmp(&early_finish[b]).then(a.cmp(&b)));
        let open_ends: Vec<String> = tasks
            .iter()
            .enumerate()
            .filter(|&(i, t)| {
                let no_pred = t.depends_on.is_empty() && Some(i) != start;
                let no_succ =
                    !has_successor[i] && Some(i) != finish && t.kind != TaskKind::LevelOfEffort;
                no_pred || no_succ
            })
            .map(|(_, t)| t.id.clone())
            .collect();

        let links = tasks.iter().map(|t| t.depends_on.len()).sum::<usize>();
        let link_check = |key, title, limit, keep: &dyn Fn(&crate::model::Link) -> bool| {
            let mut count = 0;
            let mut items = Vec::new();
            for t in tasks {
                let n = t.depends_on.iter().filter(|l| keep(l)).count();
                count += n;
                if n > 0 {
                    items.push(t.id.clone());
                }
            }
            Check {
                key,
                title,
                count,
                out_of: links,
                unit: "links",
                limit,
                items,
            }
        };

        // Filters over the tasks, not lists of them: at 100k tasks each list was 0.8 MB on
        // top of the project just before the run (issue 15).
        let work = |t: &crate::model::Task| t.kind == TaskKind::Task && t.estimate.likely > 0.0;
        let ranged = |t: &crate::model::Task| work(t) && t.forecast.is_none();
        let count =
            |of: &dyn Fn(&crate::model::Task) -> bool| tasks.iter().filter(|t| of(t)).count();
        let task_check = |key, title, limit, out_of, found: Vec<String>| Check {
            key,
            title,
            count: found.len(),
            out_of,
            unit: "tasks",
            limit,
            items: found,
        };
        let ids = |of: &dyn Fn(&crate::model::Task) -> bool,
                   keep: &dyn Fn(&crate::model::Task) -> bool| {
            tasks
                .iter()
                .filter(|t| of(t) && keep(t))
                .map(|t| t.id.clone())
                .collect::<Vec<String>>()
        };
        let all = |_: &crate::model::Task| true;
        let unpriced: Vec<String> = project
            .resources
            .iter()
            .filter(|r| r.rate == 0.0 && r.rate_range.is_none_or(|e| e.pessimistic == 0.0))
            .map(|r| r.id.clone())
            .collect();

        Health {
            checks: vec![
                task_check(
                    "open_ends",
                    "open ends",
                    Limit::Share(0.05),
                    tasks.len(),
                    open_ends,
                ),
                link_check("leads", "leads (negative lags)", Limit::Count(0), &|l| {
                    l.lag < 0.0
                }),
                link_check("lags", "lags", Limit::Share(0.05), &|l| l.lag > 0.0),
                link_check("non_fs_links", "non-FS links", Limit::Share(0.10), &|l| {
                    l.kind != LinkKind::FinishToStart
                }),
                task_check(
                    "long_tasks",
                    "long tasks (> 44 working days)",
                    Limit::Share(0.05),
                    count(&work),
                    ids(&work, &|t| t.estimate.likely > LONG_TASK_DAYS),
                ),
                task_check(
                    "narrow_ranges",
                    "narrow ranges (pessimistic < 1.1 × likely)",
                    Limit::Share(0.05),
                    count(&ranged),
                    ids(&ranged, &|t| {
                        let e = t.estimate;
                        e.optimistic < e.pessimistic && e.pessimistic < NARROW_FACTOR * e.likely
                    }),
                ),
                task_check(
                    "zero_ranges",
                    "zero ranges",
                    Limit::Share(0.05),
                    count(&ranged),
                    ids(&ranged, &|t| {
                        t.estimate.optimistic == t.estimate.pessimistic
                    }),
                ),
                task_check(
                    "milestone_ranges",
                    "milestones with a range",
                    Limit::Count(0),
                    tasks.len(),
                    ids(&all, &|t| {
                        t.kind != TaskKind::LevelOfEffort
                            && t.estimate.likely == 0.0
                            && t.estimate.pessimistic > 0.0
                    }),
                ),
                Check {
                    key: "unpriced_resources",
                    title: "resources without a rate",
                    count: unpriced.len(),
                    out_of: project.resources.len(),
                    unit: "resources",
                    limit: Limit::Count(0),
                    items: unpriced,
                },
            ],
        }
    }

    /// The checks whose count exceeds their threshold.
    pub fn warnings(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.passed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testing::project;

    const HEADER: &str = "id,name,optimistic,likely,pessimistic,depends_on\n";

    /// The health check of a plan (the deterministic schedule from the engine).
    fn health(tasks: &str, resources: Option<&str>) -> Health {
        let p = project(&format!("{HEADER}{tasks}"), resources);
        let plan = crate::engine::CompiledPlan::compile(&p);
        Health::of(&p, &crate::engine::deterministic(&plan).early_finish)
    }

    /// The keys of the checks that failed on a plan.
    fn failed(tasks: &str, resources: Option<&str>) -> Vec<&'static str> {
        health(tasks, resources).warnings().map(|c| c.key).collect()
    }

    fn check(h: &Health, key: &str) -> Check {
        h.checks.iter().find(|c| c.key == key).unwrap().clone()
    }

    /// A clean chain: start, three tasks, finish; every range wide, links plain FS.
    const CLEAN: &str = "s,Start,0,0,0,\n\
                         a,A,2,4,8,s\n\
                         b,B,3,5,9,a\n\
                         c,C,1,2,4,a\n\
                         f,Finish,0,0,0,b;c\n";

    #[test]
    fn a_clean_plan_finds_nothing() {
        let h = health(CLEAN, None);
        assert!(h.warnings().next().is_none(), "{h:#?}");
        assert!(h.checks.iter().all(|c| c.count == 0 && c.items.is_empty()));
        assert_eq!(h.checks.len(), 9);
    }

    #[test]
    fn open_ends_are_found_and_the_start_and_finish_are_not() {
        // d has no successor, e no predecessor (and no successor): 2 of 7 tasks.
        let tasks = format!("{CLEAN}d,D,1,2,4,a\ne,E,1,2,4,\n");
        assert_eq!(failed(&tasks, None), ["open_ends"]);
        let h = health(&tasks, None);
        let c = check(&h, "open_ends");
        assert_eq!(
            (c.count, c.out_of, c.items),
            (2, 7, vec!["d".into(), "e".into()])
        );
    }

    #[test]
    fn a_second_task_without_predecessors_is_an_open_start() {
        // g feeds the finish but hangs from nothing: 1 of 6 tasks (over 5%).
        let tasks = CLEAN.replace("f,Finish,0,0,0,b;c", "g,G,1,2,4,\nf,Finish,0,0,0,b;c;g");
        assert_eq!(failed(&tasks, None), ["open_ends"]);
        assert_eq!(check(&health(&tasks, None), "open_ends").items, ["g"]);
    }

    #[test]
    fn leads_are_found() {
        let tasks = CLEAN.replace("b,B,3,5,9,a", "b,B,3,5,9,a:FS-1");
        // A lead is not a lag (lags are positive) and stays finish-to-start.
        assert_eq!(failed(&tasks, None), ["leads"]);
        let h = health(&tasks, None);
        assert_eq!(check(&h, "leads").items, ["b"]);
    }

    #[test]
    fn lags_are_found() {
        let tasks = CLEAN.replace("b,B,3,5,9,a", "b,B,3,5,9,a+2");
        assert_eq!(failed(&tasks, None), ["lags"]);
    }

    #[test]
    fn non_fs_links_are_found() {
        let tasks = CLEAN.replace("b,B,3,5,9,a", "b,B,3,5,9,a:SS");
        assert_eq!(failed(&tasks, None), ["non_fs_links"]);
        let h = health(&tasks, None);
        let c = check(&h, "non_fs_links");
        assert_eq!((c.count, c.out_of), (1, 5));
    }

    #[test]
    fn forecast_tasks_are_left_out_of_the_range_checks_only() {
        // b's range is narrow (5, 5.2 < 1.1 × 5) and c's is zero; both come from a forecast,
        // so neither is counted, nor checked, by the range checks: 2 of the 3 work tasks are left
        // out there. They still count as work tasks for the long-task check (c is long).
        let tasks = CLEAN
            .replace("b,B,3,5,9,a", "b,B,4,5,5.2,a")
            .replace("c,C,1,2,4,a", "c,C,50,50,50,a");
        let mut p = project(&format!("{HEADER}{tasks}"), None);
        let plain = Health::of(&p, &[0.0; 5]);
        assert_eq!(check(&plain, "narrow_ranges").items, ["b"]);
        assert_eq!(check(&plain, "zero_ranges").items, ["c"]);
        for t in p.tasks.iter_mut().filter(|t| t.id == "b" || t.id == "c") {
            t.forecast = Some("team".into());
        }
        let h = Health::of(&p, &[0.0; 5]);
        for key in ["narrow_ranges", "zero_ranges"] {
            let c = check(&h, key);
            assert!(c.items.is_empty(), "{key}: {:?}", c.items);
            assert_eq!(c.out_of, check(&plain, key).out_of - 2, "{key}");
        }
        assert_eq!(check(&h, "long_tasks").items, ["c"]);
        assert_eq!(
            check(&h, "long_tasks").out_of,
            check(&plain, "long_tasks").out_of
        );
    }

    #[test]
    fn long_tasks_are_found_over_44_days_only() {
        let long = CLEAN.replace("b,B,3,5,9,a", "b,B,40,45,60,a");
        assert_eq!(failed(&long, None), ["long_tasks"]);
        let exactly = CLEAN.replace("b,B,3,5,9,a", "b,B,40,44,60,a");
        assert!(failed(&exactly, None).is_empty());
    }

    #[test]
    fn narrow_ranges_are_found_under_1_1_times_likely() {
        let narrow = CLEAN.replace("b,B,3,5,9,a", "b,B,4,5,5.4,a");
        assert_eq!(failed(&narrow, None), ["narrow_ranges"]);
        let at = CLEAN.replace("b,B,3,5,9,a", "b,B,4,5,5.5,a");
        assert!(failed(&at, None).is_empty());
    }

    #[test]
    fn zero_ranges_are_found() {
        let tasks = CLEAN.replace("b,B,3,5,9,a", "b,B,5,5,5,a");
        assert_eq!(failed(&tasks, None), ["zero_ranges"]);
    }

    #[test]
    fn milestones_with_a_range_are_found() {
        let tasks = CLEAN.replace("f,Finish,0,0,0,b;c", "f,Finish,0,0,2,b;c");
        assert_eq!(failed(&tasks, None), ["milestone_ranges"]);
    }

    #[test]
    fn resources_without_a_rate_are_found() {
        let resources = "id,name,rate\ndev,Developer,500\nbot,Robot,0\n";
        assert_eq!(failed(CLEAN, Some(resources)), ["unpriced_resources"]);
        let h = health(CLEAN, Some(resources));
        assert_eq!(check(&h, "unpriced_resources").items, ["bot"]);
    }

    #[test]
    fn shares_compare_with_the_count_exactly() {
        let c = |count, out_of| Check {
            key: "lags",
            title: "lags",
            count,
            out_of,
            unit: "links",
            limit: Limit::Share(0.05),
            items: Vec::new(),
        };
        assert!(c(1, 20).passed()); // exactly 5%
        assert!(!c(2, 39).passed()); // 5.1%
        assert!(c(0, 0).passed());
    }
}
