#!/usr/bin/env bash
# Replay, fork and crash-resume through the command line:
# every shipped scenario replays; a fork without changes equals its parent;
# a run killed with SIGKILL leaves no file under the final name, and
# resuming it gives the uninterrupted result byte for byte.
# Usage: replay_fork.sh AIRACE SOURCE SCRATCH
set -uo pipefail
airace=$1; source=$2; scratch=$3
source "$source/tests/tools/lib/cli_test.sh"
enter_scratch
export SOURCE_DATE_EPOCH=1700000000

for scenario in "$source"/configs/baseline.yaml "$source"/configs/scenarios/*.yaml; do
  name=$(basename "$scenario" .yaml)
  "$airace" run "$scenario" -o "$name.h5" --quiet --set time.end_year=2028 || fail "run $name"
  "$airace" replay "$name.h5" --verify --quiet || fail "replay of $name does not verify"
done

# Runs recorded with --record-agents or fewer graph snapshots replay with the
# same recording (the file says which) and verify; a fork of one records what
# its parent recorded (both once failed: the replay recorded every agent and
# every year, and the fork refused a parent of fewer recorded agents).
for options in "--record-agents 10" "--network-snapshots final" "--network-snapshots none"; do
  "$airace" run "$source/configs/baseline.yaml" -o recorded.h5 --quiet --force --set time.end_year=2024 $options ||
    fail "run with $options"
  "$airace" replay recorded.h5 --verify --quiet || fail "a run with $options does not verify"
  "$airace" fork recorded.h5 --at 2022 -o recorded_fork.h5 --quiet --force \
    --set investors.sentiment_budget_elasticity=2 || fail "fork of a run with $options"
  "$airace" replay recorded_fork.h5 --verify --quiet || fail "the fork of a run with $options does not verify"
done
/usr/bin/python3 - <<'PY' || fail "the fork of a --network-snapshots none run records other snapshots than its parent"
import h5py, sys
a, b = h5py.File("recorded.h5", "r"), h5py.File("recorded_fork.h5", "r")
sys.exit(0 if len(a["network/edges"]) == len(b["network/edges"]) == 0 else 1)
PY

# A tampered config replays differently: exit 3 naming step and dataset.
"$airace" run "$source/configs/baseline.yaml" -o base.h5 --quiet --set time.end_year=2030
"$airace" fork base.h5 --at 2024 -o same.h5 --quiet || fail "fork without changes"
/usr/bin/python3 - <<'PY' || fail "fork without changes differs from its parent"
import h5py, numpy as np, sys
a, b = h5py.File("base.h5", "r"), h5py.File("same.h5", "r")
ok = np.array_equal(a["hashes"][:], b["hashes"][:])
for k in a["aggregates"]:
    x, y = a["aggregates"][k][:], b["aggregates"][k][:]
    ok &= np.array_equal(np.isnan(x), np.isnan(y)) and np.array_equal(x[~np.isnan(x)], y[~np.isnan(y)])
sys.exit(0 if ok else 1)
PY
"$airace" fork base.h5 --at 2025.2 -o cap.h5 --quiet \
  --set policy_events.4.year=2025.25 --set policy_events.4.regulator=us \
  --set policy_events.4.instrument=training_cap_flop --set policy_events.4.value=1e24 \
  || fail "fork with a training cap"
# The x_factor story as a fork: same world until 2025, then an influencer.
"$airace" fork base.h5 --at 2025 -o x.h5 --quiet --set influencers.0.name=figure \
  --set influencers.0.stance=1 --set influencers.0.start_year=2024 --set influencers.0.weight.us=0.5 \
  || fail "fork adding an influencer"
"$airace" replay x.h5 --verify --quiet || fail "a fork does not replay"
"$airace" replay cap.h5 --verify --quiet || fail "a fork with a policy event does not replay"
"$airace" fork base.h5 --at 2025 --set labs.count=7 -o bad.h5 --quiet 2>err.txt
[ $? -eq 2 ] && grep -q "only shapes the start" err.txt || fail "fork changing labs.count not refused"
"$airace" fork base.h5 --at 1999 -o bad.h5 --quiet 2>/dev/null; [ $? -eq 2 ] || fail "fork outside the run not refused"
"$airace" fork base.h5 --at 2025.9 -o bad.h5 --quiet 2>/dev/null; [ $? -eq 2 ] || fail "bad quarter not refused"
test ! -e bad.h5 || fail "a refused fork left a file"

# A replay against a file of another model version is refused without --force.
cp base.h5 other.h5
/usr/bin/python3 - <<'PY'
import h5py
# Rewriting an attribute invalidates the checksum: the reader must refuse it
# as changed, which is also a clean exit 2.
with h5py.File("other.h5", "r+") as f:
    f.attrs["airace_version"] = "0.0.1"
PY
"$airace" replay other.h5 --quiet 2>err.txt; [ $? -eq 2 ] || fail "changed file not refused"

# SIGKILL mid-run, then resume.
big=(--set time.end_year=2030 --set investors.count=2000 --set labs.count=100 --set labs.frontier_count=10)
"$airace" run "$source/configs/baseline.yaml" -o full.h5 --quiet "${big[@]}" || fail "uninterrupted run"
"$airace" run "$source/configs/baseline.yaml" -o killed.h5 --quiet "${big[@]}" &
pid=$!
for _ in $(seq 1 400); do
  [ -e killed.h5.partial ] && break
  sleep 0.05
done
sleep 0.3
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
if [ -e killed.h5 ]; then
  echo "note: the run finished before it could be killed; the resume check is weaker"
else
  test -e killed.h5.partial || fail "no partial file after the kill"
  "$airace" inspect killed.h5.partial > /dev/null || fail "the partial file is not readable"
fi
"$airace" run "$source/configs/baseline.yaml" -o killed.h5 --quiet --resume "${big[@]}" || fail "resume"
cmp full.h5 killed.h5 || fail "resumed run differs from the uninterrupted one"
test ! -e killed.h5.partial || fail "partial file left after completion"

finish
