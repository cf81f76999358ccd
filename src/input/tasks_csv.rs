//! `tasks.csv`: one row per task (see docs/format.md).

use std::path::Path;

use super::assignment::parse_assignment;
use super::table::{check_id, collected, number, three_point, Schema, Table};
use crate::error::Diagnostic;
use crate::model::calendar::{parse_date, Calendar};
use crate::model::{
    Distribution, Estimate, Link, LinkKind, RangeRule, RiskLevel, RiskLevels, Task, TaskKind,
};

/// How `tasks.csv` is read: the defaults and conversions `project.toml` supplies.
#[derive(Debug, Clone, Copy)]
pub struct TaskOptions<'a> {
    /// The distribution of rows whose `distribution` cell is blank.
    pub distribution: Distribution,
    /// The multipliers of the `risk_level` shorthand.
    pub risk_levels: &'a RiskLevels,
    /// `[import] range`: a row that gives only `likely` (no optimistic, pessimistic or
    /// risk_level) takes its three points from this rule; `None`: such a row is an error.
    pub range_rule: Option<RangeRule>,
    /// The project calendar, to read `not_before` dates; `None` without a start date.
    pub calendar: Option<&'a Calendar>,
}

/// The tasks of a file, and how many took their range from the range rule.
#[derive(Debug, Clone, PartialEq)]
pub struct TasksRead {
    /// Every task, in file order.
    pub tasks: Vec<Task>,
    /// Rows whose three points come from [`TaskOptions::range_rule`] (not estimates).
    pub range_rule_tasks: usize,
}

/// The columns of `tasks.csv`.
pub const SCHEMA: Schema = Schema {
    known: &[
        "id",
        "name",
        "optimistic",
        "likely",
        "pessimistic",
        "distribution",
        "depends_on",
        "resources",
        "cost",
        "type",
        "finish_with",
        "cost_optimistic",
        "cost_likely",
        "cost_pessimistic",
        "effort_optimistic",
        "effort_likely",
        "effort_pessimistic",
        "risk_level",
        "forecast",
        "not_before",
    ],
    required: &["id"],
    example: "id,name,optimistic,likely,pessimistic,depends_on",
};

/// Reads every task in `text` (the contents of `file`); rows without a `distribution` use
/// `default_distribution`, and a row that gives only `likely` and a `risk_level` gets its
/// optimistic and pessimistic values from `risk_levels`. Returns all problems found, each with
/// its line and field.
pub fn read(
    file: &Path,
    text: &str,
    default_distribution: Distribution,
    risk_levels: &RiskLevels,
) -> Result<Vec<Task>, Vec<Diagnostic>> {
    let options = TaskOptions {
        distribution: default_distribution,
        risk_levels,
        range_rule: None,
        calendar: None,
    };
    read_with(file, text, &options).map(|r| r.tasks)
}

