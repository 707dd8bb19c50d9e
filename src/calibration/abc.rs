//! ABC-SMC with adaptive tolerances (Toni et al. 2009; tolerances as a quantile of the previous population's
//! distances, as in Del Moral, Doucet & Jasra 2012 and pyABC's `QuantileEpsilon`).
//!
//! - Generation 0 draws `particles` parameter sets from the prior and accepts them all (tolerance ∞).
//! - Generation g > 0 sets its tolerance εg to the weighted `quantile` of generation g−1's distances, then
//!   proposes candidates from the previous population through the [`Kernel`] until `particles` are accepted. A
//!   candidate is simulated `replications` times; its likelihood estimate is the share of those whose distance is
//!   at most εg (with one replication, plain accept/reject). Its weight is that share × prior density / kernel
//!   mixture density, normalised over the population.
//! - It stops before a generation when the tolerance would fall by less than `min_tolerance_change` of the last
//!   one, when `generations` populations exist, when the tolerance reached 0, or when the next generation could
//!   overrun the `budget` of simulated parameter sets (an unfinished generation is discarded, never reported).
//!
//! Determinism at any thread count: candidate `i` of generation `g` takes every random number (which particle it
//! perturbs, the normal draws, the simulation's seed) from a key of (seed, g, i) alone. Candidates are simulated
//! in parallel in blocks of `particles`, and accepted in index order, so the thread count changes only how fast a
//! block is done.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use rayon::prelude::*;

use super::kernel::Kernel;
use super::prior::TruncatedPrior;
use crate::rng::chain;

/// How an ABC-SMC run is sized and stopped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub particles: usize,
    pub generations: usize,
    pub budget: u64,
    pub quantile: f64,
    pub min_tolerance_change: f64,
    pub replications: u64,
}

/// One accepted parameter set.
#[derive(Debug, Clone, PartialEq)]
pub struct Particle {
    pub values: Vec<f64>,
    /// Normalised over the population.
    pub weight: f64,
    /// The distance of each of its replications.
    pub distances: Vec<f64>,
}

impl Particle {
    /// The mean of its replications' distances (the distance itself with one replication).
    pub fn distance(&self) -> f64 {
        self.distances.iter().sum::<f64>() / self.distances.len() as f64
    }
}

/// One population of the sequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// Its tolerance: ∞ for the prior sample.
    pub tolerance: f64,
    pub particles: Vec<Particle>,
    /// Parameter sets simulated to fill it (accepted or not).
    pub simulated: u64,
}

impl Population {
    /// Kish's effective sample size, (Σw)² / Σw².
    pub fn ess(&self) -> f64 {
        let (sum, squares) =
            self.particles.iter().fold((0.0, 0.0), |(s, q), p| (s + p.weight, q + p.weight * p.weight));
        sum * sum / squares
    }

    /// Share of the simulated parameter sets that were accepted.
    pub fn acceptance(&self) -> f64 {
        self.particles.len() as f64 / self.simulated as f64
    }
}

/// Why the sequence ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The next tolerance would have fallen by less than `min_tolerance_change`.
    ToleranceSettled,
    /// `generations` populations were made.
    Generations,
    /// The next generation could have overrun the simulation budget.
    Budget,
    /// Every particle matched the record within tolerance 0.
    ExactMatch,
}

impl Stop {
    pub fn describe(self) -> &'static str {
        match self {
            Stop::ToleranceSettled => "the tolerance stopped falling",
            Stop::Generations => "the most generations were run",
            Stop::Budget => "the simulation budget was reached",
            Stop::ExactMatch => "the tolerance reached 0",
        }
    }
}

/// The whole sequence; the last population is the posterior sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    pub populations: Vec<Population>,
    pub stop: Stop,
}

impl Sequence {
    pub fn posterior(&self) -> &Population {
        self.populations.last().expect("generation 0 always exists")
    }

    /// Parameter sets simulated over all generations.
    pub fn simulated(&self) -> u64 {
        self.populations.iter().map(|p| p.simulated).sum()
    }
}

/// What simulates a parameter set: `simulate(values, key)` is the distance of each replication of `values`
/// simulated with seed `key`.
pub type Simulate<'a, E> = dyn Fn(&[f64], u64) -> Result<Vec<f64>, E> + Sync + 'a;

/// A candidate simulated: its values, its replications' distances, and prior density / proposal density.
type Simulated = (Vec<f64>, Vec<f64>, f64);

/// Key tags, so that the sampler's streams never meet a replication's.
const PROPOSAL: u64 = 0xabc5_3c00_0000_0001;
const SIMULATION: u64 = 0xabc5_3c00_0000_0002;

