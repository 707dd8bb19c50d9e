//! A sweep: the full factorial of a grid of overrides, every point on the same random futures, summarised into
//! `sweep.csv` with one chart of a chosen metric against the grid.

use std::path::Path;
use std::time::Instant;

use crate::error::{Error, InvalidRequest};
use crate::model::Model;
use crate::montecarlo::{ReplicationRunner, RunResult};
use crate::output::charts::{self, ChartContext, ChartFormat, SweepChart};
use crate::output::{self, Manifest, SUMMARY_HEADER, format_number};
use crate::scenario::{Policy, closest};

use super::{LoadedScenario, Sinks, manifest, unix_now};

/// What to sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepOptions {
    /// Each swept field and its values, `PATH=V1,V2,…` (the sweep runs every combination).
    pub grid: Vec<String>,
    /// Replications per grid point.
    pub replications: u64,
    pub seed: u64,
    /// Worker threads; 0 uses one per core.
    pub threads: usize,
    /// The policy swept, for a scenario that declares several; `None` sweeps the reference policy.
    pub policy: Option<String>,
    /// `PATH=VALUE` overrides applied at every grid point, before the point's values.
    pub settings: Vec<String>,
    /// The metric reported (and charted) against the grid, at the last month.
    pub metric: String,
    /// The country of `metric`; `None` is the first receiving country.
    pub country: Option<String>,
    /// The command that asked for the sweep, recorded in the manifest.
    pub command: Vec<String>,
}

/// A sweep ready to run: every grid point resolved into a policy of its own.
pub struct PreparedSweep<'s> {
    scenario: &'s LoadedScenario,
    options: SweepOptions,
    axes: Vec<Axis>,
    /// The grid points' values, the first axis varying slowest, and each point's policy.
    points: Vec<(Vec<String>, Policy)>,
    country: String,
}

/// What a sweep produced.
#[derive(Debug, Clone)]
pub struct SweepOutcome {
    pub name: String,
    pub axes: Vec<Axis>,
    /// Each grid point's values (one per axis) and results, in grid order.
    pub points: Vec<(Vec<String>, RunResult)>,
    pub metric: String,
    pub country: String,
    pub manifest: Manifest,
    pub wall_seconds: f64,
    /// The scenario as loaded (before overrides), for the chart's context.
    scenario: crate::scenario::Scenario,
}

/// Prepares and executes a sweep in one call.
pub fn sweep(scenario: &LoadedScenario, options: SweepOptions, sinks: Sinks) -> Result<SweepOutcome, Error> {
    PreparedSweep::new(scenario, options)?.execute(sinks)
}

