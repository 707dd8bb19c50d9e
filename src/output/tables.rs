//! The tidy CSV tables: one row per (policy, month, country, metric).

use std::io::{self, Write};

use crate::model::MetricLayout;
use crate::montecarlo::CellSummary;
use crate::montecarlo::comparison::CellDifference;

use super::number::format_number;

fn csv_error(e: csv::Error) -> io::Error {
    io::Error::other(e)
}

/// One policy's results, as the tables need them.
#[derive(Debug, Clone, Copy)]
pub struct PolicyTable<'a> {
    pub policy: &'a str,
    pub layout: &'a MetricLayout,
    pub summary: &'a [CellSummary],
    pub replications: &'a [Vec<f64>],
}

/// The header of `summary.csv`.
pub const SUMMARY_HEADER: [&str; 11] =
    ["policy", "month", "country", "metric", "mean", "sd", "p05", "p25", "p50", "p75", "p95"];

/// `summary.csv`: `policy,month,country,metric,mean,sd,p05,p25,p50,p75,p95`, policies one after another.
pub fn write_summary(out: &mut dyn Write, policies: &[PolicyTable]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(SUMMARY_HEADER).map_err(csv_error)?;
    for p in policies {
        write_summary_rows(&mut w, &[p.policy], p.layout, p.summary)?;
    }
    w.flush()
}

/// Rows `<leading…>,month,country,metric,mean,sd,p05,p25,p50,p75,p95` of one summary; `leading` are the
/// identifying columns before the month (the policy, or a sweep's grid point).
pub fn write_summary_rows<W: Write>(
    w: &mut csv::Writer<W>,
    leading: &[&str],
    layout: &MetricLayout,
    summary: &[CellSummary],
) -> io::Result<()> {
    for ((month, country, metric, _), s) in layout.cells().zip(summary) {
        let numbers = [s.mean, s.sd, s.p05, s.p25, s.p50, s.p75, s.p95].map(format_number);
        w.write_record(
            leading
                .iter()
                .copied()
                .chain([layout.months[month].as_str(), &layout.countries[country], metric])
                .chain(numbers.iter().map(String::as_str)),
        )
        .map_err(csv_error)?;
    }
    Ok(())
}

/// The header of `differences.csv`.
pub const DIFFERENCES_HEADER: [&str; 13] = [
    "policy",
    "reference",
    "month",
    "country",
    "metric",
    "n",
    "mean_difference",
    "sd_difference",
    "ci95_low",
    "ci95_high",
    "unpaired_ci95_half_width",
    "variance_reduction",
    "distinguishable",
];

/// `differences.csv`: each policy against the reference, per month, country and metric: the mean paired
/// difference (policy − reference), its 95% confidence interval, the half-width independent runs would have
/// given, the variance-reduction factor, and whether the interval excludes zero.
pub fn write_differences(
    out: &mut dyn Write,
    reference: &str,
    policies: &[(&str, &[CellDifference])],
) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(DIFFERENCES_HEADER).map_err(csv_error)?;
    for (policy, rows) in policies {
        for row in rows.iter() {
            let d = &row.difference;
            let n = d.n.to_string();
            let numbers =
                [d.mean, d.sd, d.ci_low, d.ci_high, d.unpaired_half_width, d.variance_reduction].map(format_number);
            let distinguishable = if d.distinguishable() { "true" } else { "false" };
            w.write_record(
                [*policy, reference, &row.month, &row.country, row.metric, &n]
                    .into_iter()
                    .chain(numbers.iter().map(String::as_str))
                    .chain([distinguishable]),
            )
            .map_err(csv_error)?;
        }
    }
    w.flush()
}

/// `replications.csv`: `policy,replication,month,country,metric,value`, policies one after another.
pub fn write_replications(out: &mut dyn Write, policies: &[PolicyTable]) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(REPLICATIONS_HEADER).map_err(csv_error)?;
    for p in policies {
        write_replication_rows(&mut w, p.policy, p.layout, p.replications)?;
    }
    w.flush()
}

