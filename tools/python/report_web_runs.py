"""The interactive figures of a run report (report.py, report_web.py): the
same figures and ids as the static page (report_runs.py), as plotly charts,
for one or several scenarios overlaid (legend entries grouped by scenario:
one click hides a scenario)."""

from __future__ import annotations

from typing import List, Optional

from report_common import Scenario, data_wall_year, series, yearly_gain
from report_web import Figure, Plot, layout, line, log_layout, numbers

REGION_DASHES = {"US": "-", "EU": "--", "CN": ":"}


def name(sc: Scenario, what: str, scs: List[Scenario]) -> str:
    return what if len(scs) == 1 else f"{sc.label}: {what}"


def suffix(scs: List[Scenario]) -> str:
    return f" \u2014 {scs[0].label}" if len(scs) == 1 else ""


def scenario_line(sc: Scenario, scs: List[Scenario], values, what: str, width: float = 2.0,
                  dash: str = "-") -> Optional[dict]:
    if values is None:
        return None
    return line(sc.t, values, name(sc, what, scs), sc.colour, sc.lw(width), dash, group=sc.label)


def keep(traces) -> List[dict]:
    return [t for t in traces if t is not None]


def fig_capability(scs: List[Scenario]) -> Figure:
    left, right = [], []
    for sc in scs:
        kappa, _ = series(sc, "frontier_capability")
        gain, _ = series(sc, "frontier_capability_gain")
        left += keep([scenario_line(sc, scs, kappa, "capability \u03ba")])
        years, gains = yearly_gain(sc.t, kappa, gain, sc.run.steps_per_year)
        right.append({"type": "bar", "x": [int(y) for y in years], "y": numbers(gains),
                      "name": name(sc, "gain over the year", scs), "marker": {"color": sc.colour},
                      "legendgroup": sc.label, "hovertemplate": "%{x}: %{y:+.2f} OOM"})
    plots = [Plot(left, layout("Frontier capability" + suffix(scs),
                               "capability \u03ba (log10 effective training FLOP)")),
             Plot(right, layout("Gain of frontier capability per calendar year",
                                "rise of \u03ba over the year (OOM)", barmode="group",
                                xaxis={"dtick": 2}, hovermode="closest"))]
    caption = ("Left: capability \u03ba of the best deployed model (the log10 of the effective "
               "compute a clean-data run would need). Right: by how many orders of magnitude (OOM) "
               "\u03ba rose in each calendar year (end of year against end of the year before): one "
               "bar a year, since the frontier moves in jumps when a new model is released.")
    return Figure("fig-capability", "", plots, caption)


def fig_compute(scs: List[Scenario]) -> Figure:
    left, right = [], []
    for sc in scs:
        frontier, _ = series(sc, "frontier_training_flop")
        total, _ = series(sc, "total_training_flop")
        cost, _ = series(sc, "largest_run_cost")
        if cost is None:
            cost, _ = series(sc, "frontier_run_cost")
        left += keep([scenario_line(sc, scs, frontier, "frontier model's run (FLOP)"),
                      scenario_line(sc, scs, total, "all labs, past year (FLOP/yr)", 1.4, "--")])
        right += keep([scenario_line(sc, scs, cost, "largest run (USD)")])
    plots = [Plot(left, log_layout("Training compute" + suffix(scs), "FLOP (log scale)", left)),
             Plot(right, log_layout("Cost of the largest training run", "USD (log scale)", right))]
    caption = ("Left: compute of the frontier model's training run (solid) and the training "
               "compute of all labs together over the past year (dashed). Right: cost in US "
               "dollars of the largest training run in progress or released. Log scales.")
    return Figure("fig-compute", "", plots, caption)


def fig_price(scs: List[Scenario]) -> Figure:
    left, right = [], []
    for sc in scs:
        price, _ = series(sc, "compute_price")
        left += keep([scenario_line(sc, scs, price, "world average")])
        if "compute" in sc.run.markets():
            regional = sc.run.market("compute", "price")
            for label in regional.columns:
                right.append(scenario_line(sc, scs, regional[label].to_numpy(), f"{label} market", 1.5,
                                           REGION_DASHES.get(label, "-.")))
    plots = [Plot(left, log_layout("Compute price, world average" + suffix(scs), "USD per FLOP (log scale)",
                                   left)),
             Plot(right, log_layout("Compute price by regional market", "USD per FLOP (log scale)", right))]
    caption = ("Price of one FLOP of cloud compute: the world average weighted by the quantity "
               "sold (left) and the clearing price of each regional market (right). Better "
               "hardware pushes it down; scarcity (export controls, power limits, demand "
               "outrunning capacity) pushes it up.")
    return Figure("fig-price", "", plots, caption)


