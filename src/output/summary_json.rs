//! `summary.json`: the machine-readable summary (the contract later versions extend, never break).
//!
//! The file's shape is written down once, as the serialized types below: key names and order
//! are the field order, numbers are rounded to 6 decimals (`round6`), dates are ISO strings,
//! and keys that need a start date, a deadline or a budget are left out without them. The
//! types live here rather than in `stats` because they are a format (rounding, names, string
//! dates), not statistics: `stats` stays free of serialization concerns, and the contract can
//! only change in this file.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::model::Sampling;
use crate::stats::{DateSummary, Report, Summary};

/// Writes `summary.json`.
pub struct SummaryJson;

/// The whole file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SummaryFile {
    /// The p80 version that wrote the file.
    pub p80_version: &'static str,
    /// Project name.
    pub project: String,
    /// Currency of costs.
    pub currency: String,
    /// Iterations simulated.
    pub iterations: usize,
    /// The seed.
    pub seed: u64,
    /// The confidence level, in (0, 1), as given.
    pub confidence: f64,
    /// `random` or `lhs`.
    pub sampling: &'static str,
    /// `auto` (`--iterations auto`) or `fixed`.
    pub iterations_chosen: &'static str,
    /// The project duration, in working days.
    pub duration: Measure,
    /// The project cost.
    pub cost: Measure,
    /// With `[project] delay_cost`: the economic cost, cost + delay_cost × working days past
    /// the deadline, per iteration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub economic_cost: Option<Measure>,
    /// Buffer and reserve at the confidence level.
    pub buffer: BufferJson,
    /// With a start date: the start (ISO date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// With a start date: the finish as dates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finish_date: Option<FinishDates>,
    /// With a start date and a deadline: the chance of meeting it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<DeadlineJson>,
    /// When some tasks took their range from `[import] range`: the rule, how many tasks, and
    /// the sentence every output states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_rule: Option<RangeRuleJson>,
    /// With a budget: the chance of staying within it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub budget: Option<BudgetJson>,
    /// When some task uses a resource: the project-level backup reserve of each resource it
    /// uses, in file order (milestones' are in `resource_reserve.csv`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_reserves: Vec<ReserveJson>,
    /// With `--drivers`, a deadline and a budget: the chance of meeting both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub joint: Option<JointJson>,
    /// With `sprint_length`: the finish in sprints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sprints: Option<SprintsJson>,
}

/// One entry of `resource_reserves`: a resource's demand over the whole project.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReserveJson {
    /// Resource id.
    pub resource: String,
    /// `day` or `hour`, the unit of every value below.
    pub unit: &'static str,
    /// Demand in the deterministic plan.
    pub plan: f64,
    /// Mean demand.
    pub mean: f64,
    /// Median demand.
    pub p50: f64,
    /// 80th percentile.
    pub p80: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Demand at the confidence level.
    pub at_confidence: f64,
    /// `at_confidence − plan`: the backup to hold.
    pub reserve: f64,
}

/// `sprints`: the sprint each finish falls in (a finish exactly at a sprint's end belongs to
/// that sprint; 0 or less: before sprint 1 begins).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SprintsJson {
    /// Working days per sprint.
    pub length: f64,
    /// Working days from the project start to the beginning of sprint 1.
    pub start_offset: f64,
    /// With a start date (and an offset ≥ 0): sprint 1's first day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    /// The sprint of the deterministic plan's finish.
    pub deterministic: i64,
    /// The sprint of the finish at the confidence level.
    pub at_confidence: i64,
    /// The sprint of `p1` … `p99` of the duration.
    pub percentiles: Keyed<i64>,
    /// With a start date: the last day of each of those sprints (keys as above; a finish
    /// before sprint 1 has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_dates: Option<SprintEndDates>,
}

/// `sprints.end_dates`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SprintEndDates {
    /// Of the deterministic plan's sprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deterministic: Option<String>,
    /// Of the sprint at the confidence level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_confidence: Option<String>,
    /// Of the sprints of `p1` … `p99`.
    pub percentiles: Keyed<String>,
}

