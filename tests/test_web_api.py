"""The HTTP API in-process: uploads, lists with filters, one report, findings, export, parse.
Uploads run through the real parsing processes and the store's writer thread."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import ogi
from tests.web_helpers import EXAMPLES, ROOT, files, upload, web_client, zip_of

UPLOADED = ("2021_tsv_broken_total.txt", "2021_page.html", "2019_word.docx", "2021_tsv.txt", "hongze_2023_gov.txt",
            "hongze_2024_gov.txt", "hongze_2024_dept.txt", "2021_crawler.txt", "2021_print.pdf")  # fmt: skip


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = tmp_path_factory.mktemp("web") / "web.duckdb"
    with web_client(db) as c:
        results = upload(c, *(EXAMPLES / name for name in UPLOADED))
        assert [r["status"] for r in results] == ["ok"] * len(UPLOADED), results
        yield c


def _id(client: TestClient, name: str) -> int:
    reports = client.get("/api/reports", params={"per_page": 100}).json()["reports"]
    return next(r["id"] for r in reports if r["path"].endswith("/" + name))


def test_health(tmp_path: Path) -> None:
    # A store of its own: the module's store gains reports in the tests that upload more.
    with web_client(tmp_path / "health.duckdb") as c:
        empty = c.get("/api/health").json()
        upload(c, EXAMPLES / "2021_tsv.txt", EXAMPLES / "2021_page.html")
        body = c.get("/api/health").json()
    assert (empty["status"], empty["reports"]) == ("ok", 0)
    assert body["status"] == "ok" and body["reports"] == 2 and body["schema_version"] >= 2


def test_upload_says_what_each_file_became(client: TestClient) -> None:
    again = upload(client, EXAMPLES / "2021_tsv_broken_total.txt", ("notes.txt", b"just a shopping list\n"))
    assert again[0]["status"] == "unchanged" and again[0]["id"] == _id(client, "2021_tsv_broken_total.txt")
    assert again[0]["agency"] == "新乡市凤泉区东风街道办事处" and again[0]["year"] == 2023
    assert again[0]["findings"]["error"] == 3
    assert again[1]["status"] == "failed" and "not a 政府信息公开工作年度报告" in again[1]["error"]
    failed = client.get("/failed", headers={"accept": "text/html"}).text
    assert "notes.txt" in failed and "not a 政府信息公开工作年度报告" in failed
    listed = client.get("/api/reports", params={"per_page": 100}).json()
    assert all(not r["path"].endswith("notes.txt") for r in listed["reports"])


def test_zip_counts_as_its_files(client: TestClient) -> None:
    data = zip_of({
        "a/2019_tsv.txt": (EXAMPLES / "2019_tsv.txt").read_bytes(),
        "b/2021_gbk.txt": (EXAMPLES / "2021_gbk.txt").read_bytes(),
    })  # fmt: skip
    results = upload(client, ("batch.zip", data))
    assert [(r["file"], r["status"]) for r in results] == [
        ("batch.zip/a/2019_tsv.txt", "ok"), ("batch.zip/b/2021_gbk.txt", "ok")]  # fmt: skip
    assert results[1]["agency"] and results[1]["year"]


def test_report_is_the_parse_json_model_with_exact_numbers(client: TestClient) -> None:
    rid = _id(client, "2021_tsv.txt")
    r = client.get(f"/api/reports/{rid}")
    body = json.loads(r.text, parse_float=Decimal)
    parsed = ogi.parse(EXAMPLES / "2021_tsv.txt")
    assert body["id"] == rid and body["template"] == parsed.template and body["agency"] == parsed.agency
    assert {k: body["cells"][k] for k in parsed.cells} == {k: c.value for k, c in parsed.cells.items()}
    # A money amount travels as its digits: never through a float.
    assert '"active.fees.amount": 16606.81673' in r.text
    assert body["cells"]["active.fees.amount"] == Decimal("16606.81673")
    assert [(v["id"], v["version"], v["current"], v["reviewed_cells"]) for v in body["versions"]] == [(rid, 1, True, 0)]
    assert body["review"]["state"] == "无问题" and body["sections"]["overview"]["heading"].startswith("一")


def test_filters(client: TestClient) -> None:
    def ids(**params: object) -> set[str]:
        return {r["path"].rsplit("/", 1)[-1] for r in client.get("/api/reports", params=params).json()["reports"]}

    assert ids(agency="洪泽") == {"hongze_2023_gov.txt", "hongze_2024_gov.txt", "hongze_2024_dept.txt"}
    assert ids(region="淮安") == ids(region="3208") == ids(region="320800") >= ids(agency="洪泽")
    assert ids(region="320813", year=2024) == {"hongze_2024_gov.txt", "hongze_2024_dept.txt"}
    assert ids(rule="I3") == {"2021_tsv_broken_total.txt"}
    assert ids(template="2019") >= {"2019_word.docx"}
    assert ids(level="部门", agency="洪泽") == {"hongze_2024_dept.txt"}
    page = client.get("/api/reports", params={"per_page": 2, "page": 2}).json()
    assert page["total"] >= len(UPLOADED) and len(page["reports"]) == 2


def test_findings_name_places_in_chinese(client: TestClient) -> None:
    body = client.get("/api/findings", params={"rule": "I3"}).json()
    assert body["total"] == 1 and body["by_severity"] == {"error": 1}
    f = body["findings"][0]
    assert f["printed"] == "7" and f["expected"] == "4"
    assert f["places"][0] == "表三（依申请公开） · （七）总计 · 总计"
    assert not any("requests." in p for p in f["places"])
    html = client.get("/findings", params={"rule": "I3"}, headers={"accept": "text/html"}).text
    assert "（七）总计 · 总计" in html and "勾稽关系：办理结果合计" in html


def test_original_file_by_id_only(client: TestClient) -> None:
    rid = _id(client, "2021_page.html")
    r = client.get(f"/api/reports/{rid}/file")
    assert r.content == (EXAMPLES / "2021_page.html").read_bytes()
    assert r.headers["content-type"] == "application/octet-stream"  # a stored page is never rendered here
    assert r.headers["content-disposition"].startswith("attachment;")
    assert r.headers["content-security-policy"] == "sandbox"
    assert client.get("/api/reports/999999/file").status_code == 404
    assert client.get("/api/reports/..%2F..%2Fetc%2Fpasswd/file").status_code in (404, 422)


def test_export_with_filters(client: TestClient) -> None:
    r = client.get("/api/export", params={"format": "csv", "agency": "洪泽"})
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and {row["agency"] for row in rows} >= {"淮安市洪泽区人民政府"}
    assert "reviewed_keys" in rows[0]
    xlsx = client.get("/api/export", params={"format": "xlsx", "shape": "long", "year": 2024, "chinese_headers": True})
    assert zipfile.is_zipfile(io.BytesIO(xlsx.content))
    parquet = client.get("/api/export", params={"format": "parquet", "rule": "I3"})
    assert parquet.content[:4] == b"PAR1"


def test_parse_stores_nothing(client: TestClient) -> None:
    before = client.get("/api/health").json()["reports"]
    r = client.post("/api/parse", files=files(EXAMPLES / "2021_markdown.md", ("x.bin", b"\x00\x01\x02binary")))
    first, second = r.json()
    cli = [sys.executable, "-m", "ogi", "parse", "--json", str(EXAMPLES / "2021_markdown.md")]
    expected = json.loads(subprocess.run(cli, capture_output=True, text=True, check=True).stdout)
    assert first["cells"] == expected["cells"] and first["findings"] == expected["findings"]
    assert second == {"file": "x.bin", "error": second["error"]} and "binary" in second["error"]
    assert client.get("/api/health").json()["reports"] == before


def test_openapi_lists_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in [("/api/health", "get"), ("/api/parse", "post"), ("/api/reports", "post"),
                         ("/api/reports", "get"), ("/api/reports/{report_id}", "get"),
                         ("/api/reports/{report_id}/file", "get"), ("/api/findings", "get"), ("/api/export", "get"),
                         ("/api/reports/{report_id}/corrections", "post"),
                         ("/api/reports/{report_id}/reviews", "post")]:  # fmt: skip
        assert method in paths[path], path
    docs = client.get("/docs").text
    assert "/api/reports/{report_id}/corrections" in docs and "<script src=\"/static/app.js\"" in docs


def test_pages(client: TestClient) -> None:
    html = {"accept": "text/html"}
    home = client.get("/", params={"agency": "洪泽"}, headers=html).text
    assert "淮安市洪泽区财政局" in home and "共 3 份报告" in home
    rid = _id(client, "2021_tsv_broken_total.txt")
    page = client.get(f"/reports/{rid}", headers=html).text
    assert "三、收到和处理政府信息公开申请情况" in page and 'class="v broken"' in page
    assert "印为 <b>7</b>　应为 <b>4</b>" in page
    panel = client.get(f"/reports/{rid}/cells/requests.total.total", headers={"hx-request": "true"}).text
    assert "（七）总计" in panel and "原文第69行" in panel and 'class="marked"' in panel
    assert '<li value="69" class="marked"><code>\t(七) 总计\t3\t0\t0\t1\t0\t0\t7\t</code>' in panel
    assert client.get(f"/reports/{rid}/cells/requests.total.total").status_code == 200  # redirected to the page


def test_html_source_marks_the_table_cell(client: TestClient) -> None:
    rid = _id(client, "2021_page.html")
    panel = client.get(f"/reports/{rid}/cells/requests.new.natural", headers={"hx-request": "true"}).text
    assert "第2个表格第4行第4列" in panel and '<td class="marked">898</td>' in panel


def test_no_web_imports_for_parse() -> None:
    code = (
        "import sys\n"
        "import ogi\n"
        "from ogi.cli.main import main\n"
        f"ogi.parse({str(EXAMPLES / '2021_tsv.txt')!r})\n"
        f"main(['parse', {str(EXAMPLES / '2021_tsv.txt')!r}], standalone_mode=False)\n"
        "heavy = ('fastapi', 'starlette', 'uvicorn', 'jinja2', 'multipart', 'ogi.web', 'duckdb')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_page_image_with_the_cell_box(tmp_path: Path) -> None:
    """A PDF cell with a box in its provenance is drawn on its rendered page."""
    from ogi.store.db import Store

    report = ogi.parse(EXAMPLES / "2021_print.pdf")
    cell = report.cells["requests.new.commercial"]
    assert cell.provenance is not None and cell.provenance.page == 2
    cell.provenance.box = (201.5, 153.25, 230.0, 168.75)
    db = tmp_path / "boxes.duckdb"
    with Store.open(db) as store:
        rid = store.add("upload/2021_print.pdf", (EXAMPLES / "2021_print.pdf").read_bytes(), report).report_id
    with web_client(db) as c:
        body = c.get(f"/api/reports/{rid}").json()
        assert body["boxes"]["requests.new.commercial"] == {"page": 2, "box": [201.5, 153.25, 230.0, 168.75]}
        panel = c.get(f"/reports/{rid}/cells/requests.new.commercial", headers={"hx-request": "true"}).text
        assert '<rect class="cell-box" x="201.5" y="153.25" width="28.5" height="15.5"/>' in panel
        assert f'href="/reports/{rid}/pages/2.png"' in panel
        png = c.get(f"/reports/{rid}/pages/2.png")
        assert png.headers["content-type"] == "image/png" and png.content[:8] == b"\x89PNG\r\n\x1a\n"
        assert c.get(f"/reports/{rid}/pages/99.png").status_code == 404


NEW = "表三（依申请公开） · 一、本年新收政府信息公开申请数量"


@pytest.mark.parametrize(
    ("template", "key", "place"),
    [
        ("2021", "requests.new.commercial", f"{NEW} · 法人或其他组织·商业企业"),
        ("2021", "requests.denied.state_secret.total", "表三（依申请公开） · （三）不予公开·1.属于国家秘密 · 总计"),
        ("2021", "requests.new.legal_subtotal", f"{NEW} · 法人或其他组织·小计"),
        ("2021", "requests.denied.subtotal.natural", "表三（依申请公开） · （三）不予公开小计 · 自然人"),
        ("2021", "appeals.suit_direct.upheld", "表四（复议诉讼） · 行政诉讼·未经复议直接起诉 · 结果维持"),
        ("2021", "active.extra.published_total", "表二（主动公开） · 格式以外的行：政府信息公开发布总数量"),
        ("2019", "active.licensing.prev_count", "表二（主动公开） · 第二十条第（五）项·行政许可 · 上一年项目数量"),
        ("2021", "section.overview", "正文 · 一、总体情况"),
    ],
)
def test_places_use_the_templates_words(template: str, key: str, place: str) -> None:
    from ogi.web.labels import place as place_of

    assert str(place_of(template, key)) == place
