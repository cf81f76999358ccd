//! Per-iteration random draws: each task's durations (own stream, Latin hypercube strata or
//! correlated uniforms, with the risks affecting it applied) and, once per chunk, the risks,
//! the correlated groups and the uncertain costs and rates.
//!
//! Every draw is a pure function of (seed, a stable name, a purpose, the iteration): the same
//! iteration gets the same numbers in any chunk, thread, range or second pass.

mod correlated;
mod costs;
mod latin;
mod risks;

use super::plan::{CompiledPlan, NO_SLOT};
use super::rng;
use super::spec::Designs;
use latin::LatinLanes;

/// Stream keys of one run, shared by its workers. Purposes: 0 a task's duration; 1, 2, 3 a
/// risk's occurrence, impact and cost; 4 a task's three-point cost; 5 a resource's rate.
pub(crate) struct Streams {
    task: Vec<u64>,
    risk: Vec<[u64; 3]>,
    cost: Vec<u64>,
    rate: Vec<u64>,
}

impl Streams {
    /// The keys of every stream `plan` draws from under `seed`.
    pub(crate) fn new(plan: &CompiledPlan, seed: u64) -> Streams {
        let names = plan.network().name_hashes();
        Streams {
            task: names
                .iter()
                .map(|&h| rng::hashed_stream_key(seed, h, 0))
                .collect(),
            risk: plan
                .durations()
                .risks()
                .iter()
                .map(|r| [1, 2, 3].map(|purpose| rng::stream_key(seed, &r.id, purpose)))
                .collect(),
            cost: plan
                .costs()
                .ranges()
                .iter()
                .map(|c| rng::hashed_stream_key(seed, names[c.pos as usize], 4))
                .collect(),
            rate: plan
                .costs()
                .rates()
                .iter()
                .map(|r| rng::stream_key(seed, &r.id, 5))
                .collect(),
        }
    }

    /// No streams: for runs on given durations, which draw nothing.
    pub(crate) fn none() -> Streams {
        Streams {
            task: Vec::new(),
            risk: Vec::new(),
            cost: Vec::new(),
            rate: Vec::new(),
        }
    }
}

/// Where a chunk's durations come from.
#[derive(Clone, Copy)]
pub(crate) enum Source<'a> {
    /// Sampled for iterations `first..first + lanes`.
    Sampled { first: u64 },
    /// One lane of fixed durations by position.
    Given(&'a [f64]),
}

/// One worker's draws for the current chunk (O(lanes × (risks + correlated tasks + rates))).
pub(crate) struct Draws<'s> {
    streams: &'s Streams,
    lanes: usize,
    /// The Latin hypercube stratum of each lane, or plain Monte Carlo.
    latin: Option<LatinLanes>,
    /// Per risk and lane: a driver's factor (1 when it does not occur) or an event's added
    /// days (0 when it does not occur).
    risk_effect: Vec<f64>,
    /// Per risk and lane: whether it occurred.
    occurred: Vec<bool>,
    /// Correlated uniforms: slot × lanes.
    corr_u: Vec<f64>,
    /// One group's uniforms and normals (reused across chunks).
    corr_scratch: Vec<f64>,
    /// Daily rate of each uncertain-rate resource, per lane.
    rate_lanes: Vec<f64>,
    /// Each three-point task cost, per lane.
    range_lanes: Vec<f64>,
    scratch: Vec<f64>,
    /// PERT, triangular and uniform draws take eight lanes at a time with AVX-512
    /// (`engine::sampler_wide`); set only on a CPU that has it, and used only by the x86-64-v3
    /// copy of the loop.
    wide: bool,
}

impl<'s> Draws<'s> {
    /// Scratch for chunks of `lanes` lanes; `designs` when sampling Latin hypercubes; `wide`
    /// (only on a CPU with AVX-512) for eight-lane draws.
    pub(crate) fn new(
        plan: &CompiledPlan,
        streams: &'s Streams,
        lanes: usize,
        designs: Option<Designs>,
        wide: bool,
    ) -> Self {
        let risks = plan.durations().risks().len();
        Draws {
            streams,
            lanes,
            latin: designs.map(|d| LatinLanes::new(d, lanes)),
            risk_effect: vec![0.0; risks * lanes],
            occurred: vec![false; risks * lanes],
            corr_u: vec![0.0; plan.durations().corr_slots() * lanes],
            corr_scratch: Vec::new(),
            rate_lanes: vec![0.0; plan.costs().rates().len() * lanes],
            range_lanes: vec![0.0; plan.costs().ranges().len() * lanes],
            scratch: vec![0.0; lanes],
            wide,
        }
    }

    /// Draws what the chunk's lanes (iterations `first..first + m`) share across tasks: Latin
    /// hypercube strata, risks (their costs added to `cost`), correlated uniforms, three-point
    /// costs (added to `cost`) and uncertain rates.
    pub(crate) fn draw_chunk(
        &mut self,
        plan: &CompiledPlan,
        first: u64,
        m: usize,
        cost: &mut [f64],
    ) {
        if let Some(latin) = &mut self.latin {
            latin.prepare(first, m);
        }
        if !plan.durations().risks().is_empty() {
            self.draw_risks(plan, first, m, cost);
        }
        if !plan.durations().corr_groups().is_empty() {
            self.draw_correlated(plan, first, m);
        }
        if plan.costs().is_uncertain() {
            self.draw_costs(plan, first, m, cost);
        }
    }

    /// Fills `row` with position `pos`'s durations from `src`: sampled from the correlated
    /// uniforms when the task is correlated, from its Latin hypercube strata, or from its own
    /// stream — with the risks affecting it applied — or the given fixed durations.
    /// `V3`: the sampler's x86-64-v3 copy ([`crate::engine::isa`]).
    #[inline(always)]
    pub(crate) fn fill_durations<const V3: bool>(
        &self,
        plan: &CompiledPlan,
        src: Source,
        pos: usize,
        row: &mut [f64],
    ) {
        let first = match src {
            Source::Given(d) => return row.fill(d[pos]),
            Source::Sampled { first } => first,
        };
        let model = plan.durations();
        let slot = model.corr_slot(pos);
        let key = self.streams.task[pos];
        if let (NO_SLOT, Some(latin)) = (slot, &self.latin) {
            let s = &model.samplers()[pos];
            for (i, o) in row.iter_mut().enumerate() {
                *o = s.quantile(latin.uniform(key, i));
            }
        } else if slot == NO_SLOT {
            model.samplers()[pos].fill_isa::<V3>(model.pert_rows(), key, first, row, self.wide);
        } else {
            let s = &model.samplers()[pos];
            for (o, &u) in row
                .iter_mut()
                .zip(&self.corr_u[slot as usize * self.lanes..])
            {
                *o = s.quantile(u);
            }
        }
        if !model.risks_of(pos).is_empty() {
            risks::apply(plan, &self.risk_effect, self.lanes, pos, row);
        }
    }

    /// Daily rate of uncertain-rate resource k in lane i: `rate_lanes()[k × lanes + i]`.
    #[inline(always)]
    pub(crate) fn rate_lanes(&self) -> &[f64] {
        &self.rate_lanes
    }

    /// Three-point cost k (an index into `Costs::ranges`) in lane i: `range_lanes()[k × lanes + i]`.
    #[inline(always)]
    pub(crate) fn range_lanes(&self) -> &[f64] {
        &self.range_lanes
    }

    /// Whether risk r occurred in lane i: `occurred()[r × lanes + i]`.
    pub(crate) fn occurred(&self) -> &[bool] {
        &self.occurred
    }
}
