//! Errors that reach the user, and the exit codes they map to.
//!
//! Input problems are collected as [`Diagnostic`]s (file, line, field, what is wrong and how to
//! fix it) so that every problem in a file is reported at once. Exit codes: 0 success, 2 invalid
//! input or usage, 1 anything else.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in an input file, located precisely enough to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line in that file, when the problem belongs to one line.
    pub line: Option<usize>,
    /// The column or key concerned, when there is one.
    pub field: Option<String>,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl Diagnostic {
    /// A problem with a whole file (missing, empty, unreadable).
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line: None,
            field: None,
            message: message.into(),
        }
    }

    /// A problem on one line, optionally in one field.
    pub fn at(file: &Path, line: usize, field: Option<&str>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line: Some(line),
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// How many diagnostics are printed before the rest are summarised.
pub const MAX_SHOWN: usize = 50;

fn format_diagnostics(list: &[Diagnostic]) -> String {
    let mut out = String::new();
    let n = list.len();
    out.push_str(&format!(
        "invalid input: {n} problem{} found",
        if n == 1 { "" } else { "s" }
    ));
    for d in list.iter().take(MAX_SHOWN) {
        out.push_str("\n  ");
        out.push_str(&d.to_string());
    }
    if n > MAX_SHOWN {
        out.push_str(&format!("\n  … and {} more", n - MAX_SHOWN));
    }
    out
}

/// Every error p80 reports. [`Error::exit_code`] maps each to the process exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input files are invalid; every problem found is listed.
    #[error("{}", format_diagnostics(.0))]
    Input(Vec<Diagnostic>),
    /// The command line or settings are unusable (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Reading or writing a file failed for a reason outside the input's content (exit 1).
    #[error("{context}: {source}")]
    Io {
        /// What p80 was doing.
        context: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// Producing an output failed (exit 1).
    #[error("{0}")]
    Output(String),
}

impl Error {
    /// 2 for invalid input or usage, 1 for anything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Usage(_) => 2,
            Error::Io { .. } | Error::Output(_) => 1,
        }
    }

    /// An I/O error with a sentence saying what p80 was doing.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            context: context.into(),
            source,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(vec![d])
    }
}

/// The result type used across p80.
pub type Result<T, E = Error> = std::result::Result<T, E>;
