"""Web pages as the collector reads them: decoded, parsed, links made absolute, dates found.

Portals declare their encoding in the HTTP header, in a ``<meta>``, in both (disagreeing), or
not at all; GB2312 labels cover pages written in GBK. UTF-8 is tried first (valid UTF-8 is
practically never GBK text), then the declared labels with GB2312/GBK read as GB18030, then
detection.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.message import Message

import charset_normalizer
import lxml.etree
import lxml.html

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.I)
_GB = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030"}
_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})(?!\d)")
_SPACE = re.compile(r"\s+")
_CHINA = timezone(timedelta(hours=8))
"""CMS timestamps are instants; the date a portal shows for one is China's."""


def clean(text: str | None) -> str:
    """Whitespace runs (U+00A0 and U+3000 included) as one space, trimmed."""
    return _SPACE.sub(" ", text or "").strip()


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    message = Message()
    message["content-type"] = content_type
    charset = message.get_param("charset")
    return charset.lower() if isinstance(charset, str) else None


def decode(data: bytes, content_type: str | None = None) -> str:
    """The text of a page or API answer."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    meta = _META_CHARSET.search(data[:4096])
    labels = [header_charset(content_type), meta.group(1).decode("ascii").lower() if meta else None]
    for label in ("utf-8", *labels):
        if label:
            try:
                return data.decode(_GB.get(label, label))
            except (UnicodeDecodeError, LookupError):
                continue
    best = charset_normalizer.from_bytes(data).best()
    return str(best) if best is not None else data.decode("gb18030", errors="replace")


def parse(data: bytes, base_url: str, content_type: str | None = None) -> lxml.html.HtmlElement:
    """A page's tree with every link made absolute against ``base_url`` (or its ``<base>``)."""
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode(data, content_type))
    try:
        root = lxml.html.document_fromstring(text or "<html></html>")
    except (lxml.etree.ParserError, ValueError):
        root = lxml.html.document_fromstring("<html></html>")
    root.make_links_absolute(base_url, resolve_base_href=True, handle_failures="discard")
    return root


def scripts(root: lxml.html.HtmlElement) -> list[str]:
    """The inline scripts of a page, in order."""
    return [s.text for s in root.iter("script") if s.text and s.text.strip()]


def link_text(a: lxml.html.HtmlElement) -> str:
    """An anchor's title: its ``title`` attribute where the visible text is a cut-down copy
    ("…工作年度报…"), else its text."""
    text = clean(a.text_content())
    title = clean(a.get("title"))
    if title and (not text or len(title) > len(text.rstrip(".…"))):
        return title
    return text


def find_date(text: str) -> str | None:
    """The first valid calendar date in ``text``, as ISO ``YYYY-MM-DD``."""
    for m in _DATE.finditer(text):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
        except ValueError:
            continue
    return None


def iso_date(value: object) -> str | None:
    """A CMS's date field as ISO: ``2026-03-10 09:30:00``, ``2026/3/10`` or epoch milliseconds."""
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit() and len(value) >= 10):
        seconds = float(value) / (1000 if float(value) > 1e11 else 1)
        try:
            return datetime.fromtimestamp(seconds, _CHINA).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return find_date(value) if isinstance(value, str) else None


def strip_tags(text: str) -> str:
    """Text of an HTML fragment (CMS titles carry ``<font>`` highlights)."""
    if "<" not in text:
        return clean(text)
    try:
        return clean(lxml.html.fragment_fromstring(text, create_parent="div").text_content())
    except (lxml.etree.ParserError, ValueError):
        return clean(re.sub(r"<[^>]+>", "", text))
