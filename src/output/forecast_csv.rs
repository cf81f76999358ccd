//! `forecast.csv`: the forecast's P-table, one row per percentile.
//!
//! "When": `percentile,periods,working_days,date` (`date` only with a start date): the whole
//! periods within which that share of the iterations finished the backlog, their working days
//! and the last day of the last one. "How many": `percentile,items`: the items that at least
//! that share of the iterations finished by the date (so the count falls as the percentile
//! rises). `percentile` is 50 for P50 (97.5 for a confidence of 0.975).

use super::format::confidence_label;
use super::Artefact;
use crate::error::{Error, Result};
use crate::stats::forecast::{Answer, ForecastReport};

/// Writes `forecast.csv`.
pub struct ForecastCsv;

/// "50" for 0.5, "97.5" for 0.975.
fn percentile(level: f64) -> String {
    confidence_label(level)[1..].to_string()
}

impl Artefact<ForecastReport> for ForecastCsv {
    fn file_name(&self) -> &'static str {
        "forecast.csv"
    }

    fn render(&self, r: &ForecastReport) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("forecast.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        match &r.answer {
            Answer::When { rows, .. } => {
                let dated = r.calendar.is_some();
                let mut header = vec!["percentile", "periods", "working_days"];
                if dated {
                    header.push("date");
                }
                w.write_record(&header).map_err(err)?;
                for row in rows {
                    let mut rec = vec![
                        percentile(row.level),
                        row.periods.to_string(),
                        row.working_days.to_string(),
                    ];
                    if dated {
                        rec.push(row.date.map_or_else(String::new, |d| d.to_string()));
                    }
                    w.write_record(&rec).map_err(err)?;
                }
            }
            Answer::HowMany { rows, .. } => {
                w.write_record(["percentile", "items"]).map_err(err)?;
                for row in rows {
                    w.write_record([percentile(row.level), row.items.to_string()])
                        .map_err(err)?;
                }
            }
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("forecast.csv: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::forecast::testing::{how_many, when};

    #[test]
    fn when_table_with_dates() {
        let csv = String::from_utf8(ForecastCsv.render(&when(true)).unwrap()).unwrap();
        assert_eq!(
            csv,
            "percentile,periods,working_days,date\n\
             5,3,15,2027-03-19\n10,3,15,2027-03-19\n25,4,20,2027-03-26\n50,4,20,2027-03-26\n\
             70,4,20,2027-03-26\n75,5,25,2027-04-02\n80,5,25,2027-04-02\n85,5,25,2027-04-02\n\
             90,5,25,2027-04-02\n95,5,25,2027-04-02\n99,5,25,2027-04-02\n"
        );
        let csv = String::from_utf8(ForecastCsv.render(&when(false)).unwrap()).unwrap();
        assert!(
            csv.starts_with("percentile,periods,working_days\n5,3,15\n"),
            "{csv}"
        );
    }

    #[test]
    fn how_many_table_counts_down() {
        let csv = String::from_utf8(ForecastCsv.render(&how_many()).unwrap()).unwrap();
        assert_eq!(
            csv,
            "percentile,items\n5,25\n10,25\n25,23\n50,21\n70,19\n75,18\n80,18\n85,17\n90,17\n\
             95,16\n97.5,16\n99,16\n"
        );
    }
}
