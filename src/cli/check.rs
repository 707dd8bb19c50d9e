//! `safe-third check`: the scenario as the model will see it.

use std::fmt::Write as _;

use safe_third::model::Model;
use safe_third::scenario::{AsylumSystem, Scenario};

/// A readable account of the resolved scenario.
pub fn describe(s: &Scenario, model: &Model) -> String {
    let mut out = String::new();
    let w = &mut out;
    let cal = &model.calendar;
    writeln!(w, "Scenario {} is valid.", s.name).unwrap();
    if !s.description.is_empty() {
        writeln!(w, "  {}", s.description.trim()).unwrap();
    }
    writeln!(
        w,
        "  Horizon: {} months, {} to {} (starting {})",
        s.months,
        cal.label(0),
        cal.label(cal.months() - 1),
        s.start
    )
    .unwrap();
    writeln!(w, "  Sending country: {}", s.countries[&s.sending_country]).unwrap();
    writeln!(w).unwrap();
    writeln!(w, "Arrival streams (expected cases over the horizon):").unwrap();
    for (stream, spec) in model.streams.iter().zip(&s.arrivals.stream) {
        let total: f64 = stream.months.iter().map(|m| m.expected()).sum();
        let people =
            stream.family_sizes.as_ref().map_or(String::new(), |f| format!(", mean family size {:.2}", f.mean()));
        writeln!(
            w,
            "  {:<14} {:<20} {:>12.0}  ({:?} counts{people})",
            spec.nationality,
            spec.household.name(),
            total,
            spec.count
        )
        .unwrap();
    }
    for (receiving, a) in &s.agreement {
        writeln!(w).unwrap();
        writeln!(w, "Agreement with {} ({receiving}):", s.countries[receiving]).unwrap();
        writeln!(w, "  eligible nationalities: {}", a.eligible_nationalities.join(", ")).unwrap();
        let transit: Vec<String> = a.transit_probability.iter().map(|(k, v)| format!("{k} {v}")).collect();
        writeln!(w, "  transit probability:    {}", transit.join(", ")).unwrap();
        let exempt: Vec<&str> = a.exempt_households.iter().map(|h| h.name()).collect();
        writeln!(
            w,
            "  exempt households:      {}",
            if exempt.is_empty() { "none".to_string() } else { exempt.join(", ") }
        )
        .unwrap();
        writeln!(w, "  screening exempts:      {}", a.screening_exempt_share.describe()).unwrap();
        if a.kind != safe_third::scenario::AgreementKind::SafeThirdCountry {
            writeln!(w, "  kind:                   {}", a.kind.name()).unwrap();
        }
        let seats = a.seats_per_month.as_ref().map_or("no monthly budget".to_string(), |x| x.describe());
        writeln!(w, "  seats per month:        {seats}").unwrap();
        if let Some(f) = &a.flights {
            let days: Vec<String> = f.weekdays.iter().map(|d| format!("{d:?}").to_lowercase()).collect();
            writeln!(w, "  flights:                {} × {} seats", days.join(", "), f.seats_per_flight.describe())
                .unwrap();
        }
        for x in &a.suspension {
            let until = x.until.map_or(", never resumed".to_string(), |u| format!(" until {u}"));
            let label = if x.label.is_empty() { String::new() } else { format!(" — {}", x.label) };
            writeln!(w, "  transfers halted:       from {}{until}{label}", x.from).unwrap();
        }
        writeln!(w, "  queue discipline:       {}", a.queue_discipline.name()).unwrap();
        let wait =
            if a.max_wait_days.is_infinite() { "unlimited".to_string() } else { format!("{} days", a.max_wait_days) };
        writeln!(w, "  longest wait for seat:  {wait}").unwrap();
        writeln!(w, "  rollout phases:").unwrap();
        for p in &a.phase {
            let open: Vec<&str> = p.households.iter().map(|h| h.name()).collect();
            let open = if open.is_empty() { "nothing (suspended)".to_string() } else { open.join(", ") };
            writeln!(
                w,
                "    from {}: {open}; coverage {}{}",
                p.from,
                p.coverage,
                if p.label.is_empty() { String::new() } else { format!(" — {}", p.label) }
            )
            .unwrap();
        }
        let Some(sys) = s.asylum.get(receiving) else {
            writeln!(w, "  no asylum system: a stop of {} days on the way home", a.stay_days.unwrap_or(1.0)).unwrap();
            continue;
        };
        writeln!(w, "  asylum system:").unwrap();
        writeln!(
            w,
            "    filing probability:   {} within {} days",
            sys.filing_probability.describe(),
            sys.filing_window_days
        )
        .unwrap();
        writeln!(w, "    adjudicators:         {}", sys.adjudicators.describe()).unwrap();
        writeln!(w, "    service time:         {}", sys.service_time_days.describe()).unwrap();
        writeln!(
            w,
            "    transferee patience:  {}",
            sys.patience_days.as_ref().map_or("never abandon".to_string(), |d| d.describe())
        )
        .unwrap();
        writeln!(w, "    grant probability:    {}", sys.grant_probability.describe()).unwrap();
        writeln!(w, "    initial backlog:      {} claims", sys.initial_backlog).unwrap();
        if let Some(other) = &sys.other_claims_per_month {
            writeln!(w, "    other claims / month: {}", other.describe()).unwrap();
            writeln!(
                w,
                "    other patience:       {}",
                sys.other_patience_days.as_ref().map_or("never abandon".to_string(), |d| d.describe())
            )
            .unwrap();
        }
        decisions(w, sys);
    }
    if let Some(courts) = &s.sending_courts {
        writeln!(w).unwrap();
        writeln!(w, "Courts of {} (a monthly stock-flow account):", s.countries[&s.sending_country]).unwrap();
        writeln!(w, "  initial backlog:        {} cases", courts.initial_backlog).unwrap();
        writeln!(w, "  decisions per month:    {}", courts.decisions_per_month.describe()).unwrap();
        writeln!(w, "  credible fear found:    {}", courts.credible_fear_pass_share.describe()).unwrap();
        writeln!(w, "  claim share:            {}", courts.claim_share.describe()).unwrap();
        writeln!(w, "  grant probability:      {}", courts.grant_probability.describe()).unwrap();
        if let Some(bar) = &courts.transit_bar {
            writeln!(
                w,
                "  transit bar for entries from {}, in force from {}{}: {} of their decisions, granted with \
                 probability {}{}",
                bar.entries_from,
                bar.from,
                bar.until.map_or(String::new(), |d| format!(" until {d}")),
                bar.applies_share,
                bar.grant_probability,
                if bar.label.is_empty() { String::new() } else { format!(" — {}", bar.label) }
            )
            .unwrap();
        }
    }
    if !s.target.is_empty() {
        writeln!(w).unwrap();
        writeln!(w, "Recorded figures to compare with ({}):", s.target.len()).unwrap();
        for t in &s.target {
            writeln!(w, "  {} {} {} = {}  [{}]", t.month, t.country, t.metric, t.value, t.source).unwrap();
        }
    }
    out
}

