"""One file, many reports: a compiled volume or a crawler dump of a column is cut into its reports,
each parsed on its own, given by `ogi parse --json` one object per report and stored with its part
and line range; a file of one report is never cut."""

from __future__ import annotations

import itertools
import json
import random

import duckdb
import pytest
from click.testing import CliRunner

import ogi
from ogi.batch.ingest import ingest
from ogi.cli.main import main
from ogi.render.conversion import render_conversion
from ogi.render.synth import SynthReport, synth_report
from ogi.render.text import render_text
from ogi.store.db import Store
from ogi.store.schema import MIGRATIONS, SCHEMA_VERSION
from tests.conftest import EXAMPLES

REPORTS = [synth_report(t, random.Random(s)) for s, t in [(1, "2021"), (2, "2019"), (3, "2021"), (4, "2021")]]


def volume(shapes: list[str], reports: list[SynthReport] = REPORTS) -> str:
    """A 汇编: a contents page listing every title, then the reports one after another."""
    contents = ["目录", *(f"{r.agency}{r.year}年政府信息公开工作年度报告……{i + 3}" for i, r in enumerate(reports)), ""]
    bodies = [
        render_conversion(r, "all", seed=1) if shape == "conversion" else render_text(r, shape)
        for r, shape in zip(reports, shapes, strict=True)
    ]
    return "\n".join(contents) + "\n".join(bodies)


def _exact(report: ogi.Report, rep: SynthReport) -> bool:
    return all(
        report.cells[k].value == v or (report.cells[k].flag == "uncertain" and v in report.cells[k].alternatives)
        for k, v in rep.cells.items()
    ) and (report.agency, report.year, report.published) == (rep.agency, rep.year, rep.published)


@pytest.mark.parametrize(
    "shapes",
    [
        ["markdown", "tsv", "cell_per_line", "fullwidth"],
        ["crawler", "crawler", "crawler", "crawler"],
        ["conversion", "markdown", "conversion", "crawler"],
    ],
)
def test_a_volume_is_cut_into_its_reports(shapes: list[str]) -> None:
    reports = ogi.parse_all_bytes(volume(shapes).encode(), "volume.txt")
    assert len(reports) == len(REPORTS)
    for i, (report, rep) in enumerate(zip(reports, REPORTS, strict=True)):
        assert report.part is not None and (report.part.index, report.part.count) == (i + 1, len(REPORTS))
        assert _exact(report, rep), (i, shapes[i])
    spans = [r.part.lines for r in reports if r.part]
    assert all(a is not None and b is not None and a[1] < b[0] for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.iterdir()))
def test_one_report_is_never_cut(name: str) -> None:
    """Every shipped example is one report (the real reports: test_corpus.py and test_seeds.py)."""
    reports = ogi.parse_all(EXAMPLES / name)
    assert len(reports) == 1 and reports[0].part is None


def test_parse_bytes_names_the_parts_instead_of_returning_one() -> None:
    with pytest.raises(ogi.InputError, match=r"holds 4 reports \(lines .*parse_all"):
        ogi.parse_bytes(volume(["markdown"] * 4).encode(), "volume.txt")


def test_cli_json_gives_one_object_per_report(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "volume.txt"
    path.write_text(volume(["tsv"] * 4), encoding="utf-8")
    single = tmp_path / "one.txt"
    single.write_text(render_text(REPORTS[0], "tsv"), encoding="utf-8")
    out = CliRunner().invoke(main, ["parse", "--json", str(path)])
    assert out.exit_code == 0, out.output
    parsed = json.loads(out.output)
    assert [p["agency"] for p in parsed] == [r.agency for r in REPORTS]
    assert [p["part"]["index"] for p in parsed] == [1, 2, 3, 4]
    one = json.loads(CliRunner().invoke(main, ["parse", "--json", str(single)]).output)
    assert isinstance(one, dict) and one["part"] is None


def test_ingest_stores_each_report_with_its_part_and_range(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "volume.txt").write_text(volume(["markdown", "tsv", "crawler", "conversion"]), encoding="utf-8")
    (folder / "one.txt").write_text(render_text(REPORTS[0], "cell_per_line"), encoding="utf-8")
    db = tmp_path / "c.duckdb"
    result = ingest([folder], db, workers=1, progress=False)
    assert (result.added, result.failed) == (2, [])
    with Store.open(db, read_only=True) as store:
        rows = store.con.execute(
            "SELECT agency, part, parts, source_range, current FROM reports WHERE path LIKE '%volume.txt' ORDER BY part"
        ).fetchall()
        assert [r[0] for r in rows] == [r.agency for r in REPORTS]
        assert [(r[1], r[2], r[4]) for r in rows] == [(i, 4, True) for i in range(1, 5)]
        assert all(r[3].startswith("lines ") for r in rows)
        documents = store.con.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone()
        assert documents == (2, 2)
        sql = "SELECT part, parts, source_range FROM reports WHERE path LIKE '%one.txt'"
        single = store.con.execute(sql).fetchone()
        assert single == (1, 1, None)
    again = ingest([folder], db, workers=1, progress=False)
    assert (again.added, again.unchanged) == (0, 2)


def test_a_version_4_store_is_migrated(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A store of the schema before parts (version 4: sources, review, units) gains them (step 5)."""
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    for version, step in enumerate(MIGRATIONS[:4], 1):
        con.execute(step)
        con.execute("INSERT INTO schema_version VALUES (?, current_timestamp)", [version])
    con.close()
    with Store.open(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        columns = {r[0] for r in store.con.execute("DESCRIBE reports").fetchall()}
        assert {"part", "parts", "source_range", "reviewed_cells"} <= columns
        assert {"part", "source_range"} <= {r[0] for r in store.con.execute("DESCRIBE unit_reports").fetchall()}
        for table in ("corrections", "finding_reviews"):
            assert "part" in {r[0] for r in store.con.execute(f"DESCRIBE {table}").fetchall()}
