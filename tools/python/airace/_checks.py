"""The checks the package makes when it opens a file, the same rules as the
C++ reader (output/reader.cpp, output/sweep_file.cpp, output/integrity.hpp):
the whole-file checksum (/file_checksum), every dataset's size against what
a file of its size can hold (before anything is read, so a dataset claiming
1e9 rows is refused at once instead of read for minutes), and the shapes the
layout promises. Every failure is AiraceFileError, which the command-line
tools turn into `airace: error:` and exit code 2. Import the package as
airace; this module is its part."""

from __future__ import annotations

import os
from typing import Dict, List, Tuple

import h5py
import numpy as np

from ._common import AiraceFileError

# deflate compresses at most ~1032:1: no dataset of a healthy file holds
# more bytes than this many times the file's size (integrity.hpp).
MAX_COMPRESSION_RATIO = 1100


def checksum_algorithm(dataset) -> str:
    """The hash /file_checksum holds: its `algorithm` attribute, a
    fixed-length string ("xxh3-64"), or "fnv1a-64" when it has none (files
    of airace 0.2.0 and earlier). Read before the checksum is verified, so
    only a short fixed-length string is accepted."""
    if "algorithm" not in dataset.attrs:
        return "fnv1a-64"
    attribute = dataset.attrs.get_id("algorithm")
    dtype = attribute.dtype
    if dtype.kind != "S" or not 0 < dtype.itemsize <= 64 or attribute.shape != ():
        raise AiraceFileError("damaged or inconsistent: /file_checksum's algorithm is not a short "
                              "fixed-length string")
    name = bytes(dataset.attrs["algorithm"]).rstrip(b"\0").decode("ascii", "replace")
    if name not in ("xxh3-64", "fnv1a-64"):
        raise AiraceFileError(f'damaged or inconsistent: /file_checksum\'s algorithm "{name}" is not one '
                              "this package knows (xxh3-64, fnv1a-64)")
    return name


def file_hash(path: str, hole: int, algorithm: str) -> int:
    """The file's bytes hashed with `algorithm`, the 8 bytes at `hole` read
    as zero (docs/output-schema.md, Integrity). XXH3-64 through the xxhash
    module (Debian's python3-xxhash); FNV-1a 64, for older files, in pure
    Python (about a second per 2 MB)."""
    with open(path, "rb") as handle:
        data = bytearray(handle.read())
    data[hole:hole + 8] = bytes(8)
    if algorithm == "xxh3-64":
        import xxhash
        return xxhash.xxh3_64_intdigest(data)
    h = 0xcbf29ce484222325
    prime = 0x100000001b3
    mask = 0xFFFFFFFFFFFFFFFF
    for byte in data:
        h = ((h ^ byte) * prime) & mask
    return h


def checksum_matches(f: h5py.File, path: str) -> bool:
    """Recompute the file's checksum (docs/output-schema.md, Integrity) and
    compare it with /file_checksum."""
    if "file_checksum" not in f:
        raise AiraceFileError(f"{path}: damaged or inconsistent: it has no /file_checksum (written by an "
                              "older airace? merge or run it again)")
    dataset = f["file_checksum"]
    if dataset.shape != () or dataset.dtype != np.dtype("<u8"):
        raise AiraceFileError(f"{path}: damaged or inconsistent: /file_checksum is not one uint64")
    try:
        algorithm = checksum_algorithm(dataset)
    except AiraceFileError as error:
        raise AiraceFileError(f"{path}: {error}") from None
    stored = int(dataset[()])
    offset = dataset.id.get_offset()
    if offset is None or offset + 8 > os.path.getsize(path):
        raise AiraceFileError(f"{path}: damaged or inconsistent: /file_checksum lies outside the file")
    return file_hash(path, offset, algorithm) == stored


def check_checksum(f: h5py.File, path: str) -> None:
    if not checksum_matches(f, path):
        raise AiraceFileError(f"{path}: damaged or inconsistent: its bytes do not match /file_checksum")


