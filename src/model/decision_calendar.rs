//! When a receiving country's decisions are issued: at once, at the deciding body's sessions, and never while
//! decisions are halted.
//!
//! Adjudicators *make* decisions; a decision is *issued* (counted in `decisions_cases`, grant or denial) when the
//! body that signs it meets. Guatemala's deciding body, the Autoridad Migratoria Nacional, met rarely and was not
//! convened for months at a time; between sessions decided claims pile up, still part of the backlog.

use rand::Rng;

use super::calendar::Calendar;
use super::duration_dist::DurationDist;
use crate::scenario;

/// The session dates of a deciding body.
#[derive(Debug, Clone)]
pub enum Sessions {
    /// On these days (since the start), in increasing order.
    Dates(Vec<f64>),
    /// At random gaps, from `first` or one gap after the start. Gaps come from the system's own
    /// [`crate::rng::ProcessStream::Sessions`] stream, so capacities and claims never move a session. Like dated
    /// sessions, random ones are held at the start of a day: each gap is rounded to whole days, at least one.
    Random { first: Option<f64>, gap: DurationDist },
}

/// A drawn gap as whole days, at least one: at most one session a day, and never a run of sessions at one instant
/// (a gap distribution concentrated near 0 would otherwise hold sessions forever without time passing).
fn whole_days(gap: f64) -> f64 {
    gap.round().max(1.0)
}

impl Sessions {
    /// The first session, if it falls before `end`.
    pub fn first<R: Rng + ?Sized>(&self, end: f64, rng: &mut R) -> Option<f64> {
        let t = match self {
            Sessions::Dates(dates) => *dates.first()?,
            Sessions::Random { first: Some(first), .. } => *first,
            Sessions::Random { first: None, gap } => whole_days(gap.sample(rng)),
        };
        (t < end).then_some(t)
    }

    /// The session after session `ordinal`, held at `t`, if it falls before `end`.
    pub fn next<R: Rng + ?Sized>(&self, ordinal: usize, t: f64, end: f64, rng: &mut R) -> Option<f64> {
        let next = match self {
            Sessions::Dates(dates) => *dates.get(ordinal + 1)?,
            Sessions::Random { gap, .. } => t + whole_days(gap.sample(rng)),
        };
        (next < end).then_some(next)
    }
}

/// A halt of decisions: from `from` (inclusive) to `until` (exclusive; infinite when it never ends).
#[derive(Debug, Clone)]
pub struct DecisionHalt {
    pub from: f64,
    pub until: f64,
    pub label: String,
}

/// When decisions are issued in one receiving country.
#[derive(Debug, Clone, Default)]
pub struct DecisionCalendar {
    /// `None`: decisions are issued as soon as they are made (unless halted).
    pub sessions: Option<Sessions>,
    /// Halts in date order, not overlapping.
    pub halts: Vec<DecisionHalt>,
}

impl DecisionCalendar {
    /// Places a scenario's sessions and suspensions on the calendar.
    pub fn new(system: &scenario::AsylumSystem, calendar: &Calendar) -> DecisionCalendar {
        let day = |d: &scenario::Date| calendar.day_of(d.0);
        let sessions = system.sessions.as_ref().map(|s| match &s.gap_days {
            Some(gap) => Sessions::Random { first: s.first.as_ref().map(day), gap: DurationDist::new(gap) },
            None => Sessions::Dates(s.dates.iter().map(day).collect()),
        });
        let halts = system
            .suspension
            .iter()
            .map(|h| DecisionHalt {
                from: day(&h.from),
                until: h.until.as_ref().map_or(f64::INFINITY, day),
                label: h.label.clone(),
            })
            .collect();
        DecisionCalendar { sessions, halts }
    }

    /// Whether decisions are halted at `t`.
    pub fn halted_at(&self, t: f64) -> bool {
        self.halts.iter().any(|h| h.from <= t && t < h.until)
    }

    /// Times at which a halt begins or ends.
    pub fn halt_changes(&self) -> impl Iterator<Item = f64> + '_ {
        self.halts.iter().flat_map(|h| [h.from, h.until]).filter(|t| t.is_finite())
    }

    /// Whether a decision made while `halted` is issued at once (no sessions, no halt).
    #[inline]
    pub fn issues_at_once(&self, halted: bool) -> bool {
        self.sessions.is_none() && !halted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    #[test]
    fn dated_sessions_come_in_order_and_stop_at_the_horizon() {
        let s = Sessions::Dates(vec![3.0, 10.0, 40.0]);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(s.first(30.0, &mut rng), Some(3.0));
        assert_eq!(s.next(0, 3.0, 30.0, &mut rng), Some(10.0));
        assert_eq!(s.next(1, 10.0, 30.0, &mut rng), None, "40 is past the horizon");
    }

    #[test]
    fn random_gaps_are_whole_days_of_at_least_one() {
        let s = Sessions::Random { first: None, gap: DurationDist::Fixed(0.0) };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        assert_eq!(s.first(30.0, &mut rng), Some(1.0));
        assert_eq!(s.next(0, 1.0, 30.0, &mut rng), Some(2.0));
        let s = Sessions::Random { first: Some(4.0), gap: DurationDist::Fixed(6.6) };
        assert_eq!(s.first(30.0, &mut rng), Some(4.0));
        assert_eq!(s.next(0, 4.0, 30.0, &mut rng), Some(11.0));
        assert_eq!(whole_days(f64::NAN), 1.0);
    }

    #[test]
    fn halts_are_half_open_and_may_never_end() {
        let c = DecisionCalendar {
            sessions: None,
            halts: vec![
                DecisionHalt { from: 5.0, until: 10.0, label: String::new() },
                DecisionHalt { from: 20.0, until: f64::INFINITY, label: String::new() },
            ],
        };
        assert!(!c.halted_at(4.9) && c.halted_at(5.0) && c.halted_at(9.9) && !c.halted_at(10.0));
        assert!(c.halted_at(1e9));
        assert_eq!(c.halt_changes().collect::<Vec<_>>(), [5.0, 10.0, 20.0]);
        assert!(!c.issues_at_once(true) && c.issues_at_once(false));
    }
}
