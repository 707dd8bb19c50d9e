//! Monthly metrics: their names (a contract with users' scripts), what kind of quantity each is, and the dense
//! per-replication table they are recorded in.

use crate::scenario::RouteKind;

/// How a metric's monthly value is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricKind {
    /// Counted over the month (a flow).
    Flow,
    /// Read at month end (a stock).
    Stock,
    /// Averaged over the month (time average) or over the cases it concerns; undefined when there are none.
    Mean,
    /// Running total of a flow since the start, read at month end.
    Cumulative,
}

macro_rules! metric_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal, $kind:ident;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            /// Every metric, in output order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// Number of metrics.
            pub const COUNT: usize = Self::ALL.len();

            /// The snake_case name with its unit suffix, as written in the CSV files.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Flow, stock, mean or cumulative.
            pub fn kind(self) -> MetricKind {
                match self { $($name::$variant => MetricKind::$kind),* }
            }
        }
    };
}

metric_enum! {
    /// Metrics of the sending country (all agreements together).
    SendingMetric {
        /// People arriving at the border.
        ArrivalsPeople = "arrivals_people", Flow;
        ArrivalsCases = "arrivals_cases", Flow;
        /// Cases found eligible for some agreement (queued for a seat, or transferred at once).
        EligibleCases = "eligible_cases", Flow;
        IneligiblePeople = "ineligible_people", Flow;
        IneligibleCases = "ineligible_cases", Flow;
        IneligibleNationalityCases = "ineligible_nationality_cases", Flow;
        IneligibleExemptCases = "ineligible_exempt_cases", Flow;
        IneligiblePhaseClosedCases = "ineligible_phase_closed_cases", Flow;
        IneligibleNotCoveredCases = "ineligible_not_covered_cases", Flow;
        IneligibleNoTransitCases = "ineligible_no_transit_cases", Flow;
        IneligibleScreenedOutCases = "ineligible_screened_out_cases", Flow;
        /// Arrivals while every agreement that could take them was suspended or terminated.
        IneligibleSuspendedCases = "ineligible_suspended_cases", Flow;
        WaitingTransferCases = "waiting_transfer_cases", Stock;
        WaitingTransferPeople = "waiting_transfer_people", Stock;
        TransferredPeople = "transferred_people", Flow;
        TransferredCases = "transferred_cases", Flow;
        /// Eligible cases not transferred within the holding limit.
        ReleasedPeople = "released_people", Flow;
        ReleasedCases = "released_cases", Flow;
        /// Everyone who joins the sending country's own process: ineligible plus released.
        ToSendingProcessPeople = "to_sending_process_people", Flow;
        ToSendingProcessCases = "to_sending_process_cases", Flow;
        /// Arrivals of transferees coming back from a receiving country (part of `arrivals_*`).
        ReArrivalsCases = "re_arrivals_cases", Flow;
        ReArrivalsPeople = "re_arrivals_people", Flow;
        /// Transferees on their way back to the border at month end.
        ReturningCases = "returning_cases", Stock;
        /// Would-be arrivals who stayed away (deterrence, an assumption); not part of `arrivals_*`.
        DeterredCases = "deterred_cases", Flow;
        /// The deterred who came by a route no agreement covers and joined the sending country's process.
        DivertedCases = "diverted_cases", Flow;
        DivertedPeople = "diverted_people", Flow;
        CumulativeArrivalsPeople = "cumulative_arrivals_people", Cumulative;
        CumulativeReArrivalsCases = "cumulative_re_arrivals_cases", Cumulative;
        CumulativeDeterredCases = "cumulative_deterred_cases", Cumulative;
        CumulativeTransferredPeople = "cumulative_transferred_people", Cumulative;
        CumulativeTransferredCases = "cumulative_transferred_cases", Cumulative;
        CumulativeReleasedCases = "cumulative_released_cases", Cumulative;
        CumulativeToSendingProcessPeople = "cumulative_to_sending_process_people", Cumulative;
        CumulativeToSendingProcessCases = "cumulative_to_sending_process_cases", Cumulative;
        /// Arrivals who do not seek protection (part of `ineligible_cases`): they join the sending country's
        /// process but file no court claim, and no route or agreement takes them.
        IneligibleNotSeekingProtectionCases = "ineligible_not_seeking_protection_cases", Flow;
        /// Protection seekers taken by a competing route before any agreement's screening (part of
        /// `ineligible_cases`): sent to wait abroad, fast-track screening, expedited removal, expelled.
        IneligibleWaitAbroadCases = "ineligible_wait_abroad_cases", Flow;
        IneligibleFastTrackCases = "ineligible_fast_track_cases", Flow;
        IneligibleExpeditedRemovalCases = "ineligible_expedited_removal_cases", Flow;
        /// Expelled at once (not part of `to_sending_process_*`: they never join its process).
        IneligibleExpelledCases = "ineligible_expelled_cases", Flow;
        IneligibleExpelledPeople = "ineligible_expelled_people", Flow;
        /// Protection seekers joining the sending country's process who face a credible-fear screening: everyone
        /// joining it except those not seeking protection, sent to wait abroad or expelled (the diverted included).
        CredibleFearReferralsCases = "credible_fear_referrals_cases", Flow;
        /// Re-arrivals expelled at once (part of `re_arrivals_cases` and of `ineligible_expelled_cases`).
        ReArrivalsExpelledCases = "re_arrivals_expelled_cases", Flow;
        CumulativeIneligibleNotSeekingProtectionCases = "cumulative_ineligible_not_seeking_protection_cases", Cumulative;
        CumulativeIneligibleExpelledCases = "cumulative_ineligible_expelled_cases", Cumulative;
        /// Claims filed in the sending country's courts in the month (a fluid account, so not whole numbers).
        CourtClaimsFiledCases = "court_claims_filed_cases", Flow;
        CourtDecisionsCases = "court_decisions_cases", Flow;
        CourtGrantsCases = "court_grants_cases", Flow;
        CourtDenialsCases = "court_denials_cases", Flow;
        /// Decisions taken under the third-country transit bar (part of the court's decisions).
        CourtBarredCases = "court_barred_cases", Flow;
        CourtBacklogCases = "court_backlog_cases", Stock;
        /// The court backlog had the transferred cases filed their claims in the sending country instead.
        CourtBacklogWithoutAgreementCases = "court_backlog_without_agreement_cases", Stock;
        /// Claims the transferred cases would have filed in the sending country's courts.
        CourtClaimsAvertedCases = "court_claims_averted_cases", Flow;
        /// Averted claims over all claims the month would have brought (filed plus averted).
        CourtClaimsAvertedShare = "court_claims_averted_share", Mean;
        /// Credible-fear screenings that found a credible fear (of `credible_fear_referrals_cases`).
        CourtCredibleFearFoundCases = "court_credible_fear_found_cases", Flow;
        /// Claims that would have been filed in the month without the agreements: filed plus averted.
        CourtClaimsWithoutAgreementCases = "court_claims_without_agreement_cases", Flow;
        CumulativeCourtClaimsFiledCases = "cumulative_court_claims_filed_cases", Cumulative;
        CumulativeCourtClaimsAvertedCases = "cumulative_court_claims_averted_cases", Cumulative;
        /// Transfer, flight and holding costs of every agreement: what the sending country pays.
        AgreementCostUsd = "agreement_cost_usd", Flow;
        /// Court decisions times their unit cost.
        CourtCostUsd = "court_cost_usd", Flow;
        /// Agreement plus court costs.
        CostUsd = "cost_usd", Flow;
        CumulativeCostUsd = "cumulative_cost_usd", Cumulative;
    }
}

