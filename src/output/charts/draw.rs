//! Drawing one chart on any plotters backend: title, legend, panels with bands and medians, calendar axis,
//! rollout marks, and the key and source lines underneath.

use chrono::{Datelike, NaiveDate};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::context::{ChartContext, MONTHS, Marker, day_label, thousands_with};
use super::spec::{Bands, ChartSpec, INK, Line, LineStyle, Panel, PointMarker, Position, ValueAxis};
use super::{ChartData, FONT};
use crate::output::Stats;

/// Reads one statistic of a month.
type Quantile = fn(&Stats) -> f64;

pub(super) type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

pub(super) const GRID: RGBColor = RGBColor(225, 225, 225);
pub(super) const AXIS: RGBColor = RGBColor(90, 90, 90);
pub(super) const MUTED: RGBColor = RGBColor(85, 85, 85);
const MARK: RGBColor = RGBColor(110, 110, 110);

/// Opacity of the P5–P95 band, and of the P25–P75 band drawn over it.
const OUTER_ALPHA: f64 = 0.16;
const INNER_ALPHA: f64 = 0.30;
/// Opacity of each policy's P5–P95 band where several policies are overlaid, and of confidence intervals.
const LIGHT_ALPHA: f64 = 0.07;
const CI_ALPHA: f64 = 0.2;

fn band_alpha(bands: Bands) -> f64 {
    match bands {
        Bands::Fan | Bands::Outer => OUTER_ALPHA,
        Bands::Light => LIGHT_ALPHA,
        Bands::Ci => CI_ALPHA,
    }
}

/// Sizes scale with the chart; below the default size text shrinks more slowly than the chart, to stay legible.
pub(super) struct Scale(f64);

impl Scale {
    pub(super) fn px(&self, base: f64) -> f64 {
        base * self.0
    }
    pub(super) fn int(&self, base: f64) -> i32 {
        (base * self.0).round().max(1.0) as i32
    }
    pub(super) fn stroke(&self, base: f64) -> u32 {
        (base * self.0).round().max(1.0) as u32
    }
}

pub(super) fn style(size: f64, bold: bool, color: &'static RGBColor) -> TextStyle<'static> {
    let weight = if bold { FontStyle::Bold } else { FontStyle::Normal };
    (FONT, size, weight).into_font().color(color)
}

pub(super) fn anchored(style: &TextStyle<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    style.pos(Pos::new(h, v))
}

pub(super) fn text_width<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: &str, style: &TextStyle) -> i32 {
    root.estimate_text_size(text, style).map_or(0, |(w, _)| w as i32)
}

/// Greedy word wrapping to `width` pixels.
pub(super) fn wrap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    width: i32,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if !current.is_empty() && text_width(root, &candidate, style) > width {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Text on a white box, so that it stays legible over lines and points; `pos` is where the anchor `h`, `v` goes.
pub(super) fn boxed_text<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    (x, y): (i32, i32),
    style: &TextStyle<'static>,
    (h, v): (HPos, VPos),
) -> Drawn<DB> {
    let width = text_width(root, text, style);
    let height = root.estimate_text_size(text, style).map_or(0, |(_, h)| h as i32);
    let left = match h {
        HPos::Left => x,
        HPos::Center => x - width / 2,
        HPos::Right => x - width,
    };
    let top = match v {
        VPos::Top => y,
        VPos::Center => y - height / 2,
        VPos::Bottom => y - height,
    };
    let m = 3;
    root.draw(&Rectangle::new([(left - m, top - m), (left + width + m, top + height + m)], WHITE.mix(0.85).filled()))?;
    root.draw(&Text::new(text, (x, y), anchored(style, h, v)))?;
    Ok(())
}

/// `color` at opacity `alpha` over white, as an opaque colour (for legend swatches).
pub(super) fn over_white(color: RGBColor, alpha: f64) -> RGBColor {
    let mix = |c: u8| (255.0 - (255.0 - c as f64) * alpha).round() as u8;
    RGBColor(mix(color.0), mix(color.1), mix(color.2))
}

/// The calendar of the table's months: the first month, and how many.
struct Calendar {
    first: (i32, u32),
    months: usize,
}

impl Calendar {
    fn new(labels: &[String]) -> Calendar {
        let first = labels
            .first()
            .and_then(|l| {
                let (y, m) = l.split_once('-')?;
                Some((y.parse().ok()?, m.parse().ok()?))
            })
            .unwrap_or((2000, 1));
        Calendar { first, months: labels.len() }
    }

