//! `health.csv`: the schedule health check, one row per check.

use super::format::{health_status, health_threshold};
use super::Artefact;
use crate::error::{Error, Result};
use crate::stats::{Health, Report};

/// Writes `health.csv`: check, count, threshold, status, tasks; one row per check in the
/// order of [`Health::of`]. `threshold` is a count ("0") or a share of the items checked
/// ("5%"); `status` is `ok` or `warning`; `tasks` lists every task (or resource) concerned,
/// `;`-separated, in file order. `p80 simulate` writes it always; `p80 check --out DIR` too.
pub struct HealthCsv;

impl HealthCsv {
    fn bytes(h: &Health) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("health.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["check", "count", "threshold", "status", "tasks"])
            .map_err(err)?;
        for c in &h.checks {
            w.write_record([
                c.key.to_string(),
                c.count.to_string(),
                health_threshold(c.limit),
                health_status(c).to_string(),
                c.items.join(";"),
            ])
            .map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("health.csv: {e}")))
    }
}

impl Artefact for HealthCsv {
    fn file_name(&self) -> &'static str {
        "health.csv"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        HealthCsv::bytes(&r.health)
    }
}

impl Artefact<Health> for HealthCsv {
    fn file_name(&self) -> &'static str {
        "health.csv"
    }

    fn render(&self, h: &Health) -> Result<Vec<u8>> {
        HealthCsv::bytes(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::health::{Check, Limit};

    #[test]
    fn one_row_per_check_with_every_task() {
        let h = Health {
            checks: vec![
                Check {
                    key: "open_ends",
                    title: "open ends",
                    count: 2,
                    out_of: 10,
                    unit: "tasks",
                    limit: Limit::Share(0.05),
                    items: vec!["a".into(), "b".into()],
                },
                Check {
                    key: "leads",
                    title: "leads",
                    count: 0,
                    out_of: 4,
                    unit: "links",
                    limit: Limit::Count(0),
                    items: Vec::new(),
                },
            ],
        };
        let text = String::from_utf8(Artefact::<Health>::render(&HealthCsv, &h).unwrap()).unwrap();
        assert_eq!(
            text,
            "check,count,threshold,status,tasks\n\
             open_ends,2,5%,warning,a;b\n\
             leads,0,0,ok,\n"
        );
    }
}
