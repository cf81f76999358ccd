//! The instruction set a worker's hot loop runs with.
//!
//! The binary targets baseline x86-64 (SSE2), so it runs on any 64-bit x86 CPU. The worker's
//! loop (draws, forward and backward passes, the collectors' hooks) is also compiled a second
//! time for x86-64-v3 (AVX2, FMA, BMI1/2, LZCNT: every x86 CPU since 2013–2015), and a worker
//! takes that copy when the CPU has those features, checked once at run time. Both copies give
//! the same bits: Rust never fuses a multiply and an add unless asked, floating-point sums keep
//! their order when vectorised (no reassociation), and `exp`/`ln` call the same libm. Tests run
//! both copies and compare every result (tests/isa.rs).
//!
//! Every `#[target_feature(enable = ...)]` in the engine names exactly the features that
//! [`has_v3`] checks: `avx2,fma,bmi1,bmi2,lzcnt,popcnt` (an attribute cannot take a constant,
//! so the list is written out at each of its four uses: `Worker::run_chunk_v3`,
//! `Sampler::fill_v3`, `forward::add_latest_finish_v3` and `add_latest_finish_marked_v3`),
//! except in `engine::sampler_wide`, whose loops add `avx512f,avx512dq`
//! (`sampler_wide::has_avx512` checks those too) and run only from the x86-64-v3 copy.

/// The copies of the hot loop, narrowest first: a run names the widest it may take
/// (`RunSpec::baseline_isa`, `RunSpec::without_avx512`), and a worker takes the widest of
/// those its CPU has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Isa {
    /// Baseline x86-64 (SSE2): any 64-bit x86 CPU.
    Baseline,
    /// x86-64-v3 ([`has_v3`]).
    V3,
    /// x86-64-v3 with PERT, triangular and uniform draws eight lanes at a time (AVX-512F and
    /// DQ, `engine::sampler_wide::has_avx512`).
    Avx512,
}

impl Isa {
    /// The widest copy up to `self` that this CPU has.
    pub(crate) fn available(self) -> Isa {
        if self >= Isa::Avx512 && super::sampler_wide::has_avx512() {
            Isa::Avx512
        } else if self >= Isa::V3 && has_v3() {
            Isa::V3
        } else {
            Isa::Baseline
        }
    }
}

/// Whether the CPU running this process has the x86-64-v3 features the second copy of the hot
/// loop is compiled with: `Worker::new` asks, so no copy runs where it cannot
/// ([`crate::engine::RunSpec::baseline_isa`] turns it off).
pub(crate) fn has_v3() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2")
            && std::is_x86_feature_detected!("fma")
            && std::is_x86_feature_detected!("bmi1")
            && std::is_x86_feature_detected!("bmi2")
            && std::is_x86_feature_detected!("lzcnt")
            && std::is_x86_feature_detected!("popcnt")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
