//! Shards and merge: `run --shard K/N` in separate processes, then `merge`, give byte for byte the files of a
//! single run with the same seed; shards of different runs, overlapping or missing ranges and damaged partials
//! are refused with exit code 2 before anything is written.
//!
//! This is the local stand-in for the cluster recipes in `deploy/` (a Slurm job array and a Kubernetes Indexed
//! Job): they run exactly these commands, one shard per array task or completion index, then the merge.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_safe-third"))
}

fn safe_third(args: &[&str]) -> Output {
    binary().args(args).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs the `count` shards of a run as concurrent processes; returns their directories in shard order.
fn run_shards(dir: &Path, tag: &str, run: &[&str], count: u64) -> Vec<PathBuf> {
    let children: Vec<(PathBuf, Child)> = (0..count)
        .map(|k| {
            let out = dir.join(format!("{tag}-shard-{k}"));
            let shard = format!("{k}/{count}");
            let child = binary()
                .args(run)
                .args(["--threads", "1", "--shard", &shard, "--out", path(&out)])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the binary starts");
            (out, child)
        })
        .collect();
    children
        .into_iter()
        .map(|(out, child)| {
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "shard {}: {}", out.display(), text(&o.stderr));
            assert!(text(&o.stdout).contains("Wrote a partial result"), "{}", text(&o.stdout));
            out
        })
        .collect()
}

fn merge(partials: &[&Path], out: &Path) -> Output {
    let mut args = vec!["merge"];
    args.extend(partials.iter().map(|p| path(p)));
    args.extend(["--out", path(out)]);
    safe_third(&args)
}

/// The manifest without what describes one execution rather than the run (command line, start, wall time,
/// threads).
fn manifest_identity(dir: &Path) -> serde_json::Value {
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let fields = manifest.as_object_mut().unwrap();
    for execution in ["command", "started_unix_seconds", "wall_time_seconds", "threads"] {
        assert!(fields.remove(execution).is_some(), "the manifest records {execution}");
    }
    manifest
}

/// Every file under `dir`, as paths relative to it, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    let mut names = Vec::new();
    walk(dir, dir, &mut names);
    names.sort();
    names
}

/// Files that describe one execution (the command line and directory that produced them), as the manifest's
/// execution fields do: a human-readable report, where a run writes one.
const EXECUTION_FILES: [&str; 2] = ["report.md", "report.html"];

/// Checks that `merged` holds exactly the files of `single`, byte for byte (the manifest up to execution fields).
fn assert_same_results(single: &Path, merged: &Path) {
    assert_eq!(files(single), files(merged));
    for name in files(single) {
        if name == "manifest.json" {
            assert_eq!(manifest_identity(single), manifest_identity(merged));
        } else if EXECUTION_FILES.contains(&name.as_str()) {
            continue;
        } else {
            let (a, b) = (std::fs::read(single.join(&name)).unwrap(), std::fs::read(merged.join(&name)).unwrap());
            assert!(a == b, "{name} differs between the single run and the merge");
        }
    }
}

#[test]
fn four_shard_processes_merge_into_the_single_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let run = ["run", "-n", "25", "--seed", "11", "--replications-csv"];
    let single = dir.path().join("single");
    let o = safe_third(&[&run[..], &["--threads", "2", "--out", path(&single)]].concat());
    assert!(o.status.success(), "{}", text(&o.stderr));

    let shards = run_shards(dir.path(), "g", &run, 4);
    // Shard 1 of 4 holds replications 6 to 11 (⌊25/4⌋ = 6 …): a partial of its own range only.
    let partial: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shards[1].join("partial.json")).unwrap()).unwrap();
    assert_eq!((partial["first"].as_u64(), partial["replications"].as_u64()), (Some(6), Some(6)));
    assert_eq!(partial["run"]["replications"], 25);

    // Given in any order.
    let merged = dir.path().join("merged");
    let order: Vec<&Path> = [3, 0, 2, 1].iter().map(|&k| shards[k].as_path()).collect();
    let o = merge(&order, &merged);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("Merged 4 shards"), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("25 replications"), "{}", text(&o.stdout));
    assert_same_results(&single, &merged);
    assert!(files(&merged).contains(&"replications.csv".to_string()));

    // The merged manifest reproduces the run like any other.
    let again = dir.path().join("again");
    let o = safe_third(&["run", "--from-manifest", path(&merged.join("manifest.json")), "--out", path(&again)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(again.join("summary.csv")).unwrap(), std::fs::read(single.join("summary.csv")).unwrap());
}

