//! What a run would need, estimated before it starts, and the limits beyond which it is refused.
//!
//! A scenario can be valid and still ask for more than any machine gives: 100,000 replications of a 100-year
//! horizon, or millions of eligible arrivals a day for decades. Such a run is refused at once, before any
//! simulation, with a message naming the resource and what to change ([`RunError::TooLarge`]), instead of running
//! out of memory after an hour or running for days.
//!
//! # What is estimated
//!
//! - **Memory** held by the run. Replications are aggregated as they finish ([`super::Aggregator`]): each value
//!   of the layout is a column holding every replication's value up to [`EXACT_REPLICATIONS`] (8 bytes each), and
//!   beyond that a quantile sketch of at most (levels + 1) × [`K`] values, levels = ⌊log₂(n / K)⌋ + 1
//!   ([`sketch_bytes`]); so memory stops growing in proportion to the replications past 4,096. A run that keeps
//!   every replication's values (the library's [`super::run`], not the command line) holds replications × values
//!   × 8 bytes more, plus a vector header each. Then the summary (one [`CellSummary`] per value), the values of
//!   the replications of one parallel chunk waiting to be aggregated (`CHUNK_PER_THREAD` per worker),
//!   and, for each replication running at once (one per worker thread), its own copy of the values and the
//!   claims of the initial backlog, which are all held from the first instant ([`BYTES_PER_HELD_CLAIM`] each).
//!   The cases in flight during a replication (waiting for a seat, in the filing window, in the backlog) are
//!   *not* estimated: they depend on capacities and are bounded in practice by the work limit.
//! - **Replications**: at most [`MAX_VALUES`] (2,000,000), up to which the quantile sketch's rank error stays
//!   within 0.5%.
//! - **Work**, in events: per replication, every expected arrival of a (stream, month) handled case by case
//!   (those not settled in aggregate, see [`ArrivalStream::settled`]) and every other claim and initial-backlog
//!   claim count [`EVENTS_PER_CASE`] events; each daily transfer operation and month start counts one; an arrival
//!   settled in aggregate counts [`EVENTS_PER_SETTLED_FAMILY_CASE`] if its family size must be drawn, nothing
//!   otherwise. Times the number of replications.
//! - **Cases in one month** of one arrival stream, or of one country's other claims, handled case by case: event
//!   ordinals of other claims are 32-bit, so one (stream, month) may not approach 2³² cases (arrival streams,
//!   whose events no longer carry an ordinal, are held to the same limit).
//!
//! # Limits
//!
//! | limit | value | about |
//! |---|---|---|
//! | [`MEMORY_LIMIT_BYTES`] | 4 GiB | 100,000 replications of `guatemala-2019` hold ≈ 0.1 GB (≈ 0.8 GB if every value is kept); 100,000 of a 1,200-month, one-agreement scenario (105,600 values each) would hold ≈ 11.3 GiB and are refused |
//! | [`MAX_VALUES`] | 2,000,000 replications | the quantile sketch's rank error bound stays within 0.5% |
//! | [`EVENT_LIMIT`] | 10¹¹ events | ≈ 1.9 hours at [`EVENTS_PER_SECOND`]; 100,000 replications of `guatemala-2019` are ≈ 10¹⁰ by this estimate (measured: 7 × 10⁹) |
//! | [`CASE_LIMIT_PER_STREAM_MONTH`] | 10⁹ cases | a quarter of 2³², leaving room for the random month-to-month variation around the expectation |
//!
//! [`ArrivalStream::settled`]: crate::model::ArrivalStream::settled

use std::fmt::Write as _;

use crate::model::Model;

use super::sketch::{K, MAX_VALUES};
use super::{CHUNK_PER_THREAD, CellSummary, EXACT_REPLICATIONS, RunConfig, RunError};

/// Largest memory a run may hold: 4 GiB.
pub const MEMORY_LIMIT_BYTES: f64 = 4.0 * GIB;

