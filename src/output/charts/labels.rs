//! Metric names as a reader says them, with their units: `cumulative_transferred_people` is "transferred,
//! running total" in people. The snake_case names stay the contract with users' scripts (and are quoted in
//! captions); titles and axes use these.

/// What a metric counts, in words, and its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricLabel {
    /// e.g. "transferred, running total".
    pub what: String,
    /// e.g. "people", "cases", "US dollars".
    pub unit: String,
}

impl MetricLabel {
    /// An axis label: "Transferred, running total (people)".
    pub fn axis(&self) -> String {
        let mut chars = self.what.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
        format!("{first}{} ({})", chars.as_str(), self.unit)
    }
}

/// Units by name suffix, longest first.
const UNITS: [(&str, &str); 8] = [
    ("_person_days", "person-days"),
    ("_days_mean", "days, mean"),
    ("_mean_cases", "cases, mean over the month"),
    ("_people", "people"),
    ("_cases", "cases"),
    ("_usd", "US dollars"),
    ("_share", "share"),
    ("_count", "count"),
];

/// Words a name's stem does not say well by itself.
const WORDS: [(&str, &str); 3] =
    [("backlog", "claims pending"), ("transferee_backlog", "transferees' claims pending"), ("arrivals", "arrivals")];

/// The reader's label of a metric name (any name: one no metric has is described from its words).
pub fn metric_label(metric: &str) -> MetricLabel {
    let (stem, cumulative) = match metric.strip_prefix("cumulative_") {
        Some(rest) => (rest, true),
        None => (metric, false),
    };
    let (stem, unit) = UNITS
        .iter()
        .find_map(|(suffix, unit)| stem.strip_suffix(suffix).map(|s| (s, *unit)))
        .unwrap_or((stem, "count"));
    let words = WORDS.iter().find(|(s, _)| *s == stem).map_or_else(|| stem.replace('_', " "), |(_, w)| w.to_string());
    let what = if cumulative { format!("{words}, running total") } else { words };
    MetricLabel { what, unit: unit.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_names_read_as_words_with_units() {
        let l = metric_label("cumulative_transferred_people");
        assert_eq!((l.what.as_str(), l.unit.as_str()), ("transferred, running total", "people"));
        assert_eq!(l.axis(), "Transferred, running total (people)");
        assert_eq!(metric_label("backlog_cases").axis(), "Claims pending (cases)");
        assert_eq!(
            metric_label("cumulative_transferee_claims_filed_cases").axis(),
            "Transferee claims filed, running total (cases)"
        );
        assert_eq!(metric_label("arrivals_cases").axis(), "Arrivals (cases)");
        assert_eq!(metric_label("cost_usd").axis(), "Cost (US dollars)");
        assert_eq!(metric_label("holding_person_days").axis(), "Holding (person-days)");
        assert_eq!(metric_label("seat_wait_days_mean").axis(), "Seat wait (days, mean)");
    }
}
