//! A month's arrivals drawn one at a time in time order: the border's arrival streams, and the receiving
//! countries' other claims.

use rand::RngExt as _;
use rand::rngs::ChaCha8Rng;
use rand_distr::Exp1;

/// Position in a month's sequence of arrivals: arrivals are drawn one at a time in time order, as successive
/// order statistics of the month's uniform arrival quantiles, so only one event per stream waits in the heap.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Chain {
    pub(super) count: u64,
    pub(super) quantile: f64,
    /// Identity shared by the month's cases of this stream (see [`crate::rng::arrivals_of_month`]).
    pub(super) identities: u64,
    /// Arrivals of the month screened so far (arrival streams; see [`super::Replication::next_arrival`]).
    pub(super) screened: u64,
}

impl Chain {
    /// Quantile of the next arrival: the minimum of the `remaining` uniforms above the current one, which is
    /// `1 − U^(1/remaining)` of the way to 1, i.e. `1 − exp(−E/remaining)` with E a standard exponential.
    #[inline]
    pub(super) fn advance(&mut self, remaining: u64, rng: &mut ChaCha8Rng) -> f64 {
        let e: f64 = rng.sample(Exp1);
        self.quantile += (1.0 - self.quantile) * -(-e / remaining as f64).exp_m1();
        self.quantile
    }
}
