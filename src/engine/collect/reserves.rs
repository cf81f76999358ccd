//! Resource demand per scope in every iteration, for backup reserves: how many resource-days
//! (or hours) the project, and the work before each milestone, took.

use super::{Chunk, Collector, Finish, Slots};
use crate::engine::csr::Csr;
use crate::engine::plan::CompiledPlan;
use crate::engine::run::trace;

/// Where demand is counted: the whole project, or the work that must finish before one
/// milestone (its transitive predecessors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every task.
    Project,
    /// The transitive predecessors of the milestone with this index in `Project::tasks`.
    Milestone(usize),
}

/// One (scope, resource) pair's demand: units × duration summed over the scope's tasks that use
/// the resource, in the resource's billing unit (× hours per day for resources billed by the
/// hour).
#[derive(Debug, Clone, PartialEq)]
pub struct ReserveSamples {
    /// The scope.
    pub scope: Scope,
    /// The resource's index in `Project::resources`.
    pub resource: usize,
    /// Whether the demand is in hours (the resource is billed by the hour); else in days.
    pub hourly: bool,
    /// The demand in the deterministic plan (most likely durations, the schedule `check`
    /// shows).
    pub plan: f64,
    /// The demand in each iteration, in iteration order.
    pub demand: Vec<f64>,
}

/// Collects [`ReserveSamples`] for every pair of a scope (the project, then each milestone in
/// file order) and a resource (in file order) that some task of the scope uses: one
/// per-iteration slot per pair, so memory is O(iterations × pairs), never O(tasks ×
/// iterations).
///
/// Each lane's demand is summed in the worker, in position order, as the forward pass books each
/// task's durations: the value of an iteration is the same for any chunk width and thread
/// count, bit for bit. A task that uses no resource costs one branch per chunk.
#[derive(Debug, Clone)]
pub struct Reserves {
    /// `(scope, resource)` of each pair, in slot order.
    pairs: Vec<(Scope, usize, bool)>,
    /// By position: `(pair, units × hours per day for hourly resources)` for every pair the
    /// task's demand counts toward.
    adds: Csr<(u32, f64)>,
}

/// Per-lane running demand of every pair: `sums[pair × lanes + lane]`.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ReservesAcc {
    lanes: usize,
    sums: Vec<f64>,
}

impl Reserves {
    /// The collector for `plan`'s resources and milestones (no pairs when no task uses a
    /// resource).
    pub fn new(plan: &CompiledPlan) -> Reserves {
        let (net, res) = (plan.network(), plan.resources());
        let n = plan.len();
        let r_count = res.ids().len();
        let weight = |r: u32, units: f64| units * res.hours_per_day()[r as usize].unwrap_or(1.0);
        // Scope 0 is the project; scope k + 1 the k-th milestone. Which tasks count toward
        // which scopes, by position.
        let work = res.milestone_work();
        let mut scopes_of: Vec<Vec<u32>> = vec![vec![0]; n];
        for k in 0..work.rows() {
            for &pos in work.row(k) {
                scopes_of[pos as usize].push(k as u32 + 1);
            }
        }
        // The pairs some task uses, in (scope, resource) order.
        let scopes = 1 + work.rows();
        let mut used = vec![false; scopes * r_count];
        for (pos, scopes) in scopes_of.iter().enumerate() {
            for &(r, _) in res.uses_of(pos) {
                for &s in scopes {
                    used[s as usize * r_count + r as usize] = true;
                }
            }
        }
        let mut slot = vec![u32::MAX; scopes * r_count];
        let mut pairs = Vec::new();
        for (k, _) in used.iter().enumerate().filter(|(_, &u)| u) {
            let (s, r) = (k / r_count, k % r_count);
            slot[k] = pairs.len() as u32;
            let scope = match s {
                0 => Scope::Project,
                s => Scope::Milestone(net.order()[net.milestones()[s - 1] as usize]),
            };
            pairs.push((scope, r, res.hours_per_day()[r].is_some()));
        }
        let adds = Csr::from_rows((0..n).map(|pos| {
            let (scopes, slot) = (&scopes_of[pos], &slot);
            res.uses_of(pos).iter().flat_map(move |&(r, units)| {
                let w = weight(r, units);
                scopes
                    .iter()
                    .map(move |&s| (slot[s as usize * r_count + r as usize], w))
            })
        }));
        Reserves { pairs, adds }
    }

