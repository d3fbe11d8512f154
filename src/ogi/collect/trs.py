"""TRS CMS listings whose later pages only a script knows.

TRS (拓尔思) WCM builds most government portals. The page's own scripts say where the other
pages are; they are read with a JavaScript parser (esprima), never guessed from file names.

1. **Static paging** — ``createPageHTML(countPage, currentPage, "index", "htm")`` (older
   templates put a container id first: ``createPageHTML('page_div', 5, 0, 'index', 'shtml', 95)``)
   writes links to ``index.htm``, ``index_1.htm`` … ``index_{countPage-1}.htm`` beside the page.
2. **List-API paging** — the 2020s templates (``require(["list2.trsapi"], …)``, as on
   www.pingtan.gov.cn) publish the first page statically and fetch every later one in the
   browser: ``listModel({quickMode: "动静结合", maxStaticIndex: 1, listArgs: {channelid:
   SiteInfo.searchId, classsql: "chnlid=1813", sortfield: "-docorderpri,-docreltime"}, pagebar:
   {prepage: 10, recordCount: '20'}})``. The module sends the ``listArgs`` — with names such as
   ``SiteInfo.searchId`` resolved from the page's ``var SiteInfo = {…}`` — plus ``page``
   (1-based) and ``prepage`` as a form POST to the site's search service, ``/fjdzapp/search``,
   which answers JSON: ``{"data": [{"doctitle", "docpuburl"/"chnldocurl", "docreltime"}, …],
   "pageCount": N}``. The number of pages is ``recordCount / prepage`` from the script, or the
   answer's ``pageCount`` when that is larger. Older WAS5 search services answer
   ``{"docs": [{"title", "url", "time"}]}``, sometimes with single-quoted values; both are read.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urljoin

import esprima
import lxml.html

from ogi.collect.listing import Entry, ListingPage, ListingRequest
from ogi.collect.pages import decode, iso_date, scripts, strip_tags

LIST_API_PATH = "/fjdzapp/search"
"""Where the list2.trsapi module sends its ``listArgs`` (relative to the site root)."""
API_KIND = "trs-list"
_URL_KEYS = ("docpuburl", "chnldocurl", "url", "docurl", "puburl")
_TITLE_KEYS = ("doctitle", "title", "docname", "filename")
_DATE_KEYS = ("docreltime", "pubdate", "docpubtime", "pubtime", "time", "publishdate")
_PAGES_KEYS = ("pageCount", "pagecount", "totalPage", "pages")


def _evaluate(node: Any, env: dict[str, Any]) -> Any:
    """The value of a constant JavaScript expression; None for anything that needs running."""
    kind = getattr(node, "type", None)
    if kind == "Literal":
        return node.value
    if kind == "TemplateLiteral" and not node.expressions:
        return "".join(q.value.cooked for q in node.quasis)
    if kind == "ObjectExpression":
        out: dict[str, Any] = {}
        for prop in node.properties:
            key = getattr(prop, "key", None)
            name = getattr(key, "name", None) or getattr(key, "value", None)
            if name is not None and getattr(prop, "value", None) is not None:
                out[str(name)] = _evaluate(prop.value, env)
        return out
    if kind == "ArrayExpression":
        return [_evaluate(e, env) for e in node.elements]
    if kind == "Identifier":
        return env.get(node.name)
    if kind == "MemberExpression":
        owner = _evaluate(node.object, env)
        key = _evaluate(node.property, env) if node.computed else node.property.name
        return owner.get(str(key)) if isinstance(owner, dict) else None
    if kind == "LogicalExpression":
        left = _evaluate(node.left, env)
        if node.operator == "||":
            return left or _evaluate(node.right, env)
        if node.operator == "&&":
            return left and _evaluate(node.right, env)
        return left if left is not None else _evaluate(node.right, env)
    if kind == "BinaryExpression" and node.operator == "+":
        left, right = _evaluate(node.left, env), _evaluate(node.right, env)
        if isinstance(left, str) or isinstance(right, str):
            return None if left is None or right is None else f"{left}{right}"
        return left + right if isinstance(left, int | float) and isinstance(right, int | float) else None
    if kind == "UnaryExpression" and node.operator == "-":
        value = _evaluate(node.argument, env)
        return -value if isinstance(value, int | float) else None
    return None


def _calls(texts: Iterable[str]) -> tuple[list[tuple[str, list[Any]]], dict[str, Any]]:
    """Every call in the scripts as (function name, argument nodes), and the constant variables."""
    env: dict[str, Any] = {}
    calls: list[tuple[str, list[Any]]] = []

    def visit(node: Any, _meta: Any) -> None:
        if node.type == "VariableDeclarator" and node.init is not None and node.id.type == "Identifier":
            value = _evaluate(node.init, env)
            if value is not None:
                env[node.id.name] = value
        elif node.type == "CallExpression":
            callee = node.callee
            name = getattr(callee, "name", None) or getattr(getattr(callee, "property", None), "name", None)
            if name:
                calls.append((name, list(node.arguments)))

    for text in texts:
        try:
            esprima.parseScript(text, {"tolerant": True}, visit)
        except esprima.Error:
            continue
    return calls, env


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


def _static_pages(args: list[Any], page_url: str, max_pages: int) -> list[ListingRequest]:
    values = list(args)
    if len(values) >= 5 and isinstance(values[0], str) and _int(values[1]) is not None:
        values = values[1:]  # the container id of the older signature
    if len(values) < 4:
        return []
    count, current, prefix, suffix = _int(values[0]), _int(values[1]) or 0, values[2], values[3]
    if count is None or not isinstance(prefix, str) or not isinstance(suffix, str) or not prefix:
        return []
    names = [f"{prefix}.{suffix}" if n == 0 else f"{prefix}_{n}.{suffix}" for n in range(min(count, max_pages))]
    return [
        ListingRequest(urljoin(page_url, name), referer=page_url, page=n)
        for n, name in enumerate(names)
        if n != current
    ]


def _api_request(url: str, form: dict[str, str], page: int, referer: str) -> ListingRequest:
    fields = (*((k, v) for k, v in form.items() if k != "page"), ("page", str(page)))
    return ListingRequest(url, "POST", fields, API_KIND, referer, page)


def _api_pages(config: dict[str, Any], page_url: str, max_pages: int) -> list[ListingRequest]:
    args = config.get("listArgs")
    if not isinstance(args, dict) or args.get("channelid") in (None, ""):
        return []
    bar = config.get("pagebar") if isinstance(config.get("pagebar"), dict) else {}
    prepage = _int(bar.get("prepage")) or _int(config.get("prepage")) or 10
    records = _int(bar.get("recordCount"))
    pages = math.ceil(records / prepage) if records is not None else (_int(bar.get("pageCount")) or 2)
    form = {k: ("true" if v is True else "false" if v is False else str(v))
            for k, v in args.items() if isinstance(v, str | int | float | bool)}  # fmt: skip
    form["prepage"] = str(prepage)
    url = urljoin(page_url, LIST_API_PATH)
    return [_api_request(url, form, n, page_url) for n in range(2, min(pages, max_pages) + 1)]


def script_pages(root: lxml.html.HtmlElement, page_url: str, max_pages: int) -> list[ListingRequest]:
    """The further listing pages a page's TRS scripts would show."""
    texts = [t for t in scripts(root) if "createPageHTML" in t or "listArgs" in t or "SiteInfo" in t]
    if not texts:
        return []
    calls, env = _calls(texts)
    out: list[ListingRequest] = []
    for name, arg_nodes in calls:
        if name == "createPageHTML":
            out += _static_pages([_evaluate(a, env) for a in arg_nodes], page_url, max_pages)
        elif len(arg_nodes) == 1 and arg_nodes[0].type == "ObjectExpression":
            config = _evaluate(arg_nodes[0], env)
            if isinstance(config, dict) and "listArgs" in config:
                out += _api_pages(config, page_url, max_pages)
    return out


