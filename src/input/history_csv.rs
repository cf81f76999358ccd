//! A throughput history CSV: one row per past period (sprint), oldest first, with the items
//! the team finished in it (see docs/format.md, "The history file").
//!
//! Columns: `items_done` (required), and `period` (the period's number) or `end_date` (its
//! last day, `YYYY-MM-DD`) or both; `x_…` columns are notes. Every problem is reported with
//! its line and field, all at once.

use std::path::Path;

use chrono::NaiveDate;

use super::table::{collected, Schema, Table};
use crate::error::Diagnostic;
use crate::model::calendar::parse_date;
use crate::model::forecast::{History, Period};

/// The columns of a history file.
pub const SCHEMA: Schema = Schema {
    known: &["period", "end_date", "items_done"],
    required: &["items_done"],
    example: "period,end_date,items_done",
};

/// Reads the history in `text` (the contents of `file`). Rows must be oldest first: `period`
/// numbers and `end_date`s strictly increasing. Returns every problem found.
pub fn read(file: &Path, text: &str) -> Result<History, Vec<Diagnostic>> {
    let table = Table::parse(file, text, &SCHEMA)?;
    if !table.has("period") && !table.has("end_date") {
        return Err(vec![Diagnostic::at(
            file,
            1,
            Some("end_date"),
            "the header needs an `end_date` column (each period's last day, YYYY-MM-DD) or a \
             `period` column (1, 2, 3 …) or both, beside items_done",
        )]);
    }
    if table.rows.is_empty() {
        return Err(vec![Diagnostic::file(
            file,
            "the file has a header but no periods; add one row per past period, oldest first, \
             with the items finished in it (items_done)",
        )]);
    }
    let mut errors = Vec::new();
    let mut periods = Vec::with_capacity(table.rows.len());
    // The last valid value of each ordering column, with its line.
    let mut last_number: Option<(i64, usize)> = None;
    let mut last_date: Option<(NaiveDate, usize)> = None;
    for row in &table.rows {
        let line = row.line;
        let mut err =
            |field: &str, msg: String| errors.push(Diagnostic::at(file, line, Some(field), msg));
        let items_done = match items(table.get(row, "items_done")) {
            Ok(n) => Some(n),
            Err(m) => {
                err("items_done", m);
                None
            }
        };
        let number = if table.has("period") {
            match whole(table.get(row, "period")) {
                Ok(n) => {
                    if let Some((prev, prev_line)) = last_number {
                        if n == prev {
                            err(
                                "period",
                                format!(
                                    "period {n} appears twice (also on line {prev_line}); give \
                                     each period one row"
                                ),
                            );
                        } else if n < prev {
                            err(
                                "period",
                                format!(
                                    "period {n} comes after period {prev} (line {prev_line}); \
                                     list the periods oldest first"
                                ),
                            );
                        }
                    }
                    last_number = Some((n, line));
                    Some(n)
                }
                Err(m) => {
                    err("period", m);
                    None
                }
            }
        } else {
            None
        };
        let end_date = if table.has("end_date") {
            let cell = table.get(row, "end_date");
            match parse_date(cell) {
                Some(d) => {
                    if let Some((prev, prev_line)) = last_date {
                        if d == prev {
                            err(
                                "end_date",
                                format!(
                                    "{d} is also the end_date on line {prev_line}; give each \
                                     period one row"
                                ),
                            );
                        } else if d < prev {
                            err(
                                "end_date",
                                format!(
                                    "{d} is before {prev} (line {prev_line}); list the periods \
                                     oldest first"
                                ),
                            );
                        }
                    }
                    last_date = Some((d, line));
                    Some(d)
                }
                None if cell.is_empty() => {
                    err(
                        "end_date",
                        "missing; give the period's last day as YYYY-MM-DD".to_string(),
                    );
                    None
                }
                None => {
                    err(
                        "end_date",
                        format!("`{cell}` is not a date; write it as YYYY-MM-DD, e.g. 2027-02-26"),
                    );
                    None
                }
            }
        } else {
            None
        };
        if let Some(items_done) = items_done {
            periods.push(Period {
                line,
                number,
                end_date,
                items_done,
            });
        }
    }
    collected(
        History {
            file: file.to_path_buf(),
            periods,
        },
        errors,
    )
}