/// Largest expected number of events over all replications of a run: 10¹¹, about 1.9 hours at
/// [`EVENTS_PER_SECOND`]. It admits 100,000 replications of the shipped `guatemala-2019` scenario.
pub const EVENT_LIMIT: f64 = 1e11;

/// Largest expected number of cases handled one by one in one month of one arrival stream (or of one country's
/// other claims): 10⁹, well below the 2³² ≈ 4.3 × 10⁹ that a month's event ordinals of other claims can count.
pub const CASE_LIMIT_PER_STREAM_MONTH: f64 = 1e9;

/// Events handled per second, for the running times quoted in messages: the full model on the project's CI
/// machine handles 11–17 million (README, Performance), so 15 million is a round middle.
pub const EVENTS_PER_SECOND: f64 = 15e6;

/// Events per case handled one by one, on average: its arrival, and for some a transfer, a filing outcome, a
/// decision or an abandonment. `guatemala-2019` handles about 1.6 events per case-by-case arrival.
pub const EVENTS_PER_CASE: f64 = 2.0;

/// Cost of an arrival settled in aggregate whose family size is still drawn (one hash per case), in events:
/// measured at 17 ns against about 65 ns per event.
pub const EVENTS_PER_SETTLED_FAMILY_CASE: f64 = 0.25;

/// Memory of one pending claim: the claim in its slab slot, its place in the queue and its pending event, with
/// room for vector growth.
pub const BYTES_PER_HELD_CLAIM: f64 = 96.0;

const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Which limit a run would exceed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// [`MEMORY_LIMIT_BYTES`].
    Memory,
    /// [`EVENT_LIMIT`].
    Events,
    /// [`CASE_LIMIT_PER_STREAM_MONTH`].
    CasesPerStreamMonth,
    /// [`MAX_VALUES`] replications.
    Replications,
}

/// The busiest (stream, month) handled case by case.
#[derive(Debug, Clone, PartialEq)]
pub struct BusiestMonth {
    /// What the cases are, e.g. `arrivals of honduras single_adult` or `other claims in guatemala`.
    pub what: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Expected cases handled one by one in that month.
    pub cases: f64,
}

/// What a run would need, before it runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub replications: u64,
    /// Replications running at once (worker threads, at most the number of replications).
    pub workers: u64,
    /// Values kept per replication (the model's layout).
    pub values_per_replication: usize,
    /// Whether every replication's values are kept until the end of the run.
    pub keep_values: bool,
    /// Bytes of the aggregated results: the columns (exact values or sketches), and every replication's values
    /// if they are kept.
    pub result_bytes: f64,
    /// Bytes of the summary.
    pub summary_bytes: f64,
    /// Initial-backlog claims held by each running replication from its start.
    pub initial_claims: f64,
    /// Bytes held by the replications running at once: their values and their initial backlogs.
    pub working_bytes: f64,
    /// Expected events of one replication.
    pub events_per_replication: f64,
    /// The (stream, month) with the most cases handled one by one, if any.
    pub busiest: Option<BusiestMonth>,
}

impl Estimate {
    /// All the memory the run would hold.
    pub fn memory_bytes(&self) -> f64 {
        self.result_bytes + self.summary_bytes + self.working_bytes
    }

    /// Expected events over all replications.
    pub fn events(&self) -> f64 {
        self.events_per_replication * self.replications as f64
    }

