"""A fixture web site on 127.0.0.1 with the structures of real government portals.

Two portals on one server (see ``tests/data/portals/README.md`` for where each structure comes from):

- ``/xxgk/nb/`` — a plain 年报 column: three listing pages joined by numbered links, 下一页 and
  尾页 (the third page in GBK), reached from the site root through 政务公开; its entries cover a
  report in the page body, a PDF attachment, a Word file served as ``.wps``, a web page served as
  ``.doc``, a 解读, a duplicate, a page holding no report, a GBK article, a 404, a redirect loop,
  a slow page (it answers only when the site closes: any client timeout passes first, however
  loaded the machine) and a path robots.txt disallows.
- ``/zwgk/zfxxgk/zfxxgknb/`` — the TRS structure of www.pingtan.gov.cn's column: a static first
  page, the rest from ``POST /fjdzapp/search``.

Every static answer carries an ETag and a Last-Modified and honours ``If-None-Match``; a path
can be made to answer 503 a number of times first (``failures``), and ``/stream/<path>`` answers
without a Content-Length. Every request is logged with its monotonic time, and handed to
``on_request`` (when set) before it is answered: the client waits meanwhile. The server binds
127.0.0.1 on a free port, answers from daemon threads, and is stopped by the test that started it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data" / "portals"
EXAMPLES = ROOT / "examples"
LAST_MODIFIED = "Tue, 05 Mar 2024 08:00:00 GMT"
SLOW_SECONDS = 120.0

NB = "/xxgk/nb/"
TRS = "/zwgk/zfxxgk/zfxxgknb/"
TRS_FORM = {"channelid": "200210", "classsql": "chnlid=1813", "sortfield": "-docorderpri,-docreltime", "prepage": "3"}


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    at: float
    headers: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)


def _body_of(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return re.search(r"<body>(.*)</body>", text, re.S).group(1)  # type: ignore[union-attr]


def article(
    title: str, date: str, body: str = "", attachments: tuple[tuple[str, str], ...] = (), charset: str = "utf-8"
) -> bytes:
    template = (DATA / "article.html").read_text(encoding="utf-8")
    links = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in attachments)
    page = template.format(title=title, date=date, body=body, attachments=links, charset=charset)
    return page.encode("gb18030" if charset == "gb2312" else charset)


REPORT_BODY = _body_of(EXAMPLES / "2021_page.html")
PDF = (EXAMPLES / "2021_print.pdf").read_bytes()
DOCX = (EXAMPLES / "2019_word.docx").read_bytes()
PAGE = (EXAMPLES / "2021_page.html").read_bytes()

HTML = "text/html; charset=utf-8"


def routes() -> dict[str, tuple[bytes, str]]:
    """Path → (body, Content-Type) of every static answer."""
    plain = DATA / "plain"
    r: dict[str, tuple[bytes, str]] = {
        "/robots.txt": ((DATA / "robots.txt").read_bytes(), "text/plain"),
        "/": ((plain / "root.html").read_bytes(), HTML),
        "/xxgk/index.html": ((plain / "xxgk.html").read_bytes(), HTML),
        NB + "index.html": ((plain / "index.html").read_bytes(), HTML),
        NB + "index_1.html": ((plain / "index_1.html").read_bytes(), HTML),
        # Served as a GBK portal serves it: GB18030 bytes, a GB2312 <meta>, no charset in the header.
        NB + "index_2.html": ((plain / "index_2.html").read_text(encoding="utf-8").encode("gb18030"), "text/html"),
        NB + "202403/t20240305_1001.html": (
            article("赣州市赣县区人民政府2022年政府信息公开工作年度报告", "2023-03-06", REPORT_BODY),
            HTML,
        ),
        NB + "202403/t20240310_1002.html": (
            article(
                "某县人民政府2023年度政府信息公开工作年度报告",
                "2024-03-10",
                "<p>报告全文见附件。</p>",
                (
                    ("P020240310_1.pdf", "某县人民政府2023年度政府信息公开工作年度报告.pdf"),
                    ("P020240310_2.pdf", "一图读懂2023年度政府信息公开工作年度报告.pdf"),
                ),
            ),
            HTML,
        ),
        NB + "202403/P020240310_1.pdf": (PDF, "application/pdf"),
        NB + "202403/P020240310_2.pdf": (PDF[: len(PDF) // 2] + b"%%EOF", "application/pdf"),
        NB + "202403/t20240312_1003.html": (
            article("关于某县2023年度政府信息公开工作年度报告的解读", "2024-03-12", "<p>解读。</p>"),
            HTML,
        ),
        NB + "202402/t20240220_1004.html": (
            article(
                "某县财政局2023年度政府信息公开工作年度报告",
                "2024-02-20",
                "<p>详见附件：</p>",
                (
                    (
                        "/module/download/downfile.jsp?classid=0&filename=P020240220.doc",
                        "某县财政局2023年度政府信息公开工作年度报告.doc",
                    ),
                ),
            ),
            HTML,
        ),
        "/module/download/downfile.jsp": (PAGE, "application/msword"),
        NB + "202302/t20230215_1005.html": (
            article("某县教育局2022年度政府信息公开工作年度报告", "2023-02-15", "", (("P020230215.wps", "附件"),)),
            HTML,
        ),
        NB + "202302/P020230215.wps": (DOCX, "application/vnd.ms-works"),
        NB + "202302/t20230210_1006.html": (
            article("某镇人民政府2022年度政府信息公开工作年度报告", "2023-02-10", "<p>本报告正在编制，敬请关注。</p>"),
            HTML,
        ),
        NB + "202202/t20220210_1007.html": (
            article("某街道办事处2021年度政府信息公开工作年度报告", "2022-02-10", REPORT_BODY, charset="gb2312"),
            "text/html",
        ),
        "/private/t20220214_1011.html": (
            article("某县审计局2021年度政府信息公开工作年度报告", "2022-02-14", REPORT_BODY),
            HTML,
        ),
        TRS: ((DATA / "trs" / "index.html").read_bytes(), HTML),
    }
    for name, title, date in (
        ("202603/t20260313_105587.htm", "平潭综合实验区2025年度政府信息公开工作年度报告", "2026-03-10"),
        ("202503/t20250310_97791.htm", "平潭综合实验区2024年度政府信息公开工作年度报告", "2025-03-10"),
        ("202403/t20240308_87885.htm", "平潭综合实验区2023年度政府信息公开工作年度报告", "2024-03-08"),
        ("202302/t20230220_80629.htm", "平潭综合实验区2022年度政府信息公开工作年度报告", "2023-02-20"),
        ("202202/t20220208_80613.htm", "平潭综合实验区2021年度政府信息公开工作年度报告", "2022-02-08"),
    ):
        r[TRS + name] = (article(title, date, REPORT_BODY), HTML)
    return r


class PortalSite:
    """The fixture site; use as a context manager. ``replace`` swaps answers (path → body, type)."""

    def __init__(self, replace: dict[str, tuple[bytes, str]] | None = None) -> None:
        self.routes = {**routes(), **(replace or {})}
        self.on_request: Callable[[Hit], None] | None = None
        """Called with each request before it is answered (in the server's thread)."""
        self.closing = threading.Event()
        self.failures: dict[str, int] = {}
        """Path → how many more times it answers 503 before it answers."""
        self.hits: list[Hit] = []
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def paths(self, method: str = "GET") -> list[str]:
        with self.lock:
            return [h.path for h in self.hits if h.method == method]

    def __enter__(self) -> PortalSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, status: int, body: bytes = b"", ctype: str = HTML, **headers: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)  # the client may have given up (the slow page)

            def _log(self, form: dict[str, str] | None = None) -> str:
                path = urlsplit(self.path).path
                hit = Hit(self.command, path, time.monotonic(), dict(self.headers.items()), form or {})
                with site.lock:
                    site.hits.append(hit)
                if site.on_request is not None:
                    site.on_request(hit)
                return path

            def do_GET(self) -> None:
                path = self._log()
                with site.lock:
                    failing = site.failures.get(path, 0)
                    site.failures[path] = max(0, failing - 1)
                if failing:
                    return self._answer(503, b"busy", "text/plain", Retry_After="1")
                if path.startswith("/stream/"):
                    # No Content-Length: the body ends when the connection closes.
                    self.send_response(200)
                    self.send_header("Content-Type", "application/pdf")
                    self.end_headers()
                    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                        self.wfile.write(site.routes[path[len("/stream") :]][0])
                    self.close_connection = True
                    return
                if path.startswith("/loop/"):
                    other = path.replace("t2022", "u2022") if "/t2022" in path else path.replace("u2022", "t2022")
                    return self._answer(302, Location=other)
                if path.startswith("/slow/"):
                    site.closing.wait(SLOW_SECONDS)
                if path not in site.routes:
                    return self._answer(404, b"<html><body>404 Not Found</body></html>")
                body, ctype = site.routes[path]
                tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == tag:
                    return self._answer(304, ETag=tag)
                self._answer(200, body, ctype, ETag=tag, Last_Modified=LAST_MODIFIED)

            def do_POST(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(size).decode("utf-8")).items()}
                path = self._log(form)
                if path != "/fjdzapp/search" or any(form.get(k) != v for k, v in TRS_FORM.items()):
                    return self._answer(400, b'{"error": "bad request"}', "application/json")
                if form.get("page") != "2":
                    return self._answer(200, b'{"data": [], "pageCount": 2}', "application/json;charset=UTF-8")
                text = (
                    (DATA / "trs" / "api_page2.json").read_text(encoding="utf-8").replace("https://PORTAL", site.base)
                )
                self._answer(200, text.encode("utf-8"), "application/json;charset=UTF-8")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def api_answer(base: str) -> dict[str, object]:
    return json.loads((DATA / "trs" / "api_page2.json").read_text(encoding="utf-8").replace("https://PORTAL", base))
