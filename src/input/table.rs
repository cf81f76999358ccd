//! A CSV file read into rows of trimmed cells, with its header checked against a schema.
//!
//! Shared by every CSV format: column names are matched case-insensitively, unknown columns are
//! an error unless they start with `x_` (user notes), missing required columns are an error, and
//! every row keeps its 1-based line number for messages.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::Diagnostic;
use crate::model::bounds::MAX_INPUT;

/// The columns a CSV format knows, and which of them must be present.
pub struct Schema {
    /// Every column the format reads.
    pub known: &'static [&'static str],
    /// Columns that must be present in the header.
    pub required: &'static [&'static str],
    /// An example header, shown when the file is empty.
    pub example: &'static str,
}

/// One data row: its line number and where its cells are in the table's one cell buffer.
pub struct Row {
    /// 1-based line where the record starts.
    pub line: usize,
    /// Index in `Table::ends` of the row's first cell.
    first: u32,
    /// How many cells the row has.
    len: u32,
}

/// A parsed CSV file whose header passed the schema.
pub struct Table {
    /// The file, for messages.
    pub file: PathBuf,
    /// (name, index) of every named column. A linear scan over a dozen short names beats
    /// hashing the name on every cell access (10,000-row files do ~20 lookups a row).
    columns: Vec<(String, usize)>,
    /// Bit `n` set when some column's name is `n` bytes long (names of 64 bytes or more set
    /// bit 63): most lookups are of columns a file does not have, and this settles them
    /// without a scan.
    lengths: u64,
    /// The data rows, blank rows skipped.
    pub rows: Vec<Row>,
    /// Every row's trimmed cells, one after another: a 100,000-row file is one buffer and
    /// one offset per cell, not a record with two buffers per row.
    text: String,
    /// Where each cell ends in `text` (it starts where the one before ends).
    ends: Vec<u32>,
}

