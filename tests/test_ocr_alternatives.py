"""OCR's alternative readings of a cell become readings of its row that the identities choose
among; a cell no identity settles stays uncertain. No OCR model runs here: the alternatives are
set on a grid read from HTML, as the OCR reader sets them."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from ogi.check import check_report
from ogi.extract import extract
from ogi.extract.readings import Reading
from ogi.extract.solve import RowChoice, solve
from ogi.extract.values import Printed
from ogi.model import Document, Table, Where
from ogi.model.template import Equation
from ogi.readers import read_document
from ogi.render.html import render_html
from ogi.render.synth import SynthReport, synth_report


def _report() -> tuple[SynthReport, Document]:
    rep = synth_report("2021", random.Random(7))
    html = render_html(
        "2021", rep.cells, agency=rep.agency, year=rep.year, published=rep.published, sections=rep.sections
    )
    return rep, read_document(html.encode(), "r.html")


def _cell_of(doc: Document, label: str, col: int):  # type: ignore[no-untyped-def]
    for table in (b for b in doc.blocks if isinstance(b, Table)):
        for row in table.rows:
            if any(c.text.strip() == label for c in row[:3]):
                values = [c for c in row if not c.is_span_copy and not c.absent and c.text.strip().isdigit()]
                return values[col]
    raise AssertionError(f"no row {label}")


def _misread(true: int) -> tuple[str, tuple[str, ...]]:
    """A wrong first reading of ``true`` with the truth among OCR-like alternatives."""
    wrong = {"0": "8", "1": "7", "3": "8", "5": "6", "6": "0", "8": "3", "9": "0", "7": "1", "2": "7", "4": "1"}
    text = str(true)
    bad = wrong[text[-1]]
    return text[:-1] + bad, (text, str(true + 100))


def test_identities_pick_the_alternative_that_balances_the_row_and_say_so() -> None:
    """The text as recognised breaks the row and only one other reading keeps it: that one is
    taken, never silently: OCR_CORRECTED names the cell, what was recognised and what was taken,
    and the recognised text stays the cell's raw text."""
    rep, doc = _report()
    cell = _cell_of(doc, "（一）予以公开", 0)
    true = rep.cells["requests.granted.natural"]
    recognised, cell.alternatives = _misread(int(true))
    cell.text = recognised
    report, tables = extract(doc)
    got = report.cells["requests.granted.natural"]
    assert got.value == true and got.flag is None
    assert got.provenance is not None and got.provenance.raw == recognised
    findings = [f for f in check_report(report, tables) if f.rule == "OCR_CORRECTED"]
    assert len(findings) == 1 and findings[0].severity == "warning"
    assert findings[0].keys == ["requests.granted.natural"]
    assert f"识别为{recognised}，取{true}" in findings[0].message
    broken = [f for f in check_report(report, tables) if f.rule.startswith("I") and f.severity == "error"]
    assert not any("requests.granted.natural" in f.keys for f in broken)


def test_two_alternatives_that_both_balance_leave_the_cells_uncertain() -> None:
    """Only a unique correction is taken: when two of OCR's other readings each keep the identity
    the recognised text breaks, nothing tells which, so both cells are uncertain, none corrected."""
    where = Where(page=1, table=1, row=1, col=1, confidence=0.6)

    def read(v: int, raw: str | None = None) -> Printed:
        return Printed(v, "number", raw or str(v), where)

    recognised = Reading((read(5), read(3), read(9)))
    one = Reading((read(6, "5"), read(3), read(9)), -1.0, (0,))
    other = Reading((read(5), read(4, "3"), read(9)), -1.0, (1,))
    row = RowChoice(("a", "b", "t"), [recognised, one, other])
    solution = solve([row], [Equation("I2", "", ("t",), ("a", "b"))])
    cells = solution.cells
    assert cells["a"].uncertain and cells["b"].uncertain
    assert {cells["a"].value, *cells["a"].alternatives} == {5, 6}
    assert not any(c.ocr_corrected for c in cells.values())
    alone = solve([RowChoice(("a", "b", "t"), [recognised, one])], [Equation("I2", "", ("t",), ("a", "b"))])
    assert alone.cells["a"].value == 6 and not alone.cells["a"].uncertain and alone.cells["a"].ocr_corrected