#[test]
fn several_policies_merge_with_their_differences() {
    let dir = tempfile::tempdir().unwrap();
    let run = ["run", "scenarios/guatemala-2019-policies.toml", "-n", "8", "--seed", "3"];
    let single = dir.path().join("single");
    let o = safe_third(&[&run[..], &["--out", path(&single)]].concat());
    assert!(o.status.success(), "{}", text(&o.stderr));
    let shards = run_shards(dir.path(), "p", &run, 3);
    let merged = dir.path().join("merged");
    let o = merge(&shards.iter().map(PathBuf::as_path).collect::<Vec<_>>(), &merged);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(files(&merged).contains(&"differences.csv".to_string()));
    assert_same_results(&single, &merged);
}

/// A merge that must be refused: exit code 2, the message names the problem, and nothing is written.
fn assert_refused(partials: &[&Path], out: &Path, expected: &str) {
    let o = merge(partials, out);
    assert_eq!(o.status.code(), Some(2), "stdout: {} stderr: {}", text(&o.stdout), text(&o.stderr));
    let stderr = text(&o.stderr);
    assert!(stderr.contains(expected), "expected {expected:?} in: {stderr}");
    assert!(!out.exists(), "nothing is written when the merge is refused");
}

#[test]
fn shards_of_different_runs_overlaps_gaps_and_damage_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let shards = run_shards(d, "a", &["run", "-n", "6", "--seed", "1"], 2);
    let (a0, a1) = (shards[0].as_path(), shards[1].as_path());
    let out = d.join("out");

    // Another seed.
    let b = run_shards(d, "b", &["run", "-n", "6", "--seed", "2"], 2);
    assert_refused(&[a0, &b[1]], &out, "seed 1 in the first, 2 in the second");
    // Another scenario.
    let c = run_shards(d, "c", &["run", "scenarios/mmc.toml", "-n", "6", "--seed", "1"], 2);
    assert_refused(&[a0, &c[1]], &out, "scenario (SHA-256)");
    // Other --set overrides.
    let s = run_shards(d, "s", &["run", "-n", "6", "--seed", "1", "--set", "asylum.guatemala.adjudicators=8"], 2);
    assert_refused(&[a0, &s[1]], &out, "--set overrides");
    // Other replications in all.
    let n = run_shards(d, "n", &["run", "-n", "8", "--seed", "1"], 2);
    assert_refused(&[a0, &n[1]], &out, "replications 6 in the first, 8 in the second");
    // The same shard twice, and a missing one.
    assert_refused(&[a0, a0, a1], &out, "overlaps");
    assert_refused(&[a0], &out, "replications 3 to 5 of 6 are missing");
    assert_refused(&[a1], &out, "replications 0 to 2 of 6 are missing");
    // Shards of 3 and of 2 that overlap.
    let t = run_shards(d, "t", &["run", "-n", "6", "--seed", "1"], 3);
    assert_refused(&[a0, &t[1], &t[2]], &out, "overlaps");
    // The thirds alone tile the run and merge.
    let o = merge(&[&t[0], &t[1], &t[2]], &d.join("thirds"));
    assert!(o.status.success(), "{}", text(&o.stderr));

    // Another version of the tool.
    let edited = |from: &Path, to: &str, edit: &dyn Fn(String) -> String| {
        let copy = d.join(to);
        std::fs::create_dir_all(&copy).unwrap();
        for f in ["partial.json", "values.bin", "scenario.toml"] {
            std::fs::copy(from.join(f), copy.join(f)).unwrap();
        }
        let manifest = std::fs::read_to_string(copy.join("partial.json")).unwrap();
        std::fs::write(copy.join("partial.json"), edit(manifest)).unwrap();
        copy
    };
    let v = edited(a1, "version", &|m| m.replace(&format!("\"{}\"", env!("CARGO_PKG_VERSION")), "\"0.0.0-other\""));
    assert_refused(&[a0, &v], &out, "tool version");
    // A truncated values file.
    let damaged = edited(a1, "damaged", &|m| m);
    let bytes = std::fs::read(damaged.join("values.bin")).unwrap();
    std::fs::write(damaged.join("values.bin"), &bytes[..bytes.len() - 8]).unwrap();
    assert_refused(&[a0, &damaged], &out, "damaged");
    // Not a partial at all.
    assert_refused(&[a0, d], &out, "not a complete partial result");
}

