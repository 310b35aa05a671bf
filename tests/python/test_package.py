#!/usr/bin/python3
"""The package airace (tools/python/airace): airace.open picks Run, Ensemble
or Sweep by the file; the tidy long tables, the ensemble's statistics and the
EMA Workbench pair (experiments, outcomes) hold the file's values, row for
row, over complete runs only; the reader's former module name airace_h5 is
the same package.

Usage: test_package.py AIRACE_BINARY SOURCE_DIR SCRATCH_DIR
"""
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helper import Checks, test_setup, SMALL_SCENARIO, make_sweep  # noqa: E402

airace_bin, source, scratch = test_setup(sys.argv)
import airace  # noqa: E402
import airace_h5  # noqa: E402

check = Checks()


def same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


check(airace_h5.open_file is airace.open and airace_h5.RunFile is airace.Run
      and airace_h5.SweepFile is airace.Sweep, "airace_h5 is the package under its former name")

scenario = os.path.join(scratch, "small.yaml")
with open(scenario, "w") as out:
    out.write(SMALL_SCENARIO.format(name="package_test"))
run_path = os.path.join(scratch, "small.h5")
ens_path = os.path.join(scratch, "ens.h5")
subprocess.run([airace_bin, "run", scenario, "-o", run_path, "--force", "--quiet"], check=True)
subprocess.run([airace_bin, "run", scenario, "--seeds", "3", "-o", ens_path, "--force", "--quiet",
                "--checkpoint-every", "0"], check=True)

# A run: tidy is its aggregates, metric by metric.
with airace.open(run_path) as run, h5py.File(run_path, "r") as f:
    check(type(run) is airace.Run, "airace.open gives a Run for a run file")
    names = list(f["aggregates"].keys())
    t = len(f["time"])
    tidy = run.tidy()
    check(list(tidy.columns) == ["run_id", "scenario", "seed", "step", "time", "metric", "value"],
          f"run tidy columns ({list(tidy.columns)})")
    check(len(tidy) == len(names) * t, "run tidy: one row per (metric, time)")
    check(set(tidy["run_id"]) == {"small"} and set(tidy["scenario"]) == {"package_test"}, "run tidy: ids")
    for name in names:
        rows = tidy[tidy["metric"] == name]
        check(same(rows["value"], f["aggregates"][name][:]) and same(rows["time"], f["time"][:]),
              f"run tidy: {name} values")
    two = run.tidy(["frontier_capability", "ai_revenue"])
    check(list(two["metric"].cat.categories) == ["frontier_capability", "ai_revenue"] and len(two) == 2 * t,
          "run tidy: the metrics named, in order")

# An ensemble: statistics as stored, experiments of seeds, outcomes and tidy of every run.
with airace.open(ens_path) as ens, h5py.File(ens_path, "r") as f:
    check(type(ens) is airace.Ensemble, "airace.open gives an Ensemble for airace run --seeds")
    t = len(f["time"])
    stats = ens.statistics()
    check(list(stats.columns) == ["metric", "step", "time"] + airace.STATISTICS, "statistics columns")
    check(len(stats) == len(f["ensemble"]) * t, "statistics: one row per (metric, time)")
    for name in f["ensemble"]:
        rows = stats[stats["metric"] == name]
        for stat in airace.STATISTICS:
            check(same(rows[stat], f["ensemble"][name][stat][:]), f"statistics: {name} {stat}")
    experiments, outcomes = ens.experiments(), ens.outcomes()
    check(list(experiments.columns) == ["seed"] and same(experiments["seed"], f["design/seed"][:]),
          "ensemble experiments: the seeds")
    check(set(outcomes) == set(f["aggregates"]) | {"TIME"}, "ensemble outcomes: every aggregate and TIME")
    check(same(outcomes["TIME"], np.tile(f["time"][:], (3, 1))), "outcomes TIME is [runs, T]")
    mean = np.nanmean(outcomes["frontier_capability"], axis=0)
    check(np.allclose(mean, f["ensemble/frontier_capability/mean"][:]), "outcomes agree with the stored mean")

# A sweep: parameters in experiments; failed runs left out of the pair and of tidy, aligned.
sweep_path = make_sweep(airace_bin, os.path.join(scratch, "sweep"))
check(sweep_path, "airace sweep made a sweep file")
failed_path = os.path.join(scratch, "failed.h5")
shutil.copy(sweep_path, failed_path)
with h5py.File(failed_path, "r+") as f:
    f["runs/status"][1] = "failed"
# Edited in place, the file no longer matches its checksum: refused unless
# the caller skips the check (verify=False), as this test does to read it.
try:
    airace.open(failed_path).close()
    check(False, "a sweep file edited in place is refused by default")
except airace.AiraceFileError as error:
    check("do not match /file_checksum" in str(error), f"...naming the checksum: {error}")
for path, expected_runs in ((sweep_path, 16), (failed_path, 15)):
    what = os.path.basename(path)
    with airace.open(path, verify=path == sweep_path) as sweep, h5py.File(path, "r") as f:
        check(type(sweep) is airace.Sweep, f"{what}: airace.open gives a Sweep")
        ids = list(f["design/run_id"].asstr()[:])
        keep = np.asarray(f["runs/status"].asstr()[:]) == "complete"
        experiments, outcomes = sweep.experiments(), sweep.outcomes()
        check(list(experiments.columns) == sweep.parameters() + ["seed"], f"{what}: experiments columns")
        check(len(experiments) == expected_runs and list(experiments.index) == list(np.asarray(ids)[keep]),
              f"{what}: experiments are the complete runs ({len(experiments)})")
        for j, key in enumerate(sweep.parameters()):
            check(same(experiments[key], f["design/values"][:, j][keep]), f"{what}: experiments {key}")
        for name in f["aggregates"]:
            check(same(outcomes[name], f["aggregates"][name][:][keep]),
              f"{what}: outcomes {name}, row for row")
        tidy = sweep.tidy()
        t = len(f["time"])
        check(len(tidy) == len(f["aggregates"]) * expected_runs * t, f"{what}: tidy rows")
        rows = tidy[(tidy["metric"] == "frontier_capability") & (tidy["step"] == t - 1)]
        check(same(rows["value"], outcomes["frontier_capability"][:, -1]), f"{what}: tidy values")
        key = sweep.parameters()[0]
        check(same(rows[key], experiments[key]) and list(rows["run_id"]) == list(experiments.index),
              f"{what}: tidy carries each run's parameters")
        check(len(sweep.experiments(complete_only=False)) == 16, f"{what}: complete_only=False keeps all")
    try:
        airace.Ensemble(path, verify=path == sweep_path)
        check(False, f"{what}: airace.Ensemble refuses a sobol sweep")
    except airace.AiraceFileError as error:
        check("not an ensemble" in str(error), f"{what}: Ensemble's message ({error})")

check.finish("ok: package airace checked on a run, an ensemble and a sweep")
