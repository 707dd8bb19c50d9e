//! Which charts a run gets, and what each shows: titles, units, metrics and their styles.

use chrono::NaiveDate;
use plotters::style::RGBColor;

use super::ChartData;
use super::context::ChartContext;
use super::mechanisms::Mechanism;

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

/// The charts of a table: per policy, for each receiving country and for the sending country. File names get a
/// `-<policy>` suffix only when the table holds several policies. Lines whose metric the table lacks are left
/// out, and so are charts left with no line.
pub fn plan<'a>(data: impl Into<ChartData<'a>>, context: &ChartContext) -> Vec<ChartSpec> {
    let data = data.into();
    let table = data.summary;
    let several_policies = table.policies.len() > 1;
    let sending = context.sending.as_str();
    let receiving: Vec<&String> = table.countries.iter().filter(|c| c.as_str() != sending).collect();
    let several_receiving = receiving.len() > 1;
    let mut out = Vec::new();
    for policy in &table.policies {
        let mut draw = |draft: Draft| {
            let Draft { stem, country, title, caption, panels, mechanism } = draft;
            let panels: Vec<Panel> = panels
                .into_iter()
                .map(|mut p| {
                    p.lines.retain(|l| {
                        let country = l.country.as_deref().unwrap_or(&country);
                        data.series(Source::Summary, policy, country, &l.metric).is_some()
                    });
                    p
                })
                .filter(|p| !p.lines.is_empty())
                .collect();
            if panels.is_empty() {
                return;
            }
            let suffix = if several_policies { format!("-{}", safe(policy)) } else { String::new() };
            let title = if several_policies { format!("{title} — policy {policy}") } else { title };
            out.push(ChartSpec {
                stem: format!("{stem}{suffix}"),
                policy: policy.clone(),
                country,
                source: Source::Summary,
                title,
                caption,
                panels,
                observed: Vec::new(),
                cutoff: None,
                mechanism,
            });
        };
        let mut push = |kind: &str, country: &str, title: String, caption: String, panels: Vec<Panel>| {
            draw(Draft {
                stem: format!("{kind}-{}", safe(country)),
                country: country.to_string(),
                title,
                caption,
                panels,
                mechanism: None,
            })
        };
        let s_name = context.name(sending).to_string();
        for country in &receiving {
            let name = context.name(country).to_string();
            push(
                "backlog",
                country,
                format!("{name}: asylum claims pending at month end"),
                format!(
                    "All claims waiting for a decision or being decided in {name} (transferees' and others', the \
                     initial backlog included). Line: median of the replications; dark band: the middle half \
                     (P25–P75); light band: 90% of replications (P5–P95)."
                ),
                vec![Panel {
                    heading: None,
                    y_label: "Claims pending (cases)".to_string(),
                    x_label: "Month (values at month end)".to_string(),
                    position: Position::MonthEnd,
                    zero_line: false,
                    axis: ValueAxis::Amount,
                    bands: Bands::Fan,
                    lines: vec![line("backlog_cases", "all claims pending", BLUE, SOLID, PointMarker::None)],
                }],
            );
            push(
                "transfers",
                country,
                format!("Transfers from {s_name} to {name} per month"),
                "People and cases (households) transferred in each month. Lines: medians; bands: 90% of \
                 replications (P5–P95). A band of no width means the number did not vary: seats were the limit."
                    .to_string(),
                vec![transfers_panel()],
            );
            push(
                "outcomes",
                country,
                format!("What became of the cases transferred to {name}"),
                "Running totals. Left: transferred cases that filed an asylum claim within the filing window or \
                 left without filing. Right: what became of the claims filed. Lines: medians; bands: 90% of \
                 replications (P5–P95)."
                    .to_string(),
                vec![
                    Panel {
                        heading: Some("Transferred cases: claim filed or not".to_string()),
                        y_label: "Cases, cumulative".to_string(),
                        x_label: "Month (running totals at month end)".to_string(),
                        position: Position::MonthEnd,
                        zero_line: false,
                        axis: ValueAxis::Amount,
                        bands: Bands::Outer,
                        lines: vec![
                            line("cumulative_transferred_cases", "transferred", INK, SOLID, PointMarker::None),
                            line(
                                "cumulative_not_filed_cases",
                                "left without filing",
                                BLUE,
                                DASHED,
                                PointMarker::Circle,
                            ),
                            line(
                                "cumulative_transferee_claims_filed_cases",
                                "filed a claim",
                                VERMILLION,
                                SOLID,
                                PointMarker::Square,
                            ),
                        ],
                    },
                    Panel {
                        heading: Some("Claims filed by transferees: outcomes".to_string()),
                        y_label: "Claims, cumulative (cases)".to_string(),
                        x_label: "Month (running totals at month end)".to_string(),
                        position: Position::MonthEnd,
                        zero_line: false,
                        axis: ValueAxis::Amount,
                        bands: Bands::Outer,
                        lines: vec![
                            line(
                                "cumulative_transferee_claims_filed_cases",
                                "filed a claim",
                                VERMILLION,
                                SOLID,
                                PointMarker::Square,
                            ),
                            line(
                                "cumulative_transferee_abandoned_cases",
                                "abandoned",
                                PURPLE,
                                DASHED,
                                PointMarker::Triangle,
                            ),
                            line(
                                "cumulative_transferee_decisions_cases",
                                "decided",
                                GREEN,
                                DOTTED,
                                PointMarker::Diamond,
                            ),
                            line("cumulative_transferee_grants_cases", "granted", INK, SOLID, PointMarker::Circle),
                        ],
                    },
                ],
            );
            if several_receiving {
                push(
                    "released",
                    country,
                    format!("{s_name}: cases eligible for transfer to {name}, released into its own process"),
                    released_caption(&s_name),
                    vec![released_panel()],
                );
            }
        }
        if several_receiving {
            push(
                "transfers",
                sending,
                format!("Transfers from {s_name} per month, all agreements"),
                "People and cases (households) transferred in each month under every agreement. Lines: medians; \
                 bands: 90% of replications (P5–P95)."
                    .to_string(),
                vec![transfers_panel()],
            );
        }
        push(
            "released",
            sending,
            format!("{s_name}: eligible cases released into its own process"),
            released_caption(&s_name),
            vec![released_panel()],
        );
        for draft in super::mechanisms::drafts(&data, policy, context) {
            draw(draft);
        }
    }
    if several_policies {
        out.extend(comparisons(&data, context));
    }
    if let Some(record) = data.record {
        out.extend(super::calibration::fit_specs(record.points, table, record.policy, record.cutoff, context));
    }
    out
}

