#!/usr/bin/python3
"""Ensembles, `airace compare` and forks from a scenario file, on a small
world whose answer is known: a policy scenario that differs from its base
only by an EU stringency event dated 2022.0, so every run of it is the base
run step for step until the step ending 2022.25.

- `airace run --seeds N` writes an ensemble file whose /ensemble statistics
  are the mean, standard error and quantiles of its /aggregates over runs;
- `airace compare` pairs two ensembles by seed, its bands (difference and
  standard error per step) are those of the per-seed differences, and the
  first divergence is the policy's date, never earlier; an ensemble compared
  with itself differs nowhere; ensembles on other seeds are independent;
- `airace fork --scenario` of a run and of an ensemble departs at the fork;
- bad inputs exit 2.

Usage: test_compare.py AIRACE_BINARY SOURCE_DIR SCRATCH_DIR
"""
import json
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helper import Checks, test_setup, SMALL_SCENARIO  # noqa: E402

airace, source, scratch = test_setup(sys.argv)
check = Checks()
POLICY_DATE = 2022.0
FIRST_DIFFERENT_STEP_END = 2022.25

with open(os.path.join(scratch, "base.yaml"), "w") as out:
    out.write(SMALL_SCENARIO.format(name="base"))
with open(os.path.join(scratch, "policy.yaml"), "w") as out:
    out.write(f"""extends: base.yaml
scenario:
  name: policy
policy_events:
  - year: {POLICY_DATE}
    regulator: eu
    instrument: stringency
    value: 0.9
""")


def path(name):
    return os.path.join(scratch, name)


def airace_run(*args, expect=0):
    done = subprocess.run([airace, *args], capture_output=True, text=True)
    check(done.returncode == expect, f"airace {' '.join(args)}: exit {done.returncode}, wanted {expect}: {done.stderr}")
    return done


def ensemble(scenario, out, first_seed):
    return json.loads(airace_run("run", path(scenario), "--seeds", "3", "--seed", str(first_seed), "-o", path(out),
                                 "--threads", "2", "--force", "--json").stdout)


def compare(a, b, *extra):
    return json.loads(airace_run("compare", path(a), path(b), "--json", *extra).stdout)


# --- ensembles ------------------------------------------------------------------
summary = ensemble("base.yaml", "a.h5", 5)
check(summary["complete"] == 3 and summary["failed"] == 0, f"three complete runs: {summary}")
check(summary["summary"] and "frontier_capability" in summary["summary"][0], "a yearly summary with estimates")
ensemble("policy.yaml", "b.h5", 5)
ensemble("policy.yaml", "c.h5", 50)

with h5py.File(path("a.h5")) as f:
    check(f.attrs["design"] == "ensemble", "an ensemble file is a sweep file of design 'ensemble'")
    check(list(f["design/seed"][:]) == [5, 6, 7], f"seeds from --seed: {list(f['design/seed'][:])}")
    values = f["aggregates/frontier_capability"][:]
    group = f["ensemble/frontier_capability"]
    check(np.allclose(group["mean"][:], values.mean(axis=0)), "/ensemble mean")
    check(np.allclose(group["se"][:], values.std(axis=0, ddof=1) / np.sqrt(3)), "/ensemble standard error")
    for name, q in (("q05", 5), ("median", 50), ("q95", 95)):
        check(np.allclose(group[name][:], np.percentile(values, q, axis=0)), f"/ensemble {name}")
    check(list(group["runs"][:]) == [3] * values.shape[1], "/ensemble runs per step")
    time = f["time"][:]

# --- compare: paired by seed, bands and the divergence date ------------------------
result = compare("a.h5", "b.h5")
check(result["pairing"] == "paired by seed" and result["pairs"] == 3, f"pairing: {result['pairing']}")
check(result["time"] == list(time), "the comparison's time axis is the runs'")
metrics = {m["name"]: m for m in result["metrics"]}
check(metrics["stringency_eu"]["diverges"] == FIRST_DIFFERENT_STEP_END,
      f"EU stringency diverges at the policy: {metrics['stringency_eu']['diverges']}")
for m in result["metrics"]:
    check(m["diverges"] is None or m["diverges"] >= FIRST_DIFFERENT_STEP_END,
          f"{m['name']} cannot diverge before the policy: {m['diverges']}")
    before = [i for i, t in enumerate(time) if t < FIRST_DIFFERENT_STEP_END]
    # (null: a value that is NaN on both sides, such as the data wall's year before it is reached)
    check(all(m["diff"][i] in (0, None) for i in before), f"{m['name']}: identical runs before the policy")
with h5py.File(path("a.h5")) as fa, h5py.File(path("b.h5")) as fb:
    for name in ("stringency_eu", "frontier_capability", "total_investment"):
        d = fb["aggregates/" + name][:] - fa["aggregates/" + name][:]  # same seed order
        want_diff = d.mean(axis=0)
        want_se = d.std(axis=0, ddof=1) / np.sqrt(3)
        check(np.allclose(metrics[name]["diff"], want_diff, rtol=1e-12, atol=0), f"{name}: paired difference")
        check(np.allclose(metrics[name]["se"], want_se, rtol=1e-9, atol=1e-300), f"{name}: paired standard error")

