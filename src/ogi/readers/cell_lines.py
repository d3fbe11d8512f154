"""Tables printed one cell per line with nothing to mark the rows: no tab before a cell, no blank
line between rows.

LibreOffice's text export of a DOCX, BeautifulSoup's ``get_text("\\n")``, lynx and some browsers'
copies print a table this way. What is left of the grid is the reading order and the difference
between a number and a word: a line that is not a number opens a row, the numbers under it are its
cells. A header prints as rows of one cell each, which read as labels with nothing to read.

A run of such lines is a table only where it is dense with numbers; prose, a paragraph that
happens to be a number, a list of short items stay paragraphs. The columns of such a table are
guessed (an empty cell prints as nothing, or as a blank line that may as well separate cells), so
the extractor reads its rows as it reads any converted table's: a row printing fewer or more numbers
than its columns goes through the same readings and identities, flagged where they do not settle it.
"""

from __future__ import annotations

import re

VALUE_LINE = re.compile(r"[+\-−]?(?:\d[\d,，]*(?:\.\d+)?|[０-９][０-９.,，．]*)(?:万元|元)?|[/／]|[—－\-]+|无")
SPACED_NUMBER = re.compile(r"[\s\u3000][+\-−]?\d")
SECTION_START = re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")
SENTENCE_END = ("。", "；", ";", "！", "？", "…", "：", ":")
LABEL_MAX = 40
"""A table's label or header cell is short; a longer line is prose, and ends the run."""
MIN_VALUES = 6
MIN_VALUE_SHARE = 0.3
"""A run of short lines is a table when at least this share of them are numbers."""
MAX_ROW_VALUES = 20
"""The widest row of the reports' tables prints 15 numbers (table 四). A label with more numbers under
it is no row: a converter printed the table column by column (pdfminer, pdftotext without -layout),
and reading it as rows would put a column's numbers in one row."""


def _kind(line: str) -> str:
    """``blank``, ``value`` (a number or a placeholder alone), ``label`` (a short line that can be a
    table's cell) or ``other`` (prose, or a row already printed on one line: ``规章 0 0 0``)."""
    text = line.strip(" \u3000\xa0")
    if not text:
        return "blank"
    if "\t" in line or "|" in text:
        return "other"
    if VALUE_LINE.fullmatch(text):
        return "value"
    if len(text) > LABEL_MAX or text.endswith(SENTENCE_END) or "。" in text or SPACED_NUMBER.search(text):
        return "other"
    return "label"


def _rows(kinds: list[str], start: int, end: int) -> list[tuple[int, int]]:
    """(first line, end) of each row in ``[start, end)``: a label and the values under it."""
    opens = [k for k in range(start, end) if kinds[k] == "label"]
    if start not in opens:
        opens.insert(0, start)
    return [(k, opens[i + 1] if i + 1 < len(opens) else end) for i, k in enumerate(opens)]


def _trim(kinds: list[str], lines: list[str], start: int, end: int) -> tuple[int, int]:
    """The run without what does not belong to a table: blank and label lines after its last number,
    and the section headings around it (a heading right over the table, the report's later sections
    printing a single ``无``)."""
    while start < end and kinds[start] == "blank":
        start += 1
    while end > start and kinds[end - 1] != "value":
        end -= 1
    while start < end and SECTION_START.match(lines[start].strip()):
        nxt = next((k for k in range(start + 1, end) if kinds[k] != "blank"), end)
        if nxt < end and kinds[nxt] == "value":
            break
        start = nxt
    while start < end:
        last, last_end = _rows(kinds, start, end)[-1]
        values = sum(1 for k in range(last, last_end) if kinds[k] == "value")
        if kinds[last] != "label" or not SECTION_START.match(lines[last].strip()) or values > 1:
            break
        end = last
        while end > start and kinds[end - 1] != "value":
            end -= 1
    return start, end


def _table_like(kinds: list[str], start: int, end: int) -> bool:
    """Dense with numbers, some rows printing two or more, none more than a row can."""
    values = sum(1 for k in range(start, end) if kinds[k] == "value")
    labels = sum(1 for k in range(start, end) if kinds[k] == "label")
    widths = [sum(1 for k in range(a, b) if kinds[k] == "value") for a, b in _rows(kinds, start, end)]
    return (
        values >= MIN_VALUES
        and values >= MIN_VALUE_SHARE * (values + labels)
        and max(widths) >= 2
        and max(widths) <= MAX_ROW_VALUES
    )


Row = list[tuple[int, str]]
"""A table row: (line index, cell text) of each of its cells."""


def cell_line_runs(lines: list[str], taken: set[int]) -> list[tuple[int, int, list[Row]]]:
    """``(start, end, rows)`` of each run of lines that prints a table one cell per line, outside
    the lines ``taken`` already (tab-separated regions, Markdown rows); blank lines are not cells."""
    kinds = [_kind(line) if k not in taken else "other" for k, line in enumerate(lines)]
    out = []
    k, n = 0, len(lines)
    while k < n:
        if kinds[k] in ("other", "blank"):
            k += 1
            continue
        j = k
        while j < n and kinds[j] != "other":
            j += 1
        start, end = _trim(kinds, lines, k, j)
        if end > start and _table_like(kinds, start, end):
            rows = [
                [(i, lines[i].strip(" \u3000\xa0")) for i in range(a, b) if kinds[i] != "blank"]
                for a, b in _rows(kinds, start, end)
            ]
            out.append((start, end, [r for r in rows if r]))
        k = j
    return out
