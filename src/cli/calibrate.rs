//! `safe-third calibrate` (the posterior of a scenario's parameters given its observed series, by ABC-SMC) and
//! `safe-third validate` (compare a run with them).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use safe_third::calibration::fit::FitPoint;
use safe_third::calibration::observed::Observation;
use safe_third::calibration::posterior::applied;
use safe_third::calibration::{self, Outcome};
use safe_third::model::Model;
use safe_third::montecarlo::{self, RunConfig};
use safe_third::output::{self, CalibrationRecord, format_number};
use safe_third::scenario::{Date, Prior};

pub use safe_third::run::observations_of;

use super::{InvalidArgument, Loaded};

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Scenario file (TOML) with a [calibration] section. Without one, calibrates the built-in guatemala-2019.
    scenario: Option<PathBuf>,
    #[command(flatten)]
    seeding: super::Seeding,
    /// Calibrate only on observations up to this day (YYYY-MM-DD), overriding [calibration] cutoff; later ones
    /// are reported as predictions.
    #[arg(long, value_name = "DATE")]
    cutoff: Option<String>,
    /// Replications per parameter set, overriding [calibration] replications.
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
    let bar = indicatif::ProgressBar::new(calibration.budget).with_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} {msg} [{bar:40}] {pos}/{len} parameter sets (at most), {elapsed} elapsed",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(format!("{} calibration", loaded.scenario.name));
    let outcome = calibration::calibrate(
        &loaded.scenario,
        &loaded.source,
        &loaded.origin,
        &observations,
        args.seeding.seed,
        args.seeding.threads,
        &|n| bar.inc(n),
    )?;
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();

    let posterior = outcome.sequence.posterior();
    let manifest = output::Manifest {
        calibration: Some(CalibrationRecord {
            observed: observed_origin,
            cutoff: calibration.cutoff.map(|d| d.to_string()),
            loss: format!("{:?}", calibration.loss),
            particles: posterior.particles.len(),
            generations: outcome.sequence.populations.len(),
            simulated: outcome.sequence.simulated(),
            tolerance: posterior.tolerance,
            ess: posterior.ess(),
            stop: outcome.sequence.stop.describe().to_string(),
        }),
        ..super::manifest(
            &loaded,
            args.seeding.seed,
            calibration.replications,
            args.seeding.threads,
            started_unix,
            wall,
            &[],
        )
    };
    write(&out, &outcome, &manifest)?;
    super::print(&report(&loaded, &outcome, &calibration, &out, wall))
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

fn write(out: &Path, outcome: &Outcome, manifest: &output::Manifest) -> Result<()> {
    let manifest_file = out.join("manifest.json");
    if manifest_file.exists() {
        std::fs::remove_file(&manifest_file).with_context(|| format!("cannot replace {}", manifest_file.display()))?;
    }
    output::write_atomically(&out.join("posterior.csv"), |w| write_posterior(w, outcome))?;
    output::write_atomically(&out.join("generations.csv"), |w| write_generations(w, outcome))?;
    output::write_atomically(&out.join("intervals.csv"), |w| write_intervals(w, outcome))?;
    output::write_atomically(&out.join("fit.csv"), |w| write_fit(w, &outcome.fit))?;
    output::write_atomically(&manifest_file, |w| w.write_all(manifest.to_json().as_bytes()))?;
    Ok(())
}

/// `posterior.csv`: every particle of every generation, its normalised weight within its generation, its
/// parameter values as applied to the scenario, and its distance. The last generation is the posterior sample.
fn write_posterior(w: &mut dyn std::io::Write, outcome: &Outcome) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    let header: Vec<&str> = ["generation", "particle", "weight"]
        .into_iter()
        .chain(outcome.parameters.iter().map(|p| p.path.as_str()))
        .chain(["distance"])
        .collect();
    csv.write_record(&header).map_err(std::io::Error::other)?;
    for (g, population) in outcome.sequence.populations.iter().enumerate() {
        for (i, particle) in population.particles.iter().enumerate() {
            let mut row = vec![g.to_string(), (i + 1).to_string(), format!("{:?}", particle.weight)];
            row.extend(outcome.parameters.iter().zip(&particle.values).map(|(p, &v)| format!("{:?}", applied(p, v))));
            row.push(format!("{:?}", particle.distance()));
            csv.write_record(&row).map_err(std::io::Error::other)?;
        }
    }
    csv.flush()
}

/// `generations.csv`: the tolerance schedule, with each generation's cost, acceptance rate and ESS.
fn write_generations(w: &mut dyn std::io::Write, outcome: &Outcome) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(["generation", "tolerance", "simulated", "accepted", "acceptance", "ess"])
        .map_err(std::io::Error::other)?;
    for (g, p) in outcome.sequence.populations.iter().enumerate() {
        csv.write_record([
            g.to_string(),
            if p.tolerance.is_finite() { format!("{:?}", p.tolerance) } else { "inf".to_string() },
            p.simulated.to_string(),
            p.particles.len().to_string(),
            format!("{:.4}", p.acceptance()),
            format!("{:.1}", p.ess()),
        ])
        .map_err(std::io::Error::other)?;
    }
    csv.flush()
}

