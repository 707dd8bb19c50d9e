//! `safe-third calibrate` (fit a scenario's parameters to its observed series) and `safe-third validate` (compare
//! a run with them).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use safe_third::calibration::fit::FitPoint;
use safe_third::calibration::observed::Observation;
use safe_third::calibration::{self, Outcome};
use safe_third::model::Model;
use safe_third::montecarlo::{self, RunConfig};
use safe_third::output::charts::{self, ChartContext, ChartFormat};
use safe_third::output::{self, CalibrationRecord, format_number};
use safe_third::scenario::{DEFAULT_ORIGIN, Date};

pub use safe_third::run::observations_of;

use super::{InvalidArgument, Loaded};

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Scenario file (TOML) with a [calibration] section. Without one, calibrates the built-in guatemala-2019.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    seeding: super::Seeding,
    /// Fit only on observations up to this day (YYYY-MM-DD), overriding [calibration] cutoff; later ones are
    /// reported as predictions.
    #[arg(long, value_name = "DATE")]
    cutoff: Option<String>,
    /// Replications per candidate, overriding [calibration] replications.
    #[arg(long, short = 'n')]
    replications: Option<u64>,
    /// Output directory [default: outputs/<scenario name>-calibration]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Overwrite results of another run in the output directory.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Scenario file (TOML) with a [calibration] section naming its observed data. Without one, validates the
    /// built-in guatemala-2019.
    scenario: Option<PathBuf>,
    /// Monte Carlo replications.
    #[arg(long, short = 'n', default_value_t = 1000)]
    replications: u64,
    #[command(flatten)]
    seeding: super::Seeding,
}

/// The scenario's observed data: its `[calibration] observed` file, relative to the scenario file (embedded for
/// the built-in scenario), checked against the metrics the scenario has.
pub fn observations(loaded: &Loaded) -> Result<(Vec<Observation>, String)> {
    Ok(observations_of(&loaded.scenario, &loaded.origin, &loaded.model.layout)?)
}

pub fn calibrate(args: CalibrateArgs) -> Result<()> {
    let mut loaded = super::load(args.scenario.as_ref())?;
    let (observations, observed_origin) = observations(&loaded)?;
    let calibration = loaded.scenario.calibration.as_mut().expect("observations() checked it");
    if let Some(text) = &args.cutoff {
        let cutoff = Date::parse(text).map_err(|e| InvalidArgument(format!("--cutoff: {e}")))?;
        calibration.cutoff = Some(cutoff);
    }
    if let Some(n) = args.replications {
        if n == 0 {
            return Err(InvalidArgument("--replications must be at least 1".to_string()).into());
        }
        calibration.replications = n;
    }
    let calibration = calibration.clone();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}-calibration", loaded.scenario.name)));
    let sha = output::sha256_hex(loaded.source.as_bytes());
    if !args.force {
        output::check_destination(&out, &sha, args.seeding.seed, &[])?;
    }

    let started = Instant::now();
    let started_unix = super::unix_now();
    let planned = calibration::planned_evaluations(&calibration) as u64;
    let bar = super::progress_bar(planned, &format!("{} calibration", loaded.scenario.name));
    let outcome = calibration::calibrate(
        &loaded.scenario,
        &loaded.source,
        &loaded.origin,
        &observations,
        args.seeding.seed,
        args.seeding.threads,
        &|_, _| bar.inc(1),
    )?;
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();

    let fitted = outcome.settings();
    let manifest = output::Manifest {
        calibration: Some(CalibrationRecord {
            observed: observed_origin,
            cutoff: calibration.cutoff.map(|d| d.to_string()),
            loss: format!("{:?}", calibration.loss),
            candidates: outcome.candidates.len(),
            best_loss: outcome.best().loss,
            fitted: fitted.clone(),
        }),
        ..super::manifest(
            &loaded,
            args.seeding.seed,
            calibration.replications,
            args.seeding.threads,
            started_unix,
            wall,
            std::slice::from_ref(&outcome.result),
        )
    };
    let calibrated_path = calibrated_path(&loaded, &out);
    let calibrated = calibrated_text(&loaded, &outcome, &calibration, &manifest)?;
    let context = ChartContext::new(&manifest, &loaded.scenario);
    write(&out, &outcome, &manifest, &context, calibration.cutoff)?;
    output::write_atomically(&calibrated_path, |w| w.write_all(calibrated.as_bytes()))?;
    super::print(&report(&loaded, &outcome, &calibration, &out, &calibrated_path, wall))
}

