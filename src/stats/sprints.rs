//! Finishes in sprints: which sprint a finish (working days from the project start) falls in,
//! for the plan, every reported percentile and the confidence level.
//!
//! The rule: with sprints of L working days, sprint 1 beginning s working days after the
//! project start, sprint k covers the working days (s + (k−1)·L, s + k·L]. A finish at offset
//! d is in sprint ⌈(d − s) / L⌉; a finish exactly at a sprint's end (d = s + k·L, up to the
//! calendar's [`TOLERANCE`]) belongs to that sprint ("end of sprint k"), not the next. A
//! number of 0 or less is a finish before sprint 1 begins.

use chrono::NaiveDate;

use super::schedule::too_far;
use super::Summary;
use crate::error::{Error, Result};
use crate::model::calendar::{Calendar, TOLERANCE};
use crate::model::{SprintStart, Sprints};

/// One finish in sprints.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sprint {
    /// The sprint the finish falls in (1-based; 0 or less: before sprint 1 begins).
    pub number: i64,
    /// With a calendar and `number` ≥ 1: the last working day of that sprint.
    pub end_date: Option<NaiveDate>,
}

/// The project finish in sprints (see the module documentation for the rule).
#[derive(Debug, Clone, PartialEq)]
pub struct SprintSummary {
    /// Working days per sprint.
    pub length: f64,
    /// Working days from the project start to the beginning of sprint 1.
    pub offset: f64,
    /// With a calendar and an offset ≥ 0: the first working day of sprint 1.
    pub start_date: Option<NaiveDate>,
    /// The deterministic plan's finish.
    pub deterministic: Sprint,
    /// The finish at the confidence level.
    pub at_confidence: Sprint,
    /// `(k, sprint of Pk)` for every reported percentile k of the duration.
    pub percentiles: Vec<(u32, Sprint)>,
}

/// The sprint in which a finish `d` working days after the project start falls: ⌈(d − offset
/// − TOLERANCE) / length⌉.
pub fn sprint_of(d: f64, length: f64, offset: f64) -> i64 {
    ((d - offset - TOLERANCE) / length).ceil() as i64
}

impl SprintSummary {
    /// The finishes of `duration` in `sprints`; `calendar` (the project's, when it has a start
    /// date) turns a `sprint_start` date into an offset and gives the sprints' end dates.
    /// Fails (usage, exit 2) on a `sprint_start` date without a calendar or before its start,
    /// or an end date beyond the calendar's last date.
    pub fn new(
        sprints: &Sprints,
        duration: &Summary,
        calendar: Option<&Calendar>,
    ) -> Result<SprintSummary> {
        let offset = match (sprints.start, calendar) {
            (SprintStart::Offset(n), _) => n,
            (SprintStart::Date(d), Some(c)) if d >= c.start() => c.offset_of(d),
            (SprintStart::Date(d), Some(c)) => {
                return Err(Error::Usage(format!(
                    "sprint_start {d} is before the project start {}; give the first sprint \
                     that begins on or after it, or a number of working days",
                    c.start()
                )))
            }
            (SprintStart::Date(_), None) => {
                return Err(Error::Usage(
                    "a sprint_start date needs a start date; add start = \"YYYY-MM-DD\" to \
                     [project] or give sprint_start as a number of working days"
                        .into(),
                ))
            }
        };
        let length = sprints.length;
        let sprint = |d: f64| -> Result<Sprint> {
            let number = sprint_of(d, length, offset);
            let end_date = match calendar {
                Some(c) if number >= 1 => {
                    let end = offset + number as f64 * length;
                    Some(c.finish_date(end).ok_or_else(|| too_far(c, end))?)
                }
                _ => None,
            };
            Ok(Sprint { number, end_date })
        };
        Ok(SprintSummary {
            length,
            offset,
            start_date: calendar
                .filter(|_| offset >= 0.0)
                .and_then(|c| c.start_date(offset)),
            deterministic: sprint(duration.deterministic)?,
            at_confidence: sprint(duration.at_confidence)?,
            percentiles: duration
                .percentiles
                .iter()
                .map(|&(k, v)| Ok((k, sprint(v)?)))
                .collect::<Result<_>>()?,
        })
    }

