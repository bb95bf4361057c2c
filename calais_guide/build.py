"""The whole print run of an edition: plan, check, render in parallel, manifest.

``calais-guide build`` writes into ``build/<edition>/`` every output of every
language of the print run (:data:`PRODUCTS`), then ``manifest.json`` listing
each file with its sha256, pages, language and the digest of its inputs.

Incremental: an output is rendered again only when the digest of what it is
made from changes: the data *as that language prints it* (its texts and
their fallbacks, plus every language-independent field), the layouts it
uses, the fonts, its catalog, the tool's code and the build options. A
changed Arabic summary re-renders the Arabic outputs only; a changed phone
number re-renders everything.

Languages are rendered in worker processes (WeasyPrint lays out on one core).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, languages
from .errors import GuideError
from .fileio import write_bytes, write_text
from .model import Database, Text
from .paths import fonts_dir, layouts_dir

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "calais-guide-build"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Product:
    """One kind of output file, made for every language of the print run."""

    kind: str
    """Stable id (``booklet``, ``imposed``, ``screen``, ``cards``)."""
    filename: str
    """File name pattern, ``{lang}`` replaced."""
    layouts: tuple[str, ...]
    """Sub-folders of ``layouts/`` it is drawn with (plus the shared files)."""
    description: str
    """What it is, for the summary table and the manifest."""


PRODUCTS: tuple[Product, ...] = (
    Product("booklet", "booklet-{lang}.pdf", ("booklet",), "A5 pages"),
    Product("imposed", "booklet-{lang}-imposed.pdf", ("booklet",), "A4 sheets to fold"),
    Product("screen", "booklet-{lang}-screen.pdf", ("booklet",), "phone PDF"),
    Product("cards", "cards-{lang}.pdf", ("cards",), "pocket card sheet"),
)
"""Every output of a print run, per language."""


class BuildBlocked(GuideError):
    """The pre-print check found blockers; nothing was rendered."""

    def __init__(self, report: Any):
        from .editions.check import blocked_message

        self.report = report
        super().__init__(blocked_message(report))


@dataclass(frozen=True)
class Output:
    """One file of the print run, as recorded in the manifest."""

    path: str
    """File name inside the build folder."""
    lang: str
    """Language."""
    kind: str
    """:attr:`Product.kind`."""
    sha256: str
    """Hash of the file."""
    bytes: int
    """File size."""
    pages: int
    """Pages (A4 sheet sides for ``imposed`` and ``cards``)."""
    inputs: str
    """Digest of everything it was made from (see :func:`input_digest`)."""


@dataclass
class BuildResult:
    """What a build did."""

    folder: Path
    """``build/<edition>/``."""
    outputs: list[Output]
    """Every file of the print run, in language then product order."""
    rendered: list[str] = field(default_factory=list)
    """Files rendered this time (the others were up to date)."""
    warnings: list[str] = field(default_factory=list)
    """Warnings of the pre-print check, recorded in the manifest."""
    unverified: list[str] = field(default_factory=list)
    """Entries printed without a re-check (``--allow-stale``), marked in print."""
    untranslated: list[str] = field(default_factory=list)
    """Missing summaries or title printed in another language (marked), per
    language, naming the entries (``missing-translation`` warnings)."""

    @property
    def total_bytes(self) -> int:
        """Size of the whole print run."""
        return sum(o.bytes for o in self.outputs)


# -- input digests -------------------------------------------------------------


def _tree_digest(paths: Iterable[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(root)).encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


RENDERING_LIBRARIES = (
    "weasyprint",
    "pydyf",
    "babel",
    "pikepdf",
    "segno",
    "fonttools",
    "phonenumbers",
)
"""Libraries whose version changes what is printed (layout, CLDR words, PDF bytes)."""


def _code_digest() -> str:
    from importlib.metadata import PackageNotFoundError, version

    package = Path(__file__).resolve().parent
    versions = []
    for name in RENDERING_LIBRARIES:
        try:
            versions.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}: none")
    return _tree_digest(package.rglob("*.py"), package) + ";".join(versions)


def _layout_digest(product: Product) -> str:
    root = layouts_dir()
    own = {root / sub for sub in product.layouts}
    others = {p.name for p in root.iterdir() if p.is_dir()} - set(product.layouts)
    shared = [
        p
        for p in root.rglob("*")
        if not any(part in others for part in p.relative_to(root).parts[:1])
    ]
    mine = [p for sub in own for p in sub.rglob("*")]
    return _tree_digest({*shared, *mine}, root)


def _project(value: Any, keep: Collection[str]) -> Any:
    """``value`` as plain data with translatable texts cut down to ``keep``.

    A language's outputs print its own text or its fallbacks, never the other
    languages' texts: those must not make it render again.
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _project(getattr(value, f.name), keep)
            for f in dataclasses.fields(value)
            if f.name not in ("path", "lines")
        }
    if isinstance(value, dict):
        if value and all(isinstance(v, Text) for v in value.values()):
            kept = {k: v for k, v in value.items() if k in keep}
            # With no fallback present, i18n.pick shows any text: keep them all.
            value = kept or value
        return {str(k): _project(v, keep) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_project(v, keep) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def data_digest(db: Database, lang: str) -> str:
    """Digest of the data as the ``lang`` outputs print it."""
    keep = set(languages.fallback_chain(lang)) | {"fr"}
    data = {"edition": _project(db.edition, keep), "entries": _project(db.entries, keep)}
    assets = db.root / "assets"
    if assets.is_dir():
        data["assets"] = _tree_digest(assets.rglob("*"), assets)
    # The booklet's "what changed" page compares with the last published edition.
    from .editions import latest_snapshot

    previous = latest_snapshot(db.root, before=db.edition.edition)
    if previous is not None:
        data["previous"] = hashlib.sha256(previous[1].read_bytes()).hexdigest()
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class _Digests:
    """The parts of every input digest that do not depend on the language."""

    code: str
    fonts: str
    layouts: dict[str, str]

    @classmethod
    def compute(cls) -> _Digests:
        return cls(
            code=_code_digest(),
            fonts=_tree_digest(fonts_dir().rglob("*"), fonts_dir()),
            layouts={p.kind: _layout_digest(p) for p in PRODUCTS},
        )


def input_digest(
    db: Database, lang: str, product: Product, options: dict[str, Any], parts: _Digests
) -> str:
    """Digest of everything the ``lang`` ``product`` is made from."""
    from .i18n import po_path

    po = po_path(lang)
    h = hashlib.sha256()
    for part in (
        MANIFEST_FORMAT,
        __version__,
        parts.code,
        parts.fonts,
        parts.layouts[product.kind],
        hashlib.sha256(po.read_bytes()).hexdigest() if po.is_file() else "no-catalog",
        data_digest(db, lang),
        product.kind,
        lang,
        json.dumps(options, sort_keys=True),
    ):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


# -- rendering (in worker processes) -------------------------------------------


def render_language(
    db: Database, lang: str, kinds: Sequence[str], folder: Path, unverified: Sequence[str]
) -> dict[str, tuple[str, int, int]]:
    """Render the ``kinds`` outputs of ``lang`` into ``folder`` (atomically).

    Returns kind -> (sha256, bytes, pages). Top level so that worker
    processes can run it.
    """
    from .render.booklet import render_booklet
    from .render.impose import impose, sheet_order

    by_kind = {p.kind: p for p in PRODUCTS}
    done: dict[str, tuple[str, int, int]] = {}

    def save(kind: str, data: bytes, pages: int) -> None:
        write_bytes(folder / by_kind[kind].filename.format(lang=lang), data)
        done[kind] = (hashlib.sha256(data).hexdigest(), len(data), pages)

    if "booklet" in kinds or "imposed" in kinds:
        data, pages, _ = render_booklet(db, lang, unverified=unverified)
        if "booklet" in kinds:
            save("booklet", data, pages)
        if "imposed" in kinds:
            sheets = impose(data, right_bound=languages.get(lang).rtl)
            save("imposed", sheets, 2 * len(sheet_order(pages)))
    if "screen" in kinds:
        data, pages, _ = render_booklet(db, lang, variant="screen", unverified=unverified)
        save("screen", data, pages)
    if "cards" in kinds:
        data, pages = _render_cards(db, lang, unverified)
        save("cards", data, pages)
    return done


def _render_cards(db: Database, lang: str, unverified: Sequence[str]) -> tuple[bytes, int]:
    """The edition's default card set on A4 sheets: (PDF, pages)."""
    from .render import sheets
    from .render.cards import card_kinds, render_cards

    kinds, _ = card_kinds(db)
    rendered = render_cards(db, lang, kinds, tagged=False, unverified=unverified)
    return sheets.impose(rendered.pdf), 2 * sheets.sheet_count(len(rendered.cards))


# -- the build -----------------------------------------------------------------


def _read_manifest(folder: Path) -> dict[tuple[str, str], dict[str, Any]]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if data.get("format") != MANIFEST_FORMAT:
            return {}
        return {(f["lang"], f["kind"]): f for f in data["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # no manifest, or a broken one: render everything


def _up_to_date(folder: Path, record: dict[str, Any] | None, inputs: str) -> bool:
    if record is None or record.get("inputs") != inputs:
        return False
    path = folder / record["path"]
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == record.get("sha256")
    except OSError:
        return False


def manifest_text(db: Database, result: BuildResult, langs: Sequence[str]) -> str:
    """The manifest as stable JSON (no build time: same inputs, same manifest)."""
    data = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "tool_version": __version__,
        "edition": db.edition.edition,
        "languages": list(langs),
        "files": [dataclasses.asdict(o) for o in result.outputs],
        "total_bytes": result.total_bytes,
        "warnings": result.warnings,
        "unverified": result.unverified,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def build(
    root: Path,
    langs: Sequence[str] | None = None,
    *,
    output: Path | None = None,
    jobs: int | None = None,
    allow_stale: bool = False,
    allow: Iterable[str] = (),
    strict: bool = False,
    products: Sequence[Product] = PRODUCTS,
    on_plan: Callable[[list[str]], None] | None = None,
    on_done: Callable[[str], None] | None = None,
) -> BuildResult:
    """Check, then render the print run of the database at ``root``.

    ``langs``: languages (default: the edition's). ``output``: the folder
    (default ``build/<edition>``). ``allow_stale``: print entries nobody
    re-checked anyway, marked as such (the same as ``allow=["not-verified"]``).
    ``allow``/``strict``: as for ``edition check``. ``products``: which outputs (default:
    all of :data:`PRODUCTS`). ``on_plan`` gets the languages that
    will be rendered, ``on_done`` each one as it finishes (progress bars).
    Raises :class:`BuildBlocked` if the pre-print check finds blockers.
    """
    from .editions import check
    from .editions.check import finding_text

    allowed = {*allow, *(["not-verified"] if allow_stale else [])}
    report = check(root, langs or None, allow=sorted(allowed), strict=strict)
    if not report.ok or report.database is None:
        raise BuildBlocked(report)
    db: Database = report.database
    chosen = report.langs
    unverified = sorted(report.entries("not-verified")) if "not-verified" in allowed else []
    folder = output or Path("build") / db.edition.edition
    previous = _read_manifest(folder)
    parts = _Digests.compute()
    options = {"unverified": unverified}

    planned: dict[str, list[str]] = {}
    digests: dict[tuple[str, str], str] = {}
    for lang in chosen:
        for product in products:
            digest = input_digest(db, lang, product, options, parts)
            digests[lang, product.kind] = digest
            if not _up_to_date(folder, previous.get((lang, product.kind)), digest):
                planned.setdefault(lang, []).append(product.kind)
    if on_plan:
        on_plan(list(planned))

    results: dict[str, dict[str, tuple[str, int, int]]] = {}
    workers = max(1, min(jobs or os.cpu_count() or 1, len(planned)))
    if workers == 1:
        for lang, kinds in planned.items():
            results[lang] = render_language(db, lang, kinds, folder, unverified)
            if on_done:
                on_done(lang)
    elif planned:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(render_language, db, lang, kinds, folder, unverified): lang
                for lang, kinds in planned.items()
            }
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if on_done:
                    on_done(futures[future])

    result = BuildResult(
        folder=folder,
        outputs=[],
        warnings=[finding_text(f, root) for f in report.warnings],
        unverified=unverified,
        untranslated=[
            finding_text(f, root) for f in report.findings("missing-translation", "warning")
        ],
    )
    for lang in chosen:
        for product in products:
            name = product.filename.format(lang=lang)
            if product.kind in results.get(lang, {}):
                sha, size, pages = results[lang][product.kind]
                result.rendered.append(name)
            else:
                record = previous[lang, product.kind]
                sha, size, pages = record["sha256"], record["bytes"], record["pages"]
            result.outputs.append(
                Output(name, lang, product.kind, sha, size, pages, digests[lang, product.kind])
            )
    write_text(folder / MANIFEST, manifest_text(db, result, chosen))
    return result