/// Sessions, halts and capacity building of one asylum system, when set.
fn decisions(w: &mut String, sys: &AsylumSystem) {
    if let Some(sessions) = &sys.sessions {
        let when = match &sessions.gap_days {
            Some(gap) => format!(
                "gaps of {} (whole days), first {}",
                gap.describe(),
                sessions.first.map_or("one gap after the start".to_string(), |d| d.to_string())
            ),
            None => sessions.dates.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        };
        writeln!(w, "    decision sessions:    {when}").unwrap();
    }
    for halt in &sys.suspension {
        let until = halt.until.map_or("to the horizon".to_string(), |d| format!("until {d}"));
        let label = if halt.label.is_empty() { String::new() } else { format!(" — {}", halt.label) };
        writeln!(w, "    decisions halted:     from {} {until}{label}", halt.from).unwrap();
    }
    if let Some(b) = &sys.capacity_building {
        let positions = (b.budget_usd / (b.cost_per_adjudicator_month_usd * b.months)).floor();
        let pace = b.hires_per_month.map_or("all at once".to_string(), |p| format!("{p} a month"));
        writeln!(
            w,
            "    capacity building:    {} USD buys {positions} adjudicators for {} months at {} USD a month, hired \
             from {} ({pace}), deciding {} days after hire",
            b.budget_usd, b.months, b.cost_per_adjudicator_month_usd, b.from, b.training_days
        )
        .unwrap();
    }
}