impl Table {
    /// Parses `text` (the contents of `file`) and checks its header against `schema`.
    /// Returns every problem found in the header and in row shapes at once.
    pub fn parse(file: &Path, text: &str, schema: &Schema) -> Result<Table, Vec<Diagnostic>> {
        if text.trim().is_empty() {
            return Err(vec![Diagnostic::file(
                file,
                format!(
                    "the file is empty; it needs a header row such as `{}`",
                    schema.example
                ),
            )]);
        }
        if u32::try_from(text.len()).is_err() {
            return Err(vec![Diagnostic::file(
                file,
                "the file is 4 GiB or more; split the plan or trim unused columns",
            )]);
        }
        let syntax = syntax_problems(file, text);
        if !syntax.is_empty() {
            return Err(syntax);
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            // Cells are trimmed here as they are copied (`str::trim`, as `csv::Trim::All` does
            // for string records): the reader's own trimming allocates a new record per row.
            .from_reader(text.as_bytes());
        let mut errors = Vec::new();
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
            Err(e) => {
                return Err(vec![Diagnostic::at(
                    file,
                    1,
                    None,
                    format!("unreadable header: {e}"),
                )])
            }
        };
        let mut columns = HashMap::new();
        for (i, name) in header.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            if columns.insert(name.clone(), i).is_some() {
                errors.push(Diagnostic::at(
                    file,
                    1,
                    Some(name),
                    "column appears twice; keep one",
                ));
            }
            if !schema.known.contains(&name.as_str()) && !name.starts_with("x_") {
                errors.push(Diagnostic::at(
                    file,
                    1,
                    Some(name),
                    format!(
                        "unknown column; known columns are {}; start user-note columns with `x_`",
                        schema.known.join(", ")
                    ),
                ));
            }
        }
        for req in schema.required {
            if !columns.contains_key(*req) {
                errors.push(Diagnostic::at(
                    file,
                    1,
                    Some(req),
                    format!(
                        "required column is missing; the header needs at least: {}",
                        schema.required.join(", ")
                    ),
                ));
            }
        }
        // The line a record starts on. The csv reader's own line count points at the blank lines
        // it skipped before a record, so count the newlines before the record's first byte.
        let bytes = text.as_bytes();
        let mut cursor = (0usize, 1usize); // (byte offset, its line)
        let mut line_at = |pos: Option<&csv::Position>| -> usize {
            let Some(pos) = pos else { return 0 };
            let mut start = (pos.byte() as usize).min(bytes.len());
            while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                start += 1;
            }
            if start < cursor.0 {
                cursor = (0, 1);
            }
            cursor.1 += bytes[cursor.0..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            cursor.0 = start;
            cursor.1
        };
        let mut rows = Vec::new();
        // The cells never outgrow the file (checked above to be under 4 GiB): u32 offsets hold.
        let mut cells = String::with_capacity(text.len());
        let mut ends: Vec<u32> = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let r = &record;
                    let line = line_at(r.position());
                    if r.iter().all(|c| c.trim().is_empty()) {
                        continue;
                    }
                    if r.len() > header.len() {
                        errors.push(Diagnostic::at(
                            file,
                            line,
                            Some(format!("column {}", header.len() + 1).as_str()),
                            format!(
                                "the row has {} fields but the header has {}; quote cells that contain commas",
                                r.len(),
                                header.len()
                            ),
                        ));
                        continue;
                    }
                    let first = ends.len() as u32;
                    for c in r {
                        cells.push_str(c.trim());
                        ends.push(cells.len() as u32);
                    }
                    rows.push(Row {
                        line,
                        first,
                        len: r.len() as u32,
                    });
                }
                Err(e) => {
                    let line = line_at(e.position());
                    errors.push(Diagnostic::at(
                        file,
                        line,
                        None,
                        format!("unreadable CSV: {e}"),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(Table {
                file: file.to_path_buf(),
                lengths: columns.keys().fold(0, |m, c| m | length_bit(c)),
                columns: columns.into_iter().collect(),
                rows,
                text: cells,
                ends,
            })
        } else {
            Err(errors)
        }
    }

    /// The cell of `row` in column `name`, or "" when the column or cell is absent.
    pub fn get(&self, row: &Row, name: &str) -> &str {
        if self.lengths & length_bit(name) == 0 {
            return "";
        }
        self.columns
            .iter()
            .find(|(c, _)| c == name)
            .filter(|&&(_, i)| i < row.len as usize)
            .map(|&(_, i)| {
                let k = row.first as usize + i;
                let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
                &self.text[start..self.ends[k] as usize]
            })
            .unwrap_or("")
    }

    /// Whether the header has column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.columns.iter().any(|(c, _)| c == name)
    }
}

/// A name's bit in [`Table::lengths`].
fn length_bit(name: &str) -> u64 {
    1 << name.len().min(63)
}

/// The quoting mistakes the csv reader would silently accept, each with its line and field:
/// a quote that is never closed (named by the line where it opened: the reader would swallow
/// every following row into one cell), a quote inside a cell that does not start with one, and
/// text after a closing quote. A cell is quoted when its first byte is `"`; inside it `""` is
/// a quote. Linear in the file's length.
fn syntax_problems(file: &Path, text: &str) -> Vec<Diagnostic> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Start,
        Plain,
        Quoted,
        Closed,
    }
    let mut out = Vec::new();
    let mut header: Vec<String> = vec![String::new()];
    let (mut line, mut record, mut field) = (1usize, 0usize, 0usize);
    let mut opened = (0usize, 0usize); // (line, field) of the open quote
    let mut state = State::Start;
    let mut flagged = false; // one problem per cell
    let name = |header: &[String], field: usize| -> String {
        match header.get(field).map(|h| h.trim()) {
            Some(h) if !h.is_empty() => h.to_ascii_lowercase(),
            _ => format!("column {}", field + 1),
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if record == 0 && state != State::Quoted && !matches!(b, b',' | b'\n' | b'\r' | b'"') {
            header[field].push(b as char);
        }
        match (state, b) {
            (State::Quoted, b'"') if bytes.get(i + 1) == Some(&b'"') => i += 1,
            (State::Quoted, b'"') => state = State::Closed,
            (State::Quoted, b'\n') => line += 1,
            (State::Quoted, _) => {}
            (_, b',') => {
                field += 1;
                if record == 0 {
                    header.push(String::new());
                }
                state = State::Start;
                flagged = false;
            }
            (_, b'\n') => {
                line += 1;
                if field > 0 || state != State::Start {
                    record += 1;
                }
                field = 0;
                state = State::Start;
                flagged = false;
            }
            (_, b'\r') => {}
            (State::Start, b'"') => {
                state = State::Quoted;
                opened = (line, field);
            }
            (State::Start, _) => state = State::Plain,
            (State::Plain, b'"') if !flagged => {
                flagged = true;
                out.push(Diagnostic::at(
                    file,
                    line,
                    Some(name(&header, field).as_str()),
                    "a `\"` inside a cell that does not start with one; quote the whole cell \
                     (\"a, b\") and double every quote inside it (\"say \"\"hi\"\"\"), or remove \
                     the quote (a space before an opening quote also makes it a stray one)",
                ));
            }
            (State::Closed, b' ' | b'\t') | (State::Plain, _) => {}
            (State::Closed, _) => {
                if !flagged {
                    flagged = true;
                    out.push(Diagnostic::at(
                        file,
                        line,
                        Some(name(&header, field).as_str()),
                        "text after the closing quote of a quoted cell; put the whole cell \
                         inside the quotes, and double every quote inside it (\"\")",
                    ));
                }
                state = State::Plain;
            }
        }
        i += 1;
    }
    if state == State::Quoted {
        out.push(Diagnostic::at(
            file,
            opened.0,
            Some(name(&header, opened.1).as_str()),
            "this quote is never closed, so every following line would be read into this one \
             cell; close it with `\"` or remove it",
        ));
    }
    out
}

