//! The receiving asylum system against queueing theory.
//!
//! With unlimited seats, no holding limit, certain transit and filing and a zero filing window, every arrival at the
//! sending country's border files a claim in the receiving country at its arrival time. Arrivals are a Poisson
//! process (Poisson monthly counts at uniform times over the month), adjudicators are servers and claims are served
//! first come, first served without abandonment: the receiving system is exactly an M/G/c queue, and an M/M/c queue
//! when service times are exponential.
//!
//! # Statistical discipline
//!
//! Every replication starts empty, so the first months (the warm-up, several relaxation times of the queue) are
//! discarded. Each replication's post-warm-up average is then one independent observation: waits are averaged over
//! the claims decided (months weighted by their decisions), queue lengths over time (months weighted by their
//! length). The replications' mean is compared with theory at 4 standard errors (computed across replications), and
//! each test also requires that standard error to be a small fraction of the theoretical value, so that a real bias
//! of a few per cent cannot hide in a wide tolerance. Seeds are fixed: results are reproducible.

use safe_third::model::Model;
use safe_third::montecarlo::{self, RunConfig};
use safe_third::scenario::Scenario;

/// Scenario text of an M/G/c receiving system: Poisson arrivals at `lambda_per_day`, `servers` adjudicators and the
/// given service-time distribution (a TOML inline table), over `months` calendar months from 2020-01-01.
fn queue_scenario(lambda_per_day: f64, service_time_days: &str, servers: u32, months: u32) -> String {
    format!(
        r#"
name = "mmc"
start = 2020-01-01
months = {months}
sending_country = "a"

[countries]
a = "A"
b = "B"
x = "X"

[arrivals]
[[arrivals.stream]]
nationality = "x"
household = "single_adult"
per_day = {lambda_per_day:?}

[agreement.b]
eligible_nationalities = ["x"]
transit_probability = {{ x = 1 }}
screening_exempt_share = 0
seats_per_month = "unlimited"
max_wait_days = "unlimited"
[[agreement.b.phase]]
from = 2020-01-01
households = ["single_adult"]

[asylum.b]
filing_probability = 1
filing_window_days = 0
adjudicators = {servers}
service_time_days = {service_time_days}
grant_probability = 0.5
"#
    )
}

/// An M/M/c receiving system: exponential service with mean `mean_service_days`.
fn mmc_scenario(lambda_per_day: f64, mean_service_days: f64, servers: u32, months: u32) -> String {
    let service = format!("{{ distribution = \"exponential\", mean = {mean_service_days:?} }}");
    queue_scenario(lambda_per_day, &service, servers, months)
}

/// Erlang's C formula: the probability that an arrival waits in an M/M/c queue with offered load `a = λ/μ`
/// (requires `a < c`). Computed through the Erlang B recursion `B(k) = a B(k−1) / (k + a B(k−1))`, which never
/// forms the large powers and factorials of the textbook formula.
fn erlang_c(servers: u32, a: f64) -> f64 {
    assert!(a > 0.0 && a < f64::from(servers), "Erlang C needs 0 < a < c");
    let mut b = 1.0;
    for k in 1..=servers {
        b = a * b / (f64::from(k) + a * b);
    }
    let c = f64::from(servers);
    c * b / (c - a * (1.0 - b))
}

/// Steady state of an M/M/c queue.
#[derive(Debug, Clone, Copy)]
struct Mmc {
    /// Mean wait for an adjudicator, days.
    wq: f64,
    /// Mean number waiting.
    lq: f64,
    /// Mean filing to decision, days.
    w: f64,
    /// Mean number in the system (waiting or in adjudication).
    l: f64,
}

impl Mmc {
    fn new(lambda: f64, mu: f64, servers: u32) -> Mmc {
        let a = lambda / mu;
        let wq = erlang_c(servers, a) / (f64::from(servers) * mu - lambda);
        Mmc { wq, lq: lambda * wq, w: wq + 1.0 / mu, l: lambda * wq + a }
    }
}

/// One replication's averages over the months after the warm-up.
#[derive(Debug, Clone, Copy)]
struct Window {
    /// Filing to start of adjudication, over the claims decided (days).
    wq: f64,
    /// Filing to decision, over the claims decided (days).
    w: f64,
    /// Time-average number waiting for an adjudicator.
    lq: f64,
    /// Time-average backlog.
    l: f64,
    /// Claims filed per day.
    filed_per_day: f64,
}

