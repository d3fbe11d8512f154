"""Readers: renditions of synthetic reports and the shipped examples read back grid by grid, markup
details, and unreadable input. (The real corpus files are read in test_corpus.py.)"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest

import ogi
from ogi.errors import InputError
from ogi.readers import ParseOptions, read_document
from ogi.readers import docx as docx_reader
from ogi.readers import html as html_reader
from ogi.readers._util import is_page_number
from ogi.readers.doc import convert_many
from ogi.render.docx import render_docx
from ogi.render.html import render_html
from ogi.render.layout import date_text
from ogi.render.synth import SynthReport, synth_report
from tests.conftest import CORPUS, example, need
from tests.grids import check_grids, find_table

# --- renditions ------------------------------------------------------------------------------


def _report(template_id: str, seed: int = 7) -> SynthReport:
    return synth_report(template_id, random.Random(seed))


def _kwargs(r: SynthReport) -> dict:
    return {"agency": r.agency, "year": r.year, "published": r.published, "sections": r.sections}


@pytest.mark.parametrize("template_id", ["2019", "2021"])
@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_rendition_round_trip(template_id: str, fmt: str) -> None:
    r = _report(template_id)
    if fmt == "html":
        data = render_html(r.template, r.cells, **_kwargs(r)).encode("utf-8")
    else:
        data = render_docx(r.template, r.cells, **_kwargs(r))
    doc = read_document(data, f"report.{fmt}")
    assert doc.format == fmt
    # The official layout signs off with the agency and the date, as the last two paragraphs.
    assert [b.text for b in doc.blocks[-2:]] == [r.agency, date_text(r.published)]
    check_grids(doc, template_id, r.cells)
    note = find_table(doc, 10).rows
    assert {note[i][j].origin for i in range(3) for j in range(3)} == {None, (0, 0)}  # the 3×3 note cell


@pytest.mark.libreoffice
@pytest.mark.parametrize("template_id", ["2019", "2021"])
def test_rendition_pdf_and_doc(template_id: str) -> None:
    from ogi.render.office import render_doc, render_pdf

    r = _report(template_id, seed=11)
    html = render_html(r.template, r.cells, **_kwargs(r)).encode("utf-8")
    docx = render_docx(r.template, r.cells, **_kwargs(r))
    renditions = (("html.pdf", render_pdf(html)), ("docx.pdf", render_pdf(docx)), ("report.doc", render_doc(docx)))
    for name, data in renditions:
        doc = read_document(data, name)
        assert doc.format == name.rsplit(".", 1)[1]
        check_grids(doc, template_id, r.cells)


@pytest.mark.libreoffice
def test_convert_many(tmp_path: Path) -> None:
    from ogi.render.office import render_doc

    paths = []
    for i, tid in enumerate(["2019", "2021"]):
        (tmp_path / str(i)).mkdir()
        path = tmp_path / str(i) / "report.doc"  # same names: outputs must not collide
        r = _report(tid)
        path.write_bytes(render_doc(render_docx(r.template, r.cells, **_kwargs(r))))
        paths.append(path)
    (tmp_path / "bad.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    out = convert_many([*paths, tmp_path / "bad.doc"])
    assert out[tmp_path / "bad.doc"] is None
    docs = [docx_reader.read(out[p] or b"", p.name) for p in paths]
    assert [len(d.tables[0].rows) for d in docs] == [18, 14]


# --- markup details --------------------------------------------------------------------------


def test_html_gbk_and_split_numbers() -> None:
    page = (
        '<html><head><meta charset="gbk"><title>年度报告</title></head><body><p>发布时间：2024年3月8日</p>'
        "<table><tr><td>规章</td><td><span>20</span><span>23</span></td><td>&nbsp;</td></tr>"
        '<tr><td colspan="2">合计</td><td>1</td></tr></table><script>var x="不要";</script></body></html>'
    )
    doc = read_document(page.encode("gbk"), "page.html")
    assert doc.notes == ["decoded as gb18030"] and doc.meta == {"title": "年度报告", "published": "2024年3月8日"}
    (table,) = doc.tables
    assert [c.text for c in table.rows[0]] == ["规章", "2023", ""]
    assert [(c.text, c.origin) for c in table.rows[1]] == [("合计", None), ("合计", (1, 0)), ("1", None)]
    assert "不要" not in doc.plain_text()


def test_html_layout_tables_flattened() -> None:
    page = (
        "<table><tr><td><table><tr><td>一、总体情况</td></tr></table>"
        "<table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table></td></tr></table>"
    )
    doc = html_reader.read(page.encode(), "x.html")
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table"]


def test_docx_grid_before_and_vmerge() -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    for r in range(3):
        for c in range(3):
            t.cell(r, c).text = f"{r}{c}"
    t.cell(0, 2).merge(t.cell(1, 2)).text = "v"
    tr = t.rows[2]._tr
    tr.remove(tr.tc_lst[0])
    tr.get_or_add_trPr().append(tr.makeelement(docx_reader.W + "gridBefore", {docx_reader.W + "val": "1"}))
    buf = BytesIO()
    d.save(buf)
    (table,) = docx_reader.read(buf.getvalue(), "x.docx").tables
    assert [[c.text for c in row] for row in table.rows] == [["00", "01", "v"], ["10", "11", "v"], ["", "21", "22"]]
    assert table.rows[1][2].origin == (0, 2) and table.rows[2][0].origin is None


def test_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    from ogi.readers import doc as doc_reader

    monkeypatch.setattr(doc_reader, "soffice_path", lambda: None)
    with pytest.raises(InputError, match="apt-get install libreoffice-writer-nogui"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.doc")


def test_page_number_patterns() -> None:
    assert all(is_page_number(s) for s in ["-3-", "— 5 —", "－ 12 －", "第3页", "第 3 页 共 6 页", "3/6"])
    assert not any(is_page_number(s) for s in ["3", "2023", "-5", "第三项", "（一）"])


# --- unreadable input ------------------------------------------------------------------------


def _encrypted_pdf() -> bytes:
    """A minimal PDF with a standard security handler whose empty user password does not open it."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + b"ab" * 32 + b"> /U <" + b"cd" * 32 + b"> /P -4 >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s><%s>] >>\n" % (
        len(objs) + 1,
        b"0" * 32,
        b"0" * 32,
    )
    return out + b"startxref\n%d\n%%%%EOF\n" % xref


