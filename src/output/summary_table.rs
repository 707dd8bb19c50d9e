//! `summary.csv` read back: what charts and reports are drawn from, so that they can be redrawn from the file
//! alone, without re-running.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::tables::{SUMMARY_HEADER, check_header, push_new, read_number};

/// One row's statistics across replications; NaN where the file has an empty cell (an undefined value).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub mean: f64,
    pub sd: f64,
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

impl Stats {
    const MISSING: Stats = Stats {
        mean: f64::NAN,
        sd: f64::NAN,
        p05: f64::NAN,
        p25: f64::NAN,
        p50: f64::NAN,
        p75: f64::NAN,
        p95: f64::NAN,
    };
}

/// The summary table: policies, months and countries in file order, and each (policy, country, metric)'s
/// statistics month by month.
#[derive(Debug, Clone, Default)]
pub struct SummaryTable {
    /// Policies in order of first appearance.
    pub policies: Vec<String>,
    /// Calendar months `YYYY-MM` in order of first appearance (the file lists them in calendar order).
    pub months: Vec<String>,
    /// Countries in order of first appearance: the sending country first, then the receiving ones.
    pub countries: Vec<String>,
    series: HashMap<(String, String, String), Vec<Stats>>,
}

/// Why a summary table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SummaryError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
}

impl SummaryTable {
    /// Reads `summary.csv` from a file.
    pub fn read(path: &Path) -> Result<SummaryTable, SummaryError> {
        let file =
            std::fs::File::open(path).map_err(|source| SummaryError::Read { path: path.to_path_buf(), source })?;
        SummaryTable::parse(file).map_err(|message| SummaryError::Format { path: path.to_path_buf(), message })
    }

    /// Parses `summary.csv` text; the error says which line is wrong and why.
    pub fn from_reader(reader: impl Read) -> Result<SummaryTable, super::TableFormatError> {
        SummaryTable::parse(reader).map_err(super::TableFormatError)
    }

    fn parse(reader: impl Read) -> Result<SummaryTable, String> {
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(reader);
        let header = r.headers().map_err(|e| e.to_string())?.clone();
        check_header(&header, &SUMMARY_HEADER)?;
        let mut table = SummaryTable::default();
        let mut month_index: HashMap<String, usize> = HashMap::new();
        let mut rows: Vec<((String, String, String), usize, Stats)> = Vec::new();
        for (i, record) in r.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| format!("line {line}: {e}"))?;
            let number = |k: usize| read_number(&record, k, line, &SUMMARY_HEADER);
            let stats = Stats {
                mean: number(4)?,
                sd: number(5)?,
                p05: number(6)?,
                p25: number(7)?,
                p50: number(8)?,
                p75: number(9)?,
                p95: number(10)?,
            };
            let (policy, month, country, metric) = (&record[0], &record[1], &record[2], &record[3]);
            push_new(&mut table.policies, policy);
            push_new(&mut table.countries, country);
            let m = *month_index.entry(month.to_string()).or_insert_with(|| {
                table.months.push(month.to_string());
                table.months.len() - 1
            });
            rows.push(((policy.to_string(), country.to_string(), metric.to_string()), m, stats));
        }
        if rows.is_empty() {
            return Err("the table has no rows".to_string());
        }
        let months = table.months.len();
        for (key, m, stats) in rows {
            table.series.entry(key).or_insert_with(|| vec![Stats::MISSING; months])[m] = stats;
        }
        Ok(table)
    }

    /// A metric's statistics month by month (in [`SummaryTable::months`] order), if the table has it.
    pub fn series(&self, policy: &str, country: &str, metric: &str) -> Option<&[Stats]> {
        self.series.get(&(policy.to_string(), country.to_string(), metric.to_string())).map(Vec::as_slice)
    }

    /// Whether the table has a metric for this policy and country with a value other than zero in some month:
    /// how outputs tell a mechanism the scenario uses from one it leaves off (whose metrics are all zero).
    pub fn nonzero(&self, policy: &str, country: &str, metric: &str) -> bool {
        self.series(policy, country, metric).is_some_and(|months| {
            months.iter().any(|s| [s.mean, s.p05, s.p50, s.p95].iter().any(|v| v.is_finite() && *v != 0.0))
        })
    }

    /// The statistics of one month, if the table has them.
    pub fn get(&self, policy: &str, month: &str, country: &str, metric: &str) -> Option<Stats> {
        let m = self.months.iter().position(|x| x == month)?;
        self.series(policy, country, metric).map(|s| s[m])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_keeps_order_and_empty_cells_are_undefined() {
        let text = "policy,month,country,metric,mean,sd,p05,p25,p50,p75,p95\n\
                    baseline,2020-01,a,x,1,0,1,1,1,1,1\n\
                    baseline,2020-01,b,y,2,,,,,,\n\
                    baseline,2020-02,a,x,3,1,2,2.5,3,3.5,4\n";
        let t = SummaryTable::from_reader(text.as_bytes()).unwrap();
        assert_eq!(t.months, ["2020-01", "2020-02"]);
        assert_eq!(t.countries, ["a", "b"]);
        assert_eq!(t.policies, ["baseline"]);
        let x = t.series("baseline", "a", "x").unwrap();
        assert_eq!(x[1].p75, 3.5);
        let y = t.series("baseline", "b", "y").unwrap();
        assert_eq!(y[0].mean, 2.0);
        assert!(y[0].p50.is_nan() && y[1].mean.is_nan(), "empty cells and missing months are undefined");
        assert_eq!(t.get("baseline", "2020-02", "a", "x").unwrap().p95, 4.0);
        assert!(t.series("baseline", "a", "nope").is_none());
    }

    #[test]
    fn nonzero_is_a_metric_present_with_some_value_other_than_zero() {
        let text = "policy,month,country,metric,mean,sd,p05,p25,p50,p75,p95\n\
                    p,2020-01,a,zero,0,0,0,0,0,0,0\n\
                    p,2020-01,a,rare,0.1,0.3,0,0,0,0,1\n\
                    p,2020-01,a,undefined,,,,,,,\n\
                    p,2020-02,a,zero,0,0,0,0,0,0,0\n";
        let t = SummaryTable::from_reader(text.as_bytes()).unwrap();
        assert!(t.nonzero("p", "a", "rare"), "a value in a few replications counts");
        assert!(!t.nonzero("p", "a", "zero"));
        assert!(!t.nonzero("p", "a", "undefined"));
        assert!(!t.nonzero("p", "a", "absent"));
        assert!(!t.nonzero("q", "a", "rare"), "another policy");
    }

    #[test]
    fn rejects_a_wrong_header_and_a_bad_number_with_its_line() {
        assert!(SummaryTable::from_reader("a,b\n1,2\n".as_bytes()).unwrap_err().0.contains("expected the header"));
        let bad = "policy,month,country,metric,mean,sd,p05,p25,p50,p75,p95\nbaseline,2020-01,a,x,1,0,1,one,1,1,1\n";
        let e = SummaryTable::from_reader(bad.as_bytes()).unwrap_err().0;
        assert!(e.contains("line 2") && e.contains("p25") && e.contains("\"one\""), "{e}");
    }
}
