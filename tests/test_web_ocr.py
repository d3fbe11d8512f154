"""The web app takes scans and images: an uploaded page image is read by OCR in the parsing
processes, its cells carry their boxes in the image's pixels, and the report page shows the image
itself as the page picture with the cell's box over it. One page, at 150 dpi: OCR takes seconds."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

from tests.web_helpers import EXAMPLES, files, upload, web_client

pytest.importorskip("rapidocr", reason="the ocr extra is not installed (pip install '.[ocr]')")
pytestmark = pytest.mark.ocr

from ogi.render.scan import scanned, to_image, to_pdf  # noqa: E402
from ogi.web.jobs import PAGE_WIDTH_PX  # noqa: E402


def _page(n: int) -> bytes:
    """Page ``n`` (0-based) of the example print PDF: table 三 is on page 2."""
    import pypdfium2 as pdfium

    src, out = pdfium.PdfDocument((EXAMPLES / "2021_print.pdf").read_bytes()), pdfium.PdfDocument.new()
    out.import_pages(src, [n])
    buf = BytesIO()
    out.save(buf)
    return buf.getvalue()


def test_an_uploaded_image_is_read_and_shown_with_its_boxes(tmp_path: Path) -> None:
    from PIL import Image

    png = to_image(scanned(_page(1), 150), 150, "PNG")
    width = Image.open(BytesIO(png)).width
    with web_client(tmp_path / "ocr.duckdb") as c:
        (result,) = upload(c, ("table3.png", png))
        assert result["status"] == "ok", result
        rid = result["id"]
        body = c.get(f"/api/reports/{rid}").json()
        assert body["cells"]["requests.new.total"] is not None
        where = body["boxes"]["requests.new.total"]
        x0, y0, x1, y1 = where["box"]
        assert where["page"] == 1 and 0 < x0 < x1 <= width and 0 < y0 < y1  # pixels of the image
        assert 0.5 < where["confidence"] <= 1
        panel = c.get(f"/reports/{rid}/cells/requests.new.total", headers={"hx-request": "true"}).text
        assert f'<rect class="cell-box" x="{x0}" y="{y0}"' in panel  # in the image's pixels, as the picture
        assert f'href="/reports/{rid}/pages/1.png"' in panel
        picture = c.get(f"/reports/{rid}/pages/1.png")
        assert picture.headers["content-type"] == "image/png"
        shown = Image.open(BytesIO(picture.content))
        assert shown.width == min(width, PAGE_WIDTH_PX)  # the image itself, scaled down when wider
        assert c.get(f"/reports/{rid}/pages/2.png").status_code == 404


def test_the_parse_api_reads_a_scanned_pdf(tmp_path: Path) -> None:
    scan = to_pdf(scanned(_page(1), 150), 150)
    with web_client(tmp_path / "ocr.duckdb") as c:
        r = c.post("/api/parse", files=files(("scan.pdf", scan)))
        assert r.status_code == 200, r.text
        (item,) = r.json()
        assert item["cells"]["requests.new.total"] is not None
        assert item["meta"]["ocr_pages"] == "1"
