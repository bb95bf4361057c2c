"""Print-run figures: full build with --jobs 1 and --jobs 2 (speedup), a no-op
rebuild, and the size of the print run. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/build.py [--entries DIR]

Targets on the 2-core reference machine: speedup >= 1.8x, no-op rebuild < 1 s,
every booklet < 400 KB. Each build runs in a fresh interpreter (as a user
would run it), in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(entries: Path | None, out: Path, jobs: int) -> float:
    command = [sys.executable, "-m", "calais_guide", "build", "--output", str(out), "-j", str(jobs)]
    if entries:
        command += ["--entries", str(entries)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one = run(args.entries, Path(tmp) / "j1", 1)
        two = run(args.entries, Path(tmp) / "j2", 2)
        noop = min(run(args.entries, Path(tmp) / "j2", 2) for _ in range(3))
        manifest = json.loads((Path(tmp) / "j2" / "manifest.json").read_text())
    files = manifest["files"]
    print(f"full build --jobs 1   {one:6.1f} s")
    print(f"full build --jobs 2   {two:6.1f} s   speedup {one / two:.2f}x (target >= 1.8x)")
    print(f"no-op rebuild         {noop:6.2f} s   (target < 1 s; best of 3)")
    print(
        f"print run             {len(files)} files, {manifest['total_bytes'] / 1024:.0f} KB "
        f"in {len(manifest['languages'])} languages"
    )
    booklets = [f for f in files if f["kind"] == "booklet"]
    biggest = max(booklets, key=lambda f: f["bytes"])
    print(
        f"largest booklet       {biggest['path']} {biggest['bytes'] / 1024:.0f} KB "
        "(target < 400 KB)"
    )
    for kind in ("booklet", "imposed", "screen", "cards"):
        sizes = [f["bytes"] / 1024 for f in files if f["kind"] == kind]
        if sizes:
            print(f"  {kind:<8} {min(sizes):5.0f}-{max(sizes):5.0f} KB")


if __name__ == "__main__":
    main()
