//! Streaming aggregation: replications are summarised as they finish, in replication order, so that memory does
//! not grow with the number of replications.
//!
//! Each cell (and each key figure) is a [`Column`]:
//!
//! - Up to [`EXACT_REPLICATIONS`] replications it keeps every value. Summaries, confidence intervals and paired
//!   differences are then computed from the values exactly as from a table of every replication: quantiles of
//!   type 7, the two-pass standard deviation.
//! - Beyond, the values go into a deterministic quantile [`Sketch`] (rank error within 0.5%, see its docs), and
//!   the mean, standard deviation and paired differences come from running sums (the sum in replication order,
//!   Welford's updates for the variances).
//!
//! Values are pushed one replication at a time in replication order, whatever the threads, and a merge of
//! shards pushes the shards' values in the same order, so every result is the same, bit for bit, at any thread
//! count and under any sharding.

use crate::model::MetricLayout;

use super::difference::Difference;
use super::key_figures::{FigureSpec, figure_specs};
use super::pairing::{matching_cells, matching_figures};
use super::sketch::Sketch;
use super::statistics::{self, CellSummary};
use super::{RunResult, t_975};

/// Replications up to which every value is kept and summaries are exact; beyond, quantiles come from the sketch.
pub const EXACT_REPLICATIONS: u64 = 4096;

/// The quantiles of a summary.
const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// Count, sum, mean and sum of squared deviations (Welford) of a stream of values.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Moments {
    n: u64,
    sum: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, v: f64) {
        self.n += 1;
        self.sum += v;
        let d = v - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (v - self.mean);
    }

    /// Sample variance (n − 1); NaN with fewer than two values.
    fn variance(&self) -> f64 {
        if self.n > 1 { self.m2 / (self.n - 1) as f64 } else { f64::NAN }
    }
}

/// One cell's (or key figure's) values over replications, in replication order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Column {
    /// Every value so far, NaN included, while there are at most [`EXACT_REPLICATIONS`].
    exact: Vec<f64>,
    overflowed: bool,
    /// The defined values, once past [`EXACT_REPLICATIONS`].
    sketch: Sketch,
    /// Of the defined values.
    moments: Moments,
}

impl Column {
    /// Adds the next replication's value (NaN: undefined in that replication).
    pub fn push(&mut self, v: f64) {
        if !v.is_nan() {
            self.moments.push(v);
        }
        if !self.overflowed {
            if (self.exact.len() as u64) < EXACT_REPLICATIONS {
                self.exact.push(v);
                return;
            }
            self.overflowed = true;
            for &x in self.exact.iter().filter(|x| !x.is_nan()) {
                self.sketch.insert(x);
            }
            self.exact = Vec::new();
        }
        if !v.is_nan() {
            self.sketch.insert(v);
        }
    }

    /// Every value in replication order (NaN included), while the column is exact.
    pub fn exact(&self) -> Option<&[f64]> {
        (!self.overflowed).then_some(self.exact.as_slice())
    }

    /// Summary of the defined values.
    pub fn summary(&self) -> CellSummary {
        if let Some(values) = self.exact() {
            let mut defined: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
            return CellSummary::of(&mut defined);
        }
        let m = &self.moments;
        let q = self.sketch.quantiles(&QUANTILES);
        CellSummary {
            n: m.n as usize,
            mean: m.sum / m.n as f64,
            sd: m.variance().sqrt(),
            p05: q[0],
            p25: q[1],
            p50: q[2],
            p75: q[3],
            p95: q[4],
        }
    }

    /// Mean of every value (a NaN makes it NaN while exact).
    pub fn mean(&self) -> f64 {
        match self.exact() {
            Some(values) => values.iter().sum::<f64>() / values.len() as f64,
            None => self.moments.sum / self.moments.n as f64,
        }
    }

    /// Mean and half-width of the 95% confidence interval of the mean, as [`super::mean_ci95`].
    pub fn mean_ci95(&self) -> (f64, f64) {
        match self.exact() {
            Some(values) => statistics::mean_ci95(values),
            None => {
                let m = &self.moments;
                let n = m.n as f64;
                (m.sum / n, t_975(n - 1.0) * (m.variance() / n).sqrt())
            }
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        8 * (self.exact.capacity() + self.sketch.retained())
    }
}

/// Running sums of paired values (policy, reference) and of their differences, for [`Difference`]s beyond the
/// exact range.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Paired {
    d: Moments,
    p: Moments,
    r: Moments,
}

