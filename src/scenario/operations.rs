//! How agreements operate beyond who is eligible: routing among receiving countries, flights and holding,
//! suspensions, what people do after the receiving country, deterrence, and other kinds of arrangement.
//!
//! Every section here is optional and off by default, so a scenario that does not mention it runs as before.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::date::Date;
use super::distribution::DurationSpec;
use super::schedule::Schedule;

/// How a case eligible under several agreements is assigned one receiving country.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// The rule; `priority` (the default) takes the first eligible agreement in file order.
    #[serde(default)]
    pub rule: RoutingRule,
    /// Relative weights by receiving country, for `rule = "shares"` (e.g. `{ guatemala = 2, honduras = 1 }`);
    /// a case picks among the agreements it is eligible for with probability proportional to their weights.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub shares: IndexMap<String, f64>,
}

/// Routing rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoutingRule {
    /// The first eligible agreement in file order.
    #[default]
    Priority,
    /// At random, in proportion to `routing.shares`.
    Shares,
    /// The eligible agreement with the fewest people waiting for a seat (file order breaks ties).
    ShortestQueue,
}

/// What an agreement does with the people it transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    /// Transferred people may claim asylum in the receiving country (the ACAs, the Canada–US STCA).
    #[default]
    SafeThirdCountry,
    /// People wait in the receiving country for the sending country's own hearings (the Migrant Protection
    /// Protocols); the receiving country's `[asylum]` block describes that docket.
    WaitAbroad,
    /// The receiving country is a stop on the way home: no claim there, everyone moves on after `stay_days`
    /// (Guatemala 2025). The `[asylum]` block is optional; `onward.not_filed` says where they go (default: home).
    TransitReturn,
}

impl AgreementKind {
    /// The name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            AgreementKind::SafeThirdCountry => "safe_third_country",
            AgreementKind::WaitAbroad => "wait_abroad",
            AgreementKind::TransitReturn => "transit_return",
        }
    }
}

/// Transfers by scheduled flights rather than (or within) a monthly seat budget.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Flights {
    /// Days of the week with a flight, e.g. `["tue", "thu"]`.
    pub weekdays: Vec<Weekday>,
    /// Seats (people) on each flight. With `seats_per_month` too, a flight takes at most what the month's budget
    /// has left.
    pub seats_per_flight: Schedule,
    /// Cost of one flight, in US dollars (counted whether or not it is full).
    #[serde(default)]
    pub cost_per_flight_usd: f64,
}

/// Days of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// Days after Monday.
    pub fn from_monday(self) -> u32 {
        self as u32
    }
}

/// A dated halt of transfers under an agreement: a suspension (with `until`) or a termination (without).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferSuspension {
    /// First day without transfers.
    pub from: Date,
    /// First day transfers may resume; absent: the agreement is terminated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// What happens at `from` to cases waiting for a seat.
    #[serde(default)]
    pub waiting: WaitingAtSuspension,
    /// Label for reports (e.g. "COVID-19 suspension").
    #[serde(default)]
    pub label: String,
}

/// The fate of cases waiting for a seat when transfers are suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WaitingAtSuspension {
    /// Released at once into the sending country's process.
    #[default]
    Release,
    /// Kept waiting (still subject to `max_wait_days`): they leave on the first seats after the suspension.
    Hold,
}

/// What transferred people do after leaving the receiving country's asylum process, by how they left it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Onward {
    /// Transferees who did not file a claim within the filing window.
    #[serde(default)]
    pub not_filed: OnwardShares,
    /// Transferees who abandoned their claim.
    #[serde(default)]
    pub abandoned: OnwardShares,
    /// Transferees whose claim was denied.
    #[serde(default)]
    pub denied: OnwardShares,
    /// Days from leaving to reaching the sending country's border again, for those who come back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub come_back_days: Option<DurationSpec>,
}

/// Shares (0–1, summing to at most 1) of a group of transferees; the rest are not followed (stayed, or went anywhere).
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OnwardShares {
    /// Return to their home country (e.g. assisted voluntary return).
    #[serde(default)]
    pub return_home: f64,
    /// Move on to a country other than home or the sending country.
    #[serde(default)]
    pub move_on: f64,
    /// Travel back to the sending country's border, where they arrive again after `come_back_days`.
    #[serde(default)]
    pub come_back: f64,
}

