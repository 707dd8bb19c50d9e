//! Charts of the mechanisms a scenario may switch on: what transferees do after the receiving country, deterrence,
//! the sending country's courts, costs, transfer operations (flights and holding), and decision sessions and
//! hired staff.
//!
//! Each chart is planned from the metric names alone, looked up in the summary table, and only when the table has
//! them with some value other than zero: a scenario that leaves a mechanism off (its metrics all zero, or not
//! written at all by a version without it) gets exactly the charts it got before.

use super::ChartData;
use super::context::ChartContext;
use super::spec::{
    BLUE, Bands, DASHED, DOTTED, Draft, GREEN, INK, ORANGE, PURPLE, Panel, PointMarker, Position, SOLID, VERMILLION,
    ValueAxis, line, policy_style, safe,
};

/// What transferees did after leaving the asylum process: metrics other than zero only with `onward` shares.
const ONWARD: [&str; 3] = ["returned_home_cases", "moved_on_cases", "came_back_cases"];

const BANDS_NOTE: &str = "Lines: medians; bands: 90% of replications (P5–P95).";

/// The mechanism charts of one policy, in the order of [`Mechanism::ALL`].
pub(super) fn drafts(data: &ChartData, policy: &str, context: &ChartContext) -> Vec<Draft> {
    let table = data.summary;
    let used = |country: &str, metric: &str| table.nonzero(policy, country, metric);
    let sending = context.sending.as_str();
    let receiving: Vec<&str> = table.countries.iter().map(String::as_str).filter(|c| *c != sending).collect();
    let mut out = Vec::new();
    for &country in &receiving {
        if ONWARD.iter().any(|m| used(country, m)) {
            out.push(after_receiving(context, country, receiving.len() > 1, used(country, "came_back_cases")));
        }
    }
    if used(sending, "deterred_cases") {
        out.push(deterrence(context));
    }
    if used(sending, "court_backlog_cases") || used(sending, "court_backlog_without_agreement_cases") {
        out.push(courts(context, used(sending, "court_claims_averted_share")));
    }
    if table.countries.iter().any(|c| used(c, "cumulative_cost_usd")) {
        out.push(costs(context, &receiving));
    }
    for &country in &receiving {
        let flights = used(country, "flights_count");
        let full = used(country, "released_holding_full_cases");
        if flights || full {
            out.push(operations(context, country, flights, full));
        }
    }
    for &country in &receiving {
        let sessions = used(country, "awaiting_session_cases") || used(country, "sessions_count");
        let staff = used(country, "hired_adjudicators_count") || used(country, "trainee_adjudicators_count");
        if sessions || staff {
            out.push(decision_sessions(context, country, sessions, staff));
        }
    }
    out
}

fn panel(heading: Option<String>, y_label: &str, position: Position, lines: Vec<super::Line>) -> Panel {
    Panel {
        heading,
        y_label: y_label.to_string(),
        x_label: match position {
            Position::MidMonth => "Month (totals over the month)",
            Position::MonthEnd => "Month (values at month end)",
        }
        .to_string(),
        position,
        bands: Bands::Outer,
        zero_line: false,
        axis: ValueAxis::Amount,
        lines,
    }
}

/// Where transferees went; the running totals of the way back only when some came back.
fn after_receiving(context: &ChartContext, country: &str, several_receiving: bool, came_back: bool) -> Draft {
    let name = context.name(country);
    let sending = context.sending.as_str();
    let s_name = context.name(sending);
    let mut re_arrivals = line(
        "cumulative_re_arrivals_cases",
        &if several_receiving {
            format!("arrived again at {s_name}'s border (from every agreement)")
        } else {
            format!("arrived again at {s_name}'s border")
        },
        INK,
        SOLID,
        PointMarker::Cross,
    );
    re_arrivals.country = Some(sending.to_string());
    let mut totals = panel(
        Some(format!("Back to {s_name}: running totals")),
        "Cases, cumulative",
        Position::MonthEnd,
        vec![
            line(
                "cumulative_came_back_cases",
                &format!("set off back from {name}"),
                VERMILLION,
                DASHED,
                PointMarker::Square,
            ),
            re_arrivals,
        ],
    );
    totals.x_label = "Month (running totals at month end)".to_string();
    let per_month_note = if came_back {
        format!(
            "Left: per month. Right: running totals of those who set off back to {s_name} and of those who arrived \
             again at its border after the journey, where they count as arrivals."
        )
    } else {
        "Per month; nobody came back.".to_string()
    };
    let mut panels = vec![panel(
        Some("Leaving the asylum process, per month".to_string()),
        "Cases per month",
        Position::MidMonth,
        vec![
            line("returned_home_cases", "returned home", GREEN, SOLID, PointMarker::Circle),
            line("moved_on_cases", "moved on elsewhere", PURPLE, DASHED, PointMarker::Triangle),
            line("came_back_cases", &format!("set off back to {s_name}"), VERMILLION, SOLID, PointMarker::Square),
            line("remained_cases", &format!("remained in {name}"), BLUE, DOTTED, PointMarker::Diamond),
        ],
    )];
    if came_back {
        panels.push(totals);
    } else {
        panels[0].lines.retain(|l| l.metric != "came_back_cases");
    }
    Draft {
        stem: format!("after-{}", safe(country)),
        country: country.to_string(),
        title: format!("{name}: where transferees went after leaving the asylum process"),
        caption: format!(
            "Transferees to {name} who left without filing a claim, abandoned it or were denied, by where they went \
             (the scenario's onward shares; those granted asylum are not counted). {per_month_note} {BANDS_NOTE}"
        ),
        panels,
        mechanism: Some(super::Mechanism::AfterReceiving),
    }
}

