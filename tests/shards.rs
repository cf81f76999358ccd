//! Shards (`--shard K/N`, `p80 merge`) give byte for byte the files of the unsharded run,
//! every shard in its own process; every way a set of shards can be wrong is exit 2 naming
//! the shard.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

mod support;
use support::{data, p80};

/// Every file of a folder by name, with its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// dl-project with risks (an event and a driver), a correlated group, capacities of one
/// person per role (so every iteration is levelled) and its calendar, deadline and milestones.
fn risky_project(dir: &Path) -> PathBuf {
    let src = data("dl-project");
    let resources = fs::read_to_string(src.join("resources.csv"))
        .unwrap()
        .replace("day,,,", "day,,1,");
    fs::write(dir.join("resources.csv"), resources).unwrap();
    fs::copy(src.join("tasks.csv"), dir.join("tasks.csv")).unwrap();
    fs::write(
        dir.join("risks.csv"),
        "id,name,probability,kind,impact_optimistic,impact_likely,impact_pessimistic,cost_likely,affects\n\
         vendor,Vendor late,0.3,event,2,4,8,1000,labelling\n\
         gpu,GPU shortage,0.5,driver,0.9,1.0,1.4,,model_dev;hpo\n",
    )
    .unwrap();
    let toml = fs::read_to_string(src.join("project.toml"))
        .unwrap()
        .replace(
            "resources = \"resources.csv\"",
            "resources = \"resources.csv\"\nrisks = \"risks.csv\"",
        );
    fs::write(
        dir.join("project.toml"),
        format!(
            "{toml}\n[[correlation]]\ntasks = [\"model_dev\", \"hpo\", \"evaluation\"]\ncoefficient = 0.6\n"
        ),
    )
    .unwrap();
    dir.join("project.toml")
}

/// Runs `command` unsharded into `base`, then as `n` shards (each its own process and
/// folder, one thread) merged with two threads, and checks every file is the same.
fn sharded_equals_unsharded(
    command: &str,
    project: &Path,
    flags: &[&str],
    tmp: &Path,
    ns: &[usize],
) {
    let base = tmp.join(format!("{command}-base"));
    p80()
        .arg(command)
        .arg(project)
        .args(flags)
        .args(["-q", "--out"])
        .arg(&base)
        .assert()
        .success();
    let want = contents(&base);
    assert!(want.len() >= 2, "{want:?}");
    for &n in ns {
        let mut folders = Vec::new();
        for k in 0..n {
            let out = tmp.join(format!("{command}-{n}-{k}"));
            p80()
                .arg(command)
                .arg(project)
                .args(flags)
                .args(["-q", "-j", "1", "--shard", &format!("{k}/{n}"), "--out"])
                .arg(&out)
                .assert()
                .success();
            assert_eq!(
                contents(&out).keys().collect::<Vec<_>>(),
                [&format!("shard-{k}-of-{n}.p80")]
            );
            folders.push(out);
        }
        let merged = tmp.join(format!("{command}-{n}-merged"));
        p80()
            .arg("merge")
            .args(folders.iter().rev())
            .args(["-q", "-j", "2", "--out"])
            .arg(&merged)
            .assert()
            .success();
        let got = contents(&merged);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{command} {flags:?} N={n}"
        );
        for (name, bytes) in &want {
            assert!(
                got[name] == *bytes,
                "{name} differs: {command} {flags:?} N={n}"
            );
        }
    }
}

#[test]
fn dl_project_shards_merge_byte_identical() {
    let d = tempfile::tempdir().unwrap();
    let project = data("dl-project/project.toml");
    sharded_equals_unsharded(
        "simulate",
        &project,
        &["-n", "1500"],
        d.path(),
        &[1, 2, 3, 7],
    );
}

#[test]
fn lhs_shards_merge_byte_identical() {
    let d = tempfile::tempdir().unwrap();
    let project = data("dl-project/project.toml");
    let flags = [
        "-n",
        "1500",
        "--sampling",
        "lhs",
        "--no-level",
        "--seed",
        "7",
    ];
    sharded_equals_unsharded("simulate", &project, &flags, d.path(), &[1, 2, 3, 7]);
}

