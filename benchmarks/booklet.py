"""Seconds per booklet and PDF sizes, per language of the built-in edition.

Targets (2-core machine): a 24-page booklet in under 2 s of rendering once
WeasyPrint is imported; booklet PDF under 400 KB; --screen PDF under 300 KB.

    python benchmarks/booklet.py [--entries DIR] [--lang fr,ar,...]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.render import pdf
from calais_guide.render.booklet import render_booklet
from calais_guide.render.impose import impose

TARGET_SECONDS_24 = 2.0
TARGET_PRINT_KB = 400
TARGET_SCREEN_KB = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=Path, default=builtin_entries())
    parser.add_argument("--lang", default=None, help="comma-separated codes (default: all)")
    args = parser.parse_args()

    start = time.perf_counter()
    pdf.weasyprint()
    print(f"import weasyprint (isolated fontconfig): {time.perf_counter() - start:.2f} s")
    db = load_database(args.entries)
    langs = args.lang.split(",") if args.lang else db.edition.languages
    render_booklet(db, langs[0])  # warm-up: Babel, Jinja, font cmaps, Pango caches

    print(
        f"{'lang':5} {'pages':>5} {'print s':>8} {'s/24 p':>7} {'print KB':>9} "
        f"{'imposed KB':>10} {'screen s':>9} {'screen KB':>9}"
    )
    worst_per_24 = worst_print = worst_screen = 0.0
    for lang in langs:
        t0 = time.perf_counter()
        data, pages, _ = render_booklet(db, lang)
        t1 = time.perf_counter()
        imposed = impose(data)
        t2 = time.perf_counter()
        screen, _, _ = render_booklet(db, lang, variant="screen")
        t3 = time.perf_counter()
        per_24 = (t1 - t0) * 24 / pages
        worst_per_24 = max(worst_per_24, per_24)
        worst_print = max(worst_print, len(data) / 1024)
        worst_screen = max(worst_screen, len(screen) / 1024)
        print(
            f"{lang:5} {pages:5d} {t1 - t0:8.2f} {per_24:7.2f} {len(data) / 1024:9.0f} "
            f"{len(imposed) / 1024:10.0f} {t3 - t2:9.2f} {len(screen) / 1024:9.0f}"
            f"   (imposition {t2 - t1:.2f} s)"
        )
    print()
    for label, value, target, unit in (
        ("rendering time per 24 pages", worst_per_24, TARGET_SECONDS_24, "s"),
        ("largest booklet PDF", worst_print, TARGET_PRINT_KB, "KB"),
        ("largest --screen PDF", worst_screen, TARGET_SCREEN_KB, "KB"),
    ):
        verdict = "ok" if value < target else "OVER TARGET"
        print(f"{label}: {value:.2f} {unit} (target < {target} {unit}): {verdict}")


if __name__ == "__main__":
    main()
