//! A team's throughput forecast: the items it finished in past periods (sprints), the work left
//! (a backlog, possibly a range, possibly growing as items split) or a date, and which periods
//! are resampled. See docs/format.md, "Forecasts from throughput".
//!
//! The forecast is a bootstrap: each iteration draws past periods' throughput, with
//! replacement and with equal weight, until the backlog is done (a "when" forecast) or for the
//! whole periods before a date (a "how many" forecast). This module holds the model and the
//! checks that need both `project.toml` and the history; the engine draws
//! (`engine::forecast`).

use std::path::PathBuf;

use chrono::NaiveDate;

use super::Estimate;
use crate::error::Diagnostic;

/// No iteration runs more periods than this (with 10-day periods, about 385 years): a
/// forecast that would need more is refused up front when its expected length is beyond it,
/// and the rare iteration that reaches it stops there (with a warning saying how many did).
pub const MAX_PERIODS: u32 = 10_000;

/// Histories shorter than this many periods get a warning: the bootstrap cannot show a spread
/// the history does not have.
pub const SMALL_SAMPLE: usize = 5;

/// One past period of the history file.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// 1-based line in the history file.
    pub line: usize,
    /// The period's number (`period` column), when given.
    pub number: Option<i64>,
    /// The period's last day (`end_date` column), when given.
    pub end_date: Option<NaiveDate>,
    /// Items finished in the period.
    pub items_done: u32,
}

/// The throughput history: past periods, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// The CSV file it was read from, for messages.
    pub file: PathBuf,
    /// Every period in the file, oldest first (the reader checks the order).
    pub periods: Vec<Period>,
}

/// How much the backlog grows as its items are worked on: each item becomes a number of items
/// drawn uniformly between `low` and `high` once per iteration (`low == high`: a fixed factor).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SplitRate {
    /// Smallest factor (> 0).
    pub low: f64,
    /// Largest factor (>= `low`).
    pub high: f64,
}

impl SplitRate {
    /// No splitting: a factor of 1.
    pub const NONE: SplitRate = SplitRate {
        low: 1.0,
        high: 1.0,
    };

    /// The middle of the range (the plan's factor).
    pub fn middle(&self) -> f64 {
        (self.low + self.high) / 2.0
    }
}

/// The work left in a "when" forecast. In each iteration the items to finish are
/// `⌊x · s + 1/2⌋`, with `x` drawn from `items` and `s` from `split`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backlog {
    /// The backlog's size in items: fixed, uniform (`[low, high]`) or Beta-PERT
    /// (`[optimistic, likely, pessimistic]`).
    pub items: Estimate,
    /// How items grow as they are worked on.
    pub split: SplitRate,
}

impl Backlog {
    /// The fewest and the most items an iteration can have to finish.
    pub fn item_range(&self) -> (u64, u64) {
        let round = |x: f64| (x + 0.5).floor().max(0.0) as u64;
        (
            round(self.items.optimistic * self.split.low),
            round(self.items.pessimistic * self.split.high),
        )
    }

    /// The items a plan at the likely values would count: `⌊likely × middle split + 1/2⌋`.
    pub fn plan_items(&self) -> u64 {
        (self.items.likely * self.split.middle() + 0.5).floor() as u64
    }
}

/// What a forecast answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// "When will the backlog be done?"
    Backlog(Backlog),
    /// "How many items by this date?": the items finished in the whole periods from the start
    /// through `date`.
    Until {
        /// The date.
        date: NaiveDate,
        /// Working days from the start through the date, both included.
        working_days: u64,
        /// Whole periods that end on or before the date: ⌊working_days / period_length⌋.
        periods: u32,
    },
}

