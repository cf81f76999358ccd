//! The summary `p80 forecast` prints: the run, the history, the question, the P-table and two
//! sentences (the plan at the average throughput and the answer at the confidence level).

use std::fmt::Write;
use std::path::PathBuf;

use super::console::{calendar_line, display_dir};
use super::format::{confidence_label, percent, plural, thousands};
use crate::stats::forecast::{Answer, ForecastReport, HistorySummary};

/// The P-values shown on the console (`forecast.csv` has more).
const SHOWN: [u32; 6] = [50, 70, 80, 85, 90, 95];

fn shown(level: f64, confidence: f64) -> bool {
    SHOWN
        .iter()
        .any(|&k| (f64::from(k) / 100.0 - level).abs() < 1e-12)
        || (level - confidence).abs() < 1e-12
}

/// "history.csv: the last 12 of 20 periods (2026-09-04 … 2027-02-12), 3–19 items a period,
/// mean 11.2".
fn history_line(h: &HistorySummary) -> String {
    let which = if h.used == h.periods {
        format!("{} period{}", h.periods, plural(h.periods))
    } else {
        format!("the last {} of {} periods", h.used, h.periods)
    };
    let span = match (h.dates, h.numbers) {
        (Some((a, b)), _) => format!(" ({a} … {b})"),
        (None, Some((a, b))) => format!(" (periods {a} … {b})"),
        (None, None) => String::new(),
    };
    format!(
        "{}: {which}{span}, {}–{} items a period, mean {}",
        h.file.display(),
        thousands(f64::from(h.min), 0),
        thousands(f64::from(h.max), 0),
        thousands(h.mean, 1)
    )
}

/// A number of items as given: whole numbers without decimals, others with up to two.
fn count(x: f64) -> String {
    if x.fract() == 0.0 {
        thousands(x, 0)
    } else {
        let s = thousands(x, 2);
        s.trim_end_matches('0').to_string()
    }
}

