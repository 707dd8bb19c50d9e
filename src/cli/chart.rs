//! `safe-third chart DIR`: redraws a run's charts from `DIR/summary.csv` (and `DIR/differences.csv` when several
//! policies ran), without re-running it.

use std::path::{Path, PathBuf};

use anyhow::Result;

use safe_third::calibration::fit;
use safe_third::model::Model;
use safe_third::output::charts::{
    self, ChartContext, ChartData, ChartFormat, DEFAULT_HEIGHT, DEFAULT_WIDTH, MAX_SIZE, MIN_SIZE, ObservedRecord,
};
use safe_third::output::{self, DifferenceTable, Manifest, SummaryTable};
use safe_third::scenario::{DEFAULT_ORIGIN, DEFAULT_SCENARIO, Policy, Scenario, Setting};

use super::InvalidArgument;

#[derive(Debug, clap::Args)]
pub struct ChartArgs {
    /// Run directory holding summary.csv and manifest.json (e.g. outputs/guatemala-2019).
    dir: PathBuf,
    /// Image formats to write, comma-separated [default: png,svg]
    #[arg(long, value_enum, value_delimiter = ',')]
    format: Vec<FormatArg>,
    /// Width of each chart in pixels.
    #[arg(long, default_value_t = DEFAULT_WIDTH)]
    width: u32,
    /// Height of each chart in pixels.
    #[arg(long, default_value_t = DEFAULT_HEIGHT)]
    height: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Png,
    Svg,
}

pub fn chart(args: ChartArgs) -> Result<()> {
    for (name, value) in [("--width", args.width), ("--height", args.height)] {
        if !(MIN_SIZE..=MAX_SIZE).contains(&value) {
            return Err(InvalidArgument(format!(
                "{name} must be between {MIN_SIZE} and {MAX_SIZE} pixels, not {value}"
            ))
            .into());
        }
    }
    let mut formats: Vec<ChartFormat> = Vec::new();
    for f in &args.format {
        let format = match f {
            FormatArg::Png => ChartFormat::Png,
            FormatArg::Svg => ChartFormat::Svg,
        };
        if !formats.contains(&format) {
            formats.push(format);
        }
    }
    if formats.is_empty() {
        formats = ChartFormat::ALL.to_vec();
    }
    let table =
        SummaryTable::read(&args.dir.join("summary.csv")).map_err(|e| InvalidArgument(super::with_causes(e)))?;
    let manifest =
        Manifest::read(&args.dir.join("manifest.json")).map_err(|e| InvalidArgument(super::with_causes(e)))?;
    let differences_file = args.dir.join("differences.csv");
    let differences = if differences_file.exists() {
        Some(DifferenceTable::read(&differences_file).map_err(|e| InvalidArgument(super::with_causes(e)))?)
    } else {
        None
    };
    let scenario = scenario_of(&manifest);
    let context = match &scenario {
        Ok((scenario, origin, source)) => {
            let context = ChartContext::new(&manifest, scenario);
            // Each policy's own rollout dates, as `run` drew them (the manifest's `--set`s applied).
            let settings: Vec<Setting> = manifest.settings.iter().filter_map(|s| Setting::parse(s).ok()).collect();
            match scenario.policies(source, origin, &settings) {
                Ok(policies) => {
                    let ran = |p: &Policy| manifest.policies.is_empty() || manifest.policies.contains(&p.name);
                    let policies: Vec<Policy> = policies.into_iter().filter(ran).collect();
                    context.with_policies(policies.iter().map(|p| (p.name.as_str(), &p.scenario)))
                }
                Err(e) => {
                    eprintln!("warning: every policy is drawn with the reference's rollout dates: {e}");
                    context
                }
            }
        }
        Err(why) => {
            eprintln!("warning: {why}; charts are drawn without rollout dates and with country keys as names");
            let sending = table.countries.first().map_or("", String::as_str);
            ChartContext::without_scenario(&manifest, sending)
        }
    };
    // The observed record, drawn over the reference policy as `run` drew it.
    let record = match &scenario {
        Ok((scenario, origin, _)) if scenario.calibration.is_some() => {
            let layout = Model::new(scenario).layout;
            let (observations, _) = match super::calibrate::observations_of(scenario, origin, &layout) {
                Ok(found) => found,
                Err(e) => {
                    eprintln!("warning: the observed record is not drawn: {e:#}");
                    (Vec::new(), String::new())
                }
            };
            let cutoff = scenario.calibration.as_ref().and_then(|c| c.cutoff);
            Some((fit::unsimulated(&observations, cutoff), cutoff))
        }
        _ => None,
    };
    let reference = manifest.reference.clone().or_else(|| table.policies.first().cloned()).unwrap_or_default();
    let observed = record.as_ref().map(|(points, cutoff)| ObservedRecord {
        points,
        policy: &reference,
        cutoff: cutoff.map(|d| d.0),
    });
    let data = ChartData { summary: &table, differences: differences.as_ref(), record: observed };
    let written = charts::write_charts(&args.dir.join("charts"), data, &context, &formats, (args.width, args.height))?;
    let files: usize = written.iter().map(|c| c.files.len()).sum();
    super::print(&format!("Wrote {files} chart files in {}\n", args.dir.join("charts").display()))
}

/// The scenario a manifest records, with its origin and source text, if it can still be read and has not changed.
fn scenario_of(manifest: &Manifest) -> std::result::Result<(Scenario, String, String), String> {
    let (source, origin) = if manifest.scenario_file == DEFAULT_ORIGIN {
        (DEFAULT_SCENARIO.to_string(), DEFAULT_ORIGIN.to_string())
    } else {
        let path: &Path = manifest.scenario_path.as_deref().unwrap_or(Path::new(&manifest.scenario_file));
        let text =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read the scenario {}: {e}", path.display()))?;
        (text, path.display().to_string())
    };
    if output::sha256_hex(source.as_bytes()) != manifest.scenario_sha256 {
        return Err(format!("the scenario {origin} has changed since the run"));
    }
    let scenario = Scenario::from_toml(&source, &origin).map_err(|e| e.to_string())?;
    Ok((scenario, origin, source))
}