    /// Checks the estimate against the limits; the error says which is exceeded, by how much, and what to change.
    pub fn check(&self) -> Result<(), RunError> {
        if self.replications > MAX_VALUES {
            return Err(self.too_large(
                Resource::Replications,
                self.replications as f64,
                MAX_VALUES as f64,
                format!(
                    "{} replications asked for; at most {} can be summarised with quantiles within 0.5% of rank \
                     (see src/montecarlo/sketch.rs): use fewer replications, or split the question into several \
                     runs with other seeds",
                    thousands(self.replications as f64),
                    thousands(MAX_VALUES as f64)
                ),
            ));
        }
        if let Some(busiest) = self.busiest.as_ref().filter(|b| !within(b.cases, CASE_LIMIT_PER_STREAM_MONTH)) {
            return Err(self.too_large(
                Resource::CasesPerStreamMonth,
                busiest.cases,
                CASE_LIMIT_PER_STREAM_MONTH,
                format!(
                    "this run would handle {} {} in {} one by one; at most {} cases of one stream in one month \
                     can be simulated: lower that rate",
                    about(busiest.cases),
                    busiest.what,
                    busiest.month,
                    count(CASE_LIMIT_PER_STREAM_MONTH),
                ),
            ));
        }
        let memory = self.memory_bytes();
        if !within(memory, MEMORY_LIMIT_BYTES) {
            let mut message = format!(
                "this run would hold about {} of per-replication results ({} replications × {} values{})",
                bytes(self.result_bytes),
                thousands(self.replications as f64),
                thousands(self.values_per_replication as f64),
                if self.keep_values { ", every value kept" } else { ", summarised as they finish" },
            );
            if self.initial_claims > 0.0 {
                let _ = write!(
                    message,
                    " and {} of pending claims ({} initial-backlog claims in each of {} replications running at once)",
                    bytes(self.initial_claims * BYTES_PER_HELD_CLAIM * self.workers as f64),
                    thousands(self.initial_claims),
                    self.workers,
                );
            }
            let _ = write!(message, "; at most {} is allowed: ", bytes(MEMORY_LIMIT_BYTES));
            message.push_str(if self.result_bytes >= self.working_bytes {
                "use fewer replications or a shorter horizon"
            } else {
                "use fewer threads or a smaller initial_backlog"
            });
            return Err(self.too_large(Resource::Memory, memory, MEMORY_LIMIT_BYTES, message));
        }
        let events = self.events();
        if !within(events, EVENT_LIMIT) {
            let message = format!(
                "this run would handle {} events ({} at {} million events/s): {} replications × {} events \
                 each; at most {} events ({}) are allowed: use fewer replications, a shorter horizon or lower arrival \
                 rates",
                about(events),
                duration(events / EVENTS_PER_SECOND),
                EVENTS_PER_SECOND / 1e6,
                thousands(self.replications as f64),
                count(self.events_per_replication),
                count(EVENT_LIMIT),
                duration(EVENT_LIMIT / EVENTS_PER_SECOND),
            );
            return Err(self.too_large(Resource::Events, events, EVENT_LIMIT, message));
        }
        Ok(())
    }

    fn too_large(&self, resource: Resource, needed: f64, limit: f64, message: String) -> RunError {
        RunError::TooLarge { resource, needed, limit, message }
    }
}

/// Bytes of one column of `replications` values: every value up to [`EXACT_REPLICATIONS`], else a sketch of at
/// most (levels + 1) × [`K`] values.
pub fn sketch_bytes(replications: u64) -> f64 {
    if replications <= EXACT_REPLICATIONS {
        return 8.0 * replications as f64;
    }
    let mut levels = 0u32;
    while (K as u64) << levels <= replications {
        levels += 1;
    }
    8.0 * ((levels + 1) as usize * K) as f64
}

/// Estimates what `config.replications` replications of `model` would need, aggregated as they finish (as
/// `safe-third run` does).
pub fn estimate(model: &Model, config: &RunConfig) -> Estimate {
    estimate_keeping(model, config, false)
}

