//! `safe-third run`: replications in parallel, then summary.csv, replications.csv and manifest.json.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use safe_third::montecarlo::{self, RunConfig, RunResult};
use safe_third::output::charts::{self, ChartContext, ChartFormat};
use safe_third::output::{self, Manifest, ReportInput, SummaryTable, format_number};
use safe_third::rng::GENERATOR;
use safe_third::scenario::DEFAULT_ORIGIN;

use super::InvalidArgument;

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML). Without one, runs the built-in guatemala-2019 scenario.
    scenario: Option<PathBuf>,
    /// Number of Monte Carlo replications.
    #[arg(long, short = 'n', default_value_t = 1000)]
    replications: u64,
    /// Seed of every random stream; the same seed gives byte-identical results.
    #[arg(long, default_value_t = 2019)]
    seed: u64,
    /// Worker threads (0: one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Output directory [default: outputs/<scenario name>, or the manifest's directory with --from-manifest]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write every replication's values to replications.csv.
    #[arg(long)]
    replications_csv: bool,
    /// Overwrite results of another scenario or seed in the output directory.
    #[arg(long)]
    force: bool,
    /// Rerun exactly what produced DIR/manifest.json (same scenario file, seed and replications), refusing if
    /// the scenario file has changed since.
    #[arg(long, value_name = "MANIFEST", conflicts_with_all = ["scenario", "replications", "seed", "replications_csv"])]
    from_manifest: Option<PathBuf>,
}

/// The policy label until scenarios can declare policies.
const POLICY: &str = "baseline";

/// What to run and where the results go, from the arguments or from a manifest.
struct Plan {
    loaded: super::Loaded,
    replications: u64,
    seed: u64,
    replications_csv: bool,
    out: PathBuf,
}

impl Plan {
    fn from_args(args: &RunArgs) -> Result<Plan> {
        if args.replications == 0 {
            return Err(InvalidArgument("--replications must be at least 1".to_string()).into());
        }
        let loaded = super::load(args.scenario.as_ref())?;
        let out = args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(&loaded.scenario.name));
        Ok(Plan {
            loaded,
            replications: args.replications,
            seed: args.seed,
            replications_csv: args.replications_csv,
            out,
        })
    }

    fn from_manifest(path: &Path, out: Option<&PathBuf>) -> Result<Plan> {
        let manifest = Manifest::read(path).map_err(|e| InvalidArgument(e.to_string()))?;
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
        Ok(Plan {
            loaded,
            replications: manifest.replications,
            seed: manifest.seed,
            replications_csv: manifest.replications_csv,
            out,
        })
    }
}

pub fn run(args: RunArgs) -> Result<()> {
    let plan = match &args.from_manifest {
        Some(path) => Plan::from_manifest(path, args.out.as_ref())?,
        None => Plan::from_args(&args)?,
    };
    let super::Loaded { scenario, model, source, origin } = &plan.loaded;
    let scenario_sha256 = output::sha256_hex(source.as_bytes());
    if !args.force {
        // Before any work: refuse a directory holding someone else's results.
        output::check_destination(&plan.out, &scenario_sha256, plan.seed)?;
    }

    let started = Instant::now();
    let started_unix = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let bar = ProgressBar::new(plan.replications).with_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:40}] {pos}/{len} replications, {eta} left")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(scenario.name.clone());
    let config = RunConfig { replications: plan.replications, seed: plan.seed, threads: args.threads };
    let result = montecarlo::run(model, config, &|| bar.inc(1))?;
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();

    let threads = if args.threads == 0 { rayon::current_num_threads() } else { args.threads };
    let scenario_path = match origin.as_str() {
        DEFAULT_ORIGIN => None,
        file => std::fs::canonicalize(file).ok(),
    };
    let manifest = Manifest {
        tool: env!("CARGO_PKG_NAME").to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario_name: scenario.name.clone(),
        scenario_file: origin.clone(),
        scenario_path,
        scenario_sha256,
        seed: plan.seed,
        replications: plan.replications,
        replications_csv: plan.replications_csv,
        threads,
        generator: GENERATOR.to_string(),
        command: std::env::args().collect(),
        started_unix_seconds: started_unix,
        wall_time_seconds: (wall * 1000.0).round() / 1000.0,
        events: result.events,
    };
    write(&plan.out, scenario, &result, &manifest, plan.replications_csv)?;
    super::print(&summary(scenario, &result, &plan.out, wall))
}

