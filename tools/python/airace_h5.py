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
the file and says what is wrong.
"""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Optional

import h5py
import numpy as np
import pandas as pd

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

    def __init__(self, path: str, what: str, expected: str, version: int):
        self.path = str(path)
        self._f = _open_h5(self.path, what)
        try:
            _check_format(self._f, self.path, expected, version, f"airace {what}")
            self._read_layout()
        except KeyError as error:
            self._f.close()
            raise AiraceFileError(f"{self.path}: damaged or inconsistent: missing {error}") from error
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


class RunFile(_AiraceFile):
    """One airace run file, read lazily. Use as a context manager or call close()."""

    def __init__(self, path: str):
        super().__init__(path, "run file", RUN_FORMAT, RUN_SCHEMA_VERSION)
        self._static: Dict[str, pd.DataFrame] = {}

    def _read_layout(self) -> None:
        self.steps = int(self._f.attrs["steps"])
        self.steps_per_year = int(self._f.attrs["steps_per_year"])
        self.start_year = int(self._f.attrs["start_year"])
        self.time = np.asarray(self._f["time"][:], dtype=float)
        if self.time.shape != (self.steps,):
            raise AiraceFileError(f"{self.path}: damaged or inconsistent: /time has shape "
                                  f"{list(self.time.shape)}, expected [{self.steps}]")

    def __repr__(self) -> str:
        return (f"RunFile({self.path!r}, scenario={self.scenario!r}, seed={self.seed}, "
                f"steps={self.steps})")

    # -- metadata -----------------------------------------------------------
    @property
    def scenario(self) -> str:
        return _str(self._f.attrs.get("scenario", os.path.basename(self.path)))

    @property
    def seed(self) -> int:
        return int(self._f.attrs.get("seed", 0))

    def config(self) -> str:
        """The fully resolved scenario YAML stored in /config."""
        return _str(self._f["config"][()])

    @property
    def time_index(self) -> pd.Index:
        return pd.Index(self.time, name="time")

    def calendar_years(self) -> np.ndarray:
        """Calendar year of each step (time is the end of the step: 2021.0 ends
        the last quarter of 2020), for yearly groupby."""
        return np.floor(self.time - 1.0 / self.steps_per_year + 1e-9).astype(int)

    # -- aggregates ---------------------------------------------------------
    def aggregate_names(self) -> List[str]:
        return list(self._f["aggregates"].keys())

    def units(self, path: str) -> str:
        """Units of a dataset: 'aggregates/compute_price', 'labs/cash', ..."""
        return _str(self._f[path].attrs.get("units", ""))

    def aggregate_units(self) -> Dict[str, str]:
        group = self._f["aggregates"]
        return {name: _str(group[name].attrs.get("units", "")) for name in group.keys()}

    def aggregates(self, names: Optional[Iterable[str]] = None) -> pd.DataFrame:
        """World-level series, one column per metric, index time (decimal year).
        The units are in df.attrs['units']."""
        group = self._f["aggregates"]
        names = list(group.keys()) if names is None else list(names)
        for name in names:
            if name not in group:
                raise KeyError(f"{self.path}: no aggregate '{name}' (have: "
                               f"{', '.join(group.keys())})")
        df = pd.DataFrame({name: group[name][:] for name in names}, index=self.time_index)
        df.attrs["units"] = {name: _str(group[name].attrs.get("units", "")) for name in names}
        return df

    # -- agent tables -------------------------------------------------------
    def kinds(self) -> List[str]:
        """Agent kinds in the simulator's order (root groups with a 'static' member)."""
        return [k for k, v in self._f["/"].items() if isinstance(v, h5py.Group) and "static" in v]

    def _kind(self, kind: str) -> h5py.Group:
        if kind not in self.kinds():
            raise KeyError(f"{self.path}: no agent kind '{kind}' (have: {', '.join(self.kinds())})")
        return self._f[kind]

    def columns(self, kind: str) -> List[str]:
        return [k for k in self._kind(kind).keys() if k != "static"]

    def static(self, kind: str) -> pd.DataFrame:
        """name, region and type of each agent; index: agent row."""
        if kind not in self._static:
            group = self._kind(kind)["static"]
            data = {field: _strings(group[field][:]) if field in group else []
                    for field in ("name", "region", "type")}
            n = len(data["name"])
            for field in ("region", "type"):
                if len(data[field]) != n:
                    data[field] = [""] * n
            self._static[kind] = pd.DataFrame(data, index=pd.RangeIndex(n, name="agent"))
        return self._static[kind]

    def names(self, kind: str) -> List[str]:
        return list(self.static(kind)["name"])

    def _matrix(self, kind: str, column: str) -> np.ndarray:
        group = self._kind(kind)
        if column not in group or column == "static":
            raise KeyError(f"{self.path}: no column '{column}' for {kind} (have: "
                           f"{', '.join(self.columns(kind))})")
        return np.asarray(group[column][:], dtype=float)

    def wide(self, kind: str, column: str) -> pd.DataFrame:
        """One column of a kind as [time x agents]; columns are agent names
        (agent rows when names repeat). Units in df.attrs['units']."""
        values = self._matrix(kind, column)
        names = self.names(kind)
        labels = names if len(set(names)) == len(names) else list(range(len(names)))
        df = pd.DataFrame(values, index=self.time_index, columns=pd.Index(labels, name="agent"))
        df.attrs["units"] = self.units(f"{kind}/{column}")
        return df

    def long(self, kind: str, columns: Optional[Iterable[str]] = None) -> pd.DataFrame:
        """A kind as one row per (time, agent): step, time, agent, name, region,
        type, then one column per requested column (all by default). T*N rows,
        ordered by time then agent. Units in df.attrs['units']."""
        columns = self.columns(kind) if columns is None else list(columns)
        static = self.static(kind)
        n = len(static)
        t = self.steps
        df = pd.DataFrame({
            "step": np.repeat(np.arange(t, dtype=np.int32), n),
            "time": np.repeat(self.time, n),
            "agent": np.tile(np.arange(n, dtype=np.int64), t),
            "name": np.tile(static["name"].to_numpy(dtype=object), t),
            "region": np.tile(static["region"].to_numpy(dtype=object), t),
            "type": np.tile(static["type"].to_numpy(dtype=object), t),
        })
        for column in columns:
            df[column] = self._matrix(kind, column).reshape(t * n)
        df.attrs["units"] = {c: self.units(f"{kind}/{c}") for c in columns}
        return df

    # -- markets ------------------------------------------------------------
    def markets(self) -> List[str]:
        return list(self._f["markets"].keys()) if "markets" in self._f else []

    def market(self, market: str, column: str) -> pd.DataFrame:
        """/markets/<market>/<column> as [time x labels] (regions or 'world')."""
        group = self._f["markets"][market]
        labels = _strings(group.attrs.get("labels", []))
        df = pd.DataFrame(np.asarray(group[column][:], dtype=float), index=self.time_index,
                          columns=pd.Index(labels, name="label"))
        df.attrs["units"] = _str(group[column].attrs.get("units", ""))
        return df

    # -- events -------------------------------------------------------------
    def event_types(self) -> List[str]:
        return _strings(self._f["events"].attrs.get("types", []))

    def agent_kinds(self) -> List[str]:
        return _strings(self._f["events"].attrs.get("agent_kinds", []))

    def _agent_names(self, kind_codes: np.ndarray, rows: np.ndarray) -> np.ndarray:
        kinds = self.agent_kinds()
        present = set(self.kinds())
        names = np.full(len(rows), "", dtype=object)
        for code in np.unique(kind_codes):
            if not 0 <= code < len(kinds) or kinds[code] not in present:
                continue
            table = np.asarray(self.names(kinds[code]), dtype=object)
            mask = (kind_codes == code) & (rows >= 0) & (rows < len(table))
            names[mask] = table[rows[mask]]
        return names

    @staticmethod
    def _codes_to_names(codes: np.ndarray, names: List[str]) -> pd.Categorical:
        lookup = np.asarray(names + ["?"], dtype=object)
        safe = np.where((codes >= 0) & (codes < len(names)), codes, len(names))
        return pd.Categorical(lookup[safe], categories=names + (["?"] if (safe == len(names)).any() else []))

    def events(self, types: Optional[Iterable[str]] = None) -> pd.DataFrame:
        """Every event in order: step, time, type (name), agent_kind, agent,
        agent_name, other_kind, other, other_name, amount, value, and for
        policy and instrument events the instrument's name ('stringency' for a
        new base stringency); optionally only some types."""
        raw = self._f["events"][:]
        type_names = self.event_types()
        kinds = self.agent_kinds()
        type_col = self._codes_to_names(raw["type"], type_names)
        df = pd.DataFrame({
            "step": raw["step"].astype(np.int32),
            "time": raw["time"].astype(float),
            "type": type_col,
            "agent_kind": self._codes_to_names(raw["agent_kind"], kinds),
            "agent": raw["agent"].astype(np.int64),
            "agent_name": self._agent_names(raw["agent_kind"], raw["agent"]),
            "other_kind": self._codes_to_names(raw["other_kind"], kinds),
            "other": raw["other"].astype(np.int64),
            "other_name": self._agent_names(raw["other_kind"], raw["other"]),
            "amount": raw["amount"].astype(float),
            "value": raw["value"].astype(float),
        })
        instrument = np.full(len(df), "", dtype=object)
        is_instr = np.isin(np.asarray(type_col, dtype=object), INSTRUMENT_EVENTS)
        codes = np.where(is_instr, raw["amount"], -2).round().astype(np.int64)
        for code, name in enumerate(INSTRUMENTS):
            instrument[is_instr & (codes == code)] = name
        instrument[is_instr & (codes == -1)] = "stringency"
        df["instrument"] = instrument
        if types is not None:
            wanted = list(types)
            df = df[df["type"].isin(wanted)].reset_index(drop=True)
        return df

    # -- network ------------------------------------------------------------
    def edge_types(self) -> List[str]:
        return _strings(self._f["network/edges"].attrs.get("types", []))

    def snapshot_steps(self) -> List[int]:
        return sorted(int(s) for s in np.unique(self._f["network/edges"]["step"]))

    def snapshot_years(self) -> List[float]:
        """Decimal year (end of step, as /time) of each graph snapshot."""
        return [float(self.time[s]) for s in self.snapshot_steps()]

    def edges(self, year: Optional[float] = None, step: Optional[int] = None) -> pd.DataFrame:
        """Edges of all snapshots, or of the one at `step`, or of the snapshot
        nearest `year` (decimal year). Columns: step, time, type, src_kind,
        src, src_name, dst_kind, dst, dst_name, weight."""
        raw = self._f["network/edges"][:]
        if year is not None:
            step = self.snapshot_step(year)
        if step is not None:
            raw = raw[raw["step"] == step]
        kinds = self.agent_kinds()
        return pd.DataFrame({
            "step": raw["step"].astype(np.int32),
            "time": self.time[raw["step"]] if len(raw) else np.zeros(0),
            "type": self._codes_to_names(raw["type"], self.edge_types()),
            "src_kind": self._codes_to_names(raw["src_kind"], kinds),
            "src": raw["src"].astype(np.int64),
            "src_name": self._agent_names(raw["src_kind"], raw["src"]),
            "dst_kind": self._codes_to_names(raw["dst_kind"], kinds),
            "dst": raw["dst"].astype(np.int64),
            "dst_name": self._agent_names(raw["dst_kind"], raw["dst"]),
            "weight": raw["weight"].astype(float),
        })

    def snapshot_step(self, year: float) -> int:
        """Step of the graph snapshot nearest to `year`."""
        steps = self.snapshot_steps()
        if not steps:
            raise KeyError(f"{self.path}: no graph snapshots")
        return min(steps, key=lambda s: (abs(self.time[s] - year), s))

    def snapshots(self) -> Dict[float, pd.DataFrame]:
        """{decimal year: edges DataFrame} for every graph snapshot."""
        all_edges = self.edges()
        return {float(self.time[s]): g.reset_index(drop=True)
                for s, g in all_edges.groupby("step", sort=True)}