/// A throughput forecast, ready to check and simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// `None` for `[forecast]`, the name for `[forecast.NAME]`.
    pub name: Option<String>,
    /// Past periods.
    pub history: History,
    /// Working days in a period (>= 1).
    pub period_length: u32,
    /// Resample only the most recent this many periods (`None`: all).
    pub last_periods: Option<usize>,
    /// The backlog or the date.
    pub target: Target,
    /// The project file, for messages.
    pub file: PathBuf,
    /// Line of the `backlog` or `until` key.
    pub target_line: usize,
    /// Line of the `last_periods` key, when given.
    pub last_periods_line: Option<usize>,
}

impl Forecast {
    /// How the forecast is named in messages: `[forecast]` or `[forecast.NAME]`.
    pub fn label(&self) -> String {
        match &self.name {
            None => "[forecast]".to_string(),
            Some(n) => format!("[forecast.{n}]"),
        }
    }

    /// The periods that are resampled: the last `last_periods` of the history (all of them
    /// when it has fewer, or when no limit is set).
    pub fn sample(&self) -> &[Period] {
        let all = &self.history.periods;
        let n = self.last_periods.unwrap_or(all.len()).min(all.len());
        &all[all.len() - n..]
    }

    /// The resampled throughputs, oldest first.
    pub fn throughput(&self) -> Vec<u32> {
        self.sample().iter().map(|p| p.items_done).collect()
    }

    /// The mean of the resampled throughputs (items per period); 0 without periods.
    pub fn mean_throughput(&self) -> f64 {
        let s = self.sample();
        if s.is_empty() {
            return 0.0;
        }
        s.iter().map(|p| f64::from(p.items_done)).sum::<f64>() / s.len() as f64
    }

    /// The plan at the average throughput: `⌈plan items / mean throughput⌉` whole periods,
    /// what a team planning on its average velocity would say. `None` for a "how many"
    /// forecast or a history without items.
    pub fn plan_periods(&self) -> Option<u32> {
        let Target::Backlog(b) = &self.target else {
            return None;
        };
        let mean = self.mean_throughput();
        if mean <= 0.0 {
            return None;
        }
        let periods = (b.plan_items() as f64 / mean - 1e-9).ceil().max(0.0);
        Some(periods.min(f64::from(MAX_PERIODS)) as u32)
    }

    /// The items a "how many" plan at the average throughput counts: periods × mean.
    pub fn plan_items_by_date(&self) -> Option<f64> {
        match self.target {
            Target::Until { periods, .. } => Some(f64::from(periods) * self.mean_throughput()),
            Target::Backlog(_) => None,
        }
    }

