"""Scanned PDFs and page images read by OCR: the same cells as the text PDF, or flagged.

The scans are made here (ogi.render.scan) from the shipped example PDF, whose every value is known
from its generator, a few pages only: OCR takes seconds a page (a real report scanned:
test_corpus.py). Skipped when the ocr extra is not installed.
"""

from __future__ import annotations

import io
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import ogi
from ogi.errors import InputError
from ogi.readers import ParseOptions, count_pages, read_document
from tests.conftest import EXAMPLES, load_script
from tests.truth import same

pytest.importorskip("rapidocr", reason="the ocr extra is not installed (pip install '.[ocr]')")
pytestmark = pytest.mark.ocr

from ogi.render.scan import Defects, scanned, to_image, to_pdf  # noqa: E402


def _subset(pdf_bytes: bytes, pages: list[int]) -> bytes:
    import pypdfium2 as pdfium

    src, out = pdfium.PdfDocument(pdf_bytes), pdfium.PdfDocument.new()
    out.import_pages(src, pages)
    from io import BytesIO

    buf = BytesIO()
    out.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def tables_pdf() -> bytes:
    """The first three pages of the shipped example PDF: its four tables, 三 across a page break."""
    return _subset((EXAMPLES / "2021_print.pdf").read_bytes(), [0, 1, 2])


@pytest.fixture(scope="module")
def truth() -> dict:
    """Every value the example prints, from its generator."""
    return {ex.name: ex for ex in load_script("make_examples").examples()}["2021_print.pdf"].report.cells


def _table_cells(report: ogi.Report) -> dict[str, object]:
    return {k: c.value for k, c in report.cells.items() if k.split(".")[0] in ("active", "requests", "appeals")}


def _silently_wrong(report: ogi.Report, truth: dict, keys: list[str]) -> list[str]:
    """Cells shown as read whose value is not the truth; an uncertain cell counts when none of its
    readings is the truth. A cell flagged blank or unreadable (OCR read nothing) is not silent."""
    got = report.summary()
    out = []
    for key in keys:
        value, flag = got["cells"][key], got["flags"].get(key)
        readings = [value, *got["alternatives"].get(key, [])]
        if same(value, truth[key]) or (flag and flag != "uncertain"):
            continue
        if flag == "uncertain" and any(same(r, truth[key]) for r in readings):
            continue
        out.append(f"{key}: truth {truth[key]}, got {value} ({flag})")
    return out


def test_scanned_pdf_reads_the_same_cells_as_the_text_pdf(tables_pdf: bytes, truth: dict) -> None:
    as_text = ogi.parse_bytes(tables_pdf, "tables.pdf")
    scan = to_pdf(scanned(tables_pdf, 200), 200)
    as_scan = ogi.parse_bytes(scan, "scan.pdf")
    assert as_scan.meta["ocr_pages"] == "1,2,3"
    assert _table_cells(as_scan) == _table_cells(as_text)
    printed = [k for k, c in as_text.cells.items() if c.value is not None and not c.flag and k in truth]
    assert len(printed) > 150
    assert _silently_wrong(as_scan, truth, printed) == []
    # Every OCR cell says where it is on its page (PDF points) and how sure the recogniser was.
    cell = as_scan.cells["requests.new.total"]
    assert cell.provenance is not None and cell.provenance.page == 2
    x0, y0, x1, y1 = cell.provenance.box  # type: ignore[misc]
    assert 0 < x0 < x1 < 595 and 0 < y0 < y1 < 842
    assert cell.provenance.confidence is not None and 0.5 < cell.provenance.confidence <= 1


def test_a_noisy_scan_is_not_drowned_in_readings(tables_pdf: bytes, truth: dict) -> None:
    """A little noise and JPEG make the recogniser less than sure of many 0s. Offering every one its
    look-alikes (6, 8, 9) outgrew the solver's budget and left 52 cells of the three pages
    uncertain (SOLVER_LIMIT); the identities settle them when only real doubt is offered."""
    scan = to_pdf(scanned(tables_pdf, 200, Defects(noise=4, jpeg=80)), 200)
    report = ogi.parse_bytes(scan, "noisy.pdf")
    printed = [k for k in truth if truth[k] is not None and k in report.cells]
    assert _silently_wrong(report, truth, printed) == []
    assert "SOLVER_LIMIT" not in {f.rule for f in report.findings}
    assert sum(c.flag == "uncertain" for c in report.cells.values()) <= 5


def test_mixed_pdf_keeps_its_text_pages_as_text(tables_pdf: bytes) -> None:
    """Only the page without a text layer goes through OCR; ``never`` keeps the refusal."""
    import pypdfium2 as pdfium

    scan = to_pdf(scanned(_subset(tables_pdf, [1]), 200), 200)
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(tables_pdf), [0])
    mixed.import_pages(pdfium.PdfDocument(scan), [0])
    mixed.import_pages(pdfium.PdfDocument(tables_pdf), [2])
    from io import BytesIO

    buf = BytesIO()
    mixed.save(buf)
    report = ogi.parse_bytes(buf.getvalue(), "mixed.pdf")
    notes = report.meta["reader_notes"]
    assert report.meta["ocr_pages"] == "2"
    assert any("page 2: read by OCR" in n for n in notes)
    assert not any(f"page {n}: read by OCR" in note for n in (1, 3) for note in notes)
    assert _table_cells(report) == _table_cells(ogi.parse_bytes(tables_pdf, "tables.pdf"))
    with pytest.raises(InputError, match="OCR is turned off"):
        read_document(scan, "scan.pdf", ParseOptions(ocr="never"))


