//! What the report reads from a project's tasks, taken before the engine runs: the tasks'
//! ids, names, kinds and expected own costs, who uses which resource, the risks as the report
//! lists them and the schedule health check. With these the `Project`'s tasks can be freed
//! for the simulation (issue 15: at 100k tasks they were 32 MB of the peak) and the report
//! finished from this and the engine's results, to the same bytes as from the project.

use super::health::Health;
use crate::model::{Billing, Project, Resource, RiskKind, Task, TaskKind};

/// The tasks as the report needs them, in file order, column by column (about 30 bytes a
/// task at 100k tasks, against 72 for a struct of two `CompactString`s and three numbers).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskFacts {
    /// Every task's id and then its name, one after the other.
    text: String,
    /// Where each task's id ends in `text` (index 2i) and where its name ends (2i + 1).
    ends: Vec<usize>,
    /// Ordinary task, milestone or level of effort.
    kinds: Vec<TaskKind>,
    /// Expected fixed cost: the mean of its three-point cost, or its cost.
    own_cost: Vec<f64>,
    /// `(task, money per working day)` for the tasks with resources, by task: Σ units × mean
    /// daily rate of the resources billed by task (team-billed resources are paid by their
    /// team pay, not per task).
    per_day: Vec<(u32, f64)>,
}

impl TaskFacts {
    /// How many tasks.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// Task `i`'s id.
    pub fn id(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[2 * i - 1] };
        &self.text[start..self.ends[2 * i]]
    }

    /// Task `i`'s name.
    pub fn name(&self, i: usize) -> &str {
        &self.text[self.ends[2 * i]..self.ends[2 * i + 1]]
    }

    /// Every task's kind, in file order.
    pub fn kinds(&self) -> &[TaskKind] {
        &self.kinds
    }

    /// Every task's expected cost given its mean duration (`mean_duration`, indexed like the
    /// tasks): fixed cost + money per day × mean duration (the sum over no resource, for a
    /// task without any, as the project's tasks would give it).
    pub fn mean_costs<'a>(&'a self, mean_duration: &'a [f64]) -> impl Iterator<Item = f64> + 'a {
        let none: f64 = std::iter::empty::<f64>().sum();
        let mut with = self.per_day.iter().peekable();
        (self.own_cost.iter().zip(mean_duration).enumerate()).map(move |(i, (&own, &d))| {
            let per_day = match with.next_if(|(t, _)| *t as usize == i) {
                Some(&(_, p)) => p,
                None => none,
            };
            own + per_day * d
        })
    }

    fn with_capacity(tasks: usize, text: usize) -> TaskFacts {
        TaskFacts {
            text: String::with_capacity(text),
            ends: Vec::with_capacity(2 * tasks),
            kinds: Vec::with_capacity(tasks),
            own_cost: Vec::with_capacity(tasks),
            per_day: Vec::new(),
        }
    }
}

/// One assignment of a resource to a task, by index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResourceUse {
    /// Index in `Project::tasks`.
    pub task: u32,
    /// Index in `Project::resources`.
    pub resource: u32,
    /// Units assigned.
    pub units: f64,
}

/// A risk as the report lists it (without the tasks it affects).
#[derive(Debug, Clone, PartialEq)]
pub struct RiskFacts {
    /// Risk id.
    pub id: String,
    /// Risk name.
    pub name: String,
    /// Event or driver.
    pub kind: RiskKind,
    /// The probability given in the register.
    pub probability: f64,
}

/// Everything the report reads from a validated project (see the module doc).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFacts {
    /// Project name.
    pub project: String,
    /// Currency of costs.
    pub currency: String,
    /// Every task, in file order (indexed like `Project::tasks`).
    pub tasks: TaskFacts,
    /// The resources, in file order.
    pub resources: Vec<Resource>,
    /// Every assignment, by task in file order, then in the task's order.
    pub uses: Vec<ResourceUse>,
    /// The risk register, in register order.
    pub risks: Vec<RiskFacts>,
    /// The schedule health check ([`Health::of`]).
    pub health: Health,
}

