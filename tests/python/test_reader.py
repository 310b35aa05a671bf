#!/usr/bin/python3
"""The pandas reader (the package airace, under its former name airace_h5)
against a small fresh run: shapes, values (compared with plain h5py reads),
names resolved in events and graph snapshots, and clear errors for files it
must refuse. Also reads a sweep file made with `airace sweep` (skipped, with
a note, where this airace has no sweep command).

Usage: test_reader.py AIRACE_BINARY SOURCE_DIR SCRATCH_DIR
"""
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helper import Checks, test_setup, SMALL_SCENARIO, make_sweep  # noqa: E402

airace, source, scratch = test_setup(sys.argv)
import airace_h5  # noqa: E402

check = Checks()


def raises(function, pattern, what):
    try:
        function()
    except airace_h5.AiraceFileError as error:
        check(pattern in str(error), f"{what}: message '{error}' lacks '{pattern}'")
        return
    except Exception as error:  # noqa: BLE001
        check.failures.append(f"{what}: raised {type(error).__name__}: {error}, not AiraceFileError")
        return
    check.failures.append(f"{what}: did not raise")


def same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


# A small world with an influencer, so that every kind has agents, and a
# policy event, so that instrument names are resolved.
scenario = os.path.join(scratch, "small.yaml")
with open(scenario, "w") as out:
    out.write(SMALL_SCENARIO.format(name="reader_test") + """influencers:
  - name: pundit
    stance: 1.0
    start_year: 2021.0
    end_year: 2100.0
    weight:
      us: 0.3
      eu: 0.1
      cn: 0.0
policy_events:
  - year: 2021.5
    regulator: us
    instrument: export_control_share
    value: 0.5
""")
path = os.path.join(scratch, "small.h5")
subprocess.run([airace, "run", scenario, "-o", path, "--force", "--quiet"], check=True)

