//! Headline numbers of a run: totals over the horizon and peaks, each with its band across replications.

use crate::model::MetricLayout;

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

/// How a key figure is read from a metric's monthly values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The value in the last month (for cumulative metrics: the total over the horizon).
    AtEnd,
    /// Each replication's largest month-end value.
    Peak,
}

const SENDING: [(&str, &str, Reading); 4] = [
    ("arrivals (people)", "cumulative_arrivals_people", Reading::AtEnd),
    ("transferred (people)", "cumulative_transferred_people", Reading::AtEnd),
    ("released after waiting (cases)", "cumulative_released_cases", Reading::AtEnd),
    ("to the sending country's process (people)", "cumulative_to_sending_process_people", Reading::AtEnd),
];

const RECEIVING: [(&str, &str, Reading); 9] = [
    ("transferred (people)", "cumulative_transferred_people", Reading::AtEnd),
    ("transferred (cases)", "cumulative_transferred_cases", Reading::AtEnd),
    ("claims filed by transferees (cases)", "cumulative_transferee_claims_filed_cases", Reading::AtEnd),
    ("left without filing (cases)", "cumulative_not_filed_cases", Reading::AtEnd),
    ("transferee claims decided (cases)", "cumulative_transferee_decisions_cases", Reading::AtEnd),
    ("transferee claims granted (cases)", "cumulative_transferee_grants_cases", Reading::AtEnd),
    ("transferee claims abandoned (cases)", "cumulative_transferee_abandoned_cases", Reading::AtEnd),
    ("backlog at the end (cases, all claims)", "backlog_cases", Reading::AtEnd),
    ("peak month-end backlog (cases)", "backlog_cases", Reading::Peak),
];

/// Totals at the end of the horizon of the sending and each receiving country, and the peak backlog.
pub fn key_figures(result: &RunResult) -> Vec<KeyFigure> {
    let aggregate = &result.aggregate;
    aggregate
        .figures
        .iter()
        .zip(&aggregate.figure_columns)
        .map(|(spec, column)| KeyFigure {
            country: spec.country.clone(),
            label: spec.label,
            metric: spec.metric,
            summary: column.summary(),
        })
        .collect()
}

/// A key figure's value in each replication, in replication order: what its summary, its confidence interval and
/// paired differences between policies are computed from.
#[derive(Debug, Clone)]
pub struct KeyFigureSample {
    pub country: String,
    pub label: &'static str,
    pub metric: &'static str,
    pub values: Vec<f64>,
}

/// Every key figure's per-replication values; see [`key_figures`]. Needs a run that kept every replication's
/// values (as [`super::run`] does); the values are empty otherwise.
pub fn key_figure_samples(result: &RunResult) -> Vec<KeyFigureSample> {
    figure_specs(&result.layout)
        .into_iter()
        .map(|spec| KeyFigureSample {
            values: result.replications.iter().map(|values| spec.value(values)).collect(),
            country: spec.country,
            label: spec.label,
            metric: spec.metric,
        })
        .collect()
}

/// How one key figure is read from a replication's values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FigureSpec {
    pub(crate) country: String,
    pub(crate) label: &'static str,
    pub(crate) metric: &'static str,
    reading: Reading,
    /// The cell read (at end), or every month's cell (peak).
    cells: Vec<usize>,
}

impl FigureSpec {
    /// The figure's value in one replication.
    pub(crate) fn value(&self, values: &[f64]) -> f64 {
        match self.reading {
            Reading::AtEnd => values[self.cells[0]],
            Reading::Peak => self.cells.iter().map(|&i| values[i]).fold(f64::NEG_INFINITY, f64::max),
        }
    }
}

/// The key figures of a layout, in order: the sending country's, then each receiving country's.
pub(crate) fn figure_specs(layout: &MetricLayout) -> Vec<FigureSpec> {
    let last = layout.months.len() - 1;
    let mut out = Vec::new();
    for (c, country) in layout.countries.iter().enumerate() {
        let figures: &[(&str, &str, Reading)] = if c == 0 { &SENDING } else { &RECEIVING };
        for &(label, metric, reading) in figures {
            let cells = match reading {
                Reading::AtEnd => vec![layout.find(last, country, metric).expect("key metrics exist")],
                Reading::Peak => (0..layout.months.len()).filter_map(|m| layout.find(m, country, metric)).collect(),
            };
            out.push(FigureSpec { country: country.clone(), label, metric, reading, cells });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::montecarlo::{RunConfig, run};
    use crate::scenario::Scenario;

    #[test]
    fn totals_are_last_month_values_and_peaks_are_per_replication_maxima() {
        let model = Model::new(&Scenario::builtin());
        let result = run(&model, RunConfig { replications: 5, seed: 3, threads: 1 }, &|| {}).unwrap();
        let figures = key_figures(&result);
        let layout = &result.layout;
        let last = layout.months.len() - 1;
        let find = |label: &str| figures.iter().find(|f| f.country == "guatemala" && f.label == label).unwrap();

        let total = find("transferred (people)");
        assert_eq!(
            total.summary,
            result.summary[layout.find(last, "guatemala", "cumulative_transferred_people").unwrap()]
        );

        let mut peaks: Vec<f64> = result
            .replications
            .iter()
            .map(|values| {
                (0..=last).map(|m| values[layout.find(m, "guatemala", "backlog_cases").unwrap()]).fold(0.0, f64::max)
            })
            .collect();
        assert_eq!(find("peak month-end backlog (cases)").summary, CellSummary::of(&mut peaks));
        assert_eq!(figures.iter().filter(|f| f.country == "united_states").count(), SENDING.len());
    }
}
