//! Every kind of bad input: p80 exits 2, names the file, the line (`file:LINE`) and the field
//! (``field `name` ``) where there is one, says what is wrong, never panics, writes no output and
//! leaves every file it was given untouched.
//!
//! Each test writes its fixtures into a fresh temporary folder and runs p80 there, so file names
//! in messages are short and exact (`tasks.csv:3`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn p80() -> Command {
    Command::cargo_bin("p80").expect("the p80 binary is built")
}

/// Every file under `dir` (recursively) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.clone(), fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// A temporary folder holding the fixture files.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `name` (inside the folder) with `bytes`; returns `self` for chaining.
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let p = self.path().join(name);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(p, bytes).unwrap();
        self
    }

    /// Runs p80 with `args` in the folder, expecting invalid input: exit 2, no panic, nothing on
    /// stdout, every file in the folder unchanged and no `out` folder. Returns stderr.
    fn run_invalid(&self, args: &[&str]) -> String {
        let before = snapshot(self.path());
        let output = p80()
            .current_dir(self.path())
            .args(args)
            .output()
            .expect("p80 runs");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(
            output.status.code(),
            Some(2),
            "p80 {args:?} should exit 2; stderr:\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "p80 {args:?} panicked:\n{stderr}"
        );
        assert!(
            output.stdout.is_empty(),
            "p80 {args:?} printed on stdout: {}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(
            stderr.starts_with("error: "),
            "p80 {args:?}: stderr should start with `error: `:\n{stderr}"
        );
        assert!(
            !self.path().join("out").exists(),
            "p80 {args:?} created the output folder"
        );
        assert!(
            !self.path().join("p80-out").exists(),
            "p80 {args:?} created the default output folder"
        );
        assert!(
            snapshot(self.path()) == before,
            "p80 {args:?} created, changed or removed a file"
        );
        stderr
    }

    /// Runs both `simulate` (with `--out out`) and `check` on `project`; both must fail as
    /// invalid input and report every line of `expected`. Returns simulate's stderr.
    fn expect_invalid(&self, project: &str, expected: &[&str]) -> String {
        let simulate =
            self.run_invalid(&["simulate", project, "--out", "out", "--iterations", "200"]);
        let check = self.run_invalid(&["check", project]);
        // Whole lines, not fragments: a message broken by a stray line continuation (a run
        // of spaces mid-sentence) or cut short must fail.
        let has_line = |text: &str, want: &str| text.lines().any(|l| l.trim() == want);
        for want in expected {
            assert!(
                has_line(&simulate, want),
                "simulate: expected the line {want:?} in stderr:\n{simulate}"
            );
            assert!(
                has_line(&check, want),
                "check: expected the line {want:?} in stderr:\n{check}"
            );
        }
        assert_eq!(
            simulate, check,
            "simulate and check should report the same problems"
        );
        simulate
    }
}

/// A bare tasks.csv with `body`, run through `simulate` and `check`.
fn tasks_csv_fails(body: &str, expected: &[&str]) -> String {
    let f = Fixture::new();
    f.file("tasks.csv", body);
    f.expect_invalid("tasks.csv", expected)
}

/// "invalid input: N problem(s) found".
fn problem_count(stderr: &str) -> usize {
    let head = stderr
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("error: invalid input: "))
        .unwrap_or_else(|| panic!("no problem count in:\n{stderr}"));
    head.split(' ').next().unwrap().parse().unwrap()
}

const HEADER: &str = "id,name,optimistic,likely,pessimistic,distribution,depends_on,resources,cost";

// ---------------------------------------------------------------------------------------------
// dependencies
// ---------------------------------------------------------------------------------------------