/// Deterrence, as an explicit assumption: arrivals of a nationality fall with the share of that nationality's
/// recent arrivals that were transferred.
///
/// In month m, with s the people of nationality n transferred over the `window_months` ending `lag_months`
/// before m, divided by the people of n who arrived over the same months, each would-be arrival of n stays away
/// with probability 1 − (1 − s)^elasticity (about elasticity × s for small s). Of those, `diverted_share` come by
/// another route the agreements do not cover (e.g. by air) and join the sending country's process; the rest do
/// not come.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deterrence {
    /// How strongly the transferred share deters: 1 − (1 − share)^elasticity stay away (1: a 30% transfer share
    /// deters 30%; 2: 51%).
    pub elasticity: f64,
    /// Months between the transfers and the arrivals they deter.
    #[serde(default = "one_month")]
    pub lag_months: u32,
    /// Months over which the transferred share is measured.
    #[serde(default = "one_month")]
    pub window_months: u32,
    /// Share of the deterred who come by another route instead, 0–1.
    #[serde(default)]
    pub diverted_share: f64,
    /// Label shown in every report of a run that uses it.
    #[serde(default = "deterrence_label")]
    pub label: String,
}

fn one_month() -> u32 {
    1
}

fn deterrence_label() -> String {
    "ASSUMPTION: deterrence (arrivals fall with the recent share transferred)".to_string()
}

/// When the seats of `seats_per_month` can be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeatTiming {
    /// The month's seats accrue day by day (the month's budget spread over its days): a transfer run can use
    /// the seats accrued through the end of its day, less those spent since the month began. Unused seats carry
    /// over within the month and lapse at its end.
    #[default]
    AccruedDaily,
    /// The whole month's seats (the sum of its daily shares, rounded down) are granted at the start of the
    /// month and spent as cases board, until used or the month ends; unused seats lapse.
    StartOfMonth,
    /// Each week's seats (the sum of its daily shares of the monthly budget, rounded down; weeks begin on
    /// Mondays, and the first and last weeks of the run count only their days inside it) are granted on Monday
    /// and spent as cases board, until used or the week ends; unused seats lapse.
    StartOfWeek,
}

impl SeatTiming {
    /// The name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            SeatTiming::AccruedDaily => "accrued_daily",
            SeatTiming::StartOfMonth => "start_of_month",
            SeatTiming::StartOfWeek => "start_of_week",
        }
    }

    pub fn is_default(&self) -> bool {
        *self == SeatTiming::AccruedDaily
    }
}

/// When an agreement's transfer operation boards cases within its seat budget: once a day at a time of day, or
/// continuously (a case boards as soon as a seat is free: on joining the queue, when seats are granted or accrue,
/// when a suspension ends). Written `"12:00"` (the default) or `"continuous"`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OperationTime {
    /// Once a day at this fraction of the day, in [0, 1) (0.5: noon).
    Daily(f64),
    /// Whenever a seat and a waiting case meet.
    Continuous,
}

impl Default for OperationTime {
    /// Noon.
    fn default() -> OperationTime {
        OperationTime::Daily(0.5)
    }
}

impl OperationTime {
    /// The time of day of the daily run as a fraction of the day, or `None` for continuous operation.
    pub fn day_fraction(self) -> Option<f64> {
        match self {
            OperationTime::Daily(f) => Some(f),
            OperationTime::Continuous => None,
        }
    }

    pub fn is_default(&self) -> bool {
        *self == OperationTime::default()
    }
}

impl std::str::FromStr for OperationTime {
    type Err = String;

    fn from_str(s: &str) -> Result<OperationTime, String> {
        if s == "continuous" {
            return Ok(OperationTime::Continuous);
        }
        let bad = || format!("expected \"continuous\" or a time of day \"HH:MM\" (00:00–23:59), got {s:?}");
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if h > 23 || m > 59 || s.len() != 5 {
            return Err(bad());
        }
        Ok(OperationTime::Daily(f64::from(h * 60 + m) / 1440.0))
    }
}

impl std::fmt::Display for OperationTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.day_fraction() {
            None => write!(f, "continuous"),
            Some(x) => {
                let minutes = (x * 1440.0).round() as u32;
                write!(f, "{:02}:{:02}", minutes / 60, minutes % 60)
            }
        }
    }
}

impl Serialize for OperationTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for OperationTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<OperationTime, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for OperationTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "OperationTime".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Time of day of the daily transfer run (\"HH:MM\", default \"12:00\"), or \"continuous\".",
            "type": "string",
            "pattern": "^(continuous|([01][0-9]|2[0-3]):[0-5][0-9])$"
        })
    }
}

/// Seats of each transfer run reserved for household types, in a rollout phase: shares (0–1, summing to at
/// most 1) of the run's seats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeatShares {
    #[serde(default)]
    pub single_adult: f64,
    #[serde(default)]
    pub family: f64,
    #[serde(default)]
    pub unaccompanied_child: f64,
}
