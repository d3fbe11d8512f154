"""The app's reads: report lists with filters, one report whole, findings, failed files.

Every function takes a reading cursor (:meth:`ogi.web.services.Services.reader`) and returns
plain data; the views turn it into pages and JSON.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from ogi.store.review import Correction, Decision, corrections_of, decisions_of

PER_PAGE = 50
MAX_PER_PAGE = 500
OPEN_SEVERITIES = ("error", "warning")


@dataclass
class Filters:
    """The filters every list, export and count takes; empty means any."""

    agency: str = ""
    """Any part of the publisher's name (屠园 finds 屠园镇人民政府)."""
    region: str = ""
    """A division code prefix (32, 3208, 320813…; a full code like 320800 stands for its prefix) or
    any part of the division's name (江苏, 淮安市, 洪泽)."""
    year: int | None = None
    template: str = ""
    level: str = ""
    rule: str = ""
    severity: str = ""
    """For finding lists: error, warning or info."""

    def where(self, alias: str = "r") -> tuple[str, list[Any]]:
        """A SQL condition on the reports table (as ``alias``) and its parameters; current reports only."""
        clauses = [f"{alias}.current"]
        params: list[Any] = []
        if self.agency.strip():
            clauses.append(f"(contains({alias}.agency, ?) OR contains({alias}.agency_id, ?))")
            params += [self.agency.strip()] * 2
        region = self.region.strip()
        if region.isdigit():
            clauses.append(f"starts_with({alias}.region_code, ?)")
            params.append(_code_prefix(region))
        elif region:
            clauses.append(f"contains({alias}.region_name, ?)")
            params.append(region)
        for column, value in (("year", self.year), ("template", self.template), ("level", self.level)):
            if value not in (None, ""):
                clauses.append(f"{alias}.{column} = ?")
                params.append(value)
        if self.rule:
            clauses.append(f"{alias}.id IN (SELECT report_id FROM findings WHERE rule = ?)")
            params.append(self.rule)
        return " AND ".join(clauses), params

    def query_string(self) -> dict[str, str]:
        """The non-empty filters, for links that keep them."""
        out = {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}
        return out


def _code_prefix(code: str) -> str:
    """320800 → 3208, 320000 → 32: a division's own code stands for everything under it."""
    if len(code) == 6:
        while code.endswith("00") and len(code) > 2:
            code = code[:-2]
    return code


@dataclass
class ReportRow:
    id: int
    agency: str | None
    level: str | None
    region_code: str | None
    region_name: str | None
    year: int | None
    template: str | None
    published: date | None
    format: str
    path: str
    sha256: str
    version: int
    errors: int
    warnings: int
    part: int
    parts: int
    """Which report of its file this is, of how many (1 of 1 for most files)."""
    infos: int = 0
    review: str = ""
    """未审核 / 审核中 / 已审核 / 无问题."""

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


_LIST_COLUMNS = "r.id, r.agency, r.level, r.region_code, r.region_name, r.year, r.template, r.published, r.format, " \
    "r.path, r.sha256, r.version, r.errors, r.warnings, r.part, r.parts"  # fmt: skip


def list_reports(
    cur: duckdb.DuckDBPyConnection, filters: Filters, page: int = 1, per_page: int = PER_PAGE
) -> tuple[int, list[ReportRow]]:
    """The current reports that pass ``filters``, newest first: (how many in all, this page)."""
    where, params = filters.where()
    # One scan: the count rides along as a window over the filtered rows.
    rows = cur.execute(
        f"SELECT {_LIST_COLUMNS}, count(*) OVER () FROM reports r WHERE {where} ORDER BY r.id DESC LIMIT ? OFFSET ?",
        [*params, per_page, (max(page, 1) - 1) * per_page],
    ).fetchall()
    if rows:
        total = int(rows[0][-1])
    else:  # past the last page
        found = cur.execute(f"SELECT count(*) FROM reports r WHERE {where}", params).fetchone()
        total = int(found[0]) if found else 0
    reports = [ReportRow(*r[:-1]) for r in rows]
    _add_review_state(cur, reports)
    return total, reports


def matching_ids(cur: duckdb.DuckDBPyConnection, filters: Filters) -> list[int]:
    where, params = filters.where()
    return [r[0] for r in cur.execute(f"SELECT r.id FROM reports r WHERE {where} ORDER BY r.id", params).fetchall()]


FindingKey = tuple[str, str, tuple[str, ...]]
"""(rule, severity, cell keys) of a finding."""


