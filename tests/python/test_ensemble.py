#!/usr/bin/python3
"""The ensemble module of the analysis tools (tools/python/airace_ensemble.py):
statistics on known numbers, their printed forms, three seeds of a tiny
scenario run in parallel giving the same statistics as run one at a time
(and the temporary folder removed), a failing run reported with its
scenario, seed and airace's message; what the tools (tools/scenario_table,
tools/calibrate) count in a run file and the 95% rule; and both tools
refusing a missing binary with exit 2.

Usage: test_ensemble.py AIRACE_BINARY SOURCE_DIR SCRATCH_DIR
"""
import math
import os
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helper import Checks, test_setup, SMALL_SCENARIO  # noqa: E402

airace, source, scratch = test_setup(sys.argv)
import airace_ensemble as ens  # noqa: E402

check = Checks()


def close(a, b, what, tol=1e-12):
    check(abs(a - b) <= tol * max(1.0, abs(b)), f"{what}: {a!r} != {b!r}")


# --- statistics on known numbers ----------------------------------------------

s = ens.summarise([1, 2, 3, 4, 5])
check(s.n == 5, "n")
close(s.mean, 3.0, "mean")
close(s.se, math.sqrt(2.5) / math.sqrt(5), "standard error: sample sd / sqrt(n)")
close(s.median, 3.0, "median")
close(s.p05, 1.2, "5th percentile interpolates between seeds")
close(s.p95, 4.8, "95th percentile interpolates between seeds")
check((s.low, s.high) == (1.0, 5.0), "min and max")
check(math.isnan(ens.summarise([7.0]).se), "one value has no standard error")
check(ens.summarise([2.0, 2.0, 2.0]).se == 0.0, "equal values: standard error 0")

g = ens.summarise_log10([10.0, 100.0, 1000.0])
close(10 ** g.mean, 100.0, "geometric mean")
close(g.se, 1 / math.sqrt(3), "standard error of log10")

close(ens.share_in_range([1, 2, 3, 4], 2, 3), 0.5, "share in range, ends included")
close(ens.share_in_range([1e25 * (1 + 1e-12)], 1e25, 1e25), 1.0, "a point range accepts rounding")
close(ens.share_in_range([0.0, 0.0], 0, 0), 1.0, "a range of exactly 0")

a = ens.Summary(20, 1.0, 0.3, 1.0, 0.5, 1.5, 0.4, 1.6)
b = ens.Summary(20, 0.0, 0.4, 0.0, -0.5, 0.5, -0.6, 0.6)
d, se = ens.difference(a, b)
close(d, 1.0, "difference of means")
close(se, 0.5, "standard error of a difference: sqrt(se_a^2 + se_b^2)")
check(not ens.beyond_noise(d, se), "1.0 is not beyond 2 x 0.5")
# Paired by seed: runs that share their draws differ by much less noise.
base = [10.0, 20.0, 30.0, 40.0]
d, se = ens.paired_difference([x + 1.0 for x in base[:3]] + [41.5], base)
close(d, 1.125, "paired difference: mean of the per-seed differences")
close(se, float(np.std([1, 1, 1, 1.5], ddof=1) / 2), "paired standard error: sd of differences / sqrt(n)")
check(ens.beyond_noise(d, se), "a shift of 1 over a spread of 10 is beyond noise when paired")
check(not ens.beyond_noise(*ens.difference(ens.summarise([x + 1 for x in base]), ens.summarise(base))),
      "...and within noise when the ensembles are taken as independent")
check(ens.beyond_noise(1.01, 0.5), "1.01 is beyond 2 x 0.5")
check(not ens.beyond_noise(5.0, math.nan), "nothing is beyond an unknown standard error")
check(ens.binds(ens.summarise([0, 1, 1, 1])) and not ens.binds(ens.summarise([0, 0, 0, 1])),
      "binds: mean above twice its standard error")
check(not ens.binds(ens.summarise([0, 0, 0])), "never bound: mean 0")

for args, want in [((38.0123, 0.046), "38.01 ± 0.05"), ((27.5, 1.5, 1), "27.5 ± 1.5"),
                   ((719.0, 0.0, 1), "719.0 ± 0"), ((3.0, math.nan), "3.00 ± ?"),
                   ((2.13e25, 8e23), "(2.13 ± 0.08)e25"), ((0.47277, 0.00012, 2, 3), "0.473 ± <0.001"),
                   ((0.4375, 0.1875, 1, 1), "0.4 ± 0.2")]:
    check(ens.pm(*args) == want, f"pm{args} = {ens.pm(*args)!r}, want {want!r}")
check(ens.factor(math.log10(1.25)) == "×/÷ 1.25", "factor")
check(ens.seed_list([2000, 2001, 2002]) == "2000-2002" and ens.seed_list([5, 9]) == "5, 9", "seed_list")

# --- a tiny ensemble, parallel and serial -------------------------------------

scenario = os.path.join(scratch, "tiny.yaml")
with open(scenario, "w") as out:
    out.write(SMALL_SCENARIO.format(name="tiny"))
binary = ens.resolve_binary(airace, source)
check(ens.scenario_seed(binary, scenario) == 20240601, "the scenario's own seed (default)")


