"""The text real converters make of real reports: pdftotext, pdfminer, pdfplumber and pdfium for the
PDFs, pandoc, lynx and w3m for the web pages. Every cell is exact or flagged — never a wrong value
shown as read — and agency, year and date are right, flagged or not given.

Each converter runs on the fly on ../shared/corpus and examples/; a command-line tool that is not
installed skips its cases, naming the package. A converter's output that once gave wrong values
unflagged is kept as an excerpt under tests/fixtures/converters/, so that shape is tested anywhere.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pdfminer.high_level
import pdfplumber
import pypdfium2 as pdfium
import pytest

import ogi
from ogi.extract.metadata import read_metadata
from ogi.extract.readings import row_values
from ogi.extract.segment import Sum
from ogi.extract.stream import Piece, Segment
from ogi.model import Where
from ogi.readers import read_document
from tests.conftest import CORPUS, EXAMPLES, TRUTH, load_script

FIXTURES = Path(__file__).parent / "fixtures" / "converters"
META_FLAGS = (
    {"AGENCY_CORRECTED", "AGENCY_UNCERTAIN", "MISSING_AGENCY"},
    {"MISSING_YEAR"},
    {"PUBLISHED_CHOICE", "PUBLISHED_STAMP"},
)


def _run(*args: str) -> Callable[[Path], str]:
    def convert(path: Path) -> str:
        if shutil.which(args[0]) is None:
            pytest.skip(f"{args[0]} is not installed (apt-get install {APT[args[0]]})")
        cmd = [a.replace("{}", str(path)) for a in args]
        return subprocess.run(cmd, capture_output=True, check=True, timeout=120).stdout.decode("utf-8")

    return convert


APT = {"pdftotext": "poppler-utils", "pandoc": "pandoc", "lynx": "lynx", "w3m": "w3m"}


def _plumber(layout: bool) -> Callable[[Path], str]:
    def convert(path: Path) -> str:
        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text(layout=layout) or "" for page in pdf.pages)

    return convert


def _pdfium(path: Path) -> str:
    pdf = pdfium.PdfDocument(path)
    return "\n".join(page.get_textpage().get_text_range() for page in pdf)


PDF_CONVERTERS: dict[str, Callable[[Path], str]] = {
    "pdftotext": _run("pdftotext", "-enc", "UTF-8", "{}", "-"),
    "pdftotext-layout": _run("pdftotext", "-enc", "UTF-8", "-layout", "{}", "-"),
    "pdftotext-raw": _run("pdftotext", "-enc", "UTF-8", "-raw", "{}", "-"),
    "pdfminer": lambda path: pdfminer.high_level.extract_text(path),
    "pdfplumber": _plumber(False),
    "pdfplumber-layout": _plumber(True),
    "pdfium": _pdfium,
}
HTML_CONVERTERS: dict[str, Callable[[Path], str]] = {
    "pandoc-gfm.md": _run("pandoc", "-f", "html", "-t", "gfm", "{}"),
    "pandoc-plain": _run("pandoc", "-f", "html", "-t", "plain", "{}"),
    "lynx": _run("lynx", "-dump", "-nolist", "-assume_charset=utf-8", "-display_charset=utf-8", "{}"),
    "w3m": _run("w3m", "-dump", "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8", "{}"),
}
CORPUS_DOCUMENTS = [
    "001_huaian_szf_2024.pdf",
    "002_hongze_qzf_2023.pdf",
    "011_shanghai_szfbgt_2019.html",
    "012_pingtan_2024.html",
    "014_pingtan_2023.html",
]
EXAMPLE_DOCUMENTS = ["2021_print.pdf", "2021_page.html"]


def _truth(name: str) -> tuple[Path, dict[str, object], tuple[object, object, object]]:
    """The document, its cells and its (agency, year, published)."""
    if name in EXAMPLE_DOCUMENTS:
        rep = next(ex.report for ex in load_script("make_examples").examples() if ex.name == name)
        return EXAMPLES / name, dict(rep.cells), (rep.agency, rep.year, rep.published)
    truth_file = TRUTH / f"{Path(name).stem}.json"
    if not truth_file.exists():
        pytest.skip(f"{truth_file} is absent: the real reports (../shared beside the project) are not here")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    published = date.fromisoformat(truth["published"]) if truth["published"] else None
    return CORPUS / name, truth["cells"], (truth["agency"], truth["year"], published)


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(str(a)) == Decimal(str(b))


def silently_wrong(report: ogi.Report, cells: dict[str, object], meta: tuple[object, object, object]) -> list[str]:
    """Cells shown as read (no flag, or printed blank or n/a) that are not the truth, and agency,
    year or date given wrong without a finding that says so."""
    out = []
    for key, expected in cells.items():
        cell = report.cells.get(key)
        if cell is not None and cell.flag not in (None, "blank", "na"):
            continue
        value = cell.value if cell is not None else None
        if not _same(value, expected):
            out.append(f"{key}: truth {expected!r}, shown {value!r} ({cell.flag if cell else 'absent'})")
    rules = {f.rule for f in report.findings}
    got = (report.agency, report.year, report.published)
    for field, g, m, flags in zip(("agency", "year", "published"), got, meta, META_FLAGS, strict=True):
        if g is not None and g != m and not rules & flags:
            out.append(f"{field}: truth {m!r}, shown {g!r}")
    return out


CASES = [
    (doc, tool)
    for docs, converters in (
        ([d for d in (*CORPUS_DOCUMENTS, *EXAMPLE_DOCUMENTS) if d.endswith(".pdf")], PDF_CONVERTERS),
        ([d for d in (*CORPUS_DOCUMENTS, *EXAMPLE_DOCUMENTS) if d.endswith(".html")], HTML_CONVERTERS),
    )
    for doc in docs
    for tool in converters
]


@pytest.mark.parametrize(("doc", "tool"), CASES)
def test_converted_text_is_exact_or_flagged(doc: str, tool: str) -> None:
    path, cells, meta = _truth(doc)
    text = {**PDF_CONVERTERS, **HTML_CONVERTERS}[tool](path)
    suffix = ".md" if tool.endswith(".md") else ".txt"
    try:
        report = ogi.parse_bytes(text.encode("utf-8"), f"{Path(doc).stem}__{tool}{suffix}")
    except ogi.errors.InputError:
        return  # not read as a report at all: said so, nothing shown
    assert silently_wrong(report, cells, meta) == []


# --- the shapes that once came out wrong unflagged ----------------------------------------------

# 上海市人民政府办公厅 2019 (shared/corpus/011), its web page through `pandoc -t plain`: blank cells
# become spaces, so 1.本机关不掌握相关政府信息 prints 252 12 1 for seven columns and 行政复议、行政诉讼
# prints 5 2 7 8 1 9 for fifteen. Read off the page (truth/011):
NOT_HELD = {"natural": 252, "commercial": 12, "research": None, "nonprofit": None, "legal": 1, "other_org": None}
REVIEW = {"upheld": 5, "corrected": None, "other": None, "pending": 2, "total": 7}


def test_pandoc_plain_rows_with_dropped_blanks_are_never_settled_by_position() -> None:
    """Splitting 252 into 2 5 2 made six values for six columns, and only the first fifty of the
    5,005 places of six values among fifteen cells were tried, all starting 5 2 7 8: both were
    shown as read. Now the numbers printed apart are read whole too, and the places kept cover
    every place a value can take: the cells are uncertain, the page's values among their readings."""
    report = ogi.parse_bytes((FIXTURES / "011_pandoc_plain_tables.txt").read_bytes(), "011__pandoc-plain.txt")
    expected = {f"requests.unable.not_held.{c}": v for c, v in NOT_HELD.items()}
    expected |= {f"appeals.review.{p}": v for p, v in REVIEW.items()}
    for key, value in expected.items():
        cell = report.cells[key]
        assert cell.flag == "uncertain", (key, cell)
        assert value in [cell.value, *cell.alternatives], (key, cell)


