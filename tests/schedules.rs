//! Reading the plans people already have: MS Project XML, Primavera P6 XER and GanttProject.
//!
//! - Hand-written fixtures in `tests/fixtures/schedules/` (committed, ours): the dates, costs,
//!   ranges and warnings p80 reads from each.
//! - The MPXJ corpus in `../shared/corpus/schedules/mpxj/` (or `$P80_CORPUS`; skipped with a
//!   message when absent): every MS Project XML and XER file is read and its task count, link
//!   count and link types compared with an independent scan of the file's text; for the files
//!   MS Project scheduled (`*.expected_dates.csv`), `p80 check` must show MS Project's early
//!   start and finish dates, with every difference listed below and explained in
//!   docs/format.md ("Differences from MS Project").
//! - `p80 import` then `p80 simulate` gives byte-identical outputs to `p80 simulate` on the file.
//! - Bad files: exit 2 and the whole message.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn p80() -> Command {
    Command::cargo_bin("p80").unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/schedules")
        .join(name)
}

/// The MPXJ corpus folder, or `None` (with a message) when it is absent.
fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("P80_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
        .join("schedules/mpxj");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!(
            "skipping: the schedule corpus {} is absent (set P80_CORPUS to the folder holding \
             schedules/mpxj)",
            dir.display()
        );
        None
    }
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `p80 check FILE`: the listing's rows by id → (start date, finish date, depends on).
fn check_rows(file: &Path) -> (BTreeMap<String, (String, String)>, String) {
    let out = p80().arg("check").arg(file).output().unwrap();
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{}: {stderr}", file.display());
    let mut rows = BTreeMap::new();
    let mut in_table = false;
    for line in stdout.lines() {
        if line.starts_with("task ") {
            in_table = true;
            continue;
        }
        if in_table && line.trim().is_empty() {
            break;
        }
        if in_table {
            let c: Vec<&str> = line.split_whitespace().collect();
            rows.insert(c[0].to_string(), (c[4].to_string(), c[5].to_string()));
        }
    }
    (rows, stdout)
}

// ---------------------------------------------------------------- fixtures

#[test]
fn ms_project_fixture_dates_progress_summaries_and_costs() {
    let file = fixture("office-move.xml");
    let (rows, stdout) = check_rows(&file);
    let want = [
        // Brief is done; Floor plan has 3 of 5 days left from the status date (Wed 6 Jan).
        ("t2", "2027-01-06", "2027-01-06"),
        ("t3", "2027-01-06", "2027-01-08"),
        // Move (summary) follows Plan (summary): Pack after Brief and Floor plan.
        ("t5", "2027-01-11", "2027-01-13"),
        // Transport: start no earlier than Friday 22 Jan; 2 days with the worked Saturday.
        ("t6", "2027-01-22", "2027-01-23"),
        // Unpack: Monday 25 Jan (18 Jan is a holiday, earlier); its must-finish-on is ignored.
        ("t7", "2027-01-25", "2027-01-27"),
        ("t8", "2027-01-27", "2027-01-27"),
    ];
    for (id, start, finish) in want {
        assert_eq!(
            rows.get(id),
            Some(&(start.to_string(), finish.to_string())),
            "{id}\n{stdout}"
        );
    }
    assert_eq!(rows.len(), 6, "summaries are not tasks: {stdout}");
    // 500 fixed + Pack 2 movers × 55/h × 8 h × 3 d + 100 per use + 400 boxes
    // + Transport 2 × 55 × 8 × 2 + 100.
    assert!(
        stdout.contains("Deterministic cost: EUR 5,500\n"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("Ranges: 3 tasks have no estimates: their ranges are the rule [0.9, 1, 1.4]"),
        "{stdout}"
    );
}

#[test]
fn ms_project_fixture_pert_fields_risk_level_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("project.toml"),
        format!(
            "[project]\nschedule = {:?}\n\n[import]\nrisk_level = \"Risk\"\n",
            fixture("office-move.xml")
        ),
    )
    .unwrap();
    let out = p80()
        .arg("simulate")
        .arg(dir.path().join("project.toml"))
        .args(["-n", "500", "-q", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    // Every kind of thing read but not modelled, once.
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        warnings,
        [
            format!("warning: {}: calendar exceptions that change a day's working hours count as whole working days", fixture("office-move.xml").display()),
            format!("warning: {}: material and cost resources are read as fixed costs of their tasks (1: Boxes)", fixture("office-move.xml").display()),
            format!("warning: {}: constraints other than start no earlier than are ignored (1: UID 7 must finish on 2027-02-05)", fixture("office-move.xml").display()),
        ],
        "{stderr}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/summary.json")).unwrap())
            .unwrap();
    // Pack takes its range from `Medium`; Floor plan from Duration1-3: two tasks left to the rule.
    assert_eq!(json["range_rule"]["tasks"], 2, "{json}");
    assert_eq!(
        json["range_rule"]["multipliers"],
        serde_json::json!([0.9, 1.0, 1.4])
    );
    // The three points of the task in progress are its fields scaled to the 3 days left:
    // 4, 5, 10 days × 3/5; the deterministic plan uses 3.
    let loaded = p80::input::load(&dir.path().join("project.toml")).unwrap();
    let t3 = loaded.project.tasks.iter().find(|t| t.id == "t3").unwrap();
    assert_eq!(
        (
            t3.estimate.optimistic,
            t3.estimate.likely,
            t3.estimate.pessimistic
        ),
        (4.0 * 0.6, 3.0, 10.0 * 0.6)
    );
    let t5 = loaded.project.tasks.iter().find(|t| t.id == "t5").unwrap();
    assert_eq!(
        (t5.estimate.optimistic, t5.estimate.pessimistic),
        (3.0 * 0.8, 3.0 * 1.5)
    );
}

