//! `jcl.csv` (`--drivers`): the joint cost and schedule confidence frontier.

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::Report;

/// Writes `jcl.csv`: for a grid of finish values, the smallest cost met together with that
/// finish at the confidence level. Columns duration, finish_date (with a calendar), cost.
pub struct JclCsv;

impl Artefact for JclCsv {
    fn file_name(&self) -> &'static str {
        "jcl.csv"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("jcl.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        let frontier = r.drivers.as_ref().map_or(&[][..], |d| &d.frontier[..]);
        let dated = r.calendar.is_some();
        let mut header = vec!["duration"];
        if dated {
            header.push("finish_date");
        }
        header.push("cost");
        w.write_record(&header).map_err(err)?;
        for p in frontier {
            let mut row = vec![round6(p.duration).to_string()];
            if dated {
                row.push(p.finish_date.map(|d| d.to_string()).unwrap_or_default());
            }
            row.push(round6(p.cost).to_string());
            w.write_record(&row).map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("jcl.csv: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_frontier_point_without_dates_when_undated() {
        // Durations 9, 10, 11 with costs 100, 300, 200 at 0.8: k = 3, so the frontier starts at
        // 11 (the only finish with P(duration ≤ f) ≥ 0.8) with the third smallest cost, 300.
        let r = crate::stats::testing::report_with_drivers();
        let text = String::from_utf8(JclCsv.render(&r).unwrap()).unwrap();
        assert_eq!(text, "duration,cost\n11,300\n");
    }
}
