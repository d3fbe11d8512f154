"""The public surface is small and pinned; the model is JSON-serialisable with a schema."""

from __future__ import annotations

import json
import subprocess
import sys

import ogi
from ogi.model import Report, get_template


def test_exported_members() -> None:
    assert sorted(ogi.__all__) == sorted(
        [
            "Cell",
            "Finding",
            "InputError",
            "OgiError",
            "ParseOptions",
            "Report",
            "StoreError",
            "__version__",
            "parse",
            "parse_all",
            "parse_all_bytes",
            "parse_bytes",
        ]
    )


def test_templates_cover_the_canonical_cells() -> None:
    assert len(get_template("2019").keys) == 198
    assert len(get_template("2021").keys) == 200


def test_report_round_trips_through_json(tmp_path: object) -> None:
    import random

    from ogi.render.synth import synth_report
    from ogi.render.text import render_text

    report = ogi.parse_bytes(render_text(synth_report("2019", random.Random(1)), "tsv").encode(), "x.txt")
    again = Report.model_validate_json(report.model_dump_json())
    assert again.values() == report.values()
    assert json.loads(json.dumps(report.summary(), ensure_ascii=False))["cells"] == report.summary()["cells"]
    assert "properties" in Report.model_json_schema()


def test_import_is_light() -> None:
    code = "import sys, ogi; print(any(m in sys.modules for m in ('lxml', 'docx', 'pdfplumber', 'duckdb')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_help_lists_commands() -> None:
    out = subprocess.run([sys.executable, "-m", "ogi", "--help"], capture_output=True, text=True, check=True).stdout
    assert "parse" in out and "schema" in out