metric_enum! {
    /// Metrics of one receiving country: its agreement's transfers and its asylum system.
    ReceivingMetric {
        EligibleCases = "eligible_cases", Flow;
        WaitingTransferCases = "waiting_transfer_cases", Stock;
        WaitingTransferPeople = "waiting_transfer_people", Stock;
        TransferredPeople = "transferred_people", Flow;
        TransferredCases = "transferred_cases", Flow;
        ReleasedPeople = "released_people", Flow;
        ReleasedCases = "released_cases", Flow;
        /// Released at once because the sending country's holding capacity was full (part of `released_cases`).
        ReleasedHoldingFullCases = "released_holding_full_cases", Flow;
        /// Flights that left with at least one person on board.
        FlightsCount = "flights_count", Flow;
        /// Person-days spent waiting for a seat in the month.
        HoldingPersonDays = "holding_person_days", Flow;
        /// Arrival to transfer, over the cases transferred in the month.
        SeatWaitDaysMean = "seat_wait_days_mean", Mean;
        /// Transferred cases still inside the filing window at month end.
        FilingWindowCases = "filing_window_cases", Stock;
        TransfereeClaimsFiledCases = "transferee_claims_filed_cases", Flow;
        NotFiledCases = "not_filed_cases", Flow;
        OtherClaimsFiledCases = "other_claims_filed_cases", Flow;
        /// All claims filed: transferees' and others'.
        ClaimsFiledCases = "claims_filed_cases", Flow;
        /// Decisions issued: at once, or at a session of the deciding body, or when a halt ends.
        DecisionsCases = "decisions_cases", Flow;
        GrantsCases = "grants_cases", Flow;
        DenialsCases = "denials_cases", Flow;
        /// Sessions of the deciding body held (not halted) in the month; 0 without `sessions`.
        SessionsCount = "sessions_count", Flow;
        /// Filed claims withdrawn or abandoned while waiting for an adjudicator.
        AbandonedCases = "abandoned_cases", Flow;
        /// Claims filed and neither issued a decision nor abandoned: waiting, in adjudication and awaiting a
        /// session, initial backlog included.
        BacklogCases = "backlog_cases", Stock;
        InAdjudicationCases = "in_adjudication_cases", Stock;
        /// Claims decided by an adjudicator whose decision is not yet issued (next session, or end of a halt).
        AwaitingSessionCases = "awaiting_session_cases", Stock;
        TransfereeDecisionsCases = "transferee_decisions_cases", Flow;
        TransfereeGrantsCases = "transferee_grants_cases", Flow;
        TransfereeAbandonedCases = "transferee_abandoned_cases", Flow;
        TransfereeBacklogCases = "transferee_backlog_cases", Stock;
        /// Adjudicators deciding claims at month end (trainees excluded).
        AdjudicatorsCount = "adjudicators_count", Stock;
        /// Transferees who left the asylum process (did not file, abandoned, denied) and went home.
        ReturnedHomeCases = "returned_home_cases", Flow;
        ReturnedHomePeople = "returned_home_people", Flow;
        /// … and moved on to another country.
        MovedOnCases = "moved_on_cases", Flow;
        MovedOnPeople = "moved_on_people", Flow;
        /// … and set off back to the sending country's border.
        CameBackCases = "came_back_cases", Flow;
        CameBackPeople = "came_back_people", Flow;
        /// … and were not followed: no onward share sent them anywhere. Not "stayed": they may have stayed in the
        /// receiving country or gone anywhere; the scenario does not say.
        NotFollowedCases = "not_followed_cases", Flow;
        NotFollowedPeople = "not_followed_people", Flow;
        /// Transferees with a protection concern who left the asylum process without a decision (did not file, or
        /// abandoned), wherever they went: part of `not_filed_cases + transferee_abandoned_cases`.
        LeftWithProtectionNeedCases = "left_with_protection_need_cases", Flow;
        LeftWithProtectionNeedPeople = "left_with_protection_need_people", Flow;
        /// Claims filed after the filing window by transferees who stayed (part of `transferee_claims_filed_cases`).
        LateClaimsFiledCases = "late_claims_filed_cases", Flow;
        /// Transferees past their filing window, still in the country, who have yet to file late, at month end.
        AwaitingLateFilingCases = "awaiting_late_filing_cases", Stock;
        /// Capacity-building hires still in training at month end.
        TraineeAdjudicatorsCount = "trainee_adjudicators_count", Stock;
        /// Capacity-building hires at month end, trainees included.
        HiredAdjudicatorsCount = "hired_adjudicators_count", Stock;
        /// Time-average of the backlog over the month.
        BacklogTimeMeanCases = "backlog_time_mean_cases", Mean;
        /// Time-average of the claims waiting for an adjudicator (not yet in adjudication).
        AdjudicationQueueTimeMeanCases = "adjudication_queue_time_mean_cases", Mean;
        /// Filing to start of adjudication, over the cases decided in the month.
        QueueWaitDaysMean = "queue_wait_days_mean", Mean;
        /// Filing to decision issued, over the cases decided in the month.
        WaitDaysMean = "wait_days_mean", Mean;
        CumulativeTransferredPeople = "cumulative_transferred_people", Cumulative;
        CumulativeTransferredCases = "cumulative_transferred_cases", Cumulative;
        CumulativeReleasedCases = "cumulative_released_cases", Cumulative;
        CumulativeTransfereeClaimsFiledCases = "cumulative_transferee_claims_filed_cases", Cumulative;
        CumulativeNotFiledCases = "cumulative_not_filed_cases", Cumulative;
        CumulativeClaimsFiledCases = "cumulative_claims_filed_cases", Cumulative;
        CumulativeDecisionsCases = "cumulative_decisions_cases", Cumulative;
        CumulativeGrantsCases = "cumulative_grants_cases", Cumulative;
        CumulativeAbandonedCases = "cumulative_abandoned_cases", Cumulative;
        CumulativeTransfereeDecisionsCases = "cumulative_transferee_decisions_cases", Cumulative;
        CumulativeTransfereeGrantsCases = "cumulative_transferee_grants_cases", Cumulative;
        CumulativeTransfereeAbandonedCases = "cumulative_transferee_abandoned_cases", Cumulative;
        CumulativeReturnedHomeCases = "cumulative_returned_home_cases", Cumulative;
        CumulativeCameBackCases = "cumulative_came_back_cases", Cumulative;
        CumulativeLeftWithProtectionNeedCases = "cumulative_left_with_protection_need_cases", Cumulative;
        CumulativeLateClaimsFiledCases = "cumulative_late_claims_filed_cases", Cumulative;
        /// Transferred people times the agreement's cost per person (paid by the sending country).
        TransferCostUsd = "transfer_cost_usd", Flow;
        /// Flights times the cost per flight (paid by the sending country).
        FlightCostUsd = "flight_cost_usd", Flow;
        /// Holding person-days times the cost per person-day (paid by the sending country).
        HoldingCostUsd = "holding_cost_usd", Flow;
        /// Decisions times the receiving system's cost per decision.
        AdjudicationCostUsd = "adjudication_cost_usd", Flow;
        /// Pay of the adjudicators on the payroll in the month.
        StaffCostUsd = "staff_cost_usd", Flow;
        /// Sum of the five costs above.
        CostUsd = "cost_usd", Flow;
        CumulativeCostUsd = "cumulative_cost_usd", Cumulative;
    }
}

