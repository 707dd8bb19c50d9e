//! A deterministic, mergeable quantile sketch with a worst-case rank error bound, for runs too long to keep every
//! replication's values.
//!
//! The sketch is a stack of *compactors* (Manku–Rajagopalan–Lindsay; the deterministic form of KLL). Level *h*
//! holds values of weight 2ʰ. A value enters level 0; when a level holds [`K`] values it is *compacted*: sorted,
//! and every other value (alternately the even- and the odd-numbered ones, from one compaction of that level to
//! the next) moves up a level with twice the weight; the rest are dropped. No randomness is involved, so the same
//! values in the same order always give the same sketch, bit for bit.
//!
//! # Error bound
//!
//! A compaction at level *h* changes the weighted rank of any value by at most 2ʰ. Level *h* is compacted at most
//! ⌊n / (K·2ʰ)⌋ times for *n* values, so every rank is off by at most Σₕ ⌊n / (K·2ʰ)⌋·2ʰ ≤ L·n/K, with L the
//! number of levels compacted so far ([`Sketch::rank_error_bound`] computes it exactly). With K = 2,048:
//!
//! | values *n* | levels compacted | rank error bound |
//! |---|---|---|
//! | 10,000 | 3 | 0.12% |
//! | 100,000 | 6 | 0.27% |
//! | 1,000,000 | 9 | 0.40% |
//! | 2,000,000 | 10 | 0.45% |
//!
//! Up to [`MAX_VALUES`] = 2,000,000 values at most 10 levels are compacted, so the bound is at most
//! 10/2,048 < 0.49%: within 0.5% of the count. Runs beyond it are refused ([`super::resources`]). Merging two
//! sketches ([`Sketch::merge`]) adds their bounds.
//!
//! Memory: at most K values per level, (L + 1)·K in all: 16 kB per level, about 115 kB at 100,000 values.

/// Values per level before it is compacted (even).
pub const K: usize = 2048;

/// The most values up to which [`Sketch::rank_error_bound`] stays within 0.5% of the count (10 levels of K).
pub const MAX_VALUES: u64 = 2_000_000;

/// A deterministic compactor sketch of a stream of (non-NaN) values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sketch {
    /// Level h holds values of weight 2^h, unsorted until compacted.
    levels: Vec<Vec<f64>>,
    /// Per level, which half the next compaction keeps (0: even positions, 1: odd).
    parity: Vec<u8>,
    /// Values inserted (the total weight).
    count: u64,
}

impl Sketch {
    pub fn new() -> Sketch {
        Sketch::default()
    }

    /// Values inserted.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Values held (the memory used, in values).
    pub fn retained(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
    }

    /// Adds a value (not NaN).
    pub fn insert(&mut self, value: f64) {
        debug_assert!(!value.is_nan());
        if self.levels.is_empty() {
            self.levels.push(Vec::with_capacity(K));
            self.parity.push(0);
        }
        self.levels[0].push(value);
        self.count += 1;
        self.compact_from(0);
    }

    /// Compacts level `h` and those above while they are full.
    fn compact_from(&mut self, mut h: usize) {
        while h < self.levels.len() && self.levels[h].len() >= K {
            if h + 1 == self.levels.len() {
                self.levels.push(Vec::with_capacity(K));
                self.parity.push(0);
            }
            let mut level = std::mem::take(&mut self.levels[h]);
            level.sort_unstable_by(f64::total_cmp);
            // An odd value out stays at this level, so that the total weight is kept exactly.
            let leftover = if level.len() % 2 == 1 { level.pop() } else { None };
            let offset = usize::from(self.parity[h]);
            self.parity[h] ^= 1;
            self.levels[h + 1].extend(level.iter().skip(offset).step_by(2));
            level.clear();
            level.extend(leftover);
            self.levels[h] = level;
            h += 1;
        }
    }

    /// Adds every value of `other`, as if they had been inserted here (up to the bounds of both).
    pub fn merge(&mut self, other: &Sketch) {
        while self.levels.len() < other.levels.len() {
            self.levels.push(Vec::with_capacity(K));
            self.parity.push(0);
        }
        for (h, values) in other.levels.iter().enumerate() {
            self.levels[h].extend_from_slice(values);
        }
        self.count += other.count;
        for h in 0..self.levels.len() {
            self.compact_from(h);
        }
    }

    /// An upper bound on the error of any rank, as a share of the count: Σₕ ⌊n / (K·2ʰ)⌋·2ʰ / n for a sketch
    /// filled by insertion.
    pub fn rank_error_bound(count: u64) -> f64 {
        if count == 0 {
            return 0.0;
        }
        let mut errors = 0u64;
        let mut h = 0;
        while (K as u64) << h <= count {
            errors += (count / ((K as u64) << h)) << h;
            h += 1;
        }
        errors as f64 / count as f64
    }

    /// The values held with their weights, sorted by value.
    fn weighted(&self) -> Vec<(f64, u64)> {
        let mut items: Vec<(f64, u64)> = self
            .levels
            .iter()
            .enumerate()
            .flat_map(|(h, values)| values.iter().map(move |&v| (v, 1u64 << h)))
            .collect();
        items.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        items
    }

