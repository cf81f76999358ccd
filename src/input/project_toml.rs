//! `project.toml`: names the CSV files and holds the settings (see docs/format.md).
//!
//! Unknown keys are an error naming the key and its line; paths are resolved relative to the
//! project file's folder.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::Diagnostic;
use crate::model::Distribution;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    project: ProjectSection,
    #[serde(default)]
    simulation: SimulationSection,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectSection {
    name: Option<String>,
    currency: Option<String>,
    tasks: Spanned<String>,
    resources: Option<Spanned<String>>,
    distribution: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SimulationSection {
    iterations: Option<Spanned<i64>>,
    seed: Option<Spanned<i64>>,
    confidence: Option<Spanned<f64>>,
    threads: Option<Spanned<i64>>,
}

/// What a project file says, with paths resolved against its folder.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectConfig {
    /// `[project] name`.
    pub name: Option<String>,
    /// `[project] currency`.
    pub currency: Option<String>,
    /// The tasks file.
    pub tasks: PathBuf,
    /// The resources file, if named.
    pub resources: Option<PathBuf>,
    /// The default distribution for rows that name none.
    pub distribution: Distribution,
    /// `[simulation]` settings; `None` where the file says nothing.
    pub iterations: Option<u64>,
    /// Random seed.
    pub seed: Option<u64>,
    /// Confidence level in (0, 1).
    pub confidence: Option<f64>,
    /// Worker threads.
    pub threads: Option<usize>,
    /// Lines of the `tasks` and `resources` keys (for errors about the files they name);
    /// `None` for a bare tasks.csv.
    pub tasks_line: Option<usize>,
    /// See `tasks_line`.
    pub resources_line: Option<usize>,
}

/// Parses `text`, the contents of the project file `file`. Reports every value problem at once
/// (a syntax error or unknown key stops at the first, as the TOML parser does).
pub fn read(file: &Path, text: &str) -> Result<ProjectConfig, Vec<Diagnostic>> {
    let line_of = |span: Range<usize>| text[..span.start.min(text.len())].matches('\n').count() + 1;
    let parsed: ProjectFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(line_of);
        let msg = e.message().trim().to_string();
        let hint = if msg.contains("unknown field") {
            "; remove it or check its spelling (see docs/format.md)"
        } else if msg.contains("missing field `tasks`") {
            "; name the tasks file, e.g. tasks = \"tasks.csv\""
        } else if msg.contains("missing field `project`") {
            "; add a [project] table with at least tasks = \"tasks.csv\""
        } else {
            ""
        };
        let field = msg
            .split('`')
            .nth(1)
            .filter(|_| msg.contains("field"))
            .map(str::to_string)
            // Type and syntax errors do not name the key: take it from the reported line.
            .or_else(|| {
                let (key, _) = text.lines().nth(line? - 1)?.split_once('=')?;
                let key = key.trim().trim_matches('"');
                (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
            });
        vec![Diagnostic {
            file: file.to_path_buf(),
            line,
            field,
            message: format!("{msg}{hint}"),
        }]
    })?;

    let mut errors = Vec::new();
    let dir = file.parent().unwrap_or(Path::new(""));
    let p = parsed.project;
    let s = parsed.simulation;

    let distribution = match &p.distribution {
        None => Distribution::Pert,
        Some(d) => Distribution::parse(d.get_ref()).unwrap_or_else(|| {
            errors.push(Diagnostic::at(
                file,
                line_of(d.span()),
                Some("distribution"),
                format!(
                    "unknown distribution `{}`; use one of {}",
                    d.get_ref(),
                    Distribution::NAMES
                ),
            ));
            Distribution::Pert
        }),
    };
    let mut positive = |v: &Option<Spanned<i64>>, field: &str, min: i64| -> Option<u64> {
        let v = v.as_ref()?;
        if *v.get_ref() < min {
            errors.push(Diagnostic::at(
                file,
                line_of(v.span()),
                Some(field),
                format!("{} must be at least {min}", v.get_ref()),
            ));
            return None;
        }
        Some(*v.get_ref() as u64)
    };
    let iterations = positive(&s.iterations, "iterations", 1);
    let seed = positive(&s.seed, "seed", 0);
    let threads = positive(&s.threads, "threads", 1).map(|t| t as usize);
    let confidence = s.confidence.as_ref().and_then(|c| {
        let v = *c.get_ref();
        if v > 0.0 && v < 1.0 {
            Some(v)
        } else {
            errors.push(Diagnostic::at(
                file,
                line_of(c.span()),
                Some("confidence"),
                format!("{v} is not between 0 and 1 (exclusive); write 0.8 for P80"),
            ));
            None
        }
    });
    for (key, val) in [
        ("tasks", Some(&p.tasks)),
        ("resources", p.resources.as_ref()),
    ] {
        if let Some(v) = val {
            if v.get_ref().trim().is_empty() {
                errors.push(Diagnostic::at(
                    file,
                    line_of(v.span()),
                    Some(key),
                    "is empty; name a CSV file",
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ProjectConfig {
        tasks_line: Some(line_of(p.tasks.span())),
        resources_line: p.resources.as_ref().map(|r| line_of(r.span())),
        name: p.name,
        currency: p.currency,
        tasks: dir.join(p.tasks.get_ref()),
        resources: p.resources.map(|r| dir.join(r.get_ref())),
        distribution,
        iterations,
        seed,
        confidence,
        threads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_project_file() {
        let c = read(
            Path::new("plans/x/project.toml"),
            "[project]\nname = \"N\"\ntasks = \"t.csv\"\nresources = \"r.csv\"\n[simulation]\niterations = 500\nseed = 7\nconfidence = 0.9\n",
        )
        .unwrap();
        assert_eq!(c.tasks, PathBuf::from("plans/x/t.csv"));
        assert_eq!(c.resources, Some(PathBuf::from("plans/x/r.csv")));
        assert_eq!(
            (c.iterations, c.seed, c.confidence),
            (Some(500), Some(7), Some(0.9))
        );
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = read(
            Path::new("p.toml"),
            "[project]\ntasks = \"t.csv\"\n[simulation]\niteration = 5\n",
        )
        .unwrap_err();
        let t = e[0].to_string();
        assert!(
            t.starts_with("p.toml:4: field `iteration`: unknown field"),
            "{t}"
        );
    }

    #[test]
    fn bad_values_are_all_reported() {
        let e = read(
            Path::new("p.toml"),
            "[project]\ntasks = \"t.csv\"\ndistribution = \"gamma\"\n[simulation]\niterations = 0\nconfidence = 1.5\n",
        )
        .unwrap_err();
        let t: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert_eq!(t.len(), 3, "{t:?}");
        assert!(t[0].starts_with("p.toml:3: field `distribution`"));
        assert!(t[1].starts_with("p.toml:5: field `iterations`"));
        assert!(t[2].starts_with("p.toml:6: field `confidence`"));
    }
}
