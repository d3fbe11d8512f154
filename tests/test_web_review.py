"""Review through the app: corrections are new versions that keep the parsed value, the checks
re-run on the corrected cells, exports use and mark reviewed values, and a correction survives
re-ingesting the same file; decisions on findings follow the finding from version to version."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ogi.batch import ingest
from ogi.store.db import Store
from ogi.store.schema import MIGRATIONS
from tests.web_helpers import EXAMPLES, upload, web_client

BROKEN = EXAMPLES / "2021_tsv_broken_total.txt"  # （七）总计·总计 printed 7, its parts sum to 4


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    with web_client(tmp_path / "review.duckdb") as c:
        yield c


def _correct(c: TestClient, rid: int, key: str, value: object, **kw: object) -> int:
    body = {"key": key, "value": value, "who": "张三", "why": "对照原文核实", **kw}
    r = c.post(f"/api/reports/{rid}/corrections", json=body)
    assert r.status_code == 200, r.text
    return int(r.json()["id"])


def test_correction_is_a_new_version_and_the_checks_run_again(client: TestClient) -> None:
    rid = upload(client, BROKEN)[0]["id"]
    before = client.get(f"/api/reports/{rid}").json()
    assert {f["rule"] for f in before["findings"]} >= {"I1", "I2", "I3"}
    new = _correct(client, rid, "requests.total.total", "4")
    after = client.get(f"/api/reports/{new}").json()
    assert after["cells"]["requests.total.total"] == 4 and after["version"] == 2 and after["current"]
    # 7 → 4 settles I2 and I3; I1 (new + carried over = total + carried forward) now balances too.
    assert not {"I1", "I2", "I3"} & {f["rule"] for f in after["findings"]}
    assert after["review"]["reviewed_cells"] == {
        "requests.total.total": {"value": 4, "parsed_value": 7, "parsed_flag": None}}  # fmt: skip
    c = after["review"]["corrections"][0]
    assert (c["who"], c["why"], c["value"], c["parsed_value"], c["report_id"]) == ("张三", "对照原文核实", 4, 7, new)
    old = client.get(f"/api/reports/{rid}").json()
    assert old["current"] is False and old["cells"]["requests.total.total"] == 7  # the parsed version stays
    assert [v["id"] for v in after["versions"]] == [rid, new]
    page = client.get(f"/reports/{rid}", headers={"accept": "text/html"}).text
    assert "已有新版本（第2版）" in page


def test_exports_use_and_mark_reviewed_values(client: TestClient) -> None:
    rid = upload(client, BROKEN)[0]["id"]
    _correct(client, rid, "requests.total.total", 4)
    wide = list(csv.DictReader(io.StringIO(client.get("/api/export").content.decode("utf-8-sig"))))
    assert len(wide) == 1 and wide[0]["requests.total.total"] == "4"
    assert wide[0]["reviewed_keys"] == "requests.total.total" and wide[0]["reviewed_cells"] == "1"
    long = csv.DictReader(io.StringIO(client.get("/api/export", params={"shape": "long"}).content.decode("utf-8-sig")))
    row = next(r for r in long if r["key"] == "requests.total.total")
    assert (row["value"], row["reviewed"], row["parsed_value"]) == ("4", "True", "7")


def test_correction_survives_reingesting_the_same_file(client: TestClient, tmp_path: Path) -> None:
    rid = upload(client, BROKEN)[0]["id"]
    new = _correct(client, rid, "requests.total.total", 4)
    again = upload(client, BROKEN)[0]
    assert again["status"] == "unchanged" and again["id"] == new
    listed = client.get("/api/reports").json()["reports"]
    assert [r["id"] for r in listed] == [new]


def test_correction_survives_ogi_ingest_of_the_same_file(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    with web_client(db) as c:
        rid = upload(c, BROKEN)[0]["id"]
        new = _correct(c, rid, "requests.total.total", 4)
    result = ingest([BROKEN], db, workers=1, progress=False)
    assert (result.added, result.unchanged) == (0, 1)
    with Store.open(db, read_only=True) as store:
        rows = store.con.execute("SELECT id FROM reports WHERE current").fetchall()
        value = store.con.execute("SELECT value FROM cells WHERE report_id = ? AND key = 'requests.total.total'",
                                  [new]).fetchone()  # fmt: skip
    assert rows == [(new,)] and value == (4,)


def test_revert_restores_the_parsed_value(client: TestClient) -> None:
    rid = upload(client, BROKEN)[0]["id"]
    new = _correct(client, rid, "requests.total.total", 4)
    back = _correct(client, new, "requests.total.total", None, revert=True, why="原文确为7")
    body = client.get(f"/api/reports/{back}").json()
    assert body["cells"]["requests.total.total"] == 7 and body["version"] == 3
    assert {"I2", "I3"} <= {f["rule"] for f in body["findings"]} and body["review"]["reviewed_cells"] == {}


def test_choosing_a_reading_settles_an_uncertain_cell(client: TestClient) -> None:
    rid = upload(client, EXAMPLES / "2021_crawler.txt")[0]["id"]
    body = client.get(f"/api/reports/{rid}").json()
    assert body["flags"]["active.normative.made"] == "uncertain" and 10 in body["alternatives"]["active.normative.made"]
    # The page form: choose the other reading.
    r = client.post(f"/reports/{rid}/cells/active.normative.made/correct",
                    data={"choice": "10", "who": "李四", "why": "原文为10"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and "cell=active.normative.made" in r.headers["location"]
    new = int(r.headers["location"].split("/reports/")[1].split("?")[0])
    after = client.get(f"/api/reports/{new}").json()
    assert after["cells"]["active.normative.made"] == 10 and "active.normative.made" not in after["flags"]
    uncertain = next(f for f in after["findings"] if f["rule"] == "UNCERTAIN_VALUE")
    assert "active.normative.made" not in uncertain["keys"]


@pytest.mark.parametrize(("value", "why"), [("abc", "不是数字"), ("1.5", "不是整数"), ("-3", "不能为负数")])
def test_bad_values_are_refused(client: TestClient, value: str, why: str) -> None:
    rid = upload(client, BROKEN)[0]["id"]
    r = client.post(f"/api/reports/{rid}/corrections",
                    json={"key": "requests.total.total", "value": value, "who": "张三", "why": "x"})  # fmt: skip
    assert r.status_code == 422 and why in r.json()["detail"]
    nobody = {"key": "requests.total.total", "value": 4, "who": " ", "why": "x"}
    assert client.post(f"/api/reports/{rid}/corrections", json=nobody).status_code == 422


def test_an_old_version_cannot_be_corrected(client: TestClient) -> None:
    rid = upload(client, BROKEN)[0]["id"]
    _correct(client, rid, "requests.total.total", 4)
    r = client.post(f"/api/reports/{rid}/corrections",
                    json={"key": "requests.total.total", "value": 5, "who": "张三", "why": "x"})  # fmt: skip
    assert r.status_code == 409


def test_decisions_on_findings(client: TestClient) -> None:
    rid = upload(client, BROKEN)[0]["id"]
    body = client.get(f"/api/reports/{rid}").json()
    narrative = next(f for f in body["findings"] if f["rule"] == "NARRATIVE_MISMATCH")
    decision = {"rule": "NARRATIVE_MISMATCH", "keys": narrative["keys"], "decision": "dismissed", "note": "正文笔误",
                "who": "王五"}  # fmt: skip
    r = client.post(f"/api/reports/{rid}/reviews", json=decision)
    assert r.status_code == 200 and r.json()["decision"] == "dismissed"
    assert client.get("/api/reports").json()["reports"][0]["review"] == "审核中"
    # The decision follows the finding into the corrected version.
    new = _correct(client, rid, "requests.carried_forward.total", 0)
    after = client.get(f"/api/reports/{new}").json()
    f = next(f for f in after["findings"] if f["rule"] == "NARRATIVE_MISMATCH")
    assert f["decision"]["decision"] == "dismissed" and f["decision"]["who"] == "王五"
    index = next(i for i, f in enumerate(after["findings"]) if f["rule"] in ("I2", "I3"))
    client.post(f"/reports/{new}/findings/{index}/decide", data={"decision": "confirmed", "who": "王五"})
    assert client.post(f"/api/reports/{rid}/reviews", json={"rule": "NOPE", "keys": [], "decision": "dismissed",
                                                            "who": "王五"}).status_code == 422  # fmt: skip


def test_a_version_1_store_is_migrated(tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    con.execute(MIGRATIONS[0])
    con.execute("INSERT INTO schema_version VALUES (1, current_timestamp)")
    con.close()
    with Store.open(db) as store:
        assert store.schema_version == len(MIGRATIONS)
        columns = {r[0] for r in store.con.execute("SELECT column_name FROM information_schema.columns "
                                                    "WHERE table_name = 'cells'").fetchall()}  # fmt: skip
        assert {"page", "box", "confidence", "reviewed", "parsed_value", "parsed_flag"} <= columns
    ingest([BROKEN], db, workers=1, progress=False)