def fig_investment(scs: List[Scenario]) -> Figure:
    left, right = [], []
    for sc in scs:
        inv, _ = series(sc, "total_investment")
        rev, _ = series(sc, "ai_revenue")
        sent, _ = series(sc, "mean_sentiment")
        left += keep([scenario_line(sc, scs, inv, "investment into labs"),
                      scenario_line(sc, scs, rev, "AI revenue of labs", 1.4, "--")])
        right += keep([scenario_line(sc, scs, sent, "mean investor sentiment")])
    plots = [Plot(left, log_layout("Investment vs AI revenue" + suffix(scs),
                                   "USD per year (past four quarters, log scale)", left)),
             Plot(right, layout("Investor sentiment", "mean investor sentiment (index, 0 = neutral)"))]
    caption = ("Left: money invested into labs in funding rounds (solid) against the revenue labs "
               "earn from AI products (dashed), each summed over the past year; a year without "
               "any lies on the dotted floor line instead of leaving a gap. Right: investors' "
               "mean sentiment; it turns negative when returns disappoint, and funding rounds "
               "then fail.")
    return Figure("fig-investment", "", plots, caption)


def fig_data(scs: List[Scenario]) -> Figure:
    left, right = [], []
    for sc in scs:
        stock, _ = series(sc, "human_data_stock")
        usable, _ = series(sc, "human_data_accessible")
        used, _ = series(sc, "frontier_data_used")
        synth, _ = series(sc, "synthetic_share")
        left += keep([scenario_line(sc, scs, stock, "human text in existence"),
                      scenario_line(sc, scs, usable, "usable by the frontier lab", 1.5, "--"),
                      scenario_line(sc, scs, used, "used by the frontier model", 1.5, ":")])
        right += keep([scenario_line(sc, scs, None if synth is None else 100 * synth, "synthetic share")])
    walls = [(sc, data_wall_year(sc)) for sc in scs]
    shapes = [{"type": "line", "xref": "x", "yref": "paper", "x0": w, "x1": w, "y0": 0, "y1": 1,
               "line": {"color": sc.colour, "width": 1.3, "dash": "dashdot"}} for sc, w in walls if w]
    plots = [Plot(left, log_layout("Human data and the frontier's use of it" + suffix(scs),
                                   "tokens (log scale)", left, shapes=shapes)),
             Plot(right, layout("Synthetic share of training data",
                                "share of the frontier's training tokens (%)", shapes=shapes))]
    text = "; ".join(f"{sc.label}: {w:.2f}" if w is not None else f"{sc.label}: not reached" for sc, w in walls)
    caption = ("Left: the stock of human-written text, the part the frontier lab may legally "
               "train on (open data that copyright rules allow, plus licences), and the tokens its "
               "latest model was trained on. The frontier hits the data wall when it has trained on "
               f"all the human data it may use (dash-dot vertical line; {text}). Right: the share "
               "of synthetic tokens in the frontier model's training data.")
    return Figure("fig-data", "", plots, caption)


def fig_energy(scs: List[Scenario]) -> Figure:
    left, right = [], []
    for sc in scs:
        energy, _ = series(sc, "energy_twh")
        avail, _ = series(sc, "power_available_gw")
        largest, _ = series(sc, "largest_run_power_mw")
        used = (sc.run.market("energy", "power_used").sum(axis=1).to_numpy()
                if "energy" in sc.run.markets() else None)
        left += keep([scenario_line(sc, scs, energy, "electricity used (TWh/yr)")])
        right += keep([scenario_line(sc, scs, avail, "power available for AI"),
                       scenario_line(sc, scs, used, "power drawn by AI", 1.5, "--"),
                       scenario_line(sc, scs, None if largest is None else largest / 1000.0,
                                     "largest training run's draw", 1.2, ":")])
    plots = [Plot(left, log_layout("Electricity used by AI data centres" + suffix(scs),
                                   "TWh per year (past four quarters, log scale)", left)),
             Plot(right, log_layout("Power for AI", "GW (log scale)", right))]
    caption = ("Left: electricity used by AI compute (training and serving) over the past year. "
               "Right: power available to AI data centres in all regions, the power they actually "
               "draw, and the draw of the largest single training run, in gigawatts.")
    return Figure("fig-energy", "", plots, caption)


def fig_concentration(scs: List[Scenario]) -> Figure:
    left, right = [], []
    for sc in scs:
        hhi, _ = series(sc, "hhi_compute", yearly=False)
        active, _ = series(sc, "active_labs", yearly=False)
        bankrupt, _ = series(sc, "bankruptcies", yearly=False)
        acquired, _ = series(sc, "acquisitions", yearly=False)
        left += keep([scenario_line(sc, scs, hhi, "HHI of compute")])
        right += keep([scenario_line(sc, scs, active, "active labs"),
                       scenario_line(sc, scs, bankrupt, "bankrupt so far", 1.4, "--"),
                       scenario_line(sc, scs, acquired, "acquired so far", 1.4, ":")])
    plots = [Plot(left, layout("Concentration of compute" + suffix(scs), "HHI of compute bought by labs (0-1)",
                               yaxis={"range": [0, 1.02]})),
             Plot(right, layout("Labs in the race", "number of labs", yaxis={"rangemode": "tozero"}))]
    caption = ("Left: Herfindahl-Hirschman index (HHI) of the compute labs buy each quarter: the "
               "sum of squared market shares, 1/n for n equal labs, 1 for a monopoly; above 0.25 "
               "counts as highly concentrated. Right: labs still active, and how many went "
               "bankrupt or were acquired so far.")
    return Figure("fig-concentration", "", plots, caption)
