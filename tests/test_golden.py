"""Golden files: the whole ``ogi parse --json`` output of every shipped example and every seed report
(../shared/seeds), less the file path: cells, flags, alternatives, provenance, boxes, findings with
their keys and expected/printed values, sections and metadata.

``pytest tests/test_golden.py --regen-golden`` rewrites them and fails, so that a regenerated golden
never passes unread: read ``git diff tests/golden``, check each change against the document, then run
again without the flag. Each folder's README says where its documents come from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ogi
from tests.conftest import EXAMPLES, GOLDEN, SEEDS

CASES = [pytest.param(p, "examples", id=f"examples/{p.name}") for p in sorted(EXAMPLES.iterdir())]
if SEEDS.exists():
    CASES += [pytest.param(p, "seeds", id=f"seeds/{p.stem}") for p in sorted(SEEDS.glob("*.txt"))]
else:
    CASES.append(pytest.param(None, "seeds", id="seeds", marks=pytest.mark.skip(reason=f"{SEEDS} is absent")))


def golden_view(report: ogi.Report) -> dict:
    view = report.summary()
    del view["file"]  # where it was read from, not what it says
    return json.loads(json.dumps(view, ensure_ascii=False))


def golden_path(path: Path, folder: str) -> Path:
    return GOLDEN / folder / f"{path.name if folder == 'examples' else path.stem}.json"


@pytest.mark.parametrize(("path", "folder"), CASES)
def test_output_matches_golden(path: Path, folder: str, regen: bool) -> None:
    got = golden_view(ogi.parse(path))
    golden = golden_path(path, folder)
    if regen:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.fail(f"rewrote {golden.relative_to(GOLDEN.parent.parent)}: read `git diff tests/golden`, then rerun")
    assert golden.exists(), f"no golden file {golden}: run pytest {__file__} --regen-golden and read it"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    for part in ("cells", "flags", "alternatives", "findings", "provenance", "boxes", "sections"):
        assert got[part] == expected[part], part  # the part named first, then the whole
    assert got == expected


def test_every_golden_has_its_document() -> None:
    """A golden whose document was removed or renamed is a stale file, not a test."""
    examples = {golden_path(p, "examples") for p in EXAMPLES.iterdir()}
    assert {p for p in (GOLDEN / "examples").glob("*.json")} == examples
    if SEEDS.exists():
        assert {p for p in (GOLDEN / "seeds").glob("*.json")} == {golden_path(p, "seeds") for p in SEEDS.glob("*.txt")}
