//! Everything `p80 forecast` shows, computed once from a forecast and its bootstrap samples:
//! the P-table (with working days and dates), the plan at the average throughput and how often
//! it is met, the histogram and the cumulative curve, and a summary of the history.
//!
//! P-values of whole periods and items are order statistics, never interpolated:
//! - "when": Pq is the fewest periods within which at least q of the iterations finished
//!   (the smallest k with F̂(k) ≥ q, [`at_most`]);
//! - "how many": Pq is the most items that at least q of the iterations finished by the date
//!   (the largest x with Ŝ(x) = share of iterations with at least x ≥ q, [`at_least`]). A
//!   high confidence is therefore a small count: P80 is the 20th percentile of the items.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::histogram::Histogram;
use super::schedule::too_far;
use crate::engine::forecast::Samples;
use crate::error::Result;
use crate::model::calendar::Calendar;
use crate::model::forecast::{Backlog, Forecast, Target};

/// The percentiles `forecast.csv` lists (the confidence level is added when it is not one).
pub const FORECAST_PERCENTILES: [u32; 11] = [5, 10, 25, 50, 70, 75, 80, 85, 90, 95, 99];

/// The smallest value with at least a share `q` (0 < q ≤ 1) of the ascending `sorted` values
/// at or below it: `sorted[⌈q·n⌉ − 1]` (the inverse of the empirical CDF). `None` when empty.
pub fn at_most(sorted: &[u64], q: f64) -> Option<u64> {
    let n = sorted.len();
    (n > 0).then(|| sorted[needed(n, q) - 1])
}

/// The largest value with at least a share `q` (0 < q ≤ 1) of the ascending `sorted` values at
/// or above it: `sorted[n − ⌈q·n⌉]`. `None` when empty.
pub fn at_least(sorted: &[u64], q: f64) -> Option<u64> {
    let n = sorted.len();
    (n > 0).then(|| sorted[n - needed(n, q)])
}

/// ⌈q·n⌉, between 1 and n, robust to q·n landing a hair above a whole number (0.7 × 10).
fn needed(n: usize, q: f64) -> usize {
    ((q * n as f64 - 1e-9).ceil().max(1.0) as usize).min(n)
}

/// One row of the "when" P-table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WhenRow {
    /// The confidence, in (0, 1): 0.8 for P80.
    pub level: f64,
    /// Whole periods within which at least `level` of the iterations finished.
    pub periods: u64,
    /// `periods` × the period length.
    pub working_days: u64,
    /// The last day of the last of those periods, with a start date.
    pub date: Option<NaiveDate>,
}

/// One row of the "how many" P-table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemsRow {
    /// The confidence, in (0, 1): 0.8 for P80.
    pub level: f64,
    /// Items that at least `level` of the iterations finished by the date.
    pub items: u64,
}

/// What a forecast answers, with its P-table.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// When the backlog will be done.
    When {
        /// The backlog as given.
        backlog: Backlog,
        /// The items an iteration has to finish: fewest and most over the run.
        items: (u64, u64),
        /// The P-table, ascending.
        rows: Vec<WhenRow>,
        /// The row at the confidence level.
        at_confidence: WhenRow,
        /// The plan at the average throughput (whole periods), as a row.
        plan: Option<WhenRow>,
        /// Share of iterations that finished within the plan's periods.
        plan_met: Option<f64>,
        /// Mean periods.
        mean: f64,
    },
    /// How many items by a date.
    HowMany {
        /// The date.
        date: NaiveDate,
        /// Working days from the start through the date.
        working_days: u64,
        /// Whole periods that end by the date.
        periods: u32,
        /// The last day of the last whole period.
        last_period_end: Option<NaiveDate>,
        /// Working days after the last whole period through the date (a part of a period,
        /// not counted).
        left_out: u64,
        /// The P-table, P5 first (most items first).
        rows: Vec<ItemsRow>,
        /// The row at the confidence level.
        at_confidence: ItemsRow,
        /// Items at the average throughput: periods × mean.
        plan: f64,
        /// Share of iterations that finished at least `plan` items.
        plan_met: f64,
        /// Mean items.
        mean: f64,
    },
}

/// The history as the forecast used it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistorySummary {
    /// The history file.
    pub file: PathBuf,
    /// Periods in the file.
    pub periods: usize,
    /// Periods resampled (the last `last_periods`, or all).
    pub used: usize,
    /// First and last end dates of the resampled periods, when the file has them.
    pub dates: Option<(NaiveDate, NaiveDate)>,
    /// First and last numbers of the resampled periods, when the file has them.
    pub numbers: Option<(i64, i64)>,
    /// Fewest items done in a resampled period.
    pub min: u32,
    /// Most items done in a resampled period.
    pub max: u32,
    /// Mean items done per resampled period.
    pub mean: f64,
}