/// `replications.csv` written as replications finish, in replication order, without holding them: each policy's
/// rows go to a temporary file of their own, and [`ReplicationsWriter::finish`] joins them, policies one after
/// another, into the same bytes as [`write_replications`].
pub struct ReplicationsWriter {
    parts: Vec<(String, MetricLayout, csv::Writer<super::TempFile>)>,
    error: Option<io::Error>,
}

impl io::Write for super::TempFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer().write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

impl ReplicationsWriter {
    /// Starts `path` for these policies (name and layout, in output order).
    pub fn create(path: &std::path::Path, policies: &[(&str, &MetricLayout)]) -> Result<Self, super::OutputError> {
        let parts = policies
            .iter()
            .map(|(name, layout)| {
                let file = super::TempFile::create(path)?;
                Ok((name.to_string(), (*layout).clone(), csv::Writer::from_writer(file)))
            })
            .collect::<Result<_, super::OutputError>>()?;
        Ok(ReplicationsWriter { parts, error: None })
    }

    /// Adds replication `index`: one vector of values per policy. The first error is kept for
    /// [`ReplicationsWriter::finish`].
    pub fn push(&mut self, index: u64, values: &[Vec<f64>]) {
        if self.error.is_some() {
            return;
        }
        for ((policy, layout, w), values) in self.parts.iter_mut().zip(values) {
            if let Err(e) = write_replication(w, policy, layout, index, values) {
                self.error = Some(e);
                return;
            }
        }
    }

    /// Writes `path` atomically: the header, then each policy's rows.
    pub fn finish(self, path: &std::path::Path) -> Result<(), super::OutputError> {
        let error = |source| super::OutputError { path: path.to_path_buf(), source };
        if let Some(e) = self.error {
            return Err(error(e));
        }
        let mut out = super::TempFile::create(path)?;
        {
            let mut w = csv::Writer::from_writer(out.writer());
            w.write_record(REPLICATIONS_HEADER).map_err(|e| error(csv_error(e)))?;
            w.flush().map_err(error)?;
        }
        for (_, _, w) in self.parts {
            let mut part = w.into_inner().map_err(|e| error(e.into_error()))?;
            let mut file = part.reopen().map_err(error)?;
            io::copy(&mut file, out.writer()).map_err(error)?;
        }
        out.commit(path)
    }
}

const REPLICATIONS_HEADER: [&str; 6] = ["policy", "replication", "month", "country", "metric", "value"];

fn write_replication_rows<W: Write>(
    w: &mut csv::Writer<W>,
    policy: &str,
    layout: &MetricLayout,
    replications: &[Vec<f64>],
) -> io::Result<()> {
    for (i, values) in replications.iter().enumerate() {
        write_replication(w, policy, layout, i as u64, values)?;
    }
    Ok(())
}

/// The rows of one replication of one policy.
fn write_replication<W: Write>(
    w: &mut csv::Writer<W>,
    policy: &str,
    layout: &MetricLayout,
    index: u64,
    values: &[f64],
) -> io::Result<()> {
    let replication = index.to_string();
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
    Ok(())
}

/// Reading a table back: checks that `header` is `expected`.
pub(super) fn check_header(header: &csv::StringRecord, expected: &[&str]) -> Result<(), String> {
    if header.iter().eq(expected.iter().copied()) {
        return Ok(());
    }
    Err(format!(
        "expected the header `{}`, found `{}`",
        expected.join(","),
        header.iter().collect::<Vec<_>>().join(",")
    ))
}

/// Reading a table back: the number in column `k` of a record on `line`; NaN for an empty cell (an undefined
/// value, as [`format_number`] writes it).
pub(super) fn read_number(record: &csv::StringRecord, k: usize, line: usize, header: &[&str]) -> Result<f64, String> {
    let text = record[k].trim();
    if text.is_empty() {
        return Ok(f64::NAN);
    }
    text.parse::<f64>().map_err(|_| format!("line {line}: {}: expected a number, found \"{text}\"", header[k]))
}

/// Appends `item` unless present: the first-appearance order of policies, months and countries.
pub(super) fn push_new(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}
