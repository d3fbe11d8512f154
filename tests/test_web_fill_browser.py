"""填报 in a real browser (Debian's headless Chromium): a unit whose 2023 report is in the store
fills its 2024 report. What carries over is pre-filled and last year's values stand beside the
cells; a total typed wrong is marked live with the value it needs; fixed and saved, the form
downloads a DOCX that ``ogi parse`` reads back to exactly what was typed; submitted, it is the
unit's report. No script error and no CSP violation on the way."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ogi
from ogi.batch import ingest
from ogi.fill import Draft
from tests.browser import browser, console_errors, missing, server, wait

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
AGENCY = "淮安市洪泽区人民政府"
WAIT = 60
APPLICANTS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")

pytestmark = pytest.mark.skipif(missing() is not None, reason=str(missing()))


def _settled(d: Any) -> bool:
    """No live check pending: the marks shown answer what the form holds now (each change marks
    the form ``checking`` until the answer to the latest one is shown; answers to earlier states,
    which arrive while the author, or this test, is still typing, do not count)."""
    from selenium.webdriver.common.by import By

    return "checking" not in (d.find_element(By.ID, "fill-form").get_attribute("class") or "").split()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # renamed by the browser between the listing and this look
        return 0


def _downloaded(folder: Path, suffix: str) -> Path:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if _size(p) > 0]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded into {folder}: {list(folder.iterdir())}")


def test_fill_a_report_with_live_checks_then_download_and_submit(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    db = tmp_path / "fill.duckdb"
    assert ingest([EXAMPLES / "hongze_2023_gov.txt"], db, workers=1, progress=False).failed == []
    last = ogi.parse(EXAMPLES / "hongze_2023_gov.txt")
    # What the author types: the district's 2024 report (its 上年结转 is 2023's 结转下年度).
    typed = Draft.from_report(ogi.parse(EXAMPLES / "hongze_2024_gov.txt"))
    right = typed.cells["requests.total.total"]
    downloads = tmp_path / "downloads"

    with server(db) as url, browser(downloads=downloads) as d:
        d.get(url + "/fill")
        start = d.find_element(By.ID, "start-form")
        start.find_element(By.NAME, "agency").send_keys(AGENCY)
        year = start.find_element(By.NAME, "year")
        year.clear()
        year.send_keys("2024")
        start.find_element(By.NAME, "who").send_keys("洪泽区政务公开办 王敏")
        start.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(d, lambda d: d.find_elements(By.ID, "fill-form"))
        assert "由2023年报告" in d.find_element(By.CSS_SELECTOR, ".fill-head").text

        inputs = {i.get_attribute("data-key"): i for i in d.find_elements(By.CSS_SELECTOR, "input[data-key]")}
        assert set(typed.cells) <= set(inputs)

        def cell(key: str):  # type: ignore[no-untyped-def]
            return d.find_element(By.CSS_SELECTOR, f'td.v[data-key="{key}"]')

        # Pre-filled from 2023: 上年结转 ← 结转下年度继续办理, 现行有效件数 ← last year's.
        for col in APPLICANTS:
            key = f"requests.carried_over.{col}"
            assert inputs[key].get_attribute("value") == str(last.cells[f"requests.carried_forward.{col}"].value)
            assert "carried" in cell(key).get_attribute("class") and "结转" in cell(key).text
        assert inputs["active.normative.in_force"].get_attribute("value") == "23"
        # Last year's value stands beside each cell.
        assert "上年 17" in cell("requests.new.total").text and "上年 593" in cell("active.penalty.decisions").text

        # Type the report, with the 总计 deliberately 3 too high.
        for key, value in typed.cells.items():
            text = str(value + 3 if key == "requests.total.total" else value)
            if inputs[key].get_attribute("value") != text:
                inputs[key].clear()
                inputs[key].send_keys(text)
        total = 'td.v[data-key="requests.total.total"]'
        wait(d, lambda d: _settled(d) and "broken" in d.find_element(By.CSS_SELECTOR, total).get_attribute("class"))
        expect = d.find_element(By.CSS_SELECTOR, f"{total} .expect")
        assert expect.is_displayed() and expect.text == f"应为 {right}"
        assert d.find_elements(By.CSS_SELECTOR, "td.v.broken") == [cell("requests.total.total")]
        panel = d.find_element(By.ID, "live-broken").text
        assert f"（七）总计 · 总计 应为 {right}（现为 {right + 3}）" in panel
        assert "不满足：申请数量平衡、申请人合计、办理结果合计" in panel  # I1, I2 and I3 all mark it
        assert d.find_element(By.ID, "count-broken").text == "勾稽不符 3"

        # Fixed: the mark goes away as it is typed.
        inputs["requests.total.total"].clear()
        inputs["requests.total.total"].send_keys(str(right))
        counts = ("count-broken", "count-unfilled")
        wait(d, lambda d: _settled(d) and [d.find_element(By.ID, c).text for c in counts] == ["勾稽不符 0", "未填 0"])
        assert d.find_elements(By.CSS_SELECTOR, "td.v.broken") == []
        assert d.find_element(By.ID, "live-ok").is_displayed()

        # The narrative: last year's text copied in with the button, then rewritten; the rest typed.
        d.find_element(By.CSS_SELECTOR, "#s-overview details summary").click()
        d.find_element(By.CSS_SELECTOR, 'button[data-copy="overview"]').click()
        overview = d.find_element(By.ID, "section-overview")
        assert overview.get_attribute("value") == last.sections["overview"].text
        wait(d, lambda d: "与上年文字雷同" in d.find_element(By.ID, "live-warnings").text)
        for key, text in typed.sections.items():
            area = d.find_element(By.ID, f"section-{key}")
            area.clear()
            area.send_keys(text)
        d.execute_script("document.querySelector('input[name=published]').value = arguments[0]",
                         typed.published.isoformat())  # type: ignore[union-attr]  # fmt: skip

        # The buttons sit below the live lists, which move them as answers come: click when settled.
        wait(d, _settled)
        d.find_element(By.ID, "save-button").click()
        wait(d, lambda d: "已保存为第2版" in d.find_element(By.TAG_NAME, "body").text)

        # The DOCX downloads, and reads back to exactly what was typed.
        d.find_element(By.CSS_SELECTOR, '#downloads a[data-format="docx"]').click()
        docx = _downloaded(downloads, ".docx")
        assert docx.name == f"{AGENCY}2024年政府信息公开工作年度报告.docx"
        out = subprocess.run([sys.executable, "-m", "ogi", "parse", "--json", str(docx)], capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
        parsed = json.loads(out, parse_float=Decimal)
        assert parsed["flags"] == {} and parsed["findings"] == []
        assert parsed["cells"] == typed.cells
        assert (parsed["agency"], parsed["year"], parsed["published"]) == (AGENCY, 2024, typed.published.isoformat())  # type: ignore[union-attr]
        assert Draft.from_json(parsed).sections == typed.sections

        # Submitted, it is the unit's 2024 report, its original the DOCX.
        d.find_element(By.ID, "submit-button").click()
        wait(d, lambda d: "/reports/" in d.current_url and d.find_elements(By.CSS_SELECTOR, "table.official"))
        facts = d.find_element(By.CSS_SELECTOR, ".facts").text
        assert AGENCY in facts and "2024" in facts and f"{AGENCY}2024年政府信息公开工作年度报告.docx" in facts
        assert console_errors(d) == []
