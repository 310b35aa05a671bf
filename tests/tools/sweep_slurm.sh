#!/usr/bin/env bash
# A sweep as a Slurm job array (airace sweep slurm): submit, wait, merge,
# check; then lose one run file and resubmit: only the gap is run again.
# Needs a running Slurm cluster (.ci/run starts one with
# tools/slurm/start-local-cluster); without one it prints SKIPPED and passes.
# Usage: sweep_slurm.sh AIRACE SOURCE SCRATCH
set -uo pipefail
airace=$1; source=$2; scratch=$3
source "$source/tests/tools/lib/cli_test.sh"
if ! command -v sbatch > /dev/null || ! sinfo -h -o '%T' 2> /dev/null | grep -qE '^(idle|mixed|allocated)'; then
  echo "SKIPPED: no Slurm cluster running (start one with tools/slurm/start-local-cluster)"
  exit 0
fi
enter_scratch

write_tiny_scenario
cat > lhs.yaml <<'YAML'
sweep:
  name: tiny_lhs
  base: tiny.yaml
  design: lhs
  samples: 5
  seeds: [1, 2]
  metrics: [frontier_capability]
  parameters:
    - key: synthetic.quality
      range: [0.2, 1.0]
YAML

# Submits the array and waits (at most 180 s) until none of its tasks is left.
submit_and_wait() {
  local job
  job=$(sbatch --parsable job.sbatch) || { fail "sbatch refused the script"; return; }
  job=${job%%;*}
  for _ in $(seq 180); do
    [ -z "$(squeue -h -j "$job" 2> /dev/null)" ] && return
    sleep 1
  done
  fail "job $job still queued or running after 180 s"; scancel "$job" 2> /dev/null
}

"$airace" sweep slurm lhs.yaml -o out --tasks 3 > job.sbatch || fail "sweep slurm exited $?"
grep -q "#SBATCH --array=0-2" job.sbatch || fail "no array line: $(cat job.sbatch)"
submit_and_wait
"$airace" sweep merge out -o out/sweep.h5 > merge.txt || fail "merge exited $?"
grep -q "10 runs (10 complete, 0 failed, 0 missing)" merge.txt \
  || fail "after the array: $(cat merge.txt); logs: $(cat out/slurm/*.out 2> /dev/null | tail -5)"

# Resubmitting fills only the gap.
rm out/runs/p00002-r1.h5
touch -d '2000-01-01' out/runs/p00000-r0.h5
submit_and_wait
[ -f out/runs/p00002-r1.h5 ] || fail "the resubmitted array did not redo the missing run"
[ "$(stat -c %Y out/runs/p00000-r0.h5)" = "$(date -d '2000-01-01' +%s)" ] || fail "a complete run was redone"
"$airace" sweep merge out -o out/sweep.h5 --force > merge.txt || fail "second merge exited $?"
grep -q "10 complete" merge.txt || fail "after resubmitting: $(cat merge.txt)"

finish
