"""What both kinds of `airace report` page share (the interactive page,
report_web*.py, and the static PNG page, report_runs.py and report_sweep.py):
the scenarios of a run report and how they are labelled (forks by their
parent, date and changes), series read from run and sweep files with flows
per year, yearly gains, and readable names of metrics and parameters. Needs
numpy and h5py only (no plotting package)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np

import airace

SCENARIO_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",  # then darker shades
                    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
                    "#e6550d", "#31a354", "#756bb1", "#252525"]

METRIC_TITLES = {
    "frontier_capability": "Frontier capability κ", "frontier_capability_gain": "Yearly gain of κ",
    "frontier_score": "Frontier score", "frontier_training_flop": "Frontier training compute",
    "frontier_run_cost": "Frontier run cost", "largest_run_flop": "Largest run compute",
    "largest_run_cost": "Largest run cost", "total_training_flop": "Training compute, all labs",
    "total_inference_flop": "Serving compute, all labs", "compute_price": "Compute price",
    "compute_spend": "Compute spending", "compute_capex": "Compute capital spending",
    "total_investment": "Investment into labs", "ai_revenue": "AI revenue", "adoption": "Adoption",
    "mean_sentiment": "Investor sentiment", "human_data_stock": "Human data stock",
    "human_data_accessible": "Human data usable by the frontier", "human_data_open": "Open human data",
    "frontier_data_used": "Tokens used by the frontier", "synthetic_share": "Synthetic share",
    "frontier_collapse_penalty": "Model-collapse penalty", "licence_spend": "Data licence spending",
    "data_wall_year": "Data wall reached", "energy_twh": "Electricity used by AI",
    "largest_run_power_mw": "Largest run's power", "power_available_gw": "Power available for AI",
    "stringency_us": "US stringency", "stringency_eu": "EU stringency", "stringency_cn": "CN stringency",
    "instruments_active": "Instruments in force", "incidents": "Incidents so far", "fines": "Fines",
    "hhi_compute": "Concentration of compute (HHI)", "active_labs": "Active labs",
    "releases": "Model releases", "bankruptcies": "Bankruptcies so far", "acquisitions": "Acquisitions so far",
}

# Units whose values span orders of magnitude: drawn on log axes, and their
# differences between inputs taken in log10 (orders of magnitude).
MAGNITUDE_UNITS = ("FLOP", "USD", "tokens", "TWh", "GW", "MW", "parameters")

# Aggregates compared between inputs in the difference panels, in page order.
DIFFERENCE_METRICS = ["frontier_capability", "largest_run_cost", "total_investment", "ai_revenue",
                      "compute_price", "energy_twh", "mean_sentiment", "stringency_us",
                      "hhi_compute", "active_labs", "synthetic_share", "data_wall_year"]


INSTRUMENT_LABELS = {
    "compute_threshold": "compute threshold",
    "training_cap": "training cap",
    "copyright": "strict copyright",
    "power_permitting": "power permitting",
    "export_controls": "export controls",
    "stringency": "base stringency",
}


def metric_title(metric: str) -> str:
    return METRIC_TITLES.get(metric, metric.replace("_", " "))


def parameter_label(key: str) -> str:
    """A key path as words: `compute.hardware_improvement_per_year` reads
    "hardware improvement per year (compute)"; list items keep their index."""
    parts = key.split(".")
    leaf = parts[-1].replace("_", " ")
    group = " ".join(p.replace("_", " ") for p in parts[:-1])
    return f"{leaf} ({group})" if group else leaf


@dataclass
class Scenario:
    run: airace.RunFile
    label: str
    colour: str
    index: int = 0
    fork_note: str = ""  # for a fork: "fork of <parent> at <date>: <changes>"

    @property
    def t(self) -> np.ndarray:
        return self.run.time

    def lw(self, base: float = 2.0) -> float:
        """Line width: the first scenario widest, so that lines that coincide
        (scenarios share their history until a policy diverges) stay visible."""
        return base * (1.55, 1.0, 0.6, 0.6, 0.6)[min(self.index, 4)] if self.index >= 0 else base


def past_year_sum(values: np.ndarray, per: int) -> np.ndarray:
    """A flow per step as a flow per year: the sum over the past `per` steps
    (over the steps so far, scaled, in the first year); NaN steps are skipped."""
    finite = np.isfinite(values)
    total = np.concatenate([[0.0], np.cumsum(np.where(finite, values, 0.0))])
    count = np.concatenate([[0], np.cumsum(finite)])
    index = np.arange(1, len(values) + 1)
    start = np.maximum(index - per, 0)
    n = count[index] - count[start]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (total[index] - total[start]) / n
    return np.where(n > 0, mean * per, np.nan)


def per_year(values: np.ndarray, units: str, per: int) -> Tuple[np.ndarray, str]:
    """Flows per step become flows per year (past_year_sum); other series as they are."""
    if units.endswith("/step"):
        return past_year_sum(values, per), units[: -len("/step")] + "/yr"
    return values, units


def series(sc: Scenario, name: str, yearly: bool = True) -> Tuple[Optional[np.ndarray], str]:
    """An aggregate of a scenario's run and its units (flows per year unless
    `yearly` is False); (None, "") when the run file lacks it."""
    run = sc.run
    if name not in run.h5["aggregates"]:
        return None, ""
    values = np.asarray(run.h5["aggregates"][name][:], dtype=float)
    units = run.units(f"aggregates/{name}")
    return per_year(values, units, run.steps_per_year) if yearly else (values, units)


def year_ends(t: np.ndarray) -> np.ndarray:
    """The steps that end a calendar year (time is the end of each step)."""
    return np.abs(t - np.round(t)) < 1e-6


def yearly_gain(t: np.ndarray, kappa: Optional[np.ndarray], gain: Optional[np.ndarray],
                per: int) -> Tuple[np.ndarray, np.ndarray]:
    """Capability gain per calendar year: (years, rise of κ over each year).
    One value a year instead of the quarterly series of "the rise over the
    past four quarters", which jumps whenever a release enters or leaves the
    window."""
    ends = np.flatnonzero(year_ends(t))
    if gain is None and kappa is not None:
        gain = np.full_like(kappa, np.nan)
        gain[per:] = kappa[per:] - kappa[:-per]
    if gain is None:
        return np.array([]), np.array([])
    ends = ends[ends >= per - 1]
    return np.round(t[ends]).astype(int) - 1, gain[ends]


def steps_per_year(time: np.ndarray) -> int:
    if len(time) > 1:
        return max(1, int(round(1.0 / float(np.median(np.diff(time))))))
    return 4


def fork_info(run: airace.RunFile) -> Optional[Dict[str, object]]:
    """A fork's parent (file name and SHA-256), fork date and changes; None
    for a run that is not a fork."""
    if "fork" not in run.h5:
        return None
    attrs = run.h5["fork"].attrs
    step = int(attrs.get("fork_step", 0))
    overrides = [line for line in airace_h5_str(attrs.get("overrides", "")).splitlines() if line.strip()]
    return {"parent": os.path.basename(airace_h5_str(attrs.get("parent_file", ""))),
            "sha256": airace_h5_str(attrs.get("parent_sha256", "")),
            "date": run.start_year + step / run.steps_per_year,
            "overrides": overrides}


def airace_h5_str(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def file_sha256(path: str) -> str:
    import hashlib
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scenario_labels(runs: List[airace.RunFile]) -> Tuple[List[str], List[str]]:
    """Each run's label and fork note. A fork is labelled "fork of <parent>
    at <date>" (with its changes when two forks share that) and noted "fork
    of <parent> at <date>: <changes>", where the parent is named by its label on the page
    when it is one of the runs (else by its scenario and file), so that a fork
    is never mistaken for the run it branched from. Runs of one scenario are
    told apart by seed, then by file."""
    forks = [fork_info(r) for r in runs]
    plain = [i for i, info in enumerate(forks) if info is None]
    labels = [r.scenario for r in runs]
    for i in plain:
        if sum(runs[j].scenario == runs[i].scenario for j in plain) > 1:
            labels[i] = f"{runs[i].scenario} (seed {runs[i].seed})"
    for i in plain:
        if sum(labels[j] == labels[i] for j in plain) > 1:
            labels[i] = f"{labels[i]} [{os.path.basename(runs[i].path)}]"
    notes = [""] * len(runs)
    hashes: Dict[int, str] = {}
    for i, info in enumerate(forks):
        if info is None:
            continue
        parent = f"{runs[i].scenario} [{info['parent']}]"
        for j, other in enumerate(runs):
            if j == i or forks[j] is not None:
                continue
            if os.path.basename(other.path) == info["parent"] or \
                    (info["sha256"] and hashes.setdefault(j, file_sha256(other.path)) == info["sha256"]):
                parent = labels[j]
                break
        changes = ", ".join(info["overrides"]) or "no changes"
        notes[i] = f"fork of {parent} at {info['date']:.2f}: {changes}"
        labels[i] = f"fork of {parent} at {info['date']:.2f}"
    for i in range(len(runs)):  # forks of one parent at one date: told apart by their changes
        if notes[i] and labels.count(labels[i]) > 1:
            changes = notes[i].split(": ", 1)[1]
            labels[i] += ": " + (changes if len(changes) <= 60 else changes[:57] + "...")
    return labels, notes


def make_scenarios(runs: List[airace.RunFile]) -> List[Scenario]:
    labels, notes = scenario_labels(runs)
    return [Scenario(r, labels[i], SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)],
                     i if len(runs) > 1 else -1, notes[i]) for i, r in enumerate(runs)]


def data_wall_year(sc: Scenario) -> Optional[float]:
    wall, _ = series(sc, "data_wall_year", yearly=False)
    if wall is None:
        return None
    reached = wall[np.isfinite(wall)]
    return float(reached[0]) if len(reached) else None


def sweep_series(sweep, metric: str) -> Tuple[np.ndarray, str, str]:
    """[runs, T] values of a kept aggregate over complete runs, transformed
    like run series (flows per step summed over the past year); the units;
    and how to draw it: 'log', 'lin' or 'reached' (a year metric such as
    data_wall_year, drawn as the share of runs that reached it)."""
    values = np.asarray(sweep.h5["aggregates"][metric][:], dtype=float)[sweep.complete()]
    units = airace_h5_str(sweep.h5["aggregates"][metric].attrs.get("units", ""))
    per = steps_per_year(sweep.time)
    if units.endswith("/step"):
        values = np.array([past_year_sum(row, per) for row in values]).reshape(values.shape)
        units = units[: -len("/step")] + "/yr"
    if units.startswith("year"):
        return values, units, "reached"
    return values, units, "log" if wide_range(values, units) else "lin"


def wide_range(values: np.ndarray, units: str) -> bool:
    """Whether a non-negative magnitude spans more than 30x: draw it on a log axis."""
    finite = values[np.isfinite(values)]
    positives = finite[finite > 0]
    magnitude = any(word in units for word in MAGNITUDE_UNITS)
    return bool(magnitude and finite.size > 0 and (finite >= 0).all() and positives.size >= finite.size / 2
                and positives.max() / positives.min() > 30)


def regulation_events(sc: Scenario):
    events = sc.run.events(airace.INSTRUMENT_EVENTS)
    regions = sc.run.static("regulators")["region"].tolist() if "regulators" in sc.run.kinds() else []
    rows = []
    for ev in events.itertuples(index=False):
        region = regions[ev.agent] if ev.agent_kind == "regulators" and 0 <= ev.agent < len(regions) else "?"
        instrument = INSTRUMENT_LABELS.get(ev.instrument, ev.instrument or "?")
        if ev.type == "policy":
            if ev.instrument == "stringency":
                what = f"base stringency set to {ev.value:.2f} (scripted)"
            elif ev.value == 0:
                what = f"{instrument} repealed (scripted)"
            else:
                what = f"{instrument} enacted at {ev.value:.3g} (scripted)"
        elif ev.type == "instrument_on":
            what = f"{instrument} switched on at {ev.value:.3g}"
        else:
            what = f"{instrument} switched off"
        rows.append((float(ev.time), region, str(ev.type), what))
    return rows


def regulators_regions(scs: List[Scenario]) -> List[str]:
    regions: List[str] = []
    for sc in scs:
        if "regulators" in sc.run.kinds():
            for r in sc.run.static("regulators")["region"]:
                if r not in regions:
                    regions.append(r)
    return regions or ["US", "EU", "CN"]


def stringency(sc: Scenario, region: str) -> Optional[np.ndarray]:
    values, _ = series(sc, f"stringency_{region.lower()}", yearly=False)
    if values is not None:
        return values
    if "regulators" in sc.run.kinds():
        static = sc.run.static("regulators")
        rows = static.index[static["region"] == region].tolist()
        if rows and "stringency" in sc.run.columns("regulators"):
            return sc.run.wide("regulators", "stringency").iloc[:, rows[0]].to_numpy()
    return None
