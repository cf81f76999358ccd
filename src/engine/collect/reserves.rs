//! Resource demand per scope in every iteration, for backup reserves: how many resource-days
//! (or hours) the project, and the work before each milestone, took.

use std::collections::{BTreeMap, HashMap};

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
/// Tasks that count toward the same scopes (a group) with the same resource uses share a
/// pattern. As the forward pass books a task's durations, the task adds them to its pattern's
/// lane sums (the pattern's first task in position order writes them, so nothing is cleared
/// between chunks): one addition per lane, whatever the number of resources it uses or
/// milestones it precedes; a task that uses no resource costs one branch per chunk. When the
/// chunk is done, each (group, resource) cell adds units × hours per day × its patterns' sums,
/// and each pair adds the cells of the groups that hold its scope. Every sum runs in a fixed
/// order (positions, then patterns, then cells), so an iteration's value is the same for any
/// chunk width and thread count, bit for bit.
#[derive(Debug, Clone)]
pub struct Reserves {
    /// `(scope, resource, hourly)` of each pair, in slot order.
    pairs: Vec<(Scope, usize, bool)>,
    /// By position: its pattern, with [`FIRST`] set on the pattern's first position, or
    /// [`NO_PATTERN`] when it uses no resource.
    pattern: Vec<u32>,
    /// By pattern: `(cell, units × hours per day for hourly resources)` per resource it uses.
    uses: Csr<(u32, f64)>,
    /// Number of cells.
    cells: usize,
    /// By pair: the cells that make up its demand, ascending.
    cells_of: Csr<u32>,
}

/// The pattern of a position that uses no resource.
const NO_PATTERN: u32 = u32::MAX;
/// Set on the pattern of the first position with that pattern.
const FIRST: u32 = 1 << 31;

/// A worker's lane sums: `sums[pattern × lanes + lane]` (durations), `cells[cell × lanes +
/// lane]` (demand) and one row of scratch for a pair.
#[derive(Debug, Clone)]
pub struct ReservesAcc {
    lanes: usize,
    sums: Vec<f64>,
    cells: Vec<f64>,
    pair: Vec<f64>,
}

impl Reserves {
    /// The collector for `plan`'s resources and milestones (no pairs when no task uses a
    /// resource).
    ///
    /// # Panics
    /// With 2³¹ patterns or more.
    pub fn new(plan: &CompiledPlan) -> Reserves {
        let (net, res) = (plan.network(), plan.resources());
        let n = plan.len();
        let weight = |r: u32, units: f64| units * res.hours_per_day()[r as usize].unwrap_or(1.0);
        // Scope 0 is the project; scope k + 1 the k-th milestone. The scopes each position
        // counts toward (its group), ascending.
        let work = res.milestone_work();
        let mut group_of: Vec<Vec<u32>> = vec![vec![0]; n];
        for k in 0..work.rows() {
            for &pos in work.row(k) {
                group_of[pos as usize].push(k as u32 + 1);
            }
        }
        // Patterns (group, uses with their weights) and cells (group, resource), numbered in
        // order of first use.
        type Pattern = (Vec<u32>, Vec<(u32, u64)>);
        let mut patterns: HashMap<Pattern, u32> = HashMap::new();
        let mut cells: HashMap<(Vec<u32>, u32), u32> = HashMap::new();
        let mut cell_keys: Vec<(Vec<u32>, u32)> = Vec::new();
        let mut uses = Csr::new();
        let mut pattern = vec![NO_PATTERN; n];
        for pos in 0..n {
            let used = res.uses_of(pos);
            if used.is_empty() {
                continue;
            }
            let group = std::mem::take(&mut group_of[pos]);
            let key: Pattern = (
                group.clone(),
                used.iter()
                    .map(|&(r, u)| (r, weight(r, u).to_bits()))
                    .collect(),
            );
            let next = patterns.len() as u32;
            let p = *patterns.entry(key).or_insert(next);
            pattern[pos] = p;
            if p == next {
                assert!(p < FIRST, "fewer than 2^31 resource patterns");
                pattern[pos] |= FIRST;
                uses.push_row(used.iter().map(|&(r, u)| {
                    let key = (group.clone(), r);
                    let c = *cells.entry(key.clone()).or_insert_with(|| {
                        cell_keys.push(key);
                        cell_keys.len() as u32 - 1
                    });
                    (c, weight(r, u))
                }));
            }
        }
        // Pairs in (scope, resource) order, each with its cells.
        let mut by_pair: BTreeMap<(u32, u32), Vec<u32>> = BTreeMap::new();
        for (c, (group, r)) in cell_keys.iter().enumerate() {
            for &s in group {
                by_pair.entry((s, *r)).or_default().push(c as u32);
            }
        }
        let pairs = by_pair
            .keys()
            .map(|&(s, r)| {
                let scope = match s {
                    0 => Scope::Project,
                    s => Scope::Milestone(net.order()[net.milestones()[s as usize - 1] as usize]),
                };
                let r = r as usize;
                (scope, r, res.hours_per_day()[r].is_some())
            })
            .collect();
        Reserves {
            pairs,
            pattern,
            uses,
            cells: cell_keys.len(),
            cells_of: Csr::from_rows(by_pair.into_values()),
        }
    }