pub fn validate(args: ValidateArgs) -> Result<()> {
    if args.replications == 0 {
        return Err(InvalidArgument("--replications must be at least 1".to_string()).into());
    }
    let loaded = super::load(args.scenario.as_ref())?;
    let (observations, _) = observations(&loaded)?;
    let policies = super::resolve_policies(&loaded, &[], &[])?;
    let reference = policies.into_iter().find(|p| p.reference).expect("one policy is the reference");
    let bar = super::progress_bar(args.replications, &loaded.scenario.name);
    let config = RunConfig { replications: args.replications, seed: args.seeding.seed, threads: args.seeding.threads };
    let result = montecarlo::run(&Model::new(&reference.scenario), config, &|| bar.inc(1))?;
    bar.finish_and_clear();
    let points = calibration::validate(&result, &observations, loaded.scenario.calibration.as_ref());
    let mut text = format!(
        "{}: {} replications of policy \"{}\" beside {} observations\n\n",
        loaded.scenario.name,
        args.replications,
        reference.name,
        points.len()
    );
    text.push_str(&fit_table(&points));
    super::print(&text)
}

/// Where the calibrated scenario goes: next to the input (`<stem>-calibrated.toml`), or into the output
/// directory for the built-in scenario.
fn calibrated_path(loaded: &Loaded, out: &Path) -> PathBuf {
    let name = format!("{}-calibrated.toml", loaded.scenario.name);
    if loaded.origin == DEFAULT_ORIGIN {
        return out.join(name);
    }
    let input = Path::new(&loaded.origin);
    let stem = input.file_stem().map_or(loaded.scenario.name.clone(), |s| s.to_string_lossy().into_owned());
    input.with_file_name(format!("{stem}-calibrated.toml"))
}

fn calibrated_text(
    loaded: &Loaded,
    outcome: &Outcome,
    calibration: &safe_third::scenario::Calibration,
    manifest: &output::Manifest,
) -> Result<String> {
    let values: Vec<(String, f64, bool)> =
        outcome.parameters.iter().zip(&outcome.best().values).map(|(p, &v)| (p.path.clone(), v, p.integer)).collect();
    let mut header = vec![
        format!(
            "Calibrated by `safe-third calibrate` ({} {}) from {}: {} candidates on {} common replications",
            manifest.tool,
            manifest.version,
            loaded.origin,
            outcome.candidates.len(),
            calibration.replications
        ),
        format!(
            "(seed {}), loss {:?} = {:.4} against {}{}.",
            manifest.seed,
            calibration.loss,
            outcome.best().loss,
            manifest.calibration.as_ref().map_or("", |c| c.observed.as_str()),
            calibration.cutoff.map_or(String::new(), |c| format!(" up to {c}"))
        ),
        "Fitted values (plausible range: each parameter moved alone from the best, the values that keep the loss"
            .to_string(),
        "close to the best; see the README, Calibration):".to_string(),
    ];
    for ((p, v), (lo, hi)) in outcome.parameters.iter().zip(&outcome.best().values).zip(&outcome.plausible) {
        header.push(format!("  {} = {} (plausible {} – {})", p.path, short(*v), short(*lo), short(*hi)));
    }
    header.push(String::new());
    let name = format!("{}-calibrated", loaded.scenario.name);
    Ok(output::calibrated_scenario(&loaded.source, &name, &values, &header)?)
}

