"""Helpers for the web app's tests: an app over a fresh store, driven in-process."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from ogi.web import Settings, create_app

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@contextmanager
def web_client(db: Path, **settings: Any) -> Iterator[TestClient]:
    """The app over ``db`` with one parsing process, started and stopped around the block."""
    with TestClient(create_app(Settings(db=db, workers=1, **settings))) as client:
        yield client


def files(*items: Path | tuple[str, bytes]) -> list[tuple[str, tuple[str, bytes]]]:
    """Multipart ``files`` fields from example paths or (name, bytes)."""
    out = []
    for item in items:
        name, data = (item.name, item.read_bytes()) if isinstance(item, Path) else item
        out.append(("files", (name, data)))
    return out


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def upload(client: TestClient, *items: Path | tuple[str, bytes], **kw: Any) -> list[dict[str, Any]]:
    r = client.post("/api/reports", files=files(*items), **kw)
    assert r.status_code == 200, r.text
    return r.json()["reports"]
