//! Range and consistency checks on a parsed scenario.
//!
//! Every check reports the field path and what was expected and found, and all problems are collected in one
//! pass, so a user fixes a file in one round rather than one error per run. A scenario that passes can be built
//! into a model without further checks.

use std::collections::HashSet;

use chrono::{Datelike as _, Months};

use super::date::Date;
use super::distribution::DurationSpec;
use super::error::Problem;
use super::format::{
    Agreement, ArrivalStream, AsylumSystem, CapacityBuilding, CountModel, DecisionSessions, FamilySize, Household,
    Scenario, SendingCourts,
};
use super::operations::{AgreementKind, OnwardShares, RoutingRule};
use super::schedule::Schedule;

/// Longest horizon accepted (100 years); beyond it dates and memory stop making sense.
pub const MAX_MONTHS: u32 = 1200;

/// Largest unit cost accepted, in US dollars.
const MAX_USD: f64 = 1e12;

/// Most adjudicators a capacity-building budget may pay for; far beyond any real asylum agency.
const MAX_HIRES: f64 = 1_000_000.0;

/// What range a scheduled value must lie in.
#[derive(Clone, Copy)]
enum Range {
    /// A probability or share: 0 ≤ v ≤ 1.
    Probability,
    /// A non-negative rate or count, finite.
    NonNegative,
    /// A non-negative capacity that may be `"unlimited"`.
    Capacity,
    /// A non-negative whole number.
    WholeNumber,
}

/// Checks a scenario; returns every problem found (empty when it is valid).
pub fn validate(scenario: &Scenario) -> Vec<Problem> {
    let mut v = Validator { scenario, problems: Vec::new() };
    v.top_level();
    if v.problems.is_empty() {
        // Later checks need a valid horizon to place dates in.
        v.arrivals();
        for (country, agreement) in &scenario.agreement {
            v.agreement(country, agreement);
        }
        for (country, system) in &scenario.asylum {
            v.asylum(country, system);
        }
        v.routing();
        if let Some(courts) = &scenario.sending_courts {
            v.sending_courts(courts);
        }
        v.targets();
        v.policies();
        v.calibration();
    }
    v.problems
}