fn write(
    out: &Path,
    outcome: &Outcome,
    manifest: &output::Manifest,
    context: &ChartContext,
    cutoff: Option<Date>,
) -> Result<()> {
    let manifest_file = out.join("manifest.json");
    if manifest_file.exists() {
        std::fs::remove_file(&manifest_file).with_context(|| format!("cannot replace {}", manifest_file.display()))?;
    }
    output::write_atomically(&out.join("candidates.csv"), |w| {
        let mut csv = csv::Writer::from_writer(w);
        let header: Vec<&str> = ["candidate", "stage"]
            .into_iter()
            .chain(outcome.parameters.iter().map(|p| p.path.as_str()))
            .chain(["loss"])
            .collect();
        csv.write_record(&header).map_err(std::io::Error::other)?;
        for (i, c) in outcome.candidates.iter().enumerate() {
            let mut row = vec![(i + 1).to_string(), c.stage.name().to_string()];
            row.extend(c.values.iter().map(|v| format_number(*v)));
            row.push(format_number(c.loss));
            csv.write_record(&row).map_err(std::io::Error::other)?;
        }
        csv.flush()
    })?;
    output::write_atomically(&out.join("fit.csv"), |w| write_fit(w, &outcome.fit))?;
    let (dir, formats, size) = (out.join("charts"), ChartFormat::ALL, (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT));
    charts::write_fit_charts(&dir, &outcome.fit, &outcome.result, cutoff.map(|d| d.0), context, &formats, size)?;
    charts::write_loss_surface(&dir, outcome, context, &formats, size)?;
    output::write_atomically(&manifest_file, |w| w.write_all(manifest.to_json().as_bytes()))?;
    Ok(())
}

/// `fit.csv`: every observation beside the best candidate's run.
fn write_fit(w: &mut dyn std::io::Write, points: &[FitPoint]) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record([
        "date_or_month",
        "country",
        "metric",
        "observed",
        "low",
        "high",
        "simulated_mean",
        "p05",
        "p50",
        "p95",
        "inside",
        "used_for_fit",
    ])
    .map_err(std::io::Error::other)?;
    for p in points {
        let o = &p.observation;
        let s = p.simulated;
        let bound = |v: f64| if v.is_finite() { format_number(v) } else { String::new() };
        csv.write_record([
            o.when.to_string(),
            o.country.clone(),
            o.metric.clone(),
            format_number(o.value),
            bound(o.low),
            bound(o.high),
            s.map_or(String::new(), |s| format_number(s.mean)),
            s.map_or(String::new(), |s| format_number(s.p05)),
            s.map_or(String::new(), |s| format_number(s.p50)),
            s.map_or(String::new(), |s| format_number(s.p95)),
            p.inside().map_or(String::new(), |b| b.to_string()),
            p.used.to_string(),
        ])
        .map_err(std::io::Error::other)?;
    }
    csv.flush()
}

