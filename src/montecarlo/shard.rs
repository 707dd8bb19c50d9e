//! Shards: a run's replications split into contiguous ranges that separate processes (or machines) run on their
//! own, to be merged afterwards.
//!
//! Replication *i* depends only on (seed, *i*) ([`crate::rng`]), so shard *K* of *N* simply runs replications
//! ⌊K·R/N⌋ to ⌊(K+1)·R/N⌋ − 1 of a run of *R*; concatenated in order, the shards' values are exactly those of a
//! single run, and so are the summaries computed from them.

use std::fmt;
use std::ops::Range;

use crate::error::InvalidRequest;

/// Shard `index` (counted from 0) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `K/N` (K counted from 0, as Slurm array and Kubernetes completion indices are), e.g. `0/4` … `3/4`.
    pub fn parse(text: &str) -> Result<Shard, InvalidRequest> {
        let invalid = || {
            InvalidRequest(format!("--shard {text}: expected K/N with 0 ≤ K < N, e.g. 0/4 for the first of 4 shards"))
        };
        let (k, n) = text.split_once('/').ok_or_else(invalid)?;
        let index: u64 = k.trim().parse().map_err(|_| invalid())?;
        let count: u64 = n.trim().parse().map_err(|_| invalid())?;
        if count == 0 {
            return Err(invalid());
        }
        if index >= count {
            return Err(InvalidRequest(format!(
                "--shard {text}: shards are counted from 0, so the last of {count} is {}/{count}",
                count - 1
            )));
        }
        Ok(Shard { index, count })
    }

    /// The replications this shard runs out of `replications`: contiguous, and together the shards of one count
    /// cover `0..replications` exactly once.
    pub fn range(&self, replications: u64) -> Range<u64> {
        let bound = |k: u64| (u128::from(k) * u128::from(replications) / u128::from(self.count)) as u64;
        bound(self.index)..bound(self.index + 1)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_tile_the_replications() {
        for replications in [1u64, 7, 10, 1000, 1001] {
            for count in 1..=7u64.min(replications) {
                let mut next = 0;
                for index in 0..count {
                    let range = Shard { index, count }.range(replications);
                    assert_eq!(range.start, next);
                    assert!(!range.is_empty(), "{index}/{count} of {replications}");
                    next = range.end;
                }
                assert_eq!(next, replications);
            }
        }
        assert_eq!(Shard { index: 1, count: 3 }.range(10), 3..6);
    }

    #[test]
    fn parses_k_of_n_and_explains_mistakes() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert!(Shard::parse("4/4").unwrap_err().0.contains("3/4"));
        assert!(Shard::parse("0/0").is_err());
        assert!(Shard::parse("1").is_err());
        assert!(Shard::parse("a/2").is_err());
        assert_eq!(Shard { index: 0, count: 3 }.to_string(), "0/3");
    }
}
