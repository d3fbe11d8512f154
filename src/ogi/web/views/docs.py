"""``/docs``: the HTTP API read from its OpenAPI document (``/openapi.json``), served from the
package like every other page: no script or style from elsewhere, works with no network."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ogi.web.pages import nav, render

router = APIRouter(include_in_schema=False)
nav("API", "/docs", 90)


def _schema_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
    if ref:
        return ref.rsplit("/", 1)[-1] + ("[]" if "items" in schema else "")
    return str(schema.get("type", "object"))


@router.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    operations = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [(p["name"], p["in"], p.get("required", False), p.get("description", ""),
                       _schema_name(p.get("schema", {}))) for p in op.get("parameters", [])]  # fmt: skip
            body = op.get("requestBody", {}).get("content", {})
            operations.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "params": params,
                "body": [(media, _schema_name(c.get("schema", {}))) for media, c in body.items()],
                "responses": sorted(op.get("responses", {})),
            })  # fmt: skip
    return render(request, "docs.html", operations=operations, title=spec["info"]["title"])