impl<'s> PreparedSweep<'s> {
    /// Parses the grid, resolves every point's policy and checks the reported metric.
    pub fn new(scenario: &'s LoadedScenario, options: SweepOptions) -> Result<PreparedSweep<'s>, Error> {
        if options.replications == 0 {
            return Err(InvalidRequest("--replications must be at least 1".to_string()).into());
        }
        let axes: Vec<Axis> = options.grid.iter().map(|g| Axis::parse(g)).collect::<Result<_, _>>()?;
        let grid = points(&axes);
        // Each point is the chosen policy with the overrides and then the point's values.
        let mut resolved_points = Vec::with_capacity(grid.len());
        for point in &grid {
            let mut settings = options.settings.clone();
            settings.extend(axes.iter().zip(point).map(|(axis, value)| format!("{}={value}", axis.path)));
            let resolved = scenario.policies(&settings, &[])?;
            let chosen = match &options.policy {
                Some(name) => resolved.into_iter().find(|p| &p.name == name).ok_or_else(|| {
                    let names: Vec<String> = scenario.scenario.policy.iter().map(|p| p.name.clone()).collect();
                    let hint = closest(name, names.iter().map(String::as_str))
                        .map_or(String::new(), |b| format!("; did you mean \"{b}\"?"));
                    InvalidRequest(format!("--policy {name}: the scenario has no such policy{hint}"))
                })?,
                None => resolved.into_iter().find(|p| p.reference).expect("one policy is the reference"),
            };
            resolved_points.push((point.iter().map(|v| v.to_string()).collect(), chosen));
        }
        let layout = &scenario.model.layout;
        let country =
            options.country.clone().unwrap_or_else(|| layout.countries.get(1).unwrap_or(&layout.countries[0]).clone());
        if layout.find(0, &country, &options.metric).is_none() {
            return Err(InvalidRequest(format!(
                "--metric {} --country {country}: no such metric for that country (see README, Metrics)",
                options.metric
            ))
            .into());
        }
        Ok(PreparedSweep { scenario, options, axes, points: resolved_points, country })
    }

    /// Replications that will run in all, for a progress bar.
    pub fn planned_replications(&self) -> u64 {
        self.options.replications * self.points.len() as u64
    }

    /// Refuses a directory holding another run's results, unless `force`.
    pub fn check_destination(&self, out: &Path, force: bool) -> Result<(), Error> {
        if !force {
            output::check_destination(out, &self.scenario.sha256(), self.options.seed, &self.options.settings)?;
        }
        Ok(())
    }

    /// Runs every grid point on the same replications. Summaries only: the points' values are aggregated as
    /// replications finish, not held.
    pub fn execute(self, sinks: Sinks) -> Result<SweepOutcome, Error> {
        let started = Instant::now();
        let started_unix = unix_now();
        let models: Vec<Model> = self.points.iter().map(|(_, p)| Model::new(&p.scenario)).collect();
        let refs: Vec<&Model> = models.iter().collect();
        let mut runner = ReplicationRunner::new(&refs, self.options.seed, self.options.threads)?;
        if let Some(cancelled) = sinks.cancelled {
            runner = runner.cancel_when(cancelled);
        }
        runner.check(self.options.replications)?;
        runner.run(self.options.replications, sinks.progress.unwrap_or(&|| {}))?;
        let results = runner.finish();
        let wall = started.elapsed().as_secs_f64();
        let run_options = super::RunOptions {
            threads: self.options.threads,
            command: self.options.command.clone(),
            ..super::RunOptions::new(self.options.replications, self.options.seed)
        };
        let manifest = Manifest {
            settings: self.options.settings.clone(),
            grid: self.options.grid.clone(),
            policies: vec![self.points[0].1.name.clone()],
            ..manifest(self.scenario, &run_options, self.options.replications, started_unix, wall, &results)
        };
        let scenario = self.scenario.scenario.clone();
        Ok(SweepOutcome {
            name: self.scenario.scenario.name.clone(),
            axes: self.axes,
            points: self.points.into_iter().map(|(values, _)| values).zip(results).collect(),
            metric: self.options.metric,
            country: self.country,
            manifest,
            wall_seconds: wall,
            scenario,
        })
    }
}

impl SweepOutcome {
    /// Writes `sweep.csv`, the chart of the metric against the grid and the manifest (removed first, written
    /// last, as for a run directory) into `out`; says what chart it wrote.
    pub fn write(&self, out: &Path) -> Result<String, Error> {
        let manifest_file = out.join("manifest.json");
        if manifest_file.exists() {
            std::fs::remove_file(&manifest_file)
                .map_err(|source| output::OutputError { path: manifest_file.clone(), source })?;
        }
        output::write_atomically(&out.join("sweep.csv"), |w| {
            let mut csv = csv::Writer::from_writer(w);
            let header: Vec<&str> = std::iter::once("point")
                .chain(self.axes.iter().map(|a| a.path.as_str()))
                .chain(SUMMARY_HEADER[1..].iter().copied())
                .collect();
            csv.write_record(&header).map_err(std::io::Error::other)?;
            for (i, (point, result)) in self.points.iter().enumerate() {
                let number = (i + 1).to_string();
                let leading: Vec<&str> =
                    std::iter::once(number.as_str()).chain(point.iter().map(String::as_str)).collect();
                output::write_summary_rows(&mut csv, &leading, &result.layout, &result.summary)?;
            }
            csv.flush()
        })?;
        let chart = self.write_chart(out)?;
        output::write_atomically(&manifest_file, |w| w.write_all(self.manifest.to_json().as_bytes()))?;
        Ok(chart)
    }