#[test]
fn dependency_cycle_names_every_task_on_it() {
    let stderr = tasks_csv_fails(
        "id,optimistic,likely,pessimistic,depends_on\n\
         a,1,2,3,c\n\
         b,1,2,3,a\n\
         c,1,2,3,b\n\
         d,1,2,3,a\n",
        &[
            "tasks.csv:2: field `depends_on`: dependency cycle: a -> b -> c -> a; remove one of these links",
        ],
    );
    assert_eq!(problem_count(&stderr), 1, "{stderr}");
    assert!(!stderr.contains("`d`"), "d is not on the cycle:\n{stderr}");
}

#[test]
fn dependency_cycle_out_of_file_order_and_two_cycles() {
    // Cycle 1: x -> z -> y -> x (rows not in cycle order); cycle 2: p <-> q.
    let stderr = tasks_csv_fails(
        "id,optimistic,likely,pessimistic,depends_on\n\
         start,1,1,1,\n\
         x,1,2,3,start;y\n\
         y,1,2,3,z\n\
         z,1,2,3,x\n\
         p,1,2,3,q\n\
         q,1,2,3,p\n",
        &[
            "tasks.csv:3: field `depends_on`: dependency cycle: x -> z -> y -> x; remove one of these links",
            "tasks.csv:6: field `depends_on`: dependency cycle: p -> q -> p; remove one of these links",
        ],
    );
    assert_eq!(problem_count(&stderr), 2, "{stderr}");
}

#[test]
fn unknown_predecessor_id() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic,depends_on\n\
         train,1,2,3,\n\
         eval,1,2,3,trian\n\
         ship,1,2,3,eval;zzz\n",
        &[
            "tasks.csv:3: field `depends_on`: unknown task `trian` (did you mean `train`?); use the id of a task in this file",
            "tasks.csv:4: field `depends_on`: unknown task `zzz`; use the id of a task in this file",
        ],
    );
}

#[test]
fn self_dependency() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic,depends_on\n\
         a,1,2,3,\n\
         b,1,2,3,a;b\n",
        &["tasks.csv:3: field `depends_on`: task `b` depends on itself; remove `b` from its depends_on"],
    );
}

#[test]
fn duplicate_task_id() {
    let stderr = tasks_csv_fails(
        "id,optimistic,likely,pessimistic\n\
         a,1,2,3\n\
         b,1,2,3\n\
         a,1,2,3\n",
        &["tasks.csv:4: field `id`: duplicate task id `a` (first defined on line 2); ids must be unique"],
    );
    assert_eq!(problem_count(&stderr), 1, "{stderr}");
}

#[test]
fn empty_or_malformed_task_id() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic\n\
         ,1,2,3\n\
         has space,1,2,3\n",
        &[
            "tasks.csv:2: field `id`: the id is empty; every row needs an id",
            "tasks.csv:3: field `id`: id `has space` contains ' '; ids may not contain spaces, `;`, `:`, `+` or `,`",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// estimates and numbers
// ---------------------------------------------------------------------------------------------

#[test]
fn optimistic_greater_than_likely() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic\na,5,2,9\n",
        &["tasks.csv:2: field `optimistic`: optimistic 5 is greater than likely 2; estimates must satisfy optimistic <= likely <= pessimistic"],
    );
}

#[test]
fn likely_greater_than_pessimistic() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic\na,1,5,3\n",
        &["tasks.csv:2: field `pessimistic`: pessimistic 3 is less than likely 5; estimates must satisfy optimistic <= likely <= pessimistic"],
    );
}

#[test]
fn negative_duration() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic\na,-1,2,3\n",
        &["tasks.csv:2: field `optimistic`: -1 is negative; durations are >= 0 working days"],
    );
}

#[test]
fn negative_fixed_duration() {
    tasks_csv_fails(
        "id,likely,distribution\na,-2,fixed\n",
        &["tasks.csv:2: field `optimistic`: -2 is negative; durations are >= 0 working days"],
    );
}

#[test]
fn negative_cost() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic,cost\na,1,2,3,-500\n",
        &["tasks.csv:2: field `cost`: -500 is negative; a fixed cost is >= 0"],
    );
}

