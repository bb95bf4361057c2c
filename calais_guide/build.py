"""The whole print run of an edition: plan, check, render in parallel, manifest.

``calais-guide build`` writes into ``build/<edition>/`` every output of every
language of the print run (the products of :mod:`calais_guide.products` with
``print_run``), then ``manifest.json`` listing each file with its sha256,
pages, language and the digest of its inputs.

Incremental: an output is rendered again only when the digest of what it is
made from changes: the data *as that language prints it* (its texts and
their fallbacks, plus every language-independent field), the layouts it
uses, the fonts, its catalog, the tool's code and the build options. A
changed Arabic summary re-renders the Arabic outputs only; a changed phone
number re-renders everything. :func:`plan` decides, without rendering.

A partial build (``build -l ar``) keeps the other languages' records in the
manifest as long as their files and inputs are unchanged, so the next full
build renders nothing that did not change.

Outputs are rendered in worker processes (WeasyPrint lays out on one core),
through the same code path as the ``booklet`` and ``cards`` commands
(:func:`calais_guide.products.render_outputs`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, languages
from .errors import GuideError
from .fileio import write_text
from .model import Database, to_data
from .paths import fonts_dir, layouts_dir
from .products import Product, Task, print_run, render_outputs
from .products import inputs as product_inputs

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "calais-guide-build"
MANIFEST_VERSION = 1


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
    pages: int | None
    """Pages (A4 sheet sides for ``imposed`` and ``cards``); None for an
    output that is not paged."""
    inputs: str
    """Digest of everything it was made from (see :func:`input_digest`)."""


@dataclass
class BuildResult:
    """What a build did."""

    folder: Path
    """``build/<edition>/``."""
    outputs: list[Output]
    """Every file of this build's languages, in language then product order."""
    kept: list[Output] = field(default_factory=list)
    """Files of other languages (or products) from an earlier build, still up
    to date: listed in the manifest too."""
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
    folders, _ = product_inputs(product)
    own = {root / sub for sub in folders}
    others = {p.name for p in root.iterdir() if p.is_dir()} - set(folders)
    shared = [
        p
        for p in root.rglob("*")
        if not any(part in others for part in p.relative_to(root).parts[:1])
    ]
    mine = [p for sub in own for p in sub.rglob("*")]
    return _tree_digest({*shared, *mine}, root)


def data_digest(db: Database, lang: str) -> str:
    """Digest of the data as the ``lang`` outputs print it: translatable texts
    cut down to the language's chain and French (:func:`~calais_guide.model.to_data`
    with ``keep``). A language's outputs print its own text or its fallbacks,
    never the other languages' texts: those must not make it render again."""
    keep = set(languages.chain(lang)) | {"fr"}
    data = {"edition": to_data(db.edition, keep), "entries": to_data(db.entries, keep)}
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
    def compute(cls, products: Sequence[Product]) -> _Digests:
        return cls(
            code=_code_digest(),
            fonts=_tree_digest(fonts_dir().rglob("*"), fonts_dir()),
            layouts={p.kind: _layout_digest(p) for p in products},
        )


def input_digest(
    db: Database,
    lang: str,
    product: Product,
    options: dict[str, Any],
    parts: _Digests,
    data: str | None = None,
) -> str:
    """Digest of everything the ``lang`` ``product`` is made from (``data``:
    :func:`data_digest` of ``lang``, when already computed)."""
    from .i18n import po_path

    po = po_path(lang)
    _, fixed = product_inputs(product)
    h = hashlib.sha256()
    for part in (
        MANIFEST_FORMAT,
        __version__,
        parts.code,
        parts.fonts,
        parts.layouts[product.kind],
        hashlib.sha256(po.read_bytes()).hexdigest() if po.is_file() else "no-catalog",
        data or data_digest(db, lang),
        product.kind,
        lang,
        json.dumps([options, fixed], sort_keys=True, default=str),
    ):
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()


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
    try:
        path = folder / record["path"]
        return hashlib.sha256(path.read_bytes()).hexdigest() == record.get("sha256")
    except (OSError, KeyError, TypeError):
        return False


