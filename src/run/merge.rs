//! Partial results of [`super::run_shard`] combined into the files a single run writes.
//!
//! The shards must come from the same run: the same tool version, scenario (by SHA-256), seed, replications,
//! `--set` overrides, policies and `--replications-csv`, and their replication ranges must cover the run exactly
//! once. Anything else is refused before a file is written ([`ErrorKind::Input`](crate::error::ErrorKind)). The
//! merge then aggregates the shards' values in replication order, exactly as a single run aggregates its own
//! (streaming, in bounded memory), so `summary.csv`, `differences.csv` and `replications.csv` are byte-identical to
//! a single run's with the same seed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, InvalidRequest};
use crate::model::{MetricLayout, Model};
use crate::montecarlo::{Aggregator, RunResult};
use crate::output::{self, Manifest, PartialManifest};

use super::{LoadedScenario, RunDirectory, RunOutcome, outcome};

/// A merged run, written.
#[derive(Debug, Clone)]
pub struct MergeOutcome {
    pub outcome: RunOutcome,
    pub shards: usize,
    /// Seconds the merge itself took (the outcome's `wall_seconds` are the shards' together).
    pub merge_seconds: f64,
}

impl MergeOutcome {
    /// What the command line prints.
    pub fn text(&self, out: &Path) -> String {
        let mut text = super::summary_text(&self.outcome, Some(out));
        text.insert_str(
            0,
            &format!(
                "Merged {} shards ({:.1} s of simulation in all; merge {:.1} s)\n",
                self.shards, self.outcome.wall_seconds, self.merge_seconds
            ),
        );
        text
    }
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
fn read_partials(dirs: &[PathBuf]) -> Result<Vec<(PathBuf, PartialManifest)>, Error> {
    let mut partials = Vec::with_capacity(dirs.len());
    for dir in dirs {
        partials.push((dir.clone(), PartialManifest::read(dir)?));
    }
    let (first_dir, first) = &partials[0];
    let expected = identity(&first.run);
    for (dir, partial) in &partials[1..] {
        for ((what, want), (_, found)) in expected.iter().zip(identity(&partial.run)) {
            if *want != found {
                return Err(InvalidRequest(format!(
                    "{} and {} are shards of different runs: {what} {want} in the first, {found} in the second",
                    first_dir.display(),
                    dir.display()
                ))
                .into());
            }
        }
        if partial.values_per_replication != first.values_per_replication {
            return Err(InvalidRequest(format!(
                "{} and {} hold different numbers of values per replication",
                first_dir.display(),
                dir.display()
            ))
            .into());
        }
    }
    if first.run.version != env!("CARGO_PKG_VERSION") {
        return Err(InvalidRequest(format!(
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
            return Err(InvalidRequest(format!(
                "{} (shard {}, {range}) overlaps replications already covered by another shard; give each shard \
                 once",
                dir.display(),
                partial.shard
            ))
            .into());
        }
        if partial.first > next {
            return Err(InvalidRequest(format!(
                "replications {next} to {} of {total} are missing: no shard given covers them",
                partial.first - 1
            ))
            .into());
        }
        next = end;
    }
    if next != total {
        return Err(InvalidRequest(format!(
            "replications {next} to {} of {total} are missing: no shard given covers them",
            total - 1
        ))
        .into());
    }
    Ok(partials)
}

/// Merges the partials in `dirs` (in any order) into the run directory `out`, refusing (unless `force`) a
/// directory holding another run's results; `command` is recorded in the manifest.
pub fn merge(dirs: &[PathBuf], out: &Path, force: bool, command: Vec<String>) -> Result<MergeOutcome, Error> {
    let started = Instant::now();
    if dirs.is_empty() {
        return Err(InvalidRequest("no partial result to merge".to_string()).into());
    }
    let partials = read_partials(dirs)?;
    let (first_dir, first) = &partials[0];
    let run = &first.run;
    let source_file = first_dir.join(output::PARTIAL_SCENARIO);
    let source = std::fs::read_to_string(&source_file)
        .map_err(|e| InvalidRequest(format!("cannot read {}: {e}", source_file.display())))?;
    let sha = output::sha256_hex(source.as_bytes());
    if sha != run.scenario_sha256 {
        return Err(InvalidRequest(format!(
            "{} has SHA-256 {sha}, not {} as recorded: the partial was altered",
            source_file.display(),
            run.scenario_sha256
        ))
        .into());
    }
    if !force {
        output::check_destination(out, &run.scenario_sha256, run.seed, &run.settings)?;
    }
    let loaded = LoadedScenario::from_toml(source, run.scenario_file.clone())?;
    let policies = loaded.policies(&run.settings, &run.policies)?;
    let layouts: Vec<MetricLayout> = policies.iter().map(|p| Model::new(&p.scenario).layout).collect();
    let lengths: Vec<usize> = layouts.iter().map(|l| l.len()).collect();
    if lengths != first.values_per_replication {
        return Err(InvalidRequest(format!(
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
    let names: Vec<(&str, &MetricLayout)> = policies.iter().zip(&layouts).map(|(p, l)| (p.name.as_str(), l)).collect();
    let directory = RunDirectory::open_for(out, &names, run.replications_csv)?;
    let mut values = Vec::new();
    let mut index = 0u64;
    for ((_, partial), mut reader) in partials.iter().zip(readers) {
        while reader.next_into(&mut values)? {
            aggregator.push(&values);
            directory.push(index, &values);
            index += 1;
        }
        for (m, &e) in partial.events.iter().enumerate() {
            aggregator.add_events(m, e);
        }
    }
    let results: Vec<RunResult> = aggregator.finish();
    // Time spent by the shards together, not by the merge.
    let wall: f64 = partials.iter().map(|(_, p)| p.run.wall_time_seconds).sum();
    let manifest = Manifest {
        threads: partials.iter().map(|(_, p)| p.run.threads).max().unwrap_or(1),
        command,
        started_unix_seconds: partials.iter().map(|(_, p)| p.run.started_unix_seconds).min().unwrap_or(0),
        wall_time_seconds: (wall * 1000.0).round() / 1000.0,
        events: results.iter().map(|r| r.events).sum(),
        ..run.clone()
    };
    // The observed record, found from the scenario path as the shards recorded it (or embedded for the built-in).
    let outcome = outcome(&loaded, policies, results, reference, None, manifest, wall);
    directory.finish(&outcome)?;
    Ok(MergeOutcome { outcome, shards: partials.len(), merge_seconds: started.elapsed().as_secs_f64() })
}