    /// (year, month 1–12) of month index `m`.
    fn month(&self, m: usize) -> (i32, u32) {
        let total = self.first.0 * 12 + self.first.1 as i32 - 1 + m as i32;
        (total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
    }

    /// Position of a day on the time axis (month `m` spans `m..m+1`); `None` outside the horizon.
    fn x_of(&self, date: NaiveDate) -> Option<f64> {
        let index = (date.year() - self.first.0) * 12 + date.month() as i32 - self.first.1 as i32;
        let start = NaiveDate::from_ymd_opt(date.year(), date.month(), 1)?;
        let next = if date.month() == 12 {
            NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)?
        };
        let days = (next - start).num_days() as f64;
        let x = index as f64 + (date.day() - 1) as f64 / days;
        (0.0..=self.months as f64).contains(&x).then_some(x)
    }
}

/// A legend entry: a line sample (over a band of its colour), a band sample (none: text only), or a point marker.
pub(super) enum Swatch {
    Line(LineStyle, Option<f64>),
    Band(RGBColor, Vec<f64>),
    Point(LineStyle),
}

/// Draws the whole chart.
pub(super) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    data: &ChartData,
    context: &ChartContext,
) -> Drawn<DB> {
    let calendar = Calendar::new(data.months(spec.source));
    let marks = if spec.compares_policies() {
        context.markers_compared(&compared_policies(spec, data), &spec.country)
    } else {
        context.markers_for(&spec.policy, &spec.country)
    };
    let markers: Vec<(Marker, f64)> = marks.into_iter().filter_map(|m| calendar.x_of(m.date).map(|x| (m, x))).collect();
    let mut notes = Vec::new();
    if !markers.is_empty() {
        notes.push(marker_key(&markers));
    }
    notes.push(context.source_line());
    let Page { scale, pad, inner, top, footer_top } = page(root, &spec.title, legend_entries(spec), &notes)?;

    // Panels side by side; each draws its own time axis below it.
    let tick = style(scale.px(12.5), false, &INK);
    let axis_rows = 3 * scale.int(12.5 * 1.45) + scale.int(8.0);
    let bottom = footer_top - scale.int(8.0) - axis_rows;
    let gap = scale.int(36.0);
    let n = spec.panels.len() as i32;
    let panel_width = (inner - gap * (n - 1)) / n;
    for (i, panel) in spec.panels.iter().enumerate() {
        let left = pad + i as i32 * (panel_width + gap);
        let frame = Frame { left, top, width: panel_width, bottom };
        draw_panel(root, panel, spec, data, &calendar, &markers, &scale, &tick, frame)?;
    }
    Ok(())
}

/// Where a page leaves room for the plot, and its scale.
pub(super) struct Page {
    pub scale: Scale,
    /// Margin on every side.
    pub pad: i32,
    /// Width between the margins.
    pub inner: i32,
    /// The top of the plot area (below the title and legend).
    pub top: i32,
    /// The top of the footer (the bottom of the plot area, axis labels included).
    pub footer_top: i32,
}

/// Clears the page and draws its title (wrapped), the legend under it, and the footer notes (wrapped, grey, the
/// last one at the bottom); returns the room left for the plot.
pub(super) fn page<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title_text: &str,
    legend: Vec<(Swatch, String)>,
    notes: &[String],
) -> Result<Page, DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let size = (w as f64 / super::DEFAULT_WIDTH as f64).min(h as f64 / super::DEFAULT_HEIGHT as f64);
    let scale = Scale(if size < 1.0 { size.sqrt() } else { size });
    let pad = scale.int(18.0);
    let inner = w - 2 * pad;

    // Title, wrapped if it does not fit.
    let title = style(scale.px(21.0), true, &INK);
    let mut y = pad;
    for line in wrap(root, title_text, &title, inner) {
        root.draw(&Text::new(line, (pad, y), anchored(&title, HPos::Left, VPos::Top)))?;
        y += scale.int(21.0 * 1.3);
    }
    y += scale.int(6.0);
    y = draw_legend(root, legend, &scale, pad, y, inner)?;
    let top = y + scale.int(4.0);

    // Footer, from the bottom up.
    let small = style(scale.px(12.0), false, &MUTED);
    let line_height = scale.int(12.0 * 1.35);
    let footer_lines: Vec<String> = notes.iter().flat_map(|n| wrap(root, n, &small, inner)).collect();
    let footer_top = h - pad - footer_lines.len() as i32 * line_height;
    for (i, line) in footer_lines.iter().enumerate() {
        let at = (pad, footer_top + i as i32 * line_height);
        root.draw(&Text::new(line.as_str(), at, anchored(&small, HPos::Left, VPos::Top)))?;
    }
    Ok(Page { scale, pad, inner, top, footer_top })
}

