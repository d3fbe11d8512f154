"""A scanned report that ``ogi collect`` kept (an article of page images) is ingested as one report:
its images put together in the article's order, read by OCR, the article page its source. Two
pages at 150 dpi: OCR takes seconds a page."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import Path

import pytest

from ogi.collect.ingest import ingest_collected
from ogi.collect.manifest import EntryRecord, FileRecord, Manifest
from ogi.store.db import Store
from ogi.store.sources import sources_of_report
from tests.web_helpers import EXAMPLES

pytest.importorskip("rapidocr", reason="the ocr extra is not installed (pip install '.[ocr]')")
pytestmark = pytest.mark.ocr

from ogi.render.scan import scanned, to_image  # noqa: E402

PAGE = "https://gov.example.cn/art/2024/t20240301_1.html"
FOLDER = "gov.example.cn/2024/t20240301_1-abcdef"


def _collection(out: Path) -> None:
    """A collection folder as the collector leaves a scanned report: the article page (not the
    report) and its images, listed in the article's order."""
    import pypdfium2 as pdfium

    src, two = pdfium.PdfDocument((EXAMPLES / "2021_print.pdf").read_bytes()), pdfium.PdfDocument.new()
    two.import_pages(src, [1, 2])  # table 三, and 四 on the next page
    buf = BytesIO()
    two.save(buf)
    manifest = Manifest.open(out)
    files = []
    for n, page in enumerate(scanned(buf.getvalue(), 150), start=1):
        data = to_image([page], 150, "JPEG")
        path = f"{FOLDER}/{n}.jpg"
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)
        sha = hashlib.sha256(data).hexdigest()
        manifest.add(FileRecord(f"https://gov.example.cn/art/2024/img{n}.jpg", "attachment", report=True, entry=PAGE,
                                title="2023年政府信息公开工作年度报告", year=2024, sha256=sha, format="image",
                                path=path))  # fmt: skip
        files.append(path)
    manifest.add(EntryRecord(PAGE, "https://gov.example.cn/art/", "2023年政府信息公开工作年度报告", "2024-03-01",
                             2024, "done", files=files))  # fmt: skip


def test_a_scanned_article_is_one_report_read_by_ocr(tmp_path: Path) -> None:
    out, db = tmp_path / "out", tmp_path / "c.duckdb"
    _collection(out)
    done = ingest_collected(out, db, workers=1, progress=False)
    assert (done.ingest.added, done.ingest.failed, done.not_readable) == (1, [], 0)
    scan = out / FOLDER / "scan.tif"
    assert scan.exists()
    with Store.open(db, read_only=True) as store:
        (rid, fmt, path) = store.con.execute("SELECT id, format, path FROM reports").fetchone()
        assert fmt == "image" and path == str(scan.resolve())
        assert [s.url for s in sources_of_report(store, rid)] == [PAGE]
        (requests, appeals) = store.con.execute(
            "SELECT count(*) FILTER (WHERE key LIKE 'requests.%'), count(*) FILTER (WHERE key LIKE 'appeals.%') "
            "FROM cells WHERE report_id = ? AND value IS NOT NULL", [rid]).fetchone()  # fmt: skip
        assert requests > 100 and appeals > 10  # both pages, in order, in one report
    again = ingest_collected(out, db, workers=1, progress=False)
    assert (again.ingest.added, again.ingest.unchanged, again.sources) == (0, 1, 0)


def test_scans_are_kept_unread_without_ocr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ogi.readers import ocr

    monkeypatch.setattr(ocr, "missing", lambda: ["rapidocr"])
    out = tmp_path / "out"
    _collection(out)
    done = ingest_collected(out, tmp_path / "c.duckdb", workers=1, progress=False)
    assert (done.ingest.added, done.ingest.failed, done.not_readable) == (0, [], 2)


def test_an_article_whose_image_is_an_error_page_is_counted_not_readable(tmp_path: Path) -> None:
    from ogi.collect.ingest import report_files

    out = tmp_path / "out"
    _collection(out)
    (out / FOLDER / "2.jpg").write_bytes(b"<html><body>404 Not Found</body></html>")  # a portal's error page
    records, not_readable = report_files(out)
    assert (records, not_readable) == ([], 2)  # the article's two images: kept, not read, the run goes on
    assert not (out / FOLDER / "scan.tif").exists()