def read(path, job):
    with h5py.File(path, "r") as f:
        check(int(f.attrs["seed"]) == job.seed, f"run file of seed {job.seed} has its seed")
        events = f["events"][:]
        return {"seed": float(f.attrs["seed"]),
                "kappa": float(f["aggregates/frontier_capability"][-1]),
                "investment": float(f["aggregates/total_investment"][:].sum()),
                "events": float(len(events)),
                "checksum": float(np.sum(f["labs/cash"][:]))}


jobs = [ens.Job(scenario, seed) for seed in (11, 12, 13)]
work = os.path.join(scratch, "work")
os.makedirs(work)


class Sink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


sink = Sink()
parallel = ens.run_ensemble(binary, jobs, read, workers=3, progress=ens.Progress("test", 3, sink),
                            workdir=work)
serial = ens.run_ensemble(binary, jobs, read, workers=1, workdir=work)
check(parallel == serial, "3 seeds in parallel give the same results, in job order, as one at a time")
check([r["seed"] for r in parallel] == [11, 12, 13], "results come back in the order of the jobs")
check(len({r["checksum"] for r in parallel}) == 3, "three seeds give three different runs")
for key in parallel[0]:
    check(ens.summarise([r[key] for r in parallel]) == ens.summarise([r[key] for r in serial]),
          f"same statistics of {key}")
check("3/3 runs done" in sink.text, f"progress names runs done / total: {sink.text!r}")
check(os.listdir(work) == [], f"temporary run files removed: {os.listdir(work)}")

# --- a failing run is an error that names the scenario and the seed ------------

try:
    ens.run_ensemble(binary, [ens.Job(scenario, 11), ens.Job(scenario, 12, ("labs.count=0",))], read,
                     workers=2, workdir=work)
    check(False, "a failing run raises")
except ens.RunFailed as error:
    text = str(error)
    check(error.seed == 12 and error.scenario == scenario, "RunFailed carries scenario and seed")
    check("tiny.yaml" in text and "seed 12" in text, f"message names scenario and seed: {text}")
    check("labs.count" in text and "airace: error" in text, f"message shows airace's stderr: {text}")
check(os.listdir(work) == [], "temporary run files removed after a failure")


def unreadable(path, job):
    raise KeyError("no such dataset")


try:
    ens.run_ensemble(binary, [ens.Job(scenario, 11)], unreadable, workdir=work)
    check(False, "a run file that cannot be read raises")
except ens.RunFailed as error:
    check("seed 11" in str(error) and "no such dataset" in str(error), f"read error named: {error}")

# --- what the tools read from a run file and how they judge it ------------------


def load_tool(name):
    """A tool of tools/ (a script without .py) as a module."""
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.SourceFileLoader(name, os.path.join(source, "tools", name))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
    loader.exec_module(module)
    return module


table = load_tool("scenario_table")
tiny = os.path.join(scratch, "tiny.h5")
subprocess.run([binary, "run", scenario, "-o", tiny, "--quiet", "--force", "--seed", "11"], check=True)
counts = table.read_run(tiny, ens.Job(scenario, 11))
with h5py.File(tiny, "r") as f:
    close(counts["acquisitions"], float(f["aggregates/acquisitions"][-1]), "acquisition events = aggregate")
    close(counts["bankruptcies"], float(f["aggregates/bankruptcies"][-1]), "bankruptcy events = aggregate")
    close(counts["rounds_closed"], float(f["markets/capital/rounds_closed"][:].sum()), "rounds closed")
    close(counts["rounds_failed"], float(f["markets/capital/rounds_failed"][:].sum()), "rounds failed")
for key, *_ in table.BINDINGS:
    check(key in counts and math.isfinite(counts[key]), f"scenario_table reads {key}")
check(0 <= counts["power_ceiling"] <= 100 and 0 <= counts["data_limited"] <= 100, "shares in percent")

calibrate = load_tool("calibrate")
target = {"name": "t", "metric": "m", "unit": "u", "low": 1.0, "high": 2.0, "source": "s"}
check(calibrate.target_rows([target], {"t": [1.5] * 19 + [3.0]})[0]["ok"], "19 of 20 seeds in range pass")
check(not calibrate.target_rows([target], {"t": [1.5] * 18 + [3.0] * 2})[0]["ok"], "18 of 20 fail")
check(calibrate.target_rows([target], {"t": [1.5] * 18 + [3.0] * 2})[0]["in_range"] == "18/20 (90%)",
      "share of seeds in range shown")

# --- the tools refuse a missing binary ----------------------------------------

missing = os.path.join(scratch, "no-airace")
try:
    ens.resolve_binary(missing, source)
    check(False, "a missing binary raises")
except ens.MissingBinary as error:
    check(missing in str(error), "MissingBinary names the path")
for tool in ("scenario_table", "calibrate"):
    result = subprocess.run(["/usr/bin/python3", os.path.join(source, "tools", tool), missing,
                             *(["--no-doc"] if tool == "calibrate" else [os.path.join(scratch, "page.md")])],
                            capture_output=True, text=True)
    check(result.returncode == 2, f"{tool} with a missing binary exits 2, not {result.returncode}")
    check(f"{tool}: error: no airace binary at {missing}" in result.stderr,
          f"{tool} says the binary is missing: {result.stderr!r}")

check.finish("ensemble module: statistics, parallel = serial, failures named, missing binary refused")