impl Paired {
    fn push(&mut self, p: f64, r: f64) {
        if !p.is_nan() && !r.is_nan() {
            self.d.push(p - r);
            self.p.push(p);
            self.r.push(r);
        }
    }

    pub(crate) fn difference(&self) -> Difference {
        let n = self.d.n;
        Difference::from_moments(
            n as usize,
            self.d.sum / n as f64,
            self.d.variance(),
            self.p.variance(),
            self.r.variance(),
        )
    }
}

/// Everything aggregated about one model's replications.
#[derive(Debug, Clone)]
pub(crate) struct Aggregate {
    pub(crate) cells: Vec<Column>,
    pub(crate) figures: Vec<FigureSpec>,
    pub(crate) figure_columns: Vec<Column>,
    /// Against the reference model, in the reference's cell order: (this model's cell, reference's cell).
    pub(crate) cell_pairs: Vec<(usize, usize)>,
    pub(crate) paired_cells: Vec<Paired>,
    /// (this model's figure, reference's figure), in the reference's figure order.
    pub(crate) figure_pairs: Vec<(usize, usize)>,
    pub(crate) paired_figures: Vec<Paired>,
}

/// Aggregates the replications of several models run side by side, pushed one replication at a time in
/// replication order.
#[derive(Debug, Clone)]
pub struct Aggregator {
    layouts: Vec<MetricLayout>,
    aggregates: Vec<Aggregate>,
    reference: Option<usize>,
    keep_values: bool,
    kept: Vec<Vec<Vec<f64>>>,
    events: Vec<u64>,
    count: u64,
    /// Scratch: each model's key figures of the replication being pushed.
    figure_values: Vec<Vec<f64>>,
}

impl Aggregator {
    /// An aggregator for models with these layouts. With a `reference`, paired differences of every other model
    /// against it are accumulated too; with `keep_values`, every replication's values are kept as well (memory
    /// then grows with the replications).
    pub fn new(layouts: Vec<MetricLayout>, reference: Option<usize>, keep_values: bool) -> Aggregator {
        let specs: Vec<Vec<FigureSpec>> = layouts.iter().map(figure_specs).collect();
        let aggregates = layouts
            .iter()
            .zip(&specs)
            .enumerate()
            .map(|(m, (layout, figures))| {
                let (cell_pairs, figure_pairs) = match reference {
                    Some(r) if r != m => (matching_cells(layout, &layouts[r]), matching_figures(figures, &specs[r])),
                    _ => (Vec::new(), Vec::new()),
                };
                Aggregate {
                    cells: vec![Column::default(); layout.len()],
                    figure_columns: vec![Column::default(); figures.len()],
                    figures: figures.clone(),
                    paired_cells: vec![Paired::default(); cell_pairs.len()],
                    paired_figures: vec![Paired::default(); figure_pairs.len()],
                    cell_pairs,
                    figure_pairs,
                }
            })
            .collect();
        let models = layouts.len();
        Aggregator {
            figure_values: specs.iter().map(|s| vec![0.0; s.len()]).collect(),
            layouts,
            aggregates,
            reference,
            keep_values,
            kept: vec![Vec::new(); models],
            events: vec![0; models],
            count: 0,
        }
    }

    /// Adds the next replication: one vector of values per model.
    pub fn push(&mut self, replication: &[Vec<f64>]) {
        debug_assert_eq!(replication.len(), self.aggregates.len());
        for ((aggregate, values), figures) in self.aggregates.iter().zip(replication).zip(&mut self.figure_values) {
            for (spec, slot) in aggregate.figures.iter().zip(figures.iter_mut()) {
                *slot = spec.value(values);
            }
        }
        for (m, (aggregate, values)) in self.aggregates.iter_mut().zip(replication).enumerate() {
            for (column, &v) in aggregate.cells.iter_mut().zip(values) {
                column.push(v);
            }
            for (column, &v) in aggregate.figure_columns.iter_mut().zip(&self.figure_values[m]) {
                column.push(v);
            }
            if let Some(r) = self.reference.filter(|&r| r != m) {
                let reference = &replication[r];
                for (paired, &(p, rc)) in aggregate.paired_cells.iter_mut().zip(&aggregate.cell_pairs) {
                    paired.push(values[p], reference[rc]);
                }
                let (own, theirs) = (&self.figure_values[m], &self.figure_values[r]);
                for (paired, &(p, rf)) in aggregate.paired_figures.iter_mut().zip(&aggregate.figure_pairs) {
                    paired.push(own[p], theirs[rf]);
                }
            }
            if self.keep_values {
                self.kept[m].push(values.clone());
            }
        }
        self.count += 1;
    }

