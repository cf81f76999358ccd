//! The compiled plan and the parallel Monte Carlo loop. No I/O and no printing here: the
//! engine takes a [`CompiledPlan`] and a [`RunSpec`] and returns what the [`Collector`]s
//! collected (the standard one, [`Standard`], returns a [`Simulation`]).

mod backward;
mod booking;
pub mod collect;
pub mod correlation;
pub mod cpm;
pub mod csr;
mod draws;
pub mod forecast;
pub mod forecast_exact;
mod forward;
mod isa;
pub mod level;
mod levelling;
pub mod pert_table;
pub mod plan;
pub mod rng;
mod rows;
mod run;
pub mod sampler;
mod sampler_wide;
pub mod shard;
mod spec;
#[cfg(test)]
mod test_plans;
mod worker;

pub use collect::{
    Bounds, Collector, Drivers, MilestoneSamples, Needs, OutcomeSamples, Outcomes, Profile,
    ProfileBins, ReserveSamples, Reserves, ResourceProfile, Scope, Simulation, Standard,
    TaskBounds, TaskDrivers,
};
pub use cpm::{deterministic, Schedule};
pub use plan::CompiledPlan;
pub use run::{gather, run, Gathered};
pub use sampler::Sampler;
pub use shard::{shard_range, ShardOf};
pub use spec::{chunk_width, lanes_for, RunSpec, Sampling, LHS_MIN_REPLICATE, LHS_REPLICATES};