/// Runs ABC-SMC. `simulate(values, key)` returns one distance per replication of the parameter set `values`
/// simulated with seed `key`; `progress(n)` is told of every `n` simulated parameter sets. `pool` runs the
/// simulations of a block in parallel.
pub fn run<E: Send>(
    priors: &[TruncatedPrior],
    schedule: Schedule,
    seed: u64,
    pool: &rayon::ThreadPool,
    simulate: &Simulate<'_, E>,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Sequence, E> {
    let n = schedule.particles;
    let d = priors.len();
    let key = |generation: usize, index: u64| chain(chain(chain(seed, PROPOSAL), generation as u64), index);
    // Generation 0: the prior sample.
    let prior_draw = |index: u64| -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(key(0, index));
        priors.iter().map(|p| p.draw(rng.random::<f64>())).collect()
    };
    let mut populations = vec![fill(n, 0, f64::INFINITY, pool, &prior_draw, &|_| 1.0, simulate, &key, progress)?];
    let floor: Vec<f64> = priors.iter().map(|p| 1e-6 * (p.high - p.low)).collect();
    let stop = loop {
        let previous = populations.last().expect("one population");
        if populations.len() >= schedule.generations {
            break Stop::Generations;
        }
        let tolerance = weighted_quantile(
            previous
                .particles
                .iter()
                .flat_map(|p| p.distances.iter().map(|&d| (d, p.weight / p.distances.len() as f64))),
            schedule.quantile,
        );
        if previous.tolerance.is_finite() && tolerance > previous.tolerance * (1.0 - schedule.min_tolerance_change) {
            break Stop::ToleranceSettled;
        }
        if previous.tolerance == 0.0 {
            break Stop::ExactMatch;
        }
        // The next generation needs at least `n` simulations and, at the last acceptance rate, n / rate.
        let spent: u64 = populations.iter().map(|p| p.simulated).sum();
        let expected = (n as f64 / previous.acceptance()).ceil() as u64;
        if spent + expected.max(n as u64) > schedule.budget {
            break Stop::Budget;
        }
        let centres: Vec<Vec<f64>> = previous.particles.iter().map(|p| p.values.clone()).collect();
        let weights: Vec<f64> = previous.particles.iter().map(|p| p.weight).collect();
        let kernel = Kernel::new(&centres, &weights, &floor);
        let generation = populations.len();
        let propose = |index: u64| -> Vec<f64> {
            let mut rng = ChaCha8Rng::seed_from_u64(key(generation, index));
            let u = rng.random::<f64>();
            let z: Vec<f64> = (0..d).map(|_| rng.sample::<f64, _>(StandardNormal)).collect();
            kernel.propose(u, &z)
        };
        let prior_over_proposal = |values: &[f64]| -> f64 {
            let ln_prior: f64 = priors.iter().zip(values).map(|(p, &x)| p.ln_density(x)).sum();
            ln_prior.exp() / kernel.density(values)
        };
        let remaining = schedule.budget - spent;
        match fill_within(
            n,
            generation,
            tolerance,
            pool,
            &propose,
            &prior_over_proposal,
            simulate,
            &key,
            progress,
            remaining,
        )? {
            Some(population) => populations.push(population),
            None => break Stop::Budget,
        }
    };
    Ok(Sequence { populations, stop })
}

