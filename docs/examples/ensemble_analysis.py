#!/usr/bin/python3
"""An ensemble from the command line to pandas with the package airace.

Runs a scenario over several seeds (`airace run SCENARIO --seeds N`), opens
the ensemble file with `import airace`, and prints: a tidy long table of two
aggregates, the statistics across the seeds at the last step (mean ± standard
error), and the shapes of EMA Workbench's (experiments, outcomes) pair.

    PATH=PREFIX/bin:$PATH PYTHONPATH=PREFIX/lib/python3/dist-packages \\
        /usr/bin/python3 PREFIX/share/airace/examples/ensemble_analysis.py --seeds 20

PREFIX is where `cmake --install` put airace (the README's install
section); with the prefix /usr/local neither variable is needed. From the
source tree: PYTHONPATH=tools/python, --airace build/airace. Exit status 0,
1 when a step fails.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

try:
    import airace
except ImportError:
    sys.exit("ensemble_analysis.py: cannot import airace; add PREFIX/lib/python3/dist-packages "
             "(or tools/python in the source tree) to PYTHONPATH")


def default_scenario(binary: str) -> str:
    """The baseline installed with the binary (PREFIX/share/airace/configs)."""
    prefix = os.path.dirname(os.path.dirname(os.path.realpath(binary)))
    return os.path.join(prefix, "share", "airace", "configs", "baseline.yaml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--airace", default=shutil.which("airace") or "airace",
                        help="the airace binary (default: airace on PATH)")
    parser.add_argument("--scenario", help="scenario file (default: the installed baseline)")
    parser.add_argument("--seeds", type=int, default=20, help="number of seeds (default 20)")
    parser.add_argument("-o", "--output", help="ensemble file to write (default: a temporary one)")
    args = parser.parse_args()

    scenario = args.scenario or default_scenario(args.airace)
    scratch = None
    output = args.output
    if output is None:
        scratch = tempfile.mkdtemp(prefix="airace-example-")
        output = os.path.join(scratch, "ensemble.h5")
    try:
        subprocess.run([args.airace, "run", scenario, "--seeds", str(args.seeds), "-o", output,
                        "--checkpoint-every", "0", "--quiet", "--force"], check=True)
        with airace.open(output) as ens:
            report(ens)
    except (subprocess.CalledProcessError, OSError, airace.AiraceFileError) as error:
        print(f"ensemble_analysis.py: {error}", file=sys.stderr)
        return 1
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


def report(ens: "airace.Ensemble") -> None:
    print(repr(ens))
    tidy = ens.tidy(["frontier_capability", "total_investment"])
    print(f"\ntidy table: {len(tidy)} rows (metric x run x step)")
    print(tidy.head(6).to_string(index=False))

    stats = ens.statistics(["frontier_capability", "total_investment"])
    last = stats[stats["step"] == stats["step"].max()]
    print(f"\nat {last['time'].iloc[0]:.2f}, across {int(last['runs'].iloc[0])} seeds:")
    for row in last.itertuples():
        print(f"  {row.metric}: {row.mean:.4g} ± {row.se:.2g} {stats.attrs['units'][row.metric]}")

    experiments, outcomes = ens.experiments(), ens.outcomes()
    print(f"\nEMA Workbench pair: experiments {experiments.shape} "
          f"(columns: {', '.join(experiments.columns)}); outcomes: {len(outcomes)} arrays "
          f"of {outcomes['frontier_capability'].shape} (runs, steps), with TIME")


if __name__ == "__main__":
    sys.exit(main())
