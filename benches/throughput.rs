//! Throughput benchmarks; see `benches/README.md` for what each measures and the recorded figures.
//!
//! Run with `cargo bench --bench throughput` (about a minute on 2 cores).
//!
//! - `engine/mmc`: the engine alone driving a minimal M/M/c process defined here; elements = events handled
//!   (arrivals + service completions).
//! - `model/mmc`: 16 replications of the full model on `scenarios/mmc.toml` (the same M/M/c); elements = arrivals
//!   (sending country "a") + decisions (receiving country "b"). The model also handles filing, daily departure and
//!   month-start events, which are *not* counted; the count of every handled event is printed for reference.
//! - `scenario/<name>`: one replication of each shipped scenario (`scenarios/*.toml`, every policy it declares)
//!   per iteration, single thread; elements = replications.
//! - `threads/guatemala-2019/{1,2}`: `montecarlo::run` of 200 replications on 1 and 2 threads; elements =
//!   replications. Parallel efficiency = rate(2) / (2 × rate(1)).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use rand::SeedableRng as _;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution as _, Exp};

use safe_third::engine::{self, Process, Scheduler};
use safe_third::model::{Model, Replication};
use safe_third::montecarlo::{self, RunConfig};
use safe_third::scenario::Scenario;

/// Seed of every benchmarked run: fixed, so that each iteration does the same work.
const SEED: u64 = 2019;

// ---------------------------------------------------------------------------------------------------------------
// engine/mmc

/// Arrival rate λ per day, service rate μ per day per server, and servers c of the M/M/c benchmarks.
const LAMBDA: f64 = 9.0;
const MU: f64 = 1.0;
const SERVERS: u32 = 10;
/// Simulated days per iteration of `engine/mmc`: about 2 × 9 × 20 000 = 360 000 events.
const ENGINE_HORIZON_DAYS: f64 = 20_000.0;

#[derive(Debug, Clone, Copy)]
enum MmcEvent {
    Arrival,
    Completion,
}

/// A bare M/M/c queue: a count of busy servers and of waiting customers, exponential draws from Xoshiro256++.
struct Mmc {
    rng: Xoshiro256PlusPlus,
    interarrival: Exp<f64>,
    service: Exp<f64>,
    busy: u32,
    waiting: u64,
    arrivals: u64,
    completions: u64,
}

impl Mmc {
    fn new(seed: u64) -> Mmc {
        Mmc {
            rng: Xoshiro256PlusPlus::seed_from_u64(seed),
            interarrival: Exp::new(LAMBDA).expect("positive rate"),
            service: Exp::new(MU).expect("positive rate"),
            busy: 0,
            waiting: 0,
            arrivals: 0,
            completions: 0,
        }
    }
}

impl Process for Mmc {
    type Event = MmcEvent;

    #[inline]
    fn handle(&mut self, event: MmcEvent, s: &mut Scheduler<MmcEvent>) {
        match event {
            MmcEvent::Arrival => {
                self.arrivals += 1;
                if self.busy < SERVERS {
                    self.busy += 1;
                    s.schedule_in(self.service.sample(&mut self.rng), MmcEvent::Completion);
                } else {
                    self.waiting += 1;
                }
                s.schedule_in(self.interarrival.sample(&mut self.rng), MmcEvent::Arrival);
            }
            MmcEvent::Completion => {
                self.completions += 1;
                if self.waiting > 0 {
                    self.waiting -= 1;
                    s.schedule_in(self.service.sample(&mut self.rng), MmcEvent::Completion);
                } else {
                    self.busy -= 1;
                }
            }
        }
    }
}

/// Simulates the M/M/c queue over `ENGINE_HORIZON_DAYS`, reusing the scheduler's capacity; returns the events
/// handled (arrivals + completions).
fn engine_mmc(scheduler: &mut Scheduler<MmcEvent>) -> u64 {
    let mut queue = Mmc::new(SEED);
    scheduler.clear();
    scheduler.schedule(0.0, MmcEvent::Arrival);
    let handled = engine::run(&mut queue, scheduler, ENGINE_HORIZON_DAYS);
    debug_assert_eq!(handled, queue.arrivals + queue.completions);
    handled
}

fn bench_engine(c: &mut Criterion) {
    let mut scheduler = Scheduler::new();
    let events = engine_mmc(&mut scheduler);
    eprintln!("engine/mmc: {events} events (arrivals + completions) per iteration");

    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Elements(events));
    group.bench_function("mmc", |b| b.iter(|| black_box(engine_mmc(&mut scheduler))));
    group.finish();
}

