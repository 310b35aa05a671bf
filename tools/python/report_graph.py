"""The relationship graph of a run report (report.py): one figure per
scenario of the graph snapshot at a year, agents as nodes in a column per
kind (the strongest on top), ties as edges coloured by type."""

from __future__ import annotations

from typing import List, Optional

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from report_common import Scenario
from report_graph_layout import (EDGE_STYLE, GRAPH_LAYOUT, GRAPH_MARKERS, REGION_COLOURS, graph_nodes,
                                 merged_edges)
from report_page import graph_caption
from report_plot import plt


def draw_edges(ax, run, edges, nodes, node_of):
    """Each type's merged edges (merged_edges) as lines; returns their legend entries."""
    legend_edges = []
    for etype, merged, total in merged_edges(run, edges, nodes, node_of):
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
    return legend_edges


def label_nodes(ax, nodes, kind: str, count: int, side: str):
    """Names beside a kind's first `count` nodes (and its "other" node)."""
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


def label_graph(ax, run, nodes):
    """Node names, and each kind's name and agent count above its column."""
    label_nodes(ax, nodes, "investors", 30, "left")
    label_nodes(ax, nodes, "data_providers", 15, "left")
    label_nodes(ax, nodes, "labs", 15, "right")
    label_nodes(ax, nodes, "regulators", 10, "right")
    label_nodes(ax, nodes, "compute_providers", 12, "right")
    label_nodes(ax, nodes, "influencers", 5, "right")
    for kind, node in nodes.items():
        x, top, _ = GRAPH_LAYOUT[kind]
        count = len(run.static(kind))
        ax.text(x, top + 0.035, f"{kind.replace('_', ' ')} ({count})", ha="center", va="bottom",
                fontsize=10, fontweight="bold")


def graph_legends(ax, run, nodes, legend_edges):
    """Below the graph: what the node markers and colours mean (left) and
    the edge types with their counts (right)."""
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


def draw_graph(sc: Scenario, year: Optional[float]):
    run = sc.run
    step = run.snapshot_step(year if year is not None else run.snapshot_years()[-1])
    when = float(run.time[step])
    edges = run.edges(step=step)
    node_of, nodes = graph_nodes(run, step, edges)

    fig, ax = plt.subplots(figsize=(11.5, 8.4), layout="constrained")
    legend_edges = draw_edges(ax, run, edges, nodes, node_of)
    for kind, node in nodes.items():
        ax.scatter(node["x"], node["y"], s=node["size"], c=node["face"], edgecolors=node["colour"],
                   linewidths=1.0, marker=GRAPH_MARKERS.get(kind, "o"), zorder=3)
    label_graph(ax, run, nodes)
    ax.set_xlim(-0.75, 3.1 if "influencers" in nodes else 2.6)
    ax.set_ylim(-0.03, 1.1)
    ax.axis("off")
    graph_legends(ax, run, nodes, legend_edges)
    ax.set_title(f"Relationship graph at {when:.2f} \u2014 {sc.label}")
    return fig, f"relationship graph, {sc.label}, {when:.2f}"


def fig_graph(scs: List[Scenario], year: Optional[float]):
    images = [draw_graph(sc, year) for sc in scs]
    caption = graph_caption(year)
    return images, caption