#[test]
fn xer_fixture_dates_loe_wbs_calendar_and_costs() {
    let file = fixture("cafe.xer");
    let (rows, stdout) = check_rows(&file);
    let want = [
        ("A1000", "2027-01-04", "2027-01-04"), // complete
        ("A1010", "2027-01-04", "2027-01-06"), // 24 h left of 40
        ("A1020", "2027-01-08", "2027-01-13"), // FS + 8 h = 1 day
        ("A1030", "2027-01-12", "2027-01-25"), // SS + 2 days; 18 Jan is a holiday
        ("A1040", "2027-01-25", "2027-01-29"), // start on or after 25 Jan
        ("A1050", "2027-01-23", "2027-01-26"), // SF on A1040, FF + 1 on A1030: Saturday worked
        ("M1000", "2027-01-25", "2027-01-25"), // finish milestone, FS − 1 day
        ("L1000", "2027-01-08", "2027-01-25"), // level of effort until the milestone
    ];
    for (id, start, finish) in want {
        assert_eq!(
            rows.get(id),
            Some(&(start.to_string(), finish.to_string())),
            "{id}\n{stdout}"
        );
    }
    // Windows-1252 name; actual 360 + remaining 3 d × 45/h × 8 h on A1010, 2 carpenters for
    // 10 days, tiles 2,500 as a fixed cost, the site manager at half time over the LOE's 12
    // days × 60/h, an expense of 900.
    assert!(
        stdout.starts_with("p80 check: Café fit-out — 8 tasks, valid\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Deterministic cost: EUR 14,920\n"),
        "{stdout}"
    );
    assert!(stdout.contains("L1000 "), "{stdout}");
    assert!(stdout.contains("A1020:SS; until M1000"), "{stdout}");
}

#[test]
fn xer_user_defined_fields_give_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("project.toml");
    std::fs::write(
        &toml,
        format!(
            "[project]\nschedule = {:?}\ndistribution = \"triangular\"\n\n[import]\noptimistic = \"Optimistic days\"\npessimistic = \"Pessimistic days\"\nrisk_level = \"Risk\"\nrange = [1.0, 1.0, 1.2]\n",
            fixture("cafe.xer")
        ),
    )
    .unwrap();
    let loaded = p80::input::load(&toml).unwrap();
    let get = |id: &str| {
        let t = loaded.project.tasks.iter().find(|t| t.id == id).unwrap();
        (
            t.estimate.optimistic,
            t.estimate.likely,
            t.estimate.pessimistic,
        )
    };
    assert_eq!(get("A1030"), (8.0, 10.0, 16.0)); // the fields; likely = the scheduled duration
    assert_eq!(get("A1020"), (4.0 * 0.7, 4.0, 4.0 * 2.0)); // risk level high
    assert_eq!(get("A1040"), (5.0, 5.0, 5.0 * 1.2)); // the rule given
    assert_eq!(loaded.range_rule.map(|r| r.1), Some(3)); // A1010, A1040, A1050
}

