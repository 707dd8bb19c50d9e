//! `safe-third sweep`: the full factorial of a grid of overrides, every point on the same random futures.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;

use safe_third::model::Model;
use safe_third::montecarlo::{self, RunResult};
use safe_third::output::charts::{self, ChartContext, ChartFormat, SweepChart};
use safe_third::output::{self, SUMMARY_HEADER, format_number};
use safe_third::scenario::{Policy, Scenario, closest};

use super::InvalidArgument;

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

/// One swept field and its values, as given.
#[derive(Debug, Clone)]
struct Axis {
    path: String,
    values: Vec<String>,
}

impl Axis {
    fn parse(text: &str) -> Result<Axis, InvalidArgument> {
        let (path, values) = text.split_once('=').ok_or_else(|| {
            InvalidArgument(format!("--grid {text}: expected PATH=V1,V2,…, e.g. asylum.guatemala.adjudicators=4,8"))
        })?;
        let values = split_top_level(values);
        if values.iter().any(|v| v.is_empty()) || values.is_empty() {
            return Err(InvalidArgument(format!("--grid {text}: a value is empty")));
        }
        Ok(Axis { path: path.trim().to_string(), values })
    }
}

/// Splits at commas that are not inside brackets, braces or quotes: `[1, 2],3` → `[1, 2]`, `3`.
fn split_top_level(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut current) = (0i32, None, String::new());
    for c in text.chars() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            ('[' | '{', None) => depth += 1,
            (']' | '}', None) => depth -= 1,
            (',', None) if depth == 0 => {
                out.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    out.push(current.trim().to_string());
    out
}

/// Every combination of the axes' values, the first axis varying slowest.
fn points(axes: &[Axis]) -> Vec<Vec<&str>> {
    axes.iter().fold(vec![Vec::new()], |acc, axis| {
        acc.iter()
            .flat_map(|prefix| {
                axis.values.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(v.as_str());
                    p
                })
            })
            .collect()
    })
}

pub fn sweep(args: SweepArgs) -> Result<()> {
    if args.replications == 0 {
        return Err(InvalidArgument("--replications must be at least 1".to_string()).into());
    }
    let axes: Vec<Axis> = args.grid.iter().map(|g| Axis::parse(g)).collect::<Result<_, _>>()?;
    let loaded = super::load(args.scenario.as_ref())?;
    let points = points(&axes);
    // Each point is the chosen policy with the --set overrides and then the point's values.
    let mut policies: Vec<Policy> = Vec::with_capacity(points.len());
    for point in &points {
        let mut settings = args.settings.clone();
        settings.extend(axes.iter().zip(point).map(|(axis, value)| format!("{}={value}", axis.path)));
        let resolved = super::resolve_policies(&loaded, &settings, &[])?;
        let chosen = match &args.policy {
            Some(name) => resolved.into_iter().find(|p| &p.name == name).ok_or_else(|| {
                let names: Vec<String> = loaded.scenario.policy.iter().map(|p| p.name.clone()).collect();
                let hint = closest(name, names.iter().map(String::as_str))
                    .map_or(String::new(), |b| format!("; did you mean \"{b}\"?"));
                InvalidArgument(format!("--policy {name}: the scenario has no such policy{hint}"))
            })?,
            None => resolved.into_iter().find(|p| p.reference).expect("one policy is the reference"),
        };
        policies.push(chosen);
    }
    let layout = &loaded.model.layout;
    let country =
        args.country.clone().unwrap_or_else(|| layout.countries.get(1).unwrap_or(&layout.countries[0]).clone());
    if layout.find(0, &country, &args.metric).is_none() {
        return Err(InvalidArgument(format!(
            "--metric {} --country {country}: no such metric for that country (see README, Metrics)",
            args.metric
        ))
        .into());
    }

    let out =
        args.out.clone().unwrap_or_else(|| PathBuf::from("outputs").join(format!("{}-sweep", loaded.scenario.name)));
    let sha = output::sha256_hex(loaded.source.as_bytes());
    if !args.force {
        output::check_destination(&out, &sha, args.seeding.seed, &args.settings)?;
    }
    let started = Instant::now();
    let started_unix = super::unix_now();
    let models: Vec<Model> = policies.iter().map(|p| Model::new(&p.scenario)).collect();
    let refs: Vec<&Model> = models.iter().collect();
    let bar = super::progress_bar(args.replications * models.len() as u64, &format!("{} sweep", loaded.scenario.name));
    // Summaries only: the grid points' values are aggregated as replications finish, not held.
    let mut batches = montecarlo::Batches::new(&refs, args.seeding.seed, args.seeding.threads)?;
    batches.check(args.replications)?;
    batches.run(args.replications, &|| bar.inc(1));
    let results = batches.finish();
    bar.finish_and_clear();
    let wall = started.elapsed().as_secs_f64();

    let manifest = output::Manifest {
        settings: args.settings.clone(),
        grid: args.grid.clone(),
        policies: vec![policies[0].name.clone()],
        ..super::manifest(
            &loaded,
            args.seeding.seed,
            args.replications,
            args.seeding.threads,
            started_unix,
            wall,
            &results,
        )
    };
    write(&out, &axes, &points, &results, &manifest)?;
    let chart = write_chart(&out, &axes, &points, &results, &country, &args.metric, &manifest, &loaded.scenario)?;
    let mut text = report(&loaded.scenario.name, &axes, &points, &results, &country, &args.metric, &out, wall);
    text.push_str(&chart);
    super::print(&text)
}

