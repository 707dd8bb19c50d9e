//! The scenario file format: what a user writes, field by field.
//!
//! These types mirror the TOML one to one (unknown fields are rejected everywhere, so a misspelt key is an error,
//! never a silently ignored setting). They are checked by [`super::validate`] before a model is built from them.
//! `scenarios/README.md` is the user-facing reference for the same fields.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, de::Error as _};

use super::border::CompetingRoute;
use super::date::Date;
use super::distribution::DurationSpec;
use super::operations::{AgreementKind, Deterrence, Flights, Onward, Routing, TransferSuspension};
use super::operations::{OperationTime, SeatShares, SeatTiming};
use super::overrides::PolicySpec;
use super::schedule::Schedule;

/// A whole scenario: who arrives, which agreements apply, and the receiving countries' asylum systems.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short identifier, used as the default output directory name.
    pub name: String,
    /// One or two sentences for reports.
    #[serde(default)]
    pub description: String,
    /// First day simulated; months are calendar months from this date's month.
    pub start: Date,
    /// Horizon in calendar months.
    pub months: u32,
    /// The country at whose border people arrive and which transfers them.
    pub sending_country: String,
    /// Country identifiers (snake_case) and their display names. Nationalities are countries too.
    pub countries: IndexMap<String, String>,
    /// Arrival streams at the sending country's border.
    pub arrivals: Arrivals,
    /// Transfer agreements, keyed by receiving country, checked in file order.
    #[serde(default)]
    pub agreement: IndexMap<String, Agreement>,
    /// Asylum systems of the receiving countries, keyed by country.
    #[serde(default)]
    pub asylum: IndexMap<String, AsylumSystem>,
    /// Which agreement takes a case eligible under several.
    #[serde(default)]
    pub routing: Routing,
    /// The sending country's courts, as a monthly stock-flow account; absent: not modelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sending_courts: Option<SendingCourts>,
    /// Observed figures the scenario should reproduce (reported beside the simulated values).
    #[serde(default)]
    pub target: Vec<Target>,
    /// Policies to compare, each the scenario with some fields overridden (see [`Scenario::policies`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy: Vec<PolicySpec>,
    /// Observed series to fit and compare with (`safe-third calibrate`, `safe-third validate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
}

/// Observed data and, for `safe-third calibrate`, the parameters to estimate from it with their priors.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// CSV of observed values, relative to the scenario file: `date_or_month,country,metric,value[,low,high][,source]`.
    pub observed: String,
    /// Fit only on observations dated up to this day; later ones are held out and reported as predictions.
    #[serde(default)]
    pub cutoff: Option<Date>,
    /// How simulated and observed values are compared (the ABC distance is the root of this mean).
    #[serde(default)]
    pub loss: Loss,
    /// Replications simulated per parameter set (a particle's likelihood is estimated from the share of them
    /// within the tolerance); 1 is standard ABC.
    #[serde(default = "default_calibration_replications")]
    pub replications: u64,
    /// Particles in each ABC-SMC population.
    #[serde(default = "default_particles")]
    pub particles: u32,
    /// The most populations (generations) ABC-SMC runs, the prior sample included.
    #[serde(default = "default_generations")]
    pub generations: u32,
    /// The most parameter sets ABC-SMC simulates over all generations.
    #[serde(default = "default_budget")]
    pub budget: u64,
    /// Each generation's tolerance is this weighted quantile of the previous population's distances.
    #[serde(default = "default_quantile")]
    pub quantile: f64,
    /// Stop when a new tolerance is less than this fraction below the previous one.
    #[serde(default = "default_min_tolerance_change")]
    pub min_tolerance_change: f64,
    /// No longer used: the Latin-hypercube search was replaced by ABC-SMC. Accepted so that older files parse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design_points: Option<u32>,
    /// No longer used: the Nelder–Mead refinement was replaced by ABC-SMC. Accepted so that older files parse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refine_evaluations: Option<u32>,
    /// The parameters to estimate.
    #[serde(default)]
    pub parameter: Vec<CalibratedParameter>,
}

