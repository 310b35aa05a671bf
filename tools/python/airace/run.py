"""RunFile: one airace run file, read lazily into pandas (docs/analysis.md).
Import it as airace.Run (or airace.RunFile)."""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Optional

import h5py
import numpy as np
import pandas as pd

from ._common import (INSTRUMENT_EVENTS, INSTRUMENTS, RUN_FORMAT, RUN_SCHEMA_VERSION,
                              AiraceFileError, _AiraceFile, _str, _strings)
from ._checks import check_run_layout


class RunFile(_AiraceFile):
    """One airace run file, read lazily. Use as a context manager or call close()."""

    def __init__(self, path: str, verify: bool = False):
        """Opens and checks the file: format, schema, and every dataset's shape
        and size against `steps` and the file's size (AiraceFileError
        otherwise). verify=True also recomputes the whole-file checksum (XXH3,
        fast; FNV-1a of files of airace 0.2.0 and earlier in pure Python, about
        a second per 2 MB)."""
        super().__init__(path, "run file", RUN_FORMAT, RUN_SCHEMA_VERSION, verify)
        self._static: Dict[str, pd.DataFrame] = {}

    def _read_layout(self) -> None:
        self.steps = int(self._f.attrs["steps"])
        self.steps_per_year = int(self._f.attrs["steps_per_year"])
        self.start_year = int(self._f.attrs["start_year"])
        check_run_layout(self._f, self.path, self.steps)  # before anything is read
        self.time = np.asarray(self._f["time"][:], dtype=float)

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

    def tidy(self, metrics: Optional[Iterable[str]] = None) -> pd.DataFrame:
        """The aggregates as a long table, one row per (metric, time): run_id
        (the file's name without .h5), scenario, seed, step, time, metric,
        value. Tables of several runs concatenate (pd.concat). Units in
        df.attrs['units']."""
        wide = self.aggregates(metrics)
        names = list(wide.columns)
        t = self.steps
        df = pd.DataFrame({
            "run_id": os.path.splitext(os.path.basename(self.path))[0],
            "scenario": self.scenario,
            "seed": np.uint64(self.seed),
            "step": np.tile(np.arange(t, dtype=np.int32), len(names)),
            "time": np.tile(self.time, len(names)),
            "metric": pd.Categorical(np.repeat(names, t), categories=names),
            "value": wide.to_numpy(dtype=float).T.reshape(-1),
        })
        df.attrs["units"] = wide.attrs["units"]
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