// ---------------------------------------------------------------------------------------------------------------
// model/mmc

fn mmc_model() -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/mmc.toml");
    let scenario = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
    Model::new(&scenario)
}

/// Arrivals (at sending country "a") plus decisions (by receiving country "b") over every month: the events an
/// M/M/c simulation of the same queue would handle.
fn mmc_events(model: &Model, values: &[f64]) -> u64 {
    let cell = |month, country, metric| {
        model.layout.find(month, country, metric).unwrap_or_else(|| panic!("no metric {country}/{metric}"))
    };
    let total: f64 = (0..model.layout.months.len())
        .map(|m| values[cell(m, "a", "arrivals_cases")] + values[cell(m, "b", "decisions_cases")])
        .sum();
    total as u64
}

/// Replications of `scenarios/mmc.toml` per iteration of `model/mmc`.
///
/// The same replications in every iteration, so that the element count is exact; several of them, because the
/// processor's branch predictor learns a single replication repeated over and over (6,500 events): repeating
/// replication 0 alone measured 17.4 M events/s where fresh replications give 14.1–14.5 M (peers bench, same
/// build). Four already bring it down to 14.75 M.
const MMC_BATCH: u64 = 16;

fn bench_model(c: &mut Criterion) {
    let model = mmc_model();
    let mut replication = Replication::new(&model);
    let outputs: Vec<_> = (0..MMC_BATCH).map(|i| replication.run(SEED, i)).collect();
    let events: u64 = outputs.iter().map(|o| mmc_events(&model, &o.values)).sum();
    eprintln!(
        "model/mmc: {events} M/M/c events (arrivals + decisions) in {MMC_BATCH} replications; the engine handled {} \
         events in all (also month starts)",
        outputs.iter().map(|o| o.events).sum::<u64>()
    );

    let mut group = c.benchmark_group("model");
    group.throughput(Throughput::Elements(events));
    group.bench_function("mmc", |b| {
        b.iter(|| {
            for i in 0..MMC_BATCH {
                black_box(replication.run(SEED, i));
            }
        })
    });
    group.finish();
}

// ---------------------------------------------------------------------------------------------------------------
// scenario/guatemala-2019 and threads/guatemala-2019

/// Replications per `montecarlo::run` in the thread benchmarks.
const RUN_REPLICATIONS: u64 = 200;

/// Every shipped scenario (`scenarios/*.toml`), its policies resolved as `safe-third run` resolves them.
fn shipped_scenarios() -> Vec<(String, Vec<Model>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let source = std::fs::read_to_string(&path).expect("readable scenario");
            let origin = path.display().to_string();
            let scenario = Scenario::from_toml(&source, &origin).unwrap_or_else(|e| panic!("{e}"));
            let policies = scenario.policies(&source, &origin, &[]).unwrap_or_else(|e| panic!("{e}"));
            (scenario.name.clone(), policies.iter().map(|p| Model::new(&p.scenario)).collect())
        })
        .collect()
}

fn bench_scenario(c: &mut Criterion) {
    let mut group = c.benchmark_group("scenario");
    group.throughput(Throughput::Elements(1));
    // full-border-2019 takes seconds a replication: flat sampling runs exactly `sample_size` iterations.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    for (name, models) in shipped_scenarios() {
        // One replication of a scenario runs every policy it declares, as `safe-third run` does.
        let mut replications: Vec<Replication> = models.iter().map(Replication::new).collect();
        // Cycle through replication indices so the rate is that of an average replication, not of one draw.
        let mut i = 0u64;
        group.bench_function(name, |b| {
            b.iter(|| {
                i = (i + 1) % 1000;
                for replication in &mut replications {
                    black_box(replication.run(SEED, i));
                }
            })
        });
    }
    group.finish();
}

fn bench_threads(c: &mut Criterion) {
    let model = Model::new(&Scenario::builtin());

    let mut group = c.benchmark_group("threads");
    // One iteration takes seconds: flat sampling runs exactly `sample_size` iterations after the warm-up.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(RUN_REPLICATIONS));
    for threads in [1, 2] {
        group.bench_with_input(BenchmarkId::new("guatemala-2019", threads), &threads, |b, &threads| {
            let config = RunConfig { replications: RUN_REPLICATIONS, seed: SEED, threads };
            b.iter(|| black_box(montecarlo::run(&model, config, &|| {}).expect("valid run")))
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default().warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(5))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_engine, bench_model, bench_scenario, bench_threads
}
criterion_main!(benches);
