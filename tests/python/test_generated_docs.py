#!/usr/bin/python3
"""The generated parts of the docs: tools/sensitivity writes a well-formed
block of Sobol' indices into a copy of a page (a tiny design: a small world,
two assumptions, 16 runs), the same block twice for the same binary, and
leaves the rest of the page alone; it refuses a page without its markers.
tools/update-examples finds docs/analysis.md and docs/replay.md up to date
byte for byte with this binary (after a model change: run
`tools/update-examples build/airace` and commit the docs), and refuses a
marked block that names no known example.

Usage: test_generated_docs.py AIRACE_BINARY SOURCE_DIR SCRATCH_DIR
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_helper import Checks, test_setup, SMALL_SCENARIO, SWEEP  # noqa: E402

airace, source, scratch = test_setup(sys.argv)
check = Checks()
python = "/usr/bin/python3"
sensitivity = os.path.join(source, "tools", "sensitivity")
examples = os.path.join(source, "tools", "update-examples")

# --- tools/sensitivity on a tiny Sobol' design ---------------------------------

with open(os.path.join(scratch, "base.yaml"), "w") as f:
    f.write(SMALL_SCENARIO.format(name="sensitivity_base"))
sweep = os.path.join(scratch, "tiny.yaml")
with open(sweep, "w") as f:
    f.write(SWEEP)
PAGE = "# A page\n\nBefore.\n\n<!-- sensitivity:begin -->\nold text\n<!-- sensitivity:end -->\n\nAfter.\n"
doc = os.path.join(scratch, "model.md")
with open(doc, "w") as f:
    f.write(PAGE)
OUTCOMES = ["frontier_capability@2022", "frontier_capability@2023", "total_investment@2023"]
command = [python, sensitivity, airace, "--sweep", sweep, "--doc", doc, "--jobs", "2"]
for o in OUTCOMES:
    command += ["--outcome", o]
first = subprocess.run(command, capture_output=True, text=True)
check(first.returncode == 0, f"tools/sensitivity exits 0 (got {first.returncode}: {first.stderr})")
with open(doc) as f:
    written = f.read()
check(written.startswith("# A page\n\nBefore.\n\n<!-- sensitivity:begin -->\n"), "text before the block kept")
check(written.endswith("<!-- sensitivity:end -->\n\nAfter.\n"), "text after the block kept")
check("old text" not in written, "the block's old content replaced")
body = written.split("<!-- sensitivity:begin -->\n")[1].split("<!-- sensitivity:end -->")[0]
tables = re.findall(r"(?m)^\| assumption \|.*(?:\n\|.*)*", body)
check(len(tables) == 2, f"two tables, ST and S1 (got {len(tables)})")
CELL = re.compile(r"^(-?\d+\.\d\d ± \d+\.\d\d|n/a)$")
for t in tables:
    rows = t.split("\n")
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    check(header == ["assumption", "frontier capability 2023", "frontier capability 2024",
                     "total investment 2024"], f"a column per outcome: {header}")
    check(len(rows) == 4, f"header, rule and a row per assumption (got {len(rows)} lines)")
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        check(cells[0] in ("`compute.hardware_improvement_per_year`", "`algorithms.research_rate_per_year`"),
              f"row names an assumption: {cells[0]}")
        check(all(CELL.match(c) for c in cells[1:]), f"cells are 'index ± interval': {cells}")
# One line per paragraph and bullet: join the lines the tool wrapped.
unwrapped = re.sub(r" +", " ", re.sub(r"\n(?=[^\n|<-])", " ", body))
readings = re.findall(r"(?m)^- \*\*.+\*\*, .+ \(5-95% of runs\): .+\.$", unwrapped)
check(len(readings) == len(OUTCOMES), f"a reading line per outcome (got {len(readings)})")
check("4 base samples, 16 runs" in unwrapped, "the block states the design's size")

again = subprocess.run(command, capture_output=True, text=True)
with open(doc) as f:
    check(again.returncode == 0 and f.read() == written, "same binary and design: the same block")

bare = os.path.join(scratch, "bare.md")
with open(bare, "w") as f:
    f.write("# No markers\n")
refused = subprocess.run(command[:5] + ["--doc", bare], capture_output=True, text=True)
check(refused.returncode == 2 and "sensitivity:begin" in refused.stderr,
      f"a page without the markers is refused with exit 2 ({refused.returncode}: {refused.stderr})")

# --- tools/update-examples -----------------------------------------------------

current = subprocess.run([python, examples, airace, "--check"], capture_output=True, text=True)
check(current.returncode == 0,
      "docs/analysis.md and docs/replay.md match what their examples print now "
      f"(regenerate with tools/update-examples build/airace):\n{current.stdout}{current.stderr}")

unknown = os.path.join(scratch, "unknown.md")
with open(unknown, "w") as f:
    f.write("```sh\nairace --version\n```\n<!-- example:no-such-example:begin -->\n"
            "<!-- example:no-such-example:end -->\n")
named = subprocess.run([python, examples, airace, "--check", unknown], capture_output=True, text=True)
check(named.returncode == 2 and "no-such-example" in named.stderr,
      f"a block naming no known example is refused with exit 2 ({named.returncode}: {named.stderr})")

check.finish("generated docs: sensitivity block well-formed and deterministic; examples up to date")
