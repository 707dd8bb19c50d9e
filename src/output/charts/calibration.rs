//! Calibration charts: each observed series against the simulated band (fit charts), and the loss against the
//! parameters tried (loss surface).

use std::path::Path;

use chrono::NaiveDate;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::context::{ChartContext, thousands_with};
use super::draw::{AXIS, Drawn, GRID, Page, Swatch, boxed_text, draw_point, page, style, text_width};
use super::spec::{
    BLUE, Bands, ChartSpec, INK, Line, LineStyle, ObservedMark, Panel, PointMarker, Position, Source, VERMILLION,
    ValueAxis, safe,
};
use super::xy::{colour_bar, number, viridis};
use super::{ChartFormat, ChartsError, Drawing, WrittenChart, WrittenFigure, render_drawing, write_drawing};
use crate::calibration::fit::FitPoint;
use crate::calibration::observed::When;
use crate::calibration::{Outcome, Stage};
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

/// The loss of every candidate a calibration tried, against one or two of its parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct LossSurface {
    /// The parameters' paths.
    pub parameters: Vec<String>,
    /// Each candidate's values (one per parameter), loss, and whether the refining search proposed it (else the
    /// space-filling design).
    pub candidates: Vec<(Vec<f64>, f64, bool)>,
    /// Index of the best candidate.
    pub best: usize,
    /// Per parameter, the plausible range (span of the accepted design candidates).
    pub plausible: Vec<(f64, f64)>,
}

impl LossSurface {
    pub fn of(outcome: &Outcome) -> LossSurface {
        LossSurface {
            parameters: outcome.parameters.iter().map(|p| p.path.clone()).collect(),
            candidates: outcome
                .candidates
                .iter()
                .map(|c| (c.values.clone(), c.loss, c.stage == Stage::Refine))
                .collect(),
            best: outcome.best,
            plausible: outcome.plausible.clone(),
        }
    }

    pub fn stem(&self) -> String {
        "loss-surface".to_string()
    }

    pub fn title(&self) -> String {
        format!("Calibration loss against {}", self.parameters.join(" and "))
    }
}

struct LossDrawing<'a> {
    surface: &'a LossSurface,
    context: &'a ChartContext,
}

impl Drawing for LossDrawing<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Drawn<DB> {
        draw_loss(root, self.surface, self.context)
    }
}

/// Renders the loss surface as PNG or SVG bytes: for one parameter, every candidate's loss against its value; for
/// two, the candidates in the plane of the parameters coloured by loss (log scale). The best candidate is marked
/// and the plausible range shaded (one parameter) or outlined (two). More parameters are refused with an error.
pub fn render_loss_surface(
    surface: &LossSurface,
    context: &ChartContext,
    format: ChartFormat,
    size: (u32, u32),
) -> Result<Vec<u8>, super::ChartError> {
    if !(1..=2).contains(&surface.parameters.len()) {
        return Err(super::ChartError {
            stem: surface.stem(),
            message: format!(
                "a loss surface of {} parameters cannot be drawn: one or two only",
                surface.parameters.len()
            ),
        });
    }
    render_drawing(&surface.stem(), &LossDrawing { surface, context }, format, size)
}

