//! Replications in parallel, aggregated in replication order so that results never depend on thread count.

mod aggregate;
pub mod comparison;
mod difference;
mod key_figures;
mod pairing;
pub mod precision;
pub mod resources;
mod shard;
pub mod sketch;
mod statistics;
mod targets;

use rayon::prelude::*;

use crate::model::{MetricLayout, Model, Replication};

pub use aggregate::{Aggregator, Column, EXACT_REPLICATIONS};
pub use key_figures::{KeyFigure, KeyFigureSample, key_figure_samples, key_figures};
pub use resources::{Estimate, Resource};
pub use shard::Shard;
pub use statistics::{CellSummary, mean_ci95, quantile, t_975};
pub use targets::{TargetCheck, check_targets};

/// How many replications to run, from which seed, on how many threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunConfig {
    pub replications: u64,
    pub seed: u64,
    /// Worker threads; 0 uses one per available core.
    pub threads: usize,
}

/// Why a run could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("at least one replication is needed")]
    NoReplications,
    /// The run would need more memory or time than [`resources`] allows; refused before simulating anything.
    #[error("{message}")]
    TooLarge {
        /// The limit exceeded.
        resource: Resource,
        /// How much the run would need (bytes, events or cases, as the resource counts).
        needed: f64,
        /// The limit, in the same unit.
        limit: f64,
        /// What would be needed, what is allowed, and what to change.
        message: String,
    },
    /// The caller's cancellation check ([`ReplicationRunner::cancel_when`]) said stop; nothing is returned.
    #[error("the run was cancelled")]
    Cancelled,
    #[error("cannot start {threads} worker threads: {source}")]
    Threads {
        threads: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}

/// The result of a run: the summary of each cell over replications, its key figures and, against the run's
/// reference, paired differences ([`comparison`]); every replication's values only if the run kept them.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub layout: MetricLayout,
    /// One summary per cell of the layout.
    pub summary: Vec<CellSummary>,
    /// Every replication's values, in replication order, if the run kept them ([`run`], [`run_policies`],
    /// [`ReplicationRunner::keep_values`]); empty otherwise.
    pub replications: Vec<Vec<f64>>,
    /// Events handled over all replications.
    pub events: u64,
    /// Replications run.
    pub count: u64,
    /// Position of this model in the run.
    pub(crate) index: usize,
    /// The model whose paired differences were accumulated ([`ReplicationRunner::compare_with`]).
    pub(crate) compared_with: Option<usize>,
    pub(crate) aggregate: aggregate::Aggregate,
}

/// Runs `config.replications` replications of `model` in parallel, keeping every replication's values in
/// [`RunResult::replications`] (memory grows with the replications; the command line uses [`ReplicationRunner`], which
/// does not keep them); `progress` is called once per finished replication (from worker threads).
///
/// A run that would exceed the memory or work limits of [`resources`] is refused at once with
/// [`RunError::TooLarge`], before any replication starts.
pub fn run(model: &Model, config: RunConfig, progress: &(dyn Fn() + Sync)) -> Result<RunResult, RunError> {
    Ok(run_policies(&[model], config, progress)?.pop().expect("one result per model"))
}

/// Runs the same replications of several models (one per policy) on common random numbers: replication *i* of
/// every model uses the streams and case draws of (seed, *i*), so the models differ only by what they change.
/// Results come back in the order of `models`, each keeping every replication's values. `progress` is called once
/// per replication of one model.
pub fn run_policies(
    models: &[&Model],
    config: RunConfig,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<RunResult>, RunError> {
    if config.replications == 0 {
        return Err(RunError::NoReplications);
    }
    let mut batches = ReplicationRunner::new(models, config.seed, config.threads)?.keep_values();
    batches.check(config.replications)?;
    batches.run(config.replications, progress)?;
    Ok(batches.finish())
}

/// What is done with each replication's values as they arrive, in replication order: its index and one vector of
/// values per model (e.g. written to `replications.csv` or a shard's partial result).
pub type Sink<'a> = Box<dyn FnMut(u64, &[Vec<f64>]) + 'a>;

/// Replications of several models run in batches on one pool of worker threads and aggregated as they finish
/// ([`Aggregator`]), so that memory does not grow with the replications and a caller can decide after each batch
/// whether to go on ([`precision`]). Replication *i* is the same whatever the batches and threads: each batch is
/// run in parallel in chunks, and the chunk's replications are aggregated in replication order.
pub struct ReplicationRunner<'a> {
    models: &'a [&'a Model],
    seed: u64,
    /// Index of the first replication (0 unless a shard runs a later range).
    first: u64,
    pool: rayon::ThreadPool,
    aggregator: Aggregator,
    sink: Option<Sink<'a>>,
    keep_values: bool,
    cancelled: Option<&'a (dyn Fn() -> bool + Sync)>,
}

/// One replication's values and events, per model.
type PerModel = Vec<(Vec<f64>, u64)>;

/// Replications run in parallel at a time, per worker thread: enough to keep every thread busy, few enough that
/// the values waiting to be aggregated take little memory.
pub(crate) const CHUNK_PER_THREAD: u64 = 64;

