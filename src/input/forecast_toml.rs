//! The `[forecast]` table of `project.toml` and its named sub-tables (see docs/format.md,
//! "Forecasts from throughput"):
//!
//! ```toml
//! [forecast]                     # the forecast `p80 forecast` runs, and defaults for the others
//! history = "throughput.csv"
//! period_length = 10
//! backlog = [90, 110, 150]       # or: until = "2027-09-30"
//!
//! [forecast.search]              # a named forecast, for a task's `forecast` column
//! backlog = 40                   # history, period_length, split_rate, last_periods: inherited
//! ```
//!
//! The table mixes keys and sub-tables, which serde's derive cannot express with spans, so
//! it is read by hand: every key's value keeps its span (hence its line), and a key that is
//! neither known nor a table is reported like any unknown key.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use super::scenario_toml::number;
use super::table::check_id;
use crate::error::Diagnostic;
use crate::model::calendar::Calendar;
use crate::model::forecast::{Backlog, SplitRate, Target, MAX_PERIODS};
use crate::model::{Distribution, Estimate};

/// The keys a forecast table knows.
const KEYS: [&str; 6] = [
    "history",
    "period_length",
    "backlog",
    "split_rate",
    "until",
    "last_periods",
];

/// One forecast table's keys as written.
#[derive(Default)]
pub(super) struct Fields {
    history: Option<Spanned<toml::Value>>,
    period_length: Option<Spanned<toml::Value>>,
    backlog: Option<Spanned<toml::Value>>,
    split_rate: Option<Spanned<toml::Value>>,
    until: Option<Spanned<toml::Value>>,
    last_periods: Option<Spanned<toml::Value>>,
    /// Keys that are neither known nor (in `[forecast]`) tables, with their values' spans.
    unknown: Vec<(String, Range<usize>)>,
}

/// `[forecast]`: its own keys and its `[forecast.NAME]` tables, in file order.
pub(super) struct Section {
    own: Fields,
    named: Vec<(String, Spanned<Entry>)>,
}

/// A value inside `[forecast]` under an unknown key: a table (a named forecast) or not.
pub(super) enum Entry {
    Table(Box<Fields>),
    NotATable,
}

impl<'de> Deserialize<'de> for Section {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(SectionVisitor)
    }
}

impl<'de> Deserialize<'de> for Entry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(EntryVisitor)
    }
}

/// Reads the keys of a forecast table; with `named`, keys that are not known are kept there
/// as named forecasts (to be checked to be tables), else reported as unknown. `Ok(None)` for
/// a TOML date, which arrives as a table with one private key.
fn visit_fields<'de, A: MapAccess<'de>>(
    mut map: A,
    mut named: Option<&mut Vec<(String, Spanned<Entry>)>>,
) -> Result<Option<Fields>, A::Error> {
    let mut own = Fields::default();
    // Keys are read as plain strings: a date arrives as a table whose key cannot be spanned;
    // lines come from the values' spans (a key and its value share a line).
    while let Some(key) = map.next_key::<String>()? {
        let slot = match key.as_str() {
            "history" => &mut own.history,
            "period_length" => &mut own.period_length,
            "backlog" => &mut own.backlog,
            "split_rate" => &mut own.split_rate,
            "until" => &mut own.until,
            "last_periods" => &mut own.last_periods,
            k if k.starts_with("$__toml_private") => {
                map.next_value::<IgnoredAny>()?;
                while map.next_key::<IgnoredAny>()?.is_some() {
                    map.next_value::<IgnoredAny>()?;
                }
                return Ok(None);
            }
            _ => {
                match named.as_mut() {
                    Some(list) => list.push((key, map.next_value()?)),
                    None => {
                        let v: Spanned<IgnoredAny> = map.next_value()?;
                        own.unknown.push((key, v.span()));
                    }
                }
                continue;
            }
        };
        *slot = Some(map.next_value()?);
    }
    Ok(Some(own))
}

/// Reads `[forecast]`.
struct SectionVisitor;

impl<'de> Visitor<'de> for SectionVisitor {
    type Value = Section;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a [forecast] table")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Section, A::Error> {
        let mut named = Vec::new();
        let own = visit_fields(map, Some(&mut named))?
            .ok_or_else(|| de::Error::custom("[forecast] is a table, not a date"))?;
        Ok(Section { own, named })
    }
}