fn deterrence(context: &ChartContext) -> Draft {
    let sending = context.sending.as_str();
    let s_name = context.name(sending);
    Draft {
        stem: format!("deterrence-{}", safe(sending)),
        country: sending.to_string(),
        title: format!("{s_name}: would-be arrivals deterred per month — an ASSUMPTION of the scenario"),
        caption: format!(
            "Deterrence is an assumption of the scenario, not an estimate from data: would-be arrivals of a \
             nationality stay away with a probability that grows with the recent share of that nationality \
             transferred. The deterred are not counted as arrivals; the diverted among them come by a route no \
             agreement covers and join {s_name}'s own process. {BANDS_NOTE}"
        ),
        panels: vec![panel(
            None,
            "Cases per month (assumed)",
            Position::MidMonth,
            vec![
                line("deterred_cases", "deterred (stayed away)", VERMILLION, SOLID, PointMarker::Circle),
                line("diverted_cases", "diverted (came by another route)", BLUE, DASHED, PointMarker::Square),
            ],
        )],
        mechanism: Some(super::Mechanism::Deterrence),
    }
}

fn courts(context: &ChartContext, averted_share: bool) -> Draft {
    let sending = context.sending.as_str();
    let s_name = context.name(sending);
    let mut backlog = panel(
        averted_share.then(|| "Claims pending at month end".to_string()),
        "Claims pending in the courts (cases)",
        Position::MonthEnd,
        vec![
            line("court_backlog_cases", "with the agreement", BLUE, SOLID, PointMarker::None),
            line(
                "court_backlog_without_agreement_cases",
                "without the agreement (counterfactual)",
                VERMILLION,
                DASHED,
                PointMarker::None,
            ),
        ],
    );
    backlog.bands = Bands::Fan;
    let mut panels = vec![backlog];
    let mut caption = format!(
        "{s_name}'s courts as a stock of claims: filed by those who enter its own process, decided at the courts' \
         capacity. Without the agreement, those transferred would have filed there too."
    );
    if averted_share {
        let mut share = panel(
            Some("Share of claims the agreement takes off the courts".to_string()),
            "Claims averted (% of the month's claims)",
            Position::MidMonth,
            vec![line("court_claims_averted_share", "claims averted", GREEN, SOLID, PointMarker::Circle)],
        );
        share.axis = ValueAxis::Share;
        panels.push(share);
        caption.push_str(
            " Left: claims pending at month end, with the agreement and without it. Right: the claims the agreement \
             averted, as a share of those the month would have brought without it (none where no claim came).",
        );
    }
    caption
        .push_str(" Lines: medians; dark bands: the middle half of replications (P25–P75); light bands: 90% (P5–P95).");
    Draft {
        stem: format!("courts-{}", safe(sending)),
        country: sending.to_string(),
        title: format!("{s_name}'s courts: asylum claims pending with and without the agreement"),
        caption,
        panels,
        mechanism: Some(super::Mechanism::Courts),
    }
}

