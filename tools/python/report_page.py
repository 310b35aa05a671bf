"""The parts of an `airace report` page that are the same on the
interactive page (report_web*.py) and the static one (report_static.py):
the figure ids and headings, the base style, the tables of runs, policy
events and sweep parameters, and progress on stderr for slow figures."""

from __future__ import annotations

import html
import os
import sys
import time
from typing import Callable, List, Optional

import numpy as np

from report_common import Scenario, data_wall_year, parameter_label, series

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

CSS = """
body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; margin: 2em auto;
       max-width: 1300px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
figure { margin: 1.5em 0; } figcaption { color: #444; font-size: 0.95em; margin-top: 0.4em; max-width: 70em; }
table { border-collapse: collapse; font-size: 0.92em; margin: 0.8em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: 1.1em; height: 0.8em; margin-right: 0.4em; vertical-align: middle; }
.meta { color: #666; font-size: 0.9em; } nav a { margin-right: 1em; }
"""


REGULATION_CAPTION = ("Stringency of each jurisdiction's regulator (0 to 1): it moves toward a "
                      "target set by public concern, incidents, influencers and lobbying, and "
                      "switches instruments (compute thresholds, training caps, strict copyright, power permitting, export "
                      "controls) on when it stays above their thresholds. Markers show scripted policy "
                      "decisions (\u25c6) and instruments that stringency switched on (\u25b2) or off "
                      "(\u25bc); the table below lists them.")


def graph_caption(year: Optional[float]) -> str:
    which = "the last snapshot" if year is None else f"the snapshot nearest {year:g}"
    return (f"Who is tied to whom at {which} (snapshots are taken at the end of each year): "
            "investors hold equity in labs, data providers license data to them, compute "
            "providers sell them compute, labs lobby their home regulator, influencers push "
            "regulators. Within a column the strongest agents are on top (labs by capability); "
            "beyond the first 50 labs, 30 investors or 15 data providers the rest are merged into "
            "one grey node. "
            "Node colours are regions: blue US, amber EU, red CN, grey world.")


def sensitivity_caption(method: str) -> str:
    if method == "morris":
        return ("Morris screening of each kept metric at the metric year: \u03bc* ranks the "
                "parameters by influence, \u03c3 shows how much their effect depends on the other "
                "parameters. Whiskers are bootstrap confidence intervals.")
    return ("Sobol indices of each kept metric at the metric year: S1 is the share of the "
            "metric's variance a parameter explains alone, ST including its interactions with "
            "the others (ST \u2265 S1). Whiskers are bootstrap confidence intervals.")


PROGRESS_SECONDS = 1.0  # a figure slower than this is reported on stderr


def timed(fig_id: str, draw: Callable[[], str]) -> str:
    """draw(), with a line on stderr when it took over PROGRESS_SECONDS."""
    start = time.perf_counter()
    result = draw()
    took = time.perf_counter() - start
    if took > PROGRESS_SECONDS:
        print(f"report: {fig_id} drawn in {took:.1f} s", file=sys.stderr, flush=True)
    return result


def esc(text) -> str:
    return html.escape(str(text))


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
        active, _ = series(sc, "active_labs", yearly=False)
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


def run_header(scs: List[Scenario]) -> str:
    """The runs' heading, summary table, descriptions, forks and the figure links."""
    forks = "".join(f"<li><b>{esc(sc.label.split(':')[0])}</b>: {esc(sc.fork_note)}</li>" for sc in scs
                    if sc.fork_note)
    return "\n".join(["<h2 id='runs'>Runs</h2>", summary_table(scs), scenario_descriptions(scs),
                      f"<p>Forks (identical to their parent before the fork date):</p><ul>{forks}</ul>"
                      if forks else "",
                      "<nav>" + "".join(f"<a href='#{fid}'>{esc(h.split(':')[0])}</a>"
                                        for fid, h in RUN_FIGURES) + "</nav>"])


def sweep_header(sweep, suffix: str) -> str:
    """A sweep's heading, description, counts and parameter table."""
    meta = sweep.metadata()
    keys = sweep.parameters() if "design/values" in sweep.h5 else []
    design = sweep.design_table() if keys else None
    rows = []
    for key in keys:
        column = design[key]
        rows.append(f"<tr><td>{esc(parameter_label(key))} <code>{esc(key)}</code></td>"
                    f"<td class='num'>{column.min():.4g}</td><td class='num'>{column.max():.4g}</td>"
                    f"<td>{esc(sweep.scales().get(key, ''))}</td></tr>")
    counts = ", ".join(f"{meta.get(k, 0)} {k}" for k in ("complete", "failed", "missing"))
    parts = [f"<h2 id='sweep{suffix}'>Sweep {esc(sweep.name)}</h2>",
             f"<p>{esc(meta.get('description', ''))}</p>",
             f"<p class='meta'>File {esc(os.path.basename(sweep.path))}; design <b>{esc(sweep.design)}</b>, "
             f"base scenario {esc(meta.get('base', ''))}, {meta.get('runs', len(sweep.run_ids))} runs "
             f"({esc(counts)}); metric year {esc(sweep.metric_year)}.</p>",
             "<table><tr><th>parameter</th><th>lowest</th><th>highest</th><th>scale</th></tr>"
             + "".join(rows) + "</table>" if rows else "<p>No parameter varies: the runs differ by seed.</p>"]
    return "\n".join(parts)
