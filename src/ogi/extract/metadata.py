"""Who issued the report, which year it covers, and when it was published, as printed.

- **Title**: the first lines of the document, joined where a conversion broke the title over two or
  three lines (``2025 年上海市人民政府办公厅政府信息公开`` / ``工作年度报告``); the agency is what
  stands before or after the year.
- **Agency**: as the title prints it, with a standard short form expanded (``上海市科委``, from the
  table in :mod:`ogi.units.abbreviations`) or a misspelled place corrected against the division
  table (``沐阳县`` → ``沭阳县``, :mod:`ogi.units.spelling`); either change is recorded
  (``agency_printed``, ``agency_change``) and reported by the checks.
- **Published**: the report's own date — the page's 发布时间/发布日期, the 成文日期, the date under
  the signature — never a date a crawler or a saving tool stamped on the file (``采集时间``,
  ``fetched …``, ``saved …``). Where the report's own dates disagree, every candidate is kept and the
  choice is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ogi.extract.normalize import fold
from ogi.model import Document, Paragraph
from ogi.units.abbreviations import expand_abbreviation
from ogi.units.spelling import correct_place

TITLE = re.compile(
    r"^(?P<agency>.*?)(?:关于)?(?P<year>(?:19|20)\d{2})\s*年(?:度)?(?:的)?\s*政府信息公开(?:工作)?(?:年度)?报告"
)
TITLE_YEAR_FIRST = re.compile(r"^(?P<year>(?:19|20)\d{2})\s*年(?:度)?(?P<agency>.+?)政府信息公开(?:工作)?(?:年度)?报告")
TITLE_YEAR_AFTER = re.compile(r"^(?P<agency>.+?)政府信息公开工作\s*(?P<year>(?:19|20)\d{2})\s*年度?报告")
DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
PUBLISHED_LABEL = re.compile(r"(?P<label>发布时间|发布日期|成文日期|印发日期|发文日期)\s*[:：]?\s*")
STAMP = re.compile(
    r"(?:采集|抓取|爬取|下载|保存|存档|访问|打印|浏览)(?:时间|日期)|fetched|crawled|scraped|saved|retrieved|captured|"
    r"downloaded|archived|snapshot",
    re.I,
)
STATISTICAL_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
TITLE_LINES = 3
CHROME_BLOCKS = 200
FIRST_SECTION = re.compile(r"^[#*\s]*(?:一[、.．]\s*)?总体情况")
TITLE_PART_MAX = 40
TITLE_MAX = 80
SIGNATURE_BLOCKS = 6


@dataclass(frozen=True, slots=True)
class DateSeen:
    date: date
    kind: str
    """``page`` (the page's 发布时间), ``label`` (a printed 发布日期/成文日期), ``signature`` (the date
    under the signature), or ``stamp`` (a crawler's or saving tool's, never taken)."""
    where: str


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None
    agency: str | None
    year: int | None
    published: date | None
    published_where: str | None
    agency_where: str | None
    agency_printed: str | None = None
    """The agency as printed, where :attr:`agency` differs from it."""
    agency_change: str | None = None
    """``abbreviation`` or ``misspelling``: why :attr:`agency` differs from what was printed."""
    agency_doubt: tuple[str, ...] = ()
    """Division names the agency's unknown place may be a misprint of, when nothing chose one."""
    dates: list[DateSeen] = field(default_factory=list)


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
    paragraphs = [b.text.strip() for b in doc.blocks[:10] if isinstance(b, Paragraph)]
    wheres = [str(b.where) for b in doc.blocks[:10] if isinstance(b, Paragraph)]
    for i in range(min(len(paragraphs), 6)):
        joined = _joined(paragraphs, i)
        if joined is None:
            continue
        text, end = joined
        # A line before the title ("正文", a converter's word) is no part of it when the title
        # starting on the next line still names the agency.
        later = _joined(paragraphs, i + 1)
        if end > i and later and later[1] == end and _agency_year(later[0])[0]:
            continue
        out.append((text, wheres[i]))
    if not any(_agency_year(t)[0] for t, _ in out):
        out += _title_after_chrome(doc)
    return out


def _title_after_chrome(doc: Document) -> list[tuple[str, str]]:
    """A web page saved as text (markitdown, html2text, a browser's copy) opens with the site's
    menus: the report's title is the last title line before its first section, one line of its own."""
    found: list[tuple[str, str]] = []
    for b in doc.blocks[:CHROME_BLOCKS]:
        if not isinstance(b, Paragraph):
            continue
        text = b.text.strip()
        if FIRST_SECTION.match(text):
            break
        if len(text) <= 60 and "政府信息公开" in text and "报告" in text and _agency_year(text)[0]:
            found = [(text, str(b.where))]
    return found