with airace_h5.open_file(path) as run, h5py.File(path, "r") as f:
    check(isinstance(run, airace_h5.RunFile), "open_file returns a RunFile for a run file")
    steps = int(f.attrs["steps"])
    check(steps == 16, f"steps attribute is 16 for 2020-2024 (got {steps})")
    meta = run.metadata()
    check(meta["format"] == "airace-run" and meta["schema_version"] == 1, "metadata format and schema")
    check(meta["scenario"] == "reader_test" and run.scenario == "reader_test", "metadata scenario")
    check(run.seed == int(f.attrs["seed"]), "seed")
    check(run.config() == f["config"].asstr()[()] and "reader_test" in run.config(), "config text")
    check(airace_h5.verify_checksum(path), "checksum of a fresh file verifies")

    # Time and aggregates.
    check(len(run.time) == steps and same(run.time, f["time"][:]), "time = /time, length steps")
    agg = run.aggregates()
    names = list(f["aggregates"].keys())
    check(agg.shape == (steps, len(names)), f"aggregates shape {agg.shape}")
    check(list(agg.columns) == names, "aggregates in file order")
    check(agg.index.name == "time" and same(agg.index, f["time"][:]), "aggregates indexed by time")
    for name in names:
        check(same(agg[name], f["aggregates"][name][:]), f"aggregate {name} equals the h5py read")
        check(agg.attrs["units"][name] == f["aggregates"][name].attrs["units"], f"units of {name}")
    check(same(run.aggregates(["compute_price"])["compute_price"], f["aggregates/compute_price"][:]),
          "aggregates(names) subset")

    # Agent tables, wide and long.
    kinds = run.kinds()
    check(kinds[:5] == ["labs", "investors", "compute_providers", "data_providers", "regulators"],
          f"kinds in simulator order: {kinds}")
    check("influencers" in kinds, "influencers kind present")
    counts = {"labs": 6 + 2, "investors": 8, "regulators": 3, "influencers": 1}  # 2 entrant slots
    for kind in kinds:
        n = len(f[kind]["static/name"])
        if kind in counts:
            check(n == counts[kind], f"{kind}: {counts[kind]} agents (got {n})")
        static = run.static(kind)
        check(list(static["name"]) == list(f[kind]["static/name"].asstr()[:]), f"{kind} names")
        check(list(static["region"]) == list(f[kind]["static/region"].asstr()[:]), f"{kind} regions")
        columns = run.columns(kind)
        check(columns == [c for c in f[kind].keys() if c != "static"], f"{kind} columns")
        long = run.long(kind)
        check(len(long) == steps * n, f"{kind} long table has T*N = {steps * n} rows (got {len(long)})")
        check(list(long.columns[:6]) == ["step", "time", "agent", "name", "region", "type"],
              f"{kind} long table leading columns")
        for column in columns:
            data = f[kind][column][:]
            check(same(long[column].to_numpy().reshape(steps, n), data), f"{kind}/{column} long values")
            if n:
                wide = run.wide(kind, column)
                check(wide.shape == (steps, n) and same(wide, data), f"{kind}/{column} wide values")
        if n:
            check(same(long["time"].to_numpy().reshape(steps, n)[:, 0], f["time"][:]), f"{kind} long time")
            check(list(long["name"][:n]) == list(static["name"]), f"{kind} long names, agent order")
    cash = run.wide("labs", "cash")
    check(list(cash.columns) == list(f["labs/static/name"].asstr()[:]), "wide columns are lab names")
    check(cash.attrs["units"] == "USD", "wide units")
    price = run.market("compute", "price")
    check(price.shape == f["markets/compute/price"].shape and list(price.columns) == ["US", "EU", "CN"],
          "market table with region labels")

    # Events: types and agents resolved.
    events = run.events()
    raw = f["events"][:]
    types = list(f["events"].attrs["types"])
    check(len(events) == len(raw), "one row per event")
    check(list(events["type"].astype(str)) == [types[t] for t in raw["type"]], "event type names")
    check(same(events["amount"], raw["amount"]) and same(events["value"], raw["value"]), "event amounts")
    labs = list(f["labs/static/name"].asstr()[:])
    lab_rows = events[events["agent_kind"] == "labs"]
    check(len(lab_rows) > 0 and all(labs[a] == n for a, n in zip(lab_rows["agent"], lab_rows["agent_name"])),
          "lab names of events")
    check((events["type"] == "release").sum() > 0, "releases happened")
    rounds = run.events(["funding_round"])
    check(len(rounds) > 0 and set(rounds["type"].astype(str)) == {"funding_round"}, "events(types) filter")
    investors = list(f["investors/static/name"].asstr()[:])
    check(all(investors[o] == n for o, n in zip(rounds["other"], rounds["other_name"])), "other party names")
    policy = run.events(["policy"])
    check(len(policy) > 0 and (policy["instrument"] != "").all(), "policy events name their instrument")
    check("export_controls" in set(policy["instrument"]), "the baseline's export-control decision")

    # Graph snapshots.
    edges_raw = f["network/edges"][:]
    steps_with_edges = sorted(set(int(s) for s in edges_raw["step"]))
    check(run.snapshot_steps() == steps_with_edges, "snapshot steps")
    check(run.snapshot_years() == [float(f["time"][s]) for s in steps_with_edges], "snapshot years")
    snapshots = run.snapshots()
    check(list(snapshots) == run.snapshot_years(), "snapshots keyed by year")
    check(sum(len(df) for df in snapshots.values()) == len(edges_raw), "every edge in one snapshot")
    last = run.edges(year=run.snapshot_years()[-1])
    check(len(last) == int((edges_raw["step"] == steps_with_edges[-1]).sum()), "edges(year) = last snapshot")
    edge_types = list(f["network/edges"].attrs["types"])
    check(list(last["type"].astype(str)) ==
          [edge_types[t] for t in edges_raw[edges_raw["step"] == steps_with_edges[-1]]["type"]],
          "edge type names")
    equity = last[last["type"] == "equity"]
    check(len(equity) > 0 and (equity["src_kind"] == "investors").all() and (equity["dst_kind"] == "labs").all(),
          "equity edges go investor -> lab")
    check(all(labs[d] == n for d, n in zip(equity["dst"], equity["dst_name"])), "edge names resolved")

