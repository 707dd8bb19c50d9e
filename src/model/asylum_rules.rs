//! A receiving country's asylum system as the model runs it: filing, adjudicators, decisions, patience, onward
//! moves and costs. Built by `build`; read by the replication's `claims` and `onward` stages and by `costs`.

use super::{
    AdjudicationCosts, ArrivalStream, Calendar, DecisionCalendar, DurationDist, MonthProfile, OnwardRules,
    OnwardShares, Staffing, StepFunction,
};

/// Late claims: of the transferees who do not file within the window, those who stay and file later.
///
/// The record has claims filed long after transfers stopped (facts.md §1b: 20 by ~Apr 2020, 34 by Jan 2021), which
/// a claim filed only within the 72-hour window cannot produce.
#[derive(Debug, Clone)]
pub struct LateFilingRules {
    /// Probability that a transferee who did not file within the window files later.
    pub probability: f64,
    /// Time from the window's close to the late claim.
    pub delay: DurationDist,
}

/// A receiving country's asylum system, ready to simulate.
#[derive(Debug, Clone)]
pub struct AsylumRules {
    /// Probability that a transferred case files, over time.
    pub filing_probability: StepFunction,
    /// Days to file.
    pub filing_window_days: f64,
    /// Claims filed after the window by transferees who stay; `None`: nobody files late.
    pub late_filing: Option<LateFilingRules>,
    /// Probability that a transferred case has a protection concern (0: nobody is counted as having one).
    pub protection_concern_share: f64,
    /// Multiplies the filing probabilities of cases without a concern (1: the concern does not change filing).
    pub filing_factor_without_concern: f64,
    /// Adjudicators deciding claims over time (whole numbers): the scenario's `adjudicators` plus trained hires.
    pub adjudicators: StepFunction,
    /// Hires from a capacity-building budget, and the adjudicator-days paid.
    pub staffing: Staffing,
    /// When decisions are issued: sessions and halts.
    pub decisions: DecisionCalendar,
    pub service_time: DurationDist,
    /// Patience of transferees' claims; `None`: they never abandon.
    pub patience: Option<DurationDist>,
    pub grant_probability: StepFunction,
    pub initial_backlog: u64,
    /// Other applicants' claims by month.
    pub other_claims: Vec<MonthProfile>,
    /// Patience of other claims and the initial backlog.
    pub other_patience: Option<DurationDist>,
    /// Where transferees go when they leave the asylum process.
    pub onward: OnwardRules,
    /// Unit costs of decisions and staff, and the base staff's adjudicator-days per month.
    pub costs: AdjudicationCosts,
}

impl AsylumRules {
    /// A receiving country where nobody claims asylum: a stop of `stay_days` on the way home.
    pub fn transit_stop(stay_days: f64, calendar: &Calendar) -> AsylumRules {
        let nothing = StepFunction::constant(0.0);
        AsylumRules {
            filing_probability: nothing.clone(),
            filing_window_days: stay_days,
            late_filing: None,
            protection_concern_share: 0.0,
            filing_factor_without_concern: 1.0,
            adjudicators: nothing.clone(),
            service_time: DurationDist::Fixed(1.0),
            patience: None,
            grant_probability: nothing.clone(),
            initial_backlog: 0,
            other_claims: ArrivalStream::profiles(&nothing, calendar),
            other_patience: None,
            onward: OnwardRules {
                not_filed: OnwardShares { return_home: 1.0, ..OnwardShares::default() },
                ..OnwardRules::default()
            },
            costs: AdjudicationCosts::new(0.0, 0.0, &nothing, calendar),
            staffing: Staffing::new(nothing.clone(), None, calendar).1,
            decisions: DecisionCalendar::default(),
        }
    }

    /// Adjudicator-days paid in month `month` (a calendar month of the horizon, prorated when the run starts
    /// mid-month): the scenario's `adjudicators` plus capacity-building hires, trainees included.
    pub fn paid_adjudicator_days(&self, month: usize) -> f64 {
        self.staffing.paid_adjudicator_days(month)
    }

    /// Pay of the adjudicators in `month`, whose full calendar length is `days`: an adjudicator-day costs a month's
    /// pay over the month's length, so a month partly inside the horizon is paid in part. Base staff are paid at
    /// `cost_per_adjudicator_month_usd`, capacity-building hires (trainees included) at their plan's rate.
    pub fn staff_cost_usd(&self, month: usize, days: f64) -> f64 {
        let costs = &self.costs;
        (costs.base_adjudicator_days[month] * costs.per_adjudicator_month_usd
            + self.staffing.hired_adjudicator_days(month) * costs.per_hired_adjudicator_month_usd)
            / days
    }
}
