//! Everything the outputs show, computed once: percentiles and their standard errors (from the
//! spread between replicates for Latin hypercube runs, [`replicates`]), moments,
//! histograms and S-curves, buffers, per-task, milestone, risk and resource statistics, the
//! resource profile, backup reserves per resource, scenario comparisons and the deterministic
//! schedule. Outputs only format these values (see DEVELOPERS.md, "Statistics or presentation").

pub mod comparison;
pub mod drivers;
pub mod ecdf;
pub mod facts;
pub mod forecast;
pub mod gantt;
pub mod health;
pub mod histogram;
pub mod percentile;
pub mod profile;
pub mod replicates;
pub mod report;
pub mod reserve;
pub mod schedule;
pub mod sprints;
pub mod summary;

#[cfg(test)]
pub(crate) mod testing;

pub use comparison::{Change, Comparison, Recommendation, ScenarioReport, ScenarioRow};
pub use drivers::{DriverReport, FrontierPoint, Joint, MergeBias, TaskDriverStat};
pub use ecdf::CumulativeCurve;
pub use facts::{Merges, PlanFacts};
pub use forecast::ForecastReport;
pub use gantt::{DateTick, FinishMarks, GanttData, GanttTask};
pub use health::Health;
pub use histogram::Histogram;
pub use profile::{ResourceLoad, ResourceProfile};
pub use report::{
    Budget, Buffer, DateSummary, Deadline, EconomicCost, MilestoneDates, MilestoneStat, Report,
    ResourceStat, RiskStat, TaskStat, MILESTONE_PERCENTILES,
};
pub use reserve::{ResourceReserve, RESERVE_PERCENTILES};
pub use schedule::{DeadlineCheck, ScheduleReport, ScheduledTask};
pub use sprints::{Sprint, SprintSummary};
pub use summary::Summary;
