"""Who issued the report, which year it covers, and when it was published, as printed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ogi.extract.normalize import fold
from ogi.model import Document, Paragraph

TITLE = re.compile(
    r"^(?P<agency>.*?)(?:关于)?(?P<year>(?:19|20)\d{2})\s*年(?:度)?(?:的)?\s*政府信息公开(?:工作)?(?:年度)?报告"
)
TITLE_YEAR_FIRST = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*年(?:度)?(?P<agency>.+?)政府信息公开(?:工作)?(?:年度)?报告")
TITLE_YEAR_AFTER = re.compile(r"^(?P<agency>.+?)政府信息公开工作\s*(?P<year>(?:19|20)\d{2})\s*年度?报告")
DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
PUBLISHED_LABEL = re.compile(r"(?:发布时间|发布日期|成文日期|印发日期)\s*[:：]?\s*")
STATISTICAL_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None
    agency: str | None
    year: int | None
    published: date | None
    published_where: str | None
    agency_where: str | None


def _date(m: re.Match[str]) -> date | None:
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _titles(doc: Document) -> list[tuple[str, str]]:
    """Candidate titles with where they were printed, best source first."""
    out = []
    if doc.meta.get("title"):
        out.append((doc.meta["title"], "metadata 标题"))
    paragraphs = [b for b in doc.blocks[:8] if isinstance(b, Paragraph)]
    for i, p in enumerate(paragraphs[:4]):
        text = p.text.strip()
        nxt = paragraphs[i + 1].text.strip() if i + 1 < len(paragraphs) else ""
        # A title broken over two lines: "…办事处2020年" + "政府信息公开工作年度报告", "淮安市人民政府" + "2024年…报告".
        if "报告" not in text and len(text) <= 30 and "报告" in nxt and "政府信息公开" in nxt and len(text + nxt) <= 70:
            out.append((text + nxt, str(p.where)))
        if "报告" in text and "政府信息公开" in text and len(text) <= 60:
            out.append((text, str(p.where)))
    return out


def _agency_year(title: str) -> tuple[str | None, int | None]:
    t = "".join(title.split()).lstrip("#*")
    m = TITLE.match(t) or TITLE_YEAR_FIRST.match(t) or TITLE_YEAR_AFTER.match(t)
    if not m:
        return None, None
    return (m["agency"].strip("《》“” ") or None), int(m["year"])


def read_metadata(doc: Document) -> Metadata:
    titles = _titles(doc)
    title, title_where = titles[0] if titles else (None, None)
    agency = year = None
    for candidate, where in titles:
        agency, year = _agency_year(candidate)
        if agency:
            title, title_where = candidate, where
            break
    if year is None:
        text = " ".join(b.text for b in doc.blocks[:12] if isinstance(b, Paragraph))
        years = [int(y) for y in STATISTICAL_YEAR.findall(text)]
        year = max(set(years), key=years.count) if years else None
    published, published_where = _published(doc, year)
    return Metadata(title, agency, year, published, published_where, title_where if agency else None)


def _published(doc: Document, year: int | None) -> tuple[date | None, str | None]:
    if doc.meta.get("published"):
        m = DATE.search(doc.meta["published"])
        if m and (d := _date(m)):
            return d, "metadata 发布时间"
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            lm = PUBLISHED_LABEL.search(b.text)
            if lm and (m := DATE.match(b.text, lm.end())) and (d := _date(m)):
                return d, str(b.where)
    tail = [b for b in doc.blocks[-6:] if isinstance(b, Paragraph)]
    for b in reversed(tail):
        text = fold(b.text)
        m = DATE.fullmatch(text)
        if m and (d := _date(m)) and (year is None or d.year in (year, year + 1)):
            return d, str(b.where)
    return None, None
