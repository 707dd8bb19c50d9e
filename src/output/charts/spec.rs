//! The vocabulary of a chart: what it shows (panels, lines, bands, axes), its styles and colours, and the
//! mechanism it belongs to. Which charts a run gets is decided in [`super::plan`](mod@super::plan); how they are
//! drawn, in `draw`.

use chrono::NaiveDate;
use plotters::style::RGBColor;

/// Okabe–Ito colours: distinguishable by colour-blind readers, and of differing lightness in greyscale.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const INK: RGBColor = RGBColor(34, 34, 34);

/// Where a month's value is placed on the time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A flow over the month: at the middle of the month.
    MidMonth,
    /// A stock or running total read at month end: at the end of the month.
    MonthEnd,
}

/// The uncertainty bands drawn around medians.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bands {
    /// P5–P95 and P25–P75 around a single median (a fan chart).
    Fan,
    /// P5–P95 around each median.
    Outer,
    /// P5–P95 around each median, fainter: for charts overlaying several policies.
    Light,
    /// The 95% confidence interval around a mean difference (from `differences.csv`).
    Ci,
}

/// Which table a chart is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `summary.csv`: medians and quantiles across replications.
    Summary,
    /// `differences.csv`: mean paired differences from the reference policy and their confidence intervals.
    Differences,
}

/// Point markers, so that lines stay distinguishable in greyscale where they overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointMarker {
    None,
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
    InvertedTriangle,
    /// A diamond with a white centre: for held-out observations.
    OpenDiamond,
}

/// How a line is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineStyle {
    pub color: RGBColor,
    /// Dash length and gap in pixels at the default size; `None` for a solid line.
    pub dash: Option<(f64, f64)>,
    pub marker: PointMarker,
}

/// One metric's median line (and its band).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub metric: String,
    /// The policy whose values the line shows; `None` for the chart's policy.
    pub policy: Option<String>,
    /// The country whose values the line shows; `None` for the chart's country (a chart of one country may show
    /// another's line beside its own, e.g. the sending country's re-arrivals on a receiving country's chart).
    pub country: Option<String>,
    /// Legend text.
    pub label: String,
    pub style: LineStyle,
}

/// One plot: a time axis, a value axis and lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// A heading above the plot, for charts of several panels.
    pub heading: Option<String>,
    /// The value axis' label, with its unit.
    pub y_label: String,
    /// What the time axis holds (e.g. "values at month end").
    pub x_label: String,
    pub position: Position,
    pub bands: Bands,
    /// Draw a line at zero (for differences, whose axis may run below it).
    pub zero_line: bool,
    /// What the value axis holds: amounts (counts, dollars) or shares drawn as percentages.
    pub axis: ValueAxis,
    pub lines: Vec<Line>,
}

/// How the value axis is scaled and labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueAxis {
    /// From zero to a little above the largest value, in the metric's own unit.
    Amount,
    /// A share from 0 to 1, labelled in percent.
    Share,
}

/// One chart file (in each format).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// File name without extension, e.g. `backlog-guatemala`.
    pub stem: String,
    /// The policy drawn (for charts comparing policies: the first).
    pub policy: String,
    pub country: String,
    pub source: Source,
    pub title: String,
    /// One sentence for the report: what the chart shows and how to read it.
    pub caption: String,
    pub panels: Vec<Panel>,
    /// Observed values drawn over the simulation (fit charts); empty otherwise.
    pub observed: Vec<ObservedMark>,
    /// The calibration cutoff, drawn as a vertical line: observations after it were held out of the fit.
    pub cutoff: Option<NaiveDate>,
    /// The model mechanism the chart is about (the report gives it a section of its own); `None` for the charts
    /// every run gets.
    pub mechanism: Option<Mechanism>,
}

