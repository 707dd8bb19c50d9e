//! `differences.csv` read back: what difference charts are drawn from, so that `safe-third chart DIR` redraws
//! them from the file alone.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use super::tables::{DIFFERENCES_HEADER, check_header, push_new, read_number};

use super::summary_table::{Stats, SummaryError};

/// One row of `differences.csv`: a policy minus the reference in one month, country and metric. NaN where the
/// file has an empty cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DifferenceCell {
    pub n: f64,
    pub mean: f64,
    pub sd: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub unpaired_half_width: f64,
    pub variance_reduction: f64,
    pub distinguishable: bool,
}

impl DifferenceCell {
    const MISSING: DifferenceCell = DifferenceCell {
        n: f64::NAN,
        mean: f64::NAN,
        sd: f64::NAN,
        ci_low: f64::NAN,
        ci_high: f64::NAN,
        unpaired_half_width: f64::NAN,
        variance_reduction: f64::NAN,
        distinguishable: false,
    };
}

/// The differences table: the reference policy, the other policies, months and countries in file order, and each
/// (policy, country, metric)'s differences month by month.
#[derive(Debug, Clone, Default)]
pub struct DifferenceTable {
    pub reference: String,
    /// Policies compared with the reference, in order of first appearance.
    pub policies: Vec<String>,
    pub months: Vec<String>,
    pub countries: Vec<String>,
    cells: HashMap<(String, String, String), Vec<DifferenceCell>>,
    /// The same as statistics for drawing: `mean` and `p50` hold the mean difference, `p05` and `p95` the
    /// bounds of its 95% confidence interval, the rest is NaN.
    stats: HashMap<(String, String, String), Vec<Stats>>,
}

impl DifferenceTable {
    /// Reads `differences.csv` from a file.
    pub fn read(path: &Path) -> Result<DifferenceTable, SummaryError> {
        let file =
            std::fs::File::open(path).map_err(|source| SummaryError::Read { path: path.to_path_buf(), source })?;
        DifferenceTable::parse(file).map_err(|message| SummaryError::Format { path: path.to_path_buf(), message })
    }

    /// Parses `differences.csv` text; the error says which line is wrong and why.
    pub fn from_reader(reader: impl Read) -> Result<DifferenceTable, super::TableFormatError> {
        DifferenceTable::parse(reader).map_err(super::TableFormatError)
    }

