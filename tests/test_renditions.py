"""Generated reports of both templates rendered as HTML (official merged cells), DOCX (real
merged cells), PDF and DOC (through LibreOffice) parse exactly: every cell, no flag."""

from __future__ import annotations

import random

import pytest

import ogi
from ogi.render.docx import render_docx
from ogi.render.html import render_html
from ogi.render.synth import SynthReport, synth_report


def _kw(rep: SynthReport) -> dict:
    return {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}


def _assert_exact(rep: SynthReport, data: bytes, name: str) -> None:
    report = ogi.parse_bytes(data, name)
    assert (report.template, report.year, report.agency, report.published) == (
        rep.template,
        rep.year,
        rep.agency,
        rep.published,
    )
    got = {k: (report.cells[k].value, report.cells[k].flag) for k in rep.cells}
    assert got == {k: (v, None) for k, v in rep.cells.items()}
    assert not [f for f in report.findings if f.severity == "error"]


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(4))
def test_html_rendition(template: str, seed: int) -> None:
    rep = synth_report(template, random.Random(seed))
    _assert_exact(rep, render_html(template, rep.cells, **_kw(rep)).encode("utf-8"), "r.html")


@pytest.mark.parametrize("template", ["2019", "2021"])
@pytest.mark.parametrize("seed", range(4))
def test_docx_rendition(template: str, seed: int) -> None:
    rep = synth_report(template, random.Random(seed))
    _assert_exact(rep, render_docx(template, rep.cells, **_kw(rep)), "r.docx")


def test_html_in_gbk_with_misleading_extension() -> None:
    rep = synth_report("2021", random.Random(11))
    page = render_html("2021", rep.cells, **_kw(rep)).replace('charset="utf-8"', 'charset="gbk"')
    _assert_exact(rep, page.encode("gb18030"), "r.doc")  # portals serve HTML named .doc


@pytest.mark.libreoffice
@pytest.mark.parametrize("template", ["2019", "2021"])
def test_pdf_and_doc_renditions(template: str) -> None:
    from ogi.render.office import render_doc, render_pdf

    rep = synth_report(template, random.Random(5))
    docx_bytes = render_docx(template, rep.cells, **_kw(rep))
    _assert_exact(rep, render_pdf(docx_bytes), "r.pdf")
    _assert_exact(rep, render_doc(docx_bytes), "r.doc")
