//! Arrivals at the sending country's border: how many each month, when, and what household.

use rand::Rng;
use rand_distr::{Distribution, Gamma, Poisson};

use crate::rng::{CaseDraws, Purpose};
use crate::scenario::{CountModel, Household};

use super::calendar::Calendar;
use super::metrics::IneligibleReason;
use super::step_function::StepFunction;

/// One piece of a month's arrival-rate profile: `[start, end)` at a constant rate, with the expected count
/// accumulated up to its end.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: f64,
    rate: f64,
    cumulative: f64,
}

/// Expected arrivals in one month and how they spread over it (uniform where the rate is constant).
#[derive(Debug, Clone, Default)]
pub struct MonthProfile {
    pieces: Vec<Piece>,
    /// The last instant before the month's end: no arrival is later, so that every arrival of a month is handled
    /// before the next month starts (a time computed at the last quantile could otherwise round up to the end).
    last: f64,
}

impl MonthProfile {
    fn new(rate_per_day: &StepFunction, begin: f64, end: f64) -> MonthProfile {
        let mut cumulative = 0.0;
        let pieces = rate_per_day
            .pieces(begin, end)
            .filter(|&(_, _, rate)| rate > 0.0)
            .map(|(start, stop, rate)| {
                cumulative += rate * (stop - start);
                Piece { start, rate, cumulative }
            })
            .collect();
        MonthProfile { pieces, last: end.next_down() }
    }

    /// Expected number of arrivals in the month.
    pub fn expected(&self) -> f64 {
        self.pieces.last().map_or(0.0, |p| p.cumulative)
    }

    /// The arrival time of quantile `u` ∈ [0, 1) of the month's arrivals.
    #[inline]
    pub fn time_at(&self, u: f64) -> f64 {
        let target = u * self.expected();
        let i = self.pieces.partition_point(|p| p.cumulative <= target).min(self.pieces.len() - 1);
        let before = if i == 0 { 0.0 } else { self.pieces[i - 1].cumulative };
        let piece = self.pieces[i];
        (piece.start + (target - before) / piece.rate).min(self.last)
    }
}

/// How many arrival times [`TimesAhead`] computes in one go.
const AHEAD: usize = 32;

/// The next few arrival times of one stream in the current month, computed ahead in one tight loop.
///
/// Drawing a time costs an exponential draw, an `exp_m1` and a division whichever way it is done; computing a
/// batch at once saves the rest (finding the stream's generator, profile and piece again for every arrival). The
/// times are the same, bit for bit, as computing them one by one: the month's generator serves nothing else, so
/// drawing ahead consumes it in the same order, and the arithmetic is the same. At most [`AHEAD`] times are held,
/// so memory does not grow with the month's count.
#[derive(Debug, Clone)]
pub struct TimesAhead {
    times: [f64; AHEAD],
    /// Times computed (`times[..len]`) and times handed out (`times[..next]`).
    len: usize,
    next: usize,
    /// The profile piece of the latest time computed (see [`TimesAhead::refill`]).
    piece: usize,
}

impl Default for TimesAhead {
    fn default() -> TimesAhead {
        TimesAhead { times: [0.0; AHEAD], len: 0, next: 0, piece: 0 }
    }
}

impl TimesAhead {
    /// Forgets every time held, for a new month.
    #[inline]
    pub fn clear(&mut self) {
        *self = TimesAhead { times: self.times, ..TimesAhead::default() };
    }

    /// The next time computed ahead, if one is left.
    #[inline]
    pub fn pop(&mut self) -> Option<f64> {
        let t = self.times[..self.len].get(self.next).copied();
        self.next += usize::from(t.is_some());
        t
    }

    /// Computes the next `min(remaining, AHEAD)` times of `profile` from successive quantiles `quantile(r)`, where
    /// `r` counts the month's arrivals still to draw (`remaining` for the first); the quantiles must never decrease.
    ///
    /// Each time is [`MonthProfile::time_at`] of its quantile, with the same arithmetic; only the piece is found
    /// differently, by scanning forward from the previous time's piece instead of by a binary search. Quantiles
    /// never decrease and neither do the pieces' cumulative counts, so the scan stops at the piece the search
    /// finds, and the time is the same, bit for bit.
    #[inline]
    pub fn refill(&mut self, profile: &MonthProfile, remaining: u64, mut quantile: impl FnMut(u64) -> f64) {
        let pieces = profile.pieces.as_slice();
        let expected = profile.expected();
        let last = pieces.len() - 1;
        let mut i = self.piece;
        let n = remaining.min(AHEAD as u64) as usize;
        for (k, time) in self.times[..n].iter_mut().enumerate() {
            let target = quantile(remaining - k as u64) * expected;
            while i < last && pieces[i].cumulative <= target {
                i += 1;
            }
            let before = if i == 0 { 0.0 } else { pieces[i - 1].cumulative };
            let piece = pieces[i];
            *time = (piece.start + (target - before) / piece.rate).min(profile.last);
        }
        self.piece = i;
        self.len = n;
        self.next = 0;
    }
}

