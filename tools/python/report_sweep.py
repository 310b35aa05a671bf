"""The figures of a sweep report (`airace report` of sweep files, report.py):
fan charts of the kept aggregates across the runs, and sensitivity bars per
metric (Sobol or Morris designs). Each returns a list of (matplotlib
figure, alt text) and a caption."""

from __future__ import annotations

from typing import Optional

import matplotlib.patches
import numpy as np
from matplotlib import ticker
from matplotlib.lines import Line2D

from report_common import metric_title, parameter_label, steps_per_year, sweep_series
from report_page import sensitivity_caption
from report_plot import log_axis, plt, year_axis

def panel_grid(count: int, panel_width: float, panel_height: float, handles, labels, title: str,
               ncols: Optional[int] = None):
    """A figure of `count` panels in rows of up to three, with a strip on top
    that holds the legend (so it never covers a panel) under a title."""
    ncols = ncols or (3 if count > 4 else 2 if count > 1 else 1)
    nrows = max(1, int(np.ceil(count / ncols)))
    fig = plt.figure(figsize=(panel_width * ncols + 0.5, panel_height * nrows + 0.9), layout="constrained")
    grid = fig.add_gridspec(nrows + 1, ncols, height_ratios=[0.02] + [1] * nrows)
    strip = fig.add_subplot(grid[0, :])
    strip.axis("off")
    strip.legend(handles, labels, loc="center", ncol=len(handles), frameon=False, borderaxespad=0)
    fig.suptitle(title, fontweight="bold")
    return fig, [grid[1 + i // ncols, i % ncols] for i in range(count)], ncols


def compact(value: float, _=None) -> str:
    """Tick label without an offset or a 1e9 multiplier: 2.5B, 300M, 12k."""
    magnitude = abs(value)
    if magnitude >= 1e15 or (0 < magnitude < 1e-3):
        return f"{value:.3g}"
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.3g}"


def fig_sweep_fan(sweep):
    metrics = sweep.aggregate_names()
    complete = int(sweep.complete().sum())
    colour = "#1f5fbf"
    handles = [Line2D([], [], color=colour, lw=2), matplotlib.patches.Patch(color=colour, alpha=0.45),
               matplotlib.patches.Patch(color=colour, alpha=0.18)]
    fig, cells, _ = panel_grid(len(metrics), 4.0, 3.2, handles,
                               ["median", "middle 50% of runs (25-75%)", "90% of runs (5-95%)"],
                               f"Sweep {sweep.name}: {complete} complete runs")
    per = steps_per_year(sweep.time)
    t0 = float(np.floor(sweep.time[0] - 1.0 / per)) if len(sweep.time) else 0.0
    t1 = float(sweep.time[-1]) if len(sweep.time) else 1.0
    for metric, cell in zip(metrics, cells):
        ax = fig.add_subplot(cell)
        values, units, mode = sweep_series(sweep, metric)
        ax.set_title(metric_title(metric))
        if mode == "reached":
            share = 100 * np.isfinite(values).mean(axis=0) if len(values) else np.zeros(len(sweep.time))
            ax.plot(sweep.time, share, color=colour, lw=2)
            ax.set_ylim(-2, 102)
            ax.set_ylabel("share of runs that reached it (%)")
        else:
            if mode == "log":
                values = np.where(values > 0, values, np.nan)
            band = np.full((len(sweep.time), 5), np.nan)
            has = np.isfinite(values).any(axis=0) if len(values) else np.zeros(len(sweep.time), bool)
            if has.any():
                band[has] = np.nanquantile(values[:, has], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0).T
            ax.fill_between(sweep.time, band[:, 0], band[:, 4], color=colour, alpha=0.18, lw=0)
            ax.fill_between(sweep.time, band[:, 1], band[:, 3], color=colour, alpha=0.3, lw=0)
            ax.plot(sweep.time, band[:, 2], color=colour, lw=2)
            ax.set_ylabel(units + (" (log scale)" if mode == "log" else ""))
            if mode == "log":
                log_axis(ax)
            else:
                ax.yaxis.set_major_formatter(ticker.FuncFormatter(compact))
        year_axis(ax, t0, t1, narrow=True)
    caption = (f"Each panel is one aggregate across the {complete} complete runs of the sweep: the "
               "median (line), the middle half of the runs (dark band) and 90% of them (light band, "
               "5th to 95th percentile) at each quarter. Flows are summed over the past year; year "
               "metrics (the data wall) show the share of runs that have reached them.")
    return [(fig, f"fan charts of the aggregates of sweep {sweep.name}")], caption


def sensitivity_bars(method: str):
    """The two bars per parameter, (index, its confidence index, legend
    label, colour), and the x axis label, of a Morris or Sobol table."""
    if method == "morris":
        bars = [("mu_star", "mu_star_conf", "\u03bc* (mean |elementary effect|)", "#1f5fbf"),
                ("sigma", None, "\u03c3 (spread of the effects: interactions, non-linearity)", "#e8871e")]
        xlabel = "effect on the metric per unit-cube step"
    else:
        bars = [("S1", "S1_conf", "first-order index S1 (the parameter alone)", "#1f5fbf"),
                ("ST", "ST_conf", "total index ST (with its interactions)", "#e8871e")]
        xlabel = "share of the metric's variance"
    return bars, xlabel


def draw_bars(ax, rows, bars, y, height_bar: float) -> None:
    """A metric's bars, one pair per parameter, or a note when it has no estimate."""
    estimated = False
    for j, (col, conf, _, colour) in enumerate(bars):
        if col not in rows:
            continue
        values = rows[col].to_numpy(dtype=float)
        estimated = estimated or bool(np.isfinite(values).any())
        err = None
        if conf and conf in rows:  # a whisker stops at zero: these indices are not negative
            half = np.nan_to_num(rows[conf].to_numpy(dtype=float))
            err = np.vstack([np.minimum(half, np.clip(np.nan_to_num(values), 0, None)), half])
        ax.barh(y + (j - 0.5) * height_bar, np.nan_to_num(values), height=height_bar, color=colour,
                xerr=err, error_kw=dict(ecolor="#333333", lw=0.9, capsize=2.5))
    if not estimated:
        ax.text(0.5, 0.5, "no estimate: too few complete\nsamples, or the metric is undefined",
                transform=ax.transAxes, ha="center", va="center", fontsize=9, color="#555555")


def fig_sweep_sensitivity(sweep):
    table = sweep.sensitivity()
    if table.empty:
        return [], (f"The {sweep.design or 'chosen'} design has no sensitivity indices; use a sobol or "
                    "morris design to get them.")
    metrics = list(dict.fromkeys(table["metric"]))
    params = list(dict.fromkeys(table["parameter"]))
    method = str(table["method"].iloc[0])
    height = max(2.2, 0.42 * len(params) + 1.3)
    bars, xlabel = sensitivity_bars(method)
    handles = [matplotlib.patches.Patch(color=c) for _, _, _, c in bars]
    fig, cells, ncols = panel_grid(len(metrics), 4.3, height, handles, [label for _, _, label, _ in bars],
                                   f"Sweep {sweep.name}: "
                                   f"{'Morris screening' if method == 'morris' else 'Sobol indices'}")
    y = np.arange(len(params))
    height_bar = 0.38
    first_ax = None
    for i, (metric, cell) in enumerate(zip(metrics, cells)):
        ax = fig.add_subplot(cell, sharey=first_ax)
        first_ax = first_ax or ax
        rows = table[table["metric"] == metric].set_index("parameter").reindex(params)
        draw_bars(ax, rows, bars, y, height_bar)
        if i == 0:
            ax.set_yticks(y)
            ax.set_yticklabels([parameter_label(p) for p in params])
            ax.invert_yaxis()
        ax.tick_params(axis="y", labelleft=(i % ncols == 0))
        ax.axvline(0, color="#888888", lw=0.8)
        if method != "morris":
            ax.set_xlim(min(-0.05, ax.get_xlim()[0]), max(1.05, ax.get_xlim()[1]))
        year = int(rows["metric_year"].iloc[0]) if "metric_year" in rows and len(rows) else sweep.metric_year
        ax.set_title(f"{metric_title(metric)} in {year}")
        units = sweep.aggregate_units().get(metric, "")
        ax.set_xlabel(f"{units} per unit-cube step" if method == "morris" and units else xlabel)
        ax.xaxis.set_major_locator(ticker.MaxNLocator(5))
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(compact))  # no offset text under the label
        ax.grid(axis="y", visible=False)
    return [(fig, f"sensitivity indices of sweep {sweep.name}")], sensitivity_caption(method)
