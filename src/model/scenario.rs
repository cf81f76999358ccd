//! Scenarios: named variations of a plan (`[[scenario]]` in project.toml) — more or fewer
//! people, other rates, other assignments, other estimates or fixed costs — compared by
//! `p80 compare`. The plan as written is the scenario [`BASELINE`].

use std::path::PathBuf;

use super::{validate, Assignment, Distribution, Estimate, Project, TaskKind};
use crate::error::Diagnostic;

/// The name of the plan as written; reserved.
pub const BASELINE: &str = "baseline";

/// One override of a scenario: `id = value` inside one of its tables, with the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct Override<T> {
    /// The resource or task id.
    pub id: String,
    /// The new value.
    pub value: T,
    /// 1-based line in the project file.
    pub line: usize,
}

/// A money amount in an override: a fixed value, or three points `[optimistic, likely,
/// pessimistic]` sampled in every iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Amount {
    /// Exactly this (any range in the plan is dropped).
    Fixed(f64),
    /// A three-point range.
    Range([f64; 3]),
}

/// A named set of changes to the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Unique name (never [`BASELINE`]).
    pub name: String,
    /// The project file the scenario is written in, for messages.
    pub file: PathBuf,
    /// Line of the scenario's `name`.
    pub line: usize,
    /// `based_on = "team of three"`: the earlier scenario whose changes this one starts from;
    /// `None` starts from the plan as written.
    pub based_on: Option<String>,
    /// `capacity = { ds = 2 }`: units available at once; `None` is unlimited.
    pub capacity: Vec<Override<Option<f64>>>,
    /// `rate = { gpu = 48 }`: the resource's rate, in the unit of its `unit` column.
    pub rate: Vec<Override<Amount>>,
    /// `assign = { hpo = "gpu:1;ds:1" }`: replaces the task's resources.
    pub assign: Vec<Override<Vec<Assignment>>>,
    /// `estimate = { hpo = [5, 7, 12] }`: the task's optimistic, likely and pessimistic
    /// durations (its distribution is kept).
    pub estimate: Vec<Override<[f64; 3]>>,
    /// `cost = { labelling = 30000 }`: the task's fixed cost.
    pub cost: Vec<Override<Amount>>,
    /// `available_from = { de2 = "2027-03-01" }`: when the resource joins, in working days
    /// after the start (`None`: from the start).
    pub available_from: Vec<Override<Option<f64>>>,
    /// `available_until = { c = 40 }`: when the resource leaves, in working days after the
    /// start (`None`: never).
    pub available_until: Vec<Override<Option<f64>>>,
    /// The project's default distribution, for ranges given as three points.
    pub distribution: Distribution,
}