    /// The checks that need the history and the settings together: the resampled periods
    /// must include one with items done, and the expected length of the largest backlog must
    /// be within [`MAX_PERIODS`]. Returns the problems (each naming file, line and field)
    /// and the warnings (a small sample, a `last_periods` beyond the history, gaps in the
    /// period numbers).
    pub fn check(&self) -> (Vec<Diagnostic>, Vec<String>) {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let hf = &self.history.file;
        let all = &self.history.periods;
        let sample = self.sample();
        if all.is_empty() {
            // The reader reports an empty history; nothing more to check.
            return (problems, warnings);
        }
        let mean = self.mean_throughput();
        if mean == 0.0 {
            let whole_history_has_items = all.iter().any(|p| p.items_done > 0);
            match (self.last_periods_line, whole_history_has_items) {
                (Some(line), true) => problems.push(Diagnostic::at(
                    &self.file,
                    line,
                    Some("last_periods"),
                    format!(
                        "{}: the last {} periods of {} all have items_done 0, so no forecast \
                         can finish; resample more periods (raise last_periods) or check the \
                         history",
                        self.label(),
                        sample.len(),
                        hf.display()
                    ),
                )),
                _ => problems.push(Diagnostic {
                    file: hf.clone(),
                    line: None,
                    field: Some("items_done".into()),
                    message: format!(
                        "every period has items_done 0: a team that has finished nothing gives \
                         nothing to forecast from; check the column, or add periods in which \
                         items were finished ({} periods read)",
                        all.len()
                    ),
                }),
            }
            return (problems, warnings);
        }
        if let Target::Backlog(b) = &self.target {
            let (_, most) = b.item_range();
            let expected = most as f64 / mean;
            if expected > f64::from(MAX_PERIODS) {
                problems.push(Diagnostic::at(
                    &self.file,
                    self.target_line,
                    Some("backlog"),
                    format!(
                        "{}: up to {} items at the mean throughput of {} items a period would \
                         take about {} periods ({} working days); p80 forecasts at most {} \
                         periods: check the backlog and the history's items_done, or forecast a \
                         part of the backlog",
                        self.label(),
                        group(most as f64, 0),
                        group(mean, 2),
                        group(expected.ceil(), 0),
                        group(expected.ceil() * f64::from(self.period_length), 0),
                        group(f64::from(MAX_PERIODS), 0)
                    ),
                ));
            }
        }
        if let Some(n) = self.last_periods {
            if n > all.len() {
                warnings.push(format!(
                    "{}: last_periods = {n}, but {} has {} period{}: all are resampled",
                    self.label(),
                    hf.display(),
                    all.len(),
                    if all.len() == 1 { "" } else { "s" }
                ));
            }
        }
        if sample.len() < SMALL_SAMPLE {
            warnings.push(format!(
                "{}: only {} period{} of history resampled; a bootstrap of so few periods \
                 cannot show the spread a longer history would, so treat the forecast as rough \
                 and add periods to {} as they finish (at least {SMALL_SAMPLE}, better 10 or more)",
                self.label(),
                sample.len(),
                if sample.len() == 1 { "" } else { "s" },
                hf.display()
            ));
        }
        for w in all.windows(2) {
            if let (Some(a), Some(b)) = (w[0].number, w[1].number) {
                if b > a + 1 {
                    let missing = if b == a + 2 {
                        format!("period {} is", a + 1)
                    } else if b == a + 3 {
                        format!("periods {} and {} are", a + 1, a + 2)
                    } else {
                        format!("periods {} to {} are", a + 1, b - 1)
                    };
                    warnings.push(format!(
                        "{}:{}: {missing} missing; a period in which nothing was finished \
                         belongs in the history with items_done 0",
                        hf.display(),
                        w[1].line
                    ));
                }
            }
        }
        (problems, warnings)
    }
}

/// The most work (throughput values × items × periods) the exact law of a task's forecast
/// may take: about a second.
pub const MAX_EXACT_WORK: f64 = 2e9;

impl Forecast {
    /// A task takes its duration from the exact law of the periods needed, computed by one
    /// convolution per period over every item count up to the largest backlog
    /// (`engine::forecast_exact`): refused, with a way out, when that would take more than
    /// [`MAX_EXACT_WORK`] steps. The caller names the task.
    pub fn check_for_task(&self) -> Option<Diagnostic> {
        let Target::Backlog(b) = &self.target else {
            return None;
        };
        let mean = self.mean_throughput();
        if mean <= 0.0 {
            return None;
        }
        let mut distinct = self.throughput();
        distinct.sort_unstable();
        distinct.dedup();
        let (_, most) = b.item_range();
        let periods = (most as f64 / mean * 1.5 + 10.0).min(f64::from(MAX_PERIODS));
        let work = most as f64 * distinct.len() as f64 * periods;
        (work > MAX_EXACT_WORK).then(|| {
            Diagnostic::at(
                &self.file,
                self.target_line,
                Some("backlog"),
                format!(
                    "{}: a backlog of up to {} items is too large for a task's duration to be \
                     computed exactly (about {} steps); give the task an estimate in working \
                     days from p80 forecast's P-table instead",
                    self.label(),
                    group(most as f64, 0),
                    group(work, 0)
                ),
            )
        })
    }
}

