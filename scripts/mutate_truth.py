"""Check that the suite notices any change to a truth file of ../shared/corpus/truth.

For every truth file, every cell and every metadata field is changed in turn (a value ±1, to 0, to
null, to each other reading ogi gives for that cell; a null to 0, 1 and each reading; the template,
year, agency, published date and file name to something else), and the truth-file tests of
``tests/test_corpus.py`` are run on the changed copy in this process (the parsed reports are cached,
so the whole sweep takes seconds). Every change must make a test fail. Then, as a check of the
plumbing, a few changed copies are written to a temporary folder and the real pytest run is pointed
at them with ``OGI_TRUTH_DIR``: each run must fail.

Run: ``python scripts/mutate_truth.py`` from the project root (needs ../shared). Exit 1 if any change
went unnoticed.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import test_corpus as tc  # noqa: E402
from tests.conftest import TRUTH  # noqa: E402
from tests.truth import same  # noqa: E402


def _cell_changes(value: object, readings: list[object]) -> Iterator[object]:
    candidates: list[object] = [0, 1, *readings] if value is None else [value + 1, 0, None, *readings]  # type: ignore[operator]
    if isinstance(value, int | float) and value >= 1:
        candidates.append(value - 1)
    seen: list[object] = []
    for c in candidates:
        if not same(c, value) and c not in seen and not (c is None and value is None):
            seen.append(c)
            yield c


def changes(name: str, truth: dict) -> Iterator[tuple[str, dict]]:
    report = tc._parsed(truth["file"])
    summary = report.summary()
    for key, value in truth["cells"].items():
        readings = [summary["cells"].get(key), *summary["alternatives"].get(key, [])]
        for new in _cell_changes(value, readings):
            changed = copy.deepcopy(truth)
            changed["cells"][key] = new
            yield f"{key}: {value!r} → {new!r}", changed
    other_file = next(p.name for p in tc.CORPUS.iterdir() if p.suffix in (".txt", ".html") and p.name != truth["file"])
    meta = {
        "template": "2019" if truth["template"] == "2021" else "2021",
        "year": 2021 if truth["year"] is None else truth["year"] + 1,
        "agency": (truth["agency"] or "") + "办公室",
        "published": "2020-01-01" if truth["published"] != "2020-01-01" else None,
        "file": other_file,
    }
    for field_name, new in meta.items():
        changed = copy.deepcopy(truth)
        changed[field_name] = new
        yield f"{field_name}: {truth[field_name]!r} → {new!r}", changed


def noticed(name: str, truth: dict) -> bool:
    original = tc._truth
    tc._truth = lambda _: truth  # type: ignore[assignment]
    try:
        tc.test_report_matches_its_truth(name)
    except AssertionError:
        return True
    finally:
        tc._truth = original  # type: ignore[assignment]
    return False


def sweep() -> int:
    unnoticed, total = [], 0
    for path in sorted(TRUTH.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        for what, changed in changes(path.stem, truth):
            total += 1
            if not noticed(path.stem, changed):
                unnoticed.append(f"{path.stem}: {what}")
    print(f"{total} single changes to {len(list(TRUTH.glob('*.json')))} truth files; {len(unnoticed)} unnoticed")
    for line in unnoticed:
        print("  unnoticed:", line)
    return len(unnoticed)


def real_runs() -> int:
    """A few changed truth folders, each run through pytest as CI would: every run must fail."""
    samples = [
        ("009_pingtan_2019", "active.licensing.change", 1),  # an uncertain cell moved to another reading
        ("019_shanghai_szfbgt_2025", "requests.other.other.natural", 265),  # a row the conversion left unlabelled
        ("024_blank_form_2021", "requests.new.total", 0),  # a blank made 0
        ("011_shanghai_szfbgt_2019", "requests.granted.total", 272),  # a blank the totals force
    ]
    missed = 0
    for name, key, value in samples:
        with tempfile.TemporaryDirectory() as tmp:
            for p in TRUTH.glob("*.json"):
                data = json.loads(p.read_text(encoding="utf-8"))
                if p.stem == name:
                    data["cells"][key] = value
                Path(tmp, p.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            env = dict(os.environ, OGI_TRUTH_DIR=tmp)
            run = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", "tests/test_corpus.py"],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )  # fmt: skip
            ok = run.returncode == 1
            missed += not ok
            verdict = "failed, as it must" if ok else "NOT NOTICED"
            print(f"pytest with {name} {key} = {value}: exit {run.returncode} ({verdict})")
    return missed


if __name__ == "__main__":
    sys.exit(1 if sweep() + real_runs() else 0)