#[test]
fn nan_value() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic\na,1,NaN,3\n",
        &["tasks.csv:2: field `likely`: `NaN` is not a finite number"],
    );
}

#[test]
fn infinite_value() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic\na,1,2,inf\n",
        &["tasks.csv:2: field `pessimistic`: `inf` is not a finite number"],
    );
}

#[test]
fn non_numeric_value() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic\na,1,2,ten\nb,1,\"2,5\",3\n",
        &[
            "tasks.csv:2: field `pessimistic`: `ten` is not a number; write digits with `.` for decimals, e.g. 12.5",
            "tasks.csv:3: field `likely`: `2,5` is not a number; write digits with `.` for decimals, e.g. 12.5",
        ],
    );
}

#[test]
fn missing_optimistic_or_pessimistic_on_a_pert_row() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic,distribution\na,,2,3,\nb,1,2,,triangular\n",
        &[
            "tasks.csv:2: field `optimistic`: missing; a pert estimate needs optimistic, likely and pessimistic (or set distribution to fixed, or give only likely and a risk_level: low, medium, high)",
            "tasks.csv:3: field `pessimistic`: missing; a triangular estimate needs optimistic, likely and pessimistic (or set distribution to fixed, or give only likely and a risk_level: low, medium, high)",
        ],
    );
}

#[test]
fn missing_likely_value() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic\na,1,,3\n",
        &["tasks.csv:2: field `likely`: missing the most likely duration (working days)"],
    );
}

#[test]
fn unknown_distribution_in_tasks_csv() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic,distribution\na,1,2,3,gamma\n",
        &["tasks.csv:2: field `distribution`: unknown distribution `gamma`; use one of pert, triangular, uniform, fixed, normal, lognormal, trigen"],
    );
}

#[test]
fn unknown_distribution_in_project_toml() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file(
            "project.toml",
            "[project]\ntasks = \"tasks.csv\"\ndistribution = \"gamma\"\n",
        );
    f.expect_invalid(
        "project.toml",
        &["project.toml:3: field `distribution`: unknown distribution `gamma`; use one of pert, triangular, uniform, fixed, normal, lognormal, trigen"],
    );
}

#[test]
fn bad_resource_units_on_a_task() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic,resources\na,1,2,3,ds:0\nb,1,2,3,ds:half\n",
        &[
            "tasks.csv:2: field `resources`: `ds:0`: units must be a number > 0; write `resource:units`, e.g. `ds:0.5`",
            "tasks.csv:3: field `resources`: `ds:half`: units must be a number > 0; write `resource:units`, e.g. `ds:0.5`",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// resources
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_resource_without_a_resources_file() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic,resources\na,1,2,3,ds:0.5\n",
        &[
            "tasks.csv:2: field `resources`: unknown resource `ds` (no resources file is given: name one with `resources = \"resources.csv\"` in project.toml)",
        ],
    );
}

#[test]
fn unknown_resource_with_a_resources_file() {
    let f = Fixture::new();
    f.file(
        "tasks.csv",
        "id,optimistic,likely,pessimistic,resources\na,1,2,3,ds:0.5\nb,1,2,3,dz;gpu\n",
    )
    .file("resources.csv", "id,rate\nds,700\n")
    .file(
        "project.toml",
        "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n",
    );
    let stderr = f.expect_invalid(
        "project.toml",
        &[
            "tasks.csv:3: field `resources`: unknown resource `dz` (did you mean `ds`?); use an id from the resources file",
            "tasks.csv:3: field `resources`: unknown resource `gpu`; use an id from the resources file",
        ],
    );
    assert_eq!(problem_count(&stderr), 2, "{stderr}");
}

