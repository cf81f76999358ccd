//! `[[scenario]]` blocks of `project.toml` (see docs/format.md, "Scenarios and compare"):
//!
//! ```toml
//! [[scenario]]
//! name = "two data scientists"
//! capacity = { ds = 2 }
//! rate = { gpu = 48 }
//! assign = { hpo = "gpu:1;ds:1" }
//! estimate = { hpo = [5, 7, 12] }
//! cost = { labelling = 30000 }
//! ```
//!
//! Values are checked here; ids are checked against the plan by [`Scenario::apply`].

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::assignment::parse_assignments;
use crate::error::Diagnostic;
use crate::model::calendar::parse_date;
use crate::model::scenario::{Amount, Override, Scenario, BASELINE};
use crate::model::{Calendar, Distribution};

/// One `[[scenario]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScenarioSection {
    name: Spanned<String>,
    based_on: Option<Spanned<String>>,
    #[serde(default)]
    capacity: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    rate: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    assign: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    estimate: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    cost: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    available_from: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    available_until: BTreeMap<String, Spanned<toml::Value>>,
}

/// A TOML integer or float as f64.
pub(super) fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// A money amount: a number >= 0, or three numbers `[optimistic, likely, pessimistic]`.
fn amount(v: &toml::Value) -> Option<Amount> {
    let ok = |x: f64| x.is_finite() && x >= 0.0;
    match v {
        toml::Value::Array(a) => three(a)
            .filter(|t| t.iter().all(|&x| ok(x)))
            .map(Amount::Range),
        other => number(other).filter(|&x| ok(x)).map(Amount::Fixed),
    }
}

/// Three numbers.
fn three(a: &[toml::Value]) -> Option<[f64; 3]> {
    let n: Vec<f64> = a.iter().filter_map(number).collect();
    (a.len() == 3 && n.len() == 3).then(|| [n[0], n[1], n[2]])
}

/// The entries of one override table in file order (the map is sorted by id).
fn in_file_order<T>(map: &BTreeMap<String, Spanned<T>>) -> Vec<(&String, &Spanned<T>)> {
    let mut v: Vec<_> = map.iter().collect();
    v.sort_by_key(|(_, s)| s.span().start);
    v
}

/// An availability in a scenario: working days after the start (≥ 0), a date (needs the
/// calendar; a joining date is the start of that day, a leaving date its end), or `"start"`
/// (joins at the start) / `"never"` (never leaves): `None`.
fn availability(
    v: &toml::Value,
    calendar: Option<&Calendar>,
    end: bool,
) -> Result<Option<f64>, String> {
    let open = if end { "never" } else { "start" };
    match v {
        toml::Value::String(t) if t.trim().eq_ignore_ascii_case(open) => Ok(None),
        toml::Value::String(t) => match (parse_date(t.trim()), calendar) {
            (Some(d), Some(c)) if end => Ok(Some(c.working_days_through(d) as f64)),
            (Some(d), Some(c)) => Ok(Some(c.offset_of(d))),
            (Some(d), None) => Err(format!(
                "the date {d} needs the project's start date (start = \"YYYY-MM-DD\" in \
                 [project]); or give working days after the start"
            )),
            (None, _) => Err(format!(
                "`{t}` is not a date (YYYY-MM-DD), a number of working days or \"{open}\""
            )),
        },
        toml::Value::Datetime(_) => Err(
            "write the date as a string, e.g. \"2027-03-01\", or working days after the start"
                .to_string(),
        ),
        other => number(other)
            .filter(|x| x.is_finite() && *x >= 0.0)
            .map(Some)
            .ok_or_else(|| {
                format!("{other} is not a date, a number of working days >= 0 or \"{open}\"")
            }),
    }
}

