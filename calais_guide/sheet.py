"""The guide as a spreadsheet for coordinators and partners:
``calais-guide export --format csv|xlsx``.

One row per entry and place it publishes (an entry without a place still
gets one row; a confidential place is never exported, the rule of the HSDS
export: :func:`calais_guide.hsds.published_locations`). Texts, days, hours
and category labels in the language asked for (:mod:`calais_guide.entry_text`);
column names are stable English ids (:data:`COLUMNS`), the same in every
language, so that partners can merge files.

Cells are data, never formulas: in CSV a cell starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe
(:func:`csv_cell`); in xlsx every text cell is written as text, so nothing is
changed there. The CSV is UTF-8 with a byte-order mark, comma-separated,
CRLF line ends (RFC 4180): the mark is what makes Excel read Arabic and
Tigrinya as UTF-8 (without it Excel on Windows reads the file in the local
code page); LibreOffice reads both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from calais_guide.cli_text import tr, tr_noop

from .model import Database, Entry, Location

COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "entry id (file name in the guide)"),
    ("name", "name of the association"),
    ("alternate_name", "acronym or other name"),
    ("parent", "id of the association this is a project of"),
    ("status", "active, temporarily closed or closed, in the language of the export"),
    ("categories", "what it offers, in the language of the export, separated by '; '"),
    ("category_codes", "the same as category ids (docs/taxonomy.json)"),
    ("welcome", "who is welcome ('; ' between values)"),
    ("languages_spoken", "languages the team speaks, with their notes ('; ' between)"),
    ("summary", "one line on what it offers"),
    ("place_kind", "fixed or mobile; empty: no place published"),
    ("place_name", "name of the place"),
    ("address", "street, postal code and town; a mobile team says so"),
    ("postal_code", "postal code of a fixed place"),
    ("city", "town of a fixed place"),
    ("place_description", "how to find it, or where the mobile team goes"),
    ("hours", "weekly hours, one line per slot; empty: not known"),
    ("special_days", "dated days off and special hours"),
    ("closures", "dated closures of the whole association"),
    ("phones", "one per line: number (type, 24/7, label; languages spoken on the line)"),
    ("emails", "one per line"),
    ("websites", "one per line"),
    ("last_verified", "day a person last checked the entry with the association (YYYY-MM-DD)"),
    ("verified_by", "who did that check"),
)
"""Column id -> what it holds (the README's table)."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a CSV cell as a formula."""


def _lines(values: Sequence[str]) -> str:
    return "\n".join(v for v in values if v)


def _row(db: Database, entry: Entry, lang: str, location: Location | None) -> dict[str, Any]:
    from . import entry_text as words
    from .i18n import language_name

    region = db.edition.country
    spoken = [
        language_name(s.code, lang) + (f" ({s.note})" if s.note else "") for s in entry.languages
    ]
    row: dict[str, Any] = {
        "id": entry.id,
        "name": entry.name,
        "alternate_name": entry.alternate_name or "",
        "parent": entry.parent or "",
        "status": words.status_label(entry, lang),
        "categories": "; ".join(words.category_labels(entry.categories, lang)),
        "category_codes": " ".join(entry.categories),
        "welcome": "; ".join(words.welcome_labels(entry.welcome, lang)),
        "languages_spoken": "; ".join(spoken),
        "summary": words.text(entry.summary, lang),
        "place_kind": "",
        "place_name": "",
        "address": "",
        "postal_code": "",
        "city": "",
        "place_description": "",
        "hours": "",
        "special_days": "",
        "closures": _lines(words.closure_lines(entry, lang)),
        "phones": _lines([words.phone_line(p, lang, region) for p in entry.phones]),
        "emails": _lines([e.address for e in entry.emails]),
        "websites": _lines(entry.websites),
        "last_verified": entry.assured_date,
        "verified_by": entry.assurer or "",
    }
    if location is not None:
        address = location.address
        row.update(
            place_kind=location.kind,
            place_name=words.text(location.name, lang),
            address=words.address_line(location, lang),
            postal_code=(address.postal_code or "") if address else "",
            city=address.city if address else "",
            place_description=words.text(location.description, lang),
            hours=_lines(words.hours_lines(location, lang)),
            special_days=_lines(words.special_lines(location, lang)),
        )
    return row


def rows(db: Database, lang: str) -> list[dict[str, Any]]:
    """One row per entry and published place, in edition order (values: text,
    or a date for ``last_verified``)."""
    from .hsds import published_locations

    out = []
    for entry in db.entries:
        places: list[Location | None] = [loc for _, loc in published_locations(entry)]
        for location in places or [None]:
            out.append(_row(db, entry, lang, location))
    return out


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_cell(value: Any) -> str:
    """A value as CSV cell text that no spreadsheet reads as a formula."""
    cell = _plain(value)
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_bytes(header: Sequence[str], table: Sequence[Sequence[Any]]) -> bytes:
    """A CSV file: UTF-8 with BOM, comma-separated, CRLF, every cell guarded
    by :func:`csv_cell`."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for line in table:
        writer.writerow([csv_cell(v) for v in line])
    return buffer.getvalue().encode("utf-8-sig")


XLSX_MISSING = tr_noop(
    "--format xlsx needs the Python package openpyxl, which is not installed: "
    "pip install 'calais-guide[xlsx]' (or use --format csv)"
)


def require_openpyxl() -> None:
    """GuideError (exit 1, one line) when openpyxl cannot be imported."""
    from .errors import GuideError

    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise GuideError(tr(XLSX_MISSING)) from None


def xlsx_bytes(
    header: Sequence[str],
    table: Sequence[Sequence[Any]],
    *,
    title: str,
    rtl: bool = False,
    widths: Sequence[int] = (),
    date: dt.date | None = None,
) -> bytes:
    """An xlsx workbook of one sheet: bold frozen header, filters, wrapped
    text; texts are always text cells (never formulas), dates real dates.
    ``rtl``: the sheet reads right to left. ``date`` fixes the file's
    creation and modification dates (same data, same content)."""
    import io

    require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.sheet_view.rightToLeft = rtl
    top = Alignment(vertical="top", wrap_text=True)
    for column, name in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=column, value=name)
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for index, line in enumerate(table, start=2):
        for column, value in enumerate(line, start=1):
            cell = sheet.cell(row=index, column=column)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = _plain(value)
                cell.data_type = "s"  # entry text is data: '=...' stays text
            cell.alignment = top
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(table) + 1}"
    if date is not None:
        stamp = dt.datetime(date.year, date.month, date.day)
        book.properties.created = stamp
        book.properties.modified = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return _pinned(buffer.getvalue(), date) if date is not None else buffer.getvalue()


def _pinned(data: bytes, date: dt.date) -> bytes:
    """``data`` (an xlsx) with every date openpyxl stamps at saving time
    (the zip entries' times, ``dcterms:modified``) set to ``date``."""
    import io
    import re
    import zipfile

    stamp = f"{date.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    content,
                )
            info = zipfile.ZipInfo(item.filename, (date.year, date.month, date.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            target.writestr(info, content)
    return out.getvalue()


WIDTHS = {
    "id": 22,
    "name": 26,
    "categories": 30,
    "summary": 50,
    "address": 34,
    "place_description": 34,
    "hours": 34,
    "special_days": 30,
    "closures": 30,
    "phones": 34,
    "emails": 28,
    "websites": 30,
}


def export(db: Database, lang: str, fmt: str) -> tuple[bytes, int]:
    """The spreadsheet of ``db`` in ``lang`` as ``csv`` or ``xlsx`` bytes, and its rows."""
    from .languages import get

    header = [name for name, _ in COLUMNS]
    table = [[row[name] for name in header] for row in rows(db, lang)]
    if fmt == "csv":
        return csv_bytes(header, table), len(table)
    return (
        xlsx_bytes(
            header,
            table,
            title=f"{db.edition.edition} {lang}",
            rtl=get(lang).direction == "rtl",
            widths=[WIDTHS.get(name, 14) for name in header],
            date=db.edition.date if db.edition.valid_month else None,
        ),
        len(table),
    )
