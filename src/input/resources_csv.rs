//! `resources.csv`: one row per person or machine, with its rate (see docs/format.md).

use std::path::Path;

use super::table::{check_id, collected, number, three_point, Schema, Table};
use crate::error::Diagnostic;
use crate::model::calendar::parse_date;
use crate::model::{Billing, Calendar, RateUnit, Resource};

/// The columns of `resources.csv`.
pub const SCHEMA: Schema = Schema {
    known: &[
        "id",
        "name",
        "rate",
        "rate_optimistic",
        "rate_pessimistic",
        "unit",
        "hours_per_day",
        "capacity",
        "billing",
        "available_from",
        "available_until",
    ],
    required: &["id", "rate"],
    example: "id,name,rate,unit,hours_per_day,capacity,billing",
};

/// Reads every resource in `text` (the contents of `file`), reporting all problems at once.
pub fn read(file: &Path, text: &str) -> Result<Vec<Resource>, Vec<Diagnostic>> {
    read_with(file, text, crate::model::Distribution::Pert, None)
}

/// [`read`] with the distribution for three-point rates and the project calendar that turns
/// `available_from` / `available_until` dates into working days (`None` without a start date).
pub fn read_with(
    file: &Path,
    text: &str,
    distribution: crate::model::Distribution,
    calendar: Option<&Calendar>,
) -> Result<Vec<Resource>, Vec<Diagnostic>> {
    let table = Table::parse(file, text, &SCHEMA)?;
    let mut out = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for row in &table.rows {
        let line = row.line;
        let before = errors.len();
        let mut err =
            |field: &str, msg: String| errors.push(Diagnostic::at(file, line, Some(field), msg));
        let id = table.get(row, "id");
        if let Err(m) = check_id(id) {
            err("id", m);
        }
        let mut nonneg =
            |field: &str, default: Option<f64>, strictly_positive: bool| -> Option<f64> {
                match number(table.get(row, field)) {
                    Err(m) => {
                        err(field, m);
                        None
                    }
                    Ok(None) => {
                        if default.is_none() && field == "rate" {
                            err(
                                field,
                                "missing; give the cost per hour or per day (0 if free)".into(),
                            );
                        }
                        default
                    }
                    Ok(Some(v)) if v < 0.0 || (strictly_positive && v == 0.0) => {
                        err(
                            field,
                            format!(
                                "{v} must be {}",
                                if strictly_positive { "> 0" } else { ">= 0" }
                            ),
                        );
                        None
                    }
                    Ok(Some(v)) => Some(v),
                }
            };
        let rate = nonneg("rate", None, false);
        let hours_per_day = nonneg("hours_per_day", Some(8.0), true);
        let capacity = nonneg("capacity", None, true);
        if let Some(h) = hours_per_day {
            if h > 24.0 {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("hours_per_day"),
                    format!("{h} is more than 24 hours"),
                ));
            }
        }
        let unit = match table.get(row, "unit").to_ascii_lowercase().as_str() {
            "" | "day" | "days" | "d" => RateUnit::Day,
            "hour" | "hours" | "h" => RateUnit::Hour,
            other => {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("unit"),
                    format!("unknown unit `{other}`; use `hour` or `day`"),
                ));
                RateUnit::Day
            }
        };
        let ranged = !table.get(row, "rate_optimistic").is_empty()
            || !table.get(row, "rate_pessimistic").is_empty();
        let rate_range = if ranged && rate.is_some() {
            match three_point(
                &table,
                row,
                ["rate_optimistic", "rate", "rate_pessimistic"],
                distribution,
            ) {
                Ok(r) => r.filter(|r| r.optimistic != r.pessimistic),
                Err((f, m)) => {
                    errors.push(Diagnostic::at(file, line, Some(&f), m));
                    None
                }
            }
        } else {
            None
        };
        let billing = match table.get(row, "billing").to_ascii_lowercase().as_str() {
            "" | "task" => Billing::Task,
            "team" => Billing::Team,
            other => {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("billing"),
                    format!(
                        "unknown billing `{other}`; use `task` (paid while assigned) or `team` \
                         (paid for its capacity every day on the project)"
                    ),
                ));
                Billing::Task
            }
        };
        if billing == Billing::Team && capacity.is_none() && table.get(row, "capacity").is_empty() {
            errors.push(Diagnostic::at(
                file,
                line,
                Some("capacity"),
                "a resource billed as a team needs a capacity: the units paid every day",
            ));
        }
        let mut window =
            |field: &str, end: bool| match day_or_date(table.get(row, field), calendar, end) {
                Ok(v) => v,
                Err(m) => {
                    errors.push(Diagnostic::at(file, line, Some(field), m));
                    None
                }
            };
        let available_from = window("available_from", false).filter(|&v| v > 0.0);
        let available_until = window("available_until", true);
        if let (Some(a), Some(b)) = (available_from, available_until) {
            if b <= a {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("available_until"),
                    format!(
                        "the resource leaves (working day {b}) before it joins (working day \
                         {a}); give an available_until after available_from"
                    ),
                ));
            }
        }
        if errors.len() == before {
            out.push(Resource {
                id: id.to_string(),
                name: table.get(row, "name").to_string(),
                rate: rate.unwrap_or(0.0),
                unit,
                hours_per_day: hours_per_day.unwrap_or(8.0),
                capacity,
                rate_range,
                billing,
                available_from,
                available_until,
                line,
            });
        }
    }
    collected(out, errors)
}