    /// Adds events handled by model `m`.
    pub fn add_events(&mut self, m: usize, events: u64) {
        self.events[m] += events;
    }

    /// The model paired differences are accumulated against.
    pub fn reference(&self) -> Option<usize> {
        self.reference
    }

    /// Replications pushed so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    pub(crate) fn aggregate(&self, m: usize) -> &Aggregate {
        &self.aggregates[m]
    }

    /// Bytes held by the columns and any kept values.
    pub fn bytes(&self) -> usize {
        let columns: usize =
            self.aggregates.iter().flat_map(|a| a.cells.iter().chain(&a.figure_columns)).map(Column::bytes).sum();
        let kept: usize = self.kept.iter().flatten().map(|v| 8 * v.len()).sum();
        columns + kept
    }

    /// The results, one per model.
    pub fn finish(self) -> Vec<RunResult> {
        let reference = self.reference;
        let count = self.count;
        self.layouts
            .into_iter()
            .zip(self.aggregates)
            .zip(self.kept)
            .zip(self.events)
            .enumerate()
            .map(|(index, (((layout, aggregate), replications), events))| RunResult {
                summary: aggregate.cells.iter().map(Column::summary).collect(),
                layout,
                replications,
                events,
                count,
                index,
                compared_with: reference.filter(|&r| r != index),
                aggregate,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_columns_summarise_as_the_whole_table_and_long_ones_from_the_sketch() {
        let mut column = Column::default();
        let values: Vec<f64> = (0..EXACT_REPLICATIONS).map(|i| ((i * 7919) % 1000) as f64).collect();
        values.iter().for_each(|&v| column.push(v));
        column.push(f64::NAN);
        assert_eq!(column.exact().map(<[f64]>::len), None, "one more than the exact range");
        let mut all = values.clone();
        let exact = CellSummary::of(&mut all);
        let streamed = column.summary();
        assert_eq!(streamed.n, exact.n);
        assert!((streamed.mean - exact.mean).abs() < 1e-9);
        assert!((streamed.sd - exact.sd).abs() < 1e-9);
        // Values 0..999: a rank error of 0.5% of 4,096 is at most 21 ranks, about 5 units.
        for (s, e) in [(streamed.p05, exact.p05), (streamed.p50, exact.p50), (streamed.p95, exact.p95)] {
            assert!((s - e).abs() <= 6.0, "{s} vs {e}");
        }

        let mut small = Column::default();
        [3.0, f64::NAN, 1.0, 2.0].iter().for_each(|&v| small.push(v));
        assert_eq!(small.exact().unwrap().len(), 4);
        let s = small.summary();
        assert_eq!((s.n, s.mean, s.p50), (3, 2.0, 2.0));
    }

    #[test]
    fn paired_moments_match_the_exact_paired_difference() {
        let p: Vec<f64> = (0..50).map(|i| ((i * 37) % 101) as f64 + 0.5 * (i % 3) as f64).collect();
        let r: Vec<f64> = (0..50).map(|i| ((i * 37) % 101) as f64).collect();
        let mut paired = Paired::default();
        p.iter().zip(&r).for_each(|(&a, &b)| paired.push(a, b));
        let (s, e) = (paired.difference(), Difference::paired(&p, &r));
        assert_eq!(s.n, e.n);
        for (a, b) in
            [(s.mean, e.mean), (s.sd, e.sd), (s.ci_low, e.ci_low), (s.variance_reduction, e.variance_reduction)]
        {
            assert!((a - b).abs() < 1e-9 * b.abs().max(1.0), "{a} vs {b}");
        }
    }
}
