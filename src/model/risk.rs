//! Risks from the risk register: discrete events that may or may not happen, and drivers
//! (Hulett's risk drivers) that scale the durations of every task they affect.

/// How a risk acts on the tasks it affects when it occurs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskKind {
    /// Adds its sampled impact (working days) to each affected task's duration — the same
    /// draw for every affected task — and its sampled cost once.
    Event,
    /// Multiplies each affected task's duration by its sampled factor — one draw per
    /// iteration for all affected tasks, which correlates them as the method intends.
    Driver,
}

/// One row of the risk register.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    /// Unique id.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Probability of occurring in an iteration, in [0, 1].
    pub probability: f64,
    /// Event or driver.
    pub kind: RiskKind,
    /// Impact when it occurs: working days (event) or a factor (driver).
    pub impact: super::Estimate,
    /// Cost when it occurs (once per iteration), if any.
    pub cost: Option<super::Estimate>,
    /// Ids of the tasks it affects.
    pub affects: Vec<String>,
    /// 1-based line in the risks file.
    pub line: usize,
}