impl SprintsJson {
    fn new(s: &crate::stats::SprintSummary, dated: bool) -> SprintsJson {
        let date = |x: &crate::stats::Sprint| x.end_date.map(|d| d.to_string());
        SprintsJson {
            length: round6(s.length),
            start_offset: round6(s.offset),
            start_date: s.start_date.map(|d| d.to_string()),
            deterministic: s.deterministic.number,
            at_confidence: s.at_confidence.number,
            percentiles: by_percentile(&s.percentiles, |x| x.number),
            end_dates: dated.then(|| SprintEndDates {
                deterministic: date(&s.deterministic),
                at_confidence: date(&s.at_confidence),
                percentiles: Keyed(
                    s.percentiles
                        .iter()
                        .filter_map(|(k, x)| Some((format!("p{k}"), date(x)?)))
                        .collect(),
                ),
            }),
        }
    }
}

/// One measure (duration or cost).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Measure {
    /// "working days" or the currency.
    pub unit: String,
    /// The deterministic plan's value.
    pub deterministic: f64,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub std: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// The value at the confidence level.
    pub at_confidence: f64,
    /// `p1` … `p99`.
    pub percentiles: Keyed<f64>,
    /// Standard errors of the mean, of the value at the confidence and of every percentile.
    pub standard_errors: StandardErrors,
}

/// Standard errors of one measure.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StandardErrors {
    /// Of the mean.
    pub mean: f64,
    /// Of the value at the confidence level.
    pub at_confidence: f64,
    /// Of `p1` … `p99`, flattened into this object.
    #[serde(flatten)]
    pub percentiles: Keyed<f64>,
}

/// `buffer`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BufferJson {
    /// Duration at the confidence − deterministic duration.
    pub schedule_days: f64,
    /// Cost at the confidence − deterministic cost.
    pub cost_reserve: f64,
}

/// `finish_date`: the duration's statistics as ISO dates.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FinishDates {
    /// Of the deterministic plan.
    pub deterministic: String,
    /// Earliest.
    pub min: String,
    /// Latest.
    pub max: String,
    /// At the confidence level.
    pub at_confidence: String,
    /// `p1` … `p99`.
    pub percentiles: Keyed<String>,
}

/// `deadline`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DeadlineJson {
    /// ISO date.
    pub date: String,
    /// Share of iterations finishing on or before it.
    pub probability: f64,
    /// Working days from the start through the deadline.
    pub working_days: u64,
}

/// `range_rule`: ranges that are a rule, not estimates.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RangeRuleJson {
    /// Optimistic, likely and pessimistic multipliers of the scheduled duration.
    pub multipliers: [f64; 3],
    /// How many tasks took their range from the rule.
    pub tasks: usize,
    /// The sentence stating it.
    pub note: String,
}

/// `budget`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BudgetJson {
    /// The budget.
    pub amount: f64,
    /// Share of iterations costing at most the budget.
    pub probability: f64,
}

/// `joint`: the joint confidence of the deadline and the budget.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct JointJson {
    /// ISO date.
    pub deadline: String,
    /// The budget.
    pub budget: f64,
    /// Share of iterations finishing by the deadline and costing at most the budget.
    pub probability: f64,
}

/// An object whose keys are computed (`p1`, `p5`, …), serialized in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed<T>(pub Vec<(String, T)>);

impl<T: Serialize> Serialize for Keyed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `(k, v)` pairs as `pk` keys.
fn by_percentile<V, T>(pairs: &[(u32, V)], f: impl Fn(&V) -> T) -> Keyed<T> {
    Keyed(pairs.iter().map(|(k, v)| (format!("p{k}"), f(v))).collect())
}

impl Measure {
    fn new(s: &Summary, unit: &str) -> Measure {
        let r = |v: &f64| round6(*v);
        Measure {
            unit: unit.to_string(),
            deterministic: round6(s.deterministic),
            mean: round6(s.mean),
            std: round6(s.std),
            min: round6(s.min),
            max: round6(s.max),
            at_confidence: round6(s.at_confidence),
            percentiles: by_percentile(&s.percentiles, r),
            standard_errors: StandardErrors {
                mean: round6(s.mean_se),
                at_confidence: round6(s.at_confidence_se),
                percentiles: by_percentile(&s.percentile_se, r),
            },
        }
    }
}