/// Writes the loss surface of a calibration (see [`render_loss_surface`]) into `dir` as
/// `loss-surface.<format>`; `None` when more than two parameters were fitted (or no candidate has a finite loss).
pub fn write_loss_surface(
    dir: &Path,
    outcome: &Outcome,
    context: &ChartContext,
    formats: &[ChartFormat],
    size: (u32, u32),
) -> Result<Option<WrittenFigure>, ChartsError> {
    let surface = LossSurface::of(outcome);
    if !(1..=2).contains(&surface.parameters.len()) || !surface.candidates.iter().any(|c| c.1.is_finite()) {
        return Ok(None);
    }
    let stem = surface.stem();
    let files = write_drawing(dir, &stem, &LossDrawing { surface: &surface, context }, formats, size)?;
    let caption = if surface.parameters.len() == 1 {
        "Every candidate tried, all on the same simulated futures: circles from the space-filling design, squares \
         from the refining search; the diamond is the best. Shaded: the plausible range (the span of the design \
         candidates with the lowest losses). A flat bottom means the data pin the parameter down only loosely."
    } else {
        "Every candidate tried, all on the same simulated futures, coloured by loss (log scale, dark is low): circles \
         from the space-filling design, squares from the refining search; the ringed diamond is the best. Dashed \
         box: the plausible ranges. A long valley means the data fix a combination of the parameters, not each."
    };
    Ok(Some(WrittenFigure { stem, title: surface.title(), caption: caption.to_string(), files }))
}

/// Candidates with a finite loss: (values, loss, refine).
fn finite(surface: &LossSurface) -> Vec<(&[f64], f64, bool, bool)> {
    surface
        .candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| c.1.is_finite() && c.0.iter().all(|v| v.is_finite()))
        .map(|(i, c)| (c.0.as_slice(), c.1, c.2, i == surface.best))
        .collect()
}

/// A range around values, with some room either side.
fn padded(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)));
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = if hi > lo { 0.05 * (hi - lo) } else { lo.abs().max(1.0) * 0.5 };
    (lo - pad, hi + pad)
}

/// The loss as drawn: log10 of the loss, with losses of 0 put a decade below the smallest positive loss.
fn log_loss(losses: &[f64]) -> impl Fn(f64) -> f64 {
    let smallest = losses.iter().copied().filter(|l| *l > 0.0).fold(f64::INFINITY, f64::min);
    let floor = if smallest.is_finite() { smallest / 10.0 } else { 1e-6 };
    move |l: f64| l.max(floor).log10()
}

fn draw_loss<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    surface: &LossSurface,
    context: &ChartContext,
) -> Drawn<DB> {
    let points = finite(surface);
    let dropped = surface.candidates.len() - points.len();
    let mut notes = Vec::new();
    if dropped > 0 {
        notes.push(format!("{dropped} candidates with no finite loss are not drawn."));
    }
    notes.push(context.source_line());
    let style_of = |marker| LineStyle { color: INK, dash: None, marker };
    let mut legend = vec![
        (Swatch::Point(style_of(PointMarker::Circle)), "design candidate".to_string()),
        (Swatch::Point(style_of(PointMarker::Square)), "refining search".to_string()),
        (Swatch::Point(LineStyle { color: VERMILLION, dash: None, marker: PointMarker::Diamond }), "best".to_string()),
    ];
    if surface.parameters.len() == 1 {
        legend.push((Swatch::Band(BLUE, vec![0.16]), "plausible range".to_string()));
    } else {
        legend.push((Swatch::Band(INK, vec![]), "dashed box: plausible ranges".to_string()));
    }
    let p = page(root, &surface.title(), legend, &notes)?;
    if surface.parameters.len() == 1 {
        loss_line(root, surface, &points, &p)
    } else {
        loss_plane(root, surface, &points, &p)
    }
}