fn write(
    out: &std::path::Path,
    scenario: &safe_third::scenario::Scenario,
    result: &RunResult,
    manifest: &Manifest,
    replications_csv: bool,
) -> Result<()> {
    // The manifest goes first and comes back last: if the run is interrupted while tables are being replaced, the
    // directory has no manifest, and the next run refuses it without --force instead of trusting a mixture.
    let manifest_file = out.join("manifest.json");
    if manifest_file.exists() {
        std::fs::remove_file(&manifest_file).with_context(|| format!("cannot replace {}", manifest_file.display()))?;
    }
    output::write_atomically(&out.join("summary.csv"), |w| {
        output::write_summary(w, POLICY, &result.layout, &result.summary)
    })?;
    let replications_file = out.join("replications.csv");
    if replications_csv {
        output::write_atomically(&replications_file, |w| {
            output::write_replications(w, POLICY, &result.layout, &result.replications)
        })?;
    } else if replications_file.exists() {
        // Left by an earlier run of the same scenario and seed: it would not match the new summary.
        std::fs::remove_file(&replications_file)
            .with_context(|| format!("cannot remove the outdated {}", replications_file.display()))?;
    }
    write_charts_and_report(out, scenario, result, manifest)?;
    output::write_atomically(&manifest_file, |w| w.write_all(manifest.to_json().as_bytes()))
        .with_context(|| format!("results were computed but the manifest could not be saved in {}", out.display()))?;
    Ok(())
}

/// Charts and the report, drawn from summary.csv as written (so that `safe-third chart` redraws the same bytes).
fn write_charts_and_report(
    out: &Path,
    scenario: &safe_third::scenario::Scenario,
    result: &RunResult,
    manifest: &Manifest,
) -> Result<()> {
    let table = SummaryTable::read(&out.join("summary.csv"))?;
    let context = ChartContext::new(manifest, scenario);
    let size = (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT);
    let written = charts::write_charts(&out.join("charts"), &table, &context, &ChartFormat::ALL, size)?;
    let specs: Vec<_> = written.into_iter().map(|c| c.spec).collect();
    let key_figures = montecarlo::key_figures(result);
    let input = ReportInput {
        scenario,
        manifest,
        table: &table,
        context: &context,
        key_figures: &key_figures,
        charts: &specs,
        dir: out,
    };
    output::write_report(out, &input)?;
    Ok(())
}

/// What a run prints: key figures with their bands, and the record beside the simulation.
fn summary(scenario: &safe_third::scenario::Scenario, result: &RunResult, out: &std::path::Path, wall: f64) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    let w = &mut text;
    let layout = &result.layout;
    writeln!(
        w,
        "{}: {} replications, {} to {}, {:.1} s ({:.1} million events/s)",
        scenario.name,
        result.replications.len(),
        layout.months[0],
        layout.months[layout.months.len() - 1],
        wall,
        result.events as f64 / wall.max(1e-9) / 1e6
    )
    .unwrap();
    writeln!(w).unwrap();
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
    let checks = montecarlo::check_targets(&scenario.target, result);
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
    writeln!(w).unwrap();
    writeln!(w, "Wrote {}", out.join("summary.csv").display()).unwrap();
    writeln!(w, "      {} and {}", out.join("report.md").display(), out.join("report.html").display()).unwrap();
    writeln!(w, "      {}", out.join("charts").display()).unwrap();
    text
}
