"""Overrides, threads, scenario sources, progress and interruption."""

import os
import signal
import threading
import time
import tomllib

import pytest

import safe_third

from conftest import REPO, cli

BASE = REPO / "scenarios" / "guatemala-2019.toml"


def test_an_override_is_the_clis_set(tmp_path):
    result = safe_third.run(BASE, replications=4, seed=2, overrides={"asylum.guatemala.adjudicators": 8})
    cli("run", BASE, "-n", 4, "--seed", 2, "--set", "asylum.guatemala.adjudicators=8", "--out", tmp_path)
    result.write(tmp_path / "py")
    assert (tmp_path / "summary.csv").read_bytes() == (tmp_path / "py" / "summary.csv").read_bytes()
    plain = safe_third.run(BASE, replications=4, seed=2)
    assert not plain.summary.equals(result.summary), "the override changed nothing"
    assert result.manifest["settings"] == ["asylum.guatemala.adjudicators=8"]


def test_threads_do_not_change_results():
    one = safe_third.run(replications=12, seed=4, threads=1, keep_replications=True)
    two = safe_third.run(replications=12, seed=4, threads=2, keep_replications=True)
    assert one.summary.equals(two.summary)
    assert one.replications.equals(two.replications)


def test_a_path_a_toml_string_and_a_dict_give_the_same_results():
    text = BASE.read_text()
    as_dict = tomllib.loads(text)
    runs = [safe_third.run(s, replications=3, seed=9).summary for s in (BASE, str(BASE), text, as_dict)]
    assert all(r.equals(runs[0]) for r in runs[1:])
    assert safe_third.check(as_dict) == "guatemala-2019"


def test_a_bad_scenario_raises_with_the_clis_message_line_and_column(tmp_path):
    bad = BASE.read_text().replace("adjudicators = ", "adjudicators = \"many\" #", 1)
    path = tmp_path / "bad.toml"
    path.write_text(bad)
    with pytest.raises(safe_third.ScenarioError) as caught:
        safe_third.run(path, replications=2)
    error = caught.value
    line = next(i for i, l in enumerate(bad.splitlines(), 1) if '"many"' in l)
    assert error.line == line and error.column is not None
    assert error.path.endswith("adjudicators") and error.exit_code == 2
    failed = cli("check", path, check=False)
    assert failed.returncode == 2
    assert failed.stderr.strip() == f"error: {error.message}"
    # The same text as a string: the same position.
    with pytest.raises(safe_third.ScenarioError) as caught:
        safe_third.run(bad, replications=2)
    assert (caught.value.line, caught.value.column) == (error.line, error.column)


def test_a_bad_dict_names_the_field_path_and_no_position():
    scenario = tomllib.loads(BASE.read_text())
    scenario["asylum"]["guatemala"]["adjudicators"] = -3
    with pytest.raises(safe_third.ScenarioError) as caught:
        safe_third.check(scenario)
    error = caught.value
    assert error.path == "asylum.guatemala.adjudicators", error.message
    assert "asylum.guatemala.adjudicators" in error.message
    assert error.line is None and error.problems[0]["path"] == error.path
    # A value of the wrong type too: told by its field path, not by a position in TOML the user never wrote.
    scenario["asylum"]["guatemala"]["adjudicators"] = "many"
    with pytest.raises(safe_third.ScenarioError) as caught:
        safe_third.run(scenario, replications=2)
    error = caught.value
    assert error.path == "asylum.guatemala.adjudicators" and error.line is None and error.column is None
    assert error.message == "1 problem in <scenario dict>:\n  asylum.guatemala.adjudicators: expected a number, found string"


def test_a_bad_override_or_policy_raises():
    with pytest.raises(safe_third.ScenarioError, match="seats_per_mont"):
        safe_third.run(BASE, replications=2, overrides={"agreement.guatemala.seats_per_mont": 3})
    with pytest.raises(safe_third.SafeThirdError, match="no such policy"):
        safe_third.run(BASE, replications=2, policies=["nope"])
    with pytest.raises(NotImplementedError):
        safe_third.run(BASE, replications=2, posterior={"a": 1})


def test_progress_bar_counts_every_replication(capsys):
    safe_third.run(replications=7, seed=1, progress=True)
    assert "7/7" in capsys.readouterr().err


def test_ctrl_c_interrupts_a_long_run():
    timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        # About a minute of work on two cores.
        safe_third.run(replications=5000, seed=1, threads=2)
    assert time.monotonic() - started < 15


def test_the_cli_is_in_the_wheel():
    assert "Usage: safe-third <COMMAND>" in cli("--help").stdout
    assert cli("--version").stdout.startswith("safe-third ")
    assert "guatemala-2019" in cli("check").stdout
