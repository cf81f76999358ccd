//! `report.html` in a real browser: headless Chromium opens it from disk with the network
//! blocked, and the test fails on any console message, on any image that did not decode (the
//! page's own script writes `#p80-check` after loading), and on any key number that differs
//! from `summary.json`. Skips with a message when Chromium is not installed (`.ci/run`
//! installs it).

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

/// The Chromium binary, if installed.
fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// Runs headless Chromium on `page` with `extra` flags; returns (stdout, stderr).
fn run_chromium(bin: &Path, profile: &Path, page: &Path, extra: &[&str]) -> (String, String) {
    let out = Process::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            // The network off: no proxy answers and no name resolves.
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(out.status.success(), "chromium failed: {out:?}");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every `data-key="K">TEXT<` in the DOM, in order.
fn tagged(dom: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = dom;
    while let Some(i) = rest.find("data-key=\"") {
        rest = &rest[i + 10..];
        let Some(q) = rest.find('"') else { break };
        let key = rest[..q].to_string();
        let Some(gt) = rest.find('>') else { break };
        let Some(lt) = rest[gt..].find('<') else {
            break;
        };
        let text = rest[gt + 1..gt + lt].to_string();
        out.push((key, text.replace("&amp;", "&")));
        rest = &rest[gt + lt..];
    }
    out
}

/// The value at a dotted path of summary.json.
fn at<'v>(v: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(v, |v, k| &v[k])
}

/// Whether the text shown equals the file's value: dates and strings exactly; numbers to the
/// precision shown (half a unit of the last digit shown), percents to half a percent.
fn same(text: &str, value: &Value) -> bool {
    match value {
        Value::String(s) => s == text,
        Value::Number(n) => {
            let v = n.as_f64().unwrap();
            let digits: String = text
                .chars()
                .filter(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '%'))
                .collect();
            let (digits, scale) = match digits.strip_suffix('%') {
                Some(d) => (d.to_string(), 100.0),
                None => (digits, 1.0),
            };
            let decimals = digits.split_once('.').map_or(0, |(_, f)| f.len());
            let shown: f64 = digits.parse().unwrap_or(f64::NAN);
            (shown - v * scale).abs() <= 0.5 * 10f64.powi(-(decimals as i32)) + 1e-9
        }
        _ => false,
    }
}

#[test]
fn the_report_opens_offline_in_chromium_with_every_image_and_the_summary_numbers() {
    let Some(bin) = chromium() else {
        eprintln!(
            "SKIPPED: chromium is not installed (apt-get install -y chromium; .ci/run does it)"
        );
        return;
    };
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    Command::cargo_bin("p80")
        .unwrap()
        .args([
            "report",
            "data/dl-project/project.toml",
            "-n",
            "2000",
            "-q",
            "--drivers",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(0);
    let page = out.join("report.html");
    let (dom, log) = run_chromium(&bin, &d.path().join("profile"), &page, &["--dump-dom"]);

    // The page's script ran after loading and every image decoded.
    let check = dom
        .find("id=\"p80-check\"")
        .map(|i| &dom[dom[..i].rfind('<').unwrap()..i + dom[i..].find('>').unwrap()])
        .expect("the page's check marker (its script did not run)");
    // Gantt, duration, cost, tornado and scatter.
    assert!(check.contains("data-images=\"5\""), "{check}");
    assert!(
        check.contains("data-broken=\"\""),
        "images that did not decode: {check}"
    );
    // Nothing on the console (errors, CSP violations, failed requests).
    let console: Vec<&str> = log.lines().filter(|l| l.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");

    // The sections a sponsor reads, the scenarios of project.toml among them.
    for section in [
        "Percentiles",
        "Timeline with the buffer",
        "Milestones",
        "Resources",
        "Scenarios",
        "Top drivers",
        "Schedule health check",
        "Assumptions",
    ] {
        assert!(
            dom.contains(&format!("<h2>{section}</h2>")),
            "no {section} section"
        );
    }
    assert!(dom.contains("second data engineer"));

    // Key numbers equal summary.json's.
    let summary: Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    let numbers = tagged(&dom);
    assert!(numbers.len() >= 25, "only {} tagged numbers", numbers.len());
    for (key, text) in &numbers {
        let value = at(&summary, key);
        assert!(!value.is_null(), "{key} is not in summary.json");
        assert!(
            same(text, value),
            "{key}: page shows {text:?}, summary.json has {value}"
        );
    }

    // A phone-sized screenshot renders (people look at docs/screenshot.sh's).
    let shot = d.path().join("phone.png");
    run_chromium(
        &bin,
        &d.path().join("profile2"),
        &page,
        &[
            "--window-size=390,844",
            &format!("--screenshot={}", shot.display()),
        ],
    );
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[1..4], b"PNG");
}

#[test]
fn the_comparison_reads_numbers_to_the_precision_shown() {
    assert!(same("118.9", &serde_json::json!(118.949529)));
    assert!(!same("118.8", &serde_json::json!(118.949529)));
    assert!(same("USD 161,664", &serde_json::json!(161_663.7)));
    assert!(same("92%", &serde_json::json!(0.9169)));
    assert!(!same("91%", &serde_json::json!(0.9169)));
    assert!(same("2027-06-23", &serde_json::json!("2027-06-23")));
    assert_eq!(
        tagged("<p><span class=\"num\" data-key=\"a.b\">1,234</span> x</p>"),
        [("a.b".to_string(), "1,234".to_string())]
    );
}

/// The files in `dir`, sorted, with their bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn report_writes_what_simulate_with_drivers_writes_plus_report_html_for_any_thread_count() {
    let d = tempfile::tempdir().unwrap();
    let run = |cmd: &[&str], threads: &str| {
        let out = d.path().join(format!("{}{threads}", cmd.join("")));
        Command::cargo_bin("p80")
            .unwrap()
            .args(cmd)
            .args(["data/dl-project/project.toml", "-n", "500", "-q"])
            .args(["--threads", threads, "-o"])
            .arg(&out)
            .assert()
            .code(0);
        files(&out)
    };
    // `report` is `simulate --drivers` (its tornado and per-task finishes) plus report.html.
    let simulated = run(&["simulate", "--drivers"], "2");
    let one = run(&["report"], "1");
    let two = run(&["report"], "2");
    assert_eq!(
        one, two,
        "report.html and the rest differ between 1 and 2 threads"
    );
    let (html, rest): (Vec<_>, Vec<_>) = two.into_iter().partition(|(n, _)| n == "report.html");
    assert_eq!(rest, simulated);
    assert_eq!(html.len(), 1);
    assert!(html[0].1.starts_with(b"<!DOCTYPE html>"));
}
