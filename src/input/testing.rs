//! (tests only) plans written as CSV text and read the way users' files are, so tests in
//! every later step build projects without repeating the readers.

use crate::model::Project;

/// A project read from `tasks.csv` text (and `resources.csv` text, if any), named
/// "Test plan", currency EUR.
pub(crate) fn project(tasks_csv: &str, resources_csv: Option<&str>) -> Project {
    let d = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(d.path().join("tasks.csv"), tasks_csv).expect("tasks.csv written");
    let mut toml = String::from(
        "[project]\nname = \"Test plan\"\ncurrency = \"EUR\"\ntasks = \"tasks.csv\"\n",
    );
    if let Some(r) = resources_csv {
        std::fs::write(d.path().join("resources.csv"), r).expect("resources.csv written");
        toml.push_str("resources = \"resources.csv\"\n");
    }
    std::fs::write(d.path().join("project.toml"), toml).expect("project.toml written");
    crate::input::load(&d.path().join("project.toml"))
        .expect("a valid test project")
        .project
}