itself = compare("a.h5", "a.h5")
check(all(m["diverges"] is None for m in itself["metrics"]), "an ensemble never diverges from itself")
check(all(d in (0, None) for m in itself["metrics"] for d in m["diff"]), "...and differs by zero everywhere")

independent = compare("a.h5", "c.h5", "--metrics", "frontier_capability")
check(independent["pairing"] == "independent", f"other seeds: {independent['pairing']}")
with h5py.File(path("a.h5")) as fa, h5py.File(path("c.h5")) as fc:
    a, c = fa["aggregates/frontier_capability"][:], fc["aggregates/frontier_capability"][:]
    want = np.sqrt(a.var(axis=0, ddof=1) / 3 + c.var(axis=0, ddof=1) / 3)
    check(np.allclose(independent["metrics"][0]["se"], want, rtol=1e-9), "independent standard error")
check(len(independent["metrics"]) == 1, "--metrics keeps only the named aggregates")

text = airace_run("compare", path("a.h5"), path("b.h5"), "--metrics", "stringency_eu").stdout
check("paired by seed (3 seeds)" in text and "2022.25" in text, f"the text table: {text}")

# --- forks from a scenario file ----------------------------------------------------
airace_run("run", path("base.yaml"), "--seed", "5", "-o", path("parent.h5"), "--force", "--quiet")
fork = json.loads(airace_run("fork", path("parent.h5"), "--at", "2022", "--scenario", path("policy.yaml"),
                             "-o", path("fork.h5"), "--force", "--json").stdout)
check(fork["first_difference_step"] == 8, f"the fork departs at its date (step 8): {fork}")
single = compare("parent.h5", "fork.h5")
check(single["pairing"] == "single runs", f"two runs: {single['pairing']}")
check({m["name"]: m for m in single["metrics"]}["stringency_eu"]["diverges"] == FIRST_DIFFERENT_STEP_END,
      "a fork diverges from its parent at the fork")
check(single["first_event_difference"] is not None, "the first event that differs is named")
label = airace_run("compare", path("parent.h5"), path("fork.h5"), "--metrics", "stringency_eu").stdout
check("fork of parent.h5 at 2022.00" in label, f"a fork is labelled as a fork: {label}")

airace_run("fork", path("a.h5"), "--at", "2022", "--scenario", path("policy.yaml"), "-o", path("forks.h5"),
           "--force", "--quiet")
forked = compare("a.h5", "forks.h5")
check(forked["pairing"] == "paired by seed", "a forked ensemble keeps its parent's seeds")
check({m["name"]: m for m in forked["metrics"]}["stringency_eu"]["diverges"] == FIRST_DIFFERENT_STEP_END,
      "a forked ensemble diverges at the fork")
with h5py.File(path("forks.h5")) as ff, h5py.File(path("b.h5")) as fb:
    check(np.array_equal(ff["aggregates/stringency_eu"][:], fb["aggregates/stringency_eu"][:]),
          "forking at the policy's date gives the policy scenario's runs")

# --- bad input ------------------------------------------------------------------------
airace_run("compare", path("a.h5"), path("missing.h5"), expect=2)
airace_run("compare", path("a.h5"), path("base.yaml"), expect=2)
airace_run("compare", path("a.h5"), path("b.h5"), "--metrics", "no_such_metric", expect=2)
with open(os.path.join(scratch, "short.yaml"), "w") as out:
    out.write(SMALL_SCENARIO.format(name="short").replace("end_year: 2024", "end_year: 2023"))
airace_run("run", path("short.yaml"), "-o", path("short.h5"), "--force", "--quiet")
airace_run("compare", path("parent.h5"), path("short.h5"), expect=2)
with open(os.path.join(scratch, "bad_ensemble.yaml"), "w") as out:
    out.write("sweep:\n  name: e\n  base: base.yaml\n  design: ensemble\n  seeds: [1, 2]\n"
              "  parameters:\n    - key: compute.hardware_improvement_per_year\n      range: [1.1, 1.2]\n")
bad = airace_run("sweep", path("bad_ensemble.yaml"), "-o", path("bad_dir"), expect=2)
check("sweep.parameters" in bad.stderr and "ensemble" in bad.stderr, f"an ensemble varies no key: {bad.stderr}")
# A foreign run file (not a run of this sweep: no sweep_run_id, another
# time axis) in an ensemble's runs/ is counted as failed, not fatal.
shutil.copy(path("short.h5"), path("a.runs/runs/p00000-r1.h5"))
airace_run("sweep", "merge", path("a.runs"), "-o", path("remerged.h5"), "--force")
with h5py.File(path("remerged.h5")) as f:
    status = [s.decode() if isinstance(s, bytes) else s for s in f["runs/status"][:]]
    errors = [e.decode() if isinstance(e, bytes) else e for e in f["runs/error"][:]]
    check(status == ["complete", "failed", "complete"], f"the foreign run fails alone: {status}")
    check("not this run of the sweep: it has no sweep_run_id" in errors[1], f"...saying why: {errors[1]}")
    check(list(f["ensemble/frontier_capability/runs"][:2]) == [2, 2], "its statistics leave it out")
airace_run("run", path("base.yaml"), "--seeds", "1", "-o", path("one.h5"), expect=2)
airace_run("run", path("base.yaml"), "--seeds", "3", "-o", path("a.h5"), expect=2)  # exists, no --force

check.finish("ensembles, compare and forks from a scenario file: all checks passed")
