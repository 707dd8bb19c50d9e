#!/usr/bin/env python3
"""Runs the pods of shards-job.yaml and merge-job.yaml as local processes, with no cluster: one process per
completion index (JOB_COMPLETION_INDEX set as Kubernetes sets it), then the merge, with /data mapped to a local
directory and the image's paths to this checkout. It checks the manifests' commands, not Kubernetes itself.

    python3 deploy/kubernetes/run-locally.py [--replications 20] [--binary target/release/safe-third] [--data DIR]

Needs PyYAML. Prints where the merged results are.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import yaml

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))


def container(path):
    job = next(d for d in yaml.safe_load_all(open(path)) if d["kind"] == "Job")
    spec = job["spec"]
    c = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in c.get("env", [])}
    return spec, c["command"] + c["args"], env


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--replications", default="20", help="overrides REPLICATIONS (the manifest's is for a cluster)")
    p.add_argument("--binary", default=os.path.join(root, "target", "release", "safe-third"))
    p.add_argument("--data", default=None, help="local directory standing for the /data volume")
    a = p.parse_args()
    data = a.data or tempfile.mkdtemp(prefix="safe-third-k8s-")
    bindir = tempfile.mkdtemp(prefix="safe-third-bin-")
    os.symlink(os.path.abspath(a.binary), os.path.join(bindir, "safe-third"))

    def local(value):
        return value.replace("/data", data).replace("/opt/safe-third", root)

    spec, command, env = container(os.path.join(here, "shards-job.yaml"))
    env = {k: local(v) for k, v in env.items()}
    env["REPLICATIONS"] = a.replications
    assert spec["completionMode"] == "Indexed" and int(env["SHARDS"]) == spec["completions"], "SHARDS != completions"
    base = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
    procs = [
        subprocess.Popen([local(x) for x in command], env=dict(base, **env, JOB_COMPLETION_INDEX=str(i)))
        for i in range(spec["completions"])
    ]
    if any(proc.wait() != 0 for proc in procs):
        sys.exit("a shard failed")
    _, command, menv = container(os.path.join(here, "merge-job.yaml"))
    menv = {k: local(v) for k, v in menv.items()}
    assert menv["RUN"] == env["RUN"], "merge-job.yaml RUN differs from shards-job.yaml"
    r = subprocess.run([local(x) for x in command], env=dict(base, **menv))
    if r.returncode != 0:
        sys.exit(f"the merge failed with exit code {r.returncode}")
    print(f"merged results in {env['RUN']}/merged")


main()
