"""The administrative division table: provinces, cities, counties and towns, offline.

The table is ``data/divisions.tsv.gz`` (built by ``scripts/vendor_divisions.py`` from the npm
package china-division: NBS 2023 codes, provinces to towns). It is read on the first call and kept;
importing this module does not touch it. Each division is indexed under its full name and, for
names usually written without their suffix ("洪泽", "新疆"), under that short form too.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path
from typing import Literal

from ogi.units.names import fold_name

DivisionLevel = Literal["province", "city", "county", "town"]

DATA_FILE = Path(__file__).resolve().parent / "data" / "divisions.tsv.gz"

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

FULL, SHORT = 0, 1
"""How a name was indexed: as printed in the table, or without its suffix."""


class Divisions:
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
            add(key, code, FULL)
            if level == "town":
                for variant in _town_variants(key, fold_name(self.nodes[parent][0]) if parent else ""):
                    add(variant, code, FULL)
            else:
                short = _short_form(key, level)
                if short:
                    add(short, code, SHORT)
        self.aliases: dict[str, str] = {}
        for key, (code, why) in _ALIASES.items():
            if code in self.nodes:
                add(key, code, FULL)
                self.aliases[key] = why
        self.index: dict[str, tuple[tuple[str, int], ...]] = {k: tuple(v.items()) for k, v in index.items()}
        self.max_key = max(map(len, self.index))
        self.short_of: dict[str, str] = {}
        for key, entries in self.index.items():
            for code, kind in entries:
                if kind == SHORT:
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
def divisions() -> Divisions:
    rows: list[tuple[str, str, str, str]] = []
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(("#", "code\t")):
                continue
            code, name, level, parent = line.rstrip("\n").split("\t")
            rows.append((code, name, level, parent))
    return Divisions(rows)


def division_level(code: str) -> DivisionLevel | None:
    node = divisions().nodes.get(code)
    return node[1] if node else None  # type: ignore[return-value]


def division_name(code: str) -> str | None:
    """The full name of a division code ("320813" → "江苏省淮安市洪泽区"), or None."""
    db = divisions()
    return db.full_name(code) if code in db.nodes else None


def children(code: str | None) -> list[tuple[str, str, str]]:
    """The divisions directly under ``code`` (the provinces for None), as (code, name, level)."""
    db = divisions()
    return sorted((c, node[0], node[1]) for c, node in db.nodes.items() if node[2] == (code or ""))


__all__ = ["DATA_FILE", "DivisionLevel", "children", "division_level", "division_name"]
