#!/usr/bin/python3
"""airace report: one self-contained HTML page of plots for run files (several
overlaid as scenarios, differences from the first) and sweep files (bands
across the runs, sensitivity bars); interactive (plotly.js embedded), or
with --static PNG figures drawn by matplotlib.

Usage: report.py FILE.h5 [FILE.h5 ...] -o report.html [--graph-year YEAR] [--title TEXT]
                 [--static] [--png-dir DIR]

Run by `airace report`, or directly with Debian's /usr/bin/python3 (needs
python3-h5py, python3-pandas, python3-plotly; python3-matplotlib for
--static and --png-dir). Exit codes as airace's: 0 success, 1 runtime
failure, 2 bad input (missing, foreign or damaged file, missing package).

This file builds the page; report_web*.py draw the interactive figures,
report_static.py the static ones, report_page.py holds what both share.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
from typing import List, Optional

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import airace  # noqa: E402
    import report_web  # noqa: E402
    from report_common import SCENARIO_COLOURS, make_scenarios  # noqa: E402
    from report_page import (CSS, RUN_FIGURES, SWEEP_FIGURES, esc, graph_caption,  # noqa: E402
                             regulation_table, run_header, sweep_header, timed)
except ImportError as missing:
    print(f"airace: error: {sys.executable} cannot import {missing.name}, which airace report needs; install "
          "it with: sudo apt-get install python3-h5py python3-pandas python3-plotly python3-matplotlib",
          file=sys.stderr)
    sys.exit(2)

EXIT_OK, EXIT_RUNTIME, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    pass


def web_run_section(scs, graph_year: Optional[float], specs: List[dict]) -> str:
    from report_page import REGULATION_CAPTION
    from report_web_graph import fig_graph, fig_regulation
    from report_web_runs import (fig_capability, fig_compute, fig_concentration, fig_data, fig_energy,
                                 fig_investment, fig_price)
    builders = {"fig-capability": fig_capability, "fig-compute": fig_compute, "fig-price": fig_price,
                "fig-investment": fig_investment, "fig-data": fig_data, "fig-energy": fig_energy,
                "fig-regulation": lambda s: fig_regulation(s, REGULATION_CAPTION, regulation_table),
                "fig-concentration": fig_concentration,
                "fig-graph": lambda s: fig_graph(s, graph_year, graph_caption(graph_year))}
    parts = [run_header(scs)]
    for fig_id, heading in RUN_FIGURES:
        def draw(fig_id=fig_id, heading=heading):
            figure = builders[fig_id](scs)
            figure.heading = heading
            return report_web.figure_html(figure, specs)
        parts.append(timed(fig_id, draw))
    return "\n".join(parts)


def web_sweep_section(sweep, index: int, specs: List[dict]) -> str:
    from report_page import sensitivity_caption
    from report_web_sweep import fig_sweep_fan, fig_sweep_sensitivity
    suffix = "" if index == 0 else f"-{index}"
    parts = [sweep_header(sweep, suffix)]
    (fan_id, fan_heading), (sens_id, sens_heading) = SWEEP_FIGURES
    parts.append(timed(fan_id + suffix, lambda: report_web.figure_html(
        fig_sweep_fan(sweep, fan_id + suffix, fan_heading), specs)))
    parts.append(timed(sens_id + suffix, lambda: report_web.figure_html(
        fig_sweep_sensitivity(sweep, sens_id + suffix, sens_heading, sensitivity_caption), specs)))
    return "\n".join(parts)


def web_differences(opened, scs, specs: List[dict]) -> str:
    """Differences from the first input, when it is a run or an ensemble and
    runs or ensembles follow."""
    from report_web_sweep import Input, ensemble_input, fig_differences, is_ensemble
    inputs = []
    runs = iter(scs)
    for handle in opened:
        if isinstance(handle, airace.RunFile):
            sc = next(runs)
            inputs.append(Input(sc.label, sc.colour, sc.t, None, sc))
        elif is_ensemble(handle):
            inputs.append(ensemble_input(handle, SCENARIO_COLOURS[len(inputs) % len(SCENARIO_COLOURS)]))
        elif not inputs:
            return ""  # the first input is a sweep of several points: nothing to subtract from
    if len(inputs) < 2:
        return ""
    figure = timed("fig-diff", lambda: fig_differences(inputs))
    if figure is None:
        return ""
    return "<h2 id='differences'>Differences</h2>\n" + report_web.figure_html(figure, specs)


def open_inputs(paths: List[str], verified: bool):
    opened = []
    try:
        for path in paths:
            # Checked here unless `airace report` checked it already.
            handle = airace.open(path, verify=not verified)
            opened.append(handle)
    except BaseException:
        for handle in opened:
            handle.close()
        raise
    return opened


def build_report(paths: List[str], graph_year: Optional[float], title: Optional[str], static: bool,
                 verified: bool = False) -> str:
    opened = open_inputs(paths, verified)
    specs: List[dict] = []
    try:
        runs = [h for h in opened if isinstance(h, airace.RunFile)]
        sweeps = [h for h in opened if not isinstance(h, airace.RunFile)]
        scs = make_scenarios(runs)
        if title is None:
            names = [sc.label.split(":")[0] for sc in scs] + [os.path.basename(s.path) for s in sweeps]
            title = "airace report: " + (" vs ".join(names) if len(names) <= 4 else f"{len(names)} files")
        body = []
        if static:
            import report_static
            if runs:
                body.append(report_static.run_section(scs, graph_year))
            body += [report_static.sweep_section(sweep, i) for i, sweep in enumerate(sweeps)]
        else:
            if runs:
                body.append(web_run_section(scs, graph_year, specs))
            body += [web_sweep_section(sweep, i, specs) for i, sweep in enumerate(sweeps)]
            body.append(web_differences(opened, scs, specs))
    finally:
        for handle in opened:
            handle.close()
    generated = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    files = ", ".join(esc(os.path.basename(p)) for p in paths)
    intro = (f"<p class='meta'>Generated {generated} by airace report from {files}. Flows (money, "
             "compute, energy per quarter) are shown per year, summed over the past four quarters; "
             "time is the end of each quarter, in calendar years."
             + ("" if static else " Hover a chart for its values, drag to zoom (double-click to "
                "reset), click a legend entry to hide or show its series; each figure's data "
                "can be downloaded as CSV.") + "</p>")
    if static:
        import report_static
        return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
                f"<title>{esc(title)}</title><style>{CSS}{report_static.CSS}</style></head><body>"
                f"<h1>{esc(title)}</h1>{intro}" + "\n".join(body) + "</body></html>\n")
    return report_web.page(title, intro, body, specs, CSS)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="airace report", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="run files (overlaid as scenarios) or sweep files")
    parser.add_argument("-o", "--output", required=True, help="HTML file to write")
    parser.add_argument("--graph-year", type=float, default=None,
                        help="year of the relationship-graph snapshot (default: the last)")
    parser.add_argument("--title", default=None, help="page title")
    parser.add_argument("--static", action="store_true", help="PNG figures (matplotlib), not interactive")
    parser.add_argument("--png-dir", default=None, help="also write every static figure as a PNG file here")
    parser.add_argument("--checksums-verified", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if not args.static:
            report_web.plotly_js()  # before any work: is plotly.js there?
        if args.png_dir:
            import report_static
            os.makedirs(args.png_dir, exist_ok=True)
            report_static.set_png_dir(args.png_dir)
        page = build_report(args.files, args.graph_year, args.title, args.static, args.checksums_verified)
        if args.png_dir and not args.static:  # the interactive page has no PNGs: draw the static figures
            build_report(args.files, args.graph_year, args.title, True, True)
    except (airace.AiraceFileError, BadInput, report_web.PlotlyMissing) as error:
        print(f"airace: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    # A temporary name of its own beside the output; only the rename
    # publishes the page, and a failed write (full disk, a file size limit)
    # leaves nothing behind.
    folder = os.path.dirname(os.path.abspath(args.output))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(args.output) + ".tmp.", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, args.output)
    except OSError as error:
        if tmp is not None and os.path.exists(tmp):
            os.remove(tmp)
        print(f"airace: error: {args.output}: cannot write the report: {error.strerror}", file=sys.stderr)
        return EXIT_RUNTIME
    print(f"report: {args.output}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
