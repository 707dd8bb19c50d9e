//! Subcommands and their arguments.

mod chart;
mod check;
mod run;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

use safe_third::model::Model;
use safe_third::output::DestinationError;
use safe_third::scenario::{DEFAULT_ORIGIN, DEFAULT_SCENARIO, Scenario, ScenarioError};

/// Simulate safe-third-country transfer agreements month by month, with Monte Carlo bands.
#[derive(Debug, Parser)]
#[command(
    name = "safe-third",
    version,
    about,
    long_about = None,
    max_term_width = 100,
    after_help = "Examples:\n  \
      safe-third run                                   1,000 replications of the built-in guatemala-2019 scenario\n  \
      safe-third run my.toml -n 5000 --seed 7          another scenario, more replications, another seed\n  \
      safe-third check my.toml                         validate a scenario and show what it resolves to\n  \
      safe-third chart outputs/guatemala-2019 --format svg --width 1600 --height 900\n  \
                                                       redraw a run's charts in another size\n\n\
      Scenario format: scenarios/README.md. Exit codes: 0 success, 2 invalid input, 1 other failure."
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
    /// Print the JSON Schema of scenario files, for validation and completion in editors.
    Schema,
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
        Command::Schema => print(&Scenario::json_schema()),
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

/// Exit code for an error: 2 for invalid input, 1 for anything else.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    let invalid_input = |e: &(dyn std::error::Error + 'static)| {
        e.is::<ScenarioError>() || e.is::<InvalidArgument>() || e.is::<DestinationError>()
    };
    if error.chain().any(invalid_input) { 2 } else { 1 }
}

/// An argument that parsed but makes no sense (clap itself exits with 2 for malformed ones).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidArgument(pub String);

/// A scenario as loaded: the file's text and name (for the manifest and error messages) and its model.
struct Loaded {
    scenario: Scenario,
    model: Model,
    source: String,
    origin: String,
}

/// Loads a scenario file, or the built-in one, validates it (targets included) and builds its model.
fn load(path: Option<&PathBuf>) -> Result<Loaded, ScenarioError> {
    let (source, origin) = match path {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|source| ScenarioError::Read { path: path.clone(), source })?,
            path.display().to_string(),
        ),
        None => (DEFAULT_SCENARIO.to_string(), DEFAULT_ORIGIN.to_string()),
    };
    let scenario = Scenario::from_toml(&source, &origin)?;
    let model = Model::new(&scenario);
    let layout = &model.layout;
    scenario.check_target_metrics(&source, &origin, |country, metric| layout.find(0, country, metric).is_some())?;
    Ok(Loaded { scenario, model, source, origin })
}
