//! Bounded memory: past `EXACT_REPLICATIONS` replications the summaries stream (a quantile sketch, running sums),
//! and stay the same at any thread count and under shard and merge; the sketch's quantiles keep within their
//! documented rank error of the exact ones, and streamed paired differences match the exact ones.

use crate::support;

use std::path::Path;
use std::process::Command;

use safe_third::model::Model;
use safe_third::montecarlo::comparison::{cell_differences, key_figure_differences};
use safe_third::montecarlo::sketch::Sketch;
use safe_third::montecarlo::{self, EXACT_REPLICATIONS, ReplicationRunner, RunConfig, quantile};

/// The M/M/c scenario cut to two months: a fraction of a millisecond per replication.
fn short_mmc(adjudicators: u32) -> String {
    std::fs::read_to_string("scenarios/mmc.toml")
        .unwrap()
        .replace("months = 12", "months = 2")
        .replace("adjudicators = 10 ", &format!("adjudicators = {adjudicators} "))
}

const REPLICATIONS: u64 = EXACT_REPLICATIONS + 904;

#[test]
fn streamed_summaries_are_independent_of_threads_and_close_to_the_exact_ones() {
    let model = Model::new(&support::scenario(&short_mmc(10)));
    let models = [&model];
    let streamed = |threads| {
        let mut b = ReplicationRunner::new(&models, 4, threads).unwrap();
        b.run(REPLICATIONS, &|| {}).unwrap();
        b.finish().pop().unwrap()
    };
    let (one, two) = (streamed(1), streamed(2));
    assert_eq!(one.count, REPLICATIONS);
    assert!(one.replications.is_empty(), "values are not kept");
    assert_eq!(format!("{:?}", one.summary), format!("{:?}", two.summary), "bit for bit at 1 and 2 threads");

    // The same run keeping every value gives the exact summaries to compare with.
    let kept = montecarlo::run(&model, RunConfig { replications: REPLICATIONS, seed: 4, threads: 2 }, &|| {}).unwrap();
    let bound = Sketch::rank_error_bound(REPLICATIONS);
    assert!(bound > 0.0 && bound <= 0.005);
    let mut checked = 0;
    for (cell, s) in one.summary.iter().enumerate() {
        let mut values: Vec<f64> = kept.replications.iter().map(|r| r[cell]).filter(|v| !v.is_nan()).collect();
        values.sort_by(f64::total_cmp);
        let n = values.len();
        assert_eq!(s.n, n);
        if n == 0 {
            continue;
        }
        let exact_mean = values.iter().sum::<f64>() / n as f64;
        assert!((s.mean - exact_mean).abs() <= 1e-9 * exact_mean.abs().max(1.0), "cell {cell}");
        // Each streamed quantile lies between the exact values at the target rank ± the bound (and the one above,
        // for the interpolation).
        let slack = (bound * n as f64).ceil() as usize + 1;
        for (p, got) in [(0.05, s.p05), (0.25, s.p25), (0.5, s.p50), (0.75, s.p75), (0.95, s.p95)] {
            let h = ((n - 1) as f64 * p).floor() as usize;
            let (lo, hi) = (values[h.saturating_sub(slack)], values[(h + 1 + slack).min(n - 1)]);
            assert!(
                lo <= got && got <= hi,
                "cell {cell} p {p}: {got} not in [{lo}, {hi}]; exact {}",
                quantile(&values, p)
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn streamed_paired_differences_match_the_exact_ones() {
    let (a, b) = (Model::new(&support::scenario(&short_mmc(10))), Model::new(&support::scenario(&short_mmc(11))));
    let models = [&a, &b];
    let mut batches = ReplicationRunner::new(&models, 8, 2).unwrap().compare_with(0);
    batches.run(REPLICATIONS, &|| {}).unwrap();
    let streamed = batches.finish();
    let kept = montecarlo::run_policies(&models, RunConfig { replications: REPLICATIONS, seed: 8, threads: 2 }, &|| {})
        .unwrap();
    let (s, e) = (cell_differences(&streamed[1], &streamed[0]), cell_differences(&kept[1], &kept[0]));
    assert_eq!(s.len(), e.len());
    let close = |x: f64, y: f64| (x.is_nan() && y.is_nan()) || x == y || (x - y).abs() <= 1e-7 * y.abs().max(1.0);
    let mut distinguishable = 0;
    for (s, e) in s.iter().zip(&e) {
        let (x, y) = (&s.difference, &e.difference);
        assert_eq!((x.n, &s.metric, &s.month), (y.n, &e.metric, &e.month));
        assert!(
            close(x.mean, y.mean) && close(x.sd, y.sd) && close(x.ci_low, y.ci_low),
            "{} {}: {x:?} vs {y:?}",
            s.month,
            s.metric
        );
        assert!(close(x.unpaired_half_width, y.unpaired_half_width), "{x:?} vs {y:?}");
        distinguishable += usize::from(x.distinguishable());
    }
    assert!(distinguishable > 0, "an eleventh adjudicator shortens waits");
    for (s, e) in
        key_figure_differences(&streamed[1], &streamed[0]).iter().zip(key_figure_differences(&kept[1], &kept[0]))
    {
        assert!(close(s.difference.mean, e.difference.mean) && close(s.policy_mean, e.policy_mean), "{s:?} vs {e:?}");
    }
}

fn safe_third(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_safe-third")).args(args).output().expect("the binary runs")
}

#[test]
fn shards_merge_byte_for_byte_beyond_the_exact_range() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = d.join("short.toml");
    std::fs::write(&scenario, short_mmc(10)).unwrap();
    let n = REPLICATIONS.to_string();
    let run = ["run", scenario.to_str().unwrap(), "-n", &n, "--seed", "6"];
    let path = |p: &Path| p.to_str().unwrap().to_string();
    let single = d.join("single");
    let o = safe_third(&[&run[..], &["--out", &path(&single)]].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut shards = Vec::new();
    for k in 0..3 {
        let out = d.join(format!("shard-{k}"));
        let shard = format!("{k}/3");
        let o = safe_third(&[&run[..], &["--threads", "1", "--shard", &shard, "--out", &path(&out)]].concat());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        shards.push(path(&out));
    }
    let merged = d.join("merged");
    let mut args = vec!["merge".to_string()];
    args.extend(shards);
    args.extend(["--out".to_string(), path(&merged)]);
    let o = Command::new(env!("CARGO_BIN_EXE_safe-third")).args(&args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read(single.join("summary.csv")).unwrap(), std::fs::read(merged.join("summary.csv")).unwrap());
}
