#!/bin/bash
# Runs the sharded job and then the merge on the current kubectl context:
#   docker build -f deploy/Dockerfile -t safe-third:0.1.0 .   (and push it where the cluster can pull it)
#   bash deploy/kubernetes/run.sh
# Results stay on the safe-third-data volume under $RUN/merged; copy them out with kubectl cp from a pod that
# mounts it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kubectl apply -f "$here/shards-job.yaml"
kubectl wait --for=condition=complete --timeout=24h job/safe-third-shards
kubectl apply -f "$here/merge-job.yaml"
kubectl wait --for=condition=complete --timeout=2h job/safe-third-merge
kubectl logs job/safe-third-merge