def _scanned_pdf() -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(example("2021_print.pdf").read_bytes())
    image = pdf[0].render(scale=0.5).to_pil().convert("RGB")
    buf = BytesIO()
    image.save(buf, "PDF")
    return buf.getvalue()


def _bad_docx() -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document><not xml")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("locked.pdf", _encrypted_pdf, "encrypted"),
        ("half.pdf", lambda: (b := example("2021_print.pdf").read_bytes())[: len(b) // 2], "truncated"),
        ("scan.pdf", _scanned_pdf, "OCR is turned off"),
        ("garbage.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 20, "PDF"),
        ("garbage.docx", lambda: bytes(range(256)) * 20, "not a DOCX"),
        ("broken.docx", _bad_docx, "Word document"),
        ("empty.html", lambda: b"", "empty"),
        ("blank.html", lambda: b"<html><body> </body></html>", "no text"),
    ],
)
def test_unreadable_input(name: str, make: Callable[[], bytes], reason: str) -> None:
    with pytest.raises(InputError) as err:
        read_document(make(), name, ParseOptions(ocr="never"))
    assert reason in err.value.reason and "\n" not in str(err.value)
    assert err.value.file == name


def test_a_portal_footer_is_not_part_of_the_last_section() -> None:
    """The report in the portal's article box, the footer's links and notices after it: section 六
    ends with the box. A signature inside the box is still the signature."""
    rep = synth_report("2021", random.Random(3))
    kw = {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}
    page = render_html(rep.template, rep.cells, **kw)
    article = page.split("<body>", 1)[1].split("</body>", 1)[0]
    footer = (
        '<div class="attachment"><p>附件下载</p></div><div class="qr"><p>扫一扫在手机上查看当前页面</p></div>'
        '<div class="links"><p>友情链接</p><ul><li><a href="#">人民网</a></li>'
        '<li><a href="#">新华网</a></li></ul></div>'
        '<div class="foot"><p>主办单位：某某市人民政府办公室 网站标识码：3590000001</p>'
        "<p>为确保最佳浏览效果，建议您使用以下浏览器版本：IE浏览器9.0版本及以上。</p></div>"
    )
    portal = (
        '<html><body><div class="header"><a href="#">首页</a></div>'
        f'<div class="main"><div class="content">{article}</div>{footer}</div></body></html>'
    )
    report = ogi.parse_bytes(portal.encode(), "page.html")
    assert report.sections["other"].text == rep.sections["other"]
    assert report.values() == rep.cells


def test_the_last_section_of_the_real_portal_page_ends_with_the_report() -> None:
    path = need(CORPUS / "012_pingtan_2024.html")
    assert ogi.parse(path).sections["other"].text == "2024年，无收取信息处理费情况。"
