"""填报 library: drafts validate with one message naming the key, the live check marks the cell that
breaks an identity with its expected value, last year's report pre-fills what carries over, and a
finished draft renders to a file that parses back exactly."""

from __future__ import annotations

import json
import random
from decimal import Decimal
from pathlib import Path

import pytest

import ogi
from ogi.fill import Draft, DraftError, check_draft, prefill, prefill_from_store
from ogi.render.formats import render
from ogi.render.synth import SynthReport, synth_report
from ogi.render.variants import with_variants
from tests.conftest import ROOT


def _draft(rep: SynthReport) -> Draft:
    return Draft(
        template=rep.template,  # type: ignore[arg-type]
        year=rep.year,
        agency=rep.agency,
        published=rep.published,
        cells=rep.cells,
        sections=rep.sections,
        labels=rep.labels,
    )


def _json(rep: SynthReport) -> dict:
    return json.loads(json.dumps(_draft(rep).to_json(), ensure_ascii=False), parse_float=Decimal)


# --- the draft model -------------------------------------------------------------------------------


def test_draft_json_round_trip_keeps_amounts_exact() -> None:
    rep = synth_report("2021", random.Random(4))
    rep.cells["active.fees.amount"] = Decimal("24252.311082")
    again = Draft.from_json(_json(rep))
    assert again == _draft(rep)
    assert again.cells["active.fees.amount"] == Decimal("24252.311082")


@pytest.mark.parametrize(
    ("change", "key", "says"),
    [
        ({"colour": "red"}, "colour", "unknown key"),
        ({"template": "2020"}, "template", "must be one of 2019, 2021"),
        ({"cells": {"requests.new.totl": 1}}, "cells.requests.new.totl", "did you mean requests.new.total?"),
        ({"cells": {"active.procurement.amount": 1}}, "cells.active.procurement.amount", 'set "template": "2019"'),
        ({"cells": {"requests.new.total": "12"}}, "cells.requests.new.total", "a whole number or null, got a string"),
        ({"cells": {"requests.new.total": 1.5}}, "cells.requests.new.total", "a whole number"),
        ({"cells": {"active.fees.amount": "3"}}, "cells.active.fees.amount", "an amount in 万元"),
        ({"cells": {"requests.new.total": True}}, "cells.requests.new.total", "true/false"),
        ({"cells": []}, "cells", "must be an object"),
        ({"sections": {"summary": "x"}}, "sections.summary", "not a section"),
        ({"sections": {"overview": 3}}, "sections.overview", "must be text"),
        ({"published": "2024-13-40"}, "published", "date"),
    ],
)
def test_bad_drafts_name_the_key(change: dict, key: str, says: str) -> None:
    obj = _json(synth_report("2021", random.Random(1))) | change
    with pytest.raises(DraftError) as info:
        Draft.from_json(obj, "d.json")
    assert info.value.key == key
    assert says in str(info.value) and str(info.value).startswith(f"d.json: {key}: ")
    assert "\n" not in str(info.value)


def test_local_variants_are_draft_cells_and_counts_may_be_spreadsheet_floats() -> None:
    rep = with_variants(synth_report("2021", random.Random(2)), legal_subtotal=True, subtotal_groups=["unable"],
                        extra_lines=1)  # fmt: skip
    obj = _json(rep)
    obj["cells"]["requests.new.natural"] = float(obj["cells"]["requests.new.natural"])  # 3.0 from Excel
    draft = Draft.from_json(obj)
    assert draft.cells["requests.new.natural"] == rep.cells["requests.new.natural"]
    assert type(draft.cells["requests.new.natural"]) is int
    assert draft.labels == rep.labels
    with pytest.raises(DraftError, match=r"requests\.unable\.subtotal\.sum"):
        Draft.from_json(obj | {"cells": {"requests.unable.subtotal.sum": 1}})


def test_parse_json_is_a_draft_without_its_signature() -> None:
    rep = synth_report("2019", random.Random(5))
    summary = ogi.parse_bytes(render(_draft(rep).to_report(), "txt"), "r.txt").summary()
    draft = Draft.from_json(json.loads(json.dumps(summary, ensure_ascii=False), parse_float=Decimal), "r.json")
    assert draft.cells == rep.cells
    assert draft.sections["other"] == rep.sections["other"]  # the agency and date printed after 六 are dropped
    assert (draft.agency, draft.year, draft.published) == (rep.agency, rep.year, rep.published)