/// [`read`] with every option `project.toml` can set: the range rule for rows that give only
/// `likely`, and the calendar that turns `not_before` dates into working days.
pub fn read_with(
    file: &Path,
    text: &str,
    options: &TaskOptions,
) -> Result<TasksRead, Vec<Diagnostic>> {
    let (default_distribution, risk_levels) = (options.distribution, options.risk_levels);
    let mut range_rule_tasks = 0;
    let table = Table::parse(file, text, &SCHEMA)?;
    if !table.has("likely") && !table.has("effort_likely") && !table.has("forecast") {
        return Err(vec![Diagnostic::at(
            file,
            1,
            Some("likely"),
            "required column is missing; the header needs at least: id, likely (or effort_likely for effort-driven tasks)",
        )]);
    }
    let mut tasks = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for row in &table.rows {
        let line = row.line;
        let mut err =
            |field: &str, msg: String| errors.push(Diagnostic::at(file, line, Some(field), msg));
        let id = table.get(row, "id");
        if let Err(m) = check_id(id) {
            err("id", m);
        }
        let mut num = |field: &'static str| match number(table.get(row, field)) {
            Ok(v) => v,
            Err(m) => {
                err(field, m);
                Some(f64::NAN) // present but unusable: suppresses "missing" follow-ups
            }
        };
        let (o, m, p, cost) = (
            num("optimistic"),
            num("likely"),
            num("pessimistic"),
            num("cost"),
        );

        let type_cell = table.get(row, "type");
        let declared = match type_cell.to_ascii_lowercase().as_str() {
            "" => None,
            "task" => Some(TaskKind::Task),
            "milestone" => Some(TaskKind::Milestone),
            "loe" | "level_of_effort" | "level-of-effort" | "hammock" => {
                Some(TaskKind::LevelOfEffort)
            }
            other => {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("type"),
                    format!("unknown type `{other}`; use task, milestone or loe (level of effort)"),
                ));
                None
            }
        };
        let is_loe = declared == Some(TaskKind::LevelOfEffort);

        let dist_cell = table.get(row, "distribution");
        let distribution = if dist_cell.is_empty() {
            Some(default_distribution)
        } else {
            let d = Distribution::parse(dist_cell);
            if d.is_none() {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("distribution"),
                    format!(
                        "unknown distribution `{dist_cell}`; use one of {}",
                        Distribution::NAMES
                    ),
                ));
            }
            d
        };

        // `Err(())`: an unknown level, already reported.
        let risk_cell = table.get(row, "risk_level");
        let risk_level: Result<Option<RiskLevel>, ()> = if risk_cell.is_empty() {
            Ok(None)
        } else {
            RiskLevel::parse(risk_cell).map(Some).ok_or_else(|| {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("risk_level"),
                    format!(
                        "unknown risk_level `{risk_cell}`; use one of {}",
                        RiskLevel::NAMES
                    ),
                ));
            })
        };

        // A three-point column group, its problem reported on this row.
        let range = |fields: [&str; 3], dist: Distribution, errors: &mut Vec<Diagnostic>| {
            three_point(&table, row, fields, dist).unwrap_or_else(|(f, m)| {
                errors.push(Diagnostic::at(file, line, Some(&f), m));
                None
            })
        };
        let effort = range(
            ["effort_optimistic", "effort_likely", "effort_pessimistic"],
            distribution.unwrap_or(default_distribution),
            &mut errors,
        );
        // A cost range follows the row's distribution, or the project's when the row's
        // duration is fixed.
        let cost_dist = match distribution {
            Some(Distribution::Fixed) | None => default_distribution,
            Some(d) => d,
        };
        let cost_range = range(
            ["cost_optimistic", "cost_likely", "cost_pessimistic"],
            cost_dist,
            &mut errors,
        );
        if effort.is_some()
            && ["optimistic", "likely", "pessimistic"]
                .iter()
                .any(|f| !table.get(row, f).is_empty())
        {
            errors.push(Diagnostic::at(
                file,
                line,
                Some("effort_likely"),
                "give either a duration (optimistic, likely, pessimistic) or an effort, not both",
            ));
        }
        if effort.is_some() && resources_cell_is_empty(table.get(row, "resources")) {
            errors.push(Diagnostic::at(
                file,
                line,
                Some("resources"),
                "an effort-driven task needs assigned resources: its duration is effort ÷ units",
            ));
        }
        if cost_range.is_some() && !table.get(row, "cost").is_empty() {
            errors.push(Diagnostic::at(
                file,
                line,
                Some("cost"),
                "give either cost (a fixed value) or cost_optimistic/cost_likely/cost_pessimistic, not both",
            ));
        }
        let forecast = match table.get(row, "forecast") {
            "" => None,
            name => Some(name.to_string()),
        };
        let estimate = if let Some(name) = &forecast {
            forecast_row(&table, row, name, declared)
                .map_err(|(field, msg)| errors.push(Diagnostic::at(file, line, Some(field), msg)))
                .ok()
        } else {
            distribution.and_then(|dist| {
            if let Some(e) = effort {
                return Some(e); // replaced by the derived duration once units are known
            }
            if is_loe {
                // The span of other tasks: estimates, if any, are ignored.
                return Estimate::fixed(0.0).ok();
            }
            let m = match (m, declared) {
                (None, Some(TaskKind::Milestone)) => Some(0.0),
                (m, _) => m,
            };
            let Some(m) = m else {
                errors.push(Diagnostic::at(file, line, Some("likely"), "missing the most likely duration (working days)"));
                return None;
            };
            let level = match risk_level {
                Err(()) => return None,
                Ok(level) => level,
            };
            if let Some(level) = level {
                // The playbook shorthand: only `likely` and a level.
                let given: Vec<&str> = [("optimistic", o), ("pessimistic", p)]
                    .iter()
                    .filter(|(_, v)| v.is_some())
                    .map(|(f, _)| *f)
                    .collect();
                let problem = if !given.is_empty() {
                    Some(format!(
                        "risk_level `{level}` derives optimistic and pessimistic from likely, but \
                         the row also gives {}; clear risk_level or the explicit values",
                        given.join(" and ")
                    ))
                } else if dist == Distribution::Fixed {
                    Some(format!(
                        "risk_level `{level}` gives a range, but a fixed duration has none; clear \
                         risk_level or choose another distribution"
                    ))
                } else {
                    None
                };
                if let Some(msg) = problem {
                    errors.push(Diagnostic::at(file, line, Some("risk_level"), msg));
                    return None;
                }
                if m.is_nan() {
                    return None; // already reported as not a number
                }
                let (o, p) = risk_levels.range(level, m);
                return Estimate::new(o, m, p, dist)
                    .map_err(|(field, msg)| {
                        errors.push(Diagnostic::at(
                            file,
                            line,
                            Some(field),
                            format!("{msg} (derived from likely by risk_level `{level}`)"),
                        ))
                    })
                    .ok();
            }
            let (o, p) = match (o, p, dist) {
                (o, p, Distribution::Fixed) => (o.unwrap_or(m), p.unwrap_or(m)),
                // `likely` 0 alone: a milestone.
                (None, None, _) if m == 0.0 => (0.0, 0.0),
                // `likely` alone with a range rule: the rule's points of it.
                (None, None, _) if options.range_rule.is_some() && !m.is_nan() => {
                    let rule = options.range_rule.unwrap_or_default();
                    range_rule_tasks += 1;
                    return rule
                        .estimate(m, dist)
                        .map_err(|(field, msg)| {
                            errors.push(Diagnostic::at(
                                file,
                                line,
                                Some(field),
                                format!("{msg} (derived from likely by [import] range {rule})"),
                            ))
                        })
                        .ok();
                }
                (Some(o), Some(p), _) => (o, p),
                (o, _, _) => {
                    let field = if o.is_none() { "optimistic" } else { "pessimistic" };
                    errors.push(Diagnostic::at(
                        file,
                        line,
                        Some(field),
                        format!("missing; a {dist} estimate needs optimistic, likely and pessimistic (or set distribution to fixed, or give only likely and a risk_level: {})", RiskLevel::NAMES),
                    ));
                    return None;
                }
            };
            if o.is_nan() || m.is_nan() || p.is_nan() {
                return None; // already reported as not a number
            }
            Estimate::new(o, m, p, dist)
                .map_err(|(field, msg)| errors.push(Diagnostic::at(file, line, Some(field), msg)))
                .ok()
        })
        };

        let cost = match cost {
            None => 0.0,
            Some(c) if c.is_nan() => 0.0,
            Some(c) if c < 0.0 => {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("cost"),
                    format!("{c} is negative; a fixed cost is >= 0"),
                ));
                0.0
            }
            Some(c) => c,
        };

        // At exact capacity: a push-grown Vec holds at least 4 links (160 bytes) where most
        // tasks have one to three (100k tasks: about 8 MB less resident).
        let deps_cell = table.get(row, "depends_on");
        let mut depends_on = Vec::with_capacity(split_list(deps_cell).count());
        for item in split_list(deps_cell) {
            match parse_link(item) {
                Ok(l) => depends_on.push(l),
                Err(m) => errors.push(Diagnostic::at(file, line, Some("depends_on"), m)),
            }
        }
        let finish_with: Vec<String> = split_list(table.get(row, "finish_with"))
            .map(str::to_string)
            .collect();
        if !finish_with.is_empty() && !is_loe {
            errors.push(Diagnostic::at(
                file,
                line,
                Some("finish_with"),
                "only a level-of-effort task (type = loe) has finish_with; set its type to loe or clear the cell",
            ));
        }
        if is_loe {
            if finish_with.is_empty() {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("finish_with"),
                    "a level-of-effort task needs finish_with: the tasks whose latest finish ends it",
                ));
            }
            for l in &depends_on {
                if matches!(l.kind, LinkKind::FinishToFinish | LinkKind::StartToFinish) {
                    errors.push(Diagnostic::at(
                        file,
                        line,
                        Some("depends_on"),
                        format!("`{l}`: a level-of-effort task starts from FS or SS links; its finish comes from finish_with"),
                    ));
                }
            }
        }
        let not_before = match not_before(table.get(row, "not_before"), options.calendar) {
            Ok(v) => v,
            Err(m) => {
                errors.push(Diagnostic::at(file, line, Some("not_before"), m));
                None
            }
        };
        let mut resources = Vec::new();
        for item in split_list(table.get(row, "resources")) {
            match parse_assignment(item) {
                Ok(a) => resources.push(a),
                Err(m) => errors.push(Diagnostic::at(file, line, Some("resources"), m)),
            }
        }
        let mut resources = super::assignment::merge_repeated(resources);
        resources.shrink_to_fit();

        let kind = match (declared, estimate) {
            (Some(k), _) => k,
            (None, Some(e)) if e.pessimistic == 0.0 && forecast.is_none() => TaskKind::Milestone,
            _ => TaskKind::Task,
        };
        if let (TaskKind::Milestone, Some(e)) = (kind, estimate) {
            if e.pessimistic != 0.0 {
                errors.push(Diagnostic::at(
                    file,
                    line,
                    Some("type"),
                    "a milestone has zero duration; set its estimates to 0 (or leave them blank) or change its type",
                ));
            }
        }
        if let Some(estimate) = estimate {
            // Exact lengths: pushes grow a Vec to 4 links, 160 bytes a task at 100k tasks.
            depends_on.shrink_to_fit();
            tasks.push(Task {
                id: id.to_string(),
                name: table.get(row, "name").to_string(),
                estimate,
                depends_on,
                kind,
                finish_with,
                resources,
                cost: cost_range.map_or(cost, |r| r.likely),
                cost_range: cost_range.map(Box::new),
                effort: effort.map(Box::new),
                forecast,
                not_before,
                line,
            });
        }
    }
    collected(tasks, errors).map(|tasks| TasksRead {
        tasks,
        range_rule_tasks,
    })
}

