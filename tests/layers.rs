//! One-way layers: every path from one top-level module of `src/` to another must point down
//! the chain read → validate → compile → simulate → summarize → export, then the command line.
//!
//! The order (a module may use only modules ranked below it):
//!
//! | rank | module    | job                                                           |
//! |------|-----------|---------------------------------------------------------------|
//! | 0    | `error`   | diagnostics and exit codes, used by every layer               |
//! | 1    | `model`   | the domain and its validation                                 |
//! | 2    | `input`   | files → `model::Project`                                      |
//! | 3    | `engine`  | compile and simulate                                          |
//! | 4    | `stats`   | summarize (reads engine results)                              |
//! | 5    | `output`  | export (formats stats)                                        |
//! | 6    | `cli`     | clap types only                                               |
//! | 7    | `options` | cli arguments + project settings → typed settings             |
//! | 8    | `app`     | the commands end to end                                       |
//!
//! The scan reads every `.rs` file under `src/` (test modules included: a fixture that reads
//! files does not belong in the model's tests either), drops comments, string and character
//! literals, and resolves `crate::x`, `crate::{x, y::z}` and `super::…::x` paths that reach
//! the crate root.

use std::path::{Path, PathBuf};

/// The top-level modules in layer order (index = rank): `limits` (size caps) is a leaf every
/// step may ask; `fuzzing` (entry points for the fuzz targets) sits on top, beside `app`.
const LAYERS: [&str; 11] = [
    "error", "limits", "model", "input", "engine", "stats", "output", "cli", "options", "app",
    "fuzzing",
];

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().position(|&m| m == module)
}

/// Source without comments, string literals and character literals (their contents replaced
/// by spaces, so line numbers are kept).
fn code_only(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(b[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&b, i) {
            // Raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|h| b.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                out.push(blank(b[j]));
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                if i < b.len() {
                    out.push(blank(b[i]));
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '\''), else a lifetime.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push_str("' '");
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules a path starting at `rest` (just after `crate::` or after enough
/// `super::`) names: one, or several for a `{…}` group.
fn targets(rest: &str) -> Vec<String> {
    let rest = rest.trim_start();
    if let Some(group) = rest.strip_prefix('{') {
        let mut out = Vec::new();
        let mut depth = 0;
        let mut start = 0;
        for (k, ch) in group.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    out.push(ident_at(group[start..k].trim_start()).to_string());
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(ident_at(group[start..k].trim_start()).to_string());
                    start = k + 1;
                }
                _ => {}
            }
        }
        out.retain(|m| !m.is_empty());
        out
    } else {
        vec![ident_at(rest).to_string()]
    }
}

/// Every (line, target module) that `code` (of a file at module depth `depth`: 1 for
/// `src/x.rs` and `src/x/mod.rs`, 2 for `src/x/y.rs`, …) names at the crate root.
fn edges(code: &str, depth: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let mut from = 0;
        while let Some(k) = line[from..].find("crate::") {
            let at = from + k;
            from = at + 7;
            if ident_before(
                &line.chars().collect::<Vec<_>>(),
                line[..at].chars().count(),
            ) {
                continue; // e.g. `mycrate::`
            }
            for t in targets(&line[at + 7..]) {
                out.push((n + 1, t));
            }
        }
        let mut from = 0;
        while let Some(k) = line[from..].find("super::") {
            let at = from + k;
            if line[..at].ends_with("super::")
                || ident_before(
                    &line.chars().collect::<Vec<_>>(),
                    line[..at].chars().count(),
                )
            {
                from = at + 7;
                continue;
            }
            let mut rest = &line[at..];
            let mut supers = 0;
            while let Some(r) = rest.strip_prefix("super::") {
                supers += 1;
                rest = r;
            }
            from = line.len() - rest.len();
            if supers >= depth {
                for t in targets(rest) {
                    out.push((n + 1, t));
                }
            }
        }
    }
    out.retain(|(_, t)| rank(t).is_some());
    out
}

/// The top-level module a file belongs to and its module depth, or `None` for the crate roots.
fn module_of(rel: &Path) -> Option<(String, usize)> {
    let parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let first = parts.first()?.trim_end_matches(".rs").to_string();
    if parts.len() == 1 && (first == "lib" || first == "main") {
        return None;
    }
    let last = parts.last()?;
    let depth = if last == "mod.rs" {
        parts.len() - 1
    } else {
        parts.len()
    };
    Some((first, depth))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every backward import in the files under `src`: "file:line: a → b".
fn backward_imports(src: &Path) -> (Vec<String>, usize) {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut bad = Vec::new();
    let mut seen = 0;
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let Some((module, depth)) = module_of(rel) else {
            continue;
        };
        let from = rank(&module).unwrap_or_else(|| {
            panic!(
                "src/{}: top-level module `{module}` has no layer",
                rel.display()
            )
        });
        let code = code_only(&std::fs::read_to_string(&file).unwrap());
        for (line, to) in edges(&code, depth) {
            seen += 1;
            if to != module && rank(&to).unwrap() > from {
                bad.push(format!("src/{}:{line}: {module} → {to}", rel.display()));
            }
        }
    }
    (bad, seen)
}

#[test]
fn no_module_imports_from_a_later_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (bad, seen) = backward_imports(&src);
    // The scan must see the crate's real edges (e.g. output → stats), or it proves nothing.
    assert!(
        seen > 100,
        "only {seen} crate paths found: the scan is broken"
    );
    assert!(
        bad.is_empty(),
        "imports against the layer order {LAYERS:?}:\n{}",
        bad.join("\n")
    );
}

#[test]
fn every_top_level_module_has_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).unwrap() {
        let rel = PathBuf::from(entry.unwrap().file_name());
        if let Some((module, _)) = module_of(&rel) {
            assert!(
                rank(&module).is_some(),
                "src/{}: no layer for `{module}`",
                rel.display()
            );
        }
    }
}

/// The scanner itself: it finds each form of path, and ignores comments and strings.
#[test]
fn the_scanner_sees_every_form_of_path() {
    let code = code_only(
        "use crate::engine::run;\n\
         use crate::{error::Error, stats::{Report, Summary}};\n\
         let x = super::super::output::render();\n\
         // use crate::app;\n\
         let s = \"crate::cli\"; let c = '\"'; let r = r#\"crate::options\"#;\n\
         /* crate::app */ fn f<'a>(x: &'a str) -> crate::input::X { todo!() }\n",
    );
    let got: Vec<(usize, String)> = edges(&code, 2);
    let want: Vec<(usize, String)> = vec![
        (1, "engine".into()),
        (2, "error".into()),
        (2, "stats".into()),
        (3, "output".into()),
        (6, "input".into()),
    ];
    assert_eq!(got, want);
    // `super::` that stays inside the module is not a crate-root path.
    assert!(edges("use super::engine::x;", 2).is_empty());
    assert_eq!(
        edges("use super::engine::x;", 1),
        vec![(1, "engine".to_string())]
    );
}
