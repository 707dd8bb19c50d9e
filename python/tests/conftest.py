"""Shared helpers: the repository's paths and the `safe-third` command installed beside this interpreter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
POLICIES = REPO / "scenarios" / "guatemala-2019-policies.toml"


def cli(*args, check=True):
    """Runs the wheel's `safe-third` script (the one installed with this interpreter)."""
    script = Path(sys.executable).parent / ("safe-third.exe" if os.name == "nt" else "safe-third")
    return subprocess.run([str(script), *map(str, args)], capture_output=True, text=True, check=check, cwd=REPO)


@pytest.fixture
def repo():
    return REPO
