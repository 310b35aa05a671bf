"""The static page of `airace report --static` (report.py): every figure as
a PNG image drawn by matplotlib (report_runs.py, report_graph.py,
report_sweep.py), for papers; --png-dir also writes the PNG files."""

from __future__ import annotations

from typing import Callable, List, Optional, Tuple

import report_plot
from report_common import Scenario
from report_graph import fig_graph
from report_page import (RUN_FIGURES, SWEEP_FIGURES, esc, regulation_table, run_header, sweep_header,
                         timed)
from report_plot import png_base64
from report_runs import (fig_capability, fig_compute, fig_concentration, fig_data, fig_energy,
                         fig_investment, fig_price, fig_regulation)
from report_sweep import fig_sweep_fan, fig_sweep_sensitivity

CSS = """
figure img { max-width: 100%; height: auto; display: block; }
"""


def set_png_dir(folder: Optional[str]) -> None:
    report_plot.PNG_DIR = folder


def figure_html(fig_id: str, heading: str, images, caption: str, extra: str = "") -> str:
    parts = [f'<figure id="{fig_id}">', f"<h3>{esc(heading)}</h3>"]
    for i, (fig, alt) in enumerate(images):
        name = fig_id + (f"-{i}" if len(images) > 1 else "")
        parts.append(f'<img alt="{esc(alt)}" src="data:image/png;base64,{png_base64(fig, name)}">')
    parts.append(f"<figcaption>{esc(caption)}</figcaption>")
    parts.append(extra)
    parts.append("</figure>")
    return "\n".join(parts)


def run_section(scs: List[Scenario], graph_year: Optional[float]) -> str:
    builders: List[Tuple[str, Callable]] = [
        ("fig-capability", fig_capability), ("fig-compute", fig_compute), ("fig-price", fig_price),
        ("fig-investment", fig_investment), ("fig-data", fig_data), ("fig-energy", fig_energy),
        ("fig-regulation", fig_regulation), ("fig-concentration", fig_concentration),
        ("fig-graph", lambda s: fig_graph(s, graph_year)),
    ]
    headings = dict(RUN_FIGURES)
    parts = [run_header(scs)]
    for fig_id, builder in builders:
        def draw(builder=builder, fig_id=fig_id):
            result = builder(scs)
            extra = regulation_table(result[2]) if fig_id == "fig-regulation" else ""
            return figure_html(fig_id, headings[fig_id], result[0], result[1], extra)
        parts.append(timed(fig_id, draw))
    return "\n".join(parts)


def sweep_section(sweep, index: int) -> str:
    suffix = "" if index == 0 else f"-{index}"
    parts = [sweep_header(sweep, suffix)]
    for (fig_id, heading), builder in zip(SWEEP_FIGURES, (fig_sweep_fan, fig_sweep_sensitivity)):
        def draw(builder=builder, fig_id=fig_id, heading=heading):
            images, caption = builder(sweep)
            return figure_html(fig_id + suffix, heading, images, caption)
        parts.append(timed(fig_id + suffix, draw))
    return "\n".join(parts)