/// How a simulated series is compared with the observed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Mean of (ln(1 + simulated) − ln(1 + observed))²: relative errors, so a ramp from 8 to 939 weighs
    /// each step alike. An observation given as an interval (`low`, `high`) costs nothing inside it.
    #[default]
    LogSquared,
    /// Mean of (simulated − observed)², in the metric's units.
    Squared,
}

/// One scenario field to estimate, by path as for `--set` (list entries by index: `seats_per_month[1].value`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalibratedParameter {
    pub path: String,
    /// Smallest valid value: the prior is truncated here.
    pub low: f64,
    /// Largest valid value: the prior is truncated here.
    pub high: f64,
    /// The prior before truncation to [low, high]; absent: uniform on [low, high].
    #[serde(default)]
    pub prior: Prior,
    /// Round to whole numbers when applied to the scenario (adjudicators, counts).
    #[serde(default)]
    pub integer: bool,
}

/// A parameter's prior distribution, truncated to the parameter's [low, high].
#[derive(Debug, Clone, Copy, PartialEq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(tag = "distribution", rename_all = "snake_case", deny_unknown_fields)]
pub enum Prior {
    /// Every value in [low, high] alike.
    #[default]
    Uniform,
    /// Uniform in the logarithm: each factor of 10 alike (needs low > 0).
    LogUniform,
    /// Normal with this mean and standard deviation.
    Normal { mean: f64, sd: f64 },
    /// Beta(alpha, beta) on [0, 1], for probabilities (needs 0 ≤ low < high ≤ 1).
    Beta { alpha: f64, beta: f64 },
}

impl Prior {
    /// What is wrong with this prior on [low, high], as (field, message); empty when it is usable.
    pub fn problems(&self, low: f64, high: f64) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        match *self {
            Prior::Uniform => {}
            Prior::LogUniform => {
                if low <= 0.0 {
                    out.push(("distribution", format!("a log-uniform prior needs low > 0, found low {low}")));
                }
            }
            Prior::Normal { mean, sd } => {
                if !mean.is_finite() {
                    out.push(("mean", format!("expected a finite mean, found {mean}")));
                }
                if !(sd.is_finite() && sd > 0.0) {
                    out.push(("sd", format!("expected a positive standard deviation, found {sd}")));
                } else if mean.is_finite() && ((low - mean) / sd > 6.0 || (mean - high) / sd > 6.0) {
                    out.push((
                        "mean",
                        format!("the normal prior has almost no mass in [{low}, {high}]: its mean {mean} is over 6 sd outside"),
                    ));
                }
            }
            Prior::Beta { alpha, beta } => {
                for (field, v) in [("alpha", alpha), ("beta", beta)] {
                    if !(v.is_finite() && v > 0.0) {
                        out.push((field, format!("expected a positive shape parameter, found {v}")));
                    }
                }
                if !(0.0..=1.0).contains(&low) || !(0.0..=1.0).contains(&high) {
                    out.push((
                        "distribution",
                        format!("a beta prior is for a probability: needs 0 ≤ low < high ≤ 1, found {low} and {high}"),
                    ));
                }
            }
        }
        out
    }
}

fn default_calibration_replications() -> u64 {
    1
}

fn default_particles() -> u32 {
    500
}

fn default_generations() -> u32 {
    10
}

fn default_budget() -> u64 {
    20_000
}

fn default_quantile() -> f64 {
    0.5
}

fn default_min_tolerance_change() -> f64 {
    0.02
}

/// Arrivals at the sending country's border.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Arrivals {
    /// All arrivals at the border per month, for streams given as a `share` of it.
    #[serde(default)]
    pub border_total_per_month: Option<Schedule>,
    /// Default family-size distribution for family streams: size (≥ 2) → probability.
    #[serde(default)]
    pub family_size: Option<FamilySize>,
    /// One entry per nationality × household type.
    pub stream: Vec<ArrivalStream>,
    /// Arrivals falling with the share transferred: an explicit assumption, off unless given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deterrence: Option<Deterrence>,
    /// The sending country's own routes that take protection seekers before any agreement screens them, in the
    /// order they are tried (see `scenario::border`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<CompetingRoute>,
}

