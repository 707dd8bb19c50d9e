//! `safe-third merge`: partial results of `run --shard K/N` combined into the files a single run writes.
//!
//! The shards must come from the same run: the same tool version, scenario (by SHA-256), seed, replications,
//! `--set` overrides, policies and `--replications-csv`, and their replication ranges must cover the run exactly
//! once. Anything else is refused before a file is written (exit code 2). The merge then aggregates the shards'
//! values in replication order, exactly as a single run aggregates its own (streaming, in bounded memory), so `summary.csv`,
//! `differences.csv` and `replications.csv` are byte-identical to a single run's with the same seed.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Result;

use safe_third::model::{MetricLayout, Model};
use safe_third::montecarlo::{Aggregator, RunResult};
use safe_third::output::{self, Manifest, PartialManifest};

use super::InvalidArgument;
use super::run::PolicyRun;

#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Directories written by `safe-third run --shard K/N`, in any order.
    #[arg(required = true, value_name = "DIR")]
    partials: Vec<PathBuf>,
    /// Output directory for the merged results.
    #[arg(long)]
    out: PathBuf,
    /// Overwrite results of another scenario or seed in the output directory.
    #[arg(long)]
    force: bool,
}

/// The fields of the run manifest that every shard of one run shares, named for error messages.
fn identity(m: &Manifest) -> [(&'static str, String); 9] {
    [
        ("tool version", format!("{} {}", m.tool, m.version)),
        ("scenario (SHA-256)", m.scenario_sha256.clone()),
        ("seed", m.seed.to_string()),
        ("replications", m.replications.to_string()),
        ("--set overrides", format!("{:?}", m.settings)),
        ("policies", format!("{:?}", m.policies)),
        ("reference policy", format!("{:?}", m.reference)),
        ("--replications-csv", m.replications_csv.to_string()),
        ("generator", m.generator.clone()),
    ]
}

/// Reads and checks the partials: one run, ranges tiling `0..replications`. Returns them in replication order.
fn read_partials(dirs: &[PathBuf]) -> Result<Vec<(PathBuf, PartialManifest)>> {
    let mut partials = Vec::with_capacity(dirs.len());
    for dir in dirs {
        partials.push((dir.clone(), PartialManifest::read(dir)?));
    }
    let (first_dir, first) = &partials[0];
    let expected = identity(&first.run);
    for (dir, partial) in &partials[1..] {
        for ((what, want), (_, found)) in expected.iter().zip(identity(&partial.run)) {
            if *want != found {
                return Err(InvalidArgument(format!(
                    "{} and {} are shards of different runs: {what} {want} in the first, {found} in the second",
                    first_dir.display(),
                    dir.display()
                ))
                .into());
            }
        }
        if partial.values_per_replication != first.values_per_replication {
            return Err(InvalidArgument(format!(
                "{} and {} hold different numbers of values per replication",
                first_dir.display(),
                dir.display()
            ))
            .into());
        }
    }
    if first.run.version != env!("CARGO_PKG_VERSION") {
        return Err(InvalidArgument(format!(
            "the shards were written by safe-third {}; this is {}: merge them with the version that ran them",
            first.run.version,
            env!("CARGO_PKG_VERSION")
        ))
        .into());
    }
    let total = first.run.replications;
    partials.sort_by_key(|(_, p)| p.first);
    let mut next = 0u64;
    for (dir, partial) in &partials {
        let end = partial.first + partial.replications;
        let range = format!("replications {} to {}", partial.first, end.saturating_sub(1));
        if partial.first < next {
            return Err(InvalidArgument(format!(
                "{} (shard {}, {range}) overlaps replications already covered by another shard; give each shard \
                 once",
                dir.display(),
                partial.shard
            ))
            .into());
        }
        if partial.first > next {
            return Err(InvalidArgument(format!(
                "replications {next} to {} of {total} are missing: no shard given covers them",
                partial.first - 1
            ))
            .into());
        }
        next = end;
    }
    if next != total {
        return Err(InvalidArgument(format!(
            "replications {next} to {} of {total} are missing: no shard given covers them",
            total - 1
        ))
        .into());
    }
    Ok(partials)
}

pub fn merge(args: MergeArgs) -> Result<()> {
    let started = Instant::now();
    let partials = read_partials(&args.partials)?;
    let (first_dir, first) = &partials[0];
    let run = &first.run;
    let source_file = first_dir.join(output::PARTIAL_SCENARIO);
    let source = std::fs::read_to_string(&source_file)
        .map_err(|e| InvalidArgument(format!("cannot read {}: {e}", source_file.display())))?;
    let sha = output::sha256_hex(source.as_bytes());
    if sha != run.scenario_sha256 {
        return Err(InvalidArgument(format!(
            "{} has SHA-256 {sha}, not {} as recorded: the partial was altered",
            source_file.display(),
            run.scenario_sha256
        ))
        .into());
    }
    if !args.force {
        output::check_destination(&args.out, &run.scenario_sha256, run.seed, &run.settings)?;
    }
    let loaded = super::load_source(source, run.scenario_file.clone())?;
    let policies = super::resolve_policies(&loaded, &run.settings, &run.policies)?;
    let layouts: Vec<_> = policies.iter().map(|p| Model::new(&p.scenario).layout).collect();
    let lengths: Vec<usize> = layouts.iter().map(|l| l.len()).collect();
    if lengths != first.values_per_replication {
        return Err(InvalidArgument(format!(
            "the partials hold {:?} values per replication, but the scenario gives {lengths:?}",
            first.values_per_replication
        ))
        .into());
    }

    // Every partial's values are checked before anything is computed from them.
    let mut readers = Vec::with_capacity(partials.len());
    for (dir, partial) in &partials {
        readers.push(output::PartialValues::open(dir, partial)?);
    }
    let reference = policies.iter().position(|p| p.reference).unwrap_or(0);
    // The shards' values, in replication order, aggregated exactly as a single run aggregates its own.
    let mut aggregator = Aggregator::new(layouts.clone(), Some(reference), false);
    let mut replications = if run.replications_csv {
        let names: Vec<(&str, &MetricLayout)> =
            policies.iter().zip(&layouts).map(|(p, l)| (p.name.as_str(), l)).collect();
        Some(output::ReplicationsWriter::create(&args.out.join("replications.csv"), &names)?)
    } else {
        None
    };
    let mut values = Vec::new();
    let mut index = 0u64;
    for ((_, partial), mut reader) in partials.iter().zip(readers) {
        while reader.next_into(&mut values)? {
            aggregator.push(&values);
            if let Some(writer) = replications.as_mut() {
                writer.push(index, &values);
            }
            index += 1;
        }
        for (m, &e) in partial.events.iter().enumerate() {
            aggregator.add_events(m, e);
        }
    }
    let results: Vec<RunResult> = aggregator.finish();
    let runs: Vec<PolicyRun> =
        policies.iter().zip(&results).map(|(policy, result)| PolicyRun { policy, result }).collect();
    // Time spent by the shards together, not by the merge.
    let wall: f64 = partials.iter().map(|(_, p)| p.run.wall_time_seconds).sum();
    let manifest = Manifest {
        threads: partials.iter().map(|(_, p)| p.run.threads).max().unwrap_or(1),
        command: std::env::args().collect(),
        started_unix_seconds: partials.iter().map(|(_, p)| p.run.started_unix_seconds).min().unwrap_or(0),
        wall_time_seconds: (wall * 1000.0).round() / 1000.0,
        events: results.iter().map(|r| r.events).sum(),
        ..run.clone()
    };
    // The observed record, found from the scenario path as the shards recorded it (or embedded for the built-in).
    let record = super::run::record_of(&loaded, runs[reference].result);
    super::run::write(&args.out, &runs, reference, &manifest, replications, record.as_ref())?;
    let mut text = super::run::summary(&loaded.scenario, &runs, reference, None, &args.out, wall);
    text.insert_str(
        0,
        &format!(
            "Merged {} shards ({:.1} s of simulation in all; merge {:.1} s)\n",
            partials.len(),
            wall,
            started.elapsed().as_secs_f64()
        ),
    );
    super::print(&text)
}
