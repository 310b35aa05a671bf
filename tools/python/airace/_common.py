"""What the package's run and sweep files share: the formats and schema
versions read, the error for files it refuses, opening an HDF5 file with
clear errors, the format check, and a base class for the open file's life
cycle. Import the package as airace; this module is its part."""

from __future__ import annotations

import os
from typing import Iterable, List

import h5py
import numpy as np

RUN_FORMAT = "airace-run"
RUN_SCHEMA_VERSION = 1
SWEEP_FORMAT = "airace-sweep"
SWEEP_SCHEMA_VERSION = 1

# Codes of regulatory instruments in the `amount` field of `policy`,
# `instrument_on` and `instrument_off` events (agents/regulator.hpp,
# enum Instrument). A `policy` event with amount -1 sets a new base
# stringency instead of an instrument.
INSTRUMENTS = ["compute_threshold", "training_cap", "copyright", "power_permitting",
               "export_controls"]
INSTRUMENT_EVENTS = ("policy", "instrument_on", "instrument_off")


class AiraceFileError(Exception):
    """A file that is missing, not HDF5, not an airace file, or of another schema."""


def _str(value) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)


def _strings(values: Iterable) -> List[str]:
    return [_str(v) for v in values]


def _attr_value(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [_attr_value(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _open_h5(path: str, what: str) -> h5py.File:
    if not os.path.exists(path):
        raise AiraceFileError(f"{path}: cannot open {what}: no such file")
    if os.path.isdir(path):
        raise AiraceFileError(f"{path}: cannot open {what}: is a directory")
    try:
        with open(path, "rb") as handle:
            signature = handle.read(8)
    except OSError as error:
        raise AiraceFileError(f"{path}: cannot open {what}: {error.strerror}") from error
    if signature != b"\x89HDF\r\n\x1a\n":
        raise AiraceFileError(f"{path}: not an HDF5 file (expected an airace {what})")
    try:
        # Default file locking, so that h5py.File(path) elsewhere in the same
        # process still opens it; on NFS/Lustre set HDF5_USE_FILE_LOCKING=FALSE.
        return h5py.File(path, "r")
    except OSError as error:
        raise AiraceFileError(f"{path}: cannot open {what}: {error}") from error


def _check_format(f: h5py.File, path: str, expected: str, version: int, what: str) -> None:
    fmt = _str(f.attrs.get("format", ""))
    if fmt != expected:
        shown = f"format '{fmt}'" if fmt else "no 'format' attribute"
        raise AiraceFileError(f"{path}: not an {what} ({shown}; expected '{expected}')")
    if "schema_version" not in f.attrs:
        raise AiraceFileError(f"{path}: {what} without a schema_version attribute")
    found = int(f.attrs["schema_version"])
    if found != version:
        raise AiraceFileError(f"{path}: uses {what} schema version {found}; this reader reads "
                              f"schema version {version}")


class _AiraceFile:
    """What run and sweep files share: the open h5py file, checked for its
    format and schema when opened, and its life cycle (a context manager, or
    call close())."""

    def __init__(self, path: str, what: str, expected: str, version: int, verify: bool = False):
        self.path = str(path)
        self._f = _open_h5(self.path, what)
        try:
            if verify:
                from ._checks import check_checksum
                check_checksum(self._f, self.path)
            _check_format(self._f, self.path, expected, version, f"airace {what}")
            self._read_layout()
        except KeyError as error:
            self._f.close()
            raise AiraceFileError(f"{self.path}: damaged or inconsistent: missing {error}") from error
        except (OSError, RuntimeError, ValueError, TypeError, IndexError) as error:  # h5py reading damaged bytes
            self._f.close()
            raise AiraceFileError(f"{self.path}: damaged or unreadable: {error}") from error
        except Exception:
            self._f.close()
            raise

    def _read_layout(self) -> None:
        """Reads what the constructor keeps; a missing object raises KeyError."""

    def close(self) -> None:
        self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def h5(self) -> h5py.File:
        """The underlying h5py file, for anything this reader does not cover."""
        return self._f

    def metadata(self) -> dict:
        """Root attributes as plain Python values."""
        return {k: _attr_value(v) for k, v in self._f.attrs.items()}

