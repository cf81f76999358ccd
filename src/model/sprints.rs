//! Sprints: a team's fixed-length iterations, for stating finishes as "end of sprint 12".

use chrono::NaiveDate;

/// Where sprint 1 begins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SprintStart {
    /// This many working days after the project start (may be negative: sprints that began
    /// before the project; 0 is the project start).
    Offset(f64),
    /// Sprint 1's first day (on or after the project start; needs a start date).
    Date(NaiveDate),
}

/// `[project] sprint_length` and `sprint_start`: sprints of `length` working days, sprint 1
/// beginning at `start`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sprints {
    /// Working days per sprint (finite, > 0).
    pub length: f64,
    /// Where sprint 1 begins (default: the project start, offset 0).
    pub start: SprintStart,
}