def _joined(paragraphs: list[str], i: int) -> tuple[str, int] | None:
    """A title starting at paragraph ``i``, on up to three lines ("…办事处2020年" +
    "政府信息公开工作年度报告"), and the paragraph it ends on."""
    joined = ""
    for k, text in enumerate(paragraphs[i : i + TITLE_LINES]):
        if k and (len(text) > TITLE_PART_MAX or "报告" in joined):
            return None
        joined += text
        if "报告" in text:
            ok = "政府信息公开" in joined and len(joined) <= (60 if k == 0 else TITLE_MAX)
            return (joined, i + k) if ok else None
        if len(text) > TITLE_PART_MAX:
            return None
    return None


def _agency_year(title: str) -> tuple[str | None, int | None]:
    t = "".join(title.split()).lstrip("#*")
    year = None
    for pattern in (TITLE, TITLE_YEAR_FIRST, TITLE_YEAR_AFTER):
        m = pattern.match(t)
        if m:
            year = year or int(m["year"])
            agency = m["agency"].strip("《》“”\"' ")
            if agency:
                return agency, int(m["year"])
    return None, year


def read_metadata(doc: Document) -> Metadata:
    titles = _titles(doc)
    title, title_where = titles[0] if titles else (None, None)
    agency = year = None
    for candidate, where in titles:
        agency, found_year = _agency_year(candidate)
        year = year or found_year
        if agency:
            year = found_year
            title, title_where = candidate, where
            break
    if year is None:
        text = " ".join(b.text for b in doc.blocks[:12] if isinstance(b, Paragraph))
        years = [int(y) for y in STATISTICAL_YEAR.findall(text)]
        year = max(set(years), key=years.count) if years else None
    printed, change, doubt = None, None, ()
    if agency:
        printed, agency, change, doubt = _normalised(agency, doc)
    dates = _dates(doc, year)
    chosen = _choose(dates)
    return Metadata(
        title,
        agency,
        year,
        chosen.date if chosen else None,
        chosen.where if chosen else None,
        title_where if agency else None,
        printed,
        change,
        doubt,
        dates,
    )


def _normalised(agency: str, doc: Document) -> tuple[str | None, str, str | None, tuple[str, ...]]:
    """(as printed when changed, the agency, why it changed, the places it may be a misprint of)."""
    if full := expand_abbreviation(agency):
        return agency, full, "abbreviation", ()
    context = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))[:20000]
    fixed = correct_place(agency, context)
    if fixed is not None and fixed.corrected:
        return agency, fixed.agency, "misspelling", ()
    return None, agency, None, fixed.candidates if fixed is not None else ()


def _dates(doc: Document, year: int | None) -> list[DateSeen]:
    """Every publication date the document prints, with its kind; stamps included (to be shown
    as ignored), the report's own dates first."""
    out: list[DateSeen] = []
    if doc.meta.get("published"):
        m = DATE.search(doc.meta["published"])
        if m and (d := _date(m)):
            out.append(DateSeen(d, "page", "metadata 发布时间"))
    for b in doc.blocks:
        if not isinstance(b, Paragraph) or len(b.text) > 200:
            continue
        if STAMP.search(b.text) and (m := DATE.search(b.text)) and (d := _date(m)):
            out.append(DateSeen(d, "stamp", str(b.where)))
            continue
        lm = PUBLISHED_LABEL.search(b.text)
        if lm and (m := DATE.match(b.text, lm.end())) and (d := _date(m)):
            out.append(DateSeen(d, "label", f"{b.where} ({lm['label']})"))
    tail = [b for b in doc.blocks[-SIGNATURE_BLOCKS:] if isinstance(b, Paragraph)]
    for b in reversed(tail):
        text = fold(b.text)
        m = DATE.fullmatch(text)
        if m and (d := _date(m)) and (year is None or d.year in (year, year + 1)):
            out.append(DateSeen(d, "signature", str(b.where)))
            break
    return out


def _choose(dates: list[DateSeen]) -> DateSeen | None:
    """The page's publication date, else a printed publication label, else the signature's; a
    crawler's or saving tool's stamp never."""
    for kind in ("page", "label", "signature"):
        found = [d for d in dates if d.kind == kind]
        if found:
            return found[0]
    return None
