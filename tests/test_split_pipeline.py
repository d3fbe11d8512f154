"""A file of several reports through everything that consumes parse results: the Parquet dataset
(written by a batch worker, queried in place, loaded into a store), and the web app (parse,
upload, and review, where a correction re-parses the file and must correct the same report)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogi.batch.ingest import ingest
from ogi.batch.limits import Limits
from ogi.batch.worker import Batch, Hashes, run_batch
from ogi.render.text import render_text
from ogi.store.db import Store
from tests.test_split_reports import REPORTS, volume
from tests.web_helpers import files, upload, web_client

SHAPES = ["markdown", "tsv", "cell_per_line", "fullwidth"]
KEY = "requests.new.total"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "in"
    out.mkdir()
    (out / "volume.txt").write_text(volume(SHAPES), encoding="utf-8")
    (out / "one.txt").write_text(render_text(REPORTS[0], "tsv"), encoding="utf-8")
    return out


def _reports(db: Path) -> list[tuple[object, ...]]:
    """Each stored report as (file, part, parts, range, agency, year, its cells as text), in order."""
    with Store.open(db, read_only=True) as store:
        return store.con.execute(
            "SELECT regexp_extract(r.path, '[^/]+$'), r.part, r.parts, r.source_range, r.agency, r.year, "
            "list(c.key || '=' || coalesce(c.value::VARCHAR, '-') ORDER BY c.key) FROM reports r "
            "JOIN cells c ON c.report_id = r.id GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()


def test_the_dataset_has_a_row_per_report_and_loads_as_ingest_stores(folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="the dataset needs the ray extra: pip install -e '.[ray]'")
    from ogi.batch.load import load_dataset
    from ogi.store.dataset import query_dataset

    batch = Batch("test-000000", tuple((str(p), p.stat().st_size) for p in sorted(folder.iterdir())))
    results = run_batch(batch, Hashes(), str(tmp_path / "ds"), Limits())
    assert [(Path(r.name).name, r.status) for r in results] == [("one.txt", "parsed"), ("volume.txt", "parsed")]
    volume_result = next(r for r in results if r.name.endswith("volume.txt"))
    assert len(volume_result.agency_ids) == len(REPORTS)
    # In place: a report row per part, its cells keyed by (sha256, part).
    sql = ("SELECT r.part, r.parts, r.agency, count(*) FROM reports r JOIN cells c USING (sha256, part) "
           "WHERE r.path LIKE '%volume.txt' GROUP BY ALL ORDER BY 1")  # fmt: skip
    rows = query_dataset(str(tmp_path / "ds"), sql).rows
    assert [(part, parts, agency) for part, parts, agency, _ in rows] == [
        (i + 1, len(REPORTS), r.agency) for i, r in enumerate(REPORTS)
    ]
    loaded = load_dataset(tmp_path / "ds", tmp_path / "loaded.duckdb", progress=False)
    ingested = ingest([folder], tmp_path / "ingested.duckdb", workers=1, progress=False)
    assert (loaded.added, loaded.failed) == (ingested.added, ingested.failed) == (2, [])
    assert _reports(tmp_path / "loaded.duckdb") == _reports(tmp_path / "ingested.duckdb")
    assert len(_reports(tmp_path / "loaded.duckdb")) == len(REPORTS) + 1


def test_the_web_app_parses_stores_and_reviews_each_report_of_a_volume(folder: Path, tmp_path: Path) -> None:
    data = (folder / "volume.txt").read_bytes()
    with web_client(tmp_path / "web.duckdb") as client:
        parsed = client.post("/api/parse", files=files(("volume.txt", data), folder / "one.txt")).json()
        assert isinstance(parsed[0], list) and isinstance(parsed[1], dict) and parsed[1]["part"] is None
        assert [(p["agency"], p["part"]["index"], p["part"]["count"]) for p in parsed[0]] == [
            (r.agency, i + 1, len(REPORTS)) for i, r in enumerate(REPORTS)
        ]

        stored = upload(client, ("volume.txt", data))
        assert [(r["status"], r["agency"], r["part"]["index"]) for r in stored] == [
            ("ok", r.agency, i + 1) for i, r in enumerate(REPORTS)
        ]
        again = upload(client, ("volume.txt", data))
        assert [(r["status"], r["id"]) for r in again] == [("unchanged", r["id"]) for r in stored]

        first, second = (client.get(f"/api/reports/{r['id']}").json() for r in stored[:2])
        assert second["part"] == {"index": 2, "count": len(REPORTS), "span": stored[1]["part"]["span"]}
        assert second["part"]["span"].startswith("lines ") and second["part"]["span"] == parsed[0][1]["part"]["span"]
        printed = second["cells"][KEY]
        assert isinstance(printed, int)
        body = {"key": KEY, "value": str(printed + 1), "who": "张三", "why": "对照原文核实"}
        r = client.post(f"/api/reports/{second['id']}/corrections", json=body)
        assert r.status_code == 200, r.text
        corrected = client.get(f"/api/reports/{r.json()['id']}").json()

    # The correction re-read the second report, not the first, and changed only its own cell.
    assert (corrected["agency"], corrected["part"]["index"], corrected["version"]) == (REPORTS[1].agency, 2, 2)
    assert corrected["cells"] == {**second["cells"], KEY: printed + 1}
    assert [c["key"] for c in corrected["review"]["corrections"]] == [KEY]
    # The first report keeps its cells and has no corrections of its own.
    with web_client(tmp_path / "web.duckdb") as client:
        after = client.get(f"/api/reports/{first['id']}").json()
        listed = {r["id"]: r for r in client.get("/api/reports").json()["reports"]}
    assert after["current"] and after["cells"] == first["cells"] and after["review"]["corrections"] == []
    assert (listed[first["id"]]["part"], listed[corrected["id"]]["part"]) == (1, 2)
    assert listed[first["id"]]["review"] in ("未审核", "无问题")
    assert listed[corrected["id"]]["review"] in ("审核中", "已审核")
