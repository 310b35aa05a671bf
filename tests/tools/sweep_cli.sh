#!/usr/bin/env bash
# `airace sweep`: the same sweep gives identical merged results run with
# --jobs 1, --jobs 2, and under mpirun -n 2 and -n 3 --oversubscribe (skipped
# with a message when airace was built without MPI); failures, --resume, merge,
# inspect and exit codes. Usage: sweep_cli.sh AIRACE SOURCE SCRATCH
set -uo pipefail
airace=$1; source=$2; scratch=$3
source "$source/tests/tools/lib/cli_test.sh"
enter_scratch
export SOURCE_DATE_EPOCH=1700000000  # identical created_utc attributes

write_tiny_scenario
cat > sobol.yaml <<'YAML'
sweep:
  name: tiny_sobol
  base: tiny.yaml
  design: sobol
  samples: 4
  seeds: [11, 22]
  metrics: [frontier_capability, total_investment]
  parameters:
    - key: data.human_stock_tokens_2024
      range: [1.0e14, 1.0e15]
      scale: log
    - key: investors.herding
      range: [0.0, 0.8]
YAML

# In-process with 1 and 2 jobs: the same run files and merged datasets.
"$airace" sweep sobol.yaml -o j1 --jobs 1 --quiet > j1.log || fail "--jobs 1 exited $?"
"$airace" sweep sobol.yaml -o j2 --jobs 2 > j2.log 2> j2.err || fail "--jobs 2 exited $?"
grep -q "32 run(s) selected: 32 done, 0 failed" j2.log || fail "--jobs 2 summary: $(cat j2.log)"
grep -q "done, 0 failed, 0 remaining" j2.err || fail "no progress line on stderr: $(cat j2.err)"
for f in j1/runs/*.h5; do cmp -s "$f" "j2/runs/$(basename "$f")" || fail "$f differs between --jobs 1 and 2"; done
# --checkpoint-every 0: run files without checkpoints, the same series.
"$airace" sweep sobol.yaml -o nc --jobs 2 --quiet --index 3 --checkpoint-every 0 > /dev/null || fail "--checkpoint-every 0 exited $?"
run3=$(basename "$(ls j1/runs/*.h5 | sed -n 4p)")
h5ls j1/runs/$run3 | grep -q "^checkpoints" || fail "default sweep runs have no checkpoints"
h5ls nc/runs/$run3 | grep -q "^checkpoints" && fail "--checkpoint-every 0 kept checkpoints"
h5diff -q j1/runs/$run3 nc/runs/$run3 /aggregates > /dev/null || fail "--checkpoint-every 0 changed the aggregates"
"$airace" sweep slurm sobol.yaml -o s0 --tasks 2 --checkpoint-every 0 | grep -q -- "--checkpoint-every 0" \
  || fail "sweep slurm did not pass --checkpoint-every on"
for d in j1 j2; do "$airace" sweep merge $d -o $d/sweep.h5 > /dev/null || fail "merge $d exited $?"; done
h5diff --exclude-path /links j1/sweep.h5 j2/sweep.h5 > diff.txt || fail "merged files differ (--jobs 1 vs 2): $(head -5 diff.txt)"

# --aggregates-only: no run file but the kept ones, parts instead, merged at
# once into the same datasets (but the links, /runs/file and the checksum).
same_merge() {  # FULL LEAN: what a merge of full run files and an aggregates-only one share
  h5diff --exclude-path /links --exclude-path /runs/file --exclude-path /file_checksum "$1" "$2" > diff.txt \
    || fail "$2 differs from $1: $(head -5 diff.txt)"
}
"$airace" sweep sobol.yaml -o ao --jobs 2 --aggregates-only --keep-runs p00000-r1 > ao.log 2>&1 \
  || fail "--aggregates-only exited $?: $(cat ao.log)"
grep -q "merged sweep tiny_sobol: 32 runs (32 complete, 0 failed, 0 missing) into ao/sweep.h5" ao.log \
  || fail "--aggregates-only did not merge: $(cat ao.log)"
[ "$(ls ao/runs)" = "p00000-r1.h5" ] || fail "--keep-runs p00000-r1 left: $(ls ao/runs)"
ls ao/parts/*.h5 > /dev/null || fail "no parts in ao/parts"
same_merge j1/sweep.h5 ao/sweep.h5
"$airace" sweep sobol.yaml -o bad --aggregates-only --keep-runs p00099-r0 > out.txt 2> err.txt; code=$?
[ $code -eq 2 ] && grep -q "no run 'p00099-r0'" err.txt || fail "--keep-runs of no run exited $code: $(cat err.txt)"
"$airace" sweep sobol.yaml -o bad --keep-runs 3 > out.txt 2> err.txt; code=$?
[ $code -eq 2 ] && grep -q "goes with --aggregates-only" err.txt || fail "--keep-runs alone exited $code: $(cat err.txt)"
# An ensemble (run --seeds) with --aggregates-only: the same ensemble file but for the links.
SOURCE_DATE_EPOCH=1700000000 "$airace" run tiny.yaml --seeds 3 -o ens_full.h5 --quiet > /dev/null \
  || fail "run --seeds 3 exited $?"
"$airace" run tiny.yaml --seeds 3 --aggregates-only -o ens_lean.h5 --quiet > /dev/null \
  || fail "run --seeds 3 --aggregates-only exited $?"
[ -z "$(ls ens_lean.runs/runs)" ] || fail "run --seeds --aggregates-only wrote run files"
same_merge ens_full.h5 ens_lean.h5
"$airace" compare ens_full.h5 ens_lean.h5 > cmp.txt || fail "compare of the two ensembles exited $?"
grep -q "Events: not compared" cmp.txt || fail "compare counted unknown events: $(tail -3 cmp.txt)"
"$airace" run tiny.yaml --aggregates-only -o one.h5 > out.txt 2> err.txt; code=$?
[ $code -eq 2 ] && grep -q "applies to ensembles" err.txt || fail "run --aggregates-only without --seeds exited $code"
"$airace" sweep slurm sobol.yaml -o s1 --tasks 2 --aggregates-only --keep-runs p00000-r1,3 > job1.sbatch \
  || fail "sweep slurm --aggregates-only exited $?"
grep -q -- "--aggregates-only --keep-runs 'p00000-r1,3'" job1.sbatch || fail "slurm script: $(tail -2 job1.sbatch)"

# Under MPI, when built with it.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
probe=$("$airace" sweep sobol.yaml -o probe --mpi --index 0 --quiet 2>&1)
if [[ "$probe" == *"built without MPI"* ]]; then
  [ "$("$airace" sweep sobol.yaml -o probe --mpi > /dev/null 2>&1; echo $?)" = 2 ] || fail "--mpi without MPI did not exit 2"
  echo "SKIPPED: MPI comparisons (airace was built without MPI; install libopenmpi-dev and reconfigure)"
elif ! command -v mpirun > /dev/null; then
  echo "SKIPPED: MPI comparisons (no mpirun on PATH; install openmpi-bin)"
else
  for n in 2 3; do
    timeout 120 mpirun -n $n --oversubscribe "$airace" sweep sobol.yaml -o m$n --mpi --quiet > m$n.log 2>&1 \
      || fail "mpirun -n $n exited $?: $(tail -5 m$n.log)"
    "$airace" sweep merge m$n -o m$n/sweep.h5 > /dev/null || fail "merge m$n"
    h5diff --exclude-path /links j1/sweep.h5 m$n/sweep.h5 > diff.txt || fail "merged files differ (--jobs 1 vs mpirun -n $n): $(head -5 diff.txt)"
  done
  # Aggregates only: each worker writes its own parts; rank 0 merges them.
  timeout 120 mpirun -n 3 --oversubscribe "$airace" sweep sobol.yaml -o mao --mpi --aggregates-only --quiet \
    > mao.log 2>&1 || fail "mpirun --aggregates-only exited $?: $(tail -5 mao.log)"
  [ -z "$(ls mao/runs)" ] || fail "mpirun --aggregates-only wrote run files"
  same_merge j1/sweep.h5 mao/sweep.h5
fi

# Merged file: inspect, sensitivity, links that resolve from anywhere.
"$airace" inspect j1/sweep.h5 > inspect.txt || fail "inspect exited $?"
grep -q "32: 32 complete, 0 failed, 0 missing" inspect.txt || fail "inspect counts: $(head -8 inspect.txt)"
grep -q "sensitivity of frontier_capability (sobol, 4 base samples" inspect.txt || fail "inspect lacks indices"
"$airace" inspect j1/sweep.h5 --json > inspect.json || fail "inspect --json of a sweep file exited $?"
/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
s = d["sensitivity"][0]
assert d["runs"]["complete"] == 32 and s["method"] == "sobol" and "investors.herding" in s["indices"]["S1"]' inspect.json ||
  fail "inspect --json of a sweep file: $(head -c 300 inspect.json)"
(cd / && h5dump -d /links/p00000-r1/time "$scratch/j1/sweep.h5" > /dev/null) || fail "external link does not resolve"

# Results are kept: a second launch needs --resume (nothing to do) or --force.
"$airace" sweep sobol.yaml -o j1 --quiet > out.txt 2> err.txt; code=$?
[ $code -eq 2 ] && grep -q "pass --resume" err.txt || fail "rerun without --resume exited $code: $(cat err.txt)"
rm j1/runs/p00003-r0.h5
"$airace" sweep sobol.yaml -o j1 --resume --quiet > out.txt || fail "--resume exited $?"
grep -q "1 done, 0 failed, 31 already complete" out.txt || fail "--resume did not redo only the gap: $(cat out.txt)"

# A failing run is recorded, the others complete, the exit code says so.
cat > grid.yaml <<'YAML'
sweep:
  name: tiny_grid
  base: tiny.yaml
  design: grid
  seeds: [11, 22]
  metrics: [frontier_capability]
  parameters:
    - key: data.human_stock_tokens_2024
      values: [1.0e14, 1.0e15]
    - key: labs.frontier_count
      values: [2, 9]  # 9 > labs.count: points 1 and 3 fail validation
YAML
"$airace" sweep grid.yaml -o g --quiet > out.txt 2> err.txt; code=$?
[ $code -eq 1 ] || fail "a sweep with failed runs exited $code"
grep -q "4 done, 4 failed" out.txt || fail "failed runs not counted: $(cat out.txt)"
grep -q "frontier_count (9) exceeds labs.count (5)" g/runs/p00001-r0.error || fail "no .error file for the failed run"
"$airace" sweep merge g -o g.h5 > out.txt || fail "merge with failed runs exited $?"
grep -q "4 complete, 4 failed, 0 missing" out.txt || fail "merge counts: $(cat out.txt)"

# Bad input exits 2 with a position.
printf 'sweep:\n  name: x\n  bsae: tiny.yaml\n' > typo.yaml
"$airace" sweep typo.yaml -o t > out.txt 2> err.txt; code=$?
[ $code -eq 2 ] && grep -q "typo.yaml:3:3: sweep.bsae: unknown key; did you mean 'base'" err.txt || fail "typo exited $code: $(cat err.txt)"
"$airace" sweep sobol.yaml > out.txt 2> err.txt; [ $? -eq 2 ] || fail "sweep without -o did not exit 2"
"$airace" sweep merge nowhere -o x.h5 > out.txt 2> err.txt; [ $? -eq 2 ] || fail "merge of a missing directory did not exit 2"
"$airace" sweep slurm sobol.yaml -o s --tasks 4 > job.sbatch || fail "sweep slurm exited $?"
grep -q -- "--shard \"\${SLURM_ARRAY_TASK_ID}/4\" --resume" job.sbatch && grep -q "#SBATCH --array=0-3" job.sbatch \
  || fail "slurm script: $(cat job.sbatch)"

finish