fn report(
    loaded: &Loaded,
    outcome: &Outcome,
    calibration: &safe_third::scenario::Calibration,
    out: &Path,
    calibrated: &Path,
    wall: f64,
) -> String {
    let mut text = String::new();
    let w = &mut text;
    let count = |stage| outcome.candidates.iter().filter(|c| c.stage == stage).count();
    let (design, refine) = (count(calibration::Stage::Design), count(calibration::Stage::Refine));
    writeln!(
        w,
        "{}: {} candidates ({design} design, {refine} refinement, {} for the plausible ranges) × {} replications on \
         common random numbers, {:.1} s",
        loaded.scenario.name,
        outcome.candidates.len(),
        outcome.candidates.len() - design - refine,
        calibration.replications,
        wall
    )
    .unwrap();
    writeln!(
        w,
        "Loss ({:?}{}): {:.4}",
        calibration.loss,
        calibration.cutoff.map_or(String::new(), |c| format!(", observations up to {c}")),
        outcome.best().loss
    )
    .unwrap();
    writeln!(w).unwrap();
    let width = outcome.parameters.iter().map(|p| p.path.len()).max().unwrap_or(9).max(9);
    writeln!(w, "{:<width$}  {:>12}  {:>25}  {:>21}", "parameter", "fitted", "plausible range", "searched").unwrap();
    for ((p, v), (lo, hi)) in outcome.parameters.iter().zip(&outcome.best().values).zip(&outcome.plausible) {
        writeln!(
            w,
            "{:<width$}  {:>12}  {:>25}  {:>21}",
            p.path,
            short(*v),
            format!("{} – {}", short(*lo), short(*hi)),
            format!("{} – {}", short(p.low), short(p.high))
        )
        .unwrap();
    }
    writeln!(
        w,
        "(plausible range: each parameter moved alone from the best, the values whose loss exceeds the best by at most \
         {:.0}% of it or by the loss of a fit {:.0}% off everywhere)",
        100.0 * calibration::TOLERANCE,
        100.0 * calibration::FLOOR_RELATIVE_ERROR
    )
    .unwrap();
    writeln!(w).unwrap();
    writeln!(w, "The best candidate beside the record:").unwrap();
    w.push_str(&fit_table(&outcome.fit));
    writeln!(w).unwrap();
    writeln!(w, "Wrote candidates.csv, fit.csv, charts/ and manifest.json in {}", out.display()).unwrap();
    writeln!(w, "Wrote the calibrated scenario {}", calibrated.display()).unwrap();
    text
}

/// Per observation: observed, simulated median and P5–P95, whether inside, and whether fitted or held out; then
/// how many fall inside, fitted and held out apart.
pub fn fit_table(points: &[FitPoint]) -> String {
    let mut text = String::new();
    let w = &mut text;
    let metric_width = points.iter().map(|p| p.observation.metric.len()).max().unwrap_or(6).max(6);
    let country_width = points.iter().map(|p| p.observation.country.len()).max().unwrap_or(7).max(7);
    writeln!(
        w,
        "{:<10}  {:<country_width$}  {:<metric_width$}  {:>9}  {:>9}  {:>17}  {:<7}  use",
        "date", "country", "metric", "observed", "median", "P5–P95", "band"
    )
    .unwrap();
    for p in points {
        let o = &p.observation;
        let observed = match (o.low.is_finite(), o.high.is_finite()) {
            (true, false) => format!(">{}", short(o.low)),
            (false, true) => format!("<{}", short(o.high)),
            (true, true) => format!("{}–{}", short(o.low), short(o.high)),
            (false, false) => short(o.value),
        };
        let (median, band) = p.simulated.map_or(("–".to_string(), "–".to_string()), |s| {
            (short(s.p50), format!("{}–{}", short(s.p05), short(s.p95)))
        });
        let inside = match p.inside() {
            Some(true) => "inside",
            Some(false) => "OUTSIDE",
            None => "n/a",
        };
        writeln!(
            w,
            "{:<10}  {:<country_width$}  {:<metric_width$}  {:>9}  {:>9}  {:>17}  {:<7}  {}",
            o.when.to_string(),
            o.country,
            o.metric,
            observed,
            median,
            band,
            inside,
            if p.used { "fitted" } else { "held out" }
        )
        .unwrap();
    }
    for (label, used) in [("fitted", true), ("held out", false)] {
        let group: Vec<&FitPoint> = points.iter().filter(|p| p.used == used).collect();
        if group.is_empty() {
            continue;
        }
        let inside = group.iter().filter(|p| p.inside() == Some(true)).count();
        writeln!(w, "{label}: {inside} of {} observations inside the simulated P5–P95 band", group.len()).unwrap();
    }
    text
}

/// A parameter value as a person would write it: whole numbers plainly, others to 4 significant digits.
fn short(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v == v.round() && v.abs() < 1e9 {
        return format_number(v);
    }
    let digits = (3 - v.abs().log10().floor() as i32).max(0) as usize;
    format!("{v:.digits$}")
}