/// Random monthly counts around an expectation.
#[derive(Debug, Clone, Copy)]
pub enum MonthlyCount {
    Poisson,
    /// Gamma-mixed Poisson with size `k`: variance = mean + mean²/k.
    NegativeBinomial {
        k: f64,
    },
}

impl MonthlyCount {
    pub fn new(model: CountModel, dispersion: Option<f64>) -> MonthlyCount {
        match model {
            CountModel::Poisson => MonthlyCount::Poisson,
            CountModel::NegativeBinomial => MonthlyCount::NegativeBinomial { k: dispersion.unwrap_or(1.0) },
        }
    }

    /// One month's count with expectation `mean`.
    pub fn sample<R: Rng + ?Sized>(self, mean: f64, rng: &mut R) -> u64 {
        if mean.is_nan() || mean <= 0.0 {
            return 0;
        }
        let lambda = match self {
            MonthlyCount::Poisson => mean,
            MonthlyCount::NegativeBinomial { k } => match Gamma::new(k, mean / k) {
                Ok(g) => g.sample(rng),
                Err(_) => mean,
            },
        };
        if lambda.is_nan() || lambda <= 0.0 {
            return 0;
        }
        match Poisson::new(lambda) {
            Ok(p) => p.sample(rng) as u64,
            // Beyond rand_distr's limit (~1.8e17 a month) the normal approximation is exact to print precision.
            Err(_) => lambda.round() as u64,
        }
    }
}

/// Family sizes and their cumulative probabilities.
#[derive(Debug, Clone)]
pub struct FamilySizes {
    sizes: Vec<u32>,
    cumulative: Vec<f64>,
}

impl FamilySizes {
    /// From (size, probability) pairs that sum to one.
    pub fn new(pairs: impl IntoIterator<Item = (u32, f64)>) -> FamilySizes {
        let mut sizes = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0.0;
        for (size, p) in pairs {
            total += p;
            sizes.push(size);
            cumulative.push(total);
        }
        FamilySizes { sizes, cumulative }
    }

    /// The size at quantile `u` ∈ [0, 1).
    #[inline]
    pub fn size_at(&self, u: f64) -> u32 {
        let target = u * self.cumulative.last().copied().unwrap_or(1.0);
        let i = self.cumulative.partition_point(|&c| c <= target).min(self.sizes.len() - 1);
        self.sizes[i]
    }

    /// Mean family size.
    pub fn mean(&self) -> f64 {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let mut previous = 0.0;
        let mut mean = 0.0;
        for (size, c) in self.sizes.iter().zip(&self.cumulative) {
            mean += f64::from(*size) * (c - previous) / total;
            previous = *c;
        }
        mean
    }
}

/// People of one nationality and household type arriving at the border.
#[derive(Debug, Clone)]
pub struct ArrivalStream {
    /// Index into the model's country list.
    pub nationality: usize,
    pub household: Household,
    pub count: MonthlyCount,
    /// Family sizes, for family streams.
    pub family_sizes: Option<FamilySizes>,
    /// One profile per month of the horizon.
    pub months: Vec<MonthProfile>,
    /// Per month, the reason every case of the stream is ineligible in that month if no random draw is needed to
    /// know it; such months are settled in aggregate, without an event per case, with identical results.
    pub settled: Vec<Option<IneligibleReason>>,
    /// Share of the stream's arrivals who seek protection, over time (1 throughout without the field).
    pub protection_seeking: StepFunction,
}

impl ArrivalStream {
    /// Whether a case of this stream arriving at `t` seeks protection, from its own uniform.
    #[inline]
    pub fn seeks_protection(&self, draws: CaseDraws, t: f64) -> bool {
        draws.chance(Purpose::ProtectionSeeking, 0, self.protection_seeking.at(t))
    }
}

impl ArrivalStream {
    /// Builds the monthly profiles from a per-day arrival rate.
    pub fn profiles(rate_per_day: &StepFunction, calendar: &Calendar) -> Vec<MonthProfile> {
        (0..calendar.months())
            .map(|m| {
                let (begin, end) = calendar.month_span(m);
                MonthProfile::new(rate_per_day, begin, end)
            })
            .collect()
    }