#[test]
fn impossible_shards_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x");
    for (shard, n, expected) in [("4/4", "10", "the last of 4 is 3/4"), ("1/0", "10", "K/N"), ("0/5", "3", "5 shards")]
    {
        let o = safe_third(&["run", "-n", n, "--shard", shard, "--out", path(&out)]);
        assert_eq!(o.status.code(), Some(2), "{shard}: {}", text(&o.stderr));
        assert!(text(&o.stderr).contains(expected), "{shard}: {}", text(&o.stderr));
        assert!(!out.exists());
    }
    let o = safe_third(&["run", "-n", "10", "--shard", "0/2", "--precision", "0.1"]);
    assert_eq!(o.status.code(), Some(2), "--shard with --precision: {}", text(&o.stderr));
}

/// The Slurm recipe, run locally: each array task is `deploy/slurm/safe-third-array.sbatch` under bash with the
/// environment Slurm would give it, then `safe-third-merge.sbatch`; the merge equals a single run. (No Slurm
/// here: this checks the scripts' commands, not the scheduler.)
#[test]
fn the_slurm_recipe_run_locally_merges_into_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let run_dir = dir.path().join("run");
    let scenario = std::fs::canonicalize("scenarios/guatemala-2019-policies.toml").unwrap();
    let shards = 3;
    let common = |script: &str| {
        let mut c = Command::new("bash");
        c.arg(format!("deploy/slurm/{script}"))
            .env("SAFE_THIRD", env!("CARGO_BIN_EXE_safe-third"))
            .env("OUT", &run_dir)
            .env("SCENARIO", &scenario)
            .env("REPLICATIONS", "7")
            .env("SEED", "5")
            .env("EXTRA_ARGS", "--replications-csv");
        c
    };
    for task in 0..shards {
        let o = common("safe-third-array.sbatch")
            .env("SLURM_ARRAY_TASK_ID", task.to_string())
            .env("SLURM_ARRAY_TASK_COUNT", shards.to_string())
            .env("SLURM_ARRAY_TASK_MIN", "0")
            .env("SLURM_ARRAY_TASK_MAX", (shards - 1).to_string())
            .env("SLURM_CPUS_PER_TASK", "1")
            .output()
            .unwrap();
        assert!(o.status.success(), "array task {task}: {}", text(&o.stderr));
    }
    let o = common("safe-third-merge.sbatch").output().unwrap();
    assert!(o.status.success(), "merge: {}", text(&o.stderr));

    let single = dir.path().join("single");
    let o =
        safe_third(&["run", path(&scenario), "-n", "7", "--seed", "5", "--replications-csv", "--out", path(&single)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_same_results(&single, &run_dir.join("merged"));

    // An array not numbered from 0 is refused: task ids are shard numbers.
    let o = common("safe-third-array.sbatch")
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "2")
        .env("SLURM_ARRAY_TASK_MIN", "1")
        .env("SLURM_ARRAY_TASK_MAX", "2")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
}