#[test]
fn bad_resources_csv_values_are_all_reported() {
    let f = Fixture::new();
    f.file(
        "tasks.csv",
        "id,optimistic,likely,pessimistic,resources\na,1,2,3,ds\n",
    )
    .file(
        "resources.csv",
        "id,name,rate,unit,hours_per_day,capacity\n\
         ds,Data scientist,-700,day,,\n\
         gpu,GPU,32,week,24,\n\
         de,Engineer,abc,hour,30,0\n\
         ds,Again,1,,,\n",
    )
    .file(
        "project.toml",
        "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n",
    );
    let stderr = f.expect_invalid(
        "project.toml",
        &[
            "resources.csv:2: field `rate`: -700 must be >= 0",
            "resources.csv:3: field `unit`: unknown unit `week`; use `hour` or `day`",
            "resources.csv:4: field `rate`: `abc` is not a number; write digits with `.` for decimals, e.g. 12.5",
            "resources.csv:4: field `hours_per_day`: 30 is more than 24 hours",
            "resources.csv:4: field `capacity`: 0 must be > 0",
        ],
    );
    assert_eq!(problem_count(&stderr), 5, "{stderr}");
}

#[test]
fn duplicate_resource_id() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file("resources.csv", "id,rate\nds,1\nds,2\n")
        .file(
            "project.toml",
            "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n",
        );
    f.expect_invalid(
        "project.toml",
        &["resources.csv:3: field `id`: duplicate resource id `ds` (first defined on line 2); ids must be unique"],
    );
}

#[test]
fn resources_csv_missing_rate_column() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file("resources.csv", "id,cost\nds,1\n")
        .file(
            "project.toml",
            "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n",
        );
    f.expect_invalid(
        "project.toml",
        &[
            "resources.csv:1: field `rate`: required column is missing; the header needs at least: id, rate",
            "resources.csv:1: field `cost`: unknown column; known columns are id, name, rate, rate_optimistic, rate_pessimistic, unit, hours_per_day, capacity, billing, available_from, available_until; start user-note columns with `x_`",
        ],
    );
}