def _output(record: dict[str, Any]) -> Output:
    return Output(
        record["path"],
        record["lang"],
        record["kind"],
        record["sha256"],
        record["bytes"],
        record["pages"],
        record["inputs"],
    )


@dataclass(frozen=True)
class Plan:
    """What a build will do (:func:`plan`): nothing is rendered to decide it."""

    langs: list[str]
    """Languages of this build."""
    products: list[Product]
    """Products of this build."""
    digests: dict[tuple[str, str], str]
    """(lang, kind) -> digest of its inputs, for this build's outputs."""
    render: dict[str, list[str]]
    """Language -> kinds to render (their inputs or files changed), in
    language then product order; languages with nothing to render are absent."""
    unchanged: dict[tuple[str, str], Output]
    """This build's outputs that are up to date: their records."""
    kept: list[Output]
    """Other languages' and products' outputs of the previous manifest whose
    files and inputs are still unchanged: kept in the new manifest."""

    @property
    def tasks(self) -> list[Task]:
        """What to render, as tasks for worker processes: a product together
        with those it is made from (the A5 booklet and its imposition), in
        product then language order."""
        return _tasks(self.render, self.products)


def _tasks(render: dict[str, list[str]], products: Sequence[Product]) -> list[Task]:
    by_kind = {p.kind: p for p in products}

    def related(kinds: Iterable[str]) -> set[str]:
        return {k for kind in kinds for k in (kind, *by_kind[kind].needs)}

    tasks = []
    for lang, kinds in render.items():
        groups: list[list[str]] = []
        for kind in kinds:
            home = next((g for g in groups if related([kind]) & related(g)), None)
            if home is None:
                groups.append([kind])
            else:
                home.append(kind)
        for group in groups:
            names = {k: Path(by_kind[k].filename.format(lang=lang)) for k in group}
            tasks.append(Task(lang, names))
    # Product by product (the booklets, the longest, first; then language
    # order): two workers end together instead of one finishing alone.
    order = [p.kind for p in products]
    return sorted(tasks, key=lambda t: order.index(next(iter(t.targets))))


def plan(
    db: Database,
    langs: Sequence[str],
    folder: Path,
    *,
    products: Sequence[Product] | None = None,
    options: dict[str, Any] | None = None,
    previous: dict[tuple[str, str], dict[str, Any]] | None = None,
) -> Plan:
    """Decide what a build of ``langs`` into ``folder`` renders, from the
    digests of the inputs and the previous manifest (read from ``folder``
    unless given as ``previous``); renders nothing, writes nothing.

    The previous records of the edition's other languages (and of products
    not built this time) are kept while their files and inputs are unchanged.
    """
    products = list(products if products is not None else print_run())
    options = options or {}
    previous = _read_manifest(folder) if previous is None else previous
    registered = list(print_run())
    parts = _Digests.compute(registered)
    data: dict[str, str] = {}

    def digest(lang: str, product: Product) -> str:
        if lang not in data:
            data[lang] = data_digest(db, lang)
        return input_digest(db, lang, product, options, parts, data[lang])

    digests: dict[tuple[str, str], str] = {}
    render: dict[str, list[str]] = {}
    unchanged: dict[tuple[str, str], Output] = {}
    for lang in langs:
        for product in products:
            key = (lang, product.kind)
            digests[key] = digest(lang, product)
            record = previous.get(key)
            if _up_to_date(folder, record, digests[key]):
                assert record is not None
                unchanged[key] = _output(record)
            else:
                render.setdefault(lang, []).append(product.kind)
    kept = []
    for lang in db.edition.languages:
        for product in registered:
            key = (lang, product.kind)
            record = previous.get(key)
            if key in digests or record is None:
                continue
            if _up_to_date(folder, record, digest(lang, product)):
                kept.append(_output(record))
    return Plan(list(langs), products, digests, render, unchanged, kept)


