//! Observed values: what the record says, to compare a run with and to fit a scenario to.
//!
//! A CSV with a header and the columns `date_or_month,country,metric,value`, optionally followed by `low,high`
//! (an interval the true value is known to lie in, e.g. ">230" is `low = 230`, `high` empty) and `source`. Lines
//! starting with `#` are comments.
//!
//! - `date_or_month` is a day (`2019-12-12`: the value as of the end of that day) or a month (`2020-03`: the
//!   value at the end of the month, or the month's total for a flow metric).
//! - `metric` is any metric of the outputs (README, Metrics): a stock (`backlog_cases`), a cumulative total
//!   (`cumulative_transferred_people`), or a flow per month (`transferred_people`).

use std::fmt;

use chrono::Datelike as _;

use crate::scenario::Date;

/// When an observation was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    /// At the end of this day.
    Day(Date),
    /// At the end of this month, or over it for a flow: (year, month).
    Month(i32, u32),
}

impl When {
    /// `YYYY-MM` of the month it falls in.
    pub fn month_label(&self) -> String {
        match *self {
            When::Day(d) => format!("{:04}-{:02}", d.0.year(), d.0.month()),
            When::Month(y, m) => format!("{y:04}-{m:02}"),
        }
    }

    /// The last day it covers: the day itself, or the month's last day.
    pub fn last_day(&self) -> Date {
        match *self {
            When::Day(d) => d,
            When::Month(y, m) => {
                let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                Date(
                    chrono::NaiveDate::from_ymd_opt(next.0, next.1, 1)
                        .and_then(|d| d.pred_opt())
                        .expect("a valid month"),
                )
            }
        }
    }

    /// Share of its month elapsed at the end of the observed day: 1 for a whole month.
    pub fn month_fraction(&self) -> f64 {
        match *self {
            When::Day(d) => {
                let days = When::Month(d.0.year(), d.0.month()).last_day().0.day();
                f64::from(d.0.day()) / f64::from(days)
            }
            When::Month(..) => 1.0,
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Day(d) => write!(f, "{d}"),
            When::Month(..) => write!(f, "{}", self.month_label()),
        }
    }
}

/// One observed value.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub when: When,
    pub country: String,
    pub metric: String,
    pub value: f64,
    /// The interval the value is known to lie in; open ends are infinite.
    pub low: f64,
    pub high: f64,
    pub source: String,
    /// Line in the CSV file, for messages.
    pub line: usize,
}

impl Observation {
    /// Whether only bounds are known (`low`/`high` given): such an observation costs nothing inside them.
    pub fn is_interval(&self) -> bool {
        self.low.is_finite() || self.high.is_finite()
    }
}

/// A problem in the observed-data file, located by line and column.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{origin}:{line}:{column}: {field}: {message}")]
pub struct ObservedError {
    pub origin: String,
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub message: String,
}

/// The columns in order; the first four are required.
pub const COLUMNS: [&str; 7] = ["date_or_month", "country", "metric", "value", "low", "high", "source"];

