#!/usr/bin/env python3
"""Check airace's layering: a file may include only headers of its own layer
or of the layers below it (docs/architecture.md). The build enforces the rule
for .cpp files (each layer compiles against an include root that holds only
the layers it may use); this check also covers headers that no .cpp of their
own layer includes.

Usage: check_layers.py SOURCE_DIR   (exit 1 and one line per violation)"""
import pathlib
import re
import sys

# Bottom to top; each layer may include itself and every layer before it.
LAYERS = ["base", "config", "agents", "sim", "record", "output", "experiment"]
TOP = {"tools", "bench", "tests"}  # may include every layer

include = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    problems = []
    for rank, layer in enumerate(LAYERS):
        allowed = set(LAYERS[: rank + 1])
        for path in sorted((root / layer).rglob("*")):
            if path.suffix not in (".hpp", ".cpp"):
                continue
            text = path.read_text(encoding="utf-8")
            for match in include.finditer(text):
                target = match.group(1)
                top = target.split("/", 1)[0]
                if "/" not in target:
                    continue  # generated headers (airace_git_sha.hpp)
                if top in LAYERS and top not in allowed:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{path.relative_to(root)}:{line}: layer '{layer}' includes "
                                    f"'{target}' of the higher layer '{top}'")
                elif top in TOP:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(f"{path.relative_to(root)}:{line}: '{target}' is not part of a library layer")
    for p in problems:
        print(p)
    if not problems:
        print(f"layers ok: {' < '.join(LAYERS)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
