//! The short human summary printed on stdout, and the `p80 check` schedule listing.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use crate::engine::Schedule;
use crate::model::Project;
use crate::stats::Report;

/// Formats `x` with thousands separators and `decimals` decimals: 1234567.8 → "1,234,567.8".
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    if x < 0.0 && out.chars().any(|c| c != '0' && c != '.' && c != ',') {
        out.insert(0, '-');
    }
    out
}

fn money(currency: &str, x: f64) -> String {
    if currency.is_empty() {
        thousands(x, 0)
    } else {
        format!("{currency} {}", thousands(x, 0))
    }
}

/// The summary printed after `p80 simulate`.
pub fn simulate_summary(r: &Report, written: &[PathBuf], threads: usize, seconds: f64) -> String {
    let c = r.confidence_label();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "p80: {} — {} iterations, seed {}, {} thread{}, {:.2} s",
        r.project,
        thousands(r.iterations as f64, 0),
        r.seed,
        threads,
        if threads == 1 { "" } else { "s" },
        seconds
    );
    let cost_unit = if r.currency.is_empty() {
        "Cost".to_string()
    } else {
        format!("Cost ({})", r.currency)
    };
    let ps = [50u32, 80, 90];
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "{:<24}{:>12}{:>12}{:>12}{:>12}",
        "", "plan", "P50", "P80", "P90"
    );
    let d = &r.duration;
    let _ = write!(
        s,
        "{:<24}{:>12}",
        "Duration (working days)",
        thousands(d.deterministic, 1)
    );
    for p in ps {
        let _ = write!(s, "{:>12}", thousands(d.p(p).unwrap_or(f64::NAN), 1));
    }
    let _ = writeln!(s);
    let k = &r.cost;
    let _ = write!(s, "{:<24}{:>12}", cost_unit, thousands(k.deterministic, 0));
    for p in ps {
        let _ = write!(s, "{:>12}", thousands(k.p(p).unwrap_or(f64::NAN), 0));
    }
    let _ = writeln!(s);
    let _ = writeln!(s);
    let on_time =
        crate::stats::percentile::fraction_at_or_below(&r.sorted_durations, d.deterministic);
    let _ = writeln!(
        s,
        "The plan's {} working days are met in {:.0}% of iterations.",
        thousands(d.deterministic, 1),
        on_time * 100.0
    );
    let _ = writeln!(
        s,
        "At {c} ({:.0}% confidence) hold a schedule buffer of {} working days ({} in all)",
        r.confidence * 100.0,
        thousands(r.buffer.schedule_days, 1),
        thousands(d.at_confidence, 1)
    );
    let _ = writeln!(
        s,
        "and a cost reserve of {} ({} in all).",
        money(&r.currency, r.buffer.cost_reserve),
        money(&r.currency, k.at_confidence)
    );
    let mut top: Vec<_> = r.tasks.iter().filter(|t| t.criticality > 0.0).collect();
    top.sort_by(|a, b| {
        b.criticality
            .total_cmp(&a.criticality)
            .then_with(|| a.id.cmp(&b.id))
    });
    if !top.is_empty() {
        let list: Vec<String> = top
            .iter()
            .take(5)
            .map(|t| format!("{} {:.0}%", t.id, t.criticality * 100.0))
            .collect();
        let _ = writeln!(s, "Most often critical: {}", list.join(", "));
    }
    if let Some(dir) = written.first().and_then(|p| p.parent()) {
        let names: Vec<String> = written
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        let _ = writeln!(s, "Wrote {} to {}", names.join(", "), display_dir(dir));
    }
    s
}

fn display_dir(dir: &Path) -> String {
    let d = dir.display().to_string();
    if d.is_empty() {
        ".".into()
    } else {
        d
    }
}

/// The listing printed by `p80 check`: every task's early dates and float, the critical path,
/// and the deterministic duration and cost.
pub fn check_listing(project: &Project, sched: &Schedule) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "p80 check: {} — {} tasks, valid",
        project.name,
        project.tasks.len()
    );
    let _ = writeln!(s);
    let w = project
        .tasks
        .iter()
        .map(|t| t.id.chars().count())
        .max()
        .unwrap_or(2)
        .max(4);
    let _ = writeln!(
        s,
        "{:<w$}  {:>8}  {:>8}  {:>8}  {:>8}  critical",
        "task", "likely", "start", "finish", "float"
    );
    for (i, t) in project.tasks.iter().enumerate() {
        let _ = writeln!(
            s,
            "{:<w$}  {:>8}  {:>8}  {:>8}  {:>8}  {}",
            t.id,
            thousands(t.estimate.likely, 1),
            thousands(sched.early_start[i], 1),
            thousands(sched.early_finish[i], 1),
            thousands(sched.total_float[i], 1),
            if sched.critical[i] { "*" } else { "" }
        );
    }
    let _ = writeln!(s);
    let path: Vec<&str> = sched
        .critical_path
        .iter()
        .map(|&i| project.tasks[i].id.as_str())
        .collect();
    let _ = writeln!(s, "Critical path: {}", path.join(" -> "));
    let _ = writeln!(
        s,
        "Deterministic duration: {} working days",
        thousands(sched.duration, 1)
    );
    let _ = writeln!(
        s,
        "Deterministic cost: {}",
        money(&project.currency, sched.cost)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(1234567.849, 1), "1,234,567.8");
        assert_eq!(thousands(999.0, 0), "999");
        assert_eq!(thousands(-1500.0, 0), "-1,500");
        assert_eq!(thousands(-0.01, 1), "0.0");
    }
}