def test_a_pair_that_balances_its_row_but_not_its_column_is_rejected() -> None:
    """A part and the row total both in doubt by the same amount keep the row's identity; the
    column's identity (received = handled + carried forward) still settles the part."""
    rep, doc = _report()
    part = _cell_of(doc, "（一）予以公开", 0)
    total = _cell_of(doc, "（一）予以公开", 6)
    n, t = int(rep.cells["requests.granted.natural"]), int(rep.cells["requests.granted.total"])
    part.alternatives, total.alternatives = (str(n + 10),), (str(t + 10),)
    report, _ = extract(doc)
    assert report.cells["requests.granted.natural"].value == n
    assert report.cells["requests.granted.natural"].flag is None
    assert report.cells["requests.granted.total"].flag is None


def test_decoder_keeps_the_digits_it_hesitated_over() -> None:
    np = pytest.importorskip("numpy", reason="the ocr extra is not installed (pip install '.[ocr]')")
    from ogi.readers.ocr.decode import decode

    charset = ["blank", *"0123456789", " "]
    probs = np.full((8, len(charset)), 1e-4)

    def frame(t: int, dist: dict[str, float]) -> None:
        probs[t, :] = 1e-4
        for ch, p in dist.items():
            probs[t, charset.index(ch)] = p

    for t in range(8):
        frame(t, {"blank": 0.999})
    frame(1, {"3": 0.62, "8": 0.37})  # a 3 the model nearly took for an 8
    frame(4, {"0": 0.999})
    sure = decode(probs, charset)
    assert sure.text == "30" and sure.confidence == pytest.approx(0.62, abs=1e-3)
    assert sure.alternatives[0] == "80"
    frame(1, {"3": 0.999})
    assert decode(probs, charset).alternatives == ()


def test_a_doubtful_cell_in_a_broken_identity_is_uncertain() -> None:
    """OCR misread a digit and none of its other readings balances the row: the identity is
    broken and the cell OCR doubted is flagged, not shown as read."""
    rep, doc = _report()
    cell = _cell_of(doc, "（一）予以公开", 0)
    true = int(rep.cells["requests.granted.natural"])
    cell.text, cell.alternatives = str(true + 3), (str(true + 50),)
    report, _ = extract(doc)
    got = report.cells["requests.granted.natural"]
    assert got.value == true + 3 and got.flag == "uncertain" and true + 50 in got.alternatives


def test_a_recognised_value_in_a_broken_identity_is_uncertain() -> None:
    """Read by OCR with confidence and no alternative, yet the row does not add up: a misreading
    and a misprint look the same, so the cell is uncertain with the value that balances the row.
    The same wrong number printed in a text document stays as printed (the checks report it)."""
    rep, doc = _report()
    cell = _cell_of(doc, "（一）予以公开", 6)  # the row's 总计
    true = int(rep.cells["requests.granted.total"])
    cell.text = str(true + 7)
    printed, _ = extract(doc)
    assert printed.cells["requests.granted.total"].flag is None
    cell.where = replace(cell.where, confidence=0.99)
    recognised, _ = extract(doc)
    got = recognised.cells["requests.granted.total"]
    assert got.value == true + 7 and got.flag == "uncertain" and true in got.alternatives


def test_a_round_zero_read_as_a_letter_is_a_zero() -> None:
    np = pytest.importorskip("numpy", reason="the ocr extra is not installed (pip install '.[ocr]')")
    from ogi.readers.ocr.decode import decode

    charset = ["blank", *"0123456789", "O", "l", "年", " "]
    probs = np.full((6, len(charset)), 1e-4)
    probs[:, 0] = 0.999
    probs[1, :], probs[1, charset.index("l")] = 1e-4, 0.99
    probs[3, :], probs[3, charset.index("O")] = 1e-4, 0.99
    assert decode(probs, charset).text == "10"
    probs[3, :], probs[3, charset.index("年")] = 1e-4, 0.99
    assert decode(probs, charset).text == "l年"
    probs[3, :], probs[3, 0] = 1e-4, 0.999  # a lone stroke: a ruling's remnant in a blank cell, not a 1
    assert decode(probs, charset).text == "l"
