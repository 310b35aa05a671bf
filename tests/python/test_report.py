#!/usr/bin/python3
"""`airace report`: one self-contained HTML page with every figure, for one
run, for two scenarios overlaid and for a sweep: interactive by default
(plotly.js embedded, each figure's charts and CSV), PNG images with
--static; exit code 2 for a missing or foreign file and for a Python without
the plotting packages. (test_report_browser.py loads the pages in Chromium.)

Usage: test_report.py AIRACE_BINARY SOURCE_DIR SCRATCH_DIR
"""
import base64
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser

airace, source, scratch = sys.argv[1:4]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helper import SMALL_SCENARIO, make_sweep  # noqa: E402

RUN_FIGURES = ["fig-capability", "fig-compute", "fig-price", "fig-investment", "fig-data", "fig-energy",
               "fig-regulation", "fig-concentration", "fig-graph"]
SWEEP_FIGURES = ["fig-sweep-fan", "fig-sweep-sensitivity"]
PNG = b"\x89PNG\r\n\x1a\n"

shutil.rmtree(scratch, ignore_errors=True)
os.makedirs(scratch)
os.chdir(scratch)
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


class Figures(HTMLParser):
    """Collects <figure id=...> elements and the images, charts and CSV links inside them."""

    def __init__(self):
        super().__init__()
        self.figures = {}
        self.charts = {}
        self.csv = {}
        self.current = None
        self.external = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and attrs.get("id"):
            self.current = attrs["id"]
            self.figures[self.current] = []
            self.charts[self.current] = 0
        elif tag == "div" and attrs.get("class") == "plot" and self.current:
            self.charts[self.current] += 1
        elif tag == "a" and attrs.get("class") == "csv" and self.current:
            self.csv[self.current] = base64.b64decode(attrs["href"].split(",", 1)[1]).decode("utf-8")
        elif tag == "img":
            src = attrs.get("src", "")
            if not src.startswith("data:image/png;base64,"):
                self.external.append(src[:60])
            elif self.current:
                self.figures[self.current].append((attrs.get("alt", ""), src))
        elif tag in ("link", "script") and (attrs.get("href") or attrs.get("src")):
            self.external.append(attrs.get("href") or attrs.get("src"))

    def handle_endtag(self, tag):
        if tag == "figure":
            self.current = None


def report(args, what, expect_code=0, env=None):
    result = subprocess.run([airace, "report"] + args, capture_output=True, text=True,
                            env=dict(os.environ, **(env or {})))
    if result.returncode != expect_code:
        failures.append(f"{what}: exit code {result.returncode} (want {expect_code}); stderr: "
                        f"{result.stderr.strip()[-800:]}")
    return result


def parse(page, what):
    if not os.path.exists(page):
        failures.append(f"{what}: {page} not written")
        return None
    with open(page, encoding="utf-8") as handle:
        text = handle.read()
    parser = Figures()
    parser.feed(text)
    check(not parser.external, f"{what}: page is not self-contained: {parser.external}")
    return parser


def charts_of(page, what, expected_ids, charts_per_graph=1):
    """The interactive page: plotly.js embedded, each figure with charts and its CSV."""
    parser = parse(page, what)
    if parser is None:
        return None
    with open(page, encoding="utf-8") as handle:
        text = handle.read()
    check("plotly.js v" in text and "Plotly.newPlot" in text, f"{what}: plotly.js is not embedded")
    for fig_id in expected_ids:
        if fig_id not in parser.charts:
            failures.append(f"{what}: figure {fig_id} missing")
            continue
        charts = parser.charts[fig_id]
        check(charts == charts_per_graph if fig_id == "fig-graph" else charts >= 1,
              f"{what}: {fig_id} has {charts} chart(s)")
        rows = parser.csv.get(fig_id, "").splitlines()
        check(len(rows) > 1, f"{what}: {fig_id} has no CSV data")
        check(not parser.figures[fig_id], f"{what}: {fig_id} has PNG images on the interactive page")
    return parser


def figures_of(page, what, expected_ids, images_per_figure=1):
    parser = parse(page, what)
    if parser is None:
        return {}
    for fig_id in expected_ids:
        images = parser.figures.get(fig_id)
        if images is None:
            failures.append(f"{what}: figure {fig_id} missing")
            continue
        check(len(images) == images_per_figure if fig_id == "fig-graph" else len(images) >= 1,
              f"{what}: {fig_id} has {len(images)} image(s)")
        for alt, src in images:
            check(bool(alt.strip()), f"{what}: {fig_id} image without alt text")
            data = base64.b64decode(src.split(",", 1)[1])
            check(data.startswith(PNG) and len(data) > 5000, f"{what}: {fig_id} image is not a real PNG")
    return parser.figures


def write(name, text):
    with open(name, "w") as out:
        out.write(text)