def dataset_shapes(f: h5py.File, path: str) -> Dict[str, Tuple[int, ...]]:
    """Every dataset of the file (not behind links to other files) and its
    shape, refusing any that claims more than the file can hold, alone or
    with the others."""
    limit = os.path.getsize(path) * MAX_COMPRESSION_RATIO + (1 << 20)
    shapes: Dict[str, Tuple[int, ...]] = {}
    total = [0]

    def visit(name: str, obj) -> None:
        if not isinstance(obj, h5py.Dataset):
            return
        shape = obj.shape if obj.shape is not None else ()
        nbytes = int(np.prod(shape, dtype=object)) * max(1, obj.dtype.itemsize)
        total[0] += nbytes
        if nbytes > limit or total[0] > limit:
            raise AiraceFileError(f"{path}: damaged or inconsistent: /{name} claims shape "
                                  f"{list(shape)}, more than a file of {os.path.getsize(path)} "
                                  "bytes can hold")
        shapes["/" + name] = tuple(shape)

    f.visititems(visit)
    return shapes


def expect(shapes: Dict[str, Tuple[int, ...]], path: str, name: str, expected: Tuple[int, ...]) -> None:
    found = shapes.get(name)
    if found is None:
        raise AiraceFileError(f"{path}: damaged or inconsistent: missing {name}")
    if found != expected:
        raise AiraceFileError(f"{path}: damaged or inconsistent: {name} has shape {list(found)}, "
                              f"expected {list(expected)}")


def _children(shapes: Dict[str, Tuple[int, ...]], group: str) -> List[str]:
    prefix = group.rstrip("/") + "/"
    return [n for n in shapes if n.startswith(prefix) and "/" not in n[len(prefix):]]


def check_run_layout(f: h5py.File, path: str, steps: int) -> None:
    """Shapes of a run file against `steps` and each kind's and market's size
    (docs/output-schema.md, Reading: what readers check)."""
    if steps < 0 or steps > 10_000_000:
        raise AiraceFileError(f"{path}: damaged or inconsistent: root attribute 'steps' is {steps}")
    shapes = dataset_shapes(f, path)
    expect(shapes, path, "/time", (steps,))
    for name in _children(shapes, "/aggregates"):
        expect(shapes, path, name, (steps,))
    if "/hashes" in shapes:
        expect(shapes, path, "/hashes", (steps,))
    for table in ("/events", "/network/edges"):
        if table in shapes and len(shapes[table]) != 1:
            raise AiraceFileError(f"{path}: damaged or inconsistent: {table} is not a 1-D table")
    for kind, group in f["/"].items():
        if not isinstance(group, h5py.Group) or "static" not in group:
            continue
        rows = shapes.get(f"/{kind}/static/name", (0,))
        if len(rows) != 1:
            raise AiraceFileError(f"{path}: damaged or inconsistent: /{kind}/static/name is not 1-D")
        for field in ("region", "type"):
            if f"/{kind}/static/{field}" in shapes:
                expect(shapes, path, f"/{kind}/static/{field}", rows)
        for name in _children(shapes, f"/{kind}"):
            expect(shapes, path, name, (steps, rows[0]))
    if "markets" in f:
        for market, group in f["markets"].items():
            labels = len(group.attrs.get("labels", [])) if isinstance(group, h5py.Group) else 0
            for name in _children(shapes, f"/markets/{market}"):
                expect(shapes, path, name, (steps, labels))


def check_sweep_layout(f: h5py.File, path: str) -> Tuple[int, int]:
    """Shapes of a sweep (or ensemble) file: the design table, the runs'
    status, the stacked aggregates, sensitivity and ensemble statistics
    (docs/sweeps.md, Merged file). Returns (runs, steps)."""
    shapes = dataset_shapes(f, path)
    run_ids = shapes.get("/design/run_id")
    times = shapes.get("/time")
    if run_ids is None or times is None or len(run_ids) != 1 or len(times) != 1:
        raise AiraceFileError(f"{path}: damaged or inconsistent: /design/run_id and /time must be 1-D")
    runs, steps = run_ids[0], times[0]
    k = len(f["design/values"].attrs.get("keys", [])) if "/design/values" in shapes else 0
    for name in ("point", "group", "step", "replicate", "seed", "overrides"):
        expect(shapes, path, f"/design/{name}", (runs,))
    for name in ("values", "unit"):
        expect(shapes, path, f"/design/{name}", (runs, k))
    for name in ("status", "error", "file"):
        expect(shapes, path, f"/runs/{name}", (runs,))
    for name in _children(shapes, "/aggregates"):
        expect(shapes, path, name, (runs, steps))
    for name in shapes:
        if name.startswith("/sensitivity/"):
            expect(shapes, path, name, (k,))
        elif name.startswith("/ensemble/"):
            expect(shapes, path, name, (steps,))
    return runs, steps