    /// Number of people in a case of this stream: 1, or a family size drawn from the case's own uniform.
    #[inline]
    pub fn people(&self, draws: CaseDraws) -> u32 {
        self.family_sizes.as_ref().map_or(1, |f| f.size_at(draws.uniform(Purpose::FamilySize, 0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Date, Schedule, Step};
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    #[test]
    fn arrival_times_follow_a_mid_month_step() {
        // Rate 0 for 10 days, then 3/day for 20 days: every arrival falls in the second part, uniformly.
        let cal = Calendar::new(chrono::NaiveDate::from_ymd_opt(2019, 11, 1).unwrap(), 1);
        let opens = Schedule::Steps(vec![Step { from: Date::from_ymd(2019, 11, 11).unwrap(), value: 3.0 }]);
        let f = StepFunction::from_schedule(&opens, &cal);
        let profile = MonthProfile::new(&f, 0.0, 30.0);
        assert!((profile.expected() - 60.0).abs() < 1e-9);
        assert_eq!(profile.time_at(0.0), 10.0);
        assert!((profile.time_at(0.5) - 20.0).abs() < 1e-9);
        assert!(profile.time_at(0.999_999) < 30.0);
        // A quantile that rounds up to 1 still arrives within the month, before the next month starts.
        assert_eq!(profile.time_at(1.0), 30.0_f64.next_down());
        let mut ahead = TimesAhead::default();
        ahead.refill(&profile, 1, |_| 1.0);
        assert_eq!(ahead.pop(), Some(30.0_f64.next_down()));
    }

    #[test]
    fn times_computed_ahead_are_the_times_of_their_quantiles() {
        // Four pieces with different rates, one of them empty (rate 0), and more arrivals than one batch holds.
        let cal = Calendar::new(chrono::NaiveDate::from_ymd_opt(2019, 11, 1).unwrap(), 1);
        let day = |d| Date::from_ymd(2019, 11, d).unwrap();
        let steps = [(1, 2.0), (8, 0.0), (13, 7.5), (22, 0.25)];
        let f = StepFunction::from_schedule(
            &Schedule::Steps(steps.iter().map(|&(d, value)| Step { from: day(d), value }).collect()),
            &cal,
        );
        let profile = MonthProfile::new(&f, 0.0, 30.0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let count = 3 * AHEAD as u64 + 5;
        let mut quantiles = Vec::new();
        let mut q = 0.0;
        for remaining in (1..=count).rev() {
            let e: f64 = rand_distr::Exp1.sample(&mut rng);
            q += (1.0 - q) * -(-e / remaining as f64).exp_m1();
            quantiles.push(q);
        }
        let mut ahead = TimesAhead::default();
        let mut next = quantiles.iter();
        let mut times = Vec::new();
        for ordinal in 0..count {
            let t = match ahead.pop() {
                Some(t) => t,
                None => {
                    ahead.refill(&profile, count - ordinal, |_| *next.next().unwrap());
                    ahead.pop().unwrap()
                }
            };
            times.push(t);
        }
        assert_eq!(ahead.pop(), None);
        for (t, &q) in times.iter().zip(&quantiles) {
            assert_eq!(t.to_bits(), profile.time_at(q).to_bits());
        }
    }

    #[test]
    fn negative_binomial_counts_are_overdispersed_as_specified() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let (mean, k, n) = (100.0, 5.0, 20_000);
        let draws: Vec<f64> =
            (0..n).map(|_| MonthlyCount::NegativeBinomial { k }.sample(mean, &mut rng) as f64).collect();
        let m = draws.iter().sum::<f64>() / n as f64;
        let var = draws.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        assert!((m - mean).abs() < 1.0, "mean {m}");
        let expected_var = mean + mean * mean / k;
        assert!((var / expected_var - 1.0).abs() < 0.06, "variance {var}, expected {expected_var}");
        assert_eq!(MonthlyCount::Poisson.sample(0.0, &mut rng), 0);
    }

    #[test]
    fn family_sizes_follow_their_probabilities() {
        let f = FamilySizes::new([(2, 0.5), (3, 0.25), (5, 0.25)]);
        assert_eq!(f.size_at(0.0), 2);
        assert_eq!(f.size_at(0.49), 2);
        assert_eq!(f.size_at(0.5), 3);
        assert_eq!(f.size_at(0.99), 5);
        assert!((f.mean() - 3.0).abs() < 1e-12);
    }
}
