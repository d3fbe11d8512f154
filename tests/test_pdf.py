"""The PDF reader: every table cell carries its page and its box, and the box holds the printed text."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

import ogi
from tests.conftest import CORPUS, ROOT, need


def _text_in_box(pdf: pdfium.PdfDocument, page: int, box: tuple[float, float, float, float]) -> str:
    """The text pdfium finds inside a box given from the page's top-left corner (unrotated pages)."""
    p = pdf[page - 1]
    left, _, _, top = p.get_cropbox()
    x0, y0, x1, y1 = box
    text = p.get_textpage().get_text_bounded(left + x0, top - y1, left + x1, top - y0)
    return "".join(text.split())


@pytest.mark.parametrize(
    "path",
    [CORPUS / "001_huaian_szf_2024.pdf", CORPUS / "002_hongze_qzf_2023.pdf", ROOT / "examples" / "2021_print.pdf"],
    ids=lambda p: p.name,
)
def test_every_printed_cell_has_its_box(path: Path) -> None:
    data = need(path).read_bytes()
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
        assert "".join(prov.raw.split()) in _text_in_box(pdf, prov.page, prov.box), (key, prov)
    summary = report.summary()
    assert set(summary["boxes"]) == set(printed)
    assert all(len(b["box"]) == 4 and b["page"] >= 1 for b in summary["boxes"].values())