/// Reads a value under an unknown key of `[forecast]`: a named forecast's table, or not.
struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a [forecast.NAME] table")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Entry, A::Error> {
        Ok(visit_fields(map, None)?.map_or(Entry::NotATable, |f| Entry::Table(Box::new(f))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Entry::NotATable)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Entry, E> {
        Ok(Entry::NotATable)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Entry, E> {
        Ok(Entry::NotATable)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Entry, E> {
        Ok(Entry::NotATable)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Entry, E> {
        Ok(Entry::NotATable)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Entry, E> {
        Ok(Entry::NotATable)
    }
}

/// A forecast as `project.toml` gives it, checked, with the keys a named forecast inherits
/// from `[forecast]` filled in. The history file is read by [`super::load_forecast`].
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastSpec {
    /// `None` for `[forecast]`, the name for `[forecast.NAME]`.
    pub name: Option<String>,
    /// Line of the table's header (or of its first key).
    pub line: usize,
    /// The history file, relative to the project file's folder.
    pub history: PathBuf,
    /// Line of the `history` key that applies.
    pub history_line: usize,
    /// Working days per period.
    pub period_length: u32,
    /// Resample only the last this many periods.
    pub last_periods: Option<usize>,
    /// Line of the `last_periods` key that applies.
    pub last_periods_line: Option<usize>,
    /// The backlog or the date.
    pub target: Target,
    /// Line of the `backlog` or `until` key.
    pub target_line: usize,
}

/// The forecasts `project.toml` defines: `[forecast]` first when it has a backlog or a date,
/// then the named ones in file order.
///
/// Every value problem is added to `errors`, each at its key's line. `calendar` is the
/// project's (present when `[project] start` is): `until` needs it.
pub(super) fn read(
    file: &Path,
    section: &Spanned<Section>,
    calendar: Option<&Calendar>,
    line_of: &dyn Fn(Range<usize>) -> usize,
    all_errors: &mut Vec<Diagnostic>,
) -> Vec<ForecastSpec> {
    // The parser gives a table's keys sorted by name: problems are sorted back to file order.
    let mut problems = Vec::new();
    let errors = &mut problems;
    let dir = file.parent().unwrap_or(Path::new(""));
    let s = section.get_ref();
    let mut out = Vec::new();
    let mut err = |span: Range<usize>, field: &str, msg: String| {
        errors.push(Diagnostic::at(file, line_of(span), Some(field), msg));
    };
    for (key, span) in &s.own.unknown {
        err(span.clone(), key, unknown_key("[forecast]"));
    }
    let mut tables: Vec<(Option<String>, Range<usize>, &Fields)> = Vec::new();
    let own = &s.own;
    if own.backlog.is_some() || own.until.is_some() || s.named.is_empty() {
        tables.push((None, section.span(), own));
    }
    for (name, entry) in &s.named {
        match entry.get_ref() {
            Entry::NotATable => {
                err(entry.span(), name, unknown_key("[forecast]"));
                continue;
            }
            Entry::Table(fields) => {
                for (k, span) in &fields.unknown {
                    err(span.clone(), k, unknown_key(&format!("[forecast.{name}]")));
                }
                if let Err(m) = check_id(name) {
                    err(
                        entry.span(),
                        "forecast",
                        format!("[forecast.{name}]: {}", m.replace("id", "name")),
                    );
                    continue;
                }
                tables.push((Some(name.clone()), entry.span(), fields));
            }
        }
    }
    tables.sort_by_key(|t| t.1.start);
    for (name, span, fields) in tables {
        let label = match &name {
            None => "[forecast]".to_string(),
            Some(n) => format!("[forecast.{n}]"),
        };
        // A named forecast inherits these from [forecast].
        let inherit = |mine: &Option<Spanned<toml::Value>>, base: &Option<Spanned<toml::Value>>| {
            mine.clone()
                .or_else(|| if name.is_some() { base.clone() } else { None })
        };
        let history = inherit(&fields.history, &own.history);
        let history_line = history.as_ref().map_or(0, |v| line_of(v.span()));
        let period_length = inherit(&fields.period_length, &own.period_length);
        let split_rate = inherit(&fields.split_rate, &own.split_rate);
        let last_periods = inherit(&fields.last_periods, &own.last_periods);
        let before = errors.len();
        let mut err = |span: Range<usize>, field: &str, msg: String| {
            errors.push(Diagnostic::at(file, line_of(span), Some(field), msg));
        };

        let history_path = match &history {
            None => {
                err(
                    span.clone(),
                    "history",
                    format!(
                        "{label} needs history: the CSV of past periods, e.g. history = \
                         \"throughput.csv\""
                    ),
                );
                None
            }
            Some(v) => match v.get_ref() {
                toml::Value::String(p) if !p.trim().is_empty() => Some(dir.join(p)),
                toml::Value::String(_) => {
                    err(v.span(), "history", "is empty; name a CSV file".into());
                    None
                }
                other => {
                    err(
                        v.span(),
                        "history",
                        format!("{other} is not a file name; write history = \"throughput.csv\""),
                    );
                    None
                }
            },
        };
        let period_length = match &period_length {
            None => {
                err(
                    span.clone(),
                    "period_length",
                    format!(
                        "{label} needs period_length: the working days in a period, e.g. 10 \
                         for two-week sprints"
                    ),
                );
                None
            }
            Some(v) => match v.get_ref() {
                toml::Value::Integer(n) if (1..=i64::from(u32::MAX)).contains(n) => Some(*n as u32),
                other => {
                    err(
                        v.span(),
                        "period_length",
                        format!(
                            "{other} is not a whole number of working days >= 1; write e.g. 10 \
                             for two-week sprints"
                        ),
                    );
                    None
                }
            },
        };
        let last = last_periods.as_ref().and_then(|v| match v.get_ref() {
            toml::Value::Integer(n) if *n >= 1 => Some((*n as usize, line_of(v.span()))),
            other => {
                err(
                    v.span(),
                    "last_periods",
                    format!(
                        "{other} is not a whole number >= 1; write e.g. last_periods = 10 to \
                         resample the 10 most recent periods"
                    ),
                );
                None
            }
        });
        let split = split_rate.as_ref().and_then(|v| {
            let r = split(v.get_ref());
            if let Err(m) = &r {
                err(v.span(), "split_rate", m.clone());
            }
            r.ok()
        });
        let target = match (&fields.backlog, &fields.until) {
            (Some(_), Some(u)) => {
                err(
                    u.span(),
                    "until",
                    format!(
                        "{label} gives both backlog and until; give backlog (when will it be \
                         done?) or until (how many items by then?)"
                    ),
                );
                None
            }
            (None, None) => {
                err(
                    span.clone(),
                    "backlog",
                    format!(
                        "{label} needs backlog (the items left: when will they be done?) or \
                         until (a date: how many items by then?)"
                    ),
                );
                None
            }
            (Some(b), None) => match backlog(b.get_ref()) {
                Ok(items) => Some((
                    Target::Backlog(Backlog {
                        items,
                        split: split.unwrap_or(SplitRate::NONE),
                    }),
                    line_of(b.span()),
                )),
                Err(m) => {
                    err(b.span(), "backlog", m);
                    None
                }
            },
            (None, Some(u)) => {
                if let Some(s) = &fields.split_rate {
                    err(
                        s.span(),
                        "split_rate",
                        format!(
                            "{label}: split_rate grows a backlog; a forecast with until counts \
                             the items done, so remove it"
                        ),
                    );
                }
                match until(u.get_ref(), calendar, period_length) {
                    Ok(Some(t)) => Some((t, line_of(u.span()))),
                    Ok(None) => None, // period_length is already reported
                    Err(m) => {
                        err(u.span(), "until", m);
                        None
                    }
                }
            }
        };
        if errors.len() > before {
            continue;
        }
        if let (Some(history), Some(period_length), Some((target, target_line))) =
            (history_path, period_length, target)
        {
            out.push(ForecastSpec {
                name,
                line: line_of(span),
                history,
                history_line,
                period_length,
                last_periods: last.map(|l| l.0),
                last_periods_line: last.map(|l| l.1),
                target,
                target_line,
            });
        }
    }
    problems.sort_by_key(|d| d.line);
    all_errors.extend(problems);
    out
}

fn unknown_key(table: &str) -> String {
    format!(
        "unknown key in {table}; the keys are {}, and [forecast.NAME] tables for named \
         forecasts (see docs/format.md)",
        KEYS.join(", ")
    )
}

/// `backlog`: a whole number of items > 0, `[low, high]` (uniform) or
/// `[optimistic, likely, pessimistic]` (Beta-PERT), all >= 0 and in order.
fn backlog(v: &toml::Value) -> Result<Estimate, String> {
    let example = "write a number of items (backlog = 120), a range (backlog = [100, 150]) or \
                   three points (backlog = [100, 120, 160])";
    let values: Vec<f64> = match v {
        toml::Value::Array(a) => {
            let n: Vec<f64> = a.iter().filter_map(number).collect();
            if n.len() != a.len() || !(2..=3).contains(&a.len()) {
                return Err(format!("{v} is not two or three numbers; {example}"));
            }
            n
        }
        other => match number(other) {
            Some(n) => vec![n],
            None => return Err(format!("{other} is not a number of items; {example}")),
        },
    };
    if let Some(bad) = values.iter().find(|x| !x.is_finite() || **x < 0.0) {
        return Err(format!("{bad} is not a number of items >= 0; {example}"));
    }
    if values.windows(2).any(|w| w[0] > w[1]) {
        return Err(format!(
            "{v} is not in order; a range goes from the fewest items to the most"
        ));
    }
    let estimate = match values[..] {
        [n] => {
            if n.fract() != 0.0 || n == 0.0 {
                return Err(format!(
                    "{n} is not a whole number of items > 0; count the items left (a range such \
                     as [100, 150] may have fractions)"
                ));
            }
            Estimate::fixed(n)
        }
        [lo, hi] => Estimate::new(lo, (lo + hi) / 2.0, hi, Distribution::Uniform),
        [o, m, p] => Estimate::new(o, m, p, Distribution::Pert),
        _ => unreachable!("one to three values"),
    };
    let estimate = estimate.map_err(|(_, m)| m)?;
    if estimate.pessimistic == 0.0 {
        return Err(format!("{v}: no items are left; nothing to forecast"));
    }
    Ok(estimate)
}

/// `split_rate`: a factor > 0, or `[low, high]` with 0 < low <= high (drawn uniformly).
fn split(v: &toml::Value) -> Result<SplitRate, String> {
    let example = "write a factor (split_rate = 1.2: every item becomes 1.2 items on average) \
                   or a range (split_rate = [1.0, 1.5])";
    let (low, high) = match v {
        toml::Value::Array(a) => match a.iter().filter_map(number).collect::<Vec<_>>()[..] {
            [lo, hi] if a.len() == 2 => (lo, hi),
            _ => return Err(format!("{v} is not two numbers; {example}")),
        },
        other => match number(other) {
            Some(n) => (n, n),
            None => return Err(format!("{other} is not a number; {example}")),
        },
    };
    if !(low.is_finite() && high.is_finite() && low > 0.0 && high <= 100.0) {
        return Err(format!(
            "{v} is not a factor between 0 (excluded) and 100; {example}"
        ));
    }
    if low > high {
        return Err(format!("{v} is not in order; write [low, high]"));
    }
    Ok(SplitRate { low, high })
}

/// `until`: a date after the start that leaves at least one whole period (up to
/// [`MAX_PERIODS`]). `Ok(None)` when the period length is unknown (already reported).
fn until(
    v: &toml::Value,
    calendar: Option<&Calendar>,
    period_length: Option<u32>,
) -> Result<Option<Target>, String> {
    let date = super::project_toml::date_value(v)?;
    let Some(calendar) = calendar else {
        return Err(
            "until needs the date the forecast starts from; add start = \"YYYY-MM-DD\" to \
             [project]"
                .to_string(),
        );
    };
    let Some(length) = period_length else {
        return Ok(None);
    };
    if date < calendar.start() {
        return Err(format!(
            "until {date} is before the start {}",
            calendar.start()
        ));
    }
    let working_days = calendar.working_days_through(date);
    let periods = working_days / u64::from(length);
    if periods == 0 {
        return Err(format!(
            "until {date} is {working_days} working day{} from the start {}: less than one \
             period of {length}, so no whole period ends by then; choose a later date",
            if working_days == 1 { "" } else { "s" },
            calendar.start()
        ));
    }
    if periods > u64::from(MAX_PERIODS) {
        return Err(format!(
            "until {date} is {periods} periods from the start; p80 forecasts at most {MAX_PERIODS} periods"
        ));
    }
    Ok(Some(Target::Until {
        date,
        working_days,
        periods: periods as u32,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_counts_the_whole_periods_through_the_date() {
        use crate::model::calendar::parse_date;
        let v = |s: &str| -> toml::Value {
            toml::from_str::<toml::Table>(&format!("x = {s}")).unwrap()["x"].clone()
        };
        // From Monday 2027-03-01, weekdays, 2027-05-31 off: 2027-06-30 is working day 87,
        // so 8 periods of 10 end by it (the 9th would end on working day 90).
        let cal = Calendar::new(
            parse_date("2027-03-01").unwrap(),
            crate::model::calendar::MONDAY_TO_FRIDAY,
            [parse_date("2027-05-31").unwrap()],
        )
        .unwrap();
        let t = until(&v("2027-06-30"), Some(&cal), Some(10))
            .unwrap()
            .unwrap();
        assert_eq!(
            t,
            Target::Until {
                date: parse_date("2027-06-30").unwrap(),
                working_days: 87,
                periods: 8
            }
        );
        // A date that ends a period exactly counts it: working day 80 is 2027-06-21.
        let t = until(&v("\"2027-06-21\""), Some(&cal), Some(10))
            .unwrap()
            .unwrap();
        assert!(
            matches!(
                t,
                Target::Until {
                    working_days: 80,
                    periods: 8,
                    ..
                }
            ),
            "{t:?}"
        );
        let t = until(&v("2027-06-18"), Some(&cal), Some(10))
            .unwrap()
            .unwrap();
        assert!(
            matches!(
                t,
                Target::Until {
                    working_days: 79,
                    periods: 7,
                    ..
                }
            ),
            "{t:?}"
        );
        assert_eq!(
            until(&v("2027-02-26"), Some(&cal), Some(10)).unwrap_err(),
            "until 2027-02-26 is before the start 2027-03-01"
        );
    }

    #[test]
    fn backlog_forms() {
        let v = |s: &str| -> toml::Value {
            toml::from_str::<toml::Table>(&format!("x = {s}")).unwrap()["x"].clone()
        };
        let e = backlog(&v("120")).unwrap();
        assert_eq!(
            (e.optimistic, e.pessimistic, e.distribution),
            (120.0, 120.0, Distribution::Fixed)
        );
        let e = backlog(&v("[100, 150]")).unwrap();
        assert_eq!(
            (e.optimistic, e.likely, e.pessimistic, e.distribution),
            (100.0, 125.0, 150.0, Distribution::Uniform)
        );
        let e = backlog(&v("[100, 120.5, 160]")).unwrap();
        assert_eq!(e.distribution, Distribution::Pert);
        for (bad, want) in [
            ("120.5", "120.5 is not a whole number of items > 0"),
            ("0", "0 is not a whole number of items > 0"),
            ("[150, 100]", "[150, 100] is not in order"),
            ("[1, 2, 3, 4]", "[1, 2, 3, 4] is not two or three numbers"),
            ("[0, 0]", "[0, 0]: no items are left"),
            ("-4", "-4 is not a number of items >= 0"),
            ("\"many\"", "\"many\" is not a number of items"),
        ] {
            let m = backlog(&v(bad)).unwrap_err();
            assert!(m.starts_with(want), "{bad}: {m}");
        }
        assert_eq!(
            split(&v("1.25")).unwrap(),
            SplitRate {
                low: 1.25,
                high: 1.25
            }
        );
        assert_eq!(
            split(&v("[1, 2]")).unwrap(),
            SplitRate {
                low: 1.0,
                high: 2.0
            }
        );
        assert_eq!(split(&v("0")).unwrap_err(), "0 is not a factor between 0 (excluded) and 100; write a factor (split_rate = 1.2: every item becomes 1.2 items on average) or a range (split_rate = [1.0, 1.5])");
        assert_eq!(
            split(&v("[2, 1]")).unwrap_err(),
            "[2, 1] is not in order; write [low, high]"
        );
    }
}
