"""`run` and `check`: the arguments as the library takes them, then the library's run."""

from __future__ import annotations

import datetime
import os
from typing import Any, Mapping, Optional, Sequence, Union

from . import _safe_third
from ._progress import ProgressBar
from ._result import Result

Scenario = Union[None, str, "os.PathLike[str]", Mapping[str, Any]]


def run(
    scenario: Scenario = None,
    *,
    replications: int = 1000,
    seed: int = 2019,
    threads: int = 0,
    policies: Optional[Sequence[str]] = None,
    overrides: Optional[Mapping[str, Any]] = None,
    posterior: None = None,
    precision: Optional[float] = None,
    max_replications: int = 20_000,
    keep_replications: bool = False,
    progress: bool = False,
) -> Result:
    """Runs a scenario's replications, as `safe-third run` does, and returns its results.

    scenario: None for the built-in guatemala-2019 scenario, a path to a scenario file, a TOML string, or a dict
        with the structure of a scenario file (dates as datetime.date or "YYYY-MM-DD").
    replications: replications to run (with `precision`, the batch size).
    seed: seed of every random stream; the same seed gives the same results at any thread count.
    threads: worker threads, 0 for one per core.
    policies: the scenario's policies to run (default: all).
    overrides: `{field path: value}`, as `--set path=value` (e.g. {"asylum.guatemala.adjudicators": 8}).
    posterior: not available yet (the library's posterior hook has no implementation); only None is accepted.
    precision: add replications until every headline figure's 95% CI half-width is within this share of its mean,
        or `max_replications` is reached (as `--precision`).
    keep_replications: keep every replication's values for `Result.replications` (as `--replications-csv`).
    progress: show a tqdm progress bar (a notebook widget in Jupyter); needs tqdm.

    Raises ScenarioError (with `line`, `column`, `path`) for a scenario that cannot be loaded, SafeThirdError for
    other invalid input, KeyboardInterrupt on Ctrl-C (no replication starts after it; those in flight finish).
    """
    if posterior is not None:
        raise NotImplementedError(
            "runs over a calibration's posterior are not implemented in the safe-third library yet; run the "
            "calibrated scenario instead"
        )
    kind, value = _scenario_argument(scenario)
    pairs = [(str(path), _plain(v)) for path, v in (overrides or {}).items()]
    bar = ProgressBar() if progress else None
    try:
        run = _safe_third.run(
            kind,
            value,
            replications,
            seed,
            threads,
            list(policies or []),
            pairs,
            precision,
            max_replications,
            keep_replications,
            bar.update if bar else None,
        )
    finally:
        if bar:
            bar.close()
    return Result(run)


def check(scenario: Scenario = None) -> str:
    """Loads and validates a scenario without running it, as `safe-third check` does; returns its name.
    Raises ScenarioError as `run` does."""
    kind, value = _scenario_argument(scenario)
    return _safe_third.check(kind, value)


def _scenario_argument(scenario: Scenario) -> tuple[str, Any]:
    """What the scenario argument is: the built-in one, a file, TOML text or a dict."""
    if scenario is None:
        return "builtin", None
    if isinstance(scenario, Mapping):
        return "dict", _plain(scenario)
    if isinstance(scenario, os.PathLike):
        return "path", os.fspath(scenario)
    if isinstance(scenario, str):
        # A file name has no line break and no `=`; a scenario's text always has both.
        if "\n" in scenario or "=" in scenario:
            return "toml", scenario
        return "path", scenario
    raise TypeError(f"scenario must be None, a path, a TOML string or a dict, not {type(scenario).__name__}")


def _plain(value: Any) -> Any:
    """Values as TOML has them: dates as "YYYY-MM-DD" (the scenario format reads dates from strings), tuples as
    lists, mappings as dicts."""
    if isinstance(value, datetime.datetime):
        raise TypeError(f"{value!r}: scenario dates have no time of day; give a datetime.date")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
