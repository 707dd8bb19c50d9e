//! Subcommands and their arguments.

mod calibrate;
mod chart;
mod check;
mod merge;
mod run;
mod sweep;

use std::path::PathBuf;

use anyhow::Result;
use clap::{Parser, Subcommand};

use safe_third::model::Model;
use safe_third::montecarlo::RunError;
use safe_third::output::DestinationError;
use safe_third::scenario::{DEFAULT_ORIGIN, DEFAULT_SCENARIO, Policy, Scenario, ScenarioError, Setting, closest};

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

/// Seconds since 1970-01-01 UTC.
fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

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
    let scenario_path = match loaded.origin.as_str() {
        DEFAULT_ORIGIN => None,
        file => std::fs::canonicalize(file).ok(),
    };
    safe_third::output::Manifest {
        tool: env!("CARGO_PKG_NAME").to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: loaded.scenario.name.clone(),
        scenario_file: loaded.origin.clone(),
        scenario_path,
        scenario_sha256: safe_third::output::sha256_hex(loaded.source.as_bytes()),
        seed,
        replications,
        replications_csv: false,
        threads: if threads == 0 { rayon::current_num_threads() } else { threads },
        generator: safe_third::rng::GENERATOR.to_string(),
        command: std::env::args().collect(),
        started_unix_seconds,
        wall_time_seconds: (wall * 1000.0).round() / 1000.0,
        events: results.iter().map(|r| r.events).sum(),
        settings: Vec::new(),
        policies: Vec::new(),
        reference: None,
        grid: Vec::new(),
        calibration: None,
        precision: None,
    }
}

/// Exit code for an error: 2 for invalid input (a run too large for the machine counts: its inputs must change),
/// 1 for anything else.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    let invalid_input = |e: &(dyn std::error::Error + 'static)| {
        e.is::<ScenarioError>()
            || e.is::<InvalidArgument>()
            || e.is::<DestinationError>()
            || e.is::<calibrate::ObservedErrors>()
            || e.is::<safe_third::output::PartialError>()
            || matches!(e.downcast_ref::<RunError>(), Some(RunError::TooLarge { .. }))
            || matches!(
                e.downcast_ref::<safe_third::calibration::CalibrationError>(),
                Some(
                    safe_third::calibration::CalibrationError::Candidate { .. }
                        | safe_third::calibration::CalibrationError::NoParameters
                )
            )
    };
    if error.chain().any(invalid_input) { 2 } else { 1 }
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

/// An error and each of its causes, once each ("cannot read X: No such file or directory"), for messages that
/// carry it on as text. The library's errors name their cause in `source()`, not in their own Display.
fn with_causes(error: impl std::error::Error + Send + Sync + 'static) -> String {
    format!("{:#}", anyhow::Error::new(error))
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

/// The scenario's policies with `--set` overrides applied, restricted to `selected` (all when empty), each
/// validated with its targets.
fn resolve_policies(loaded: &Loaded, settings: &[String], selected: &[String]) -> Result<Vec<Policy>> {
    let settings: Vec<Setting> =
        settings.iter().map(|s| Setting::parse(s).map_err(InvalidArgument)).collect::<Result<_, _>>()?;
    let all = loaded.scenario.policies(&loaded.source, &loaded.origin, &settings)?;
    for name in selected {
        if !all.iter().any(|p| &p.name == name) {
            let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
            let hint =
                closest(name, names.iter().copied()).map_or(String::new(), |b| format!("; did you mean \"{b}\"?"));
            return Err(InvalidArgument(format!(
                "--policy {name}: the scenario has no such policy{hint} (it has: {})",
                names.join(", ")
            ))
            .into());
        }
    }
    let chosen: Vec<Policy> = all.into_iter().filter(|p| selected.is_empty() || selected.contains(&p.name)).collect();
    for policy in &chosen {
        let layout = Model::new(&policy.scenario).layout;
        policy.scenario.check_target_metrics(&loaded.source, &loaded.origin, |country, metric| {
            layout.find(0, country, metric).is_some()
        })?;
    }
    Ok(chosen)
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
    load_source(source, origin)
}

/// Validates a scenario's text (targets included) and builds its model; `origin` names it in messages.
fn load_source(source: String, origin: String) -> Result<Loaded, ScenarioError> {
    let scenario = Scenario::from_toml(&source, &origin)?;
    let model = Model::new(&scenario);
    let layout = &model.layout;
    scenario.check_target_metrics(&source, &origin, |country, metric| layout.find(0, country, metric).is_some())?;
    Ok(Loaded { scenario, model, source, origin })
}
