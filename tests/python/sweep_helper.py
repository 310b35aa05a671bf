"""A tiny real sweep for the Python tests: a Sobol design over two parameters
of a small scenario, run with `airace sweep` and merged with `airace sweep
merge`. Returns None when this airace has no sweep command."""
import os
import shutil
import subprocess
import sys

SMALL_SCENARIO = """scenario:
  name: {name}
time:
  end_year: 2024
labs:
  count: 6
  frontier_count: 2
  entrant_slots: 2
investors:
  count: 8
  corporate_count: 2
"""

SWEEP = """sweep:
  name: tiny
  description: a tiny Sobol sweep for the reader and report tests
  base: base.yaml
  design: sobol
  samples: 4
  seeds: [1]
  metrics: [frontier_capability, largest_run_cost, total_investment, data_wall_year, active_labs]
  metric_year: 2023
  parameters:
    - key: compute.hardware_improvement_per_year
      range: [1.1, 1.6]
    - key: algorithms.research_rate_per_year
      range: [0.4, 1.5]
      scale: log
"""


def has_sweep(airace):
    return subprocess.run([airace, "sweep", "merge", "--help"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def make_sweep(airace, folder):
    """Runs the tiny sweep in `folder`; returns the merged sweep file's path."""
    if not has_sweep(airace):
        return None
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "base.yaml"), "w") as out:
        out.write(SMALL_SCENARIO.format(name="sweep_base"))
    with open(os.path.join(folder, "tiny.yaml"), "w") as out:
        out.write(SWEEP)
    results = os.path.join(folder, "out")
    merged = os.path.join(folder, "sweep.h5")
    subprocess.run([airace, "sweep", os.path.join(folder, "tiny.yaml"), "-o", results, "--quiet", "--force"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([airace, "sweep", "merge", results, "-o", merged, "--force"], check=True,
                   stdout=subprocess.DEVNULL)
    return merged


def test_setup(argv):
    """The arguments every Python test gets (airace binary, source folder,
    scratch folder), with the project's Python modules importable and the
    scratch folder emptied."""
    airace, source, scratch = argv[1:4]
    sys.path.insert(0, os.path.join(source, "tools", "python"))
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    return airace, source, scratch


class Checks:
    """Collects failed checks so that a test reports all of them at once."""

    def __init__(self):
        self.failures = []

    def __call__(self, condition, what):
        if not condition:
            self.failures.append(what)

    def finish(self, summary):
        """Exits 1 listing the failures, or prints `summary`."""
        if self.failures:
            print("FAILED:\n  " + "\n  ".join(self.failures))
            sys.exit(1)
        print(summary)


def reseal(path, algorithm=None):
    """Recomputes the /file_checksum of a file a test edited in place (h5py
    in append mode), so that airace reads it again (docs/output-schema.md,
    Integrity): what a tool that writes airace files on purpose would do.
    With the hash its `algorithm` attribute names, or `algorithm`."""
    import h5py
    from airace._checks import checksum_algorithm, file_hash
    with h5py.File(path, "r") as f:
        dataset = f["file_checksum"]
        offset = dataset.id.get_offset()
        if algorithm is None:
            algorithm = checksum_algorithm(dataset)
    h = file_hash(path, offset, algorithm)
    with open(path, "r+b") as out:
        out.seek(offset)
        out.write(h.to_bytes(8, "little"))
