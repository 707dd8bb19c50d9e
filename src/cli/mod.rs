//! Subcommands and their arguments.
//!
//! Behind the `cli` feature (on by default). `anyhow` is used here only: this module is the binary's edge.

mod calibrate;
mod chart;
mod check;
mod merge;
mod run;
mod sweep;

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;

use anyhow::Result;
use clap::{Parser, Subcommand};

use safe_third::error::{ErrorKind, kind_of};
use safe_third::run::LoadedScenario;
use safe_third::scenario::{Policy, Scenario, ScenarioError};

/// An argument that parsed but makes no sense (clap itself exits with 2 for malformed ones).
pub use safe_third::error::InvalidRequest as InvalidArgument;

/// Simulate safe-third-country transfer agreements month by month, with Monte Carlo bands.
#[derive(Debug, Parser)]
#[command(
    name = "safe-third",
    version,
    about,
    long_about = None,
    max_term_width = 100,
    after_help = concat!(
        "Examples:\n",
        "  safe-third run                                   1,000 replications of the built-in guatemala-2019 scenario\n",
        "  safe-third run my.toml -n 5000 --seed 7          another scenario, more replications, another seed\n",
        "  safe-third check my.toml                         validate a scenario and show what it resolves to\n",
        "  safe-third chart outputs/guatemala-2019 --format svg --width 1600 --height 900\n",
        "                                                   redraw a run's charts in another size\n",
        "  safe-third run scenarios/guatemala-2019-policies.toml\n",
        "                                                   compare six rollout policies on common random numbers\n",
        "  safe-third run --set asylum.guatemala.adjudicators=8\n",
        "                                                   change one field without editing the file\n",
        "  safe-third sweep --grid asylum.guatemala.adjudicators=4,8,16 -n 200\n",
        "                                                   the same replications at every grid point\n",
        "  safe-third validate                              the built-in scenario beside the public record\n\n",
        "Scenario format: scenarios/README.md. Exit codes: 0 success, 2 invalid input, 1 other failure."
    )
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario's replications and write summary.csv, charts, report.md, report.html and manifest.json.
    Run(run::RunArgs),
    /// Redraw a run's charts from DIR/summary.csv without re-running it (e.g. in another size or format).
    Chart(chart::ChartArgs),
    /// Validate a scenario and print what it resolves to, without running it.
    Check {
        /// Scenario file (TOML). Without one, checks the built-in guatemala-2019 scenario.
        scenario: Option<PathBuf>,
    },
    /// Run every combination of a grid of overrides on the same replications and write sweep.csv.
    Sweep(sweep::SweepArgs),
    /// Fit the parameters of a scenario's [calibration] section to its observed data.
    Calibrate(calibrate::CalibrateArgs),
    /// Run a scenario and compare it with its observed data, observation by observation.
    Validate(calibrate::ValidateArgs),
    /// Print the JSON Schema of scenario files, for validation and completion in editors.
    Schema,
    /// Combine the partial results of `run --shard K/N` into the files a single run writes.
    Merge(merge::MergeArgs),
}

/// Parses `args` (the program name first), runs the command and returns the exit code, printing errors to
/// stderr: the whole of `safe-third`, for the binary and for the Python package's script alike.
pub fn main<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let _ = COMMAND.set(args.iter().map(|a| a.to_string_lossy().into_owned()).collect());
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(error) => {
            // --help and --version land here too, with exit code 0.
            let _ = error.print();
            return u8::try_from(error.exit_code()).unwrap_or(2);
        }
    };
    match execute(cli) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("error: {error:#}");
            exit_code(&error)
        }
    }
}

/// The command line as given to [`main`], for the manifest: from the Python script, the process's own arguments
/// start with the interpreter.
static COMMAND: OnceLock<Vec<String>> = OnceLock::new();

/// The command line that is running, as the manifest records it.
fn command() -> Vec<String> {
    COMMAND.get().cloned().unwrap_or_else(|| std::env::args().collect())
}

/// Runs the chosen subcommand.
pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run::run(args),
        Command::Chart(args) => chart::chart(args),
        Command::Check { scenario } => {
            let loaded = load(scenario.as_ref())?;
            print(&check::describe(&loaded.scenario, &loaded.model))
        }
        Command::Sweep(args) => sweep::sweep(args),
        Command::Calibrate(args) => calibrate::calibrate(args),
        Command::Validate(args) => calibrate::validate(args),
        Command::Schema => print(&Scenario::json_schema()),
        Command::Merge(args) => merge::merge(args),
    }
}

/// Writes text to stdout. A reader that stops early (`| head`) is not an error: the work is done.
fn print(text: &str) -> Result<()> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A progress bar on stderr, drawn only when stderr is a terminal (indicatif hides it otherwise).
fn progress_bar(len: u64, message: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len).with_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {pos}/{len} replications, {eta} left")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}

use safe_third::run::unix_now;

/// The manifest fields every kind of run shares; the caller fills in what is its own.
fn manifest(
    loaded: &Loaded,
    seed: u64,
    replications: u64,
    threads: usize,
    started_unix_seconds: u64,
    wall: f64,
    results: &[safe_third::montecarlo::RunResult],
) -> safe_third::output::Manifest {
    let options = safe_third::run::RunOptions {
        threads,
        command: command(),
        ..safe_third::run::RunOptions::new(replications, seed)
    };
    safe_third::run::manifest(loaded, &options, replications, started_unix_seconds, wall, results)
}

/// Exit code for an error: 2 when the input must change ([`ErrorKind::Input`]: a run too large for the machine
/// counts), 1 for anything else. The library's errors say which they are; the first that does decides.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    match error.chain().find_map(kind_of) {
        Some(ErrorKind::Input) => 2,
        Some(ErrorKind::System) | None => 1,
    }
}

/// The seed and the worker threads, taken alike by every command that simulates.
#[derive(Debug, clap::Args)]
pub struct Seeding {
    /// Seed of every random stream: the same seed gives byte-identical results, and every policy, grid point or
    /// calibration candidate runs on the same replications.
    #[arg(long, default_value_t = 2019)]
    pub seed: u64,
    /// Worker threads (0: one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

/// A scenario as loaded: the file's text and name (for the manifest and error messages) and its model.
type Loaded = LoadedScenario;

/// The scenario's policies with `--set` overrides applied, restricted to `selected` (all when empty), each
/// validated with its targets.
fn resolve_policies(loaded: &Loaded, settings: &[String], selected: &[String]) -> Result<Vec<Policy>> {
    Ok(loaded.policies(settings, selected)?)
}

/// Loads a scenario file, or the built-in one, validates it (targets included) and builds its model.
fn load(path: Option<&PathBuf>) -> Result<Loaded, ScenarioError> {
    LoadedScenario::from_path_or_builtin(path.map(PathBuf::as_path))
}
