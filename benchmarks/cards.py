"""Seconds per card sheet and PDF sizes, per language.

Figures only (no pass/fail): the time to plan, measure, lay out and check
one language's card set, the imposition onto A4 sheets, and file sizes.

    python benchmarks/cards.py [--entries DIR] [--lang fr,ar,...] [--bilingual]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from calais_guide.load import load_database
from calais_guide.paths import builtin_entries
from calais_guide.render import pdf, sheets
from calais_guide.render.cards import card_kinds, render_cards


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=Path, default=builtin_entries())
    parser.add_argument("--lang", default=None, help="comma-separated codes (default: all)")
    parser.add_argument("--bilingual", action="store_true")
    args = parser.parse_args()

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
        f"{'lang':5} {'cards':>5} {'sheets':>6} {'render s':>8} {'s/sheet':>7} "
        f"{'impose s':>8} {'sheets KB':>9} {'screen KB':>9}"
    )
    for lang in langs:
        t0 = time.perf_counter()
        rendered = render_cards(db, lang, kinds, args.bilingual, tagged=False)
        t1 = time.perf_counter()
        imposed = sheets.impose(rendered.pdf)
        t2 = time.perf_counter()
        screen = render_cards(db, lang, kinds, args.bilingual, tagged=True)
        count = len(rendered.cards)
        sheet_count = sheets.sheet_count(count)
        print(
            f"{lang:5} {count:5d} {sheet_count:6d} {t1 - t0:8.2f} {(t1 - t0) / sheet_count:7.2f} "
            f"{t2 - t1:8.3f} {len(imposed) / 1024:9.0f} {len(screen.pdf) / 1024:9.0f}"
        )


if __name__ == "__main__":
    main()
