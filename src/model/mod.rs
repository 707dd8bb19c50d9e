//! The domain: arrivals, agreements and their rollout, transfer queues, receiving asylum systems, and the
//! sending country's process. Built once from a validated [`Scenario`] and shared, read-only, by every replication.
//!
//! # Conservation identities
//!
//! Each holds for every replication and month (Δ is the change of a month-end stock from the previous month, whose
//! value before the first month is 0, or the initial backlog for `backlog_cases`):
//!
//! Sending country
//! - `arrivals_cases = ineligible_cases + eligible_cases` (and the same in people, with `eligible` people
//!   being those transferred, released or still waiting);
//! - `ineligible_cases = Σ ineligible_<reason>_cases` (`suspended` among the reasons, and the border's own:
//!   `not_seeking_protection` and the competing routes `wait_abroad`, `fast_track`, `expedited_removal`,
//!   `expelled`);
//! - `eligible_cases = transferred_cases + released_cases + Δ waiting_transfer_cases`; hence
//!   `arrivals_cases = ineligible_cases + transferred_cases + released_cases + Δ waiting_transfer_cases`;
//! - `arrivals_people = ineligible_people + transferred_people + released_people + Δ waiting_transfer_people`;
//! - `to_sending_process_cases = ineligible_cases − ineligible_expelled_cases + released_cases + diverted_cases`
//!   (people likewise: the expelled never join the sending country's process);
//! - `to_sending_process_cases = credible_fear_referrals_cases + ineligible_not_seeking_protection_cases +
//!   ineligible_wait_abroad_cases` (who of them faces a credible-fear screening);
//! - `re_arrivals_expelled_cases ≤ min(re_arrivals_cases, ineligible_expelled_cases)`;
//!   `ineligible_expelled_people ≥ ineligible_expelled_cases`;
//! - `diverted_cases ≤ deterred_cases` (the deterred never arrive, so they are not in `arrivals_cases`);
//!   `re_arrivals_cases ≤ arrivals_cases`;
//! - `Σ cumulative_came_back_cases` over receiving countries `= cumulative_re_arrivals_cases + returning_cases`:
//!   everyone who set off back has arrived again or is still on the way;
//! - transfers, releases, eligible cases and waiting stocks equal the sums over receiving countries.
//!
//! The sending country's courts (a fluid account, see `courts`: expectations, not whole numbers, so these hold to
//! rounding; with no `[sending_courts]` every court metric is 0 and the averted share undefined)
//! - `Δ court_backlog_cases = court_claims_filed_cases − court_decisions_cases` (Δ from the courts' initial backlog);
//! - `court_decisions_cases = court_grants_cases + court_denials_cases`, and `court_barred_cases` is part of them;
//! - `court_backlog_without_agreement_cases ≥ court_backlog_cases` (the same initial backlog before the first month);
//! - `court_credible_fear_found_cases ≤ credible_fear_referrals_cases` and `court_claims_filed_cases ≤
//!   court_credible_fear_found_cases + ineligible_wait_abroad_cases` (the expelled and those not seeking protection
//!   file nothing);
//! - `court_claims_without_agreement_cases = court_claims_filed_cases + court_claims_averted_cases`, and
//!   `cumulative_court_claims_averted_cases ≥ 0`: each case is averted once at most (a transferee back at the border
//!   takes its averted claim back; a month's averted claims may be negative);
//! - `court_claims_averted_share = court_claims_averted_cases / (court_claims_filed_cases + court_claims_averted_cases)`.
//!
//! Costs (US dollars, to rounding; see `costs`)
//! - each receiving country: `cost_usd = transfer_cost_usd + flight_cost_usd + holding_cost_usd +
//!   adjudication_cost_usd + staff_cost_usd`;
//! - sending country: `agreement_cost_usd = Σ (transfer_cost_usd + flight_cost_usd + holding_cost_usd)` over
//!   receiving countries, and `cost_usd = agreement_cost_usd + court_cost_usd`.
//!
//! Each receiving country
//! - `eligible_cases = transferred_cases + released_cases + Δ waiting_transfer_cases`;
//! - `transferred_cases = transferee_claims_filed_cases + not_filed_cases + Δ filing_window_cases +
//!   Δ awaiting_late_filing_cases` (late filers stay in `filing_window_cases` until their window closes, then in
//!   `awaiting_late_filing_cases` until they file);
//! - `late_claims_filed_cases ≤ transferee_claims_filed_cases`;
//! - `left_with_protection_need_cases ≤ not_filed_cases + transferee_abandoned_cases` (equal when every transferee
//!   has a concern), and people ≥ cases;
//! - `claims_filed_cases = transferee_claims_filed_cases + other_claims_filed_cases`;
//! - `Δ backlog_cases = claims_filed_cases − decisions_cases − abandoned_cases`, with `decisions_cases` the
//!   decisions *issued*;
//! - `backlog_cases = waiting + in_adjudication_cases + awaiting_session_cases` (waiting for an adjudicator is not
//!   a metric of its own, so the check is `in_adjudication_cases + awaiting_session_cases ≤ backlog_cases`);
//! - `decisions_cases = grants_cases + denials_cases`;
//! - `returned_home_cases + moved_on_cases + came_back_cases + not_followed_cases = not_filed_cases +
//!   transferee_abandoned_cases + transferee_decisions_cases − transferee_grants_cases` (people ≥ cases for each);
//! - `released_holding_full_cases ≤ released_cases`;
//! - with `[sessions]`, decisions are issued only at sessions: `sessions_count = 0 ⇒ decisions_cases = 0`;
//!   without sessions `sessions_count = 0`, and without sessions or halts `awaiting_session_cases = 0`;
//! - in a month entirely inside a halt of decisions: `decisions_cases = 0`, `sessions_count = 0`,
//!   `in_adjudication_cases` does not grow (no adjudication starts) and `awaiting_session_cases` does not shrink;
//! - `trainee_adjudicators_count ≤ hired_adjudicators_count ≤ ⌊budget / (cost per month × months)⌋` and
//!   `adjudicators_count ≥ hired_adjudicators_count − trainee_adjudicators_count` (trained hires decide);
//! - `Δ transferee_backlog_cases = transferee_claims_filed_cases − transferee_decisions_cases − transferee_abandoned_cases`;
//! - every `cumulative_*` metric is the running sum of its flow.
//!
//! `tests/suite/conservation.rs` checks them all on every replication and month.
//!
//! # Same-time order
//!
//! The engine handles events at the same instant in the order they were scheduled (see [`crate::engine`]), so
//! every tie below is settled by when an event is scheduled, or by work a stage does at once instead of through an
//! event. Each rule names where it is enforced (files under `model/replication/` unless said otherwise).
//!
//! 1. **Month starts first.** [`Replication::run`] schedules every month start before any other event, so at its
//!    instant a month start precedes everything else: the previous month closes before anything at that instant
//!    is counted, which then counts in the new month (`mod.rs`, `Replication::run`).
//! 2. **Within a month start:** the previous month closes, then the seat budgets lapse, deterrence reacts, each
//!    stream's arrivals are drawn (in stream order) and then each receiving country's other claims (`books.rs`,
//!    `month_start`).
//! 3. **Halts first.** Each receiving country's halt changes are scheduled before its adjudicator changes and
//!    sessions, so on the day a halt begins neither a new adjudicator nor a session acts; the state at time 0 is
//!    set without an event (`mod.rs`, `Replication::run`). Then, agreement by agreement in file order: adjudicator
//!    changes, the first session, the first transfer run, suspension starts, and the initial backlog filed.
//! 4. **A release comes before a same-time event.** A case reaching the holding limit at the very instant of a
//!    transfer run, an arrival or a suspension is released first: every event that reads or changes a transfer
//!    queue takes it through `queue_at`, which settles the releases due at or before its time (`transfers.rs`,
//!    `queue_at` and `release_due`).
//! 5. **…except at a month start.** The month's close settles only releases due before the month's end, so a
//!    release due at the instant a month begins counts in the new month (`books.rs`, `close_month`).
//! 6. **Filing windows, likewise.** A non-filer whose window closes at the instant a month begins counts in the new
//!    month; one whose window closes at the end of the run is never settled (`onward.rs`, `close_windows`). A
//!    late filer passes from the window's stock to the late filers' the same way, and at once before its late
//!    claim if that comes first (`claims.rs`, `settle_late_windows`).
//! 7. **The horizon is half-open.** Events at exactly the end of the run are not handled ([`crate::engine::run`]);
//!    the last month is closed at the end (`mod.rs`, `Replication::run`).
//! 8. **Transfer runs at midday by default.** The daily transfer run is at day + 0.5 unless `operation_time` says
//!    otherwise, while dated changes (phases, suspensions, schedule steps, month starts) fall on whole days, so a
//!    noon run never shares an instant with them (`mod.rs`, `Replication::run`; `transfers.rs`, `transfer_run`).
//!    A run at 00:00, and the day-start run of continuous operation, comes after the month start (rule 1) and
//!    after a suspension start scheduled at the outset, and reads the phase and seats in force from that instant.
//!    Under continuous operation a case that joins the queue boards at once if a seat is free (`transfers.rs`,
//!    `join_queue` and `operate`). Seat budgets notice a new month or week at their first use in it
//!    (`seat_budget.rs`).
//! 9. **Never in the past.** An arrival or other claim whose drawn time is before the present is scheduled at the
//!    present, after the events already due then (`border.rs`, `next_arrival`; `claims.rs`, `next_other_claim`).
//! 10. **A zero-length filing window** is settled within the transfer itself, not as a later event at the same
//!     instant (`claims.rs`, `hand_over`).
//! 11. **A session schedules the next one before issuing**, and **a halt's end issues the decisions made meanwhile
//!     (without sessions) before adjudication resumes** (`claims.rs`, `session` and `decision_halt_change`).