/// [`estimate`], for a run that also keeps every replication's values if `keep_values`.
pub fn estimate_keeping(model: &Model, config: &RunConfig, keep_values: bool) -> Estimate {
    let replications = config.replications;
    let threads = match config.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let workers = (threads as u64).min(replications).max(1);
    let values = model.layout.len();
    let value_bytes = values as f64 * 8.0;
    let kept =
        if keep_values { replications as f64 * (value_bytes + std::mem::size_of::<Vec<f64>>() as f64) } else { 0.0 };
    let result_bytes = values as f64 * sketch_bytes(replications) + kept;
    let summary_bytes = values as f64 * std::mem::size_of::<CellSummary>() as f64;
    let initial_claims: f64 = model.asylum.iter().map(|a| a.initial_backlog as f64).sum();
    // Each worker's values, and the copy it hands back; its initial backlog; a chunk of values waiting to be
    // aggregated.
    let chunk = (workers * CHUNK_PER_THREAD).min(replications) as f64;
    let working_bytes =
        workers as f64 * (2.0 * value_bytes + initial_claims * BYTES_PER_HELD_CLAIM) + chunk * value_bytes;

    let calendar = &model.calendar;
    let mut events = calendar.months() as f64 + EVENTS_PER_CASE * initial_claims;
    let mut busiest: Option<BusiestMonth> = None;
    let mut consider = |cases: f64, what: &dyn Fn() -> String, month: usize| {
        // NaN or infinite expectations compare as larger than any limit.
        if busiest.as_ref().is_none_or(|b| !within(cases, b.cases)) && (cases > 0.0 || cases.is_nan()) {
            busiest = Some(BusiestMonth { what: what(), month: calendar.label(month).to_string(), cases });
        }
    };
    for stream in &model.streams {
        let what = || format!("arrivals of {} {}", model.countries[stream.nationality], stream.household.name());
        for (month, profile) in stream.months.iter().enumerate() {
            let expected = profile.expected();
            match stream.settled.get(month).copied().flatten() {
                None => {
                    events += EVENTS_PER_CASE * expected;
                    consider(expected, &what, month);
                }
                Some(_) if stream.family_sizes.is_some() => events += EVENTS_PER_SETTLED_FAMILY_CASE * expected,
                Some(_) => {}
            }
        }
    }
    for (a, rules) in model.asylum.iter().enumerate() {
        let what = || format!("other claims in {}", model.countries[model.agreements[a].receiving]);
        for (month, profile) in rules.other_claims.iter().enumerate() {
            events += EVENTS_PER_CASE * profile.expected();
            consider(profile.expected(), &what, month);
        }
        events += rules.adjudicators.change_times().len() as f64;
        if model.agreements[a].seats_per_day.min().is_finite() {
            events += calendar.end().ceil();
        }
    }
    Estimate {
        replications,
        workers,
        values_per_replication: values,
        keep_values,
        result_bytes,
        summary_bytes,
        initial_claims,
        working_bytes,
        events_per_replication: events,
        busiest,
    }
}

/// Refuses a run that would exceed a limit; see [`estimate`] and [`Estimate::check`].
pub fn check(model: &Model, config: &RunConfig) -> Result<(), RunError> {
    estimate(model, config).check()
}

/// Refuses a run of several models (policies, grid points) side by side that would exceed a limit together:
/// memory and work add up over the models. `keep_values`: whether every replication's values are kept.
pub fn check_all(models: &[&Model], config: &RunConfig, keep_values: bool) -> Result<(), RunError> {
    let mut estimates = models.iter().map(|m| estimate_keeping(m, config, keep_values));
    let Some(mut total) = estimates.next() else { return Ok(()) };
    for e in estimates {
        total.values_per_replication += e.values_per_replication;
        total.result_bytes += e.result_bytes;
        total.summary_bytes += e.summary_bytes;
        total.initial_claims += e.initial_claims;
        total.working_bytes += e.working_bytes;
        total.events_per_replication += e.events_per_replication;
        if e.busiest.as_ref().is_some_and(|b| total.busiest.as_ref().is_none_or(|t| !within(b.cases, t.cases))) {
            total.busiest = e.busiest;
        }
    }
    total.check()
}

/// `value <= limit`, and false for NaN, so that an undefined expectation counts as over every limit.
fn within(value: f64, limit: f64) -> bool {
    value <= limit
}

