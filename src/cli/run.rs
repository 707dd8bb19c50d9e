//! `safe-third run`: replications in parallel, then summary.csv, replications.csv and manifest.json.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use safe_third::calibration::{self, fit::FitPoint};
use safe_third::model::Model;
use safe_third::montecarlo::comparison::{self, CellDifference};
use safe_third::montecarlo::precision::{self, Precision, PrecisionGoal};
use safe_third::montecarlo::{self, Batches, RunResult, Shard};
use safe_third::output::charts::{self, ChartContext, ChartData, ChartFormat, ObservedRecord};
use safe_third::output::{
    self, DifferenceTable, Manifest, PolicyComparison, PolicyFigures, PolicyTable, PrecisionRecord, ReportInput,
    SummaryTable, format_number,
};
use safe_third::scenario::{Date, Policy, Scenario};

use super::InvalidArgument;

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

/// What to run and where the results go, from the arguments or from a manifest.
struct Plan {
    loaded: super::Loaded,
    /// The policies to run, resolved, in file order.
    policies: Vec<Policy>,
    settings: Vec<String>,
    /// Replications, or the batch size with a precision goal.
    replications: u64,
    precision: Option<PrecisionGoal>,
    seed: u64,
    replications_csv: bool,
    out: PathBuf,
}

impl Plan {
    fn from_args(args: &RunArgs) -> Result<Plan> {
        if args.replications == 0 {
            return Err(InvalidArgument("--replications must be at least 1".to_string()).into());
        }
        let precision = match args.precision {
            None => None,
            Some(share) if share > 0.0 && share < 1.0 => Some(PrecisionGoal {
                relative_half_width: share,
                batch: args.replications,
                max_replications: args.max_replications.max(args.replications),
            }),
            Some(share) => {
                return Err(InvalidArgument(format!(
                    "--precision must be a share between 0 and 1 (e.g. 0.05 for ±5%), found {share}"
                ))
                .into());
            }
        };
        let loaded = super::load(args.scenario.as_ref())?;
        let policies = super::resolve_policies(&loaded, &args.settings, &args.policies)?;
        let out = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(&loaded.scenario.name));
        Ok(Plan {
            loaded,
            policies,
            settings: args.settings.clone(),
            replications: args.replications,
            precision,
            seed: args.seeding.seed,
            replications_csv: args.replications_csv,
            out,
        })
    }

    fn from_manifest(path: &Path, out: Option<&PathBuf>) -> Result<Plan> {
        let manifest = Manifest::read(path).map_err(|e| InvalidArgument(super::with_causes(e)))?;
        let loaded = super::load(manifest.scenario_path.as_ref())?;
        let now = output::sha256_hex(loaded.source.as_bytes());
        if now != manifest.scenario_sha256 {
            return Err(InvalidArgument(format!(
                "the scenario {} has changed since the run recorded in {} (SHA-256 then {}, now {}); \
                 restore it, or run it afresh without --from-manifest",
                loaded.origin,
                path.display(),
                manifest.scenario_sha256,
                now
            ))
            .into());
        }
        if manifest.version != env!("CARGO_PKG_VERSION") {
            eprintln!(
                "warning: {} was written by safe-third {}; this is {}, whose results may differ",
                path.display(),
                manifest.version,
                env!("CARGO_PKG_VERSION")
            );
        }
        let out = out.cloned().unwrap_or_else(|| path.parent().unwrap_or(Path::new(".")).to_path_buf());
        // A precision run is reproduced by the number of replications it reached: replication i never depends on
        // how many others ran.
        let selected = if manifest.policies.is_empty() { Vec::new() } else { manifest.policies.clone() };
        let policies = super::resolve_policies(&loaded, &manifest.settings, &selected)?;
        Ok(Plan {
            loaded,
            policies,
            settings: manifest.settings.clone(),
            replications: manifest.replications,
            precision: None,
            seed: manifest.seed,
            replications_csv: manifest.replications_csv,
            out,
        })
    }
}

