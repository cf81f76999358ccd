//! `report.html` (`p80 report`): the risk section of the playbook as one self-contained page:
//! styles inline, charts embedded as base64 PNG data URIs, no request to any network (a
//! Content-Security-Policy forbids them), print CSS for A4 and a layout that reads on a phone.
//! It only formats the [`Report`]; the charts are the same artefacts `p80 simulate` writes.
//!
//! Key numbers carry `data-key` attributes naming their `summary.json` path (e.g.
//! `duration.percentiles.p80`) so that a test can check the page against the file. A small
//! inline script marks, after loading, how many images decoded (`#p80-check`).

use std::fmt::Write;

use base64::Engine;

use super::distribution_chart::{CostChart, DurationChart};
use super::format::{confidence_label, health_status, health_threshold, money, percent, thousands};
use super::gantt_chart::GanttChart;
use super::Artefact;
use crate::error::Result;
use crate::model::Sampling;
use crate::stats::Report;

/// Writes `report.html`.
pub struct HtmlReport;

/// HTML-escapes text for element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A key number: `<span data-key="key">text</span>`.
fn key(k: &str, text: &str) -> String {
    format!(
        "<span class=\"num\" data-key=\"{}\">{}</span>",
        esc(k),
        esc(text)
    )
}

/// An embedded PNG.
fn image(png: &[u8], alt: &str) -> String {
    format!(
        "<img src=\"data:image/png;base64,{}\" alt=\"{}\">",
        base64::engine::general_purpose::STANDARD.encode(png),
        esc(alt)
    )
}

const STYLE: &str = r#"
:root { --ink: #191919; --muted: #555; --line: #e4e4e4; --accent: #cd3c14; --blue: #162d73; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 1000px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.7em; margin: 0.2em 0 0.1em; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 2px solid var(--line); }
p.sub { color: var(--muted); margin: 0 0 1em; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-left: 5px solid var(--blue); border-radius: 6px; padding: 10px 12px; }
.card.risk { border-left-color: var(--accent); }
.card .label { color: var(--muted); font-size: 0.85em; }
.card .value { font-size: 1.35em; font-weight: bold; }
.card .value small { font-size: 0.6em; font-weight: normal; }
.card .value .num { white-space: nowrap; }
.card .note { color: var(--muted); font-size: 0.85em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
td.text, th.text { text-align: left; white-space: normal; }
thead th { background: #f6f6f6; }
img { max-width: 100%; height: auto; display: block; margin: 8px 0; }
.warning { color: var(--accent); font-weight: bold; }
ul { padding-left: 1.2em; }
footer { color: var(--muted); font-size: 0.85em; margin: 2em 0 1em; }
@media (max-width: 600px) { body { font-size: 15px; } main { padding: 10px; } h1 { font-size: 1.35em; } }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  section, figure, table, .card { break-inside: avoid; }
  h2 { break-after: avoid; }
  img { max-height: 240mm; object-fit: contain; }
  .cards { grid-template-columns: repeat(3, 1fr); }
}
"#;

const SCRIPT: &str = r#"
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !i.complete || i.naturalWidth === 0; })
    .map(function (i) { return i.alt; });
  var m = document.createElement('div');
  m.id = 'p80-check';
  m.hidden = true;
  m.setAttribute('data-images', String(imgs.length));
  m.setAttribute('data-broken', broken.join('|'));
  document.body.appendChild(m);
});
"#;

impl Artefact for HtmlReport {
    fn file_name(&self) -> &'static str {
        "report.html"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let gantt = GanttChart.render(r)?;
        let duration = DurationChart.render(r)?;
        let cost = CostChart.render(r)?;
        // The drivers (`p80 report` always measures them): the tornado and the finish × cost
        // scatter.
        let drivers = match r.drivers {
            Some(_) => Some((
                super::tornado_chart::TornadoChart.render(r)?,
                super::scatter_chart::ScatterChart.render(r)?,
            )),
            None => None,
        };
        Ok(page(r, &gantt, &duration, &cost, drivers.as_ref()).into_bytes())
    }
}