def review_state(findings: list[FindingKey], decisions: dict[Any, Decision], corrected: bool) -> str:
    """未审核 / 审核中 / 已审核 / 无问题, from (rule, severity, keys) findings, the document's decisions
    and whether it was corrected: errors and warnings stay open until a reviewer decides them."""

    def decided(f: FindingKey) -> bool:
        d = decisions.get((f[0], f[2]))
        return d is not None and d.decision != "open"

    still_open = any(f[1] in OPEN_SEVERITIES and not decided(f) for f in findings)
    touched = corrected or any(d.decision != "open" for d in decisions.values())
    if not touched:
        return "未审核" if still_open else "无问题"
    return "审核中" if still_open else "已审核"


def _add_review_state(cur: duckdb.DuckDBPyConnection, reports: list[ReportRow]) -> None:
    if not reports:
        return
    ids = [r.id for r in reports]
    shas = sorted({r.sha256 for r in reports})
    findings: dict[int, list[FindingKey]] = {}
    # The range lets DuckDB skip the row groups outside it (findings are stored in report order).
    for rid, rule, severity, keys in cur.execute(
        "SELECT report_id, rule, severity, keys FROM findings "
        "WHERE report_id BETWEEN ? AND ? AND report_id IN (SELECT unnest(?))",
        [min(ids), max(ids), ids],
    ).fetchall():
        findings.setdefault(rid, []).append((rule, severity, tuple(keys)))
    decisions: dict[tuple[str, int], dict[Any, Decision]] = {}
    for sha, part, rule, keys, decision, note, who, made_at in cur.execute(
        "SELECT sha256, part, rule, keys, decision, note, who, made_at FROM finding_reviews "
        "WHERE sha256 IN (SELECT unnest(?)) ORDER BY made_at, rowid",
        [shas],
    ).fetchall():
        decision_of = Decision(rule, tuple(keys), decision, note, who, made_at)
        decisions.setdefault((sha, part), {})[(rule, tuple(keys))] = decision_of
    sql = "SELECT DISTINCT sha256, part FROM corrections WHERE sha256 IN (SELECT unnest(?))"
    corrected = set(cur.execute(sql, [shas]).fetchall())
    for r in reports:  # reviews are a document's part's: a volume's reports are reviewed apart
        own = findings.get(r.id, [])
        r.infos = sum(1 for f in own if f[1] == "info")
        r.review = review_state(own, decisions.get((r.sha256, r.part), {}), (r.sha256, r.part) in corrected)


@dataclass
class CellRow:
    key: str
    value: Decimal | None
    semantic: str
    flag: str | None
    alternatives: list[Decimal | None]
    provenance: str | None
    page: int | None
    box: list[float] | None
    confidence: float | None
    reviewed: bool
    parsed_value: Decimal | None
    parsed_flag: str | None


@dataclass
class FindingRow:
    index: int
    rule: str
    severity: str
    keys: list[str]
    message: str
    expected: str | None
    printed: str | None
    decision: Decision | None = None
    cross: bool = False


@dataclass
class ReportData:
    report: dict[str, Any]
    cells: dict[str, CellRow]
    findings: list[FindingRow]
    sections: list[tuple[str, str, str]]
    corrections: list[Correction]
    versions: list[dict[str, Any]]
    decisions: dict[Any, Decision] = field(default_factory=dict)
    review: str = ""

    @property
    def meta(self) -> dict[str, Any]:
        try:
            return dict(json.loads(self.report.get("meta") or "{}"))
        except ValueError:
            return {}


def load_report(cur: duckdb.DuckDBPyConnection, report_id: int) -> ReportData | None:
    """Everything about one report: its row, cells, findings (its own and across years, each with
    the reviewer's decision), sections, the document's corrections and the report's versions."""
    res = cur.execute("SELECT * FROM reports WHERE id = ?", [report_id])
    row = res.fetchone()
    if row is None:
        return None
    names = [d[0] for d in res.description]
    report = dict(zip(names, row, strict=True))
    cells = {
        r[0]: CellRow(*r)
        for r in cur.execute(
            "SELECT key, value, semantic, flag, alternatives, provenance, page, box, confidence, "
            "coalesce(reviewed, false), parsed_value, parsed_flag FROM cells WHERE report_id = ?",
            [report_id],
        ).fetchall()
    }
    decisions = decisions_of(cur, report["sha256"], report["part"])
    findings = [
        FindingRow(i, *f)
        for i, f in enumerate(
            cur.execute(
                "SELECT rule, severity, keys, message, expected, printed FROM findings WHERE report_id = ? "
                "UNION ALL SELECT rule, severity, keys, message, expected, printed FROM cross_findings "
                "WHERE report_id = ?",
                [report_id, report_id],
            ).fetchall()
        )
    ]
    n_own = cur.execute("SELECT count(*) FROM findings WHERE report_id = ?", [report_id]).fetchone()
    for f in findings:
        f.decision = decisions.get((f.rule, tuple(f.keys)))
        f.cross = f.index >= (n_own[0] if n_own else 0)
    sections = cur.execute(
        "SELECT key, heading, text FROM sections WHERE report_id = ? ORDER BY rowid", [report_id]
    ).fetchall()
    versions = [
        dict(zip(("id", "version", "current", "ingested_at", "reviewed_cells"), v, strict=True))
        for v in cur.execute(
            "SELECT id, version, current, ingested_at, reviewed_cells FROM reports "
            "WHERE path = ? AND agency_id IS NOT DISTINCT FROM ? AND year IS NOT DISTINCT FROM ? ORDER BY version",
            [report["path"], report["agency_id"], report["year"]],
        ).fetchall()
    ]
    corrections = corrections_of(cur, report["sha256"], report["part"])
    data = ReportData(report, cells, findings, sections, corrections, versions, decisions)
    data.review = review_state(
        [(f.rule, f.severity, tuple(f.keys)) for f in findings if not f.cross], decisions, bool(data.corrections)
    )
    return data


