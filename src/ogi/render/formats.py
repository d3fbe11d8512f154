"""Render a :class:`~ogi.model.Report` in the official layout, the format chosen by name or by an
output file's suffix: ``docx``, ``pdf``, ``html``, ``xlsx``, ``md``, ``txt``.

One module per format draws the blocks of :func:`ogi.render.layout.outline`; they are imported on
first use. PDFs are LibreOffice's export of the DOCX rendition; :func:`render_many` converts a batch
in one LibreOffice start, which is most of a single PDF's cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from pathlib import Path

from ogi.errors import OgiError
from ogi.model import Report
from ogi.render.layout import Block, outline

FORMATS: dict[str, str] = {
    "docx": "ogi.render.docx",
    "pdf": "ogi.render.docx",  # drawn as DOCX, then converted by LibreOffice
    "html": "ogi.render.html",
    "xlsx": "ogi.render.xlsx",
    "md": "ogi.render.markdown",
    "txt": "ogi.render.plaintext",
}
SUFFIXES = {f".{f}": f for f in FORMATS} | {".htm": "html", ".markdown": "md"}


class RenderError(OgiError):
    """A report that cannot be rendered as asked (no template, an unknown format, no LibreOffice)."""


def format_of(path: str | Path) -> str:
    """The format an output file's suffix asks for."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise RenderError(
            f"{path}: cannot tell the format from {suffix or 'no suffix'!r}; use one of {', '.join(FORMATS)}"
        )
    return SUFFIXES[suffix]


def blocks_of(report: Report) -> list[Block]:
    """The report's official layout. Section 六 is printed without the agency and date under it
    (a parse made before ``meta.signature`` existed kept them there): the layout prints them itself."""
    from ogi.extract.signature import split_signature

    if report.template is None:
        raise RenderError(f"{report.file}: no template: neither table layout was found, so there is nothing to render")
    texts = {k: s.text for k, s in report.sections.items()}
    if "other" in texts:
        texts["other"] = split_signature(texts["other"], report.agency)[0]
    labels = {k: c.provenance.label for k, c in report.cells.items() if c.provenance and c.provenance.label}
    return outline(
        report.template,
        report.values(),
        agency=report.agency,
        year=report.year,
        published=report.published,
        sections=texts,
        labels={k: v for k, v in labels.items() if k.startswith("active.extra.")},
    )


def _draw(blocks: list[Block], fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise RenderError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = import_module(FORMATS[fmt]).draw(blocks)
    return out.encode("utf-8") if isinstance(out, str) else out


def render(report: Report, fmt: str) -> bytes:
    """The report as a file's bytes in ``fmt``."""
    return render_many([report], fmt)[0]


def render_many(reports: Sequence[Report], fmt: str) -> list[bytes]:
    """Several reports in one format; PDFs in one LibreOffice run."""
    drawn = [_draw(blocks_of(r), fmt) for r in reports]
    if fmt != "pdf":
        return drawn
    from ogi.render.office import OfficeError, convert_many

    try:
        return convert_many(drawn)
    except OfficeError as e:
        raise RenderError(str(e)) from e


# What the circulated blank form prints under its narrative headings (shared/corpus/024_blank_form_2021.docx).
PLACEHOLDERS = {
    "overview": "（文字描述）",
    "problems": "（文字描述）",
    "other": "（文字描述）",
}
FEE_PLACEHOLDER = "（文字描述，收取信息处理费情况在此处报告。）"


def blank(template_id: str, *, agency: str | None = None, year: int | None = None) -> Report:
    """The blank official form of a template: every cell empty (never 0), the narrative sections
    holding the form's 〔文字描述〕 prompts."""
    from ogi.fill.draft import Draft

    sections = dict(PLACEHOLDERS)
    if template_id != "2019":  # the 2021 format asks for the 信息处理费 in section 六
        sections["other"] = FEE_PLACEHOLDER
    draft = Draft(template=template_id, agency=agency, year=year, sections=sections)  # type: ignore[arg-type]
    return draft.to_report(check=False)
