"""The interactive figures of sweep files and of comparisons (report.py,
report_web.py): each aggregate of a sweep as a band across its runs (median,
25-75% and 5-95%, and the mean ± 2 standard errors for an ensemble: one
design point run with many seeds), sensitivity bars (Sobol, Morris), and
the differences of runs and ensembles from the first input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np

from report_common import (DIFFERENCE_METRICS, MAGNITUDE_UNITS, Scenario, metric_title, parameter_label,
                           series, sweep_series)
from report_web import Figure, Plot, layout, line, numbers

BAND_COLOUR = "#1f5fbf"
SE_COLOUR = "#d62728"


def is_ensemble(sweep) -> bool:
    """An ensemble: design "ensemble", or any sweep of a single design point
    (its runs differ only by seed)."""
    points = np.asarray(sweep.h5["design/point"][:]) if "design/point" in sweep.h5 else np.array([])
    return sweep.design == "ensemble" or len(np.unique(points)) == 1


def rgba(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def band(x, lower, upper, name: str, colour: str, opacity: float, group: str) -> List[dict]:
    """A filled band between two series (two traces: the lower edge, then
    the upper one filled down to it); one legend entry."""
    edge = {"type": "scatter", "mode": "lines", "line": {"width": 0}, "legendgroup": group,
            "hoverinfo": "skip", "csv": False, "showlegend": False}
    lo = dict(edge, x=numbers(x), y=numbers(lower), name=f"{name} (lower)")
    hi = dict(edge, x=numbers(x), y=numbers(upper), name=name, fill="tonexty",
              fillcolor=rgba(colour, opacity), showlegend=True)
    hi["hoverinfo"] = "skip"
    return [lo, hi]


def mean_se(values: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, standard error and count over rows (NaN left out) at each time."""
    n = np.isfinite(values).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(values, axis=0) / n
        dev = np.where(np.isfinite(values), values - mean, 0.0)
        sd = np.sqrt((dev ** 2).sum(axis=0) / (n - 1))
    return np.where(n > 0, mean, np.nan), np.where(n > 1, sd / np.sqrt(np.maximum(n, 1)), np.nan), n