    /// Draws the chosen metric at the last month against the grid into `out/charts/`; says what it wrote.
    fn write_chart(&self, out: &Path) -> Result<String, Error> {
        let layout = &self.points[0].1.layout;
        let last = layout.months.len() - 1;
        let sweep = SweepChart {
            metric: self.metric.clone(),
            country: self.country.clone(),
            month: layout.months[last].clone(),
            axes: self.axes.iter().map(|a| (a.path.clone(), a.values.clone())).collect(),
            points: self
                .points
                .iter()
                .map(|(point, result)| {
                    let s = result.layout.find(last, &self.country, &self.metric).map(|c| result.summary[c]);
                    let stats = s.map_or([f64::NAN; 3], |s| [s.p50, s.p05, s.p95]);
                    (point.clone(), stats)
                })
                .collect(),
        };
        let context = ChartContext::new(&self.manifest, &self.scenario);
        let size = (charts::DEFAULT_WIDTH, charts::DEFAULT_HEIGHT);
        Ok(match charts::write_sweep_chart(&out.join("charts"), &sweep, &context, &ChartFormat::ALL, size)? {
            Some(written) => format!("      and charts/{}.png, .svg\n", written.stem),
            None => format!("      (no chart: a sweep of {} fields is charted only for one or two)\n", self.axes.len()),
        })
    }

    /// What the command line prints: the chosen metric at the last month for every grid point.
    pub fn text(&self, out: &Path) -> String {
        use std::fmt::Write as _;
        let mut text = String::new();
        let w = &mut text;
        let layout = &self.points[0].1.layout;
        let last = layout.months.len() - 1;
        writeln!(
            w,
            "{}: sweep of {} grid points × {} replications on common random numbers, {:.1} s",
            self.name,
            self.points.len(),
            self.points[0].1.count,
            self.wall_seconds
        )
        .unwrap();
        writeln!(w).unwrap();
        writeln!(w, "{} {} in {}:", self.country, self.metric, layout.months[last]).unwrap();
        let widths: Vec<usize> =
            self.axes.iter().map(|a| a.path.len().max(a.values.iter().map(String::len).max().unwrap_or(0))).collect();
        for (axis, width) in self.axes.iter().zip(&widths) {
            write!(w, "{:<width$}  ", axis.path).unwrap();
        }
        writeln!(w, "{:>10} {:>10} {:>10} {:>10}", "mean", "P5", "median", "P95").unwrap();
        for (point, result) in &self.points {
            for (value, width) in point.iter().zip(&widths) {
                write!(w, "{value:<width$}  ").unwrap();
            }
            let s = result.layout.find(last, &self.country, &self.metric).map(|c| result.summary[c]);
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
}

/// One swept field and its values, as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Axis {
    pub path: String,
    pub values: Vec<String>,
}

impl Axis {
    /// Parses `PATH=V1,V2,…`.
    pub fn parse(text: &str) -> Result<Axis, InvalidRequest> {
        let (path, values) = text.split_once('=').ok_or_else(|| {
            InvalidRequest(format!("--grid {text}: expected PATH=V1,V2,…, e.g. asylum.guatemala.adjudicators=4,8"))
        })?;
        let values = split_top_level(values);
        if values.iter().any(|v| v.is_empty()) || values.is_empty() {
            return Err(InvalidRequest(format!("--grid {text}: a value is empty")));
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
pub fn points(axes: &[Axis]) -> Vec<Vec<&str>> {
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
