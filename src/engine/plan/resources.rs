//! The resource part of a compiled plan: every resource's uses (for profiles and reserves), its
//! billing unit, the work before each milestone (for reserves), the demands on resources with
//! a capacity (for levelling), and when each task's resources are there (availability windows:
//! the earliest start levelling allows it).

use std::collections::HashMap;

use super::super::csr::Csr;
use super::network::Network;
use crate::model::{Project, RateUnit};

/// Resources and how tasks use them. Indexed by position; resources in file order, and
/// capacitated resources in file order among themselves.
#[derive(Debug, Clone)]
pub struct Resources {
    ids: Vec<String>,
    capacity: Vec<Option<f64>>,
    hours_per_day: Vec<Option<f64>>,
    uses: Csr<(u32, f64)>,
    milestone_work: Csr<u32>,
    level: bool,
    demands: Csr<(u32, f64)>,
    limits: Vec<f64>,
    users: Csr<u32>,
    release: Vec<f64>,
    improve: bool,
}

impl Resources {
    /// The resources of a validated project laid out like `net`.
    pub(super) fn build(project: &Project, net: &Network) -> Resources {
        let order = net.order();
        let res_index: HashMap<&str, u32> = project
            .resources
            .iter()
            .enumerate()
            .map(|(k, r)| (r.id.as_str(), k as u32))
            .collect();
        let uses = Csr::from_rows(order.iter().map(|&i| {
            project.tasks[i]
                .resources
                .iter()
                .map(|a| (res_index[a.resource.as_str()], a.units))
        }));
        // Capacitated resources, in file order, and each position's demands on them.
        let cap_index: HashMap<&str, u32> = project
            .resources
            .iter()
            .filter(|r| r.capacity.is_some())
            .enumerate()
            .map(|(k, r)| (r.id.as_str(), k as u32))
            .collect();
        let limits: Vec<f64> = project
            .resources
            .iter()
            .filter_map(|r| r.capacity)
            .collect();
        let mut users = vec![Vec::new(); limits.len()];
        let demands = Csr::from_rows(order.iter().enumerate().map(|(pos, &i)| {
            let mut row = Vec::new();
            for a in &project.tasks[i].resources {
                if let Some(&k) = cap_index.get(a.resource.as_str()) {
                    row.push((k, a.units));
                    users[k as usize].push(pos as u32);
                }
            }
            row
        }));
        // A task can start once every resource it uses has joined.
        let from: HashMap<&str, f64> = project
            .resources
            .iter()
            .map(|r| (r.id.as_str(), r.available_from.unwrap_or(0.0)))
            .collect();
        let release: Vec<f64> = order
            .iter()
            .map(|&i| {
                project.tasks[i]
                    .resources
                    .iter()
                    .map(|a| from[a.resource.as_str()])
                    .fold(0.0, f64::max)
            })
            .collect();
        let windowed = release.iter().any(|&r| r > 0.0);
        let milestone_work = if uses.has_no_items() {
            Csr::new()
        } else {
            milestone_work(net, &uses)
        };
        Resources {
            ids: project.resources.iter().map(|r| r.id.clone()).collect(),
            capacity: project.resources.iter().map(|r| r.capacity).collect(),
            hours_per_day: project
                .resources
                .iter()
                .map(|r| (r.unit == RateUnit::Hour).then_some(r.hours_per_day))
                .collect(),
            uses,
            milestone_work,
            level: !demands.has_no_items() || windowed,
            demands,
            limits,
            users: Csr::from_rows(users),
            release: if windowed { release } else { Vec::new() },
            improve: false,
        }
    }

    /// Every resource's id, in file order.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Every resource's capacity (`None`: unlimited), in file order.
    pub fn capacity(&self) -> &[Option<f64>] {
        &self.capacity
    }

    /// Every resource's billing hours per working day when it is billed by the hour (`None`:
    /// billed by the day), in file order.
    pub fn hours_per_day(&self) -> &[Option<f64>] {
        &self.hours_per_day
    }

    /// The work that must finish before each milestone, one row per milestone in the order of
    /// [`Network::milestones`]: the positions of its transitive predecessors (through links of
    /// any type, the milestone itself excluded) that use some resource, ascending. No rows
    /// when no task uses a resource (nothing is computed then).
    pub fn milestone_work(&self) -> &Csr<u32> {
        &self.milestone_work
    }

    /// All resource uses of position `pos`: `(resource index in file order, units)`.
    #[inline(always)]
    pub fn uses_of(&self, pos: usize) -> &[(u32, f64)] {
        self.uses.row(pos)
    }

    /// Whether any task uses any resource.
    pub fn any_use(&self) -> bool {
        !self.uses.has_no_items()
    }

    /// Whether each iteration is resource-levelled: some task uses a resource with a capacity
    /// or one that joins after the start, and levelling was not switched off.
    pub fn levelled(&self) -> bool {
        self.level
    }

    /// Demands on capacitated resources, one row per position: `(capacitated index, units)`.
    pub fn demands(&self) -> &Csr<(u32, f64)> {
        &self.demands
    }

    /// Capacity of each capacitated resource (indices as in [`Self::demands`]).
    pub fn limits(&self) -> &[f64] {
        &self.limits
    }

    /// The earliest start of each position allowed by its resources' `available_from` (the
    /// latest of them), by position; empty when no task uses a resource that joins late.
    pub fn release(&self) -> &[f64] {
        &self.release
    }

    /// Positions using capacitated resource `k` (for criticality through resource waits).
    #[inline(always)]
    pub fn users_of(&self, k: usize) -> &[u32] {
        self.users.row(k)
    }

    /// Whether each levelling is followed by one forward-backward improvement pass (plain
    /// networks whose resources are all there from the start; ignored otherwise).
    pub fn improved(&self) -> bool {
        self.improve
    }

    /// Sets [`Self::improved`].
    pub(super) fn set_improve(&mut self, on: bool) {
        self.improve = on;
    }

    /// Switches levelling off (capacities are then ignored).
    pub(super) fn unlevel(&mut self) {
        self.level = false;
    }
}

/// For each milestone of `net`, its transitive predecessors that have a row in `uses`,
/// ascending: one walk back over the links per milestone, O(milestones × (tasks + links)) time;
/// the rows hold only tasks that use a resource.
fn milestone_work(net: &Network, uses: &Csr<(u32, f64)>) -> Csr<u32> {
    let n = net.len();
    let milestones = net.milestones();
    // `seen[pos] == k + 1`: reached from milestone k (no clearing between milestones).
    let mut seen = vec![0u32; n];
    let mut stack = Vec::new();
    let mut row = Vec::new();
    let mut out = Csr::with_capacity(milestones.len(), 0);
    for (k, &m) in milestones.iter().enumerate() {
        let stamp = k as u32 + 1;
        row.clear();
        stack.clear();
        stack.push(m);
        while let Some(pos) = stack.pop() {
            for &p in net.preds_of(pos as usize) {
                if seen[p as usize] != stamp {
                    seen[p as usize] = stamp;
                    stack.push(p);
                    if !uses.row(p as usize).is_empty() {
                        row.push(p);
                    }
                }
            }
        }
        row.sort_unstable();
        out.push_row(row.iter().copied());
    }
    out
}