/// People of one nationality and household type arriving at the border.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalStream {
    /// A key of `[countries]`.
    pub nationality: String,
    /// Single adult, family unit or unaccompanied child.
    pub household: Household,
    /// Expected arrivals (cases) per calendar month. Exactly one of `per_month`, `per_day`, `share`.
    #[serde(default)]
    pub per_month: Option<Schedule>,
    /// Expected arrivals (cases) per day.
    #[serde(default)]
    pub per_day: Option<Schedule>,
    /// Share of `arrivals.border_total_per_month`.
    #[serde(default)]
    pub share: Option<Schedule>,
    /// How the monthly count varies around its expectation.
    #[serde(default)]
    pub count: CountModel,
    /// Negative-binomial size k (variance = mean + mean²/k); required with `count = "negative_binomial"`.
    #[serde(default)]
    pub dispersion: Option<f64>,
    /// Family sizes for this stream, overriding `arrivals.family_size`.
    #[serde(default)]
    pub family_size: Option<FamilySize>,
    /// Share of the stream's arrivals who seek protection, over time, 0–1; absent: all. Only they can be taken by
    /// a competing route or an agreement; the others join the sending country's process and file no claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protection_seeking_share: Option<Schedule>,
}

/// Household types, as border agencies count them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Household {
    SingleAdult,
    Family,
    UnaccompaniedChild,
}

impl Household {
    pub const ALL: [Household; 3] = [Household::SingleAdult, Household::Family, Household::UnaccompaniedChild];

    pub fn name(self) -> &'static str {
        match self {
            Household::SingleAdult => "single_adult",
            Household::Family => "family",
            Household::UnaccompaniedChild => "unaccompanied_child",
        }
    }
}

/// Monthly count model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CountModel {
    #[default]
    Poisson,
    NegativeBinomial,
}

/// Family sizes and their probabilities. Keys are sizes written as strings (`"2" = 0.45`), as TOML requires.
pub type FamilySize = IndexMap<String, f64>;

/// A transfer agreement with one receiving country.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// What the agreement does with transferred people.
    #[serde(default)]
    pub kind: AgreementKind,
    /// Nationalities that may be transferred (never the receiving country's own).
    pub eligible_nationalities: Vec<String>,
    /// Probability, per eligible nationality, that a person transited the receiving country; required (one per
    /// eligible nationality) when `requires_transit`, and not allowed otherwise.
    #[serde(default)]
    pub transit_probability: IndexMap<String, f64>,
    /// Whether only people who transited the receiving country may be transferred (the default). `false`: anyone
    /// of an eligible nationality, whether or not they ever set foot there.
    #[serde(default = "yes")]
    pub requires_transit: bool,
    /// Household types never transferred (e.g. unaccompanied children).
    #[serde(default)]
    pub exempt_households: Vec<Household>,
    /// Share of otherwise eligible cases exempted by the fear-of-the-receiving-country screening.
    pub screening_exempt_share: Schedule,
    /// Transfer seats (people) per month; unused seats lapse at month end. `"unlimited"` transfers at once.
    /// At least one of `seats_per_month` and `flights` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seats_per_month: Option<Schedule>,
    /// Transfers by a weekly flight schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flights: Option<Flights>,
    /// People the sending country can hold while they wait for a seat; a case that finds it full is released
    /// into the sending country's process at once. `"unlimited"` (the default) or a number of people.
    #[serde(
        default = "unlimited",
        deserialize_with = "number_or_unlimited",
        serialize_with = "serialize_limit",
        skip_serializing_if = "is_unlimited"
    )]
    #[schemars(schema_with = "capacity_schema")]
    pub holding_capacity_people: f64,
    /// Order in which waiting cases take seats.
    #[serde(default)]
    pub queue_discipline: QueueDiscipline,
    /// Longest a case waits for a seat before release into the sending country's process; or `"unlimited"`.
    #[serde(deserialize_with = "number_or_unlimited", serialize_with = "serialize_limit")]
    #[schemars(schema_with = "limit_schema")]
    pub max_wait_days: f64,
    /// Rollout phases in date order; each replaces the one before. Before the first, nothing is open.
    pub phase: Vec<RolloutPhase>,
    /// Dated halts of transfers (suspensions with `until`, a termination without), in date order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suspension: Vec<TransferSuspension>,
    /// For `kind = "transit_return"`: days people stay in the receiving country before moving on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stay_days: Option<f64>,
    /// Cost of transferring one person (escort, travel, reception), in US dollars; paid by the sending country.
    #[serde(default)]
    pub cost_per_transferred_person_usd: f64,
    /// Cost of holding one person for one day while they wait for a seat, in US dollars per person-day.
    #[serde(default)]
    pub cost_per_holding_day_usd: f64,
    /// When the seats of `seats_per_month` can be used: `"accrued_daily"` (the default), `"start_of_month"` or
    /// `"start_of_week"` (see [`SeatTiming`]).
    #[serde(default, skip_serializing_if = "SeatTiming::is_default")]
    pub seat_timing: SeatTiming,
    /// When the transfer operation boards cases: the time of day of its daily run (`"12:00"`, the default), or
    /// `"continuous"`: a case boards as soon as a seat is free. Not with `flights` (they leave on their days).
    #[serde(default, skip_serializing_if = "OperationTime::is_default")]
    pub operation_time: OperationTime,
}