mod agreement;
mod arrivals;
mod asylum_rules;
mod build;
mod calendar;
mod capacity_building;
mod claim_queue;
mod competing_routes;
mod costs;
mod courts;
mod decision_calendar;
mod duration_dist;
mod event;
mod metrics;
mod replication;
mod seat_budget;
mod slab;
mod step_function;
mod transfer_queue;

#[cfg(doc)]
use crate::scenario::Scenario;
use crate::scenario::{self, RoutingRule};

pub use agreement::{Agreement, FlightPlan, RolloutPhase, Suspension};
pub use arrivals::{ArrivalStream, FamilySizes, MonthProfile, MonthlyCount};
pub use asylum_rules::{AsylumRules, LateFilingRules};
pub use calendar::Calendar;
pub use capacity_building::Staffing;
pub use competing_routes::CompetingRoute;
pub use costs::{AdjudicationCosts, TransferCosts};
pub use courts::SendingCourts;
pub use decision_calendar::{DecisionCalendar, DecisionHalt, Sessions};
pub use duration_dist::DurationDist;
pub use event::Event;
pub use metrics::{IneligibleReason, MetricKind, MetricLayout, ReceivingMetric, SendingMetric};
pub use replication::{Replication, ReplicationOutput};
pub use seat_budget::SeatBudget;
pub use step_function::StepFunction;