#[test]
fn errors_in_tasks_and_resources_files_are_reported_together() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,3,2,1\n")
        .file("resources.csv", "id,rate\nds,-1\n")
        .file(
            "project.toml",
            "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n",
        );
    let stderr = f.expect_invalid(
        "project.toml",
        &[
            "tasks.csv:2: field `optimistic`: optimistic 3 is greater than likely 2; estimates must satisfy optimistic <= likely <= pessimistic",
            "resources.csv:2: field `rate`: -1 must be >= 0",
        ],
    );
    assert_eq!(problem_count(&stderr), 2, "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// file shape
// ---------------------------------------------------------------------------------------------

#[test]
fn empty_tasks_file() {
    tasks_csv_fails("", &["tasks.csv: the file is empty; it needs a header row such as `id,name,optimistic,likely,pessimistic,depends_on`"]);
    tasks_csv_fails("  \n\n", &["tasks.csv: the file is empty; it needs a header row such as `id,name,optimistic,likely,pessimistic,depends_on`"]);
}

#[test]
fn tasks_file_with_only_a_header() {
    tasks_csv_fails(
        &format!("{HEADER}\n"),
        &["tasks.csv: the file has a header but no tasks; add one row per task"],
    );
}

#[test]
fn missing_id_column() {
    tasks_csv_fails(
        "name,optimistic,likely,pessimistic\nA,1,2,3\n",
        &["tasks.csv:1: field `id`: required column is missing; the header needs at least: id"],
    );
}

#[test]
fn missing_likely_column() {
    tasks_csv_fails(
        "id,optimistic,pessimistic\na,1,3\n",
        &["tasks.csv:1: field `likely`: required column is missing; the header needs at least: id, likely (or effort_likely for effort-driven tasks)"],
    );
}

#[test]
fn unknown_column_but_x_columns_are_accepted() {
    let stderr = tasks_csv_fails(
        "id,optimistic,likely,pessimistic,duration,x_notes,X_owner\na,1,2,3,4,hi,me\n",
        &["tasks.csv:1: field `duration`: unknown column; known columns are id, name, optimistic, likely, pessimistic, distribution, depends_on, resources, cost, type, finish_with, cost_optimistic, cost_likely, cost_pessimistic, effort_optimistic, effort_likely, effort_pessimistic, risk_level, forecast, not_before; start user-note columns with `x_`"],
    );
    assert_eq!(
        problem_count(&stderr),
        1,
        "only `duration` is wrong:\n{stderr}"
    );
    assert!(!stderr.contains("x_notes"), "{stderr}");

    // Without the unknown column the same file is valid.
    let f = Fixture::new();
    f.file(
        "tasks.csv",
        "id,optimistic,likely,pessimistic,x_notes,X_owner\na,1,2,3,hi,me\n",
    );
    p80()
        .current_dir(f.path())
        .args([
            "simulate",
            "tasks.csv",
            "--out",
            "out",
            "--iterations",
            "200",
        ])
        .assert()
        .success();
    assert!(f.path().join("out/summary.json").is_file());
}

#[test]
fn duplicate_column() {
    tasks_csv_fails(
        "id,optimistic,likely,pessimistic,Likely\na,1,2,3,2\n",
        &["tasks.csv:1: field `likely`: column appears twice; keep one"],
    );
}

#[test]
fn row_with_too_many_fields() {
    tasks_csv_fails(
        "id,name,optimistic,likely,pessimistic\na,Plan, design and build,1,2,3\n",
        &["tasks.csv:2: field `column 6`: the row has 6 fields but the header has 5; quote cells that contain commas"],
    );
}

#[test]
fn non_utf8_tasks_file() {
    let f = Fixture::new();
    f.file("tasks.csv", b"id,likely\nab\xff,3\n");
    f.expect_invalid(
        "tasks.csv",
        &[
            "tasks.csv:2: the file is not UTF-8 text (first bad byte on this line); save it as UTF-8 (in Excel: \"CSV UTF-8\")",
        ],
    );
}

#[test]
fn non_utf8_resources_file() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file("resources.csv", b"id,rate\nds,1\ncaf\xe9,2\n")
        .file(
            "project.toml",
            "[project]\ntasks = \"tasks.csv\"\nresources = \"resources.csv\"\n",
        );
    f.expect_invalid(
        "project.toml",
        &["resources.csv:3: the file is not UTF-8 text (first bad byte on this line); save it as UTF-8 (in Excel: \"CSV UTF-8\")"],
    );
}

#[test]
fn non_utf8_project_toml() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file(
            "project.toml",
            b"[project]\nname = \"Caf\xe9\"\ntasks = \"tasks.csv\"\n",
        );
    f.expect_invalid(
        "project.toml",
        &["project.toml:2: the file is not UTF-8 text (first bad byte on this line); save it as UTF-8 (in Excel: \"CSV UTF-8\")"],
    );
}

#[test]
fn line_numbers_count_blank_lines_and_crlf_line_ends() {
    // Lines as an editor shows them: blank lines count, \r\n is one line end.
    let stderr = tasks_csv_fails(
        "id,optimistic,likely,pessimistic\r\n\r\n\r\na,3,2,1\r\nb,1,2,3\r\n\r\nc,1,5,3\r\n",
        &[
            "tasks.csv:4: field `optimistic`: optimistic 3 is greater than likely 2; estimates must satisfy optimistic <= likely <= pessimistic",
            "tasks.csv:7: field `pessimistic`: pessimistic 3 is less than likely 5; estimates must satisfy optimistic <= likely <= pessimistic",
        ],
    );
    assert_eq!(problem_count(&stderr), 2, "{stderr}");
    tasks_csv_fails(
        "\u{feff}id,optimistic,likely,pessimistic\n\n a , 3 , 2 , 1 \n",
        &["tasks.csv:3: field `optimistic`: optimistic 3 is greater than likely 2; estimates must satisfy optimistic <= likely <= pessimistic"],
    );
}