fn write(
    out: &Path,
    axes: &[Axis],
    points: &[Vec<&str>],
    results: &[RunResult],
    manifest: &output::Manifest,
) -> Result<()> {
    let manifest_file = out.join("manifest.json");
    if manifest_file.exists() {
        std::fs::remove_file(&manifest_file)?;
    }
    output::write_atomically(&out.join("sweep.csv"), |w| {
        let mut csv = csv::Writer::from_writer(w);
        let header: Vec<&str> = std::iter::once("point")
            .chain(axes.iter().map(|a| a.path.as_str()))
            .chain(SUMMARY_HEADER[1..].iter().copied())
            .collect();
        csv.write_record(&header).map_err(std::io::Error::other)?;
        for (i, (point, result)) in points.iter().zip(results).enumerate() {
            let number = (i + 1).to_string();
            let leading: Vec<&str> = std::iter::once(number.as_str()).chain(point.iter().copied()).collect();
            output::write_summary_rows(&mut csv, &leading, &result.layout, &result.summary)?;
        }
        csv.flush()
    })?;
    output::write_atomically(&manifest_file, |w| w.write_all(manifest.to_json().as_bytes()))?;
    Ok(())
}

/// Draws the chosen metric at the last month against the grid into `out/charts/`; says what it wrote.
#[allow(clippy::too_many_arguments)]
fn write_chart(
    out: &Path,
    axes: &[Axis],
    points: &[Vec<&str>],
    results: &[RunResult],
    country: &str,
    metric: &str,
    manifest: &output::Manifest,
    scenario: &Scenario,
) -> Result<String> {
    let layout = &results[0].layout;
    let last = layout.months.len() - 1;
    let sweep = SweepChart {
        metric: metric.to_string(),
        country: country.to_string(),
        month: layout.months[last].clone(),
        axes: axes.iter().map(|a| (a.path.clone(), a.values.clone())).collect(),
        points: points
            .iter()
            .zip(results)
            .map(|(point, result)| {
                let s = result.layout.find(last, country, metric).map(|c| result.summary[c]);
                let stats = s.map_or([f64::NAN; 3], |s| [s.p50, s.p05, s.p95]);
                (point.iter().map(|v| v.to_string()).collect(), stats)
            })
            .collect(),
    };
    let context = ChartContext::new(manifest, scenario);
    let size = (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT);
    Ok(match charts::write_sweep_chart(&out.join("charts"), &sweep, &context, &ChartFormat::ALL, size)? {
        Some(written) => format!("      and charts/{}.png, .svg\n", written.stem),
        None => format!("      (no chart: a sweep of {} fields is charted only for one or two)\n", axes.len()),
    })
}

/// The chosen metric at the last month for every grid point.
#[allow(clippy::too_many_arguments)]
fn report(
    name: &str,
    axes: &[Axis],
    points: &[Vec<&str>],
    results: &[RunResult],
    country: &str,
    metric: &str,
    out: &Path,
    wall: f64,
) -> String {
    use std::fmt::Write as _;
    let mut text = String::new();
    let w = &mut text;
    let layout = &results[0].layout;
    let last = layout.months.len() - 1;
    writeln!(
        w,
        "{name}: sweep of {} grid points × {} replications on common random numbers, {:.1} s",
        points.len(),
        results[0].count,
        wall
    )
    .unwrap();
    writeln!(w).unwrap();
    writeln!(w, "{country} {metric} in {}:", layout.months[last]).unwrap();
    let widths: Vec<usize> =
        axes.iter().map(|a| a.path.len().max(a.values.iter().map(String::len).max().unwrap_or(0))).collect();
    for (axis, width) in axes.iter().zip(&widths) {
        write!(w, "{:<width$}  ", axis.path).unwrap();
    }
    writeln!(w, "{:>10} {:>10} {:>10} {:>10}", "mean", "P5", "median", "P95").unwrap();
    for (point, result) in points.iter().zip(results) {
        for (value, width) in point.iter().zip(&widths) {
            write!(w, "{value:<width$}  ").unwrap();
        }
        let s = result.layout.find(last, country, metric).map(|c| result.summary[c]);
        let cell = |v: Option<f64>| v.map_or("–".to_string(), |v| format_number((v * 10.0).round() / 10.0));
        writeln!(
            w,
            "{:>10} {:>10} {:>10} {:>10}",
            cell(s.map(|s| s.mean)),
            cell(s.map(|s| s.p05)),
            cell(s.map(|s| s.p50)),
            cell(s.map(|s| s.p95))
        )
        .unwrap();
    }
    writeln!(w).unwrap();
    writeln!(w, "Wrote sweep.csv in {}", out.display()).unwrap();
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_split_at_top_level_commas_only() {
        assert_eq!(split_top_level("4, 8,16"), ["4", "8", "16"]);
        assert_eq!(split_top_level("[1, 2],3"), ["[1, 2]", "3"]);
        assert_eq!(split_top_level("\"a,b\",{ x = 1, y = 2 }"), ["\"a,b\"", "{ x = 1, y = 2 }"]);
    }

    #[test]
    fn the_grid_is_the_full_factorial_first_axis_slowest() {
        let axes = [
            Axis { path: "a".into(), values: vec!["1".into(), "2".into()] },
            Axis { path: "b".into(), values: vec!["x".into(), "y".into(), "z".into()] },
        ];
        let p = points(&axes);
        assert_eq!(p.len(), 6);
        assert_eq!(p[0], ["1", "x"]);
        assert_eq!(p[1], ["1", "y"]);
        assert_eq!(p[5], ["2", "z"]);
    }
}