/// The whole page, given the charts' PNG bytes.
fn page(
    r: &Report,
    gantt: &[u8],
    duration: &[u8],
    cost: &[u8],
    drivers: Option<&(Vec<u8>, Vec<u8>)>,
) -> String {
    let c = confidence_label(r.confidence);
    let cur = &r.currency;
    let d = &r.duration;
    let k = &r.cost;
    let fd = r.finish_date.as_ref();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <title>Schedule and cost risk: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&r.project)
    );
    let _ = write!(
        h,
        "<h1>Schedule and cost risk: {}</h1>\n<p class=\"sub\">Monte Carlo simulation of the \
         plan: {} iterations, seed {}, {} sampling, confidence level {c}. Written by p80 {}.</p>\n",
        esc(&r.project),
        key("iterations", &thousands(r.iterations as f64, 0)),
        key("seed", &r.seed.to_string()),
        match r.sampling {
            Sampling::Random => "plain Monte Carlo",
            Sampling::LatinHypercube => "Latin hypercube",
        },
        env!("CARGO_PKG_VERSION")
    );

    // The first screen: the answer.
    h.push_str("<section>\n<div class=\"cards\">\n");
    let card = |h: &mut String, class: &str, label: &str, value: String, note: String| {
        let _ = writeln!(
            h,
            "<div class=\"card {class}\"><div class=\"label\">{}</div><div class=\"value\">{value}</div><div class=\"note\">{note}</div></div>",
            esc(label)
        );
    };
    let conf_dur_key = "duration.at_confidence";
    match fd {
        Some(f) => {
            card(
                &mut h,
                "risk",
                &format!("Finish at {c}"),
                key("finish_date.at_confidence", &f.at_confidence.to_string()),
                format!(
                    "{} working days; the plan says {}",
                    key(conf_dur_key, &thousands(d.at_confidence, 1)),
                    key("finish_date.deterministic", &f.deterministic.to_string())
                ),
            );
        }
        None => card(
            &mut h,
            "risk",
            &format!("Duration at {c}"),
            format!(
                "{} <small>working days</small>",
                key(conf_dur_key, &thousands(d.at_confidence, 1))
            ),
            format!(
                "the plan says {} working days",
                key("duration.deterministic", &thousands(d.deterministic, 1))
            ),
        ),
    }
    card(
        &mut h,
        "",
        "Schedule buffer",
        format!(
            "{} <small>working days</small>",
            key(
                "buffer.schedule_days",
                &thousands(r.buffer.schedule_days, 1)
            )
        ),
        format!("to add to the plan to finish by {c}"),
    );
    card(
        &mut h,
        "risk",
        &format!("Cost at {c}"),
        key("cost.at_confidence", &money(cur, k.at_confidence)),
        format!(
            "the plan says {}",
            key("cost.deterministic", &money(cur, k.deterministic))
        ),
    );
    card(
        &mut h,
        "",
        "Cost reserve",
        key("buffer.cost_reserve", &money(cur, r.buffer.cost_reserve)),
        format!("to add to the plan's cost for {c}"),
    );
    if let Some(dl) = &r.deadline {
        card(
            &mut h,
            "risk",
            &format!("Chance of meeting the deadline {}", dl.date),
            key("deadline.probability", &percent(dl.probability)),
            format!("of iterations finish on or before {}", dl.date),
        );
    }
    if let Some(b) = &r.budget {
        card(
            &mut h,
            "risk",
            &format!("Chance of staying within {}", money(cur, b.amount)),
            key("budget.probability", &percent(b.probability)),
            "of iterations cost at most the budget".into(),
        );
    }
    card(
        &mut h,
        "",
        "Chance of the plan as written",
        esc(&percent(d.at_or_below_plan)),
        "of iterations finish within the plan's duration".into(),
    );
    if let Some(sp) = &r.sprints {
        let label = |n: i64| {
            if n >= 1 {
                format!(
                    "<small>end of sprint</small> {}",
                    key("sprints.at_confidence", &n.to_string())
                )
            } else {
                "before sprint 1".into()
            }
        };
        card(
            &mut h,
            "",
            &format!(
                "{c} in sprints of {} working days",
                super::format::sprint_days(sp.length)
            ),
            label(sp.at_confidence.number),
            match sp.at_confidence.end_date {
                Some(e) => format!("sprint ends {e}"),
                None => String::new(),
            },
        );
    }
    h.push_str("</div>\n</section>\n");

    // The P-table.
    h.push_str("<section>\n<h2>Percentiles</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th></th><th>plan</th>");
    let ps = [10u32, 50, 80, 90];
    for p in ps {
        let _ = write!(h, "<th>P{p}</th>");
    }
    h.push_str("<th>mean</th></tr></thead>\n<tbody>\n");
    let _ = write!(
        h,
        "<tr><td>Duration (working days)</td><td>{}</td>",
        key("duration.deterministic", &thousands(d.deterministic, 1))
    );
    for p in ps {
        let v = d.p(p).unwrap_or(f64::NAN);
        let _ = write!(
            h,
            "<td>{}</td>",
            key(&format!("duration.percentiles.p{p}"), &thousands(v, 1))
        );
    }
    let _ = writeln!(
        h,
        "<td>{}</td></tr>",
        key("duration.mean", &thousands(d.mean, 1))
    );
    if let Some(f) = fd {
        let _ = write!(
            h,
            "<tr><td>Finish date</td><td>{}</td>",
            key("finish_date.deterministic", &f.deterministic.to_string())
        );
        for p in ps {
            let v = f.p(p).map_or_else(String::new, |x| x.to_string());
            let _ = write!(
                h,
                "<td>{}</td>",
                key(&format!("finish_date.percentiles.p{p}"), &v)
            );
        }
        h.push_str("<td></td></tr>\n");
    }
    if let Some(sp) = &r.sprints {
        let _ = write!(
            h,
            "<tr><td>Finish sprint</td><td>{}</td>",
            key(
                "sprints.deterministic",
                &sp.deterministic.number.to_string()
            )
        );
        for p in ps {
            let v = sp.p(p).map_or_else(String::new, |x| x.number.to_string());
            let _ = write!(
                h,
                "<td>{}</td>",
                key(&format!("sprints.percentiles.p{p}"), &v)
            );
        }
        h.push_str("<td></td></tr>\n");
    }
    let cost_label = if cur.is_empty() {
        "Cost".to_string()
    } else {
        format!("Cost ({cur})")
    };
    let _ = write!(
        h,
        "<tr><td>{}</td><td>{}</td>",
        esc(&cost_label),
        key("cost.deterministic", &thousands(k.deterministic, 0))
    );
    for p in ps {
        let v = k.p(p).unwrap_or(f64::NAN);
        let _ = write!(
            h,
            "<td>{}</td>",
            key(&format!("cost.percentiles.p{p}"), &thousands(v, 0))
        );
    }
    let _ = writeln!(
        h,
        "<td>{}</td></tr>",
        key("cost.mean", &thousands(k.mean, 0))
    );
    h.push_str("</tbody></table></div>\n");
    let se = |s: &crate::stats::Summary| {
        s.percentile_se
            .iter()
            .find(|(q, _)| *q == 80)
            .map_or(s.at_confidence_se, |(_, v)| *v)
    };
    let _ = write!(
        h,
        "<p class=\"sub\">Monte Carlo standard errors: P80 duration ± {} working days, P80 cost ± \
         {}, mean duration ± {} working days ({} iterations).</p>\n</section>\n",
        thousands(se(d), 2),
        esc(&money(cur, se(k))),
        thousands(d.mean_se, 2),
        thousands(r.iterations as f64, 0)
    );

    // Charts.
    let _ = write!(
        h,
        "<section>\n<h2>Timeline with the buffer</h2>\n<figure>{}</figure>\n</section>\n",
        image(gantt, "Gantt chart with the schedule buffer")
    );
    let _ = write!(
        h,
        "<section>\n<h2>Duration</h2>\n<figure>{}</figure>\n</section>\n\
         <section>\n<h2>Cost</h2>\n<figure>{}</figure>\n</section>\n",
        image(duration, "Distribution of the project duration"),
        image(cost, "Distribution of the project cost")
    );

    // Drivers (`--drivers`): the tornado, the top drivers and the joint confidence.
    if let (Some(dr), Some((tornado, scatter))) = (&r.drivers, drivers) {
        let _ = writeln!(
            h,
            "<section>\n<h2>Top drivers</h2>\n<figure>{}</figure>\n<div class=\"scroll\"><table>\n\
             <thead><tr><th>task</th><th class=\"text\">name</th><th>sensitivity</th>\
             <th>critical</th><th>P50 finish</th><th>P80 finish</th></tr></thead>\n<tbody>",
            image(tornado, "Tornado: what drives the duration")
        );
        for &i in dr.sensitivity_ranking.iter().take(10) {
            let (t, d) = (&r.tasks[i], &dr.tasks[i]);
            let (f50, f80) = match d.finish_dates {
                Some((a, b)) => (a.to_string(), b.to_string()),
                None => (thousands(d.finish_p50, 1), thousands(d.finish_p80, 1)),
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"text\">{}</td><td>{:.2}</td><td>{}</td><td>{f50}</td><td>{f80}</td></tr>",
                esc(&t.id),
                esc(&t.name),
                d.duration_sensitivity,
                esc(&percent(t.criticality))
            );
        }
        h.push_str("</tbody></table></div>\n");
        if let Some(j) = &dr.joint {
            let _ = writeln!(
                h,
                "<p>Chance of meeting both the deadline {} and the budget {}: <b>{}</b>.</p>",
                j.deadline,
                esc(&money(cur, j.budget)),
                esc(&percent(j.probability))
            );
        }
        let _ = writeln!(
            h,
            "<figure>{}</figure>\n</section>",
            image(scatter, "Finish and cost of every iteration")
        );
    }

    // Most critical tasks.
    if !r.criticality_ranking.is_empty() {
        h.push_str(
            "<section>\n<h2>What drives the finish</h2>\n<p class=\"sub\">Tasks most often on \
             the longest path.</p>\n<div class=\"scroll\"><table>\n<thead><tr><th>task</th>\
             <th class=\"text\">name</th><th>critical</th><th>mean duration</th></tr></thead>\n<tbody>\n",
        );
        for &i in r.criticality_ranking.iter().take(10) {
            let t = &r.tasks[i];
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"text\">{}</td><td>{}</td><td>{}</td></tr>",
                esc(&t.id),
                esc(&t.name),
                esc(&percent(t.criticality)),
                thousands(t.mean_duration, 1)
            );
        }
        h.push_str("</tbody></table></div>\n</section>\n");
    }

    // Milestones.
    if !r.milestones.is_empty() {
        h.push_str("<section>\n<h2>Milestones</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>milestone</th><th>plan</th>");
        for (q, _) in &r.milestones[0].percentiles {
            let _ = write!(h, "<th>P{q}</th>");
        }
        h.push_str("</tr></thead>\n<tbody>\n");
        for m in &r.milestones {
            let name = if m.name.is_empty() { &m.id } else { &m.name };
            let _ = write!(h, "<tr><td class=\"text\">{}</td>", esc(name));
            match &m.dates {
                Some(ds) => {
                    let _ = write!(h, "<td>{}</td>", ds.deterministic);
                    for (_, v) in &ds.percentiles {
                        let _ = write!(h, "<td>{v}</td>");
                    }
                }
                None => {
                    let _ = write!(h, "<td>{}</td>", thousands(m.deterministic, 1));
                    for (_, v) in &m.percentiles {
                        let _ = write!(h, "<td>{}</td>", thousands(*v, 1));
                    }
                }
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</tbody></table></div>\n</section>\n");
    }

    // Resources.
    if !r.resources.is_empty() {
        h.push_str(
            "<section>\n<h2>Resources</h2>\n<div class=\"scroll\"><table>\n<thead><tr>\
             <th class=\"text\">resource</th><th>capacity</th><th>mean busy days</th>\
             <th>mean cost</th><th>utilisation</th></tr></thead>\n<tbody>\n",
        );
        for res in &r.resources {
            let name = if res.name.is_empty() {
                &res.id
            } else {
                &res.name
            };
            let _ = writeln!(
                h,
                "<tr><td class=\"text\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(name),
                res.capacity
                    .map_or_else(|| "unlimited".to_string(), |c| thousands(c, 1)),
                thousands(res.mean_busy_days, 1),
                esc(&money(cur, res.mean_cost)),
                esc(&res.utilisation.map_or_else(String::new, percent))
            );
        }
        h.push_str("</tbody></table></div>\n</section>\n");
    }

    // Risks.
    if !r.risks.is_empty() {
        h.push_str(
            "<section>\n<h2>Risks</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>risk</th>\
             <th class=\"text\">name</th><th>probability</th><th>occurred</th>\
             <th>adds (working days)</th><th>adds (cost)</th></tr></thead>\n<tbody>\n",
        );
        for rk in &r.risks {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"text\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&rk.id),
                esc(&rk.name),
                esc(&percent(rk.probability)),
                esc(&percent(rk.occurred)),
                thousands(rk.duration_contribution, 1),
                esc(&money(cur, rk.cost_contribution))
            );
        }
        h.push_str("</tbody></table></div>\n</section>\n");
    }

    // Scenarios.
    if !r.scenarios.is_empty() {
        let dated = r.scenarios.iter().any(|s| s.finish_at_confidence.is_some());
        let deadline = r.scenarios.iter().any(|s| s.deadline_probability.is_some());
        let _ =
            write!(
            h,
            "<section>\n<h2>Scenarios</h2>\n<p class=\"sub\">The plan as written (baseline) and \
             each <code>[[scenario]]</code>, simulated with the same random numbers.</p>\n\
             <div class=\"scroll\"><table>\n<thead><tr><th>scenario</th><th>P50 days</th>\
             <th>{c} days</th>{}<th>{c} cost</th>{}<th>days vs baseline</th>\
             <th>cost vs baseline</th></tr></thead>\n<tbody>\n",
            if dated {
                format!("<th>{c} finish</th>")
            } else {
                String::new()
            },
            if deadline { "<th>deadline met</th>" } else { "" }
        );
        for sc in &r.scenarios {
            let _ = write!(
                h,
                "<tr><td class=\"text\">{}</td><td>{}</td><td>{}</td>",
                esc(&sc.name),
                thousands(sc.duration_p50, 1),
                thousands(sc.duration_at_confidence, 1)
            );
            if dated {
                let _ = write!(
                    h,
                    "<td>{}</td>",
                    sc.finish_at_confidence
                        .map_or_else(String::new, |d| d.to_string())
                );
            }
            let _ = write!(h, "<td>{}</td>", esc(&money(cur, sc.cost_at_confidence)));
            if deadline {
                let _ = write!(
                    h,
                    "<td>{}</td>",
                    esc(&sc.deadline_probability.map_or_else(String::new, percent))
                );
            }
            let signed = |x: f64, text: String| if x > 0.0 { format!("+{text}") } else { text };
            let _ = writeln!(
                h,
                "<td>{}</td><td>{}</td></tr>",
                signed(sc.change.duration, thousands(sc.change.duration, 1)),
                esc(&signed(sc.change.cost, money(cur, sc.change.cost)))
            );
        }
        h.push_str("</tbody></table></div>\n</section>\n");
    }

    // Health check.
    let warned = r.health.warnings().count();
    let _ =
        write!(
        h,
        "<section>\n<h2>Schedule health check</h2>\n<p class=\"sub\">{} (DCMA 14-point and GAO \
         thresholds).</p>\n<div class=\"scroll\"><table>\n<thead><tr><th>check</th><th>found</th>\
         <th>threshold</th><th>status</th><th class=\"text\">tasks</th></tr></thead>\n<tbody>\n",
        if warned == 0 {
            format!("All {} checks within their thresholds", r.health.checks.len())
        } else {
            format!("{warned} of {} checks warn", r.health.checks.len())
        }
    );
    for ch in &r.health.checks {
        let status = health_status(ch);
        let shown: Vec<&str> = ch.items.iter().take(8).map(String::as_str).collect();
        let mut tasks = shown.join(", ");
        if ch.items.len() > 8 {
            let _ = write!(tasks, " and {} more", ch.items.len() - 8);
        }
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{} of {} {}</td><td>at most {}</td><td class=\"{}\">{}</td><td class=\"text\">{}</td></tr>",
            esc(ch.title),
            ch.count,
            ch.out_of,
            ch.unit,
            health_threshold(ch.limit),
            if status == "ok" { "" } else { "warning" },
            status,
            esc(&tasks)
        );
    }
    h.push_str("</tbody></table></div>\n</section>\n");

    // Assumptions.
    h.push_str("<section>\n<h2>Assumptions</h2>\n<ul>\n");
    let _ = write!(
        h,
        "<li>Durations are drawn from each task's three-point estimate (working days); the \
         plan column uses the most likely values.</li>\n<li>{} iterations with seed {}: the same \
         inputs and seed give the same numbers.</li>\n",
        thousands(r.iterations as f64, 0),
        r.seed
    );
    if let Some(cal) = &r.calendar {
        let _ = writeln!(
            h,
            "<li>Calendar: start {}, working days {}, {} holiday{}.</li>",
            cal.start(),
            esc(&cal.workdays_label()),
            cal.holidays().len(),
            if cal.holidays().len() == 1 { "" } else { "s" }
        );
    } else {
        h.push_str("<li>No start date: results are in working days from the start.</li>\n");
    }
    if let Some(u) = &r.range_rule {
        let _ = writeln!(h, "<li>{}.</li>", esc(&u.sentence()));
    }
    if let Some(sp) = &r.sprints {
        let _ = writeln!(
            h,
            "<li>Sprints of {} working days{}; a finish exactly at a sprint's end belongs to \
             that sprint.</li>",
            super::format::sprint_days(sp.length),
            sp.start_date
                .map_or_else(String::new, |d| format!(", sprint 1 begins {d}"))
        );
    }
    let _ = write!(
        h,
        "<li>The schedule buffer and cost reserve are the differences between the values at \
         {c} and the plan's.</li>\n</ul>\n</section>\n<footer>Written by p80 {}.</footer>\n\
         </main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_is_self_contained_and_escapes_text() {
        let mut r = crate::stats::testing::report(&[8.0, 9.0, 10.0, 11.0, 12.0], &[1.0; 5]);
        r.project = "R&D <pilot>".into();
        let html = String::from_utf8(HtmlReport.render(&r).unwrap()).unwrap();
        assert!(html.contains("R&amp;D &lt;pilot&gt;"));
        // "<1%" is text, not a tag.
        let mut rare = r.clone();
        rare.currency = "<EUR>".into();
        rare.tasks[0].criticality = 0.001;
        rare.criticality_ranking = vec![1, 0];
        let page = String::from_utf8(HtmlReport.render(&rare).unwrap()).unwrap();
        assert!(page.contains("<td>&lt;1%</td>") && !page.contains("<EUR>"));
        assert!(!html.contains("R&D <pilot>"));
        // No request leaves the page: no http(s) URL in any src or href, only data: images.
        assert!(!html.contains("src=\"http") && !html.contains("href="));
        assert_eq!(html.matches("<img src=\"data:image/png;base64,").count(), 3);
        assert!(html.contains("default-src 'none'"));
        assert!(html.contains("@page { size: A4"));
        // Key numbers are tagged with their summary.json keys.
        assert!(html.contains("data-key=\"duration.percentiles.p80\">11.2<"));
        assert_eq!(
            html,
            String::from_utf8(HtmlReport.render(&r).unwrap()).unwrap()
        );
    }
}