struct Validator<'a> {
    scenario: &'a Scenario,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    fn end_date(&self) -> Option<Date> {
        let start = self.scenario.start.0;
        let first_of_month = start.with_day0(0)?;
        first_of_month.checked_add_months(Months::new(self.scenario.months)).map(Date)
    }

    fn country(&mut self, path: String, key: &str) -> bool {
        if self.scenario.countries.contains_key(key) {
            return true;
        }
        let known: Vec<&str> = self.scenario.countries.keys().map(String::as_str).collect();
        let hint = super::error::closest(key, known.iter().copied())
            .map_or(String::new(), |best| format!("; did you mean \"{best}\"?"));
        self.problem(path, format!("unknown country \"{key}\"{hint} ([countries] defines: {})", known.join(", ")));
        false
    }

    fn top_level(&mut self) {
        let s = self.scenario;
        if s.name.trim().is_empty() {
            self.problem("name", "expected a non-empty name");
        } else if s.name.contains(['/', '\\']) || s.name.starts_with('.') {
            self.problem("name", format!("expected a name usable as a directory (no slashes), found \"{}\"", s.name));
        }
        if s.months == 0 || s.months > MAX_MONTHS {
            self.problem("months", format!("expected 1 to {MAX_MONTHS} months, found {}", s.months));
        }
        for key in s.countries.keys() {
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                self.problem(format!("countries.{key}"), "expected a snake_case key (a-z, 0-9, _)");
            }
        }
        self.country("sending_country".to_string(), &s.sending_country);
    }

    fn schedule(&mut self, path: &str, schedule: &Schedule, range: Range) {
        let months = self.scenario.months as usize;
        match schedule {
            Schedule::PerMonth(values) if values.len() != months => self.problem(
                path,
                format!("expected one value per month of the horizon ({months}), found {} values", values.len()),
            ),
            Schedule::Steps(steps) => {
                let (start, end) = (self.scenario.start, self.end_date());
                for (i, step) in steps.iter().enumerate() {
                    if step.from < start || end.is_some_and(|e| step.from >= e) {
                        let last = end.and_then(|e| e.0.pred_opt()).map_or(String::new(), |d| d.to_string());
                        self.problem(
                            format!("{path}[{i}].from"),
                            format!("expected a date inside the horizon {start} to {last}, found {}", step.from),
                        );
                    }
                    if i > 0 && step.from <= steps[i - 1].from {
                        self.problem(
                            format!("{path}[{i}].from"),
                            format!("steps must be in date order; {} is not after {}", step.from, steps[i - 1].from),
                        );
                    }
                }
            }
            _ => {}
        }
        for (suffix, value) in schedule.values() {
            let expected = match range {
                Range::Probability if !(0.0..=1.0).contains(&value) => Some("a probability between 0 and 1"),
                Range::NonNegative if !(value.is_finite() && value >= 0.0) => Some("a non-negative number"),
                Range::Capacity if value.is_nan() || value < 0.0 => Some("a non-negative number or \"unlimited\""),
                Range::WholeNumber if !(value.is_finite() && value >= 0.0 && value.fract() == 0.0) => {
                    Some("a non-negative whole number")
                }
                _ => None,
            };
            if let Some(expected) = expected {
                let shown = if value.is_infinite() { "\"unlimited\"".to_string() } else { value.to_string() };
                self.problem(format!("{path}{suffix}"), format!("expected {expected}, found {shown}"));
            }
        }
    }

    /// A unit cost in US dollars: finite and not negative.
    /// A unit cost: up to a trillion US dollars, so that a month's cost (a count times it) stays a finite number.
    fn cost(&mut self, path: String, value: f64) {
        if !(value.is_finite() && (0.0..=MAX_USD).contains(&value)) {
            self.problem(path, format!("expected a cost in US dollars from 0 to 1,000,000,000,000, found {value}"));
        }
    }

    fn probability(&mut self, path: String, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.problem(path, format!("expected a probability between 0 and 1, found {value}"));
        }
    }

    fn family_size(&mut self, path: &str, sizes: &FamilySize) {
        if sizes.is_empty() {
            self.problem(path, "expected at least one family size, e.g. { 2 = 0.5, 3 = 0.5 }");
            return;
        }
        let mut total = 0.0;
        for (size, p) in sizes {
            match size.parse::<u32>() {
                Ok(n) if (2..=100).contains(&n) => {}
                _ => self.problem(
                    format!("{path}.{size}"),
                    format!("expected a family size from 2 to 100, found \"{size}\""),
                ),
            }
            self.probability(format!("{path}.{size}"), *p);
            total += p;
        }
        if (total - 1.0).abs() > 1e-6 {
            self.problem(path, format!("expected probabilities summing to 1, found a sum of {total}"));
        }
    }

    fn arrivals(&mut self) {
        let arrivals = &self.scenario.arrivals;
        if let Some(total) = &arrivals.border_total_per_month {
            self.schedule("arrivals.border_total_per_month", total, Range::NonNegative);
        }
        if let Some(sizes) = &arrivals.family_size {
            self.family_size("arrivals.family_size", sizes);
        }
        if arrivals.stream.is_empty() {
            self.problem("arrivals.stream", "expected at least one [[arrivals.stream]]");
        }
        let mut seen = HashSet::new();
        for (i, stream) in arrivals.stream.iter().enumerate() {
            let path = format!("arrivals.stream[{i}]");
            self.stream(&path, stream);
            if !seen.insert((stream.nationality.clone(), stream.household)) {
                self.problem(
                    &path,
                    format!(
                        "a stream for {} {} appears twice; merge them into one",
                        stream.nationality,
                        stream.household.name()
                    ),
                );
            }
        }
        self.shares_sum_to_at_most_one();
        for (i, stream) in arrivals.stream.iter().enumerate() {
            if let Some(share) = &stream.protection_seeking_share {
                self.schedule(&format!("arrivals.stream[{i}].protection_seeking_share"), share, Range::Probability);
            }
        }
        for (i, route) in arrivals.route.iter().enumerate() {
            let path = format!("arrivals.route[{i}]");
            self.schedule(&format!("{path}.share"), &route.share, Range::Probability);
            for (j, nationality) in route.nationalities.iter().enumerate() {
                self.country(format!("{path}.nationalities[{j}]"), nationality);
            }
        }
    }

    /// Streams given as shares of the border total must not share out more than all of it, on any day.
    fn shares_sum_to_at_most_one(&mut self) {
        let shares: Vec<&Schedule> = self.scenario.arrivals.stream.iter().filter_map(|s| s.share.as_ref()).collect();
        let start = self.scenario.start;
        let first = start.0.with_day0(0).expect("day 1 exists");
        // Shares change only at month starts and step dates: check the sum at each of those.
        let mut checkpoints: Vec<(usize, Date)> = (0..self.scenario.months)
            .filter_map(|m| first.checked_add_months(Months::new(m)).map(|d| (m as usize, Date(d.max(start.0)))))
            .collect();
        for date in shares.iter().flat_map(|s| s.step_dates()) {
            let month = (date.0.year() - first.year()) * 12 + date.0.month() as i32 - first.month() as i32;
            checkpoints.push((month.max(0) as usize, date));
        }
        for (month, date) in checkpoints {
            let sum: f64 = shares.iter().map(|s| s.value_on(month, date)).sum();
            if sum > 1.0 + 1e-9 {
                self.problem(
                    "arrivals.stream",
                    format!("the streams' shares of the border total sum to {sum} on {date}, more than 1"),
                );
                return;
            }
        }
    }

    fn stream(&mut self, path: &str, stream: &ArrivalStream) {
        self.country(format!("{path}.nationality"), &stream.nationality);
        let given: Vec<(&str, &Schedule)> =
            [("per_month", &stream.per_month), ("per_day", &stream.per_day), ("share", &stream.share)]
                .into_iter()
                .filter_map(|(name, s)| s.as_ref().map(|s| (name, s)))
                .collect();
        match given.as_slice() {
            [(name, schedule)] => {
                let range = if *name == "share" { Range::Probability } else { Range::NonNegative };
                self.schedule(&format!("{path}.{name}"), schedule, range);
                if *name == "share" && self.scenario.arrivals.border_total_per_month.is_none() {
                    self.problem(format!("{path}.share"), "a share needs arrivals.border_total_per_month to be set");
                }
            }
            [] => self.problem(path, "expected one of per_month, per_day or share"),
            many => self.problem(
                path,
                format!(
                    "expected exactly one of per_month, per_day or share, found {}",
                    many.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" and ")
                ),
            ),
        }
        match (stream.count, stream.dispersion) {
            (CountModel::NegativeBinomial, None) => self
                .problem(format!("{path}.dispersion"), "count = \"negative_binomial\" needs a dispersion (size k > 0)"),
            (CountModel::NegativeBinomial, Some(k)) if !(k.is_finite() && k > 0.0) => {
                self.problem(format!("{path}.dispersion"), format!("expected a positive dispersion, found {k}"))
            }
            (CountModel::Poisson, Some(_)) => {
                self.problem(format!("{path}.dispersion"), "dispersion applies only with count = \"negative_binomial\"")
            }
            _ => {}
        }
        match (stream.household, &stream.family_size) {
            (Household::Family, Some(sizes)) => self.family_size(&format!("{path}.family_size"), sizes),
            (Household::Family, None) if self.scenario.arrivals.family_size.is_none() => {
                self.problem(format!("{path}.family_size"), "a family stream needs a family_size here or in [arrivals]")
            }
            (Household::SingleAdult | Household::UnaccompaniedChild, Some(_)) => self.problem(
                format!("{path}.family_size"),
                format!("family_size applies only to family streams, not {}", stream.household.name()),
            ),
            _ => {}
        }
    }

    fn agreement(&mut self, receiving: &str, agreement: &Agreement) {
        let path = format!("agreement.{receiving}");
        if !self.country(path.clone(), receiving) {
            return;
        }
        if receiving == self.scenario.sending_country {
            self.problem(&path, "the sending country cannot also be a receiving country");
        }
        if !self.scenario.asylum.contains_key(receiving) && agreement.kind != AgreementKind::TransitReturn {
            self.problem(&path, format!("no [asylum.{receiving}] describes the receiving country's asylum system"));
        }
        if !agreement.requires_transit && !agreement.transit_probability.is_empty() {
            self.problem(
                format!("{path}.transit_probability"),
                "has no effect with requires_transit = false (anyone of an eligible nationality may be transferred); remove it",
            );
        }
        for (i, nationality) in agreement.eligible_nationalities.iter().enumerate() {
            let p = format!("{path}.eligible_nationalities[{i}]");
            if self.country(p.clone(), nationality) && nationality == receiving {
                self.problem(p, format!("{receiving} cannot receive its own nationals"));
            }
            if agreement.requires_transit && !agreement.transit_probability.contains_key(nationality) {
                self.problem(
                    format!("{path}.transit_probability"),
                    format!("missing the transit probability for eligible nationality \"{nationality}\""),
                );
            }
        }
        for (nationality, p) in &agreement.transit_probability {
            let field = format!("{path}.transit_probability.{nationality}");
            if !agreement.eligible_nationalities.contains(nationality) {
                self.problem(&field, format!("\"{nationality}\" is not in eligible_nationalities"));
            }
            self.probability(field, *p);
        }
        self.schedule(&format!("{path}.screening_exempt_share"), &agreement.screening_exempt_share, Range::Probability);
        match (&agreement.seats_per_month, &agreement.flights) {
            (None, None) => self.problem(
                format!("{path}.seats_per_month"),
                "expected seats_per_month, [agreement.<country>.flights], or both: nothing says how many are transferred",
            ),
            (Some(seats), _) => self.schedule(&format!("{path}.seats_per_month"), seats, Range::Capacity),
            _ => {}
        }
        self.operations(&path, agreement);
        if agreement.max_wait_days.is_nan() || agreement.max_wait_days <= 0.0 {
            self.problem(
                format!("{path}.max_wait_days"),
                format!("expected a positive number of days or \"unlimited\", found {}", agreement.max_wait_days),
            );
        }
        self.cost(format!("{path}.cost_per_transferred_person_usd"), agreement.cost_per_transferred_person_usd);
        self.cost(format!("{path}.cost_per_holding_day_usd"), agreement.cost_per_holding_day_usd);
        if agreement.phase.is_empty() {
            self.problem(
                format!("{path}.phase"),
                "expected at least one [[agreement.<country>.phase]]; without one nobody is ever eligible",
            );
        }
        let end = self.end_date();
        for (i, phase) in agreement.phase.iter().enumerate() {
            let p = format!("{path}.phase[{i}]");
            if phase.from < self.scenario.start || end.is_some_and(|e| phase.from >= e) {
                self.problem(
                    format!("{p}.from"),
                    format!("expected a date inside the horizon (from {}), found {}", self.scenario.start, phase.from),
                );
            }
            if i > 0 && phase.from <= agreement.phase[i - 1].from {
                self.problem(
                    format!("{p}.from"),
                    format!(
                        "phases must be in date order; {} is not after {}",
                        phase.from,
                        agreement.phase[i - 1].from
                    ),
                );
            }
            self.probability(format!("{p}.coverage"), phase.coverage);
            if let Some(x) = &phase.seat_shares {
                let shares = [
                    ("single_adult", x.single_adult),
                    ("family", x.family),
                    ("unaccompanied_child", x.unaccompanied_child),
                ];
                for (name, share) in shares {
                    self.probability(format!("{p}.seat_shares.{name}"), share);
                }
                let sum: f64 = shares.iter().map(|s| s.1).sum();
                if sum > 1.0 + 1e-9 {
                    self.problem(format!("{p}.seat_shares"), format!("shares of a run's seats sum to {sum}, above 1"));
                }
            }
            for (j, household) in phase.households.iter().enumerate() {
                if agreement.exempt_households.contains(household) {
                    self.problem(
                        format!("{p}.households[{j}]"),
                        format!("{} is exempt under this agreement and cannot be opened", household.name()),
                    );
                }
            }
        }
    }

    /// Flights, holding, suspensions and the kind of arrangement.
    fn operations(&mut self, path: &str, agreement: &Agreement) {
        if agreement.flights.is_some() && agreement.operation_time == crate::scenario::OperationTime::Continuous {
            self.problem(
                format!("{path}.operation_time"),
                "\"continuous\" operation is for a seat budget without flights: flights leave on their weekdays",
            );
        }
        if let Some(flights) = &agreement.flights {
            if flights.weekdays.is_empty() {
                self.problem(format!("{path}.flights.weekdays"), "expected at least one weekday, e.g. [\"tue\"]");
            }
            self.schedule(&format!("{path}.flights.seats_per_flight"), &flights.seats_per_flight, Range::WholeNumber);
            self.cost(format!("{path}.flights.cost_per_flight_usd"), flights.cost_per_flight_usd);
        }
        let holding = agreement.holding_capacity_people;
        if holding.is_nan() || holding < 0.0 {
            self.problem(
                format!("{path}.holding_capacity_people"),
                format!("expected a non-negative number of people or \"unlimited\", found {holding}"),
            );
        }
        let halts: Vec<(Date, Option<Date>)> = agreement.suspension.iter().map(|x| (x.from, x.until)).collect();
        self.halts(&format!("{path}.suspension"), &halts);
        match (agreement.kind, agreement.stay_days) {
            (AgreementKind::TransitReturn, Some(days)) if !(days.is_finite() && days >= 0.0) => self
                .problem(format!("{path}.stay_days"), format!("expected a non-negative number of days, found {days}")),
            (AgreementKind::SafeThirdCountry | AgreementKind::WaitAbroad, Some(_)) => self.problem(
                format!("{path}.stay_days"),
                "stay_days applies only with kind = \"transit_return\" (claims use the asylum system's filing window)",
            ),
            _ => {}
        }
    }

    fn duration(&mut self, path: &str, spec: &DurationSpec) {
        for (param, message) in spec.problems() {
            self.problem(format!("{path}.{param}"), message);
        }
    }

    fn onward_shares(&mut self, path: String, shares: &OnwardShares) {
        let parts = [("return_home", shares.return_home), ("move_on", shares.move_on), ("come_back", shares.come_back)];
        for (field, value) in parts {
            self.probability(format!("{path}.{field}"), value);
        }
        let total: f64 = parts.iter().map(|(_, v)| v).sum();
        if total > 1.0 + 1e-9 {
            // Rounded so that 0.9 + 0.2 + 0.1 reads as 1.2, not as its binary sum.
            let shown = (total * 1e9).round() / 1e9;
            self.problem(
                path,
                format!("expected shares summing to at most 1 (the rest are not followed), found {shown}"),
            );
        }
    }

    fn routing(&mut self) {
        let routing = &self.scenario.routing;
        let agreements = &self.scenario.agreement;
        for (country, weight) in &routing.shares {
            let path = format!("routing.shares.{country}");
            if !agreements.contains_key(country) {
                let known: Vec<&str> = agreements.keys().map(String::as_str).collect();
                self.problem(&path, format!("no agreement with \"{country}\" (agreements: {})", known.join(", ")));
            }
            if !(weight.is_finite() && *weight >= 0.0) {
                self.problem(path, format!("expected a non-negative weight, found {weight}"));
            }
        }
        match routing.rule {
            RoutingRule::Shares if !routing.shares.values().any(|w| *w > 0.0) => self.problem(
                "routing.shares",
                "rule = \"shares\" needs a positive weight for at least one agreement, e.g. { guatemala = 1 }",
            ),
            RoutingRule::Priority | RoutingRule::ShortestQueue if !routing.shares.is_empty() => {
                self.problem("routing.shares", "shares apply only with rule = \"shares\"")
            }
            _ => {}
        }
        if let Some(d) = &self.scenario.arrivals.deterrence {
            if !(d.elasticity.is_finite() && d.elasticity >= 0.0) {
                self.problem(
                    "arrivals.deterrence.elasticity",
                    format!("expected a non-negative elasticity, found {}", d.elasticity),
                );
            }
            if d.lag_months == 0 {
                self.problem(
                    "arrivals.deterrence.lag_months",
                    "expected at least 1 month: news of transfers takes time",
                );
            }
            if d.window_months == 0 {
                self.problem("arrivals.deterrence.window_months", "expected at least 1 month");
            }
            self.probability("arrivals.deterrence.diverted_share".to_string(), d.diverted_share);
        }
    }

    fn asylum(&mut self, country: &str, system: &AsylumSystem) {
        let path = format!("asylum.{country}");
        if self.country(path.clone(), country) && !self.scenario.agreement.contains_key(country) {
            self.problem(&path, format!("no [agreement.{country}] sends anyone to this asylum system"));
        }
        self.schedule(&format!("{path}.filing_probability"), &system.filing_probability, Range::Probability);
        if !(system.filing_window_days.is_finite() && system.filing_window_days >= 0.0) {
            self.problem(
                format!("{path}.filing_window_days"),
                format!("expected a non-negative number of days, found {}", system.filing_window_days),
            );
        }
        self.schedule(&format!("{path}.adjudicators"), &system.adjudicators, Range::WholeNumber);
        self.schedule(&format!("{path}.grant_probability"), &system.grant_probability, Range::Probability);
        let backlog = system.initial_backlog;
        if !(backlog.is_finite() && backlog >= 0.0 && backlog.fract() == 0.0 && backlog <= 1e9) {
            self.problem(
                format!("{path}.initial_backlog"),
                format!("expected a whole number of claims from 0 to 1,000,000,000, found {backlog}"),
            );
        }
        if let Some(other) = &system.other_claims_per_month {
            self.schedule(&format!("{path}.other_claims_per_month"), other, Range::NonNegative);
        }
        self.cost(format!("{path}.cost_per_decision_usd"), system.cost_per_decision_usd);
        self.cost(format!("{path}.cost_per_adjudicator_month_usd"), system.cost_per_adjudicator_month_usd);
        let durations = [
            ("service_time_days", Some(&system.service_time_days)),
            ("patience_days", system.patience_days.as_ref()),
            ("other_patience_days", system.other_patience_days.as_ref()),
        ];
        for (field, spec) in durations {
            if let Some(spec) = spec {
                self.duration(&format!("{path}.{field}"), spec);
            }
        }
        if let Some(onward) = &system.onward {
            let groups =
                [("not_filed", &onward.not_filed), ("abandoned", &onward.abandoned), ("denied", &onward.denied)];
            for (group, shares) in groups {
                self.onward_shares(format!("{path}.onward.{group}"), shares);
            }
            match &onward.come_back_days {
                Some(spec) => self.duration(&format!("{path}.onward.come_back_days"), spec),
                None if groups.iter().any(|(_, s)| s.come_back > 0.0) => self.problem(
                    format!("{path}.onward.come_back_days"),
                    "people come back (a come_back share > 0): say how long it takes, e.g. { distribution = \"exponential\", mean = 60 }",
                ),
                None => {}
            }
        }
        if let Some(late) = &system.late_filing {
            self.probability(format!("{path}.late_filing.probability"), late.probability);
            self.duration(&format!("{path}.late_filing.delay_days"), &late.delay_days);
        }
        if let Some(concern) = &system.protection_concern {
            self.probability(format!("{path}.protection_concern.share"), concern.share);
            self.probability(
                format!("{path}.protection_concern.filing_factor_without_concern"),
                concern.filing_factor_without_concern,
            );
        }
        if let Some(sessions) = &system.sessions {
            self.sessions(&format!("{path}.sessions"), sessions);
        }
        if let Some(building) = &system.capacity_building {
            self.capacity_building(&format!("{path}.capacity_building"), building);
        }
        let halts: Vec<(Date, Option<Date>)> = system.suspension.iter().map(|h| (h.from, h.until)).collect();
        self.halts(&format!("{path}.suspension"), &halts);
    }

    /// Reports a date outside the horizon; returns whether it was inside.
    fn date_in_horizon(&mut self, path: String, date: Date) -> bool {
        let end = self.end_date();
        let inside = date >= self.scenario.start && end.is_none_or(|e| date < e);
        if !inside {
            let last = end.and_then(|e| e.0.pred_opt()).map_or(String::new(), |d| d.to_string());
            self.problem(
                path,
                format!("expected a date inside the horizon {} to {last}, found {date}", self.scenario.start),
            );
        }
        inside
    }

    fn sessions(&mut self, path: &str, sessions: &DecisionSessions) {
        match (sessions.dates.is_empty(), &sessions.gap_days) {
            (true, None) => self.problem(path, "expected session `dates` or a random `gap_days`"),
            (false, Some(_)) => self.problem(path, "expected either `dates` or `gap_days`, found both"),
            _ => {}
        }
        for (i, date) in sessions.dates.iter().enumerate() {
            self.date_in_horizon(format!("{path}.dates[{i}]"), *date);
            if i > 0 && *date <= sessions.dates[i - 1] {
                self.problem(
                    format!("{path}.dates[{i}]"),
                    format!("session dates must be in date order; {date} is not after {}", sessions.dates[i - 1]),
                );
            }
        }
        if let Some(gap) = &sessions.gap_days {
            let problems = gap.problems();
            if problems.is_empty() && gap.mean() <= 0.0 {
                // A zero gap would hold sessions forever at the same instant.
                self.problem(format!("{path}.gap_days"), "expected gaps with a positive mean, found a mean of 0 days");
            }
            for (param, message) in problems {
                self.problem(format!("{path}.gap_days.{param}"), message);
            }
        }
        match (sessions.first, &sessions.gap_days) {
            (Some(first), Some(_)) => {
                self.date_in_horizon(format!("{path}.first"), first);
            }
            (Some(_), None) => self.problem(format!("{path}.first"), "`first` applies only with `gap_days`"),
            _ => {}
        }
    }

    fn capacity_building(&mut self, path: &str, b: &CapacityBuilding) {
        if !(b.budget_usd.is_finite() && b.budget_usd >= 0.0) {
            self.problem(
                format!("{path}.budget_usd"),
                format!("expected a non-negative amount of US dollars, found {}", b.budget_usd),
            );
        }
        self.date_in_horizon(format!("{path}.from"), b.from);
        let months_ok = b.months.is_finite() && b.months >= 1.0 && b.months.fract() == 0.0 && b.months <= 1200.0;
        if !months_ok {
            self.problem(
                format!("{path}.months"),
                format!("expected a whole number of months from 1 to 1200, found {}", b.months),
            );
        }
        let cost = b.cost_per_adjudicator_month_usd;
        if !(cost.is_finite() && cost > 0.0) {
            self.problem(
                format!("{path}.cost_per_adjudicator_month_usd"),
                format!("expected a positive amount of US dollars, found {cost}"),
            );
        }
        if !(b.training_days.is_finite() && b.training_days >= 0.0) {
            self.problem(
                format!("{path}.training_days"),
                format!("expected a non-negative number of days, found {}", b.training_days),
            );
        }
        if let Some(pace) = b.hires_per_month
            && !(pace.is_finite() && pace > 0.0)
        {
            self.problem(
                format!("{path}.hires_per_month"),
                format!("expected a positive number of hires, found {pace}"),
            );
        }
        if months_ok && cost.is_finite() && cost > 0.0 && b.budget_usd.is_finite() {
            let headcount = (b.budget_usd / (cost * b.months)).floor();
            if headcount > MAX_HIRES {
                self.problem(
                    format!("{path}.budget_usd"),
                    format!("the budget pays {headcount} adjudicators; expected at most {MAX_HIRES}"),
                );
            }
        }
    }

    fn sending_courts(&mut self, courts: &SendingCourts) {
        // Bounded like an asylum system's initial backlog: far beyond it, a month's claims vanish in rounding.
        let backlog = courts.initial_backlog;
        if !(backlog.is_finite() && (0.0..=1e9).contains(&backlog)) {
            self.problem(
                "sending_courts.initial_backlog",
                format!("expected a number of cases from 0 to 1,000,000,000, found {backlog}"),
            );
        }
        self.schedule("sending_courts.decisions_per_month", &courts.decisions_per_month, Range::NonNegative);
        self.schedule("sending_courts.claim_share", &courts.claim_share, Range::Probability);
        self.schedule("sending_courts.credible_fear_pass_share", &courts.credible_fear_pass_share, Range::Probability);
        self.schedule("sending_courts.grant_probability", &courts.grant_probability, Range::Probability);
        self.cost("sending_courts.cost_per_decision_usd".to_string(), courts.cost_per_decision_usd);
        if let Some(bar) = &courts.transit_bar {
            // The bar may predate the horizon (it is then in force throughout), but not begin after it.
            if self.end_date().is_some_and(|e| bar.from >= e) {
                self.problem(
                    "sending_courts.transit_bar.from",
                    format!("expected a date before the end of the horizon, found {}", bar.from),
                );
            }
            if let Some(until) = bar.until
                && until <= bar.from
            {
                self.problem(
                    "sending_courts.transit_bar.until",
                    format!("expected a date after from ({}), found {until}", bar.from),
                );
            }
            self.probability("sending_courts.transit_bar.applies_share".to_string(), bar.applies_share);
            self.probability("sending_courts.transit_bar.grant_probability".to_string(), bar.grant_probability);
        }
    }

    /// Dated halts (of transfers or of decisions), each `(from, until)`: inside the horizon, ending after they
    /// begin, in date order without overlap, and one that never ends (a termination) last.
    fn halts(&mut self, path: &str, halts: &[(Date, Option<Date>)]) {
        for (i, &(from, until)) in halts.iter().enumerate() {
            let p = format!("{path}[{i}]");
            self.date_in_horizon(format!("{p}.from"), from);
            if let Some(until) = until
                && until <= from
            {
                self.problem(format!("{p}.until"), format!("expected a date after from ({from}), found {until}"));
            }
            if i > 0 {
                let (previous_from, previous_until) = halts[i - 1];
                match previous_until {
                    None => self.problem(
                        format!("{p}.from"),
                        format!("suspension {} never ends (no `until`), so nothing can follow it", i - 1),
                    ),
                    Some(end) if from < end || from <= previous_from => self.problem(
                        format!("{p}.from"),
                        format!(
                            "suspensions must be in date order without overlap; {from} is not on or after the end of \
                             suspension {} ({end})",
                            i - 1
                        ),
                    ),
                    _ => {}
                }
            }
        }
    }

    fn targets(&mut self) {
        for (i, target) in self.scenario.target.iter().enumerate() {
            let path = format!("target[{i}]");
            let in_horizon =
                chrono::NaiveDate::parse_from_str(&format!("{}-01", target.month), "%Y-%m-%d").ok().is_some_and(|d| {
                    d >= self.scenario.start.0.with_day0(0).unwrap_or(d) && self.end_date().is_some_and(|e| d < e.0)
                });
            if !in_horizon {
                self.problem(
                    format!("{path}.month"),
                    format!("expected a month YYYY-MM inside the horizon, found \"{}\"", target.month),
                );
            }
            self.country(format!("{path}.country"), &target.country);
        }
    }

    fn calibration(&mut self) {
        let Some(c) = &self.scenario.calibration else { return };
        if c.observed.trim().is_empty() {
            self.problem("calibration.observed", "expected the path of a CSV file of observed values");
        }
        if let Some(cutoff) = c.cutoff {
            let end = self.end_date();
            if cutoff < self.scenario.start || end.is_some_and(|e| cutoff >= e) {
                self.problem(
                    "calibration.cutoff",
                    format!("expected a date inside the horizon (from {}), found {cutoff}", self.scenario.start),
                );
            }
        }
        if c.replications == 0 {
            self.problem("calibration.replications", "expected at least 1 replication per candidate");
        }
        if c.particles < 2 {
            self.problem("calibration.particles", "expected at least 2 particles per population");
        }
        if c.generations == 0 {
            self.problem("calibration.generations", "expected at least 1 generation");
        }
        if c.budget < u64::from(c.particles) {
            self.problem(
                "calibration.budget",
                format!("expected a budget of at least one population ({} parameter sets)", c.particles),
            );
        }
        if !(c.quantile > 0.0 && c.quantile < 1.0) {
            self.problem("calibration.quantile", format!("expected a quantile between 0 and 1, found {}", c.quantile));
        }
        if !(0.0..1.0).contains(&c.min_tolerance_change) {
            self.problem(
                "calibration.min_tolerance_change",
                format!("expected a fraction in [0, 1), found {}", c.min_tolerance_change),
            );
        }
        let mut seen = HashSet::new();
        for (i, p) in c.parameter.iter().enumerate() {
            let path = format!("calibration.parameter[{i}]");
            if let Err(message) = super::overrides::Setting::parse(&format!("{}=0", p.path)) {
                self.problem(format!("{path}.path"), message);
            } else if !seen.insert(p.path.as_str()) {
                self.problem(format!("{path}.path"), format!("\"{}\" is calibrated twice", p.path));
            }
            if !(p.low.is_finite() && p.high.is_finite() && p.low < p.high) {
                self.problem(
                    format!("{path}.high"),
                    format!("expected finite bounds with low < high, found low {} and high {}", p.low, p.high),
                );
            }
            for (field, message) in super::Prior::problems(&p.prior, p.low, p.high) {
                self.problem(format!("{path}.prior.{field}"), message);
            }
        }
    }

    /// Policy names become CSV values and file names: they must be unique and plain. What each policy overrides
    /// is checked when it is resolved ([`Scenario::policies`]).
    fn policies(&mut self) {
        let mut seen = HashSet::new();
        let mut references = 0;
        for (i, policy) in self.scenario.policy.iter().enumerate() {
            let path = format!("policy[{i}]");
            let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
            if policy.name.is_empty() || !policy.name.chars().all(plain) {
                self.problem(
                    format!("{path}.name"),
                    format!("expected a name of letters, digits, '-' and '_', found \"{}\"", policy.name),
                );
            } else if !seen.insert(policy.name.as_str()) {
                self.problem(format!("{path}.name"), format!("the policy name \"{}\" is used twice", policy.name));
            }
            if policy.reference {
                references += 1;
                if references > 1 {
                    self.problem(format!("{path}.reference"), "only one policy can be the reference");
                }
            }
            if policy.overrides.contains_key("policy") {
                self.problem(format!("{path}.policy"), "a policy cannot declare policies");
            }
        }
    }
}
