#!/usr/bin/env bash
# The command line's conventions (docs/cli.md): --json on every command that
# prints results (one document on stdout), `keys` with ranges, every error as
# `airace: error:` with exit 2 (CLI11's usage errors included), every problem
# of a scenario or sweep file at once, numbers checked like the keys they
# stand for, examples in every --help, `airace init`, and the generated bash
# completion and man page. Usage: cli_conventions.sh AIRACE SOURCE SCRATCH
set -uo pipefail
airace=$1; source=$2; scratch=$3
source "$source/tests/tools/lib/cli_test.sh"
enter_scratch

# expect CODE PATTERN -- command...: exit code and a pattern in stdout+stderr.
expect() {
  local code=$1 pattern=$2; shift 3
  "$@" > out.txt 2> err.txt; local got=$?
  if [ "$got" -ne "$code" ] || ! grep -q -- "$pattern" out.txt err.txt; then
    fail "'$*' exited $got (want $code), output lacks '$pattern':"; cat out.txt err.txt
  fi
}
# expect_error PATTERN -- command...: exit 2, every stderr line an `airace: error:`
# line, and nothing on stdout.
expect_error() {
  local pattern=$1; shift 2
  expect 2 "$pattern" -- "$@"
  grep -qv '^airace: error: ' err.txt && { fail "'$*': stderr has a line without 'airace: error:':"; cat err.txt; }
  [ -s out.txt ] && fail "'$*' printed on stdout: $(head -3 out.txt)"
  return 0
}
# json_ok FILE PYTHON-EXPRESSION: FILE is one JSON document and the
# expression (over `d`) holds.
json_ok() {
  /usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert eval(sys.argv[2]), sys.argv[2]' "$1" "$2" || fail "JSON check '$2' on $1: $(head -c 300 "$1")"
}

write_tiny_scenario

# --- --json on every command that prints results -----------------------------
"$airace" run tiny.yaml -o tiny.h5 --quiet --json > run.json || fail "run --json exited $?"
json_ok run.json 'd["run_file"] == "tiny.h5" and d["summary"]["years"]'
"$airace" validate tiny.yaml --json > validate.json || fail "validate --json exited $?"
json_ok validate.json 'd["valid"] and d["scenario"] == "tiny" and d["end_year"] == 2023'
"$airace" inspect tiny.h5 --json > inspect.json || fail "inspect --json exited $?"
json_ok inspect.json 'd["scenario"] == "tiny" and "summary" in d'
"$airace" keys --json > keys.json || fail "keys --json exited $?"
json_ok keys.json 'any(k["key"] == "labs.count" and k["range"] == [1, 1e7] and k["unit"] and k["type"] == "integer" and k["start_only"] is True and k["default"] > 0 for k in d["keys"])'
json_ok keys.json 'any(k["key"] == "synthetic.mode" and k["choices"] and k["range"] is None for k in d["keys"])'
json_ok keys.json 'any(k["key"].startswith("influencers[].") for k in d["keys"])'
"$airace" replay tiny.h5 --json > replay.json || fail "replay --json exited $?"
json_ok replay.json 'd["match"] is True and d["compared"] == "hashes" and d["difference"] is None and d["steps_compared"] > 0'
"$airace" fork tiny.h5 --at 2022 --set investors.herding=0.5 -o fork.h5 --json > fork.json || fail "fork --json exited $?"
json_ok fork.json 'd["run_file"] == "fork.h5" and d["fork_step"] == 8'
cat > grid.yaml <<'YAML'
sweep:
  name: tiny_grid
  base: tiny.yaml
  design: grid
  seeds: [1]
  metrics: [frontier_capability]
  parameters:
    - key: investors.herding
      values: [0.1, 0.4]
YAML
"$airace" sweep grid.yaml -o sw --quiet --json > sweep.json || fail "sweep --json exited $?"
json_ok sweep.json 'd["selected"] == 2 and d["done"] == 2 and d["failed"] == 0 and d["failed_ids"] == []'
"$airace" sweep merge sw -o sw/sweep.h5 --json > merge.json || fail "sweep merge --json exited $?"
json_ok merge.json 'd["runs"] == 2 and d["complete"] == 2'
"$airace" inspect sw/sweep.h5 --json > inspect_sweep.json || fail "inspect SWEEP.h5 --json exited $?"
json_ok inspect_sweep.json 'd["format"] == "airace-sweep" and d["runs"]["complete"] == 2 and d["parameters"][0]["key"] == "investors.herding" and d["metrics"][0]["name"] == "frontier_capability"'
# validate --json on a bad file: the problems as JSON on stdout, exit 2.
printf 'scenario:\n  name: t\nlabs:\n  cuont: 5\n' > typo.yaml
"$airace" validate typo.yaml --json > bad.json 2> /dev/null; [ $? -eq 2 ] || fail "validate --json of a bad file: not exit 2"
json_ok bad.json 'd["valid"] is False and "labs.cuont" in d["errors"][0]'

