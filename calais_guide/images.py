"""Logo files checked before anything is printed with them.

A logo is a file someone sent by e-mail: it may be damaged, huge, or an SVG
that tries to read other files or the network. :func:`logo_problem` decodes
it with limits, as the printer would, so that ``validate`` refuses what the
renderer would otherwise drop silently (a PDF without the logo):

* PNG and JPEG: the header must match the file name, at most
  :data:`MAX_SIDE` pixels a side and :data:`MAX_PIXELS` in all (a 30000 x
  30000 "decompression bomb" is refused before it is decoded), and the whole
  image must decode.
* SVG: parsed without any DOCTYPE or entity (no external entities, no entity
  bombs), the root must be ``<svg>``, and nothing in it may refer to another
  file or address (``href``, ``url(...)``, ``@import``) other than its own
  ``#fragments`` or inline ``data:`` images.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

MAX_LOGO_BYTES = 2 * 1024 * 1024
"""Largest logo file (a printed logo is a few KB to a few hundred KB)."""
MAX_SIDE = 5000
"""Largest width or height of a bitmap logo, in pixels."""
MAX_PIXELS = 16_000_000
"""Most pixels of a bitmap logo."""
_OUTSIDE = re.compile(r"url\(\s*['\"]?\s*(?!#|data:)([^)'\"]*)|@import", re.I)


def logo_problem(path: Path) -> str | None:
    """What is wrong with logo file ``path`` (None if it can be printed)."""
    from .fileio import FileError, read_limited

    try:
        data = read_limited(path, MAX_LOGO_BYTES, "logo")
    except FileError as exc:
        return str(exc)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return _svg_problem(data)
    return _bitmap_problem(data, "PNG" if suffix == ".png" else "JPEG")


def _bitmap_problem(data: bytes, expected: str) -> str | None:
    import io
    import warnings

    from PIL import Image, ImageFile

    # WeasyPrint sets LOAD_TRUNCATED_IMAGES when imported: a truncated file
    # would then "decode". Here it must not, whatever was imported before.
    truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # DecompressionBombWarning is an error here
            with Image.open(io.BytesIO(data)) as image:
                found = image.format
                width, height = image.size
                if found != expected:
                    return f"the file is not a {expected} image (it holds {found or 'no image'})"
                if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
                    return (
                        f"the image claims {width} x {height} pixels, over the limit of "
                        f"{MAX_SIDE} a side: save a smaller copy (about 1000 pixels is plenty)"
                    )
                image.load()
    except Image.DecompressionBombError:
        size = "more than 178 million"
        if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
            width, height = struct.unpack(">II", data[16:24])
            size = f"{width} x {height}"
        return (
            f"the image claims {size} pixels, over the limit of {MAX_SIDE} a side: "
            "save a smaller copy (about 1000 pixels is plenty)"
        )
    except Exception as exc:  # noqa: BLE001 - any decoding failure means a damaged file
        detail = str(exc).split("\n")[0] or type(exc).__name__
        return f"the image cannot be decoded ({detail}): save it again as {expected}"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return None


def _svg_problem(data: bytes) -> str | None:
    from xml.parsers import expat

    problems: list[str] = []
    depth = [0]
    root: list[str] = []

    def refuse(message: str) -> None:
        problems.append(message)
        raise _Stop

    def doctype(name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
        refuse("the SVG has a DOCTYPE (it could declare entities): remove it")

    def entity(*args: object) -> None:
        refuse("the SVG declares entities: remove them")

    def external(context: str, base: str | None, system: str | None, public: str | None) -> int:
        refuse("the SVG refers to an external entity")
        return 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        depth[0] += 1
        if depth[0] > 200:
            refuse("the SVG is nested too deeply")
        local = tag.rsplit(" ", 1)[-1]
        if not root:
            root.append(local)
            if local != "svg":
                refuse(f"the file is not an SVG image (its root is <{local}>)")
        if local in ("script", "foreignObject"):
            refuse(f"the SVG holds a <{local}>, which cannot be printed: remove it")
        for name, value in attrs.items():
            attr = name.rsplit(" ", 1)[-1]
            text = value.strip()
            if attr == "href" and not text.startswith(("#", "data:")) and text:
                refuse(
                    f"the SVG refers to '{text[:80]}': a logo must hold everything it draws "
                    "(the printer reads no other file or address)"
                )
            if (match := _OUTSIDE.search(value)) is not None:
                refuse(f"the SVG refers to '{match.group()[:80]}' in '{attr}': remove it")

    def end(tag: str) -> None:
        depth[0] -= 1

    def text(content: str) -> None:
        if (match := _OUTSIDE.search(content)) is not None:
            refuse(f"the SVG's style refers to '{match.group()[:80]}': remove it")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except _Stop:
        return problems[0]
    except expat.ExpatError as exc:
        return f"the SVG is not valid XML ({expat.ErrorString(exc.code)}, line {exc.lineno})"
    if not root:
        return "the file is not an SVG image (it is empty)"
    return None


class _Stop(Exception):
    """Stops the SVG parser at the first problem."""
