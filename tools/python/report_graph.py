"""The relationship graph of a run report (report.py): one figure per
scenario of the graph snapshot at a year, agents as nodes in a column per
kind (the strongest on top), ties as edges coloured by type."""

from __future__ import annotations

from typing import List, Optional

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from report_plot import Scenario, plt

REGION_COLOURS = {"US": "#1f5fbf", "EU": "#e0a000", "CN": "#c0282d", "world": "#555555"}
EDGE_STYLE = {  # type: (colour, legend label)
    "equity": ("#4a6fa5", "equity (investor \u2192 lab, USD)"),
    "compute_contract": ("#2e9e4f", "compute contract (provider \u2192 lab, FLOP)"),
    "licence": ("#8e5fb5", "data licence (provider \u2192 lab)"),
    "exclusive": ("#d6336c", "exclusive data deal"),
    "lobbying": ("#e8871e", "lobbying (lab \u2192 regulator, USD)"),
    "influence": ("#c0282d", "influence (influencer \u2192 regulator)"),
}

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


# The column a kind's agents are ranked by (strongest on top), and the one
# their node sizes follow.
GRAPH_RANK_BY = {"investors": "invested_total", "labs": "capability", "compute_providers": "capacity",
                 "data_providers": "stock", "regulators": "stringency", "influencers": "stance"}
GRAPH_SIZE_BY = {"investors": "aum", "labs": "valuation", "compute_providers": "capacity",
                 "data_providers": "stock"}
GRAPH_AXES_HEIGHT_PT = 8.4 * 72 * 0.82 / 1.15


def column(run, step: int, kind: str, col: str) -> np.ndarray:
    """A kind's column at `step`; zeros when the run file lacks it."""
    if col in run.columns(kind):
        return np.asarray(run.h5[kind][col][step, :], dtype=float)
    return np.zeros(len(run.static(kind)))


def edge_strength(run, edges, kind: str) -> np.ndarray:
    """Per agent of a kind: the total |weight| of the edges it is an end of."""
    total = np.zeros(len(run.static(kind)))
    for side in ("src", "dst"):
        sel = edges[edges[f"{side}_kind"] == kind]
        np.add.at(total, sel[side].to_numpy(), sel["weight"].abs().to_numpy())
    return total


def kind_nodes(run, step: int, edges, kind: str):
    """A kind's nodes: the strongest first (top of its band); beyond
    GRAPH_MAX_NODES the rest become one node "N other <kind>" at the bottom.
    Returns the node of each agent (its slot) and the nodes (x, y, size,
    colour, face, label per slot)."""
    static = run.static(kind)
    n = len(static)
    x, top, bottom = GRAPH_LAYOUT[kind]
    key = np.abs(np.nan_to_num(column(run, step, kind, GRAPH_RANK_BY[kind]), nan=-np.inf)) + \
        1e-30 * edge_strength(run, edges, kind)
    if kind == "labs":
        key = np.nan_to_num(column(run, step, kind, "capability"), nan=-np.inf)
    order = np.lexsort((np.arange(n), -key))
    limit = GRAPH_MAX_NODES.get(kind, 30)
    keep = order[:limit] if n > limit + 1 else order
    slots = len(keep) + (1 if len(keep) < n else 0)
    ys = np.linspace(top, bottom, slots) if slots > 1 else np.array([(top + bottom) / 2])
    mapping = np.full(n, slots - 1)
    mapping[keep] = np.arange(len(keep))
    spacing_pt = (top - bottom) / max(slots - 1, 1) * GRAPH_AXES_HEIGHT_PT
    biggest = min(15.0, max(4.0, 0.95 * spacing_pt)) ** 2
    raw_size = column(run, step, kind, GRAPH_SIZE_BY[kind]) if kind in GRAPH_SIZE_BY else np.ones(n)
    v = np.log10(np.clip(np.nan_to_num(raw_size), 0, None) + 1.0)
    scaled = 0.25 + 0.75 * (v - v.min()) / (v.max() - v.min()) if v.max() > v.min() else np.full(n, 0.7)
    regions = static["region"].tolist()
    names = static["name"].tolist()
    colours = [REGION_COLOURS.get(r, "#555555") for r in regions]
    faces = list(colours)
    if kind == "labs":
        status = column(run, step, "labs", "status")
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
    return mapping, node


def draw_edges(ax, run, edges, nodes, node_of):
    """Each type's edges between drawn nodes, merged per pair of nodes, the
    strongest GRAPH_MAX_EDGES_PER_TYPE of them; returns their legend entries."""
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
    node_of = {}    # kind -> array agent row -> node y index
    nodes = {}      # kind -> dict(x, y, size, colour, face, label)
    for kind in [k for k in run.kinds() if k in GRAPH_LAYOUT]:
        if len(run.static(kind)) > 0:
            node_of[kind], nodes[kind] = kind_nodes(run, step, edges, kind)

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
    which = "the last snapshot" if year is None else f"the snapshot nearest {year:g}"
    caption = (f"Who is tied to whom at {which} (snapshots are taken at the end of each year): "
               "investors hold equity in labs, data providers license data to them, compute "
               "providers sell them compute, labs lobby their home regulator, influencers push "
               "regulators. Within a column the strongest agents are on top (labs by capability); "
               "beyond the first 50 labs, 30 investors or 15 data providers the rest are merged into "
               "one grey node. "
               "Node colours are regions.")
    return images, caption

