"""Which template a report follows, scored from its own wording; the year only breaks ties."""

from __future__ import annotations

from dataclasses import dataclass

from ogi.extract.normalize import fold
from ogi.model.template import Template, all_templates


@dataclass(frozen=True, slots=True)
class Detection:
    template: Template
    scores: dict[str, int]
    by_year: bool
    """True when the wording did not decide and the year did."""


def detect_template(folded_text: str, year: int | None) -> Detection:
    scores = {t.id: sum(1 for s in t.signals if fold(s) in folded_text) for t in all_templates()}
    ranked = sorted(all_templates(), key=lambda t: scores[t.id], reverse=True)
    top = ranked[0]
    tied = [t for t in ranked if scores[t.id] == scores[top.id]]
    if len(tied) > 1:
        by_year = next((t for t in tied if year is not None and t.covers_year(year)), None)
        return Detection(by_year or tied[-1], scores, True)
    return Detection(top, scores, False)
