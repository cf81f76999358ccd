//! Scenarios side by side: every scenario's report and how it differs from the baseline.

use super::Report;

/// The results of `p80 compare`: one report per scenario, the baseline (the plan as written)
/// first. Every report has the same iterations, seed, confidence, calendar, deadline and
/// budget, and the same random numbers for the same tasks.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The scenarios, the baseline first.
    pub scenarios: Vec<ScenarioReport>,
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
            .collect();
        Comparison { scenarios }
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
    }
}
