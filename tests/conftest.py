"""Shared fixtures and settings.

- ``../shared`` beside the project (real reports with hand-read truth): modules that need it skip
  whole, with one message, where it is absent (:func:`need_shared`); everything else runs on
  ``examples/``.
- ``OGI_TRUTH_DIR`` points the truth-file tests at another folder of truth files (used to check that
  a changed truth value makes the suite fail; see ``scripts/mutate_truth.py``).
- Tests marked ``libreoffice`` skip where it is absent; ``OGI_REQUIRE_LIBREOFFICE=1`` (set by ``.ci/run``)
  turns that skip into a failure.
- ``--regen-golden`` rewrites golden files from the current output, and fails that run.
- Hypothesis profiles: no deadline anywhere (speed is measured by ``bench/``, never asserted in a
  test: a loaded or coverage-traced run must not fail for being slow); ``ci`` also derandomizes, so
  a CI run is reproducible. Chosen by ``HYPOTHESIS_PROFILE`` (default ``dev``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

from ogi.readers.doc import soffice_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
TRUTH = Path(os.environ.get("OGI_TRUTH_DIR") or CORPUS / "truth")
GOLDEN = Path(__file__).parent / "golden"

_SLOW_OK = [HealthCheck.too_slow]  # data generation slows down on a loaded machine, not in the code
settings.register_profile("dev", deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile("ci", deadline=None, suppress_health_check=_SLOW_OK, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


def need(path: Path) -> Path:
    """``path`` of the shared material, or skip the calling test where it is absent."""
    if not path.exists():
        pytest.skip(f"{path} is absent: the real reports (../shared beside the project) are not here")
    return path


def need_shared(*paths: Path) -> None:
    """Skip the calling module when the shared material is absent (call at module level)."""
    missing = [p for p in (SHARED, *paths) if not p.exists()]
    if missing:
        pytest.skip(
            f"{missing[0]} is absent: the real reports (../shared beside the project) are not here; "
            "the examples-backed tests still run",
            allow_module_level=True,
        )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked ``libreoffice`` skips where LibreOffice is absent, or, with
    OGI_REQUIRE_LIBREOFFICE=1 as in CI, fails."""
    if item.get_closest_marker("libreoffice") and soffice_path() is None:
        if os.environ.get("OGI_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice (soffice) is required here (OGI_REQUIRE_LIBREOFFICE=1) but not installed")
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")


def example(name: str) -> Path:
    """A file of examples/, which ships with the project: its absence is a failure, not a skip."""
    path = EXAMPLES / name
    assert path.exists(), f"{path} is missing from the repository"
    return path


def load_script(name: str) -> ModuleType:
    """A module of scripts/ (not a package), e.g. the example generator."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