/// What transferees do after the receiving country, by how they left its asylum process.
#[derive(Debug, Clone, Default)]
pub struct OnwardRules {
    pub not_filed: OnwardShares,
    pub abandoned: OnwardShares,
    pub denied: OnwardShares,
    /// Time to reach the sending country's border again; `None` when nobody comes back.
    pub come_back: Option<DurationDist>,
}

/// Where a group of transferees goes; shares of cases, the rest not followed (they may have stayed, or gone anywhere).
#[derive(Debug, Clone, Copy, Default)]
pub struct OnwardShares {
    pub return_home: f64,
    pub move_on: f64,
    pub come_back: f64,
}

/// Where one transferee goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Home,
    Onward,
    Back,
    /// Not followed: the scenario gives no destination (stayed in the receiving country, or went anywhere).
    NotFollowed,
}

impl OnwardShares {
    /// Whether no case is followed (all shares zero): the destination is then known without a draw.
    #[inline]
    pub fn nobody_followed(&self) -> bool {
        // Shares are validated non-negative, so a zero sum means no threshold a uniform in [0, 1) falls below.
        self.return_home + self.move_on + self.come_back <= 0.0
    }

    /// The destination of a case whose uniform draw is `u`.
    pub fn destination(&self, u: f64) -> Destination {
        if u < self.return_home {
            Destination::Home
        } else if u < self.return_home + self.move_on {
            Destination::Onward
        } else if u < self.return_home + self.move_on + self.come_back {
            Destination::Back
        } else {
            Destination::NotFollowed
        }
    }
}

