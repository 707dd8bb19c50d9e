//! Charts whose horizontal axis is not the calendar: a sweep's metric against the swept parameters (a line with a
//! band, or a heatmap), and a calibration's loss against the parameters tried. Same page as the time charts:
//! title, legend, source line, embedded font.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::context::{ChartContext, thousands_with};
use super::draw::{
    AXIS, Drawn, GRID, MUTED, Scale, Swatch, anchored, axis_range, draw_point, page, style, text_width, tick_decimals,
};
use super::spec::{BLUE, INK, LineStyle, PointMarker};

/// The values of one grid axis: numbers if every value reads as one, else categories in the order given.
pub(super) enum Scale1 {
    Numbers(Vec<f64>),
    Categories(Vec<String>),
}

impl Scale1 {
    pub(super) fn of(values: &[String]) -> Scale1 {
        let numbers: Option<Vec<f64>> =
            values.iter().map(|v| v.trim().parse::<f64>().ok().filter(|x| x.is_finite())).collect();
        match numbers {
            Some(n) => Scale1::Numbers(n),
            None => Scale1::Categories(values.to_vec()),
        }
    }

    /// Position of the `i`-th value on the axis.
    fn at(&self, i: usize) -> f64 {
        match self {
            Scale1::Numbers(n) => n[i],
            Scale1::Categories(_) => i as f64,
        }
    }

    /// The axis range, with some room on either side.
    fn range(&self) -> (f64, f64) {
        match self {
            Scale1::Numbers(n) => {
                let (lo, hi) = n.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| (l.min(x), h.max(x)));
                let pad = if hi > lo { 0.05 * (hi - lo) } else { lo.abs().max(1.0) * 0.5 };
                (lo - pad, hi + pad)
            }
            Scale1::Categories(c) => (-0.5, c.len() as f64 - 0.5),
        }
    }
}

/// A number for an axis or a cell, with decimals suited to the span it is read against.
pub(super) fn number(value: f64, span: f64) -> String {
    thousands_with(value, tick_decimals(span))
}

/// The viridis colour scale (colour-blind safe, and monotone in lightness, so it reads in greyscale) at `t` in 0–1.
pub(super) fn viridis(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] =
        [(68.0, 1.0, 84.0), (59.0, 82.0, 139.0), (33.0, 145.0, 140.0), (94.0, 201.0, 98.0), (253.0, 231.0, 37.0)];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let x = t * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |p: f64, q: f64| (p + f * (q - p)).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Ink that reads on a fill colour: white on dark fills, near-black on light ones.
fn ink_on(fill: RGBColor) -> &'static RGBColor {
    let luminance = 0.299 * fill.0 as f64 + 0.587 * fill.1 as f64 + 0.114 * fill.2 as f64;
    if luminance < 120.0 { &WHITE } else { &INK }
}

/// A vertical colour bar at (`left`, `top`)–`bottom`, 0 at the bottom and 1 at the top, with tick labels at
/// their positions (0–1) and a title above it, kept left of `right`.
pub(super) fn colour_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    scale: &Scale,
    (left, top, bottom, right): (i32, i32, i32, i32),
    title: &str,
    ticks: &[(f64, String)],
    colour: impl Fn(f64) -> RGBColor,
) -> Drawn<DB> {
    let width = scale.int(16.0);
    let text = style(scale.px(12.0), false, &INK);
    let title_left = left.min(right - text_width(root, title, &text));
    root.draw(&Text::new(title, (title_left, top - scale.int(6.0)), anchored(&text, HPos::Left, VPos::Bottom)))?;
    let height = (bottom - top).max(1);
    for y in top..bottom {
        let t = (bottom - y) as f64 / height as f64;
        root.draw(&Rectangle::new([(left, y), (left + width, y + 1)], colour(t).filled()))?;
    }
    root.draw(&Rectangle::new([(left, top), (left + width, bottom)], AXIS.stroke_width(1)))?;
    for (t, label) in ticks {
        let y = bottom - (t * height as f64).round() as i32;
        root.draw(&PathElement::new(
            vec![(left + width, y), (left + width + scale.int(4.0), y)],
            AXIS.stroke_width(1),
        ))?;
        root.draw(&Text::new(
            label.as_str(),
            (left + width + scale.int(7.0), y),
            anchored(&text, HPos::Left, VPos::Center),
        ))?;
    }
    Ok(())
}

