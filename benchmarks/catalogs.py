"""How long interface strings, CLDR names and the translation round trip take.

Figures beside ``python -c pass`` measured in the same run; exits 1 when one
misses its target: importing ``calais_guide.i18n`` and translating a string
within 4x the bare interpreter's start, loading every compiled catalog under
50 ms, compiling every .po under 1 s, exporting a language under 1 s and
importing it back under 2 s.

    python benchmarks/catalogs.py
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

from baseline import Targets, load  # noqa: E402

from calais_guide import i18n  # noqa: E402
from calais_guide.i18n import LOCALE_DIR, _translations, compile_po, po_path  # noqa: E402
from calais_guide.languages import codes  # noqa: E402


def show(label: str, seconds: float, extra: str = "") -> None:
    print(f"{label:<40} {seconds * 1000:6.1f} ms{extra}")


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
    show("python start-up", bare)
    show("  + import calais_guide.i18n", with_i18n - bare)
    show("  + load the ar catalog, one string", with_lookup - with_i18n)

    i18n.compile_all()  # as `make` does

    def load_all() -> None:
        _translations.cache_clear()
        for lang in codes():
            i18n.translations(lang).gettext("Open today")

    t_load = best(load_all)
    show(f"load all {len(codes())} compiled catalogs", t_load)

    sources = {lang: po_path(lang).read_bytes() for lang in codes()}

    def compile_every() -> None:
        for lang, data in sources.items():
            compile_po(data, po_path(lang))

    t_compile = best(compile_every)
    show(f"compile all {len(codes())} .po (first use, no make)", t_compile)

    first = best(lambda: run("import calais_guide.i18n as i; i.day_name('mo', 'ti')"))
    show("  + first CLDR day name (imports Babel)", first - with_i18n)
    day = dt.date(2023, 3, 1)

    def cldr_all() -> None:
        for lang in codes():
            for d in ("mo", "tu", "we", "th", "fr", "sa", "su"):
                i18n.day_name(d, lang)
            i18n.month_year(day, lang)

    show("7 day names + month, 8 languages", best(cldr_all), " (warm)")

    from calais_guide.load import load_database
    from calais_guide.translations import export, import_file

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "entries"
        shutil.copytree(ROOT / "entries", copy)
        db = load_database(copy)
        po = Path(tmp) / "ar.po"
        t_export = best(lambda: po.write_bytes(export(db, "ar")), 3)
        t_import = best(lambda: import_file(load_database(copy), po), 3)
        show(f"export ar (.po, {po.stat().st_size // 1024} KB)", t_export)
        show("import it back (unchanged)", t_import)
    size = sum(len(d) for d in sources.values()) // 1024
    print(f"catalogs: {size} KB of .po in {LOCALE_DIR}")
    print(load())
    targets = Targets()
    targets.check(
        "import calais_guide.i18n + one ar string", with_lookup / bare, 4, "x python -c pass"
    )
    targets.check("load every compiled catalog", t_load * 1000, 50, "ms")
    targets.check("compile every .po", t_compile, 1, "s")
    targets.check("export ar", t_export, 1, "s")
    targets.check("import ar back", t_import, 2, "s")
    targets.exit()


if __name__ == "__main__":
    main()