#[test]
fn gan_fixture_dates_summaries_links_and_resources() {
    let file = fixture("launch.gan");
    let (rows, stdout) = check_rows(&file);
    let want = [
        ("t0", "2027-01-04", "2027-01-04"), // complete
        ("t2", "2027-01-04", "2027-01-11"), // Backend: after Research (via the Build summary)
        ("t3", "2027-01-06", "2027-01-11"), // SS + 2 on Backend
        ("t4", "2027-01-07", "2027-01-11"), // FF on Backend
        ("t5", "2027-01-11", "2027-01-15"), // FS − 1 on Frontend
        ("t6", "2027-01-07", "2027-01-08"), // SF on Beta
        ("t7", "2027-02-01", "2027-02-01"), // no strong dependency: stays at its own start
        ("t8", "2027-02-01", "2027-02-01"), // milestone after Build and the trade fair
    ];
    for (id, start, finish) in want {
        assert_eq!(
            rows.get(id),
            Some(&(start.to_string(), finish.to_string())),
            "{id}\n{stdout}"
        );
    }
    assert_eq!(rows.len(), 8, "{stdout}");
    // Ana 400/day × 6 days on Backend; Ben 300/day × (0.5 × 4 + 3).
    assert!(stdout.contains("Deterministic cost: 3,900\n"), "{stdout}");
    assert!(stdout.contains("t2;t3;t4;t7"), "{stdout}");
}

#[test]
fn gan_custom_columns_give_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("project.toml");
    std::fs::write(
        &toml,
        format!(
            "[project]\nschedule = {:?}\n\n[import]\noptimistic = \"optimistic\"\npessimistic = \"PESSIMISTIC\"\n",
            fixture("launch.gan")
        ),
    )
    .unwrap();
    let loaded = p80::input::load(&toml).unwrap();
    let t2 = loaded.project.tasks.iter().find(|t| t.id == "t2").unwrap();
    assert_eq!(
        (
            t2.estimate.optimistic,
            t2.estimate.likely,
            t2.estimate.pessimistic
        ),
        (5.0, 6.0, 9.0)
    );
    assert_eq!(loaded.range_rule.map(|r| r.1), Some(5));
}

// ---------------------------------------------------------------- round trip

/// `p80 import FILE` then `p80 simulate` on what it wrote gives the same bytes in every output
/// as `p80 simulate FILE`.
fn round_trip(file: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan");
    let out = p80()
        .arg("import")
        .arg(file)
        .arg("--out")
        .arg(&plan)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}: {}", file.display(), text(&out).1);
    let run = |input: &Path, name: &str| {
        let o = dir.path().join(name);
        let out = p80()
            .arg("simulate")
            .arg(input)
            .args(["-n", "1000", "--seed", "7", "-q", "-j", "2", "--out"])
            .arg(&o)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            input.display(),
            text(&out).1
        );
        o
    };
    let a = run(file, "a");
    let b = run(&plan.join("project.toml"), "b");
    let mut names: Vec<_> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for n in names {
        let x = std::fs::read(a.join(&n)).unwrap();
        let y = std::fs::read(b.join(&n)).unwrap_or_default();
        assert!(
            x == y,
            "{}: {} differs after import",
            file.display(),
            n.to_string_lossy()
        );
    }
}

#[test]
fn import_then_simulate_equals_simulate_on_the_fixtures() {
    for f in ["office-move.xml", "cafe.xer", "launch.gan"] {
        round_trip(&fixture(f));
    }
}

#[test]
fn import_then_simulate_equals_simulate_on_the_corpus() {
    let Some(dir) = corpus() else { return };
    for f in [
        "sample1.xml",
        "mspdirelations.xml",
        "task-links-project2019-mspdi.xml",
        "percent-complete-8.4.xer",
        "resource-rates-test.xer",
    ] {
        round_trip(&dir.join(f));
    }
}

#[test]
fn import_refuses_to_replace_files_without_force() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tasks.csv"), "id,likely\nmine,1\n").unwrap();
    let out = p80()
        .arg("import")
        .arg(fixture("launch.gan"))
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out).1,
        format!(
            "error: {} exists already: choose another folder with --out, or replace the files with --force\n",
            dir.path().join("tasks.csv").display()
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("tasks.csv")).unwrap(),
        "id,likely\nmine,1\n"
    );
    let out = p80()
        .arg("import")
        .arg(fixture("launch.gan"))
        .arg("--out")
        .arg(dir.path())
        .arg("--force")
        .output()
        .unwrap();
    assert!(out.status.success());
}

