"""The six sections: where each heading is, and the prose under it.

Headings are matched by their official text and the variants seen in the wild, with the
numbering (``一、``) or, at the start of a paragraph, without it. A heading's text in a preamble
("本报告包括总体情况、主动公开…") does not count: unnumbered headings must open a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ogi.extract.locate import Hit
from ogi.extract.normalize import fold
from ogi.extract.stream import Stream
from ogi.model import SectionText
from ogi.model.template import Template

TABLE_START = re.compile(r"第二十条|（本列数据|\(本列数据|申请人情况|行政复议")
NUMBERING = re.compile(r"^(?:第[一二三四五六]部分|[一二三四五六][、.．]?|[（(][一二三四五六][）)])")


@dataclass(frozen=True, slots=True)
class SectionHit:
    key: str
    hit: Hit


def locate_sections(stream: Stream, template: Template) -> list[SectionHit]:
    folded = stream.folded
    found: list[SectionHit] = []
    cursor = 0
    for section in template.sections:
        texts = [fold(section.text), *(fold(v) for v in section.variants)]
        ordinal = fold(section.ordinal)
        best: Hit | None = None
        for t in texts:
            p = folded.find(ordinal + t, cursor)
            if p >= 0 and (best is None or p < best.start):
                best = Hit(p, p + len(ordinal) + len(t), True, folded[p : p + len(ordinal) + len(t)])
        if best is None:
            best = _unnumbered(stream, texts, cursor)
        if best is not None:
            found.append(SectionHit(section.key, best))
            cursor = best.end
    return found


def _unnumbered(stream: Stream, texts: list[str], cursor: int) -> Hit | None:
    """A heading printed without (or with other) numbering, opening a paragraph."""
    for seg in stream.segments:
        if seg.is_cell:
            continue
        fstart = stream.to_folded(seg.start)
        if fstart < cursor:
            continue
        head = fold(stream.text[seg.start : seg.start + 40])
        m = NUMBERING.match(head)
        offset = m.end() if m else 0
        for t in texts:
            if head.startswith(t, offset) and len(fold(stream.text[seg.start : seg.end])) <= len(t) + offset + 2:
                return Hit(fstart, fstart + offset + len(t), False, head[: offset + len(t)])
    return None


def _container_end(stream: Stream, heading: int, start: int, stop: int) -> int:
    """Where the last section ends on a web page: at the first paragraph outside the element that
    holds its heading and its first paragraph (the article's box). What follows that box is the
    portal's footer, its links and notices, not the report."""
    head = stream.segment_at(heading).path
    body = [s for s in stream.segments if s.start >= start and s.start < stop and not s.is_cell]
    if not head or not body or not body[0].path:
        return stop
    first = body[0].path
    box = head[: next((i for i, (a, b) in enumerate(zip(head, first, strict=False)) if a != b), len(first))]
    if not box:
        return stop
    outside = next((s for s in body[1:] if s.path[: len(box)] != box), None)
    return stop if outside is None else outside.start


def section_texts(stream: Stream, hits: list[SectionHit], end: int | None = None) -> dict[str, SectionText]:
    """Prose under each heading, up to the next heading; table cells left out."""
    out: dict[str, SectionText] = {}
    for i, sh in enumerate(hits):
        start = stream.after(sh.hit.end)
        stop = stream.to_text(hits[i + 1].hit.start) if i + 1 < len(hits) else len(stream.text)
        if end is not None and i + 1 == len(hits):
            stop = min(stop, end)
        if i + 1 == len(hits):
            stop = _container_end(stream, stream.to_text(sh.hit.start), start, stop)
        text = "\n".join(stream.prose(start, stop))
        if sh.key in ("active", "requests", "appeals"):
            m = TABLE_START.search(text)
            if m:
                text = text[: m.start()].rstrip()
        heading_start = stream.to_text(sh.hit.start)
        out[sh.key] = SectionText(
            key=sh.key,
            heading=stream.text[heading_start:start].strip(),
            text=text,
            where=str(stream.where_at(heading_start)),
        )
    return out