/// The policies a comparing chart shows, in the table's order: its lines' and, for differences, the reference.
fn compared_policies<'a>(spec: &'a ChartSpec, data: &'a ChartData) -> Vec<&'a str> {
    let mut on_chart: Vec<&str> =
        spec.panels.iter().flat_map(|p| &p.lines).filter_map(|l| l.policy.as_deref()).collect();
    if let (super::Source::Differences, Some(d)) = (spec.source, data.differences) {
        on_chart.push(d.reference.as_str());
    }
    let mut policies: Vec<&str> =
        data.summary.policies.iter().map(String::as_str).filter(|p| on_chart.contains(p)).collect();
    for p in on_chart {
        if !policies.contains(&p) {
            policies.push(p);
        }
    }
    policies
}

/// The colour of a policy's own rollout marks: its lines' colour on charts comparing policies.
fn policy_colour(data: &ChartData, policy: &str) -> RGBColor {
    let policies = &data.summary.policies;
    super::spec::policy_style(policies.iter().position(|p| p == policy).unwrap_or(policies.len())).color
}

/// "Vertical lines: 1 = 21 Nov 2019, single adults; 2 = … Shaded: new transfers suspended."
fn marker_key(markers: &[(Marker, f64)]) -> String {
    let items: Vec<String> = markers
        .iter()
        .enumerate()
        .map(|(i, (m, _))| format!("{} = {}, {};", i + 1, day_label(m.date), m.label))
        .collect();
    let mut key = format!("Rollout dates (numbered lines): {}", items.join(" "));
    key.pop();
    key.push('.');
    if markers.iter().any(|(m, _)| m.suspension && m.only.is_empty()) {
        key.push_str(" Grey shading: new transfers suspended.");
    }
    if markers.iter().any(|(m, _)| m.only.len() == 1) {
        key.push_str(" A date of one policy only is drawn in its colour.");
    }
    key
}

fn legend_entries(spec: &ChartSpec) -> Vec<(Swatch, String)> {
    let mut entries: Vec<(Swatch, String)> = Vec::new();
    let mut seen: Vec<&Line> = Vec::new();
    for panel in &spec.panels {
        for line in &panel.lines {
            if seen.iter().any(|l| l.label == line.label && l.style == line.style) {
                continue;
            }
            seen.push(line);
            match panel.bands {
                // Several medians each with its two bands: the lines are named, the bands explained once below.
                Bands::Fan if panel.lines.len() > 1 => {
                    entries.push((Swatch::Line(line.style, Some(OUTER_ALPHA)), line.label.clone()));
                }
                Bands::Fan => {
                    entries.push((Swatch::Line(line.style, None), format!("median ({})", line.label)));
                    entries.push((
                        Swatch::Band(line.style.color, vec![OUTER_ALPHA, INNER_ALPHA]),
                        "middle half of replications (P25–P75)".to_string(),
                    ));
                    entries.push((
                        Swatch::Band(line.style.color, vec![OUTER_ALPHA]),
                        "90% of replications (P5–P95)".to_string(),
                    ));
                }
                Bands::Outer | Bands::Light | Bands::Ci => {
                    // Where bands are faint, the swatch shows the band a little darker, to be seen at all.
                    let alpha = band_alpha(panel.bands).max(OUTER_ALPHA);
                    entries.push((Swatch::Line(line.style, Some(alpha)), line.label.clone()))
                }
            }
        }
    }
    if spec.panels.iter().any(|p| p.bands == Bands::Fan && p.lines.len() > 1) {
        entries.push((
            Swatch::Band(RGBColor(255, 255, 255), vec![]),
            "lines: medians; dark bands: middle half of replications (P25–P75); light bands: 90% (P5–P95)".to_string(),
        ));
    }
    if spec.panels.iter().any(|p| matches!(p.bands, Bands::Outer | Bands::Light)) {
        entries.push((
            Swatch::Band(RGBColor(255, 255, 255), vec![]),
            "lines: medians; bands: 90% of replications (P5–P95)".to_string(),
        ));
    }
    if !spec.observed.is_empty() {
        let point = |marker| LineStyle { color: INK, dash: None, marker };
        if spec.observed.iter().any(|o| !o.held_out) {
            let label = if spec.cutoff.is_some() { "observed, used for fitting" } else { "observed" };
            entries.push((Swatch::Point(point(PointMarker::Circle)), label.to_string()));
        }
        if spec.observed.iter().any(|o| o.held_out) {
            entries.push((Swatch::Point(point(PointMarker::OpenDiamond)), "observed, held out of the fit".to_string()));
        }
        if spec.observed.iter().any(|o| o.low.is_finite() || o.high.is_finite()) {
            entries.push((
                Swatch::Band(RGBColor(255, 255, 255), vec![]),
                "bars: observed ranges; arrow up: more than the value, arrow down: less than it".to_string(),
            ));
        }
    }
    if spec.panels.iter().any(|p| p.bands == Bands::Ci) {
        entries.push((
            Swatch::Band(RGBColor(255, 255, 255), vec![]),
            "lines: mean difference; bands: its 95% confidence interval".to_string(),
        ));
    }
    entries
}