/// A sweep's chosen metric at one month for every grid point: what `safe-third sweep` charts.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepChart {
    /// e.g. `backlog_cases`.
    pub metric: String,
    /// The country key of the metric.
    pub country: String,
    /// The month read, `YYYY-MM` (the last of the horizon).
    pub month: String,
    /// The swept fields and their values, in grid order.
    pub axes: Vec<(String, Vec<String>)>,
    /// Every grid point (one value per axis, the first axis varying slowest) and the metric's median, P5 and P95
    /// there (NaN where undefined).
    pub points: Vec<(Vec<String>, [f64; 3])>,
}

impl SweepChart {
    /// File name without extension.
    pub fn stem(&self) -> String {
        format!("sweep-{}-{}", super::spec::safe(&self.metric), super::spec::safe(&self.country))
    }

    pub fn title(&self, context: &ChartContext) -> String {
        let against: Vec<&str> = self.axes.iter().map(|(p, _)| p.as_str()).collect();
        format!("{}: {} in {}, against {}", context.name(&self.country), self.metric, self.month, against.join(" and "))
    }

    /// The statistics of the grid point with these values, if it was run.
    fn at(&self, values: &[&str]) -> Option<[f64; 3]> {
        self.points.iter().find(|(p, _)| p.iter().map(String::as_str).eq(values.iter().copied())).map(|(_, s)| *s)
    }
}

/// Draws a sweep: a median line with its P5–P95 band for one axis, a heatmap of medians for two.
pub(super) fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sweep: &SweepChart,
    context: &ChartContext,
) -> Drawn<DB> {
    let title = sweep.title(context);
    let notes = [context.source_line()];
    match sweep.axes.len() {
        1 => {
            let median = LineStyle { color: BLUE, dash: None, marker: PointMarker::Circle };
            let legend = vec![
                (Swatch::Line(median, Some(0.16)), "median across replications".to_string()),
                (Swatch::Band(BLUE, vec![0.16]), "90% of replications (P5–P95)".to_string()),
            ];
            let p = page(root, &title, legend, &notes)?;
            sweep_line(root, sweep, &p, median)
        }
        _ => {
            let medians: Vec<f64> = sweep.points.iter().map(|(_, s)| s[0]).filter(|v| v.is_finite()).collect();
            let legend = vec![
                (
                    Swatch::Band(INK, vec![]),
                    "cells: median across replications, P5–P95 beneath when there is room".to_string(),
                ),
                (Swatch::Band(INK, vec![]), heatmap_range_note(&medians)),
            ];
            let p = page(root, &title, legend, &notes)?;
            sweep_heatmap(root, sweep, &p)
        }
    }
}

/// The range a heatmap's colours span: from zero (or the lowest value, if negative) to the highest value (or zero,
/// if all are negative). Anchored at zero so that shades compare as amounts do: a 7% spread between cells is a 7%
/// change of shade, not the whole scale from dark to light.
pub(super) fn colour_range(values: &[f64]) -> (f64, f64) {
    values.iter().fold((0.0f64, 0.0f64), |(l, h), &v| (l.min(v), h.max(v)))
}

/// The legend's line on a heatmap's colour scale: where it starts, and how far apart the medians really are.
fn heatmap_range_note(medians: &[f64]) -> String {
    let (low, high) = medians.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
    if !low.is_finite() {
        return "colour scale from 0".to_string();
    }
    let span = (high - low).max(high.abs()).max(low.abs());
    let range = if high > low {
        format!("from {} to {}", number(low, span), number(high, span))
    } else {
        format!("all {}", number(low, span))
    };
    let spread = if low > 0.0 && high > low {
        format!(", {}% apart", thousands_with(100.0 * (high / low - 1.0), 1))
    } else {
        String::new()
    };
    format!("colour scale from 0, so shades compare as amounts: the medians run {range}{spread}")
}

/// The value axis' label of a sweep.
fn value_label(sweep: &SweepChart) -> String {
    format!("{} in {} (median)", sweep.metric, sweep.month)
}