# --- the live check ---------------------------------------------------------------------------------


def test_a_full_consistent_draft_is_ok() -> None:
    live = check_draft(_draft(synth_report("2021", random.Random(3))))
    assert live.ok and live.broken == [] and live.unfilled == [] and live.suggestions == {}


def test_a_wrong_total_is_marked_with_its_expected_value() -> None:
    rep = synth_report("2021", random.Random(7))
    right = rep.cells["requests.total.natural"]
    rep.cells["requests.total.natural"] = right + 3
    live = check_draft(_draft(rep))
    # One wrong cell breaks every identity it is in; all of them point at it, with the same value.
    assert {b.rule for b in live.broken} == {"I1", "I2", "I3"}
    assert {(b.mark, b.expected, b.value) for b in live.broken} == {("requests.total.natural", right, right + 3)}
    assert "（七）总计·自然人" in next(b.message for b in live.broken if b.rule == "I3")
    assert live.marks() == {"requests.total.natural": right}
    as_json = json.loads(json.dumps(live.to_json()))
    assert {(b["mark"], b["expected"]) for b in as_json["broken"]} == {("requests.total.natural", right)}


def test_a_wrong_outcome_cell_is_found_where_its_row_and_column_meet() -> None:
    rep = synth_report("2019", random.Random(21))
    right = rep.cells["requests.unable.not_held.natural"]
    rep.cells["requests.unable.not_held.natural"] = right + 5
    live = check_draft(_draft(rep))
    assert {b.rule for b in live.broken} == {"I2", "I3"}
    assert live.marks() == {"requests.unable.not_held.natural": right}


def test_a_lone_break_marks_the_total_or_the_remainder() -> None:
    rep = synth_report("2021", random.Random(22))
    rep.cells["requests.carried_forward.commercial"] += 1
    rep.cells["requests.carried_forward.total"] += 1  # I2 still holds for the row: only I1 breaks
    marks = {(b.rule, b.mark): b.expected for b in check_draft(_draft(rep)).broken}
    assert marks == {
        ("I1", "requests.carried_forward.commercial"): rep.cells["requests.carried_forward.commercial"] - 1,
        ("I1", "requests.carried_forward.total"): rep.cells["requests.carried_forward.total"] - 1,
    }


def test_appeals_and_local_subtotals_are_checked_live() -> None:
    rep = with_variants(synth_report("2019", random.Random(8)), legal_subtotal=True, subtotal_groups=["denied"])
    rep.cells["appeals.review.total"] += 1
    rep.cells["requests.denied.subtotal.natural"] += 2
    rep.cells["requests.granted.legal_subtotal"] += 1
    marks = {(b.rule, b.mark): b.expected for b in check_draft(_draft(rep)).broken}
    assert marks == {
        ("I4", "appeals.review.total"): rep.cells["appeals.review.total"] - 1,
        ("I8", "requests.denied.subtotal.natural"): rep.cells["requests.denied.subtotal.natural"] - 2,
        ("I7", "requests.granted.legal_subtotal"): rep.cells["requests.granted.legal_subtotal"] - 1,
    }


def test_a_partial_draft_gets_suggestions_not_errors() -> None:
    draft = Draft(template="2021", agency="某某县财政局", year=2024)
    cols = ("natural", "commercial", "research", "nonprofit", "legal", "other_org")
    draft.cells |= {f"requests.new.{c}": n for c, n in zip(cols, (5, 1, 0, 0, 0, 0), strict=True)}
    draft.cells |= {"appeals.review.upheld": 1, "appeals.review.corrected": 0, "appeals.review.other": 0,
                    "appeals.review.pending": 2}  # fmt: skip
    live = check_draft(draft)
    assert live.broken == [] and not live.ok
    assert live.suggestions == {"requests.new.total": 6, "appeals.review.total": 3}
    assert "requests.total.total" in live.unfilled and "requests.new.natural" not in live.unfilled
    assert not [w for w in live.warnings if w.rule == "NOT_ASSESSABLE"]


