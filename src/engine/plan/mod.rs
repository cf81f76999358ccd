//! The compiled plan: a validated [`Project`] flattened once into arrays in topological order,
//! so the simulation's inner loop touches only contiguous memory. It is grouped by what each
//! part describes: the [`Network`], the [`DurationModel`] (samplers, risks, correlation), the
//! [`Costs`] and the [`Resources`].

mod costs;
mod durations;
mod network;
mod resources;
mod slots;

/// `values`, or no values when every one is `default`: per-task arrays that most plans leave
/// at their default (earliest starts, money per day, three-point costs, correlation slots)
/// cost nothing then (3.2 MB at 100,000 tasks). Read them with `.get(pos)` and the default,
/// which costs what the bounds check of an index did.
fn or_empty<T: PartialEq>(values: Vec<T>, default: &T) -> Vec<T> {
    if values.iter().all(|v| v == default) {
        Vec::new()
    } else {
        values
    }
}

// foldhash: the id index of 100k tasks hashes several times faster than with SipHash; it is
// only looked up, never iterated.
use foldhash::HashMap;

pub use costs::{CostRange, Costs, RateRange, TeamPay};
pub use durations::{CompiledRisk, DurationModel, MAX_BLENDED_ROWS, NO_SLOT};
pub use network::{LinkRule, Network};
pub use resources::Resources;
pub use slots::{Slotting, NO_MASK};

use crate::model::Project;

/// A plan ready to simulate. Positions (`pos`) index every per-task array in topological
/// order; `network().order()[pos]` is the task's index in `Project::tasks`.
#[derive(Debug, Clone)]
pub struct CompiledPlan {
    network: Network,
    durations: DurationModel,
    costs: Costs,
    resources: Resources,
    slotting: Slotting,
    warnings: Vec<String>,
}

impl CompiledPlan {
    /// Flattens a project that passed [`crate::model::validate`].
    ///
    /// # Panics
    /// If the project has unknown references or a cycle; validation rules these out.
    pub fn compile(project: &Project) -> CompiledPlan {
        let index: HashMap<&str, usize> = project
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let network = Network::build(project, &index);
        let (durations, warnings) = DurationModel::build(project, &network, &index);
        let costs = Costs::build(project, &network);
        let resources = Resources::build(project, &network);
        let slotting = Slotting::build(&network);
        CompiledPlan {
            network,
            slotting,
            durations,
            costs,
            resources,
            warnings,
        }
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.network.len()
    }

    /// Whether the plan has no tasks.
    pub fn is_empty(&self) -> bool {
        self.network.is_empty()
    }

    /// Tasks in topological order and their links.
    #[inline(always)]
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// How each task's duration is drawn: samplers, risks, correlated groups.
    #[inline(always)]
    pub fn durations(&self) -> &DurationModel {
        &self.durations
    }

    /// Fixed costs, money per day and uncertain rates.
    #[inline(always)]
    pub fn costs(&self) -> &Costs {
        &self.costs
    }

    /// Resource uses, capacities and levelling demands.
    #[inline(always)]
    pub fn resources(&self) -> &Resources {
        &self.resources
    }

    /// Warnings for the user: forecasts that can exceed their period cap, repaired correlation
    /// matrices.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Where the plain path keeps finish rows (empty for general networks).
    pub fn slotting(&self) -> &Slotting {
        &self.slotting
    }

    /// Whether each iteration is resource-levelled (some task uses a resource with a capacity,
    /// and levelling was not switched off with [`CompiledPlan::without_levelling`]).
    pub fn is_levelled(&self) -> bool {
        self.resources.levelled()
    }

    /// The plan with unlimited resources (no levelling).
    pub fn without_levelling(mut self) -> CompiledPlan {
        self.resources.unlevel();
        self
    }

    /// The plan with (`on`) or without one forward-backward improvement pass after each
    /// levelling (`[simulation] level_improve`): shorter or equal levelled schedules for
    /// about three times the levelling time. Applies to plain networks whose resources are all
    /// there from the start; other plans are levelled without it.
    pub fn with_level_improvement(mut self, on: bool) -> CompiledPlan {
        self.resources.set_improve(on);
        self
    }

    /// A copy of the plan in which risk `r` never occurs (for its contribution).
    pub fn without_risk(&self, r: usize) -> CompiledPlan {
        let mut p = self.clone();
        p.durations.disable_risk(r);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::sampler::{Sampler, NO_BLEND};
    use crate::engine::{run, RunSpec, Standard};
    use crate::model::{Distribution, Estimate};

    fn pert_tasks(n: usize) -> Project {
        // A distinct shape per task: likely moves through (o, p).
        let estimate = |i: usize| {
            let likely = (i as f64 + 0.5) / n as f64 * 10.0;
            Estimate::new(0.0, likely, 10.0, Distribution::Pert).unwrap()
        };
        crate::engine::test_plans::project(n, estimate, |_| vec![])
    }

    #[test]
    fn shapes_beyond_the_cap_sample_from_the_shared_table() {
        let plan = CompiledPlan::compile(&pert_tasks(MAX_BLENDED_ROWS + 50));
        assert_eq!(plan.durations().pert_rows().len(), MAX_BLENDED_ROWS);
        let unblended = plan
            .durations()
            .samplers()
            .iter()
            .filter(|s| matches!(s, Sampler::Pert { blended, .. } if *blended == NO_BLEND))
            .count();
        assert_eq!(unblended, 50);
        // Both paths give the same draws up to f32 rounding of the blend.
        let mut unblended_plan = plan.clone();
        unblended_plan.durations.drop_blended_rows();
        let a = run(&plan, &RunSpec::new(64, 3), &Standard);
        let b = run(&unblended_plan, &RunSpec::new(64, 3), &Standard);
        for (x, y) in a.durations.iter().zip(&b.durations) {
            assert!((x - y).abs() < 1e-5, "{x} vs {y}");
        }
    }
}
