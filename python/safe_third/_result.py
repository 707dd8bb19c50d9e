"""A run's results as DataFrames: the library writes each table's CSV bytes, exactly as the command line writes
the file, and pandas reads them, so that a DataFrame and the CLI's CSV hold the same values."""

from __future__ import annotations

import functools
import io
import json
import os
from typing import Any, Optional

import pandas as pd

# Column types of the CSV files (outputs/README.md); every other column is a number (nullable Float64: a value
# undefined in a month, such as a share of zero cases, is NA).
_TEXT = ("policy", "reference", "country", "metric", "label")
_COUNTS = ("n", "replication")
_FLAGS = ("distinguishable",)

_KEY_FIGURE_COLUMNS = ["policy", "country", "label", "metric", "n", "mean", "sd", "p05", "p25", "p50", "p75", "p95"]


def _table(csv_text: str) -> pd.DataFrame:
    header = csv_text.split("\n", 1)[0].split(",")
    dtypes = {}
    for column in header:
        if column in _TEXT or column == "month":
            dtypes[column] = "string"
        elif column in _COUNTS:
            dtypes[column] = "Int64"
        elif column in _FLAGS:
            dtypes[column] = "boolean"
        else:
            dtypes[column] = "Float64"
    frame = pd.read_csv(io.StringIO(csv_text), dtype=dtypes, keep_default_na=False, na_values={c: [""] for c in header})
    if "month" in frame.columns:
        frame["month"] = pd.PeriodIndex(frame["month"].astype(str), freq="M")
    return frame


class Result:
    """The results of `safe_third.run`.

    summary: summary.csv — policy, month, country, metric, mean, sd, p05, p25, p50, p75, p95.
    differences: differences.csv — each policy against the reference (None with a single policy).
    replications: replications.csv — every replication's values (only with run(..., keep_replications=True)).
    key_figures: the headline figures of the console summary and the report, per policy.
    manifest: manifest.json as a dict.
    """

    def __init__(self, run: Any) -> None:
        self._run = run
        self.policies, self.reference = run.policies()

    @functools.cached_property
    def summary(self) -> pd.DataFrame:
        return _table(self._run.summary_csv())

    @functools.cached_property
    def differences(self) -> Optional[pd.DataFrame]:
        text = self._run.differences_csv()
        return None if text is None else _table(text)

    @functools.cached_property
    def replications(self) -> pd.DataFrame:
        text = self._run.replications_csv()
        if text is None:
            raise ValueError("this run kept no replications: run it with keep_replications=True")
        return _table(text)

    @functools.cached_property
    def key_figures(self) -> pd.DataFrame:
        rows = [(*head, n, *numbers) for (*head, n, numbers) in self._run.key_figures()]
        frame = pd.DataFrame(rows, columns=_KEY_FIGURE_COLUMNS)
        types = {c: "string" for c in _KEY_FIGURE_COLUMNS[:4]}
        types["n"] = "Int64"
        types.update({c: "Float64" for c in _KEY_FIGURE_COLUMNS[5:]})
        return frame.astype(types)

    @property
    def manifest(self) -> dict:
        return json.loads(self._run.manifest_json())

    def write(self, directory: "str | os.PathLike[str]", force: bool = False) -> None:
        """Writes the run directory (summary.csv, differences.csv, replications.csv if kept, charts, report.md,
        report.html, manifest.json last) with the command line's own writer: the same bytes as
        `safe-third run --out DIRECTORY`, but for the manifest's command line, start time and wall time. Unless
        `force`, refuses a directory holding another scenario's, seed's or overrides' results."""
        self._run.write(os.fspath(directory), force)

    def __str__(self) -> str:
        # The console summary, without its last line ("Wrote … in DIR"): nothing is written until `write`.
        return self._run.console_summary().rstrip("\n").rsplit("\n\nWrote ", 1)[0] + "\n"

    def __repr__(self) -> str:
        m = self.manifest
        return (
            f"<safe_third.Result {m['scenario_name']}: {len(self.policies)} "
            f"polic{'y' if len(self.policies) == 1 else 'ies'} x {m['replications']} replications, seed {m['seed']}>"
        )
