"""Document → Report: metadata, template, sections, the four tables, solved and typed."""

from __future__ import annotations

from typing import Any

from ogi.extract.align import settle
from ogi.extract.detect import detect_template
from ogi.extract.metadata import DateSeen, Metadata, read_metadata
from ogi.extract.normalize import fold
from ogi.extract.plausible import score
from ogi.extract.readings import Reading
from ogi.extract.sections import SectionHit, locate_sections, section_texts
from ogi.extract.signature import split_signature
from ogi.extract.solve import Resolved, RowChoice, Witness, solve
from ogi.extract.stream import Stream
from ogi.extract.tables import RowRead, TableRegion, TablesRead, read_tables
from ogi.extract.values import Printed
from ogi.extract.witness import witnesses as narrative_witnesses
from ogi.model import Cell, Document, Provenance, Report
from ogi.model.report import SCHEMA_VERSION, Region
from ogi.units import classify_level, resolve_region

REQUESTS_START = ("本列数据的勾稽关系", "申请人情况", "本年新收政府信息公开申请数量")
APPEALS_START = ("行政复议",)
ACTIVE_START = "第二十条"


def _regions(stream: Stream, hits: list[SectionHit]) -> dict[str, TableRegion]:
    at = {h.key: h.hit for h in hits}
    end = len(stream.folded)

    def first(words: tuple[str, ...], lo: int) -> int | None:
        found = [p for w in words if (p := stream.folded.find(fold(w), lo)) >= 0]
        return min(found) if found else None

    a_lo = at["active"].end if "active" in at else (at["overview"].end if "overview" in at else 0)
    r_start = at["requests"].start if "requests" in at else first(REQUESTS_START, a_lo)
    r_lo = at["requests"].end if "requests" in at else (r_start or end)
    p_start = at["appeals"].start if "appeals" in at else first(APPEALS_START, r_lo)
    p_lo = at["appeals"].end if "appeals" in at else (p_start or end)
    p_hi = at["problems"].start if "problems" in at else (at["other"].start if "other" in at else end)
    a_hi = r_start if r_start is not None else end
    # Table 二 opens with its first sub-table heading: the prose before it may name its rows ("规章0件").
    opening = stream.folded.find(fold(ACTIVE_START), a_lo, a_hi)
    a_lo = opening if opening >= 0 else a_lo
    return {
        "active": TableRegion(a_lo, a_hi),
        "requests": TableRegion(r_lo, p_start if p_start is not None else end),
        "appeals": TableRegion(p_lo, max(p_hi, p_lo)),
    }


def _cell(r: Resolved | None, label: str | None) -> Cell:
    if r is None:
        return Cell(value=None, semantic="missing", flag="missing", alternatives=[], provenance=None)
    p: Printed | None = r.printed
    semantic = p.semantic if p is not None else "missing"
    flag = None
    if r.uncertain:
        flag = "uncertain"
    elif r.inferred_by:
        flag = "inferred"
    elif p is None:
        flag = "missing"
    elif p.semantic in ("blank", "na"):
        flag = p.semantic
    elif p.semantic == "text":
        flag = "unreadable"
    prov = None
    # Values are typed already: construct without re-validating ~200 cells per report.
    if p is not None:
        w = p.where
        prov = Provenance(
            where=str(w),
            raw=p.raw.strip(),
            unit=p.unit,
            note=p.note,
            rule=r.inferred_by,
            label=label,
            page=w.page,
            box=w.box,
            confidence=w.confidence,
        )
    elif r.inferred_by:
        prov = Provenance(where="derived", raw=None, unit=None, note=None, rule=r.inferred_by, label=label)
    return Cell(value=r.value, semantic=semantic, flag=flag, alternatives=list(r.alternatives), provenance=prov)


def _active_resolved(rr: RowRead, witnesses: list[Witness]) -> dict[str, Resolved]:
    """Table 二 has no identity: readings are ranked by plausibility, and any row left with more
    than one reading is uncertain — unless the narrative states a count that only one agrees with."""
    columns = tuple(k.rsplit(".", 1)[1] for k in rr.keys)
    readings: list[Reading] = rr.values.readings if rr.values else []
    if not readings:
        return {}
    said = None
    before = readings
    for w in witnesses:
        if all(k in rr.keys for option in w.options for k in option):
            agree = [rd for rd in readings if _says(rr.keys, rd, w) is not False]
            if agree and len(agree) < len(readings):
                readings, said = agree, w.text
    ranked = sorted(readings, key=lambda rd: score(columns, rd), reverse=True)
    best = ranked[0]
    out = {}
    for i, key in enumerate(rr.keys):
        p = best.values[i]
        seen = {(rd.values[i].value if rd.values[i] else None) for rd in ranked}
        alts = sorted(seen - {p.value if p else None}, key=lambda v: (v is None, v))
        was_open = len({(rd.values[i].value if rd.values[i] else None) for rd in before}) > 1
        decided = said if said and was_open and not alts else None
        out[key] = Resolved(p, p.value if p else None, alternatives=alts, witnessed=decided)
    return out


def _says(keys: tuple[str, ...], reading: Reading, witness: Witness) -> bool | None:
    values = {k: (v.value if v is not None else None) for k, v in zip(keys, reading.values, strict=True)}
    unknown = False
    for option in witness.options:
        got = [values[k] for k in option]
        if any(v is None for v in got):
            unknown = True
        elif sum(v for v in got if v is not None) == witness.value:
            return True
    return None if unknown else False


