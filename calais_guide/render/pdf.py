"""HTML -> PDF with WeasyPrint, closed off from the machine and the network.

Three guarantees every printed output relies on:

* **Only bundled fonts.** Fontconfig is pointed at a configuration listing
  nothing but ``fonts/`` *before* WeasyPrint (and Pango) is imported, so a
  character the bundled fonts lack can never be filled silently from a
  system font: it would show as an empty box, which the glyph check
  (:mod:`calais_guide.glyphs`) refuses before rendering anyway.
* **Only known files.** :class:`ContainedFetcher` serves ``file://`` URLs
  under the layouts, fonts and the database's ``assets/`` folder, and refuses
  everything else (http, https, data, other files): the build never touches
  the network.
* **Same input, same bytes.** hb-subset (or ``SOURCE_DATE_EPOCH``) makes font
  subsets reproducible; the only date written is the edition's.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import gc
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from calais_guide.errors import RenderError
from calais_guide.paths import fonts_dir, layouts_dir

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF with the PDF/UA identification WeasyPrint writes: structure for
screen readers, ``/Lang`` from ``<html lang>``, title shown in the window."""

_MIME = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff2": "font/woff2",
    ".html": "text/html",
}


def _fontconfig_file(fonts: Path) -> Path:
    """A fontconfig configuration that knows only the bundled fonts."""
    work = Path(tempfile.mkdtemp(prefix="calais-guide-fc-"))
    atexit.register(shutil.rmtree, work, True)
    conf = work / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{_xml(str(fonts))}</dir>\n"
        f"  <cachedir>{_xml(str(work / 'cache'))}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.cache
def weasyprint() -> Any:
    """The weasyprint module, imported with the isolated fontconfig.

    Every renderer gets WeasyPrint from here: importing it anywhere else
    first would let Pango read the system's fonts.
    """
    if "weasyprint" in sys.modules and "CALAIS_GUIDE_FONTCONFIG" not in os.environ:
        raise RuntimeError(
            "weasyprint was imported before calais_guide.render.pdf: "
            "system fonts could leak into the PDF"
        )
    conf = _fontconfig_file(fonts_dir())
    os.environ["FONTCONFIG_FILE"] = str(conf)
    os.environ["CALAIS_GUIDE_FONTCONFIG"] = str(conf)
    import weasyprint as wp

    return wp


def file_url(path: Path) -> str:
    """``file://`` URL of a local path (what templates write in ``src``/``url()``)."""
    return path.resolve().as_uri()


@functools.cache
def _fetcher_class() -> type:
    wp = weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    del wp

    class _Fetcher(URLFetcher):
        def __init__(self, roots: tuple[Path, ...]):
            # fail_on_errors: a refused resource stops the render (no PDF
            # with a silently missing logo or font).
            super().__init__(allowed_protocols=("file",), fail_on_errors=True)
            self.roots = roots
            self.refused: list[str] = []
            self.served: list[Path] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = _allowed_path(url, self.roots)
            if path is None:
                self.refused.append(url)
                raise PermissionError(f"refused: {url}")
            self.served.append(path)
            mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": mime})

    return _Fetcher


