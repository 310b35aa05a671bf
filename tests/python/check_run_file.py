#!/usr/bin/python3
"""Reads a fresh baseline run file with h5py, as analysts do, and checks that
every group of the schema is present and non-empty.

Usage: check_run_file.py AIRACE_BINARY SOURCE_DIR SCRATCH_DIR
"""
import os
import subprocess
import sys

import h5py
import numpy as np

airace, source, scratch = sys.argv[1:4]
os.makedirs(scratch, exist_ok=True)
path = os.path.join(scratch, "baseline.h5")
subprocess.run([airace, "run", os.path.join(source, "configs/baseline.yaml"),
                "-o", path, "--force", "--quiet"], check=True)

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


with h5py.File(path, "r") as f:
    check(f.attrs["format"] == "airace-run", "format attribute")
    check(int(f.attrs["schema_version"]) == 1, "schema_version attribute")
    for name in ["airace_version", "git_sha", "created_utc", "seed", "config_sha256", "status",
                 "start_year", "steps", "steps_per_year", "hdf5_version", "tbb_version",
                 "yaml_cpp_version"]:
        check(name in f.attrs, f"root attribute {name}")
    steps = int(f.attrs["steps"])
    config = f["config"][()]
    config = config.decode() if isinstance(config, bytes) else config
    check("scenario:" in config, "/config holds the resolved scenario")
    check(f["time"].shape == (steps,), "/time shape")
    check(np.all(np.diff(f["time"][:]) > 0), "/time increases")
    for name in ["frontier_capability", "frontier_training_flop", "frontier_run_cost",
                 "compute_price", "total_investment", "ai_revenue", "mean_sentiment",
                 "human_data_stock", "human_data_accessible", "frontier_data_used",
                 "synthetic_share", "data_wall_year", "energy_twh", "hhi_compute", "active_labs"]:
        check(name in f["aggregates"], f"/aggregates/{name}")
        if name in f["aggregates"]:
            check(f["aggregates"][name].shape == (steps,), f"/aggregates/{name} shape")
            check("units" in f["aggregates"][name].attrs, f"/aggregates/{name} units")
    for kind in ["labs", "investors", "compute_providers", "data_providers", "regulators"]:
        group = f[kind]
        names = group["static/name"][:]
        check(len(names) > 0, f"/{kind}/static/name non-empty")
        columns = [k for k in group.keys() if k != "static"]
        check(len(columns) > 0, f"/{kind} has columns")
        for c in columns:
            check(group[c].shape == (steps, len(names)), f"/{kind}/{c} shape")
            check("units" in group[c].attrs, f"/{kind}/{c} units")
    check(f["labs/capability"][-1].max() > f["labs/capability"][0].max(), "capability grows")
    check("compute" in f["markets"] and f["markets/compute/price"].shape[0] == steps, "/markets/compute")
    events = f["events"][:]
    types = [t.decode() if isinstance(t, bytes) else t for t in f["events"].attrs["types"]]
    counts = {t: int(np.sum(events["type"] == i)) for i, t in enumerate(types)}
    check(counts.get("release", 0) > 0, "events include releases")
    check(counts.get("funding_round", 0) > 0, "events include funding rounds")
    edges = f["network/edges"][:]
    check(len(edges) > 0, "/network/edges non-empty")
    check(len(np.unique(edges["step"])) >= 20, "yearly snapshots of the graph")
    check(f["hashes"].shape == (steps,), "/hashes shape")

if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"ok: {path} read with h5py {h5py.__version__}")
