"""Seconds per booklet and PDF sizes, per language of the built-in edition.

Targets (2-core machine): a 24-page booklet in under 2 s of rendering once
WeasyPrint is imported; booklet PDF under 400 KB; --screen PDF under 300 KB.
Exits 1 when a figure misses its target.

Rendering time is the CPU time of this process (``time.process_time``):
on a quiet machine it equals the wall time, which is printed beside it; on
a shared machine the wall time grows with the load, the CPU time much less.
Each language is rendered ``--runs`` times, the best run counts.

    python benchmarks/booklet.py [--entries DIR] [--lang fr,ar,...] [--runs 2]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from baseline import Targets, load, python_startup

from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.render import pdf
from calais_guide.render.booklet import render_booklet
from calais_guide.render.impose import impose

TARGET_SECONDS_24 = 2.0
TARGET_PRINT_KB = 400
TARGET_SCREEN_KB = 300


def timed(fn, runs: int):  # noqa: ANN001, ANN201
    """(result, best CPU seconds, wall seconds of that run)."""
    best = None
    for _ in range(runs):
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        if best is None or cpu < best[1]:
            best = (result, cpu, wall)
    assert best is not None
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=Path, default=builtin_entries())
    parser.add_argument("--lang", default=None, help="comma-separated codes (default: all)")
    parser.add_argument("--runs", type=int, default=2, help="runs per language (best counts)")
    args = parser.parse_args()

    base = python_startup()
    print(f"python -c pass: {base * 1000:.0f} ms; {load()}")
    start = time.perf_counter()
    pdf.weasyprint()
    print(f"import weasyprint (isolated fontconfig): {time.perf_counter() - start:.2f} s")
    db = load_database(args.entries)
    langs = args.lang.split(",") if args.lang else db.edition.languages
    render_booklet(db, langs[0])  # warm-up: Babel, Jinja, font cmaps, Pango caches

    print(
        f"{'lang':5} {'pages':>5} {'cpu s':>6} {'wall s':>6} {'cpu/24p':>7} {'print KB':>8} "
        f"{'imposed KB':>10} {'screen s':>8} {'screen KB':>9}"
    )
    worst_per_24 = worst_print = worst_screen = 0.0
    for lang in langs:
        (data, pages, _), cpu, wall = timed(lambda lang=lang: render_booklet(db, lang), args.runs)
        t0 = time.perf_counter()
        imposed = impose(data)
        t1 = time.perf_counter()
        (screen, _, _), screen_cpu, _ = timed(
            lambda lang=lang: render_booklet(db, lang, variant="screen"), 1
        )
        per_24 = cpu * 24 / pages
        worst_per_24 = max(worst_per_24, per_24)
        worst_print = max(worst_print, len(data) / 1024)
        worst_screen = max(worst_screen, len(screen) / 1024)
        print(
            f"{lang:5} {pages:5d} {cpu:6.2f} {wall:6.2f} {per_24:7.2f} {len(data) / 1024:8.0f} "
            f"{len(imposed) / 1024:10.0f} {screen_cpu:8.2f} {len(screen) / 1024:9.0f}"
            f"   (imposition {t1 - t0:.2f} s)"
        )
    print(load())
    targets = Targets()
    targets.check(
        "rendering time per 24 pages (slowest language)",
        worst_per_24,
        TARGET_SECONDS_24,
        "s",
        f"CPU time; python -c pass {base * 1000:.0f} ms",
    )
    targets.check("largest booklet PDF", worst_print, TARGET_PRINT_KB, "KB")
    targets.check("largest --screen PDF", worst_screen, TARGET_SCREEN_KB, "KB")
    targets.exit()


if __name__ == "__main__":
    main()
