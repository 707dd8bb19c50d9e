//! # safe-third
//!
//! A discrete-event simulator of safe-third-country transfer agreements: a sending country transfers asylum
//! seekers who reach its border to a receiving country under an agreement rolled out in phases. Month by month it
//! answers how many are transferred, how many file a claim in the receiving country, how that country's backlog
//! grows, how many give up, and how many stay in the sending country's own process — with Monte Carlo bands.
//!
//! ## The flow of one case
//!
//! A *case* is a household: a single adult, a family unit (size ≥ 2, drawn from a distribution) or an
//! unaccompanied child. Transfer seats count people; asylum systems count cases.
//!
//! 1. **Arrival** at the sending country's border, from monthly expected counts per nationality and household type
//!    (Poisson or negative-binomial counts, times spread over the month). Deterrence, an explicit assumption, can
//!    keep would-be arrivals away with the recent share of their nationality transferred.
//! 2. **Eligibility** under every agreement: nationality (never the receiving country's own), not an exempt
//!    household, transfers not suspended, household type open in the rollout phase in force, processed where the
//!    agreement operates (coverage), transited the receiving country, not exempted by the fear screening.
//!    Ineligible cases join the sending country's process, counted by the first reason that failed; a case eligible
//!    under several agreements is routed to one (file order, shares, or the shortest queue).
//! 3. **Waiting for a seat**: monthly seat budgets (people; unused seats lapse at month end) spent by a daily
//!    transfer operation or by scheduled flights, in the agreement's queue discipline. A case not seated within the
//!    holding limit, or finding the holding capacity full, is released into the sending country's process.
//! 4. **Transfer**, then a filing window (e.g. 72 hours): the case files a claim, or leaves.
//! 5. **Claim** in the receiving country's asylum system: adjudicators over time (capacity building adds trained
//!    hires), a service-time distribution, abandonment while waiting, decisions issued at once or at the deciding
//!    body's sessions, halts; grant or denial. The country's other applicants and its initial backlog share the
//!    same queue.
//! 6. **After the receiving country**: those who did not file, abandoned or were denied go home, move on, remain,
//!    or come back to the sending country's border and arrive again.
//!
//! The sending country's courts (with and without the agreements, with the transit bar) and the costs are accounts
//! kept from each month's flows after the event run.
//!
//! ## Layers
//!
//! Data flows one way: [`scenario`] (the file format and its validation) → [`model`] (the domain, built from a
//! scenario) → [`engine`] (clock and event queue, domain-free) → [`montecarlo`] (parallel replications and their
//! summary) → [`output`] (tables, charts, report, manifest) → [`run`] (what a command does: a run, a sweep, a shard,
//! a merge, and the run directory they write). [`calibration`] fits scenario parameters to observed series on top
//! of the Monte Carlo layer. [`error`] says whose fault each error is. `docs/ARCHITECTURE.md` maps the folders.
//!
//! ## Running a scenario
//!
//! [`run::run`] is what `safe-third run` does, without files: a scenario (from a file, a TOML string or an
//! in-memory [`scenario::Scenario`]) with its policies, `--set` overrides, replications, seed, threads and an
//! optional precision goal, in; every policy's summary, key figures and paired differences from the reference,
//! out. [`run::RunDirectory`] writes the same directory as the command line, byte for byte, and
//! [`run::summary_text`] is what it prints. A cancellation check, asked before each replication, stops a long run.
//!
//! ```
//! use std::sync::atomic::{AtomicBool, Ordering};
//!
//! use safe_third::run::{self, LoadedScenario, RunDirectory, RunOptions, Sinks};
//!
//! let scenario = LoadedScenario::from_toml(safe_third::scenario::DEFAULT_SCENARIO, "<string>")?;
//! let options = RunOptions {
//!     settings: vec!["asylum.guatemala.adjudicators=8".to_string()],
//!     ..RunOptions::new(4, 1) // 4 replications from seed 1
//! };
//! let stop = AtomicBool::new(false); // set from a Ctrl-C handler
//! let cancelled = || stop.load(Ordering::Relaxed);
//! let sinks = Sinks { cancelled: Some(&cancelled), ..Sinks::default() };
//! let outcome = run::run(&scenario, options, sinks)?;
//!
//! let reference = outcome.reference();
//! let transferred = reference.key_figures.iter().find(|f| f.label == "transferred (people)").unwrap();
//! assert!(transferred.summary.p50 > 0.0);
//!
//! let dir = std::env::temp_dir().join(format!("safe-third-doc-{}", std::process::id()));
//! RunDirectory::write(&dir, &outcome, true)?;
//! assert!(dir.join("manifest.json").exists());
//! print!("{}", run::summary_text(&outcome, Some(&dir)));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Reproducibility
//!
//! Replication *i* depends only on (seed, *i*); see [`rng`]. Results are byte-identical at any thread count.
//! Below the run API, [`montecarlo::run`] runs one model's replications and returns their summary:
//!
//! ```
//! use safe_third::{model::Model, montecarlo, scenario::Scenario};
//!
//! let scenario = Scenario::builtin();
//! let model = Model::new(&scenario);
//! let config = montecarlo::RunConfig { replications: 4, seed: 1, threads: 1 };
//! let result = montecarlo::run(&model, config, &|| {}).unwrap();
//! let last = result.layout.months.len() - 1;
//! let cell = result.layout.find(last, "guatemala", "cumulative_transferred_people").unwrap();
//! assert!(result.summary[cell].p50 > 0.0);
//! ```

// The command line refers to the library by its crate name, as it did when it lived in the binary.
extern crate self as safe_third;

pub mod calibration;
/// The `safe-third` command line: the binary and the Python package's script both call [`cli::main`].
#[cfg(feature = "cli")]
pub mod cli;
pub mod engine;
pub mod error;
pub mod model;
pub mod montecarlo;
pub mod output;
pub mod rng;
pub mod run;
pub mod scenario;

pub use error::{Error, ErrorKind};