def _lenient_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        # WAS5 templates print placeholders as single-quoted strings: "py":'###pypy###'.
        fixed = re.sub(r":\s*'([^'\\]*)'", lambda m: ": " + json.dumps(m.group(1)), text)
        return json.loads(fixed)


def _first(doc: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {k.lower(): v for k, v in doc.items()}
    for key in keys:
        if lowered.get(key.lower()) not in (None, ""):
            return lowered[key.lower()]
    return None


def read_api(data: bytes, content_type: str | None, request: ListingRequest, max_pages: int) -> ListingPage:
    """Entries of one list-API answer, and the pages its ``pageCount`` adds. Raises ValueError
    when the answer is not the JSON such a service gives."""
    answer = _lenient_json(decode(data, content_type).strip())
    if not isinstance(answer, dict):
        raise ValueError("the list API answered something other than a JSON object")
    docs = answer.get("data") if isinstance(answer.get("data"), list) else answer.get("docs")
    if not isinstance(docs, list):
        raise ValueError("the list API's answer has no 'data' or 'docs' list")
    listing = request.referer or request.url
    page = ListingPage()
    for doc in docs:
        if not isinstance(doc, dict) or not isinstance(url := _first(doc, _URL_KEYS), str):
            continue
        title = strip_tags(str(_first(doc, _TITLE_KEYS) or ""))
        page.entries.append(Entry(urljoin(listing, url.strip()), title, iso_date(_first(doc, _DATE_KEYS)), listing))
    total = _int(_first(answer, _PAGES_KEYS))
    if total and request.page:
        form = dict(request.form)
        page.more = [_api_request(request.url, form, n, listing)
                     for n in range(request.page + 1, min(total, max_pages) + 1)]  # fmt: skip
    return page