impl FinishDates {
    fn new(d: &DateSummary) -> FinishDates {
        FinishDates {
            deterministic: d.deterministic.to_string(),
            min: d.min.to_string(),
            max: d.max.to_string(),
            at_confidence: d.at_confidence.to_string(),
            percentiles: by_percentile(&d.percentiles, ToString::to_string),
        }
    }
}

impl SummaryFile {
    /// The file's content for a report.
    pub fn new(r: &Report) -> SummaryFile {
        // Dates only with a start date; later keys extend the contract, never change it.
        let dated = r.calendar.as_ref().zip(r.finish_date.as_ref());
        SummaryFile {
            p80_version: env!("CARGO_PKG_VERSION"),
            project: r.project.clone(),
            currency: r.currency.clone(),
            iterations: r.iterations,
            seed: r.seed,
            confidence: r.confidence,
            sampling: match r.sampling {
                Sampling::Random => "random",
                Sampling::LatinHypercube => "lhs",
            },
            iterations_chosen: if r.auto_iterations { "auto" } else { "fixed" },
            duration: Measure::new(&r.duration, "working days"),
            cost: Measure::new(&r.cost, &r.currency),
            economic_cost: r
                .economic_cost
                .as_ref()
                .map(|e| Measure::new(&e.summary, &r.currency)),
            buffer: BufferJson {
                schedule_days: round6(r.buffer.schedule_days),
                cost_reserve: round6(r.buffer.cost_reserve),
            },
            start: dated.map(|(c, _)| c.start().to_string()),
            finish_date: dated.map(|(_, d)| FinishDates::new(d)),
            deadline: dated.and(r.deadline.as_ref()).map(|dl| DeadlineJson {
                date: dl.date.to_string(),
                probability: round6(dl.probability),
                working_days: dl.working_days,
            }),
            range_rule: r.range_rule.as_ref().map(|u| RangeRuleJson {
                multipliers: u.rule.0,
                tasks: u.tasks,
                note: u.sentence(),
            }),
            budget: r.budget.map(|b| BudgetJson {
                amount: round6(b.amount),
                probability: round6(b.probability),
            }),
            resource_reserves: r
                .reserves
                .iter()
                .filter(|s| s.is_project())
                .map(|s| {
                    let p = |k: u32| round6(s.p(k).unwrap_or(f64::NAN));
                    ReserveJson {
                        resource: s.resource.clone(),
                        unit: s.unit,
                        plan: round6(s.plan),
                        mean: round6(s.mean),
                        p50: p(50),
                        p80: p(80),
                        p90: p(90),
                        at_confidence: round6(s.at_confidence),
                        reserve: round6(s.reserve),
                    }
                })
                .collect(),
            joint: r.drivers.as_ref().and_then(|d| d.joint).map(|j| JointJson {
                deadline: j.deadline.to_string(),
                budget: round6(j.budget),
                probability: round6(j.probability),
            }),
            sprints: r
                .sprints
                .as_ref()
                .map(|s| SprintsJson::new(s, r.calendar.is_some())),
        }
    }
}

impl Artefact for SummaryJson {
    fn file_name(&self) -> &'static str {
        "summary.json"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let mut out = serde_json::to_vec_pretty(&SummaryFile::new(r))
            .map_err(|e| Error::Output(format!("summary.json: {e}")))?;
        out.push(b'\n');
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::parse_date;
    use crate::model::Calendar;
    use crate::stats::testing::report;

    fn dated() -> Report {
        let cal = Calendar::new(
            parse_date("2027-01-04").unwrap(),
            [true, true, true, true, true, false, false],
            [],
        )
        .unwrap();
        report(
            &[8.0, 9.0, 10.0, 11.0, 12.0],
            &[250.0, 300.0, 310.0, 400.0, 500.0],
        )
        .with_budget(Some(320.0))
        .with_calendar(&cal, parse_date("2027-01-15"))
        .unwrap()
    }

