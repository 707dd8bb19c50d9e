//! Calendar months over a clock that counts days.

use chrono::{Datelike, Months, NaiveDate};

/// Maps between the engine's clock (days since the start date, at midnight) and calendar months.
#[derive(Debug, Clone)]
pub struct Calendar {
    start: NaiveDate,
    /// Day on which each month starts, plus the end of the horizon; the first month may start before day 0.
    month_starts: Vec<f64>,
    /// Full length of each calendar month in days (31 for a January even if the run starts on the 21st).
    month_lengths: Vec<f64>,
    labels: Vec<String>,
}

impl Calendar {
    /// The calendar of `months` calendar months from the month containing `start`.
    pub fn new(start: NaiveDate, months: usize) -> Calendar {
        let first = start.with_day(1).expect("day 1 exists");
        let mut month_starts = Vec::with_capacity(months + 1);
        let mut month_lengths = Vec::with_capacity(months);
        let mut labels = Vec::with_capacity(months);
        for m in 0..=months {
            let begin = first.checked_add_months(Months::new(m as u32)).expect("horizon within chrono's range");
            month_starts.push((begin - start).num_days() as f64);
            if m < months {
                let end = first.checked_add_months(Months::new(m as u32 + 1)).expect("horizon within range");
                month_lengths.push((end - begin).num_days() as f64);
                labels.push(begin.format("%Y-%m").to_string());
            }
        }
        Calendar { start, month_starts, month_lengths, labels }
    }

    /// Number of months in the horizon.
    pub fn months(&self) -> usize {
        self.month_lengths.len()
    }

    /// End of the horizon, in days from the start.
    pub fn end(&self) -> f64 {
        self.month_starts[self.months()]
    }

    /// The part of month `m` inside the horizon, as `[begin, end)` in days.
    pub fn month_span(&self, m: usize) -> (f64, f64) {
        (self.month_starts[m].max(0.0), self.month_starts[m + 1])
    }

    /// Full calendar length of month `m` in days.
    pub fn month_length(&self, m: usize) -> f64 {
        self.month_lengths[m]
    }

    /// Index of the month containing day `t` (clamped to the horizon).
    pub fn month_of(&self, t: f64) -> usize {
        let after = self.month_starts.partition_point(|&s| s <= t);
        after.saturating_sub(1).min(self.months() - 1)
    }

    /// `YYYY-MM` label of month `m`.
    pub fn label(&self, m: usize) -> &str {
        &self.labels[m]
    }

    /// All month labels in order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Day number (since the start) of a calendar date.
    pub fn day_of(&self, date: NaiveDate) -> f64 {
        (date - self.start).num_days() as f64
    }

    /// The calendar date of day `t`.
    pub fn date_of(&self, t: f64) -> NaiveDate {
        self.start + chrono::Duration::days(t.floor() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_follow_the_calendar_and_a_mid_month_start_is_partial() {
        let cal = Calendar::new(NaiveDate::from_ymd_opt(2019, 11, 21).unwrap(), 4);
        assert_eq!(cal.labels(), ["2019-11", "2019-12", "2020-01", "2020-02"]);
        assert_eq!(cal.month_span(0), (0.0, 10.0));
        assert_eq!(cal.month_length(0), 30.0);
        assert_eq!(cal.month_span(1), (10.0, 41.0));
        assert_eq!(cal.month_length(3), 29.0, "2020 is a leap year");
        assert_eq!(cal.end(), 10.0 + 31.0 + 31.0 + 29.0);
        assert_eq!(cal.month_of(9.99), 0);
        assert_eq!(cal.month_of(10.0), 1);
        assert_eq!(cal.month_of(1e9), 3);
        assert_eq!(cal.date_of(10.5), NaiveDate::from_ymd_opt(2019, 12, 1).unwrap());
    }
}