/// `intervals.csv`: each parameter's prior and posterior 90% intervals side by side.
fn write_intervals(w: &mut dyn std::io::Write, outcome: &Outcome) -> std::io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record([
        "parameter",
        "prior",
        "prior_p05",
        "prior_p95",
        "posterior_p05",
        "posterior_median",
        "posterior_p95",
        "width_ratio",
        "identified",
    ])
    .map_err(std::io::Error::other)?;
    for (p, s) in outcome.parameters.iter().zip(&outcome.summaries) {
        csv.write_record([
            p.path.clone(),
            prior_name(p),
            format!("{:?}", s.prior.0),
            format!("{:?}", s.prior.1),
            format!("{:?}", s.posterior.0),
            format!("{:?}", s.median),
            format!("{:?}", s.posterior.1),
            format!("{:.3}", s.width_ratio()),
            s.identified().to_string(),
        ])
        .map_err(std::io::Error::other)?;
    }
    csv.flush()
}

/// A prior as a person would write it, with its truncation.
fn prior_name(p: &safe_third::scenario::CalibratedParameter) -> String {
    let range = format!("[{}, {}]", short(p.low), short(p.high));
    match p.prior {
        Prior::Uniform => format!("uniform {range}"),
        Prior::LogUniform => format!("log-uniform {range}"),
        Prior::Normal { mean, sd } => format!("normal({}, sd {}) on {range}", short(mean), short(sd)),
        Prior::Beta { alpha, beta } => format!("beta({}, {}) on {range}", short(alpha), short(beta)),
    }
}

/// `fit.csv`: every observation beside the posterior predictive.
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
    wall: f64,
) -> String {
    let mut text = String::new();
    let w = &mut text;
    let sequence = &outcome.sequence;
    let posterior = sequence.posterior();
    writeln!(
        w,
        "{}: ABC-SMC, {} particles, {} generations, {} parameter sets simulated ({} replication{} each), {:.1} s; \
         stopped because {}",
        loaded.scenario.name,
        posterior.particles.len(),
        sequence.populations.len(),
        sequence.simulated(),
        calibration.replications,
        if calibration.replications == 1 { "" } else { "s" },
        wall,
        sequence.stop.describe()
    )
    .unwrap();
    writeln!(
        w,
        "Distance: root mean square error ({:?}) over {} observations{}",
        calibration.loss,
        outcome.fit.iter().filter(|p| p.used).count(),
        calibration.cutoff.map_or(String::new(), |c| format!(" up to {c}"))
    )
    .unwrap();
    writeln!(w).unwrap();
    writeln!(w, "generation  tolerance   simulated  acceptance     ESS").unwrap();
    for (g, p) in sequence.populations.iter().enumerate() {
        let tolerance = if p.tolerance.is_finite() { format!("{:.4}", p.tolerance) } else { "∞ (prior)".to_string() };
        writeln!(w, "{g:>10}  {tolerance:>9}  {:>10}  {:>10.3}  {:>6.1}", p.simulated, p.acceptance(), p.ess())
            .unwrap();
    }
    writeln!(w).unwrap();
    let width = outcome.parameters.iter().map(|p| p.path.len()).max().unwrap_or(9).max(9);
    writeln!(
        w,
        "{:<width$}  {:>21}  {:>21}  {:>10}  {:>7}  record",
        "parameter", "prior P5–P95", "posterior P5–P95", "median", "width"
    )
    .unwrap();
    for (p, s) in outcome.parameters.iter().zip(&outcome.summaries) {
        writeln!(
            w,
            "{:<width$}  {:>21}  {:>21}  {:>10}  {:>6.0}%  {}",
            p.path,
            format!("{} – {}", short(s.prior.0), short(s.prior.1)),
            format!("{} – {}", short(s.posterior.0), short(s.posterior.1)),
            short(s.median),
            100.0 * s.width_ratio(),
            if s.identified() { "narrows it" } else { "NOT IDENTIFIED by the record" }
        )
        .unwrap();
    }
    writeln!(
        w,
        "(width: the posterior 90% interval over the prior's; above {:.0}% the record is taken not to identify the \
         parameter. The posterior is the weighted set in posterior.csv, not one value.)",
        100.0 * calibration::posterior::NOT_IDENTIFIED_RATIO
    )
    .unwrap();
    writeln!(w).unwrap();
    writeln!(
        w,
        "The posterior predictive ({} parameter sets drawn from the posterior, one record each) beside the record:",
        calibration::PREDICTIVE_DRAWS
    )
    .unwrap();
    w.push_str(&fit_table(&outcome.fit));
    writeln!(w).unwrap();
    writeln!(w, "Wrote posterior.csv, generations.csv, intervals.csv, fit.csv and manifest.json in {}", out.display())
        .unwrap();
    text
}

/// Per observation: observed, simulated median and P5–P95, whether inside, and whether used for calibration or
/// held out; then how many fall inside, used and held out apart.
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
            if p.used { "used" } else { "held out" }
        )
        .unwrap();
    }
    for (label, used) in [("used for calibration", true), ("held out", false)] {
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
