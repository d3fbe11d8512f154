"""Write the example reports shipped in ``examples/``: synthetic reports made by ogi's own
renderer (random values satisfying every identity), one per template and text shape, plus a
few with deliberate defects so that the checks have something to say.

Run: ``python scripts/make_examples.py`` (deterministic; rewrites examples/).
"""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

from ogi.render._lexicon import narrative
from ogi.render.docx import render_docx
from ogi.render.html import render_html
from ogi.render.office import render_pdf
from ogi.render.synth import synth_report
from ogi.render.text import SHAPES, render_text

OUT = Path(__file__).resolve().parents[1] / "examples"
EXTENSIONS = {"markdown": ".md"}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob("*.*"):
        if old.name != "README.md" and not (old.suffix == ".pdf" and not shutil.which("soffice")):
            old.unlink()
    for i, shape in enumerate(SHAPES):
        for template in ("2019", "2021"):
            rep = synth_report(template, random.Random(1000 + i * 2 + int(template == "2021")))
            name = f"{template}_{shape}{EXTENSIONS.get(shape, '.txt')}"
            (OUT / name).write_text(render_text(rep, shape), encoding="utf-8")
    # A report whose （七）总计 row does not add up: the checks must name the broken identity.
    rep = synth_report("2021", random.Random(7))
    lines = render_text(rep, "tsv").split("\n")
    at = next(i for i, line in enumerate(lines) if "七" in line and "总计" in line)
    cells = lines[at].split("\t")
    last = max(i for i, c in enumerate(cells) if c.strip().isdigit())
    cells[last] = str(int(cells[last]) + 3)
    lines[at] = "\t".join(cells)
    (OUT / "2021_tsv_broken_total.txt").write_text("\n".join(lines), encoding="utf-8")
    # The other formats: a web page, a Word file and (when LibreOffice is here) a PDF.
    for template, seed, fmt in (("2021", 21, "html"), ("2019", 22, "docx"), ("2021", 23, "pdf")):
        rep = synth_report(template, random.Random(seed))
        kw = {"agency": rep.agency, "year": rep.year, "published": rep.published, "sections": rep.sections}
        if fmt == "html":
            (OUT / f"{template}_page.html").write_text(render_html(template, rep.cells, **kw), encoding="utf-8")
        elif fmt == "docx":
            (OUT / f"{template}_word.docx").write_bytes(render_docx(template, rep.cells, **kw))
        elif shutil.which("soffice"):
            (OUT / f"{template}_print.pdf").write_bytes(render_pdf(render_docx(template, rep.cells, **kw)))
    # One district over two years and one of its departments: cross-year checks and a rollup.
    cols = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
    last = synth_report("2021", random.Random(31), agency="淮安市洪泽区人民政府", year=2023)
    this = synth_report("2021", random.Random(32), agency="淮安市洪泽区人民政府", year=2024)
    carry_over(last.cells, this.cells, cols)
    this = replace(this, sections=narrative("2021", this.year, this.agency, this.cells, random.Random(32)))
    dept = synth_report("2021", random.Random(33), agency="淮安市洪泽区财政局", year=2024)
    for rep in (last, this, dept):
        name = f"hongze_{rep.year}_{'dept' if rep is dept else 'gov'}.txt"
        (OUT / name).write_text(render_text(rep, "cell_per_line"), encoding="utf-8")
    # One report collected twice: the web page and a crawler's text dump of it, whose run-together
    # table 二 the page settles (ogi ingest links them as one unit-year; ogi.store.reconcile).
    both = synth_report("2021", random.Random(41), agency="淮安市洪泽区教育局", year=2024)
    kw = {"agency": both.agency, "year": both.year, "published": both.published, "sections": both.sections}
    (OUT / "pair_2024_page.html").write_text(render_html("2021", both.cells, **kw), encoding="utf-8")
    (OUT / "pair_2024_crawler.txt").write_text(render_text(both, "crawler"), encoding="utf-8")
    # The same report saved as GBK, as many portals still do.
    (OUT / "2021_gbk.txt").write_bytes(
        render_text(synth_report("2021", random.Random(8)), "cell_per_line").encode("gb18030")
    )


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
