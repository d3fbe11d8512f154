"""Agency names and narrative text for synthetic reports.

Place names are real prefectures with their real districts and counties, so a generated name reads
like one a crawler would meet; the narrative quotes the report's own numbers so that text and table
agree the way a careful report's do.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from decimal import Decimal

# (city, districts, counties)
PLACES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("淮安", ("清江浦", "淮阴", "淮安", "洪泽"), ("涟水", "盱眙", "金湖")),
    ("洛阳", ("涧西", "老城", "西工", "洛龙"), ("宜阳", "汝阳", "嵩县", "栾川")),
    ("新乡", ("牧野", "卫滨", "红旗", "凤泉"), ("原阳", "延津", "封丘")),
    ("银川", ("兴庆", "金凤", "西夏"), ("永宁", "贺兰")),
    ("遵义", ("红花岗", "汇川", "播州"), ("桐梓", "绥阳", "正安", "湄潭")),
    ("常德", ("武陵", "鼎城"), ("安乡", "汉寿", "澧县", "桃源")),
    ("赣州", ("章贡", "南康", "赣县"), ("信丰", "大余", "上犹", "安远")),
    ("绵阳", ("涪城", "游仙", "安州"), ("三台", "盐亭", "梓潼", "平武")),
    ("白山", ("浑江", "江源"), ("抚松", "靖宇", "长白")),
)
STREETS: tuple[str, ...] = ("南苑", "关林", "新辉路", "丽景街", "城关", "东风", "人民路", "文化路", "解放", "和平")
TOWNS: tuple[str, ...] = ("高良涧", "岔河", "柳林", "白杨", "青山", "马坡", "石桥", "黄集", "三河")
BUREAUS: tuple[str, ...] = (
    "市场监督管理局",
    "教育局",
    "自然资源和规划局",
    "卫生健康委员会",
    "人力资源和社会保障局",
    "住房和城乡建设局",
    "生态环境局",
    "财政局",
    "交通运输局",
    "农业农村局",
    "民政局",
    "应急管理局",
)


def random_agency(rng: random.Random) -> str:
    city, districts, counties = rng.choice(PLACES)
    district, county = rng.choice(districts), rng.choice(counties)
    return rng.choice(
        (
            f"{city}市人民政府",
            f"{city}市人民政府办公室",
            f"{city}市{district}区人民政府",
            f"{county}县人民政府",
            f"{city}市{rng.choice(BUREAUS)}",
            f"{county}县{rng.choice(BUREAUS)}",
            f"{city}市{district}区{rng.choice(BUREAUS)}",
            f"{district}区{rng.choice(STREETS)}街道办事处",
            f"{city}市{district}区{rng.choice(STREETS)}街道办事处",
            f"{county}县{rng.choice(TOWNS)}镇人民政府",
        )
    )


def self_reference(agency: str) -> str:
    """How a report names its own agency in running text (我区, 我街道, 我局 …)."""
    for suffix, short in (
        ("街道办事处", "我街道"),
        ("镇人民政府", "我镇"),
        ("办公室", "我办"),
        ("委员会", "我委"),
        ("局", "我局"),
        ("区人民政府", "我区"),
        ("县人民政府", "我县"),
        ("市人民政府", "我市"),
    ):
        if agency.endswith(suffix):
            return short
    return "本机关"


_DRIVES = (
    "紧紧围绕中心工作，加大公开力度，回应社会关切",
    "坚持以公开为常态、不公开为例外，持续推进决策、执行、管理、服务、结果公开",
    "聚焦企业和群众关注关切，不断拓展重点领域信息公开的广度与深度",
)
_SUBHEADS_2021 = (
    ("（一）主动公开", "全年通过政府网站主动公开政府信息{n}条，及时发布政策解读{m}篇。"),
    ("（二）依申请公开", "严格按照法定时限答复申请，规范答复文书格式，切实保障公众知情权。"),
    ("（三）政府信息管理", "落实公开前保密审查制度，动态更新政府信息公开目录。"),
    ("（四）政府信息公开平台建设", "优化政府网站信息公开专栏，加强政务新媒体日常监测。"),
    ("（五）监督保障", "将政务公开工作纳入年度绩效考核，组织业务培训{k}次。"),
)
_SUBHEADS_2019 = (
    ("（一）强化组织领导，落实工作要求", "明确分管领导和专人负责，确保公开工作有人抓、有人管。"),
    ("（二）推进重点领域信息公开", "全年主动公开政府信息{n}条，重点公开财政预决算、民生保障等信息。"),
    ("（三）加强学习培训", "组织开展政府信息公开业务培训{k}次，提升工作人员业务水平。"),
    ("（四）严格日常检查考核", "对各部门政务公开情况开展检查{m}次，督促整改发现的问题。"),
)
_PROBLEMS = (
    "公开内容不够全面，部分栏目更新不够及时",
    "政策解读形式较为单一，解读质量有待提高",
    "工作人员多为兼职，业务能力有待加强",
    "依申请公开办理的规范化水平仍需提升",
)
_MEASURES = (
    "加强业务培训，提升工作人员能力",
    "丰富政策解读形式，提高解读质量",
    "完善信息发布审核机制，确保公开信息准确及时",
    "加强栏目日常巡查，及时更新公开内容",
)


def _ordinals(items: list[str]) -> str:
    return "；".join(f"{'一二三四'[i]}是{s}" for i, s in enumerate(items)) + "。"


def narrative(
    template_id: str, year: int, agency: str, cells: Mapping[str, int | Decimal], rng: random.Random
) -> dict[str, str]:
    """The six narrative sections, one paragraph per line."""
    me = self_reference(agency)
    heads = _SUBHEADS_2021 if template_id == "2021" else _SUBHEADS_2019
    numbers = {"n": rng.randint(20, 3000), "m": rng.randint(1, 60), "k": rng.randint(1, 12)}
    overview = [f"{year}年，{me}认真贯彻落实《中华人民共和国政府信息公开条例》，{rng.choice(_DRIVES)}。"]
    overview += [f"{head}。{body.format(**numbers)}" for head, body in heads]
    new, over = cells["requests.new.total"], cells["requests.carried_over.total"]
    if new == 0 and over == 0:
        requests = f"{year}年，{me}未收到政府信息公开申请。"
    else:
        done, forward = cells["requests.total.total"], cells["requests.carried_forward.total"]
        requests = (
            f"{year}年，{me}共收到政府信息公开申请{new}件，上年结转{over}件，办结{done}件，"
            f"结转下年度继续办理{forward}件。"
        )
    review = cells["appeals.review.total"]
    suits = cells["appeals.suit_direct.total"] + cells["appeals.suit_after_review.total"]
    if review == 0 and suits == 0:
        appeals = f"{year}年，{me}未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    else:
        appeals = f"{year}年，{me}因政府信息公开工作被申请行政复议{review}件，被提起行政诉讼{suits}件。"
    table_note = rng.choice(("该部分以表格形式报告。表格如下：", "具体情况见下表："))
    problems = "\n".join(
        (
            "（一）存在的主要问题",
            _ordinals(rng.sample(_PROBLEMS, 2)),
            "（二）改进措施",
            _ordinals(rng.sample(_MEASURES, 3)),
        )
    )
    other = rng.choice(("无。", "无其他需要报告的事项。", f"{year}年度{me}无其他需要报告的事项。"))
    if template_id == "2021" and rng.random() < 0.5:
        other = f"{year}年，{me}未收取信息处理费。"
    return {
        "overview": "\n".join(overview),
        "active": table_note,
        "requests": f"{requests}\n{table_note}",
        "appeals": f"{appeals}\n{table_note}",
        "problems": problems,
        "other": other,
    }
