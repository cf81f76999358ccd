//! Scenarios side by side: every scenario's report and how it differs from the baseline.

use super::Report;

/// The results of `p80 compare`: one report per scenario, the baseline (the plan as written)
/// first. Every report has the same iterations, seed, confidence, calendar, deadline and
/// budget, and the same random numbers for the same tasks.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The scenarios, the baseline first.
    pub scenarios: Vec<ScenarioReport>,
    /// With a cost of delay: which scenario to choose (see [`Recommendation`]).
    pub recommendation: Option<Recommendation>,
}

/// The scenarios a cost of delay singles out, at the confidence level. Indices into
/// [`Comparison::scenarios`]; ties go to the scenario written first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recommendation {
    /// The scenario whose economic cost at the confidence is lowest.
    pub lowest_economic_cost: usize,
    /// The scenario with the lowest cost at the confidence among those that meet the
    /// deadline with at least the confidence's probability; `None` when none does.
    pub cheapest_on_time: Option<usize>,
}

impl Recommendation {
    /// The recommendation for `scenarios`, when every one has an economic cost and a
    /// deadline (all or none do: they share the settings).
    fn of(scenarios: &[ScenarioReport]) -> Option<Recommendation> {
        let mut lowest: Option<(usize, f64)> = None;
        let mut on_time: Option<(usize, f64)> = None;
        for (i, sc) in scenarios.iter().enumerate() {
            let r = &sc.report;
            let (e, d) = (r.economic_cost.as_ref()?, r.deadline?);
            let x = e.summary.at_confidence;
            if lowest.is_none_or(|(_, y)| x < y) {
                lowest = Some((i, x));
            }
            let c = r.cost.at_confidence;
            if d.probability >= r.confidence && on_time.is_none_or(|(_, y)| c < y) {
                on_time = Some((i, c));
            }
        }
        Some(Recommendation {
            lowest_economic_cost: lowest?.0,
            cheapest_on_time: on_time.map(|(i, _)| i),
        })
    }
}

/// One scenario's results.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioReport {
    /// The scenario's name (`baseline` for the plan as written).
    pub name: String,
    /// Its report.
    pub report: Report,
    /// Its values at the confidence level minus the baseline's (zero for the baseline).
    pub change: Change,
}

/// A scenario's difference from the baseline at the confidence level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// Duration at the confidence minus the baseline's (working days; negative is faster).
    pub duration: f64,
    /// Cost at the confidence minus the baseline's (negative is cheaper).
    pub cost: f64,
}

/// One scenario as a row of a summary table (`report.html`): its values at the confidence
/// level and its change from the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioRow {
    /// The scenario's name (`baseline` first).
    pub name: String,
    /// Median duration (working days).
    pub duration_p50: f64,
    /// Duration at the confidence level.
    pub duration_at_confidence: f64,
    /// Finish date at the confidence level, with a calendar.
    pub finish_at_confidence: Option<chrono::NaiveDate>,
    /// Cost at the confidence level.
    pub cost_at_confidence: f64,
    /// Chance of meeting the deadline, when there is one.
    pub deadline_probability: Option<f64>,
    /// Difference from the baseline at the confidence level.
    pub change: Change,
}

impl ScenarioRow {
    /// The row of one scenario.
    pub fn of(s: &ScenarioReport) -> ScenarioRow {
        let r = &s.report;
        ScenarioRow {
            name: s.name.clone(),
            duration_p50: r.duration.p(50).unwrap_or(f64::NAN),
            duration_at_confidence: r.duration.at_confidence,
            finish_at_confidence: r.finish_date.as_ref().map(|f| f.at_confidence),
            cost_at_confidence: r.cost.at_confidence,
            deadline_probability: r.deadline.map(|d| d.probability),
            change: s.change,
        }
    }
}

impl Comparison {
    /// Every scenario as a summary row, the baseline first.
    pub fn rows(&self) -> Vec<ScenarioRow> {
        self.scenarios.iter().map(ScenarioRow::of).collect()
    }

    /// Compares `(name, report)` pairs, the baseline first.
    pub fn new(reports: Vec<(String, Report)>) -> Comparison {
        let base = reports
            .first()
            .map(|(_, r)| (r.duration.at_confidence, r.cost.at_confidence));
        let scenarios = reports
            .into_iter()
            .map(|(name, report)| {
                let (d, c) = base.unwrap_or_default();
                let change = Change {
                    duration: report.duration.at_confidence - d,
                    cost: report.cost.at_confidence - c,
                };
                ScenarioReport {
                    name,
                    report,
                    change,
                }
            })
            .collect::<Vec<_>>();
        Comparison {
            recommendation: Recommendation::of(&scenarios),
            scenarios,
        }
    }