/// `1.2 GiB`, `350.0 MiB`.
fn bytes(b: f64) -> String {
    if !b.is_finite() {
        return "an unbounded amount of memory".to_string();
    }
    if b >= GIB { format!("{:.1} GiB", b / GIB) } else { format!("{:.1} MiB", b / (1024.0 * 1024.0)) }
}

/// `about 6.0e12`, `about 68,123`, or `an unbounded number of` for an infinite expectation.
fn about(n: f64) -> String {
    if n.is_finite() { format!("about {}", count(n)) } else { "an unbounded number of".to_string() }
}

/// A large count in scientific notation (`6.0e12`), a small one in full with separators.
fn count(n: f64) -> String {
    if !n.is_finite() {
        "unbounded".to_string()
    } else if n >= 1e7 {
        format!("{n:.1e}")
    } else {
        thousands(n.round())
    }
}

/// `1530` → `1,530`.
fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0.0 { format!("-{out}") } else { out }
}

/// `≈ 110 hours`, `≈ 25 minutes`, `≈ 40 s`.
fn duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        "forever".to_string()
    } else if seconds >= 2.0 * 3600.0 * 24.0 * 365.0 {
        format!("≈ {:.0} years", seconds / (3600.0 * 24.0 * 365.0))
    } else if seconds >= 1000.0 * 3600.0 {
        format!("≈ {:.0} days", seconds / (3600.0 * 24.0))
    } else if seconds >= 100.0 * 3600.0 {
        format!("≈ {:.0} hours", seconds / 3600.0)
    } else if seconds >= 3600.0 {
        format!("≈ {:.1} hours", seconds / 3600.0)
    } else if seconds >= 60.0 {
        format!("≈ {:.0} minutes", seconds / 60.0)
    } else {
        format!("≈ {seconds:.0} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn model(text: &str) -> Model {
        Model::new(&Scenario::from_toml(text, "test").unwrap_or_else(|e| panic!("{e}")))
    }

    fn config(replications: u64, threads: usize) -> RunConfig {
        RunConfig { replications, seed: 1, threads }
    }

    /// One stream of `per_month` Mexican single adults for `months` months; `open` makes them eligible (an
    /// agreement with unlimited seats, open from the start) or not (no agreement).
    fn scenario(months: u32, per_month: f64, open: bool, backlog: u64) -> String {
        let mut s = format!(
            "name = \"t\"\nstart = 2020-01-01\nmonths = {months}\nsending_country = \"us\"\n\
             [countries]\nus = \"US\"\ngt = \"Guatemala\"\nmx = \"Mexico\"\n\
             [[arrivals.stream]]\nnationality = \"mx\"\nhousehold = \"single_adult\"\nper_month = {per_month}\n"
        );
        if open {
            s.push_str(&format!(
                "[agreement.gt]\neligible_nationalities = [\"mx\"]\ntransit_probability = {{ mx = 1 }}\n\
                 screening_exempt_share = 0\nseats_per_month = \"unlimited\"\nmax_wait_days = 7\n\
                 [[agreement.gt.phase]]\nfrom = 2020-01-01\nhouseholds = [\"single_adult\"]\n\
                 [asylum.gt]\nfiling_probability = 0.5\nfiling_window_days = 3\nadjudicators = 2\n\
                 service_time_days = {{ distribution = \"fixed\", value = 10 }}\ngrant_probability = 0.5\n\
                 initial_backlog = {backlog}\nother_claims_per_month = 30\n"
            ));
        }
        s
    }

    #[test]
    fn memory_is_columns_plus_kept_values_summary_and_workers() {
        let m = model(&scenario(12, 100.0, true, 1000));
        let values = m.layout.len();
        let e = estimate(&m, &config(1000, 2));
        assert_eq!(e.values_per_replication, values);
        assert_eq!(e.workers, 2);
        assert!(!e.keep_values);
        assert_eq!(e.result_bytes, values as f64 * 1000.0 * 8.0, "every value of 1,000 replications, once");
        let kept = estimate_keeping(&m, &config(1000, 2), true);
        assert_eq!(kept.result_bytes, e.result_bytes + 1000.0 * (values as f64 * 8.0 + 24.0));
        assert_eq!(e.summary_bytes, values as f64 * std::mem::size_of::<CellSummary>() as f64);
        assert_eq!(e.initial_claims, 1000.0);
        assert_eq!(
            e.working_bytes,
            2.0 * (2.0 * values as f64 * 8.0 + 1000.0 * BYTES_PER_HELD_CLAIM) + 128.0 * values as f64 * 8.0
        );
        assert_eq!(e.memory_bytes(), e.result_bytes + e.summary_bytes + e.working_bytes);
        // Past the exact range, a column is a sketch: memory grows with the logarithm of the replications.
        assert_eq!(sketch_bytes(4096), 4096.0 * 8.0);
        assert_eq!(sketch_bytes(100_000), 7.0 * K as f64 * 8.0);
        assert_eq!(sketch_bytes(1_000_000), 10.0 * K as f64 * 8.0);
        let large = estimate(&m, &config(1_000_000, 2));
        assert!(large.result_bytes < 2.0 * estimate(&m, &config(100_000, 2)).result_bytes);
        // Workers never outnumber replications; 0 threads means one per core.
        assert_eq!(estimate(&m, &config(1, 8)).workers, 1);
        assert!(estimate(&m, &config(1000, 0)).workers >= 1);
    }

    #[test]
    fn work_counts_case_by_case_arrivals_other_claims_backlog_and_daily_operations() {
        // Eligible: 100 arrivals and 30 other claims a month for 12 months, a backlog of 1000, 12 month starts;
        // no daily transfer operation, as seats are unlimited.
        let m = model(&scenario(12, 100.0, true, 1000));
        let e = estimate(&m, &config(10, 1));
        let expected = 12.0 + EVENTS_PER_CASE * (1000.0 + 12.0 * 100.0 + 12.0 * 30.0);
        assert!((e.events_per_replication - expected).abs() < 1e-6, "{} vs {expected}", e.events_per_replication);
        assert!((e.events() - 10.0 * expected).abs() < 1e-5);
        let busiest = e.busiest.as_ref().expect("case-by-case arrivals");
        assert_eq!(busiest.what, "arrivals of mx single_adult");
        assert!((busiest.cases - 100.0).abs() < 1e-9);
    }

    #[test]
    fn arrivals_settled_in_aggregate_cost_nothing() {
        // Without an agreement every arrival is ineligible by nationality: settled, whatever the rate.
        let m = model(&scenario(12, 1e9, false, 0));
        let e = estimate(&m, &config(1, 1));
        assert_eq!(e.events_per_replication, 12.0, "month starts only");
        assert_eq!(e.busiest, None);
        assert!(e.check().is_ok());
    }

    #[test]
    fn the_shipped_scenario_is_allowed_at_20_000_replications_and_refused_at_100_000() {
        let m = Model::new(&Scenario::builtin());
        let e = estimate(&m, &config(20_000, 2));
        assert!(e.memory_bytes() < 1.0 * GIB, "{}", e.memory_bytes());
        // The estimate is of the right size. Since the shipped scenario makes every nationality a candidate
        // (`requires_transit = false`) and draws each arrival's protection-seeking, every one of its ≈ 584,000
        // arrivals a replication is screened one by one: the estimate counts that work (≈ 1.05 million units),
        // although only ≈ 6,300 of them are events (1,000 replications measured, 8 Dec 2026).
        assert!((500_000.0..2_000_000.0).contains(&e.events_per_replication), "{}", e.events_per_replication);
        e.check().expect("allowed");
        // 100,000 replications would be ≈ 1.1e11 units of work, about two hours: refused, naming the resource.
        match estimate(&m, &config(100_000, 2)).check() {
            Err(RunError::TooLarge { resource: Resource::Events, .. }) => {}
            other => panic!("expected a refusal on events, got {other:?}"),
        }
    }

    #[test]
    fn refusals_name_the_resource_and_the_remedy() {
        let m = model(&scenario(1200, 100.0, true, 0));
        match estimate(&m, &config(100_000, 1)).check() {
            Err(RunError::TooLarge { resource: Resource::Memory, needed, limit, message }) => {
                assert!(needed > limit);
                assert!(message.contains("100,000 replications × "), "{message}");
                assert!(message.contains("summarised as they finish"), "{message}");
                assert!(message.contains("at most 4.0 GiB is allowed: use fewer replications"), "{message}");
            }
            other => panic!("expected a memory refusal, got {other:?}"),
        }
        let m = model(&scenario(12, 1.0, true, 0));
        match estimate(&m, &config(MAX_VALUES + 1, 1)).check() {
            Err(RunError::TooLarge { resource: Resource::Replications, message, .. }) => {
                assert!(message.contains("at most 2,000,000 can be summarised"), "{message}");
            }
            other => panic!("expected a replications refusal, got {other:?}"),
        }
        let m = model(&scenario(12, 1e7, true, 0));
        match estimate(&m, &config(1000, 1)).check() {
            Err(RunError::TooLarge { resource: Resource::Events, needed, message, .. }) => {
                assert!((2.4e11..2.5e11).contains(&needed), "{needed}");
                assert!(message.contains("about 2.4e11 events (≈ 4.4 hours at 15 million events/s)"), "{message}");
                assert!(message.contains("at most 1.0e11 events"), "{message}");
            }
            other => panic!("expected a work refusal, got {other:?}"),
        }
        let m = model(&scenario(2, 5e9, true, 0));
        match estimate(&m, &config(1, 1)).check() {
            Err(RunError::TooLarge { resource: Resource::CasesPerStreamMonth, message, .. }) => {
                assert!(message.contains("about 5.0e9 arrivals of mx single_adult in 2020-01"), "{message}");
            }
            other => panic!("expected a per-month refusal, got {other:?}"),
        }
        let m = model(&scenario(1, 10.0, true, 900_000_000));
        match estimate(&m, &config(4, 2)).check() {
            Err(RunError::TooLarge { resource: Resource::Memory, message, .. }) => {
                assert!(message.contains("900,000,000 initial-backlog claims in each of 2"), "{message}");
                assert!(message.ends_with("use fewer threads or a smaller initial_backlog"), "{message}");
            }
            other => panic!("expected a memory refusal, got {other:?}"),
        }
    }

    #[test]
    fn infinite_expectations_are_refused_not_run() {
        // 1e308 a day overflows the monthly expectation to infinity.
        let text = scenario(1, 1.0, true, 0).replace("per_month = 1", "per_day = 1e308");
        let e = estimate(&model(&text), &config(1, 1));
        assert!(matches!(e.check(), Err(RunError::TooLarge { resource: Resource::CasesPerStreamMonth, .. })));
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(1530.0), "1,530");
        assert_eq!(thousands(100_000.0), "100,000");
        assert_eq!(thousands(12.0), "12");
        assert_eq!(count(6.0e12), "6.0e12");
        assert_eq!(count(68_123.4), "68,123");
        assert_eq!(bytes(12.3 * GIB), "12.3 GiB");
        assert_eq!(bytes(350.0 * 1024.0 * 1024.0), "350.0 MiB");
        assert_eq!(duration(6.0e12 / EVENTS_PER_SECOND), "≈ 111 hours");
        assert_eq!(duration(6.0e14 / EVENTS_PER_SECOND), "≈ 463 days");
        assert_eq!(about(f64::INFINITY), "an unbounded number of");
        assert_eq!(duration(1e11 / EVENTS_PER_SECOND), "≈ 1.9 hours");
        assert_eq!(duration(1500.0), "≈ 25 minutes");
        assert_eq!(duration(f64::INFINITY), "forever");
    }
}
