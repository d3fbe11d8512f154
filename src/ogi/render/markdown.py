"""Render a report as Markdown: ``#`` title, ``##`` section headings, the narrative as paragraphs,
each table as a pipe table on the official grid (a merged cell's text in its first position, the
rest of the merged area empty), the agency and the date at the end."""

from __future__ import annotations

from ogi.render.layout import Block


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _table(block: Block) -> list[str]:
    rows = [[_escape(c) for c in row] for row in block.grid()]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * block.width]
    return lines + ["| " + " | ".join(r) + " |" for r in rows[1:]]


def draw(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "table":
            out += _table(b)
        elif b.kind == "title":
            out.append(f"# {b.text}")
        elif b.kind == "heading":
            out.append(f"## {b.text}")
        else:
            out.append(b.text)
        out.append("")
    return "\n".join(out)