/// Draws the legend in rows from (`left`, `y`); returns the y below it.
fn draw_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    entries: Vec<(Swatch, String)>,
    scale: &Scale,
    left: i32,
    mut y: i32,
    width: i32,
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let text = style(scale.px(13.5), false, &INK);
    let row = scale.int(13.5 * 1.6);
    let sample = scale.int(30.0);
    let half = scale.int(6.0);
    let mut x = left;
    for (swatch, label) in entries {
        let has_sample = !matches!(&swatch, Swatch::Band(_, alphas) if alphas.is_empty());
        let sample = if matches!(swatch, Swatch::Point(_)) { scale.int(14.0) } else { sample };
        let entry = if has_sample { sample + scale.int(6.0) } else { 0 } + text_width(root, &label, &text);
        if x > left && x + entry > left + width {
            x = left;
            y += row;
        }
        let mid = y + row / 2;
        match &swatch {
            Swatch::Line(style, band) => {
                if let Some(alpha) = band {
                    root.draw(&Rectangle::new(
                        [(x, mid - half), (x + sample, mid + half)],
                        over_white(style.color, *alpha).filled(),
                    ))?;
                }
                draw_line_sample(root, style, scale, (x, mid), sample)?;
            }
            Swatch::Point(style) => draw_point(root, style, scale, (x + sample / 2, mid))?,
            Swatch::Band(color, alphas) => {
                let opacity = 1.0 - alphas.iter().map(|a| 1.0 - a).product::<f64>();
                if !alphas.is_empty() {
                    root.draw(&Rectangle::new(
                        [(x, mid - half), (x + sample, mid + half)],
                        over_white(*color, opacity).filled(),
                    ))?;
                }
            }
        }
        let text_x = if has_sample { x + sample + scale.int(6.0) } else { x };
        root.draw(&Text::new(label.as_str(), (text_x, mid), anchored(&text, HPos::Left, VPos::Center)))?;
        x += entry + scale.int(22.0);
    }
    Ok(y + row)
}

pub(super) fn draw_line_sample<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    line: &LineStyle,
    scale: &Scale,
    (x, y): (i32, i32),
    length: i32,
) -> Drawn<DB> {
    let stroke = line.color.stroke_width(scale.stroke(2.5));
    match line.dash {
        None => root.draw(&PathElement::new(vec![(x, y), (x + length, y)], stroke))?,
        Some((dash, gap)) => {
            root.draw(&DashedPathElement::new(vec![(x, y), (x + length, y)], scale.px(dash), scale.px(gap), stroke))?
        }
    }
    draw_point(root, line, scale, (x + length / 2, y))
}

pub(super) fn draw_point<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    line: &LineStyle,
    scale: &Scale,
    (x, y): (i32, i32),
) -> Drawn<DB> {
    let r = scale.int(4.0);
    let fill = line.color.filled();
    let edge = WHITE.stroke_width(1);
    match line.marker {
        PointMarker::None => {}
        PointMarker::Circle => {
            root.draw(&Circle::new((x, y), r, fill))?;
            root.draw(&Circle::new((x, y), r, edge))?;
        }
        PointMarker::Square => {
            root.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], fill))?;
            root.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], edge))?;
        }
        PointMarker::Triangle => {
            let t = vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)];
            root.draw(&Polygon::new(t.clone(), fill))?;
            root.draw(&PathElement::new(vec![t[0], t[1], t[2], t[0]], edge))?;
        }
        PointMarker::Diamond => {
            // Larger than the circle, so that a circle drawn over it at the same value leaves its corners visible.
            let r = r + scale.int(2.5);
            let d = vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)];
            root.draw(&Polygon::new(d.clone(), fill))?;
            root.draw(&PathElement::new(vec![d[0], d[1], d[2], d[3], d[0]], edge))?;
        }
        PointMarker::InvertedTriangle => {
            let t = vec![(x, y + r + 1), (x + r + 1, y - r), (x - r - 1, y - r)];
            root.draw(&Polygon::new(t.clone(), fill))?;
            root.draw(&PathElement::new(vec![t[0], t[1], t[2], t[0]], edge))?;
        }
        PointMarker::OpenDiamond => {
            let r = r + scale.int(2.0);
            let d = vec![(x, y - r), (x + r, y), (x, y + r), (x - r, y)];
            root.draw(&Polygon::new(d.clone(), WHITE.filled()))?;
            root.draw(&PathElement::new(
                vec![d[0], d[1], d[2], d[3], d[0]],
                line.color.stroke_width(scale.stroke(2.0)),
            ))?;
        }
        PointMarker::Cross => {
            let r = r + 1;
            let stroke = line.color.stroke_width(scale.stroke(2.5));
            root.draw(&PathElement::new(vec![(x - r, y - r), (x + r, y + r)], stroke))?;
            root.draw(&PathElement::new(vec![(x - r, y + r), (x + r, y - r)], stroke))?;
        }
    }
    Ok(())
}

