//! Reading an input file as UTF-8 text, with errors that say which file and line is wrong.

use std::path::Path;

use crate::error::Diagnostic;

/// Reads `path` as UTF-8 text, without a leading byte-order mark.
///
/// A missing or unreadable file, or bytes that are not UTF-8 (with the line of the first bad
/// byte), are reported as a [`Diagnostic`] for that file.
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| read_error(path, e))?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(text)
        }
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..good].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(Diagnostic::at(
                path,
                line,
                None,
                "the file is not UTF-8 text (first bad byte on this line); save it as UTF-8 \
                 (in Excel: \"CSV UTF-8\")",
            ))
        }
    }
}

/// The diagnostic for a file that cannot be read: missing, a folder, or unreadable.
pub fn read_error(path: &Path, e: std::io::Error) -> Diagnostic {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => {
            "file not found; check the path (paths in project.toml are relative to the project file)"
                .to_string()
        }
        std::io::ErrorKind::IsADirectory => "is a directory; name a file".to_string(),
        _ => format!("cannot be read: {e}"),
    };
    Diagnostic::file(path, why)
}
