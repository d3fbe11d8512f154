"""The administrative tier a publisher sits at: 部委, 省, 市, 县区, 乡镇街道, or 部门."""

from __future__ import annotations

import re
from typing import Literal

from ogi.units.names import TOWN_END, is_national, normalise_agency
from ogi.units.region import resolve_region, whole_name_levels

AgencyLevel = Literal["部委", "省", "市", "县区", "乡镇街道", "部门"]

# Zones run by a 管理委员会 rank with counties unless their name says otherwise.
_ZONE_NAME = re.compile(
    r"(?:实验区|开发区|新区|园区|示范区|试验区|合作区|管理区|集聚区|风景区|旅游区|度假区|保税区|港区)$"
)


def classify_level(name: str) -> AgencyLevel:
    """The tier of an agency: 部委, 省, 市, 县区, 乡镇街道, or 部门 (a body under a government).

    Raises ValueError for an empty name.
    """
    text = normalise_agency(name)
    if not text:
        raise ValueError("empty agency name")

    if is_national(text):
        region = resolve_region(text)
        if region.code is None and not region.ambiguous:
            return "部委"

    if text.endswith("生产建设兵团"):
        return "省"
    if TOWN_END.search(text) or text.endswith(("社区", "村")):
        # Villages and 社区 have no tier of their own here; the grassroots tier is the nearest.
        return "乡镇街道"
    if _ZONE_NAME.search(text):
        return "县区"
    if text.endswith(("省", "自治区", "特别行政区")):
        return "省"
    if text.endswith(("地区", "州", "盟")):
        return "市"
    if text.endswith(("区", "县", "旗")):
        return "县区"
    # 上海市 is a province, 乌苏市 a county, "吉林" a province: only the table can tell. A name of
    # several same-named places of different tiers takes the highest.
    levels = whole_name_levels(text)
    for level, tier in (("province", "省"), ("city", "市"), ("county", "县区"), ("town", "乡镇街道")):
        if level in levels:
            return tier
    return "市" if text.endswith("市") else "部门"


__all__ = ["AgencyLevel", "classify_level"]
