//! Seeding: every random number is a function of (seed, replication, what it is for).
//!
//! Two kinds of randomness, both portable across platforms and releases:
//!
//! - **Process streams** ([`process_stream`]): a [`ChaCha8Rng`] keyed by (seed, replication), with one ChaCha
//!   stream per process (arrival counts and times, other claims, session dates), per instance (arrival stream, receiving system)
//!   and per month ([`monthly_stream`]). Changing a capacity or a probability never changes who arrives or when,
//!   and how one month is simulated cannot shift the draws of another.
//! - **Case draws** ([`CaseDraws`]): each case has a 64-bit identity derived from where it came from (stream,
//!   month, ordinal). Every behavioural draw — family size, transit, screening, filing, patience, service time,
//!   grant — is a function of (replication, case identity, purpose) alone. Two policies run on the same
//!   replication therefore give the same person the same draws even when one policy sends them down a branch the
//!   other does not: common random numbers case by case, with no shared state between threads.
//!
//! Case draws use SplitMix64 outputs as uniforms and seed a [`Xoshiro256PlusPlus`] for distributions that need
//! several uniforms. A ChaCha generator per case would also work but costs a 256-byte block per case; SplitMix64
//! passes BigCrush and costs a few nanoseconds. Replication *i* depends only on (seed, *i*), so results are
//! identical at any thread count.

use std::convert::Infallible;

use rand::rngs::{ChaCha8Rng, Xoshiro256PlusPlus};
use rand::{Rng, SeedableRng, TryRng};

/// Name of the generators, recorded in every manifest.
pub const GENERATOR: &str = "ChaCha8Rng (rand 0.10) per process stream; SplitMix64 + Xoshiro256PlusPlus per case draw";

/// Independent random processes of a replication, each with its own ChaCha stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum ProcessStream {
    /// Monthly arrival counts and arrival times at the sending country's border.
    Arrivals = 1,
    /// Monthly counts and times of claims by people not transferred (receiving countries' usual applicants).
    OtherClaims = 2,
    /// Random gaps between sessions of a receiving country's deciding body.
    Sessions = 3,
}

/// What a case draw is for; each purpose is an independent uniform for the same case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    FamilySize = 1,
    Coverage = 2,
    Transit = 3,
    Screening = 4,
    Filing = 5,
    FilingDelay = 6,
    Patience = 7,
    Service = 8,
    Grant = 9,
    /// Which agreement takes a case eligible under several (`routing.rule = "shares"`).
    Routing = 10,
    /// Where a transferee goes after leaving the receiving country's asylum process.
    Onward = 11,
    /// How long the way back to the sending country's border takes.
    ComeBack = 12,
    /// Whether a would-be arrival stays away (deterrence).
    Deterrence = 13,
    /// Whether a deterred case comes by another route.
    Diversion = 14,
    /// Whether a transferee has an international-protection concern.
    ProtectionConcern = 15,
    /// Whether a transferee who did not file within the window files later.
    LateFiling = 16,
    /// How long after the window's close a late claim is filed.
    LateFilingDelay = 17,
    // The border stage's draws are numbered apart from the others (40 on) so that branches adding purposes at
    // the same time cannot give two the same number.
    /// Whether an arrival seeks protection.
    ProtectionSeeking = 40,
    /// Whether a competing route (indexed by its place in the file) takes a protection seeker.
    CompetingRoute = 41,
}

const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The SplitMix64 output function (Steele, Lea & Flood 2014): a bijective 64-bit mixer.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Combines a key with one more value into a new, well-mixed key.
#[inline]
pub fn chain(key: u64, value: u64) -> u64 {
    mix64(key ^ mix64(value.wrapping_add(GOLDEN_GAMMA)))
}

/// The key of replication `replication` of a run with seed `seed`.
#[inline]
pub fn replication_key(seed: u64, replication: u64) -> u64 {
    chain(chain(DOMAIN, seed), replication)
}

