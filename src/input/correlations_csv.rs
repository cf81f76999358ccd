//! `correlations.csv`: pairs of tasks with a target rank correlation (see docs/format.md).

use std::path::Path;

use super::table::{collected, number, Schema, Table};
use crate::error::Diagnostic;
use crate::model::Correlation;

/// The columns of `correlations.csv`.
pub const SCHEMA: Schema = Schema {
    known: &["task_a", "task_b", "coefficient"],
    required: &["task_a", "task_b", "coefficient"],
    example: "task_a,task_b,coefficient",
};

/// Reads every pair in `text` (the contents of `file`), reporting all problems at once.
pub fn read(file: &Path, text: &str) -> Result<Vec<Correlation>, Vec<Diagnostic>> {
    let table = Table::parse(file, text, &SCHEMA)?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for row in &table.rows {
        let line = row.line;
        let (a, b) = (table.get(row, "task_a"), table.get(row, "task_b"));
        let mut ok = true;
        for (field, v) in [("task_a", a), ("task_b", b)] {
            if v.is_empty() {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some(field),
                    "missing; name a task id",
                ));
                ok = false;
            }
        }
        let c = match number(table.get(row, "coefficient")) {
            Ok(Some(c)) if (-1.0..=1.0).contains(&c) => Some(c),
            Ok(Some(c)) => {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("coefficient"),
                    format!("{c} is not between -1 and 1"),
                ));
                None
            }
            Ok(None) => {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("coefficient"),
                    "missing; give a rank correlation between -1 and 1",
                ));
                None
            }
            Err(m) => {
                errors.push(Diagnostic::at(file, line, Some("coefficient"), m));
                None
            }
        };
        if let (true, Some(coefficient)) = (ok, c) {
            out.push(Correlation {
                tasks: vec![a.to_string(), b.to_string()],
                coefficient,
                file: file.to_path_buf(),
                line,
            });
        }
    }
    collected(out, errors)
}