/// Which flow each cumulative metric totals.
const SENDING_CUMULATIVES: [(SendingMetric, SendingMetric); 13] = [
    (SendingMetric::CumulativeArrivalsPeople, SendingMetric::ArrivalsPeople),
    (SendingMetric::CumulativeReArrivalsCases, SendingMetric::ReArrivalsCases),
    (SendingMetric::CumulativeDeterredCases, SendingMetric::DeterredCases),
    (SendingMetric::CumulativeTransferredPeople, SendingMetric::TransferredPeople),
    (SendingMetric::CumulativeTransferredCases, SendingMetric::TransferredCases),
    (SendingMetric::CumulativeReleasedCases, SendingMetric::ReleasedCases),
    (SendingMetric::CumulativeToSendingProcessPeople, SendingMetric::ToSendingProcessPeople),
    (SendingMetric::CumulativeToSendingProcessCases, SendingMetric::ToSendingProcessCases),
    (SendingMetric::CumulativeIneligibleNotSeekingProtectionCases, SendingMetric::IneligibleNotSeekingProtectionCases),
    (SendingMetric::CumulativeIneligibleExpelledCases, SendingMetric::IneligibleExpelledCases),
    (SendingMetric::CumulativeCourtClaimsFiledCases, SendingMetric::CourtClaimsFiledCases),
    (SendingMetric::CumulativeCourtClaimsAvertedCases, SendingMetric::CourtClaimsAvertedCases),
    (SendingMetric::CumulativeCostUsd, SendingMetric::CostUsd),
];