#[test]
fn line_numbers_count_line_breaks_inside_quoted_cells() {
    tasks_csv_fails(
        "id,name,optimistic,likely,pessimistic\n\
         a,\"two\nlines\",1,2,3\n\
         \n\
         b,\"x\",3,2,1\n",
        &["tasks.csv:5: field `optimistic`: optimistic 3 is greater than likely 2; estimates must satisfy optimistic <= likely <= pessimistic"],
    );
}

#[test]
fn missing_tasks_file() {
    let f = Fixture::new();
    f.expect_invalid("nope.csv", &["nope.csv: file not found; check the path (paths in project.toml are relative to the project file)"]);
}

#[test]
fn missing_tasks_file_named_in_project_toml() {
    let f = Fixture::new();
    f.file(
        "project.toml",
        "[project]\nname = \"X\"\ntasks = \"plan/tasks.csv\"\n",
    );
    f.expect_invalid(
        "project.toml",
        &["project.toml:3: field `tasks`: plan/tasks.csv: file not found; check the path (paths in project.toml are relative to the project file)"],
    );
}

#[test]
fn missing_resources_file_named_in_project_toml() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file(
            "project.toml",
            "[project]\ntasks = \"tasks.csv\"\nresources = \"people.csv\"\n",
        );
    f.expect_invalid(
        "project.toml",
        &["project.toml:3: field `resources`: people.csv: file not found; check the path (paths in project.toml are relative to the project file)"],
    );
}

#[test]
fn missing_project_toml() {
    let f = Fixture::new();
    f.expect_invalid("project.toml", &["project.toml: file not found; check the path (paths in project.toml are relative to the project file)"]);
}

#[test]
fn project_is_a_directory() {
    let f = Fixture::new();
    fs::create_dir(f.path().join("plan.csv")).unwrap();
    f.expect_invalid("plan.csv", &["plan.csv: is a directory; name a file"]);
}

// ---------------------------------------------------------------------------------------------
// project.toml
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_key_in_project_toml() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file(
            "project.toml",
            "[project]\ntasks = \"tasks.csv\"\n\n[simulation]\niterations = 100\nsede = 3\n",
        );
    f.expect_invalid(
        "project.toml",
        &[
            "project.toml:6: field `sede`: unknown field `sede`, expected one of `iterations`, `seed`, `confidence`, `threads`, `sampling`, `strict_correlation`, `level`, `level_improve`; remove it or check its spelling (see docs/format.md)",
        ],
    );
}

#[test]
fn unknown_section_in_project_toml() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file(
            "project.toml",
            "[project]\ntasks = \"tasks.csv\"\n[output]\ndir = \"x\"\n",
        );
    f.expect_invalid(
        "project.toml",
        &["project.toml:3: field `output`: unknown field `output`, expected one of `project`, `simulation`, `calendar`, `correlation`, `risk_levels`, `scenario`, `forecast`, `import`; remove it or check its spelling (see docs/format.md)"],
    );
}

#[test]
fn project_toml_without_tasks() {
    let f = Fixture::new();
    f.file("project.toml", "[project]\nname = \"X\"\n");
    f.expect_invalid(
        "project.toml",
        &["project.toml:1: field `tasks`: missing field `tasks`; name the tasks file, e.g. tasks = \"tasks.csv\" (or a schedule: schedule = \"plan.xml\", an MS Project XML, Primavera XER or GanttProject file)"],
    );
}

#[test]
fn project_toml_value_of_the_wrong_type() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file(
            "project.toml",
            "[project]\ntasks = \"tasks.csv\"\n[simulation]\niterations = \"many\"\n",
        );
    f.expect_invalid(
        "project.toml",
        &["project.toml:4: field `iterations`: \"many\" must be at least 1, or \"auto\""],
    );
}