/// A `not_before` cell: blank, a number of working days after the project start (≥ 0), or a
/// date (`YYYY-MM-DD`, needs the project's start date). A bound of 0 is no bound.
fn not_before(cell: &str, calendar: Option<&Calendar>) -> Result<Option<f64>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    let days = if let Some(date) = parse_date(cell) {
        match calendar {
            Some(c) => c.offset_of(date),
            None => {
                return Err(format!(
                    "the date {date} needs the project's start date: add start = \"YYYY-MM-DD\" \
                     to [project] in project.toml, or give working days after the start"
                ))
            }
        }
    } else {
        match number(cell) {
            Ok(Some(v)) if v.is_finite() && v >= 0.0 => v,
            _ => {
                return Err(format!(
                    "`{cell}` is neither a date (YYYY-MM-DD) nor a number of working days >= 0"
                ))
            }
        }
    };
    Ok((days > 0.0).then_some(days))
}

/// The placeholder estimate of a row whose duration comes from forecast `name` (the plan's
/// value is set once the forecast is read): the row gives no estimate of its own and is an
/// ordinary task.
fn forecast_row(
    table: &Table,
    row: &super::table::Row,
    name: &str,
    declared: Option<TaskKind>,
) -> Result<Estimate, (&'static str, String)> {
    if let Err(m) = check_id(name) {
        return Err(("forecast", m.replace("id", "forecast name")));
    }
    const OWN: [&str; 8] = [
        "optimistic",
        "likely",
        "pessimistic",
        "distribution",
        "risk_level",
        "effort_optimistic",
        "effort_likely",
        "effort_pessimistic",
    ];
    if let Some(field) = OWN.iter().find(|f| !table.get(row, f).is_empty()) {
        return Err((
            field,
            format!(
                "the task takes its duration from forecast `{name}`; leave {field} blank (or \
                 clear forecast to estimate the task)"
            ),
        ));
    }
    match declared {
        Some(TaskKind::Milestone) | Some(TaskKind::LevelOfEffort) => Err((
            "type",
            format!(
                "a {} has no duration of its own to take from forecast `{name}`; make it a task \
                 or clear forecast",
                if declared == Some(TaskKind::Milestone) {
                    "milestone"
                } else {
                    "level of effort"
                }
            ),
        )),
        _ => Ok(Estimate::fixed(0.0).expect("0 is a valid duration")),
    }
}

