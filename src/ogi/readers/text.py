"""Plain text and Markdown: decode, clean, and recover the table grids the text still shows.

Shapes recognised (all seen in real dumps):

- Markdown pipe tables (``| a | b |``), ``<br>`` inside cells;
- tab-separated rows, one table row per line;
- one cell per line, each prefixed by a tab, table rows separated by blank lines, with long
  header labels broken onto an untabbed continuation line;
- one cell per line with nothing to mark the rows (:mod:`ogi.readers.cell_lines`);
- tables drawn with lines: w3m's box drawing, pandoc's and tabulate's grids (:mod:`ogi.readers.drawn_grid`);
- crawler dumps: a ``标题:`` / ``发布时间:`` header block and the whole body on one line.

Page-number lines are dropped and noted. Everything else becomes a paragraph.
"""

from __future__ import annotations

import re

import charset_normalizer

from ogi.errors import InputError
from ogi.model import Document, GridCell, Paragraph, Table, Where
from ogi.readers._util import is_page_number
from ogi.readers.cell_lines import cell_line_runs
from ogi.readers.drawn_grid import drawn_runs, read_grid

ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
CRAWLER_FIELDS = {
    "标题": "title",
    "发布时间": "published",
    "发布日期": "published",
    "发布机构": "publisher",
    "原文链接": "url",
    "文号": "doc_number",
    "栏目": "column",
    "本地目录": "local_path",
}
CRAWLER_LINE = re.compile(r"^(标题|发布时间|发布日期|发布机构|原文链接|文号|栏目|本地目录)\s*[:：]\s*(.*)$")
BODY_MARKER = re.compile(r"^=+\s*正文\s*=+$")
BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
MD_ROW = re.compile(r"^\s*\|.*\|\s*$")
MD_RULE = re.compile(r"^\s*\|?(\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")
BR = re.compile(r"<br\s*/?>", re.I)
SECTION_START = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
SENTENCE_END = ("。", "；", ";", "！", "？", "…", "：")


def decode(data: bytes, source: str) -> tuple[str, str]:
    """The text and the encoding it was read with; UTF-8 first, then GB18030 (a superset of GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as e:
            reason = f"broken UTF-16 text ({e.reason} at byte {e.start}): save it again as UTF-8"
            raise InputError(source, reason) from e
    if b"\x00" in data[:4096]:
        raise InputError(source, "binary data, not text (NUL bytes): is this the right file?")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise InputError(source, "cannot decode the text (not UTF-8, GBK or GB18030): save it as UTF-8 and retry")
        text, encoding = str(best), best.encoding
    controls = len(CONTROL.findall(text, 0, 20000))
    if controls > max(3, len(text[:20000]) // 100):
        raise InputError(source, "binary data, not text (control characters): is this the right file?")
    return text, encoding


def _normalise_text(text: str) -> str:
    text = ZERO_WIDTH.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("&nbsp;", " ").replace("\f", "\n")


def _md_cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [BR.sub("", c).strip() for c in inner.split("|")]


def _strip_markup(line: str) -> str:
    line = re.sub(r"^\s*#+\s*", "", line)
    return line.replace("**", "").strip()


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[\s\u3000\xa0]*[+\-]?[\d０-９.,]+[\s\u3000\xa0]*", text))


class _Builder:
    def __init__(self, source: str) -> None:
        self.doc = Document(source=source, format="text")
        self.rows: list[list[GridCell]] = []
        self.table_start = 0
        self.n_tables = 0  # counted, not recounted from the blocks at every row: that is quadratic

    def paragraph(self, text: str, line: int) -> None:
        self.flush()
        text = _strip_markup(text)
        if text:
            self.doc.blocks.append(Paragraph(text, Where(line=line)))

    def row(self, cells: list[str], line: int, lines: list[int] | None = None) -> None:
        """A table row; ``lines`` gives each cell's own line where the cells print on lines of their own."""
        if not self.rows:
            self.table_start = line
        table_no = self.n_tables + 1
        r = len(self.rows) + 1
        at = lines or [line] * len(cells)
        self.rows.append(
            [GridCell(t, Where(line=at[c], table=table_no, row=r, col=c + 1)) for c, t in enumerate(cells)]
        )

    def grid(self, lines: list[str], start: int, end: int) -> None:
        """A table drawn with lines; where its drawing is no exact grid, its lines as paragraphs."""
        self.flush()
        table = read_grid(lines, start, end, self.n_tables + 1)
        if table is None:
            self.doc.notes.append(f"lines {start + 1}-{end}: a drawn table whose rulings disagree, read as text")
            for k in range(start, end):
                if lines[k].strip():
                    self.paragraph(lines[k], k + 1)
            return
        self.n_tables += 1
        self.doc.blocks.append(table)

    def flush(self) -> None:
        # Rows stay ragged: a row cut short in the source must not gain blank cells it never printed.
        if self.rows:
            self.n_tables += 1
            self.doc.blocks.append(Table(self.rows, Where(line=self.table_start, table=self.n_tables)))
            self.rows = []