impl From<scenario::OnwardShares> for OnwardShares {
    fn from(s: scenario::OnwardShares) -> OnwardShares {
        OnwardShares { return_home: s.return_home, move_on: s.move_on, come_back: s.come_back }
    }
}

/// How a case eligible under several agreements is assigned one.
#[derive(Debug, Clone)]
pub struct Routing {
    pub rule: RoutingRule,
    /// Weight of each agreement, for [`RoutingRule::Shares`].
    pub weights: Vec<f64>,
}

/// Deterrence (an assumption): would-be arrivals stay away with the recent share of their nationality transferred,
/// with probability 1 − (1 − share)^elasticity: about elasticity × share while the share is small, and short of
/// certainty until everyone is transferred (a linear form would hit 1, and stop all arrivals, at share 1/elasticity).
#[derive(Debug, Clone)]
pub struct DeterrenceRules {
    pub elasticity: f64,
    pub lag_months: usize,
    pub window_months: usize,
    pub diverted_share: f64,
    pub label: String,
}

impl DeterrenceRules {
    /// Probability that a would-be arrival in month `month` stays away, given people arrived and transferred by
    /// month for its nationality; `None` when nobody arrived over the window, so that there is no new share to react
    /// to (the replication then keeps the previous month's probability: deterrence does not lapse because it worked).
    pub fn probability(
        &self,
        month: usize,
        arrived: impl Fn(usize) -> f64,
        transferred: impl Fn(usize) -> f64,
    ) -> Option<f64> {
        let Some(last) = month.checked_sub(self.lag_months) else { return Some(0.0) };
        let first = (last + 1).saturating_sub(self.window_months);
        let (mut a, mut t) = (0.0, 0.0);
        for m in first..=last.min(month.saturating_sub(1)) {
            a += arrived(m);
            t += transferred(m);
        }
        (a > 0.0).then(|| 1.0 - (1.0 - (t / a).clamp(0.0, 1.0)).powf(self.elasticity))
    }
}

/// Everything a replication needs, derived from a scenario.
#[derive(Debug, Clone)]
pub struct Model {
    /// The scenario's name.
    pub name: String,
    pub calendar: Calendar,
    /// Country keys, in `[countries]` order.
    pub countries: Vec<String>,
    /// Index of the sending country.
    pub sending: usize,
    pub streams: Vec<ArrivalStream>,
    /// Agreements in file order; `asylum[i]` is the system of `agreements[i].receiving`.
    pub agreements: Vec<Agreement>,
    pub asylum: Vec<AsylumRules>,
    pub routing: Routing,
    pub deterrence: Option<DeterrenceRules>,
    /// The sending country's courts, if the scenario models them.
    pub courts: Option<SendingCourts>,
    /// The sending country's own routes for protection seekers, tried in file order before any agreement.
    pub routes: Vec<CompetingRoute>,
    /// Where each metric is stored.
    pub layout: MetricLayout,
}