    /// Whether there is anything to collect (some task uses a resource).
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Each pair's demand in one lane whose durations by position are `durations`, summed in
    /// the order the lanes sum.
    fn demand_of(&self, durations: &[f64]) -> Vec<f64> {
        let mut sums = vec![0.0; self.uses.rows()];
        for (&p, &d) in self.pattern.iter().zip(durations) {
            if p != NO_PATTERN {
                sums[(p & !FIRST) as usize] += d;
            }
        }
        let mut cells = vec![0.0; self.cells];
        for (p, &x) in sums.iter().enumerate() {
            for &(c, w) in self.uses.row(p) {
                cells[c as usize] += w * x;
            }
        }
        (0..self.pairs.len())
            .map(|k| {
                let mut v = 0.0;
                for &c in self.cells_of.row(k) {
                    v += cells[c as usize];
                }
                v
            })
            .collect()
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
            sums: vec![0.0; self.uses.rows() * lanes],
            cells: vec![0.0; self.cells * lanes],
            pair: vec![0.0; lanes],
        }
    }

    #[inline(always)]
    fn task(&self, acc: &mut ReservesAcc, pos: usize, durations: &[f64]) {
        let p = self.pattern[pos];
        if p != NO_PATTERN {
            let sums = &mut acc.sums[(p & !FIRST) as usize * acc.lanes..][..durations.len()];
            if p & FIRST != 0 {
                sums.copy_from_slice(durations);
            } else {
                add_durations(sums, durations);
            }
        }
    }

    /// Each pair's demand into its slots: patterns into cells, cells into pairs.
    fn chunk(&self, acc: &mut ReservesAcc, chunk: &Chunk, slots: &mut Slots) {
        let (m, w) = (chunk.len(), acc.lanes);
        acc.cells.fill(0.0);
        for p in 0..self.uses.rows() {
            let x = &acc.sums[p * w..][..m];
            for &(c, units) in self.uses.row(p) {
                let cell = &mut acc.cells[c as usize * w..][..m];
                for (v, &x) in cell.iter_mut().zip(x) {
                    *v += units * x;
                }
            }
        }
        for k in 0..self.pairs.len() {
            let pair = &mut acc.pair[..m];
            pair.fill(0.0);
            for &c in self.cells_of.row(k) {
                for (v, &x) in pair.iter_mut().zip(&acc.cells[c as usize * w..][..m]) {
                    *v += x;
                }
            }
            for (i, &v) in pair.iter().enumerate() {
                slots.set(i, k, v);
            }
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

/// Adds each lane's duration to its sum (its own function, so that the lane loop is compiled
/// once, outside the sweep's register pressure).
#[inline(never)]
fn add_durations(sums: &mut [f64], durations: &[f64]) {
    for (s, &d) in sums.iter_mut().zip(durations) {
        *s += d;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{run, RunSpec, Standard};
    use crate::input::testing::project;

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

    /// A level of effort demands its span: spanning a chain from its start, at ds:1, it
    /// demands the project duration, bit for bit (the general path).
    #[test]
    fn a_level_of_effort_demands_its_span() {
        let p = project(
            "id,optimistic,likely,pessimistic,depends_on,type,finish_with,resources
             a,1,3,9,,,,
             b,2,4,12,a,,,
             pm,,,,a:SS,loe,b,ds
",
            Some(RESOURCES),
        );
        let plan = CompiledPlan::compile(&p);
        assert!(plan.network().is_general());
        let (sim, out) = run(
            &plan,
            &RunSpec::new(1_000, 2),
            &(Standard, Reserves::new(&plan)),
        );
        assert_eq!(out[0].demand, sim.durations);
        assert_eq!(out[0].plan, 7.0);
    }

    /// Levelling moves tasks, not their work: two parallel tasks sharing one unit run one after
    /// the other, so their demand is the levelled project duration, bit for bit.
    #[test]
    fn levelling_does_not_change_demand() {
        let p = project(
            "id,optimistic,likely,pessimistic,depends_on,resources
             a,1,3,9,,dev
             b,2,4,12,,dev
",
            Some(
                "id,rate,capacity
dev,100,1
",
            ),
        );
        let plan = CompiledPlan::compile(&p);
        assert!(plan.is_levelled());
        let (sim, out) = run(
            &plan,
            &RunSpec::new(1_000, 4),
            &(Standard, Reserves::new(&plan)),
        );
        assert_eq!(out[0].demand, sim.durations);
        assert_eq!(out[0].plan, 7.0);
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
