"""What every benchmark shares: a baseline measured in the same run, the load
of the machine, and a verdict per target that sets the exit status.

Every benchmark prints its figures beside ``python -c pass`` measured in the
same run (this machine is shared: figures only mean something beside it),
the load average, and exits 1 when any figure misses its target.

    from baseline import Targets, python_startup
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time


def python_startup(runs: int = 11) -> float:
    """Median wall time (s) of ``python -c pass``, the same interpreter."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def load() -> str:
    """The load average, and the cores it is shared by."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


class Targets:
    """Figures checked against their targets; :meth:`exit` fails if one missed."""

    def __init__(self) -> None:
        self.missed: list[str] = []

    def check(self, label: str, value: float, target: float, unit: str, note: str = "") -> bool:
        """Print ``label: value unit (target < target unit): ok|OVER TARGET``."""
        ok = value < target
        verdict = "ok" if ok else "OVER TARGET"
        extra = f"; {note}" if note else ""
        print(f"{label}: {value:.2f} {unit} (target < {target:g} {unit}{extra}): {verdict}")
        if not ok:
            self.missed.append(label)
        return ok

    def exit(self) -> None:
        """Exit 1 naming the missed targets, 0 when all are met."""
        if self.missed:
            print(f"MISSED {len(self.missed)} target(s): {', '.join(self.missed)}")
            raise SystemExit(1)
        print("all targets met")
