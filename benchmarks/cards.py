"""Seconds per card set and PDF sizes, per language.

The time to plan, measure, lay out and check one language's card set (CPU
time of this process, the wall time beside it), the imposition onto A4
sheets, and file sizes. Targets (2-core machine; a share of the print run's
30 s): a language's card set under 2.5 s of rendering once WeasyPrint is
imported, card sheets under 400 KB. Exits 1 when a figure misses its target.

    python benchmarks/cards.py [--entries DIR] [--lang fr,ar,...] [--bilingual]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from baseline import Targets, load, python_startup

from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.render import pdf, sheets
from calais_guide.render.cards import card_kinds, render_cards

TARGET_SECONDS = 2.5
TARGET_SHEETS_KB = 400


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=Path, default=builtin_entries())
    parser.add_argument("--lang", default=None, help="comma-separated codes (default: all)")
    parser.add_argument("--bilingual", action="store_true")
    args = parser.parse_args()

    base = python_startup()
    print(f"python -c pass: {base * 1000:.0f} ms; {load()}")
    start = time.perf_counter()
    pdf.weasyprint()
    print(f"import weasyprint (isolated fontconfig): {time.perf_counter() - start:.2f} s")
    db = load_database(args.entries)
    langs = args.lang.split(",") if args.lang else list(db.edition.languages)
    if args.bilingual:
        langs = [code for code in langs if code != "fr"]
    kinds, _ = card_kinds(db)
    render_cards(db, langs[0], kinds, tagged=False)  # warm-up: Babel, Jinja, fonts, Pango

    print(
        f"{'lang':5} {'cards':>5} {'sheets':>6} {'cpu s':>6} {'wall s':>6} "
        f"{'impose s':>8} {'sheets KB':>9} {'screen KB':>9}"
    )
    worst_cpu = worst_kb = 0.0
    for lang in langs:
        c0, t0 = time.process_time(), time.perf_counter()
        rendered = render_cards(db, lang, kinds, args.bilingual, tagged=False)
        cpu, t1 = time.process_time() - c0, time.perf_counter()
        imposed = sheets.impose(rendered.pdf)
        t2 = time.perf_counter()
        screen = render_cards(db, lang, kinds, args.bilingual, tagged=True)
        count = len(rendered.cards)
        sheet_count = sheets.sheet_count(count)
        worst_cpu = max(worst_cpu, cpu)
        worst_kb = max(worst_kb, len(imposed) / 1024)
        print(
            f"{lang:5} {count:5d} {sheet_count:6d} {cpu:6.2f} {t1 - t0:6.2f} "
            f"{t2 - t1:8.3f} {len(imposed) / 1024:9.0f} {len(screen.pdf) / 1024:9.0f}"
        )
    print(load())
    targets = Targets()
    targets.check(
        "rendering time of a card set (slowest language)",
        worst_cpu,
        TARGET_SECONDS,
        "s",
        f"CPU time; python -c pass {base * 1000:.0f} ms",
    )
    targets.check("largest card sheet PDF", worst_kb, TARGET_SHEETS_KB, "KB")
    targets.exit()


if __name__ == "__main__":
    main()
