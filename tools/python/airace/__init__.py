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

from typing import Optional

from ._common import (INSTRUMENT_EVENTS, INSTRUMENTS, RUN_FORMAT, RUN_SCHEMA_VERSION, SWEEP_FORMAT,
                      SWEEP_SCHEMA_VERSION, AiraceFileError, _open_h5, _str)
from ._checks import checksum_matches
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


def open(path: str, verify: Optional[bool] = None):  # noqa: A001 (airace.open, the entry point)
    """Open a run file (Run), an ensemble (Ensemble: a sweep file of design
    'ensemble') or a sweep file (Sweep), by its format and design, checked
    as the C++ reader checks it (AiraceFileError otherwise). verify: recompute
    the whole-file checksum first (default: for sweep and ensemble files,
    which are small; run files are checked fast by `airace inspect`)."""
    try:
        fmt, design = _probe(path, verify)
    except (KeyError, OSError, RuntimeError, ValueError, TypeError) as error:  # h5py reading damaged bytes
        raise AiraceFileError(f"{path}: damaged or unreadable: {error}") from error
    if fmt == RUN_FORMAT:
        return RunFile(path)
    if fmt == SWEEP_FORMAT:
        return Ensemble(path, False) if design == "ensemble" else SweepFile(path, False)
    if not fmt:
        raise AiraceFileError(f"{path}: not an airace run or sweep file (no 'format' attribute)")
    raise AiraceFileError(f"{path}: not an airace run or sweep file (format '{fmt}'; expected "
                          f"'{RUN_FORMAT}' or '{SWEEP_FORMAT}')")


def _probe(path: str, verify: Optional[bool]):
    """The file's format and design, its checksum checked first when asked
    (by default for sweep files)."""
    with _open_h5(path, "run or sweep file") as f:
        # Link names live in metadata HDF5 checksums itself; attribute strings
        # do not, so a sweep file's checksum is checked before they are read.
        is_sweep = "design" in f and "runs" in f
        if (verify or (verify is None and is_sweep)) and not checksum_matches(f, path):
            raise AiraceFileError(f"{path}: damaged or inconsistent: its bytes do not match "
                                  "/file_checksum")
        return _str(f.attrs.get("format", "")), _str(f.attrs.get("design", ""))


# The reader's name before the package (tools/python/airace_h5.py).
open_file = open


def read_run(path: str) -> RunFile:
    """Open a run file; refuses sweep files and anything else."""
    return RunFile(path)


def verify_checksum(path: str) -> bool:
    """Recompute the file's checksum (XXH3-64, or FNV-1a 64 for files of
    airace 0.2.0 and earlier; docs/output-schema.md, Integrity) and compare
    it with /file_checksum."""
    with _open_h5(path, "run or sweep file") as f:
        return checksum_matches(f, path)