/// `items` when no problem was found, else every problem: how each reader ends.
pub fn collected<T>(items: T, errors: Vec<Diagnostic>) -> Result<T, Vec<Diagnostic>> {
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// Parses a cell as a number of magnitude at most [`MAX_INPUT`] (1e15: larger values could
/// make sums and products over the plan overflow); `Ok(None)` when blank. The error says what
/// was found.
pub fn number(cell: &str) -> Result<Option<f64>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    match cell.parse::<f64>() {
        Ok(v) if v.abs() <= MAX_INPUT => Ok(Some(v)),
        Ok(v) if v.is_finite() => Err(format!(
            "`{cell}` is too large; p80 accepts numbers up to {MAX_INPUT:e} in magnitude (check \
             the unit: working days, money)"
        )),
        Ok(_) => Err(format!("`{cell}` is not a finite number")),
        Err(_) => Err(format!(
            "`{cell}` is not a number; write digits with `.` for decimals, e.g. 12.5"
        )),
    }
}

/// Checks an id's characters; the error says which are not allowed.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the id is empty; every row needs an id".into());
    }
    if let Some(c) = id
        .chars()
        .find(|c| c.is_whitespace() || matches!(c, ';' | ':' | '+' | ','))
    {
        return Err(format!(
            "id `{id}` contains {c:?}; ids may not contain spaces, `;`, `:`, `+` or `,`"
        ));
    }
    Ok(())
}