#[test]
fn risks_correlation_levelling_shards_merge_byte_identical() {
    let d = tempfile::tempdir().unwrap();
    let project = risky_project(d.path());
    let flags = ["-n", "1200", "--resource-profile"];
    sharded_equals_unsharded("simulate", &project, &flags, d.path(), &[1, 2, 3, 4, 7]);
}

#[test]
fn compare_shards_merge_byte_identical() {
    let d = tempfile::tempdir().unwrap();
    let project = data("dl-project/project.toml");
    sharded_equals_unsharded("compare", &project, &["-n", "600"], d.path(), &[1, 2, 3, 7]);
}

/// Writes shards `ks` of `n` of dl-project with `seed` into `dir/s-SEED-K`.
fn shards(dir: &Path, n: usize, ks: &[usize], seed: &str) -> Vec<PathBuf> {
    ks.iter()
        .map(|k| {
            let out = dir.join(format!("s-{seed}-{k}"));
            p80()
                .arg("simulate")
                .arg(data("dl-project/project.toml"))
                .args([
                    "-n",
                    "300",
                    "-q",
                    "--seed",
                    seed,
                    "--shard",
                    &format!("{k}/{n}"),
                ])
                .arg("--out")
                .arg(&out)
                .assert()
                .success();
            out.join(format!("shard-{k}-of-{n}.p80"))
        })
        .collect()
}

/// `p80 merge FILES` fails with exit 2 and a message holding `names`.
fn merge_fails(dir: &Path, files: &[PathBuf], names: &str) {
    let out = p80()
        .arg("merge")
        .args(files)
        .arg("--out")
        .arg(dir.join("merged"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(names), "`{names}` not in: {err}");
    assert!(!dir.join("merged").exists(), "nothing written on failure");
}

#[test]
fn wrong_sets_of_shards_are_exit_2_naming_the_shard() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let good = shards(dir, 3, &[0, 1, 2], "1");
    // Missing.
    merge_fails(dir, &good[..2], "shard-2-of-3.p80");
    // Duplicated: the same shard twice (a copy elsewhere).
    let copy = dir.join("copy.p80");
    fs::copy(&good[1], &copy).unwrap();
    merge_fails(
        dir,
        &[good.clone(), vec![copy.clone()]].concat(),
        "copy.p80",
    );
    // Mismatched: another seed.
    let other = shards(dir, 3, &[2], "2");
    merge_fails(
        dir,
        &[&good[..2], &other[..]].concat(),
        "s-2-2/shard-2-of-3.p80",
    );
    // Mismatched: another shard count.
    let four = shards(dir, 4, &[3], "1");
    merge_fails(
        dir,
        &[good.clone(), four.clone()].concat(),
        "shard-3-of-4.p80",
    );
    // Corrupt: one flipped bit in the body, a truncated copy, not a shard at all.
    let mut bytes = fs::read(&good[1]).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    let flipped = dir.join("flipped");
    fs::create_dir(&flipped).unwrap();
    fs::write(flipped.join("shard-1-of-3.p80"), &bytes).unwrap();
    merge_fails(
        dir,
        &[
            good[0].clone(),
            flipped.join("shard-1-of-3.p80"),
            good[2].clone(),
        ],
        "flipped/shard-1-of-3.p80",
    );
    let full = fs::read(&good[2]).unwrap();
    let cut = dir.join("cut.p80");
    fs::write(&cut, &full[..full.len() - 9]).unwrap();
    merge_fails(
        dir,
        &[good[0].clone(), good[1].clone(), cut.clone()],
        "cut.p80",
    );
    let junk = dir.join("junk.p80");
    fs::write(&junk, "id,optimistic\n").unwrap();
    merge_fails(dir, &[good[0].clone(), good[1].clone(), junk], "junk.p80");
    // A folder without shards, a path that does not exist.
    let empty = dir.join("empty");
    fs::create_dir(&empty).unwrap();
    merge_fails(dir, &[good[0].clone(), empty], "empty");
    merge_fails(dir, &[dir.join("nosuch")], "nosuch");
    // The good set still merges.
    p80()
        .arg("merge")
        .args(&good)
        .arg("--out")
        .arg(dir.join("ok"))
        .assert()
        .success();
}