# --- keys shows a range column --------------------------------------------------
"$airace" keys > keys.txt || fail "keys exited $?"
head -1 keys.txt | grep -q 'key  *default  *range  *unit  *meaning' || fail "keys header: $(head -1 keys.txt)"
grep -Eq '^labs\.count +[0-9]+ +1 \.\. 10000000 +agents ' keys.txt || fail "keys lacks labs.count's range: $(grep '^labs.count ' keys.txt)"
grep -q '^synthetic\.mode .*off, accumulate, replace' keys.txt || fail "keys lacks synthetic.mode's choices"

# --- usage errors: airace: error:, exit 2 ---------------------------------------
expect_error "The following argument was not expected: --frobnicate" -- "$airace" run tiny.yaml --frobnicate
expect_error "airace run: .*--seed" -- "$airace" run tiny.yaml --seed
expect_error "airace run: scenario is required" -- "$airace" run
expect_error "airace: .*frobnicate" -- "$airace" frobnicate
expect_error "A subcommand is required" -- "$airace"
expect_error "airace inspect: .*--jsn" -- "$airace" inspect tiny.h5 --jsn
expect_error "--threads: expected an integer" -- "$airace" run tiny.yaml --threads two
expect_error "--file-locking" -- "$airace" --file-locking sometimes validate tiny.yaml
expect_error "excludes" -- "$airace" keys --json --markdown
expect 0 "Usage" -- "$airace" run --help
expect 0 "airace " -- "$airace" --version

# --- numbers checked like the keys they stand for -----------------------------------
for seed in -1 99999999999999999999 1.5 nan 0x10; do
  expect_error "--seed: expected an integer in \[0, 9000000000000000\].*scenario.seed" -- "$airace" run tiny.yaml -o s.h5 --seed "$seed"
done
test ! -e s.h5 || fail "a refused --seed left s.h5"
expect 0 '"seed":9000000000000000' -- "$airace" run tiny.yaml -o big.h5 --quiet --json --seed 9e15
for threads in 0 -2 4097; do
  expect_error "--threads: expected an integer in \[1, 4096\]" -- "$airace" run tiny.yaml -o s.h5 --threads "$threads"
  expect_error "--threads" -- "$airace" replay tiny.h5 --threads "$threads"
done
expect_error "--index: expected an integer" -- "$airace" sweep grid.yaml -o sw2 --index -1
expect_error "--run-timeout: expected a number" -- "$airace" sweep grid.yaml -o sw2 --run-timeout nan
expect_error "--run-timeout: expected a number" -- "$airace" sweep grid.yaml -o sw2 --run-timeout -5
expect_error "--jobs: expected an integer" -- "$airace" sweep grid.yaml -o sw2 --jobs 0
expect_error "--checkpoint-every: expected an integer" -- "$airace" run tiny.yaml --checkpoint-every -1
test ! -e sw2 || fail "a refused sweep option left sw2"

# --- every problem of a file at once ---------------------------------------------
cat > three.yaml <<'YAML'
scenario:
  name: three
labs:
  cuont: 5
  frontier_count: many
investors:
  count: -3
YAML
expect_error "three.yaml:4:3: labs.cuont: unknown key; did you mean 'labs.count'" -- "$airace" validate three.yaml
grep -q "three.yaml:5:19: labs.frontier_count: expected an integer" err.txt || fail "second problem missing: $(cat err.txt)"
grep -q "three.yaml:7:10: investors.count: expected an integer" err.txt || fail "third problem missing: $(cat err.txt)"
[ "$(wc -l < err.txt)" -eq 3 ] || fail "three problems, not $(wc -l < err.txt) lines: $(cat err.txt)"
expect_error "three.yaml:4:3" -- "$airace" run three.yaml -o three.h5
test ! -e three.h5 || fail "an invalid scenario left three.h5"
cat > three_sweep.yaml <<'YAML'
sweep:
  name: bad sweep
  base: tiny.yaml
  design: gird
  seeds: [1]
  metrics: [frontier_capability]
  parameters:
    - key: investors.hearding
      values: [0.1]
YAML
expect_error "three_sweep.yaml:2:9: sweep.name" -- "$airace" sweep three_sweep.yaml -o sw3
grep -q "three_sweep.yaml:4:11: sweep.design: .*did you mean 'grid'" err.txt || fail "sweep design problem missing: $(cat err.txt)"
grep -q "three_sweep.yaml:8:12: sweep.parameters.0.key" err.txt || fail "sweep key problem missing: $(cat err.txt)"

# --- examples in every command's --help ---------------------------------------
"$airace" completion bash > airace.bash || fail "completion bash exited $?"
commands=$(bash -c 'source airace.bash; _airace_subcommands ""')
for cmd in $commands "sweep merge" "sweep slurm"; do
  # shellcheck disable=SC2086
  "$airace" $cmd --help > help.txt 2>&1 || fail "airace $cmd --help exited $?"
  grep -q '^Examples:' help.txt && grep -q '^  airace ' help.txt ||
    fail "airace $cmd --help shows no examples (add them with examples(), tools/cli_support.hpp)"
done
"$airace" --help | grep -c '^Examples:' > /dev/null || fail "airace --help shows no examples"