// ---------------------------------------------------------------- corpus

/// What a file holds, counted from its text without p80's readers.
#[derive(Debug, PartialEq)]
struct Counts {
    tasks: usize,
    links: usize,
    types: BTreeMap<String, usize>,
}

/// MS Project XML: the `<Task>` blocks that are not summaries (nor the project's, UID 0, nor
/// empty), and the `<PredecessorLink>` blocks inside them with their `<Type>`.
fn scan_mspdi(text: &str) -> Counts {
    let tasks_part = &text[text.find("<Tasks>").unwrap()..text.find("</Tasks>").unwrap()];
    let mut c = Counts {
        tasks: 0,
        links: 0,
        types: BTreeMap::new(),
    };
    for block in tasks_part.split("<Task>").skip(1) {
        let block = &block[..block.find("</Task>").unwrap()];
        if block.contains("<Summary>1</Summary>") || block.contains("<IsNull>1</IsNull>") {
            continue;
        }
        c.tasks += 1;
        for link in block.split("<PredecessorLink>").skip(1) {
            let ty = link
                .split("<Type>")
                .nth(1)
                .map_or("1", |t| &t[..t.find('<').unwrap()]);
            let name = ["FF", "FS", "SF", "SS"][ty.parse::<usize>().unwrap()];
            c.links += 1;
            *c.types.entry(name.to_string()).or_default() += 1;
        }
    }
    c
}

/// XER: the `%R` rows of the TASK table and of the TASKPRED table, with `pred_type`.
fn scan_xer(bytes: &[u8]) -> Counts {
    let text = String::from_utf8_lossy(bytes);
    let mut c = Counts {
        tasks: 0,
        links: 0,
        types: BTreeMap::new(),
    };
    let mut table = "";
    let mut type_col = 0;
    for line in text.lines() {
        let cells: Vec<&str> = line.split('\t').collect();
        match cells[0] {
            "%T" => table = cells[1],
            "%F" if table == "TASKPRED" => {
                type_col = cells.iter().position(|f| *f == "pred_type").unwrap()
            }
            "%R" if table == "TASK" => c.tasks += 1,
            "%R" if table == "TASKPRED" => {
                c.links += 1;
                let t = cells[type_col].trim_start_matches("PR_");
                *c.types.entry(t.to_string()).or_default() += 1;
            }
            _ => {}
        }
    }
    c
}

#[test]
fn every_corpus_schedule_is_read_with_its_tasks_and_links() {
    let Some(dir) = corpus() else { return };
    let mut seen = 0;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let want = match ext {
            "xml" => scan_mspdi(&std::fs::read_to_string(&path).unwrap()),
            "xer" => scan_xer(&std::fs::read(&path).unwrap()),
            _ => continue, // PMXML, MPX, Planner: not formats p80 reads
        };
        let s = p80::input::read_schedule(&path, &Default::default())
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert!(
            p80::model::validate(&s.project).is_empty(),
            "{}: not a valid plan",
            path.display()
        );
        let mut types = BTreeMap::new();
        for t in &s.project.tasks {
            for l in &t.depends_on {
                *types.entry(l.kind.code().to_string()).or_default() += 1;
            }
        }
        let got = Counts {
            tasks: s.project.tasks.len(),
            links: s.project.tasks.iter().map(|t| t.depends_on.len()).sum(),
            types,
        };
        println!(
            "{}: {} tasks, {} links {:?}",
            path.file_name().unwrap().to_string_lossy(),
            got.tasks,
            got.links,
            got.types
        );
        assert_eq!(got, want, "{}", path.display());
        seen += 1;
    }
    assert_eq!(seen, 10, "six MS Project XML and four XER files");
}

/// A date where p80 and MS Project differ, with p80's date; the reasons are in
/// docs/format.md ("Differences from MS Project").
struct Known {
    uid: u32,
    field: &'static str,
    p80: &'static str,
}

const fn known(uid: u32, field: &'static str, p80: &'static str) -> Known {
    Known { uid, field, p80 }
}

