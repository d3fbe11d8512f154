"""Where a report's publisher sits: an agency name → an administrative division, offline.

Resolution reads the agency name as a chain of division names, each one inside the previous
("淮安市洪泽区" → 淮安市 > 洪泽区), and keeps the chain that covers the most of the name. Names
written without their suffix ("洪泽", "新疆", "塔城") count for a little less than full names and
only where they stand as a word, so "公安局" does not become 公安县. When the best chains end at
several places (there are seven 南苑街道), the title and then the body text are searched for the
candidates' parents (乌苏市, 塔城地区); without such a mention the result is ambiguous and lists
the candidates rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ogi.units.divisions import SHORT, DivisionLevel, Divisions, division_level, divisions
from ogi.units.names import fold_name, is_national, normalise_agency

_RANK: dict[str, int] = {"province": 1, "city": 2, "county": 3, "town": 4}

# What may follow a suffix-less name for it to count as a name: a division suffix (the old
# 洪泽县 for today's 洪泽区) or a government body.
_SHORT_FOLLOWERS = (
    "省", "市", "区", "县", "州", "盟", "旗", "地区", "人民政府", "政府", "党委", "委", "管委会", "行政公署",
    "生产建设兵团",
)  # fmt: skip
_SHORT_LEADERS = ("中共", "中国共产党")
# A suffix written after a suffix-less name must fit its tier: "海南州" is the prefecture, not the
# province; "洪泽县" is today's 洪泽区.
_LEVEL_SUFFIXES: dict[str, tuple[str, ...]] = {
    "province": ("省", "市", "自治区"),
    "city": ("市", "州", "地区", "盟"),
    "county": ("区", "县", "市", "旗"),
}
_ANY_SUFFIX = ("省", "市", "区", "县", "州", "盟", "旗")

_OUTSIDE_TABLE = re.compile("香港|澳门|台湾")


@dataclass(frozen=True, slots=True)
class RegionResult:
    """A resolved division (``code``/``name``/``level`` set, ``ambiguous`` false), an ambiguous one
    (``candidates`` lists ``(code, full name)``, the rest None), or nothing found (all None).
    ``reason`` says which words decided it."""

    code: str | None
    name: str | None
    level: DivisionLevel | None
    candidates: tuple[tuple[str, str], ...] = ()
    ambiguous: bool = False
    reason: str = ""


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    code: str
    weight: int
    key: str


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _matches(db: Divisions, text: str) -> list[_Match]:
    raw: list[tuple[int, int, str, int, str]] = []
    n = len(text)
    for i in range(n):
        for j in range(min(n, i + db.max_key), i + 1, -1):
            entries = db.index.get(text[i:j])
            if entries:
                key = text[i:j]
                raw.extend((i, j, code, kind, key) for code, kind in entries)
    if not raw:
        return []
    starts = {r[0] for r in raw}
    ends = {r[1] for r in raw}
    out: list[_Match] = []
    for i, j, code, kind, key in raw:
        level = db.nodes[code][1]
        before_ok = i == 0 or i in ends or not _is_cjk(text[i - 1]) or text[:i].endswith(_SHORT_LEADERS)
        # Town names are often plain words (a town is called "开发区"): inside "东湖新技术开发区"
        # they are not a town. Higher levels are also written after a department ("国家税务总局
        # 淮安市税务局") and their names are not everyday words, so they may start anywhere.
        if level == "town" and not before_ok:
            continue
        if kind == SHORT:
            rest = text[j:]
            after_ok = not rest or j in starts or not _is_cjk(rest[0]) or rest.startswith(_SHORT_FOLLOWERS)
            if not (before_ok and after_ok):
                continue
            if rest.startswith(_ANY_SUFFIX) and not rest.startswith(_LEVEL_SUFFIXES[level]):
                continue
        # Full names outweigh suffix-less ones of the same length.
        out.append(_Match(i, j, code, 2 * (j - i) - kind, key))
    out.sort(key=lambda m: (m.start, m.end))
    return out


def _best_chains(db: Divisions, text: str) -> tuple[list[str], dict[str, list[_Match]]]:
    """The end codes of the heaviest nested chains in ``text``, and the chain to each."""
    matches = _matches(db, text)
    if not matches:
        return [], {}
    score: list[int] = []
    back: list[int] = []
    for j, m in enumerate(matches):
        best, prev = m.weight, -1
        for i in range(j):
            p = matches[i]
            if p.end <= m.start and score[i] + m.weight > best and db.is_under(m.code, p.code):
                best, prev = score[i] + m.weight, i
        score.append(best)
        back.append(prev)
    top = max(score)
    chains: dict[str, list[_Match]] = {}
    for j, s in enumerate(score):
        if s == top and matches[j].code not in chains:
            chain: list[_Match] = []
            k = j
            while k >= 0:
                chain.append(matches[k])
                k = back[k]
            chains[matches[j].code] = chain[::-1]
    codes = list(chains)
    # 嘉峪关市 is both a city and its only county: the same name twice is the outer one.
    codes = [c for c in codes if not any(db.is_under(c, other) for other in codes if other != c)]
    return codes, chains


def whole_name_levels(name: str) -> frozenset[str]:
    """The levels of the divisions that ``name`` (already normalised) names from end to end, e.g.
    {"city"} for "淮安市", {"county", "city", ...} for "朝阳"; empty when some of it is not a place."""
    db = divisions()
    codes, chains = _best_chains(db, fold_name(name))
    whole = len(fold_name(name))
    return frozenset(db.nodes[c][1] for c in codes if chains[c][0].start == 0 and chains[c][-1].end == whole)


def _context_score(db: Divisions, code: str, context: str) -> int:
    best = 0
    for anc in db.ancestors(code):
        rank = _RANK[db.nodes[anc][1]]
        if fold_name(db.nodes[anc][0]) in context:
            best = max(best, 2 * rank)
        else:
            short = db.short_of.get(anc)
            if short and short in context:
                best = max(best, 2 * rank - 1)
    return best


def _narrow(db: Divisions, codes: list[str], context: str) -> tuple[list[str], list[str]]:
    """The candidates whose parents the context names most specifically, and those parents."""
    if not context:
        return codes, []
    scores = {c: _context_score(db, c, context) for c in codes}
    top = max(scores.values())
    if top == 0:
        return codes, []
    kept = [c for c in codes if scores[c] == top]
    evidence: list[str] = []
    for c in kept:
        for anc in db.ancestors(c):
            name = db.nodes[anc][0]
            short = db.short_of.get(anc)
            if 2 * _RANK[db.nodes[anc][1]] - (0 if fold_name(name) in context else 1) == top:
                evidence.append(name if fold_name(name) in context else f"{short} ({name})")
    return kept, evidence


def _describe(chain: list[_Match]) -> str:
    return " > ".join(m.key for m in chain)


def _result(db: Divisions, code: str, reason: str, chain: list[_Match]) -> RegionResult:
    notes = [db.aliases[m.key] for m in chain if m.key in db.aliases]
    if notes:
        reason = f"{reason}; {'; '.join(notes)}"
    return RegionResult(code, db.full_name(code), division_level(code), (), False, reason)


def resolve_region(agency: str, text: str = "", title: str = "") -> RegionResult:
    """Resolve the division an agency belongs to.

    ``agency`` is read first; ``title`` stands in when the agency names no place; both ``title``
    and ``text`` are only used to choose between equally good readings, never to override one.
    """
    db = divisions()
    name = fold_name(normalise_agency(agency))
    codes, chains = _best_chains(db, name)
    source = "agency name"
    # A national body stays national whatever place its title happens to name.
    if not codes and title and not (name and is_national(name)):
        codes, chains = _best_chains(db, fold_name(title))
        source = "title"
    if not codes:
        if name and is_national(name):
            why = "national body, no region"
        elif _OUTSIDE_TABLE.search(name):
            why = "Hong Kong, Macao and Taiwan are not in the division table"
        else:
            why = "no division name in agency or title"
        return RegionResult(None, None, None, (), False, why)

    if len(codes) == 1:
        return _result(db, codes[0], f"{source}: {_describe(chains[codes[0]])}", chains[codes[0]])

    named = "/".join(dict.fromkeys(chains[c][-1].key for c in codes))
    total = len(codes)
    folded_text = fold_name(text) if text else ""
    for label, context in (
        ("title", fold_name(title) if title else ""),
        ("text", folded_text[:3000]),
        ("text", folded_text),
    ):
        codes, evidence = _narrow(db, codes, context)
        if len(codes) == 1:
            code = codes[0]
            reason = f"{source}: {named} is {total} divisions; {label} mentions {', '.join(dict.fromkeys(evidence))}"
            return _result(db, code, reason, chains[code])
    candidates = tuple(sorted((c, db.full_name(c)) for c in codes))
    narrowed = f", {len(codes)} left after context" if len(codes) < total else ", context does not tell them apart"
    return RegionResult(None, None, None, candidates, True, f"{source}: {named} is {total} divisions{narrowed}")


__all__ = ["RegionResult", "resolve_region", "whole_name_levels"]
