//! The deterministic schedule as `p80 check` shows it: every task's early dates, float and
//! criticality, the critical path, and with a calendar the dates and how the plan stands
//! against the deadline.

use chrono::NaiveDate;

use crate::engine::Schedule;
use crate::error::{Error, Result};
use crate::model::Calendar;

/// The deterministic schedule (most likely durations), ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleReport {
    /// Per task, indexed like `Project::tasks`.
    pub tasks: Vec<ScheduledTask>,
    /// Critical tasks in topological order (indices into `tasks`).
    pub critical_path: Vec<usize>,
    /// Project duration in working days.
    pub duration: f64,
    /// Project cost.
    pub cost: f64,
    /// The working-day calendar, when the project has a start date.
    pub calendar: Option<Calendar>,
    /// The project's finish date, with a calendar.
    pub finish_date: Option<NaiveDate>,
    /// How the plan stands against the deadline, with a calendar and a deadline.
    pub deadline: Option<DeadlineCheck>,
}

/// One task in the deterministic schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScheduledTask {
    /// Early start, working days from the project start.
    pub early_start: f64,
    /// Early finish.
    pub early_finish: f64,
    /// Total float (0 on the critical path).
    pub total_float: f64,
    /// Whether it lies on a longest path.
    pub critical: bool,
    /// `(start date, finish date)`, with a calendar. A task of zero duration (a milestone)
    /// starts and finishes on its finish date, as scheduling tools show it.
    pub dates: Option<(NaiveDate, NaiveDate)>,
}

/// The deterministic plan against a deadline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeadlineCheck {
    /// The deadline.
    pub date: NaiveDate,
    /// Working days from the start through the deadline, both included.
    pub available: u64,
    /// The working day on which the plan finishes ([`Calendar::finish_day`]); `u64::MAX` when
    /// it cannot be counted.
    pub needed: u64,
}

impl DeadlineCheck {
    /// Working days to spare (`Ok`) or by which the plan is late (`Err`).
    pub fn margin(&self) -> std::result::Result<u64, u64> {
        if self.needed <= self.available {
            Ok(self.available - self.needed)
        } else {
            Err(self.needed - self.available)
        }
    }
}

impl ScheduleReport {
    /// The schedule as shown; with `calendar`, in dates too, and with `deadline` (used only
    /// with a calendar), compared with it.
    ///
    /// Fails (a usage error) when a date would fall after [`Calendar::LAST_DATE`].
    pub fn new(
        schedule: &Schedule,
        calendar: Option<&Calendar>,
        deadline: Option<NaiveDate>,
    ) -> Result<ScheduleReport> {
        let finish_date =
            |c: &Calendar, offset: f64| c.finish_date(offset).ok_or_else(|| too_far(c, offset));
        let tasks = (0..schedule.early_start.len())
            .map(|i| {
                let (es, ef) = (schedule.early_start[i], schedule.early_finish[i]);
                let dates = match calendar {
                    None => None,
                    Some(c) => {
                        let finish = finish_date(c, ef)?;
                        let start = if ef <= es {
                            finish
                        } else {
                            c.start_date(es).ok_or_else(|| too_far(c, es))?
                        };
                        Some((start, finish))
                    }
                };
                Ok(ScheduledTask {
                    early_start: es,
                    early_finish: ef,
                    total_float: schedule.total_float[i],
                    critical: schedule.critical[i],
                    dates,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let finish = calendar
            .map(|c| finish_date(c, schedule.duration))
            .transpose()?;
        Ok(ScheduleReport {
            tasks,
            critical_path: schedule.critical_path.clone(),
            duration: schedule.duration,
            cost: schedule.cost,
            calendar: calendar.cloned(),
            finish_date: finish,
            deadline: calendar.zip(deadline).map(|(c, date)| DeadlineCheck {
                date,
                available: c.working_days_through(date),
                needed: Calendar::finish_day(schedule.duration).unwrap_or(u64::MAX),
            }),
        })
    }
}

/// The usage error for an offset whose date would fall after [`Calendar::LAST_DATE`].
pub(crate) fn too_far(calendar: &Calendar, offset: f64) -> Error {
    Error::Usage(format!(
        "a finish {offset} working days after the start {} falls after {}: p80 cannot show it \
         as a date; check the estimates or remove start",
        calendar.start(),
        Calendar::LAST_DATE
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn dates_of_tasks_milestones_and_the_deadline_margin() {
        // Monday 2027-01-04, Monday to Friday. Task a: days 0–3 (Mon–Wed), milestone m at 3
        // (Wed), task b: 3–7.5 (Thu to the next Tue, working day 8).
        let cal = Calendar::new(
            d("2027-01-04"),
            [true, true, true, true, true, false, false],
            [],
        )
        .unwrap();
        let schedule = Schedule {
            duration: 7.5,
            cost: 0.0,
            early_start: vec![0.0, 3.0, 3.0],
            early_finish: vec![3.0, 3.0, 7.5],
            total_float: vec![0.0; 3],
            critical: vec![true; 3],
            critical_path: vec![0, 1, 2],
        };
        let plan = ScheduleReport::new(&schedule, Some(&cal), Some(d("2027-01-12"))).unwrap();
        let dates: Vec<_> = plan.tasks.iter().map(|t| t.dates.unwrap()).collect();
        assert_eq!(
            dates,
            vec![
                (d("2027-01-04"), d("2027-01-06")),
                (d("2027-01-06"), d("2027-01-06")),
                (d("2027-01-07"), d("2027-01-13")),
            ]
        );
        assert_eq!(plan.finish_date, Some(d("2027-01-13")));
        assert_eq!(plan.tasks[2].early_finish, 7.5);
        // Through Tuesday the 12th: 7 working days; the plan needs day 8.
        let dl = plan.deadline.unwrap();
        assert_eq!((dl.available, dl.needed, dl.margin()), (7, 8, Err(1)));
        let early = DeadlineCheck {
            available: 10,
            ..dl
        };
        assert_eq!(early.margin(), Ok(2));

        // Without a calendar: no dates, and the deadline is ignored.
        let plain = ScheduleReport::new(&schedule, None, Some(d("2027-01-12"))).unwrap();
        assert!(plain.tasks.iter().all(|t| t.dates.is_none()));
        assert_eq!((plain.finish_date, plain.deadline), (None, None));
        assert_eq!(plain.critical_path, vec![0, 1, 2]);
    }
}
