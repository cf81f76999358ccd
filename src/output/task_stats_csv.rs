//! `task_stats.csv`: per task, mean duration, criticality and mean cost; with `--drivers` also
//! sensitivities, cruciality, schedule sensitivity index and P50/P80 starts and finishes.

use super::{round6, Artefact};
use crate::error::{Error, Result};
use crate::stats::Report;

/// Writes `task_stats.csv`: id, name, mean_duration, criticality, mean_cost, critical_in_plan,
/// one row per task in the order of the tasks file. With drivers: duration_sensitivity,
/// cost_sensitivity, cruciality, ssi, start_p50, start_p80, finish_p50, finish_p80 and, with a
/// calendar, finish_date_p50, finish_date_p80.
pub struct TaskStatsCsv;

impl Artefact for TaskStatsCsv {
    fn file_name(&self) -> &'static str {
        "task_stats.csv"
    }

    fn render(&self, r: &Report) -> Result<Vec<u8>> {
        let err = |e: csv::Error| Error::Output(format!("task_stats.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        let drivers = r.drivers.as_ref();
        let dated = drivers.is_some_and(|d| d.tasks.iter().any(|t| t.finish_dates.is_some()));
        let mut header = vec![
            "id",
            "name",
            "mean_duration",
            "criticality",
            "mean_cost",
            "critical_in_plan",
        ];
        if drivers.is_some() {
            header.extend([
                "duration_sensitivity",
                "cost_sensitivity",
                "cruciality",
                "ssi",
                "start_p50",
                "start_p80",
                "finish_p50",
                "finish_p80",
            ]);
        }
        if dated {
            header.extend(["finish_date_p50", "finish_date_p80"]);
        }
        w.write_record(&header).map_err(err)?;
        for (i, t) in r.tasks.iter().enumerate() {
            let mut row = vec![
                t.id.clone(),
                t.name.clone(),
                round6(t.mean_duration).to_string(),
                round6(t.criticality).to_string(),
                round6(t.mean_cost).to_string(),
                t.deterministic_critical.to_string(),
            ];
            if let Some(d) = drivers.map(|d| &d.tasks[i]) {
                row.extend(
                    [
                        d.duration_sensitivity,
                        d.cost_sensitivity,
                        d.cruciality,
                        d.ssi,
                        d.start_p50,
                        d.start_p80,
                        d.finish_p50,
                        d.finish_p80,
                    ]
                    .map(|x| round6(x).to_string()),
                );
                if let Some((p50, p80)) = d.finish_dates {
                    row.extend([p50.to_string(), p80.to_string()]);
                }
            }
            w.write_record(&row).map_err(err)?;
        }
        w.into_inner()
            .map_err(|e| Error::Output(format!("task_stats.csv: {e}")))
    }
}

#[cfg(test)]
mod drivers_tests {
    use super::*;

    #[test]
    fn drivers_add_their_columns_after_the_existing_ones() {
        // Task a: criticality 0.6, ρ 0.3 → cruciality 0.18; σ 1 over the project's σ 1 (9, 10,
        // 11) → SSI 0.6; starts 0 and 1, finishes 4 and 5.
        let r = crate::stats::testing::report_with_drivers();
        let text = String::from_utf8(TaskStatsCsv.render(&r).unwrap()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "id,name,mean_duration,criticality,mean_cost,critical_in_plan,duration_sensitivity,\
             cost_sensitivity,cruciality,ssi,start_p50,start_p80,finish_p50,finish_p80"
        );
        let a = lines.next().unwrap();
        assert!(a.ends_with(",0.3,0,0.18,0.6,0,1,4,5"), "{a}");
        let b = lines.next().unwrap();
        assert!(b.ends_with(",0.9,0,0.9,1,4,5,8,9"), "{b}");
    }
}
