"""Reading a printed PDF as a reader would, with PyMuPDF: lines of text with
their sizes and positions, QR codes, bordered boxes, colours in grey.

Used by the print-quality tests (booklet, cards, timetable). Everything is
measured in PDF points (1/72 in); :data:`MM` converts.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

MM = 72 / 25.4


@dataclass(frozen=True)
class Line:
    """One line of text as laid out."""

    page: int
    """0-based page index."""
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    """Largest font size in the line (pt)."""
    bold: bool
    """Every span of the line is bold."""
    sizes: tuple[tuple[str, float], ...]
    """(span text, size) of each span."""

    @property
    def middle(self) -> float:
        return (self.y0 + self.y1) / 2


def lines(doc: Any, page: int) -> list[Line]:
    """Every line of text on ``page``, top to bottom."""
    found = []
    for block in doc[page].get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            spans = [s for s in line["spans"] if s["text"].strip()]
            if not spans:
                continue
            x0, y0, x1, y1 = line["bbox"]
            found.append(
                Line(
                    page,
                    "".join(s["text"] for s in line["spans"]).strip(),
                    x0,
                    y0,
                    x1,
                    y1,
                    max(s["size"] for s in spans),
                    all("Bold" in s["font"] or s["flags"] & 16 for s in spans),
                    tuple((s["text"], s["size"]) for s in spans),
                )
            )
    return sorted(found, key=lambda ln: (round(ln.y0, 1), ln.x0))


def script_of(char: str) -> str | None:
    """``Latn``, ``Arab``, ``Ethi`` for a letter, None for anything else."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith(("ARABIC", "PERSIAN")):
        return "Arab"
    if name.startswith("ETHIOPIC"):
        return "Ethi"
    if name.startswith("LATIN") or "A" <= char <= "z":
        return "Latn"
    return "other"


def body_size(doc: Any, pages: list[int], script: str) -> float:
    """The font size carrying the most letters of ``script`` on ``pages``."""
    weight: dict[float, int] = {}
    for page in pages:
        for block in doc[page].get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    n = sum(1 for c in span["text"] if script_of(c) == script)
                    if n:
                        size = round(span["size"], 2)
                        weight[size] = weight.get(size, 0) + n
    return max(weight, key=lambda s: weight[s]) if weight else 0.0


def letters(doc: Any, pages: list[int]) -> dict[str, int]:
    """Letters per script on ``pages``."""
    count: dict[str, int] = {}
    for page in pages:
        for char in doc[page].get_text():
            script = script_of(char)
            if script:
                count[script] = count.get(script, 0) + 1
    return count


@dataclass(frozen=True)
class QR:
    page: int
    rect: Any
    """The dark modules' bounding box (without the quiet zone)."""
    module: float
    """Module size (the stroke width segno draws each row of modules with), pt."""


def qr_codes(doc: Any, page: int) -> list[QR]:
    """The QR codes drawn on ``page`` (segno paths: many strokes of one width)."""
    found = []
    for d in doc[page].get_drawings():
        if d.get("color") is not None and d.get("width") and len(d["items"]) > 40:
            if abs(d["rect"].width - d["rect"].height) < 0.1 * d["rect"].width:
                found.append(QR(page, d["rect"], float(d["width"])))
    return found


@dataclass(frozen=True)
class Box:
    page: int
    outer: Any
    """The border box."""
    sides: dict[str, float]
    """Border width per side (pt), ``top``/``right``/``bottom``/``left``."""
    fill: tuple[float, ...]


def boxes(doc: Any, page: int) -> list[Box]:
    """Bordered boxes on ``page``: WeasyPrint fills the border as the outer
    rectangle minus the inner one (two ``re`` items)."""
    found = []
    for d in doc[page].get_drawings():
        items = d["items"]
        if d.get("fill") is None or len(items) != 2 or any(i[0] != "re" for i in items):
            continue
        outer, inner = items[0][1], items[1][1]
        if outer.width < inner.width:
            outer, inner = inner, outer
        sides = {
            "top": inner.y0 - outer.y0,
            "bottom": outer.y1 - inner.y1,
            "left": inner.x0 - outer.x0,
            "right": outer.x1 - inner.x1,
        }
        found.append(Box(page, outer, sides, tuple(d["fill"])))
    return found


def hyphenated(doc: Any) -> list[Line]:
    """Lines ending with a hyphen that a word was broken at (the next line
    of the same block goes on with a letter)."""
    found = []
    for page in range(len(doc)):
        for block in doc[page].get_text("dict")["blocks"]:
            texts = ["".join(s["text"] for s in line["spans"]) for line in block.get("lines", [])]
            for n, text in enumerate(texts[:-1]):
                stripped = text.rstrip()
                following = texts[n + 1].lstrip()
                if re.search(r"\w[-\u2010\u00ad]$", stripped) and following[:1].isalpha():
                    x0, y0, x1, y1 = block["lines"][n]["bbox"]
                    found.append(Line(page, stripped, x0, y0, x1, y1, 0.0, False, ()))
    return found


def decode_qr(pdf: Path, page: int, dpi: int = 150) -> list[str]:
    """URLs zbarimg reads on ``page`` (0-based) of ``pdf`` rendered at ``dpi``."""
    doc = pymupdf.open(pdf)
    png = pdf.with_name(f"{pdf.stem}-qr-{page}.png")
    doc[page].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY).save(png)
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
    )
    png.unlink()
    return [line for line in out.stdout.splitlines() if line]


def grey(rgb: tuple[float, ...]) -> float:
    """The grey an office printer makes of ``rgb`` (0-1), as luminance."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: float, b: float) -> float:
    """WCAG contrast ratio of two luminances."""
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)
