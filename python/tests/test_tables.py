"""DataFrames hold what the command line's CSV files hold, for the same seed; `write` gives the same directory."""

import filecmp
import json
import math

import pandas as pd
import pytest

import safe_third

from conftest import POLICIES, cli

RUN = dict(replications=6, seed=5, threads=2, policies=["historical", "families-first"])
CLI_RUN = ["-n", 6, "--seed", 5, "--threads", 2, "--policy", "historical", "--policy", "families-first"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same run from Python and from the command line (with replications.csv)."""
    out = tmp_path_factory.mktemp("cli")
    cli("run", POLICIES, *CLI_RUN, "--replications-csv", "--out", out)
    return safe_third.run(POLICIES, keep_replications=True, **RUN), out


def same_values(frame, path):
    """Compares a DataFrame with a CSV read by pandas alone: text cells as text, numbers as floats (NA = NaN)."""
    csv = pd.read_csv(path, keep_default_na=False, dtype=str)
    assert list(frame.columns) == list(csv.columns)
    assert len(frame) == len(csv)
    for column in csv.columns:
        ours = frame[column]
        if isinstance(ours.dtype, pd.PeriodDtype) or ours.dtype == "string":
            assert ours.astype(str).tolist() == csv[column].tolist(), column
        elif ours.dtype == "boolean":
            assert ours.astype(bool).tolist() == (csv[column] == "true").tolist(), column
        else:
            theirs = [float(x) if x else math.nan for x in csv[column]]
            mine = ours.astype("float64").to_numpy(na_value=math.nan).tolist()
            assert all((a == b) or (math.isnan(a) and math.isnan(b)) for a, b in zip(mine, theirs)), column


def test_summary_equals_the_clis_summary_csv(runs):
    result, out = runs
    same_values(result.summary, out / "summary.csv")
    assert isinstance(result.summary["month"].dtype, pd.PeriodDtype)
    # A share of zero cases is undefined: NA, as the CSV's empty cell.
    assert result.summary["mean"].isna().any()


def test_differences_and_replications_equal_the_clis_csvs(runs):
    result, out = runs
    same_values(result.differences, out / "differences.csv")
    same_values(result.replications, out / "replications.csv")
    assert result.differences["distinguishable"].dtype == "boolean"


def test_key_figures_are_the_console_summarys(runs):
    result, _ = runs
    figures = result.key_figures
    assert list(figures.columns) == ["policy", "country", "label", "metric", "n", "mean", "sd", "p05", "p25",
                                     "p50", "p75", "p95"]
    assert set(figures["policy"]) == {"historical", "families-first"}
    transferred = figures[(figures.policy == "historical") & (figures.country == "guatemala")
                          & (figures.label == "transferred (people)")].iloc[0]
    last = result.summary[(result.summary.policy == "historical") & (result.summary.country == "guatemala")
                          & (result.summary.metric == "cumulative_transferred_people")].iloc[-1]
    assert transferred["p50"] == last["p50"]


def test_manifest_is_a_dict_of_the_run(runs):
    result, out = runs
    ours, theirs = result.manifest, json.loads((out / "manifest.json").read_text())
    volatile = {"command", "started_unix_seconds", "wall_time_seconds"}
    assert {k: v for k, v in ours.items() if k not in volatile} == {
        k: v for k, v in theirs.items() if k not in volatile
    }
    assert ours["policies"] == ["historical", "families-first"] and ours["replications_csv"] is True


def test_write_gives_the_clis_directory_byte_for_byte(runs, tmp_path):
    result, out = runs
    result.write(tmp_path)
    files = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(files) > 10
    for rel in files:
        if rel.name in ("manifest.json", "report.md", "report.html"):
            continue
        assert filecmp.cmp(out / rel, tmp_path / rel, shallow=False), rel
    # The reports differ only where they name the directory and the command that produced them.
    for name in ("report.md", "report.html"):
        cli_lines = (out / name).read_text().replace(str(out), "DIR").splitlines()
        py_lines = (tmp_path / name).read_text().replace(str(tmp_path), "DIR").splitlines()
        differing = [a for a, b in zip(cli_lines, py_lines) if a != b]
        assert all("safe-third run" in a for a in differing), differing
    # And a directory holding another run is refused, as by the command line without --force.
    other = safe_third.run(POLICIES, replications=6, seed=6, threads=2, policies=["historical"])
    with pytest.raises(safe_third.SafeThirdError, match="--force"):
        other.write(tmp_path)
    other.write(tmp_path, force=True)


def test_one_policy_has_no_differences():
    result = safe_third.run(replications=3, seed=1)
    assert result.differences is None
    with pytest.raises(ValueError, match="keep_replications"):
        result.replications
