#!/usr/bin/python3
"""`airace report` pages in a real browser: headless Chromium loads a run
report, a report of two runs and a fork, a sweep report and a report of two
ensembles, each checked for no JavaScript error, every chart drawn (the
count the page asks for, found in the DOM after its scripts ran) and a
screenshot that is not blank. A page with a broken script must fail the same
checks (so the checks can see a broken page). Chromium comes from
tools/bootstrap; without it this test fails.

Usage: test_report_browser.py AIRACE_BINARY SOURCE_DIR SCRATCH_DIR
"""
import os
import re
import shutil
import subprocess
import sys

import h5py
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helper import SMALL_SCENARIO, Checks, make_sweep, reseal, test_setup  # noqa: E402

airace, source, scratch = test_setup(sys.argv)
check = Checks()
os.chdir(scratch)

CHROMIUM_TIMEOUT_S = 180
# What a page must show, per kind: the charts of each figure.
RUN_PLOTS = 2 * 6 + 3 + 2  # six figures of two panels, regulation (US, EU, CN), concentration
ENSEMBLE_METRICS = ["frontier_capability", "largest_run_cost", "total_investment", "active_labs"]


def chromium_binary():
    found = os.environ.get("AIRACE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        print("FAILED: chromium not found; install it with tools/bootstrap (Debian package chromium)")
        sys.exit(1)
    return found


def load(page):
    """Loads the page in headless Chromium: (DOM after the scripts ran,
    console messages, screenshot path)."""
    shot = page[:-len(".html")] + ".png"
    result = subprocess.run(
        [chromium_binary(), "--headless=new", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
         "--no-first-run", f"--user-data-dir={os.path.join(scratch, 'profile')}",
         "--virtual-time-budget=20000", "--window-size=1400,2000", "--enable-logging=stderr", "--v=0",
         f"--screenshot={shot}", "--dump-dom", "file://" + os.path.abspath(page)],
        capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S)
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return result.stdout, console, shot


def problems(page, expected_plots):
    """What is wrong with the page in the browser (an empty list if nothing)."""
    found = []
    with open(page, encoding="utf-8") as handle:
        source_html = handle.read()
    asked = len(re.findall(r'<div class="plot" id=', source_html))
    if asked != expected_plots:
        found.append(f"the page has {asked} charts, expected {expected_plots}")
    dom, console, shot = load(page)
    errors = re.search(r'data-errors="([^"]*)"', dom)
    if errors:
        found.append(f"JavaScript errors: {errors.group(1)[:300]}")
    bad = [line for line in console if re.search(r"error|uncaught", line, re.IGNORECASE)]
    if bad:
        found.append(f"console errors: {bad[:3]}")
    drawn = re.search(r'data-plots-drawn="(\d+)"', dom)
    rendered = len(re.findall(r'class="[^"]*js-plotly-plot', dom))
    svgs = len(re.findall(r'<svg class="main-svg"', dom))
    if not drawn or int(drawn.group(1)) != expected_plots or rendered != expected_plots or svgs < expected_plots:
        found.append(f"charts drawn: {drawn.group(1) if drawn else 'none'} by the script, {rendered} "
                     f"plotly charts and {svgs} chart SVGs in the DOM; expected {expected_plots}")
    if not os.path.exists(shot):
        found.append("no screenshot")
    else:
        image = Image.open(shot).convert("RGB").resize((350, 500))
        pixels = list(image.getdata())
        inked = sum(1 for r, g, b in pixels if r + g + b < 600) / len(pixels)
        coloured = sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 60) / len(pixels)
        if inked < 0.01 or coloured < 0.002:
            found.append(f"screenshot looks blank ({inked:.1%} inked, {coloured:.2%} coloured pixels)")
    return found


def report(args, page):
    result = subprocess.run([airace, "report"] + args + ["-o", page, "--force"], capture_output=True, text=True)
    check(result.returncode == 0, f"{page}: airace report exit {result.returncode}: {result.stderr[-600:]}")
    return result.returncode == 0


def browser(page, expected_plots):
    for problem in problems(page, expected_plots):
        check(False, f"{page}: {problem}")


with open("base.yaml", "w") as out:
    out.write(SMALL_SCENARIO.format(name="small_base"))