def report_part(report: dict[str, Any]) -> dict[str, Any] | None:
    """A report row's place in its file, ``{"index", "count", "span"}``, where the file holds several
    reports (a compiled volume); None for a file of one."""
    if (report.get("parts") or 1) <= 1:
        return None
    return {"index": report["part"], "count": report["parts"], "span": report["source_range"]}


def current_report_of(cur: duckdb.DuckDBPyConnection, sha256: str, part: int) -> int | None:
    """The current report (else the latest) of a document's ``part`` (1: its only one, for most files)."""
    row = cur.execute(
        "SELECT id FROM reports WHERE sha256 = ? AND part = ? ORDER BY current DESC, id DESC LIMIT 1", [sha256, part]
    ).fetchone()
    return row[0] if row else None


def current_reports_of(cur: duckdb.DuckDBPyConnection, sha256: str) -> list[int]:
    """The report of each part of a document (its current version, else its latest), in order:
    one for most files."""
    best: dict[int, int] = {}
    for part, rid in cur.execute(
        "SELECT part, id FROM reports WHERE sha256 = ? ORDER BY part, current, id", [sha256]
    ).fetchall():
        best[part] = rid  # the last of each part: current over not, then the newest
    return list(best.values())


def list_findings(
    cur: duckdb.DuckDBPyConnection, filters: Filters, page: int = 1, per_page: int = PER_PAGE
) -> tuple[int, list[dict[str, Any]], Counter[str]]:
    """Findings of the current reports that pass ``filters``: (how many, this page, counts by severity)."""
    where, params = filters.where()
    finding_where = ""
    finding_params: list[Any] = []
    if filters.rule:
        finding_where += " AND f.rule = ?"
        finding_params.append(filters.rule)
    if filters.severity:
        finding_where += " AND f.severity = ?"
        finding_params.append(filters.severity)
    base = f"FROM findings f JOIN reports r ON r.id = f.report_id WHERE {where}{finding_where}"
    all_params = [*params, *finding_params]
    by_severity = Counter(dict(cur.execute(f"SELECT f.severity, count(*) {base} GROUP BY 1", all_params).fetchall()))
    rows = cur.execute(
        f"SELECT f.report_id, r.agency, r.year, r.template, f.rule, f.severity, f.keys, f.message, f.expected, "
        f"f.printed {base} ORDER BY f.report_id DESC, f.rule LIMIT ? OFFSET ?",
        [*all_params, per_page, (max(page, 1) - 1) * per_page],
    ).fetchall()
    names = ("report_id", "agency", "year", "template", "rule", "severity", "keys", "message", "expected", "printed")
    return sum(by_severity.values()), [dict(zip(names, r, strict=True)) for r in rows], by_severity


def failed_documents(cur: duckdb.DuckDBPyConnection, limit: int = 500) -> list[tuple[str, datetime, str, int]]:
    """Files that could not be read as reports: (path, when, why, size), newest first."""
    return cur.execute(
        "SELECT path, ingested_at, error, size FROM documents WHERE status = 'failed' ORDER BY ingested_at DESC "
        "LIMIT ?",
        [limit],
    ).fetchall()


def count_failed(cur: duckdb.DuckDBPyConnection) -> int:
    row = cur.execute("SELECT count(*) FROM documents WHERE status = 'failed'").fetchone()
    return int(row[0]) if row else 0


def choices(cur: duckdb.DuckDBPyConnection) -> dict[str, list[Any]]:
    """The values the list filters offer: years, levels, templates and rules present in the store."""
    out: dict[str, list[Any]] = {}
    for name, sql in (
        ("years", "SELECT DISTINCT year FROM reports WHERE current AND year IS NOT NULL ORDER BY 1 DESC"),
        ("levels", "SELECT DISTINCT level FROM reports WHERE current AND level IS NOT NULL ORDER BY 1"),
        ("rules", "SELECT DISTINCT rule FROM findings ORDER BY 1"),
    ):
        out[name] = [r[0] for r in cur.execute(sql).fetchall()]
    return out