/// The results of one forecast run, ready to be written in any format.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastReport {
    /// The project's name.
    pub project: String,
    /// `[forecast]` or `[forecast.NAME]`.
    pub label: String,
    /// Iterations run.
    pub iterations: usize,
    /// The seed.
    pub seed: u64,
    /// The confidence level marked on the chart and named in the summary.
    pub confidence: f64,
    /// Working days per period.
    pub period_length: u32,
    /// The calendar, when the project has a start date.
    pub calendar: Option<Calendar>,
    /// The history.
    pub history: HistorySummary,
    /// The P-table and the plan.
    pub answer: Answer,
    /// Iterations stopped at the cap of periods.
    pub capped: usize,
    /// The samples binned (periods or items, one bin per whole number when they fit).
    pub histogram: Histogram,
    /// The cumulative curve's points `(value, percent)`: "when", the share of iterations done
    /// within the value (rising); "how many", the share that finished at least the value
    /// (falling). The exact staircase over the distinct values.
    pub curve: Vec<(f64, f64)>,
    /// Smallest and largest sample.
    pub range: (u64, u64),
}

impl ForecastReport {
    /// Summarises `samples` (from [`crate::engine::forecast::bootstrap`] of `forecast`).
    /// Dates need `calendar`; a date after 9999-12-31 is a usage error.
    pub fn new(
        project: &str,
        forecast: &Forecast,
        samples: &Samples,
        seed: u64,
        confidence: f64,
        calendar: Option<&Calendar>,
    ) -> Result<ForecastReport> {
        let mut sorted = samples.values.clone();
        sorted.sort_unstable();
        let n = sorted.len();
        let levels = levels(confidence);
        let as_f64: Vec<f64> = sorted.iter().map(|&v| v as f64).collect();
        let mean = as_f64.iter().sum::<f64>() / n.max(1) as f64;
        let length = u64::from(forecast.period_length);
        let when_row = |level: f64, periods: u64| -> Result<WhenRow> {
            let working_days = periods * length;
            let date = calendar
                .map(|c| {
                    c.finish_date(working_days as f64)
                        .ok_or_else(|| too_far(c, working_days as f64))
                })
                .transpose()?;
            Ok(WhenRow {
                level,
                periods,
                working_days,
                date,
            })
        };
        let share = |pred: &dyn Fn(u64) -> bool| {
            sorted.iter().filter(|&&v| pred(v)).count() as f64 / n.max(1) as f64
        };
        let answer = match forecast.target {
            Target::Backlog(backlog) => {
                let rows = levels
                    .iter()
                    .map(|&q| when_row(q, at_most(&sorted, q).unwrap_or(0)))
                    .collect::<Result<Vec<_>>>()?;
                let at_confidence =
                    when_row(confidence, at_most(&sorted, confidence).unwrap_or(0))?;
                let plan = forecast
                    .plan_periods()
                    .map(|k| when_row(0.0, u64::from(k)))
                    .transpose()?;
                Answer::When {
                    backlog,
                    items: backlog.item_range(),
                    plan_met: plan.map(|p| share(&|v| v <= p.periods)),
                    plan,
                    rows,
                    at_confidence,
                    mean,
                }
            }
            Target::Until {
                date,
                working_days,
                periods,
            } => {
                let row = |q: f64| ItemsRow {
                    level: q,
                    items: at_least(&sorted, q).unwrap_or(0),
                };
                let plan = forecast.plan_items_by_date().unwrap_or(0.0);
                Answer::HowMany {
                    date,
                    working_days,
                    periods,
                    last_period_end: calendar
                        .and_then(|c| c.finish_date((u64::from(periods) * length) as f64)),
                    left_out: working_days.saturating_sub(u64::from(periods) * length),
                    rows: levels.iter().map(|&q| row(q)).collect(),
                    at_confidence: row(confidence),
                    plan,
                    plan_met: share(&|v| v as f64 >= plan - 1e-9),
                    mean,
                }
            }
        };
        let rising = matches!(answer, Answer::When { .. });
        Ok(ForecastReport {
            project: project.to_string(),
            label: forecast.label(),
            iterations: n,
            seed,
            confidence,
            period_length: forecast.period_length,
            calendar: calendar.cloned(),
            history: history_summary(forecast),
            answer,
            capped: samples.capped,
            histogram: Histogram::of_sorted(&as_f64),
            curve: staircase(&sorted, rising),
            range: (
                sorted.first().copied().unwrap_or(0),
                sorted.last().copied().unwrap_or(0),
            ),
        })
    }
}