fn sweep_line<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sweep: &SweepChart,
    p: &super::draw::Page,
    median: LineStyle,
) -> Drawn<DB> {
    let scale = &p.scale;
    let (path, values) = &sweep.axes[0];
    let x_scale = Scale1::of(values);
    let stats: Vec<Option<[f64; 3]>> = values.iter().map(|v| sweep.at(&[v.as_str()])).collect();
    let (y_low, y_high) = axis_range(stats.iter().flatten().flat_map(|s| s.iter().copied()), false);
    let tick = style(scale.px(12.5), false, &INK);
    let desc = style(scale.px(13.5), false, &INK);
    let decimals = tick_decimals(y_high - y_low);
    let y_format = |v: &f64| thousands_with(*v, decimals);
    let widest = text_width(root, &y_format(&y_high), &tick).max(text_width(root, &y_format(&y_low), &tick));
    let area = root.clone().shrink((p.pad, p.top), (p.inner, (p.footer_top - scale.int(8.0) - p.top).max(10)));
    let (x_low, x_high) = x_scale.range();
    let mut chart = ChartBuilder::on(&area)
        .set_label_area_size(LabelAreaPosition::Left, widest + scale.int(13.5 * 1.3) + scale.int(16.0))
        .set_label_area_size(LabelAreaPosition::Bottom, scale.int(12.5 * 1.45) * 2 + scale.int(14.0))
        .margin_right(scale.int(12.0))
        .margin_top(scale.int(6.0))
        .build_cartesian_2d(x_low..x_high, y_low..y_high)?;
    let numeric = matches!(x_scale, Scale1::Numbers(_));
    let x_span = x_high - x_low;
    let x_format = |v: &f64| number(*v, x_span);
    let mut mesh = chart.configure_mesh();
    mesh.y_labels(8)
        .y_label_formatter(&y_format)
        .y_desc(value_label(sweep))
        .x_desc(path.as_str())
        .label_style(tick.clone())
        .axis_desc_style(desc)
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1));
    if numeric {
        mesh.x_labels(8).x_label_formatter(&x_format);
    } else {
        mesh.x_labels(0).disable_x_mesh();
    }
    mesh.draw()?;
    if !numeric {
        let (_, y0) = chart.backend_coord(&(x_low, y_low));
        for (i, v) in values.iter().enumerate() {
            let (x, _) = chart.backend_coord(&(i as f64, y_low));
            root.draw(&PathElement::new(vec![(x, y0), (x, y0 + scale.int(5.0))], AXIS.stroke_width(1)))?;
            root.draw(&Text::new(v.as_str(), (x, y0 + scale.int(7.0)), anchored(&tick, HPos::Center, VPos::Top)))?;
        }
    }
    // Points in the order of the axis, for the band and the line.
    let mut points: Vec<(f64, [f64; 3])> = stats
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.filter(|s| s.iter().all(|v| v.is_finite())).map(|s| (x_scale.at(i), s)))
        .collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut outline: Vec<(f64, f64)> = points.iter().map(|(x, s)| (*x, s[2])).collect();
    outline.extend(points.iter().rev().map(|(x, s)| (*x, s[1])));
    if points.len() > 1 {
        chart.draw_series(std::iter::once(Polygon::new(outline, BLUE.mix(0.16).filled())))?;
    }
    for (x, s) in &points {
        // An error bar too, so a band between two points or at one point is still seen.
        let stroke = BLUE.mix(0.6).stroke_width(scale.stroke(1.5));
        chart.draw_series(std::iter::once(PathElement::new(vec![(*x, s[1]), (*x, s[2])], stroke)))?;
    }
    let line: Vec<(f64, f64)> = points.iter().map(|(x, s)| (*x, s[0])).collect();
    chart.draw_series(LineSeries::new(line.clone(), BLUE.stroke_width(scale.stroke(2.5))))?;
    for point in &line {
        draw_point(root, &median, scale, chart.backend_coord(point))?;
    }
    Ok(())
}