impl<'a> ReplicationRunner<'a> {
    pub fn new(models: &'a [&'a Model], seed: u64, threads: usize) -> Result<ReplicationRunner<'a>, RunError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|source| RunError::Threads { threads, source })?;
        let layouts = models.iter().map(|m| m.layout.clone()).collect();
        Ok(ReplicationRunner {
            models,
            seed,
            first: 0,
            pool,
            aggregator: Aggregator::new(layouts, None, false),
            sink: None,
            keep_values: false,
            cancelled: None,
        })
    }

    fn reset_aggregator(&mut self, reference: Option<usize>) {
        let layouts = self.models.iter().map(|m| m.layout.clone()).collect();
        self.aggregator = Aggregator::new(layouts, reference, self.keep_values);
    }

    /// Starts at replication `first` rather than 0: a shard's share of a run ([`Shard`]). Before any batch.
    pub fn starting_at(mut self, first: u64) -> ReplicationRunner<'a> {
        assert_eq!(self.done(), 0, "set before running");
        self.first = first;
        self
    }

    /// Accumulates paired differences of every model against model `reference` ([`comparison`]). Before any
    /// batch.
    pub fn compare_with(mut self, reference: usize) -> ReplicationRunner<'a> {
        assert_eq!(self.done(), 0, "set before running");
        self.reset_aggregator(Some(reference));
        self
    }

    /// Keeps every replication's values in [`RunResult::replications`]. Before any batch.
    pub fn keep_values(mut self) -> ReplicationRunner<'a> {
        assert_eq!(self.done(), 0, "set before running");
        self.keep_values = true;
        let reference = self.aggregator_reference();
        self.reset_aggregator(reference);
        self
    }

    fn aggregator_reference(&self) -> Option<usize> {
        self.aggregator.reference()
    }

    /// Hands each replication's values to `sink` as it is aggregated, in replication order.
    pub fn on_replication(mut self, sink: impl FnMut(u64, &[Vec<f64>]) + 'a) -> ReplicationRunner<'a> {
        self.sink = Some(Box::new(sink));
        self
    }

    /// Asks `cancelled` before each replication starts (from worker threads): once it says true, no further
    /// replication starts and [`ReplicationRunner::run`] returns [`RunError::Cancelled`]. A front end that must
    /// stop on Ctrl-C (Python, a server) sets a flag from its signal handler and passes a check of that flag.
    pub fn cancel_when(mut self, cancelled: &'a (dyn Fn() -> bool + Sync)) -> ReplicationRunner<'a> {
        self.cancelled = Some(cancelled);
        self
    }

    /// Refuses `replications` more replications if they would exceed a limit of [`resources`].
    pub fn check(&self, replications: u64) -> Result<(), RunError> {
        let config = RunConfig { replications, seed: self.seed, threads: self.pool.current_num_threads() };
        resources::check_all(self.models, &config, self.keep_values)
    }

    /// Replications run so far.
    pub fn done(&self) -> u64 {
        self.aggregator.count()
    }

    /// Runs the next `count` replications of every model. After a cancellation ([`RunError::Cancelled`]) the
    /// runner holds only part of the replications: drop it.
    pub fn run(&mut self, count: u64, progress: &(dyn Fn() + Sync)) -> Result<(), RunError> {
        let (models, seed, cancelled) = (self.models, self.seed, self.cancelled);
        let chunk = CHUNK_PER_THREAD * self.pool.current_num_threads() as u64;
        let end = self.first + self.done() + count;
        let mut next = self.first + self.done();
        while next < end {
            let range = next..end.min(next + chunk);
            let outputs: Vec<Option<PerModel>> = self.pool.install(|| {
                range
                    .clone()
                    .into_par_iter()
                    .map_init(
                        || models.iter().map(|m| Replication::new(m)).collect::<Vec<_>>(),
                        |replications, i| {
                            if cancelled.is_some_and(|stop| stop()) {
                                return None;
                            }
                            let per_model = replications
                                .iter_mut()
                                .map(|replication| {
                                    let output = replication.run(seed, i);
                                    progress();
                                    (output.values, output.events)
                                })
                                .collect();
                            Some(per_model)
                        },
                    )
                    .collect()
            });
            let Some(outputs) = outputs.into_iter().collect::<Option<Vec<_>>>() else {
                return Err(RunError::Cancelled);
            };
            let mut values: Vec<Vec<f64>> = Vec::with_capacity(models.len());
            for (i, per_model) in range.clone().zip(outputs) {
                values.clear();
                for (m, (v, events)) in per_model.into_iter().enumerate() {
                    self.aggregator.add_events(m, events);
                    values.push(v);
                }
                self.aggregator.push(&values);
                if let Some(sink) = self.sink.as_mut() {
                    sink(i, &values);
                }
            }
            next = range.end;
        }
        Ok(())
    }

    /// What has been aggregated so far.
    pub fn aggregator(&self) -> &Aggregator {
        &self.aggregator
    }

    /// The results, consuming the batches.
    pub fn finish(self) -> Vec<RunResult> {
        self.aggregator.finish()
    }
}

/// Summarises each cell over replications, in replication order.
pub fn summarise(layout: &MetricLayout, replications: &[Vec<f64>]) -> Vec<CellSummary> {
    let mut column = Vec::with_capacity(replications.len());
    (0..layout.len())
        .map(|cell| {
            column.clear();
            column.extend(replications.iter().map(|r| r[cell]).filter(|v| !v.is_nan()));
            CellSummary::of(&mut column)
        })
        .collect()
}
