"""Render a report as plain text, the way a word processor saves one: a line per paragraph, a line
per table row with its cells separated by tabs (a merged cell's text in its first position, the
rest of the merged area empty), the agency and the date at the end."""

from __future__ import annotations

from ogi.render.layout import Block


def draw(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "table":
            out += ["\t".join(c.replace("\n", "") for c in row) for row in b.grid()]
        else:
            out.append(b.text)
        if b.kind in ("title", "table"):
            out.append("")
    return "\n".join(out) + "\n"
