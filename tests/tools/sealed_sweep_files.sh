#!/usr/bin/env bash
# Merged sweep and ensemble files are sealed like run files, and every
# reader checks them (docs/reliability.md): a byte flipped anywhere in one is
# refused with exit code 2 by inspect, compare, fork and report, and by the
# Python package; a run file copied over another run's id is not taken for
# it (resume runs it again, merge records it as failed); a file crafted to
# claim a billion rows or a wrong shape is refused at once, with exit 2,
# by the C++ and the Python readers alike.
# Usage: sealed_sweep_files.sh AIRACE SOURCE SCRATCH
set -uo pipefail
airace=$1; source=$2; scratch=$3
source "$source/tests/tools/lib/cli_test.sh"
enter_scratch
write_tiny_scenario
export PYTHONPATH="$source/tools/python${PYTHONPATH:+:$PYTHONPATH}"
python=/usr/bin/python3

# expect CODE WHAT -- COMMAND...: COMMAND exits CODE and, for 2, says "airace: error:".
expect() {
  local want=$1 what=$2; shift 3
  "$@" > out.txt 2> err.txt; local code=$?
  [ $code -eq "$want" ] || { fail "$what exited $code (want $want): $(head -c 400 err.txt)"; return; }
  if [ "$want" -eq 2 ]; then grep -q "^airace: error: " err.txt || fail "$what: no 'airace: error:' line: $(head -c 400 err.txt)"; fi
}

# flip FILE OFFSET: a copy of FILE as flipped.h5 with the byte at OFFSET inverted.
flip() {
  cp "$1" flipped.h5
  $python -c 'import sys
f = open("flipped.h5", "r+b"); f.seek(int(sys.argv[1])); b = f.read(1); f.seek(int(sys.argv[1]))
f.write(bytes([b[0] ^ 0xff])); f.close()' "$2"
}

# py_refuses FILE: the Python package refuses FILE with AiraceFileError.
py_refuses() {
  $python -c 'import sys, airace
try:
    with airace.open(sys.argv[1]) as f:
        pass
except airace.AiraceFileError as error:
    sys.exit(2)
sys.exit(0)' "$1" > /dev/null 2> py_err.txt
}

# --- an ensemble and a merged grid sweep ---------------------------------------
"$airace" run tiny.yaml --seeds 2 -o ens.h5 --quiet --checkpoint-every 4 || fail "the ensemble did not run"
write_herding_grid grid.yaml grid 0.1 0.5
"$airace" sweep grid.yaml -o g --quiet --checkpoint-every 0 > /dev/null || fail "the sweep did not run"
"$airace" sweep merge g -o g.h5 > /dev/null || fail "the sweep did not merge"
for f in ens.h5 g.h5; do
  expect 0 "inspect $f" -- "$airace" inspect "$f"
  $python -c 'import sys, airace; airace.open(sys.argv[1]).close()' "$f" || fail "the Python package refuses a sound $f"
done

# --- every byte flip is refused ------------------------------------------------
for f in ens.h5 g.h5; do
  size=$(stat -c %s "$f")
  refused=0; tried=0
  for i in $(seq 0 15); do
    offset=$(( (size - 1) * i / 15 ))
    flip "$f" "$offset"; tried=$((tried + 1))
    "$airace" inspect flipped.h5 > /dev/null 2> err.txt; code=$?
    if [ $code -eq 2 ]; then refused=$((refused + 1)); else fail "inspect of $f flipped at byte $offset exited $code"; fi
    py_refuses flipped.h5; code=$?
    [ $code -eq 2 ] || fail "the Python package read $f flipped at byte $offset (exit $code): $(tail -n 2 py_err.txt)"
  done
  [ $refused -eq $tried ] || fail "$f: $refused of $tried flips refused by inspect"