/// [`FORECAST_PERCENTILES`] as shares, with `confidence` added in order when it is not one.
fn levels(confidence: f64) -> Vec<f64> {
    let mut v: Vec<f64> = FORECAST_PERCENTILES
        .iter()
        .map(|&k| f64::from(k) / 100.0)
        .collect();
    if !v.iter().any(|&q| (q - confidence).abs() < 1e-12) {
        v.push(confidence);
        v.sort_by(f64::total_cmp);
    }
    v
}

/// The exact staircase of the empirical distribution of ascending whole-number samples, in
/// percent: rising, the share at or below each value (a jump at each distinct value); falling,
/// the share at or above it (a drop just after each distinct value).
fn staircase(sorted: &[u64], rising: bool) -> Vec<(f64, f64)> {
    let n = sorted.len().max(1) as f64;
    let mut points = Vec::new();
    let mut below = 0usize; // samples < the current value
    for group in sorted.chunk_by(|a, b| a == b) {
        let x = group[0] as f64;
        let after = below + group.len();
        if rising {
            points.push((x, below as f64 * 100.0 / n));
            points.push((x, after as f64 * 100.0 / n));
        } else {
            let at_least = (sorted.len() - below) as f64 * 100.0 / n;
            let more = (sorted.len() - after) as f64 * 100.0 / n;
            points.push((x, at_least));
            points.push((x, more));
        }
        below = after;
    }
    points
}

fn history_summary(f: &Forecast) -> HistorySummary {
    let used = f.sample();
    let ends = (
        used.first().and_then(|p| p.end_date),
        used.last().and_then(|p| p.end_date),
    );
    let numbers = (
        used.first().and_then(|p| p.number),
        used.last().and_then(|p| p.number),
    );
    HistorySummary {
        file: f.history.file.clone(),
        periods: f.history.periods.len(),
        used: used.len(),
        dates: ends.0.zip(ends.1),
        numbers: numbers.0.zip(numbers.1),
        min: used.iter().map(|p| p.items_done).min().unwrap_or(0),
        max: used.iter().map(|p| p.items_done).max().unwrap_or(0),
        mean: f.mean_throughput(),
    }
}

