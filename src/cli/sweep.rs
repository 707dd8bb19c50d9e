//! `safe-third sweep`: the arguments, and what is printed; the sweep itself is [`safe_third::run::sweep`].

use std::path::PathBuf;

use anyhow::Result;

use safe_third::run::{LoadedScenario, PreparedSweep, Sinks, SweepOptions};

#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario file (TOML). Without one, sweeps the built-in guatemala-2019 scenario.
    scenario: Option<PathBuf>,
    /// A field and the values it takes, e.g. --grid asylum.guatemala.adjudicators=4,8,16 (repeatable: the sweep
    /// runs every combination). Values are TOML; commas inside brackets or quotes do not split.
    #[arg(long = "grid", value_name = "PATH=V1,V2,…", required = true)]
    grid: Vec<String>,
    /// Monte Carlo replications per grid point.
    #[arg(long, short = 'n', default_value_t = 1000)]
    replications: u64,
    #[command(flatten)]
    seeding: super::Seeding,
    /// Output directory [default: outputs/<scenario name>-sweep]
    #[arg(long)]
    out: Option<PathBuf>,
    /// The policy to sweep, for a scenario that declares several [default: the reference policy]
    #[arg(long, value_name = "NAME")]
    policy: Option<String>,
    /// Override a scenario field at every grid point (repeatable), as for `run`.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    settings: Vec<String>,
    /// The metric printed (and charted) against the grid, at the last month.
    #[arg(long, default_value = "backlog_cases")]
    metric: String,
    /// The country of --metric [default: the first receiving country]
    #[arg(long)]
    country: Option<String>,
    /// Overwrite results of another run in the output directory.
    #[arg(long)]
    force: bool,
}

pub fn sweep(args: SweepArgs) -> Result<()> {
    let scenario = LoadedScenario::from_path_or_builtin(args.scenario.as_deref())?;
    let options = SweepOptions {
        grid: args.grid.clone(),
        replications: args.replications,
        seed: args.seeding.seed,
        threads: args.seeding.threads,
        policy: args.policy.clone(),
        settings: args.settings.clone(),
        metric: args.metric.clone(),
        country: args.country.clone(),
        command: super::command(),
    };
    let prepared = PreparedSweep::new(&scenario, options)?;
    let out =
        args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}-sweep", scenario.scenario.name)));
    prepared.check_destination(&out, args.force)?;
    let bar = super::progress_bar(prepared.planned_replications(), &format!("{} sweep", scenario.scenario.name));
    let progress = || bar.inc(1);
    let outcome = prepared.execute(Sinks { progress: Some(&progress), ..Sinks::default() })?;
    bar.finish_and_clear();
    let chart = outcome.write(&out)?;
    let mut text = outcome.text(&out);
    text.push_str(&chart);
    super::print(&text)
}
