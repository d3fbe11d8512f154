"""Publishing agencies' names: a stable id text for the many ways one publisher is printed.

The same publisher is printed many ways across years and sites ("淮安市人民政府" / "淮安市政府",
"丽景街街道办事处" / "丽景街街道", "平潭综合实验区管理委员会" / "平潭综合实验区管委会" /
"平潭综合实验区"). :func:`normalise_agency` folds those to one id. The rule for a local government
is that its id is the bare region name: the 人民政府 / 管委会 / 街道办事处 of a place and the place
itself name the same publisher, while anything with a further suffix (办公室, 财政局, 市委 ...) is a
different body and keeps it.
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")
_EDGE_PUNCT = "\"'“”‘’《》〈〉「」『』【】:：,，.。;；、"

# A remainder ending like this is a place, so a government suffix after it can go.
_PLACE_END = re.compile(r"(?:省|自治区|市|区|县|旗|州|盟|地区|镇|乡|苏木)$")
# A 管理委员会 only stands for a place when it governs a zone; "城市管理委员会" is a department.
_ZONE_END = re.compile(r"区$")
_NOT_ZONE_END = re.compile(r"(?:社区|小区)$")
TOWN_END = re.compile(r"(?:街道|镇|乡|苏木)$")
_NATIONAL_PREFIXES = ("国务院", "国家", "中华人民共和国", "中国", "中共中央", "中央", "全国", "最高人民")
_NATIONAL_ENDS = ("部", "总局", "总署", "署", "银行")


def _clean(text: str) -> str:
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = text.replace("街道办事处", "街道")
    # "街道办" is the everyday short form of 街道办事处, but "街道办公室" is an office inside one.
    return re.sub(r"街道办(?!公)", "街道", text)


def fold_name(text: str) -> str:
    """The fold used for matching against the division table: NFKC, no whitespace, 街道办事处 →
    街道, 管理委员会 → 管委会 (the table spells both ways)."""
    return _clean(text).replace("管理委员会", "管委会")


def normalise_agency(name: str) -> str:
    """A stable id text for an agency name.

    >>> normalise_agency("淮安市 人民政府") == normalise_agency("淮安市政府") == "淮安市"
    True
    >>> normalise_agency("淮安市人民政府办公室")
    '淮安市人民政府办公室'
    """
    # 管委会 always abbreviates 管理委员会, not the other way round ("证监会" is no 监督管委会), so
    # the id spells it out.
    text = _clean(name).strip(_EDGE_PUNCT).replace("管委会", "管理委员会")
    if text.startswith("中华人民共和国") and len(text) > len("中华人民共和国"):
        text = text[len("中华人民共和国") :]
    if text.startswith("中国共产党"):
        text = "中共" + text[len("中国共产党") :]
    # "市政府办" / "市政府办公室" / "市人民政府办公室" are one office.
    text = re.sub(r"政府办$", "政府办公室", text)
    # Only after a place: "数字政府建设中心" must not become "数字人民政府...".
    text = re.sub(r"(?<=[省区市县旗州盟镇乡])政府", "人民政府", text)

    for suffix in ("人民政府", "行政公署"):
        if text.endswith(suffix) and _PLACE_END.search(text[: -len(suffix)]):
            text = text[: -len(suffix)]
            break
    else:
        if text.endswith("管理委员会"):
            rest = text[: -len("管理委员会")]
            if _ZONE_END.search(rest) and not _NOT_ZONE_END.search(rest):
                text = rest
    # "鼓楼区人民政府宁海路街道" is the formal long form of "鼓楼区宁海路街道".
    if TOWN_END.search(text):
        text = re.sub(r"(?<=[区县市旗])人民政府(?=[^人]+$)", "", text)
    return text


def is_national(name: str) -> bool:
    """Whether a (normalised) name reads as a central-government body; the caller still has to
    check that no local place is named in it ("国家税务总局淮安市税务局" is local)."""
    return name.startswith(_NATIONAL_PREFIXES) or name.endswith(_NATIONAL_ENDS)


__all__ = ["fold_name", "is_national", "normalise_agency"]
