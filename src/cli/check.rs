//! `safe-third check`: the scenario as the model will see it.

use safe_third::model::Model;
use safe_third::scenario::Scenario;

pub fn print(s: &Scenario) {
    let model = Model::new(s);
    let cal = &model.calendar;
    println!("Scenario {} is valid.", s.name);
    if !s.description.is_empty() {
        println!("  {}", s.description.trim());
    }
    println!(
        "  Horizon: {} months, {} to {} (starting {})",
        s.months,
        cal.label(0),
        cal.label(cal.months() - 1),
        s.start
    );
    println!("  Sending country: {}", s.countries[&s.sending_country]);
    println!();
    println!("Arrival streams (expected cases over the horizon):");
    for (stream, spec) in model.streams.iter().zip(&s.arrivals.stream) {
        let total: f64 = stream.months.iter().map(|m| m.expected()).sum();
        let people =
            stream.family_sizes.as_ref().map_or(String::new(), |f| format!(", mean family size {:.2}", f.mean()));
        println!(
            "  {:<14} {:<20} {:>12.0}  ({:?} counts{people})",
            spec.nationality,
            spec.household.name(),
            total,
            spec.count
        );
    }
    for (receiving, a) in &s.agreement {
        println!();
        println!("Agreement with {} ({receiving}):", s.countries[receiving]);
        println!("  eligible nationalities: {}", a.eligible_nationalities.join(", "));
        let transit: Vec<String> = a.transit_probability.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("  transit probability:    {}", transit.join(", "));
        let exempt: Vec<&str> = a.exempt_households.iter().map(|h| h.name()).collect();
        println!(
            "  exempt households:      {}",
            if exempt.is_empty() { "none".to_string() } else { exempt.join(", ") }
        );
        println!("  screening exempts:      {}", a.screening_exempt_share.describe());
        println!("  seats per month:        {}", a.seats_per_month.describe());
        println!("  queue discipline:       {:?}", a.queue_discipline);
        println!("  longest wait for seat:  {} days", a.max_wait_days);
        println!("  rollout phases:");
        for p in &a.phase {
            let open: Vec<&str> = p.households.iter().map(|h| h.name()).collect();
            let open = if open.is_empty() { "nothing (suspended)".to_string() } else { open.join(", ") };
            println!(
                "    from {}: {open}; coverage {}{}",
                p.from,
                p.coverage,
                if p.label.is_empty() { String::new() } else { format!(" — {}", p.label) }
            );
        }
        let sys = &s.asylum[receiving];
        println!("  asylum system:");
        println!(
            "    filing probability:   {} within {} days",
            sys.filing_probability.describe(),
            sys.filing_window_days
        );
        println!("    adjudicators:         {}", sys.adjudicators.describe());
        println!("    service time:         {}", sys.service_time_days.describe());
        println!(
            "    transferee patience:  {}",
            sys.patience_days.as_ref().map_or("never abandon".to_string(), |d| d.describe())
        );
        println!("    grant probability:    {}", sys.grant_probability.describe());
        println!("    initial backlog:      {} claims", sys.initial_backlog);
        if let Some(other) = &sys.other_claims_per_month {
            println!("    other claims / month: {}", other.describe());
            println!(
                "    other patience:       {}",
                sys.other_patience_days.as_ref().map_or("never abandon".to_string(), |d| d.describe())
            );
        }
    }
    if !s.target.is_empty() {
        println!();
        println!("Recorded figures to compare with ({}):", s.target.len());
        for t in &s.target {
            println!("  {} {} {} = {}  [{}]", t.month, t.country, t.metric, t.value, t.source);
        }
    }
}