pub fn run(args: RunArgs) -> Result<()> {
    if let Some(shard) = &args.shard {
        let shard = Shard::parse(shard).map_err(InvalidArgument)?;
        return run_shard(&args, shard);
    }
    let plan = match &args.from_manifest {
        Some(path) => Plan::from_manifest(path, args.out.as_ref())?,
        None => Plan::from_args(&args)?,
    };
    let super::Loaded { scenario, source, .. } = &plan.loaded;
    let scenario_sha256 = output::sha256_hex(source.as_bytes());
    if !args.force {
        // Before any work: refuse a directory holding someone else's results.
        output::check_destination(&plan.out, &scenario_sha256, plan.seed, &plan.settings)?;
    }

    let started = Instant::now();
    let started_unix = super::unix_now();
    let models: Vec<Model> = plan.policies.iter().map(|p| Model::new(&p.scenario)).collect();
    let model_refs: Vec<&Model> = models.iter().collect();
    let reference = plan.policies.iter().position(|p| p.reference).unwrap_or(0);
    let per_replication = models.len() as u64;
    let bar = super::progress_bar(
        plan.precision.map_or(plan.replications, |g| g.max_replications) * per_replication,
        &scenario.name,
    );
    // replications.csv is written as replications finish, not held.
    let replications_writer = if plan.replications_csv {
        let names: Vec<(&str, &safe_third::model::MetricLayout)> =
            plan.policies.iter().zip(&models).map(|(p, m)| (p.name.as_str(), &m.layout)).collect();
        Some(std::cell::RefCell::new(output::ReplicationsWriter::create(&plan.out.join("replications.csv"), &names)?))
    } else {
        None
    };
    let mut batches = Batches::new(&model_refs, plan.seed, args.seeding.threads)?.compare_with(reference);
    if let Some(writer) = &replications_writer {
        batches = batches.on_replication(|i, values| writer.borrow_mut().push(i, values));
    }
    let (results, precision) = match plan.precision {
        None => {
            if plan.replications == 0 {
                return Err(montecarlo::RunError::NoReplications.into());
            }
            batches.check(plan.replications)?;
            batches.run(plan.replications, &|| bar.inc(1));
            (batches.finish(), None)
        }
        Some(goal) => {
            let (results, achieved) = precision::run_to_precision(batches, goal, &|| bar.inc(1))?;
            (results, Some(achieved))
        }
    };
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();
    let replications = results[0].count;
    let runs: Vec<PolicyRun> =
        plan.policies.iter().zip(&results).map(|(policy, result)| PolicyRun { policy, result }).collect();

    let manifest = Manifest {
        replications_csv: plan.replications_csv,
        settings: plan.settings.clone(),
        policies: plan.policies.iter().map(|p| p.name.clone()).collect(),
        reference: Some(plan.policies[reference].name.clone()),
        precision: precision.as_ref().map(|p| PrecisionRecord {
            goal: p.goal.relative_half_width,
            batch: p.goal.batch,
            max_replications: p.goal.max_replications,
            met: p.met,
            achieved: p.worst.as_ref().map(|w| w.3),
            least_precise: p.worst.as_ref().map(|w| format!("{} / {} / {}", plan.policies[w.0].name, w.1, w.2)),
        }),
        ..super::manifest(&plan.loaded, plan.seed, replications, args.seeding.threads, started_unix, wall, &results)
    };
    let record = record_of(&plan.loaded, runs[reference].result);
    let replications = replications_writer.map(std::cell::RefCell::into_inner);
    write(&plan.out, &runs, reference, &manifest, replications, record.as_ref())?;
    super::print(&summary(scenario, &runs, reference, precision.as_ref(), &plan.out, wall))
}