impl PlanFacts {
    /// The facts of a validated `project`; `early_finish` is its deterministic plan's,
    /// indexed like `project.tasks` (for the health check).
    pub fn new(project: &Project, early_finish: &[f64]) -> PlanFacts {
        let health = Health::of(project, early_finish);
        let mut uses = Uses::new(&project.resources, &project.tasks);
        for (i, t) in project.tasks.iter().enumerate() {
            uses.task(i, t);
        }
        let (tasks, uses) = (uses.tasks, uses.found);
        PlanFacts::of(project, tasks, uses, health)
    }

    /// [`Self::new`], taking the tasks out of `project` (it is left without tasks): each
    /// task's lists are freed once it is read.
    pub fn take(project: &mut Project, early_finish: &[f64]) -> PlanFacts {
        let health = Health::of(project, early_finish);
        let read = std::mem::take(&mut project.tasks);
        let mut uses = Uses::new(&project.resources, &read);
        for (i, t) in read.into_iter().enumerate() {
            uses.task(i, &t);
        }
        let (tasks, uses) = (uses.tasks, uses.found);
        PlanFacts::of(project, tasks, uses, health)
    }

    fn of(
        project: &Project,
        mut tasks: TaskFacts,
        mut uses: Vec<ResourceUse>,
        health: Health,
    ) -> PlanFacts {
        uses.shrink_to_fit();
        tasks.per_day.shrink_to_fit();
        PlanFacts {
            project: project.name.clone(),
            currency: project.currency.clone(),
            tasks,
            resources: project.resources.clone(),
            uses,
            risks: project
                .risks
                .iter()
                .map(|r| RiskFacts {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    kind: r.kind,
                    probability: r.probability,
                })
                .collect(),
            health,
        }
    }
}

/// The tasks' facts and the assignments found so far, task by task.
struct Uses<'a> {
    resources: &'a [Resource],
    /// Resource ids (looked up only, never iterated).
    index: foldhash::HashMap<&'a str, usize>,
    found: Vec<ResourceUse>,
    tasks: TaskFacts,
}

impl<'a> Uses<'a> {
    /// Room for `tasks`' facts.
    fn new(resources: &'a [Resource], tasks: &[Task]) -> Uses<'a> {
        let text = tasks.iter().map(|t| t.id.len() + t.name.len()).sum();
        Uses {
            resources,
            index: (resources.iter().enumerate())
                .map(|(i, r)| (r.id.as_str(), i))
                .collect(),
            found: Vec::new(),
            tasks: TaskFacts::with_capacity(tasks.len(), text),
        }
    }

    /// Records task `i`: its facts and its assignments.
    fn task(&mut self, i: usize, t: &Task) {
        for a in &t.resources {
            if let Some(&r) = self.index.get(a.resource.as_str()) {
                self.found.push(ResourceUse {
                    task: i as u32,
                    resource: r as u32,
                    units: a.units,
                });
            }
        }
        let f = &mut self.tasks;
        if !t.resources.is_empty() {
            // Rates and durations are independent draws, so E[rate × duration] = E[rate] ×
            // E[duration].
            let per_day = t
                .resources
                .iter()
                .filter_map(|a| {
                    let r = &self.resources[*self.index.get(a.resource.as_str())?];
                    (r.billing == Billing::Task).then(|| a.units * mean_daily_rate(r))
                })
                .sum();
            f.per_day.push((i as u32, per_day));
        }
        f.text.push_str(&t.id);
        f.ends.push(f.text.len());
        f.text.push_str(&t.name);
        f.ends.push(f.text.len());
        f.kinds.push(t.kind);
        f.own_cost
            .push(t.cost_range.as_deref().map_or(t.cost, |r| r.mean()));
    }
}

/// The tasks with two or more predecessors and their predecessors (for the merge bias of
/// `--drivers`), by index: taken from the project before the run, like [`PlanFacts`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Merges {
    /// `(task, end)`: the task's predecessors are `predecessors[previous end..end]`; tasks in
    /// file order.
    pub points: Vec<(u32, u32)>,
    /// Indices in `Project::tasks`, in the order of each task's `depends_on`.
    pub predecessors: Vec<u32>,
}

