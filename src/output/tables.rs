//! The tidy CSV tables: one row per (policy, month, country, metric).

use std::io::{self, Write};

use crate::model::MetricLayout;
use crate::montecarlo::CellSummary;

use super::number::format_number;

fn csv_error(e: csv::Error) -> io::Error {
    io::Error::other(e)
}

/// `summary.csv`: `policy,month,country,metric,mean,sd,p05,p25,p50,p75,p95`.
pub fn write_summary(
    out: &mut dyn Write,
    policy: &str,
    layout: &MetricLayout,
    summary: &[CellSummary],
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["policy", "month", "country", "metric", "mean", "sd", "p05", "p25", "p50", "p75", "p95"])
        .map_err(csv_error)?;
    for ((month, country, metric, _), s) in layout.cells().zip(summary) {
        let numbers = [s.mean, s.sd, s.p05, s.p25, s.p50, s.p75, s.p95].map(format_number);
        w.write_record(
            [policy, &layout.months[month], &layout.countries[country], metric]
                .into_iter()
                .chain(numbers.iter().map(String::as_str)),
        )
        .map_err(csv_error)?;
    }
    w.flush()
}

/// `replications.csv`: `policy,replication,month,country,metric,value`.
pub fn write_replications(
    out: &mut dyn Write,
    policy: &str,
    layout: &MetricLayout,
    replications: &[Vec<f64>],
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["policy", "replication", "month", "country", "metric", "value"]).map_err(csv_error)?;
    for (i, values) in replications.iter().enumerate() {
        let replication = i.to_string();
        for ((month, country, metric, _), value) in layout.cells().zip(values) {
            w.write_record([
                policy,
                &replication,
                &layout.months[month],
                &layout.countries[country],
                metric,
                &format_number(*value),
            ])
            .map_err(csv_error)?;
        }
    }
    w.flush()
}
