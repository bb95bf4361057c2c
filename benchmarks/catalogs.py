"""How long interface strings, CLDR names and the translation round trip take.

Prints figures; not a test. Run: python benchmarks/catalogs.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from calais_guide import i18n  # noqa: E402
from calais_guide.i18n import LOCALE_DIR, _translations, compile_po, po_path  # noqa: E402
from calais_guide.languages import codes  # noqa: E402


def best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def run(code: str) -> None:
        subprocess.run([sys.executable, "-c", code], env=env, check=True)

    bare = best(lambda: run("pass"))
    with_i18n = best(lambda: run("import calais_guide.i18n"))
    with_lookup = best(
        lambda: run("import calais_guide.i18n as i; i.gettext_for('ar')('Open today')")
    )
    print(f"python start-up:                      {bare * 1000:6.1f} ms")
    print(f"  + import calais_guide.i18n:         {(with_i18n - bare) * 1000:6.1f} ms")
    print(f"  + load the ar catalog, one string:  {(with_lookup - with_i18n) * 1000:6.1f} ms")

    i18n.compile_all()  # as `make` does

    def load_all() -> None:
        _translations.cache_clear()
        for lang in codes():
            i18n.translations(lang).gettext("Open today")

    print(f"load all {len(codes())} compiled catalogs:        {best(load_all) * 1000:6.1f} ms")

    sources = {lang: po_path(lang).read_bytes() for lang in codes()}

    def compile_every() -> None:
        for lang, data in sources.items():
            compile_po(data, po_path(lang))

    print(f"compile all {len(codes())} .po (first use, no make): {best(compile_every) * 1000:6.1f} ms")

    first = best(lambda: run("import calais_guide.i18n as i; i.day_name('mo', 'ti')"))
    print(f"  first CLDR day name (imports Babel):  {(first - with_i18n) * 1000:6.1f} ms")
    day = dt.date(2023, 3, 1)

    def cldr_all() -> None:
        for lang in codes():
            for d in ("mo", "tu", "we", "th", "fr", "sa", "su"):
                i18n.day_name(d, lang)
            i18n.month_year(day, lang)

    print(f"7 day names + month of 8 languages:   {best(cldr_all) * 1000:6.1f} ms (warm)")

    from calais_guide.load import load_database
    from calais_guide.translations import export, import_file

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "entries"
        shutil.copytree(ROOT / "entries", copy)
        db = load_database(copy)
        po = Path(tmp) / "ar.po"
        t_export = best(lambda: po.write_bytes(export(db, "ar")), 3)
        t_import = best(lambda: import_file(load_database(copy), po), 3)
        print(f"export ar (.po, {po.stat().st_size // 1024} KB):               {t_export * 1000:6.1f} ms")
        print(f"import it back (unchanged):           {t_import * 1000:6.1f} ms")
    print(f"catalog sizes: {sum(len(d) for d in sources.values()) // 1024} KB of .po in {LOCALE_DIR}")


if __name__ == "__main__":
    main()