def _decided(resolved: dict[str, Resolved]) -> dict[str, dict[str, str]]:
    """The cells whose reading a statement of the narrative chose, with the statement."""
    decided = {k: r.witnessed for k, r in resolved.items() if r.witnessed}
    return {"narrative_decided": decided} if decided else {}


def _corrected(resolved: dict[str, Resolved]) -> dict[str, list[str]]:
    """The cells where one of OCR's other readings was taken because only it keeps the identities."""
    corrected = [k for k, r in resolved.items() if r.ocr_corrected and not r.uncertain]
    return {"ocr_corrected": corrected} if corrected else {}


def _who_when(meta: Metadata) -> dict[str, Any]:
    """What the checks report about the agency and the date: the agency as printed where it was
    read otherwise, the places a misprinted one may be, every publication date where they differ,
    and the crawler stamps left aside."""
    out: dict[str, Any] = {}
    if meta.agency_printed:
        out |= {"agency_printed": meta.agency_printed, "agency_change": meta.agency_change}
    if meta.agency_doubt:
        out["agency_candidates"] = list(meta.agency_doubt)
    own: dict[str, DateSeen] = {}
    for d in meta.dates:
        if d.kind != "stamp":
            own.setdefault(d.date.isoformat(), d)
    if len(own) > 1:
        out["published_candidates"] = [{"date": k, "kind": d.kind, "where": d.where} for k, d in own.items()]
    stamps = [{"date": d.date.isoformat(), "where": d.where} for d in meta.dates if d.kind == "stamp"]
    if stamps:
        out["published_stamps"] = stamps
    return out


def _level(agency: str | None) -> str | None:
    return classify_level(agency) if agency else None


def _region(agency: str | None, title: str | None, text: str) -> Region | None:
    if not agency and not title:
        return None
    r = resolve_region(agency or "", text[:5000], title or "")
    return Region(
        code=r.code,
        name=r.name,
        level=r.level,
        ambiguous=r.ambiguous,
        candidates=[tuple(c) for c in r.candidates],
        reason=r.reason,
    )


def extract(document: Document) -> tuple[Report, TablesRead]:
    """The report's cells, sections and metadata; the raw reading for the checks."""
    stream = Stream(document)
    meta = read_metadata(document)
    detection = detect_template(stream.folded, meta.year)
    template = detection.template
    hits = locate_sections(stream, template)
    tables = read_tables(stream, template, _regions(stream, hits))
    sections = section_texts(stream, hits)
    signature = None
    if hits:
        last = sections[hits[-1].key]
        body, signature = split_signature(last.text, meta.agency, meta.agency_printed)
        sections[last.key] = last.model_copy(update={"text": body})

    keys: list[str] = list(template.keys)
    for rr in tables.rows:
        keys.extend(k for k in rr.keys if k not in keys)
    keyset = set(keys)
    printed_rows = {k for rr in tables.rows if rr.hit for k in rr.keys}
    printed_rows |= {k for p in tables.placements for k in p.keys}
    equations = template.applicable_equations(keyset, printed_rows)

    choices = [
        RowChoice(rr.keys, rr.values.readings, rr.costs)
        for rr in tables.rows
        if rr.table != "active" and rr.values is not None
    ]
    first_placement = len(choices)
    choices += [RowChoice(p.keys, p.readings, p.costs) for p in tables.placements]
    # In table order, not a set's: the solved cells (and meta's lists of them) follow these rows.
    chosen = {k for c in choices for k in c.keys}
    choices += [RowChoice((k,), [Reading((None,))]) for k in keys if k not in chosen and not k.startswith("active.")]
    said = narrative_witnesses(template, (s.text for s in sections.values()))
    solution = solve(choices, equations, said)
    resolved, exhausted = solution.cells, solution.exhausted
    for n, placement in enumerate(tables.placements, start=first_placement):
        settle(placement, [picks[n] for picks in solution.picks], resolved, equations)
    for rr in tables.rows:
        if rr.table == "active":
            resolved.update(_active_resolved(rr, said))
    for key, (printed, _label) in tables.extras.items():
        resolved[key] = Resolved(printed, printed.value)
        keys.append(key)

    labels = {k: rr.hit.printed for rr in tables.rows if rr.hit and not rr.hit.exact for k in rr.keys}
    labels |= {k: label for k, (_, label) in tables.extras.items()}  # an extra line is known by its label
    cells = {k: _cell(resolved.get(k), labels.get(k)) for k in keys}
    report = Report.model_construct(
        file=document.source,
        format=document.format,
        template=template.id,  # type: ignore[arg-type]
        year=meta.year,
        agency=meta.agency,
        agency_level=_level(meta.agency),
        region=_region(meta.agency, meta.title, stream.text),
        published=meta.published,
        cells=cells,
        sections=sections,
        findings=[],
        schema_version=SCHEMA_VERSION,
        meta={
            "title": meta.title,
            "agency_source": meta.agency_where,
            "published_source": meta.published_where,
            "signature": signature,
            **_who_when(meta),
            "template_scores": detection.scores,
            "template_by_year": detection.by_year,
            **{k: v for k, v in document.meta.items() if k not in ("title",)},
            **tables.layout,
            "amount_units": tables.amount_units,
            "solver_exhausted": exhausted,
            **_decided(resolved),
            **_corrected(resolved),
            "reader_notes": document.notes,
        },
    )
    return report, tables