/// One step of a rollout: from this date, these household types are transferred.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RolloutPhase {
    /// First day of the phase.
    pub from: Date,
    /// Household types open in this phase; an empty list suspends new transfers.
    pub households: Vec<Household>,
    /// Share of eligible arrivals processed where the agreement operates (e.g. one border sector), 0–1.
    #[serde(default = "one")]
    pub coverage: f64,
    /// Label for reports and charts.
    #[serde(default)]
    pub label: String,
    /// Shares of each transfer run's seats reserved for household types while this phase is in force, e.g.
    /// `{ family = 0.6 }`. A run first offers ⌊share × its seats⌋ to waiting cases of each household type
    /// (single adults, then families, then unaccompanied children), in the queue discipline's order among them;
    /// the seats left over, reserved or not, are then offered to every waiting case. Absent: no reservation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat_shares: Option<SeatShares>,
}

/// Queue disciplines for transfer seats: the order in which waiting cases are offered the seats of a transfer
/// run. Every discipline but `strict_fifo` passes over a case that does not fit the seats left (a family needing
/// more seats than remain) and offers the seats to the cases behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QueueDiscipline {
    /// First come, first served, passing over cases that do not fit (first fit). `"fifo"` is accepted as a
    /// deprecated alias: it was this discipline's old name, though a family that does not fit is overtaken.
    #[default]
    #[serde(alias = "fifo")]
    FirstFit,
    /// Last come, first served.
    Lifo,
    /// One-person cases first, then families; first come, first served within each.
    SinglesFirst,
    /// Families first, then one-person cases.
    FamiliesFirst,
    /// Strictly first come, first served, with head-of-line blocking: boarding stops at the first case that does
    /// not fit the seats left, and nobody behind it boards in that run.
    StrictFifo,
}

impl QueueDiscipline {
    /// The name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            QueueDiscipline::FirstFit => "first_fit",
            QueueDiscipline::Lifo => "lifo",
            QueueDiscipline::SinglesFirst => "singles_first",
            QueueDiscipline::FamiliesFirst => "families_first",
            QueueDiscipline::StrictFifo => "strict_fifo",
        }
    }
}

