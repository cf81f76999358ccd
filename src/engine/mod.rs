//! The compiled plan and the parallel Monte Carlo loop. No I/O and no printing here: the
//! engine takes a [`CompiledPlan`] and returns a [`Simulation`].

pub mod correlation;
pub mod cpm;
pub mod forecast;
pub mod forecast_exact;
pub mod level;
pub mod pert_table;
pub mod plan;
pub mod rng;
pub mod sampler;
pub mod simulate;

pub use cpm::{deterministic, Schedule};
pub use plan::CompiledPlan;
pub use sampler::Sampler;
pub use simulate::{
    lanes_for, simulate, simulate_sampled, simulate_with_lanes, simulate_with_profile,
    MilestoneSamples, ProfileBins, ResourceProfile, Sampling, Simulation,
};
