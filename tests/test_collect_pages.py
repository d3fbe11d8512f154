"""Reading portal pages: listing entries and dates, static and TRS paging, list-API answers,
report titles, article pages and their attachments, encodings.

The TRS tests read the structural copy in tests/data/portals/trs of the real listing page in
../shared/portal (which test_corpus_store.py reads).
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from ogi.collect.article import body_is_report, read_article
from ogi.collect.listing import ListingRequest, entries_of, pager_links, read_listing
from ogi.collect.pages import decode, iso_date, parse
from ogi.collect.titles import judge
from ogi.collect.trs import LIST_API_PATH, read_api, script_pages
from tests.portal_site import DATA, EXAMPLES, article

PINGTAN = "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/"


def listing_of(html: str | bytes, url: str = PINGTAN, max_pages: int = 50):  # type: ignore[no-untyped-def]
    data = html.encode("utf-8") if isinstance(html, str) else html
    return read_listing(parse(data, url, "text/html"), url, max_pages)


def test_fixture_copy_keeps_the_trs_structure() -> None:
    page = listing_of((DATA / "trs" / "index.html").read_bytes())
    assert [(e.url.rsplit("/", 1)[1], e.date) for e in page.entries] == [
        ("t20260313_105587.htm", "2026-03-10"),
        ("t20250310_97791.htm", "2025-03-10"),
        ("t20240308_87885.htm", "2024-03-08"),
    ]
    assert [dict(r.form)["page"] for r in page.more] == ["2"]  # recordCount '5', prepage 3


def test_list_api_answers_in_both_shapes() -> None:
    request = ListingRequest("http://127.0.0.1:1" + LIST_API_PATH, "POST", (("page", "2"),), "trs-list", PINGTAN, 2)
    data = (DATA / "trs" / "api_page2.json").read_bytes().replace(b"https://PORTAL", b"https://www.pingtan.gov.cn")
    page = read_api(data, "application/json;charset=UTF-8", request, 50)
    assert [(e.title, e.date) for e in page.entries] == [
        ("平潭综合实验区2025年度政府信息公开工作年度报告", "2026-03-10"),
        ("平潭综合实验区2022年度政府信息公开工作年度报告", "2023-02-20"),  # <font> highlight removed
        ("平潭综合实验区2021年度政府信息公开工作年度报告", "2022-02-08"),  # epoch ms, China's date
    ]
    assert all(e.listing == PINGTAN for e in page.entries) and page.more == []
    answer = json.loads(data)
    answer["pageCount"] = 4
    more = read_api(json.dumps(answer).encode(), None, request, 3).more
    assert [dict(r.form)["page"] for r in more] == ["3"]  # pageCount 4, cut at max_pages 3
    # An older WAS5 search service: "docs", and placeholders in single quotes.
    was5 = (
        b'{"count":"1","pagenum":"1","py":\'###pypy###\',"docs":[{"title":"\xe6\x9f\x90\xe5\x8e\xbf2023\xe5\xb9\xb4'
        + "政府信息公开工作年度报告".encode()
        + b'","url":"/xxgk/202403/t20240301_1.htm","time":"2024-03-01"}]}'
    )
    (entry,) = read_api(was5, None, request, 50).entries
    assert (entry.url, entry.title, entry.date) == (
        urljoin(PINGTAN, "/xxgk/202403/t20240301_1.htm"),
        "某县2023年政府信息公开工作年度报告",
        "2024-03-01",
    )
    with pytest.raises(ValueError):
        read_api(b'{"error": "bad request"}', None, request, 50)


@pytest.mark.parametrize(
    ("script", "page", "expected"),
    [
        ('var countPage = 4; createPageHTML(countPage, 0, "index", "shtml");', "index.shtml",
         ["index_1.shtml", "index_2.shtml", "index_3.shtml"]),
        ("createPageHTML('page_div', 3, 1, 'index', 'htm', 45);", "index_1.htm", ["index.htm", "index_2.htm"]),
        ('createPageHTML(1, 0, "index", "html");', "index.html", []),
    ],
)  # fmt: skip
def test_trs_static_paging_from_create_page_html(script: str, page: str, expected: list[str]) -> None:
    base = "http://127.0.0.1:1/xxgk/nb/"
    root = parse(f"<html><body><ul></ul><script>{script}</script></body></html>".encode(), base + page)
    assert [r.url for r in script_pages(root, base + page, 50)] == [base + e for e in expected]


def test_pager_links_next_numbers_and_last_page() -> None:
    base = "http://127.0.0.1:1/xxgk/nb/"
    root = parse((DATA / "plain" / "index.html").read_bytes(), base + "index.html")
    assert sorted(r.url for r in pager_links(root, base + "index.html", 50)) == [
        base + "index_1.html",
        base + "index_2.html",
    ]
    html = '<div class="page"><a href="list.jsp?page=2">下一页</a><a href="list.jsp?page=40">尾页</a></div>'
    urls = [r.url for r in pager_links(parse(html.encode(), base + "list.jsp?page=1"), base + "list.jsp?page=1", 5)]
    assert urls == [
        base + "list.jsp?page=2",
        base + "list.jsp?page=40",
        *(f"{base}list.jsp?page={n}" for n in (1, 3, 4, 5)),
    ]


def test_entries_of_tables_and_gbk_pages_with_chinese_dates() -> None:
    base = "http://127.0.0.1:1/xxgk/nb/"
    table = entries_of(
        parse((DATA / "plain" / "index_1.html").read_bytes(), base + "index_1.html"), base + "index_1.html"
    )
    assert [(e.url.rsplit("/", 1)[1], e.date) for e in table] == [
        ("t20230215_1005.html", "2023-02-15"),
        ("t20240305_1001.html", "2023-03-06"),
        ("t20230210_1006.html", "2023-02-10"),
    ]
    gbk = (DATA / "plain" / "index_2.html").read_text(encoding="utf-8").encode("gb18030")
    items = entries_of(parse(gbk, base + "index_2.html", "text/html"), base + "index_2.html")
    assert items[0].title == "某街道办事处2021年度政府信息公开工作年度报告" and items[0].date == "2022-02-10"
    inline = '<ul><li><a href="a.html">某局2023年度政府信息公开工作年度报告 (2024-01-30)</a></li></ul>'
    (entry,) = entries_of(parse(inline.encode(), base), base)
    assert (entry.title, entry.date) == ("某局2023年度政府信息公开工作年度报告", "2024-01-30")


@pytest.mark.parametrize(
    ("title", "is_report", "year", "why"),
    [
        ("平潭综合实验区2024年度政府信息公开工作年度报告", True, 2024, ""),
        ("某县人民政府二〇二三年政府信息公开工作年度报告", True, 2023, ""),
        ("某局2019年政府信息公开年报", True, 2019, ""),
        ("关于某县2023年度政府信息公开工作年度报告的解读", False, 2023, "about a report"),
        ("关于报送2023年度政府信息公开工作年度报告的通知", False, 2023, "about a report"),
        ("政府信息公开工作年度报告", False, None, "names no year"),
        ("县政府召开第十次常务会议", False, None, "not an annual report"),
    ],
)
def test_report_titles(title: str, is_report: bool, year: int | None, why: str) -> None:
    verdict = judge(title)
    assert (verdict.is_report, verdict.year) == (is_report, year)
    assert why in verdict.reason and (title in verdict.reason) == (not is_report)


def _article(body: str = "", attachments: tuple[tuple[str, str], ...] = ()):  # type: ignore[no-untyped-def]
    data = article("某县2023年度政府信息公开工作年度报告", "2024-03-01", body, attachments)
    return read_article(parse(data, "http://127.0.0.1:1/xxgk/nb/202403/t1.html"), len(data))


def test_article_body_is_the_report() -> None:
    page = (EXAMPLES / "2021_page.html").read_text(encoding="utf-8")
    assert body_is_report(page)
    assert _article(page).body_is_report and not _article("<p>报告全文见附件。</p>").body_is_report
    assert not body_is_report((DATA / "trs" / "index.html").read_text(encoding="utf-8"))


def test_article_attachments_and_which_is_the_report() -> None:
    got = _article("", (("P1.pdf", "某县2023年度政府信息公开工作年度报告.pdf"), ("P2.pdf", "图解2023年度报告.pdf"),
                        ("/d.jsp?filename=P3.doc", "附件3.doc"), ("x.xls", "统计表.xls")))  # fmt: skip
    assert [(a.url.rsplit("/", 1)[1], a.is_report) for a in got.attachments] == [
        ("P1.pdf", True),
        ("P2.pdf", False),  # a 图解
        ("d.jsp?filename=P3.doc", False),  # a download script's file, not named as the report
    ]
    (only,) = _article("", (("P020230215.wps", "附件"),)).attachments
    assert only.is_report and only.kind == "document"


def test_scanned_report_images_and_removed_pages() -> None:
    scan = _article('<p><img src="W020240301_1.jpg"><img src="W020240301_2.png"></p>')
    assert [(a.kind, a.is_report) for a in scan.attachments] == [("image", True), ("image", True)]
    # Images outside the article body (banners, logos) are not a scan.
    assert not read_article(
        parse(b'<html><body><img src="/banner.jpg"><p>x</p></body></html>', "http://h/"), 60
    ).attachments
    stub = b'<meta http-equiv="refresh" content="0;URL=../">'
    assert read_article(parse(stub, "http://h/a/b.html"), len(stub)).gone


def test_decoding_portal_pages() -> None:
    text = "某县2023年度政府信息公开工作年度报告，镕"  # 镕 is GBK but not GB2312
    gbk = f'<meta charset="gb2312"><p>{text}</p>'.encode("gb18030")
    assert text in decode(gbk) and text in decode(gbk, "text/html; charset=GBK")
    assert text in decode(f"<p>{text}</p>".encode(), "text/html; charset=gbk")  # UTF-8 under a GBK label
    assert iso_date("2023-02-20 16:30:00") == "2023-02-20" and iso_date(1644285600000) == "2022-02-08"
    assert iso_date("1644285600") == "2022-02-08" and iso_date(None) is None