/// An observed value drawn over a chart: a point, and the interval it is known to lie in if only bounds are known.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedMark {
    /// The month it falls in, `YYYY-MM`, and where in it: the share of the month elapsed (1 at month end, 0.5
    /// for a flow over the month).
    pub month: String,
    pub fraction: f64,
    /// The value; NaN when only bounds are known.
    pub value: f64,
    /// Bounds, infinite when open.
    pub low: f64,
    pub high: f64,
    /// Held out of the fit (after the cutoff): drawn hollow.
    pub held_out: bool,
}

impl ChartSpec {
    /// Whether the chart compares policies (lines of several policies, or differences between them).
    pub fn compares_policies(&self) -> bool {
        self.source == Source::Differences || self.panels.iter().any(|p| p.lines.iter().any(|l| l.policy.is_some()))
    }
}

pub(super) const SOLID: Option<(f64, f64)> = None;
pub(super) const DASHED: Option<(f64, f64)> = Some((9.0, 5.0));
pub(super) const DOTTED: Option<(f64, f64)> = Some((3.0, 4.0));

pub(super) fn line(metric: &str, label: &str, color: RGBColor, dash: Option<(f64, f64)>, marker: PointMarker) -> Line {
    Line {
        metric: metric.to_string(),
        policy: None,
        country: None,
        label: label.to_string(),
        style: LineStyle { color, dash, marker },
    }
}

/// A chart as planned, before the lines the table lacks are dropped (and the chart with them if none is left).
pub(super) struct Draft {
    /// File name without extension, before the policy suffix.
    pub stem: String,
    /// The chart's country: its lines' unless they name another, and whose rollout marks are drawn.
    pub country: String,
    pub title: String,
    pub caption: String,
    pub panels: Vec<Panel>,
    pub mechanism: Option<Mechanism>,
}

/// File-name-safe text: letters, digits, `_` and `-` are kept, anything else becomes `_`.
pub(super) fn safe(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect()
}

/// A mechanism with charts (and a report section) of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mechanism {
    /// Transferees who leave the receiving country's asylum process: home, onward, back, or staying.
    AfterReceiving,
    /// Would-be arrivals deterred by transfers: an assumption of the scenario.
    Deterrence,
    /// The sending country's courts, with and without the agreement.
    Courts,
    /// Costs of transfers, holding, adjudication, staff and courts.
    Costs,
    /// Flights and holding on the sending side.
    Operations,
    /// Decisions issued at sessions, and adjudicators hired and in training.
    Sessions,
}

impl Mechanism {
    /// In the order the report presents them.
    pub const ALL: [Mechanism; 6] = [
        Mechanism::AfterReceiving,
        Mechanism::Deterrence,
        Mechanism::Courts,
        Mechanism::Costs,
        Mechanism::Operations,
        Mechanism::Sessions,
    ];

    /// The heading of its report section.
    pub fn heading(self) -> &'static str {
        match self {
            Mechanism::AfterReceiving => "After the receiving country",
            Mechanism::Deterrence => "Deterrence (assumption)",
            Mechanism::Courts => "Sending country's courts",
            Mechanism::Costs => "Costs",
            Mechanism::Operations => "Transfer operations",
            Mechanism::Sessions => "Decision sessions and staff",
        }
    }
}

/// The style of the `i`-th policy on charts comparing policies: colour, dash and marker all differ, so that six
/// policies stay apart in greyscale.
pub fn policy_style(i: usize) -> LineStyle {
    const STYLES: [LineStyle; 7] = [
        LineStyle { color: INK, dash: SOLID, marker: PointMarker::Circle },
        LineStyle { color: VERMILLION, dash: DASHED, marker: PointMarker::Square },
        LineStyle { color: BLUE, dash: DOTTED, marker: PointMarker::Triangle },
        LineStyle { color: GREEN, dash: Some((16.0, 5.0)), marker: PointMarker::Diamond },
        LineStyle { color: PURPLE, dash: Some((9.0, 4.0)), marker: PointMarker::Cross },
        LineStyle { color: ORANGE, dash: SOLID, marker: PointMarker::InvertedTriangle },
        LineStyle { color: SKY, dash: DOTTED, marker: PointMarker::Square },
    ];
    STYLES[i % STYLES.len()]
}
