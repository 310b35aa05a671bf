"""Ensemble: the file of `airace run SCENARIO --seeds N` (a sweep file of
design 'ensemble', docs/sweeps.md): the runs' aggregates as a SweepFile, and
the statistics across the seeds stored in /ensemble. Import it as
airace.Ensemble."""

from __future__ import annotations

from typing import Iterable, List, Optional

import numpy as np
import pandas as pd

from ._common import AiraceFileError, _str
from .sweep import SweepFile

# The statistics of /ensemble/<metric>, in the order the table shows them.
STATISTICS = ["mean", "se", "q05", "median", "q95", "runs"]


class Ensemble(SweepFile):
    """A sweep file of design 'ensemble': the base scenario once per seed.
    Everything a SweepFile reads (experiments() has the seed as its only
    column), plus statistics() across the seeds."""

    def _read_layout(self) -> None:
        super()._read_layout()
        if self.design != "ensemble":
            raise AiraceFileError(f"{self.path}: not an ensemble (design '{self.design}'); open it "
                                  f"with airace.open")

    def __repr__(self) -> str:
        return f"Ensemble({self.path!r}, name={self.name!r}, runs={len(self.run_ids)})"

    def statistic_metrics(self) -> List[str]:
        """Aggregates with statistics in /ensemble."""
        return list(self._f["ensemble"].keys()) if "ensemble" in self._f else []

    def statistics(self, metrics: Optional[Iterable[str]] = None) -> pd.DataFrame:
        """One row per (metric, time): metric, step, time, then mean, se, q05,
        median, q95 across the runs complete and finite at that step and
        runs, their count. Units in df.attrs['units']."""
        have = self.statistic_metrics()
        names = have if metrics is None else list(metrics)
        t = len(self.time)
        frames = []
        for name in names:
            if name not in have:
                raise KeyError(f"{self.path}: no ensemble statistics for '{name}' (have: "
                               f"{', '.join(have)})")
            g = self._f["ensemble"][name]
            df = pd.DataFrame({"metric": name, "step": np.arange(t, dtype=np.int32), "time": self.time})
            for stat in STATISTICS:
                values = np.asarray(g[stat][:])
                if values.shape != (t,):
                    raise AiraceFileError(f"{self.path}: damaged or inconsistent: /ensemble/{name}/"
                                          f"{stat} has shape {list(values.shape)}, expected [{t}]")
                df[stat] = values.astype(np.int64 if stat == "runs" else float)
            frames.append(df)
        columns = ["metric", "step", "time"] + STATISTICS
        out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
        out["metric"] = pd.Categorical(out["metric"], categories=names)
        out.attrs["units"] = {name: _str(self._f["ensemble"][name].attrs.get("units", "")) for name in names}
        return out