/// (file, known differences)
const EXPECTED: [(&str, &[Known]); 3] = [
    // Task 5 finishes where an SF link pins it: Monday 08:00 in MS Project, the end of Friday
    // in p80 (the same instant of working time).
    ("mspdirelations", &[known(5, "finish", "2006-09-22")]),
    ("task-links-project2019-mspdi", &[]),
    (
        "sample1",
        &[
            // Second Task (800 h) is worked by two resources on their own calendars, day and
            // night shift: 400 h each, 50 days; p80 has one calendar and reads 100 days. Its
            // summaries (First Task, the project) end with it.
            known(2, "finish", "2003-05-26"),
            known(1, "finish", "2003-05-26"),
            known(0, "finish", "2003-05-26"),
            // Related Task 6b: the SF pin, as in mspdirelations.
            known(21, "finish", "2003-01-07"),
            // Assigned Task 2: its resource works the night shift (from 23:00), so it ends
            // at 08:00 a day later; and the summaries above it.
            known(24, "finish", "2003-01-13"),
            known(22, "finish", "2003-01-13"),
            known(19, "finish", "2003-01-13"),
        ],
    ),
];

#[test]
fn p80_check_reproduces_ms_project_dates() {
    let Some(dir) = corpus() else { return };
    for (name, known) in EXPECTED {
        let file = dir.join(format!("{name}.xml"));
        let (rows, stdout) = check_rows(&file);
        let expected =
            std::fs::read_to_string(dir.join(format!("{name}.expected_dates.csv"))).unwrap();
        // Summary tasks are not p80 tasks: their dates are the span of the tasks they group
        // (the project's, UID 0, of all).
        let schedule = p80::input::read_schedule(&file, &Default::default()).unwrap();
        let mut span: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (t, info) in schedule.project.tasks.iter().zip(&schedule.info) {
            let (s, f) = rows[&t.id].clone();
            let mut groups = vec![String::new()];
            let mut path = String::new();
            for g in info.group.split(" / ").filter(|g| !g.is_empty()) {
                path = if path.is_empty() {
                    g.to_string()
                } else {
                    format!("{path} / {g}")
                };
                groups.push(path.clone());
            }
            for g in groups {
                let e = span.entry(g).or_insert((s.clone(), f.clone()));
                e.0 = e.0.clone().min(s.clone());
                e.1 = e.1.clone().max(f.clone());
            }
        }
        let mut names: BTreeMap<u32, String> = BTreeMap::new(); // summary UID → group path
        let mut stack: Vec<(usize, String)> = Vec::new();
        let (mut matched, mut compared, mut failures) = (0, 0, Vec::new());
        for line in expected.lines().skip(1) {
            // UID,Name,Summary,Duration,Start,Finish,Cost,Links
            let c: Vec<&str> = line.splitn(8, ',').collect();
            let uid: u32 = c[0].parse().unwrap();
            let summary = c[2] == "1";
            let (start, finish) = (&c[4][..10], &c[5][..10]);
            let got = if uid == 0 {
                span[""].clone()
            } else if summary {
                // The summary's path: the expected rows list tasks in outline order.
                let task = schedule
                    .info
                    .iter()
                    .find(|i| i.group.split(" / ").any(|g| g == c[1]))
                    .unwrap_or_else(|| panic!("{name}: summary {} groups no task", c[1]));
                let path: Vec<&str> = task.group.split(" / ").collect();
                let k = path.iter().position(|g| *g == c[1]).unwrap();
                let p = path[..=k].join(" / ");
                names.insert(uid, p.clone());
                let _ = &mut stack;
                span[&p].clone()
            } else {
                rows[&format!("t{uid}")].clone()
            };
            for (field, msp, p80) in [("start", start, &got.0), ("finish", finish, &got.1)] {
                compared += 1;
                let k = known.iter().find(|k| k.uid == uid && k.field == field);
                match k {
                    None if msp == p80 => matched += 1,
                    None => failures.push(format!("UID {uid} {field}: MS Project {msp}, p80 {p80}")),
                    Some(k) if k.p80 != p80 => failures.push(format!(
                        "UID {uid} {field}: known difference expected p80 {}, got {p80} (MS Project {msp})",
                        k.p80
                    )),
                    Some(_) => {}
                }
            }
        }
        println!(
            "{name}: {matched} of {compared} dates match MS Project; {} known differences",
            known.len()
        );
        assert!(
            failures.is_empty(),
            "{name}:\n{}\n{stdout}",
            failures.join("\n")
        );
        assert_eq!(matched + known.len(), compared, "{name}");
    }
}

