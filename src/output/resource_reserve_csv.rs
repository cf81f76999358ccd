//! `resource_reserve.csv`: per (scope, resource), the demand in the plan, its distribution and
//! the backup reserve to hold at the confidence level.

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::Report;

/// Writes `resource_reserve.csv`: scope (`project` or a milestone id), resource, unit (`day`
/// or `hour`), plan, mean, p50, p80, p90, at_confidence and reserve (= at_confidence − plan),
/// one row per pair in the report's order, values rounded to 6 decimals.
pub struct ResourceReserveCsv;

impl Artefact for ResourceReserveCsv {
    fn file_name(&self) -> &'static str {
        "resource_reserve.csv"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("resource_reserve.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "scope",
            "resource",
            "unit",
            "plan",
            "mean",
            "p50",
            "p80",
            "p90",
            "at_confidence",
            "reserve",
        ])
        .map_err(err)?;
        let num = |v: f64| round6(v).to_string();
        for s in &r.reserves {
            let p = |k: u32| num(s.p(k).unwrap_or(f64::NAN));
            w.write_record([
                s.scope.clone(),
                s.resource.clone(),
                s.unit.to_string(),
                num(s.plan),
                num(s.mean),
                p(50),
                p(80),
                p(90),
                num(s.at_confidence),
                num(s.reserve),
            ])
            .map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("resource_reserve.csv: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testing::report;
    use crate::stats::ResourceReserve;

    #[test]
    fn the_whole_file() {
        let mut r = report(&[1.0], &[1.0]);
        r.reserves = vec![
            ResourceReserve {
                milestone: None,
                scope: "project".into(),
                resource: "ds".into(),
                unit: "day",
                plan: 12.0,
                mean: 13.25,
                percentiles: vec![(50, 13.0), (80, 14.2), (90, 15.0000004)],
                at_confidence: 14.2,
                reserve: 2.2,
            },
            ResourceReserve {
                milestone: Some(1),
                scope: "model, v1".into(),
                resource: "gpu".into(),
                unit: "hour",
                plan: 240.0,
                mean: 230.5,
                percentiles: vec![(50, 228.0), (80, 236.0), (90, 250.0)],
                at_confidence: 236.0,
                reserve: -4.0,
            },
        ];
        let got = String::from_utf8(ResourceReserveCsv.render(&r).unwrap()).unwrap();
        assert_eq!(
            got,
            "scope,resource,unit,plan,mean,p50,p80,p90,at_confidence,reserve\n\
             project,ds,day,12,13.25,13,14.2,15,14.2,2.2\n\
             \"model, v1\",gpu,hour,240,230.5,228,236,250,236,-4\n"
        );
    }
}
