"""``ogi render`` and ``ogi template``: every input kind, the format from the suffix, one-line errors
naming the key, broken identities listed on standard error while the report is still written."""

from __future__ import annotations

import json
import random
from pathlib import Path

from click.testing import CliRunner

import ogi
from ogi.cli.main import main
from ogi.render.synth import synth_report
from ogi.render.text import render_text
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def _parse_json(tmp_path: Path, source: Path) -> Path:
    code, out, _ = _run("parse", "--json", str(source))
    assert code == 0
    path = tmp_path / f"{source.stem}.json"
    path.write_text(out, encoding="utf-8")
    return path


def test_render_a_parsed_report_in_every_format(tmp_path: Path) -> None:
    source = EXAMPLES / "hongze_2024_gov.txt"
    truth = ogi.parse(source)
    parsed = _parse_json(tmp_path, source)
    for suffix in (".docx", ".html", ".xlsx", ".md", ".txt"):
        out = tmp_path / f"r{suffix}"
        code, _, err = _run("render", str(parsed), "-o", str(out))
        assert (code, err) == (0, ""), err
        back = ogi.parse(out)
        assert {k: c.value for k, c in back.cells.items()} == {k: c.value for k, c in truth.cells.items()}
        assert (back.agency, back.year, back.published) == (truth.agency, truth.year, truth.published)
        assert back.sections["other"].text.split("\n")[0] == truth.sections["other"].text.split("\n")[0]


def test_a_report_that_breaks_identities_is_written_and_the_breaks_listed(tmp_path: Path) -> None:
    parsed = _parse_json(tmp_path, EXAMPLES / "2021_tsv_broken_total.txt")
    out = tmp_path / "broken.docx"
    code, _, err = _run("render", str(parsed), "-o", str(out))
    assert code == 0 and out.exists()
    lines = err.strip().split("\n")
    assert [line.split(": ")[2] for line in lines[:-1]] == ["I1", "I2", "I3"]
    assert "（七）总计·总计" in err and "written, but 3 identities do not hold" in lines[-1]
    back = ogi.parse(out)
    assert {f.rule for f in back.findings if f.severity == "error"} == {"I1", "I2", "I3"}


def test_any_report_file_is_written_again(tmp_path: Path) -> None:
    rep = synth_report("2019", random.Random(3))
    source = tmp_path / "crawled.txt"
    source.write_text(render_text(rep, "crawler"), encoding="utf-8")
    out = tmp_path / "clean.html"
    code, _, _ = _run("render", str(source), "-o", str(out))
    assert code == 0
    back, first = ogi.parse(out), ogi.parse(source)
    assert {k: c.value for k, c in back.cells.items()} == {k: c.value for k, c in first.cells.items()}


def test_render_from_the_store(tmp_path: Path) -> None:
    from ogi.batch import ingest
    from ogi.store.db import Store

    db = tmp_path / "s.duckdb"
    ingest([EXAMPLES / "hongze_2023_gov.txt"], db, workers=1, progress=False)
    with Store.open(db, read_only=True) as store:
        (report_id,) = store.con.execute("SELECT id FROM reports").fetchone()
    out = tmp_path / "stored.md"
    code, _, err = _run("render", "--db", str(db), "--id", str(report_id), "-o", str(out))
    assert (code, err) == (0, "")
    truth = ogi.parse(EXAMPLES / "hongze_2023_gov.txt")
    assert {k: c.value for k, c in ogi.parse(out).cells.items()} == {k: c.value for k, c in truth.cells.items()}
    code, _, err = _run("render", "--db", str(db), "--id", "999", "-o", str(out))
    assert code == 1 and "no report with id 999" in err


def test_bad_input_gets_one_line_naming_the_key(tmp_path: Path) -> None:
    parsed = json.loads(_parse_json(tmp_path, EXAMPLES / "2021_tsv.txt").read_text(encoding="utf-8"))
    cases = {
        "unknown.json": (parsed | {"colour": "red"}, "colour: unknown key"),
        "mismatch.json": (parsed | {"template": "2019"}, "cells.active.rules.made: a cell of the 2021 template"),
        "type.json": (parsed | {"cells": {**parsed["cells"], "appeals.review.total": "3"}}, "appeals.review.total"),
        "many.json": ([parsed, parsed], "holds 2 reports"),
    }
    for name, (obj, says) in cases.items():
        path = tmp_path / name
        path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
        code, _, err = _run("render", str(path), "-o", str(tmp_path / "x.docx"))
        assert code == 1 and err.count("\n") == 1 and err.startswith(f"ogi: {path}: ") and says in err, err
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    code, _, err = _run("render", str(tmp_path / "bad.json"), "-o", str(tmp_path / "x.docx"))
    assert code == 1 and "not valid JSON" in err
    code, _, err = _run("render", str(tmp_path / "unknown.json"), "-o", str(tmp_path / "x.odt"))
    assert code == 1 and "'.odt'" in err and "docx, pdf, html, xlsx, md, txt" in err
    code, _, err = _run("render", "-o", str(tmp_path / "x.docx"))
    assert code == 1 and "either INPUT or --id" in err
    assert not (tmp_path / "x.docx").exists()


def test_template_writes_the_blank_form(tmp_path: Path) -> None:
    for template, suffix in (("2019", ".docx"), ("2021", ".html"), ("2021", ".xlsx")):
        out = tmp_path / f"blank{template}{suffix}"
        code, _, _ = _run("template", template, "-o", str(out))
        assert code == 0
        back = ogi.parse(out)
        assert back.template == template and {c.value for c in back.cells.values()} == {None}
    out = tmp_path / "named.docx"
    assert _run("template", "2021", "-o", str(out), "--agency", "洛阳市老城区人民政府", "--year", "2024")[0] == 0
    assert (ogi.parse(out).agency, ogi.parse(out).year) == ("洛阳市老城区人民政府", 2024)
    code, _, err = _run("template", "2020", "-o", str(out))
    assert code == 2 and "2020" in err


def test_values_not_read_exactly_are_named_on_standard_error(tmp_path: Path) -> None:
    source = EXAMPLES / "2021_crawler.txt"
    uncertain = sorted(k for k, c in ogi.parse(source).cells.items() if c.flag == "uncertain")
    assert uncertain  # the crawler dump runs table 二's cells together
    for given in (_parse_json(tmp_path, source), source):
        code, _, err = _run("render", str(given), "-o", str(tmp_path / "c.docx"))
        assert code == 0 and f"{len(uncertain)} uncertain values" in err and uncertain[0] in err
