"""Finishing of the PDF files meant for paper.

One place decides what a file sent to a printer looks like once WeasyPrint
(or the imposition) has drawn it:

* **No link annotations** in print files (a preflight warning, and nothing
  to tap on paper); the screen PDFs keep theirs.
* **Right-bound books say so**: ``/ViewerPreferences << /Direction /R2L >>``
  for right-to-left languages, so viewers show spreads the right way and a
  print shop sees the binding side.
* **Bleed and crop marks**: WeasyPrint draws ``marks`` inside its ``bleed``
  area (3 mm of bleed leaves marks ending 1.5 mm from the trim). Here the
  page is drawn with the bleed only; the MediaBox is then enlarged by
  :data:`MARK_SPACE_MM` beyond the BleedBox and the crop marks are drawn
  there, in the registration colour (all four plates), never inside the
  bleed.
* **PDF/X-4, reproducibly**: WeasyPrint's ``pdf/x-4`` variant writes the
  output intent (our CMYK profile, :data:`PROFILE`) but stamps the current
  time and a random document id; they are set here from the edition date
  and the file's own content, so the same data gives the same bytes.

Colours are CMYK in every printed output (``layouts/base.css``: text is
``device-cmyk(0 0 0 1)``, black ink only); this module does not convert
colours, it only checks nothing else is needed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from dataclasses import dataclass
from typing import Any

PT_PER_MM = 72 / 25.4

PRINT_SHOP_BLEED_MM = 3.0
"""Bleed of print-shop files (what French print shops ask for)."""

MARK_SPACE_MM = 7.0
"""Room beyond the BleedBox for the crop marks (the MediaBox edge)."""

MARK_OFFSET_MM = 1.0
"""Gap between the BleedBox and the start of a crop mark."""

MARK_WIDTH_PT = 0.25
"""Line width of the crop marks."""

PROFILE = "color/FOGRA39L-calais-guide.icc"
"""The CMYK output profile, under ``layouts/`` (see ``layouts/color/README.md``)."""

OUTPUT_CONDITION = "FOGRA39"
"""Registered characterisation the profile was made from (ICC registry)."""

OUTPUT_CONDITION_TEXT = (
    "Offset printing on coated paper (ISO 12647-2:2004/Amd 1), FOGRA39L characterisation data"
)

PDF_VARIANT = "pdf/x-4"

_NAMESPACE = uuid.UUID("1c2a6f0e-8d1b-5b7e-9b8a-6c616c616973")
"""Namespace of the deterministic document ids."""


def profile_css() -> str:
    """The stylesheet naming the CMYK output profile of a PDF/X render
    (``components`` is required by WeasyPrint 70; the URL is relative to a
    folder of ``layouts/``)."""
    return (
        "@color-profile device-cmyk { "
        f"src: url(../{PROFILE}); components: cyan, magenta, yellow, black }}"
    )


def print_shop_css() -> list[str]:
    """Stylesheets a print-shop page render adds: the output profile and
    the bleed."""
    return [profile_css(), f"@page {{ bleed: {PRINT_SHOP_BLEED_MM:g}mm }}"]


@dataclass(frozen=True)
class Finish:
    """What to do to a file meant for paper."""

    right_to_left: bool = False
    """Add ``/ViewerPreferences << /Direction /R2L >>``."""
    strip_links: bool = True
    """Remove link annotations (print files); False for screen PDFs."""
    cmyk: bool = True
    """Turn any RGB colour left in the drawing (a database's SVG logo) into
    grey or CMYK, black into black ink only (paper files)."""
    bleed_mm: float | None = None
    """With a number: BleedBox = TrimBox + this, MediaBox beyond it with crop
    marks (None: boxes untouched, no marks)."""
    pdfx: bool = False
    """The file is PDF/X-4: fix its dates and document id (reproducible) and
    name the registered output condition."""


def finish(data: bytes, date: dt.date, how: Finish) -> bytes:
    """``data`` finished as ``how`` says; same input, same bytes."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        version = pdf.pdf_version
        if how.strip_links:
            _strip_links(pdf)
        if how.cmyk:
            _cmyk(pdf, how.pdfx)
        if how.right_to_left:
            prefs = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
            prefs.Direction = pikepdf.Name.R2L
            pdf.Root.ViewerPreferences = prefs
        if how.bleed_mm is not None:
            for page in pdf.pages:
                _marks(pdf, page, how.bleed_mm)
        if how.pdfx:
            _pdfx(pdf, date)
        # The file id is made from the content (WeasyPrint's PDF/X id is random).
        if "/ID" in pdf.trailer:
            del pdf.trailer["/ID"]
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True, min_version=version)
        return buffer.getvalue()


