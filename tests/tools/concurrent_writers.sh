#!/usr/bin/env bash
# Two writers of one output (docs/reliability.md): a run file whose lock
# another process holds is refused (exit 2, naming the holder's pid) before
# any work, or waited for with --wait; a sweep's runs held by another
# launcher likewise, while shards that do not overlap run side by side.
# Leftover temporary files of killed writers are removed by the next writer
# that holds the lock. The "other process" is a small Python program that
# holds the same POSIX record lock airace takes, so nothing here depends on
# timing. Usage: concurrent_writers.sh AIRACE SOURCE SCRATCH
set -uo pipefail
airace=$1; source=$2; scratch=$3
source "$source/tests/tools/lib/cli_test.sh"
enter_scratch
write_tiny_scenario

# hold FILE START LENGTH: a process that write-locks bytes [START, START+LENGTH)
# of FILE (LENGTH 0: to the end) until the file ./release exists; sets
# holder to its pid and returns once it holds the lock.
hold() {
  rm -f held release
  /usr/bin/python3 -c '
import fcntl, os, sys, time
f = open(sys.argv[1], "a+")
fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB, int(sys.argv[3]), int(sys.argv[2]))
open("held", "w").close()
for _ in range(6000):
    if os.path.exists("release"):
        break
    time.sleep(0.05)
' "$@" &
  holder=$!
  for _ in $(seq 600); do [ -e held ] && return; kill -0 "$holder" 2> /dev/null || break; sleep 0.1; done
  fail "the lock holder did not start"
}
release() { touch release; wait "$holder"; }

# --- one run file ------------------------------------------------------------
hold a.h5.lock 0 0
"$airace" run tiny.yaml -o a.h5 --quiet --checkpoint-every 0 > out.txt 2> err.txt; code=$?
[ $code -eq 2 ] || fail "a second writer of a.h5 exited $code (want 2): $(cat err.txt)"
grep -q "airace: error: a.h5 is being written by another airace (pid $holder; lock a.h5.lock)" err.txt \
  || fail "the refusal does not name the holder: $(cat err.txt)"
[ -e a.h5 ] && fail "the refused writer wrote a.h5"

# --wait: blocked on the lock (the kernel lists it as waiting) until released.
"$airace" run tiny.yaml -o a.h5 --quiet --checkpoint-every 0 --wait > out.txt 2> err.txt &
waiter=$!
blocked=no
for _ in $(seq 600); do
  grep -q -- "-> POSIX *ADVISORY *WRITE $waiter " /proc/locks && { blocked=yes; break; }
  kill -0 "$waiter" 2> /dev/null || break
  sleep 0.1
done
[ $blocked = yes ] || fail "airace run --wait is not waiting for the lock: $(cat err.txt)"
[ -e a.h5 ] && fail "airace run --wait wrote a.h5 while another process held its lock"
release
wait "$waiter" || fail "airace run --wait exited $? after the lock was released: $(cat err.txt)"
"$airace" inspect a.h5 > /dev/null 2>&1 || fail "the run file written after waiting does not pass inspect"
ls a.h5.* 2> /dev/null | grep -q . && fail "left beside a.h5: $(ls a.h5.*)"

# A killed writer's temporary files are removed by the next writer.
touch b.h5.tmp b.h5.tmp.99999.0badf00d b.h5.partial.tmp.99999.0badf00d
"$airace" run tiny.yaml -o b.h5 --quiet --checkpoint-every 0 || fail "run over stale temporary files exited $?"
ls b.h5.* 2> /dev/null | grep -q . && fail "stale temporary files left: $(ls b.h5.*)"

# Many writers at once, each with --force: every one succeeds in turn and
# the file left is whole (before the lock, they shared one temporary name).
for i in 1 2 3 4; do
  "$airace" run tiny.yaml -o c.h5 --quiet --checkpoint-every 0 --force --wait --seed $i > /dev/null 2> err$i.txt &
  pids[$i]=$!
done
for i in 1 2 3 4; do wait "${pids[$i]}" || fail "concurrent writer $i exited $?: $(cat err$i.txt)"; done
"$airace" inspect c.h5 > /dev/null 2>&1 || fail "c.h5 after four concurrent writers does not pass inspect"
ls c.h5.* 2> /dev/null | grep -q . && fail "left beside c.h5: $(ls c.h5.*)"

# --- a sweep directory --------------------------------------------------------
write_herding_grid grid.yaml grid 0.1 0.2 0.3 0.4
mkdir -p s
hold s/sweep.lock 1 1  # another launcher runs run 1
"$airace" sweep grid.yaml -o s --quiet > out.txt 2> err.txt; code=$?
[ $code -eq 2 ] || fail "a sweep over a held run exited $code (want 2): $(cat err.txt)"
grep -q "airace: error: s: run p00001-r0 is being run by another airace sweep (pid $holder" err.txt \
  || fail "the sweep's refusal does not name the run and holder: $(cat err.txt)"
ls s/runs/*.h5 2> /dev/null | grep -q . && fail "the refused sweep wrote runs: $(ls s/runs)"
"$airace" sweep grid.yaml -o s --quiet --shard 0/2 > out.txt 2> err.txt \
  || fail "a shard beside the held run exited $?: $(cat err.txt)"
[ -f s/runs/p00000-r0.h5 ] && [ -f s/runs/p00002-r0.h5 ] || fail "shard 0/2 did not write its runs: $(ls s/runs)"
release
touch s/runs/p00001-r0.h5.tmp.99999.0badf00d  # a killed launcher's leftover
"$airace" sweep grid.yaml -o s --quiet --resume > out.txt 2> err.txt || fail "the resumed sweep exited $?: $(cat err.txt)"
[ "$(ls s/runs | sort | tr '\n' ' ')" = "p00000-r0.h5 p00001-r0.h5 p00002-r0.h5 p00003-r0.h5 " ] \
  || fail "after the sweep, runs/ holds: $(ls s/runs)"

finish