    /// Whether there is anything to collect (some task uses a resource).
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Each pair's demand in one lane whose durations by position are `durations`.
    fn demand_of(&self, durations: &[f64]) -> Vec<f64> {
        let mut sums = vec![0.0; self.pairs.len()];
        for (pos, &d) in durations.iter().enumerate() {
            for &(k, w) in self.adds.row(pos) {
                sums[k as usize] += w * d;
            }
        }
        sums
    }
}

impl Collector for Reserves {
    type Acc = ReservesAcc;
    type Output = Vec<ReserveSamples>;

    fn slots(&self, _plan: &CompiledPlan) -> usize {
        self.pairs.len()
    }

    fn start(&self, _plan: &CompiledPlan, lanes: usize) -> ReservesAcc {
        ReservesAcc {
            lanes,
            sums: vec![0.0; self.pairs.len() * lanes],
        }
    }

    #[inline(always)]
    fn task(&self, acc: &mut ReservesAcc, pos: usize, durations: &[f64]) {
        let adds = self.adds.row(pos);
        if !adds.is_empty() {
            add_demand(adds, acc, durations);
        }
    }

    /// Moves each lane's sums into its slots and clears them for the next chunk.
    fn chunk(&self, acc: &mut ReservesAcc, chunk: &Chunk, slots: &mut Slots) {
        let (m, w) = (chunk.len(), acc.lanes);
        for k in 0..self.pairs.len() {
            let row = &mut acc.sums[k * w..][..w];
            for (i, v) in row[..m].iter().enumerate() {
                slots.set(i, k, *v);
            }
            row.fill(0.0);
        }
    }

    /// Demand lives in the slots; there is nothing to merge.
    fn merge(&self, _acc: &mut ReservesAcc, _other: ReservesAcc) {}

    fn finish(&self, _acc: ReservesAcc, run: &Finish) -> Vec<ReserveSamples> {
        if self.pairs.is_empty() {
            return Vec::new();
        }
        // The deterministic plan's durations, from the pass `check` and the plan column use.
        let plan = self.demand_of(&trace(run.plan(), run.plan().durations().likely()).duration);
        self.pairs
            .iter()
            .zip(plan)
            .enumerate()
            .map(|(k, (&(scope, resource, hourly), plan))| ReserveSamples {
                scope,
                resource,
                hourly,
                plan,
                demand: run.column(k),
            })
            .collect()
    }
}