done
# A flip in the middle of the data (not in HDF5's own checksummed metadata).
size=$(stat -c %s ens.h5)
flip ens.h5 $((size / 2))
expect 2 "inspect --json of a flipped ensemble" -- "$airace" inspect flipped.h5 --json
grep -q "do not match /file_checksum\|damaged" err.txt || fail "inspect does not say the file is damaged: $(cat err.txt)"
expect 2 "compare of a flipped ensemble" -- "$airace" compare ens.h5 flipped.h5
expect 2 "fork of a flipped ensemble" -- "$airace" fork flipped.h5 --at 2022 -o forked.h5 --quiet
[ -e forked.h5 ] && fail "fork of a damaged ensemble wrote forked.h5"
expect 2 "report of a flipped ensemble" -- "$airace" report flipped.h5 -o flipped.html
[ -e flipped.html ] && fail "report of a damaged ensemble wrote a page"
expect 2 "report.py of a flipped ensemble" -- $python "$source/tools/python/report.py" flipped.h5 -o flipped.html

# --- a run file copied over another run's id -----------------------------------
cp g/runs/p00000-r0.h5 g/runs/p00001-r0.h5
expect 0 "merge with a run copied over another id" -- "$airace" sweep merge g -o copied.h5 --json
grep -q '"complete":1,"failed":1' out.txt || fail "merge took the copied run file for its id: $(cat out.txt)"
"$airace" inspect copied.h5 > out.txt 2>&1
grep -q "p00001-r0: .*it is run p00000-r0 (sweep_run_id), not p00001-r0" out.txt \
  || fail "inspect does not name the copied run: $(cat out.txt)"
expect 0 "resume with a run copied over another id" -- "$airace" sweep grid.yaml -o g --resume --quiet --json
grep -q '"done":1' out.txt || fail "resume did not run the copied run again: $(cat out.txt)"
expect 0 "merge after the resume" -- "$airace" sweep merge g -o g2.h5 --json
grep -q '"complete":2,"failed":0' out.txt || fail "the resumed sweep does not merge complete: $(cat out.txt)"

# --- crafted files: a billion rows, a wrong shape (sealed again) ---------------
# reseal SOURCE TARGET EDIT: copies SOURCE, applies the Python EDIT to its h5py
# file f, and seals it again, as a file crafted on purpose would be.
reseal() {
  cp "$1" "$2"
  $python - "$2" "$3" "$source/tests/python" <<'PY'
import sys, h5py, numpy as np
path, edit = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
from sweep_helper import reseal
with h5py.File(path, "r+") as f:
    exec(edit)
reseal(path)
PY
}
billion='name = next(iter(f["aggregates"])); del f["aggregates"][name]
f["aggregates"].create_dataset(name, shape=(1000000000,), dtype="f8", chunks=(1 << 16,))'
wrong='name = next(iter(f["aggregates"])); data = f["aggregates"][name][...]; del f["aggregates"][name]
f["aggregates"][name] = np.zeros((data.shape[0], data.shape[1] + 3) if data.ndim == 2 else (data.shape[0] + 3,))'
reseal g/runs/p00000-r0.h5 huge-run.h5 "$billion"
reseal ens.h5 huge-ens.h5 "$billion"
reseal g.h5 wrong-sweep.h5 "$wrong"
reseal g/runs/p00000-r0.h5 wrong-run.h5 "$wrong"
for f in huge-run.h5 huge-ens.h5 wrong-sweep.h5 wrong-run.h5; do
  expect 2 "inspect of $f" -- timeout 60 "$airace" inspect "$f"
  expect 2 "report of $f" -- timeout 60 "$airace" report "$f" -o crafted.html
  expect 2 "report.py of $f" -- timeout 60 $python "$source/tools/python/report.py" "$f" -o crafted.html
  grep -q "damaged or inconsistent" err.txt || fail "report.py does not say $f is inconsistent: $(head -c 400 err.txt)"
  py_refuses "$f"; code=$?
  [ $code -eq 2 ] || fail "the Python package opened $f (exit $code): $(tail -n 2 py_err.txt)"
done
[ -e crafted.html ] && fail "a report of a crafted file was written"

finish