/// Where a panel goes, in pixels: its left edge, top, width, and the bottom of its plot.
#[derive(Clone, Copy)]
struct Frame {
    left: i32,
    top: i32,
    width: i32,
    bottom: i32,
}

/// Runs of consecutive months whose values are all defined, as (x, values) points.
fn segments(series: &[Stats], position: Position, value: impl Fn(&Stats) -> [f64; 2]) -> Vec<Vec<(f64, [f64; 2])>> {
    let offset = match position {
        Position::MidMonth => 0.5,
        Position::MonthEnd => 1.0,
    };
    let mut out: Vec<Vec<(f64, [f64; 2])>> = vec![Vec::new()];
    for (m, s) in series.iter().enumerate() {
        let v = value(s);
        if v.iter().all(|x| x.is_finite()) {
            out.last_mut().expect("never empty").push((m as f64 + offset, v));
        } else if !out.last().expect("never empty").is_empty() {
            out.push(Vec::new());
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// The value axis: from 0 (or a little below the smallest value drawn, if negative) to a little above the largest
/// (at least 5 above 0 for counts that never leave 0; a span of at least 1 for differences).
pub(super) fn axis_range(values: impl Iterator<Item = f64>, differences: bool) -> (f64, f64) {
    let (low, high) = values.filter(|v| v.is_finite()).fold((0.0f64, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    let pad = 0.08 * (high - low);
    let (mut low, mut high) = (if low < 0.0 { low - pad } else { 0.0 }, if high > 0.0 { high + pad } else { 0.0 });
    if !differences {
        high = high.max(5.0);
    } else if high - low < 1e-9 {
        (low, high) = (low - 0.5, high + 0.5);
    }
    (low, high)
}

/// Decimals for the value axis' tick labels, from the span it covers.
pub(super) fn tick_decimals(span: f64) -> usize {
    if span < 2.0 {
        2
    } else if span < 20.0 {
        1
    } else {
        0
    }
}

#[allow(clippy::too_many_arguments)]
fn draw_panel<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    panel: &Panel,
    spec: &ChartSpec,
    data: &ChartData,
    calendar: &Calendar,
    markers: &[(Marker, f64)],
    scale: &Scale,
    tick: &TextStyle<'static>,
    frame: Frame,
) -> Drawn<DB> {
    let series: Vec<(&Line, &[Stats])> = panel
        .lines
        .iter()
        .filter_map(|l| {
            let policy = l.policy.as_deref().unwrap_or(&spec.policy);
            let country = l.country.as_deref().unwrap_or(&spec.country);
            data.series(spec.source, policy, country, &l.metric).map(|s| (l, s))
        })
        .collect();
    let mut top = frame.top;
    if let Some(heading) = &panel.heading {
        let heading_style = style(scale.px(14.5), true, &INK);
        for line in wrap(root, heading, &heading_style, frame.width) {
            root.draw(&Text::new(line, (frame.left, top), anchored(&heading_style, HPos::Left, VPos::Top)))?;
            top += scale.int(14.5 * 1.35);
        }
        top += scale.int(2.0);
    }
    let months = data.months(spec.source);
    let observed: Vec<(f64, &super::spec::ObservedMark)> = spec
        .observed
        .iter()
        .filter_map(|o| months.iter().position(|m| *m == o.month).map(|i| (i as f64 + o.fraction, o)))
        .collect();
    let (y_bottom, y_top) = match panel.axis {
        ValueAxis::Share => (0.0, 1.0),
        ValueAxis::Amount => axis_range(
            series
                .iter()
                .flat_map(|(_, s)| s.iter())
                .flat_map(|s| [s.p05, s.p50, s.p95])
                .chain(observed.iter().flat_map(|(_, o)| [o.value, o.low, o.high])),
            spec.source == super::Source::Differences,
        ),
    };
    let decimals = tick_decimals(y_top - y_bottom);
    let y_format = |v: &f64| match panel.axis {
        ValueAxis::Share => format!("{}%", thousands_with(100.0 * *v, 0)),
        ValueAxis::Amount => thousands_with(*v, decimals),
    };
    let widest_tick = [y_top, y_bottom, (y_top + y_bottom) / 2.0]
        .iter()
        .map(|v| text_width(root, &y_format(v), tick))
        .max()
        .unwrap_or(0)
        .max(text_width(root, "0", tick));
    let desc = style(scale.px(13.5), false, &INK);
    let label_area = widest_tick + scale.int(13.5 * 1.3) + scale.int(16.0);
    let marker_row = if markers.is_empty() { 0 } else { scale.int(12.0 * 1.5) };
    let area = root.clone().shrink((frame.left, top), (frame.width, (frame.bottom - top).max(10)));
    let months = calendar.months as f64;
    let mut chart = ChartBuilder::on(&area)
        .set_label_area_size(LabelAreaPosition::Left, label_area)
        .margin_top(marker_row)
        .margin_right(scale.int(8.0))
        .build_cartesian_2d(0f64..months, y_bottom..y_top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(8)
        .y_label_formatter(&y_format)
        .y_desc(panel.y_label.as_str())
        .label_style(tick.clone())
        .axis_desc_style(desc)
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS.stroke_width(1))
        .set_tick_mark_size(LabelAreaPosition::Left, scale.int(4.0))
        .draw()?;

    // Suspended stretches, shaded up to the next phase that opens transfers again (only where every policy on the
    // chart shares them; a policy's own suspension is its coloured line).
    for (i, (m, x)) in markers.iter().enumerate() {
        if !m.suspension || !m.only.is_empty() {
            continue;
        }
        let end = markers[i + 1..].iter().find(|(n, _)| !n.suspension && n.only.is_empty()).map_or(months, |(_, x)| *x);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(*x, y_bottom), (end, y_top)],
            RGBColor(0, 0, 0).mix(0.07).filled(),
        )))?;
    }
    // Bands first, medians over them.
    for (line, s) in &series {
        let color = line.style.color;
        let mut bands: Vec<(f64, [Quantile; 2])> = vec![(band_alpha(panel.bands), [|s| s.p05, |s| s.p95])];
        if panel.bands == Bands::Fan {
            bands.push((INNER_ALPHA, [|s| s.p25, |s| s.p75]));
        }
        for (alpha, [low, high]) in bands {
            for run in segments(s, panel.position, |s| [low(s), high(s)]) {
                let mut outline: Vec<(f64, f64)> = run.iter().map(|(x, v)| (*x, v[1])).collect();
                outline.extend(run.iter().rev().map(|(x, v)| (*x, v[0])));
                chart.draw_series(std::iter::once(Polygon::new(outline, color.mix(alpha).filled())))?;
            }
        }
    }
    if panel.zero_line && y_bottom < 0.0 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, 0.0), (months, 0.0)],
            INK.stroke_width(scale.stroke(1.2)),
        )))?;
    }
    let width = match panel.bands {
        Bands::Fan => 3.0,
        Bands::Outer | Bands::Ci => 2.5,
        Bands::Light => 2.0,
    };
    for (line, s) in &series {
        let stroke = line.style.color.stroke_width(scale.stroke(width));
        for run in segments(s, panel.position, |s| [s.p50, s.p50]) {
            let points: Vec<(f64, f64)> = run.iter().map(|(x, v)| (*x, v[0])).collect();
            match line.style.dash {
                None => {
                    chart.draw_series(LineSeries::new(points.clone(), stroke))?;
                }
                Some((dash, gap)) => {
                    chart.draw_series(DashedLineSeries::new(points.clone(), scale.px(dash), scale.px(gap), stroke))?;
                }
            }
            for p in &points {
                draw_point(root, &line.style, scale, chart.backend_coord(p))?;
            }
        }
    }

    // Observed values over the simulation: an interval as a bar with caps, a bound known on one side only ("more
    // than 50") as an arrow from it pointing the way the value may lie; points filled if used for fitting, hollow
    // if held out; the cutoff as a dotted line.
    if let Some(cutoff) = spec.cutoff.and_then(|d| calendar.x_of(d)) {
        let stroke = INK.stroke_width(scale.stroke(1.5));
        let (x, top) = chart.backend_coord(&(cutoff, y_top));
        let (_, bottom) = chart.backend_coord(&(cutoff, y_bottom));
        root.draw(&DashedPathElement::new(vec![(x, top), (x, bottom)], scale.px(2.0), scale.px(3.0), stroke))?;
        let label = style(scale.px(12.0), false, &INK);
        let text = format!("fit cutoff {}", day_label(spec.cutoff.expect("checked")));
        boxed_text(root, &text, (x + scale.int(5.0), bottom - scale.int(6.0)), &label, (HPos::Left, VPos::Bottom))?;
    }
    let (plot_top, plot_bottom) = (chart.backend_coord(&(0.0, y_top)).1, chart.backend_coord(&(0.0, y_bottom)).1);
    for (x, o) in &observed {
        let px = chart.backend_coord(&(*x, 0.0)).0;
        let at = |v: f64| v.is_finite().then(|| chart.backend_coord(&(*x, v.clamp(y_bottom, y_top))).1);
        if let Some(mark) = BoundMark::of(at(o.low), at(o.high), (plot_top, plot_bottom), px, scale) {
            let stroke = INK.stroke_width(scale.stroke(1.5));
            root.draw(&PathElement::new(mark.shaft.to_vec(), stroke))?;
            for cap in mark.caps {
                root.draw(&PathElement::new(cap.to_vec(), stroke))?;
            }
            if let Some(head) = mark.head {
                root.draw(&Polygon::new(head.to_vec(), INK.filled()))?;
            }
        }
        if o.value.is_finite() {
            let marker = if o.held_out { PointMarker::OpenDiamond } else { PointMarker::Circle };
            let r = scale.int(5.0);
            let at = chart.backend_coord(&(*x, o.value));
            if !o.held_out {
                root.draw(&Circle::new(at, r + 1, WHITE.filled()))?;
            }
            draw_point(root, &LineStyle { color: INK, dash: None, marker }, scale, at)?;
        }
    }

    // Rollout marks: a dashed line per phase, numbered above the plot (solid for a suspension).
    let number = style(scale.px(12.0), true, &MARK);
    let mut last_label_end = i32::MIN;
    for (i, (m, x)) in markers.iter().enumerate() {
        let px = chart.backend_coord(&(*x, 0.0)).0;
        let colour = match m.only.as_slice() {
            [one] => policy_colour(data, one),
            _ => MARK,
        };
        let number = TextStyle { color: colour.to_backend_color(), ..number.clone() };
        let stroke = colour.stroke_width(scale.stroke(1.3));
        if m.suspension {
            root.draw(&PathElement::new(vec![(px, plot_top), (px, plot_bottom)], stroke))?;
        } else {
            root.draw(&DashedPathElement::new(
                vec![(px, plot_top), (px, plot_bottom)],
                scale.px(6.0),
                scale.px(4.0),
                stroke,
            ))?;
        }
        let label = (i + 1).to_string();
        let label_width = text_width(root, &label, &number);
        let centre = px.max(last_label_end + scale.int(3.0) + label_width / 2);
        root.draw(&Text::new(
            label,
            (centre, plot_top - scale.int(3.0)),
            anchored(&number, HPos::Center, VPos::Bottom),
        ))?;
        last_label_end = centre + label_width / 2;
    }

    draw_time_axis(root, panel, calendar, scale, tick, |x| chart.backend_coord(&(x, y_bottom)))
}