def _cell_per_line(lines: list[tuple[int, str]]) -> bool:
    """True when a tabbed region holds one cell per line (``\\tcell``) rather than tab-separated rows."""
    tabbed = [t for _, t in lines if "\t" in t]
    single = sum(1 for t in tabbed if t.lstrip(" \u3000").startswith("\t") and t.lstrip(" \u3000").count("\t") == 1)
    return single >= 0.8 * len(tabbed)


def _tab_regions(lines: list[str]) -> list[tuple[int, int]]:
    """Maximal runs of lines that hold tabbed table rows, with the blank lines and
    continuation lines inside them."""
    regions = []
    i, n = 0, len(lines)
    while i < n:
        if "\t" not in lines[i]:
            i += 1
            continue
        start, j = i, i
        while j < n:
            line = lines[j]
            if "\t" in line or not line.strip():
                j += 1
                continue
            prev = lines[j - 1]
            prev_cell = prev.split("\t")[-1].strip()
            if (
                "\t" in prev
                and prev_cell
                and not _is_number(prev_cell)
                and len(line.strip()) <= 12
                and not SECTION_START.match(line)
            ):
                j += 1
                continue
            break
        end = j
        while end > start and not lines[end - 1].strip():
            end -= 1
        if end > start:  # a region of nothing but tabs and blank lines holds no table
            regions.append((start, end))
        i = max(j, i + 1)
    return regions


def _read_tab_region(b: _Builder, lines: list[str], start: int, end: int) -> None:
    numbered = [(k + 1, lines[k]) for k in range(start, end)]
    if _cell_per_line(numbered):
        cells: list[str] = []
        first_line = numbered[0][0]
        for lineno, line in numbered:
            if not line.strip() and "\t" not in line:
                if cells:
                    b.row(cells, first_line)
                cells = []
                continue
            if "\t" in line:
                if not cells:
                    first_line = lineno
                cells.append(line.split("\t", 1)[1].rstrip())
            elif cells:
                cells[-1] += line.strip()
        if cells:
            b.row(cells, first_line)
    else:
        for lineno, line in numbered:
            if line.strip():
                b.row([c.strip() for c in line.split("\t")], lineno)
    b.flush()


def _drop_page_numbers(lines: list[str], doc: Document) -> list[str]:
    out = list(lines)
    for k, line in enumerate(lines):
        if is_page_number(line) and "\t" not in line:
            out[k] = ""
            doc.notes.append(f"line {k + 1}: page number {line.strip()!r} dropped")
        elif BARE_NUMBER.match(line) and "\t" not in line:
            # Walk to the neighbours instead of slicing the lines before and after: slices cost the
            # whole file at every bare number.
            before = next((lines[j].strip() for j in range(k - 1, -1, -1) if lines[j].strip()), "")
            after = next((lines[j].strip() for j in range(k + 1, len(lines)) if lines[j].strip()), "")
            if (not before or before.endswith(SENTENCE_END)) and (
                not after or len(after) > 20 or SECTION_START.match(after)
            ):
                out[k] = ""
                doc.notes.append(f"line {k + 1}: page number {line.strip()!r} dropped")
    return out


def read(data: bytes, source: str) -> Document:
    text, encoding = decode(data, source)
    b = _Builder(source)
    if encoding not in ("utf-8-sig", "utf-8", "ascii"):
        b.doc.notes.append(f"decoded as {encoding}")
    lines = _normalise_text(text).split("\n")
    body_start = 0
    for k, line in enumerate(lines[:15]):
        m = CRAWLER_LINE.match(line.strip())
        if m and m.group(2).strip():
            b.doc.meta.setdefault(CRAWLER_FIELDS[m.group(1)], m.group(2).strip())
        if BODY_MARKER.match(line.strip()):
            body_start = k + 1
    if body_start:
        lines = [""] * body_start + lines[body_start:]
    lines = _drop_page_numbers(lines, b.doc)
    drawn = dict(drawn_runs(lines))
    regions = dict(_tab_regions(lines))
    taken = {j for start, end in [*regions.items(), *drawn.items()] for j in range(start, end)}
    taken.update(j for j, line in enumerate(lines) if MD_ROW.match(line))
    plain = {start: (end, rows) for start, end, rows in cell_line_runs(lines, taken)}
    k = 0
    while k < len(lines):
        line = lines[k]
        if k in drawn:
            b.grid(lines, k, drawn[k])
            k = drawn[k]
            continue
        if k in regions:
            b.flush()
            _read_tab_region(b, lines, k, regions[k])
            k = regions[k]
            continue
        if k in plain:
            b.flush()
            end, rows = plain[k]
            for cells in rows:
                b.row([t for _, t in cells], cells[0][0] + 1, [j + 1 for j, _ in cells])
            b.flush()
            k = end
            continue
        if MD_ROW.match(line):
            if not MD_RULE.match(line):
                b.row(_md_cells(line), k + 1)
        elif line.strip():
            b.paragraph(line, k + 1)
        else:
            b.flush()
        k += 1
    b.flush()
    if not any(isinstance(x, Paragraph) for x in b.doc.blocks) and not b.doc.tables:
        raise InputError(source, "the file holds no text")
    return b.doc
