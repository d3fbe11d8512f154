"""Golden files: the whole ``ogi parse --json`` output of a document, less the file path: cells,
flags, alternatives, provenance, boxes, findings with their keys and expected/printed values,
sections and metadata. Every shipped example has one here; the seed reports (test_seeds.py) and the
real conversion 019 (test_corpus.py) have theirs beside their other tests, where ../shared is.

``pytest -k golden --regen-golden`` rewrites them and fails, so that a regenerated golden never
passes unread: read ``git diff tests/golden``, check each change against the document, then run
again without the flag. Each folder's README says where its documents come from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ogi
from tests.conftest import EXAMPLES, GOLDEN


def golden_view(report: ogi.Report) -> dict:
    view = report.summary()
    del view["file"]  # where it was read from, not what it says
    return json.loads(json.dumps(view, ensure_ascii=False))


def assert_matches_golden(path: Path, golden: Path, regen: bool) -> None:
    """``path`` parses to what ``golden`` holds; with ``--regen-golden``, rewrite it and fail."""
    got = golden_view(ogi.parse(path))
    if regen:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.fail(f"rewrote {golden.relative_to(GOLDEN.parent.parent)}: read `git diff tests/golden`, then rerun")
    assert golden.exists(), f"no golden file {golden}: run pytest -k golden --regen-golden and read it"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    for part in ("cells", "flags", "alternatives", "findings", "provenance", "boxes", "sections"):
        assert got[part] == expected[part], part  # the part named first, then the whole
    assert got == expected


def example_golden(path: Path) -> Path:
    return GOLDEN / "examples" / f"{path.name}.json"


@pytest.mark.parametrize("path", sorted(EXAMPLES.iterdir()), ids=lambda p: p.name)
def test_output_matches_golden(path: Path, regen: bool) -> None:
    assert_matches_golden(path, example_golden(path), regen)


def test_every_golden_has_its_document() -> None:
    """A golden whose document was removed or renamed is a stale file, not a test."""
    assert set((GOLDEN / "examples").glob("*.json")) == {example_golden(p) for p in EXAMPLES.iterdir()}
    assert {p.name for p in GOLDEN.iterdir()} == {"examples", "seeds", "corpus"}