/// How an observed bound is drawn, in backend pixels (y grows downwards).
#[derive(Debug, Clone, PartialEq)]
struct BoundMark {
    shaft: [(i32, i32); 2],
    /// A cap across each finite end of an interval, or across a one-sided bound where it starts.
    caps: Vec<[(i32, i32); 2]>,
    /// The arrowhead of a one-sided bound, tip first: up for a lower bound, down for an upper one.
    head: Option<[(i32, i32); 3]>,
}

impl BoundMark {
    /// The mark of a bound at pixel rows `low` and `high` (`None` where open) in a plot spanning rows `plot`
    /// (top, bottom), at column `px`. A lower bound ("more than") is an arrow up from it of a fixed length (the value
    /// may be anywhere above: the arrow says so without implying an end), an upper bound an arrow down; `None`
    /// when neither end is known.
    fn of(low: Option<i32>, high: Option<i32>, plot: (i32, i32), px: i32, scale: &Scale) -> Option<BoundMark> {
        let cap = scale.int(5.0);
        let across = |y: i32| [(px - cap, y), (px + cap, y)];
        let length = scale.int(36.0);
        let head_length = scale.int(9.0);
        match (low, high) {
            (Some(low), Some(high)) => {
                Some(BoundMark { shaft: [(px, low), (px, high)], caps: vec![across(low), across(high)], head: None })
            }
            (Some(low), None) => {
                let tip = (low - length).max(plot.0);
                let base = tip + head_length;
                Some(BoundMark {
                    shaft: [(px, low), (px, base)],
                    caps: vec![across(low)],
                    head: Some([(px, tip), (px - cap, base), (px + cap, base)]),
                })
            }
            (None, Some(high)) => {
                let tip = (high + length).min(plot.1);
                let base = tip - head_length;
                Some(BoundMark {
                    shaft: [(px, high), (px, base)],
                    caps: vec![across(high)],
                    head: Some([(px, tip), (px - cap, base), (px + cap, base)]),
                })
            }
            (None, None) => None,
        }
    }
}

