#!/usr/bin/env bash
# The shipped scenarios (configs/baseline.yaml, configs/scenarios/*.yaml):
# each validates, each run is bitwise identical with 1 and 8 threads, and a
# few scenarios show the effect they exist for against the baseline.
# Usage: scenarios.sh AIRACE SOURCE SCRATCH
set -uo pipefail
airace=$1; source=$2; scratch=$3
source "$source/tests/tools/lib/cli_test.sh"
enter_scratch

expected="compute_cap copyright_strict efficient_chips energy_constrained export_controls
investor_pullback reasoning_shift synthetic_accumulate synthetic_replace x_factor_deregulate
x_factor_restrictive"
for name in $expected; do
  test -f "$source/configs/scenarios/$name.yaml" || fail "configs/scenarios/$name.yaml is missing"
done

export SOURCE_DATE_EPOCH=1700000000
for file in "$source/configs/baseline.yaml" "$source"/configs/scenarios/*.yaml; do
  name=$(basename "$file" .yaml)
  if ! "$airace" validate "$file" > validate.txt 2>&1; then
    fail "$file does not validate:"; cat validate.txt; continue
  fi
  # The scenario's name is its file's stem.
  "$airace" validate "$file" --print > resolved.yaml 2>&1
  grep -qx "  name: \"$name\"" resolved.yaml || fail "$file: scenario.name is not '$name'"
  for t in 1 8; do
    "$airace" run "$file" -o "$name-t$t.h5" --threads $t --quiet > run.txt 2>&1 ||
      { fail "$name with --threads $t:"; cat run.txt; }
  done
  cmp -s "$name-t1.h5" "$name-t8.h5" || fail "$name: run files differ between 1 and 8 threads"
done

# Effects against the baseline, read as analysts do (h5py).
/usr/bin/python3 - <<'EOF' || failures=$((failures + 1))
import sys

import h5py
import numpy as np


def at(name, path, year, column=None):
    with h5py.File(f"{name}-t1.h5", "r") as f:
        i = int(np.argmin(np.abs(f["time"][:] - year)))
        return float(f[path][i] if column is None else f[path][i, column])


problems = []


def check(condition, what):
    if not condition:
        problems.append(what)


def mean_over(name, path, first, last):
    with h5py.File(f"{name}-t1.h5", "r") as f:
        t = f["time"][:]
        return float(np.mean(f[path][(t > first) & (t <= last)]))


# Replacing human data leaves the frontier lower through the 2030s (the end
# point alone moves with which lab happens to release last) and its collapse
# penalty higher than accumulating.
replace = mean_over("synthetic_replace", "aggregates/frontier_capability", 2030, 2040)
accumulate = mean_over("synthetic_accumulate", "aggregates/frontier_capability", 2030, 2040)
check(replace < accumulate,
      f"synthetic_replace averages kappa {replace:.2f} over 2030-40, not below synthetic_accumulate's {accumulate:.2f}")
penalty_replace = mean_over("synthetic_replace", "aggregates/frontier_collapse_penalty", 2030, 2040)
penalty_accumulate = mean_over("synthetic_accumulate", "aggregates/frontier_collapse_penalty", 2030, 2040)
check(penalty_replace > penalty_accumulate,
      f"synthetic_replace's collapse penalty {penalty_replace:.3f} is not above accumulate's {penalty_accumulate:.3f}")

restrictive = at("x_factor_restrictive", "aggregates/stringency_us", 2035)
baseline = at("baseline", "aggregates/stringency_us", 2035)
check(restrictive > baseline,
      f"x_factor_restrictive's US stringency in 2035 ({restrictive:.2f}) is not above baseline ({baseline:.2f})")

cn = 2  # markets/compute columns: US, EU, CN
controlled = at("export_controls", "markets/compute/capacity", 2035, cn)
baseline = at("baseline", "markets/compute/capacity", 2035, cn)
check(controlled < baseline,
      f"export_controls' CN compute capacity in 2035 ({controlled:.3g}) is not below baseline ({baseline:.3g})")

with h5py.File("compute_cap-t1.h5", "r") as f:
    i = int(np.argmin(np.abs(f["time"][:] - 2035)))
    active = f["regulators/training_cap_active"][i] > 0
    caps = f["regulators/training_cap_flop"][i][active]
    largest = float(f["aggregates/largest_run_flop"][i])
check(active.all(), "compute_cap: a training cap is not active in 2035")
if caps.size:
    cap = float(caps.max())
    check(largest <= cap * (1 + 1e-9),
          f"compute_cap's largest run in 2035 ({largest:.3g} FLOP) is above the cap ({cap:.3g})")

for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
EOF

finish