def test_phone_photo_of_a_page_reads_or_flags_every_cell(tables_pdf: bytes, truth: dict) -> None:
    """Table 三 photographed: on its side, skewed, unevenly lit, blurred, a seal over the header,
    JPEG. Every cell the page prints is read exactly or flagged, never silently wrong."""
    page = _subset(tables_pdf, [1])
    photo = scanned(page, 200, Defects(noise=6, blur=0.8, jpeg=70, skew=2.5, light=0.45, seal=True), seed=3)[0]
    import numpy as np

    image = to_image([np.rot90(photo).copy()], 200, "JPEG")
    report = ogi.parse_bytes(image, "photo.jpg")
    notes = " ".join(report.meta["reader_notes"])
    assert "turned" in notes and "straightened" in notes
    as_text = ogi.parse_bytes(page, "page.pdf")
    on_page = [k for k, c in as_text.cells.items() if k.startswith("requests.") and c.value is not None and not c.flag]
    assert len(on_page) > 60
    assert _silently_wrong(report, truth, on_page) == []
    assert report.format == "image"
    box = report.cells[on_page[0]].provenance.box  # type: ignore[union-attr]
    assert box is not None and max(box) <= max(photo.shape)  # pixels of the image as given


def test_models_load_without_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PP-OCR models are files of the rapidocr wheel: loading them opens no connection."""
    from ogi.readers.ocr import engine

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("OCR tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    session = engine.Session(1)
    assert session.recognize([]) == []


def test_images_are_refused_clearly_without_ocr(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tables_pdf: bytes
) -> None:
    image = to_image([scanned(_subset(tables_pdf, [0]), 72)[0]], 72, "PNG")
    with pytest.raises(InputError, match="--ocr never"):
        read_document(image, "page.png", ParseOptions(ocr="never"))
    from ogi.readers import ocr

    monkeypatch.setattr(ocr, "missing", lambda: ["rapidocr"])
    with pytest.raises(InputError, match=r"pip install 'ogi\[ocr\]'"):
        read_document(image, "page.png")
    path = tmp_path / "page.png"
    path.write_bytes(image)
    out = subprocess.run(
        [sys.executable, "-m", "ogi", "parse", "--ocr", "never", str(path)], capture_output=True, text=True
    )
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "OCR" in out.stderr


def test_pages_are_counted_for_progress(tables_pdf: bytes) -> None:
    pages = scanned(_subset(tables_pdf, [0, 1]), 72)
    assert count_pages(tables_pdf) == 3
    assert count_pages(to_image(pages, 72, "TIFF")) == 2
    assert count_pages(b"plain text") == 1


def test_ingest_passes_the_ocr_option(tmp_path: Path, tables_pdf: bytes) -> None:
    from ogi.batch import ingest

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(to_pdf(scanned(_subset(tables_pdf, [2]), 72), 72))
    result = ingest([scan], tmp_path / "x.duckdb", workers=1, progress=False, options=ParseOptions(ocr="never"))
    assert result.added == 0 and "OCR is turned off" in result.failed[0][1]


def test_ray_workers_pass_the_ocr_option_and_count_pages(tmp_path: Path, tables_pdf: bytes) -> None:
    """The Ray task function (plain Python here, no Ray) reads as the options say and reports the
    pages for the driver's bar."""
    from ogi.batch.limits import Limits
    from ogi.batch.worker import Batch, Hashes, run_batch

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(to_pdf(scanned(_subset(tables_pdf, [0, 2]), 72), 72))
    batch = Batch("p0", ((str(scan), scan.stat().st_size),))
    (result,) = run_batch(batch, Hashes(), None, Limits(), ParseOptions(ocr="never"))
    assert result.status == "failed" and "OCR is turned off" in (result.error or "") and result.pages == 2


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="ocr must be one of"):
        ParseOptions(ocr="sometimes")  # type: ignore[arg-type]


def test_image_pages_come_as_printed_on_white() -> None:
    """Transparent pixels hide a colour (often black) that a plain RGB conversion shows; 16-bit grey
    converted plainly clips to white. Both would read as a page with nothing on it."""
    from PIL import Image, ImageDraw

    from ogi.readers.image import frames

    clear = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    ImageDraw.Draw(clear).rectangle((50, 50, 150, 100), fill=(0, 0, 0, 255))
    grey = Image.new("I;16", (300, 200), 40000)
    pages = []
    for image in (clear, grey):
        buf = io.BytesIO()
        image.save(buf, "PNG")
        pages.append(next(frames(buf.getvalue(), "p.png"))[0])
    assert [p.mode for p in pages] == ["RGB", "RGB"]
    assert pages[0].getpixel((10, 10)) == (255, 255, 255) and pages[0].getpixel((60, 60)) == (0, 0, 0)
    assert pages[1].getpixel((10, 10)) == (156, 156, 156)


def test_a_later_tiff_page_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    from ogi.readers import image as reader

    buf = io.BytesIO()
    small, large = Image.new("L", (100, 100), 255), Image.new("L", (400, 400), 255)
    small.save(buf, "TIFF", save_all=True, append_images=[large])
    monkeypatch.setattr(reader, "MAX_PIXELS", 100 * 100)
    with pytest.raises(InputError, match="too large"):
        list(reader.frames(buf.getvalue(), "two.tif"))