    /// The sprint of reported percentile `k`, if it is one.
    pub fn p(&self, k: u32) -> Option<Sprint> {
        self.percentiles
            .iter()
            .find(|(j, _)| *j == k)
            .map(|(_, s)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn a_finish_at_a_sprint_end_belongs_to_that_sprint() {
        // Sprints of 10 from the start: sprint 1 is (0, 10], sprint 2 (10, 20].
        assert_eq!(sprint_of(10.0, 10.0, 0.0), 1);
        assert_eq!(sprint_of(10.0 + 1e-12, 10.0, 0.0), 1); // float noise stays in sprint 1
        assert_eq!(sprint_of(10.001, 10.0, 0.0), 2);
        assert_eq!(sprint_of(0.5, 10.0, 0.0), 1);
        assert_eq!(sprint_of(118.9, 10.0, 0.0), 12);
        assert_eq!(sprint_of(120.0, 10.0, 0.0), 12);
        // Sprint 1 begins 3 working days in: (3, 13] is sprint 1; a finish at 3 is before it.
        assert_eq!(sprint_of(13.0, 10.0, 3.0), 1);
        assert_eq!(sprint_of(13.5, 10.0, 3.0), 2);
        assert_eq!(sprint_of(3.0, 10.0, 3.0), 0);
        // Sprints that began 4 working days before the project: (−4, 6] is sprint 1.
        assert_eq!(sprint_of(6.0, 10.0, -4.0), 1);
        assert_eq!(sprint_of(7.0, 10.0, -4.0), 2);
    }

    #[test]
    fn percentiles_dates_and_a_start_date() {
        // The hand-written report: plan 10 working days; durations 8..=14.
        let r = crate::stats::testing::report(&[8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0], &[1.0; 7]);
        // Monday 2027-01-04, Mon–Fri, no holidays; sprints of 5 working days (one week)
        // beginning Wednesday 2027-01-06: offset 2, sprint 1 is working days 3–7 (Wed 6 to
        // Tue 12 Jan), sprint 2 days 8–12 (to Tue 19 Jan).
        let cal = Calendar::weekdays(d("2027-01-04"));
        let s = SprintSummary::new(
            &Sprints {
                length: 5.0,
                start: SprintStart::Date(d("2027-01-06")),
            },
            &r.duration,
            Some(&cal),
        )
        .unwrap();
        assert_eq!(s.offset, 2.0);
        assert_eq!(s.start_date, Some(d("2027-01-06")));
        // Plan 10: ⌈(10 − 2)/5⌉ = 2, ending on working day 12, Tuesday 19 January.
        assert_eq!(
            s.deterministic,
            Sprint {
                number: 2,
                end_date: Some(d("2027-01-19"))
            }
        );
        // P50 of 8..=14 is 11: sprint 2. P90 (type 7: 13 + 0.4 = 13.4): ⌈11.4/5⌉ = 3,
        // ending on working day 17, Tuesday 26 January.
        assert_eq!(s.p(50).unwrap().number, 2);
        assert_eq!(
            s.p(90).unwrap(),
            Sprint {
                number: 3,
                end_date: Some(d("2027-01-26"))
            }
        );
        // P80 (type 7: 12 + 0.8 = 12.8, also the confidence level 0.8): ⌈10.8/5⌉ = 3.
        assert_eq!(s.at_confidence.number, 3);
        assert_eq!(s.p(80), Some(s.at_confidence));
    }

    #[test]
    fn a_date_needs_a_calendar_on_or_after_its_start() {
        let r = crate::stats::testing::report(&[8.0, 9.0], &[1.0; 2]);
        let sprints = |date| Sprints {
            length: 10.0,
            start: SprintStart::Date(d(date)),
        };
        assert!(SprintSummary::new(&sprints("2027-01-04"), &r.duration, None).is_err());
        let cal = Calendar::weekdays(d("2027-01-04"));
        let early = SprintSummary::new(&sprints("2027-01-01"), &r.duration, Some(&cal));
        assert!(early
            .unwrap_err()
            .to_string()
            .contains("before the project start"));
        // Without a calendar an offset works; no dates.
        let s = SprintSummary::new(
            &Sprints {
                length: 4.0,
                start: SprintStart::Offset(0.0),
            },
            &r.duration,
            None,
        )
        .unwrap();
        assert_eq!(
            (s.deterministic.number, s.deterministic.end_date),
            (3, None)
        );
        assert_eq!(s.start_date, None);
    }
}
