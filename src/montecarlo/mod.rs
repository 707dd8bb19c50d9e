//! Replications in parallel, aggregated in replication order so that results never depend on thread count.

mod key_figures;
pub mod resources;
mod statistics;
mod targets;

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use crate::model::{MetricLayout, Model, Replication};

pub use key_figures::{KeyFigure, key_figures};
pub use resources::{Estimate, Resource};
pub use statistics::{CellSummary, quantile};
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
    #[error("cannot start {threads} worker threads: {source}")]
    Threads {
        threads: usize,
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}

/// The result of a run: every replication's values, and their summary per cell.
#[derive(Debug, Clone)]
pub struct RunResult {
    pub layout: MetricLayout,
    /// One summary per cell of the layout.
    pub summary: Vec<CellSummary>,
    /// Every replication's values, in replication order.
    pub replications: Vec<Vec<f64>>,
    /// Events handled over all replications.
    pub events: u64,
}

/// Runs `config.replications` replications of `model` in parallel; `progress` is called once per finished
/// replication (from worker threads).
///
/// A run that would exceed the memory or work limits of [`resources`] is refused at once with
/// [`RunError::TooLarge`], before any replication starts.
pub fn run(model: &Model, config: RunConfig, progress: &(dyn Fn() + Sync)) -> Result<RunResult, RunError> {
    if config.replications == 0 {
        return Err(RunError::NoReplications);
    }
    resources::check(model, &config)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()
        .map_err(|source| RunError::Threads { threads: config.threads, source })?;
    let events = AtomicU64::new(0);
    let replications: Vec<Vec<f64>> = pool.install(|| {
        (0..config.replications)
            .into_par_iter()
            .map_init(
                || Replication::new(model),
                |replication, i| {
                    let output = replication.run(config.seed, i);
                    events.fetch_add(output.events, Ordering::Relaxed);
                    progress();
                    output.values
                },
            )
            .collect()
    });
    let layout = model.layout.clone();
    let summary = summarise(&layout, &replications);
    Ok(RunResult { layout, summary, replications, events: events.into_inner() })
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
