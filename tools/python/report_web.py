"""The interactive page of `airace report` (report.py): figures as plotly.js
charts (hover values, zoom, click a legend entry to hide a series), each
figure with a link to download the data behind it as CSV, all in one HTML
file that works offline: plotly.js (Debian's python3-plotly ships it) is
embedded in the page, the charts' data as JSON.

A Figure holds its charts (Plot: plotly traces and layout, built by
report_web_runs.py and report_web_sweep.py) and its CSV; page() writes them.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import os
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

import numpy as np

# Where plotly.js is looked for: AIRACE_PLOTLY_JS when set (only there),
# else Debian's python3-plotly, then plotly.py's own bundle.
PLOTLY_JS_PATHS = ["/usr/share/python3-plotly/plotly.js"]
SIGNIFICANT_DIGITS = 6  # of the numbers written into the page's JSON and CSV


class PlotlyMissing(Exception):
    pass


def plotly_js() -> str:
    """The text of plotly.js, to embed in the page."""
    chosen = os.environ.get("AIRACE_PLOTLY_JS", "")
    for path in [chosen] if chosen else PLOTLY_JS_PATHS:
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                return handle.read()
    try:
        if chosen:
            raise ImportError(chosen)
        from plotly.offline import get_plotlyjs
        text = get_plotlyjs()
        if text:
            return text
    except (ImportError, OSError):
        pass
    raise PlotlyMissing(f"{chosen or PLOTLY_JS_PATHS[0]}: plotly.js not found; the interactive report embeds it: "
                        "sudo apt-get install python3-plotly (or write a static page with --static)")


def numbers(values) -> list:
    """Numbers for JSON: non-finite values become null (a gap), the rest are
    rounded to SIGNIFICANT_DIGITS."""
    out = []
    for v in np.asarray(values, dtype=float).ravel():
        out.append(float(f"{v:.{SIGNIFICANT_DIGITS}g}") if np.isfinite(v) else None)
    return out


@dataclass
class Plot:
    """One plotly chart: its traces and layout."""
    traces: List[dict]
    layout: dict


@dataclass
class Figure:
    """A numbered figure of the page: a heading, its charts side by side (or
    one per row when `wide`), a caption, optional HTML below and the rows
    of its CSV (the header first)."""
    fig_id: str
    heading: str
    plots: List[Plot]
    caption: str
    extra: str = ""
    csv_rows: List[Sequence] = field(default_factory=list)
    wide: bool = False


def csv_from_traces(plots: List[Plot]) -> List[Sequence]:
    """The data behind line and bar charts, one row per point:
    panel, series, x, y (the true value where a log axis shows a floor)."""
    rows: List[Sequence] = [("panel", "series", "x", "y")]
    for plot in plots:
        panel = plot.layout.get("title", {}).get("text", "")
        for trace in plot.traces:
            if trace.get("csv") is False or "x" not in trace or "y" not in trace:
                continue
            ys = trace.get("customdata", trace["y"])
            for x, y in zip(trace["x"], ys):
                rows.append((panel, trace.get("name", ""), x, "" if y is None else y))
    return rows


def csv_link(fig_id: str, rows: List[Sequence]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    data = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    return (f'<a class="csv" download="{fig_id}.csv" href="data:text/csv;charset=utf-8;base64,{data}">'
            f"download the data of this figure (CSV, {len(rows) - 1} rows)</a>")


def esc(text) -> str:
    return html.escape(str(text))


def figure_html(figure: Figure, specs: List[dict]) -> str:
    """The <figure> of one Figure; appends its charts to `specs` (the JSON
    the page's script draws from)."""
    divs = []
    for i, plot in enumerate(figure.plots):
        plot_id = f"{figure.fig_id}-p{i}"
        for trace in plot.traces:
            trace.pop("csv", None)
        specs.append({"id": plot_id, "data": plot.traces, "layout": plot.layout})
        divs.append(f'<div class="plot" id="{plot_id}"></div>')
    rows = figure.csv_rows or csv_from_traces(figure.plots)
    kind = "panels wide" if figure.wide or len(figure.plots) == 1 else f"panels n{min(len(figure.plots), 3)}"
    return "\n".join([f'<figure id="{figure.fig_id}" data-plots="{len(figure.plots)}">',
                      f"<h3>{esc(figure.heading)}</h3>", f'<div class="{kind}">' + "".join(divs) + "</div>",
                      f"<figcaption>{esc(figure.caption)} {csv_link(figure.fig_id, rows)}</figcaption>",
                      figure.extra, "</figure>"])


CSS = """
.panels { display: grid; gap: 0.5em; } .panels.n2 { grid-template-columns: 1fr 1fr; }
.panels.n3 { grid-template-columns: 1fr 1fr 1fr; } .plot { min-height: 360px; }
.panels.wide .plot { min-height: 420px; } a.csv { margin-left: 0.5em; font-size: 0.9em; }
#airace-errors { color: #b00; font-weight: bold; }
"""

# Before plotly.js: any script error is recorded on the page (shown at the top
# and in data-errors, which the browser test reads).
ERROR_TRAP = """
window.airaceErrors = [];
window.airaceError = function (message) {
  window.airaceErrors.push(String(message));
  if (window.console) console.error('airace report: ' + message);
  document.documentElement.setAttribute('data-errors', window.airaceErrors.join(' | '));
  var box = document.getElementById('airace-errors');
  if (box) box.textContent = 'The page could not draw every chart: ' + window.airaceErrors.join('; ');
};
window.addEventListener('error', function (e) { window.airaceError(e.message || e); });
"""

# After plotly.js: draw every chart from the JSON; count those drawn.
RENDER = """
(function () {
  var specs = JSON.parse(document.getElementById('airace-plots').textContent);
  var drawn = 0;
  specs.forEach(function (s) {
    try {
      Plotly.newPlot(document.getElementById(s.id), s.data, s.layout,
                     {responsive: true, displaylogo: false,
                      toImageButtonOptions: {format: 'png', filename: s.id, scale: 2}});
      drawn += 1;
    } catch (e) { window.airaceError(s.id + ': ' + e.message); }
  });
  document.documentElement.setAttribute('data-plots-drawn', String(drawn));
})();
"""


def script_json(value) -> str:
    """JSON that is safe inside a <script> element."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")


def page(title: str, intro: str, sections: List[str], specs: List[dict], base_css: str) -> str:
    """The whole page: sections (HTML with <figure>s made by figure_html,
    whose charts are in `specs`), plotly.js and the script that draws them."""
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{esc(title)}</title><style>{base_css}{CSS}</style>"
            f"<script>{ERROR_TRAP}</script></head><body>"
            f"<h1>{esc(title)}</h1><p id='airace-errors'></p>{intro}"
            + "\n".join(sections)
            + f"\n<script type='application/json' id='airace-plots'>{script_json(specs)}</script>\n"
            "<!-- plotly.js (MIT licence, Copyright 2012-2021 Plotly, Inc.), from Debian's python3-plotly -->\n"
            f"<script>{plotly_js()}</script>\n<script>{RENDER}</script>\n</body></html>\n")


# -- chart building blocks ---------------------------------------------------

FONT = {"family": "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif", "size": 12}
DASHES = {"-": "solid", "--": "dash", ":": "dot", "-.": "dashdot"}


def layout(title: str, ytitle: str, log: bool = False, xtitle: str = "", **extra) -> dict:
    """A chart's layout: title, axes (calendar years on x), legend below."""
    out = {"title": {"text": title, "x": 0.02, "font": {"size": 14}}, "font": FONT,
           "margin": {"l": 70, "r": 20, "t": 45, "b": 40}, "hovermode": "x unified",
           "legend": {"orientation": "h", "y": -0.18, "yanchor": "top", "font": {"size": 11}},
           "xaxis": {"title": {"text": xtitle}, "showgrid": True, "gridcolor": "#eee", "zeroline": False},
           "yaxis": {"title": {"text": ytitle}, "showgrid": True, "gridcolor": "#eee",
                     "type": "log" if log else "linear", "exponentformat": "B"},
           "plot_bgcolor": "white", "height": 380}
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def line(x, y, name: str, colour: str, width: float = 2.0, dash: str = "-", group: Optional[str] = None,
         legend: bool = True, **extra) -> dict:
    trace = {"type": "scatter", "mode": "lines", "x": numbers(x), "y": numbers(y), "name": name,
             "line": {"color": colour, "width": width, "dash": DASHES.get(dash, dash)},
             "showlegend": legend}
    if group is not None:
        trace["legendgroup"] = group
    trace.update(extra)
    return trace


def log_lines(traces: List[dict]) -> float:
    """On a log axis zero and negative values cannot be drawn; rather than
    leave a gap (a year without investment would vanish), they are drawn on
    a floor a decade below the smallest positive value of the panel, with the
    true value in the hover and the CSV. Returns the floor (NaN if none)."""
    positives = [v for tr in traces for v in tr["y"] if v is not None and v > 0]
    if not positives:
        return float("nan")
    floor = 10 ** (np.floor(np.log10(min(positives))) - 1)
    for trace in traces:
        if any(v is not None and v <= 0 for v in trace["y"]):
            trace["customdata"] = list(trace["y"])
            trace["y"] = [None if v is None else (v if v > 0 else floor) for v in trace["y"]]
            trace["hovertemplate"] = "%{customdata:.4~g}"
    return float(floor)


def log_layout(title: str, ytitle: str, traces: List[dict], **extra) -> dict:
    """layout() of a log panel; when log_lines used a floor, a dotted line
    marks it (appended to `traces`)."""
    floor = log_lines(traces)
    if np.isfinite(floor) and any("customdata" in tr for tr in traces):
        xs = [x for tr in traces for x in tr["x"] if x is not None]
        traces.append({"type": "scatter", "mode": "lines", "x": [min(xs), max(xs)], "y": [floor, floor],
                       "name": "zero or below (drawn on this floor)", "hoverinfo": "skip", "csv": False,
                       "line": {"color": "#999", "width": 1, "dash": "dot"}})
    return layout(title, ytitle, log=True, **extra)