fn loss_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    surface: &LossSurface,
    points: &[(&[f64], f64, bool, bool)],
    p: &Page,
) -> Drawn<DB> {
    let scale = &p.scale;
    let losses: Vec<f64> = points.iter().map(|c| c.1).collect();
    let positive = losses.iter().all(|l| *l > 0.0);
    let (lo, hi) = losses.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
    // A log axis when the losses span more than two decades, so that the bottom of the curve can be read.
    let log = positive && hi / lo > 100.0;
    let to_y = |l: f64| if log { l.log10() } else { l };
    let (y_low, y_high) =
        if log { padded(losses.iter().map(|l| l.log10())) } else { (0.0, padded(losses.iter().copied()).1) };
    let (x_low, x_high) = padded(points.iter().map(|c| c.0[0]));
    let tick = style(scale.px(12.5), false, &INK);
    let desc = style(scale.px(13.5), false, &INK);
    let y_format = |v: &f64| if log { format_loss(10f64.powf(*v)) } else { format_loss(*v) };
    let x_span = x_high - x_low;
    let x_format = |v: &f64| number(*v, x_span);
    let widest = [y_low, y_high, (y_low + y_high) / 2.0]
        .iter()
        .map(|v| text_width(root, &y_format(v), &tick))
        .max()
        .unwrap_or(0);
    let area = root.clone().shrink((p.pad, p.top), (p.inner, (p.footer_top - scale.int(8.0) - p.top).max(10)));
    let mut chart = ChartBuilder::on(&area)
        .set_label_area_size(LabelAreaPosition::Left, widest + scale.int(13.5 * 1.3) + scale.int(16.0))
        .set_label_area_size(LabelAreaPosition::Bottom, scale.int(12.5 * 1.45) * 2 + scale.int(14.0))
        .margin_right(scale.int(12.0))
        .margin_top(scale.int(6.0))
        .build_cartesian_2d(x_low..x_high, y_low..y_high)?;
    chart
        .configure_mesh()
        .y_labels(8)
        .x_labels(8)
        .y_label_formatter(&y_format)
        .x_label_formatter(&x_format)
        .y_desc(if log { "Loss (log scale)" } else { "Loss" })
        .x_desc(surface.parameters[0].as_str())
        .label_style(tick.clone())
        .axis_desc_style(desc)
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    if let Some(&(a, b)) = surface.plausible.first().filter(|(a, b)| a.is_finite() && b.is_finite()) {
        chart.draw_series(std::iter::once(Rectangle::new([(a, y_low), (b, y_high)], BLUE.mix(0.16).filled())))?;
    }
    for &(values, loss, refine, _) in points.iter().filter(|c| !c.3) {
        let marker = if refine { PointMarker::Square } else { PointMarker::Circle };
        draw_point(
            root,
            &LineStyle { color: INK, dash: None, marker },
            scale,
            chart.backend_coord(&(values[0], to_y(loss))),
        )?;
    }
    if let Some(&(values, loss, _, _)) = points.iter().find(|c| c.3) {
        let at = chart.backend_coord(&(values[0], to_y(loss)));
        draw_point(root, &LineStyle { color: VERMILLION, dash: None, marker: PointMarker::Diamond }, scale, at)?;
        let label = style(scale.px(13.0), true, &INK);
        let text = format!("best: {}", number(values[0], x_span));
        boxed_text(root, &text, (at.0, at.1 - scale.int(12.0)), &label, (HPos::Center, VPos::Bottom))?;
    }
    Ok(())
}

/// A loss for an axis or a scale: three significant digits.
fn format_loss(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return thousands_with(v, 0);
    }
    let digits = (2 - v.abs().log10().floor() as i32).max(0) as usize;
    thousands_with(v, digits)
}

