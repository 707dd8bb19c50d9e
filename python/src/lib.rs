//! The extension module `safe_third._safe_third`. It converts Python arguments into the library's and the
//! library's results into Python objects, and nothing else: loading and validating scenarios, simulating, the
//! tables, the key figures, the console summary and the run directory are all the library's run API
//! (`safe_third::run`, through [`library`]).
//!
//! The Python package `safe_third` (python/safe_third/) turns the CSV bytes returned here into DataFrames.

mod errors;
mod library;
mod scenario_source;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use pyo3::prelude::*;

use safe_third::run::RunOutcome;
use scenario_source::ScenarioSource;

/// How often the waiting interpreter thread looks for Ctrl-C and moves the progress bar.
const POLL: Duration = Duration::from_millis(100);

/// The whole `safe-third` command line, from its arguments (the program name first) to its exit code: the
/// package's `safe-third` script. The interpreter is released while it runs.
#[pyfunction]
fn cli_main(py: Python<'_>, argv: Vec<String>) -> u8 {
    py.detach(|| library::cli_main(argv))
}

/// A finished run's outcome, read by the Python `Result` class.
#[pyclass(frozen, module = "safe_third._safe_third")]
struct Run {
    outcome: RunOutcome,
}

#[pymethods]
impl Run {
    /// summary.csv, as the command line writes it.
    fn summary_csv(&self) -> String {
        library::table(&self.outcome, library::write_summary)
    }

    /// differences.csv, or None with a single policy.
    fn differences_csv(&self) -> Option<String> {
        (self.outcome.policies.len() > 1).then(|| library::table(&self.outcome, library::write_differences))
    }

    /// replications.csv, or None unless the run kept every replication's values.
    fn replications_csv(&self) -> Option<String> {
        let kept = self.outcome.policies.iter().all(|p| p.result.replications.len() as u64 == p.result.count);
        kept.then(|| library::table(&self.outcome, library::write_replications))
    }

    /// Key figures as rows (policy, country, label, metric, n, mean, sd, p05, p25, p50, p75, p95).
    #[allow(clippy::type_complexity)]
    fn key_figures(&self) -> Vec<(String, String, String, String, usize, [f64; 7])> {
        let mut rows = Vec::new();
        for policy in &self.outcome.policies {
            for f in &policy.key_figures {
                let s = f.summary;
                rows.push((
                    policy.policy.name.clone(),
                    f.country.clone(),
                    f.label.to_string(),
                    f.metric.to_string(),
                    s.n,
                    [s.mean, s.sd, s.p05, s.p25, s.p50, s.p75, s.p95],
                ));
            }
        }
        rows
    }

    /// manifest.json as the run directory would hold it.
    fn manifest_json(&self) -> String {
        self.outcome.manifest.to_json()
    }

    /// What `safe-third run` prints for the same run.
    fn console_summary(&self) -> String {
        library::summary_text(&self.outcome)
    }

    /// The policies run, in file order, and the reference among them.
    fn policies(&self) -> (Vec<String>, String) {
        let names: Vec<String> = self.outcome.policies.iter().map(|p| p.policy.name.clone()).collect();
        (names, self.outcome.reference().policy.name.clone())
    }

    /// Writes the run directory `dir` with the command line's writer (the manifest last); unless `force`, refuses
    /// a directory holding another run's results.
    fn write(&self, py: Python<'_>, dir: PathBuf, force: bool) -> PyResult<()> {
        py.detach(|| library::write_run(&dir, &self.outcome, force)).map_err(|e| errors::to_python(py, &e))
    }
}

/// Loads and validates a scenario (`kind` "builtin", "path", "toml" or "dict") without running it, returning its
/// name: the same checks and errors as `safe-third check`.
#[pyfunction]
fn check(py: Python<'_>, kind: &str, scenario: &Bound<'_, PyAny>) -> PyResult<String> {
    let source = ScenarioSource::from_python(kind, scenario)?;
    let loaded = source.load().map_err(|e| errors::scenario_to_python(py, &e, source.is_dict()))?;
    Ok(loaded.scenario.name.clone())
}

/// Runs a scenario. `kind` and `scenario` say where it comes from (see [`check`]); `overrides` are `--set`
/// overrides as (field path, Python value) pairs; `progress`, if given, is called with the number of replications
/// (of one policy each) finished since its last call and the most there can be. The interpreter is released while
/// simulating; Ctrl-C stops the run before its next replications and raises KeyboardInterrupt.
#[pyfunction]
#[pyo3(signature = (kind, scenario, replications, seed, threads, policies, overrides, precision, max_replications,
                    keep_replications, progress=None))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    kind: &str,
    scenario: &Bound<'_, PyAny>,
    replications: u64,
    seed: u64,
    threads: usize,
    policies: Vec<String>,
    overrides: Vec<(String, Bound<'_, PyAny>)>,
    precision: Option<f64>,
    max_replications: u64,
    keep_replications: bool,
    progress: Option<Bound<'_, PyAny>>,
) -> PyResult<Run> {
    let source = ScenarioSource::from_python(kind, scenario)?;
    let loaded = source.load().map_err(|e| errors::scenario_to_python(py, &e, source.is_dict()))?;
    let settings =
        overrides.iter().map(|(path, value)| scenario_source::setting(path, value)).collect::<PyResult<_>>()?;
    let request = library::Request {
        policies,
        settings,
        replications,
        seed,
        threads,
        precision: precision.map(|share| (share, max_replications)),
        keep_replications,
    };
    let prepared = library::prepare(&loaded, request).map_err(|e| errors::to_python(py, &e))?;
    let total = prepared.planned_replications();

    let finished = AtomicU64::new(0);
    let cancel = AtomicBool::new(false);
    let outcome = std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let tick = || {
                finished.fetch_add(1, Ordering::Relaxed);
            };
            let cancelled = || cancel.load(Ordering::Relaxed);
            library::execute(prepared, &tick, &cancelled)
        });
        // This (the interpreter's) thread waits, released, and looks for Ctrl-C in between: Python runs signal
        // handlers on its main thread only, so the worker cannot ask for them itself.
        let mut reported = 0;
        let mut stop: Option<PyErr> = None;
        while !worker.is_finished() {
            py.detach(|| std::thread::sleep(POLL));
            if stop.is_none() {
                stop = py.check_signals().err();
                if let (None, Some(callback)) = (&stop, &progress) {
                    let now = finished.load(Ordering::Relaxed);
                    if now > reported {
                        stop = callback.call1((now - reported, total)).err();
                        reported = now;
                    }
                }
                if stop.is_some() {
                    cancel.store(true, Ordering::Relaxed);
                }
            }
        }
        if let Some(callback) = progress.as_ref().filter(|_| stop.is_none()) {
            let now = finished.load(Ordering::Relaxed);
            if now > reported {
                callback.call1((now - reported, total))?;
            }
        }
        let result = worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match stop {
            Some(error) => Err(error),
            None => result.map_err(|e| errors::to_python(py, &e)),
        }
    })?;
    Ok(Run { outcome })
}

#[pymodule]
fn _safe_third(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(cli_main, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_class::<Run>()?;
    m.add("SafeThirdError", m.py().get_type::<errors::SafeThirdError>())?;
    m.add("ScenarioError", m.py().get_type::<errors::ScenarioError>())?;
    Ok(())
}
