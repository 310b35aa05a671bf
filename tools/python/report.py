#!/usr/bin/python3
"""airace report: one self-contained HTML page of plots for run files (several
overlaid as scenarios) and sweep files (fan charts and sensitivity bars).

Usage: report.py FILE.h5 [FILE.h5 ...] -o report.html [--graph-year YEAR] [--title TEXT]

Run by `airace report`, or directly with Debian's /usr/bin/python3 (needs
python3-h5py, python3-pandas, python3-matplotlib). Exit codes as airace's:
0 success, 1 runtime failure, 2 bad input (missing, foreign or damaged file).

This file builds the page; the figures are drawn by report_runs.py (run
figures), report_graph.py (the relationship graph) and report_sweep.py
(sweep figures), with the helpers they share in report_plot.py.
"""

from __future__ import annotations

import argparse
import datetime
import html
import os
import sys
from typing import Callable, List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report_plot  # noqa: E402  (first: it chooses matplotlib's backend)
import airace_h5  # noqa: E402
import numpy as np  # noqa: E402
from report_graph import fig_graph  # noqa: E402
from report_plot import Scenario, png_base64, series  # noqa: E402
from report_runs import (data_wall_year, fig_capability, fig_compute, fig_concentration,  # noqa: E402
                         fig_data, fig_energy, fig_investment, fig_price, fig_regulation)
from report_sweep import fig_sweep_fan, fig_sweep_sensitivity  # noqa: E402

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


class BadInput(Exception):
    pass


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
        report_plot.PNG_DIR = args.png_dir
        os.makedirs(args.png_dir, exist_ok=True)
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