/// Runs `replications` replications of a scenario and returns each one's averages over months `warmup..`.
fn simulate(text: &str, replications: u64, seed: u64, warmup: usize) -> Vec<Window> {
    let scenario = Scenario::from_toml(text, "mmc").expect("valid scenario");
    let model = Model::new(&scenario);
    let result = montecarlo::run(&model, RunConfig { replications, seed, threads: 0 }, &|| {}).expect("run");
    let months = result.layout.months.len();
    assert!(warmup < months, "the warm-up must leave months to measure");
    let cell = |m: usize, metric: &str| result.layout.find(m, "b", metric).expect("known metric");
    result
        .replications
        .iter()
        .map(|values| {
            let (mut decided, mut wq_sum, mut w_sum) = (0.0, 0.0, 0.0);
            let (mut days, mut lq_area, mut l_area, mut filed) = (0.0, 0.0, 0.0, 0.0);
            for m in warmup..months {
                let decisions = values[cell(m, "decisions_cases")];
                if decisions > 0.0 {
                    decided += decisions;
                    wq_sum += decisions * values[cell(m, "queue_wait_days_mean")];
                    w_sum += decisions * values[cell(m, "wait_days_mean")];
                }
                let length = model.calendar.month_length(m);
                days += length;
                lq_area += length * values[cell(m, "adjudication_queue_time_mean_cases")];
                l_area += length * values[cell(m, "backlog_time_mean_cases")];
                filed += values[cell(m, "claims_filed_cases")];
            }
            assert!(decided > 0.0, "no decisions after the warm-up");
            Window {
                wq: wq_sum / decided,
                w: w_sum / decided,
                lq: lq_area / days,
                l: l_area / days,
                filed_per_day: filed / days,
            }
        })
        .collect()
}

/// Mean and standard error of the mean of independent observations.
fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    assert!(n >= 2.0);
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// Asserts that the mean of i.i.d. observations `xs` estimates `theory`: within 4 standard errors, with a standard
/// error below `max_relative_se` of the theoretical value (so the test can detect a bias of a few times that).
fn assert_estimates(label: &str, xs: &[f64], theory: f64, max_relative_se: f64) {
    let (mean, se) = mean_se(xs);
    let z = (mean - theory) / se;
    println!(
        "{label:<40} estimate {mean:>10.5} ± {se:.5} (SE {:.2}%)   theory {theory:>10.5}   z = {z:+.2}",
        100.0 * se / theory.abs()
    );
    assert!(mean.is_finite() && se.is_finite(), "{label}: non-finite estimate {mean} ± {se}");
    assert!(
        se < max_relative_se * theory.abs(),
        "{label}: standard error {se} is over {max_relative_se} of the theoretical {theory}; the test lacks power"
    );
    assert!(z.abs() < 4.0, "{label}: estimate {mean} ± {se} is {z:.2} standard errors from the theoretical {theory}");
}

#[test]
fn erlang_c_matches_known_values() {
    // c = 2, a = 1: C = 1/3 (textbook).
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    // One server: C = ρ.
    for rho in [0.1, 0.5, 0.9, 0.99] {
        assert!((erlang_c(1, rho) - rho).abs() < 1e-12);
    }
    // Against the textbook formula C = (aᶜ/c!)·c/(c−a) / (Σ_{k<c} aᵏ/k! + (aᶜ/c!)·c/(c−a)), fine for small c.
    for (servers, a) in [(3_u32, 2.0_f64), (10, 5.0), (10, 9.5), (20, 15.0)] {
        let term = |k: u32| a.powi(k as i32) / (1..=k).map(f64::from).product::<f64>();
        let last = term(servers) * f64::from(servers) / (f64::from(servers) - a);
        let direct = last / ((0..servers).map(term).sum::<f64>() + last);
        assert!((erlang_c(servers, a) - direct).abs() < 1e-12, "c = {servers}, a = {a}");
    }
    // Stable where the textbook formula overflows: 500 servers at a = 480 (a^500 is far beyond f64).
    let c = erlang_c(500, 480.0);
    assert!(c > 0.0 && c < 1.0, "{c}");
}

