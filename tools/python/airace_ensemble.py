"""Ensembles of airace runs for the analysis tools (tools/scenario_table,
tools/calibrate): running many seeds of a scenario in parallel into a
temporary folder, reading each run file as it arrives, and the statistics
over seeds that every statement about a scenario rests on (mean and its
standard error, quantiles, share of seeds in a range, differences beyond
noise), with their compact printed forms.

Needs only Python's standard library, numpy and yaml (Debian's python3-numpy
and python3-yaml). Results never depend on the number of parallel runs: each
run file is read by the same function and results come back in the order of
the jobs, not of completion.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import glob
import math
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
import yaml

# Parallel runs at most, whatever the machine: beyond this the runs compete
# for memory bandwidth and disk more than they gain.
MAX_JOBS = 32


# --- errors -------------------------------------------------------------------

class EnsembleError(Exception):
    """An ensemble could not be run or read; the message is for the user."""


class MissingBinary(EnsembleError):
    """The airace binary does not exist or cannot be run."""


class RunFailed(EnsembleError):
    """One run of the ensemble failed: names its scenario and seed, and
    carries airace's exit status and stderr."""

    def __init__(self, scenario: str, seed: int, command: Sequence[str], returncode: Optional[int],
                 stderr: str, status: Optional[str] = None):
        self.scenario, self.seed, self.returncode, self.stderr = scenario, seed, returncode, stderr
        status = status or f"exit {returncode}"
        super().__init__(f"run of {scenario} with seed {seed} failed ({status}):\n"
                         f"  {' '.join(command)}\n" + indent(stderr.rstrip() or "(no output)"))


def indent(text: str) -> str:
    return "\n".join("  | " + line for line in text.splitlines())


def guarded_main(tool: str, main: Callable[[], int]) -> None:
    """Runs a tool's main(); an EnsembleError becomes one message on stderr
    and exit 2 (the tools' code for 'could not produce the result')."""
    try:
        code = main()
    except EnsembleError as error:
        print(f"{tool}: error: {error}", file=sys.stderr)
        code = 2
    except KeyboardInterrupt:
        print(f"{tool}: interrupted", file=sys.stderr)
        code = 130
    sys.exit(code)


# --- the binary and the scenario ---------------------------------------------

def resolve_binary(path: str, repo: str) -> str:
    """The airace binary as an absolute path: `path` as given, else relative
    to the repository `repo`. Raises MissingBinary when it is not there."""
    candidates = [path] if os.path.isabs(path) else [os.path.abspath(path), os.path.join(repo, path)]
    for candidate in candidates:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise MissingBinary(f"no airace binary at {path} (build it first: make build; "
                        f"or pass its path as the first argument)")


def shipped_scenarios(repo: str) -> List[str]:
    """The baseline and every shipped scenario of the repository `repo`,
    baseline first, then configs/scenarios/*.yaml in name order."""
    return [os.path.join(repo, "configs", "baseline.yaml")] + \
        sorted(glob.glob(os.path.join(repo, "configs", "scenarios", "*.yaml")))


def resolved_scenario(airace: str, scenario: str, overrides: Sequence[str] = ()) -> dict:
    """The fully resolved scenario (`airace validate --print`) as a dict."""
    command = [airace, "validate", scenario, "--print"]
    for o in overrides:
        command += ["--set", o]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise EnsembleError(f"{scenario} is not a valid scenario (exit {result.returncode}):\n"
                            + indent(result.stderr.rstrip()))
    return yaml.safe_load(result.stdout)


def scenario_seed(airace: str, scenario: str, overrides: Sequence[str] = ()) -> int:
    """The scenario's own seed (scenario.seed, default included)."""
    return int(resolved_scenario(airace, scenario, overrides)["scenario"]["seed"])


# --- running an ensemble ------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Job:
    """One run: a scenario file, a seed and any --set overrides."""
    scenario: str
    seed: int
    overrides: Tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return os.path.splitext(os.path.basename(self.scenario))[0]


def default_jobs() -> int:
    return max(1, min(MAX_JOBS, os.cpu_count() or 1))


def seed_list(seeds: Sequence[int]) -> str:
    """'2000-2019' for consecutive seeds, else a comma-separated list."""
    seeds = list(seeds)
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"{seeds[0]}-{seeds[-1]}"
    return ", ".join(map(str, seeds))