impl Merges {
    /// The merge points of a validated `project` (every link names a task).
    pub fn of(project: &Project) -> Merges {
        // Looked up only, never iterated.
        let index: foldhash::HashMap<&str, u32> = project
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i as u32))
            .collect();
        let mut m = Merges::default();
        for (i, t) in project.tasks.iter().enumerate() {
            if t.depends_on.len() >= 2 {
                m.predecessors.extend(
                    t.depends_on
                        .iter()
                        .filter_map(|l| index.get(l.task.as_str()).copied()),
                );
                m.points.push((i as u32, m.predecessors.len() as u32));
            }
        }
        m.points.shrink_to_fit();
        m.predecessors.shrink_to_fit();
        m
    }

    /// Every merge point as (task, its predecessors), in file order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &[u32])> {
        let mut start = 0;
        self.points.iter().map(move |&(task, end)| {
            let p = &self.predecessors[start as usize..end as usize];
            start = end;
            (task as usize, p)
        })
    }
}

/// A resource's expected daily rate: the mean of its three-point rate, or its rate.
pub(crate) fn mean_daily_rate(r: &Resource) -> f64 {
    let per_day = match r.unit {
        crate::model::RateUnit::Hour => r.hours_per_day,
        crate::model::RateUnit::Day => 1.0,
    };
    r.rate_range.map_or(r.rate, |e| e.mean()) * per_day
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, CompiledPlan, RunSpec, Standard};
    use crate::stats::testing::project;
    use crate::stats::Report;

    /// Task- and team-billed resources, a task without any, a three-point cost, a milestone,
    /// a merge of two predecessors and names with multi-byte characters.
    fn plan() -> Project {
        project(
            "id,name,type,optimistic,likely,pessimistic,depends_on,resources,cost_likely,cost_optimistic,cost_pessimistic\n\
             a,Étude,,2,4,8,,dev:2;ops,100,,\n\
             b,Build,,3,6,12,a,,200,100,600\n\
             c,Ça marche,,1,2,3,a,ops:0.5,,,\n\
             m,Done,milestone,0,0,0,b;c,,,,\n",
            Some(
                "id,rate,capacity,billing\n\
                 dev,100,2,task\n\
                 ops,40,1,team\n",
            ),
        )
    }

    #[test]
    fn ids_names_kinds_and_costs_are_read_back_per_task() {
        let p = plan();
        let f = PlanFacts::new(&p, &[4.0, 10.0, 6.0, 10.0]);
        let t = &f.tasks;
        assert_eq!(t.len(), 4);
        let names: Vec<(&str, &str)> = (0..4).map(|i| (t.id(i), t.name(i))).collect();
        assert_eq!(
            names,
            [
                ("a", "Étude"),
                ("b", "Build"),
                ("c", "Ça marche"),
                ("m", "Done")
            ]
        );
        assert_eq!(t.kinds()[3], TaskKind::Milestone);
        // a: 100 fixed + 2 × 100 a day from dev (ops is paid as a team, not per task);
        // b: the mean of its three-point cost (PERT: (100 + 4 × 200 + 600) / 6 = 250), no
        // resource; c: ops only, so nothing a day; m: nothing.
        let costs: Vec<f64> = t.mean_costs(&[3.0, 5.0, 2.0, 0.0]).collect();
        assert_eq!(costs, [100.0 + 200.0 * 3.0, 250.0, 0.0, 0.0]);
        // Every assignment, by task then in the task's order, by index.
        let uses: Vec<(u32, u32, f64)> = f
            .uses
            .iter()
            .map(|u| (u.task, u.resource, u.units))
            .collect();
        assert_eq!(uses, [(0, 0, 2.0), (0, 1, 1.0), (2, 1, 0.5)]);
        let merges: Vec<(usize, Vec<u32>)> = Merges::of(&p)
            .iter()
            .map(|(t, pred)| (t, pred.to_vec()))
            .collect();
        assert_eq!(merges, [(3, vec![1, 2])]);
    }

    #[test]
    fn taking_the_tasks_gives_the_report_the_project_gives() {
        let mut p = plan();
        let plan = CompiledPlan::compile(&p);
        let schedule = engine::deterministic(&plan);
        let sim = engine::run(&plan, &RunSpec::new(300, 5), &Standard);
        let kept = Report::new(&p, &schedule, &sim, 5, 0.8);
        let facts = PlanFacts::take(&mut p, &schedule.early_finish);
        assert!(p.tasks.is_empty());
        assert_eq!(Report::from_facts(facts, &schedule, &sim, 5, 0.8), kept);
    }
}
