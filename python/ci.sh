#!/usr/bin/env bash
# The Python package's CI step, run by .ci/run from the repository root: a fresh virtual environment inside the
# clone (target/py-venv), the package built there by `pip install ./python` (maturin, release profile, in the
# workspace's target/), then its pytest tests. Caches nothing outside the clone: pip's cache is target/pip-cache.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/py-venv
export PIP_CACHE_DIR="$PWD/target/pip-cache" PIP_DISABLE_PIP_VERSION_CHECK=1
rm -rf "$venv"
python3 -m venv "$venv"
export PATH="$PWD/$venv/bin:$PATH"
started=$(date +%s)
pip install -q "maturin>=1.9.4,<2"
# Without build isolation, the maturin just installed builds the wheel (no second download).
pip install -q --no-build-isolation "./python[test]"
echo "python package built and installed in $(($(date +%s) - started)) s"
python -m pytest -q python/tests
