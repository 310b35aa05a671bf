#!/usr/bin/python3
"""Run files of airace 0.2.0 and earlier stay readable: their /file_checksum
is FNV-1a 64 (no `algorithm` attribute) and their /network/edges rows are 40
bytes (kinds and types int32, agents int64). A file of this airace is turned
into one (h5py, then sealed with FNV-1a as the old writers did); airace
inspect reads it, replay --verify compares every dataset of it (the edges
among them) with a fresh replay, and the Python package verifies and reads
it. A checksum naming an algorithm nobody knows is refused with exit code 2,
by airace and by the package.

Usage: test_old_files.py AIRACE_BINARY SOURCE_DIR SCRATCH_DIR
"""
import os
import shutil
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helper import Checks, reseal, test_setup, SMALL_SCENARIO  # noqa: E402

airace_bin, source, scratch = test_setup(sys.argv)
import airace  # noqa: E402

check = Checks()

scenario = os.path.join(scratch, "small.yaml")
with open(scenario, "w") as out:
    out.write(SMALL_SCENARIO.format(name="old_files"))
new_path = os.path.join(scratch, "new.h5")
subprocess.run([airace_bin, "run", scenario, "-o", new_path, "--force", "--quiet"], check=True)

with h5py.File(new_path, "r") as f:
    checksum = f["file_checksum"]
    check(bytes(checksum.attrs["algorithm"]) == b"xxh3-64", "new files name their checksum: xxh3-64")
    edges = f["network/edges"][:]
    check(edges.dtype.itemsize == 23 and edges.dtype["src"] == np.dtype("<i4")
          and edges.dtype["type"] == np.dtype("i1"), f"new edge rows are 23 bytes ({edges.dtype})")
    check(len(edges) > 0, "the small run has graph snapshots")
check(airace.verify_checksum(new_path), "the package verifies an XXH3 checksum")

OLD_EDGE = np.dtype([("step", "<i4"), ("src_kind", "<i4"), ("src", "<i8"), ("dst_kind", "<i4"),
                     ("dst", "<i8"), ("type", "<i4"), ("weight", "<f8")])


def reseal_fnv(path):
    reseal(path, "fnv1a-64")


# An old file: FNV-1a, no attribute, 40-byte edges with the same values.
old_path = os.path.join(scratch, "old.h5")
shutil.copyfile(new_path, old_path)
with h5py.File(old_path, "r+") as f:
    del f["file_checksum"].attrs["algorithm"]
    network = f["network"]
    attributes = dict(network["edges"].attrs)
    rows = network["edges"][:]
    del network["edges"]
    old = np.empty(len(rows), dtype=OLD_EDGE)
    for name in OLD_EDGE.names:
        old[name] = rows[name]
    dataset = network.create_dataset("edges", data=old, maxshape=(None,), chunks=True,
                                      compression="gzip", shuffle=True)
    for key, value in attributes.items():
        dataset.attrs[key] = value
reseal_fnv(old_path)

with h5py.File(old_path, "r") as f:
    check("algorithm" not in f["file_checksum"].attrs and f["network/edges"].dtype.itemsize == 40,
          "the old file has no algorithm attribute and 40-byte edges")
check(airace.verify_checksum(old_path), "the package verifies an FNV-1a checksum")
inspected = subprocess.run([airace_bin, "inspect", old_path], capture_output=True, text=True)
check(inspected.returncode == 0, f"airace inspect reads the old file: {inspected.stderr.strip()}")
verified = subprocess.run([airace_bin, "replay", old_path, "--verify"], capture_output=True, text=True)
check(verified.returncode == 0,
      f"replay --verify of the old file matches, edges included: {verified.stdout[-300:]} {verified.stderr[-300:]}")
with airace.open(old_path, verify=True) as old_run, airace.open(new_path) as new_run:
    old_edges, new_edges = old_run.edges(), new_run.edges()
    check(old_edges.equals(new_edges), "the package reads the old file's edges as the new file's")

# A checksum under an algorithm nobody knows.
odd_path = os.path.join(scratch, "odd.h5")
shutil.copyfile(new_path, odd_path)
with h5py.File(odd_path, "r+") as f:
    del f["file_checksum"].attrs["algorithm"]
    f["file_checksum"].attrs.create("algorithm", np.bytes_("sha-999"), dtype="S7")
reseal_fnv(odd_path)
refused = subprocess.run([airace_bin, "inspect", odd_path], capture_output=True, text=True)
check(refused.returncode == 2 and "sha-999" in refused.stderr and "algorithm" in refused.stderr,
      f"an unknown checksum algorithm is refused with exit 2 ({refused.returncode}: {refused.stderr.strip()})")
try:
    airace.verify_checksum(odd_path)
    check(False, "the package refuses an unknown checksum algorithm")
except airace.AiraceFileError as error:
    check("sha-999" in str(error), f"the package names the unknown algorithm: {error}")

check.finish("old run files (FNV-1a checksum, 40-byte edges) read; unknown checksum algorithms refused")
