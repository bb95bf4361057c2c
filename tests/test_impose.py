"""Saddle-stitch imposition: sheet order for every booklet size, both bindings,
and the placed pages read back from the imposed PDF."""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pytest

from calais_guide.render.impose import Side, padded, reading_order, sheet_order


def sides(pages: int, right_bound: bool = False) -> list[tuple[int | None, int | None]]:
    """Every printed side in print order, as (left, right)."""
    out = []
    for sheet in sheet_order(pages, right_bound):
        out += [(sheet.front.left, sheet.front.right), (sheet.back.left, sheet.back.right)]
    return out


def test_four_pages_left_bound():
    # One sheet: outside = back cover | cover, inside = page 2 | page 3.
    assert sides(4) == [(4, 1), (2, 3)]


def test_four_pages_right_bound_swaps_every_side():
    assert sides(4, right_bound=True) == [(1, 4), (3, 2)]


def test_eight_pages():
    assert sides(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert sides(8, right_bound=True) == [(1, 8), (7, 2), (3, 6), (5, 4)]


def test_twelve_pages():
    assert sides(12) == [(12, 1), (2, 11), (10, 3), (4, 9), (8, 5), (6, 7)]
    assert sides(12, right_bound=True) == [(1, 12), (11, 2), (3, 10), (9, 4), (5, 8), (7, 6)]


def test_sixteen_pages_matches_psbook():
    # The order psbook and pdfjam --booklet produce.
    assert sides(16) == [
        (16, 1), (2, 15), (14, 3), (4, 13), (12, 5), (6, 11), (10, 7), (8, 9),
    ]  # fmt: skip


def test_twenty_eight_pages():
    left = sides(28)
    assert left[0] == (28, 1) and left[1] == (2, 27)
    assert left[-2:] == [(16, 13), (14, 15)]  # the centre spread: 14 | 15
    right = sides(28, right_bound=True)
    assert right == [(b, a) for a, b in left]


@pytest.mark.parametrize("pages", [4, 8, 12, 16, 28])
@pytest.mark.parametrize("right_bound", [False, True])
def test_every_page_once_and_facing_pages_fold_together(pages, right_bound):
    printed = sides(pages, right_bound)
    assert len(printed) == pages // 2
    numbers = [n for side in printed for n in side]
    assert sorted(numbers) == list(range(1, pages + 1))  # type: ignore[type-var]
    for left, right in printed:
        # Pages sharing a side are symmetric about the fold: they sum to n + 1.
        assert left is not None and right is not None and left + right == pages + 1
    for sheet in sheet_order(pages, right_bound):
        # Duplex, short-edge flip: the back of the front's right half is the
        # back's left half; consecutive pages must be back to back.
        front, back = sheet.front, sheet.back
        assert {front.right, back.left} in ({n, n + 1} for n in range(1, pages))  # type: ignore[operator]
        assert {front.left, back.right} in ({n, n + 1} for n in range(1, pages))  # type: ignore[operator]


def test_cover_is_on_the_outside_on_the_binding_side():
    assert sheet_order(16)[0].front == Side(16, 1)  # LTR: cover on the right half
    assert sheet_order(16, right_bound=True)[0].front == Side(1, 16)  # RTL: on the left


def test_padding_blanks_go_before_the_back_cover():
    assert padded(1) == 4 and padded(6) == 8 and padded(16) == 16 and padded(17) == 20
    assert reading_order(6) == [1, 2, 3, 4, 5, None, None, 6]
    assert sides(6) == [(6, 1), (2, None), (None, 3), (4, 5)]


def _numbered_pdf(pages: int) -> bytes:
    """A5 pages showing "P<n>" in a standard font (no WeasyPrint needed)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                           BaseFont=pikepdf.Name.Helvetica)
    )  # fmt: skip
    for n in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(419.53, 595.28))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(f"BT /F1 40 Tf 150 300 Td (P{n}) Tj ET".encode())
    pdf.Root.Lang = pikepdf.String("ar")
    pdf.docinfo["/Title"] = "Numbered"
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _half_text(path, page: int, left: bool) -> str:
    x = 0 if left else 421
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-x", str(x), "-y", "0",
         "-W", "420", "-H", "595", str(path), "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout.strip()


@pytest.mark.parametrize("right_bound", [False, True])
def test_imposed_pdf_places_pages_as_ordered(tmp_path, right_bound):
    from calais_guide.render.impose import impose

    out = tmp_path / "imposed.pdf"
    out.write_bytes(impose(_numbered_pdf(8), right_bound=right_bound))
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == 4
        assert [round(float(v)) for v in pdf.pages[0].mediabox] == [0, 0, 842, 595]
        assert str(pdf.Root.Lang) == "ar" and str(pdf.docinfo["/Title"]) == "Numbered"
    for number, (left, right) in enumerate(sides(8, right_bound), start=1):
        assert _half_text(out, number, left=True) == f"P{left}"
        assert _half_text(out, number, left=False) == f"P{right}"
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_imposition_is_reproducible_and_long_edge_turns_backs():
    from calais_guide.render.impose import impose

    source = _numbered_pdf(12)
    assert impose(source) == impose(source)
    with pikepdf.open(io.BytesIO(impose(source, long_edge=True))) as pdf:
        rotations = [int(p.obj.get("/Rotate", 0)) for p in pdf.pages]
    assert rotations == [0, 180] * 3


def test_six_pages_are_padded_with_blank_halves():
    from calais_guide.render.impose import impose

    with pikepdf.open(io.BytesIO(impose(_numbered_pdf(6)))) as pdf:
        assert len(pdf.pages) == 4  # 8 positions = 2 sheets, 4 sides
