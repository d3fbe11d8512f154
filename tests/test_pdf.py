"""The PDF reader: cells with their page and box, pages turned or cropped or wrapped in forms,
watermarks, numbers broken over two lines, pages without text, and the grid from rulings."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

import ogi
from ogi.errors import InputError
from ogi.readers import ParseOptions, read_document
from ogi.readers.pdf.grid import cell_text, find_grids
from ogi.readers.pdf.page import Char, Ruling
from ogi.readers.pdf.rulings import merge
from ogi.render.docx import render_docx
from ogi.render.synth import synth_report
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "2021_print.pdf"


def text_in_box(pdf: pdfium.PdfDocument, page: int, box: tuple[float, float, float, float]) -> str:
    """The text pdfium finds inside a box given from the page's top-left corner (unrotated pages)."""
    p = pdf[page - 1]
    left, _, _, top = p.get_cropbox()
    x0, y0, x1, y1 = box
    text = p.get_textpage().get_text_bounded(left + x0, top - y1, left + x1, top - y0)
    return "".join(text.split())


def assert_every_printed_cell_has_its_box(path: Path) -> None:
    """Every cell read from the page has its page and a box on it that holds its printed text."""
    data = path.read_bytes()
    report = ogi.parse_bytes(data, path.name)
    pdf = pdfium.PdfDocument(data)
    printed = {k: c for k, c in report.cells.items() if c.provenance is not None and c.provenance.raw is not None}
    assert len(printed) > 150
    for key, cell in printed.items():
        prov = cell.provenance
        assert prov is not None and prov.page is not None and prov.box is not None, key
        x0, y0, x1, y1 = prov.box
        width, height = pdf[prov.page - 1].get_size()
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height, (key, prov.box)
        assert "".join(prov.raw.split()) in text_in_box(pdf, prov.page, prov.box), (key, prov)
    summary = report.summary()
    assert set(summary["boxes"]) == set(printed)
    assert all(len(b["box"]) == 4 and b["page"] >= 1 for b in summary["boxes"].values())


def test_every_printed_cell_has_its_box() -> None:
    assert_every_printed_cell_has_its_box(EXAMPLE)  # the corpus PDFs: test_corpus.py


def _save(pdf: pdfium.PdfDocument) -> bytes:
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def _turned(data: bytes, rotation: int) -> bytes:
    """Each page drawn as a form XObject on a new page that ``/Rotate`` turns back upright, with a
    media box off the origin and a crop box inside it: a viewer shows the original page."""
    src, dst = pdfium.PdfDocument(data), pdfium.PdfDocument.new()
    dx, dy, margin = 37.0, -11.0, 20.0
    for i in range(len(src)):
        w, h = src[i].get_size()
        pw, ph = (h, w) if rotation in (90, 270) else (w, h)
        page = dst.new_page(pw + 2 * margin, ph + 2 * margin)
        obj = src.page_as_xobject(i, dst).as_pageobject()
        m = pdfium.PdfMatrix()
        if rotation == 90:
            m = m.rotate(90, ccw=True).translate(h, 0)
        elif rotation == 180:
            m = m.rotate(180).translate(w, h)
        elif rotation == 270:
            m = m.rotate(90).translate(0, w)
        obj.transform(m.translate(margin + dx, margin + dy))
        page.insert_obj(obj)
        page.gen_content()
        page.set_mediabox(dx, dy, pw + 2 * margin + dx, ph + 2 * margin + dy)
        page.set_cropbox(margin + dx, margin + dy, margin + dx + pw, margin + dy + ph)
        page.set_rotation(rotation)
    return _save(dst)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_turned_cropped_pages_in_forms_read_the_same(rotation: int) -> None:
    data = EXAMPLE.read_bytes()
    base, turned = ogi.parse_bytes(data, "a.pdf"), ogi.parse_bytes(_turned(data, rotation), "b.pdf")
    assert {k: (c.value, c.flag) for k, c in turned.cells.items()} == {
        k: (c.value, c.flag) for k, c in base.cells.items()
    }
    for key, cell in base.cells.items():
        if cell.provenance is None or cell.provenance.box is None:
            continue
        other = turned.cells[key].provenance
        assert other is not None and other.box is not None and other.page == cell.provenance.page
        # Rulings 3 points apart may snap together on one side of a rounding and not the other.
        assert max(abs(a - b) for a, b in zip(cell.provenance.box, other.box, strict=True)) < 3.1, key


def test_diagonal_watermark_is_ignored() -> None:
    data = EXAMPLE.read_bytes()
    pdf = pdfium.PdfDocument(data)
    text = "DRAFT 2024 COPY 17"
    for i in range(len(pdf)):
        page = pdf[i]
        obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", 40.0)
        pdfium_c.FPDFText_SetText(obj, (pdfium_c.FPDF_WCHAR * (len(text) + 1))(*map(ord, text), 0))
        pdfium_c.FPDFPageObj_Transform(obj, *pdfium.PdfMatrix().rotate(35, ccw=True).translate(120, 150).get())
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        page.gen_content()
    marked = _save(pdf)
    assert text in pdfium.PdfDocument(marked)[1].get_textpage().get_text_range()  # the mark is in the text layer
    base, report = ogi.parse_bytes(data, "a.pdf"), ogi.parse_bytes(marked, "b.pdf")
    assert {k: (c.value, c.flag) for k, c in report.cells.items()} == {
        k: (c.value, c.flag) for k, c in base.cells.items()
    }
    assert "DRAFT" not in read_document(marked, "b.pdf").plain_text()