// ---------------------------------------------------------------- bad files

/// Runs `check` and `simulate` on `file`: both exit 2 with exactly `message` on stderr.
fn fails(file: &Path, message: &str) {
    for args in [vec!["check"], vec!["simulate", "-q", "-n", "100"]] {
        let dir = tempfile::tempdir().unwrap();
        let out = p80()
            .args(&args)
            .arg(file)
            .arg("--out")
            .arg(dir.path().join("out"))
            .output();
        // `check` takes no --out: run it without.
        let out = if args[0] == "check" {
            p80().arg("check").arg(file).output().unwrap()
        } else {
            out.unwrap()
        };
        assert_eq!(out.status.code(), Some(2), "{args:?} {}", text(&out).1);
        assert_eq!(text(&out).1, format!("error: {message}\n"), "{args:?}");
        assert!(!dir.path().join("out").exists());
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn truncated_ms_project_xml() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read_to_string(fixture("office-move.xml")).unwrap();
    let cut = &full[..full.find("<Task><UID>5</UID>").unwrap()];
    let f = write(dir.path(), "plan.xml", cut.as_bytes());
    let lines = cut.lines().count();
    let tasks = cut.lines().position(|l| l.trim() == "<Tasks>").unwrap() + 1;
    fails(
        &f,
        &format!(
            "invalid input: 1 problem found\n  {}:{lines}: the file ends inside <Tasks> (opened on line {tasks}): it is truncated; save it again from the program that wrote it",
            f.display()
        ),
    );
}

#[test]
fn xer_without_its_task_table() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "plan.xer",
        b"ERMHDR\t19.12\n%T\tPROJECT\n%F\tproj_id\tplan_start_date\n%R\t1\t2027-01-04 08:00\n%E\n",
    );
    fails(
        &f,
        &format!(
            "invalid input: 1 problem found\n  {}: the file has no %T TASK table (it holds PROJECT); export the project again from P6 with its activities",
            f.display()
        ),
    );
}

#[test]
fn xer_with_an_unknown_calendar_id() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8_lossy(&std::fs::read(fixture("cafe.xer")).unwrap())
        .replace("%R\t5\t10\t3\t100\tA1040", "%R\t5\t10\t3\t999\tA1040");
    let f = write(dir.path(), "plan.xer", text.as_bytes());
    let line = text
        .lines()
        .position(|l| l.contains("\t999\tA1040"))
        .unwrap()
        + 1;
    fails(
        &f,
        &format!(
            "invalid input: 1 problem found\n  {}:{line}: field `clndr_id`: unknown calendar id 999 in the TASK table: the CALENDAR table has no such calendar",
            f.display()
        ),
    );
}

#[test]
fn ms_project_link_to_a_missing_task() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("office-move.xml"))
        .unwrap()
        .replace(
            "<PredecessorUID>5</PredecessorUID>",
            "<PredecessorUID>42</PredecessorUID>",
        );
    let f = write(dir.path(), "plan.xml", text.as_bytes());
    let line = text.lines().position(|l| l.contains(">42<")).unwrap() + 1;
    fails(
        &f,
        &format!(
            "invalid input: 1 problem found\n  {}:{line}: field `PredecessorUID`: UID 6 links to `42`, which is not a task in this file; remove the link or add the task",
            f.display()
        ),
    );
}

#[test]
fn xer_relationship_to_a_missing_activity_and_a_truncated_xer() {
    let dir = tempfile::tempdir().unwrap();
    let text = String::from_utf8_lossy(&std::fs::read(fixture("cafe.xer")).unwrap())
        .replace("%R\t4\t5\t3\t10\t10\tPR_FS", "%R\t4\t5\t33\t10\t10\tPR_FS");
    let f = write(dir.path(), "plan.xer", text.as_bytes());
    let line = text
        .lines()
        .position(|l| l.starts_with("%R\t4\t5\t33"))
        .unwrap()
        + 1;
    fails(
        &f,
        &format!(
            "invalid input: 1 problem found\n  {}:{line}: field `pred_task_id`: activity A1040 links to `33`, which is not a task in this file; remove the link or add the task",
            f.display()
        ),
    );
    let cut = &text[..text.find("%T\tTASKPRED").unwrap()];
    let f = write(dir.path(), "cut.xer", cut.as_bytes());
    fails(
        &f,
        &format!(
            "invalid input: 1 problem found\n  {}:{}: the file ends without the %E line: it is truncated; export it again from P6",
            f.display(),
            cut.split('\n').count()
        ),
    );
}

