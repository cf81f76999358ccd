//! The fuzz targets' inputs under plain `cargo test`: every seed in fuzz/corpus/TARGET and
//! every input that once crashed a target (fuzz/regressions/TARGET, one file per crash, named
//! after what it broke) goes through the same `p80::fuzzing` entry point as under cargo-fuzz,
//! and must return (an error is fine) without a panic.

use std::fs;
use std::path::Path;

/// Feeds `data` to `target`'s entry point.
fn run(target: &str, data: &[u8]) {
    match target {
        "tasks_csv" => p80::fuzzing::tasks_csv(data),
        "resources_csv" => p80::fuzzing::resources_csv(data),
        "risks_csv" => p80::fuzzing::risks_csv(data),
        "correlations_csv" => p80::fuzzing::correlations_csv(data),
        "project_toml" => p80::fuzzing::project_toml(data),
        "history_csv" => p80::fuzzing::history_csv(data),
        "mspdi" => p80::fuzzing::schedule(data, "xml"),
        "xer" => p80::fuzzing::schedule(data, "xer"),
        "gan" => p80::fuzzing::schedule(data, "gan"),
        "plan" => p80::fuzzing::plan(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

/// Runs every file under `root/TARGET/`; returns how many.
fn replay(root: &Path) -> usize {
    let Ok(targets) = fs::read_dir(root) else {
        return 0;
    };
    let mut n = 0;
    for t in targets {
        let t = t.unwrap();
        let target = t.file_name().to_string_lossy().into_owned();
        for f in fs::read_dir(t.path()).unwrap() {
            let path = f.unwrap().path();
            let data = fs::read(&path).unwrap();
            eprintln!("{target}: {}", path.display());
            run(&target, &data);
            n += 1;
        }
    }
    n
}

fn fuzz_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

#[test]
fn every_seed_runs_through_its_target() {
    let n = replay(&fuzz_dir().join("corpus"));
    assert!(n >= 20, "only {n} seeds in fuzz/corpus");
}

#[test]
fn every_input_that_crashed_a_target_now_returns() {
    replay(&fuzz_dir().join("regressions"));
}