/// The time axis under a plot: month ticks, month names, years, and what the axis holds.
fn draw_time_axis<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    panel: &Panel,
    calendar: &Calendar,
    scale: &Scale,
    tick: &TextStyle<'static>,
    at: impl Fn(f64) -> (i32, i32),
) -> Drawn<DB> {
    let months = calendar.months;
    let (x0, y0) = at(0.0);
    let (x1, _) = at(months as f64);
    root.draw(&PathElement::new(vec![(x0, y0), (x1, y0)], AXIS.stroke_width(1)))?;
    let per_month = (x1 - x0) as f64 / months.max(1) as f64;
    let widest = MONTHS.iter().map(|m| text_width(root, m, tick)).max().unwrap_or(0) as f64;
    // Label every month if the names fit, else every 2nd, 3rd, 6th or 12th (always January).
    let step = [1usize, 2, 3, 6, 12].into_iter().find(|s| widest + 4.0 < per_month * *s as f64).unwrap_or(12);
    let row = scale.int(12.5 * 1.45);
    let month_y = y0 + scale.int(7.0);
    for m in 0..=months {
        let (x, _) = at(m as f64);
        let new_year = m == 0 || m == months || calendar.month(m).1 == 1;
        let length = if new_year { scale.int(4.0) + 2 * row } else { scale.int(5.0) };
        root.draw(&PathElement::new(vec![(x, y0), (x, y0 + length)], AXIS.stroke_width(1)))?;
        if m == months {
            break;
        }
        let (_, month) = calendar.month(m);
        if (month as usize - 1).is_multiple_of(step) {
            let centre = at(m as f64 + 0.5).0;
            let (text, x) =
                if step == 1 { (MONTHS[month as usize - 1], centre) } else { (MONTHS[month as usize - 1], x + 3) };
            let h = if step == 1 { HPos::Center } else { HPos::Left };
            root.draw(&Text::new(text, (x, month_y), anchored(tick, h, VPos::Top)))?;
        }
    }
    // Years, centred on their months within the horizon; a year too narrow for its label is skipped.
    let year_style = style(scale.px(12.5), true, &INK);
    let year_y = month_y + row;
    let mut m = 0;
    while m < months {
        let (year, _) = calendar.month(m);
        let end = (m..months).find(|&k| calendar.month(k).0 != year).unwrap_or(months);
        let label = year.to_string();
        let (a, b) = (at(m as f64).0, at(end as f64).0);
        if text_width(root, &label, &year_style) + 4 <= b - a {
            root.draw(&Text::new(label, ((a + b) / 2, year_y), anchored(&year_style, HPos::Center, VPos::Top)))?;
        }
        m = end;
    }
    let desc = style(scale.px(12.5), false, &MUTED);
    root.draw(&Text::new(
        panel.x_label.as_str(),
        ((x0 + x1) / 2, year_y + row),
        anchored(&desc, HPos::Center, VPos::Top),
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lower_bound_points_up_from_its_value_and_an_upper_bound_down() {
        let scale = Scale(1.0);
        let plot = (50, 450);
        // "More than 50" at row 300: an arrow up from 300, its tip above its base, nothing drawn below 300.
        let more = BoundMark::of(Some(300), None, plot, 100, &scale).unwrap();
        let [tip, left, right] = more.head.unwrap();
        assert!(tip.1 < left.1 && tip.1 < right.1, "the arrowhead of a lower bound points up: {more:?}");
        assert!(tip.1 < 300 && tip.1 >= plot.0);
        assert!(more.shaft.iter().chain(more.caps.iter().flatten()).all(|p| p.1 <= 300), "{more:?}");
        // "Less than 200" at row 120: the mirror image.
        let less = BoundMark::of(None, Some(120), plot, 100, &scale).unwrap();
        let [tip, left, _] = less.head.unwrap();
        assert!(tip.1 > left.1 && tip.1 > 120 && tip.1 <= plot.1, "{less:?}");
        // An arrow near the top stops at the plot's edge.
        let near_top = BoundMark::of(Some(60), None, plot, 100, &scale).unwrap();
        assert_eq!(near_top.head.unwrap()[0].1, plot.0);
        // An interval is a bar with both ends capped and no arrow.
        let both = BoundMark::of(Some(300), Some(200), plot, 100, &scale).unwrap();
        assert_eq!(both.head, None);
        assert_eq!(both.shaft, [(100, 300), (100, 200)]);
        assert_eq!(both.caps.len(), 2);
        assert_eq!(BoundMark::of(None, None, plot, 100, &scale), None);
    }
}
