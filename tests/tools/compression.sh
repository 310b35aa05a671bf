#!/usr/bin/env bash
# `airace --compression none` writes unfiltered chunks: the same data as the
# default deflated file (h5diff), no deflate filter, a larger file, and the
# replay of either verifies. Usage: compression.sh AIRACE SOURCE SCRATCH
set -euo pipefail
airace=$1; source=$2; scratch=$3
rm -rf "$scratch"; mkdir -p "$scratch"; cd "$scratch"
export SOURCE_DATE_EPOCH=1700000000
scenario="$source/configs/baseline.yaml"
opts=(--set time.end_year=2023 --quiet --force)
"$airace" run "$scenario" -o deflated.h5 "${opts[@]}"
"$airace" --compression none run "$scenario" -o unfiltered.h5 "${opts[@]}"
# The global option is accepted after the command too.
"$airace" run "$scenario" -o unfiltered2.h5 "${opts[@]}" --compression none
cmp unfiltered.h5 unfiltered2.h5
# Same objects and values (only the whole-file checksum differs).
diff_out=$(h5diff -c deflated.h5 unfiltered.h5 | grep -v "Not comparable" | grep -v "^$" || true)
if [ -n "$(echo "$diff_out" | grep -v "file_checksum\|differences found")" ]; then
  echo "FAIL: data differ between deflated and unfiltered files:"; echo "$diff_out"; exit 1
fi
h5ls -v deflated.h5/labs/cash | grep -q "deflate" || { echo "FAIL: default file is not deflated"; exit 1; }
if h5ls -v unfiltered.h5/labs/cash | grep -q "deflate\|shuffle"; then
  echo "FAIL: --compression none left filters on"; exit 1
fi
deflated_size=$(stat -c %s deflated.h5); unfiltered_size=$(stat -c %s unfiltered.h5)
[ "$unfiltered_size" -gt "$deflated_size" ] || { echo "FAIL: unfiltered $unfiltered_size <= deflated $deflated_size"; exit 1; }
"$airace" replay unfiltered.h5 --verify --quiet
"$airace" inspect unfiltered.h5 > /dev/null
# A bad value is bad input.
set +e
"$airace" --compression lz4 run "$scenario" -o bad.h5 "${opts[@]}" 2> err.txt; code=$?
set -e
[ "$code" -eq 2 ] && grep -q "compression" err.txt || { echo "FAIL: --compression lz4 exited $code"; cat err.txt; exit 1; }
[ ! -e bad.h5 ] || { echo "FAIL: bad.h5 written"; exit 1; }
echo "compression: deflated $deflated_size bytes, unfiltered $unfiltered_size bytes"