/// A receiving country's asylum system.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AsylumSystem {
    /// Probability that a transferred case files a claim within the filing window.
    pub filing_probability: Schedule,
    /// Days a transferred person has to file (or leave).
    pub filing_window_days: f64,
    /// Adjudicators deciding claims (whole numbers).
    pub adjudicators: Schedule,
    /// Time one adjudicator spends deciding one claim, in days.
    pub service_time_days: DurationSpec,
    /// How long a transferee's claim waits for an adjudicator before it is abandoned; absent: never.
    #[serde(default)]
    pub patience_days: Option<DurationSpec>,
    /// Probability that a decision is a grant.
    pub grant_probability: Schedule,
    /// Claims pending at the start (a whole number; they wait ahead of every new claim).
    #[serde(default)]
    pub initial_backlog: f64,
    /// Claims from people not transferred under an agreement (the country's usual applicants), per month.
    #[serde(default)]
    pub other_claims_per_month: Option<Schedule>,
    /// Patience of those other claims and of the initial backlog; absent: never abandoned.
    #[serde(default)]
    pub other_patience_days: Option<DurationSpec>,
    /// Where transferees go after not filing, abandoning or being denied; absent: they are not followed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onward: Option<Onward>,
    /// Cost of one decision (interview, file, committee), in US dollars.
    #[serde(default)]
    pub cost_per_decision_usd: f64,
    /// Pay of one adjudicator of the `adjudicators` schedule for one month, in US dollars.
    #[serde(default)]
    pub cost_per_adjudicator_month_usd: f64,
    /// Dates on which the deciding body meets and issues the decisions made since its last session; absent:
    /// decisions are issued as soon as an adjudicator finishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sessions: Option<DecisionSessions>,
    /// Adjudicators hired from a budget, deciding after a training lag; absent: only `adjudicators`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_building: Option<CapacityBuilding>,
    /// Halts of adjudication and decisions (e.g. the deciding body not convened), in date order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suspension: Vec<DecisionSuspension>,
    /// Claims filed after the window by transferees still in the country; absent: nobody files late.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_filing: Option<LateFiling>,
    /// Transferees with an international-protection concern; absent: nobody is counted as having one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protection_concern: Option<ProtectionConcern>,
}

/// Late claims: a transferee who did not file within the window stays in the country and files later.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LateFiling {
    /// Probability that a transferee who did not file within the window files later, 0–1.
    pub probability: f64,
    /// Days from the window's close to the late claim.
    pub delay_days: DurationSpec,
}

/// The share of transferees with an international-protection concern, and how it bears on filing.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtectionConcern {
    /// Probability that a transferred case has a protection concern, 0–1 (each case draws once).
    pub share: f64,
    /// Multiplies the filing probabilities (in the window and late) of cases without a concern, 0–1; 1: the
    /// concern does not change who files.
    #[serde(default = "one")]
    pub filing_factor_without_concern: f64,
}

/// The sending country's courts: a monthly stock-flow account of claims filed, decided and pending, with and
/// without the agreements. A court of a million cases is a stock, not a queue of individuals.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendingCourts {
    /// Claims pending in the courts at the start, in cases.
    #[serde(default)]
    pub initial_backlog: f64,
    /// Decisions the courts can take per month, in cases (prorated by day like every per-month rate).
    pub decisions_per_month: Schedule,
    /// Share of the cases referred to the courts (credible fear found, or sent to wait abroad) that file a court
    /// claim, 0–1.
    #[serde(default = "constant_one")]
    pub claim_share: Schedule,
    /// Share of the credible-fear screenings that find a credible fear, over time, 0–1 (default 1: no screening
    /// step). Screened are the protection seekers joining the sending country's process other than those sent to
    /// wait abroad or expelled.
    #[serde(default = "constant_one")]
    pub credible_fear_pass_share: Schedule,
    /// Probability that a court decision is a grant, 0–1 (claims not under the transit bar).
    pub grant_probability: Schedule,
    /// Cost of one court decision, in US dollars.
    #[serde(default)]
    pub cost_per_decision_usd: f64,
    /// The third-country transit bar: from its date, some claims can only be granted at a lower rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_bar: Option<TransitBar>,
}