fn sweep_heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    sweep: &SweepChart,
    p: &super::draw::Page,
) -> Drawn<DB> {
    let scale = &p.scale;
    let (x_path, x_values) = &sweep.axes[0];
    let (y_path, y_values) = &sweep.axes[1];
    let cells: Vec<Vec<Option<[f64; 3]>>> =
        y_values.iter().map(|y| x_values.iter().map(|x| sweep.at(&[x.as_str(), y.as_str()])).collect()).collect();
    let medians: Vec<f64> = cells.iter().flatten().flatten().map(|s| s[0]).filter(|v| v.is_finite()).collect();
    let (low, high) = colour_range(&medians);
    let span = if high > low { high - low } else { 1.0 };
    let t_of = |v: f64| if high > low { (v - low) / span } else { 0.5 };
    let tick = style(scale.px(12.5), false, &INK);
    let desc = style(scale.px(13.5), false, &INK);
    let widest = y_values.iter().map(|v| text_width(root, v, &tick)).max().unwrap_or(0);
    let bar_room =
        scale.int(16.0) + scale.int(12.0) + text_width(root, &number(high, span), &tick).max(scale.int(60.0));
    let area = root.clone().shrink(
        (p.pad, p.top + scale.int(16.0)),
        (p.inner - bar_room - scale.int(20.0), (p.footer_top - scale.int(8.0) - p.top - scale.int(16.0)).max(10)),
    );
    let nx = x_values.len() as f64;
    let ny = y_values.len() as f64;
    let mut chart = ChartBuilder::on(&area)
        .set_label_area_size(LabelAreaPosition::Left, widest + scale.int(13.5 * 1.3) + scale.int(16.0))
        .set_label_area_size(LabelAreaPosition::Bottom, scale.int(12.5 * 1.45) * 2 + scale.int(14.0))
        .margin_right(scale.int(4.0))
        .build_cartesian_2d(-0.5..nx - 0.5, -0.5..ny - 0.5)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .x_desc(x_path.as_str())
        .y_desc(y_path.as_str())
        .axis_desc_style(desc)
        .axis_style(AXIS.stroke_width(1))
        .draw()?;
    let value = style(scale.px(14.0), true, &INK);
    let band = style(scale.px(11.5), false, &INK);
    for (j, row) in cells.iter().enumerate() {
        for (i, cell) in row.iter().enumerate() {
            let (x, y) = (i as f64, j as f64);
            let fill = match cell {
                Some(s) if s[0].is_finite() => viridis(t_of(s[0])),
                _ => RGBColor(240, 240, 240),
            };
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                fill.filled(),
            )))?;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                WHITE.stroke_width(scale.stroke(2.0)),
            )))?;
            let (cx, cy) = chart.backend_coord(&(x, y));
            let (left, _) = chart.backend_coord(&(x - 0.5, y));
            let (right, _) = chart.backend_coord(&(x + 0.5, y));
            let (_, top) = chart.backend_coord(&(x, y + 0.5));
            let (_, bottom) = chart.backend_coord(&(x, y - 0.5));
            let ink = ink_on(fill);
            let Some(s) = cell.filter(|s| s[0].is_finite()) else {
                root.draw(&Text::new("–", (cx, cy), anchored(&value.color(&MUTED), HPos::Center, VPos::Center)))?;
                continue;
            };
            let main = number(s[0], span.max(s[0].abs()));
            let range = format!("{}–{}", number(s[1], span.max(s[1].abs())), number(s[2], span.max(s[2].abs())));
            let room = right - left - scale.int(6.0);
            let two_lines = bottom - top > scale.int(40.0) && text_width(root, &range, &band) <= room;
            if text_width(root, &main, &value) > room {
                continue;
            }
            if two_lines {
                let gap = scale.int(9.0);
                root.draw(&Text::new(main, (cx, cy - gap), anchored(&value.color(ink), HPos::Center, VPos::Center)))?;
                root.draw(&Text::new(range, (cx, cy + gap), anchored(&band.color(ink), HPos::Center, VPos::Center)))?;
            } else {
                root.draw(&Text::new(main, (cx, cy), anchored(&value.color(ink), HPos::Center, VPos::Center)))?;
            }
        }
    }
    // Category labels on both axes.
    let (x0, y0) = chart.backend_coord(&(-0.5, -0.5));
    for (i, v) in x_values.iter().enumerate() {
        let (x, _) = chart.backend_coord(&(i as f64, -0.5));
        root.draw(&Text::new(v.as_str(), (x, y0 + scale.int(7.0)), anchored(&tick, HPos::Center, VPos::Top)))?;
    }
    for (j, v) in y_values.iter().enumerate() {
        let (_, y) = chart.backend_coord(&(-0.5, j as f64));
        root.draw(&Text::new(v.as_str(), (x0 - scale.int(7.0), y), anchored(&tick, HPos::Right, VPos::Center)))?;
    }
    let (_, plot_top) = chart.backend_coord(&(-0.5, ny - 0.5));
    let (plot_right, _) = chart.backend_coord(&(nx - 0.5, -0.5));
    let ticks: Vec<(f64, String)> = if high > low {
        (0..=4).map(|k| k as f64 / 4.0).map(|t| (t, number(low + t * span, span))).collect()
    } else {
        vec![(0.5, number(low, 1.0))]
    };
    colour_bar(
        root,
        scale,
        (plot_right + scale.int(20.0), plot_top, y0, p.pad + p.inner),
        &format!("{} (median)", sweep.metric),
        &ticks,
        viridis,
    )
}