/// Parses observed data; every problem found is returned (in file order), not just the first.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Observation>, Vec<ObservedError>> {
    let mut errors = Vec::new();
    let error = |line: usize, column: usize, field: &str, message: String| ObservedError {
        origin: origin.to_string(),
        line,
        column,
        field: field.to_string(),
        message,
    };
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).comment(Some(b'#')).from_reader(text.as_bytes());
    match reader.headers() {
        Ok(header) => {
            let found: Vec<&str> = header.iter().collect();
            let expected = &COLUMNS[..found.len().clamp(4, COLUMNS.len())];
            if found.len() < 4 || found != expected {
                return Err(vec![error(
                    1,
                    1,
                    "header",
                    format!(
                        "expected the columns {} (low, high, source optional), found {}",
                        COLUMNS.join(","),
                        found.join(",")
                    ),
                )]);
            }
        }
        Err(e) => return Err(vec![error(1, 1, "header", e.to_string())]),
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                errors.push(error(line, 1, "row", e.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let get = |i: usize| record.get(i).unwrap_or("");
        if record.len() < 4 || record.len() > COLUMNS.len() {
            errors.push(error(line, 1, "row", format!("expected 4 to 7 fields, found {}", record.len())));
            continue;
        }
        let when = parse_when(get(0)).map_err(|m| error(line, 1, COLUMNS[0], m));
        let number = |i: usize, empty: f64| -> Result<f64, ObservedError> {
            let text = get(i);
            if text.is_empty() {
                return if i == 3 {
                    Err(error(line, i + 1, COLUMNS[i], "expected a number, found nothing".into()))
                } else {
                    Ok(empty)
                };
            }
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
                _ => Err(error(line, i + 1, COLUMNS[i], format!("expected a non-negative number, found \"{text}\""))),
            }
        };
        let (value, low, high) = (number(3, f64::NAN), number(4, f64::NEG_INFINITY), number(5, f64::INFINITY));
        let failed = [when.as_ref().err(), value.as_ref().err(), low.as_ref().err(), high.as_ref().err()];
        errors.extend(failed.into_iter().flatten().cloned());
        for (i, name) in [(1, "country"), (2, "metric")] {
            if get(i).is_empty() {
                errors.push(error(line, i + 1, name, format!("expected a {name}, found nothing")));
            }
        }
        if let (Ok(when), Ok(value), Ok(low), Ok(high)) = (when, value, low, high) {
            if low > high {
                errors.push(error(line, 5, "low", format!("expected low ≤ high, found {low} > {high}")));
            }
            out.push(Observation {
                when,
                country: get(1).to_string(),
                metric: get(2).to_string(),
                value,
                low,
                high,
                source: get(6).to_string(),
                line,
            });
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

fn parse_when(text: &str) -> Result<When, String> {
    if let Ok(d) = Date::parse(text) {
        return Ok(When::Day(d));
    }
    let month = text.split_once('-').and_then(|(y, m)| {
        let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u32>().ok()?);
        (text.len() == 7 && (1..=12).contains(&m)).then_some(When::Month(y, m))
    });
    month.ok_or_else(|| format!("expected a day YYYY-MM-DD or a month YYYY-MM, found \"{text}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_months_intervals_and_sources_are_read() {
        let text = "# a comment\ndate_or_month,country,metric,value,low,high,source\n\
                    2019-12-12,gt,cumulative_transferred_people,24,,,AP\n\
                    2020-01-22,gt,cumulative_transferred_people,230,230,,\">230\" (Al Jazeera)\n\
                    2020-03,gt,backlog_cases,713\n";
        let obs = parse(text, "o.csv").unwrap();
        assert_eq!(obs.len(), 3);
        assert_eq!(obs[0].when, When::Day(Date::from_ymd(2019, 12, 12).unwrap()));
        assert!((obs[0].when.month_fraction() - 12.0 / 31.0).abs() < 1e-12);
        assert!(!obs[0].is_interval());
        assert_eq!((obs[1].low, obs[1].high), (230.0, f64::INFINITY));
        assert!(obs[1].is_interval());
        assert_eq!(obs[1].source, "\">230\" (Al Jazeera)".replace('"', ""));
        assert_eq!(obs[2].when, When::Month(2020, 3));
        assert_eq!(obs[2].when.last_day().to_string(), "2020-03-31");
        assert_eq!(obs[2].when.month_fraction(), 1.0);
        assert_eq!(obs[2].line, 5, "lines count comments too");
    }

    #[test]
    fn every_bad_field_is_located() {
        let text = "date_or_month,country,metric,value\n\
                    2019-13-01,gt,x,1\n\
                    2020-01,gt,x,-4\n\
                    2020-01,,x,\n";
        let errors = parse(text, "o.csv").unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            shown[0].starts_with("o.csv:2:1: date_or_month: expected a day YYYY-MM-DD or a month YYYY-MM"),
            "{shown:?}"
        );
        assert!(shown[1].starts_with("o.csv:3:4: value: expected a non-negative number, found \"-4\""), "{shown:?}");
        assert!(shown.iter().any(|s| s.starts_with("o.csv:4:4: value: expected a number, found nothing")), "{shown:?}");
        assert!(shown.iter().any(|s| s.starts_with("o.csv:4:2: country")), "{shown:?}");
        let header = parse("when,country,metric,value\n", "o.csv").unwrap_err();
        assert!(header[0].to_string().contains("expected the columns date_or_month,country,metric,value"));
    }
}
