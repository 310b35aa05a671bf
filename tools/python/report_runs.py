"""The figures of a run report (`airace report` of run files, report.py),
each drawn for one or several scenarios overlaid: each returns a list of
(matplotlib figure, alt text) and a caption."""

from __future__ import annotations

from typing import List

import numpy as np
from matplotlib import ticker

from report_common import (Scenario, data_wall_year, regulation_events, regulators_regions, series,
                           stringency, yearly_gain)
from report_page import REGULATION_CAPTION
from report_plot import new_figure, positive, style_legend, time_range, title_suffix, year_axes, year_axis

def fig_capability(scs: List[Scenario]):
    fig, (a, b) = new_figure(scs)
    width = 0.8 / len(scs)
    for i, sc in enumerate(scs):
        kappa, _ = series(sc, "frontier_capability")
        gain, _ = series(sc, "frontier_capability_gain")
        a.plot(sc.t, kappa, color=sc.colour, lw=sc.lw())
        years, gains = yearly_gain(sc.t, kappa, gain, sc.run.steps_per_year)
        b.bar(years + 0.5 + (i - (len(scs) - 1) / 2) * width, gains, width=width, color=sc.colour)
    a.set_title("Frontier capability" + title_suffix(scs))
    a.set_ylabel("capability \u03ba (log10 effective training FLOP)")
    b.set_title("Gain of frontier capability per calendar year")
    b.set_ylabel("rise of \u03ba over the year (OOM)")
    b.axhline(0, color="#888888", lw=0.8)
    year_axes(scs, (a, b))
    caption = ("Left: capability \u03ba of the best deployed model (the log10 of the effective "
               "compute a clean-data run would need). Right: by how many orders of magnitude (OOM) "
               "\u03ba rose in each calendar year (end of year against end of the year before): one "
               "bar a year, since the frontier moves in jumps when a new model is released.")
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
    caption = REGULATION_CAPTION
    return [(fig, "regulatory stringency with policy events")], caption, table


def fig_concentration(scs: List[Scenario]):
    fig, (a, b) = new_figure(scs)
    for sc in scs:
        hhi, _ = series(sc, "hhi_compute", yearly=False)
        active, _ = series(sc, "active_labs", yearly=False)
        bankrupt, _ = series(sc, "bankruptcies", yearly=False)
        acquired, _ = series(sc, "acquisitions", yearly=False)
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