const RECEIVING_CUMULATIVES: [(ReceivingMetric, ReceivingMetric); 17] = [
    (ReceivingMetric::CumulativeTransferredPeople, ReceivingMetric::TransferredPeople),
    (ReceivingMetric::CumulativeTransferredCases, ReceivingMetric::TransferredCases),
    (ReceivingMetric::CumulativeReleasedCases, ReceivingMetric::ReleasedCases),
    (ReceivingMetric::CumulativeTransfereeClaimsFiledCases, ReceivingMetric::TransfereeClaimsFiledCases),
    (ReceivingMetric::CumulativeNotFiledCases, ReceivingMetric::NotFiledCases),
    (ReceivingMetric::CumulativeClaimsFiledCases, ReceivingMetric::ClaimsFiledCases),
    (ReceivingMetric::CumulativeDecisionsCases, ReceivingMetric::DecisionsCases),
    (ReceivingMetric::CumulativeGrantsCases, ReceivingMetric::GrantsCases),
    (ReceivingMetric::CumulativeAbandonedCases, ReceivingMetric::AbandonedCases),
    (ReceivingMetric::CumulativeTransfereeDecisionsCases, ReceivingMetric::TransfereeDecisionsCases),
    (ReceivingMetric::CumulativeTransfereeGrantsCases, ReceivingMetric::TransfereeGrantsCases),
    (ReceivingMetric::CumulativeTransfereeAbandonedCases, ReceivingMetric::TransfereeAbandonedCases),
    (ReceivingMetric::CumulativeReturnedHomeCases, ReceivingMetric::ReturnedHomeCases),
    (ReceivingMetric::CumulativeCameBackCases, ReceivingMetric::CameBackCases),
    (ReceivingMetric::CumulativeLeftWithProtectionNeedCases, ReceivingMetric::LeftWithProtectionNeedCases),
    (ReceivingMetric::CumulativeLateClaimsFiledCases, ReceivingMetric::LateClaimsFiledCases),
    (ReceivingMetric::CumulativeCostUsd, ReceivingMetric::CostUsd),
];