class Progress:
    """Runs done / total on stderr: one updated line on a terminal, a line
    every tenth of the runs (and the last) otherwise."""

    def __init__(self, tool: str, total: int, stream=None):
        self.tool, self.total, self.done = tool, total, 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.next_line = 0

    def step(self, what: str = "") -> None:
        self.done += 1
        text = f"{self.tool}: {self.done}/{self.total} runs done" + (f" ({what})" if what else "")
        if self.tty:
            end = "\n" if self.done == self.total else ""
            print("\r" + text + "\x1b[K", end=end, file=self.stream, flush=True)
        elif self.done >= self.next_line or self.done == self.total:
            print(text, file=self.stream, flush=True)
            self.next_line = self.done + max(1, self.total // 10)


def _run_one(airace: str, job: Job, path: str, threads: int) -> None:
    command = [airace, "run", job.scenario, "-o", path, "--quiet", "--force", "--seed", str(job.seed),
               "--checkpoint-every", "0", "--network-snapshots", "none", "--threads", str(threads)]
    for o in job.overrides:
        command += ["--set", o]
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:
        raise RunFailed(job.scenario, job.seed, command, None, str(error),
                        "airace could not be started") from error
    if result.returncode != 0:
        raise RunFailed(job.scenario, job.seed, command, result.returncode,
                        result.stderr + result.stdout)


def run_ensemble(airace: str, jobs: Sequence[Job], read: Callable[[str, Job], object],
                 workers: Optional[int] = None, progress: Optional[Progress] = None,
                 workdir: Optional[str] = None) -> List[object]:
    """Runs every job (at most `workers` at a time; default: the number of
    CPUs, at most MAX_JOBS), calls read(run_file, job) on each run file in
    this thread as soon as it is written, deletes the file, and returns the
    results in the order of `jobs`. Run files live in a temporary folder
    (under `workdir` when given) that is removed afterwards, also on errors.
    The first failed run stops the ensemble: runs not yet started are
    cancelled and RunFailed names its scenario and seed with airace's
    stderr; an error while reading a run file does the same."""
    workers = max(1, min(workers or default_jobs(), MAX_JOBS, max(1, len(jobs))))
    threads = max(1, (os.cpu_count() or 1) // workers)
    results: List[object] = [None] * len(jobs)
    tmp = tempfile.mkdtemp(prefix="airace_ensemble.", dir=workdir)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers)
    try:
        futures = {}
        for i, job in enumerate(jobs):
            path = os.path.join(tmp, f"{i:05d}-{job.name}-seed{job.seed}.h5")
            futures[pool.submit(_run_one, airace, job, path, threads)] = (i, job, path)
        for future in concurrent.futures.as_completed(futures):
            i, job, path = futures[future]
            future.result()  # raises RunFailed
            try:
                results[i] = read(path, job)
            except EnsembleError:
                raise
            except Exception as error:  # a run file the tool cannot read: never skipped
                raise RunFailed(job.scenario, job.seed, [airace, "run", job.scenario], None,
                                f"{type(error).__name__}: {error}", "its run file could not be read") from error
            os.remove(path)
            if progress is not None:
                progress.step(f"{job.name}, seed {job.seed}")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return results


# --- statistics over seeds ----------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Summary:
    """Statistics of one quantity over the seeds of an ensemble. `se` is the
    standard error of the mean (sample standard deviation / sqrt(n)); NaN
    with fewer than two seeds, so nothing is ever 'beyond noise' then.
    Quantiles interpolate linearly between seeds (numpy's default)."""
    n: int
    mean: float
    se: float
    median: float
    p05: float
    p95: float
    low: float
    high: float


def summarise(values: Sequence[float]) -> Summary:
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        raise ValueError("summarise: no values")
    se = float(np.std(v, ddof=1) / math.sqrt(v.size)) if v.size > 1 else math.nan
    p05, median, p95 = (float(x) for x in np.percentile(v, [5, 50, 95]))
    return Summary(int(v.size), float(np.mean(v)), se, median, p05, p95, float(v.min()), float(v.max()))


def summarise_log10(values: Sequence[float], floor: float = 1e-300) -> Summary:
    """The Summary of log10 of positive quantities that span orders of
    magnitude: 10**mean is the geometric mean and 10**se the standard error
    as a factor (values below `floor` count as `floor`)."""
    return summarise(np.log10(np.maximum(np.asarray(values, dtype=float), floor)))


def share_in_range(values: Sequence[float], low: float, high: float, rel_tol: float = 1e-9) -> float:
    """Share of values in [low, high], each end widened by rel_tol of itself
    (so that a target of exactly 1e25 accepts 1e25 computed in floating point)."""
    v = np.asarray(values, dtype=float)
    inside = (v >= low - rel_tol * abs(low)) & (v <= high + rel_tol * abs(high))
    return float(np.mean(inside))


def difference(a: Summary, b: Summary) -> Tuple[float, float]:
    """a.mean - b.mean and its standard error sqrt(se_a^2 + se_b^2) (the two
    ensembles are independent)."""
    return a.mean - b.mean, math.sqrt(a.se ** 2 + b.se ** 2)


def paired_difference(a: Sequence[float], b: Sequence[float]) -> Tuple[float, float]:
    """Mean of a_i - b_i over runs paired by seed, and its standard error
    (the standard deviation of the differences over sqrt(n)): two scenarios
    run on the same seeds share their random draws, so the noise they have
    in common cancels."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if d.size == 0:
        raise ValueError("paired_difference: no values")
    se = float(np.std(d, ddof=1) / math.sqrt(d.size)) if d.size > 1 else math.nan
    return float(np.mean(d)), se


def beyond_noise(d: float, se: float, k: float = 2.0) -> bool:
    """|d| larger than k standard errors (False when se is NaN). With se 0
    (every seed gives the same value) any non-zero d is beyond noise."""
    return not math.isnan(se) and abs(d) > k * se


def binds(s: Summary, k: float = 2.0) -> bool:
    """A non-negative count or share that is above zero beyond noise: its
    mean exceeds k standard errors."""
    return beyond_noise(s.mean, s.se, k) and s.mean > 0


# --- printed forms ------------------------------------------------------------

def _decimals_for(se: float, most: int = 6) -> int:
    """Decimals that show the standard error to one significant digit (two
    when that digit would be a 1)."""
    if not (se > 0) or not math.isfinite(se):
        return -1
    exponent = math.floor(math.log10(se))
    digits = 2 if int(se / 10 ** exponent) == 1 else 1
    return max(0, min(most, digits - 1 - exponent))


def pm(mean: float, se: float, decimals: int = 2, most: Optional[int] = None,
       scientific: Optional[bool] = None) -> str:
    """'mean ± se', the mean rounded where the standard error starts
    (e.g. '38.01 ± 0.05'); `decimals` when the error is 0 or NaN ('± 0',
    '± ?'). With `most`, at most that many decimals: an error that rounds
    to 0 there shows as '± <0.001'. Large or small magnitudes share one power of ten:
    '(2.13 ± 0.08)e25'; `scientific` forces or forbids that form."""
    if not math.isfinite(mean):
        return "-"
    if scientific is None:
        scientific = mean != 0 and (abs(mean) >= 1e5 or abs(mean) < 1e-2)
    if scientific:
        exponent = math.floor(math.log10(abs(mean))) if mean != 0 else 0
        scale = 10.0 ** exponent
        return f"({pm(mean / scale, se / scale, decimals, most, False)})e{exponent}"
    d = _decimals_for(se)
    if d < 0:
        return f"{mean:.{decimals}f} ± {'0' if se == 0 else '?'}"
    if most is not None and d > most:
        if se < 0.5 * 10.0 ** -most:  # rounds to 0 at `most` decimals
            return f"{mean:.{most}f} ± <{10.0 ** -most:.{most}f}"
        d = most
    return f"{mean:.{d}f} ± {se:.{d}f}"


def factor(se_log10: float) -> str:
    """The standard error of a log10 mean as a multiplicative factor:
    '×/÷ 1.04' (two decimals; '×/÷ ?' when unknown)."""
    if math.isnan(se_log10):
        return "×/÷ ?"
    return f"×/÷ {10 ** se_log10:.2f}"


def sig(x: float, digits: int = 3) -> str:
    """A number to `digits` significant digits ('2.13e+25', '0.07', '1.3')."""
    if not math.isfinite(x):
        return "-"
    return f"{x:.{digits}g}"