#[test]
fn gan_dependency_on_a_missing_task() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("launch.gan"))
        .unwrap()
        .replace("<depend id=\"6\"", "<depend id=\"66\"");
    let f = write(dir.path(), "plan.gan", text.as_bytes());
    let line = text.lines().position(|l| l.contains("\"66\"")).unwrap() + 1;
    fails(
        &f,
        &format!(
            "invalid input: 1 problem found\n  {}:{line}: field `id`: task 5 has a dependency on task 66, which is not in the file; remove the dependency or add the task",
            f.display()
        ),
    );
}

#[test]
fn binary_mpp_given_by_mistake() {
    let dir = tempfile::tempdir().unwrap();
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(std::iter::repeat_n(0u8, 504));
    let msg = "a binary file (an MS Project .mpp?), which p80 cannot read; in MS Project use File > Save As > XML Format (*.xml) and give p80 the .xml file";
    let f = write(dir.path(), "plan.mpp", &ole);
    fails(
        &f,
        &format!(
            "invalid input: 1 problem found\n  {}: a binary MS Project file (.mpp), which p80 cannot read; in MS Project use File > Save As > XML Format (*.xml) and give p80 the .xml file",
            f.display()
        ),
    );
    // The same bytes named .xml.
    let f = write(dir.path(), "plan.xml", &ole);
    fails(
        &f,
        &format!(
            "invalid input: 1 problem found\n  {}: this is {msg}",
            f.display()
        ),
    );
}

#[test]
fn ms_project_xml_in_the_wrong_encoding() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(fixture("office-move.xml")).unwrap();
    // "Office move" → "Office £move" in Windows-1252 while the file declares UTF-8.
    let at = bytes.windows(11).position(|w| w == b"Office move").unwrap();
    bytes.insert(at + 7, 0xA3);
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let f = write(dir.path(), "plan.xml", &bytes);
    fails(
        &f,
        &format!(
            "invalid input: 1 problem found\n  {}:{line}: byte 0xA3 on this line is not UTF-8; save the file as UTF-8 (or declare its encoding in the XML declaration)",
            f.display()
        ),
    );
    // Declared, it reads.
    let text =
        String::from_utf8_lossy(&bytes).replace("encoding=\"UTF-8\"", "encoding=\"windows-1252\"");
    let mut bytes = text.into_bytes();
    let at = bytes
        .windows(3)
        .position(|w| w == "\u{FFFD}".as_bytes())
        .unwrap();
    bytes.splice(at..at + 3, [0xA3]);
    let f = write(dir.path(), "declared.xml", &bytes);
    let (_, stdout) = check_rows(&f);
    assert!(stdout.starts_with("p80 check: Office £move"), "{stdout}");
}

// ---------------------------------------------------------------- speed