/// Reads a three-point value from columns `fields` = [optimistic, likely, pessimistic] of
/// `row`: `Ok(None)` when all are blank; a fixed value when only the likely one is given; an
/// estimate with `distribution` when all three are. The error names the field to fix.
pub fn three_point(
    table: &Table,
    row: &Row,
    fields: [&str; 3],
    distribution: crate::model::Distribution,
) -> Result<Option<crate::model::Estimate>, (String, String)> {
    use crate::model::{Distribution, Estimate};
    let mut vals = [None; 3];
    for (v, f) in vals.iter_mut().zip(fields) {
        *v = number(table.get(row, f)).map_err(|m| (f.to_string(), m))?;
    }
    let (o, m, p) = match vals {
        [None, None, None] => return Ok(None),
        [None, Some(m), None] => (m, m, m),
        [Some(o), Some(m), Some(p)] => (o, m, p),
        _ => {
            return Err((
                fields[1].to_string(),
                format!(
                    "give {} alone (a fixed value) or all three of {}",
                    fields[1],
                    fields.join(", ")
                ),
            ))
        }
    };
    let dist = if o == p {
        Distribution::Fixed
    } else {
        distribution
    };
    Estimate::new(o, m, p, dist)
        .map(Some)
        .map_err(|(which, msg)| {
            let idx = ["optimistic", "likely", "pessimistic"]
                .iter()
                .position(|w| *w == which)
                .unwrap_or(1);
            let msg = msg
                .replace("durations are >= 0 working days", "values are >= 0")
                .replace(
                    "estimates must satisfy optimistic <= likely <= pessimistic",
                    "three-point values must be in order",
                );
            (fields[idx].to_string(), msg)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: Schema = Schema {
        known: &["id", "a"],
        required: &["id"],
        example: "id,a",
    };

    #[test]
    fn header_problems_are_all_reported() {
        let e = Table::parse(Path::new("f.csv"), "A,b,x_note\n1,2,3\n", &SCHEMA)
            .err()
            .unwrap();
        let text: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(text[0].contains("field `b`: unknown column"));
        assert!(text[1].contains("field `id`: required column is missing"));
    }

    #[test]
    fn rows_keep_their_line_numbers_and_blank_rows_are_skipped() {
        let t = Table::parse(Path::new("f.csv"), "id,a\n\nx, 1 \n,\ny,2\n", &SCHEMA).unwrap();
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 5]);
        assert_eq!(t.get(&t.rows[0], "a"), "1");
        assert_eq!(t.get(&t.rows[0], "missing"), "");
    }

    #[test]
    fn every_cell_reads_back_from_the_one_buffer() {
        // Empty cells, a short row (fewer fields than the header: its missing cells are ""),
        // and cells on both sides of each row boundary.
        let t = Table::parse(
            Path::new("f.csv"),
            "id,a,x_note\nfirst,,n1\nsecond,22\nthird,3,\n, 4 ,n4\n",
            &SCHEMA,
        )
        .unwrap();
        let cells: Vec<[&str; 3]> = t
            .rows
            .iter()
            .map(|r| [t.get(r, "id"), t.get(r, "a"), t.get(r, "x_note")])
            .collect();
        assert_eq!(
            cells,
            [
                ["first", "", "n1"],
                ["second", "22", ""],
                ["third", "3", ""],
                ["", "4", "n4"]
            ]
        );
    }

    fn problems(text: &str) -> Vec<String> {
        match Table::parse(Path::new("f.csv"), text, &SCHEMA) {
            Ok(_) => vec![],
            Err(e) => e.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn an_unclosed_quote_is_an_error_at_the_line_it_opened() {
        let e = problems("id,a\nx,1\ny,\"oops\nz,3\nw,4\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("f.csv:3: field `a`: this quote is never closed"),
            "{e:?}"
        );
    }

    #[test]
    fn stray_quotes_and_text_after_a_closing_quote_are_errors() {
        let e = problems("id,a\nx,1\"2\ny,\"3\"4\nz, \"5\"\n");
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e[0].starts_with("f.csv:2: field `a`: a `\"` inside a cell"),
            "{e:?}"
        );
        assert!(
            e[1].starts_with("f.csv:3: field `a`: text after the closing quote"),
            "{e:?}"
        );
        assert!(
            e[2].starts_with("f.csv:4: field `a`: a `\"` inside a cell"),
            "{e:?}"
        );
    }

    #[test]
    fn well_formed_quotes_pass() {
        let t = Table::parse(
            Path::new("f.csv"),
            "id,a\n\"x\",\"1,5\"\r\n\"y \"\"q\"\"\",\"multi\nline\" \nz,3\n",
            &SCHEMA,
        )
        .unwrap();
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 3, 5]);
        assert_eq!(t.get(&t.rows[0], "a"), "1,5");
        assert_eq!(t.get(&t.rows[1], "id"), "y \"q\"");
    }

    #[test]
    fn too_many_fields_is_an_error() {
        let e = problems("id,a\nx,1,2\n");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(
                "f.csv:2: field `column 3`: the row has 3 fields but the header has 2"
            ),
            "{e:?}"
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(number("").unwrap(), None);
        assert_eq!(number("2.5").unwrap(), Some(2.5));
        assert!(number("NaN").is_err());
        assert!(number("inf").is_err());
        assert_eq!(number("-1e15").unwrap(), Some(-1e15));
        assert!(number("1.7e308").unwrap_err().contains("too large"));
        assert!(number("abc").unwrap_err().contains("not a number"));
    }
}