/// The summary printed after `p80 forecast`.
pub fn forecast_summary(
    r: &ForecastReport,
    written: &[PathBuf],
    threads: usize,
    seconds: f64,
) -> String {
    let c = confidence_label(r.confidence);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "p80 forecast: {} {} — {} iterations, seed {}, {} thread{}, {:.2} s",
        r.project,
        r.label,
        thousands(r.iterations as f64, 0),
        r.seed,
        threads,
        plural(threads),
        seconds
    );
    let _ = writeln!(s, "History: {}", history_line(&r.history));
    if let Some(cal) = &r.calendar {
        let _ = writeln!(s, "Calendar: {}", calendar_line(cal));
    }
    let days = |n: u64| {
        format!(
            "{} working day{}",
            thousands(n as f64, 0),
            plural(n as usize)
        )
    };
    match &r.answer {
        Answer::When {
            backlog,
            items,
            rows,
            at_confidence,
            plan,
            plan_met,
            ..
        } => {
            let b = &backlog.items;
            let size = match b.effective_distribution() {
                crate::model::Distribution::Fixed => format!("{} items", count(b.likely)),
                crate::model::Distribution::Uniform => format!(
                    "{}–{} items (uniform)",
                    count(b.optimistic),
                    count(b.pessimistic)
                ),
                _ => format!(
                    "{}–{} items (PERT, likely {})",
                    count(b.optimistic),
                    count(b.pessimistic),
                    count(b.likely)
                ),
            };
            let sp = backlog.split;
            let split = if sp.low == 1.0 && sp.high == 1.0 {
                String::new()
            } else if sp.low == sp.high {
                format!(", split rate {}", sp.low)
            } else {
                format!(", split rate {}–{}", sp.low, sp.high)
            };
            let todo = if items.0 == items.1 {
                String::new()
            } else {
                format!(
                    ": {}–{} items to finish",
                    thousands(items.0 as f64, 0),
                    thousands(items.1 as f64, 0)
                )
            };
            let _ = writeln!(
                s,
                "Backlog: {size}{split}{todo}; periods of {}",
                days(u64::from(r.period_length))
            );
            let _ = writeln!(s);
            let dated = r.calendar.is_some();
            let mut header = format!("{:<8}{:>9}{:>14}", "", "periods", "working days");
            if dated {
                let _ = write!(header, "{:>12}", "date");
            }
            let _ = writeln!(s, "{header}");
            for row in rows.iter().filter(|row| shown(row.level, r.confidence)) {
                let mut line = format!(
                    "{:<8}{:>9}{:>14}",
                    confidence_label(row.level),
                    thousands(row.periods as f64, 0),
                    thousands(row.working_days as f64, 0)
                );
                if let Some(d) = row.date {
                    let _ = write!(line, "{:>12}", d.to_string());
                }
                let _ = writeln!(s, "{line}");
            }
            let _ = writeln!(s);
            let on =
                |d: Option<chrono::NaiveDate>| d.map(|d| format!(" ({d})")).unwrap_or_default();
            if let (Some(p), Some(met)) = (plan, plan_met) {
                let _ = writeln!(
                    s,
                    "At the average throughput of {} items a period the plan is {} period{}{}: \
                     met in {} of iterations.",
                    thousands(r.history.mean, 1),
                    thousands(p.periods as f64, 0),
                    plural(p.periods as usize),
                    on(p.date),
                    percent(*met)
                );
            }
            let by = at_confidence
                .date
                .map(|d| format!(", by {d}"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "At {c} ({}% confidence) the backlog is done within {} period{} ({}){by}.",
                &c[1..],
                thousands(at_confidence.periods as f64, 0),
                plural(at_confidence.periods as usize),
                days(at_confidence.working_days)
            );
        }
        Answer::HowMany {
            date,
            periods,
            last_period_end,
            left_out,
            rows,
            at_confidence,
            plan,
            plan_met,
            ..
        } => {
            let tail = match (last_period_end, *left_out) {
                (Some(end), 0) => format!("; the last ends on {end}"),
                (Some(end), rest) => format!(
                    "; the last ends on {end}, and the {} after it (a part of a period) are not \
                     counted",
                    days(rest)
                ),
                (None, _) => String::new(),
            };
            let _ = writeln!(
                s,
                "Until {date}: {} whole period{} of {}{tail}",
                periods,
                plural(*periods as usize),
                days(u64::from(r.period_length))
            );
            let _ = writeln!(s);
            let _ = writeln!(s, "{:<8}{:>9}", "", "items");
            for row in rows.iter().filter(|row| shown(row.level, r.confidence)) {
                let _ = writeln!(
                    s,
                    "{:<8}{:>9}",
                    confidence_label(row.level),
                    thousands(row.items as f64, 0)
                );
            }
            let _ = writeln!(s);
            let _ = writeln!(
                s,
                "At the average throughput of {} items a period the plan is {} items: reached \
                 in {} of iterations.",
                thousands(r.history.mean, 1),
                thousands(*plan, 1),
                percent(*plan_met)
            );
            let _ = writeln!(
                s,
                "At {c} ({}% confidence) at least {} items are done by {date} (a higher \
                 confidence means fewer items).",
                &c[1..],
                thousands(at_confidence.items as f64, 0)
            );
        }
    }
    if r.capped > 0 {
        let _ = writeln!(
            s,
            "{} iteration{} reached the cap of {} periods unfinished and count as {}: the \
             P-values they reach are lower bounds.",
            thousands(r.capped as f64, 0),
            plural(r.capped),
            thousands(f64::from(crate::model::forecast::MAX_PERIODS), 0),
            thousands(f64::from(crate::model::forecast::MAX_PERIODS), 0)
        );
    }
    if let Some(dir) = written.first().and_then(|p| p.parent()) {
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let _ = writeln!(s, "Wrote {} to {}", names.join(", "), display_dir(dir));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::forecast::testing::{how_many, when};

    #[test]
    fn when_summary_whole() {
        let text = forecast_summary(
            &when(true),
            &[
                PathBuf::from("out/forecast.csv"),
                PathBuf::from("out/forecast.png"),
            ],
            2,
            0.013,
        );
        assert_eq!(
            text,
            "p80 forecast: p [forecast] — 100 iterations, seed 1, 2 threads, 0.01 s
History: h.csv: 3 periods (periods 1 … 3), 4–8 items a period, mean 6.0
Calendar: start 2027-03-01, working days Mon–Fri, 0 holidays
Backlog: 20 items; periods of 5 working days

          periods  working days        date
P50             4            20  2027-03-26
P70             4            20  2027-03-26
P80             5            25  2027-04-02
P85             5            25  2027-04-02
P90             5            25  2027-04-02
P95             5            25  2027-04-02

At the average throughput of 6.0 items a period the plan is 4 periods (2027-03-26): met in 70% of iterations.
At P80 (80% confidence) the backlog is done within 5 periods (25 working days), by 2027-04-02.
Wrote forecast.csv, forecast.png to out
"
        );
    }

    #[test]
    fn how_many_summary_whole() {
        let text = forecast_summary(&how_many(), &[], 1, 0.0);
        assert_eq!(
            text,
            "p80 forecast: p [forecast] — 40 iterations, seed 1, 1 thread, 0.00 s
History: h.csv: 3 periods (periods 1 … 3), 4–8 items a period, mean 6.0
Until 2027-03-31: 4 whole periods of 5 working days

            items
P50            21
P70            19
P80            18
P85            17
P90            17
P95            16
P97.5          16

At the average throughput of 6.0 items a period the plan is 24.0 items: reached in 20% of iterations.
At P97.5 (97.5% confidence) at least 16 items are done by 2027-03-31 (a higher confidence means fewer items).
"
        );
    }
}
