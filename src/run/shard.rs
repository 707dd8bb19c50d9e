//! One shard of a run ([`Shard`]): a contiguous share of the replications, written as a partial result (see
//! [`crate::output`]'s partial format) for [`super::merge`].

use std::cell::RefCell;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Error, InvalidRequest};
use crate::model::Model;
use crate::montecarlo::{ReplicationRunner, Shard, sketch};
use crate::output::{self, Manifest, PARTIAL_FORMAT, PartialManifest, PartialWriter};

use super::{PreparedRun, Sinks, manifest, unix_now};

/// What a shard ran and where it wrote it.
#[derive(Debug, Clone)]
pub struct ShardOutcome {
    pub name: String,
    pub shard: Shard,
    /// The replications run, of `total`.
    pub range: Range<u64>,
    pub total: u64,
    pub policies: usize,
    pub events: u64,
    pub wall_seconds: f64,
    pub out: PathBuf,
}

impl ShardOutcome {
    /// What the command line prints.
    pub fn text(&self) -> String {
        format!(
            "{}: shard {}, replications {} to {} of {}{}, {:.1} s ({:.1} million events/s)\n\
             Wrote a partial result in {}; combine the shards with: safe-third merge DIR... --out DIR\n",
            self.name,
            self.shard,
            self.range.start,
            self.range.end - 1,
            self.total,
            if self.policies > 1 { format!(" × {} policies", self.policies) } else { String::new() },
            self.wall_seconds,
            self.events as f64 / self.wall_seconds.max(1e-9) / 1e6,
            self.out.display()
        )
    }
}

/// The replications of `shard` out of the run's, checked: at least one, and few enough in all for the merge.
pub fn shard_range(shard: Shard, replications: u64) -> Result<Range<u64>, InvalidRequest> {
    let range = shard.range(replications);
    if range.is_empty() {
        return Err(InvalidRequest(format!(
            "--shard {shard}: {replications} replications cannot be split into {} shards of at least one replication \
             each",
            shard.count
        )));
    }
    let limit = sketch::MAX_VALUES;
    if replications > limit {
        return Err(InvalidRequest(format!(
            "{replications} replications in all: the merge can summarise at most {limit} (quantiles within 0.5% of \
             rank, see src/montecarlo/sketch.rs)"
        )));
    }
    Ok(range)
}

/// Runs `shard` of `run` and writes its partial result into `out`, refusing (unless `force`) a directory holding
/// a partial of another run or shard. The progress and cancellation sinks are used; each replication's values go
/// to the partial.
pub fn run_shard(run: PreparedRun, shard: Shard, out: &Path, force: bool, sinks: Sinks) -> Result<ShardOutcome, Error> {
    let range = shard_range(shard, run.options.replications)?;
    if !force {
        check_partial_destination(out, &run.scenario.sha256(), run.options.seed, &run.options.settings, shard)?;
    }
    let started = Instant::now();
    let started_unix = unix_now();
    let refs: Vec<&Model> = run.models.iter().collect();
    let count = range.end - range.start;
    // The values go to the partial as replications finish, not held.
    let writer = RefCell::new(PartialWriter::create(out)?);
    let mut runner = ReplicationRunner::new(&refs, run.options.seed, run.options.threads)?
        .starting_at(range.start)
        .on_replication(|_, values| writer.borrow_mut().push(values));
    if let Some(cancelled) = sinks.cancelled {
        runner = runner.cancel_when(cancelled);
    }
    runner.check(count)?;
    runner.run(count, sinks.progress.unwrap_or(&|| {}))?;
    let results = runner.finish();
    let wall = started.elapsed().as_secs_f64();
    let names: Vec<String> = run.policies.iter().map(|p| p.name.clone()).collect();
    let manifest = Manifest {
        replications_csv: run.options.replications_csv,
        settings: run.options.settings.clone(),
        policies: names.clone(),
        reference: Some(names[run.reference].clone()),
        ..manifest(run.scenario, &run.options, run.options.replications, started_unix, wall, &results)
    };
    let partial = PartialManifest {
        format: PARTIAL_FORMAT,
        shard: shard.to_string(),
        first: range.start,
        replications: count,
        values_per_replication: results.iter().map(|r| r.layout.len()).collect(),
        events: results.iter().map(|r| r.events).collect(),
        values_sha256: String::new(),
        run: manifest,
    };
    writer.into_inner().finish(partial, &run.scenario.source)?;
    Ok(ShardOutcome {
        name: run.scenario.scenario.name.clone(),
        shard,
        range,
        total: run.options.replications,
        policies: refs.len(),
        events: results.iter().map(|r| r.events).sum(),
        wall_seconds: wall,
        out: out.to_path_buf(),
    })
}

/// Refuses to overwrite a partial of another run (scenario, seed, `--set` overrides or shard) in `dir`.
fn check_partial_destination(
    dir: &Path,
    sha: &str,
    seed: u64,
    settings: &[String],
    shard: Shard,
) -> Result<(), InvalidRequest> {
    if !dir.join(output::PARTIAL_MANIFEST).exists() {
        return Ok(());
    }
    let previous = PartialManifest::read(dir).map_err(|e| {
        InvalidRequest(format!("{e}; pass --force to overwrite it, or choose another directory with --out"))
    })?;
    let run = &previous.run;
    if run.scenario_sha256 != sha || run.seed != seed || run.settings != settings || previous.shard != shard.to_string()
    {
        return Err(InvalidRequest(format!(
            "{} holds shard {} of another run (scenario {} with SHA-256 {}…, seed {}); pass --force to overwrite \
             it, or choose another directory with --out",
            dir.display(),
            previous.shard,
            run.scenario_name,
            run.scenario_sha256.chars().take(12).collect::<String>(),
            run.seed
        )));
    }
    Ok(())
}