/// A domain tag so that keys here never coincide with a plain SplitMix64 sequence of the seed.
const DOMAIN: u64 = 0x5afe_0003_7d1d_0001;

/// The ChaCha8 stream of one process in one replication; `index` separates instances of the process (one arrival
/// stream from another), so that each draws independently of how events of the others interleave.
pub fn process_stream(seed: u64, replication: u64, process: ProcessStream, index: u32) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&replication.to_le_bytes());
    key[16..24].copy_from_slice(b"safe3rd\0");
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(((process as u64) << 32) | u64::from(index));
    rng
}

/// The draws of one case, identified by a key unique within its replication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseDraws {
    key: u64,
}

impl CaseDraws {
    /// Draws for the case whose identity (within the replication keyed `replication_key`) is `identity`.
    #[inline]
    pub fn new(replication_key: u64, identity: u64) -> CaseDraws {
        CaseDraws { key: chain(replication_key, identity) }
    }

    /// The case's key, for carrying it through events.
    #[inline]
    pub fn key(self) -> u64 {
        self.key
    }

    /// Rebuilds draws from a key returned by [`CaseDraws::key`].
    #[inline]
    pub fn from_key(key: u64) -> CaseDraws {
        CaseDraws { key }
    }

    /// A uniform in [0, 1) for `purpose`, further split by `index` (e.g. the agreement it concerns).
    #[inline]
    pub fn uniform(self, purpose: Purpose, index: u64) -> f64 {
        let bits = mix64(self.key.wrapping_add((purpose as u64 * 64 + index + 1).wrapping_mul(GOLDEN_GAMMA)));
        (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Whether an event of probability `p` happens to this case: `uniform(purpose, index) < p`. Certain and
    /// impossible events need no draw (a uniform in [0, 1) is always below 1 and never below 0), which gives the
    /// same answer faster.
    ///
    /// Always inlined: a plain `#[inline]` left it an out-of-line call in `Agreement::check`, its busiest caller,
    /// where inlining also folds the constant purpose into the key arithmetic.
    #[inline(always)]
    pub fn chance(self, purpose: Purpose, index: u64, p: f64) -> bool {
        if p >= 1.0 {
            true
        } else if p <= 0.0 {
            false
        } else {
            self.uniform(purpose, index) < p
        }
    }

    /// A generator for distributions that need several uniforms (gamma, log-normal…): the stream of
    /// `Xoshiro256PlusPlus::seed_from_u64(chain(key, purpose * 64 + index + 1))`, computed lazily (see
    /// [`CaseRng`]).
    #[inline]
    pub fn generator(self, purpose: Purpose, index: u64) -> CaseRng {
        CaseRng::seed_from_u64(chain(self.key, purpose as u64 * 64 + index + 1))
    }
}

/// The stream of rand's [`Xoshiro256PlusPlus::seed_from_u64`], output for output, computing only what each
/// output needs.
///
/// A case's generator usually serves one draw that reads one `u64` (an exponential duration takes a second only
/// in the ziggurat's rare rejection branch), and then is dropped. Seeding the full generator costs four SplitMix64
/// outputs and a state update that nobody uses; yet xoshiro256++'s first output is `rotl(s0 + s3, 23) + s0`, which
/// depends on two of the four seed words only. So the first output is computed from those two words, and the full
/// generator is built (seeded the same way, its first output skipped) only if a second output is asked for.
/// `case_rng_matches_xoshiro256plusplus` checks the streams are identical.
#[derive(Debug, Clone)]
pub enum CaseRng {
    /// Seeded with this `seed_from_u64` seed; nothing drawn yet.
    Fresh(u64),
    /// Seeded with this seed; exactly one `u64` drawn.
    FirstDrawn(u64),
    /// The full generator, for every output after the first.
    Full(Xoshiro256PlusPlus),
}

impl CaseRng {
    /// The generator whose stream equals that of `Xoshiro256PlusPlus::seed_from_u64(seed)`.
    #[inline]
    pub fn seed_from_u64(seed: u64) -> CaseRng {
        CaseRng::Fresh(seed)
    }

    /// The first output of `Xoshiro256PlusPlus::seed_from_u64(seed)`. Rand 0.10 seeds the state words `s[i]` with
    /// the SplitMix64 outputs `mix64(seed + (i + 1) * GOLDEN_GAMMA)`, i = 0..4, and xoshiro256++ outputs
    /// `rotl(s[0] + s[3], 23) + s[0]` before updating the state.
    #[inline]
    fn first_output(seed: u64) -> u64 {
        let s0 = mix64(seed.wrapping_add(GOLDEN_GAMMA));
        let s3 = mix64(seed.wrapping_add(GOLDEN_GAMMA.wrapping_mul(4)));
        s0.wrapping_add(s3).rotate_left(23).wrapping_add(s0)
    }

    /// Any output after the first, from the full generator.
    #[inline(never)]
    fn next_after_first(&mut self) -> u64 {
        self.full().next_u64()
    }

    /// The full generator in the state the outputs drawn so far left it in.
    #[inline]
    fn full(&mut self) -> &mut Xoshiro256PlusPlus {
        match *self {
            CaseRng::Fresh(seed) => *self = CaseRng::Full(Xoshiro256PlusPlus::seed_from_u64(seed)),
            CaseRng::FirstDrawn(seed) => {
                let mut full = Xoshiro256PlusPlus::seed_from_u64(seed);
                full.next_u64();
                *self = CaseRng::Full(full);
            }
            CaseRng::Full(_) => {}
        }
        match self {
            CaseRng::Full(full) => full,
            _ => unreachable!("made full above"),
        }
    }
}

impl TryRng for CaseRng {
    type Error = Infallible;

    /// The upper half of the next `u64`, as [`Xoshiro256PlusPlus`] does.
    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        self.try_next_u64().map(|x| (x >> 32) as u32)
    }

    /// The first output inline, the others out of line: kept small, so that it inlines into the draw that uses it
    /// and the generator can stay in registers.
    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        match *self {
            CaseRng::Fresh(seed) => {
                *self = CaseRng::FirstDrawn(seed);
                Ok(CaseRng::first_output(seed))
            }
            _ => Ok(self.next_after_first()),
        }
    }