# --- bash completion -------------------------------------------------------------
bash -n airace.bash || fail "the completion script is not valid bash"
# complete_words WORD...: what bash completes for the last word. (Its output
# goes to grep -c, not grep -q, which would stop reading early: under
# pipefail the writer's SIGPIPE would fail the check.)
complete_words() {
  bash -c 'source airace.bash; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _airace; printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}
complete_words airace sw | grep -cx sweep > /dev/null || fail "completion: 'airace sw' does not give sweep"
complete_words airace in | grep -cx init > /dev/null || fail "completion: 'airace in' does not give init"
complete_words airace sweep me | grep -cx merge > /dev/null || fail "completion: 'airace sweep me' does not give merge"
complete_words airace run tiny.yaml --se | grep -cx -- --seed > /dev/null || fail "completion: 'airace run --se' does not give --seed"
complete_words airace run --network-snapshots "" | grep -cx final > /dev/null || fail "completion: --network-snapshots choices"
complete_words airace inspect ti | grep -cx tiny.h5 > /dev/null || fail "completion: file names"
complete_words airace "" | grep -cx completion > /dev/null && fail "completion: the hidden completion command is offered"

# --- man page --------------------------------------------------------------------
"$airace" man > airace.1 || fail "man exited $?"
for section in '^\.TH AIRACE 1' '^\.SH NAME' '^\.SH SYNOPSIS' '^\.SH COMMANDS' '^\.SH EXIT STATUS' \
               '^\.SS "airace run"' '^\.SS "airace sweep merge"' '^\.SS "airace init"'; do
  grep -q "$section" airace.1 || fail "man page lacks $section"
done
if command -v groff > /dev/null; then
  groff -man -Tutf8 -ww airace.1 > man.txt 2> groff.err || fail "groff exited $?"
  [ -s groff.err ] && fail "groff warnings: $(head -5 groff.err)"
  grep -q 'checkpoint.*every' man.txt || fail "rendered man page lacks --checkpoint-every"
else
  echo "groff not installed: man page structure checked only"
fi

# --- cmake --install: binary, completion, man page, baseline ---------------------
build=$(dirname "$airace")
if [ -f "$build/cmake_install.cmake" ]; then
  cmake --install "$build" --prefix "$scratch/prefix" > install.log 2>&1 || { fail "cmake --install:"; cat install.log; }
  for f in bin/airace share/bash-completion/completions/airace share/man/man1/airace.1 \
           share/airace/configs/baseline.yaml; do
    test -f "prefix/$f" || fail "cmake --install did not install $f"
  done
  cmp -s prefix/share/bash-completion/completions/airace airace.bash || fail "installed completion differs"
  # The installed binary finds the installed baseline from any folder.
  mkdir -p elsewhere
  (cd elsewhere && "$scratch/prefix/bin/airace" init far > /dev/null && "$scratch/prefix/bin/airace" validate far.yaml > /dev/null) ||
    fail "the installed airace's init/validate failed"
fi

# --- airace init -------------------------------------------------------------------
mkdir -p proj && cd proj
ln -s "$source/configs" configs
expect 0 "my_scenario.yaml" -- "$airace" init my_scenario
expect 0 "valid scenario 'my_scenario'" -- "$airace" validate my_scenario.yaml
grep -q '^extends: configs/baseline.yaml' my_scenario.yaml || fail "init: extends line: $(grep extends my_scenario.yaml)"
grep -q '^#   count: 50 .*# agents; 1 \.\. 10000000; number of labs' my_scenario.yaml || fail "init: commented labs.count: $(grep count my_scenario.yaml)"
expect_error "my_scenario.yaml: file exists; use --force" -- "$airace" init my_scenario
expect 0 "my_scenario.yaml" -- "$airace" init my_scenario --force
# Uncommenting a shown key keeps the file valid; changing it takes effect.
sed -e 's/^# labs:/labs:/' -e 's/^#   count: 50 /  count: 70 /' my_scenario.yaml > edited.yaml
"$airace" validate edited.yaml --print | grep -c '^  count: 70$' > /dev/null || fail "init: an uncommented key does not validate or act"
mkdir -p sub && expect 0 "sub/deep.yaml" -- "$airace" init sub/deep
grep -q '^extends: ../configs/baseline.yaml' sub/deep.yaml || fail "init: extends relative to the file: $(grep extends sub/deep.yaml)"
expect 0 "valid scenario 'deep'" -- "$airace" validate sub/deep.yaml
expect_error "scenario.name" -- "$airace" init ".hidden"
test ! -e .hidden.yaml || fail "init wrote a scenario with an invalid name"
# The README's first session: its init and validate lines, as written.
rm -f my_scenario.yaml
sed -n '/^## A first session/,/^```$/p' "$source/README.md" | sed -n '/^```sh/,/^```$/p' |
  grep -E '^build/airace (init|validate) ' | sed 's/ *#.*$//' > session.sh
[ "$(wc -l < session.sh)" -eq 2 ] || fail "README's first session: expected its init and validate lines: $(cat session.sh)"
mkdir -p build && ln -sf "$airace" build/airace
bash -e session.sh > session.out 2>&1 || { fail "README's first session failed:"; cat session.out; }
cd ..

finish
