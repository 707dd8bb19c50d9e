//! Everything the binding calls in the library, in one place. Today that is the command line's own run functions
//! (`safe_third::cli::run`: the same plan, simulation and run-directory writer as `safe-third run`); when the
//! library's run API (issue 17) lands, only this file changes.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use safe_third::cli::{self, Loaded, run};
use safe_third::output;
use safe_third::scenario::ScenarioError;

pub use run::{Plan, Simulated};

/// The `safe-third` command line.
pub fn cli_main(argv: Vec<String>) -> u8 {
    cli::main(argv.into_iter().map(OsString::from))
}

/// The built-in scenario (`None`) or a scenario file, loaded and validated as the command line does.
pub fn load_file(path: Option<&PathBuf>) -> Result<Loaded, ScenarioError> {
    cli::load(path)
}

/// A scenario's text, loaded and validated as the command line does; `origin` names it in messages.
pub fn load_text(source: String, origin: &str) -> Result<Loaded, ScenarioError> {
    cli::load_source(source, origin.to_string())
}

/// What to run: the checks of `safe-third run`'s arguments. Kept replications go to memory (the run has no
/// output directory until it is written).
pub fn plan(
    loaded: Loaded,
    settings: Vec<String>,
    selected: &[String],
    replications: u64,
    precision: Option<(f64, u64)>,
    seed: u64,
    keep_replications: bool,
) -> anyhow::Result<Plan> {
    Plan::new(loaded, settings, selected, replications, precision, seed, keep_replications, PathBuf::new())
}

/// Runs the plan; `cancelled` is asked between groups of replications.
pub fn simulate(
    plan: &Plan,
    threads: usize,
    progress: &(dyn Fn() + Sync),
    cancelled: &dyn Fn() -> bool,
) -> anyhow::Result<Simulated> {
    run::simulate(plan, threads, progress, Some(cancelled))
}

/// Writes the run directory as `safe-third run --out DIR` does; unless `force`, refuses a directory holding the
/// results of another scenario, seed or overrides, as the command line does without `--force`.
pub fn write_run(dir: &Path, plan: &Plan, simulated: &Simulated, force: bool) -> anyhow::Result<()> {
    if !force {
        let sha = output::sha256_hex(plan.loaded().source.as_bytes());
        output::check_destination(dir, &sha, simulated.manifest.seed, &simulated.manifest.settings)?;
    }
    run::write_run(dir, plan, None, simulated)
}

/// The command line's exit code for an error: 2 when the user's input must change, 1 otherwise.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    cli::exit_code(error)
}