subprocess.run([airace, "run", "base.yaml", "-o", "base.h5", "--quiet", "--force", "--checkpoint-every", "4"],
               check=True)
subprocess.run([airace, "fork", "base.h5", "--at", "2022", "-o", "fork.h5", "--quiet", "--force",
                "--set", "compute.hardware_improvement_per_year=1.6"], check=False)
if not os.path.exists("fork.h5"):
    subprocess.run([airace, "fork", "base.h5", "--at", "2022", "-o", "fork.h5", "--quiet", "--force"], check=True)

# One run.
if report(["base.h5"], "run.html"):
    browser("run.html", RUN_PLOTS + 1)

# A run and its fork: two graphs, differences, the fork labelled as a fork.
if report(["base.h5", "fork.h5"], "fork.html"):
    with open("fork.html", encoding="utf-8") as handle:
        text = handle.read()
    check("fork of small_base at 2022.00" in text, "fork.html: the fork is labelled with its parent and date")
    diff_panels = len(re.findall(r'<div class="plot" id="fig-diff-p', text))
    check(diff_panels >= 8, f"fork.html: {diff_panels} difference panels")
    browser("fork.html", RUN_PLOTS + 2 + diff_panels)

# A sweep: one band chart per kept metric, one bar chart per metric.
sweep = make_sweep(airace, os.path.join(scratch, "sweep"))
if sweep and report([sweep], "sweep.html"):
    with h5py.File(sweep) as f:
        metrics = len(f["aggregates"])
        indices = len(f["sensitivity"]) if "sensitivity" in f else 0
    browser("sweep.html", metrics + indices)

# Two ensembles of the same seeds (one design point, five seeds; marked
# "ensemble" as `airace run --seeds` writes them): bands, then paired differences.
ENSEMBLE = """sweep:
  name: {name}
  base: {base}
  design: grid
  seeds: [1, 2, 3, 4, 5]
  metrics: [{metrics}]
  parameters:
    - key: labs.frontier_count
      values: [2]
"""
with open("strict.yaml", "w") as out:
    out.write(SMALL_SCENARIO.format(name="small_strict").replace("count: 8", "count: 4"))
ensembles = []
for name, base in (("ens_base", "base.yaml"), ("ens_strict", "strict.yaml")):
    with open(f"{name}.yaml", "w") as out:
        out.write(ENSEMBLE.format(name=name, base=base, metrics=", ".join(ENSEMBLE_METRICS)))
    subprocess.run([airace, "sweep", f"{name}.yaml", "-o", f"{name}_runs", "--quiet", "--force"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([airace, "sweep", "merge", f"{name}_runs", "-o", f"{name}.h5", "--force"], check=True,
                   stdout=subprocess.DEVNULL)
    with h5py.File(f"{name}.h5", "r+") as f:
        f.attrs["design"] = "ensemble"
    reseal(f"{name}.h5")  # edited in place: sealed again, or every reader refuses it
    ensembles.append(f"{name}.h5")
if report(ensembles, "ensembles.html"):
    with open("ensembles.html", encoding="utf-8") as handle:
        text = handle.read()
    check("paired by seed over 5 seeds" in text, "ensembles.html: differences paired by seed")
    check("mean \\u00b1 2 SE" in text or "mean \u00b1 2 SE" in text, "ensembles.html: mean \u00b1 2 SE bands")
    browser("ensembles.html", 3 * len(ENSEMBLE_METRICS))

# The checks see a broken page: a script error, and charts that are not drawn.
if os.path.exists("run.html"):
    with open("run.html", encoding="utf-8") as handle:
        text = handle.read()
    for name, broken in (("broken_syntax.html", text.replace("var specs = JSON.parse", "var specs = JSON.parse(")),
                         ("broken_call.html", text.replace("Plotly.newPlot(", "Plotly.newPlott("))):
        with open(name, "w", encoding="utf-8") as out:
            out.write(broken)
        found = problems(name, RUN_PLOTS + 1)
        check(any("JavaScript errors" in p or "console errors" in p for p in found) and
              any("charts drawn" in p for p in found), f"{name}: a broken page passes the checks ({found})")

check.finish("ok: run, fork, sweep and ensemble reports load in Chromium without errors, every chart drawn")
