"""Read airace run files (and sweep files) into pandas.

Needs h5py, pandas and numpy only: Debian's python3-h5py and python3-pandas,
which install for /usr/bin/python3 (a pyenv python3 first on PATH does not
see them). The layout is docs/output-schema.md (run files) and
docs/sweeps.md (sweep files).

    import airace_h5
    run = airace_h5.open_file("output/runs/baseline.h5")
    agg = run.aggregates()                    # DataFrame, index: time (decimal year)
    cash = run.wide("labs", "cash")           # [time x lab name]
    labs = run.long("labs")                   # one row per (time, lab)
    events = run.events()                     # type, agent and other names resolved
    edges = run.snapshots()                   # {year: DataFrame of edges}

Every failure to recognise a file raises AiraceFileError, whose message names
the file and says what is wrong. The reader's parts: airace_h5_run.py
(RunFile), airace_h5_sweep.py (SweepFile) and airace_h5_common.py (what
they share); import them all as airace_h5.
"""

from __future__ import annotations

from airace_h5_common import (INSTRUMENT_EVENTS, INSTRUMENTS, RUN_FORMAT, RUN_SCHEMA_VERSION,
                              SWEEP_FORMAT, SWEEP_SCHEMA_VERSION, AiraceFileError, _open_h5, _str)
from airace_h5_run import RunFile
from airace_h5_sweep import SweepFile

__all__ = ["AiraceFileError", "INSTRUMENTS", "INSTRUMENT_EVENTS", "RUN_FORMAT", "RUN_SCHEMA_VERSION",
           "SWEEP_FORMAT", "SWEEP_SCHEMA_VERSION", "RunFile", "SweepFile", "file_format", "open_file",
           "read_run", "verify_checksum"]


def file_format(path: str) -> str:
    """The `format` root attribute of an HDF5 file ('' when it has none)."""
    with _open_h5(path, "run or sweep file") as f:
        return _str(f.attrs.get("format", ""))


def open_file(path: str):
    """Open a run file (RunFile) or a sweep file (SweepFile), by its format."""
    fmt = file_format(path)
    if fmt == RUN_FORMAT:
        return RunFile(path)
    if fmt == SWEEP_FORMAT:
        return SweepFile(path)
    if not fmt:
        raise AiraceFileError(f"{path}: not an airace run or sweep file (no 'format' attribute)")
    raise AiraceFileError(f"{path}: not an airace run or sweep file (format '{fmt}'; expected "
                          f"'{RUN_FORMAT}' or '{SWEEP_FORMAT}')")


def read_run(path: str) -> "RunFile":
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
    data = bytearray(open(path, "rb").read())
    data[offset:offset + 8] = bytes(8)
    h = 0xcbf29ce484222325
    prime = 0x100000001b3
    mask = 0xFFFFFFFFFFFFFFFF
    for byte in data:
        h = ((h ^ byte) * prime) & mask
    return h == stored
