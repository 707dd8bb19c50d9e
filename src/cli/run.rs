//! `safe-third run`: the arguments, and what is printed; the run itself is [`safe_third::run`].

use std::path::PathBuf;

use anyhow::Result;

use safe_third::montecarlo::Shard;
use safe_third::montecarlo::precision::PrecisionGoal;
use safe_third::run::{self, LoadedScenario, PreparedRun, RunDirectory, RunOptions, Sinks};

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML). Without one, runs the built-in guatemala-2019 scenario.
    scenario: Option<PathBuf>,
    /// Number of Monte Carlo replications.
    #[arg(long, short = 'n', default_value_t = 1000)]
    replications: u64,
    #[command(flatten)]
    seeding: super::Seeding,
    /// Output directory [default: outputs/<scenario name>, or the manifest's directory with --from-manifest]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write every replication's values to replications.csv.
    #[arg(long)]
    replications_csv: bool,
    /// Overwrite results of another scenario or seed in the output directory.
    #[arg(long)]
    force: bool,
    /// Run only this policy of the scenario (repeatable); without it, every policy runs.
    #[arg(long = "policy", value_name = "NAME")]
    policies: Vec<String>,
    /// Override a scenario field for every policy, e.g. --set agreement.guatemala.seats_per_month=400
    /// (repeatable; the value is TOML, or a plain string).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    settings: Vec<String>,
    /// Add replications in batches until every headline figure's 95% CI half-width is within this share of its
    /// mean (e.g. 0.05), or --max-replications is reached. --replications is then the batch size.
    #[arg(long, value_name = "SHARE")]
    precision: Option<f64>,
    /// With --precision: the most replications to run.
    #[arg(long, default_value_t = 20_000, requires = "precision")]
    max_replications: u64,
    /// Rerun exactly what produced DIR/manifest.json (same scenario file, seed, replications, policies and --set
    /// overrides), refusing if the scenario file has changed since.
    #[arg(long, value_name = "MANIFEST", conflicts_with_all = [
        "scenario", "replications", "seed", "replications_csv", "policies", "settings", "precision"
    ])]
    from_manifest: Option<PathBuf>,
    /// Run only shard K of N (K from 0): a contiguous share of the replications, written as a partial result
    /// [default --out: outputs/<scenario name>/shard-K-of-N]. Combine the shards with `safe-third merge`.
    #[arg(long, value_name = "K/N", conflicts_with_all = ["precision", "from_manifest"])]
    shard: Option<String>,
}

impl RunArgs {
    /// The scenario and what to run, from the arguments or from a manifest; and the default output directory.
    fn request(&self) -> Result<(LoadedScenario, RunOptions, PathBuf)> {
        if let Some(path) = &self.from_manifest {
            let reproduction = run::reproduce(path)?;
            if reproduction.manifest.version != env!("CARGO_PKG_VERSION") {
                eprintln!(
                    "warning: {} was written by safe-third {}; this is {}, whose results may differ",
                    path.display(),
                    reproduction.manifest.version,
                    env!("CARGO_PKG_VERSION")
                );
            }
            let out = path.parent().unwrap_or(std::path::Path::new(".")).to_path_buf();
            let options =
                RunOptions { threads: self.seeding.threads, command: super::command(), ..reproduction.options };
            return Ok((reproduction.scenario, options, out));
        }
        if self.replications == 0 {
            return Err(super::InvalidArgument("--replications must be at least 1".to_string()).into());
        }
        let precision = match self.precision {
            None => None,
            Some(share) => Some(PrecisionGoal::new(share, self.replications, self.max_replications)?),
        };
        let scenario = LoadedScenario::from_path_or_builtin(self.scenario.as_deref())?;
        let out = PathBuf::from("outputs").join(&scenario.scenario.name);
        let options = RunOptions {
            policies: self.policies.clone(),
            settings: self.settings.clone(),
            threads: self.seeding.threads,
            precision,
            replications_csv: self.replications_csv,
            command: super::command(),
            ..RunOptions::new(self.replications, self.seeding.seed)
        };
        Ok((scenario, options, out))
    }
}

pub fn run(args: RunArgs) -> Result<()> {
    let shard = args.shard.as_deref().map(Shard::parse).transpose()?;
    let (scenario, options, default_out) = args.request()?;
    let prepared = PreparedRun::new(&scenario, options)?;
    if let Some(shard) = shard {
        let out =
            args.out.clone().unwrap_or_else(|| default_out.join(format!("shard-{}-of-{}", shard.index, shard.count)));
        let range = run::shard_range(shard, prepared.options.replications)?;
        let bar =
            super::progress_bar((range.end - range.start) * prepared.policies.len() as u64, &scenario.scenario.name);
        let progress = || bar.inc(1);
        let sinks = Sinks { progress: Some(&progress), ..Sinks::default() };
        let outcome = run::run_shard(prepared, shard, &out, args.force, sinks)?;
        bar.finish_and_clear();
        return super::print(&outcome.text());
    }
    let out = args.out.clone().unwrap_or(default_out);
    // Before any work: refuse a directory holding someone else's results.
    let directory = RunDirectory::open(&out, &prepared, args.force)?;
    let bar = super::progress_bar(prepared.planned_replications(), &scenario.scenario.name);
    let progress = || bar.inc(1);
    let sinks = Sinks {
        progress: Some(&progress),
        on_replication: Some(Box::new(|i, values: &[Vec<f64>]| directory.push(i, values))),
        ..Sinks::default()
    };
    let outcome = prepared.execute(sinks)?;
    bar.finish_and_clear();
    for warning in &outcome.warnings {
        eprintln!("warning: {warning}");
    }
    directory.finish(&outcome)?;
    super::print(&run::summary_text(&outcome, Some(&out)))
}