def manifest_text(db: Database, result: BuildResult, langs: Sequence[str]) -> str:
    """The manifest as stable JSON (no build time: same inputs, same manifest)."""
    files = _ordered(db, [*result.outputs, *result.kept])
    present = {o.lang for o in files}
    data = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "tool_version": __version__,
        "edition": db.edition.edition,
        "languages": [c for c in _language_order(db, langs) if c in present or c in langs],
        "files": [dataclasses.asdict(o) for o in files],
        "total_bytes": sum(o.bytes for o in files),
        "warnings": result.warnings,
        "unverified": result.unverified,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _language_order(db: Database, langs: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*db.edition.languages, *langs]))


def _ordered(db: Database, outputs: Sequence[Output]) -> list[Output]:
    """Outputs in language (edition order) then product (registry) order."""
    langs = _language_order(db, [o.lang for o in outputs])
    kinds = [p.kind for p in print_run()]
    return sorted(
        outputs,
        key=lambda o: (
            langs.index(o.lang),
            kinds.index(o.kind) if o.kind in kinds else len(kinds),
            o.kind,
        ),
    )


def build(
    root: Path,
    langs: Sequence[str] | None = None,
    *,
    output: Path | None = None,
    jobs: int | None = None,
    allow_stale: bool = False,
    allow: Iterable[str] = (),
    strict: bool = False,
    products: Sequence[Product] | None = None,
    on_plan: Callable[[list[str]], None] | None = None,
    on_done: Callable[[str], None] | None = None,
) -> BuildResult:
    """Check, then render the print run of the database at ``root``.

    ``langs``: languages (default: the edition's). ``output``: the folder
    (default ``build/<edition>``). ``allow_stale``: print entries nobody
    re-checked anyway, marked as such (the same as ``allow=["not-verified"]``).
    ``allow``/``strict``: as for ``edition check``. ``products``: which outputs (default:
    the print run of :mod:`calais_guide.products`). ``on_plan`` gets a label
    per rendering task (``ar: booklet, imposed``), ``on_done`` each label as
    its task finishes (progress bars).
    Raises :class:`BuildBlocked` if the pre-print check finds blockers.
    """
    from .editions import check
    from .editions.check import finding_text
    from .fileio import database_lock, output_folder

    if output is not None:
        output_folder(output)  # an impossible folder is said before the long check
    allowed = {*allow, *(["not-verified"] if allow_stale else [])}
    with database_lock(root, shared=True):  # a consistent view of the data
        report = check(root, langs or None, allow=sorted(allowed), strict=strict)
    if not report.ok or report.database is None:
        raise BuildBlocked(report)
    db: Database = report.database
    chosen = report.langs
    unverified = sorted(report.entries("not-verified")) if "not-verified" in allowed else []
    folder = output_folder(output or Path("build") / db.edition.edition)
    options = {"unverified": unverified}
    decided = plan(db, chosen, folder, products=products, options=options)

    tasks = [
        Task(t.lang, {kind: folder / path for kind, path in t.targets.items()})
        for t in decided.tasks
    ]
    labels = {id(t): f"{t.lang}: {', '.join(t.targets)}" for t in tasks}
    if on_plan:
        on_plan([labels[id(t)] for t in tasks])
    rendered: dict[tuple[str, str], Output] = {}
    for written in render_outputs(
        db, tasks, options, jobs, on_done=(lambda t: on_done(labels[id(t)])) if on_done else None
    ):
        for w in written:
            key = (w.lang, w.kind)
            rendered[key] = Output(
                w.path.name, w.lang, w.kind, w.sha256, w.bytes, w.pages, decided.digests[key]
            )

    result = BuildResult(
        folder=folder,
        outputs=[],
        kept=decided.kept,
        warnings=[finding_text(f, root) for f in report.warnings],
        unverified=unverified,
        untranslated=[
            finding_text(f, root) for f in report.findings("missing-translation", "warning")
        ],
    )
    for lang in chosen:
        for product in decided.products:
            key = (lang, product.kind)
            if key in rendered:
                result.rendered.append(rendered[key].path)
                result.outputs.append(rendered[key])
            else:
                result.outputs.append(decided.unchanged[key])
    with database_lock(root, required=False):  # one manifest writer at a time
        write_text(folder / MANIFEST, manifest_text(db, result, chosen))
    return result