/// `run --shard K/N`: this shard's replications, written as a partial result (see `safe_third::output`'s
/// partial format) for `safe-third merge`.
fn run_shard(args: &RunArgs, shard: Shard) -> Result<()> {
    let plan = Plan::from_args(args)?;
    let range = shard.range(plan.replications);
    if range.is_empty() {
        return Err(InvalidArgument(format!(
            "--shard {shard}: {} replications cannot be split into {} shards of at least one replication each",
            plan.replications, shard.count
        ))
        .into());
    }
    let limit = montecarlo::sketch::MAX_VALUES;
    if plan.replications > limit {
        return Err(InvalidArgument(format!(
            "{} replications in all: the merge can summarise at most {limit} (quantiles within 0.5% of rank, \
             see src/montecarlo/sketch.rs)",
            plan.replications
        ))
        .into());
    }
    let out = match &args.out {
        Some(out) => out.clone(),
        None => PathBuf::from("outputs")
            .join(&plan.loaded.scenario.name)
            .join(format!("shard-{}-of-{}", shard.index, shard.count)),
    };
    let scenario_sha256 = output::sha256_hex(plan.loaded.source.as_bytes());
    if !args.force {
        check_partial_destination(&out, &scenario_sha256, plan.seed, &plan.settings, shard)?;
    }
    let started = Instant::now();
    let started_unix = super::unix_now();
    let models: Vec<Model> = plan.policies.iter().map(|p| Model::new(&p.scenario)).collect();
    let model_refs: Vec<&Model> = models.iter().collect();
    let count = range.end - range.start;
    let bar = super::progress_bar(count * models.len() as u64, &plan.loaded.scenario.name);
    // The values go to the partial as replications finish, not held.
    let writer = std::cell::RefCell::new(output::PartialWriter::create(&out)?);
    let mut batches = Batches::new(&model_refs, plan.seed, args.seeding.threads)?
        .starting_at(range.start)
        .on_replication(|_, values| writer.borrow_mut().push(values));
    batches.check(count)?;
    batches.run(count, &|| bar.inc(1));
    let results = batches.finish();
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();
    let reference = plan.policies.iter().position(|p| p.reference).unwrap_or(0);
    let run = Manifest {
        replications_csv: plan.replications_csv,
        settings: plan.settings.clone(),
        policies: plan.policies.iter().map(|p| p.name.clone()).collect(),
        reference: Some(plan.policies[reference].name.clone()),
        ..super::manifest(
            &plan.loaded,
            plan.seed,
            plan.replications,
            args.seeding.threads,
            started_unix,
            wall,
            &results,
        )
    };
    let partial = output::PartialManifest {
        format: output::PARTIAL_FORMAT,
        shard: shard.to_string(),
        first: range.start,
        replications: count,
        values_per_replication: results.iter().map(|r| r.layout.len()).collect(),
        events: results.iter().map(|r| r.events).collect(),
        values_sha256: String::new(),
        run,
    };
    writer.into_inner().finish(partial, &plan.loaded.source)?;
    let events: u64 = results.iter().map(|r| r.events).sum();
    super::print(&format!(
        "{}: shard {shard}, replications {} to {} of {}{}, {:.1} s ({:.1} million events/s)\n\
         Wrote a partial result in {}; combine the shards with: safe-third merge DIR... --out DIR\n",
        plan.loaded.scenario.name,
        range.start,
        range.end - 1,
        plan.replications,
        if models.len() > 1 { format!(" × {} policies", models.len()) } else { String::new() },
        wall,
        events as f64 / wall.max(1e-9) / 1e6,
        out.display()
    ))
}

/// Refuses to overwrite a partial of another run (scenario, seed, `--set` overrides or shard) in `dir`.
fn check_partial_destination(dir: &Path, sha: &str, seed: u64, settings: &[String], shard: Shard) -> Result<()> {
    if !dir.join(output::PARTIAL_MANIFEST).exists() {
        return Ok(());
    }
    let previous = output::PartialManifest::read(dir).map_err(|e| {
        InvalidArgument(format!(
            "{}; pass --force to overwrite it, or choose another directory with --out",
            super::with_causes(e)
        ))
    })?;
    let run = &previous.run;
    if run.scenario_sha256 != sha || run.seed != seed || run.settings != settings || previous.shard != shard.to_string()
    {
        return Err(InvalidArgument(format!(
            "{} holds shard {} of another run (scenario {} with SHA-256 {}…, seed {}); pass --force to overwrite \
             it, or choose another directory with --out",
            dir.display(),
            previous.shard,
            run.scenario_name,
            run.scenario_sha256.chars().take(12).collect::<String>(),
            run.seed
        ))
        .into());
    }
    Ok(())
}

/// One policy and its results.
pub(super) struct PolicyRun<'a> {
    pub(super) policy: &'a Policy,
    pub(super) result: &'a RunResult,
}

impl PolicyRun<'_> {
    fn table(&self) -> PolicyTable<'_> {
        PolicyTable {
            policy: &self.policy.name,
            layout: &self.result.layout,
            summary: &self.result.summary,
            replications: &self.result.replications,
        }
    }
}

/// The record beside a run: every observation, and the cutoff after which observations are held out.
pub(super) type Record = (Vec<FitPoint>, Option<Date>);

/// The scenario's observed record beside the reference policy's run, for the report and the fit charts. A record
/// that cannot be read does not stop a run (`validate` and `calibrate` insist on it): it is left out with a warning.
pub(super) fn record_of(loaded: &super::Loaded, reference: &RunResult) -> Option<Record> {
    let calibration = loaded.scenario.calibration.as_ref()?;
    match super::calibrate::observations(loaded) {
        Ok((observations, _)) => {
            Some((calibration::validate(reference, &observations, Some(calibration)), calibration.cutoff))
        }
        Err(e) => {
            eprintln!("warning: the observed record is left out of the report: {e:#}");
            None
        }
    }
}

