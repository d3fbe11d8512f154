"""Finding a portal's 年报 column from a page that is not it (the site root, 政府信息公开).

The column is found by its link text: 政府信息公开年报, 政府信息公开年度报告, 年度报告, 年报. From
the root it is often two steps away (首页 → 政府信息公开 → 年报), so the 政府信息公开 / 政务公开
links are followed too, but only while no 年报 link has been found. Links stay on the same host.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import lxml.html

from ogi.collect.pages import clean

_COLUMN = re.compile(r"^(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报)$|^(?:政务公开)?年度报告$|^年报$")
_SECTION = re.compile(r"^(?:政府信息公开|信息公开|政务公开|法定主动公开内容)$")
MAX_HOPS = 2


def column_links(root: lxml.html.HtmlElement, page_url: str) -> tuple[list[str], list[str]]:
    """Links to a 年报 column, and (when there are none) to the 信息公开 sections that may hold one."""
    host = urlsplit(page_url).netloc
    columns: dict[str, None] = {}
    sections: dict[str, None] = {}
    for a in root.iter("a"):
        href = a.get("href", "").split("#")[0]
        parts = urlsplit(href)
        if parts.scheme not in ("http", "https") or parts.netloc != host or href == page_url:
            continue
        text = re.sub(r"\s+", "", clean(a.text_content()) or clean(a.get("title")))
        if _COLUMN.search(text):
            columns[href] = None
        elif _SECTION.match(text):
            sections[href] = None
    return list(columns), [] if columns else list(sections)