def test_the_live_check_warns_against_last_year() -> None:
    last = synth_report("2021", random.Random(31), agency="淮安市洪泽区人民政府", year=2023)
    this = synth_report("2021", random.Random(32), agency="淮安市洪泽区人民政府", year=2024)
    start = prefill(_draft(last), agency=this.agency, year=this.year)
    draft = start.draft.model_copy(update={"cells": {**this.cells, **start.draft.cells}})
    assert not [w for w in check_draft(draft, last=_draft(last)).warnings if w.rule == "X_CARRY_OVER"]
    draft.cells["requests.carried_over.natural"] = last.cells["requests.carried_forward.natural"] + 4
    warned = [w for w in check_draft(draft, last=_draft(last)).warnings if w.rule == "X_CARRY_OVER"]
    assert warned and warned[0].keys[0] == "requests.carried_over.natural"
    assert warned[0].expected == str(last.cells["requests.carried_forward.natural"])


# --- prefill ----------------------------------------------------------------------------------------


def test_prefill_carries_over_what_identity_6_links() -> None:
    last = with_variants(synth_report("2019", random.Random(9), year=2019), legal_subtotal=True, extra_lines=1)
    start = prefill(_draft(last), agency=last.agency, year=2020)
    cells = start.draft.cells
    for col in ("natural", "other_org", "total", "legal_subtotal"):
        assert cells[f"requests.carried_over.{col}"] == last.cells[f"requests.carried_forward.{col}"]
    for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
        prev, change = last.cells[f"active.{row}.prev_count"], last.cells[f"active.{row}.change"]
        assert cells[f"active.{row}.prev_count"] == prev + change
        assert start.carried[f"active.{row}.prev_count"] == [f"active.{row}.prev_count", f"active.{row}.change"]
    assert cells["requests.granted.legal_subtotal"] is None  # the unit's 小计 column is kept, empty
    assert cells["active.extra.published_total"] is None and start.draft.labels == last.labels
    assert cells.get("requests.granted.natural") is None  # nothing else is filled in
    assert start.last_values["requests.granted.natural"] == last.cells["requests.granted.natural"]
    assert start.last_sections["problems"] == last.sections["problems"] and not start.draft.sections


def test_prefill_across_the_template_change_and_in_force() -> None:
    y2020 = synth_report("2019", random.Random(10), year=2020)
    start = prefill(_draft(y2020), agency=y2020.agency, year=2021)
    assert start.draft.template == "2021"
    columns = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
    assert set(start.carried) == {f"requests.carried_over.{c}" for c in columns}
    assert "active.procurement.amount" not in start.last_values
    y2022 = synth_report("2021", random.Random(11), year=2022)
    cells = prefill(_draft(y2022), agency=y2022.agency, year=2023).draft.cells
    assert cells["active.rules.in_force"] == y2022.cells["active.rules.in_force"]
    assert prefill(None, agency="某某镇人民政府", year=2024).draft.cells == {}
    # A 2021 report on the old single （六）其他处理 row: next year's form has the format's three rows.
    mixed = {k: v for k, v in y2022.cells.items() if not k.startswith("requests.other.")}
    mixed |= {f"requests.other.subtotal.{c}": 0 for c in columns}
    cells = prefill(_draft(y2022).model_copy(update={"cells": mixed}), agency=y2022.agency, year=2023).draft.cells
    assert not [k for k in cells if k.startswith("requests.other.")]


def test_prefill_from_the_store(tmp_path: Path) -> None:
    from ogi.batch import ingest

    db = tmp_path / "s.duckdb"
    ingest([ROOT / "examples" / "hongze_2023_gov.txt"], db, workers=1, progress=False)
    last = ogi.parse(ROOT / "examples" / "hongze_2023_gov.txt")
    start = prefill_from_store(db, agency="淮安市洪泽区政府", year=2024)  # the store matches the normalised name
    assert start.last_year == 2023 and start.last_source and start.last_source.endswith("hongze_2023_gov.txt")
    assert start.draft.cells["requests.carried_over.total"] == last.cells["requests.carried_forward.total"].value
    assert start.last_values == {k: c.value for k, c in last.cells.items()}
    assert prefill_from_store(db, agency="淮安市洪泽区政府", year=2030).last_year is None


# --- a finished draft -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "html", "xlsx"])
def test_a_finished_draft_renders_and_parses_back_exactly(fmt: str) -> None:
    rep = synth_report("2021", random.Random(12))
    draft = _draft(rep)
    assert check_draft(draft).ok
    back = ogi.parse_bytes(render(draft.to_report(), fmt), f"r.{fmt}")
    assert Draft.from_report(back).cells == draft.cells
    assert not [f for f in back.findings if f.severity == "error"]
