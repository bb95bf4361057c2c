"""Lookup start-up time against the bare interpreter, measured in the same run.

Prints the median wall time of `find`, `show` and `list --open-now` (each a
fresh `python -m calais_guide` process, as a volunteer types it) beside
`python -c pass`, and the ratio. Target (issue 5): a lookup at most 8x the
bare interpreter start on the same machine.

Two ways of printing are measured: output piped (plain text, what scripts
and this benchmark's default see) and output on a terminal (a pseudo-terminal:
Rich with colours, what a volunteer sees). The cache is warmed first; one
cold run (cache rebuilt from YAML) is reported too.

    python benchmarks/lookup.py [--runs 21] [--entries DIR]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from baseline import Targets, load

ROOT = Path(__file__).resolve().parent.parent


def run_piped(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, env=env, check=True)
    return time.perf_counter() - start


def run_tty(cmd: list[str], env: dict[str, str]) -> float:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    while True:
        try:
            if not os.read(master, 65536):
                break
        except OSError:  # EIO: the child closed the terminal
            break
    proc.wait()
    elapsed = time.perf_counter() - start
    os.close(master)
    if proc.returncode:
        raise SystemExit(f"{cmd} failed on a terminal")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs per command (median)")
    parser.add_argument("--entries", help="database folder (default: the built-in one)")
    args = parser.parse_args()

    python = sys.executable
    cache = tempfile.mkdtemp(prefix="calais-guide-bench-")
    # An installed package has its bytecode compiled (pip does it): allow it here.
    drop = ("NO_COLOR", "FORCE_COLOR", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(PYTHONPATH=str(ROOT), XDG_CACHE_HOME=cache, TERM="xterm-256color")
    if args.entries:
        env["CALAIS_GUIDE_ENTRIES"] = args.entries
    guide = [python, "-m", "calais_guide"]
    lookups = {
        "find eau": [*guide, "find", "eau"],
        "find medcin (typo)": [*guide, "find", "medcin"],
        "show medecins-du-monde": [*guide, "show", "medecins-du-monde"],
        "list --open-now": [*guide, "list", "--open-now"],
    }

    run_piped([python, "-m", "compileall", "-q", str(ROOT / "calais_guide")], env)
    cold = run_piped(lookups["find eau"], env)  # builds the cache
    # Interleaved rounds: every command runs once per round, so a burst of
    # load from other processes hits all of them alike (this machine is shared).
    cases: list[tuple[str, object, list[str]]] = [
        ("python -c pass", run_piped, [python, "-c", "pass"]),
        ('python -c "import typer"', run_piped, [python, "-c", "import typer"]),
    ]
    for mode, runner in (("piped", run_piped), ("terminal", run_tty)):
        for label, cmd in lookups.items():
            cases.append((f"{label} [{mode}]", runner, cmd))
    times: dict[str, list[float]] = {label: [] for label, _, _ in cases}
    for _ in range(args.runs):
        for label, runner, cmd in cases:
            times[label].append(runner(cmd, env))  # type: ignore[operator]
    base = statistics.median(times["python -c pass"])
    print(f"python {sys.version.split()[0]}, {args.runs} interleaved runs each, median wall time")
    print(f"{'find eau, cache cold (once)':34} {cold * 1000:7.1f} ms  {cold / base:4.1f}x")
    worst = 0.0
    for label, _, _ in cases:
        value = statistics.median(times[label])
        if label.startswith(tuple(lookups)):
            worst = max(worst, value / base)
        print(f"{label:34} {value * 1000:7.1f} ms  {value / base:4.1f}x")
    print(load())
    targets = Targets()
    targets.check("slowest lookup", worst, 8.0, "x python -c pass", "at most 8x")
    targets.exit()


if __name__ == "__main__":
    main()
