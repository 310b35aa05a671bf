"""Where the relationship graph of a run report puts its nodes and which
edges it draws (report_graph.py draws it with matplotlib, report_web_graph.py
with plotly): agents as nodes in a column per kind (the strongest on top),
ties merged per pair of nodes, the strongest of each type."""

from __future__ import annotations

import numpy as np
import pandas as pd

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


def merged_edges(run, edges, nodes, node_of):
    """Each type's edges between drawn nodes, merged per pair of nodes, the
    strongest GRAPH_MAX_EDGES_PER_TYPE of them: yields (type, merged edges
    with columns sk, s, dk, d, w, the number of merged edges before the cut)."""
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
        yield etype, merged.head(GRAPH_MAX_EDGES_PER_TYPE), total


def graph_nodes(run, step: int, edges):
    """The node of each agent per kind, and each kind's nodes (kind_nodes)."""
    node_of, nodes = {}, {}
    for kind in [k for k in run.kinds() if k in GRAPH_LAYOUT]:
        if len(run.static(kind)) > 0:
            node_of[kind], nodes[kind] = kind_nodes(run, step, edges, kind)
    return node_of, nodes
