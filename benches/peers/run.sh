#!/bin/bash
# Runs safe-third and SimPy on the same M/M/c queue and the same transfer pipeline, prints both throughputs, the
# ratio and the mean outputs side by side. One command, from anywhere:
#
#   bash benches/peers/run.sh
#
# Creates benches/peers/.venv and installs SimPy from PyPI (pinned) on first use. Replications:
#   PEERS_MMC_REPLICATIONS, PEERS_PIPELINE_REPLICATIONS (safe-third, default 2000 and 400: about 1 and 1.6 seconds)
#   SIMPY_MMC_REPLICATIONS, SIMPY_PIPELINE_REPLICATIONS (SimPy, default 30 and 20: about 1 and 6 seconds, enough
#   for a steady figure; 10 replications of the M/M/c queue take 0.4 s and gave figures 25% apart)
# Both tools run one replication at a time on one core; the figures are per core. Run on an idle machine.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
SIMPY_VERSION=4.1.2

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import simpy, sys; sys.exit(simpy.__version__ != '$SIMPY_VERSION')" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "simpy==$SIMPY_VERSION"
fi

rust_json=$(mktemp)
trap 'rm -f "$rust_json"' EXIT
echo "Building and running safe-third (cargo bench --bench peers) ..." >&2
(cd "$root" && cargo bench --quiet --bench peers) > "$rust_json"
echo "Running SimPy ..." >&2
"$venv/bin/python" "$here/simpy_models.py" "$rust_json" \
    --mmc-replications "${SIMPY_MMC_REPLICATIONS:-30}" \
    --pipeline-replications "${SIMPY_PIPELINE_REPLICATIONS:-20}"