    #[test]
    fn the_whole_file() {
        let got = String::from_utf8(SummaryJson.render(&dated()).unwrap()).unwrap();
        let want = include_str!("../../tests/fixtures/summary_json/dated.json")
            .replace("VERSION", env!("CARGO_PKG_VERSION"));
        assert_eq!(got, want);
    }

    #[test]
    fn keys_that_need_a_start_date_or_a_budget_are_left_out_without_them() {
        let keys = |r: &Report| -> Vec<String> {
            let v: serde_json::Value =
                serde_json::from_slice(&SummaryJson.render(r).unwrap()).unwrap();
            v.as_object().unwrap().keys().cloned().collect()
        };
        let plain = report(&[1.0, 2.0], &[3.0, 4.0]);
        let base = [
            "p80_version",
            "project",
            "currency",
            "iterations",
            "seed",
            "confidence",
            "sampling",
            "iterations_chosen",
            "duration",
            "cost",
            "buffer",
        ];
        assert_eq!(keys(&plain), base);
        let mut with_budget = base.to_vec();
        with_budget.push("budget");
        assert_eq!(keys(&plain.with_budget(Some(3.5))), with_budget);
        let mut all = base.to_vec();
        all.extend(["start", "finish_date", "deadline", "budget"]);
        assert_eq!(keys(&dated()), all);
        let mut reserved = base.to_vec();
        reserved.push("resource_reserves");
        assert_eq!(keys(&with_reserves()), reserved);
        all.push("sprints");
        let sprints = crate::model::Sprints {
            length: 10.0,
            start: crate::model::SprintStart::Offset(0.0),
        };
        assert_eq!(keys(&dated().with_sprints(&sprints).unwrap()), all);
    }

    /// The plain report with two reserves: the project's ds and a milestone's.
    fn with_reserves() -> Report {
        let mut r = report(&[1.0, 2.0], &[3.0, 4.0]);
        let mk = |milestone: Option<usize>, scope: &str| crate::stats::ResourceReserve {
            milestone,
            scope: scope.into(),
            resource: "ds".into(),
            unit: "day",
            plan: 12.0,
            mean: 13.25,
            percentiles: vec![(50, 13.0), (80, 14.2), (90, 15.0000004)],
            at_confidence: 14.2,
            reserve: 2.2,
        };
        r.reserves = vec![mk(None, "project"), mk(Some(1), "b")];
        r
    }

    #[test]
    fn project_reserves_are_listed_milestones_left_to_the_csv() {
        let v: serde_json::Value =
            serde_json::from_slice(&SummaryJson.render(&with_reserves()).unwrap()).unwrap();
        assert_eq!(
            v["resource_reserves"],
            serde_json::json!([{
                "resource": "ds", "unit": "day", "plan": 12.0, "mean": 13.25, "p50": 13.0,
                "p80": 14.2, "p90": 15.0, "at_confidence": 14.2, "reserve": 2.2
            }])
        );
    }

    #[test]
    fn sprints_as_numbers_and_end_dates() {
        // Durations 8..=12, plan 10; sprints of 5 working days from Monday 2027-01-04 (Mon–Fri):
        // plan 10 ends sprint 2 (Friday 15 January); P80 (type 7: 11.2) is in sprint 3, which
        // ends on working day 15, Friday 22 January.
        let sprints = crate::model::Sprints {
            length: 5.0,
            start: crate::model::SprintStart::Offset(0.0),
        };
        let r = dated().with_sprints(&sprints).unwrap();
        let v: serde_json::Value =
            serde_json::from_slice(&SummaryJson.render(&r).unwrap()).unwrap();
        let s = &v["sprints"];
        assert_eq!(s["length"], 5.0);
        assert_eq!(s["start_offset"], 0.0);
        assert_eq!(s["start_date"], "2027-01-04");
        assert_eq!(s["deterministic"], 2);
        assert_eq!(s["at_confidence"], 3);
        assert_eq!(s["percentiles"]["p80"], 3);
        assert_eq!(s["percentiles"]["p50"], 2);
        assert_eq!(s["end_dates"]["deterministic"], "2027-01-15");
        assert_eq!(s["end_dates"]["percentiles"]["p80"], "2027-01-22");
    }
}
