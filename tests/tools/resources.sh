#!/usr/bin/env bash
# Bounded resources (docs/cli.md, "Resource guard"; docs/architecture.md,
# "Streaming output"), through the real binary:
# - a run whose estimated peak memory exceeds --max-memory is refused before
#   it starts: exit 2, a message naming the options that reduce it, no file;
# - a run's peak memory does not grow with its number of steps: the same
#   world over 20 and 80 steps peaks within 25% (the record is streamed to
#   the file; a build that kept the whole record peaked at 140 MB and 458 MB,
#   3.3x, on this world);
# - a replay that compares world hashes does not grow with the steps either:
#   replaying those two files peaks within 25% (a build that read the whole
#   file and kept the whole replayed record peaked at 171 and 535 MiB);
# - nor does replay --verify, which compares every dataset: the file is read
#   a step at a time as the replay makes each step (a build that held both
#   records whole peaked at 148 and 488 MiB);
# - nor does a fork: forking them peaks within 25% (the parent is read a
#   step at a time and the fork streamed; a build that read the parent whole
#   and kept the fork whole peaked at 246 and 901 MiB);
# - an allocation that fails ends with "out of memory", exit 1, no file;
# - the estimate (`airace validate --json`) is within a factor of 2 of the
#   measured peak (`--profile`'s peak memory, getrusage) on two worlds.
# No timings. Usage: resources.sh AIRACE SOURCE SCRATCH
set -uo pipefail
airace=$1; source=$2; scratch=$3
source "$source/tests/tools/lib/cli_test.sh"
enter_scratch
base="$source/configs/baseline.yaml"

# --- refusal -------------------------------------------------------------
"$airace" run "$base" -o big.h5 --quiet --set investors.count=20000 --max-memory 20M > out.txt 2> err.txt
code=$?
[ "$code" -eq 2 ] || fail "a run past --max-memory exited $code (want 2): $(cat err.txt)"
grep -q "airace: error: .*more than --max-memory 20 MiB" err.txt || fail "no --max-memory message: $(cat err.txt)"
for option in --record-agents --network-snapshots --checkpoint-every; do
  grep -q -- "$option" err.txt || fail "the refusal does not suggest $option: $(cat err.txt)"
done
ls big.h5* > /dev/null 2>&1 && fail "a refused run left $(ls big.h5*)"
# The same run under a limit it fits in goes ahead.
"$airace" run "$base" -o ok.h5 --quiet --set time.end_year=2021 --max-memory 4G || fail "a run within --max-memory failed"
[ -f ok.h5 ] || fail "a run within --max-memory wrote no file"
# A bad size is bad input.
"$airace" run "$base" -o bad.h5 --quiet --max-memory lots > out.txt 2> err.txt
[ $? -eq 2 ] && grep -q "airace: error:" err.txt || fail "--max-memory lots was not refused with exit 2"

# --- an allocation that fails ------------------------------------------------
# Past the guard (--max-memory 100G) but under an address-space limit: a
# clear message and exit 1, nothing under the final name, no temporary file.
# (No checkpoints or snapshots: a small file, so that the disk guard lets it through.)
(ulimit -v 600000; exec "$airace" run "$base" -o oom.h5 --quiet --threads 2 --max-memory 100G \
  --checkpoint-every 0 --network-snapshots none --set investors.count=300000 --set labs.count=200) > out.txt 2> err.txt
code=$?
[ "$code" -eq 1 ] || fail "a run out of memory exited $code (want 1): $(head -3 err.txt)"
grep -q "airace: error: out of memory" err.txt || fail "no out-of-memory message: $(head -3 err.txt)"
ls oom.h5* > /dev/null 2>&1 && fail "a run out of memory left $(ls oom.h5*)"

# --- peak memory against the number of steps --------------------------------
# Many investors (long per-agent columns), two labs without entrants (a graph
# that cannot grow with time): the world's state is the same at every step.
world=(--set investors.count=20000 --set labs.count=2 --set labs.frontier_count=1 --set labs.entrant_slots=0)
peak_mib() {  # peak_mib END_YEAR: the run's peak memory in MiB (getrusage, printed by --profile)
  "$airace" run "$base" -o "steps$1.h5" --quiet --force --threads 2 "${world[@]}" --set time.end_year="$1" \
    --profile 2>&1 | sed -n 's/.*peak memory \([0-9.]*\) MiB.*/\1/p'
}
short=$(peak_mib 2025)   # 20 steps
long=$(peak_mib 2040)    # 80 steps
peak_of() {  # peak_of COMMAND...: peak memory of `airace COMMAND...` in MiB (getrusage); empty when it fails
  /usr/bin/python3 -c 'import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024 if code == 0 else "")' \
    "$airace" "$@"
}
check_flat() {  # check_flat WHAT SHORT LONG: LONG within 25% of SHORT
  echo "$1 peak memory: 20 steps $2 MiB, 80 steps $3 MiB"
  if [ -z "$2" ] || [ -z "$3" ]; then
    fail "a $1 failed"
  else
    awk -v s="$2" -v l="$3" 'BEGIN { exit !(l <= 1.25 * s) }' ||
      fail "a $1's peak memory grows with the steps: $2 MiB at 20 steps, $3 MiB at 80"
  fi
}
check_flat run "$short" "$long"
check_flat replay "$(peak_of replay steps2025.h5 --quiet --threads 2)" \
  "$(peak_of replay steps2040.h5 --quiet --threads 2)"
check_flat "replay --verify" "$(peak_of replay steps2025.h5 --verify --quiet --threads 2)" \
  "$(peak_of replay steps2040.h5 --verify --quiet --threads 2)"
fork=(--at 2024 --set investors.sentiment_budget_elasticity=2 --quiet --threads 2)
check_flat fork "$(peak_of fork steps2025.h5 -o fork2025.h5 "${fork[@]}")" \
  "$(peak_of fork steps2040.h5 -o fork2040.h5 "${fork[@]}")"

# --- the estimate against the measured peak ----------------------------------
estimate_mib() {  # estimate_mib ARGS...: validate's estimated peak in MiB
  "$airace" validate "$base" --json "$@" | sed -n 's/.*"peak_memory_bytes":\([0-9]*\).*/\1/p' |
    awk '{ printf "%.1f", $1 / 1048576 }'
}
check_factor() {  # check_factor NAME MEASURED ESTIMATE
  echo "$1: measured $2 MiB, estimated $3 MiB"
  awk -v m="$2" -v e="$3" 'BEGIN { exit !(m > 0 && e > 0 && e <= 2 * m && m <= 2 * e) }' ||
    fail "$1: the estimate $3 MiB is not within a factor of 2 of the measured $2 MiB"
}
check_factor "20,000 investors, 80 steps" "$long" "$(estimate_mib "${world[@]}")"
baseline=$("$airace" run "$base" -o baseline.h5 --quiet --force --threads 2 --profile 2>&1 |
  sed -n 's/.*peak memory \([0-9.]*\) MiB.*/\1/p')
check_factor "baseline" "$baseline" "$(estimate_mib)"
finish