    /// The baseline, if there are any scenarios.
    pub fn baseline(&self) -> Option<&ScenarioReport> {
        self.scenarios.first()
    }

    /// The scenarios after the baseline.
    pub fn alternatives(&self) -> &[ScenarioReport] {
        self.scenarios.get(1..).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testing::report;

    #[test]
    fn changes_are_differences_from_the_baseline_at_the_confidence() {
        // P80 (type 7) of 1..=5 is at position 3.2: 4.2; of 2, 4, …, 10 it is 8.4.
        let base = report(&[1.0, 2.0, 3.0, 4.0, 5.0], &[10.0, 20.0, 30.0, 40.0, 50.0]);
        let slower = report(&[2.0, 4.0, 6.0, 8.0, 10.0], &[10.0, 20.0, 30.0, 40.0, 45.0]);
        let c = Comparison::new(vec![("baseline".into(), base), ("slower".into(), slower)]);
        assert_eq!(c.baseline().unwrap().name, "baseline");
        assert_eq!(
            c.baseline().unwrap().change,
            Change {
                duration: 0.0,
                cost: 0.0
            }
        );
        let s = &c.alternatives()[0];
        assert_eq!(s.name, "slower");
        assert!((s.change.duration - (8.4 - 4.2)).abs() < 1e-12);
        // Costs: 42 against 41 (40 + 0.2 · 5).
        assert!((s.change.cost - (41.0 - 42.0)).abs() < 1e-12);
        assert!(Comparison::new(Vec::new()).alternatives().is_empty());
        assert_eq!(c.recommendation, None);
    }

    #[test]
    fn the_recommendation_weighs_cost_against_days_late() {
        use crate::model::Calendar;
        let cal = Calendar::weekdays(crate::model::calendar::parse_date("2027-01-04").unwrap());
        // Deadline: Friday of the second week, 10 working days. Durations 1..=5 × k.
        let deadline = crate::model::calendar::parse_date("2027-01-15");
        let scenario = |k: f64, costs: [f64; 5]| {
            let d: Vec<f64> = (1..=5).map(|i| i as f64 * k).collect();
            let sim = crate::engine::Simulation {
                durations: d.clone(),
                costs: costs.to_vec(),
                mean_duration: vec![],
                criticality: vec![],
                milestones: vec![],
                risk_occurrence: vec![],
                replicates: vec![],
            };
            report(&d, &costs)
                .with_calendar(&cal, deadline)
                .unwrap()
                .with_delay_cost(&sim, Some(100.0))
        };
        // fast: durations 2..10, all on time, costs 1000..1400: P80 cost 1320.
        // slow: durations 4..20, P80 16.8: late; costs 100..500: P80 cost 420; economic
        // costs 100, 200, 300 + 200, 400 + 600, 500 + 1000: P80 of 100, 200, 500, 1000, 1500
        // is 1000 + 0.2 × 500 = 1100, below fast's 1320.
        let fast = scenario(2.0, [1000.0, 1100.0, 1200.0, 1300.0, 1400.0]);
        let slow = scenario(4.0, [100.0, 200.0, 300.0, 400.0, 500.0]);
        let e = slow.economic_cost.as_ref().unwrap();
        assert!((e.summary.at_confidence - 1100.0).abs() < 1e-9, "{e:?}");
        let c = Comparison::new(vec![("baseline".into(), fast), ("slow".into(), slow)]);
        assert_eq!(
            c.recommendation,
            Some(Recommendation {
                lowest_economic_cost: 1,
                cheapest_on_time: Some(0),
            })
        );
        // Nobody on time: a delay of 1,000 a day makes slow dearer, and still late.
        let slow = scenario(4.0, [100.0, 200.0, 300.0, 400.0, 500.0]);
        let slower = scenario(5.0, [100.0, 200.0, 300.0, 400.0, 500.0]);
        let c = Comparison::new(vec![("baseline".into(), slow), ("slower".into(), slower)]);
        assert_eq!(
            c.recommendation,
            Some(Recommendation {
                lowest_economic_cost: 0,
                cheapest_on_time: None,
            })
        );
    }
}