/// `x` with thousands separators (the model keeps no dependency on `output`).
fn group(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 && c.is_ascii_digit() {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Distribution;

    fn forecast(items: &[u32], backlog: Estimate, last: Option<usize>) -> Forecast {
        Forecast {
            name: None,
            history: History {
                file: "h.csv".into(),
                periods: items
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
            period_length: 10,
            last_periods: last,
            target: Target::Backlog(Backlog {
                items: backlog,
                split: SplitRate::NONE,
            }),
            file: "p.toml".into(),
            target_line: 7,
            last_periods_line: last.map(|_| 8),
        }
    }

    #[test]
    fn sample_mean_and_plan() {
        let f = forecast(
            &[2, 4, 6, 8, 10, 12],
            Estimate::fixed(50.0).unwrap(),
            Some(4),
        );
        assert_eq!(f.throughput(), vec![6, 8, 10, 12]);
        assert_eq!(f.mean_throughput(), 9.0);
        // ⌈50 / 9⌉ = 6.
        assert_eq!(f.plan_periods(), Some(6));
        let f = forecast(&[5, 5], Estimate::fixed(50.0).unwrap(), None);
        // Exactly 10 periods, not 11 (50 / 5 is a whole number).
        assert_eq!(f.plan_periods(), Some(10));
    }

    #[test]
    fn item_range_rounds_half_up_with_the_split() {
        let b = Backlog {
            items: Estimate::new(10.0, 12.0, 20.0, Distribution::Pert).unwrap(),
            split: SplitRate {
                low: 1.05,
                high: 1.5,
            },
        };
        // 10 × 1.05 = 10.5 → 11; 20 × 1.5 = 30; plan 12 × 1.275 = 15.3 → 15.
        assert_eq!(b.item_range(), (11, 30));
        assert_eq!(b.plan_items(), 15);
    }

    #[test]
    fn all_zeros_and_huge_backlogs_are_refused_small_samples_warned() {
        let f = forecast(&[0, 0, 0], Estimate::fixed(5.0).unwrap(), None);
        let (p, _) = f.check();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0]
            .to_string(), "h.csv: field `items_done`: every period has items_done 0: a team that has finished nothing gives nothing to forecast from; check the column, or add periods in which items were finished (3 periods read)");

        let f = forecast(&[3, 0, 0], Estimate::fixed(5.0).unwrap(), Some(2));
        let (p, _) = f.check();
        assert_eq!(p[0].to_string(), "p.toml:8: field `last_periods`: [forecast]: the last 2 periods of h.csv all have items_done 0, so no forecast can finish; resample more periods (raise last_periods) or check the history");

        let f = forecast(&[1, 2, 3, 4, 5], Estimate::fixed(1e9).unwrap(), None);
        let (p, w) = f.check();
        assert_eq!(p.len(), 1);
        assert_eq!(
            p[0].to_string(),
            "p.toml:7: field `backlog`: [forecast]: up to 1,000,000,000 items at the mean \
             throughput of 3.00 items a period would take about 333,333,334 periods \
             (3,333,333,340 working days); p80 forecasts at most 10,000 periods: check the \
             backlog and the history's items_done, or forecast a part of the backlog"
        );
        assert!(w.is_empty(), "{w:?}");

        let f = forecast(&[1, 2], Estimate::fixed(10.0).unwrap(), Some(9));
        let (p, w) = f.check();
        assert!(p.is_empty());
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("last_periods = 9, but h.csv has 2 periods"));
        assert!(w[1].contains("only 2 periods of history resampled"));
    }

    #[test]
    fn gaps_in_period_numbers_are_warned() {
        let mut f = forecast(&[1, 2, 3, 4, 5, 6], Estimate::fixed(10.0).unwrap(), None);
        f.history.periods[3].number = Some(6); // 1, 2, 3, 6: 4 and 5 missing
        f.history.periods[4].number = Some(8); // 7 missing
        f.history.periods[5].number = Some(9);
        let (_, w) = f.check();
        assert_eq!(
            w,
            vec![
                "h.csv:5: periods 4 and 5 are missing; a period in which nothing was finished \
                 belongs in the history with items_done 0"
                    .to_string(),
                "h.csv:6: period 7 is missing; a period in which nothing was finished belongs \
                 in the history with items_done 0"
                    .to_string(),
            ]
        );
    }
}
