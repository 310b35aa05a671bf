"""Generated parts of the docs: a block between two marker lines of a
Markdown file, rewritten by a tool (tools/sensitivity, tools/update-examples)
so that numbers quoted in the docs always come from the current binary.

A block is the text between a line `<!-- NAME:begin -->` and the next line
`<!-- NAME:end -->`; the marker lines themselves stay. Needs only the
standard library.
"""

from __future__ import annotations

import os
import re
from typing import Dict, List, Optional

from airace_ensemble import EnsembleError


def begin_marker(name: str) -> str:
    return f"<!-- {name}:begin -->"


def end_marker(name: str) -> str:
    return f"<!-- {name}:end -->"


_MARKER = re.compile(r"^<!-- (?P<name>[A-Za-z0-9_.:-]+):(?P<which>begin|end) -->$")


def blocks(text: str, prefix: str = "") -> Dict[str, str]:
    """Every marked block of `text` whose name starts with `prefix`, by name,
    with its content. Raises EnsembleError for a begin without its end, an
    end without its begin, nested blocks or a name used twice."""
    found: Dict[str, str] = {}
    open_name: Optional[str] = None
    content: List[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = _MARKER.match(line.strip())
        if not match or not match["name"].startswith(prefix):
            if open_name is not None:
                content.append(line)
            continue
        name, which = match["name"], match["which"]
        if which == "begin":
            if open_name is not None:
                raise EnsembleError(f"line {number}: block {name} begins inside block {open_name}")
            if name in found:
                raise EnsembleError(f"line {number}: block {name} appears twice")
            open_name, content = name, []
        else:
            if open_name != name:
                raise EnsembleError(f"line {number}: end of block {name} without its begin")
            found[name] = "\n".join(content)
            open_name = None
    if open_name is not None:
        raise EnsembleError(f"block {open_name} has no end marker ({end_marker(open_name)})")
    return found


def replace_block(text: str, name: str, content: str) -> str:
    """`text` with the content of block `name` replaced by `content` (a
    newline is added at its end when missing)."""
    blocks(text)  # well-formed
    begin, end = begin_marker(name), end_marker(name)
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() == begin]
    if not starts:
        raise EnsembleError(f"no block {name}: add the lines {begin} and {end}")
    start = starts[0]
    stop = next(i for i in range(start + 1, len(lines)) if lines[i].strip() == end)
    body: List[str] = content.rstrip("\n").split("\n") if content.strip() else []
    return "\n".join(lines[:start + 1] + body + lines[stop:])


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as error:
        raise EnsembleError(f"cannot read {path}: {error.strerror}") from error


def write_text(path: str, text: str) -> None:
    """Writes `path` through a temporary file and a rename, so that an
    interrupted tool never leaves a half-written doc."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
