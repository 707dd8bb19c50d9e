//! Which charts a run gets, and what each shows: titles, units, metrics and their styles.

use plotters::style::RGBColor;

use super::context::ChartContext;
use crate::output::SummaryTable;

/// Okabe–Ito colours: distinguishable by colour-blind readers, and of differing lightness in greyscale.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
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
}

/// Point markers, so that lines stay distinguishable in greyscale where they overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointMarker {
    None,
    Circle,
    Square,
    Triangle,
    Diamond,
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
    pub lines: Vec<Line>,
}

/// One chart file (in each format).
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// File name without extension, e.g. `backlog-guatemala`.
    pub stem: String,
    pub policy: String,
    pub country: String,
    pub title: String,
    /// One sentence for the report: what the chart shows and how to read it.
    pub caption: String,
    pub panels: Vec<Panel>,
}

const SOLID: Option<(f64, f64)> = None;
const DASHED: Option<(f64, f64)> = Some((9.0, 5.0));
const DOTTED: Option<(f64, f64)> = Some((3.0, 4.0));

fn line(metric: &str, label: &str, color: RGBColor, dash: Option<(f64, f64)>, marker: PointMarker) -> Line {
    Line { metric: metric.to_string(), label: label.to_string(), style: LineStyle { color, dash, marker } }
}

/// File-name-safe text: letters, digits, `_` and `-` are kept, anything else becomes `_`.
fn safe(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect()
}

/// The charts of a table: per policy, for each receiving country and for the sending country. File names get a
/// `-<policy>` suffix only when the table holds several policies. Lines whose metric the table lacks are left
/// out, and so are charts left with no line.
pub fn plan(table: &SummaryTable, context: &ChartContext) -> Vec<ChartSpec> {
    let several_policies = table.policies.len() > 1;
    let sending = context.sending.as_str();
    let receiving: Vec<&String> = table.countries.iter().filter(|c| c.as_str() != sending).collect();
    let several_receiving = receiving.len() > 1;
    let mut out = Vec::new();
    for policy in &table.policies {
        let mut push = |kind: &str, country: &str, title: String, caption: String, panels: Vec<Panel>| {
            let panels: Vec<Panel> = panels
                .into_iter()
                .map(|mut p| {
                    p.lines.retain(|l| table.series(policy, country, &l.metric).is_some());
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
                stem: format!("{kind}-{}{suffix}", safe(country)),
                policy: policy.clone(),
                country: country.to_string(),
                title,
                caption,
                panels,
            });
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
                vec![Panel {
                    heading: None,
                    y_label: "Transferred per month (people or cases)".to_string(),
                    x_label: "Month (totals over the month)".to_string(),
                    position: Position::MidMonth,
                    bands: Bands::Outer,
                    lines: vec![
                        line("transferred_people", "people", BLUE, SOLID, PointMarker::Circle),
                        line("transferred_cases", "cases (households)", VERMILLION, DASHED, PointMarker::Square),
                    ],
                }],
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
                vec![Panel {
                    heading: None,
                    y_label: "Transferred per month (people or cases)".to_string(),
                    x_label: "Month (totals over the month)".to_string(),
                    position: Position::MidMonth,
                    bands: Bands::Outer,
                    lines: vec![
                        line("transferred_people", "people", BLUE, SOLID, PointMarker::Circle),
                        line("transferred_cases", "cases (households)", VERMILLION, DASHED, PointMarker::Square),
                    ],
                }],
            );
        }
        push(
            "released",
            sending,
            format!("{s_name}: eligible cases released into its own process"),
            released_caption(&s_name),
            vec![released_panel()],
        );
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

fn released_panel() -> Panel {
    Panel {
        heading: None,
        y_label: "Released per month (cases)".to_string(),
        x_label: "Month (totals over the month)".to_string(),
        position: Position::MidMonth,
        bands: Bands::Fan,
        lines: vec![line("released_cases", "released cases", BLUE, SOLID, PointMarker::None)],
    }
}
