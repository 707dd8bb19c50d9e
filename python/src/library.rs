//! Everything the binding calls in the library, in one place: the run API (`safe_third::run`), which the command
//! line's `run` is a thin layer over too, and the command line itself.

use std::ffi::OsString;
use std::path::Path;

use safe_third::montecarlo::precision::PrecisionGoal;
use safe_third::run::{self, LoadedScenario, PreparedRun, RunDirectory, RunOptions, RunOutcome, Sinks};
use safe_third::{Error, ErrorKind};

/// The `safe-third` command line.
pub fn cli_main(argv: Vec<String>) -> u8 {
    safe_third::cli::main(argv.into_iter().map(OsString::from))
}

/// What `safe_third.run` asks for, as the command line's `run` takes it.
pub struct Request {
    pub policies: Vec<String>,
    /// `PATH=VALUE`, as `--set`.
    pub settings: Vec<String>,
    pub replications: u64,
    pub seed: u64,
    pub threads: usize,
    /// A precision goal as (share, maximum replications); `replications` is then the batch size.
    pub precision: Option<(f64, u64)>,
    /// Keep every replication's values (and write `replications.csv` with the run directory).
    pub keep_replications: bool,
}

/// Checks the request and resolves the scenario's policies, as `safe-third run` does before simulating.
pub fn prepare(scenario: &LoadedScenario, request: Request) -> Result<PreparedRun<'_>, Error> {
    let precision = match request.precision {
        None => None,
        Some((share, max)) => Some(PrecisionGoal::new(share, request.replications, max)?),
    };
    let options = RunOptions {
        policies: request.policies,
        settings: request.settings,
        threads: request.threads,
        precision,
        keep_replications: request.keep_replications,
        replications_csv: request.keep_replications,
        // The process's own command line (the interpreter's, and its script): what produced the results.
        command: std::env::args().collect(),
        ..RunOptions::new(request.replications, request.seed)
    };
    PreparedRun::new(scenario, options)?.with_posterior(None)
}

/// Runs a prepared run; `progress` is called once per replication of one policy, `cancelled` asked before each.
pub fn execute(
    prepared: PreparedRun<'_>,
    progress: &(dyn Fn() + Sync),
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<RunOutcome, Error> {
    prepared.execute(Sinks { progress: Some(progress), cancelled: Some(cancelled), on_replication: None })
}

/// One of a run's tables (`run::tables`), as the run directory holds it.
pub fn table(outcome: &RunOutcome, write: fn(&mut dyn std::io::Write, &RunOutcome) -> std::io::Result<()>) -> String {
    let mut bytes = Vec::new();
    write(&mut bytes, outcome).expect("writing to memory");
    String::from_utf8(bytes).expect("the tables are UTF-8")
}

pub use run::tables::{write_differences, write_replications, write_summary};

/// What `safe-third run` prints, without the line naming a directory (nothing is written yet).
pub fn summary_text(outcome: &RunOutcome) -> String {
    run::summary_text(outcome, None)
}

/// Writes the run directory as `safe-third run --out DIR` does; unless `force`, refuses a directory holding the
/// results of another scenario, seed or overrides, as the command line does without `--force`.
pub fn write_run(dir: &Path, outcome: &RunOutcome, force: bool) -> Result<(), Error> {
    RunDirectory::write(dir, outcome, force)
}

/// The command line's exit code for an error: 2 when the user's input must change, 1 otherwise.
pub fn exit_code(error: &Error) -> u8 {
    match error.kind() {
        ErrorKind::Input => 2,
        ErrorKind::System => 1,
    }
}