fn loss_plane<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    surface: &LossSurface,
    points: &[(&[f64], f64, bool, bool)],
    p: &Page,
) -> Drawn<DB> {
    let scale = &p.scale;
    let losses: Vec<f64> = points.iter().map(|c| c.1).collect();
    let log = log_loss(&losses);
    let logs: Vec<f64> = losses.iter().map(|l| log(*l)).collect();
    let (lo, hi) = logs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
    let t_of = |l: f64| if hi > lo { (log(l) - lo) / (hi - lo) } else { 0.5 };
    let (x_low, x_high) = padded(points.iter().map(|c| c.0[0]));
    let (y_low, y_high) = padded(points.iter().map(|c| c.0[1]));
    let tick = style(scale.px(12.5), false, &INK);
    let desc = style(scale.px(13.5), false, &INK);
    let (x_span, y_span) = (x_high - x_low, y_high - y_low);
    let x_format = |v: &f64| number(*v, x_span);
    let y_format = |v: &f64| number(*v, y_span);
    let widest = [y_low, y_high].iter().map(|v| text_width(root, &y_format(v), &tick)).max().unwrap_or(0);
    let bar_room = scale.int(16.0) + scale.int(12.0) + scale.int(70.0);
    let area = root.clone().shrink(
        (p.pad, p.top + scale.int(16.0)),
        (p.inner - bar_room - scale.int(20.0), (p.footer_top - scale.int(8.0) - p.top - scale.int(16.0)).max(10)),
    );
    let mut chart = ChartBuilder::on(&area)
        .set_label_area_size(LabelAreaPosition::Left, widest + scale.int(13.5 * 1.3) + scale.int(16.0))
        .set_label_area_size(LabelAreaPosition::Bottom, scale.int(12.5 * 1.45) * 2 + scale.int(14.0))
        .margin_right(scale.int(6.0))
        .build_cartesian_2d(x_low..x_high, y_low..y_high)?;
    chart
        .configure_mesh()
        .y_labels(8)
        .x_labels(8)
        .y_label_formatter(&y_format)
        .x_label_formatter(&x_format)
        .x_desc(surface.parameters[0].as_str())
        .y_desc(surface.parameters[1].as_str())
        .label_style(tick.clone())
        .axis_desc_style(desc)
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    if let [(a, b), (c, d)] = surface.plausible[..]
        && [a, b, c, d].iter().all(|v| v.is_finite())
    {
        let corners = [(a, c), (b, c), (b, d), (a, d), (a, c)].map(|q| chart.backend_coord(&q));
        root.draw(&DashedPathElement::new(corners, scale.px(6.0), scale.px(4.0), INK.stroke_width(scale.stroke(1.3))))?;
    }
    // Worst first, so that the low-loss candidates are drawn on top.
    let mut order: Vec<&(&[f64], f64, bool, bool)> = points.iter().collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let r = scale.int(6.0);
    for &&(values, loss, refine, _) in &order {
        let at = chart.backend_coord(&(values[0], values[1]));
        let fill = viridis(t_of(loss));
        if refine {
            root.draw(&Rectangle::new([(at.0 - r, at.1 - r), (at.0 + r, at.1 + r)], fill.filled()))?;
            root.draw(&Rectangle::new([(at.0 - r, at.1 - r), (at.0 + r, at.1 + r)], INK.stroke_width(1)))?;
        } else {
            root.draw(&Circle::new(at, r, fill.filled()))?;
            root.draw(&Circle::new(at, r, INK.stroke_width(1)))?;
        }
    }
    if let Some(&(values, _, _, _)) = points.iter().find(|c| c.3) {
        let at = chart.backend_coord(&(values[0], values[1]));
        root.draw(&Circle::new(at, r * 2 + 2, INK.stroke_width(scale.stroke(2.0))))?;
        draw_point(root, &LineStyle { color: VERMILLION, dash: None, marker: PointMarker::Diamond }, scale, at)?;
        let label = style(scale.px(13.0), true, &INK);
        let text = format!("best: {}, {}", number(values[0], x_span), number(values[1], y_span));
        boxed_text(root, &text, (at.0, at.1 - r * 2 - scale.int(6.0)), &label, (HPos::Center, VPos::Bottom))?;
    }
    let (x0, y0) = chart.backend_coord(&(x_high, y_low));
    let (_, top) = chart.backend_coord(&(x_high, y_high));
    let ticks: Vec<(f64, String)> = if hi > lo {
        (0..=4).map(|k| k as f64 / 4.0).map(|t| (t, format_loss(10f64.powf(lo + t * (hi - lo))))).collect()
    } else {
        vec![(0.5, format_loss(10f64.powf(lo)))]
    };
    colour_bar(root, scale, (x0 + scale.int(20.0), top, y0, p.pad + p.inner), "loss (log scale)", &ticks, viridis)
}