/// Reports from hand-written samples, for the artefacts' tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::model::calendar::parse_date;
    use crate::model::forecast::{History, Period, SplitRate};
    use crate::model::Estimate;

    /// A forecast of `target` over a history of 4, 6 and 8 items in periods of 5 days.
    pub(crate) fn forecast(target: Target) -> Forecast {
        Forecast {
            name: None,
            history: History {
                file: "h.csv".into(),
                periods: [4u32, 6, 8]
                    .iter()
                    .enumerate()
                    .map(|(i, &n)| Period {
                        line: i + 2,
                        number: Some(i as i64 + 1),
                        end_date: None,
                        items_done: n,
                    })
                    .collect(),
            },
            period_length: 5,
            last_periods: None,
            target,
            file: "p.toml".into(),
            target_line: 3,
            last_periods_line: None,
        }
    }

    /// "When" for a backlog of 20: 100 samples, 20 × 3 periods, 50 × 4, 30 × 5; with
    /// `dated`, periods from Monday 2027-03-01 on weekdays.
    pub(crate) fn when(dated: bool) -> ForecastReport {
        let f = forecast(Target::Backlog(Backlog {
            items: Estimate::fixed(20.0).unwrap(),
            split: SplitRate::NONE,
        }));
        let mut values = vec![3u64; 20];
        values.extend([4; 50]);
        values.extend([5; 30]);
        let samples = Samples { values, capped: 0 };
        let cal = Calendar::weekdays(parse_date("2027-03-01").unwrap());
        ForecastReport::new("p", &f, &samples, 1, 0.8, dated.then_some(&cal)).unwrap()
    }

    /// "How many" by 2027-03-31 (4 periods): 40 samples, 16 … 25 four times each;
    /// confidence 0.975.
    pub(crate) fn how_many() -> ForecastReport {
        let f = forecast(Target::Until {
            date: parse_date("2027-03-31").unwrap(),
            working_days: 23,
            periods: 4,
        });
        let values: Vec<u64> = (0..40).map(|i| 16 + i % 10).collect();
        let samples = Samples { values, capped: 0 };
        ForecastReport::new("p", &f, &samples, 1, 0.975, None).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{how_many, when};
    use super::*;
    use crate::model::calendar::parse_date;

    #[test]
    fn order_statistics_by_hand() {
        // 10 values: F̂(3) = 0.3, F̂(4) = 0.7, F̂(6) = 0.9, F̂(9) = 1.
        let v = [2, 3, 3, 4, 4, 4, 4, 6, 6, 9];
        assert_eq!(at_most(&v, 0.05), Some(2));
        assert_eq!(at_most(&v, 0.3), Some(3));
        assert_eq!(at_most(&v, 0.31), Some(4));
        assert_eq!(at_most(&v, 0.7), Some(4)); // 0.7 × 10 is a hair above 7 in floating point
        assert_eq!(at_most(&v, 0.8), Some(6));
        assert_eq!(at_most(&v, 0.95), Some(9));
        // At least x in ≥ q of them: 9 in 10%, 6 in 30%, 4 in 70%, 3 in 90%, 2 in 100%.
        assert_eq!(at_least(&v, 0.1), Some(9));
        assert_eq!(at_least(&v, 0.2), Some(6));
        assert_eq!(at_least(&v, 0.3), Some(6));
        assert_eq!(at_least(&v, 0.5), Some(4));
        assert_eq!(at_least(&v, 0.8), Some(3));
        assert_eq!(at_least(&v, 0.9), Some(3));
        assert_eq!(at_least(&v, 0.95), Some(2));
        assert_eq!(at_least(&[], 0.5), None);
        // P80 of "at least" is the 20th percentile from below, not the 80th.
        assert_ne!(at_least(&v, 0.8), at_most(&v, 0.8));
        assert_eq!(at_least(&v, 0.8), at_most(&v, 0.2));
    }

    #[test]
    fn staircases() {
        assert_eq!(
            staircase(&[1, 1, 2, 4], true),
            vec![
                (1.0, 0.0),
                (1.0, 50.0),
                (2.0, 50.0),
                (2.0, 75.0),
                (4.0, 75.0),
                (4.0, 100.0)
            ]
        );
        assert_eq!(
            staircase(&[1, 1, 2, 4], false),
            vec![
                (1.0, 100.0),
                (1.0, 50.0),
                (2.0, 50.0),
                (2.0, 25.0),
                (4.0, 25.0),
                (4.0, 0.0)
            ]
        );
    }

    #[test]
    fn when_rows_with_dates_and_the_plan() {
        let r = when(true);
        let Answer::When {
            rows,
            at_confidence,
            plan,
            plan_met,
            mean,
            ..
        } = &r.answer
        else {
            panic!("a when forecast");
        };
        let table: Vec<(u64, u64, u64)> = rows
            .iter()
            .map(|r| ((r.level * 100.0).round() as u64, r.periods, r.working_days))
            .collect();
        assert_eq!(
            table,
            vec![
                (5, 3, 15),
                (10, 3, 15),
                (25, 4, 20),
                (50, 4, 20),
                (70, 4, 20),
                (75, 5, 25),
                (80, 5, 25),
                (85, 5, 25),
                (90, 5, 25),
                (95, 5, 25),
                (99, 5, 25)
            ]
        );
        assert_eq!(rows[0].date, parse_date("2027-03-19"));
        assert_eq!(at_confidence.periods, 5);
        assert_eq!(at_confidence.date, parse_date("2027-04-02"));
        // Mean throughput 6: ⌈20 / 6⌉ = 4 periods, met by 70% of iterations.
        assert_eq!(plan.unwrap().periods, 4);
        assert_eq!(*plan_met, Some(0.7));
        assert!((mean - 4.1).abs() < 1e-12);
        assert_eq!(r.range, (3, 5));
        assert_eq!(r.history.mean, 6.0);
        assert_eq!(r.histogram.counts, vec![20, 50, 30]);
    }

    #[test]
    fn how_many_rows_count_down_and_the_confidence_is_added() {
        let r = how_many();
        let Answer::HowMany {
            rows,
            at_confidence,
            plan,
            plan_met,
            ..
        } = &r.answer
        else {
            panic!("a how-many forecast");
        };
        let table: Vec<(f64, u64)> = rows.iter().map(|r| (r.level, r.items)).collect();
        // At least x in ≥ q of 40: ⌈q·40⌉ values at the top; e.g. q = 0.8 → 32 → x = 18.
        assert_eq!(
            table,
            vec![
                (0.05, 25),
                (0.1, 25),
                (0.25, 23),
                (0.5, 21),
                (0.7, 19),
                (0.75, 18),
                (0.8, 18),
                (0.85, 17),
                (0.9, 17),
                (0.95, 16),
                (0.975, 16),
                (0.99, 16)
            ]
        );
        assert_eq!(at_confidence.items, 16);
        // 4 periods at the mean of 6: 24 items, reached in 8 of 40 iterations.
        assert_eq!((*plan, *plan_met), (24.0, 0.2));
        // 23 working days through the date, 4 periods of 5: 3 days are left out.
        let Answer::HowMany { left_out, .. } = &r.answer else {
            unreachable!()
        };
        assert_eq!(*left_out, 3);
    }
}
