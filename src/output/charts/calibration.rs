//! Calibration charts: each observed series against the simulated band (fit charts).

use std::path::Path;

use chrono::NaiveDate;

use super::context::ChartContext;
use super::spec::{
    BLUE, Bands, ChartSpec, Line, LineStyle, ObservedMark, Panel, PointMarker, Position, Source, ValueAxis, safe,
};
use super::{ChartFormat, ChartsError, WrittenChart, write_drawing};
use crate::calibration::fit::FitPoint;
use crate::calibration::observed::When;
use crate::model::{MetricKind, ReceivingMetric, SendingMetric};
use crate::montecarlo::RunResult;
use crate::output::{PolicyTable, SummaryTable, write_summary};

/// The policy name under which a calibration run's summary is charted.
const FITTED: &str = "fitted";

/// Flow, stock, mean or cumulative, by metric name; `None` for a name no metric has.
fn kind_of(metric: &str) -> Option<MetricKind> {
    SendingMetric::ALL
        .iter()
        .find(|m| m.name() == metric)
        .map(|m| m.kind())
        .or_else(|| ReceivingMetric::ALL.iter().find(|m| m.name() == metric).map(|m| m.kind()))
}

/// The summary table of a run, as `summary.csv` would hold it (policy `fitted`).
pub fn summary_of_run(result: &RunResult) -> SummaryTable {
    let table = PolicyTable {
        policy: FITTED,
        layout: &result.layout,
        summary: &result.summary,
        replications: &result.replications,
    };
    let mut bytes = Vec::new();
    write_summary(&mut bytes, &[table]).expect("writing to memory does not fail");
    SummaryTable::from_reader(bytes.as_slice()).expect("a summary just written reads back")
}

/// One fit chart per observed series (country and metric, in order of first observation): the simulated median
/// with its P5–P95 band over the months of `table` (policy `policy`), the observed values over it (bounds as bars,
/// held-out values hollow) and the cutoff. Series whose metric the table lacks are left out.
pub fn fit_specs(
    fit: &[FitPoint],
    table: &SummaryTable,
    policy: &str,
    cutoff: Option<NaiveDate>,
    context: &ChartContext,
) -> Vec<ChartSpec> {
    let mut series: Vec<(&str, &str)> = Vec::new();
    for p in fit {
        let key = (p.observation.country.as_str(), p.observation.metric.as_str());
        if !series.contains(&key) {
            series.push(key);
        }
    }
    let mut out = Vec::new();
    for (country, metric) in series {
        if table.series(policy, country, metric).is_none() {
            continue;
        }
        let kind = kind_of(metric).unwrap_or(MetricKind::Stock);
        let (position, x_label) = match kind {
            MetricKind::Flow => (Position::MidMonth, "Month (totals over the month)"),
            MetricKind::Mean => (Position::MidMonth, "Month (means over the month)"),
            MetricKind::Stock => (Position::MonthEnd, "Month (values at month end)"),
            MetricKind::Cumulative => (Position::MonthEnd, "Month (running totals at month end)"),
        };
        let observed: Vec<ObservedMark> = fit
            .iter()
            .filter(|p| p.observation.country == country && p.observation.metric == metric)
            .map(|p| {
                let o = &p.observation;
                let fraction = match o.when {
                    When::Day(_) => o.when.month_fraction(),
                    When::Month(..) if position == Position::MidMonth => 0.5,
                    When::Month(..) => 1.0,
                };
                ObservedMark {
                    month: o.when.month_label(),
                    fraction,
                    value: o.value,
                    low: o.low,
                    high: o.high,
                    held_out: !p.used,
                }
            })
            .collect();
        let used = observed.iter().filter(|o| !o.held_out).count();
        let held_out = observed.len() - used;
        let name = context.name(country);
        let label = super::metric_label(metric);
        let split = if held_out > 0 {
            format!(
                " Filled points ({used}) were used for fitting; hollow ones ({held_out}), after the cutoff, were \
                 held out: how close the band comes to them shows how well the fitted scenario predicts."
            )
        } else {
            String::new()
        };
        out.push(ChartSpec {
            stem: format!("fit-{}-{}", safe(metric), safe(country)),
            policy: policy.to_string(),
            country: country.to_string(),
            source: Source::Summary,
            title: format!("{name}: {} ({}), observed and simulated", label.what, label.unit),
            caption: format!(
                "Observed values against the run: line, the median of the replications; band, 90% of replications \
                 (P5–P95). A bar marks an observed range; an arrow up marks a value known only to be more than the \
                 point it starts from (down: less than).{split} Metric `{metric}`."
            ),
            panels: vec![Panel {
                heading: None,
                y_label: label.axis(),
                x_label: x_label.to_string(),
                position,
                bands: Bands::Outer,
                zero_line: false,
                axis: ValueAxis::Amount,
                lines: vec![Line {
                    metric: metric.to_string(),
                    policy: None,
                    country: None,
                    label: "simulated median".to_string(),
                    style: LineStyle { color: BLUE, dash: None, marker: PointMarker::None },
                }],
            }],
            observed,
            cutoff,
            mechanism: None,
        });
    }
    out
}

/// Draws a fit chart per observed series (see [`fit_specs`]) of a run (usually `Outcome::result`, or the run
/// being validated) into `dir` as `fit-<metric>-<country>.<format>`, each file written atomically.
pub fn write_fit_charts(
    dir: &Path,
    fit: &[FitPoint],
    result: &RunResult,
    cutoff: Option<NaiveDate>,
    context: &ChartContext,
    formats: &[ChartFormat],
    size: (u32, u32),
) -> Result<Vec<WrittenChart>, ChartsError> {
    let table = summary_of_run(result);
    let mut written = Vec::new();
    for spec in fit_specs(fit, &table, FITTED, cutoff, context) {
        let drawing = super::TimeChart { spec: &spec, data: (&table).into(), context };
        let files = write_drawing(dir, &spec.stem, &drawing, formats, size)?;
        written.push(WrittenChart { spec, files });
    }
    Ok(written)
}