def _strip_links(pdf: Any) -> None:
    """Remove every /Link annotation, and the structure tree's references to
    them (the /Link structure elements keep their text)."""
    import pikepdf

    removed: set[tuple[int, int]] = set()
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept = pikepdf.Array()
        for annot in annots:
            if annot.get("/Subtype") == pikepdf.Name.Link:
                if annot.is_indirect:
                    removed.add(annot.objgen)
            else:
                kept.append(annot)
        if len(kept):
            page.obj.Annots = kept
        else:
            del page.obj["/Annots"]
    if not removed or "/StructTreeRoot" not in pdf.Root:
        return
    stack = [pdf.Root.StructTreeRoot]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        kids = node.get("/K")
        if kids is None:
            continue
        if isinstance(kids, pikepdf.Array):
            kept = pikepdf.Array(k for k in kids if not _is_removed_ref(k, removed))
            node.K = kept
            stack.extend(k for k in kept if isinstance(k, pikepdf.Dictionary))
        elif isinstance(kids, pikepdf.Dictionary):
            if _is_removed_ref(kids, removed):
                del node["/K"]
            else:
                stack.append(kids)


def _cmyk(pdf: Any, icc_images: bool) -> None:
    """Rewrite ``rg``/``RG`` in every content stream (pages, forms, tiling
    patterns) as grey (``g``/``G``: black ink only) or CMYK (``k``/``K``).

    The layouts draw in CMYK already; what is left is drawn from data (an
    entry's SVG logo). With ``icc_images`` (PDF/X), RGB images are declared
    in sRGB (the same pixels, a device-independent colour space)."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    srgb = None

    def convert(holder: Any, is_page: bool) -> None:
        nonlocal srgb
        if not is_page:
            if holder.objgen in seen:
                return
            seen.add(holder.objgen)
        out: list[Any] = []
        changed = False
        for instruction in pikepdf.parse_content_stream(holder):
            operands, operator = instruction.operands, instruction.operator
            if str(operator) in ("rg", "RG") and len(operands) == 3:
                out.append(_cmyk_op([float(v) for v in operands], str(operator) == "RG"))
                changed = True
            else:
                out.append(instruction)
        if changed:
            data = pikepdf.unparse_content_stream(out)
            if is_page:
                holder.obj.Contents = pdf.make_stream(data)
            else:
                holder.write(data)
        res = (holder.obj if is_page else holder).get("/Resources")
        if res is None:
            return
        for category in ("/XObject", "/Pattern"):
            for _, obj in (res.get(category) or {}).items():
                if not isinstance(obj, pikepdf.Stream):
                    continue
                if obj.get("/Subtype") == pikepdf.Name.Image:
                    if icc_images and obj.get("/ColorSpace") == pikepdf.Name.DeviceRGB:
                        if srgb is None:
                            srgb = _srgb_space(pdf)
                        obj.ColorSpace = srgb
                    continue
                convert(obj, False)

    for page in pdf.pages:
        convert(page, True)


def _cmyk_op(rgb: list[float], stroke: bool) -> tuple[list[Any], Any]:
    import pikepdf

    r, g, b = rgb
    if r == g == b:
        return [r], pikepdf.Operator("G" if stroke else "g")
    k = 1 - max(r, g, b)
    c, m, y = ((1 - v - k) / (1 - k) for v in (r, g, b))
    return [round(v, 4) for v in (c, m, y, k)], pikepdf.Operator("K" if stroke else "k")


def _srgb_space(pdf: Any) -> Any:
    """``[/ICCBased sRGB]``, the profile made by LittleCMS (through Pillow,
    which WeasyPrint depends on)."""
    import pikepdf
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    stream = pdf.make_stream(profile)
    stream.N = 3
    return pikepdf.Array([pikepdf.Name.ICCBased, stream])


def _is_removed_ref(kid: Any, removed: set[tuple[int, int]]) -> bool:
    import pikepdf

    if not isinstance(kid, pikepdf.Dictionary) or kid.get("/Type") != pikepdf.Name.OBJR:
        return False
    target = kid.get("/Obj")
    return target is not None and target.is_indirect and target.objgen in removed


def _marks(pdf: Any, page: Any, bleed_mm: float) -> None:
    """Bleed and media boxes around the page's TrimBox, crop marks in the
    space between them (registration colour, marked as an artifact)."""
    import pikepdf

    trim = [float(v) for v in (page.obj.get("/TrimBox") or page.obj.MediaBox)]
    bleed = bleed_mm * PT_PER_MM
    space = MARK_SPACE_MM * PT_PER_MM
    x0, y0, x1, y1 = trim
    bleed_box = [x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed]
    media = [x0 - bleed - space, y0 - bleed - space, x1 + bleed + space, y1 + bleed + space]
    page.obj.TrimBox = pikepdf.Array(trim)
    page.obj.BleedBox = pikepdf.Array(bleed_box)
    page.obj.MediaBox = pikepdf.Array(media)
    page.obj.CropBox = pikepdf.Array(media)
    if "/ArtBox" in page.obj:  # PDF/X: TrimBox, not both
        del page.obj["/ArtBox"]
    start = bleed + MARK_OFFSET_MM * PT_PER_MM
    end = bleed + space
    lines = []
    for x, sign_x in ((x0, -1), (x1, 1)):
        for y, sign_y in ((y0, -1), (y1, 1)):
            # a horizontal mark on the trim line y, a vertical one on x
            lines.append((x + sign_x * start, y, x + sign_x * end, y))
            lines.append((x, y + sign_y * start, x, y + sign_y * end))
    ops = [f"/Artifact BMC q {MARK_WIDTH_PT:g} w 0 J [] 0 d 1 1 1 1 K"]
    ops += [f"{a:.3f} {b:.3f} m {c:.3f} {d:.3f} l S" for a, b, c, d in lines]
    ops.append("Q EMC")
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(("Q\n" + "\n".join(ops) + "\n").encode("ascii")))


def _pdfx(pdf: Any, date: dt.date) -> None:
    """Dates from the edition, a document id from the content, and the
    registered output condition on the output intent."""
    import pikepdf

    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    pdf_date = stamp.strftime("D:%Y%m%d%H%M%S+00'00'")
    iso = stamp.isoformat()
    pdf.docinfo.CreationDate = pikepdf.String(pdf_date)
    pdf.docinfo.ModDate = pikepdf.String(pdf_date)
    pdf.docinfo.GTS_PDFXVersion = pikepdf.String("PDF/X-4")
    if "/Trapped" not in pdf.docinfo:
        pdf.docinfo.Trapped = pikepdf.Name("/False")
    for intent in pdf.Root.get("/OutputIntents") or ():
        intent.OutputConditionIdentifier = pikepdf.String(OUTPUT_CONDITION)
        intent.OutputCondition = pikepdf.String(OUTPUT_CONDITION_TEXT)
        intent.RegistryName = pikepdf.String("http://www.color.org")
    digest = hashlib.sha256()
    for page in pdf.pages:
        for stream in _contents(page):
            digest.update(stream.read_bytes())
    digest.update(str(pdf.docinfo.get("/Title", "")).encode())
    document_id = f"uuid:{uuid.uuid5(_NAMESPACE, digest.hexdigest())}"
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            meta[key] = iso
        meta["xmpMM:DocumentID"] = document_id
        meta["xmpMM:InstanceID"] = document_id


def _contents(page: Any) -> list[Any]:
    import pikepdf

    contents = page.obj.get("/Contents")
    if contents is None:
        return []
    if isinstance(contents, pikepdf.Array):
        return list(contents)
    return [contents]