impl Scenario {
    /// A copy of `project` with the scenario's changes, validated again. Unknown ids and
    /// invalid estimates are reported at the line of their override, with its field.
    pub fn apply(&self, project: &Project) -> Result<Project, Vec<Diagnostic>> {
        let mut p = project.clone();
        let mut errors = Vec::new();
        let err = |line: usize, field: &str, msg: String| {
            Diagnostic::at(
                &self.file,
                line,
                Some(field),
                format!("scenario `{}`: {msg}", self.name),
            )
        };
        let resource = |id: &str| project.resources.iter().position(|r| r.id == id);
        let task = |id: &str| project.tasks.iter().position(|t| t.id == id);
        let unknown_resource = |id: &str| {
            if project.resources.is_empty() {
                format!(
                    "unknown resource `{id}`: the project has no resources (name a resources \
                     file with `resources = \"resources.csv\"` in [project])"
                )
            } else {
                format!(
                    "unknown resource `{id}`; the resources are {}",
                    list(project.resources.iter().map(|r| r.id.as_str()))
                )
            }
        };
        let unknown_task = |id: &str| {
            format!(
                "unknown task `{id}`; use an id from {}",
                project.tasks_file.display()
            )
        };

        for o in &self.capacity {
            match resource(&o.id) {
                Some(r) => p.resources[r].capacity = o.value,
                None => errors.push(err(o.line, "capacity", unknown_resource(&o.id))),
            }
        }
        for o in &self.rate {
            let Some(r) = resource(&o.id) else {
                errors.push(err(o.line, "rate", unknown_resource(&o.id)));
                continue;
            };
            let dist = project.resources[r]
                .rate_range
                .map_or(self.distribution, |e| e.distribution);
            match self.amount(o.value, dist) {
                Ok((likely, range)) => {
                    p.resources[r].rate = likely;
                    p.resources[r].rate_range = range;
                }
                Err(m) => errors.push(err(o.line, "rate", format!("`{}`: {m}", o.id))),
            }
        }
        for o in &self.assign {
            let Some(t) = task(&o.id) else {
                errors.push(err(o.line, "assign", unknown_task(&o.id)));
                continue;
            };
            let mut ok = true;
            if o.value.is_empty() && project.tasks[t].effort.is_some() {
                errors.push(err(
                    o.line,
                    "assign",
                    format!(
                        "task `{}` is effort-driven: it needs resources (its duration is effort \
                         ÷ units)",
                        o.id
                    ),
                ));
                ok = false;
            }
            for a in &o.value {
                if resource(&a.resource).is_none() {
                    errors.push(err(
                        o.line,
                        "assign",
                        format!("task `{}`: {}", o.id, unknown_resource(&a.resource)),
                    ));
                    ok = false;
                }
            }
            if ok {
                p.tasks[t].resources = o.value.clone();
            }
        }
        for o in &self.estimate {
            let Some(t) = task(&o.id) else {
                errors.push(err(o.line, "estimate", unknown_task(&o.id)));
                continue;
            };
            let what = match project.tasks[t].kind {
                TaskKind::Task => None,
                TaskKind::Milestone => Some("a milestone"),
                TaskKind::LevelOfEffort => Some("a level of effort"),
            };
            let what = what.or(project.tasks[t].effort.is_some().then_some("effort-driven"));
            if let Some(f) = &project.tasks[t].forecast {
                errors.push(err(
                    o.line,
                    "estimate",
                    format!(
                        "task `{}` takes its duration from [forecast.{f}]; change that forecast's \
                         backlog instead of the task's estimate",
                        o.id
                    ),
                ));
                continue;
            }
            if let Some(what) = what {
                errors.push(err(
                    o.line,
                    "estimate",
                    format!(
                        "task `{}` is {what}: its duration is not estimated; remove it from \
                         `estimate`",
                        o.id
                    ),
                ));
                continue;
            }
            let [optimistic, likely, pessimistic] = o.value;
            match Estimate::new(
                optimistic,
                likely,
                pessimistic,
                project.tasks[t].estimate.distribution,
            ) {
                Ok(e) => p.tasks[t].estimate = e,
                Err((_, m)) => {
                    errors.push(err(o.line, "estimate", format!("task `{}`: {m}", o.id)))
                }
            }
        }
        for o in &self.cost {
            let Some(t) = task(&o.id) else {
                errors.push(err(o.line, "cost", unknown_task(&o.id)));
                continue;
            };
            let dist = project.tasks[t]
                .cost_range
                .as_deref()
                .map_or(self.distribution, |e| e.distribution);
            match self.amount(o.value, dist) {
                Ok((likely, range)) => {
                    p.tasks[t].cost = likely;
                    p.tasks[t].cost_range = range.map(Box::new);
                }
                Err(m) => errors.push(err(o.line, "cost", format!("`{}`: {m}", o.id))),
            }
        }
        for (list, field) in [
            (&self.available_from, "available_from"),
            (&self.available_until, "available_until"),
        ] {
            for o in list {
                match resource(&o.id) {
                    Some(r) if field == "available_from" => p.resources[r].available_from = o.value,
                    Some(r) => p.resources[r].available_until = o.value,
                    None => errors.push(err(o.line, field, unknown_resource(&o.id))),
                }
            }
        }
        for r in &p.resources {
            if let (Some(a), Some(b)) = (r.available_from, r.available_until) {
                let set =
                    |l: &[Override<Option<f64>>]| l.iter().find(|o| o.id == r.id).map(|o| o.line);
                if b <= a {
                    if let Some(line) = set(&self.available_until).or(set(&self.available_from)) {
                        errors.push(err(
                            line,
                            "available_until",
                            format!(
                                "`{}` leaves (working day {b}) before it joins (working day \
                                 {a}); give an available_until after available_from",
                                r.id
                            ),
                        ));
                    }
                }
            }
        }
        // Effort-driven tasks follow their (possibly new) assignments.
        for d in p.derive_effort_durations() {
            errors.push(Diagnostic {
                message: format!("with scenario `{}`: {}", self.name, d.message),
                ..d
            });
        }
        // A task cannot use more units than exist at once (levelling could never start it).
        if errors.is_empty() {
            for (t, task) in p.tasks.iter().enumerate() {
                for a in &task.resources {
                    let Some(r) = p.resources.iter().find(|r| r.id == a.resource) else {
                        continue;
                    };
                    let Some(cap) = r.capacity.filter(|&c| a.units > c) else {
                        continue;
                    };
                    let assigned = self.assign.iter().find(|o| o.id == task.id);
                    let capped = self.capacity.iter().find(|o| o.id == r.id);
                    let (line, field) = match (assigned, capped) {
                        (Some(o), _) => (o.line, "assign"),
                        (None, Some(o)) => (o.line, "capacity"),
                        (None, None) => continue, // as in the plan: validation reports it
                    };
                    errors.push(err(
                        line,
                        field,
                        format!(
                            "task `{}` uses {} units of `{}` but its capacity is {cap}; lower \
                             the units or raise the capacity",
                            project.tasks[t].id, a.units, r.id
                        ),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        // Every change was checked above; this only guards the plan's invariants.
        let problems = validate(&p);
        if !problems.is_empty() {
            return Err(problems
                .into_iter()
                .map(|d| Diagnostic {
                    message: format!("with scenario `{}`: {}", self.name, d.message),
                    ..d
                })
                .collect());
        }
        Ok(p)
    }
}

impl Scenario {
    /// The likely value and the range (`None` when fixed) of an amount.
    fn amount(&self, a: Amount, dist: Distribution) -> Result<(f64, Option<Estimate>), String> {
        match a {
            Amount::Fixed(v) => Ok((v, None)),
            Amount::Range([o, m, p]) => {
                let e = Estimate::new(o, m, p, dist).map_err(|(_, msg)| {
                    msg.replace("working days", "money")
                        .replace("durations are", "amounts are")
                })?;
                Ok((m, (o != p).then_some(e)))
            }
        }
    }
}

/// `a, b, c` (the first 12, then `…`).
fn list<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.collect();
    let mut s = ids
        .iter()
        .take(12)
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > 12 {
        s.push_str(", …");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Distribution, Estimate, RateUnit, Resource, Task};

    /// `train` (ds) and `eval` (no resources), triangular 2/3/5; `ds` at 100 a day with
    /// capacity 1 and `gpu` at 2 an hour, 24 hours a day, unlimited. Built from model types
    /// (the model does not read files).
    fn project() -> Project {
        let task = |id: &str, line: usize, resources: Vec<Assignment>| Task {
            resources,
            ..Task::plain(
                id,
                Estimate::new(2.0, 3.0, 5.0, Distribution::Triangular).unwrap(),
                vec![],
                line,
            )
        };
        let resource = |id: &str, rate: f64, unit, hours_per_day, capacity, line| Resource {
            id: String::from(id),
            name: String::new(),
            rate,
            unit,
            hours_per_day,
            capacity,
            rate_range: None,
            billing: crate::model::Billing::Task,
            available_from: None,
            available_until: None,
            line,
        };
        let ds = Assignment {
            resource: "ds".into(),
            units: 1.0,
        };
        let tasks = vec![task("train", 2, vec![ds]), task("eval", 3, vec![])];
        Project {
            resources: vec![
                resource("ds", 100.0, RateUnit::Day, 8.0, Some(1.0), 2),
                resource("gpu", 2.0, RateUnit::Hour, 24.0, None, 3),
            ],
            resources_file: Some("resources.csv".into()),
            ..Project::of_tasks("p", tasks, "tasks.csv".into())
        }
    }

    fn scenario() -> Scenario {
        Scenario {
            name: "s".into(),
            file: "project.toml".into(),
            line: 10,
            based_on: None,
            capacity: vec![],
            rate: vec![],
            assign: vec![],
            estimate: vec![],
            cost: vec![],
            available_from: vec![],
            available_until: vec![],
            distribution: Distribution::Pert,
        }
    }

    fn o<T>(id: &str, value: T, line: usize) -> Override<T> {
        Override {
            id: id.into(),
            value,
            line,
        }
    }

    #[test]
    fn an_empty_scenario_is_the_plan() {
        assert_eq!(scenario().apply(&project()).unwrap(), project());
    }

    #[test]
    fn overrides_change_a_copy() {
        let s = Scenario {
            capacity: vec![o("ds", Some(2.0), 11), o("gpu", Some(3.0), 11)],
            rate: vec![o("gpu", Amount::Fixed(2.5), 12)],
            assign: vec![o(
                "train",
                vec![
                    Assignment {
                        resource: "gpu".into(),
                        units: 2.0,
                    },
                    Assignment {
                        resource: "ds".into(),
                        units: 1.0,
                    },
                ],
                13,
            )],
            estimate: vec![o("eval", [1.0, 2.0, 4.0], 14)],
            cost: vec![o("eval", Amount::Range([400.0, 500.0, 800.0]), 15)],
            ..scenario()
        };
        let base = project();
        let p = s.apply(&base).unwrap();
        assert_eq!(p.resources[0].capacity, Some(2.0));
        assert_eq!(p.resources[1].capacity, Some(3.0));
        assert_eq!(p.resources[1].rate, 2.5);
        assert_eq!(p.tasks[0].resources.len(), 2);
        assert_eq!(p.tasks[0].resources[0].resource, "gpu");
        assert_eq!(
            (
                p.tasks[1].estimate.optimistic,
                p.tasks[1].estimate.pessimistic
            ),
            (1.0, 4.0)
        );
        assert_eq!(p.tasks[1].estimate.distribution, Distribution::Triangular);
        assert_eq!(p.tasks[1].cost, 500.0);
        assert_eq!(
            p.tasks[1].cost_range.as_deref().map(|r| r.pessimistic),
            Some(800.0)
        );
        assert_eq!(p.resources[1].rate_range, None);
        assert_eq!(base, project(), "the plan itself is unchanged");
    }

    #[test]
    fn unknown_ids_and_bad_estimates_name_line_and_field() {
        let s = Scenario {
            capacity: vec![o("dss", Some(2.0), 11)],
            rate: vec![o("gpu", Amount::Fixed(2.5), 12)],
            assign: vec![
                o(
                    "train",
                    vec![Assignment {
                        resource: "tpu".into(),
                        units: 1.0,
                    }],
                    13,
                ),
                o("nosuch", vec![], 13),
            ],
            estimate: vec![o("eval", [3.0, 2.0, 4.0], 14)],
            cost: vec![o("x", Amount::Fixed(1.0), 15)],
            ..scenario()
        };
        let e: Vec<String> = s
            .apply(&project())
            .unwrap_err()
            .iter()
            .map(Diagnostic::to_string)
            .collect();
        assert_eq!(e.len(), 5, "{e:#?}");
        assert_eq!(e[0], "project.toml:11: field `capacity`: scenario `s`: unknown resource `dss`; the resources are `ds`, `gpu`");
        assert_eq!(e[1], "project.toml:13: field `assign`: scenario `s`: task `train`: unknown resource `tpu`; the resources are `ds`, `gpu`");
        assert_eq!(e[2], "project.toml:13: field `assign`: scenario `s`: unknown task `nosuch`; use an id from tasks.csv");
        assert_eq!(e[3], "project.toml:14: field `estimate`: scenario `s`: task `eval`: optimistic 3 is greater than likely 2; estimates must satisfy optimistic <= likely <= pessimistic");
        assert_eq!(e[4], "project.toml:15: field `cost`: scenario `s`: unknown task `x`; use an id from tasks.csv");
    }

    #[test]
    fn more_units_than_the_capacity_is_reported_at_the_override() {
        let two_gpus = vec![Assignment {
            resource: "gpu".into(),
            units: 2.0,
        }];
        let s = Scenario {
            capacity: vec![o("gpu", Some(1.0), 11)],
            assign: vec![o("train", two_gpus.clone(), 12)],
            ..scenario()
        };
        let e = s.apply(&project()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:#?}");
        assert_eq!(e[0].to_string(), "project.toml:12: field `assign`: scenario `s`: task `train` uses 2 units of `gpu` but its capacity is 1; lower the units or raise the capacity");
        let mut base = project();
        base.tasks[0].resources = two_gpus;
        let s = Scenario {
            capacity: vec![o("gpu", Some(1.5), 11)],
            ..scenario()
        };
        let e = s.apply(&base).unwrap_err();
        assert_eq!(e[0].to_string(), "project.toml:11: field `capacity`: scenario `s`: task `train` uses 2 units of `gpu` but its capacity is 1.5; lower the units or raise the capacity");
    }
}