    #[inline]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.full().fill_bytes(dst);
        Ok(())
    }
}

/// Index of the ChaCha stream of one (stream or system, month) pair: each month draws from its own stream, so
/// that how one month is simulated (case by case or in aggregate) cannot shift the draws of another.
#[inline]
pub fn monthly_stream(index: usize, month: usize) -> u32 {
    debug_assert!(month < 1 << 16 && index < 1 << 16);
    ((index as u32) << 16) | month as u32
}

/// The part of an arrival's identity shared by every arrival of stream `stream` in month `month`; computed once
/// per month, then [`chain`]ed with each arrival's ordinal.
#[inline]
pub fn arrivals_of_month(stream: u64, month: u64) -> u64 {
    chain(chain(1, stream), month)
}

/// Identity of an arrival: the `ordinal`-th arrival of stream `stream` in month `month`.
#[inline]
pub fn arrival_identity(stream: u64, month: u64, ordinal: u64) -> u64 {
    chain(arrivals_of_month(stream, month), ordinal)
}

/// The part of an other claim's identity shared by the month's other (non-transferred) claims of receiving system
/// `system`; the `ordinal`-th claim's identity is `chain(other_claims_of_month(system, month), ordinal)`.
#[inline]
pub fn other_claims_of_month(system: u64, month: u64) -> u64 {
    chain(chain(2, system), month)
}