/// A headline metric compared across policies: file-name kind, metric, what it counts, axis label, position.
struct Headline {
    kind: &'static str,
    metric: &'static str,
    what: &'static str,
    y_label: &'static str,
    /// The unit, for the axis of differences.
    unit: &'static str,
    x_label: &'static str,
    position: Position,
}

const RECEIVING_HEADLINES: [Headline; 3] = [
    Headline {
        kind: "backlog",
        metric: "backlog_cases",
        what: "asylum claims pending at month end",
        y_label: "Claims pending (cases)",
        unit: "cases",
        x_label: "Month (values at month end)",
        position: Position::MonthEnd,
    },
    Headline {
        kind: "transferred",
        metric: "cumulative_transferred_people",
        what: "people transferred, running total",
        y_label: "People transferred, cumulative",
        unit: "people",
        x_label: "Month (running totals at month end)",
        position: Position::MonthEnd,
    },
    Headline {
        kind: "claims",
        metric: "cumulative_transferee_claims_filed_cases",
        what: "asylum claims filed by transferees, running total",
        y_label: "Claims filed, cumulative (cases)",
        unit: "cases",
        x_label: "Month (running totals at month end)",
        position: Position::MonthEnd,
    },
];

const SENDING_HEADLINE: Headline = Headline {
    kind: "released",
    metric: "cumulative_released_cases",
    what: "eligible cases released into its own process, running total",
    y_label: "Cases released, cumulative",
    unit: "cases",
    x_label: "Month (running totals at month end)",
    position: Position::MonthEnd,
};

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

