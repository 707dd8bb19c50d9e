//! The border before any agreement: who seeks protection, and the sending country's own routes that take
//! protection seekers before an agreement's screening (waiting abroad, fast-track screening, expedited removal,
//! expulsion).
//!
//! Both are optional: without them every arrival seeks protection and no route competes, as before.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::format::Household;
use super::schedule::Schedule;

/// A route of the sending country's own that takes a share of the protection seekers at the border before any
/// agreement screens them. Routes are tried in file order, each on the protection seekers the routes before it
/// left.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetingRoute {
    /// What the route does with the people it takes (and so whether they reach the sending country's courts).
    pub kind: RouteKind,
    /// Share of the protection seekers left by the routes before this one that it takes, over time, 0–1 (0 before
    /// the route starts: give it as dated steps).
    pub share: Schedule,
    /// Nationalities the route applies to; empty (the default): all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nationalities: Vec<String>,
    /// Household types the route applies to; empty (the default): all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub households: Vec<Household>,
    /// Label for reports.
    #[serde(default)]
    pub label: String,
}

/// What a competing route does with the people it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    /// Sent to wait abroad for the sending country's hearings (the Migrant Protection Protocols): placed before
    /// the courts directly, with no credible-fear screening.
    WaitAbroad,
    /// Fast-track screening in custody (PACR/HARP): a credible-fear screening, then the courts if it is passed.
    FastTrack,
    /// Expedited removal: a credible-fear screening for those who claim fear, then the courts if it is passed.
    ExpeditedRemoval,
    /// Expelled at once (Title 42): no screening and no court claim.
    Expulsion,
}

impl RouteKind {
    pub const ALL: [RouteKind; 4] =
        [RouteKind::WaitAbroad, RouteKind::FastTrack, RouteKind::ExpeditedRemoval, RouteKind::Expulsion];

    /// The name as written in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            RouteKind::WaitAbroad => "wait_abroad",
            RouteKind::FastTrack => "fast_track",
            RouteKind::ExpeditedRemoval => "expedited_removal",
            RouteKind::Expulsion => "expulsion",
        }
    }
}