    fn parse(reader: impl Read) -> Result<DifferenceTable, String> {
        let mut r = csv::ReaderBuilder::new().has_headers(true).from_reader(reader);
        let header = r.headers().map_err(|e| e.to_string())?.clone();
        check_header(&header, &DIFFERENCES_HEADER)?;
        let mut table = DifferenceTable::default();
        let mut month_index: HashMap<String, usize> = HashMap::new();
        let mut rows = Vec::new();
        for (i, record) in r.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| format!("line {line}: {e}"))?;
            let number = |k: usize| read_number(&record, k, line, &DIFFERENCES_HEADER);
            let distinguishable = match record[12].trim() {
                "true" => true,
                "false" => false,
                other => {
                    return Err(format!("line {line}: distinguishable: expected true or false, found \"{other}\""));
                }
            };
            let cell = DifferenceCell {
                n: number(5)?,
                mean: number(6)?,
                sd: number(7)?,
                ci_low: number(8)?,
                ci_high: number(9)?,
                unpaired_half_width: number(10)?,
                variance_reduction: number(11)?,
                distinguishable,
            };
            let (policy, reference, month, country, metric) =
                (&record[0], &record[1], &record[2], &record[3], &record[4]);
            if table.reference.is_empty() {
                table.reference = reference.to_string();
            } else if table.reference != reference {
                return Err(format!(
                    "line {line}: reference: every row must have the same reference, \"{}\", found \"{reference}\"",
                    table.reference
                ));
            }
            push_new(&mut table.policies, policy);
            push_new(&mut table.countries, country);
            let m = *month_index.entry(month.to_string()).or_insert_with(|| {
                table.months.push(month.to_string());
                table.months.len() - 1
            });
            rows.push(((policy.to_string(), country.to_string(), metric.to_string()), m, cell));
        }
        if rows.is_empty() {
            return Err("the table has no rows".to_string());
        }
        let months = table.months.len();
        for (key, m, cell) in rows {
            table.cells.entry(key).or_insert_with(|| vec![DifferenceCell::MISSING; months])[m] = cell;
        }
        table.stats = table
            .cells
            .iter()
            .map(|(key, cells)| {
                let stats = cells
                    .iter()
                    .map(|c| Stats {
                        mean: c.mean,
                        sd: c.sd,
                        p05: c.ci_low,
                        p25: f64::NAN,
                        p50: c.mean,
                        p75: f64::NAN,
                        p95: c.ci_high,
                    })
                    .collect();
                (key.clone(), stats)
            })
            .collect();
        Ok(table)
    }

    /// A metric's differences month by month (in [`DifferenceTable::months`] order), if the table has it.
    pub fn series(&self, policy: &str, country: &str, metric: &str) -> Option<&[DifferenceCell]> {
        self.cells.get(&(policy.to_string(), country.to_string(), metric.to_string())).map(Vec::as_slice)
    }

    /// The differences as statistics for drawing: the mean difference as `mean` and `p50`, its 95% confidence
    /// interval as `p05`–`p95`.
    pub fn stats(&self, policy: &str, country: &str, metric: &str) -> Option<&[Stats]> {
        self.stats.get(&(policy.to_string(), country.to_string(), metric.to_string())).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "policy,reference,month,country,metric,n,mean_difference,sd_difference,ci95_low,ci95_high,\
                        unpaired_ci95_half_width,variance_reduction,distinguishable\n";

    #[test]
    fn reads_rows_in_order_with_their_intervals() {
        let text = format!(
            "{HEAD}a,ref,2020-01,g,backlog_cases,10,-2.5,1,-3,-2,4,16,true\n\
             a,ref,2020-02,g,backlog_cases,10,0,0,0,0,0,inf,false\n\
             b,ref,2020-01,g,backlog_cases,10,1,,,,,,false\n"
        );
        let t = DifferenceTable::from_reader(text.as_bytes()).unwrap();
        assert_eq!(t.reference, "ref");
        assert_eq!(t.policies, ["a", "b"]);
        assert_eq!(t.months, ["2020-01", "2020-02"]);
        let a = t.series("a", "g", "backlog_cases").unwrap();
        assert_eq!((a[0].mean, a[0].ci_low, a[0].ci_high, a[0].distinguishable), (-2.5, -3.0, -2.0, true));
        assert!(a[1].variance_reduction.is_infinite());
        let s = t.stats("a", "g", "backlog_cases").unwrap();
        assert_eq!((s[0].p05, s[0].p50, s[0].p95), (-3.0, -2.5, -2.0));
        let b = t.series("b", "g", "backlog_cases").unwrap();
        assert!(b[0].ci_low.is_nan() && b[1].mean.is_nan(), "empty cells and missing months are undefined");
    }

    #[test]
    fn rejects_mixed_references_and_bad_cells_with_their_line() {
        let mixed = format!("{HEAD}a,ref,2020-01,g,x,1,0,0,0,0,0,1,false\na,other,2020-01,g,y,1,0,0,0,0,0,1,false\n");
        let e = DifferenceTable::from_reader(mixed.as_bytes()).unwrap_err().0;
        assert!(e.contains("line 3") && e.contains("reference"), "{e}");
        let bad = format!("{HEAD}a,ref,2020-01,g,x,1,0,0,0,0,0,1,maybe\n");
        assert!(DifferenceTable::from_reader(bad.as_bytes()).unwrap_err().0.contains("line 2"));
        assert!(DifferenceTable::from_reader("a,b\n".as_bytes()).unwrap_err().0.contains("expected the header"));
    }
}
