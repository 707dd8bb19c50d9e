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
        MonthProfile { pieces }
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
        piece.start + (target - before) / piece.rate
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
