"""Shared fixtures: the ../shared material beside the project (skipped when absent) and the
``--regen-golden`` flag that rewrites golden files from the current output."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def regen(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regen-golden"))


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared material (../shared beside the project) is not available here")
    return path
