#!/usr/bin/env python3
"""Check that comments, docs, scripts and tests name only files of this
repository that exist (docs/architecture.md, "Checks").

It reads the text files of the checkout (those git knows: tracked, or new and
not ignored) and reports
  - design notes that were never part of the repository, and the folder
    beside the checkout that held them (NOTES below): readers cannot open them;
  - repository paths that do not exist: a token that starts with a top-level
    folder (sim/step.cpp, tools/calibrate, tests/golden/, configs/*.yaml),
    a path after the source root in a build file or script
    (${CMAKE_SOURCE_DIR}/..., "$source/...", AIRACE_SOURCE_DIR "/..."), a
    relative link in Markdown, or `extends:`/`base:` in a scenario or sweep.
Paths of run files and build outputs are not in the checkout: ALLOWED lists
them. A token with a placeholder (<name>, $var, ..., NAME) is not checked; a
glob must match at least one file.

Usage: check_paths.py SOURCE_DIR   (exit 1 and one line per problem)"""
import fnmatch
import pathlib
import re
import subprocess
import sys

# Names of design notes that were never part of the repository (spelled in
# pieces so that this file does not name them itself).
NOTES = [n + ".md" for n in ("ARCHITECTURE", "PITFALLS", "STYLE", "MODEL", "FACTS")] + ["../" + "shared"]

# Top-level folders: a token starting with one of them is a repository path.
TOP = ["base", "config", "agents", "sim", "record", "output", "experiment",
       "tools", "tests", "bench", "docs", "configs", ".ci"]

# Paths that are named but are not in the checkout (fnmatch patterns).
ALLOWED = [
    "output/runs/*",          # run files and reports of `airace run`, `make run` (git-ignored)
    "output/sweeps/*",        # sweep folders and merged files in docs/sweeps.md's examples
    "output/ensembles/*",     # ensemble files of `airace run --seeds` (docs/analysis.md, docs/cli.md)
    "output/escaped-seed*",   # tests/tools/failure_modes.sh: where an escaping name must not write
    "configs/*/fuzz-input.yaml",  # the name the fuzz targets give their input (tests/fuzz)
]
# Not checked at all: tokens starting with '/' (paths inside run files such as
# /labs/cash_usd, absolute paths), or with build/, build-asan/, ... (build
# outputs), since no top-level folder comes first.

# Files to read: by extension, by name, and scripts without an extension.
EXTENSIONS = {".md", ".cpp", ".hpp", ".py", ".sh", ".yaml", ".txt", ".cmake"}
NAMES = {"CMakeLists.txt", "Makefile"}
# Inputs of the fuzz targets (hostile by design), and the test of this check
# (wrong paths on purpose).
SKIP = ["tests/fuzz/corpus/*", "tests/fuzz/regressions/*", "tests/tools/check_paths_test.py"]

PATH_CHARS = r"[\w.\-/*<>${}+]"
TOKEN = re.compile(r"(?<![\w.\-/$}~@])(?:\./)?(?:%s)/%s*" % ("|".join(re.escape(t) for t in TOP), PATH_CHARS))
# A path after the source root: CMake, the C++ tests' AIRACE_SOURCE_DIR, shell.
ROOTED = re.compile(r'(?:\$\{CMAKE_SOURCE_DIR\}|AIRACE_SOURCE_DIR\)?\s*\+?\s*"|'
                    r'"?\$\{?(?:source|root|src)\}?"?)/(%s+)' % PATH_CHARS)
# A path after the folder of the current CMakeLists.txt.
HERE = re.compile(r"\$\{CMAKE_CURRENT_SOURCE_DIR\}/(%s+)" % PATH_CHARS)
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
YAML_REF = re.compile(r"^\s*(?:extends|base):\s*([^\s#]+)", re.M)
PLACEHOLDER = re.compile(r"[<>${}]|\.\.\.|\b(?:NAME|SEED|DIR|FILE)\b")