/// Why an arriving case is not eligible for transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IneligibleReason {
    /// Nationality not covered by any agreement (or the receiving country's own).
    Nationality,
    /// Household type exempt (e.g. unaccompanied children).
    Exempt,
    /// The household type is not open in the rollout phase in force (or the agreement has not started).
    PhaseClosed,
    /// Processed outside the places where the agreement operates.
    NotCovered,
    /// Did not transit the receiving country.
    NoTransit,
    /// Exempted by the fear-of-the-receiving-country screening.
    ScreenedOut,
    /// Transfers were suspended or terminated.
    Suspended,
    /// Does not seek protection (checked before any route or agreement).
    NotSeekingProtection,
    /// Taken by a competing route before any agreement's screening.
    Route(RouteKind),
}

impl IneligibleReason {
    /// The metric counting this reason.
    pub fn metric(self) -> SendingMetric {
        match self {
            IneligibleReason::Nationality => SendingMetric::IneligibleNationalityCases,
            IneligibleReason::Exempt => SendingMetric::IneligibleExemptCases,
            IneligibleReason::PhaseClosed => SendingMetric::IneligiblePhaseClosedCases,
            IneligibleReason::NotCovered => SendingMetric::IneligibleNotCoveredCases,
            IneligibleReason::NoTransit => SendingMetric::IneligibleNoTransitCases,
            IneligibleReason::ScreenedOut => SendingMetric::IneligibleScreenedOutCases,
            IneligibleReason::Suspended => SendingMetric::IneligibleSuspendedCases,
            IneligibleReason::NotSeekingProtection => SendingMetric::IneligibleNotSeekingProtectionCases,
            IneligibleReason::Route(RouteKind::WaitAbroad) => SendingMetric::IneligibleWaitAbroadCases,
            IneligibleReason::Route(RouteKind::FastTrack) => SendingMetric::IneligibleFastTrackCases,
            IneligibleReason::Route(RouteKind::ExpeditedRemoval) => SendingMetric::IneligibleExpeditedRemovalCases,
            IneligibleReason::Route(RouteKind::Expulsion) => SendingMetric::IneligibleExpelledCases,
        }
    }
}

/// Where each (month, country, metric) lives in a flat table of values.
///
/// Country 0 is the sending country; countries 1.. are the receiving countries in agreement order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricLayout {
    /// `YYYY-MM` of each month.
    pub months: Vec<String>,
    /// Country keys: the sending country first, then each receiving country.
    pub countries: Vec<String>,
}