def test_page_without_text_layer_is_noted() -> None:
    from PIL import Image

    pdf = pdfium.PdfDocument(EXAMPLE.read_bytes())
    buf = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buf, "PDF")
    pdf.import_pages(pdfium.PdfDocument(buf.getvalue()))
    doc = read_document(_save(pdf), "mixed.pdf", ParseOptions(ocr="never"))
    assert f"pages without a text layer (scanned?): {len(pdf)}" in doc.notes
    assert [len(t.rows[0]) for t in doc.tables] == [4, 10, 15]


def _stamped(pdf: pdfium.PdfDocument, text: str) -> None:
    """``text`` stamped at the foot of every page, as portals stamp 「第1页 共5页」 on a scan."""
    for i in range(len(pdf)):
        page = pdf[i]
        obj = pdfium_c.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", 9.0)
        pdfium_c.FPDFText_SetText(obj, (pdfium_c.FPDF_WCHAR * (len(text) + 1))(*map(ord, text), 0))
        pdfium_c.FPDFPageObj_Transform(obj, *pdfium.PdfMatrix().translate(40, 20).get())
        pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        page.gen_content()


def test_a_scan_with_a_stamped_page_number_is_a_scan() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(buf, "PDF", resolution=72)
    scan = pdfium.PdfDocument(buf.getvalue())
    _stamped(scan, "Page 1 of 5")
    with pytest.raises(InputError, match="scanned PDF without a text layer"):
        read_document(_save(scan), "scan.pdf", ParseOptions(ocr="never"))
    text = pdfium.PdfDocument.new()
    text.new_page(600, 800)
    _stamped(text, "Page 1 of 5")  # the same few characters with no picture under them: text
    doc = read_document(_save(text), "stamp.pdf", ParseOptions(ocr="never"))
    assert "Page 1 of 5" in doc.plain_text() and not any("text layer" in n for n in doc.notes)


def test_a_page_that_cannot_be_read_is_noted_and_skipped() -> None:
    data = EXAMPLE.read_bytes()
    second = [m.start() for m in re.finditer(rb"/Type\s*/Page\b", data)][1]
    broken = data[:second] + data[second:].replace(b"/Type/Page", b"/Type/Xage", 1)
    doc = read_document(broken, "broken.pdf")
    assert doc.notes == ["page 2 could not be read (Failed to load page.)"]  # and no table stitched over it
    report = ogi.parse_bytes(broken, "broken.pdf")
    assert "MISSING_TABLE" in {f.rule for f in report.findings}
    assert report.cells["active.rules.made"].value is not None  # page 1 still read


@pytest.mark.libreoffice
def test_number_broken_over_two_lines() -> None:
    from ogi.render.office import render_pdf

    rep = synth_report("2021", random.Random(4))
    # A six-digit count does not fit table 四's narrow cell: Writer prints "13000" and "0" below it.
    grow = 130000 - rep.cells["appeals.review.upheld"]
    rep.cells["appeals.review.upheld"] += grow
    rep.cells["appeals.review.total"] += grow
    kw = {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}
    data = render_pdf(render_docx("2021", rep.cells, **kw))
    pdf = pdfium.PdfDocument(data)
    assert any("\r\n13000\r\n0\r\n" in pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    report = ogi.parse_bytes(data, "r.pdf")
    assert {k: (report.cells[k].value, report.cells[k].flag) for k in rep.cells} == {
        k: (v, None) for k, v in rep.cells.items()
    }


# --- grid from rulings ------------------------------------------------------------------------


def test_rulings_snap_and_join() -> None:
    pieces = [Ruling(100.0, 0, 50), Ruling(101.5, 51, 120), Ruling(100.4, 200, 260), Ruling(140, 0, 2)]
    assert [(round(r.at, 1), r.start, r.end) for r in merge(pieces)] == [(100.6, 0, 120), (100.6, 200, 260)]


def test_grid_spans_from_missing_rulings_and_open_bottom_row() -> None:
    # Three columns; the top row's first two cells are one (no ruling between them); the
    # verticals run on 20 points below the last horizontal ruling (a page break cut it).
    h = [Ruling(0, 0, 90), Ruling(20, 0, 90), Ruling(40, 0, 90)]
    v = [Ruling(0, 0, 60), Ruling(30, 20, 60), Ruling(60, 0, 60), Ruling(90, 0, 60)]
    (grid,) = find_grids(h, v, page=1)
    table = grid.table
    assert table.xs == [0, 30, 60, 90] and table.n_rows == 3 and table.bbox == (0, 0, 90, 60)
    cells = [(p.row, p.col, p.rowspan, p.colspan, p.box) for p in table.cells]
    assert cells[:2] == [(0, 0, 1, 2, (0, 0, 60, 20)), (0, 2, 1, 1, (60, 0, 90, 20))]
    assert (2, 0, 1, 1, (0, 40, 30, 60)) in cells
    assert grid.locate(45, 10) == grid.locate(15, 10) == 0 and grid.locate(100, 10) is None


def test_a_ruled_box_of_one_column_is_no_table() -> None:
    h = [Ruling(0, 0, 300), Ruling(50, 0, 300)]
    v = [Ruling(0, 0, 50), Ruling(300, 0, 50)]
    assert find_grids(h, v, page=1) == []


def _chars(text: str, x: float, baseline: float, width: float = 6.7) -> list[Char]:
    return [Char(ch, x + i * width, x + (i + 1) * width, baseline) for i, ch in enumerate(text)]


def test_cell_text_lines_gaps_and_broken_numbers() -> None:
    words = _chars("行政", 10, 20, 10) + _chars("复议", 35, 20.8, 10) + _chars("总计", 10, 34, 10)
    assert cell_text(words, 100) == "行政 复议\n总计"
    broken = _chars("13", 92.2, 261.4) + _chars("0", 95.6, 273.7)
    assert cell_text(broken, 28.4) == "130"  # "130" did not fit: one number
    assert cell_text(broken, 60) == "13\n0"  # it would have fitted: two numbers