/// The items done in a period: a whole number >= 0.
fn items(cell: &str) -> Result<u32, String> {
    if cell.is_empty() {
        return Err(
            "missing; give the number of items finished in the period (0 if none)".to_string(),
        );
    }
    let v: f64 = cell.parse().map_err(|_| {
        format!("`{cell}` is not a number; give the items finished in the period as a whole number, e.g. 12")
    })?;
    if !v.is_finite() {
        return Err(format!("`{cell}` is not a finite number of items"));
    }
    if v < 0.0 {
        return Err(format!(
            "{cell} is negative; items_done counts the items finished in the period (0, 1, 2 …)"
        ));
    }
    if v.fract() != 0.0 {
        return Err(format!(
            "{cell} is not a whole number; items_done counts finished items (0, 1, 2 …): count \
             an item in the period in which it was finished"
        ));
    }
    if v > f64::from(u32::MAX) {
        return Err(format!(
            "{cell} items in one period is more than p80 can count"
        ));
    }
    Ok(v as u32)
}

/// A period number: a whole number.
fn whole(cell: &str) -> Result<i64, String> {
    if cell.is_empty() {
        return Err("missing; number the periods 1, 2, 3 … oldest first".to_string());
    }
    cell.parse::<i64>()
        .map_err(|_| format!("`{cell}` is not a whole number; number the periods 1, 2, 3 …"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        read(Path::new("h.csv"), text)
            .unwrap_err()
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn reads_periods_with_numbers_dates_and_notes() {
        let h = read(
            Path::new("h.csv"),
            "Period,End_Date,items_done,x_note\n1,2027-01-15,7,kick-off\n\n2,2027-01-29,0,\n3,2027-02-12,11,\n",
        )
        .unwrap();
        let got: Vec<(usize, Option<i64>, u32)> = h
            .periods
            .iter()
            .map(|p| (p.line, p.number, p.items_done))
            .collect();
        assert_eq!(
            got,
            vec![(2, Some(1), 7), (4, Some(2), 0), (5, Some(3), 11)]
        );
        assert_eq!(h.periods[2].end_date, parse_date("2027-02-12"));
        let h = read(Path::new("h.csv"), "end_date,items_done\n2027-01-15,3\n").unwrap();
        assert_eq!(h.periods[0].number, None);
    }

    #[test]
    fn bad_rows_name_line_and_field() {
        let e = errors(
            "period,end_date,items_done\n1,2027-01-15,7\n2,2027-01-29,-3\n3,2027-01-10,2.5\n3,2027-02-26,x\n5,2027-02-30,\n",
        );
        assert_eq!(
            e,
            vec![
                "h.csv:3: field `items_done`: -3 is negative; items_done counts the items finished in the period (0, 1, 2 …)",
                "h.csv:4: field `items_done`: 2.5 is not a whole number; items_done counts finished items (0, 1, 2 …): count an item in the period in which it was finished",
                "h.csv:4: field `end_date`: 2027-01-10 is before 2027-01-29 (line 3); list the periods oldest first",
                "h.csv:5: field `items_done`: `x` is not a number; give the items finished in the period as a whole number, e.g. 12",
                "h.csv:5: field `period`: period 3 appears twice (also on line 4); give each period one row",
                "h.csv:6: field `items_done`: missing; give the number of items finished in the period (0 if none)",
                "h.csv:6: field `end_date`: `2027-02-30` is not a date; write it as YYYY-MM-DD, e.g. 2027-02-26",
            ]
        );
        let e = errors("period,items_done\n4,1\n2,1\n");
        assert_eq!(
            e,
            vec!["h.csv:3: field `period`: period 2 comes after period 4 (line 2); list the periods oldest first"]
        );
    }

    #[test]
    fn missing_columns_and_rows() {
        assert_eq!(
            errors("items_done\n3\n"),
            vec!["h.csv:1: field `end_date`: the header needs an `end_date` column (each period's last day, YYYY-MM-DD) or a `period` column (1, 2, 3 …) or both, beside items_done"]
        );
        assert_eq!(
            errors("period,done\n1,3\n"),
            vec![
                "h.csv:1: field `done`: unknown column; known columns are period, end_date, items_done; start user-note columns with `x_`",
                "h.csv:1: field `items_done`: required column is missing; the header needs at least: items_done",
            ]
        );
        assert_eq!(
            errors("period,items_done\n"),
            vec!["h.csv: the file has a header but no periods; add one row per past period, oldest first, with the items finished in it (items_done)"]
        );
        assert_eq!(
            errors(""),
            vec!["h.csv: the file is empty; it needs a header row such as `period,end_date,items_done`"]
        );
    }
}
