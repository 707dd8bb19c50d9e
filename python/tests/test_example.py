"""The example a Python user copies runs and draws its chart."""

import subprocess
import sys

from conftest import REPO


def test_compare_policies_writes_its_png(tmp_path):
    png = tmp_path / "compare.png"
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "compare_policies.py"), "--replications", "8", "--out", str(png)],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "families-first" in done.stdout and "historical" in done.stdout
