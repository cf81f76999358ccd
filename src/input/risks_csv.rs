//! `risks.csv`: the risk register — events and drivers (see docs/format.md).

use std::path::Path;

use super::table::{check_id, collected, number, three_point, Schema, Table};
use crate::error::Diagnostic;
use crate::model::{Distribution, Estimate, Risk, RiskKind};

/// The columns of `risks.csv`.
pub const SCHEMA: Schema = Schema {
    known: &[
        "id",
        "name",
        "probability",
        "kind",
        "impact_optimistic",
        "impact_likely",
        "impact_pessimistic",
        "cost_optimistic",
        "cost_likely",
        "cost_pessimistic",
        "affects",
        "distribution",
    ],
    required: &["id", "probability"],
    example: "id,name,probability,kind,impact_optimistic,impact_likely,impact_pessimistic,affects",
};

/// Reads every risk in `text` (the contents of `file`); rows without a `distribution` use
/// `default_distribution`. Returns all problems found, each with its line and field.
pub fn read(
    file: &Path,
    text: &str,
    default_distribution: Distribution,
) -> Result<Vec<Risk>, Vec<Diagnostic>> {
    let table = Table::parse(file, text, &SCHEMA)?;
    let mut risks = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for row in &table.rows {
        let line = row.line;
        let before = errors.len();
        let mut err =
            |field: &str, msg: String| errors.push(Diagnostic::at(file, line, Some(field), msg));
        let id = table.get(row, "id");
        if let Err(m) = check_id(id) {
            err("id", m);
        }
        let num = |field: &'static str, err: &mut dyn FnMut(&str, String)| match number(
            table.get(row, field),
        ) {
            Ok(v) => v,
            Err(m) => {
                err(field, m);
                None
            }
        };
        let probability = num("probability", &mut err);
        match probability {
            None if table.get(row, "probability").is_empty() => err(
                "probability",
                "missing; give the chance it happens, between 0 and 1".into(),
            ),
            Some(p) if !(0.0..=1.0).contains(&p) => err(
                "probability",
                format!("{p} is not between 0 and 1; write 0.25 for 25%"),
            ),
            _ => {}
        }
        let kind = match table.get(row, "kind").to_ascii_lowercase().as_str() {
            "" | "event" => RiskKind::Event,
            "driver" => RiskKind::Driver,
            other => {
                err(
                    "kind",
                    format!("unknown kind `{other}`; use event or driver"),
                );
                RiskKind::Event
            }
        };
        let distribution = match table.get(row, "distribution") {
            "" => default_distribution,
            d => Distribution::parse(d).unwrap_or_else(|| {
                err(
                    "distribution",
                    format!(
                        "unknown distribution `{d}`; use one of {}",
                        Distribution::NAMES
                    ),
                );
                default_distribution
            }),
        };
        let three = |prefix: &str, err: &mut dyn FnMut(&str, String)| -> Option<Estimate> {
            let fields = [
                format!("{prefix}_optimistic"),
                format!("{prefix}_likely"),
                format!("{prefix}_pessimistic"),
            ];
            let names = [fields[0].as_str(), fields[1].as_str(), fields[2].as_str()];
            three_point(&table, row, names, distribution).unwrap_or_else(|(f, m)| {
                err(&f, m);
                None
            })
        };
        let impact = three("impact", &mut err);
        let cost = three("cost", &mut err);
        let impact = match (impact, kind) {
            (Some(e), RiskKind::Driver) if e.optimistic <= 0.0 => {
                err(
                    "impact_optimistic",
                    "a driver's impact is a factor > 0, e.g. 0.9, 1.0, 1.3".into(),
                );
                None
            }
            (Some(e), _) => Some(e),
            (None, RiskKind::Driver) => {
                err(
                    "impact_likely",
                    "a driver needs its factor range, e.g. 0.9, 1.0, 1.3".into(),
                );
                None
            }
            (None, RiskKind::Event) => Estimate::fixed(0.0).ok(), // a cost-only risk
        };
        let affects: Vec<String> = table
            .get(row, "affects")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if affects.is_empty() && cost.is_none() {
            err(
                "affects",
                "the risk affects no task and has no cost; list task ids separated by `;`".into(),
            );
        }
        if errors.len() == before {
            if let (Some(probability), Some(impact)) = (probability, impact) {
                risks.push(Risk {
                    id: id.to_string(),
                    name: table.get(row, "name").to_string(),
                    probability,
                    kind,
                    impact,
                    cost,
                    affects,
                    line,
                });
            }
        }
    }
    collected(risks, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_drivers_and_cost_only_risks() {
        let r = read(
            Path::new("risks.csv"),
            "id,probability,kind,impact_optimistic,impact_likely,impact_pessimistic,cost_likely,affects\n\
             late_data,0.3,event,5,10,20,,labelling;eda\n\
             team,1,driver,0.9,1,1.3,,model_dev\n\
             licence,0.1,,,,,5000,\n",
            Distribution::Pert,
        )
        .unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(
            r[0].affects,
            vec!["labelling".to_string(), "eda".to_string()]
        );
        assert_eq!(r[1].kind, RiskKind::Driver);
        assert_eq!(r[2].cost.unwrap().likely, 5000.0);
        assert_eq!(r[2].impact.likely, 0.0);
    }

    #[test]
    fn every_problem_is_reported() {
        let e = read(
            Path::new("risks.csv"),
            "id,probability,kind,impact_likely,affects\na,1.5,event,3,x\nb,0.5,driver,,x\nc,0.5,maybe,2,x\nd,,event,2,x\n",
            Distribution::Pert,
        )
        .unwrap_err();
        let t: Vec<String> = e.iter().map(|d| d.to_string()).collect();
        assert!(
            t.iter()
                .any(|m| m
                    .starts_with("risks.csv:2: field `probability`: 1.5 is not between 0 and 1")),
            "{t:?}"
        );
        assert!(
            t.iter()
                .any(|m| m.starts_with("risks.csv:3: field `impact_likely`: a driver needs")),
            "{t:?}"
        );
        assert!(
            t.iter()
                .any(|m| m.starts_with("risks.csv:4: field `kind`: unknown kind `maybe`")),
            "{t:?}"
        );
        assert!(
            t.iter()
                .any(|m| m.starts_with("risks.csv:5: field `probability`: missing")),
            "{t:?}"
        );
    }
}
