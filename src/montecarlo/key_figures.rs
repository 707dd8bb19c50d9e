//! Headline numbers of a run: totals over the horizon and peaks, each with its band across replications.

use crate::model::{MetricKind, MetricLayout};

use super::{CellSummary, RunResult};

/// One headline number.
#[derive(Debug, Clone)]
pub struct KeyFigure {
    pub country: String,
    pub label: &'static str,
    /// The metric it is computed from.
    pub metric: &'static str,
    pub summary: CellSummary,
}

/// Totals at the end of the horizon of the sending and each receiving country, and the peak backlog.
pub fn key_figures(result: &RunResult) -> Vec<KeyFigure> {
    let layout = &result.layout;
    let last = layout.months.len() - 1;
    let sending: [(&str, &str); 4] = [
        ("arrivals (people)", "cumulative_arrivals_people"),
        ("transferred (people)", "cumulative_transferred_people"),
        ("released after waiting (cases)", "cumulative_released_cases"),
        ("to the sending country's process (people)", "cumulative_to_sending_process_people"),
    ];
    let receiving: [(&str, &str); 9] = [
        ("transferred (people)", "cumulative_transferred_people"),
        ("transferred (cases)", "cumulative_transferred_cases"),
        ("claims filed by transferees (cases)", "cumulative_transferee_claims_filed_cases"),
        ("left without filing (cases)", "cumulative_not_filed_cases"),
        ("transferee claims decided (cases)", "cumulative_transferee_decisions_cases"),
        ("transferee claims granted (cases)", "cumulative_transferee_grants_cases"),
        ("transferee claims abandoned (cases)", "cumulative_transferee_abandoned_cases"),
        ("backlog at the end (cases, all claims)", "backlog_cases"),
        ("peak month-end backlog (cases)", "backlog_cases"),
    ];
    let mut out = Vec::new();
    for (c, country) in layout.countries.iter().enumerate() {
        let metrics: &[(&str, &str)] = if c == 0 { &sending } else { &receiving };
        for &(label, metric) in metrics {
            let summary = if label.starts_with("peak") {
                peak(result, layout, country, metric)
            } else {
                let cell = layout.find(last, country, metric).expect("headline metrics exist");
                result.summary[cell]
            };
            out.push(KeyFigure { country: country.clone(), label, metric, summary });
        }
    }
    out
}

/// Summary over replications of each replication's largest month-end value of a stock.
fn peak(result: &RunResult, layout: &MetricLayout, country: &str, metric: &str) -> CellSummary {
    let cells: Vec<usize> = (0..layout.months.len()).filter_map(|m| layout.find(m, country, metric)).collect();
    let mut peaks: Vec<f64> = result
        .replications
        .iter()
        .map(|values| cells.iter().map(|&i| values[i]).fold(f64::NEG_INFINITY, f64::max))
        .collect();
    debug_assert!(layout.cells().any(|(_, _, name, kind)| name == metric && kind == MetricKind::Stock));
    CellSummary::of(&mut peaks)
}
