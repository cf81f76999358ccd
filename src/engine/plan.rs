//! The compiled plan: a validated [`Project`] flattened once into arrays in topological order,
//! so the simulation's inner loop touches only contiguous memory.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::pert_table::{self, Row};
use super::sampler::Sampler;

/// At most this many distinct PERT shapes get a pre-blended row (4 KiB each); the rest sample
/// from the shared table directly (two rows per draw, ~20% slower, same values up to f32
/// rounding).
pub const MAX_BLENDED_ROWS: usize = 1024;

/// Gives each distinct PERT shape (in plan order, up to the cap) its own blended row.
fn blend_pert_rows(samplers: &mut [Sampler]) -> Vec<Row> {
    let mut index: HashMap<(u32, u32), u32> = HashMap::new();
    let mut rows: Vec<Row> = Vec::new();
    if !samplers.iter().any(|s| matches!(s, Sampler::Pert { .. })) {
        return rows;
    }
    let table = pert_table::table(); // built now (in parallel), not inside the first chunk
    for s in samplers.iter_mut() {
        if let Sampler::Pert {
            row, w, blended, ..
        } = s
        {
            let key = (*row, w.to_bits());
            let next = rows.len();
            if let Some(&i) = index.get(&key) {
                *blended = i;
            } else if next < MAX_BLENDED_ROWS {
                rows.push(*table.blend(*row as usize, *w));
                index.insert(key, next as u32);
                *blended = next as u32;
            }
        }
    }
    rows
}
use crate::model::Project;

/// A plan ready to simulate. Positions (`pos`) index the arrays in topological order;
/// `order[pos]` is the task's index in `Project::tasks`.
#[derive(Debug, Clone)]
pub struct CompiledPlan {
    /// Task index in the project for each position.
    pub order: Vec<usize>,
    /// Task ids by position (they name the random streams).
    pub ids: Vec<String>,
    /// Duration sampler by position.
    pub samplers: Vec<Sampler>,
    /// Most likely duration by position (the deterministic plan).
    pub likely: Vec<f64>,
    /// Predecessors of position `pos` are `preds[pred_start[pos]..pred_start[pos + 1]]`,
    /// all at smaller positions.
    pub pred_start: Vec<u32>,
    /// Flattened predecessor positions.
    pub preds: Vec<u32>,
    /// Positions with no successor: the project ends when the last of them finishes.
    pub sinks: Vec<u32>,
    /// Money per working day of duration, by position (Σ units × daily rate).
    pub cost_per_day: Vec<f64>,
    /// Sum of the tasks' fixed costs.
    pub fixed_cost: f64,
    /// One pre-blended PERT quantile row per distinct shape (at most [`MAX_BLENDED_ROWS`]),
    /// indexed by `Sampler::Pert::blended`.
    pub pert_rows: Vec<Row>,
    /// Fixed cost by position.
    pub task_fixed_cost: Vec<f64>,
}

impl CompiledPlan {
    /// Flattens a project that passed [`crate::model::validate`].
    ///
    /// The order is the file order wherever that is already topological (Kahn's algorithm
    /// taking the earliest row first), which keeps predecessors close in memory.
    ///
    /// # Panics
    /// If the project has unknown references or a cycle; validation rules these out.
    pub fn compile(project: &Project) -> CompiledPlan {
        let n = project.tasks.len();
        let index: HashMap<&str, usize> = project
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let rates: HashMap<&str, f64> = project
            .resources
            .iter()
            .map(|r| (r.id.as_str(), r.daily_rate()))
            .collect();

        let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut indegree = vec![0usize; n];
        for (i, t) in project.tasks.iter().enumerate() {
            for d in &t.depends_on {
                let p = index[d.task.as_str()];
                succs[p].push(i);
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

        let mut pred_start = Vec::with_capacity(n + 1);
        let mut preds = Vec::new();
        let mut samplers = Vec::with_capacity(n);
        let mut likely = Vec::with_capacity(n);
        let mut cost_per_day = Vec::with_capacity(n);
        let mut task_fixed_cost = Vec::with_capacity(n);
        let mut ids = Vec::with_capacity(n);
        for &i in &order {
            let t = &project.tasks[i];
            pred_start.push(preds.len() as u32);
            let mut ps: Vec<u32> = t
                .depends_on
                .iter()
                .map(|d| pos_of[index[d.task.as_str()]])
                .collect();
            ps.sort_unstable();
            preds.extend(ps);
            samplers.push(Sampler::new(&t.estimate));
            likely.push(t.estimate.likely);
            cost_per_day.push(
                t.resources
                    .iter()
                    .map(|a| a.units * rates[a.resource.as_str()])
                    .sum(),
            );
            task_fixed_cost.push(t.cost);
            ids.push(t.id.clone());
        }
        pred_start.push(preds.len() as u32);
        let pert_rows = blend_pert_rows(&mut samplers);
        let sinks = order
            .iter()
            .enumerate()
            .filter(|(_, &i)| succs[i].is_empty())
            .map(|(pos, _)| pos as u32)
            .collect();
        CompiledPlan {
            order,
            ids,
            samplers,
            likely,
            pred_start,
            preds,
            sinks,
            cost_per_day,
            fixed_cost: task_fixed_cost.iter().sum(),
            pert_rows,
            task_fixed_cost,
        }
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the plan has no tasks.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Predecessor positions of `pos`.
    #[inline(always)]
    pub fn preds_of(&self, pos: usize) -> &[u32] {
        &self.preds[self.pred_start[pos] as usize..self.pred_start[pos + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::simulate;
    use crate::model::{Distribution, Estimate, Task};

    fn pert_tasks(n: usize) -> Project {
        let tasks = (0..n)
            .map(|i| Task {
                id: format!("t{i}"),
                name: String::new(),
                // A distinct shape per task: likely moves through (o, p).
                estimate: Estimate::new(
                    0.0,
                    (i as f64 + 0.5) / n as f64 * 10.0,
                    10.0,
                    Distribution::Pert,
                )
                .unwrap(),
                depends_on: vec![],
                kind: crate::model::TaskKind::Task,
                finish_with: vec![],
                resources: vec![],
                cost: 0.0,
                line: i + 2,
            })
            .collect();
        Project {
            name: "p".into(),
            currency: String::new(),
            tasks,
            resources: vec![],
            tasks_file: "t.csv".into(),
            resources_file: None,
        }
    }

    #[test]
    fn shapes_beyond_the_cap_sample_from_the_shared_table() {
        let plan = CompiledPlan::compile(&pert_tasks(MAX_BLENDED_ROWS + 50));
        assert_eq!(plan.pert_rows.len(), MAX_BLENDED_ROWS);
        let unblended = plan
            .samplers
            .iter()
            .filter(|s| matches!(s, Sampler::Pert { blended, .. } if *blended == crate::engine::sampler::NO_BLEND))
            .count();
        assert_eq!(unblended, 50);
        // Both paths give the same draws up to f32 rounding of the blend.
        let mut unblended_plan = plan.clone();
        unblended_plan.pert_rows.clear();
        let a = simulate(&plan, 64, 3, &|_| {});
        let b = simulate(&unblended_plan, 64, 3, &|_| {});
        for (x, y) in a.durations.iter().zip(&b.durations) {
            assert!((x - y).abs() < 1e-5, "{x} vs {y}");
        }
    }
}