/// A population of generation 0: every candidate is accepted.
#[allow(clippy::too_many_arguments)]
fn fill<E: Send>(
    n: usize,
    generation: usize,
    tolerance: f64,
    pool: &rayon::ThreadPool,
    propose: &(dyn Fn(u64) -> Vec<f64> + Sync),
    prior_over_proposal: &(dyn Fn(&[f64]) -> f64 + Sync),
    simulate: &Simulate<'_, E>,
    key: &(dyn Fn(usize, u64) -> u64 + Sync),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Population, E> {
    Ok(fill_within(n, generation, tolerance, pool, propose, prior_over_proposal, simulate, key, progress, u64::MAX)?
        .expect("an unlimited budget"))
}

/// Proposes, simulates and accepts candidates in index order until `n` are accepted; `None` if that would take
/// more than `budget` simulations. A proposal outside the prior's support is rejected without a simulation.
#[allow(clippy::too_many_arguments)]
fn fill_within<E: Send>(
    n: usize,
    generation: usize,
    tolerance: f64,
    pool: &rayon::ThreadPool,
    propose: &(dyn Fn(u64) -> Vec<f64> + Sync),
    prior_over_proposal: &(dyn Fn(&[f64]) -> f64 + Sync),
    simulate: &Simulate<'_, E>,
    key: &(dyn Fn(usize, u64) -> u64 + Sync),
    progress: &(dyn Fn(u64) + Sync),
    budget: u64,
) -> Result<Option<Population>, E> {
    let mut particles: Vec<Particle> = Vec::with_capacity(n);
    let (mut next, mut simulated): (u64, u64) = (0, 0);
    while particles.len() < n {
        let block = next..next + n as u64;
        let outcomes: Vec<Result<Option<Simulated>, E>> = pool.install(|| {
            block
                .clone()
                .into_par_iter()
                .map(|index| {
                    let values = propose(index);
                    let weight = prior_over_proposal(&values);
                    if !(weight > 0.0 && weight.is_finite()) {
                        return Ok(None); // outside the prior's support: rejected unsimulated
                    }
                    let distances = simulate(&values, chain(key(generation, index), SIMULATION))?;
                    progress(1);
                    Ok(Some((values, distances, weight)))
                })
                .collect()
        });
        for (offset, outcome) in outcomes.into_iter().enumerate() {
            next = block.start + offset as u64 + 1;
            let Some((values, distances, weight)) = outcome? else { continue };
            simulated += 1;
            if simulated > budget {
                return Ok(None);
            }
            let within = distances.iter().filter(|&&d| d <= tolerance).count();
            if within == 0 {
                continue;
            }
            let share = within as f64 / distances.len() as f64;
            particles.push(Particle { values, weight: share * weight, distances });
            if particles.len() == n {
                break;
            }
        }
    }
    let total: f64 = particles.iter().map(|p| p.weight).sum();
    for p in &mut particles {
        p.weight /= total;
    }
    Ok(Some(Population { tolerance, particles, simulated }))
}

/// The value below which the share `q` of the weight lies (the lower of two values straddling it).
pub fn weighted_quantile(values: impl Iterator<Item = (f64, f64)>, q: f64) -> f64 {
    let mut pairs: Vec<(f64, f64)> = values.collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    let mut sum = 0.0;
    for &(v, w) in &pairs {
        sum += w;
        if sum >= q * total {
            return v;
        }
    }
    pairs.last().map_or(f64::NAN, |p| p.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Prior;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap()
    }

    fn schedule() -> Schedule {
        Schedule {
            particles: 300,
            generations: 8,
            budget: 20_000,
            quantile: 0.5,
            min_tolerance_change: 0.02,
            replications: 1,
        }
    }

    /// A normal mean with known posterior: y ~ N(θ, 1), observed ȳ of 10 draws = 1, prior U(−5, 5); the distance
    /// |ȳ_sim − 1|. The posterior is ≈ N(1, 1/10).
    fn normal_mean(values: &[f64], key: u64) -> Result<Vec<f64>, ()> {
        let mut rng = ChaCha8Rng::seed_from_u64(key);
        let mean = (0..10).map(|_| values[0] + rng.sample::<f64, _>(StandardNormal)).sum::<f64>() / 10.0;
        Ok(vec![(mean - 1.0).abs()])
    }

    #[test]
    fn the_posterior_of_a_normal_mean_is_recovered_and_tolerances_fall() {
        let priors = [TruncatedPrior { prior: Prior::Uniform, low: -5.0, high: 5.0 }];
        let s = run(&priors, schedule(), 4, &pool(2), &normal_mean, &|_| {}).unwrap();
        let post = s.posterior();
        let mean: f64 = post.particles.iter().map(|p| p.weight * p.values[0]).sum();
        let var: f64 = post.particles.iter().map(|p| p.weight * (p.values[0] - mean).powi(2)).sum();
        assert!((mean - 1.0).abs() < 0.08, "posterior mean {mean}");
        assert!((var.sqrt() - 0.316).abs() < 0.08, "posterior sd {} (exact 0.316)", var.sqrt());
        let tolerances: Vec<f64> = s.populations.iter().map(|p| p.tolerance).collect();
        assert!(tolerances.windows(2).all(|w| w[1] < w[0]), "{tolerances:?}");
        assert!(s.populations.len() >= 3);
        assert!(post.ess() > 50.0 && post.ess() <= 300.0 + 1e-9);
        assert!(s.simulated() <= 20_000);
    }

    #[test]
    fn the_sequence_is_the_same_at_any_thread_count_and_stops_within_budget() {
        let priors = [TruncatedPrior { prior: Prior::Normal { mean: 0.0, sd: 2.0 }, low: -5.0, high: 5.0 }];
        let small = Schedule { particles: 50, budget: 400, ..schedule() };
        let one = run(&priors, small, 9, &pool(1), &normal_mean, &|_| {}).unwrap();
        let two = run(&priors, small, 9, &pool(2), &normal_mean, &|_| {}).unwrap();
        assert_eq!(one, two);
        assert_eq!(one.stop, Stop::Budget);
        assert!(one.simulated() <= 400);
        assert_ne!(one, run(&priors, small, 10, &pool(2), &normal_mean, &|_| {}).unwrap());
    }

    #[test]
    fn weighted_quantiles_follow_the_weights() {
        let q = |q| weighted_quantile([(1.0, 1.0), (2.0, 1.0), (3.0, 2.0)].into_iter(), q);
        assert_eq!((q(0.25), q(0.5), q(0.51), q(1.0)), (1.0, 2.0, 3.0, 3.0));
    }
}