impl MetricLayout {
    fn receiving(&self) -> usize {
        self.countries.len() - 1
    }

    /// Values per month.
    pub fn per_month(&self) -> usize {
        SendingMetric::COUNT + self.receiving() * ReceivingMetric::COUNT
    }

    /// Total number of values.
    pub fn len(&self) -> usize {
        self.months.len() * self.per_month()
    }

    /// Whether the layout holds no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Index of a sending-country metric.
    #[inline]
    pub fn sending(&self, month: usize, metric: SendingMetric) -> usize {
        month * self.per_month() + metric as usize
    }

    /// Index of a metric of receiving country `r` (0-based among receiving countries).
    #[inline]
    pub fn receiving_at(&self, month: usize, r: usize, metric: ReceivingMetric) -> usize {
        month * self.per_month() + SendingMetric::COUNT + r * ReceivingMetric::COUNT + metric as usize
    }

    /// Every cell in output order (month, then country, then metric): (month, country, metric name, kind).
    pub fn cells(&self) -> impl Iterator<Item = (usize, usize, &'static str, MetricKind)> + '_ {
        (0..self.months.len()).flat_map(move |m| {
            let sending = SendingMetric::ALL.iter().map(move |x| (m, 0, x.name(), x.kind()));
            let receiving = (0..self.receiving())
                .flat_map(move |r| ReceivingMetric::ALL.iter().map(move |x| (m, r + 1, x.name(), x.kind())));
            sending.chain(receiving)
        })
    }

    /// Index of a metric by country key and name, for tests and targets.
    pub fn find(&self, month: usize, country: &str, metric: &str) -> Option<usize> {
        let c = self.countries.iter().position(|k| k == country)?;
        if c == 0 {
            let x = SendingMetric::ALL.iter().find(|x| x.name() == metric)?;
            Some(self.sending(month, *x))
        } else {
            let x = ReceivingMetric::ALL.iter().find(|x| x.name() == metric)?;
            Some(self.receiving_at(month, c - 1, *x))
        }
    }

    /// Fills every cumulative metric from its flow, month by month.
    pub fn accumulate(&self, values: &mut [f64]) {
        for m in 0..self.months.len() {
            for (total, flow) in SENDING_CUMULATIVES {
                let previous = if m == 0 { 0.0 } else { values[self.sending(m - 1, total)] };
                values[self.sending(m, total)] = previous + values[self.sending(m, flow)];
            }
            for r in 0..self.receiving() {
                for (total, flow) in RECEIVING_CUMULATIVES {
                    let previous = if m == 0 { 0.0 } else { values[self.receiving_at(m - 1, r, total)] };
                    values[self.receiving_at(m, r, total)] = previous + values[self.receiving_at(m, r, flow)];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_with_a_unit_suffix() {
        for names in [
            SendingMetric::ALL.iter().map(|m| m.name()).collect::<Vec<_>>(),
            ReceivingMetric::ALL.iter().map(|m| m.name()).collect::<Vec<_>>(),
        ] {
            let mut sorted = names.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), names.len(), "duplicate metric names");
            for name in names {
                assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{name}");
                let unit = ["_people", "_cases", "_days_mean", "_count", "_usd", "_share", "_person_days"]
                    .iter()
                    .any(|u| name.ends_with(u));
                assert!(unit, "{name} has no unit suffix");
            }
        }
    }

    #[test]
    fn every_cumulative_metric_has_its_flow() {
        let covered: Vec<_> = SENDING_CUMULATIVES
            .iter()
            .map(|(c, f)| {
                assert_eq!(c.kind(), MetricKind::Cumulative);
                assert_eq!(f.kind(), MetricKind::Flow);
                *c
            })
            .collect();
        let all: Vec<_> = SendingMetric::ALL.iter().filter(|m| m.kind() == MetricKind::Cumulative).copied().collect();
        assert_eq!(covered, all);
        let covered: Vec<_> = RECEIVING_CUMULATIVES.iter().map(|(c, _)| *c).collect();
        let all: Vec<_> = ReceivingMetric::ALL.iter().filter(|m| m.kind() == MetricKind::Cumulative).copied().collect();
        assert_eq!(covered, all);
    }
}
