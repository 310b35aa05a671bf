#!/usr/bin/python3
"""airace report: one self-contained HTML page of plots for run files (several
overlaid as scenarios) and sweep files (fan charts and sensitivity bars).

Usage: report.py FILE.h5 [FILE.h5 ...] -o report.html [--graph-year YEAR] [--title TEXT]

Run by `airace report`, or directly with Debian's /usr/bin/python3 (needs
python3-h5py, python3-pandas, python3-matplotlib). Exit codes as airace's:
0 success, 1 runtime failure, 2 bad input (missing, foreign or damaged file).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import html
import io
import os
import sys
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.patches  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import ticker  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.transforms import ScaledTranslation  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import airace_h5  # noqa: E402

EXIT_OK, EXIT_RUNTIME, EXIT_BAD_INPUT = 0, 1, 2

# Every figure of a run report, in page order: (id, heading). Tests check the
# ids; keep them stable.
RUN_FIGURES = [
    ("fig-capability", "Frontier capability and its yearly gain"),
    ("fig-compute", "Training compute and the cost of the largest run"),
    ("fig-price", "Compute price"),
    ("fig-investment", "Investment, AI revenue and investor sentiment"),
    ("fig-data", "The data wall: human data, usable data, frontier data use, synthetic share"),
    ("fig-energy", "Energy and power"),
    ("fig-regulation", "Regulatory stringency, policy events and instrument switches"),
    ("fig-concentration", "Concentration and active labs"),
    ("fig-graph", "Relationship graph"),
]
SWEEP_FIGURES = [
    ("fig-sweep-fan", "Aggregates across the sweep: median and 5-95% band"),
    ("fig-sweep-sensitivity", "Sensitivity of each metric to each parameter"),
]

SCENARIO_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",  # then darker shades
                    "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
                    "#e6550d", "#31a354", "#756bb1", "#252525"]
REGION_COLOURS = {"US": "#1f5fbf", "EU": "#e0a000", "CN": "#c0282d", "world": "#555555"}
EDGE_STYLE = {  # type: (colour, legend label)
    "equity": ("#4a6fa5", "equity (investor \u2192 lab, USD)"),
    "compute_contract": ("#2e9e4f", "compute contract (provider \u2192 lab, FLOP)"),
    "licence": ("#8e5fb5", "data licence (provider \u2192 lab)"),
    "exclusive": ("#d6336c", "exclusive data deal"),
    "lobbying": ("#e8871e", "lobbying (lab \u2192 regulator, USD)"),
    "influence": ("#c0282d", "influence (influencer \u2192 regulator)"),
}
INSTRUMENT_LABELS = {
    "compute_threshold": "compute threshold",
    "training_cap": "training cap",
    "copyright": "strict copyright",
    "power_permitting": "power permitting",
    "export_controls": "export controls",
    "stringency": "base stringency",
}

plt.rcParams.update({
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "legend.fontsize": 8.5,
    "legend.framealpha": 0.9,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
})


class BadInput(Exception):
    pass


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

@dataclass
class Scenario:
    run: airace_h5.RunFile
    label: str
    colour: str
    index: int = 0

    @property
    def t(self) -> np.ndarray:
        return self.run.time

    def lw(self, base: float = 2.0) -> float:
        """Line width: the first scenario widest, so that lines that coincide
        (scenarios share their history until a policy diverges) stay visible."""
        return base * (1.55, 1.0, 0.6, 0.6, 0.6)[min(self.index, 4)] if self.index >= 0 else base


def series(sc: Scenario, name: str, per_year: bool = True) -> Tuple[Optional[np.ndarray], str]:
    """An aggregate and its units. Flows per step become flows per year: the
    sum over the past year (four quarters; over the steps so far, scaled, in
    the first year), so that axes read in familiar units and quarterly noise
    is smoothed."""
    run = sc.run
    if name not in run.h5["aggregates"]:
        return None, ""
    values = np.asarray(run.h5["aggregates"][name][:], dtype=float)
    units = run.units(f"aggregates/{name}")
    if per_year and units.endswith("/step"):
        per = run.steps_per_year
        values = (pd.Series(values).rolling(per, min_periods=1).mean() * per).to_numpy()
        units = units[: -len("/step")] + "/yr"
    return values, units


def year_axis(ax, t0: float, t1: float, narrow: bool = False) -> None:
    """Calendar years on the x axis: integer labels, a minor tick per year."""
    span = t1 - t0
    if span <= 6:
        major = 1
    elif span <= 12:
        major = 2
    elif span <= 24:
        major = 5 if narrow else 2 if span <= 14 else 4
    elif span <= 60:
        major = 10 if narrow else 5
    else:
        major = 20 if narrow else 10
    ax.set_xlim(t0, t1)
    ax.xaxis.set_major_locator(ticker.MultipleLocator(major))
    ax.xaxis.set_minor_locator(ticker.MultipleLocator(1 if span <= 60 else 5))
    ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:.0f}"))
    ax.set_xlabel("year")


def time_range(scenarios: List[Scenario]) -> Tuple[float, float]:
    start = min(float(sc.run.start_year) for sc in scenarios)
    end = max(float(sc.t[-1]) for sc in scenarios)
    return start, end


def year_axes(scs: List[Scenario], axes, log=()) -> None:
    """Calendar years over the scenarios' time range on each of `axes`, then
    log scales on those in `log`."""
    t0, t1 = time_range(scs)
    for ax in axes:
        year_axis(ax, t0, t1)
    for ax in log:
        log_axis(ax)


def log_axis(ax) -> None:
    ax.set_yscale("log")
    lo, hi = ax.get_ylim()
    decades = np.log10(hi) - np.log10(max(lo, 1e-300))
    step = 1 if decades <= 8 else 2 if decades <= 16 else 4
    ax.yaxis.set_major_locator(ticker.LogLocator(base=10 ** step, numticks=20))
    ax.yaxis.set_minor_locator(ticker.LogLocator(base=10, subs=(1.0,) if step > 1 else
                                                 np.arange(2, 10) * 0.1, numticks=40))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def positive(values: Optional[np.ndarray]) -> np.ndarray:
    """Values for a log axis: zeros and negatives become gaps."""
    out = np.array(values if values is not None else [], dtype=float)
    out[~(out > 0)] = np.nan
    return out


def _below(ax, fig, points: float = 38):
    return ax.transAxes + ScaledTranslation(0, -points / 72, fig.dpi_scale_trans)


def style_legend(ax, entries: List[Tuple[str, dict]], ncol: int = 2, marker: bool = False):
    """What the line styles (or markers) of a panel mean, below the panel."""
    if marker:
        handles = [Line2D([], [], color="#777777", ls="none", mec="black", **kw) for _, kw in entries]
    else:
        handles = [Line2D([], [], color="#333333", **kw) for _, kw in entries]
    legend = ax.legend(handles, [label for label, _ in entries], loc="upper center",
                       bbox_to_anchor=(0.5, 0), bbox_transform=_below(ax, ax.figure),
                       ncol=min(ncol, len(entries)), frameon=False, handlelength=2.6)
    return legend


def new_figure(scs: List[Scenario], ncols: int = 2, width: float = 11.5, height: float = 4.4,
               width_ratios=None, sharey: bool = False):
    """A figure of `ncols` panels side by side; with several scenarios, a strip
    above them holds the legend of scenario colours (so no legend covers data)."""
    fig = plt.figure(figsize=(width, height + (0.45 if len(scs) > 1 else 0)), layout="constrained")
    rows = 2 if len(scs) > 1 else 1
    grid = fig.add_gridspec(rows, ncols, height_ratios=[0.02, 1] if rows == 2 else [1],
                            width_ratios=width_ratios)
    axes = []
    for c in range(ncols):
        share = axes[0] if (sharey and axes) else None
        axes.append(fig.add_subplot(grid[rows - 1, c], sharey=share))
        if share is not None:
            axes[-1].tick_params(labelleft=True)
    if rows == 2:
        strip = fig.add_subplot(grid[0, :])
        strip.axis("off")
        handles = [Line2D([], [], color=sc.colour, lw=3) for sc in scs]
        strip.legend(handles, [sc.label for sc in scs], loc="center", ncol=min(len(scs), 5),
                     frameon=False, fontsize=10, title="scenario", title_fontsize=10,
                     borderaxespad=0, handlelength=2.2, columnspacing=2.5)
    return fig, axes


PNG_DIR: Optional[str] = None  # --png-dir: also write each image there


def png_base64(fig, name: str = "figure") -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    data = buffer.getvalue()
    if PNG_DIR:
        with open(os.path.join(PNG_DIR, name + ".png"), "wb") as out:
            out.write(data)
    return base64.b64encode(data).decode("ascii")


def title_suffix(scenarios: List[Scenario]) -> str:
    return f" \u2014 {scenarios[0].label}" if len(scenarios) == 1 else ""


# ---------------------------------------------------------------------------
# Run figures: each returns a list of (matplotlib figure, alt text) and a caption.
# ---------------------------------------------------------------------------

def fig_capability(scs: List[Scenario]):
    fig, (a, b) = new_figure(scs)
    for sc in scs:
        kappa, _ = series(sc, "frontier_capability")
        gain, _ = series(sc, "frontier_capability_gain")
        if gain is None and kappa is not None:
            per = sc.run.steps_per_year
            gain = np.full_like(kappa, np.nan)
            gain[per:] = kappa[per:] - kappa[:-per]
        a.plot(sc.t, kappa, color=sc.colour, lw=sc.lw())
        b.plot(sc.t, gain, color=sc.colour, lw=sc.lw(1.6))
    a.set_title("Frontier capability" + title_suffix(scs))
    a.set_ylabel("capability \u03ba (log10 effective training FLOP)")
    b.set_title("Yearly gain of frontier capability")
    b.set_ylabel("rise of \u03ba over the past year (OOM/yr)")
    b.axhline(0, color="#888888", lw=0.8)
    year_axes(scs, (a, b))
    caption = ("Left: capability \u03ba of the best deployed model (the log10 of the effective "
               "compute a clean-data run would need). Right: by how many orders of magnitude (OOM) "
               "\u03ba rose over the previous four quarters; it jumps when a new frontier model is "
               "released, and a falling trend means the race is slowing down.")
    return [(fig, "frontier capability and yearly gain")], caption


def fig_compute(scs: List[Scenario]):
    fig, (a, b) = new_figure(scs)
    for sc in scs:
        frontier, _ = series(sc, "frontier_training_flop")
        total, _ = series(sc, "total_training_flop")
        a.plot(sc.t, positive(frontier), color=sc.colour, lw=sc.lw())
        if total is not None:
            a.plot(sc.t, positive(total), color=sc.colour, lw=sc.lw(1.4), ls="--")
        cost, _ = series(sc, "largest_run_cost")
        if cost is None:
            cost, _ = series(sc, "frontier_run_cost")
        b.plot(sc.t, positive(cost), color=sc.colour, lw=sc.lw())
    a.set_title("Training compute" + title_suffix(scs))
    a.set_ylabel("FLOP (log scale)")
    b.set_title("Cost of the largest training run")
    b.set_ylabel("USD (log scale)")
    year_axes(scs, (a, b), log=(a, b))
    style_legend(a, [("frontier model's training run (FLOP)", {"lw": 2}),
                     ("all labs' training over the past year (FLOP/yr)", {"lw": 1.4, "ls": "--"})],
                 ncol=1)
    caption = ("Left: compute of the frontier model's training run (solid) and the training "
               "compute of all labs together over the past year (dashed). Right: cost in US "
               "dollars of the largest training run in progress or released. Log scales.")
    return [(fig, "training compute and largest run cost")], caption


def fig_price(scs: List[Scenario]):
    fig, (a, b) = new_figure(scs)
    region_styles = {"US": "-", "EU": "--", "CN": ":"}
    for sc in scs:
        price, _ = series(sc, "compute_price")
        a.plot(sc.t, positive(price), color=sc.colour, lw=sc.lw())
        if "compute" in sc.run.markets():
            regional = sc.run.market("compute", "price")
            for label in regional.columns:
                b.plot(sc.t, positive(regional[label].to_numpy()), color=sc.colour, lw=sc.lw(1.5),
                       ls=region_styles.get(label, "-."))
    a.set_title("Compute price, world average" + title_suffix(scs))
    a.set_ylabel("USD per FLOP (log scale)")
    b.set_title("Compute price by regional market")
    b.set_ylabel("USD per FLOP (log scale)")
    year_axes(scs, (a, b), log=(a, b))
    style_legend(b, [(f"{r} market", {"lw": 1.6, "ls": s}) for r, s in region_styles.items()], ncol=3)
    caption = ("Price of one FLOP of cloud compute: the world average weighted by the quantity "
               "sold (left) and the clearing price of each regional market (right). Better "
               "hardware pushes it down; scarcity (export controls, power limits, demand "
               "outrunning capacity) pushes it up.")
    return [(fig, "compute price")], caption


def fig_investment(scs: List[Scenario]):
    fig, (a, b) = new_figure(scs)
    for sc in scs:
        inv, _ = series(sc, "total_investment")
        rev, _ = series(sc, "ai_revenue")
        sent, _ = series(sc, "mean_sentiment")
        a.plot(sc.t, positive(inv), color=sc.colour, lw=sc.lw())
        a.plot(sc.t, positive(rev), color=sc.colour, lw=sc.lw(1.4), ls="--")
        b.plot(sc.t, sent, color=sc.colour, lw=sc.lw())
    a.set_title("Investment vs AI revenue" + title_suffix(scs))
    a.set_ylabel("USD per year (past four quarters, log scale)")
    b.set_title("Investor sentiment")
    b.set_ylabel("mean investor sentiment (index, 0 = neutral)")
    b.axhline(0, color="#888888", lw=0.8)
    year_axes(scs, (a, b), log=(a,))
    style_legend(a, [("investment into labs", {"lw": 2}), ("AI revenue of labs", {"lw": 1.4, "ls": "--"})])
    caption = ("Left: money invested into labs in funding rounds (solid) against the revenue labs "
               "earn from AI products (dashed), each summed over the past year. Right: investors' "
               "mean sentiment; it turns negative when returns disappoint, and funding rounds "
               "then fail.")
    return [(fig, "investment, revenue and sentiment")], caption


def data_wall_year(sc: Scenario) -> Optional[float]:
    wall, _ = series(sc, "data_wall_year", per_year=False)
    if wall is None:
        return None
    reached = wall[np.isfinite(wall)]
    return float(reached[0]) if len(reached) else None


def fig_data(scs: List[Scenario]):
    fig, (a, b) = new_figure(scs, width_ratios=[1.5, 1])
    top = 0.0
    for sc in scs:
        stock, _ = series(sc, "human_data_stock")
        usable, _ = series(sc, "human_data_accessible")
        used, _ = series(sc, "frontier_data_used")
        synth, _ = series(sc, "synthetic_share")
        a.plot(sc.t, positive(stock), color=sc.colour, lw=sc.lw())
        a.plot(sc.t, positive(usable), color=sc.colour, lw=sc.lw(1.5), ls="--")
        a.plot(sc.t, positive(used), color=sc.colour, lw=sc.lw(1.5), ls=":")
        if synth is not None:
            b.plot(sc.t, 100 * synth, color=sc.colour, lw=sc.lw())
            top = max(top, float(np.nanmax(100 * synth)) if np.isfinite(synth).any() else 0.0)
        wall = data_wall_year(sc)
        if wall is not None:
            for ax in (a, b):
                ax.axvline(wall, color=sc.colour, lw=1.3, ls="-.", alpha=0.9)
    a.set_title("Human data and the frontier's use of it" + title_suffix(scs))
    a.set_ylabel("tokens (log scale)")
    b.set_title("Synthetic share of training data")
    b.set_ylabel("share of the frontier's training tokens (%)")
    b.set_ylim(-1, max(10.0, min(101.0, top * 1.15)))
    year_axes(scs, (a, b), log=(a,))
    style_legend(a, [("human text in existence", {"lw": 2}),
                     ("usable by the frontier lab (open and allowed, or licensed)", {"lw": 1.5, "ls": "--"}),
                     ("used by the frontier model", {"lw": 1.5, "ls": ":"}),
                     ("data wall reached (first data-limited frontier model)", {"lw": 1.3, "ls": "-."})],
                 ncol=1)
    walls = "; ".join(f"{sc.label}: {data_wall_year(sc):.2f}" if data_wall_year(sc) is not None
                      else f"{sc.label}: not reached" for sc in scs)
    caption = ("Left: the stock of human-written text, the part the frontier lab may legally "
               "train on (open data that copyright rules allow, plus licences), and the tokens its "
               "latest model was trained on. The frontier hits the data wall when it has trained on "
               f"all the human data it may use (dash-dot vertical line; {walls}). Right: the share "
               "of synthetic tokens in the frontier model's training data.")
    return [(fig, "data wall and synthetic share")], caption


def fig_energy(scs: List[Scenario]):
    fig, (a, b) = new_figure(scs)
    for sc in scs:
        energy, _ = series(sc, "energy_twh")
        a.plot(sc.t, positive(energy), color=sc.colour, lw=sc.lw())
        avail, _ = series(sc, "power_available_gw")
        b.plot(sc.t, positive(avail), color=sc.colour, lw=sc.lw())
        if "energy" in sc.run.markets():
            used = sc.run.market("energy", "power_used").sum(axis=1).to_numpy()
            b.plot(sc.t, positive(used), color=sc.colour, lw=sc.lw(1.5), ls="--")
        largest, _ = series(sc, "largest_run_power_mw")
        if largest is not None:
            b.plot(sc.t, positive(largest / 1000.0), color=sc.colour, lw=sc.lw(1.2), ls=":")
    a.set_title("Electricity used by AI data centres" + title_suffix(scs))
    a.set_ylabel("TWh per year (past four quarters, log scale)")
    b.set_title("Power for AI")
    b.set_ylabel("GW (log scale)")
    year_axes(scs, (a, b), log=(a, b))
    style_legend(b, [("power available for AI", {"lw": 2}), ("power drawn by AI", {"lw": 1.5, "ls": "--"}),
                     ("largest training run's draw", {"lw": 1.2, "ls": ":"})], ncol=2)
    caption = ("Left: electricity used by AI compute (training and serving) over the past year. "
               "Right: power available to AI data centres in all regions, the power they actually "
               "draw, and the draw of the largest single training run, in gigawatts.")
    return [(fig, "energy and power")], caption


def regulation_events(sc: Scenario):
    events = sc.run.events(airace_h5.INSTRUMENT_EVENTS)
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
    values, _ = series(sc, f"stringency_{region.lower()}", per_year=False)
    if values is not None:
        return values
    if "regulators" in sc.run.kinds():
        static = sc.run.static("regulators")
        rows = static.index[static["region"] == region].tolist()
        if rows and "stringency" in sc.run.columns("regulators"):
            return sc.run.wide("regulators", "stringency").iloc[:, rows[0]].to_numpy()
    return None


EVENT_MARKERS = {"policy": ("D", "scripted policy decision"),
                 "instrument_on": ("^", "instrument switched on by stringency"),
                 "instrument_off": ("v", "instrument switched off by stringency")}


def fig_regulation(scs: List[Scenario]):
    regions = regulators_regions(scs)
    fig, axes = new_figure(scs, ncols=len(regions), height=4.6, sharey=True)
    t0, t1 = time_range(scs)
    table = []
    for ax, region in zip(axes, regions):
        for sc in scs:
            values = stringency(sc, region)
            if values is None:
                continue
            ax.plot(sc.t, values, color=sc.colour, lw=sc.lw())
            for time, ev_region, kind, what in regulation_events(sc):
                if ev_region != region:
                    continue
                index = int(np.argmin(np.abs(sc.t - time)))
                marker, _ = EVENT_MARKERS.get(kind, ("o", ""))
                ax.plot([time], [values[index]], marker=marker, ms=8 if sc.index < 0 else 9.5 - 1.8 * min(sc.index, 2), color=sc.colour,
                        mec="black", mew=0.7, ls="none", zorder=5 + sc.index)
        ax.set_title(f"{region} regulator" + title_suffix(scs))
        ax.set_ylim(-0.02, 1.02)
        year_axis(ax, t0, t1, narrow=True)
    axes[0].set_ylabel("stringency (index: 0 laissez-faire, 1 strictest)")
    for sc in scs:
        for time, region, kind, what in regulation_events(sc):
            table.append((sc.label, time, region, what))
    style_legend(axes[len(axes) // 2], [(label, {"marker": m, "ms": 8}) for m, label in EVENT_MARKERS.values()],
                 ncol=1, marker=True)
    caption = ("Stringency of each jurisdiction's regulator (0 to 1): it moves toward a target set "
               "by public concern, incidents, influencers and lobbying, and switches instruments "
               "(compute thresholds, training caps, strict copyright, power permitting, export "
               "controls) on when it stays above their thresholds. Markers show scripted policy "
               "decisions (\u25c6) and instruments that stringency switched on (\u25b2) or off "
               "(\u25bc); the table below lists them.")
    return [(fig, "regulatory stringency with policy events")], caption, table


def fig_concentration(scs: List[Scenario]):
    fig, (a, b) = new_figure(scs)
    for sc in scs:
        hhi, _ = series(sc, "hhi_compute", per_year=False)
        active, _ = series(sc, "active_labs", per_year=False)
        bankrupt, _ = series(sc, "bankruptcies", per_year=False)
        acquired, _ = series(sc, "acquisitions", per_year=False)
        a.plot(sc.t, hhi, color=sc.colour, lw=sc.lw())
        b.plot(sc.t, active, color=sc.colour, lw=sc.lw())
        if bankrupt is not None:
            b.plot(sc.t, bankrupt, color=sc.colour, lw=sc.lw(1.4), ls="--")
        if acquired is not None:
            b.plot(sc.t, acquired, color=sc.colour, lw=sc.lw(1.4), ls=":")
    a.set_title("Concentration of compute" + title_suffix(scs))
    a.set_ylabel("HHI of compute bought by labs (0-1)")
    a.set_ylim(0, 1.02)
    b.set_title("Labs in the race")
    b.set_ylabel("number of labs")
    b.set_ylim(bottom=0)
    b.yaxis.set_major_locator(ticker.MaxNLocator(integer=True))
    year_axes(scs, (a, b))
    style_legend(b, [("active labs", {"lw": 2}), ("bankrupt so far", {"lw": 1.4, "ls": "--"}),
                     ("acquired so far", {"lw": 1.4, "ls": ":"})], ncol=3)
    caption = ("Left: Herfindahl-Hirschman index (HHI) of the compute labs buy each quarter: the "
               "sum of squared market shares, 1/n for n equal labs, 1 for a monopoly; above 0.25 "
               "counts as highly concentrated. Right: labs still active, and how many went "
               "bankrupt or were acquired so far.")
    return [(fig, "concentration and active labs")], caption


# -- the relationship graph --------------------------------------------------

GRAPH_MAX_NODES = {"labs": 50, "investors": 30, "data_providers": 15}  # the rest: one "other" node
GRAPH_MAX_EDGES_PER_TYPE = 600
GRAPH_LAYOUT = {  # kind: (x, top, bottom)
    "investors": (0.0, 1.0, 0.45),
    "data_providers": (0.0, 0.36, 0.0),
    "labs": (1.0, 1.0, 0.0),
    "regulators": (2.0, 1.0, 0.8),
    "compute_providers": (2.0, 0.68, 0.3),
    "influencers": (2.7, 1.0, 0.8),
}
GRAPH_MARKERS = {"investors": "s", "labs": "o", "compute_providers": "P", "data_providers": "D",
                 "regulators": "*", "influencers": "X"}


def draw_graph(sc: Scenario, year: Optional[float]):
    run = sc.run
    step = run.snapshot_step(year if year is not None else run.snapshot_years()[-1])
    when = float(run.time[step])
    edges = run.edges(step=step)
    kinds = [k for k in run.kinds() if k in GRAPH_LAYOUT]

    def column(kind: str, col: str) -> np.ndarray:
        if col in run.columns(kind):
            return np.asarray(run.h5[kind][col][step, :], dtype=float)
        return np.zeros(len(run.static(kind)))

    def edge_strength(kind: str) -> np.ndarray:
        total = np.zeros(len(run.static(kind)))
        for side in ("src", "dst"):
            sel = edges[edges[f"{side}_kind"] == kind]
            np.add.at(total, sel[side].to_numpy(), sel["weight"].abs().to_numpy())
        return total

    rank_by = {"investors": "invested_total", "labs": "capability", "compute_providers": "capacity",
               "data_providers": "stock", "regulators": "stringency", "influencers": "stance"}
    size_by = {"investors": "aum", "labs": "valuation", "compute_providers": "capacity",
               "data_providers": "stock"}

    # Nodes: per kind the strongest first (top of its band); beyond
    # GRAPH_MAX_NODES the rest become one node "N other <kind>" at the bottom.
    node_of = {}    # kind -> array agent row -> node y index
    nodes = {}      # kind -> dict(x, y, size, colour, face, label)
    axes_height_pt = 8.4 * 72 * 0.82 / 1.15
    for kind in kinds:
        static = run.static(kind)
        n = len(static)
        if n == 0:
            continue
        x, top, bottom = GRAPH_LAYOUT[kind]
        key = np.abs(np.nan_to_num(column(kind, rank_by[kind]), nan=-np.inf)) + 1e-30 * edge_strength(kind)
        if kind == "labs":
            key = np.nan_to_num(column(kind, "capability"), nan=-np.inf)
        order = np.lexsort((np.arange(n), -key))
        limit = GRAPH_MAX_NODES.get(kind, 30)
        keep = order[:limit] if n > limit + 1 else order
        slots = len(keep) + (1 if len(keep) < n else 0)
        ys = np.linspace(top, bottom, slots) if slots > 1 else np.array([(top + bottom) / 2])
        mapping = np.full(n, slots - 1)
        mapping[keep] = np.arange(len(keep))
        node_of[kind] = mapping
        spacing_pt = (top - bottom) / max(slots - 1, 1) * axes_height_pt
        biggest = min(15.0, max(4.0, 0.95 * spacing_pt)) ** 2
        raw_size = column(kind, size_by[kind]) if kind in size_by else np.ones(n)
        v = np.log10(np.clip(np.nan_to_num(raw_size), 0, None) + 1.0)
        scaled = 0.25 + 0.75 * (v - v.min()) / (v.max() - v.min()) if v.max() > v.min() else np.full(n, 0.7)
        regions = static["region"].tolist()
        names = static["name"].tolist()
        colours = [REGION_COLOURS.get(r, "#555555") for r in regions]
        faces = list(colours)
        if kind == "labs":
            status = column("labs", "status")
            faces = ["white" if s > 0 else c for s, c in zip(status, colours)]
        node = {"x": np.full(slots, x), "y": ys, "size": np.zeros(slots), "colour": [""] * slots,
                "face": [""] * slots, "label": [""] * slots}
        for row, slot in zip(keep, range(len(keep))):
            node["size"][slot] = biggest * scaled[row] * (3.0 if kind in ("regulators", "influencers") else 1.0)
            node["colour"][slot] = colours[row]
            node["face"][slot] = faces[row]
            node["label"][slot] = names[row]
        if len(keep) < n:
            node["size"][-1] = biggest
            node["colour"][-1] = "#555555"
            node["face"][-1] = "#bbbbbb"
            node["label"][-1] = f"{n - len(keep)} other {kind.replace('_', ' ')}"
        nodes[kind] = node

    fig, ax = plt.subplots(figsize=(11.5, 8.4), layout="constrained")
    legend_edges = []
    for etype in run.edge_types():
        group = edges[(edges["type"] == etype) & edges["src_kind"].isin(list(nodes))
                      & edges["dst_kind"].isin(list(nodes))]
        if len(group) == 0:
            continue
        src_kind = group["src_kind"].astype(str).to_numpy()
        dst_kind = group["dst_kind"].astype(str).to_numpy()
        src = np.array([node_of[k][i] for k, i in zip(src_kind, group["src"].to_numpy())])
        dst = np.array([node_of[k][i] for k, i in zip(dst_kind, group["dst"].to_numpy())])
        merged = (pd.DataFrame({"sk": src_kind, "s": src, "dk": dst_kind, "d": dst,
                                "w": group["weight"].to_numpy()})
                  .groupby(["sk", "s", "dk", "d"], as_index=False)["w"].sum())
        total = len(merged)
        merged = merged.reindex(merged["w"].abs().sort_values(ascending=False).index)
        merged = merged.head(GRAPH_MAX_EDGES_PER_TYPE)
        colour, label = EDGE_STYLE.get(str(etype), ("#999999", str(etype)))
        segments = [[(nodes[r.sk]["x"][r.s], nodes[r.sk]["y"][r.s]),
                     (nodes[r.dk]["x"][r.d], nodes[r.dk]["y"][r.d])] for r in merged.itertuples(index=False)]
        w = np.log10(merged["w"].abs().to_numpy() + 1.0)
        rel = (w - w.min()) / (w.max() - w.min()) if len(w) and w.max() > w.min() else np.full(len(w), 0.6)
        alpha = 0.85 if len(merged) < 60 else 0.5 if len(merged) < 300 else 0.3
        ax.add_collection(LineCollection(segments, colors=colour, linewidths=0.3 + 2.2 * rel ** 2,
                                         alpha=alpha, zorder=1))
        shown = f"{label}: {total}" + (f" ({len(merged)} strongest drawn)" if total > len(merged) else "")
        legend_edges.append((Line2D([], [], color=colour, lw=2), shown))

    for kind, node in nodes.items():
        ax.scatter(node["x"], node["y"], s=node["size"], c=node["face"], edgecolors=node["colour"],
                   linewidths=1.0, marker=GRAPH_MARKERS.get(kind, "o"), zorder=3)

    def label_nodes(kind: str, count: int, side: str):
        if kind not in nodes:
            return
        node = nodes[kind]
        slots = list(range(min(count, len(node["y"]))))
        if node["label"][-1].split(" ")[0].isdigit() and len(node["y"]) - 1 not in slots:
            slots.append(len(node["y"]) - 1)  # always name the "other" node
        for i in slots:
            offset = 3 + 0.5 * np.sqrt(node["size"][i])
            ax.annotate(node["label"][i], (node["x"][i], node["y"][i]),
                        xytext=(offset if side == "right" else -offset, 0), textcoords="offset points",
                        fontsize=7.5, va="center", ha="left" if side == "right" else "right", zorder=4,
                        bbox=dict(boxstyle="round,pad=0.12", fc="white", ec="none", alpha=0.85))

    label_nodes("investors", 30, "left")
    label_nodes("data_providers", 15, "left")
    label_nodes("labs", 15, "right")
    label_nodes("regulators", 10, "right")
    label_nodes("compute_providers", 12, "right")
    label_nodes("influencers", 5, "right")
    for kind, node in nodes.items():
        x, top, _ = GRAPH_LAYOUT[kind]
        count = len(run.static(kind))
        ax.text(x, top + 0.035, f"{kind.replace('_', ' ')} ({count})", ha="center", va="bottom",
                fontsize=10, fontweight="bold")

    ax.set_xlim(-0.75, 3.1 if "influencers" in nodes else 2.6)
    ax.set_ylim(-0.03, 1.1)
    ax.axis("off")
    node_handles = [Line2D([], [], marker=GRAPH_MARKERS[k], color="#555555", ls="none", ms=7,
                           label=k.replace("_", " ")) for k in nodes]
    used_regions = {r for kind in nodes for r in run.static(kind)["region"]}
    region_handles = [Line2D([], [], marker="o", color=c, ls="none", ms=7, label=f"region {r}")
                      for r, c in REGION_COLOURS.items() if r in used_regions]
    region_handles.append(Line2D([], [], marker="o", mfc="white", mec="#555555", color="#555555",
                                 ls="none", ms=7, label="lab bankrupt or acquired"))
    first = ax.legend(handles=node_handles + region_handles, loc="upper left", bbox_to_anchor=(0.0, -0.005),
                      title="nodes (size: AUM, valuation, capacity or stock)", fontsize=8,
                      title_fontsize=8.5, ncol=4, frameon=False)
    ax.add_artist(first)
    first.set_clip_on(False)  # add_artist clips to the axes; this legend lies below them
    ax.legend([h for h, _ in legend_edges], [label for _, label in legend_edges], loc="upper right",
              bbox_to_anchor=(1.0, -0.005), title="edges (width: weight, log scale)", fontsize=8,
              title_fontsize=8.5, frameon=False)
    ax.set_title(f"Relationship graph at {when:.2f} \u2014 {sc.label}")
    return fig, f"relationship graph, {sc.label}, {when:.2f}"


def fig_graph(scs: List[Scenario], year: Optional[float]):
    images = [draw_graph(sc, year) for sc in scs]
    which = "the last snapshot" if year is None else f"the snapshot nearest {year:g}"
    caption = (f"Who is tied to whom at {which} (snapshots are taken at the end of each year): "
               "investors hold equity in labs, data providers license data to them, compute "
               "providers sell them compute, labs lobby their home regulator, influencers push "
               "regulators. Within a column the strongest agents are on top (labs by capability); "
               "beyond the first 50 labs, 30 investors or 15 data providers the rest are merged into "
               "one grey node. "
               "Node colours are regions.")
    return images, caption


# ---------------------------------------------------------------------------
# Sweep figures
# ---------------------------------------------------------------------------

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


def metric_title(metric: str) -> str:
    return METRIC_TITLES.get(metric, metric.replace("_", " "))


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


def sweep_series(sweep, metric: str) -> Tuple[np.ndarray, str, str]:
    """[runs, T] values of a kept aggregate over complete runs, transformed
    like run series (flows per step summed over the past year); the units;
    and how to draw it: 'log', 'lin' or 'reached' (a year metric such as
    data_wall_year, drawn as the share of runs that reached it)."""
    wide = sweep.aggregate(metric)
    values = wide.to_numpy().T.copy()
    units = wide.attrs["units"]
    per = sweep_steps_per_year(sweep)
    if units.endswith("/step"):
        values = (pd.DataFrame(values.T).rolling(per, min_periods=1).mean() * per).to_numpy().T
        units = units[: -len("/step")] + "/yr"
    if units.startswith("year"):
        return values, units, "reached"
    finite = values[np.isfinite(values)]
    positives = finite[finite > 0]
    magnitude = any(word in units for word in ("FLOP", "USD", "tokens", "TWh", "GW", "MW", "parameters"))
    wide_range = (magnitude and finite.size > 0 and (finite >= 0).all() and positives.size >= finite.size / 2
                  and positives.max() / positives.min() > 30)
    return values, units, "log" if wide_range else "lin"


def compact(value: float, _=None) -> str:
    """Tick label without an offset or a 1e9 multiplier: 2.5B, 300M, 12k."""
    magnitude = abs(value)
    if magnitude >= 1e15 or (0 < magnitude < 1e-3):
        return f"{value:.3g}"
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if magnitude >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:.3g}"


def sweep_steps_per_year(sweep) -> int:
    if len(sweep.time) > 1:
        return max(1, int(round(1.0 / float(np.median(np.diff(sweep.time))))))
    return 4


def fig_sweep_fan(sweep):
    metrics = sweep.aggregate_names()
    complete = int(sweep.complete().sum())
    colour = "#1f5fbf"
    handles = [Line2D([], [], color=colour, lw=2), matplotlib.patches.Patch(color=colour, alpha=0.45),
               matplotlib.patches.Patch(color=colour, alpha=0.18)]
    fig, cells, _ = panel_grid(len(metrics), 4.0, 3.2, handles,
                               ["median", "middle 50% of runs (25-75%)", "90% of runs (5-95%)"],
                               f"Sweep {sweep.name}: {complete} complete runs")
    per = sweep_steps_per_year(sweep)
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


def fig_sweep_sensitivity(sweep):
    table = sweep.sensitivity()
    if table.empty:
        return [], (f"The {sweep.design or 'chosen'} design has no sensitivity indices; use a sobol or "
                    "morris design to get them.")
    metrics = list(dict.fromkeys(table["metric"]))
    params = list(dict.fromkeys(table["parameter"]))
    method = str(table["method"].iloc[0])
    height = max(2.2, 0.42 * len(params) + 1.3)
    if method == "morris":
        bars = [("mu_star", "mu_star_conf", "\u03bc* (mean |elementary effect|)", "#1f5fbf"),
                ("sigma", None, "\u03c3 (spread of the effects: interactions, non-linearity)", "#e8871e")]
        xlabel = "effect on the metric per unit-cube step"
    else:
        bars = [("S1", "S1_conf", "first-order index S1 (the parameter alone)", "#1f5fbf"),
                ("ST", "ST_conf", "total index ST (with its interactions)", "#e8871e")]
        xlabel = "share of the metric's variance"
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
        estimated = False
        for j, (col, conf, _, colour) in enumerate(bars):
            if col not in rows:
                continue
            values = rows[col].to_numpy(dtype=float)
            estimated = estimated or bool(np.isfinite(values).any())
            err = np.nan_to_num(rows[conf].to_numpy(dtype=float)) if conf and conf in rows else None
            ax.barh(y + (j - 0.5) * height_bar, np.nan_to_num(values), height=height_bar, color=colour,
                    xerr=err, error_kw=dict(ecolor="#333333", lw=0.9, capsize=2.5))
        if not estimated:
            ax.text(0.5, 0.5, "no estimate: too few complete\nsamples, or the metric is undefined",
                    transform=ax.transAxes, ha="center", va="center", fontsize=9, color="#555555")
        if i == 0:
            ax.set_yticks(y)
            ax.set_yticklabels(params)
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
    if method == "morris":
        caption = ("Morris screening of each kept metric at the metric year: \u03bc* ranks the "
                   "parameters by influence, \u03c3 shows how much their effect depends on the other "
                   "parameters. Whiskers are bootstrap confidence intervals.")
    else:
        caption = ("Sobol indices of each kept metric at the metric year: S1 is the share of the "
                   "metric's variance a parameter explains alone, ST including its interactions with "
                   "the others (ST \u2265 S1). Whiskers are bootstrap confidence intervals.")
    return [(fig, f"sensitivity indices of sweep {sweep.name}")], caption


def sweep_section(sweep, index: int) -> Tuple[str, List[str]]:
    """HTML for one sweep file; returns (html, ids of figures present)."""
    suffix = "" if index == 0 else f"-{index}"
    meta = sweep.metadata()
    design = sweep.design_table()
    rows = []
    for key in sweep.parameters():
        column = design[key]
        rows.append(f"<tr><td><code>{esc(key)}</code></td><td class='num'>{column.min():.4g}</td>"
                    f"<td class='num'>{column.max():.4g}</td><td>{esc(sweep.scales().get(key, ''))}</td></tr>")
    counts = ", ".join(f"{meta.get(k, 0)} {k}" for k in ("complete", "failed", "missing"))
    parts = [f"<h2 id='sweep{suffix}'>Sweep {esc(sweep.name)}</h2>",
             f"<p>{esc(meta.get('description', ''))}</p>",
             f"<p class='meta'>File {esc(os.path.basename(sweep.path))}; design <b>{esc(sweep.design)}</b>, "
             f"base scenario {esc(meta.get('base', ''))}, {meta.get('runs', len(sweep.run_ids))} runs "
             f"({esc(counts)}); metric year {esc(sweep.metric_year)}.</p>",
             "<table><tr><th>parameter</th><th>lowest</th><th>highest</th><th>scale</th></tr>"
             + "".join(rows) + "</table>"]
    ids = []
    images, caption = fig_sweep_fan(sweep)
    parts.append(figure_html(f"fig-sweep-fan{suffix}", SWEEP_FIGURES[0][1], images, caption))
    ids.append(f"fig-sweep-fan{suffix}")
    images, caption = fig_sweep_sensitivity(sweep)
    parts.append(figure_html(f"fig-sweep-sensitivity{suffix}", SWEEP_FIGURES[1][1], images, caption))
    ids.append(f"fig-sweep-sensitivity{suffix}")
    return "\n".join(parts), ids


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------

CSS = """
body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1300px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: #444; font-size: 0.95em; margin-top: 0.4em; max-width: 70em; }
table { border-collapse: collapse; font-size: 0.92em; margin: 0.8em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: 1.1em; height: 0.8em; margin-right: 0.4em; vertical-align: middle; }
.meta { color: #666; font-size: 0.9em; } nav a { margin-right: 1em; }
"""


def esc(text) -> str:
    return html.escape(str(text))


def figure_html(fig_id: str, heading: str, images, caption: str, extra: str = "") -> str:
    parts = [f'<figure id="{fig_id}">', f"<h3>{esc(heading)}</h3>"]
    for i, (fig, alt) in enumerate(images):
        name = fig_id + (f"-{i}" if len(images) > 1 else "")
        parts.append(f'<img alt="{esc(alt)}" src="data:image/png;base64,{png_base64(fig, name)}">')
    parts.append(f"<figcaption>{esc(caption)}</figcaption>")
    parts.append(extra)
    parts.append("</figure>")
    return "\n".join(parts)


def fmt_num(value: Optional[float], unit: str = "", digits: int = 3) -> str:
    if value is None or not np.isfinite(value):
        return "\u2013"
    if unit == "USD":
        for scale, suffix in ((1e12, " T"), (1e9, " B"), (1e6, " M"), (1e3, " k")):
            if abs(value) >= scale:
                return f"${value / scale:.{digits}g}{suffix}"
        return f"${value:.{digits}g}"
    return f"{value:.{digits}g}{unit}"


def summary_table(scs: List[Scenario]) -> str:
    rows = []
    for sc in scs:
        meta = sc.run.metadata()
        kappa, _ = series(sc, "frontier_capability")
        cost, _ = series(sc, "largest_run_cost")
        if cost is None:
            cost, _ = series(sc, "frontier_run_cost")
        active, _ = series(sc, "active_labs", per_year=False)
        energy, _ = series(sc, "energy_twh")
        wall = data_wall_year(sc)
        end = float(sc.t[-1])
        rows.append(
            "<tr>"
            f'<td><span class="swatch" style="background:{sc.colour}"></span>{esc(sc.label)}</td>'
            f"<td>{esc(os.path.basename(sc.run.path))}</td>"
            f'<td class="num">{esc(meta.get("seed", ""))}</td>'
            f'<td class="num">{sc.run.start_year}\u2013{end:.2f}</td>'
            f'<td class="num">{fmt_num(kappa[-1] if kappa is not None else None, "", 4)}</td>'
            f'<td class="num">{fmt_num(np.nanmax(cost) if cost is not None else None, "USD")}</td>'
            f'<td class="num">{fmt_num(wall, "", 6) if wall is not None else "not reached"}</td>'
            f'<td class="num">{fmt_num(energy[-1] if energy is not None else None, " TWh/yr")}</td>'
            f'<td class="num">{fmt_num(active[-1] if active is not None else None)}</td>'
            f"<td>{esc(meta.get('airace_version', ''))} ({esc(meta.get('git_sha', ''))})</td>"
            "</tr>")
    return ("<table><tr><th>scenario</th><th>file</th><th>seed</th><th>years</th>"
            "<th>final capability \u03ba</th><th>most expensive run</th><th>data wall</th>"
            "<th>energy at the end</th><th>active labs at the end</th><th>airace</th></tr>"
            + "".join(rows) + "</table>")


def regulation_table(rows) -> str:
    if not rows:
        return "<p>No policy events or instrument switches.</p>"
    body = "".join(f"<tr><td>{esc(label)}</td><td class='num'>{time:.2f}</td><td>{esc(region)}</td>"
                   f"<td>{esc(what)}</td></tr>" for label, time, region, what in
                   sorted(rows, key=lambda r: (r[1], r[2], r[0])))
    return ("<table><tr><th>scenario</th><th>time</th><th>jurisdiction</th><th>event</th></tr>"
            + body + "</table>")


def scenario_descriptions(scs: List[Scenario]) -> str:
    items = []
    for sc in scs:
        description = ""
        for line in sc.run.config().splitlines():  # 'description:' under 'scenario:'
            stripped = line.strip()
            if stripped.startswith("description:"):
                description = stripped[len("description:"):].strip().strip("'\"")
                break
        if description and description not in (">-", "|", ">"):
            items.append(f"<li><b>{esc(sc.label)}</b>: {esc(description)}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def run_section(runs: List[airace_h5.RunFile], graph_year: Optional[float]) -> Tuple[str, List[str]]:
    labels = [r.scenario for r in runs]
    for i, r in enumerate(runs):
        if labels.count(r.scenario) > 1:
            labels[i] = f"{r.scenario} (seed {r.seed})"
    for i, r in enumerate(runs):
        if labels.count(labels[i]) > 1:
            labels[i] = f"{labels[i]} [{os.path.basename(r.path)}]"
    scs = [Scenario(r, labels[i], SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)], i if len(runs) > 1 else -1)
           for i, r in enumerate(runs)]

    parts = ["<h2 id='runs'>Runs</h2>", summary_table(scs), scenario_descriptions(scs)]
    parts.append("<nav>" + "".join(f"<a href='#{fid}'>{esc(h.split(':')[0])}</a>"
                                   for fid, h in RUN_FIGURES) + "</nav>")
    builders: List[Tuple[str, str, Callable]] = [
        ("fig-capability", RUN_FIGURES[0][1], fig_capability),
        ("fig-compute", RUN_FIGURES[1][1], fig_compute),
        ("fig-price", RUN_FIGURES[2][1], fig_price),
        ("fig-investment", RUN_FIGURES[3][1], fig_investment),
        ("fig-data", RUN_FIGURES[4][1], fig_data),
        ("fig-energy", RUN_FIGURES[5][1], fig_energy),
    ]
    ids = []
    for fig_id, heading, builder in builders:
        images, caption = builder(scs)
        parts.append(figure_html(fig_id, heading, images, caption))
        ids.append(fig_id)
    images, caption, table = fig_regulation(scs)
    parts.append(figure_html("fig-regulation", RUN_FIGURES[6][1], images, caption, regulation_table(table)))
    images, caption = fig_concentration(scs)
    parts.append(figure_html("fig-concentration", RUN_FIGURES[7][1], images, caption))
    images, caption = fig_graph(scs, graph_year)
    parts.append(figure_html("fig-graph", RUN_FIGURES[8][1], images, caption))
    ids += ["fig-regulation", "fig-concentration", "fig-graph"]
    return "\n".join(parts), ids


def build_report(paths: List[str], graph_year: Optional[float], title: Optional[str]) -> str:
    opened = []
    try:
        for path in paths:
            handle = airace_h5.open_file(path)
            if isinstance(handle, airace_h5.RunFile) and not airace_h5.verify_checksum(path):
                handle.close()
                raise BadInput(f"{path}: damaged: the checksum does not match the contents")
            opened.append(handle)
        runs = [h for h in opened if isinstance(h, airace_h5.RunFile)]
        sweeps = [h for h in opened if not isinstance(h, airace_h5.RunFile)]
        if title is None:
            names = [r.scenario for r in runs] + [os.path.basename(s.path) for s in sweeps]
            title = "airace report: " + (" vs ".join(names) if len(names) <= 4 else f"{len(names)} files")
        body = []
        if runs:
            body.append(run_section(runs, graph_year)[0])
        for i, sweep in enumerate(sweeps):
            body.append(sweep_section(sweep, i)[0])
    finally:
        for handle in opened:
            handle.close()
    generated = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    files = ", ".join(esc(os.path.basename(p)) for p in paths)
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
            f"<h1>{esc(title)}</h1><p class='meta'>Generated {generated} by airace report from "
            f"{files}. Flows (money, compute, energy per quarter) are shown per year, summed over the "
            "past four quarters; time is the end of each quarter, in calendar years.</p>"
            + "\n".join(body) + "</body></html>\n")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="airace report", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="run files (overlaid as scenarios) or sweep files")
    parser.add_argument("-o", "--output", required=True, help="HTML file to write")
    parser.add_argument("--graph-year", type=float, default=None,
                        help="year of the relationship-graph snapshot (default: the last)")
    parser.add_argument("--title", default=None, help="page title")
    parser.add_argument("--png-dir", default=None, help="also write every image as a PNG file here")
    args = parser.parse_args(argv)
    if args.png_dir:
        global PNG_DIR
        PNG_DIR = args.png_dir
        os.makedirs(PNG_DIR, exist_ok=True)
    try:
        page = build_report(args.files, args.graph_year, args.title)
    except (airace_h5.AiraceFileError, BadInput) as error:
        print(f"airace: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    tmp = args.output + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(page)
        os.replace(tmp, args.output)
    except OSError as error:
        print(f"airace: error: {args.output}: cannot write the report: {error.strerror}", file=sys.stderr)
        return EXIT_RUNTIME
    print(f"report: {args.output}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