/// Charts comparing policies: each headline metric with every policy's median and band overlaid, and (with
/// `differences.csv`) each policy's mean difference from the reference with its confidence interval.
fn comparisons(data: &ChartData, context: &ChartContext) -> Vec<ChartSpec> {
    let table = data.summary;
    let sending = context.sending.as_str();
    let mut pairs: Vec<(&str, &Headline)> = Vec::new();
    for country in table.countries.iter().filter(|c| c.as_str() != sending) {
        pairs.extend(RECEIVING_HEADLINES.iter().map(|h| (country.as_str(), h)));
    }
    pairs.push((sending, &SENDING_HEADLINE));
    let policy_lines = |source: Source, policies: &[String], country: &str, metric: &str| -> Vec<Line> {
        policies
            .iter()
            .filter(|p| data.series(source, p, country, metric).is_some())
            .map(|p| Line {
                metric: metric.to_string(),
                policy: Some(p.clone()),
                country: None,
                label: p.clone(),
                style: policy_style(table.policies.iter().position(|q| q == p).unwrap_or(table.policies.len())),
            })
            .collect()
    };
    let mut out = Vec::new();
    for (country, h) in &pairs {
        let lines = policy_lines(Source::Summary, &table.policies, country, h.metric);
        if lines.len() < 2 {
            continue;
        }
        let name = context.name(country);
        out.push(ChartSpec {
            stem: format!("compare-{}-{}", h.kind, safe(country)),
            policy: table.policies[0].clone(),
            country: country.to_string(),
            source: Source::Summary,
            title: format!("{name}: {} — policies compared", h.what),
            caption: format!(
                "Every policy on the same simulated futures. Lines: medians of the replications; bands: 90% of \
                 replications (P5–P95). Policies with the same values draw over each other, and overlapping bands \
                 can hide a clear effect: the difference charts compare policies replication by replication. \
                 Metric `{}`.",
                h.metric
            ),
            panels: vec![Panel {
                heading: None,
                y_label: h.y_label.to_string(),
                x_label: h.x_label.to_string(),
                position: h.position,
                bands: Bands::Light,
                zero_line: false,
                axis: ValueAxis::Amount,
                lines,
            }],
            observed: Vec::new(),
            cutoff: None,
            mechanism: None,
        });
    }
    let Some(differences) = data.differences else { return out };
    let reference = differences.reference.as_str();
    for (country, h) in &pairs {
        let lines = policy_lines(Source::Differences, &differences.policies, country, h.metric);
        if lines.is_empty() {
            continue;
        }
        let name = context.name(country);
        out.push(ChartSpec {
            stem: format!("difference-{}-{}", h.kind, safe(country)),
            policy: differences.policies[0].clone(),
            country: country.to_string(),
            source: Source::Differences,
            title: format!("{name}: {} — difference from policy {reference}", h.what),
            caption: format!(
                "Each policy minus the reference policy {reference}, replication by replication on the same \
                 simulated futures. Lines: the mean difference; bands: its 95% confidence interval. Where a band \
                 excludes zero, the policies differ by more than the noise of the run. Metric `{}`.",
                h.metric
            ),
            panels: vec![Panel {
                heading: None,
                y_label: format!("Difference ({})", h.unit),
                x_label: h.x_label.to_string(),
                position: h.position,
                bands: Bands::Ci,
                zero_line: true,
                axis: ValueAxis::Amount,
                lines,
            }],
            observed: Vec::new(),
            cutoff: None,
            mechanism: None,
        });
    }
    out
}

fn released_caption(sending: &str) -> String {
    format!(
        "Cases eligible for transfer but not given a seat within the holding limit, which then stay in the asylum \
         process of the sending country ({sending}), per month. Line: median; dark band: the middle half (P25–P75); light band: 90% of \
         replications (P5–P95)."
    )
}

fn transfers_panel() -> Panel {
    Panel {
        heading: None,
        y_label: "Transferred per month (people or cases)".to_string(),
        x_label: "Month (totals over the month)".to_string(),
        position: Position::MidMonth,
        zero_line: false,
        axis: ValueAxis::Amount,
        bands: Bands::Outer,
        lines: vec![
            line("transferred_people", "people", BLUE, SOLID, PointMarker::Circle),
            line("transferred_cases", "cases (households)", VERMILLION, DASHED, PointMarker::Square),
        ],
    }
}

fn released_panel() -> Panel {
    Panel {
        heading: None,
        y_label: "Released per month (cases)".to_string(),
        x_label: "Month (totals over the month)".to_string(),
        position: Position::MidMonth,
        bands: Bands::Fan,
        zero_line: false,
        axis: ValueAxis::Amount,
        lines: vec![line("released_cases", "released cases", BLUE, SOLID, PointMarker::None)],
    }
}
