"""The web app's security items, one test each: token and CSRF, origins, upload limits, ZIP
archives, content sniffing, untrusted report text, files by id only."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from ogi.cli.main import main
from ogi.web import Settings, create_app
from ogi.web.security import SESSION_COOKIE, csrf_value
from ogi.web.settings import SettingsError
from tests.web_helpers import EXAMPLES, files, upload, web_client, zip_of
from tests.zipbombs import Member, build, deflated, named, spaces_bomb

TOKEN = "s3cret-token"
BROKEN = EXAMPLES / "2021_tsv_broken_total.txt"


def test_public_host_needs_a_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("OGI_TOKEN", raising=False)
    with pytest.raises(SettingsError, match="without a token"):
        create_app(Settings(db=tmp_path / "a.duckdb", host="0.0.0.0"))
    result = CliRunner().invoke(main, ["serve", "--host", "192.168.1.5", "--db", str(tmp_path / "a.duckdb")])
    assert result.exit_code == 2 and "refusing to serve on 192.168.1.5 without a token" in result.output
    create_app(Settings(db=tmp_path / "a.duckdb", host="0.0.0.0", token="t"))
    monkeypatch.setenv("OGI_TOKEN", "from-env")
    assert create_app(Settings(db=tmp_path / "a.duckdb", host="::")).state.settings.token == "from-env"
    create_app(Settings(db=tmp_path / "a.duckdb", host="127.0.0.1"))  # loopback may go without


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    with web_client(tmp_path_factory.mktemp("sec") / "s.duckdb", token=TOKEN, max_upload_mb=1, max_files=5) as c:
        yield c


def _bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_every_write_needs_the_token(guarded: TestClient) -> None:
    assert guarded.post("/api/reports", files=files(BROKEN)).status_code == 401
    assert guarded.post("/api/reports", files=files(BROKEN), headers=_bearer("wrong")).status_code == 401
    assert guarded.post("/api/parse", files=files(BROKEN)).status_code == 401
    rid = upload(guarded, BROKEN, headers=_bearer())[0]["id"]
    fix = {"key": "requests.total.total", "value": 4, "who": "a", "why": "b"}
    assert guarded.post(f"/api/reports/{rid}/corrections", json=fix).status_code == 401
    decide = {"rule": "I3", "keys": [], "decision": "dismissed", "who": "a"}
    assert guarded.post(f"/api/reports/{rid}/reviews", json=decide).status_code == 401
    form = {"value": "4", "who": "a", "why": "b"}
    assert guarded.post(f"/reports/{rid}/cells/requests.total.total/correct", data=form).status_code == 401
    assert guarded.get("/api/reports").status_code == 200  # reading needs nothing
    assert guarded.post(f"/api/reports/{rid}/corrections", json=fix, headers=_bearer()).status_code == 200


def test_pages_write_with_a_session_and_the_csrf_value(guarded: TestClient) -> None:
    page = guarded.get("/upload").text
    assert "上传需要先" in page and 'name="csrf-token" content=""' in page
    assert guarded.post("/login", data={"token": "wrong"}).status_code == 401
    r = guarded.post("/login", data={"token": TOKEN, "next": "//evil.example/"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    guarded.cookies.set(SESSION_COOKIE, r.cookies[SESSION_COOKIE])
    try:
        assert f'name="csrf-token" content="{csrf_value(TOKEN)}"' in guarded.get("/upload").text
        # The cookie alone is not enough: a page of another site could make the browser send it.
        assert guarded.post("/api/reports", files=files(EXAMPLES / "2021_tsv.txt")).status_code == 401
        ok = guarded.post("/api/reports", files=files(EXAMPLES / "2021_tsv.txt"),
                          headers={"X-CSRF-Token": csrf_value(TOKEN)})  # fmt: skip
        assert ok.status_code == 200
        form = guarded.post("/upload", files=files(EXAMPLES / "2019_tsv.txt"), data={"csrf": csrf_value(TOKEN)})
        assert form.status_code == 200 and "已入库" in form.text
    finally:
        guarded.cookies.clear()


def test_writes_from_other_sites_are_refused(tmp_path: Path) -> None:
    with web_client(tmp_path / "o.duckdb") as c:  # loopback, no token
        assert c.post("/api/reports", files=files(BROKEN), headers={"Origin": "http://evil.example"}).status_code == 403
        assert c.post("/api/reports", files=files(BROKEN), headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
        assert c.post("/api/reports", files=files(BROKEN), headers={"Origin": "http://testserver"}).status_code == 200


def test_upload_limits(guarded: TestClient) -> None:
    big = ("big.txt", b"x" * (1024 * 1024 + 10))
    r = guarded.post("/api/reports", files=files(big), headers=_bearer())
    assert r.status_code == 413 and "larger than 1 MB" in r.json()["detail"]
    huge = guarded.post("/api/reports", content=b"x" * (6 * 1024 * 1024), headers={**_bearer(),
                        "content-type": "multipart/form-data; boundary=x"})  # fmt: skip
    assert huge.status_code == 413
    many = [(f"n{i}.txt", b"text") for i in range(6)]
    assert guarded.post("/api/reports", files=files(*many), headers=_bearer()).status_code == 413
    assert guarded.get("/api/health").json()["status"] == "ok"


def test_zip_bombs_and_bad_member_names(guarded: TestClient) -> None:
    bomb = build([named(Member("", spaces_bomb(512), 512 << 20), "report.txt")])
    r = upload(guarded, ("bomb.zip", bomb), headers=_bearer())
    assert r == [{"file": "bomb.zip", "status": "failed", "id": None, "agency": None, "year": None, "findings": {},
                  "part": None, "error": r[0]["error"]}]  # fmt: skip
    assert "inflates to 512 MB (at most 1 MB)" in r[0]["error"]
    lying = build([named(Member("", spaces_bomb(64), 2048), "report.txt")])
    assert "inflates past" in upload(guarded, ("lying.zip", lying), headers=_bearer())[0]["error"]
    mixed = build([named(deflated((EXAMPLES / "2021_gbk.txt").read_bytes()), "ok/2021_gbk.txt"),
                   named(deflated(b"x"), "../../etc/cron.d/x"), named(deflated(b"y"), "/abs/path.txt")])  # fmt: skip
    results = upload(guarded, ("mixed.zip", mixed), headers=_bearer())
    assert [r["status"] for r in results] == ["ok", "failed", "failed"]
    assert "(..)" in results[1]["error"] and "absolute path" in results[2]["error"]
    assert guarded.get("/api/health").json()["status"] == "ok"


def test_format_is_sniffed_from_content(tmp_path: Path) -> None:
    with web_client(tmp_path / "f.duckdb") as c:
        pdf_as_txt = upload(c, ("report.txt", (EXAMPLES / "2021_print.pdf").read_bytes()))[0]
        html_as_pdf = upload(c, ("page.pdf", (EXAMPLES / "2021_page.html").read_bytes()))[0]
        word_in_zip = upload(c, ("w.zip", zip_of({"x.bin": (EXAMPLES / "2019_word.docx").read_bytes()})))[0]
        formats = {r["path"]: r["format"] for r in c.get("/api/reports").json()["reports"]}
    assert pdf_as_txt["status"] == html_as_pdf["status"] == word_in_zip["status"] == "ok"
    assert formats == {"upload/report.txt": "pdf", "upload/page.pdf": "html", "upload/w.zip/x.bin": "docx"}


PAYLOAD = '<script>alert(1)</script> <img src=x onerror=alert(2)> <a href="javascript:alert(3)">链接</a>'


def test_report_text_is_shown_as_text(tmp_path: Path) -> None:
    text = BROKEN.read_text("utf-8").replace("一、总体情况\n", f"一、总体情况\n{PAYLOAD}\n", 1)
    with web_client(tmp_path / "x.duckdb") as c:
        rid = upload(c, ("x<script>.txt", text.encode()))[0]["id"]
        r = c.get(f"/reports/{rid}")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text and "<script>alert" not in r.text
        assert "&lt;img src=x onerror=alert(2)&gt;" in r.text and 'href="javascript:' not in r.text
        assert "x&lt;script&gt;.txt" in r.text
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "style-src 'self'" in csp
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
        assert ' style="' not in r.text and "<script>" not in r.text.replace('<script src="/static/', "")


def test_files_only_by_report_id(tmp_path: Path) -> None:
    with web_client(tmp_path / "i.duckdb") as c:
        upload(c, BROKEN)
        for url in ("/api/reports/1/file/../../../etc/passwd", "/static/../settings.py", "/static/%2e%2e/app.py",
                    "/api/reports/abc/file", "/api/reports/2/file"):  # fmt: skip
            assert c.get(url).status_code in (404, 422), url
        assert c.get("/api/reports/1/file").content == BROKEN.read_bytes()
