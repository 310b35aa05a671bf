#!/usr/bin/env python3
"""tools/checks/check_paths.py on a small repository made here: each kind of
wrong path is reported at its line, and what is allowed is not.

Usage: check_paths_test.py SOURCE_DIR WORK_DIR"""
import pathlib
import shutil
import subprocess
import sys

source, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
note = "MODEL" + ".md"  # a design note outside the repository

files = {
    "sim/step.cpp": "// The phases (sim/step.hpp, docs/model.md section 1).\n"
                    f"// See {note} \"Labs\".\n"                      # 2: note
                    "// Written by sim/stepp.cpp.\n",                 # 3: typo
    "sim/step.hpp": "#include \"base/ids.hpp\"\n"                     # 1: missing header
                    "// Paths in run files (/labs/cash_usd) and build/airace are not checked.\n",
    "base/.keep": "",
    "docs/model.md": "Runs go to `output/runs/NAME-seedSEED.h5`, scenarios are\n"
                     "`configs/scenarios/<name>.yaml` and `configs/*.yaml`; tools/calibrate\n"
                     "[steps](../sim/step.cpp) [bad](model.txt) and `tests/` `tests/output/`\n"
                     "and sim/phases/ and docs/*.html and ../shared/x\n"
                     "and ./tools/calibrate and ./tools/gone\n",
    "configs/baseline.yaml": "# key: value\n",
    "configs/scenarios/a.yaml": "extends: ../baseline.yaml\n",
    "configs/scenarios/b.yaml": "extends: ../missing.yaml\n",
    "tools/calibrate": "#!/usr/bin/env python3\n# reads configs/calibration/targets.yaml\n",  # 2: missing
    "tests/CMakeLists.txt": "add_test(NAME t COMMAND ${CMAKE_SOURCE_DIR}/tools/calibrate\n"
                            "  ${CMAKE_CURRENT_SOURCE_DIR}/python/gone.py"
                            " ${CMAKE_SOURCE_DIR}/tools/cmd_*.cpp)\n",
    "tests/sim/x.sh": 'run "$source/configs/baseline.yaml" "$source/configs/nope.yaml"\n',
}
for name, text in files.items():
    (work / name).parent.mkdir(parents=True, exist_ok=True)
    (work / name).write_text(text)


def check(label: str) -> None:
    checker = str(source / "tools/checks/check_paths.py")
    result = subprocess.run([sys.executable, checker, str(work)], capture_output=True, text=True)
    got = sorted(result.stdout.splitlines())
    if result.returncode != 1 or got != expected:
        print(f"FAIL ({label}): exit", result.returncode)
        print("missing:", *[e for e in expected if e not in got], sep="\n  ")
        print("unexpected:", *[g for g in got if g not in expected], sep="\n  ")
        sys.exit(1)


outside = "is outside the repository: say the thing itself or cite a file of the repository"
expected = sorted([
    f"sim/step.cpp:2: '{note}' {outside}",
    "sim/step.cpp:3: no file 'sim/stepp.cpp'",
    "sim/step.hpp:1: no file 'base/ids.hpp'",
    "docs/model.md:3: link: no file 'docs/model.txt'",
    "docs/model.md:3: no folder 'tests/output/'",
    "docs/model.md:4: no folder 'sim/phases/'",
    "docs/model.md:4: 'docs/*.html' matches no file",
    f"docs/model.md:4: '../shared' {outside}",
    "docs/model.md:5: no file 'tools/gone'",
    "configs/scenarios/b.yaml:1: no file 'configs/missing.yaml'",
    "tests/CMakeLists.txt:2: no file 'tests/python/gone.py'",
    "tests/CMakeLists.txt:2: 'tools/cmd_*.cpp' matches no file",
    "tests/sim/x.sh:1: no file 'configs/nope.yaml'",
    "tools/calibrate:2: no file 'configs/calibration/targets.yaml'",
])

# In a git checkout the check reads the files git knows; in a source archive,
# the folder itself. Both must find the same.
git_found = True
try:
    subprocess.run(["git", "init", "-q", str(work)], check=True)
except OSError:
    git_found = False
if git_found:
    check("git checkout")
    shutil.rmtree(work / ".git")
check("source archive")
print("ok: check_paths.py reports each kind of wrong path and nothing else")