# Files the reader must refuse, with a message that says why.
raises(lambda: airace_h5.open_file(os.path.join(scratch, "missing.h5")), "no such file", "missing file")
bogus = os.path.join(scratch, "bogus.h5")
with open(bogus, "w") as out:
    out.write("not an hdf5 file")
raises(lambda: airace_h5.open_file(bogus), "not an HDF5 file", "text file")
foreign = os.path.join(scratch, "foreign.h5")
with h5py.File(foreign, "w") as f:
    f.attrs["format"] = "something-else"
raises(lambda: airace_h5.open_file(foreign), "format 'something-else'", "foreign format")
raises(lambda: airace_h5.read_run(foreign), "not an airace run file", "foreign format, read_run")
no_format = os.path.join(scratch, "no_format.h5")
with h5py.File(no_format, "w") as f:
    f["x"] = 1
raises(lambda: airace_h5.open_file(no_format), "no 'format'", "HDF5 without format")
newer = os.path.join(scratch, "newer.h5")
shutil.copy(path, newer)
with h5py.File(newer, "r+") as f:
    f.attrs["schema_version"] = np.int32(2)
raises(lambda: airace_h5.open_file(newer), "schema version 2", "newer schema")
check(not airace_h5.verify_checksum(newer), "a file edited in place fails the checksum")

# Sweep files (docs/sweeps.md): a tiny real sweep.
sweep_paths = []
real = make_sweep(airace, os.path.join(scratch, "sweep"))
if real:
    sweep_paths.append(real)
else:
    print("note: this airace has no `sweep` command; sweep reading not checked")
for sweep_path in sweep_paths:
    with airace_h5.open_file(sweep_path) as sweep, h5py.File(sweep_path, "r") as f:
        what = os.path.basename(sweep_path)
        check(isinstance(sweep, airace_h5.SweepFile), f"{what}: open_file returns a SweepFile")
        runs = len(f["design/run_id"])
        complete = sweep.complete()
        check(len(complete) == runs, f"{what}: status per run")
        design = sweep.design_table()
        check(len(design) == runs and list(design.index) == list(f["design/run_id"].asstr()[:]),
              f"{what}: design table rows")
        for j, key in enumerate(sweep.parameters()):
            check(same(design[key], f["design/values"][:, j]), f"{what}: design column {key}")
        for metric in sweep.aggregate_names():
            wide = sweep.aggregate(metric)
            check(wide.shape == (len(f["time"]), int(complete.sum())), f"{what}: {metric} [T x complete runs]")
            check(same(wide.to_numpy().T, f["aggregates"][metric][:][complete]), f"{what}: {metric} values")
            q = sweep.quantiles(metric)
            check(q.shape == (len(f["time"]), 3), f"{what}: {metric} quantiles shape")
            finite = np.isfinite(q.to_numpy()).all(axis=1)
            check(bool((q[0.05][finite] <= q[0.5][finite]).all() and (q[0.5][finite] <= q[0.95][finite]).all()),
                  f"{what}: {metric} quantiles ordered")
        table = sweep.sensitivity()
        if sweep.design in ("sobol", "morris"):
            check(len(table) == len(sweep.sensitivity_metrics()) * len(sweep.parameters()),
                  f"{what}: one sensitivity row per metric and parameter")
        first = next(r for r, ok in zip(sweep.run_ids, complete) if ok)
        with sweep.run(first) as run:
            check(run.steps == len(f["time"]), f"{what}: a run of the sweep opens")
        check(sweep.design == "sobol" and len(sweep.parameters()) == 2, f"{what}: design and parameters")
        check(runs == 4 * (2 + 2), f"{what}: Saltelli design has N (k + 2) = 16 runs (got {runs})")
        check(set(sweep.sensitivity_metrics()) == set(sweep.aggregate_names()), f"{what}: indices per metric")
        check({"S1", "S1_conf", "ST", "ST_conf"} <= set(table.columns), f"{what}: Sobol index columns")
    raises(lambda: airace_h5.read_run(sweep_path), "not an airace run file", "read_run refuses a sweep file")

check.finish(f"ok: reader checked on {path} and {len(sweep_paths)} sweep file(s)")