/// A P6 XER file of `n` activities in chains of 40 with cross links, a calendar with holidays,
/// two resources: the shape of a large real schedule.
pub fn synthetic_xer(n: usize) -> String {
    let mut s = String::from("ERMHDR\t19.12\t2027-01-04\tProject\n");
    s.push_str("%T\tPROJECT\n%F\tproj_id\tproj_short_name\tclndr_id\tplan_start_date\tlast_recalc_date\n%R\t1\tBIG\t1\t2027-01-04 08:00\t2027-01-04 08:00\n");
    s.push_str("%T\tCALENDAR\n%F\tclndr_id\tclndr_name\tday_hr_cnt\tclndr_data\n%R\t1\tStandard\t8\t(0||CalendarData()((0||DaysOfWeek()((0||1()())(0||2()((0||0(s|08:00|f|16:00)())))(0||3()((0||0(s|08:00|f|16:00)())))(0||4()((0||0(s|08:00|f|16:00)())))(0||5()((0||0(s|08:00|f|16:00)())))(0||6()((0||0(s|08:00|f|16:00)())))(0||7()())))(0||Exceptions()((0||0(d|46405)())(0||1(d|46533)())))))\n");
    s.push_str("%T\tTASK\n%F\ttask_id\tproj_id\twbs_id\tclndr_id\ttask_code\ttask_name\ttask_type\tstatus_code\tremain_drtn_hr_cnt\ttarget_drtn_hr_cnt\n");
    for i in 0..n {
        let hours = 8 * (1 + (i * 7919) % 15);
        s.push_str(&format!(
            "%R\t{}\t1\t\t1\tA{:05}\tActivity {i}\tTT_Task\tTK_NotStart\t{hours}\t{hours}\n",
            i + 1,
            i * 10
        ));
    }
    s.push_str("%T\tTASKPRED\n%F\ttask_pred_id\ttask_id\tpred_task_id\tproj_id\tpred_proj_id\tpred_type\tlag_hr_cnt\n");
    let mut k = 0;
    for i in 1..n {
        if i % 40 != 0 {
            k += 1;
            s.push_str(&format!("%R\t{k}\t{}\t{}\t1\t1\tPR_FS\t0\n", i + 1, i));
        }
        if i >= 40 && i % 3 == 0 {
            k += 1;
            let ty = ["PR_FS", "PR_SS", "PR_FF"][(i / 3) % 3];
            s.push_str(&format!("%R\t{k}\t{}\t{}\t1\t1\t{ty}\t8\n", i + 1, i - 39));
        }
    }
    s.push_str("%T\tRSRC\n%F\trsrc_id\trsrc_name\trsrc_short_name\trsrc_type\n%R\t1\tEngineer\tENG\tRT_Labor\n");
    s.push_str("%T\tRSRCRATE\n%F\trsrc_rate_id\trsrc_id\tcost_per_qty\tstart_date\n%R\t1\t1\t90\t2020-01-01 00:00\n");
    s.push_str("%T\tTASKRSRC\n%F\ttaskrsrc_id\ttask_id\trsrc_id\tremain_qty_per_hr\n");
    for i in (0..n).step_by(2) {
        s.push_str(&format!("%R\t{}\t{}\t1\t1\n", i + 1, i + 1));
    }
    s.push_str("%E\n");
    s
}

#[test]
fn a_4000_activity_xer_is_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "big.xer", synthetic_xer(4000).as_bytes());
    let started = std::time::Instant::now();
    let out = p80().arg("check").arg(&f).output().unwrap();
    let seconds = started.elapsed().as_secs_f64();
    assert!(out.status.success(), "{}", text(&out).1);
    let (stdout, _) = text(&out);
    assert!(
        stdout.starts_with("p80 check: BIG — 4000 tasks, valid\n"),
        "{}",
        &stdout[..200]
    );
    println!("p80 check on 4,000 activities (this build): {seconds:.3} s");
    let s = p80::input::read_schedule(&f, &Default::default()).unwrap();
    assert_eq!(s.project.tasks.len(), 4000);
    let links: usize = s.project.tasks.iter().map(|t| t.depends_on.len()).sum();
    let want = synthetic_xer(4000)
        .lines()
        .skip_while(|l| !l.starts_with("%T\tTASKPRED"))
        .take_while(|l| !l.starts_with("%T\tRSRC"))
        .filter(|l| l.starts_with("%R"))
        .count();
    assert_eq!(links, want);
}

// ---------------------------------------------------------------- never a panic

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn read(name: &str, bytes: &[u8]) {
        let dir = tempfile::tempdir().unwrap();
        let f = write(dir.path(), name, bytes);
        // Any outcome but a panic.
        if let Ok(s) = p80::input::read_schedule(&f, &Default::default()) {
            let _ = p80::model::validate(&s.project);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Each fixture cut anywhere, or with a byte replaced, is read or refused.
        #[test]
        fn damaged_schedule_files(which in 0usize..3, cut in 0.0f64..1.0, at in 0.0f64..1.0, byte in any::<u8>()) {
            let name = ["office-move.xml", "cafe.xer", "launch.gan"][which];
            let full = std::fs::read(fixture(name)).unwrap();
            let n = ((full.len() as f64) * cut) as usize;
            read(name, &full[..n]);
            let mut flipped = full.clone();
            let i = ((full.len() - 1) as f64 * at) as usize;
            flipped[i] = byte;
            read(name, &flipped);
        }
    }
}
