//! The sending country's own routes for protection seekers, which take their share at the border before any
//! agreement screens a case: wait abroad (MPP), fast-track screening (PACR/HARP), expedited removal and
//! expulsion (Title 42). A case taken by one is not a transfer candidate; what the route does with it decides
//! whether it reaches the courts (see `courts`).

use crate::rng::{CaseDraws, Purpose};
use crate::scenario::{Household, RouteKind};

use super::step_function::StepFunction;

/// A competing route, placed on the clock.
#[derive(Debug, Clone)]
pub struct CompetingRoute {
    pub kind: RouteKind,
    /// Share of the protection seekers left by the routes before it that it takes, over time.
    pub share: StepFunction,
    /// Whether it applies to each nationality index.
    pub nationalities: Vec<bool>,
    /// Whether it applies to each household type, indexed like [`Household::ALL`].
    pub households: [bool; 3],
}

impl CompetingRoute {
    /// Whether the route may take anyone of this nationality and household in `[begin, end)`.
    pub fn may_apply(&self, nationality: usize, household: Household, begin: f64, end: f64) -> bool {
        self.nationalities[nationality]
            && self.households[household as usize]
            && self.share.pieces(begin, end).any(|(_, _, v)| v > 0.0)
    }
}

/// The route that takes a protection seeker at the border at `t`, if any: routes in order, each deciding from
/// the case's own uniform (so the answer never depends on other cases, and is the same each time it is asked).
pub fn route_taking(
    routes: &[CompetingRoute],
    nationality: usize,
    household: Household,
    draws: CaseDraws,
    t: f64,
) -> Option<RouteKind> {
    routes
        .iter()
        .enumerate()
        .filter(|(_, r)| r.nationalities[nationality] && r.households[household as usize])
        .find(|(i, r)| draws.chance(Purpose::CompetingRoute, *i as u64, r.share.at(t)))
        .map(|(_, r)| r.kind)
}