def _pieces(text: str) -> list[Piece]:
    wheres = [Where(line=i + 1) for i in range(len(text.split()))]
    return [Piece(v, False, w, Segment(0, len(v), False, w)) for v, w in zip(text.split(), wheres, strict=True)]


def test_a_short_row_of_fifteen_cells_keeps_every_place_of_each_value() -> None:
    """lynx -dump prints table 四's values one a line, the blank cells gone."""
    kinds = ["count"] * 15
    sums = [Sum(g * 5 + 4, tuple(range(g * 5, g * 5 + 4))) for g in range(3)]
    readings = row_values(_pieces("5 2 7 8 1 9"), kinds, sums).readings
    places = {(v.raw, i) for r in readings for i, v in enumerate(r.values) if v is not None}
    # 5 2 _ _ 7 … and 5 _ _ 2 7 … are both there: 2 can stand in the columns 1 to 3, 7 at the group total.
    assert {("2", 1), ("2", 2), ("2", 3), ("7", 4)} <= places
    truth = (5, None, None, 2, 7, 8, None, None, 1, 9, None, None, None, None, None)
    assert truth in {tuple(v.value if v else None for v in r.values) for r in readings}
    # Every reading lets the row's own group totals hold.
    for r in readings:
        vals = [v.value if v else None for v in r.values]
        for s in sums:
            parts = [vals[i] for i in s.parts]
            if vals[s.result] is not None and None not in parts:
                assert sum(parts) == vals[s.result]


def test_a_wrapped_label_row_of_empty_cells_is_not_read_as_blanks() -> None:
    """淮安市人民政府 2024 (shared/corpus/001), its PDF through markitdown: the wrapped label cell of
    4.保护第三方合法权益 made a row of empty cells, its numbers (6 0 | 0 0 | …) on the next row under
    the fragment （三）不. The empty cells were read as the document's blanks, a false 留空 (BLANK_CELL)
    for cells printed 6 and 0; now they are not read as printed at all."""
    report = ogi.parse_bytes((FIXTURES / "001_markitdown_table3.md").read_bytes(), "001__markitdown.md")
    assert (report.agency, report.year, report.template) == ("淮安市人民政府", 2024, "2021")
    for row in ("denied.third_party", "unable.needs_creation"):
        cells = {c: report.cells[f"requests.{row}.{c}"] for c in (*NOT_HELD, "total")}
        assert not [c for c, cell in cells.items() if cell.flag == "blank"], row
        assert all(cell.flag in ("missing", "uncertain") for cell in cells.values()), row