/// An availability cell: blank, working days after the project start (≥ 0), or a date
/// (`YYYY-MM-DD`, needs the project's start date). A joining date is the start of that day
/// (`end` false), a leaving date the end of it (`end` true: available through that date).
fn day_or_date(cell: &str, calendar: Option<&Calendar>, end: bool) -> Result<Option<f64>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    if let Some(date) = parse_date(cell) {
        return match calendar {
            Some(c) if end => Ok(Some(c.working_days_through(date) as f64)),
            Some(c) => Ok(Some(c.offset_of(date))),
            None => Err(format!(
                "the date {date} needs the project's start date: add start = \"YYYY-MM-DD\" to \
                 [project] in project.toml, or give working days after the start"
            )),
        };
    }
    match number(cell) {
        Ok(Some(v)) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
        _ => Err(format!(
            "`{cell}` is neither a date (YYYY-MM-DD) nor a number of working days >= 0"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_rates() {
        let r = read(
            Path::new("r.csv"),
            "id,rate,unit,hours_per_day,capacity\nds,700,,,1\ngpu,32,hour,24,\n",
        )
        .unwrap();
        assert_eq!(r[0].daily_rate(), 700.0);
        assert_eq!(r[1].daily_rate(), 32.0 * 24.0);
        assert_eq!(r[1].capacity, None);
    }

    #[test]
    fn billing_and_windows() {
        let cal = Calendar::weekdays(parse_date("2027-01-04").unwrap());
        let r = read_with(
            Path::new("r.csv"),
            "id,rate,capacity,billing,available_from,available_until\n\
             de,600,1,team,2027-03-01,\nds,700,2,,10,30\nx,1,,task,,2027-01-08\n",
            crate::model::Distribution::Pert,
            Some(&cal),
        )
        .unwrap();
        assert_eq!(r[0].billing, Billing::Team);
        // 2027-01-04 (a Monday) to 2027-02-26: 8 weeks of 5 working days before March 1.
        assert_eq!(r[0].available_from, Some(40.0));
        assert_eq!(r[0].available_until, None);
        assert_eq!(r[1].billing, Billing::Task);
        assert_eq!(
            (r[1].available_from, r[1].available_until),
            (Some(10.0), Some(30.0))
        );
        // Through Friday of the first week: 5 working days.
        assert_eq!(r[2].available_until, Some(5.0));
    }

    #[test]
    fn billing_and_window_mistakes_are_reported() {
        let e = read(
            Path::new("r.csv"),
            "id,rate,capacity,billing,available_from,available_until\n\
             a,1,,team,,\nb,1,1,monthly,,\nc,1,1,,2027-03-01,\nd,1,1,,5,3\n",
        )
        .unwrap_err();
        let t: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert_eq!(t.len(), 4, "{t:?}");
        assert!(t[0].contains("r.csv:2: field `capacity`"), "{t:?}");
        assert!(t[1].contains("billing"), "{t:?}");
        assert!(t[2].contains("start date"), "{t:?}");
        assert!(t[3].contains("available_until"), "{t:?}");
    }

    #[test]
    fn problems_are_reported() {
        let e = read(Path::new("r.csv"), "id,rate,unit,capacity\nds,,week,0\n").unwrap_err();
        let t: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert_eq!(t.len(), 3, "{t:?}");
    }
}