    /// Approximate quantiles of type 7 (as [`super::quantile`]) at each of `ps`: the interpolation between the
    /// values of (0-based) ranks ⌊(n − 1)p⌋ and the next, each rank read from the sketch, so that each value read
    /// has a true rank within [`Sketch::rank_error_bound`] · n of the rank asked for. NaN when empty.
    pub fn quantiles(&self, ps: &[f64]) -> Vec<f64> {
        if self.count == 0 {
            return vec![f64::NAN; ps.len()];
        }
        let items = self.weighted();
        // The value covering 0-based rank r: the first item whose cumulative weight exceeds r.
        let at = |r: u64| {
            let mut cumulative = 0;
            for &(v, w) in &items {
                cumulative += w;
                if cumulative > r {
                    return v;
                }
            }
            items[items.len() - 1].0
        };
        ps.iter()
            .map(|&p| {
                let h = (self.count - 1) as f64 * p;
                let lo = h.floor() as u64;
                let hi = (lo + 1).min(self.count - 1);
                let (a, b) = (at(lo), at(hi));
                a + (h - lo as f64) * (b - a)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic scramble of 0..n (a full-period linear congruential permutation).
    fn scrambled(n: u64) -> impl Iterator<Item = f64> {
        (0..n).map(move |i| ((i.wrapping_mul(2_654_435_761) + 12_345) % n) as f64)
    }

    /// The true 0-based rank of `v` among 0..n is v itself; checks each quantile's read ranks.
    fn check_ranks(sketch: &Sketch, n: u64) {
        let bound = Sketch::rank_error_bound(n) * n as f64;
        for p in [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0] {
            let target = (n - 1) as f64 * p;
            let got = sketch.quantiles(&[p])[0];
            assert!((got - target).abs() <= bound + 1.0, "n {n} p {p}: got {got}, target {target}, bound {bound}");
        }
    }

    #[test]
    fn exact_while_nothing_is_compacted() {
        let mut s = Sketch::new();
        let values = [10.0, 2.0, 1.0, 4.0, 3.0];
        values.iter().for_each(|&v| s.insert(v));
        // R: quantile(c(1, 2, 3, 4, 10), c(.05, .25, .5, .75, .95)) → 1.2 2.0 3.0 4.0 8.8
        let q = s.quantiles(&[0.05, 0.25, 0.5, 0.75, 0.95]);
        for (got, want) in q.iter().zip([1.2, 2.0, 3.0, 4.0, 8.8]) {
            assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        }
        assert_eq!(Sketch::rank_error_bound(5), 0.0);
        assert!(Sketch::new().quantiles(&[0.5])[0].is_nan());
    }

    #[test]
    fn ranks_stay_within_the_bound_and_memory_stays_small() {
        for n in [3_000u64, 50_000, 300_000] {
            let mut s = Sketch::new();
            scrambled(n).for_each(|v| s.insert(v));
            assert_eq!(s.count(), n);
            assert_eq!(s.weighted().iter().map(|x| x.1).sum::<u64>(), n, "weight is kept exactly");
            check_ranks(&s, n);
            assert!(s.retained() <= (s.levels.len() + 1) * K);
        }
        // Sorted input, the adversarial order for compactors, too.
        let mut s = Sketch::new();
        (0..200_000u64).for_each(|v| s.insert(v as f64));
        check_ranks(&s, 200_000);
    }

    #[test]
    fn the_documented_bounds_hold() {
        let table = [(10_000u64, 0.0012), (100_000, 0.0027), (1_000_000, 0.0040), (2_000_000, 0.0045)];
        for (n, bound) in table {
            let b = Sketch::rank_error_bound(n);
            assert!((b - bound).abs() < 0.00005, "n {n}: {b}");
        }
        for n in (1..=1000).map(|i| i * MAX_VALUES / 1000) {
            assert!(Sketch::rank_error_bound(n) <= 10.0 / K as f64, "n {n}");
        }
        assert!(10.0 / (K as f64) < 0.005);
        assert!(Sketch::rank_error_bound(4 * MAX_VALUES) > 0.005);
    }

    #[test]
    fn the_same_values_in_the_same_order_give_the_same_sketch_and_merging_keeps_the_bound() {
        let fill = |range: std::ops::Range<u64>| {
            let mut s = Sketch::new();
            scrambled(100_000)
                .skip(range.start as usize)
                .take((range.end - range.start) as usize)
                .for_each(|v| s.insert(v));
            s
        };
        assert_eq!(fill(0..100_000), fill(0..100_000));
        let mut merged = fill(0..40_000);
        merged.merge(&fill(40_000..100_000));
        assert_eq!(merged.count(), 100_000);
        assert_eq!(merged.weighted().iter().map(|x| x.1).sum::<u64>(), 100_000);
        let bound = (Sketch::rank_error_bound(40_000) * 40_000.0 + Sketch::rank_error_bound(60_000) * 60_000.0)
            + Sketch::rank_error_bound(100_000) * 100_000.0;
        for p in [0.05, 0.5, 0.95] {
            let got = merged.quantiles(&[p])[0];
            assert!((got - 99_999.0 * p).abs() <= bound + 1.0, "p {p}: {got}");
        }
    }
}
