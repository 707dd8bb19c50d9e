//! Which charts a run gets: per policy, the charts of each receiving country and of the sending country, the
//! mechanism charts, charts comparing policies, and the observed record beside the simulation.

use super::ChartData;
use super::context::ChartContext;
use super::spec::*;

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
