"""One file, many reports: a compiled volume (汇编) or a crawler dump of a whole column, cut into
its reports before anything is extracted.

A report starts at its title — ``〈机关〉〈年〉年政府信息公开工作年度报告``, on one line or broken over
two or three, or a crawler's ``标题:`` line — and it is one only if its own 一、总体情况 follows before
the next title: a volume's table of contents, or a preamble quoting a title, starts nothing. A file
with fewer than two such starts is one report, whatever it says. What stands before the first start
(a cover, a contents page) belongs to no report. Each part keeps the blocks and the line or page
range it came from, and the crawler header printed over it (``标题:``, ``发布时间:``) as its metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ogi.model import Document, Paragraph, Where
from ogi.model.document import Block
from ogi.model.report import ReportPart
from ogi.readers.text import BODY_MARKER, CRAWLER_FIELDS

TITLE = re.compile(
    r"^[^报]{0,40}?(?:(?:19|20)\d{2}年(?:度)?[^报]{0,30}?政府信息公开(?:工作)?(?:年度)?报告"
    r"|政府信息公开工作(?:19|20)\d{2}年度?报告)$"
)
DATE = re.compile(r"(?:19|20)\d{2}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}")
TITLE_MAX = 80
TITLE_LINES = 3
SENTENCE = re.compile(r"[。；，,:：]|根据|按照|现将|以下")
OVERVIEW = re.compile(r"(?:^|[\s。])(?:第一部分|[一1][、.．]|[（(]一[）)])?\s*(?:总体情况|概述)|一[、.．]\s*总体情况")
HEADER_FIELDS = {label: field for label, field in CRAWLER_FIELDS.items() if field != "local_path"}
"""A crawler header's fields that head a report inside a compiled file (the saving tool's local
path is never among them)."""
HEADER_LINE = re.compile(rf"^\s*({'|'.join(HEADER_FIELDS)})\s*[:：]\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Part:
    document: Document
    where: ReportPart


def _text(block: Block) -> str:
    return block.text.strip() if isinstance(block, Paragraph) else ""


def _title_end(blocks: list[Block], i: int) -> int | None:
    """The block where a title starting at block ``i`` (on up to three lines) ends, or None."""
    joined = ""
    for k, block in enumerate(blocks[i : i + TITLE_LINES]):
        text = "".join(_text(block).split()).lstrip("#*")
        if not text or SENTENCE.search(text) or DATE.search(text):
            return None
        joined += text
        if len(joined) > TITLE_MAX:
            return None
        if TITLE.search(joined):
            return i + k
    return None


def _title_at(blocks: list[Block], i: int) -> bool:
    """Whether a title starts at block ``i``: one ends there, and not one that starts a line later
    (a signature line standing before the next report's title is no part of it)."""
    end = _title_end(blocks, i)
    return end is not None and (end == i or _title_end(blocks, i + 1) != end)


def _starts(blocks: list[Block]) -> list[int]:
    """Indexes of the blocks that open a report: a crawler header, else a title; each followed by
    its own overview heading before the next one."""
    candidates: list[int] = []
    # A title ends in 报告 on its own line or one of the next two: only there is a title looked for.
    ends = [i for i, b in enumerate(blocks) if "报告" in _text(b)]
    near = {j for i in ends for j in range(max(0, i - TITLE_LINES + 1), i + 1)}
    for i, block in enumerate(blocks):
        header = HEADER_LINE.match(_text(block)) if _text(block)[:2] == "标题" else None
        is_header = bool(header and header[1] == "标题")
        title = i in near and _title_at(blocks, i)
        if is_header or (title and not (candidates and _is_header_title(blocks, candidates[-1], i))):
            candidates.append(i)
    starts = []
    for n, at in enumerate(candidates):
        end = candidates[n + 1] if n + 1 < len(candidates) else len(blocks)
        if any(OVERVIEW.search(_text(b)) for b in blocks[at:end]):
            starts.append(at)
    # The first report's title may be unrecognisable or taken by the reader (a crawler header it
    # read as the file's metadata): its body still opens the file.
    if starts and starts[0] > 0 and any(OVERVIEW.search(_text(b)) for b in blocks[: starts[0]]):
        starts.insert(0, 0)
    return starts


def _is_header_title(blocks: list[Block], header_at: int, i: int) -> bool:
    """A title repeated right under its crawler header (in the header block or the body's first
    lines) opens no report of its own."""
    return i - header_at <= len(HEADER_FIELDS) + 4 and not any(OVERVIEW.search(_text(b)) for b in blocks[header_at:i])


def _span(blocks: list[Block]) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    wheres: list[Where] = [b.where for b in blocks]
    lines = [w.line for w in wheres if w.line is not None]
    pages = [w.page for w in wheres if w.page is not None]
    last_lines = [_last_line(b) for b in blocks]
    return (
        (min(lines), max(x for x in last_lines if x is not None)) if lines else None,
        (min(pages), max(pages)) if pages else None,
    )


def _last_line(block: Block) -> int | None:
    if isinstance(block, Paragraph):
        return block.where.line
    lines = [c.where.line for row in block.rows for c in row if c.where.line is not None]
    return max(lines) if lines else block.where.line


def _header(blocks: list[Block]) -> tuple[dict[str, str], list[Block]]:
    """A crawler header at the top of a part, as metadata, and the blocks after it."""
    meta: dict[str, str] = {}
    k = 0
    while k < len(blocks):
        text = _text(blocks[k])
        m = HEADER_LINE.match(text)
        if m:
            if m[2].strip():
                meta.setdefault(HEADER_FIELDS[m[1]], m[2].strip())
        elif not BODY_MARKER.match(text):
            break
        k += 1
    return meta, blocks[k:]


def split_reports(document: Document) -> list[Part]:
    """The reports the document holds, in order; one part (the whole document) unless it holds
    two or more."""
    starts = _starts(document.blocks)
    if len(starts) < 2:
        lines, pages = _span(document.blocks)
        return [Part(document, ReportPart(index=1, count=1, lines=lines, pages=pages))]
    parts = []
    for n, at in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(document.blocks)
        blocks = document.blocks[at:end]
        meta, body = _header(blocks)
        if n == 0:
            meta = {**document.meta, **meta}
        lines, pages = _span(blocks)
        doc = Document(document.source, document.format, body, meta, list(document.notes) if n == 0 else [])
        parts.append(Part(doc, ReportPart(index=n + 1, count=len(starts), lines=lines, pages=pages)))
    return parts


__all__ = ["Part", "split_reports"]
