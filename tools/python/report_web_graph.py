"""The interactive regulation figure (stringency per jurisdiction with its
policy events) and relationship graph (one chart per scenario; hover a node
for the agent) of a run report (report.py, report_web.py)."""

from __future__ import annotations

from typing import List, Optional

import numpy as np

from report_common import Scenario, regulation_events, regulators_regions, stringency
from report_graph_layout import EDGE_STYLE, GRAPH_LAYOUT, graph_nodes, merged_edges
from report_web import Figure, Plot, layout, line

EVENT_SYMBOLS = {"policy": ("diamond", "scripted policy decision"),
                 "instrument_on": ("triangle-up", "instrument switched on by stringency"),
                 "instrument_off": ("triangle-down", "instrument switched off by stringency")}
NODE_SYMBOLS = {"investors": "square", "labs": "circle", "compute_providers": "cross",
                "data_providers": "diamond", "regulators": "star", "influencers": "x"}


def fig_regulation(scs: List[Scenario], caption: str, table_html) -> Figure:
    plots = []
    table = []
    events = {sc.label: regulation_events(sc) for sc in scs}
    for region in regulators_regions(scs):
        traces = []
        for sc in scs:
            values = stringency(sc, region)
            if values is None:
                continue
            who = region if len(scs) == 1 else f"{sc.label}: {region}"
            traces.append(line(sc.t, values, who, sc.colour, sc.lw(), group=sc.label))
            for kind, (symbol, what) in EVENT_SYMBOLS.items():
                here = [(time, text) for time, ev_region, ev_kind, text in events[sc.label]
                        if ev_region == region and ev_kind == kind]
                if not here:
                    continue
                at = [int(np.argmin(np.abs(sc.t - time))) for time, _ in here]
                traces.append({"type": "scatter", "mode": "markers", "x": [time for time, _ in here],
                               "y": [float(values[i]) for i in at], "name": f"{who}: {what}",
                               "text": [text for _, text in here], "hovertemplate": "%{text}",
                               "legendgroup": sc.label, "marker": {"symbol": symbol, "size": 10,
                                                                   "color": sc.colour,
                                                                   "line": {"color": "black", "width": 1}}})
        plots.append(Plot(traces, layout(f"{region} regulator", "stringency (0 laissez-faire, 1 strictest)",
                                         yaxis={"range": [-0.02, 1.02]}, hovermode="closest")))
    for sc in scs:
        table += [(sc.label, time, region, what) for time, region, _, what in events[sc.label]]
    return Figure("fig-regulation", "", plots, caption, extra=table_html(table))


def graph_plot(sc: Scenario, year: Optional[float]) -> Plot:
    run = sc.run
    step = run.snapshot_step(year if year is not None else run.snapshot_years()[-1])
    when = float(run.time[step])
    edges = run.edges(step=step)
    node_of, nodes = graph_nodes(run, step, edges)
    traces = []
    for etype, merged, total in merged_edges(run, edges, nodes, node_of):
        colour, label = EDGE_STYLE.get(str(etype), ("#999999", str(etype)))
        xs, ys = [], []
        for r in merged.itertuples(index=False):
            xs += [float(nodes[r.sk]["x"][r.s]), float(nodes[r.dk]["x"][r.d]), None]
            ys += [float(nodes[r.sk]["y"][r.s]), float(nodes[r.dk]["y"][r.d]), None]
        shown = f"{label}: {total}" + (f" ({len(merged)} strongest drawn)" if total > len(merged) else "")
        traces.append({"type": "scatter", "mode": "lines", "x": xs, "y": ys, "name": shown,
                       "hoverinfo": "skip", "line": {"color": colour, "width": 1}, "opacity": 0.5})
    for kind, node in nodes.items():
        size = np.sqrt(np.asarray(node["size"], dtype=float))
        traces.append({"type": "scatter", "mode": "markers", "x": [float(x) for x in node["x"]],
                       "y": [float(y) for y in node["y"]], "name": kind.replace("_", " "),
                       "text": list(node["label"]), "hovertemplate": "%{text}<extra>" + kind + "</extra>",
                       "marker": {"symbol": NODE_SYMBOLS.get(kind, "circle"),
                                  "size": [float(s) for s in size], "color": list(node["face"]),
                                  "line": {"color": list(node["colour"]), "width": 1}}})
    heads = [{"x": GRAPH_LAYOUT[kind][0], "y": GRAPH_LAYOUT[kind][1] + 0.05, "showarrow": False,
              "text": f"<b>{kind.replace('_', ' ')} ({len(run.static(kind))})</b>"} for kind in nodes]
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    return Plot(traces, layout(f"Relationship graph at {when:.2f} \u2014 {sc.label}", "", hovermode="closest",
                               xaxis=dict(hidden, range=[-0.75, 3.1]),
                               yaxis=dict(hidden, range=[-0.05, 1.12]),
                               annotations=heads, height=640, legend={"y": -0.02}))


def fig_graph(scs: List[Scenario], year: Optional[float], caption: str) -> Figure:
    plots = [graph_plot(sc, year) for sc in scs]
    rows = [("scenario", "series", "node", "x", "y")]
    for sc, plot in zip(scs, plots):
        for trace in plot.traces:
            if trace.get("mode") == "markers":
                rows += [(sc.label, trace["name"], t, x, y)
                         for t, x, y in zip(trace["text"], trace["x"], trace["y"])]
    note = " Hover a node for its name; a click on a legend entry hides a kind of node or edge."
    return Figure("fig-graph", "", plots, caption + note, csv_rows=rows, wide=True)
