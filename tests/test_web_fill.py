"""填报 in the web app, in-process: the API (pre-fill, drafts as versions, the live check, renders,
submit, import), the form pages posted as plain forms, and their security. The browser test is
``test_web_fill_browser.py``."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from fastapi.testclient import TestClient

import ogi
from ogi.fill import Draft
from ogi.render.synth import synth_report
from ogi.render.variants import with_variants
from ogi.store.db import Store
from ogi.store.drafts import DraftConflict, draft_of_text, draft_text, get_draft, save_draft
from ogi.store.schema import MIGRATIONS, SCHEMA_VERSION
from ogi.web.jsonio import dumps
from ogi.web.security import SESSION_COOKIE, csrf_value
from tests.web_helpers import EXAMPLES, upload, web_client

AGENCY = "淮安市洪泽区人民政府"
APPLICANTS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    with web_client(tmp_path_factory.mktemp("fill") / "fill.duckdb") as c:
        assert [r["status"] for r in upload(c, EXAMPLES / "hongze_2023_gov.txt")] == ["ok"]
        yield c


@pytest.fixture(scope="module")
def last() -> ogi.Report:
    return ogi.parse(EXAMPLES / "hongze_2023_gov.txt")


def _finished() -> dict[str, Any]:
    """The district's 2024 report as a draft's JSON: complete, every identity holding."""
    draft = Draft.from_report(ogi.parse(EXAMPLES / "hongze_2024_gov.txt"))
    return json.loads(json.dumps({**draft.to_json()}, ensure_ascii=False), parse_float=Decimal)


def _json_of(draft: Draft) -> dict[str, Any]:
    return {**draft.to_json(), "cells": dict(draft.cells)}


def _json(r: Any) -> Any:
    return json.loads(r.text, parse_float=Decimal)


def _new(client: TestClient, draft: dict[str, Any] | None = None) -> dict[str, Any]:
    body = {"who": "测试", "draft": draft} if draft else {"who": "测试", "agency": AGENCY, "year": 2024}
    r = client.post("/api/drafts", content=dumps(body), headers={"content-type": "application/json"})
    assert r.status_code == 201, r.text
    return _json(r)


def _put(client: TestClient, draft_id: int, draft: dict[str, Any], base: int | None, **kw: Any) -> Any:
    body = dumps({"who": "测试", "base": base, "draft": draft})
    return client.put(f"/api/drafts/{draft_id}", content=body, headers={"content-type": "application/json"}, **kw)


# --- starting from last year's report ---------------------------------------------------------------


def test_prefill_carries_last_years_report_over(client: TestClient, last: ogi.Report) -> None:
    start = _json(client.get("/api/fill/prefill", params={"agency": AGENCY, "year": 2024}))
    assert start["draft"]["template"] == "2021" and start["last_year"] == 2023 and start["last_report_id"]
    for col in APPLICANTS:
        carried = start["draft"]["cells"][f"requests.carried_over.{col}"]
        assert carried == last.cells[f"requests.carried_forward.{col}"].value
        assert start["carried"][f"requests.carried_over.{col}"] == [f"requests.carried_forward.{col}"]
    assert start["draft"]["cells"]["active.normative.in_force"] == 23
    assert start["last_values"]["requests.new.total"] == 17 and start["last_values"]["active.penalty.decisions"] == 593
    assert start["last_sections"]["overview"] == last.sections["overview"].text
    assert "overview" not in start["draft"]["sections"]  # offered, never copied
    # The template follows the year; a unit with no report last year starts blank.
    old = _json(client.get("/api/fill/prefill", params={"agency": AGENCY, "year": 2020}))
    assert old["draft"]["template"] == "2019" and old["last_report_id"] is None and old["draft"]["cells"] == {}


def test_a_draft_started_on_the_server_is_version_1_with_its_origin(client: TestClient) -> None:
    made = _new(client)
    assert made["version"] == 1 and made["origin"]["how"] == "last_year" and made["origin"]["year"] == 2023
    got = _json(client.get(f"/api/drafts/{made['id']}"))
    assert got["draft"]["cells"]["requests.carried_over.total"] == 6
    assert got["check"]["broken"] == [] and len(got["check"]["unfilled"]) == got["unfilled"] > 150
    assert [v["version"] for v in got["versions"]] == [1]


# --- the live check ---------------------------------------------------------------------------------


def test_check_marks_the_cell_that_breaks_a_total_with_its_expected_value(client: TestClient) -> None:
    draft = _finished()
    draft["cells"]["requests.total.total"] += 3
    live = _json(client.post("/api/fill/check", json=draft))
    assert list(live["marks"]) == ["requests.total.total"]
    mark = live["marks"]["requests.total.total"]
    assert (mark["expected"], mark["value"]) == ("10", "13") and sorted(mark["rules"]) == ["I1", "I2", "I3"]
    assert mark["place"] == "表三（依申请公开） · （七）总计 · 总计"
    assert "应为 10" in live["not_ready"]
    # Against last year's report in the store: its 现行有效件数 was 23, this draft says 0.
    assert "X_IN_FORCE" in {w["rule"] for w in live["warnings"]}
    fixed = _json(client.post("/api/fill/check", json=_finished()))
    assert fixed["marks"] == {} and fixed["unfilled"] == [] and fixed["ok"] and fixed["not_ready"] is None


def test_check_offers_the_totals_the_identities_fix(client: TestClient) -> None:
    draft = _finished()
    draft["cells"]["requests.new.total"] = None
    live = _json(client.post("/api/fill/check", json=draft))
    assert live["suggestions"] == {"requests.new.total": "5"} and live["unfilled"] == ["requests.new.total"]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"cells": {"requests.new.totl": 1}}, "cells.requests.new.totl"),
        ({"cells": {"requests.new.total": 1.5}}, "cells.requests.new.total"),
        ({"cells": {"active.procurement.amount": 1}}, "cells.active.procurement.amount"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_draft_is_refused_naming_the_key(client: TestClient, change: dict[str, Any], key: str) -> None:
    r = client.post("/api/fill/check", json={"template": "2021"} | change)
    assert r.status_code == 422 and r.json()["detail"]["key"] == key and r.json()["detail"]["message"]


def test_amounts_stay_exact_through_save_and_load(client: TestClient) -> None:
    draft = _finished()
    draft["cells"]["active.fees.amount"] = Decimal("24252.3110823456789")
    made = _new(client, draft)
    r = client.get(f"/api/drafts/{made['id']}")
    assert '"active.fees.amount": 24252.3110823456789' in r.text
    assert _json(r)["draft"]["cells"]["active.fees.amount"] == Decimal("24252.3110823456789")


# --- versions ---------------------------------------------------------------------------------------


def test_every_save_is_a_version_and_a_stale_save_is_refused(client: TestClient) -> None:
    made = _new(client)
    draft = made["draft"]
    draft["cells"]["requests.new.natural"] = 4
    saved = _put(client, made["id"], draft, base=1)
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = _put(client, made["id"], draft, base=1)
    assert stale.status_code == 409 and "第2版" in stale.json()["detail"]
    got = _json(client.get(f"/api/drafts/{made['id']}"))
    assert [v["version"] for v in got["versions"]] == [2, 1] and got["draft"]["cells"]["requests.new.natural"] == 4
    first = _json(client.get(f"/api/drafts/{made['id']}", params={"version": 1}))
    assert first["draft"]["cells"].get("requests.new.natural") is None
    assert client.get(f"/api/drafts/{made['id']}", params={"version": 9}).status_code == 404
    listed = client.get("/api/drafts", params={"agency": "洪泽", "year": 2024}).json()
    row = next(d for d in listed["drafts"] if d["id"] == made["id"])
    assert row["version"] == 2 and row["versions"] == 2 and row["who"] == "测试"


# --- files --------------------------------------------------------------------------------------------


def test_a_saved_draft_downloads_in_every_format_and_the_docx_reads_back(client: TestClient) -> None:
    draft = _finished()
    draft["sections"]["problems"] = '<script>alert("x")</script>存在的主要问题'
    made = _new(client, draft)
    for fmt, media in (("docx", "wordprocessingml"), ("html", "text/html"), ("xlsx", "spreadsheetml"),
                       ("md", "text/markdown"), ("txt", "text/plain")):  # fmt: skip
        r = client.get(f"/api/drafts/{made['id']}/render", params={"format": fmt})
        assert r.status_code == 200 and media in r.headers["content-type"]
        assert r.headers["content-disposition"].startswith(f'attachment; filename="draft-{made["id"]}-v1.{fmt}"')
        assert r.headers["content-security-policy"] == "sandbox"
        back = ogi.parse_bytes(r.content, f"x.{fmt}")
        assert {k: c.value for k, c in back.cells.items()} == _finished()["cells"], fmt
        assert all(c.flag is None for c in back.cells.values())
        if fmt == "html":
            assert "<script>" not in r.text and "&lt;script&gt;" in r.text
    unsaved = client.post("/api/fill/render", params={"format": "md"}, json=_finished())
    assert unsaved.status_code == 200 and "政府信息公开工作年度报告" in unsaved.text
    assert client.get(f"/api/drafts/{made['id']}/render", params={"format": "rtf"}).status_code == 422


@pytest.mark.libreoffice
def test_a_draft_downloads_as_pdf(client: TestClient) -> None:
    import shutil

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) is not installed")
    made = _new(client, _finished())
    r = client.get(f"/api/drafts/{made['id']}/render", params={"format": "pdf"})
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    assert {k: c.value for k, c in ogi.parse_bytes(r.content, "x.pdf").cells.items()} == _finished()["cells"]


# --- submitting -----------------------------------------------------------------------------------


def test_submit_ingests_the_docx_as_the_units_report(client: TestClient) -> None:
    broken = _finished()
    broken["cells"]["requests.total.total"] = 13
    refused = client.post(f"/api/drafts/{_new(client, broken)['id']}/submit", json={"who": "测试"})
    assert refused.status_code == 409 and "（七）总计 · 总计 应为 10" in refused.json()["detail"]
    undated = client.post(f"/api/drafts/{_new(client)['id']}/submit", json={"who": "测试"})
    assert undated.status_code == 409 and undated.json()["detail"] == "请先填写发布日期"
    partial = _finished()
    partial["cells"]["appeals.review.upheld"] = None
    unfilled = client.post(f"/api/drafts/{_new(client, partial)['id']}/submit", json={"who": "测试"})
    assert unfilled.status_code == 409 and "还有 1 个单元格未填" in unfilled.json()["detail"]

    made = _new(client, _finished())
    done = client.post(f"/api/drafts/{made['id']}/submit", json={"who": "审核人", "base": 1}).json()
    assert done["status"] == "ok" and done["version"] == 2 and done["findings"]["error"] == 0
    report = _json(client.get(f"/api/reports/{done['report_id']}"))
    assert report["format"] == "docx" and report["file"] == f"fill/{AGENCY}2024年政府信息公开工作年度报告.docx"
    assert (report["agency"], report["year"]) == (AGENCY, 2024) and report["flags"] == {}
    assert report["cells"] == _finished()["cells"]
    original = client.get(f"/api/reports/{done['report_id']}/file")
    assert original.content[:2] == b"PK" and "docx" in original.headers["content-disposition"]
    # It is the unit's 2024 report now, checked against 2023 (现行有效件数 23 → 0 is said).
    units = client.get("/api/reports", params={"agency": "洪泽", "year": 2024}).json()["reports"]
    assert [r["id"] for r in units] == [done["report_id"]]
    assert "X_IN_FORCE" in {f["rule"] for f in report["findings"]}
    again = client.post(f"/api/drafts/{made['id']}/submit", json={"who": "审核人"}).json()
    assert again["status"] == "unchanged" and again["report_id"] == done["report_id"]
    history = _json(client.get(f"/api/drafts/{made['id']}"))["versions"]
    assert [(v["version"], v["report_id"]) for v in history] == [(2, done["report_id"]), (1, None)]


# --- starting from a file -------------------------------------------------------------------------


def test_a_draft_starts_from_an_uploaded_file(client: TestClient) -> None:
    crawler = EXAMPLES / "2021_crawler.txt"
    r = client.post("/api/drafts/import", files={"file": (crawler.name, crawler.read_bytes())}, data={"who": "测试"})
    assert r.status_code == 201, r.text
    made = _json(r)
    assert made["origin"]["how"] == "file" and made["origin"]["file"] == "2021_crawler.txt"
    assert made["draft"]["agency"] == "涟水县人民政府" and len(made["draft"]["cells"]) == 200
    # The cells the file did not print plainly are said, with the value taken.
    assert made["origin"]["flagged"]["active.normative.in_force"] == ["uncertain", 13]
    page = client.get(f"/fill/{made['id']}").text
    assert 'class="v k-count imported-flag" data-key="active.normative.in_force"' in page
    bad = client.post("/api/drafts/import", files={"file": ("notes.txt", b"shopping list\n")}, data={"who": "x"})
    assert bad.status_code == 422 and "not a 政府信息公开工作年度报告" in bad.json()["detail"]


# --- the pages --------------------------------------------------------------------------------------


def test_the_form_page_draws_the_official_layout_with_last_years_values(client: TestClient) -> None:
    made = _new(client)
    page = client.get(f"/fill/{made['id']}").text
    assert 'id="cell-requests.carried_over.total" value="6"' in page and "由2023年报告" in page
    assert "上年 17" in page and "采用上年文字" in page and 'src="/static/fill.js"' in page
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in page
    start = client.get("/fill").text
    assert 'href="/fill"' in start and f"/fill/{made['id']}" in start and "开始填报" in start


def test_the_form_posts_without_scripts_and_keeps_what_was_typed(client: TestClient) -> None:
    r = client.post("/fill", data={"agency": AGENCY, "year": "2024", "template": "", "who": "表单"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    url = r.headers["location"]
    form: dict[str, str] = {f"cell.{k}": str(v) for k, v in _finished()["cells"].items()}
    form |= {"agency": AGENCY, "year": "2024", "published": "2025-01-10", "who": "表单", "base": "1",
             "section.overview": "本年度概述", "action": "save"}  # fmt: skip
    bad = client.post(url, data=form | {"cell.requests.new.natural": "三"})
    assert bad.status_code == 422 and "「三」不是数字" in bad.text and "本年度概述" in bad.text
    assert 'class="v k-count bad-input" data-key="requests.new.natural"' in bad.text
    saved = client.post(url, data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].startswith(f"{url}?saved=2")
    assert "已保存为第2版" in client.get(saved.headers["location"]).text
    wrong = client.post(url, data=form | {"cell.requests.total.total": "13", "action": "submit", "base": "2"})
    assert wrong.status_code == 409 and "勾稽关系不符" in wrong.text and "应为 10" in wrong.text
    stale = client.post(url, data=form | {"cell.requests.new.natural": "1", "base": "1"})
    assert stale.status_code == 409 and "请打开最新版" in stale.text


def test_a_2019_draft_with_local_variants_goes_through_the_form_unchanged(client: TestClient) -> None:
    rep = with_variants(synth_report("2019", random.Random(8)), legal_subtotal=True, subtotal_groups=["denied"],
                        extra_lines=1, rng=random.Random(9))  # fmt: skip
    draft = Draft(template="2019", year=rep.year, agency=rep.agency, published=rep.published, cells=rep.cells,
                  sections=rep.sections, labels=rep.labels)  # fmt: skip
    made = _new(client, _json_of(draft))
    page = client.get(f"/fill/{made['id']}").text
    extra = next(k for k in rep.cells if k.startswith("active.extra."))
    for key in ("requests.new.legal_subtotal", "requests.denied.subtotal.natural", extra, "active.procurement.amount"):
        assert f'id="cell-{key}"' in page, key
    assert f'<span class="extra-label">{rep.labels[extra]}：</span>' in page
    form = {f"cell.{k}": str(v) for k, v in rep.cells.items()} | {"agency": rep.agency, "year": str(rep.year),
            "published": rep.published.isoformat(), "who": "表单", "base": "1", "action": "save"}  # fmt: skip
    form |= {f"section.{k}": text for k, text in rep.sections.items()}
    bad = client.post(f"/fill/{made['id']}", data=form | {"cell.requests.new.legal_subtotal": "x1"})
    assert bad.status_code == 422 and 'id="cell-requests.new.legal_subtotal" value="x1"' in bad.text
    saved = client.post(f"/fill/{made['id']}", data=form, follow_redirects=False)
    assert saved.status_code == 303 and "unchanged=1" in saved.headers["location"]
    assert "没有修改，未产生新版本" in client.get(saved.headers["location"]).text
    # Nothing changed, so no new version; every cell as it was.
    got = _json(client.get(f"/api/drafts/{made['id']}"))
    assert got["version"] == 1 and got["draft"]["cells"] == rep.cells and got["check"]["ok"]


def test_report_text_is_untrusted_on_the_form(client: TestClient) -> None:
    draft = _finished() | {"agency": '<img src=x onerror="alert(1)">局'}
    draft["sections"]["overview"] = "</textarea><script>alert(2)</script>"
    page = client.get(f"/fill/{_new(client, draft)['id']}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;/textarea&gt;&lt;script&gt;" in page


# --- security and the API document ----------------------------------------------------------------


def test_writes_need_the_token_and_the_check_does_not(tmp_path: Path) -> None:
    token = "fill-token"
    with web_client(tmp_path / "t.duckdb", token=token) as c:
        body = {"who": "x", "agency": AGENCY, "year": 2024}
        assert c.post("/api/drafts", json=body).status_code == 401
        upload_file = {"file": ("a.txt", (EXAMPLES / "2021_tsv.txt").read_bytes())}
        assert c.post("/api/drafts/import", files=upload_file, data={"who": "x"}).status_code == 401
        assert c.post("/api/fill/render", json=_finished()).status_code == 401
        assert c.post("/fill", data={"agency": AGENCY, "year": "2024", "who": "x"}).status_code == 401
        auth = {"Authorization": f"Bearer {token}"}
        made = c.post("/api/drafts", json=body, headers=auth).json()
        assert _put(c, made["id"], made["draft"], 1).status_code == 401
        assert c.post(f"/api/drafts/{made['id']}/submit", json={"who": "x"}).status_code == 401
        assert c.post("/api/fill/check", json=_finished()).status_code == 200
        assert c.get(f"/fill/{made['id']}").status_code == 200
        # A page writes with its session and the CSRF value; another site cannot.
        login = c.post("/login", data={"token": token}, follow_redirects=False)
        c.cookies.set(SESSION_COOKIE, login.cookies[SESSION_COOKIE])
        form = {"agency": AGENCY, "year": "2024", "who": "x"}
        assert c.post("/fill", data=form).status_code == 401
        ok = c.post("/fill", data=form | {"csrf": csrf_value(token)}, follow_redirects=False)
        assert ok.status_code == 303
        cross = c.post("/fill", data=form | {"csrf": csrf_value(token)}, headers={"sec-fetch-site": "cross-site"})
        assert cross.status_code == 403


def test_the_fill_routes_are_in_the_openapi_document(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    routes = {
        "/api/drafts": ("get", "post"),
        "/api/drafts/import": ("post",),
        "/api/drafts/{draft_id}": ("get", "put"),
        "/api/drafts/{draft_id}/render": ("get",),
        "/api/drafts/{draft_id}/submit": ("post",),
        "/api/fill/check": ("post",),
        "/api/fill/prefill": ("get",),
        "/api/fill/render": ("post",),
    }
    for path, methods in routes.items():
        assert set(methods) <= set(paths.get(path, {})), path
    check = paths["/api/fill/check"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert {"template", "cells", "sections"} <= set(check["properties"])
    assert "/api/fill/check" in client.get("/docs").text


# --- the store --------------------------------------------------------------------------------------


def test_a_version_5_store_gains_the_drafts_table(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    for version, step in enumerate(MIGRATIONS[:5], 1):
        con.execute(step)
        con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [version])
    con.close()
    with Store.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        draft = Draft.from_json(_finished())
        v = save_draft(store, draft, who="甲")
        assert (v.draft_id, v.version, v.errors, v.unfilled) == (1, 1, 0, 0)
        with pytest.raises(DraftConflict):
            save_draft(store, draft, who="乙", draft_id=1, base=0)
        again = get_draft(store.con, 1)
        assert again is not None and again.draft == draft and again.who == "甲"


def test_draft_text_keeps_every_digit() -> None:
    draft = Draft(template="2021", cells={"active.fees.amount": Decimal("12345678901234.1234567891"),
                                          "requests.new.total": 7, "active.rules.made": None})  # fmt: skip
    text = draft_text(draft)
    assert '"active.fees.amount": 12345678901234.1234567891' in text
    assert draft_of_text(text) == draft