class SweepFile(_AiraceFile):
    """An airace sweep file (format 'airace-sweep', schema 1), written by
    `airace sweep merge` (layout: docs/sweeps.md, output/sweep_file.hpp):
    the design table, each run's status, every kept aggregate stacked as
    [runs, T], sensitivity indices per metric (sobol and morris designs) and
    the path of each run file."""

    def __init__(self, path: str):
        super().__init__(path, "sweep file", SWEEP_FORMAT, SWEEP_SCHEMA_VERSION)

    def _read_layout(self) -> None:
        self.time = np.asarray(self._f["time"][:], dtype=float)
        self.run_ids = _strings(self._f["design/run_id"][:])
        for name in self.aggregate_names():
            shape = self._f["aggregates"][name].shape
            if shape != (len(self.run_ids), len(self.time)):
                raise AiraceFileError(f"{self.path}: damaged or inconsistent: /aggregates/{name} has "
                                      f"shape {list(shape)}, expected "
                                      f"[{len(self.run_ids)}, {len(self.time)}]")

    def __repr__(self) -> str:
        return f"SweepFile({self.path!r}, name={self.name!r}, design={self.design!r}, runs={len(self.run_ids)})"

    @property
    def name(self) -> str:
        return _str(self._f.attrs.get("name", os.path.basename(self.path)))

    @property
    def design(self) -> str:
        return _str(self._f.attrs.get("design", ""))

    @property
    def metric_year(self) -> Optional[int]:
        year = self._f.attrs.get("metric_year")
        return int(year) if year is not None else None

    def sweep_text(self) -> str:
        """The sweep YAML the runs were made from."""
        return _str(self._f["sweep"][()])

    def config(self) -> str:
        """The fully resolved base scenario YAML."""
        return _str(self._f["base"][()])

    @property
    def time_index(self) -> pd.Index:
        return pd.Index(self.time, name="time")

    # -- design -------------------------------------------------------------
    def parameters(self) -> List[str]:
        """Key paths of the swept parameters, in design column order."""
        return _strings(self._f["design/values"].attrs.get("keys", []))

    def scales(self) -> Dict[str, str]:
        return dict(zip(self.parameters(), _strings(self._f["design/values"].attrs.get("scales", []))))

    def design_table(self) -> pd.DataFrame:
        """One row per run, index run_id: point, group, step, replicate, seed,
        one column per parameter (its value), status, error, file."""
        g = self._f["design"]
        df = pd.DataFrame({
            "point": g["point"][:].astype(np.int64),
            "group": g["group"][:].astype(np.int64),
            "step": g["step"][:].astype(np.int32),
            "replicate": g["replicate"][:].astype(np.int32),
            "seed": g["seed"][:].astype(np.uint64),
        }, index=pd.Index(self.run_ids, name="run_id"))
        values = np.asarray(g["values"][:], dtype=float).reshape(len(self.run_ids), -1)
        for j, key in enumerate(self.parameters()):
            df[key] = values[:, j]
        runs = self._f["runs"]
        df["status"] = _strings(runs["status"][:])
        df["error"] = _strings(runs["error"][:])
        df["file"] = _strings(runs["file"][:])
        return df

    def unit_table(self) -> pd.DataFrame:
        """Each run's position in the unit cube, [runs x parameters]."""
        unit = np.asarray(self._f["design/unit"][:], dtype=float).reshape(len(self.run_ids), -1)
        return pd.DataFrame(unit, index=pd.Index(self.run_ids, name="run_id"), columns=self.parameters())

    def complete(self) -> np.ndarray:
        """Boolean mask of the runs that completed."""
        return np.asarray(_strings(self._f["runs/status"][:])) == "complete"

    def run_path(self, run_id: str) -> str:
        """Path of one run's file (stored relative to the sweep file)."""
        i = self.run_ids.index(run_id)
        rel = _str(self._f["runs/file"][i])
        if not rel:
            raise KeyError(f"{self.path}: run {run_id} has no run file (status "
                           f"{_str(self._f['runs/status'][i])})")
        return os.path.join(os.path.dirname(os.path.abspath(self.path)), rel)

    def run(self, run_id: str) -> RunFile:
        """Open one run of the sweep as a RunFile."""
        return RunFile(self.run_path(run_id))

    # -- aggregates ---------------------------------------------------------
    def aggregate_names(self) -> List[str]:
        return list(self._f["aggregates"].keys())

    def aggregate_units(self) -> Dict[str, str]:
        g = self._f["aggregates"]
        return {name: _str(g[name].attrs.get("units", "")) for name in g.keys()}

    def aggregate(self, metric: str, complete_only: bool = True) -> pd.DataFrame:
        """One aggregate as [time x run_id] (complete runs only by default).
        Units in df.attrs['units']."""
        g = self._f["aggregates"]
        if metric not in g:
            raise KeyError(f"{self.path}: no aggregate '{metric}' (have: {', '.join(g.keys())})")
        values = np.asarray(g[metric][:], dtype=float)
        ids = np.asarray(self.run_ids, dtype=object)
        if complete_only:
            mask = self.complete()
            values, ids = values[mask], ids[mask]
        df = pd.DataFrame(values.T, index=self.time_index, columns=pd.Index(list(ids), name="run_id"))
        df.attrs["units"] = _str(g[metric].attrs.get("units", ""))
        return df

    def quantiles(self, metric: str, q: Iterable[float] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Quantiles across complete runs of one aggregate at each time; columns
        are the quantiles (0.05, 0.5, 0.95 by default). NaNs are left out."""
        wide = self.aggregate(metric)
        q = list(q)
        values = wide.to_numpy()
        out = np.full((len(self.time), len(q)), np.nan)
        has = np.isfinite(values).any(axis=1)
        if has.any():
            out[has] = np.nanquantile(values[has], q, axis=1).T
        df = pd.DataFrame(out, index=self.time_index, columns=q)
        df.attrs["units"] = wide.attrs["units"]
        return df

    # -- sensitivity ---------------------------------------------------------
    def sensitivity_metrics(self) -> List[str]:
        return list(self._f["sensitivity"].keys()) if "sensitivity" in self._f else []

    def sensitivity(self, metric: Optional[str] = None) -> pd.DataFrame:
        """Sensitivity indices, one row per (metric, parameter): metric, method
        ('sobol' or 'morris'), metric_year, parameter, then one column per
        index (S1, S1_conf, ST, ST_conf for sobol; mu_star, mu_star_conf, mu,
        sigma for morris). Empty for designs without indices."""
        metrics = self.sensitivity_metrics() if metric is None else [metric]
        frames = []
        for m in metrics:
            g = self._f["sensitivity"][m]
            params = _strings(g.attrs.get("parameters", self.parameters()))
            df = pd.DataFrame({"metric": m, "method": _str(g.attrs.get("method", "")),
                               "metric_year": int(g.attrs.get("metric_year", self.metric_year or 0)),
                               "parameter": params})
            for index in g.keys():
                df[index] = np.asarray(g[index][:], dtype=float)
            frames.append(df)
        if not frames:
            return pd.DataFrame(columns=["metric", "method", "metric_year", "parameter"])
        return pd.concat(frames, ignore_index=True)
