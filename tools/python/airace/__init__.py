"""airace: read airace run, ensemble and sweep files into pandas.

Needs h5py, pandas and numpy only: Debian's python3-h5py and python3-pandas,
which install for /usr/bin/python3 (a pyenv python3 first on PATH does not
see them). `cmake --install` puts this package in
PREFIX/lib/python3/dist-packages (on /usr/bin/python3's path for the
prefixes /usr and /usr/local; otherwise add it to PYTHONPATH); in the source
tree it is tools/python/airace. The layout of the files is
docs/output-schema.md (run files) and docs/sweeps.md (sweep and ensemble
files); the analyst's guide is docs/analysis.md.

    import airace
    run = airace.open("output/runs/baseline.h5")     # a Run
    run.tidy()                                       # run_id, scenario, seed, step, time, metric, value
    agg = run.aggregates()                           # DataFrame, index: time (decimal year)
    labs = run.long("labs")                          # one row per (time, lab)
    ens = airace.open("baseline_ens.h5")             # an Ensemble (airace run --seeds N)
    ens.statistics()                                 # metric, step, time, mean, se, q05, median, q95, runs
    sweep = airace.open("sweep.h5")                  # a Sweep (airace sweep merge)
    experiments, outcomes = sweep.experiments(), sweep.outcomes()   # EMA Workbench's pair

Every failure to recognise a file raises AiraceFileError, whose message names
the file and says what is wrong. The package's parts: run.py (Run),
sweep.py (Sweep), ensemble.py (Ensemble) and _common.py (what they share).
"""

from __future__ import annotations

import io

from ._common import (INSTRUMENT_EVENTS, INSTRUMENTS, RUN_FORMAT, RUN_SCHEMA_VERSION, SWEEP_FORMAT,
                      SWEEP_SCHEMA_VERSION, AiraceFileError, _open_h5, _str)
from .ensemble import STATISTICS, Ensemble
from .run import RunFile
from .sweep import SweepFile

Run = RunFile
Sweep = SweepFile

__all__ = ["AiraceFileError", "Ensemble", "INSTRUMENTS", "INSTRUMENT_EVENTS", "RUN_FORMAT",
           "RUN_SCHEMA_VERSION", "Run", "RunFile", "STATISTICS", "SWEEP_FORMAT", "SWEEP_SCHEMA_VERSION",
           "Sweep", "SweepFile", "file_format", "open", "open_file", "read_run", "verify_checksum"]


def file_format(path: str) -> str:
    """The `format` root attribute of an HDF5 file ('' when it has none)."""
    with _open_h5(path, "run or sweep file") as f:
        return _str(f.attrs.get("format", ""))


def open(path: str):  # noqa: A001 (airace.open, as the package's entry point)
    """Open a run file (Run), an ensemble (Ensemble: a sweep file of design
    'ensemble') or a sweep file (Sweep), by its format and design."""
    with _open_h5(path, "run or sweep file") as f:
        fmt = _str(f.attrs.get("format", ""))
        design = _str(f.attrs.get("design", ""))
    if fmt == RUN_FORMAT:
        return RunFile(path)
    if fmt == SWEEP_FORMAT:
        return Ensemble(path) if design == "ensemble" else SweepFile(path)
    if not fmt:
        raise AiraceFileError(f"{path}: not an airace run or sweep file (no 'format' attribute)")
    raise AiraceFileError(f"{path}: not an airace run or sweep file (format '{fmt}'; expected "
                          f"'{RUN_FORMAT}' or '{SWEEP_FORMAT}')")


# The reader's name before the package (tools/python/airace_h5.py).
open_file = open


def read_run(path: str) -> RunFile:
    """Open a run file; refuses sweep files and anything else."""
    return RunFile(path)


def verify_checksum(path: str) -> bool:
    """Recompute the file's FNV-1a checksum (docs/output-schema.md, Integrity) and
    compare it with /file_checksum. Pure Python: about a second per few MB."""
    with _open_h5(path, "run file") as f:
        if "file_checksum" not in f:
            raise AiraceFileError(f"{path}: no /file_checksum")
        stored = int(f["file_checksum"][()])
        offset = f["file_checksum"].id.get_offset()
    with io.open(path, "rb") as handle:
        data = bytearray(handle.read())
    data[offset:offset + 8] = bytes(8)
    h = 0xcbf29ce484222325
    prime = 0x100000001b3
    mask = 0xFFFFFFFFFFFFFFFF
    for byte in data:
        h = ((h ^ byte) * prime) & mask
    return h == stored