/// Writes the tables, the charts, the report and the manifest; `replications` is the `replications.csv` written
/// so far, if asked for.
pub(super) fn write(
    out: &Path,
    runs: &[PolicyRun],
    reference: usize,
    manifest: &Manifest,
    replications: Option<output::ReplicationsWriter>,
    record: Option<&Record>,
) -> Result<()> {
    // The manifest goes first and comes back last: if the run is interrupted while tables are being replaced, the
    // directory has no manifest, and the next run refuses it without --force instead of trusting a mixture.
    let manifest_file = out.join("manifest.json");
    remove_if_present(&manifest_file)?;
    let tables: Vec<PolicyTable> = runs.iter().map(PolicyRun::table).collect();
    output::write_atomically(&out.join("summary.csv"), |w| output::write_summary(w, &tables))?;
    let replications_file = out.join("replications.csv");
    if let Some(replications) = replications {
        replications.finish(&replications_file)?;
    } else {
        // Left by an earlier run of the same scenario and seed: it would not match the new summary.
        remove_if_present(&replications_file)?;
    }
    let differences_file = out.join("differences.csv");
    if runs.len() > 1 {
        let base = &runs[reference];
        let differences: Vec<(&str, Vec<CellDifference>)> = runs
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != reference)
            .map(|(_, run)| (run.policy.name.as_str(), comparison::cell_differences(run.result, base.result)))
            .collect();
        let rows: Vec<(&str, &[CellDifference])> = differences.iter().map(|(p, d)| (*p, d.as_slice())).collect();
        output::write_atomically(&differences_file, |w| output::write_differences(w, &base.policy.name, &rows))?;
    } else {
        remove_if_present(&differences_file)?;
    }
    write_charts_and_report(out, runs, reference, manifest, record)?;
    output::write_atomically(&manifest_file, |w| w.write_all(manifest.to_json().as_bytes()))
        .with_context(|| format!("results were computed but the manifest could not be saved in {}", out.display()))?;
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<()> {
    if path.exists() {
        std::fs::remove_file(path).with_context(|| format!("cannot remove the outdated {}", path.display()))?;
    }
    Ok(())
}

/// Charts and the report, drawn from summary.csv as written (so that `safe-third chart` redraws the same bytes).
fn write_charts_and_report(
    out: &Path,
    runs: &[PolicyRun],
    reference: usize,
    manifest: &Manifest,
    record: Option<&Record>,
) -> Result<()> {
    let base = &runs[reference];
    let (scenario, result) = (&base.policy.scenario, base.result);
    let table = SummaryTable::read(&out.join("summary.csv"))?;
    let differences_file = out.join("differences.csv");
    let differences = if differences_file.exists() { Some(DifferenceTable::read(&differences_file)?) } else { None };
    let context = ChartContext::new(manifest, scenario)
        .with_policies(runs.iter().map(|run| (run.policy.name.as_str(), &run.policy.scenario)));
    let size = (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT);
    let observed = record.map(|(points, cutoff)| ObservedRecord {
        points,
        policy: &base.policy.name,
        cutoff: cutoff.map(|d| d.0),
    });
    let data = ChartData { summary: &table, differences: differences.as_ref(), record: observed };
    let written = charts::write_charts(&out.join("charts"), data, &context, &ChartFormat::ALL, size)?;
    let specs: Vec<_> = written.into_iter().map(|c| c.spec).collect();
    let key_figures = montecarlo::key_figures(result);
    let comparison = (runs.len() > 1).then(|| PolicyComparison {
        reference: base.policy.name.clone(),
        policies: runs
            .iter()
            .enumerate()
            .map(|(i, run)| PolicyFigures {
                name: run.policy.name.clone(),
                description: run.policy.description.clone(),
                key_figures: montecarlo::key_figures(run.result),
                differences: if i == reference {
                    Vec::new()
                } else {
                    comparison::key_figure_differences(run.result, result)
                },
            })
            .collect(),
    });
    let input = ReportInput {
        scenario,
        manifest,
        table: &table,
        differences: differences.as_ref(),
        context: &context,
        key_figures: &key_figures,
        charts: &specs,
        dir: out,
        comparison: comparison.as_ref(),
        record: record.map(|(points, _)| points.as_slice()),
    };
    output::write_report(out, &input)?;
    Ok(())
}