/// An asylum bar for those who crossed another country without applying there.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitBar {
    /// First day the bar is in force for decisions (may lie before the start).
    pub from: Date,
    /// The bar applies only to cases that entered on or after this day (may lie before the start); the courts'
    /// initial backlog is older and never under it.
    pub entries_from: Date,
    /// First day the bar is no longer in force (vacated); absent: in force to the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// Share of the decisions on cases that entered on or after `entries_from`, taken while the bar is in force,
    /// that fall under it (those who transited a third country), 0–1.
    pub applies_share: f64,
    /// Probability that a decision under the bar is a grant (other protection), 0–1.
    pub grant_probability: f64,
    /// Label for reports and charts.
    #[serde(default)]
    pub label: String,
}

/// When the deciding body meets. Exactly one of `dates` and `gap_days`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionSessions {
    /// Session dates, in increasing order, inside the horizon.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<Date>,
    /// Days from one session to the next, drawn at random for each gap (a positive mean) and rounded to whole
    /// days, at least 1: sessions are held at the start of a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap_days: Option<DurationSpec>,
    /// Date of the first session with random gaps; absent: one gap after `start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<Date>,
}

/// Adjudicators paid from a budget: `floor(budget_usd / (cost_per_adjudicator_month_usd × months))` positions,
/// filled from `from` and paid until `months` calendar months after `from`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityBuilding {
    /// Total budget, in US dollars.
    pub budget_usd: f64,
    /// First day of hiring (and of the funded period).
    pub from: Date,
    /// Calendar months the budget pays for, from `from` (a whole number ≥ 1).
    pub months: f64,
    /// Cost of one adjudicator for one month (salary and overheads), in US dollars.
    pub cost_per_adjudicator_month_usd: f64,
    /// Days from hiring to deciding claims (paid, deciding nothing).
    pub training_days: f64,
    /// Hires per calendar month from `from` (may be below 1: 0.5 is one every two months); absent: all on `from`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hires_per_month: Option<f64>,
}

/// A halt of the receiving country's decisions: no adjudication starts and no decision is issued from `from`
/// until `until`. Claims in adjudication are finished; their decisions are issued when the halt ends (with
/// sessions: at the first session after it). Claims keep being filed, and waiting claims may still abandon.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionSuspension {
    /// First day of the halt.
    pub from: Date,
    /// First day decisions resume (may lie after the horizon); absent: never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// Label for reports and charts.
    #[serde(default)]
    pub label: String,
}

/// An observed value a scenario should reproduce.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// Calendar month `YYYY-MM` whose month-end value is compared.
    pub month: String,
    /// Country key.
    pub country: String,
    /// Metric name, e.g. `cumulative_transferred_people`.
    pub metric: String,
    /// The observed value.
    pub value: f64,
    /// Where the figure comes from.
    pub source: String,
}

fn one() -> f64 {
    1.0
}

fn yes() -> bool {
    true
}

fn unlimited() -> f64 {
    f64::INFINITY
}

fn is_unlimited(v: &f64) -> bool {
    v.is_infinite()
}

fn capacity_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "People, or \"unlimited\".",
        "oneOf": [{ "type": "number", "minimum": 0 }, { "const": "unlimited" }]
    })
}

fn constant_one() -> Schedule {
    Schedule::Constant(1.0)
}

fn number_or_unlimited<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    match toml::Value::deserialize(deserializer)? {
        toml::Value::Integer(i) => Ok(i as f64),
        toml::Value::Float(f) => Ok(f),
        toml::Value::String(s) if s == "unlimited" => Ok(f64::INFINITY),
        other => Err(D::Error::custom(format!("expected a number or \"unlimited\", found {}", other.type_str()))),
    }
}

fn limit_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "Days, or \"unlimited\".",
        "oneOf": [{ "type": "number", "exclusiveMinimum": 0 }, { "const": "unlimited" }]
    })
}

fn serialize_limit<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_infinite() { s.serialize_str("unlimited") } else { s.serialize_f64(*v) }
}
