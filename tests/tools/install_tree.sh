#!/usr/bin/env bash
# `cmake --install` gives a working copy outside the source tree: into a
# temporary prefix, then from a temporary folder the installed binary runs a
# scenario extending the installed baseline, `airace report` draws it with
# the installed report scripts and package (not the source tree's), the
# package imports with the prefix on PYTHONPATH, and the installed example
# (docs/examples/ensemble_analysis.py) runs a small ensemble through it.
# Usage: install_tree.sh AIRACE SOURCE SCRATCH (the build folder is AIRACE's).
set -uo pipefail
airace=$1; source=$2; scratch=$3
source "$source/tests/tools/lib/cli_test.sh"
build=$(cd "$(dirname "$airace")" && pwd)
outside=$(mktemp -d /tmp/airace-install-test.XXXXXX)
trap 'rm -rf "$outside"' EXIT
prefix=$outside/prefix
work=$outside/work
mkdir -p "$work" && cd "$work"

cmake --install "$build" --prefix "$prefix" > install.txt 2>&1 ||
  { cat install.txt; fail "cmake --install"; finish; }
site=$prefix/lib/python3/dist-packages
for file in bin/airace share/airace/configs/baseline.yaml share/airace/python/report.py \
    share/airace/examples/ensemble_analysis.py lib/python3/dist-packages/airace/__init__.py \
    share/bash-completion/completions/airace share/man/man1/airace.1; do
  test -f "$prefix/$file" || fail "cmake --install did not install $file"
done
find "$prefix" -name __pycache__ | grep -q . && fail "cmake --install copied __pycache__ folders"

cat > small.yaml <<YAML
extends: $prefix/share/airace/configs/baseline.yaml
scenario:
  name: small
time:
  end_year: 2023
YAML
"$prefix/bin/airace" run small.yaml -o small.h5 --checkpoint-every 0 --quiet > run.txt 2>&1 ||
  { cat run.txt; fail "installed airace run"; }

# The report from the installed scripts and package: Python's -v output names
# every module file it loads.
PYTHONVERBOSE=1 "$prefix/bin/airace" report small.h5 -o small.html > report.txt 2>&1 ||
  { tail -20 report.txt; fail "installed airace report"; }
test -s small.html || fail "installed airace report wrote no page"
grep -q "$prefix/share/airace/python/report_common.py" report.txt ||
  fail "airace report did not use the installed report scripts"
grep -q "$site/airace/run.py" report.txt || fail "airace report did not use the installed package"
grep -q "$source/tools/python" report.txt && fail "the installed airace report read the source tree"

where=$(cd "$work" && PYTHONPATH=$site /usr/bin/python3 -c "import airace; print(airace.__file__)" 2>&1)
[ "$where" = "$site/airace/__init__.py" ] || fail "import airace with PYTHONPATH=$site: $where"

PATH=$prefix/bin:$PATH PYTHONPATH=$site /usr/bin/python3 \
  "$prefix/share/airace/examples/ensemble_analysis.py" --scenario small.yaml --seeds 3 > example.txt 2>&1 ||
  { cat example.txt; fail "the installed example"; }
for expected in "Ensemble(" "tidy table: 72 rows" "across 3 seeds" "frontier_capability:" \
    "experiments (3, 1) (columns: seed)" "of (3, 12) (runs, steps), with TIME"; do
  grep -qF "$expected" example.txt || { cat example.txt; fail "example output lacks '$expected'"; }
done
finish
