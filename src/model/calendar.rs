//! Working-day calendar: maps offsets in working days from the project start to dates.
//!
//! Convention (as MS Project shows it): work starts at the beginning of a working day. Working
//! day 1 is the first working day on or after the start date. A task of `d` working days (`d`
//! may be fractional) that starts on working day 1 finishes on working day ⌈d⌉, and that day is
//! its finish date; so an offset `D > 0` from the project start finishes on working day ⌈D⌉,
//! `D = 0` on working day 1, and a start offset `s` starts on working day ⌊s⌋ + 1.
//!
//! Offsets are sums of floating-point durations: an offset within [`TOLERANCE`] of a whole
//! number counts as that number (0.1 + 0.2 + 0.7 is 1, not a hair above it).
//!
//! Every mapping is O(log) in the offset and the number of holidays (binary search on a closed
//! form for the number of working days through a date), so absurd offsets cost nothing; dates
//! after [`Calendar::LAST_DATE`] are refused (`None`) so that every date prints as
//! `YYYY-MM-DD`.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};

/// Offsets within this many working days above (or below) a whole number count as that number.
pub const TOLERANCE: f64 = 1e-9;

/// Which weekdays are worked, the holidays, and the project start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    start: NaiveDate,
    /// Indexed by `Weekday::num_days_from_monday`.
    workdays: [bool; 7],
    holidays: BTreeSet<NaiveDate>,
    /// Holidays on or after `start` that fall on a working weekday, ascending: the only ones
    /// that remove a working day.
    off_days: Vec<NaiveDate>,
    /// Days worked although their weekday is not (a Saturday worked once), given with
    /// [`Calendar::with_extra_workdays`].
    extra: BTreeSet<NaiveDate>,
    /// Extra working days on or after `start` that fall on a non-working weekday and are not
    /// holidays, ascending: the only ones that add a working day.
    on_days: Vec<NaiveDate>,
}

/// Why a calendar cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarError {
    /// No weekday is a working day.
    NoWorkdays,
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalendarError::NoWorkdays => write!(f, "the calendar has no working weekday"),
        }
    }
}

impl std::error::Error for CalendarError {}

/// Monday to Friday.
pub const MONDAY_TO_FRIDAY: [bool; 7] = [true, true, true, true, true, false, false];

const NAMES: [(&str, &str); 7] = [
    ("mon", "monday"),
    ("tue", "tuesday"),
    ("wed", "wednesday"),
    ("thu", "thursday"),
    ("fri", "friday"),
    ("sat", "saturday"),
    ("sun", "sunday"),
];

/// A weekday from its three-letter or full English name, case-insensitive ("Mon", "monday").
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    let s = s.trim().to_ascii_lowercase();
    let i = NAMES
        .iter()
        .position(|(short, long)| s == *short || s == *long)?;
    Some(weekday_from_monday(i))
}

fn weekday_from_monday(i: usize) -> Weekday {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ][i % 7]
}

/// A date written `YYYY-MM-DD` (exactly: four-digit year, two-digit month and day).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
        return None;
    }
    if !digits(5..7) || !digits(8..10) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