fn costs(context: &ChartContext, receiving: &[&str]) -> Draft {
    let sending = context.sending.as_str();
    let s_name = context.name(sending);
    let mut lines = Vec::new();
    let mut own = line("cumulative_cost_usd", &format!("{s_name} (sending country)"), INK, SOLID, PointMarker::Circle);
    own.country = Some(sending.to_string());
    lines.push(own);
    for (i, country) in receiving.iter().enumerate() {
        let style = policy_style(i + 1);
        let mut l = line("cumulative_cost_usd", context.name(country), style.color, style.dash, style.marker);
        l.country = Some(country.to_string());
        lines.push(l);
    }
    let mut totals = panel(None, "Cost, cumulative (US dollars)", Position::MonthEnd, lines);
    totals.x_label = "Month (running totals at month end)".to_string();
    Draft {
        stem: "costs".to_string(),
        country: sending.to_string(),
        title: "Cost by country, running total in US dollars".to_string(),
        caption: format!(
            "Running totals of the costs the scenario prices (US dollars). {s_name}: what it pays, every agreement's \
             transfers, flights and holding, and its courts. A receiving country: its agreement's transfers, flights \
             and holding (paid by {s_name}, so in both lines) and its asylum system's decisions and staff. The lines \
             overlap: do not add them. {BANDS_NOTE}"
        ),
        panels: vec![totals],
        mechanism: Some(super::Mechanism::Costs),
    }
}

fn operations(context: &ChartContext, country: &str, flights: bool, full: bool) -> Draft {
    let name = context.name(country);
    let s_name = context.name(context.sending.as_str());
    let mut panels = Vec::new();
    let mut parts = Vec::new();
    if flights {
        panels.push(panel(
            Some("Flights".to_string()),
            "Flights per month",
            Position::MidMonth,
            vec![line("flights_count", "flights (anyone on board)", BLUE, SOLID, PointMarker::Circle)],
        ));
        parts.push("flights that left with at least one person on board".to_string());
    }
    panels.push(panel(
        Some("Waiting for a seat".to_string()),
        "Person-days per month",
        Position::MidMonth,
        vec![line("holding_person_days", "person-days waiting for a seat", VERMILLION, SOLID, PointMarker::Square)],
    ));
    parts.push(format!("person-days spent in {s_name} waiting for a seat"));
    if full {
        panels.push(panel(
            Some("Released: holding full".to_string()),
            "Cases per month",
            Position::MidMonth,
            vec![line("released_holding_full_cases", "released, holding full", PURPLE, DASHED, PointMarker::Triangle)],
        ));
        parts.push(format!(
            "eligible cases released at once into {s_name}'s own process because its holding capacity was full"
        ));
    }
    let positions = match parts.len() {
        1 => vec![""],
        2 => vec!["Left: ", "Right: "],
        _ => vec!["Left: ", "Middle: ", "Right: "],
    };
    let described: Vec<String> = parts.iter().zip(positions).map(|(p, at)| format!("{at}{p}.")).collect::<Vec<_>>();
    Draft {
        stem: format!("operations-{}", safe(country)),
        country: country.to_string(),
        title: format!("Transfers from {s_name} to {name}: flights and waiting for a seat"),
        caption: format!("Per month. {} {BANDS_NOTE}", described.join(" ")),
        panels,
        mechanism: Some(super::Mechanism::Operations),
    }
}

fn decision_sessions(context: &ChartContext, country: &str, sessions: bool, staff: bool) -> Draft {
    let name = context.name(country);
    let mut panels = Vec::new();
    let mut parts = Vec::new();
    if sessions {
        panels.push(panel(
            Some("Decided, waiting for a session".to_string()),
            "Decisions awaiting a session (cases)",
            Position::MonthEnd,
            vec![line("awaiting_session_cases", "decided, not yet issued", BLUE, SOLID, PointMarker::Circle)],
        ));
        parts.push(
            "claims decided but not yet issued at month end: decisions are issued only at the deciding body's sessions"
                .to_string(),
        );
    }
    if staff {
        panels.push(panel(
            Some("Adjudicators at month end".to_string()),
            "Adjudicators (people)",
            Position::MonthEnd,
            vec![
                line("adjudicators_count", "deciding", INK, SOLID, PointMarker::Circle),
                line("hired_adjudicators_count", "hired (trainees included)", GREEN, DASHED, PointMarker::Square),
                line("trainee_adjudicators_count", "in training", ORANGE, DOTTED, PointMarker::Triangle),
            ],
        ));
        parts.push(
            "adjudicators deciding claims, those hired with the capacity-building budget, and those of them still \
             in training (who decide nothing yet)"
                .to_string(),
        );
    }
    let described = if parts.len() == 2 {
        format!("Left: {}. Right: {}.", parts[0], parts[1])
    } else {
        format!("{}{}.", parts[0][..1].to_uppercase(), &parts[0][1..])
    };
    Draft {
        stem: format!("sessions-{}", safe(country)),
        country: country.to_string(),
        title: format!("{name}: decision sessions and adjudicators"),
        caption: format!("{described} {BANDS_NOTE}"),
        panels,
        mechanism: Some(super::Mechanism::Sessions),
    }
}
