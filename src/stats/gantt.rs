//! What the Gantt chart (`gantt.png`) shows, computed once: every task's deterministic bar,
//! kind and criticality in plan order, optional per-task P50/P80 finishes, and with a calendar
//! the working-day offsets of week and month starts for a date axis.

use chrono::{Datelike, Months, NaiveDate};

use crate::engine::Schedule;
use crate::model::calendar::Calendar;
use crate::model::TaskKind;

/// A task's simulated finish at P50 and P80 (working days from the project start).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FinishMarks {
    /// Median finish.
    pub p50: f64,
    /// 80th percentile of the finish.
    pub p80: f64,
}

/// One task of the Gantt chart. Its id and name are the report's (`Report::tasks`, same
/// index): not a second copy of every task's strings (issue 15: at 100k tasks that copy
/// was about 11 MB of the peak).
#[derive(Debug, Clone, PartialEq)]
pub struct GanttTask {
    /// Ordinary task, milestone or level of effort.
    pub kind: TaskKind,
    /// Early start in the deterministic plan (working days from the project start).
    pub start: f64,
    /// Early finish in the deterministic plan.
    pub finish: f64,
    /// Fraction of iterations on a longest path.
    pub criticality: f64,
    /// Whether the task is on the deterministic critical path.
    pub critical_in_plan: bool,
    /// The simulated P50 and P80 finish, when the run measured per-task finishes (`None`
    /// until a collector of task finishes fills it; the chart draws the marks when present).
    pub finish_marks: Option<FinishMarks>,
}

/// A labelled position on a date axis: `offset` working days from the project start is the
/// beginning of `date` (the working days before it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateTick {
    /// Working days before `date`.
    pub offset: f64,
    /// The date (a Monday for weeks, the 1st for months).
    pub date: NaiveDate,
}

/// The Gantt chart's data: every task in plan (file) order, and with a calendar the week and
/// month starts up to `horizon` working days (the chart picks which to label).
#[derive(Debug, Clone, PartialEq)]
pub struct GanttData {
    /// Every task, in the order of the tasks file (the order of `Report::tasks`).
    pub tasks: Vec<GanttTask>,
    /// With a calendar: each Monday after the start (and on it) up to the horizon.
    pub weeks: Vec<DateTick>,
    /// With a calendar: each 1st of a month after the start (and on it) up to the horizon.
    pub months: Vec<DateTick>,
}

impl GanttData {
    /// The tasks of a project, given by their `kinds` in file order, with their
    /// deterministic bars from `schedule` and their `criticality` (indexed like
    /// `Project::tasks`); no date ticks yet.
    pub fn new(
        kinds: impl IntoIterator<Item = TaskKind>,
        schedule: &Schedule,
        criticality: &[f64],
    ) -> GanttData {
        let tasks = kinds
            .into_iter()
            .enumerate()
            .map(|(i, kind)| GanttTask {
                kind,
                start: schedule.early_start[i],
                finish: schedule.early_finish[i],
                criticality: criticality[i],
                critical_in_plan: schedule.critical[i],
                finish_marks: None,
            })
            .collect();
        GanttData {
            tasks,
            weeks: Vec::new(),
            months: Vec::new(),
        }
    }

    /// Adds the week and month starts of `calendar` whose offsets are at most `horizon`
    /// working days (a date is placed at the working days before it,
    /// [`Calendar::offset_of`]).
    pub fn add_dates(&mut self, calendar: &Calendar, horizon: f64) {
        let start = calendar.start();
        let ticks = |first: NaiveDate, next: &dyn Fn(NaiveDate) -> Option<NaiveDate>| {
            let mut out = Vec::new();
            let mut d = Some(first);
            while let Some(date) = d {
                let offset = calendar.offset_of(date);
                if offset > horizon || date > Calendar::LAST_DATE {
                    break;
                }
                out.push(DateTick { offset, date });
                d = next(date);
            }
            out
        };
        let monday =
            start + chrono::Days::new(u64::from((7 - start.weekday().num_days_from_monday()) % 7));
        self.weeks = ticks(monday, &|d| d.checked_add_days(chrono::Days::new(7)));
        let first = if start.day() == 1 {
            start
        } else {
            start
                .with_day(1)
                .and_then(|d| d.checked_add_months(Months::new(1)))
                .unwrap_or(start)
        };
        self.months = ticks(first, &|d| d.checked_add_months(Months::new(1)));
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
    fn bars_come_from_the_deterministic_schedule_in_plan_order() {
        let r = crate::stats::testing::report(&[9.0, 10.0, 11.0], &[1.0; 3]);
        let g = &r.gantt;
        assert_eq!(g.tasks.len(), 2);
        assert_eq!(
            (r.tasks[0].id.as_str(), g.tasks[0].start, g.tasks[0].finish),
            ("a", 0.0, 4.0)
        );
        assert_eq!((g.tasks[1].start, g.tasks[1].finish), (4.0, 10.0));
        assert_eq!((g.tasks[0].criticality, g.tasks[1].criticality), (0.6, 1.0));
        assert!(g
            .tasks
            .iter()
            .all(|t| t.finish_marks.is_none() && t.critical_in_plan));
        assert!(g.weeks.is_empty() && g.months.is_empty());
    }

    #[test]
    fn week_and_month_starts_are_placed_at_the_working_days_before_them() {
        // Wednesday 2027-01-27, Mon–Fri, a holiday on Monday 1 February. Mondays: 1 Feb
        // (3 working days before it: Wed, Thu, Fri), 8 Feb (3 + 4 = 7: the holiday is not
        // worked), 15 Feb (12). Months: 1 Feb (3), 1 Mar (3 + 19 = 22: February 2027 has 20
        // weekdays, one a holiday).
        let cal = Calendar::new(
            d("2027-01-27"),
            [true, true, true, true, true, false, false],
            [d("2027-02-01")],
        )
        .unwrap();
        let r = crate::stats::testing::report(&[9.0], &[1.0]);
        let mut g = r.gantt.clone();
        g.add_dates(&cal, 22.0);
        let weeks: Vec<(f64, NaiveDate)> = g.weeks.iter().map(|t| (t.offset, t.date)).collect();
        assert_eq!(
            &weeks[..3],
            &[
                (3.0, d("2027-02-01")),
                (7.0, d("2027-02-08")),
                (12.0, d("2027-02-15"))
            ]
        );
        assert_eq!(weeks.last().unwrap(), &(22.0, d("2027-03-01")));
        let months: Vec<(f64, NaiveDate)> = g.months.iter().map(|t| (t.offset, t.date)).collect();
        assert_eq!(months, [(3.0, d("2027-02-01")), (22.0, d("2027-03-01"))]);
    }
}