/// One utilisation level of the Erlang C test: its horizon, warm-up and replications.
struct Level {
    rho: f64,
    months: u32,
    warmup: usize,
    replications: u64,
}

#[test]
fn mmc_waits_and_queue_lengths_match_erlang_c() {
    const SERVERS: u32 = 10;
    const MU: f64 = 1.0;
    // The relaxation time of the queue is about 1/(cμ(1−√ρ)²) days: under a day at ρ = 0.5, 4 days at 0.7, 38 at
    // 0.9, 156 at 0.95. Warm-ups are at least five relaxation times (and at least a month); horizons and
    // replications make the standard errors of Wq and Lq about 2% of theory, and the test requires under 5%.
    let levels = [
        Level { rho: 0.5, months: 420, warmup: 1, replications: 32 },
        Level { rho: 0.7, months: 120, warmup: 1, replications: 32 },
        Level { rho: 0.9, months: 240, warmup: 6, replications: 40 },
        Level { rho: 0.95, months: 300, warmup: 24, replications: 48 },
    ];
    for (i, level) in levels.iter().enumerate() {
        let lambda = level.rho * f64::from(SERVERS) * MU;
        let theory = Mmc::new(lambda, MU, SERVERS);
        println!(
            "rho = {}: M/M/{SERVERS}, lambda = {lambda}/day, mu = {MU}/day, C = {:.5}; {} replications of {} months, \
             warm-up {}",
            level.rho,
            erlang_c(SERVERS, lambda / MU),
            level.replications,
            level.months,
            level.warmup
        );
        let label = |what: &str| format!("rho = {} {what}", level.rho);
        let text = mmc_scenario(lambda, 1.0 / MU, SERVERS, level.months);
        let windows = simulate(&text, level.replications, 1000 + i as u64, level.warmup);
        let column = |f: fn(&Window) -> f64| windows.iter().map(f).collect::<Vec<_>>();
        assert_estimates(&label("Wq (days)"), &column(|w| w.wq), theory.wq, 0.05);
        assert_estimates(&label("Lq (cases)"), &column(|w| w.lq), theory.lq, 0.05);
        assert_estimates(&label("W (days)"), &column(|w| w.w), theory.w, 0.02);
        assert_estimates(&label("L (cases)"), &column(|w| w.l), theory.l, 0.02);
        assert_estimates(&label("claims per day"), &column(|w| w.filed_per_day), lambda, 0.01);
    }
}

#[test]
fn backlog_obeys_littles_law_for_any_service_distribution() {
    // L = λW holds whatever the service distribution; so does Lq = λWq. Each replication's ratio L̂/(λ̂Ŵ) over the
    // post-warm-up window is one observation, tested against 1. Over one sample path the two sides differ only by
    // boundary terms (claims already waiting when the window opens, or still waiting when it closes) whose
    // expectations cancel in steady state, so the ratios scatter by well under 0.1%: the test catches any
    // inconsistency between the time-average backlog, the filings and the waits of more than a fraction of a per cent.
    const SERVERS: u32 = 10;
    let services = [
        ("exponential, rho = 0.9", "{ distribution = \"exponential\", mean = 1.0 }"),
        ("gamma shape 3, rho = 0.9", "{ distribution = \"gamma\", mean = 1.0, shape = 3.0 }"),
        ("lognormal cv 2, rho = 0.9", "{ distribution = \"lognormal\", mean = 1.0, sd = 2.0 }"),
    ];
    for (i, (label, service)) in services.iter().enumerate() {
        let lambda = 0.9 * f64::from(SERVERS);
        println!("Little's law, {label}: M/G/{SERVERS}, lambda = {lambda}/day, mean service 1 day");
        let text = queue_scenario(lambda, service, SERVERS, 120);
        let windows = simulate(&text, 32, 2000 + i as u64, 12);
        let l_ratio: Vec<f64> = windows.iter().map(|w| w.l / (w.filed_per_day * w.w)).collect();
        let lq_ratio: Vec<f64> = windows.iter().map(|w| w.lq / (w.filed_per_day * w.wq)).collect();
        assert_estimates(&format!("{label}: L/(lambda W)"), &l_ratio, 1.0, 0.002);
        assert_estimates(&format!("{label}: Lq/(lambda Wq)"), &lq_ratio, 1.0, 0.002);
    }
}
