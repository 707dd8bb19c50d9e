//! The safe-third side of the peer comparison (benches/peers/README.md): the M/M/c queue of
//! `scenarios/mmc.toml` and the transfer pipeline of `benches/peers/pipeline.toml`, each replication run with
//! the full model on one thread, exactly as `safe-third run` runs it. Prints one JSON object: throughput and the
//! mean outputs that `simpy_models.py` compares with its own.
//!
//! Also the same M/M/c queue on the engine alone (a bare `Process`, as SimPy's model is a bare process on SimPy's
//! engine).
//!
//! Run by `bash benches/peers/run.sh`, or alone with `cargo bench --bench peers`. Replications:
//! `PEERS_MMC_REPLICATIONS` (default 2,000: about a second; 400 took 0.18 s, too short for a steady figure),
//! `PEERS_PIPELINE_REPLICATIONS` (default 400) and `PEERS_ENGINE_REPLICATIONS` (default 400, times 10).

use std::collections::VecDeque;
use std::path::Path;
use std::time::Instant;

use rand::SeedableRng as _;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution as _, Exp};

use safe_third::engine::{self, Process, Scheduler};
use safe_third::model::{MetricLayout, Model, Replication};
use safe_third::scenario::Scenario;

const SEED: u64 = 2019;

/// CPU seconds this process has used (user + system), from `/proc/self/stat` in USER_HZ = 100 ticks a second
/// (Linux); NaN where it cannot be read. On a shared machine CPU time is steadier than wall time.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    // The fields after the command name (which is in parentheses and may contain spaces).
    let fields: Vec<&str> = stat.rsplit_once(')').map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(f64::NAN);
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// Wall and CPU seconds since a start.
struct Clock {
    wall: Instant,
    cpu: f64,
}

impl Clock {
    fn start() -> Clock {
        Clock { wall: Instant::now(), cpu: cpu_seconds() }
    }

    fn stop(&self) -> (f64, f64) {
        (self.wall.elapsed().as_secs_f64(), cpu_seconds() - self.cpu)
    }
}

fn model(relative: &str) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    Model::new(&Scenario::load(&path).unwrap_or_else(|e| panic!("{e}")))
}

