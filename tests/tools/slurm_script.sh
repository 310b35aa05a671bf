#!/usr/bin/env bash
# The job script of `airace sweep slurm` cannot be made to run a command of
# the user's values (docs/reliability.md, "Security"): a value with a control
# character (a newline above all) is refused with exit 2 before anything is
# written; --time and --partition must look like what Slurm takes; a path
# with spaces and quotes is quoted in every line. Needs no Slurm: the script
# is checked with bash -n and line by line.
# Usage: slurm_script.sh AIRACE SOURCE SCRATCH
set -uo pipefail
airace=$1; source=$2; scratch=$3
source "$source/tests/tools/lib/cli_test.sh"
enter_scratch
write_tiny_scenario
write_herding_grid grid.yaml grid 0.1 0.2

# refused CODE PATTERN ARGS...: `sweep slurm grid.yaml ARGS` exits CODE with PATTERN on stderr.
refused() {
  local code=$1 pattern=$2; shift 2
  "$airace" sweep slurm grid.yaml "$@" > job.sbatch 2> err.txt; local got=$?
  [ $got -eq "$code" ] && grep -q -- "$pattern" err.txt \
    || fail "sweep slurm $* exited $got (want $code, '$pattern'): $(cat err.txt job.sbatch | head -5)"
  [ -s job.sbatch ] && fail "sweep slurm $* printed a script although it refused"
  return 0
}
newline_dir=$'out\ntouch PWNED'
refused 2 "airace: error: sweep slurm: -o contains a control character (code 10)" -o "$newline_dir"
[ -e "$newline_dir" ] && fail "the refused -o directory was created"
refused 2 "airace: error: sweep slurm: --partition contains a control character" -o out --partition $'debug\ntouch PWNED'
refused 2 "airace: error: sweep slurm: --partition 'debug;touch PWNED'" -o out --partition 'debug;touch PWNED'
refused 2 "airace: error: sweep slurm: --time contains a control character" -o out --time $'1:00:00\ntouch PWNED'
refused 2 "airace: error: sweep slurm: --time '1:00:00 ; touch PWNED'" -o out --time '1:00:00 ; touch PWNED'
refused 2 "airace: error: sweep slurm: -o '.*contains '\"'" -o 'out"x'

# A path with spaces, a quote, a '$' and a '%' works: every line holds it quoted.
dir="my runs/it's \$HOME 100%"
"$airace" sweep slurm grid.yaml -o "$dir" --time 1-02:00:00 --partition debug,long > job.sbatch 2> err.txt \
  || fail "sweep slurm with a path with spaces exited $?: $(cat err.txt)"
bash -n job.sbatch || fail "the script is not valid bash: $(cat job.sbatch)"
[ -d "$dir/slurm" ] || fail "the sweep directory with spaces was not made"
abs="$scratch/$dir"
grep -qxF "#SBATCH --output=\"${abs//%/%%}/slurm/%A_%a.out\"" job.sbatch \
  || fail "the --output line does not hold the quoted path: $(grep -- --output job.sbatch)"
grep -qxF "#SBATCH --time=1-02:00:00" job.sbatch || fail "no --time line: $(cat job.sbatch)"
grep -qxF "#SBATCH --partition=debug,long" job.sbatch || fail "no --partition line: $(cat job.sbatch)"
# Every line is a comment, an #SBATCH directive or one of the script's three commands.
while IFS= read -r line; do
  case "$line" in
    '#'*|'set -euo pipefail'|"exec '"*) ;;
    *) fail "unexpected line in the script: $line" ;;
  esac
done < job.sbatch
# The exec line runs the sweep in exactly that directory: run it with a
# stand-in for airace that prints its arguments.
quoted_airace=$(grep '^exec ' job.sbatch | sed -E "s/^exec ('([^']|'\\\\'')*').*/\1/")
sed "s|^exec $(printf '%s' "$quoted_airace" | sed 's/[|&\\]/\\&/g') |exec ./args.sh |" job.sbatch > probe.sh
printf '#!/bin/bash\nprintf "%%s\\n" "$@"\n' > args.sh; chmod +x args.sh
SLURM_ARRAY_TASK_ID=0 bash probe.sh > args.txt 2> err.txt || fail "the script's command failed: $(cat err.txt)"
sed -n 4p args.txt | grep -qxF "$abs" || fail "the script passes another -o: $(cat args.txt)"
[ -e PWNED ] && fail "a value in the script ran a command"
finish