# Two small scenarios: a base and one with a restrictive influencer in the US.
write("base.yaml", SMALL_SCENARIO.format(name="small_base"))
write("strict.yaml", SMALL_SCENARIO.format(name="small_strict") + """influencers:
  - name: pundit
    stance: 1.0
    start_year: 2021.0
    end_year: 2100.0
    weight:
      us: 0.6
      eu: 0.2
      cn: 0.0
""")
for name in ("base", "strict"):
    subprocess.run([airace, "run", f"{name}.yaml", "-o", f"{name}.h5", "--quiet", "--force"], check=True)

# One run, interactive; its yearly gains one value a year.
result = report(["base.h5", "-o", "one.html"], "one run")
check("report: one.html" in result.stdout, "one run: prints the report's path")
one = charts_of("one.html", "one run", RUN_FIGURES)
if one is not None:
    gains = [row for row in one.csv.get("fig-capability", "").splitlines()
             if row.startswith("Gain of frontier capability per calendar year")]
    check(len(gains) == 4, f"one run: yearly gains, one per calendar year 2020-2023 ({len(gains)} rows)")
    check("fig-diff" not in one.charts, "one run: no difference panels")

# Two scenarios overlaid: interactive with the differences from the first.
report(["base.h5", "strict.h5", "-o", "two_web.html"], "two runs, interactive")
two = charts_of("two_web.html", "two runs, interactive", RUN_FIGURES + ["fig-diff"], charts_per_graph=2)
if two is not None:
    check("small_strict minus small_base" in two.csv.get("fig-diff", ""), "two runs: differences from the first")

# Static: with the graph at a chosen year and the PNGs kept.
report(["base.h5", "strict.h5", "-o", "two.html", "--graph-year", "2022", "--png-dir", "png", "--static"],
       "two runs")
figures = figures_of("two.html", "two runs", RUN_FIGURES, images_per_figure=2)
graph_alts = [alt for alt, _ in figures.get("fig-graph", [])]
check(any("small_base" in a for a in graph_alts) and any("small_strict" in a for a in graph_alts),
      f"two runs: one graph per scenario ({graph_alts})")
check(all("2022.00" in a for a in graph_alts), f"two runs: graph at --graph-year 2022 ({graph_alts})")
with open("two.html", encoding="utf-8") as handle:
    page = handle.read()
check("small_base" in page and "small_strict" in page, "two runs: both scenario names on the page")
check(os.path.exists("png/fig-capability.png") and os.path.exists("png/fig-graph-1.png"),
      "two runs: --png-dir writes the PNGs")

# A sweep.
sweep = make_sweep(airace, os.path.join(scratch, "sweep"))
if sweep:
    report([sweep, "-o", "sweep.html"], "sweep")
    charts_of("sweep.html", "sweep", SWEEP_FIGURES)
    report([sweep, "-o", "sweep_static.html", "--static"], "sweep, static")
    figures_of("sweep_static.html", "sweep, static", SWEEP_FIGURES)
    # Runs and a sweep on one page.
    report(["base.h5", sweep, "-o", "mixed.html"], "run and sweep")
    charts_of("mixed.html", "run and sweep", RUN_FIGURES + SWEEP_FIGURES)
else:
    print("note: this airace has no `sweep` command; sweep report not checked")

# Bad input: exit code 2 and a message naming the problem.
result = report(["missing.h5", "-o", "x.html"], "missing file", expect_code=2)
check("missing.h5" in result.stderr and "no such file" in result.stderr, "missing file: message")
check(not os.path.exists("x.html"), "missing file: no report written")
write("bogus.h5", "not an hdf5 file")
result = report(["bogus.h5", "-o", "x.html"], "not HDF5", expect_code=2)
check("not an HDF5 file" in result.stderr, "not HDF5: message")
result = report(["base.h5", "-o", "one.html"], "existing output", expect_code=2)
check("--force" in result.stderr, "existing output: says to use --force")
result = report(["base.h5", "-o", "x.html"], "python without packages", expect_code=2,
                env={"AIRACE_PYTHON": "/bin/false"})
check("sudo apt-get install python3-h5py python3-pandas python3-plotly python3-matplotlib" in result.stderr,
      f"python without packages: says what to install ({result.stderr.strip()})")
result = report(["base.h5", "-o", "x.html"], "no report script", expect_code=1,
                env={"AIRACE_PYTHON_DIR": scratch})
check("AIRACE_PYTHON_DIR" in result.stderr, "no report script: names AIRACE_PYTHON_DIR")
report(["base.h5", "-o", "one.html", "--force"], "existing output with --force, AIRACE_PYTHON_DIR override",
       env={"AIRACE_PYTHON_DIR": os.path.join(source, "tools", "python")})
report([], "no files", expect_code=2)
result = report(["base.h5", "-o", "x.html"], "no plotly.js", expect_code=2,
                env={"AIRACE_PLOTLY_JS": "/nonexistent/plotly.js"})
check("/nonexistent/plotly.js" in result.stderr and "python3-plotly" in result.stderr,
      f"no plotly.js: message ({result.stderr.strip()})")
check(not os.path.exists("x.html"), "no plotly.js: no report written")

if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok: reports for one run, two scenarios" + (", a sweep" if sweep else "") + " and bad input")
