#!/usr/bin/python3
"""Property test: random but valid extreme scenarios (docs/reliability.md).
Each case takes a small world and sets a dozen registered keys, drawn at
random from `airace keys --json`, to the ends of their ranges (or, for agent
counts, to their smallest value or a large one; rates and budgets to zero),
then runs it for a year. Whatever the values, airace must exit 0 (a run
whose aggregates hold no infinity) or 2 (a refusal
starting `airace: error:`, e.g. a relation between keys), within a minute:
never a crash, an exit 1, an infinity or a hang. The cases come from a fixed
seed, so a failure names the `--set` values that reproduce it. A run the
finite check stops (exit 1, `a value overflowed or was undefined`, no run
file: the documented guard, sim/finite_check.cpp) passes, and is listed as a
note: valid values the model cannot take, whose ranges should narrow.

Usage: test_extreme_scenarios.py AIRACE_BINARY SOURCE_DIR SCRATCH_DIR [CASES]
"""
import json
import os
import random
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helper import Checks, test_setup  # noqa: E402

airace_bin, source, scratch = test_setup(sys.argv)
cases = int(sys.argv[4]) if len(sys.argv) > 4 else 40
import airace  # noqa: E402

check = Checks()

BASE = """scenario:
  name: extreme
time:
  start_year: 2024
  end_year: 2025
labs:
  count: 4
  frontier_count: 1
  entrant_slots: 1
investors:
  count: 6
  corporate_count: 1
compute:
  providers: 2
data:
  providers: 2
"""
# Agent counts stay this small at their "large" end, so that a case runs in
# a second: the counts' real limits are covered by the memory estimate.
LARGE_COUNT = 60

keys = json.loads(subprocess.run([airace_bin, "keys", "--json"], check=True, capture_output=True,
                                 text=True).stdout)["keys"]
# Numbers of the scenario itself (not time, names or list items).
candidates = [k for k in keys if (k["type"] in ("real", "integer") and k["range"])
              or (k["type"] == "choice" and k["choices"]) or k["type"] == "boolean"]
candidates = [k for k in candidates if not k["key"].startswith(("time.", "scenario."))
              and "[]" not in k["key"]]


def extreme(key, rng):
    """One end of the key's range, as --set text."""
    if key["type"] == "choice":
        return rng.choice(key["choices"])
    if key["type"] == "boolean":
        return rng.choice(["true", "false"])
    low, high = key["range"]
    if key["type"] == "integer":
        if key["unit"] == "agents" or key["key"].endswith("count"):
            return str(rng.choice([int(low), min(int(high), LARGE_COUNT)]))
        return str(rng.choice([int(low), int(min(high, 1e6))]))
    return repr(float(rng.choice([low, high, 0.0 if low <= 0 <= high else low])))


path = os.path.join(scratch, "base.yaml")
with open(path, "w") as out:
    out.write(BASE)
rng = random.Random(20240601)
outcomes = {0: 0, 2: 0}
overflowed = []
for case in range(cases):
    chosen = rng.sample(candidates, 12)
    sets = [f"{k['key']}={extreme(k, rng)}" for k in chosen]
    output = os.path.join(scratch, f"case{case}.h5")
    argv = [airace_bin, "run", path, "-o", output, "--quiet", "--force", "--checkpoint-every", "0",
            "--seed", str(case)]
    for assignment in sets:
        argv += ["--set", assignment]
    what = f"case {case} (--set {' --set '.join(sets)})"
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        check(False, f"{what}: still running after 60 s")
        continue
    # Exit 1 only from the documented guard against values that overflow
    # (sim/finite_check.cpp: the step, key and agent named, no run file).
    guarded = done.returncode == 1 and "a value overflowed or was undefined" in done.stderr
    check(done.returncode in (0, 2) or guarded, f"{what}: exit {done.returncode}: {done.stderr[-600:]}")
    if guarded:
        check(not os.path.exists(output), f"{what}: a run stopped by the finite check left {output}")
        overflowed.append(f"{what}: {done.stderr.strip()[:300]}")
        continue
    if done.returncode == 2:
        check(done.stderr.startswith("airace: error: "), f"{what}: exit 2 without 'airace: error:'")
        check(not os.path.exists(output), f"{what}: a refused run left {output}")
    if done.returncode != 0:
        outcomes[2] = outcomes.get(2, 0) + (done.returncode == 2)
        continue
    outcomes[0] += 1
    with airace.open(output, verify=True) as run:
        values = run.aggregates()
        check(not np.isinf(values.to_numpy(dtype=float)).any(), f"{what}: an aggregate is infinite")
    inspected = subprocess.run([airace_bin, "inspect", output, "--json"], capture_output=True, text=True)
    check(inspected.returncode == 0, f"{what}: inspect of its run file exited {inspected.returncode}")
    os.remove(output)

check(outcomes[0] > 0, "no case ran: the property test tests nothing")
for line in overflowed:  # valid values the model cannot take: listed, to narrow their ranges
    print(f"note: stopped by the finite check: {line}")
check.finish(f"{cases} extreme scenarios: {outcomes[0]} ran, {outcomes[2]} refused with exit 2, "
             f"{len(overflowed)} stopped by the finite check (exit 1)")