/// Identity of the `ordinal`-th claim of the initial backlog of receiving system `system`.
#[inline]
pub fn initial_claim_identity(system: u64, ordinal: u64) -> u64 {
    chain(chain(3, system), ordinal)
}

/// Key of a transferee's case when it reaches the sending country's border again: a new case, with draws of its
/// own, that still depends only on the original case (so policies stay paired through re-migration).
#[inline]
pub fn re_arrival_key(key: u64) -> u64 {
    chain(key, 4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn case_uniforms_are_in_range_and_roughly_uniform() {
        let key = replication_key(42, 0);
        let n = 100_000;
        let mut sum = 0.0;
        let mut below_tenth = 0;
        for i in 0..n {
            let u = CaseDraws::new(key, i).uniform(Purpose::Filing, 0);
            assert!((0.0..1.0).contains(&u));
            sum += u;
            below_tenth += u64::from(u < 0.1);
        }
        let mean = sum / n as f64;
        // Standard error of the mean of U(0,1) over 1e5 draws is 0.0009; of the 10% share, 0.00095.
        assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
        assert!((below_tenth as f64 / n as f64 - 0.1).abs() < 0.005);
    }

    #[test]
    fn chance_agrees_with_the_uniform_it_stands_for() {
        for i in 0..1000 {
            let d = CaseDraws::new(replication_key(3, 4), i);
            for p in [0.0, 0.25, 0.5, 1.0] {
                assert_eq!(d.chance(Purpose::Grant, 2, p), d.uniform(Purpose::Grant, 2) < p);
            }
        }
    }

    #[test]
    fn purposes_and_indices_give_different_draws() {
        let d = CaseDraws::new(replication_key(1, 2), 3);
        assert_ne!(d.uniform(Purpose::Filing, 0), d.uniform(Purpose::Grant, 0));
        assert_ne!(d.uniform(Purpose::Transit, 0), d.uniform(Purpose::Transit, 1));
        assert_eq!(d.uniform(Purpose::Transit, 1), CaseDraws::from_key(d.key()).uniform(Purpose::Transit, 1));
    }

    /// [`CaseRng`] must give exactly the stream of the generator it stands for, whatever mix of `u64`s, `u32`s and
    /// bytes is drawn, and however many.
    #[test]
    fn case_rng_matches_xoshiro256plusplus() {
        let seeds = (0..20_000u64).map(mix64).chain([0, 1, u64::MAX, GOLDEN_GAMMA.wrapping_neg()]);
        for (n, seed) in seeds.enumerate() {
            let (mut fast, mut real) = (CaseRng::seed_from_u64(seed), Xoshiro256PlusPlus::seed_from_u64(seed));
            // Vary which kind of read comes first and second, since those take different paths.
            for step in 0..8 {
                match (n + step) % 5 {
                    0..=2 => assert_eq!(fast.next_u64(), real.next_u64(), "seed {seed:#x}, step {step}"),
                    3 => assert_eq!(fast.next_u32(), real.next_u32(), "seed {seed:#x}, step {step}"),
                    _ => {
                        let (mut a, mut b) = ([0u8; 13], [0u8; 13]);
                        fast.fill_bytes(&mut a);
                        real.fill_bytes(&mut b);
                        assert_eq!(a, b, "seed {seed:#x}, step {step}");
                    }
                }
            }
        }
    }

    #[test]
    fn process_streams_depend_on_seed_replication_and_process() {
        let first = |s, r, p| process_stream(s, r, p, 0).next_u64();
        let base = first(1, 0, ProcessStream::Arrivals);
        assert_eq!(base, first(1, 0, ProcessStream::Arrivals));
        assert_ne!(base, first(2, 0, ProcessStream::Arrivals));
        assert_ne!(base, first(1, 1, ProcessStream::Arrivals));
        assert_ne!(base, first(1, 0, ProcessStream::OtherClaims));
        assert_ne!(base, process_stream(1, 0, ProcessStream::Arrivals, 1).next_u64());
    }
}