def _allowed_path(url: str, roots: Iterable[Path]) -> Path | None:
    """The file ``url`` names if it is a ``file://`` URL under one of ``roots``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    for root in roots:
        if path.is_relative_to(root.resolve()) and path.is_file():
            return path
    return None


def contained_fetcher(extra_roots: Iterable[Path] = ()) -> Any:
    """A WeasyPrint URL fetcher serving only layouts, fonts and ``extra_roots``.

    Its ``refused`` list names every URL it turned down.
    """
    roots = (layouts_dir(), fonts_dir(), *extra_roots)
    return _fetcher_class()(tuple(Path(r) for r in roots))


@dataclass(frozen=True)
class Rendered:
    """A rendered PDF."""

    data: bytes
    """The PDF file."""
    pages: int
    """Number of pages."""


@contextmanager
def _source_date(date: dt.date) -> Iterator[None]:
    # fontTools stamps subsets with the current time unless SOURCE_DATE_EPOCH
    # is set (hb-subset does not need it): pin it to the edition date.
    old = os.environ.get("SOURCE_DATE_EPOCH")
    if old is None:
        stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp()
        os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


@contextmanager
def _few_collections() -> Iterator[None]:
    """Cyclic garbage collection seldom while WeasyPrint lays out or draws.

    A layout allocates millions of short-lived objects; at the default
    threshold (700) the collector runs thousands of times per booklet and
    costs 10-15 % of the rendering time. Reference counting still frees
    nearly everything; the collector runs 100 times less often.
    """
    old = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*old)


def render_document(
    html: str,
    base_dir: Path,
    *,
    stylesheets: Iterable[str] = (),
    assets: Iterable[Path] = (),
) -> Any:
    """Lay ``html`` out: a WeasyPrint Document whose pages can be counted,
    kept or dropped before :func:`write_pdf`.

    ``base_dir`` resolves relative URLs (a layouts folder); ``stylesheets``
    are CSS texts added after the document's own; ``assets`` are extra
    folders the fetcher may read. A refused URL raises RenderError naming it.
    """
    wp = weasyprint()
    fetcher = contained_fetcher(assets)
    base_url = file_url(base_dir) + "/"
    # One dict for every stylesheet: an @color-profile given in ``stylesheets``
    # (the print-shop output profile) must reach the document.
    profiles: dict[str, Any] = {}
    try:
        with _failures_stop_the_render():
            css = [
                wp.CSS(string=s, base_url=base_url, url_fetcher=fetcher, color_profiles=profiles)
                for s in stylesheets
            ]
            with _few_collections():
                document = wp.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
                    stylesheets=css, color_profiles=profiles
                )
    except BaseException:  # FatalURLFetchingError is a BaseException
        if fetcher.refused:
            raise _refused(fetcher.refused[0]) from None
        raise
    if fetcher.refused:
        raise _refused(fetcher.refused[0])
    return document


class _Failures(logging.Handler):
    """Collects WeasyPrint's "Failed to load/render ..." reports: WeasyPrint
    logs them and goes on without the image (or with a refused sub-resource
    of an SVG, fetched only while drawing)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Failed to"):
            self.messages.append(message.rstrip(": "))


@contextmanager
def _failures_stop_the_render() -> Iterator[None]:
    """Raise RenderError when WeasyPrint dropped a resource inside the block:
    a refusal or a broken file at any point of a render stops it."""
    logger = logging.getLogger("weasyprint")
    handler = _Failures()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        raise RenderError(
            f"{handler.messages[0]}: the PDF would be printed without it. Run "
            "'calais-guide validate' (it checks logos), then replace the file"
        )


def _refused(url: str) -> RenderError:
    return RenderError(
        f"refused to fetch {url}: the printer may only read the project's layouts, "
        "fonts and the database's assets/ folder (no network, no other files)"
    )


def write_pdf(
    document: Any, date: dt.date, *, tagged: bool = True, print_shop: bool = False
) -> Rendered:
    """The PDF bytes of a rendered document, reproducibly.

    ``date`` (the edition's) fixes the time fontTools would otherwise stamp.
    ``print_shop``: PDF/X-4 with the CMYK output intent (the document must
    have been laid out with :func:`calais_guide.render.prepress.print_shop_css`;
    :func:`calais_guide.render.prepress.finish` then fixes its dates and id),
    tagged if ``tagged``.
    """
    options: dict[str, Any] = {}
    if print_shop:
        from .prepress import PDF_VARIANT as PRINT_SHOP_VARIANT

        options["pdf_variant"] = PRINT_SHOP_VARIANT
        options["pdf_tags"] = tagged
    elif tagged:
        options["pdf_variant"] = PDF_VARIANT
    with _source_date(date), _failures_stop_the_render(), _few_collections():
        data = document.write_pdf(**options)
    return Rendered(data=data, pages=len(document.pages))


def render_pdf(
    html: str,
    base_dir: Path,
    date: dt.date,
    *,
    stylesheets: Iterable[str] = (),
    assets: Iterable[Path] = (),
    tagged: bool = True,
) -> Rendered:
    """HTML -> PDF in one step (see :func:`render_document`, :func:`write_pdf`)."""
    document = render_document(html, base_dir, stylesheets=stylesheets, assets=assets)
    return write_pdf(document, date, tagged=tagged)