impl Calendar {
    /// The last date a calendar maps to (dates print as `YYYY-MM-DD`).
    pub const LAST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
        Some(d) => d,
        None => panic!("9999-12-31 is a date"),
    };

    /// A calendar starting on `start`, working on the weekdays marked in `workdays` (indexed
    /// from Monday), with `holidays` off. Fails when no weekday is worked.
    pub fn new(
        start: NaiveDate,
        workdays: [bool; 7],
        holidays: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<Calendar, CalendarError> {
        if !workdays.iter().any(|&w| w) {
            return Err(CalendarError::NoWorkdays);
        }
        let holidays: BTreeSet<NaiveDate> = holidays.into_iter().collect();
        let off_days = holidays
            .range(start..)
            .copied()
            .filter(|d| workdays[d.weekday().num_days_from_monday() as usize])
            .collect();
        Ok(Calendar {
            start,
            workdays,
            holidays,
            off_days,
            extra: BTreeSet::new(),
            on_days: Vec::new(),
        })
    }

    /// The same calendar with `days` worked whatever their weekday (calendar exceptions that
    /// add working time, as MS Project and Primavera files hold them). A day that is also a
    /// holiday stays a holiday; a day on a working weekday changes nothing.
    pub fn with_extra_workdays(mut self, days: impl IntoIterator<Item = NaiveDate>) -> Calendar {
        self.extra.extend(days);
        self.on_days = self
            .extra
            .range(self.start..)
            .copied()
            .filter(|d| {
                !self.workdays[d.weekday().num_days_from_monday() as usize]
                    && !self.holidays.contains(d)
            })
            .collect();
        self
    }

    /// Every extra working day given, ascending.
    pub fn extra_workdays(&self) -> &BTreeSet<NaiveDate> {
        &self.extra
    }

    /// The working-day offset at which something that may start no earlier than `date`
    /// starts: the number of working days before `date` (so that it starts on the first
    /// working day on or after `date`); 0 for a date on or before the first working day.
    pub fn offset_of(&self, date: NaiveDate) -> f64 {
        match date.pred_opt() {
            Some(before) => self.working_days_through(before) as f64,
            None => 0.0,
        }
    }

    /// Monday to Friday, no holidays.
    pub fn weekdays(start: NaiveDate) -> Calendar {
        Calendar::new(start, MONDAY_TO_FRIDAY, []).expect("Monday to Friday are working days")
    }

    /// The project start date (possibly not itself a working day).
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Working weekdays, indexed from Monday.
    pub fn workdays(&self) -> [bool; 7] {
        self.workdays
    }

    /// Every holiday given, ascending (including those before the start or on days off).
    pub fn holidays(&self) -> &BTreeSet<NaiveDate> {
        &self.holidays
    }

    /// The working weekdays as three-letter names: "Mon–Fri" for a run of consecutive days,
    /// else "Mon, Wed, Fri".
    pub fn workdays_label(&self) -> String {
        let on: Vec<usize> = (0..7).filter(|&i| self.workdays[i]).collect();
        let name = |i: usize| {
            let s = NAMES[i].0;
            format!("{}{}", s[..1].to_ascii_uppercase(), &s[1..])
        };
        let consecutive = on.windows(2).all(|w| w[1] == w[0] + 1);
        if on.len() >= 3 && consecutive {
            format!("{}–{}", name(on[0]), name(on[on.len() - 1]))
        } else {
            on.into_iter().map(name).collect::<Vec<_>>().join(", ")
        }
    }

    /// Whether `date` is worked: a working weekday or an extra working day, and not a holiday.
    pub fn is_working(&self, date: NaiveDate) -> bool {
        !self.holidays.contains(&date)
            && (self.workdays[date.weekday().num_days_from_monday() as usize]
                || self.extra.contains(&date))
    }

    /// The number of working days from the start through `date`, both included (0 when `date`
    /// is before the first working day).
    pub fn working_days_through(&self, date: NaiveDate) -> u64 {
        let days = (date - self.start).num_days() + 1;
        if days <= 0 {
            return 0;
        }
        let days = days as u64;
        let weekly = self.workdays.iter().filter(|&&w| w).count() as u64;
        let first = self.start.weekday().num_days_from_monday() as u64;
        let partial = (0..days % 7)
            .filter(|i| self.workdays[((first + i) % 7) as usize])
            .count() as u64;
        let off = self.off_days.partition_point(|d| *d <= date) as u64;
        let on = self.on_days.partition_point(|d| *d <= date) as u64;
        (days / 7) * weekly + partial + on - off
    }

    /// Working day `n` (n ≥ 1; 0 is taken as 1): the date of the n-th working day on or after
    /// the start. `None` when it falls after [`Calendar::LAST_DATE`].
    pub fn working_day(&self, n: u64) -> Option<NaiveDate> {
        let n = n.max(1);
        // Within 7 days of each other there is always a working weekday, and each holiday
        // removes one: the n-th working day is at most 7·(n + holidays) days after the start.
        let last = (Self::LAST_DATE - self.start).num_days();
        if last < 0 {
            return None;
        }
        let bound = n
            .checked_add(self.off_days.len() as u64)
            .and_then(|k| k.checked_mul(7))
            .map_or(i64::MAX, |k| i64::try_from(k).unwrap_or(i64::MAX));
        let mut hi = bound.min(last);
        let at = |k: i64| self.start + chrono::Days::new(k as u64);
        if self.working_days_through(at(hi)) < n {
            return None;
        }
        let mut lo = 0i64;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.working_days_through(at(mid)) >= n {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Some(at(lo))
    }

    /// The working day on which something that ends `offset` working days after the project
    /// start finishes: working day ⌈offset⌉, or working day 1 for an offset of 0 (or less).
    /// `None` for a non-finite offset or a date after [`Calendar::LAST_DATE`].
    pub fn finish_day(offset: f64) -> Option<u64> {
        if !offset.is_finite() {
            return None;
        }
        let n = (offset - TOLERANCE).ceil().max(1.0);
        (n < 1e15).then_some(n as u64)
    }

    /// The finish date of an offset (see [`Calendar::finish_day`]).
    pub fn finish_date(&self, offset: f64) -> Option<NaiveDate> {
        self.working_day(Self::finish_day(offset)?)
    }

    /// The date on which something that starts `offset` working days after the project start
    /// begins: working day ⌊offset⌋ + 1 (working day 1 for an offset of 0 or less).
    pub fn start_date(&self, offset: f64) -> Option<NaiveDate> {
        if !offset.is_finite() {
            return None;
        }
        let n = (offset + TOLERANCE).floor().max(0.0) + 1.0;
        if n >= 1e15 {
            return None;
        }
        self.working_day(n as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    /// Starts on Friday 2027-01-01, itself a holiday; weekends off; Wednesday 2027-01-06 a
    /// holiday too. Working days: 1 = Mon 01-04, 2 = Tue 01-05, 3 = Thu 01-07, 4 = Fri 01-08,
    /// 5 = Mon 01-11, 6 = Tue 01-12, 7 = Wed 01-13.
    fn cal() -> Calendar {
        Calendar::new(
            d("2027-01-01"),
            MONDAY_TO_FRIDAY,
            [d("2027-01-01"), d("2027-01-06")],
        )
        .unwrap()
    }

    #[test]
    fn finish_dates_across_a_weekend_and_holidays() {
        let c = cal();
        for (offset, want) in [
            (0.0, "2027-01-04"),
            (0.5, "2027-01-04"),
            (1.0, "2027-01-04"),
            (1.2, "2027-01-05"),
            (2.0, "2027-01-05"),
            (2.5, "2027-01-07"),
            (5.0, "2027-01-11"),
            (6.0, "2027-01-12"),
            (7.0, "2027-01-13"),
        ] {
            assert_eq!(c.finish_date(offset), Some(d(want)), "offset {offset}");
        }
    }

    #[test]
    fn start_dates_begin_on_the_next_working_day() {
        let c = cal();
        for (offset, want) in [
            (0.0, "2027-01-04"),
            (0.5, "2027-01-04"),
            (1.0, "2027-01-05"),
            (1.2, "2027-01-05"),
            (2.0, "2027-01-07"),
            (4.0, "2027-01-11"),
            (-3.0, "2027-01-04"),
        ] {
            assert_eq!(c.start_date(offset), Some(d(want)), "offset {offset}");
        }
    }

    #[test]
    fn sums_a_hair_off_a_whole_number_count_as_it() {
        let c = cal();
        let three = 1.1 + 1.3 + 0.6;
        assert!(three > 3.0, "{three}"); // 3.0000000000000004
        assert_eq!(c.finish_date(three), Some(d("2027-01-07"))); // day 3, not 4
        assert_eq!(c.finish_date(3.0 + 1e-6), Some(d("2027-01-08"))); // a real excess counts
        assert_eq!(c.start_date(4.0 - 1e-12), Some(d("2027-01-11"))); // ⌊4⌋ + 1 = 5
    }

    #[test]
    fn working_days_through_counts_both_ends() {
        let c = cal();
        assert_eq!(c.working_days_through(d("2026-12-31")), 0);
        assert_eq!(c.working_days_through(d("2027-01-01")), 0);
        assert_eq!(c.working_days_through(d("2027-01-03")), 0);
        assert_eq!(c.working_days_through(d("2027-01-04")), 1);
        assert_eq!(c.working_days_through(d("2027-01-06")), 2);
        assert_eq!(c.working_days_through(d("2027-01-10")), 4);
        assert_eq!(c.working_days_through(d("2027-01-13")), 7);
        // A full year: 261 weekdays from 2027-01-01 to 2027-12-31, less the two holidays.
        assert_eq!(c.working_days_through(d("2027-12-31")), 259);
    }

    #[test]
    fn working_day_inverts_working_days_through() {
        let c = Calendar::new(
            d("2027-01-04"),
            [true, false, true, false, true, true, false],
            [
                d("2027-01-08"),
                d("2027-03-01"),
                d("2026-12-25"),
                d("2027-01-05"),
            ],
        )
        .unwrap();
        let mut date = c.start();
        let mut n = 0;
        for _ in 0..800 {
            if c.is_working(date) {
                n += 1;
                assert_eq!(c.working_day(n), Some(date), "working day {n}");
            }
            assert_eq!(c.working_days_through(date), n, "{date}");
            date = date.succ_opt().unwrap();
        }
        assert_eq!(c.working_day(0), c.working_day(1));
    }

    #[test]
    fn absurd_offsets_are_refused_not_looped_over() {
        let c = cal();
        assert_eq!(c.finish_date(f64::NAN), None);
        assert_eq!(c.finish_date(f64::INFINITY), None);
        assert_eq!(c.finish_date(1e300), None);
        assert_eq!(c.finish_date(1e12), None);
        assert_eq!(c.working_day(u64::MAX), None);
        // 1,000,000 working days is about 3,800 years: still a date.
        let far = c.finish_date(1e6).unwrap();
        assert!(far.year() > 5000 && far.year() < 9999, "{far}");
        assert_eq!(c.working_days_through(far), 1_000_000);
    }

    #[test]
    fn extra_workdays_add_working_days() {
        // Saturday 2027-01-09 worked, Sunday 2027-01-10 too but it is also a holiday, Monday
        // 2027-01-11 is a working weekday anyway, Saturday 2026-12-26 is before the start.
        let c = cal().with_extra_workdays([
            d("2027-01-09"),
            d("2027-01-10"),
            d("2027-01-11"),
            d("2026-12-26"),
        ]);
        let c = Calendar::new(c.start(), c.workdays(), {
            let mut h: Vec<NaiveDate> = c.holidays().iter().copied().collect();
            h.push(d("2027-01-10"));
            h
        })
        .unwrap()
        .with_extra_workdays(c.extra_workdays().iter().copied());
        assert!(c.is_working(d("2027-01-09")));
        assert!(!c.is_working(d("2027-01-10")));
        assert_eq!(c.working_days_through(d("2027-01-08")), 4);
        assert_eq!(c.working_days_through(d("2027-01-09")), 5);
        assert_eq!(c.working_days_through(d("2027-01-11")), 6);
        assert_eq!(c.working_day(5), Some(d("2027-01-09")));
        assert_eq!(c.working_day(6), Some(d("2027-01-11")));
        assert_eq!(c.finish_date(5.0), Some(d("2027-01-09")));
        // Every working day is found again by working_day.
        let mut date = c.start();
        let mut n = 0;
        for _ in 0..60 {
            if c.is_working(date) {
                n += 1;
                assert_eq!(c.working_day(n), Some(date), "working day {n}");
            }
            assert_eq!(c.working_days_through(date), n, "{date}");
            date = date.succ_opt().unwrap();
        }
        // A start no earlier than Saturday 2027-01-09 starts on it: offset 4.
        assert_eq!(c.offset_of(d("2027-01-09")), 4.0);
        assert_eq!(c.offset_of(d("2026-06-01")), 0.0);
    }

    #[test]
    fn no_working_weekday_is_refused() {
        assert_eq!(
            Calendar::new(d("2027-01-04"), [false; 7], []),
            Err(CalendarError::NoWorkdays)
        );
    }

    #[test]
    fn parses_weekdays_and_dates() {
        assert_eq!(parse_weekday("Mon"), Some(Weekday::Mon));
        assert_eq!(parse_weekday("SUNDAY"), Some(Weekday::Sun));
        assert_eq!(parse_weekday(" thu "), Some(Weekday::Thu));
        assert_eq!(parse_weekday("thurs"), None);
        assert_eq!(parse_weekday("lundi"), None);
        assert_eq!(parse_date("2027-02-28"), Some(d("2027-02-28")));
        for bad in [
            "2027-02-29",
            "2027-1-4",
            "27-01-04",
            "2027/01/04",
            "2027-13-01",
            "",
            "x",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn labels_working_days() {
        assert_eq!(
            Calendar::weekdays(d("2027-01-04")).workdays_label(),
            "Mon–Fri"
        );
        let c = Calendar::new(
            d("2027-01-04"),
            [true, false, true, false, true, false, false],
            [],
        )
        .unwrap();
        assert_eq!(c.workdays_label(), "Mon, Wed, Fri");
    }
}