def test_a_saved_web_page_opening_with_the_sites_menus_still_has_its_title() -> None:
    """平潭综合实验区 2024 (shared/corpus/012), its web page through markitdown: eighty lines of the
    portal's menus come before the title, past the first lines where a title is looked for, and
    agency and year were not found. The title line right before 一、总体情况 names both."""
    doc = read_document((FIXTURES / "012_markitdown_head.md").read_bytes(), "012__markitdown.md")
    meta = read_metadata(doc)
    assert (meta.agency, meta.year) == ("平潭综合实验区", 2024)
    assert meta.title == "平潭综合实验区2024年度政府信息公开工作年度报告"


@pytest.mark.parametrize("tool", ["pandoc-plain", "w3m", "lynx"])
def test_web_page_dumps_find_agency_and_year(tool: str) -> None:
    path, _, (agency, year, _) = _truth("012_pingtan_2024.html")
    report = ogi.parse_bytes(HTML_CONVERTERS[tool](path).encode("utf-8"), f"012__{tool}.txt")
    assert (report.agency, report.year) == (agency, year)


# --- one cell per line, nothing between the rows ------------------------------------------------

FLAGS = ("uncertain", "inferred", "missing", "unreadable")


def not_exact(report: ogi.Report, cells: dict[str, object]) -> list[str]:
    """Cells not read as the truth, flagged or not."""
    out = []
    for key, expected in cells.items():
        cell = report.cells[key]
        if cell.flag in FLAGS or not _same(cell.value, expected):
            out.append(f"{key}: truth {expected!r}, read {cell.value!r} ({cell.flag})")
    return out


@pytest.mark.parametrize(
    ("fixture", "example"),
    [("2019_word_soffice.txt", "2019_word.docx"), ("2021_page_bs4_lines.txt", "2021_page.html")],
)
def test_one_cell_per_line_without_row_marks_is_exact(fixture: str, example: str) -> None:
    """examples/2019_word.docx through ``soffice --convert-to txt:Text`` and examples/2021_page.html
    through BeautifulSoup's ``get_text("\\n")``: every cell on a line of its own, no tab, nothing
    between the rows. Each label read as printed outside its table (MISSING_ROW), ~185 of ~200
    cells were missing; now every cell is read exactly."""
    rep = next(ex.report for ex in load_script("make_examples").examples() if ex.name == example)
    report = ogi.parse_bytes((FIXTURES / fixture).read_bytes(), fixture)
    assert (report.agency, report.year, report.published) == (rep.agency, rep.year, rep.published)
    assert not_exact(report, dict(rep.cells)) == []
    assert not {f.rule for f in report.findings} & {"MISSING_ROW", "LOOSE_CELL", "ROW_SHORT"}


@pytest.mark.parametrize("doc", ["012_pingtan_2024.html", "014_pingtan_2023.html"])
def test_lynx_dump_of_a_web_table_is_exact(doc: str) -> None:
    """lynx -dump centres each cell on a line of its own, a blank line between cells."""
    path, cells, _ = _truth(doc)
    report = ogi.parse_bytes(HTML_CONVERTERS["lynx"](path).encode("utf-8"), f"{Path(doc).stem}__lynx.txt")
    assert not_exact(report, cells) == []


def test_a_table_four_header_split_over_lines_is_still_its_header() -> None:
    """pdftotext -layout prints 结果/维持 on two lines: the header's last words stand between the
    last header found and the 15 numbers, which are table 四's values, all of them exact."""
    text = PDF_CONVERTERS["pdftotext-layout"](EXAMPLES / "2021_print.pdf")
    assert "维持   纠正    结果    审结" in text  # the shape: the header's second line of words
    report, truth = ogi.parse_bytes(text.encode(), "layout.txt"), ogi.parse(EXAMPLES / "2021_print.pdf")
    appeals = {k: c for k, c in report.cells.items() if k.startswith("appeals.")}
    assert len(appeals) == 15
    assert {k: (c.value, c.flag) for k, c in appeals.items()} == {k: (truth.cells[k].value, None) for k in appeals}


@pytest.mark.parametrize("tool", ["pdftotext-layout", "pdfplumber", "pdfplumber-layout"])
def test_layout_text_of_a_real_pdf_is_exact(tool: str) -> None:
    """淮安市人民政府 2024 (shared/corpus/001) as layout text: table 四's header over two lines, a
    label wrapped onto the next line with its item number (``5.要求行政机关确认或重新出``) printed
    under the row above's numbers, which is not a value of that row. Every cell exact."""
    path, cells, _ = _truth("001_huaian_szf_2024.pdf")
    report = ogi.parse_bytes(PDF_CONVERTERS[tool](path).encode("utf-8"), f"001__{tool}.txt")
    assert not_exact(report, cells) == []
