//! `resources.csv`: one row per person or machine, with its rate (see docs/format.md).

use std::path::Path;

use super::table::{check_id, collected, number, three_point, Schema, Table};
use crate::error::Diagnostic;
use crate::model::{RateUnit, Resource};

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
    ],
    required: &["id", "rate"],
    example: "id,name,rate,unit,hours_per_day,capacity",
};

/// Reads every resource in `text` (the contents of `file`), reporting all problems at once.
pub fn read(file: &Path, text: &str) -> Result<Vec<Resource>, Vec<Diagnostic>> {
    read_with(file, text, crate::model::Distribution::Pert)
}

/// [`read`] with the distribution for three-point rates.
pub fn read_with(
    file: &Path,
    text: &str,
    distribution: crate::model::Distribution,
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
        if errors.len() == before {
            out.push(Resource {
                id: id.to_string(),
                name: table.get(row, "name").to_string(),
                rate: rate.unwrap_or(0.0),
                unit,
                hours_per_day: hours_per_day.unwrap_or(8.0),
                capacity,
                rate_range,
                line,
            });
        }
    }
    collected(out, errors)
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
    fn problems_are_reported() {
        let e = read(Path::new("r.csv"), "id,rate,unit,capacity\nds,,week,0\n").unwrap_err();
        let t: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert_eq!(t.len(), 3, "{t:?}");
    }
}