/// Checks every scenario's values, names included (non-empty, unique, not `baseline`).
/// `calendar` turns availability dates into working days (`None` without a start date).
pub(super) fn read(
    file: &Path,
    distribution: Distribution,
    calendar: Option<&Calendar>,
    sections: &[Spanned<ScenarioSection>],
    line_of: &dyn Fn(Range<usize>) -> usize,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Scenario> {
    // Lower-cased name → (line, name as written).
    let mut seen: HashMap<String, (usize, String)> = HashMap::new();
    let mut out = Vec::new();
    for section in sections {
        let s = section.get_ref();
        let line = line_of(s.name.span());
        let name = s.name.get_ref().trim().to_string();
        let before = errors.len();
        let mut error = |line: usize, field: &str, msg: String| {
            errors.push(Diagnostic::at(file, line, Some(field), msg));
        };
        if name.is_empty() {
            error(line, "name", "is empty; give the scenario a name".into());
        } else if name.eq_ignore_ascii_case(BASELINE) {
            error(
                line,
                "name",
                format!(
                    "`{name}` is reserved for the plan as written, which p80 compare always \
                     includes; choose another name"
                ),
            );
        } else if let Some((first, _)) = seen.get(&name.to_lowercase()) {
            error(
                line,
                "name",
                format!(
                    "scenario `{name}` is already defined on line {first}; scenario names must \
                     be unique (ignoring case)"
                ),
            );
        } else {
            seen.insert(name.to_lowercase(), (line, name.clone()));
        }
        let label = if name.is_empty() {
            "scenario".to_string()
        } else {
            format!("scenario `{name}`")
        };

        let mut based_on = None;
        if let Some(b) = &s.based_on {
            let parent = b.get_ref().trim();
            if parent.eq_ignore_ascii_case(BASELINE) {
                // The plan as written: the default.
            } else if let Some((_, written)) = seen
                .get(&parent.to_lowercase())
                .filter(|_| !parent.eq_ignore_ascii_case(&name))
            {
                based_on = Some(written.clone());
            } else {
                error(
                    line_of(b.span()),
                    "based_on",
                    format!(
                        "{label}: `{parent}` is not a scenario defined above; name an earlier \
                         [[scenario]], or baseline"
                    ),
                );
            }
        }
        let mut capacity = Vec::new();
        for (id, v) in in_file_order(&s.capacity) {
            let line = line_of(v.span());
            let value = match v.get_ref() {
                toml::Value::String(t) if t.trim().eq_ignore_ascii_case("unlimited") => Some(None),
                other => number(other)
                    .filter(|c| c.is_finite() && *c > 0.0)
                    .map(Some),
            };
            match value {
                Some(value) => capacity.push(Override {
                    id: id.clone(),
                    value,
                    line,
                }),
                None => error(
                    line,
                    "capacity",
                    format!(
                        "{label}: capacity of `{id}` is {}; write a number > 0 or \"unlimited\"",
                        v.get_ref()
                    ),
                ),
            }
        }
        let mut rate = Vec::new();
        for (id, v) in in_file_order(&s.rate) {
            let line = line_of(v.span());
            match amount(v.get_ref()) {
                Some(value) => rate.push(Override {
                    id: id.clone(),
                    value,
                    line,
                }),
                None => error(
                    line,
                    "rate",
                    format!(
                        "{label}: rate of `{id}` is {}; write a number >= 0 (money per the \
                         resource's unit), or [optimistic, likely, pessimistic]",
                        v.get_ref()
                    ),
                ),
            }
        }
        let mut assign = Vec::new();
        for (id, v) in in_file_order(&s.assign) {
            let line = line_of(v.span());
            match parse_assignments(v.get_ref()) {
                Ok(value) => assign.push(Override {
                    id: id.clone(),
                    value,
                    line,
                }),
                Err(msgs) => {
                    for m in msgs {
                        error(line, "assign", format!("{label}: task `{id}`: {m}"));
                    }
                }
            }
        }
        let mut estimate = Vec::new();
        for (id, v) in in_file_order(&s.estimate) {
            let line = line_of(v.span());
            let value = match v.get_ref() {
                toml::Value::Array(a) => three(a),
                _ => None,
            };
            match value {
                Some(value) => estimate.push(Override {
                    id: id.clone(),
                    value,
                    line,
                }),
                None => error(
                    line,
                    "estimate",
                    format!(
                        "{label}: estimate of `{id}` is {}; write [optimistic, likely, \
                         pessimistic] in working days, e.g. [5, 7, 12]",
                        v.get_ref()
                    ),
                ),
            }
        }
        let mut cost = Vec::new();
        for (id, v) in in_file_order(&s.cost) {
            let line = line_of(v.span());
            match amount(v.get_ref()) {
                Some(value) => cost.push(Override {
                    id: id.clone(),
                    value,
                    line,
                }),
                None => error(
                    line,
                    "cost",
                    format!(
                        "{label}: cost of `{id}` is {}; write a fixed cost >= 0, or \
                         [optimistic, likely, pessimistic]",
                        v.get_ref()
                    ),
                ),
            }
        }
        let mut windows = [Vec::new(), Vec::new()];
        for (k, (map, field)) in [
            (&s.available_from, "available_from"),
            (&s.available_until, "available_until"),
        ]
        .into_iter()
        .enumerate()
        {
            for (id, v) in in_file_order(map) {
                let line = line_of(v.span());
                match availability(v.get_ref(), calendar, k == 1) {
                    Ok(value) => windows[k].push(Override {
                        id: id.clone(),
                        value: value.filter(|&x| k == 1 || x > 0.0),
                        line,
                    }),
                    Err(m) => error(line, field, format!("{label}: {field} of `{id}`: {m}")),
                }
            }
        }
        let [available_from, available_until] = windows;
        if errors.len() == before {
            out.push(Scenario {
                name,
                file: file.to_path_buf(),
                line,
                based_on,
                capacity,
                rate,
                assign,
                estimate,
                cost,
                available_from,
                available_until,
                distribution,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::project_toml::read;
    use crate::model::scenario::Amount;
    use std::path::Path;

    const HEAD: &str = "[project]\ntasks = \"t.csv\"\nbudget = 200000\n";

    fn errors(text: &str) -> Vec<String> {
        read(Path::new("p.toml"), text)
            .unwrap_err()
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn scenarios_are_read_in_file_order_with_lines() {
        let c = read(
            Path::new("p.toml"),
            &format!(
                "{HEAD}\n[[scenario]]\nname = \"two ds\"\ncapacity = {{ ds = 2, swe = \"unlimited\" }}\n\n\
                 [[scenario]]\nname = \"gpu\"\nrate = {{ gpu = 48 }}\n\
                 assign = {{ hpo = \"gpu:1;ds:1\", eval = \"\" }}\n\
                 estimate = {{ hpo = [5, 7.5, 12] }}\ncost = {{ labelling = [25000, 30000, 40000] }}\n"
            ),
        )
        .unwrap();
        assert_eq!(c.budget, Some(200_000.0));
        assert_eq!(c.scenarios.len(), 2);
        let a = &c.scenarios[0];
        assert_eq!((a.name.as_str(), a.line), ("two ds", 6));
        assert_eq!(a.capacity.len(), 2);
        assert_eq!(
            (
                a.capacity[0].id.as_str(),
                a.capacity[0].value,
                a.capacity[0].line
            ),
            ("ds", Some(2.0), 7)
        );
        assert_eq!(a.capacity[1].value, None);
        let b = &c.scenarios[1];
        assert_eq!((b.rate[0].value, b.rate[0].line), (Amount::Fixed(48.0), 11));
        // File order, not alphabetical.
        assert_eq!(b.assign[0].id, "hpo");
        assert_eq!(b.assign[0].value.len(), 2);
        assert!(b.assign[1].value.is_empty());
        assert_eq!(b.estimate[0].value, [5.0, 7.5, 12.0]);
        assert_eq!(
            (b.cost[0].value, b.cost[0].line),
            (Amount::Range([25000.0, 30000.0, 40000.0]), 14)
        );
    }

    #[test]
    fn no_scenarios_and_no_budget() {
        let c = read(Path::new("p.toml"), "[project]\ntasks = \"t.csv\"\n").unwrap();
        assert!(c.scenarios.is_empty());
        assert_eq!(c.budget, None);
    }

    #[test]
    fn bad_names_and_values_are_all_reported() {
        let t = errors(
            "[project]\ntasks = \"t.csv\"\nbudget = -1\n\
             [[scenario]]\nname = \"Baseline\"\n\
             [[scenario]]\nname = \"a\"\ncapacity = { ds = 0 }\nrate = { gpu = \"cheap\" }\n\
             [[scenario]]\nname = \"A\"\nassign = { hpo = \"gpu:0\" }\nestimate = { hpo = [1, 2] }\ncost = { x = -5 }\n\
             [[scenario]]\nname = \" \"\n",
        );
        assert_eq!(t.len(), 9, "{t:#?}");
        assert_eq!(
            t[0],
            "p.toml:3: field `budget`: -1 is not an amount >= 0 in the project currency"
        );
        assert_eq!(t[1], "p.toml:5: field `name`: `Baseline` is reserved for the plan as written, which p80 compare always includes; choose another name");
        assert_eq!(t[2], "p.toml:8: field `capacity`: scenario `a`: capacity of `ds` is 0; write a number > 0 or \"unlimited\"");
        assert_eq!(t[3], "p.toml:9: field `rate`: scenario `a`: rate of `gpu` is \"cheap\"; write a number >= 0 (money per the resource's unit), or [optimistic, likely, pessimistic]");
        assert_eq!(t[4], "p.toml:11: field `name`: scenario `A` is already defined on line 7; scenario names must be unique (ignoring case)");
        assert_eq!(t[5], "p.toml:12: field `assign`: scenario `A`: task `hpo`: `gpu:0`: units must be a number > 0; write `resource:units`, e.g. `ds:0.5`");
        assert_eq!(t[6], "p.toml:13: field `estimate`: scenario `A`: estimate of `hpo` is [1, 2]; write [optimistic, likely, pessimistic] in working days, e.g. [5, 7, 12]");
        assert_eq!(t[7], "p.toml:14: field `cost`: scenario `A`: cost of `x` is -5; write a fixed cost >= 0, or [optimistic, likely, pessimistic]");
        assert_eq!(
            t[8],
            "p.toml:16: field `name`: is empty; give the scenario a name"
        );
    }

    #[test]
    fn based_on_names_an_earlier_scenario_or_the_baseline() {
        let c = read(
            Path::new("p.toml"),
            &format!(
                "{HEAD}[[scenario]]\nname = \"Team\"\nbased_on = \"baseline\"\n\
                 [[scenario]]\nname = \"more\"\nbased_on = \"team\"\n"
            ),
        )
        .unwrap();
        assert_eq!(c.scenarios[0].based_on, None);
        assert_eq!(c.scenarios[1].based_on.as_deref(), Some("Team"));
        let t = errors(&format!(
            "{HEAD}[[scenario]]\nname = \"a\"\nbased_on = \"b\"\n\
             [[scenario]]\nname = \"b\"\nbased_on = \"b\"\n"
        ));
        assert_eq!(t.len(), 2, "{t:#?}");
        assert_eq!(t[0], "p.toml:6: field `based_on`: scenario `a`: `b` is not a scenario defined above; name an earlier [[scenario]], or baseline");
        assert_eq!(t[1], "p.toml:9: field `based_on`: scenario `b`: `b` is not a scenario defined above; name an earlier [[scenario]], or baseline");
    }

    #[test]
    fn unknown_scenario_key_names_key_and_line() {
        let t = errors(&format!(
            "{HEAD}[[scenario]]\nname = \"a\"\ncapacities = {{ ds = 2 }}\n"
        ));
        assert_eq!(t[0], "p.toml:6: field `capacities`: unknown field `capacities`, expected one of `name`, `based_on`, `capacity`, `rate`, `assign`, `estimate`, `cost`, `available_from`, `available_until`; remove it or check its spelling (see docs/format.md)");
        let t = errors(&format!("{HEAD}[[scenario]]\ncapacity = {{ ds = 2 }}\n"));
        assert!(t[0].contains("field `name`"), "{}", t[0]);
    }
}