def fan_plot(sweep, metric: str, ensemble: bool) -> Plot:
    values, units, mode = sweep_series(sweep, metric)
    t = sweep.time
    title = metric_title(metric)
    if mode == "reached":
        share = 100 * np.isfinite(values).mean(axis=0) if len(values) else np.zeros(len(t))
        traces = [line(t, share, "share of runs that reached it", BAND_COLOUR)]
        return Plot(traces, layout(title, "share of runs that reached it (%)", yaxis={"range": [-2, 102]}))
    if mode == "log":
        values = np.where(values > 0, values, np.nan)
    q = np.full((5, len(t)), np.nan)
    has = np.isfinite(values).any(axis=0) if len(values) else np.zeros(len(t), bool)
    if has.any():
        q[:, has] = np.nanquantile(values[:, has], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    traces = (band(t, q[0], q[4], "5-95% of runs", BAND_COLOUR, 0.18, "q90")
              + band(t, q[1], q[3], "25-75% of runs", BAND_COLOUR, 0.3, "q50")
              + [line(t, q[2], "median", BAND_COLOUR)])
    if ensemble:
        mean, se, _ = mean_se(values)
        lower = mean - 2 * se
        if mode == "log":  # a log axis has no room below zero: the band stops at the lowest run
            lower = np.where(lower > 0, lower, np.nanmin(values, axis=0, initial=np.inf, where=np.isfinite(values)))
        traces += band(t, lower, mean + 2 * se, "mean \u00b1 2 SE", SE_COLOUR, 0.3, "se")
        traces.append(line(t, mean, "mean", SE_COLOUR, 1.5, "--"))
    return Plot(traces, layout(title, units + (" (log scale)" if mode == "log" else ""), log=mode == "log"))


def fig_sweep_fan(sweep, fig_id: str, heading: str) -> Figure:
    ensemble = is_ensemble(sweep)
    plots = [fan_plot(sweep, metric, ensemble) for metric in sweep.aggregate_names()]
    complete = int(sweep.complete().sum())
    caption = (f"Each panel is one aggregate across the {complete} complete runs of the sweep: the "
               "median (line), the middle half of the runs (dark band) and 90% of them (light band, "
               "5th to 95th percentile) at each quarter. Flows are summed over the past year; year "
               "metrics (the data wall) show the share of runs that have reached them.")
    if ensemble:
        caption += (" The runs differ only by seed (an ensemble), so the red band is the mean "
                    "\u00b1 2 standard errors: where the mean lies, not where single runs go.")
    return Figure(fig_id, heading, plots, caption)


def sensitivity_plot(table, metric: str, params: List[str], sweep) -> Plot:
    rows = table[table["metric"] == metric].set_index("parameter").reindex(params)
    method = str(rows["method"].dropna().iloc[0]) if rows["method"].notna().any() else "sobol"
    if method == "morris":
        bars = [("mu_star", "mu_star_conf", "\u03bc* (mean |elementary effect|)", "#1f5fbf"),
                ("sigma", None, "\u03c3 (spread of the effects)", "#e8871e")]
    else:
        bars = [("S1", "S1_conf", "S1 (the parameter alone)", "#1f5fbf"),
                ("ST", "ST_conf", "ST (with its interactions)", "#e8871e")]
    labels = [parameter_label(p) for p in params]
    traces = []
    for column, conf, name, colour in bars:
        if column not in rows:
            continue
        values = rows[column].to_numpy(dtype=float)
        trace = {"type": "bar", "orientation": "h", "y": labels, "x": numbers(values), "name": name,
                 "marker": {"color": colour}, "customdata": params,
                 "hovertemplate": "%{customdata}: %{x:.3g}<extra>" + name + "</extra>"}
        if conf and conf in rows:  # a whisker stops at zero: these indices are not negative
            half = np.nan_to_num(rows[conf].to_numpy(dtype=float))
            below = np.minimum(half, np.clip(np.nan_to_num(values), 0, None))
            trace["error_x"] = {"type": "data", "symmetric": False, "array": numbers(half),
                                "arrayminus": numbers(below)}
        traces.append(trace)
    years = rows["metric_year"].dropna() if "metric_year" in rows else []
    year = int(years.iloc[0]) if len(years) else sweep.metric_year
    units = sweep.aggregate_units().get(metric, "")
    xtitle = (f"{units} per unit-cube step" if units else "effect per unit-cube step") if method == "morris" \
        else "share of the metric's variance"
    return Plot(traces, layout(f"{metric_title(metric)} in {year}", "", xtitle=xtitle, hovermode="closest",
                               barmode="group", yaxis={"autorange": "reversed", "type": "category"},
                               margin={"l": 260}, height=max(300, 60 + 45 * len(params))))


def fig_sweep_sensitivity(sweep, fig_id: str, heading: str, caption_of) -> Figure:
    table = sweep.sensitivity()
    if table.empty:
        return Figure(fig_id, heading, [], f"The {sweep.design or 'chosen'} design has no sensitivity "
                      "indices; use a sobol or morris design to get them.")
    metrics = list(dict.fromkeys(table["metric"]))
    params = list(dict.fromkeys(table["parameter"]))
    plots = [sensitivity_plot(table, metric, params, sweep) for metric in metrics]
    method = str(table["method"].iloc[0])
    rows = [tuple(table.columns)] + [tuple(r) for r in table.itertuples(index=False)]
    return Figure(fig_id, heading, plots, caption_of(method) + " Parameters are named by their keys "
                  "(hover a bar for the key path).", csv_rows=rows)


# -- differences from the first input ---------------------------------------

@dataclass
class Input:
    """A run or an ensemble on a comparison: its label, colour and each
    metric's values [rows, T] (one row for a run, one per seed for an ensemble)."""
    label: str
    colour: str
    time: np.ndarray
    seeds: Optional[np.ndarray]  # None for a run
    source: object

    def values(self, metric: str) -> Tuple[Optional[np.ndarray], str]:
        if isinstance(self.source, Scenario):
            values, units = series(self.source, metric)
            return (None, units) if values is None else (values[np.newaxis, :], units)
        if metric not in self.source.h5["aggregates"]:
            return None, ""
        values, units, _ = sweep_series(self.source, metric)
        return values, units


def ensemble_input(sweep, colour: str) -> Input:
    complete = sweep.complete()
    seeds = (np.asarray(sweep.h5["design/seed"][:]) if "design/seed" in sweep.h5
             else np.arange(len(complete)))[complete]
    return Input(f"{sweep.name} (ensemble of {len(seeds)} runs)", colour, sweep.time, seeds, sweep)


def difference(first: Input, other: Input, metric: str):
    """other minus first at each time: (mean, standard error or None, how),
    in log10 (orders of magnitude) for magnitudes; None when not comparable."""
    a, units = first.values(metric)
    b, _ = other.values(metric)
    if a is None or b is None or a.shape[1] != b.shape[1] or units.startswith("year"):
        return None
    log = any(word in units for word in MAGNITUDE_UNITS)
    if log:
        with np.errstate(divide="ignore", invalid="ignore"):
            a, b = np.log10(np.where(a > 0, a, np.nan)), np.log10(np.where(b > 0, b, np.nan))
        units = "orders of magnitude (log10 ratio)"
    if first.seeds is not None and other.seeds is not None and sorted(first.seeds) == sorted(other.seeds):
        order_a, order_b = np.argsort(first.seeds), np.argsort(other.seeds)
        mean, se, n = mean_se(b[order_b] - a[order_a])
        how = f"paired by seed over {int(n.max())} seeds"
    elif first.seeds is None or other.seeds is None:
        mean, se, n = mean_se(b - a)  # a run against each seed of an ensemble, or run minus run
        how = "run minus run" if n.max() <= 1 else f"over {int(n.max())} seeds"
    else:
        ma, sa, _ = mean_se(a)
        mb, sb, _ = mean_se(b)
        mean, se, how = mb - ma, np.sqrt(sa ** 2 + sb ** 2), "difference of means (different seeds)"
    return mean, (None if first.seeds is None and other.seeds is None else se), units, how


def fig_differences(inputs: List[Input]) -> Optional[Figure]:
    first, others = inputs[0], inputs[1:]
    plots = []
    hows = set()
    for metric in DIFFERENCE_METRICS:
        traces, units = [], ""
        for other in others:
            result = difference(first, other, metric)
            if result is None:
                continue
            mean, se, units, how = result
            hows.add(how)
            if se is not None:
                traces += band(other.time, mean - 2 * se, mean + 2 * se, f"{other.label}: \u00b1 2 SE",
                               other.colour, 0.25, other.label)
            traces.append(line(other.time, mean, f"{other.label} minus {first.label}", other.colour,
                               group=other.label))
        if traces:
            zero = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 0, "y1": 0,
                    "line": {"color": "#888", "width": 1}}
            plots.append(Plot(traces, layout(metric_title(metric), units or "difference", shapes=[zero])))
    if not plots:
        return None
    caption = (f"Each input minus the first ({first.label}) at each quarter, for the main aggregates: "
               "magnitudes (money, compute, energy) as the log10 of their ratio (+1 = ten times "
               "the first), the rest in their own units. For ensembles the line is the mean "
               "difference and the band \u00b1 2 standard errors (" + "; ".join(sorted(hows)) + "): "
               "a band that excludes zero is a difference the seeds' noise does not explain.")
    return Figure("fig-diff", f"Differences from {first.label}", plots, caption)