/// Adds `w × duration` to each lane's sum of every pair in `adds` (its own function, so that
/// its lane loops are compiled once, outside the sweep's register pressure).
#[inline(never)]
fn add_demand(adds: &[(u32, f64)], acc: &mut ReservesAcc, durations: &[f64]) {
    let (m, w) = (durations.len(), acc.lanes);
    for &(k, units) in adds {
        let sums = &mut acc.sums[k as usize * w..][..m];
        for (s, &d) in sums.iter_mut().zip(durations) {
            *s += units * d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{run, RunSpec, Standard};
    use crate::stats::testing::project;

    const RESOURCES: &str = "id,rate,unit,hours_per_day\nds,700,day,\ngpu,30,hour,24\n";

    /// Demand of `scope` and resource `r` (index in file order).
    fn pair(out: &[ReserveSamples], scope: Scope, r: usize) -> &ReserveSamples {
        out.iter()
            .find(|p| p.scope == scope && p.resource == r)
            .unwrap_or_else(|| panic!("no pair {scope:?}, {r}"))
    }

    /// On a chain where every task uses `ds:1`, the demand of `ds` is the project duration in
    /// every iteration, bit for bit: both add the same durations in the same order.
    #[test]
    fn a_chain_at_one_unit_demands_its_duration() {
        let p = project(
            "id,optimistic,likely,pessimistic,depends_on,resources\n\
             a,1,3,9,,ds\n\
             b,2,4,12,a,ds:1\n\
             c,1,2,4,b,ds\n",
            Some(RESOURCES),
        );
        let plan = CompiledPlan::compile(&p);
        let (sim, out) = run(
            &plan,
            &RunSpec::new(3_000, 5),
            &(Standard, Reserves::new(&plan)),
        );
        assert_eq!(out.len(), 1, "one pair: (project, ds)");
        let ds = pair(&out, Scope::Project, 0);
        assert!(!ds.hourly);
        assert_eq!(ds.demand, sim.durations);
        // Plan: most likely durations 3 + 4 + 2.
        assert_eq!(ds.plan, 9.0);
    }

    /// Milestones count their transitive predecessors once each (a diamond), hourly demand is
    /// units × hours per day × days, and a resource no predecessor uses has no row.
    ///
    /// a → b → m1 (also a → m1) → c;  d → m2;  m1, m2 → m3.
    /// a, b, c use ds:1; d uses gpu:0.5 (24 hours a day).
    #[test]
    fn milestones_count_their_predecessors_work() {
        let p = project(
            "id,type,optimistic,likely,pessimistic,depends_on,resources\n\
             a,,1,3,9,,ds\n\
             b,,2,4,12,a,ds\n\
             m1,milestone,0,0,0,a;b,\n\
             c,,1,2,4,m1,ds\n\
             d,,5,6,10,,gpu:0.5\n\
             m2,milestone,0,0,0,d,\n\
             m3,milestone,0,0,0,m1;m2,\n",
            Some(RESOURCES),
        );
        let plan = CompiledPlan::compile(&p);
        let (sim, out) = run(
            &plan,
            &RunSpec::new(2_000, 11),
            &(Standard, Reserves::new(&plan)),
        );
        let scopes: Vec<(Scope, usize)> = out.iter().map(|p| (p.scope, p.resource)).collect();
        let (m1, m2, m3) = (
            Scope::Milestone(2),
            Scope::Milestone(5),
            Scope::Milestone(6),
        );
        assert_eq!(
            scopes,
            [
                (Scope::Project, 0),
                (Scope::Project, 1),
                (m1, 0),
                (m2, 1),
                (m3, 0),
                (m3, 1)
            ]
        );
        let finish = |k: usize| &sim.milestones[k].finish;
        // m1 finishes at d_a + d_b (a chain), which is its ds demand, bit for bit.
        assert_eq!(pair(&out, m1, 0).demand, *finish(0));
        assert_eq!(pair(&out, m3, 0).demand, *finish(0));
        // m2 finishes at d_d: its gpu demand is 0.5 × 24 × d_d.
        let gpu: Vec<f64> = finish(1).iter().map(|d| 12.0 * d).collect();
        assert_eq!(pair(&out, m2, 1).demand, gpu);
        assert_eq!(pair(&out, m3, 1).demand, gpu);
        assert_eq!(pair(&out, Scope::Project, 1).demand, gpu);
        assert!(pair(&out, m2, 1).hourly);
        // The project's ds demand adds c's duration: d_a + d_b + d_c = the finish of c.
        let project_ds = &pair(&out, Scope::Project, 0).demand;
        for (i, (&x, &m)) in project_ds.iter().zip(finish(0)).enumerate() {
            assert!(x > m, "iteration {i}: c takes at least a day");
        }
        // Plans by hand from the most likely durations: a 3, b 4, c 2, d 6.
        let plans: Vec<f64> = out.iter().map(|p| p.plan).collect();
        assert_eq!(plans, [9.0, 72.0, 7.0, 72.0, 7.0, 72.0]);
    }

    /// Demand per iteration does not depend on the chunk width or the thread count.
    #[test]
    fn demand_does_not_depend_on_chunks_or_threads() {
        let p = project(
            "id,optimistic,likely,pessimistic,depends_on,resources\n\
             a,1,3,9,,ds:0.3\n\
             b,2,4,12,a,ds:1.7;gpu:0.1\n\
             c,1,2,4,a,gpu:2\n",
            Some(RESOURCES),
        );
        let plan = CompiledPlan::compile(&p);
        let c = Reserves::new(&plan);
        let base = run(&plan, &RunSpec::new(1_000, 3).with_lanes(8), &c);
        for lanes in [1, 24, 64] {
            let spec = RunSpec::new(1_000, 3).with_lanes(lanes);
            for threads in [1, 2] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .unwrap();
                assert_eq!(pool.install(|| run(&plan, &spec, &c)), base);
            }
        }
    }

    #[test]
    fn a_plan_without_resources_has_nothing_to_collect() {
        let p = project("id,optimistic,likely,pessimistic\na,1,2,3\n", None);
        let plan = CompiledPlan::compile(&p);
        let c = Reserves::new(&plan);
        assert!(c.is_empty());
        assert!(run(&plan, &RunSpec::new(10, 1), &c).is_empty());
    }
}
