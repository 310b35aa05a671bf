"""SweepFile: an airace sweep file, read into pandas (docs/analysis.md).
Import it as airace.Sweep (or airace.SweepFile); an ensemble's file opens as
airace.Ensemble (ensemble.py)."""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Optional

import numpy as np
import pandas as pd

from ._common import (SWEEP_FORMAT, SWEEP_SCHEMA_VERSION, AiraceFileError, _AiraceFile, _str,
                              _strings)
from ._checks import check_sweep_layout
from .run import RunFile


class SweepFile(_AiraceFile):
    """An airace sweep file (format 'airace-sweep', schema 1), written by
    `airace sweep merge` (layout: docs/sweeps.md, output/sweep_file.hpp):
    the design table, each run's status, every kept aggregate stacked as
    [runs, T], sensitivity indices per metric (sobol and morris designs) and
    the path of each run file."""

    def __init__(self, path: str, verify: bool = True):
        """Opens and checks the file: its whole-file checksum (verify=False
        skips it, for a file already checked), format, schema, and every
        dataset's shape and size (AiraceFileError otherwise)."""
        super().__init__(path, "sweep file", SWEEP_FORMAT, SWEEP_SCHEMA_VERSION, verify)

    def _read_layout(self) -> None:
        check_sweep_layout(self._f, self.path)  # before anything is read
        self.time = np.asarray(self._f["time"][:], dtype=float)
        self.run_ids = _strings(self._f["design/run_id"][:])

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
                           f"{_str(self._f['runs/status'][i])}; a complete run has none when the "
                           f"sweep ran with --aggregates-only without --keep-runs for it)")
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

    def _metric_names(self, metrics: Optional[Iterable[str]]) -> List[str]:
        names = self.aggregate_names() if metrics is None else list(metrics)
        for name in names:
            if name not in self._f["aggregates"]:
                raise KeyError(f"{self.path}: no aggregate '{name}' (have: "
                               f"{', '.join(self.aggregate_names())})")
        return names

    def _rows(self, complete_only: bool) -> np.ndarray:
        return self.complete() if complete_only else np.ones(len(self.run_ids), dtype=bool)

    # -- the EMA Workbench pair ----------------------------------------------
    def experiments(self, complete_only: bool = True) -> pd.DataFrame:
        """One row per run (complete runs only by default), index run_id: one
        column per swept parameter (its value), then the run's seed. Rows are
        in the order of outcomes()' arrays: (experiments, outcomes) is the
        pair EMA Workbench's analyses take."""
        table = self.design_table()[self.parameters() + ["seed"]]
        return table[self._rows(complete_only)]

    def outcomes(self, metrics: Optional[Iterable[str]] = None,
                 complete_only: bool = True) -> Dict[str, np.ndarray]:
        """{metric: float array [runs, T]} for every kept aggregate (or those
        named), rows as experiments()' (complete runs only by default), and
        'TIME': the decimal year of each step, [runs, T], as EMA Workbench's
        time-series plots expect."""
        mask = self._rows(complete_only)
        out = {name: np.asarray(self._f["aggregates"][name][:], dtype=float)[mask]
               for name in self._metric_names(metrics)}
        out["TIME"] = np.tile(self.time, (int(mask.sum()), 1))
        return out

    def tidy(self, metrics: Optional[Iterable[str]] = None, complete_only: bool = True) -> pd.DataFrame:
        """The aggregates as a long table, one row per (metric, run, time):
        run_id, seed, one column per swept parameter, step, time, metric,
        value; complete runs only by default. Units in df.attrs['units']."""
        names = self._metric_names(metrics)
        runs = self.experiments(complete_only)
        r, t, m = len(runs), len(self.time), len(names)
        df = pd.DataFrame({"run_id": np.tile(np.repeat(runs.index.to_numpy(dtype=object), t), m),
                           "seed": np.tile(np.repeat(runs["seed"].to_numpy(), t), m)})
        for key in self.parameters():
            df[key] = np.tile(np.repeat(runs[key].to_numpy(), t), m)
        df["step"] = np.tile(np.arange(t, dtype=np.int32), r * m)
        df["time"] = np.tile(self.time, r * m)
        df["metric"] = pd.Categorical(np.repeat(names, r * t), categories=names)
        outcomes = self.outcomes(names, complete_only)
        df["value"] = np.concatenate([outcomes[name].reshape(-1) for name in names]) if m else []
        units = self.aggregate_units()
        df.attrs["units"] = {name: units[name] for name in names}
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
