#!/usr/bin/env bash
# The command line's exit codes and messages (docs/cli.md): 0 success,
# 1 runtime failure, 2 bad input. Usage: cli_exit_codes.sh AIRACE SOURCE SCRATCH
set -uo pipefail
airace=$1; source=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"; cd "$scratch"
failures=0
expect() {  # expect CODE PATTERN -- command...
  local code=$1 pattern=$2; shift 3
  "$@" > out.txt 2> err.txt; local got=$?
  if [ "$got" -ne "$code" ] || ! grep -q -- "$pattern" out.txt err.txt; then
    echo "FAIL: '$*' exited $got (want $code), output lacks '$pattern':"; cat out.txt err.txt
    failures=$((failures + 1))
  fi
}
head='scenario:\n  name: t\n'
printf "${head}labs:\n  cuont: 5\n" > typo.yaml
printf "${head}labs:\n  count: many\n" > type.yaml
printf "${head}labs:\n  count: -5\n" > negative.yaml
printf "${head}labs:\n  count: [1, 2\n" > syntax.yaml
printf "${head}time:\n  end_year: 2022\nlabs:\n  count: 4\n  frontier_count: 1\ninvestors:\n  count: 5\n  corporate_count: 1\n" > small.yaml

expect 2 "typo.yaml:4:3: labs.cuont: unknown key; did you mean 'labs.count'" -- "$airace" validate typo.yaml
expect 2 "type.yaml:4:10: labs.count: expected an integer" -- "$airace" validate type.yaml
expect 2 "negative.yaml:4:10: labs.count" -- "$airace" run negative.yaml -o x.h5
expect 2 "syntax.yaml:5:1: YAML syntax error" -- "$airace" validate syntax.yaml
expect 2 "cannot open scenario file" -- "$airace" validate missing.yaml
expect 2 "labs.count" -- "$airace" validate small.yaml --set labs.count=0
expect 2 "" -- "$airace" run
expect 2 "" -- "$airace" frobnicate
expect 0 "valid scenario" -- "$airace" validate small.yaml
expect 0 "frontier_count: 1" -- "$airace" validate small.yaml --print
test ! -e x.h5 || { echo "FAIL: a failed run left x.h5"; failures=$((failures + 1)); }

# A run writes the file and prints the summary and its path.
expect 0 '"run_file":"small.h5"' -- "$airace" run small.yaml -o small.h5 --quiet --json
expect 0 "run file: small.h5" -- "$airace" run small.yaml -o small.h5 --force
test ! -e small.h5.tmp || { echo "FAIL: small.h5.tmp left behind"; failures=$((failures + 1)); }
# No overwrite without --force.
expect 2 "use --force" -- "$airace" run small.yaml -o small.h5
# Unwritable destination: runtime failure, no file.
expect 1 "does not exist" -- "$airace" run small.yaml -o no/such/dir/x.h5
# Inspect: people and scripts.
expect 0 "scenario" -- "$airace" inspect small.h5
expect 0 '"summary"' -- "$airace" inspect small.h5 --json
printf 'not an hdf5 file' > bogus.h5
expect 2 "" -- "$airace" inspect bogus.h5
expect 2 "" -- "$airace" inspect nothing-here.h5

# Determinism: bitwise identical files for 1, 2 and 8 threads.
export SOURCE_DATE_EPOCH=1700000000
for t in 1 2 8; do "$airace" run small.yaml -o t$t.h5 --threads $t --quiet || failures=$((failures + 1)); done
cmp t1.h5 t2.h5 && cmp t1.h5 t8.h5 || { echo "FAIL: run files differ across threads"; failures=$((failures + 1)); }
h5diff t1.h5 t8.h5 || { echo "FAIL: h5diff reports differences"; failures=$((failures + 1)); }

[ "$failures" -eq 0 ] && echo "ok" || { echo "$failures failure(s)"; exit 1; }
