"""The whole print run from empty, --jobs 2 beside --jobs 1; a no-op rebuild;
the size of the print run. Exits 1 when a figure misses its target.

    .venv/bin/python benchmarks/build.py [--entries DIR] [--per-product]

Targets on the 2-core reference machine: every product of every language
from empty with ``--jobs 2`` under 30 s (wall), a no-op rebuild under 1 s,
every booklet under 400 KB. Each build runs in a fresh interpreter (as a user
would run it), in a temporary folder; the CPU time of the build and its
workers is printed beside the wall time (on a shared machine the wall time
grows with the others' load, the CPU time much less).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from baseline import Targets, load, python_startup

TARGET_FULL_S = 30.0
TARGET_NOOP_S = 1.0
TARGET_BOOKLET_KB = 400


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(entries: Path | None, out: Path, jobs: int) -> tuple[float, float]:
    """(wall s, CPU s of the process and its workers) of one build."""
    command = [sys.executable, "-m", "calais_guide", "build", "--output", str(out), "-j", str(jobs)]
    if entries:
        command += ["--entries", str(entries)]
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"build failed (exit {done.returncode}):\n{done.stderr}")
    return wall, _children_cpu() - cpu


def per_product(entries: Path | None) -> None:
    """CPU seconds of each product of the print run, per language, rendered
    in this process (where the print run's time goes)."""
    from calais_guide import products
    from calais_guide.load import load_database
    from calais_guide.paths import builtin_entries
    from calais_guide.render import pdf

    pdf.weasyprint()
    db = load_database(entries or builtin_entries())
    kinds = [p.kind for p in products.print_run()]
    print("CPU s per product (in one process, after imports):")
    print(f"  {'lang':5} " + " ".join(f"{k:>10}" for k in kinds) + f" {'total':>7}")
    totals = dict.fromkeys(kinds, 0.0)
    for lang in db.edition.languages:
        made: dict[str, products.Made] = {}
        row = []
        for product in products.print_run():
            start = time.process_time()
            products.Job(db, lang, product, {}, made).made(product.kind)
            row.append(time.process_time() - start)
            totals[product.kind] += row[-1]
        print(f"  {lang:5} " + " ".join(f"{v:10.2f}" for v in row) + f" {sum(row):7.1f}")
    print(
        f"  {'all':5} "
        + " ".join(f"{v:10.1f}" for v in totals.values())
        + f" {sum(totals.values()):7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=Path, default=None)
    parser.add_argument(
        "--per-product", action="store_true", help="also the CPU time of each product"
    )
    args = parser.parse_args()
    base = python_startup()
    print(f"python -c pass: {base * 1000:.0f} ms; {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        one, one_cpu = run(args.entries, Path(tmp) / "j1", 1)
        print(f"full build --jobs 1   {one:6.1f} s wall, {one_cpu:6.1f} s CPU; {load()}")
        two, two_cpu = run(args.entries, Path(tmp) / "j2", 2)
        print(
            f"full build --jobs 2   {two:6.1f} s wall, {two_cpu:6.1f} s CPU; speedup "
            f"{one / two:.2f}x; {load()}"
        )
        noop = min(run(args.entries, Path(tmp) / "j2", 2)[0] for _ in range(3))
        print(f"no-op rebuild         {noop:6.2f} s (best of 3), {noop / base:.0f}x python -c pass")
        manifest = json.loads((Path(tmp) / "j2" / "manifest.json").read_text())
        same = all(
            (Path(tmp) / "j1" / f["path"]).read_bytes()
            == (Path(tmp) / "j2" / f["path"]).read_bytes()
            for f in manifest["files"]
        )
    files = manifest["files"]
    print(
        f"print run             {len(files)} files, {manifest['total_bytes'] / 1024:.0f} KB "
        f"in {len(manifest['languages'])} languages; --jobs 1 and 2 byte-identical: {same}"
    )
    for kind in dict.fromkeys(f["kind"] for f in files):
        sizes = [f["bytes"] / 1024 for f in files if f["kind"] == kind]
        print(f"  {kind:<8} {min(sizes):5.0f}-{max(sizes):5.0f} KB")
    biggest = max((f for f in files if f["kind"] == "booklet"), key=lambda f: f["bytes"])
    if args.per_product:
        per_product(args.entries)
    targets = Targets()
    targets.check(
        "full print run, --jobs 2, from empty",
        two,
        TARGET_FULL_S,
        "s",
        f"wall; {two_cpu:.1f} s CPU; --jobs 1 {one:.1f} s",
    )
    targets.check("no-op rebuild", noop, TARGET_NOOP_S, "s")
    targets.check(
        f"largest booklet ({biggest['path']})", biggest["bytes"] / 1024, TARGET_BOOKLET_KB, "KB"
    )
    if not same:
        print("--jobs 1 and --jobs 2 wrote different bytes: OVER TARGET")
        targets.missed.append("reproducible")
    targets.exit()


if __name__ == "__main__":
    main()