#[test]
fn project_toml_syntax_error() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file("project.toml", "[project]\ntasks = \"tasks.csv\n");
    f.expect_invalid(
        "project.toml",
        &["project.toml:2: field `tasks`: invalid basic string, expected `\"`"],
    );
}

#[test]
fn bad_settings_in_project_toml_are_all_reported() {
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file(
            "project.toml",
            "[project]\ntasks = \"tasks.csv\"\n\n[simulation]\niterations = 0\nseed = -4\nconfidence = 1.5\nthreads = 0\n",
        );
    let stderr = f.expect_invalid(
        "project.toml",
        &[
            "project.toml:5: field `iterations`: 0 must be at least 1, or \"auto\"",
            "project.toml:6: field `seed`: -4 must be at least 0",
            "project.toml:7: field `confidence`: 1.5 is not between 0 and 1 (exclusive); write 0.8 for P80",
            "project.toml:8: field `threads`: 0 must be at least 1",
        ],
    );
    assert_eq!(problem_count(&stderr), 4, "{stderr}");
}

#[test]
fn project_toml_errors_name_the_file_wherever_it_is() {
    // An absolute path and a project in a sub-folder: messages carry the path as given.
    let f = Fixture::new();
    f.file(
        "plans/x/tasks.csv",
        "id,optimistic,likely,pessimistic\na,3,2,1\n",
    )
    .file("plans/x/project.toml", "[project]\ntasks = \"tasks.csv\"\n");
    let abs = f.path().join("plans/x/project.toml");
    let stderr = f.expect_invalid(
        abs.to_str().unwrap(),
        &[&format!(
            "{}:2: field `optimistic`: optimistic 3 is greater than likely 2; estimates must \
             satisfy optimistic <= likely <= pessimistic",
            f.path().join("plans/x/tasks.csv").display()
        )],
    );
    assert_eq!(problem_count(&stderr), 1);
}

// ---------------------------------------------------------------------------------------------
// all at once, and no output on error
// ---------------------------------------------------------------------------------------------

#[test]
fn every_error_in_a_file_is_reported_at_once() {
    let stderr = tasks_csv_fails(
        "id,optimistic,likely,pessimistic,distribution\n\
         ok1,1,2,3,\n\
         a,1,x,3,\n\
         ok2,1,2,3,\n\
         b,5,2,3,\n\
         c,1,2,3,gamma\n",
        &[
            "error: invalid input: 3 problems found",
            "tasks.csv:3: field `likely`: `x` is not a number; write digits with `.` for decimals, e.g. 12.5",
            "tasks.csv:5: field `optimistic`: optimistic 5 is greater than likely 2; estimates must satisfy optimistic <= likely <= pessimistic",
            "tasks.csv:6: field `distribution`: unknown distribution `gamma`; use one of pert, triangular, uniform, fixed, normal, lognormal, trigen",
        ],
    );
    assert_eq!(problem_count(&stderr), 3, "{stderr}");
    let listed = stderr
        .lines()
        .filter(|l| l.starts_with("  tasks.csv:"))
        .count();
    assert_eq!(listed, 3, "one line per problem:\n{stderr}");
}

#[test]
fn several_problems_on_one_row_are_all_reported() {
    let stderr = tasks_csv_fails(
        "id,optimistic,likely,pessimistic,resources,cost\nbad id,1,two,3,ds:-1,-5\n",
        &[
            "tasks.csv:2: field `id`: id `bad id` contains ' '; ids may not contain spaces, `;`, `:`, `+` or `,`",
            "tasks.csv:2: field `likely`: `two` is not a number; write digits with `.` for decimals, e.g. 12.5",
            "tasks.csv:2: field `resources`: `ds:-1`: units must be a number > 0; write `resource:units`, e.g. `ds:0.5`",
            "tasks.csv:2: field `cost`: -5 is negative; a fixed cost is >= 0",
        ],
    );
    assert_eq!(problem_count(&stderr), 4, "{stderr}");
}

