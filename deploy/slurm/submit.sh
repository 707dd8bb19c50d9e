#!/bin/bash
# Submits a sharded safe-third run to Slurm: a job array of SHARDS shard tasks, then the merge, which starts only
# when every shard has succeeded.
#
#   SHARDS=16 REPLICATIONS=100000 SCENARIO=$PWD/scenarios/guatemala-2019.toml OUT=/shared/runs/g100k \
#       bash deploy/slurm/submit.sh
#
# Every variable of safe-third-array.sbatch is passed on (SCENARIO, REPLICATIONS, SEED, OUT, SAFE_THIRD,
# EXTRA_ARGS). Results: $OUT/merged/{summary.csv,manifest.json,...}.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${OUT:?set OUT to a run directory on a shared filesystem}"
SHARDS=${SHARDS:-8}
export OUT
array=$(sbatch --parsable --array="0-$((SHARDS - 1))" --export=ALL "$here/safe-third-array.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --export=ALL "$here/safe-third-merge.sbatch")
echo "submitted shards as job array $array and the merge as job $merge; results in $OUT/merged"