fn resources_cell_is_empty(cell: &str) -> bool {
    split_list(cell).next().is_none()
}

/// Items of a `;`-separated list, trimmed, blanks dropped.
fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// A dependency: `A` (finish-to-start), `A+3` (FS, 3 working days lag), `A:SS`, `A:SS+2`,
/// `A:FF-1`, `A:SF`, `A:FS-2` (a lead). Link codes are case-insensitive.
pub fn parse_link(item: &str) -> Result<Link, String> {
    let example = "write `A`, `A+3`, `A:SS`, `A:SS+2`, `A:FF-1` or `A:SF`";
    let (id, rest) = match item.split_once(':') {
        Some((id, rest)) => (id.trim(), Some(rest.trim())),
        None => (item, None),
    };
    let (id, kind, lag_text) = match rest {
        None => match id.split_once('+') {
            Some((id, lag)) => (
                id.trim(),
                LinkKind::FinishToStart,
                Some(format!("+{}", lag.trim())),
            ),
            None => (id, LinkKind::FinishToStart, None),
        },
        Some(rest) => {
            let code_len = rest.find(['+', '-']).unwrap_or(rest.len());
            let (code, lag) = rest.split_at(code_len);
            let kind = match code.trim().to_ascii_uppercase().as_str() {
                "FS" | "" => LinkKind::FinishToStart,
                "SS" => LinkKind::StartToStart,
                "FF" => LinkKind::FinishToFinish,
                "SF" => LinkKind::StartToFinish,
                other => {
                    return Err(format!(
                        "`{item}`: unknown link type `{other}`; use FS, SS, FF or SF ({example})"
                    ))
                }
            };
            (
                id,
                kind,
                (!lag.trim().is_empty()).then(|| lag.trim().to_string()),
            )
        }
    };
    if id.is_empty() {
        return Err(format!("`{item}` names no task; {example}"));
    }
    let lag = match lag_text {
        None => 0.0,
        Some(t) => match t.replace(' ', "").parse::<f64>() {
            Ok(v) if v.abs() <= crate::model::bounds::MAX_INPUT => v,
            Ok(_) => {
                return Err(format!(
                    "`{item}`: the lag `{t}` is too large; p80 accepts lags up to {:e} \
                     working days",
                    crate::model::bounds::MAX_INPUT
                ))
            }
            _ => {
                return Err(format!(
                    "`{item}`: the lag `{t}` is not a number of working days; {example}"
                ))
            }
        },
    };
    Ok(Link {
        task: id.into(),
        kind,
        lag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Assignment;

    #[test]
    fn link_syntax() {
        let l = |s: &str| parse_link(s).unwrap();
        assert_eq!(l("a"), Link::fs("a"));
        assert_eq!(
            l("a+3"),
            Link {
                task: "a".into(),
                kind: LinkKind::FinishToStart,
                lag: 3.0
            }
        );
        assert_eq!(
            l("a:ss"),
            Link {
                task: "a".into(),
                kind: LinkKind::StartToStart,
                lag: 0.0
            }
        );
        assert_eq!(
            l("a:SS+2"),
            Link {
                task: "a".into(),
                kind: LinkKind::StartToStart,
                lag: 2.0
            }
        );
        assert_eq!(
            l("a:FF-1"),
            Link {
                task: "a".into(),
                kind: LinkKind::FinishToFinish,
                lag: -1.0
            }
        );
        assert_eq!(
            l("a:SF"),
            Link {
                task: "a".into(),
                kind: LinkKind::StartToFinish,
                lag: 0.0
            }
        );
        assert_eq!(
            l("a:FS-2.5"),
            Link {
                task: "a".into(),
                kind: LinkKind::FinishToStart,
                lag: -2.5
            }
        );
        assert_eq!(l("data-prep"), Link::fs("data-prep"));
        assert!(parse_link("a:XX")
            .unwrap_err()
            .contains("unknown link type `XX`"));
        assert!(parse_link("a+x")
            .unwrap_err()
            .contains("lag `+x` is not a number"));
        assert!(parse_link(":SS").unwrap_err().contains("names no task"));
        assert_eq!(l("a:SS+2").to_string(), "a:SS+2");
    }

    fn read_str(text: &str) -> Result<Vec<Task>, Vec<String>> {
        read(
            Path::new("tasks.csv"),
            text,
            Distribution::Pert,
            &RiskLevels::default(),
        )
        .map_err(|e| e.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn a_full_row() {
        let t = read_str(
            "id,name,optimistic,likely,pessimistic,distribution,depends_on,resources,cost,x_note\n\
                          a,Alpha,1,2,4,,,ds:0.5;gpu,100,hi\n\
                          b,Beta,,3,,fixed,a; ,,,\n",
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(
            t[0].resources,
            vec![
                Assignment {
                    resource: "ds".into(),
                    units: 0.5
                },
                Assignment {
                    resource: "gpu".into(),
                    units: 1.0
                },
            ]
        );
        assert_eq!(t[0].cost, 100.0);
        assert_eq!(t[1].estimate.distribution, Distribution::Fixed);
        assert_eq!(t[1].estimate.optimistic, 3.0);
        assert_eq!(t[1].depends_on, vec![Link::fs("a")]);
        assert_eq!(t[1].line, 3);
    }

    #[test]
    fn every_row_problem_is_reported_with_line_and_field() {
        let e = read_str(
            "id,optimistic,likely,pessimistic,distribution,resources,cost\n\
                          a,1,x,3,,,\n\
                          b,5,2,3,,,\n\
                          c,1,2,3,gamma,,\n\
                          d,1,2,,,,\n\
                          e,1,2,3,,ds:0,-5\n\
                          ,1,2,3,,,\n",
        )
        .unwrap_err();
        let want = [
            "tasks.csv:2: field `likely`: `x` is not a number",
            "tasks.csv:3: field `optimistic`: optimistic 5 is greater than likely 2",
            "tasks.csv:4: field `distribution`: unknown distribution `gamma`",
            "tasks.csv:5: field `pessimistic`: missing",
            "tasks.csv:6: field `cost`: -5 is negative",
            "tasks.csv:6: field `resources`: `ds:0`: units must be a number > 0",
            "tasks.csv:7: field `id`: the id is empty",
        ];
        for w in want {
            assert!(
                e.iter().any(|m| m.starts_with(w)),
                "missing {w:?} in {e:#?}"
            );
        }
    }

    #[test]
    fn risk_level_derives_the_range_from_likely() {
        let t = read_str(
            "id,optimistic,likely,pessimistic,distribution,risk_level\n\
             a,,10,,,low\n\
             b,,10,,triangular,Medium\n\
             c,,10,,trigen,HIGH\n\
             d,,0,,,high\n\
             e,1,2,4,,\n",
        )
        .unwrap();
        let range = |i: usize| (t[i].estimate.optimistic, t[i].estimate.pessimistic);
        assert_eq!(range(0), (9.0, 12.5));
        assert_eq!(t[0].estimate.distribution, Distribution::Pert);
        assert_eq!(range(1), (8.0, 15.0));
        assert_eq!(t[1].estimate.distribution, Distribution::Triangular);
        assert_eq!(range(2), (7.0, 20.0));
        assert_eq!(t[2].estimate.distribution, Distribution::Trigen);
        assert_eq!(range(3), (0.0, 0.0)); // a milestone stays one
        assert_eq!(t[3].kind, TaskKind::Milestone);
        assert_eq!(range(4), (1.0, 4.0));

        // Other multipliers (as project.toml may set them).
        let custom = RiskLevels {
            medium: (0.5, 3.0),
            ..RiskLevels::default()
        };
        let t = read(
            Path::new("tasks.csv"),
            "id,likely,risk_level\na,4,medium\n",
            Distribution::Pert,
            &custom,
        )
        .unwrap();
        assert_eq!(
            (t[0].estimate.optimistic, t[0].estimate.pessimistic),
            (2.0, 12.0)
        );
    }

    #[test]
    fn risk_level_problems_are_reported_with_line_and_field() {
        let e = read_str(
            "id,optimistic,likely,pessimistic,distribution,risk_level\n\
             a,,10,,,extreme\n\
             b,8,10,15,,medium\n\
             c,,10,15,,low\n\
             d,,10,,fixed,low\n\
             e,,x,,,low\n\
             f,,10,,,\n",
        )
        .unwrap_err();
        let want = [
            "tasks.csv:2: field `risk_level`: unknown risk_level `extreme`; use one of low, medium, high",
            "tasks.csv:3: field `risk_level`: risk_level `medium` derives optimistic and pessimistic from likely, but the row also gives optimistic and pessimistic",
            "tasks.csv:4: field `risk_level`: risk_level `low` derives optimistic and pessimistic from likely, but the row also gives pessimistic;",
            "tasks.csv:5: field `risk_level`: risk_level `low` gives a range, but a fixed duration has none",
            "tasks.csv:6: field `likely`: `x` is not a number",
            "tasks.csv:7: field `optimistic`: missing; a pert estimate needs optimistic, likely and pessimistic (or set distribution to fixed, or give only likely and a risk_level: low, medium, high)",
        ];
        for w in want {
            assert!(
                e.iter().any(|m| m.starts_with(w)),
                "missing {w:?} in {e:#?}"
            );
        }
        assert_eq!(e.len(), want.len(), "{e:#?}");
    }

    #[test]
    fn new_distribution_names_and_fit_errors() {
        let t = read_str(
            "id,optimistic,likely,pessimistic,distribution\n\
             a,2,5,14,normal\n\
             b,2,5,14,lognormal\n\
             c,4,5,9,trigen\n",
        )
        .unwrap();
        let d: Vec<Distribution> = t.iter().map(|t| t.estimate.distribution).collect();
        assert_eq!(
            d,
            [
                Distribution::Normal,
                Distribution::LogNormal,
                Distribution::Trigen
            ]
        );
        let e = read_str(
            "id,optimistic,likely,pessimistic,distribution\n\
             a,0,5,14,lognormal\n\
             b,2,5,14,trigen\n\
             c,5,5,9,trigen\n",
        )
        .unwrap_err();
        let want = [
            "tasks.csv:2: field `optimistic`: a lognormal estimate needs optimistic > 0",
            "tasks.csv:3: field `optimistic`: as the P10 of a triangular with mode 5 and P90 14, optimistic 2 puts the minimum at -1.822 < 0 working days",
            "tasks.csv:4: field `optimistic`: a trigen estimate needs optimistic < likely",
        ];
        for w in want {
            assert!(
                e.iter().any(|m| m.starts_with(w)),
                "missing {w:?} in {e:#?}"
            );
        }
    }
}