def listed_files(root: pathlib.Path) -> list[str]:
    """The files of the checkout, relative to root, with '/' separators."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                              text=True).stdout

    try:
        if pathlib.Path(git("rev-parse", "--show-toplevel").strip()).resolve() == root:
            names = sorted({n for n in git("ls-files", "-z", "--cached", "--others",
                                           "--exclude-standard").split("\0") if n})
            return [n for n in names if (root / n).is_file()]
    except (OSError, subprocess.CalledProcessError):
        pass
    # Not the top of a git checkout (a source archive): every file but build
    # outputs and run files, which .gitignore leaves out.
    files = []
    for p in root.rglob("*"):
        parts = p.relative_to(root).parts
        if (p.is_file() and not parts[0].startswith("build") and parts[:2] != ("output", "runs")
                and not {".git", "__pycache__"} & set(parts)):
            files.append("/".join(parts))
    return sorted(files)


def scanned(name: str, root: pathlib.Path) -> bool:
    path = pathlib.PurePosixPath(name)
    if any(fnmatch.fnmatch(name, pattern) for pattern in SKIP):
        return False
    if path.suffix in EXTENSIONS or path.name in NAMES:
        return True
    if path.suffix == "" and path.parts[0] in ("tools", ".ci"):
        with open(root / name, "rb") as f:
            return f.read(2) == b"#!"
    return False


class Tree:
    def __init__(self, files: list[str]):
        self.files = set(files)
        self.dirs = {str(p) for f in files for p in pathlib.PurePosixPath(f).parents if str(p) != "."}
        self.all = sorted(self.files | self.dirs)

    def problem(self, path: str) -> str | None:
        """Why the repository path `path` is wrong, or None."""
        path = path.removeprefix("./").rstrip(".,;:")
        if not path or PLACEHOLDER.search(path):
            return None
        if path.startswith("../") or "/../" in path:
            return f"'{path}' leaves the repository"
        bare = path.rstrip("/")
        if any(fnmatch.fnmatch(bare, pattern) or fnmatch.fnmatch(path, pattern) for pattern in ALLOWED):
            return None
        if "*" in bare:
            return None if any(fnmatch.fnmatch(p, bare) for p in self.all) else f"'{path}' matches no file"
        if path.endswith("/"):
            return None if bare in self.dirs else f"no folder '{path}'"
        return None if bare in self.files or bare in self.dirs else f"no file '{path}'"


def relative(base: str, target: str) -> str:
    """target, a path relative to the folder base, as a repository path."""
    parts: list[str] = [p for p in base.split("/") if p]
    for part in target.split("/"):
        if part == "..":
            if not parts:
                return "../" + target
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts) + ("/" if target.endswith("/") else "")


def check_file(name: str, text: str, tree: Tree) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    folder = str(pathlib.PurePosixPath(name).parent) if "/" in name else ""

    def line_of(pos: int) -> int:
        return text.count("\n", 0, pos) + 1

    for note in NOTES:
        for m in re.finditer(r"(?<![\w.])" + re.escape(note) + r"(?![\w])", text):
            found.append((line_of(m.start()), f"'{note}' is outside the repository: say the "
                                               "thing itself or cite a file of the repository"))
    for m in TOKEN.finditer(text):
        if (why := tree.problem(m.group(0))):
            found.append((line_of(m.start()), why))
    for m in ROOTED.finditer(text):
        if (why := tree.problem(m.group(1))):
            found.append((line_of(m.start()), why))
    if name.endswith("CMakeLists.txt"):
        for m in HERE.finditer(text):
            if (why := tree.problem(relative(folder, m.group(1)))):
                found.append((line_of(m.start()), why))
    if name.endswith(".md"):
        for m in MD_LINK.finditer(text):
            target = m.group(1).split("#", 1)[0]
            if target and ":" not in target and not target.startswith("/"):
                if (why := tree.problem(relative(folder, target))):
                    found.append((line_of(m.start()), f"link: {why}"))
    if name.endswith(".yaml"):
        for m in YAML_REF.finditer(text):
            if (why := tree.problem(relative(folder, m.group(1).strip("'\"")))):
                found.append((line_of(m.start()), f"{why}"))
    return sorted(set(found))


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    files = listed_files(root)
    tree = Tree(files)
    problems = 0
    for name in files:
        if not scanned(name, root):
            continue
        text = (root / name).read_text(encoding="utf-8", errors="replace")
        for line, why in check_file(name, text, tree):
            print(f"{name}:{line}: {why}")
            problems += 1
    if problems == 0:
        print(f"paths ok: {sum(scanned(n, root) for n in files)} files name only files of the repository")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
