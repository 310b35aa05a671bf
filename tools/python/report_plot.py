"""What the static figures of `airace report --static` (report.py) share:
matplotlib set up for files (Agg, one style), year and log axes, legends below panels, figures with a strip for the
scenario legend, and figures as embedded PNG images."""

from __future__ import annotations

import base64
import io
import os
from typing import List, Optional, Tuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import ticker  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.transforms import ScaledTranslation  # noqa: E402

from report_common import Scenario  # noqa: E402

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
    ax.set_yscale("log", nonpositive="clip")
    lo, hi = ax.get_ylim()
    decades = np.log10(hi) - np.log10(max(lo, 1e-300))
    step = 1 if decades <= 8 else 2 if decades <= 16 else 4
    ax.yaxis.set_major_locator(ticker.LogLocator(base=10 ** step, numticks=20))
    ax.yaxis.set_minor_locator(ticker.LogLocator(base=10, subs=(1.0,) if step > 1 else
                                                 np.arange(2, 10) * 0.1, numticks=40))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def positive(values: Optional[np.ndarray]) -> np.ndarray:
    """Values for a log axis: negatives become gaps; zeros stay, and the log
    scale (nonpositive="clip") draws them at the bottom edge of the panel, so
    that a year without investment shows as a dip rather than vanishing."""
    out = np.array(values if values is not None else [], dtype=float)
    out[~(out >= 0)] = np.nan
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