#[test]
fn changed_inputs_are_exit_2() {
    let d = tempfile::tempdir().unwrap();
    let project = risky_project(d.path());
    let out = d.path().join("s0");
    p80()
        .arg("simulate")
        .arg(&project)
        .args(["-n", "200", "-q", "--shard", "0/1", "--out"])
        .arg(&out)
        .assert()
        .success();
    let risks = d.path().join("risks.csv");
    let text = fs::read_to_string(&risks)
        .unwrap()
        .replace("0.3,event", "0.4,event");
    fs::write(&risks, text).unwrap();
    merge_fails(d.path(), &[out], "shard-0-of-1.p80");
}

#[test]
fn unshardable_options_are_refused() {
    let d = tempfile::tempdir().unwrap();
    let project = data("dl-project/project.toml");
    for (flags, says) in [
        (&["--drivers"][..], "--drivers cannot be sharded"),
        (
            &["--iterations", "auto"][..],
            "--iterations auto cannot be sharded",
        ),
    ] {
        let out = p80()
            .arg("simulate")
            .arg(&project)
            .args(flags)
            .args(["--shard", "0/2", "--out"])
            .arg(d.path().join("o"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains(says));
    }
    for bad in ["2/2", "x", "1/0"] {
        p80()
            .args(["simulate", "p.toml", "--shard", bad])
            .assert()
            .code(2);
    }
    // auto without a batch system's variables.
    p80()
        .arg("simulate")
        .arg(&project)
        .args(["--shard", "auto", "--out"])
        .arg(d.path().join("o"))
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX")
        .assert()
        .code(2);
    // auto with Kubernetes' variables.
    p80()
        .arg("simulate")
        .arg(&project)
        .args(["-n", "100", "-q", "--shard", "auto", "--out"])
        .arg(d.path().join("k"))
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env("JOB_COMPLETION_INDEX", "1")
        .env("P80_SHARD_COUNT", "3")
        .assert()
        .success();
    assert!(d.path().join("k/shard-1-of-3.p80").exists());
}

#[test]
fn compare_and_simulate_shards_do_not_mix_and_project_can_be_named() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    let sim = shards(dir, 2, &[0], "1");
    let cmp = dir.join("c1");
    p80()
        .arg("compare")
        .arg(data("dl-project/project.toml"))
        .args(["-n", "300", "-q", "--seed", "1", "--shard", "1/2", "--out"])
        .arg(&cmp)
        .assert()
        .success();
    merge_fails(
        dir,
        &[sim[0].clone(), cmp.join("shard-1-of-2.p80")],
        "c1/shard-1-of-2.p80",
    );
    // The plan copied elsewhere (another mount on the merge machine): --project names it.
    let moved = dir.join("moved");
    fs::create_dir(&moved).unwrap();
    for f in ["project.toml", "tasks.csv", "resources.csv"] {
        fs::copy(data("dl-project").join(f), moved.join(f)).unwrap();
    }
    let one = shards(dir, 1, &[0], "3");
    p80()
        .arg("merge")
        .args(&one)
        .arg("--project")
        .arg(moved.join("project.toml"))
        .args(["-q", "--out"])
        .arg(dir.join("ok"))
        .assert()
        .success();
    // A shard's folder already holding another shard's file is refused, the file kept.
    let out = p80()
        .arg("simulate")
        .arg(data("dl-project/project.toml"))
        .args(["-n", "300", "--seed", "1", "--shard", "1/2", "--out"])
        .arg(sim[0].parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(sim[0].exists());
}