#[test]
fn many_problems_are_summarised_after_fifty() {
    let mut body = String::from("id,optimistic,likely,pessimistic\n");
    for i in 0..60 {
        body.push_str(&format!("t{i},1,x,3\n"));
    }
    let stderr = tasks_csv_fails(
        &body,
        &["error: invalid input: 60 problems found", "… and 10 more"],
    );
    assert!(stderr.contains("tasks.csv:51: field `likely`"), "{stderr}");
    assert!(!stderr.contains("tasks.csv:52:"), "{stderr}");
}

#[test]
fn failed_run_leaves_an_existing_output_folder_untouched() {
    let f = Fixture::new();
    f.file(
        "tasks.csv",
        "id,optimistic,likely,pessimistic,depends_on\na,1,2,3,b\nb,1,2,3,a\n",
    )
    .file("old/summary.json", "{\"iterations\": 1}\n")
    .file("old/notes.txt", "mine\n");
    let before = snapshot(f.path());
    let output = p80()
        .current_dir(f.path())
        .args([
            "simulate",
            "tasks.csv",
            "--out",
            "old",
            "--iterations",
            "200",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("dependency cycle: a -> b -> a"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    assert_eq!(
        fs::read(f.path().join("old/summary.json")).unwrap(),
        b"{\"iterations\": 1}\n"
    );
    assert!(
        snapshot(f.path()) == before,
        "a file was created or changed"
    );
}

#[test]
fn usage_error_after_valid_input_writes_nothing() {
    // The input is fine; the settings are not. Nothing is simulated or written.
    let f = Fixture::new();
    f.file("tasks.csv", "id,optimistic,likely,pessimistic\na,1,2,3\n")
        .file("out/summary.json", "old\n");
    let before = snapshot(f.path());
    let output = p80()
        .current_dir(f.path())
        .args([
            "simulate",
            "tasks.csv",
            "--out",
            "out",
            "--confidence",
            "1.5",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--confidence 1.5 is not between 0 and 1"),
        "{stderr}"
    );
    assert!(snapshot(f.path()) == before);
}

#[test]
fn refuses_to_write_over_an_input_file() {
    // A bare tasks file literally named summary.csv, and --out its own folder.
    let f = Fixture::new();
    f.file(
        "summary.csv",
        "id,optimistic,likely,pessimistic\na,1,2,3\nb,2,3,4\n",
    );
    let before = snapshot(f.path());
    let output = p80()
        .current_dir(f.path())
        .args([
            "simulate",
            "summary.csv",
            "--out",
            ".",
            "--iterations",
            "200",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("refusing to overwrite input file"),
        "{stderr}"
    );
    assert!(stderr.contains("summary.csv"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    assert!(
        snapshot(f.path()) == before,
        "the input or the folder changed"
    );

    // Same with an absolute --out spelled differently.
    let output = p80()
        .current_dir(f.path())
        .arg("simulate")
        .arg(f.path().join("summary.csv"))
        .arg("--out")
        .arg(f.path().join("sub/.."))
        .args(["--iterations", "200"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(snapshot(f.path()) == before);
}

#[test]
fn refuses_to_write_over_a_resources_file_named_in_project_toml() {
    let f = Fixture::new();
    f.file(
        "tasks.csv",
        "id,optimistic,likely,pessimistic,resources\na,1,2,3,ds\n",
    )
    .file("task_stats.csv", "id,rate\nds,100\n")
    .file(
        "project.toml",
        "[project]\ntasks = \"tasks.csv\"\nresources = \"task_stats.csv\"\n",
    );
    let before = snapshot(f.path());
    let output = p80()
        .current_dir(f.path())
        .args([
            "simulate",
            "project.toml",
            "--out",
            ".",
            "--iterations",
            "200",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("refusing to overwrite input file"),
        "{stderr}"
    );
    assert!(stderr.contains("task_stats.csv"), "{stderr}");
    assert!(snapshot(f.path()) == before);
}