/// The replication count in `var`, or `default`.
fn replications(var: &str, default: u64) -> u64 {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Sum over months `from..` of a metric.
fn total(layout: &MetricLayout, values: &[f64], from: usize, country: &str, metric: &str) -> f64 {
    (from..layout.months.len())
        .map(|m| values[layout.find(m, country, metric).unwrap_or_else(|| panic!("{country}/{metric}"))])
        .sum()
}

fn mmc() -> String {
    let model = model("scenarios/mmc.toml");
    let layout = &model.layout;
    let n = replications("PEERS_MMC_REPLICATIONS", 2000);
    let mut replication = Replication::new(&model);
    let (mut events, mut engine_events) = (0.0, 0u64);
    // Per replication, the mean wait in queue of the claims decided from the second month on (the first starts
    // empty); then the mean and standard deviation of those means.
    let (mut sum, mut sum_sq) = (0.0, 0.0);
    let clock = Clock::start();
    for i in 0..n {
        let output = replication.run(SEED, i);
        let v = &output.values;
        events += total(layout, v, 0, "a", "arrivals_cases") + total(layout, v, 0, "b", "decisions_cases");
        engine_events += output.events;
        let (mut wait_sum, mut decided) = (0.0, 0.0);
        for m in 1..layout.months.len() {
            let d = v[layout.find(m, "b", "decisions_cases").unwrap()];
            let w = v[layout.find(m, "b", "queue_wait_days_mean").unwrap()];
            if d > 0.0 {
                wait_sum += w * d;
                decided += d;
            }
        }
        let wait = wait_sum / decided;
        sum += wait;
        sum_sq += wait * wait;
    }
    let (seconds, cpu) = clock.stop();
    let nf = n as f64;
    let wait_mean = sum / nf;
    let wait_sd = ((sum_sq - nf * wait_mean * wait_mean) / (nf - 1.0)).max(0.0).sqrt();
    format!(
        r#"{{"replications": {n}, "days_per_replication": 366, "seconds": {seconds}, "cpu_seconds": {cpu}, "events": {events}, "engine_events": {engine_events}, "events_per_second": {}, "events_per_cpu_second": {}, "wait_in_queue_days_mean": {wait_mean}, "wait_in_queue_days_sd": {wait_sd}}}"#,
        events / seconds,
        events / cpu,
    )
}

// ---------------------------------------------------------------------------------------------------------------
// The M/M/c queue on safe-third's engine alone: the counterpart of the SimPy model, which is also an engine plus
// a few lines of process code. λ = 9/day, μ = 1/day, c = 10, 366 days, FIFO, waits measured as in SimPy.

#[derive(Debug, Clone, Copy)]
enum MmcEvent {
    Arrival,
    Completion,
}

struct Mmc {
    rng: Xoshiro256PlusPlus,
    interarrival: Exp<f64>,
    service: Exp<f64>,
    busy: u32,
    /// Arrival times of the customers waiting, in order.
    queue: VecDeque<f64>,
    events: u64,
    wait_sum: f64,
    served: u64,
}

const WARMUP_DAYS: f64 = 31.0;

impl Mmc {
    fn start_service(&mut self, arrived: f64, s: &mut Scheduler<MmcEvent>) {
        // A customer's wait counts when its service ends after the first month, as in SimPy's model.
        let wait = s.now() - arrived;
        let service = self.service.sample(&mut self.rng);
        if s.now() + service >= WARMUP_DAYS && s.now() + service < 366.0 {
            self.wait_sum += wait;
            self.served += 1;
        }
        s.schedule_in(service, MmcEvent::Completion);
    }
}

impl Process for Mmc {
    type Event = MmcEvent;

    #[inline]
    fn handle(&mut self, event: MmcEvent, s: &mut Scheduler<MmcEvent>) {
        self.events += 1;
        match event {
            MmcEvent::Arrival => {
                if self.busy < 10 {
                    self.busy += 1;
                    self.start_service(s.now(), s);
                } else {
                    self.queue.push_back(s.now());
                }
                s.schedule_in(self.interarrival.sample(&mut self.rng), MmcEvent::Arrival);
            }
            MmcEvent::Completion => match self.queue.pop_front() {
                Some(arrived) => self.start_service(arrived, s),
                None => self.busy -= 1,
            },
        }
    }
}

fn engine_mmc() -> String {
    let n = replications("PEERS_ENGINE_REPLICATIONS", 400) * 10;
    let mut scheduler = Scheduler::new();
    let (mut events, mut sum, mut sum_sq) = (0u64, 0.0, 0.0);
    let clock = Clock::start();
    for i in 0..n {
        let mut queue = Mmc {
            rng: Xoshiro256PlusPlus::seed_from_u64(SEED ^ i),
            interarrival: Exp::new(9.0).expect("rate"),
            service: Exp::new(1.0).expect("rate"),
            busy: 0,
            queue: VecDeque::new(),
            events: 0,
            wait_sum: 0.0,
            served: 0,
        };
        scheduler.clear();
        scheduler.schedule(0.0, MmcEvent::Arrival);
        engine::run(&mut queue, &mut scheduler, 366.0);
        events += queue.events;
        let wait = queue.wait_sum / queue.served as f64;
        sum += wait;
        sum_sq += wait * wait;
    }
    let (seconds, cpu) = clock.stop();
    let nf = n as f64;
    let mean = sum / nf;
    let sd = ((sum_sq - nf * mean * mean) / (nf - 1.0)).max(0.0).sqrt();
    format!(
        r#"{{"replications": {n}, "seconds": {seconds}, "cpu_seconds": {cpu}, "events": {events}, "events_per_second": {}, "events_per_cpu_second": {}, "wait_in_queue_days_mean": {mean}, "wait_in_queue_days_sd": {sd}}}"#,
        events as f64 / seconds,
        events as f64 / cpu
    )
}

fn pipeline() -> String {
    let model = model("benches/peers/pipeline.toml");
    let layout = &model.layout;
    let n = replications("PEERS_PIPELINE_REPLICATIONS", 400);
    let metrics = [
        ("arrivals", "a", "arrivals_cases"),
        ("eligible", "a", "eligible_cases"),
        ("transferred", "a", "transferred_cases"),
        ("released", "a", "released_cases"),
        ("claims_filed", "b", "transferee_claims_filed_cases"),
        ("decisions", "b", "decisions_cases"),
        ("abandoned", "b", "abandoned_cases"),
    ];
    let mut sums = vec![0.0; metrics.len()];
    let mut sums_sq = vec![0.0; metrics.len()];
    let mut replication = Replication::new(&model);
    let clock = Clock::start();
    for i in 0..n {
        let output = replication.run(SEED, i);
        for (k, (_, country, metric)) in metrics.iter().enumerate() {
            let x = total(layout, &output.values, 0, country, metric);
            sums[k] += x;
            sums_sq[k] += x * x;
        }
    }
    let (seconds, cpu) = clock.stop();
    let nf = n as f64;
    let means: Vec<String> = metrics
        .iter()
        .enumerate()
        .map(|(k, (name, _, _))| {
            let mean = sums[k] / nf;
            let sd = ((sums_sq[k] - nf * mean * mean) / (nf - 1.0)).max(0.0).sqrt();
            format!(r#""{name}": {{"mean": {mean}, "sd": {sd}}}"#)
        })
        .collect();
    format!(
        r#"{{"replications": {n}, "seconds": {seconds}, "cpu_seconds": {cpu}, "replications_per_second": {}, "replications_per_cpu_second": {}, "arrivals_per_second": {}, "totals": {{{}}}}}"#,
        nf / seconds,
        nf / cpu,
        sums[0] / seconds,
        means.join(", ")
    )
}

fn main() {
    // `cargo bench` passes `--bench`; there is nothing to parse.
    println!(
        r#"{{"tool": "safe-third", "engine_mmc": {}, "mmc": {}, "pipeline": {}}}"#,
        engine_mmc(),
        mmc(),
        pipeline()
    );
}
