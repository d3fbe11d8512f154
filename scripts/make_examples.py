"""Write the example reports shipped in ``examples/``: synthetic reports made by ogi's own
renderer (random values satisfying every identity), one per template and text shape, plus a
few with deliberate defects so that the checks have something to say.

Run: ``python scripts/make_examples.py`` (deterministic; rewrites examples/). The tests load
:func:`examples` to know every value each example prints.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ogi.render._lexicon import narrative
from ogi.render.docx import render_docx
from ogi.render.html import render_html
from ogi.render.synth import SynthReport, synth_report
from ogi.render.text import SHAPES, render_text

OUT = Path(__file__).resolve().parents[1] / "examples"
EXTENSIONS = {"markdown": ".md"}
BROKEN_TOTAL_EXCESS = 3
"""How much higher than its parts the （七）总计 row's 总计 cell of ``2021_tsv_broken_total.txt`` prints."""


@dataclass(frozen=True)
class Example:
    name: str
    report: SynthReport
    """The values the file prints (for the broken total: before the edit)."""
    render: Callable[[], bytes]


def _broken_total(rep: SynthReport) -> bytes:
    """A report whose （七）总计 row does not add up: the checks must name the broken identity."""
    lines = render_text(rep, "tsv").split("\n")
    at = next(i for i, line in enumerate(lines) if "七" in line and "总计" in line)
    cells = lines[at].split("\t")
    last = max(i for i, c in enumerate(cells) if c.strip().isdigit())
    cells[last] = str(int(cells[last]) + BROKEN_TOTAL_EXCESS)
    lines[at] = "\t".join(cells)
    return "\n".join(lines).encode("utf-8")


def _office(rep: SynthReport, fmt: str) -> Callable[[], bytes]:
    kw = {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}
    if fmt == "html":
        return lambda: render_html(rep.template, rep.cells, **kw).encode("utf-8")
    if fmt == "docx":
        return lambda: render_docx(rep.template, rep.cells, **kw)

    def pdf() -> bytes:
        from ogi.render.office import render_pdf

        return render_pdf(render_docx(rep.template, rep.cells, **kw))

    return pdf


def examples() -> list[Example]:
    """Every example file: its name, the report it prints, and how to render it."""
    out = []
    for i, shape in enumerate(SHAPES):
        for template in ("2019", "2021"):
            rep = synth_report(template, random.Random(1000 + i * 2 + int(template == "2021")))
            name = f"{template}_{shape}{EXTENSIONS.get(shape, '.txt')}"
            out.append(Example(name, rep, lambda rep=rep, shape=shape: render_text(rep, shape).encode("utf-8")))
    broken = synth_report("2021", random.Random(7))
    out.append(Example("2021_tsv_broken_total.txt", broken, lambda: _broken_total(broken)))
    # The other formats: a web page, a Word file and a PDF (printed by LibreOffice).
    for template, seed, fmt, name in (
        ("2021", 21, "html", "2021_page.html"),
        ("2019", 22, "docx", "2019_word.docx"),
        ("2021", 23, "pdf", "2021_print.pdf"),
    ):
        rep = synth_report(template, random.Random(seed))
        out.append(Example(name, rep, _office(rep, fmt)))
    # One district over two years and one of its departments: cross-year checks and a rollup.
    cols = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
    last = synth_report("2021", random.Random(31), agency="淮安市洪泽区人民政府", year=2023)
    this = synth_report("2021", random.Random(32), agency="淮安市洪泽区人民政府", year=2024)
    carry_over(last.cells, this.cells, cols)
    this = replace(this, sections=narrative("2021", this.year, this.agency, this.cells, random.Random(32)))
    dept = synth_report("2021", random.Random(33), agency="淮安市洪泽区财政局", year=2024)
    for rep in (last, this, dept):
        name = f"hongze_{rep.year}_{'dept' if rep is dept else 'gov'}.txt"
        out.append(Example(name, rep, lambda rep=rep: render_text(rep, "cell_per_line").encode("utf-8")))
    # One report collected twice: the web page and a crawler's text dump of it, whose run-together
    # table 二 the page settles (ogi ingest links them as one unit-year; ogi.store.reconcile).
    both = synth_report("2021", random.Random(41), agency="淮安市洪泽区教育局", year=2024)
    out.append(Example("pair_2024_page.html", both, _office(both, "html")))
    out.append(Example("pair_2024_crawler.txt", both, lambda: render_text(both, "crawler").encode("utf-8")))
    # The same report saved as GBK, as many portals still do.
    gbk = synth_report("2021", random.Random(8))
    out.append(Example("2021_gbk.txt", gbk, lambda: render_text(gbk, "cell_per_line").encode("gb18030")))
    return out


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.*"):
        if old.name != "README.md" and not (old.suffix == ".pdf" and not shutil.which("soffice")):
            old.unlink()
    for ex in examples():
        if ex.name.endswith(".pdf") and not shutil.which("soffice"):
            continue
        (OUT / ex.name).write_bytes(ex.render())


def carry_over(last: dict, this: dict, cols: tuple[str, ...]) -> None:
    """Make this year's 上年结转 equal last year's 结转下年度, keeping identity I1 by adjusting 本年新收
    (and, where that would go negative, this year's 结转下年度)."""
    for c in cols:
        this[f"requests.carried_over.{c}"] = last[f"requests.carried_forward.{c}"]
    deficit = {}
    for c in cols[:-1]:
        new = this[f"requests.total.{c}"] + this[f"requests.carried_forward.{c}"] - this[f"requests.carried_over.{c}"]
        deficit[c] = max(0, -new)
        this[f"requests.carried_forward.{c}"] += deficit[c]
        this[f"requests.new.{c}"] = new + deficit[c]
    this["requests.carried_forward.total"] = sum(this[f"requests.carried_forward.{c}"] for c in cols[:-1])
    this["requests.new.total"] = sum(this[f"requests.new.{c}"] for c in cols[:-1])


if __name__ == "__main__":
    main()