/// What a run prints: key figures with their bands, the record beside the simulation, and each policy's
/// differences from the reference.
pub(super) fn summary(
    scenario: &Scenario,
    runs: &[PolicyRun],
    reference: usize,
    precision: Option<&Precision>,
    out: &Path,
    wall: f64,
) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    let w = &mut text;
    let base = &runs[reference];
    let result = base.result;
    let layout = &result.layout;
    let events: u64 = runs.iter().map(|r| r.result.events).sum();
    let policies = if runs.len() > 1 { format!("{} policies × ", runs.len()) } else { String::new() };
    writeln!(
        w,
        "{}: {policies}{} replications, {} to {}, {:.1} s ({:.1} million events/s)",
        scenario.name,
        result.count,
        layout.months[0],
        layout.months[layout.months.len() - 1],
        wall,
        events as f64 / wall.max(1e-9) / 1e6
    )
    .unwrap();
    if let Some(p) = precision {
        let worst = p.worst.as_ref().map_or(String::new(), |(m, country, label, r)| {
            format!("; least precise: {} {country} {label}, ±{:.1}%", runs[*m].policy.name, 100.0 * r)
        });
        writeln!(
            w,
            "Precision goal ±{:.1}% of the mean (95% CI) {} after {} replications{worst}",
            100.0 * p.goal.relative_half_width,
            if p.met { "met" } else { "NOT met: stopped at --max-replications" },
            p.replications
        )
        .unwrap();
    }
    writeln!(w).unwrap();
    if runs.len() > 1 {
        writeln!(w, "Reference policy \"{}\":", base.policy.name).unwrap();
    }
    writeln!(w, "{:<14} {:<44} {:>10} {:>10} {:>10}", "country", "over the whole horizon", "P5", "median", "P95")
        .unwrap();
    for figure in montecarlo::key_figures(result) {
        let s = figure.summary;
        writeln!(
            w,
            "{:<14} {:<44} {:>10} {:>10} {:>10}",
            figure.country,
            figure.label,
            format_number(s.p05.round()),
            format_number(s.p50.round()),
            format_number(s.p95.round())
        )
        .unwrap();
    }
    let checks = montecarlo::check_targets(&base.policy.scenario.target, result);
    if !checks.is_empty() {
        writeln!(w).unwrap();
        writeln!(w, "Recorded figures against the simulation (month-end values):").unwrap();
        for check in checks {
            let t = &check.target;
            // Targets were checked against the metric names when the scenario was loaded.
            let (Some(s), Some(inside)) = (check.simulated, check.within_band()) else { continue };
            writeln!(
                w,
                "  {} {} {}: observed {}, simulated median {} (P5–P95 {}–{}) {}",
                t.month,
                t.country,
                t.metric,
                format_number(t.value),
                format_number(s.p50.round()),
                format_number(s.p05.round()),
                format_number(s.p95.round()),
                if inside { "inside the band" } else { "OUTSIDE the band" }
            )
            .unwrap();
        }
    }
    for (_, run) in runs.iter().enumerate().filter(|&(i, _)| i != reference) {
        writeln!(w).unwrap();
        let description = if run.policy.description.is_empty() {
            String::new()
        } else {
            format!(" ({})", run.policy.description.trim())
        };
        writeln!(w, "{} − {}{description}:", run.policy.name, base.policy.name).unwrap();
        let differences = comparison::key_figure_differences(run.result, base.result);
        let (shown, same): (Vec<_>, Vec<_>) = differences.iter().partition(|d| d.difference.distinguishable());
        for d in &shown {
            let x = &d.difference;
            writeln!(
                w,
                "  {:<14} {:<44} {:>10} → {:>10}   difference {} (95% CI {} to {})",
                d.country,
                d.label,
                format_number(d.reference_mean.round()),
                format_number(d.policy_mean.round()),
                signed(x.mean),
                signed(x.ci_low),
                signed(x.ci_high)
            )
            .unwrap();
        }
        if shown.is_empty() {
            writeln!(w, "  no key figure differs by more than the noise of the run").unwrap();
        } else if !same.is_empty() {
            writeln!(w, "  ({} other key figures: no difference distinguishable from zero)", same.len()).unwrap();
        }
    }
    writeln!(w).unwrap();
    let mut files = vec!["summary.csv"];
    if runs.len() > 1 {
        files.push("differences.csv");
    }
    writeln!(w, "Wrote {} in {}", files.join(", "), out.display()).unwrap();
    text
}

/// A difference with its sign and a sensible precision: `+12`, `-3.4`, `+0.05`.
fn signed(x: f64) -> String {
    let digits = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 1.0 {
        1
    } else {
        2
    };
    format!("{x:+.digits$}")
}
