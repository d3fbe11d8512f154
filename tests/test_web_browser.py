"""The app in a real browser: upload a report through the page, open it, click a flagged cell and
see its provenance and the highlighted source, correct it and see the finding go away; a PDF cell
shows its page. No script error and no CSP violation on any page."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.browser import browser, console_errors, missing, server, wait

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

pytestmark = pytest.mark.skipif(missing() is not None, reason=str(missing()))


def _upload(driver, url: str, *paths: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.get(url + "/upload")
    field = driver.find_element(By.ID, "file-input")
    driver.execute_script("arguments[0].style.display = 'block'", field)
    field.send_keys("\n".join(str(p) for p in paths))
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#upload-rows tr.st-ok")) == len(paths))


def test_upload_review_and_correct(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    with server(tmp_path / "b.duckdb") as url, browser() as driver:
        _upload(driver, url, EXAMPLES / "2021_tsv_broken_total.txt", EXAMPLES / "2021_print.pdf")
        rows = driver.find_elements(By.CSS_SELECTOR, "#upload-rows tr.st-ok")
        texts = [r.text for r in rows]
        assert any("新乡市凤泉区东风街道办事处" in t and "错误 3" in t for t in texts), texts
        driver.find_element(By.LINK_TEXT, "新乡市凤泉区东风街道办事处").click()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "table.official"))
        assert "勾稽关系：办理结果合计" in driver.find_element(By.ID, "findings").text

        # The flagged cell: its provenance and the source line, marked.
        driver.find_element(By.CSS_SELECTOR, 'td.v.broken[data-key="requests.total.total"] a').click()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '.panel-inner[data-key="requests.total.total"]'))
        panel = driver.find_element(By.ID, "panel")
        assert "（七）总计" in panel.text and "原文第69行" in panel.text and "印为 7，应为 4" in panel.text
        marked = panel.find_element(By.CSS_SELECTOR, "li.marked")
        assert marked.get_attribute("value") == "69" and "总计" in marked.text and marked.is_displayed()
        assert "selected" in driver.find_element(
            By.CSS_SELECTOR, 'td.v[data-key="requests.total.total"]').get_attribute("class")  # fmt: skip
        assert "?cell=requests.total.total" in driver.current_url

        # Correct it: a new version, and the identity findings go away.
        panel.find_element(By.NAME, "value").send_keys("4")
        panel.find_element(By.NAME, "why").send_keys("对照原文，总计应为4")
        panel.find_element(By.CSS_SELECTOR, "input.who[name=who]").send_keys("测试审核员")
        panel.find_element(By.CSS_SELECTOR, "form.correct button[type=submit]").click()
        wait(driver, lambda d: "已审核" in d.find_element(By.ID, "panel").text)
        findings = driver.find_element(By.ID, "findings").text
        assert "勾稽关系：办理结果合计" not in findings and "勾稽关系：申请人合计" not in findings
        cell = driver.find_element(By.CSS_SELECTOR, 'td.v[data-key="requests.total.total"]')
        assert cell.text.startswith("4") and "reviewed" in cell.get_attribute("class")
        assert "第2版" in driver.find_element(By.CSS_SELECTOR, ".facts").text

        # A PDF report: the cell's page is drawn beside the tables.
        driver.get(url + "/")
        driver.find_element(By.LINK_TEXT, "洛阳市生态环境局").click()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "table.official"))
        driver.find_element(By.CSS_SELECTOR, 'td.v[data-key="requests.new.commercial"] a').click()
        wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '.panel-inner[data-key="requests.new.commercial"]'))
        image = driver.find_element(By.CSS_SELECTOR, "#panel svg.page-image image")
        assert image.get_attribute("href").endswith("/pages/2.png")
        loaded = driver.execute_async_script(
            "fetch(arguments[0]).then(r => arguments[1](r.headers.get('content-type')))", image.get_attribute("href"))
        assert loaded == "image/png"
        pages = len(pdfium.PdfDocument((EXAMPLES / "2021_print.pdf").read_bytes()))
        assert f"原文第 2 / {pages} 页" in driver.find_element(By.ID, "panel").text
        box = driver.find_element(By.CSS_SELECTOR, "#panel svg.page-image rect.cell-box")
        assert box.is_displayed() and float(box.get_attribute("x")) > 0 and float(box.get_attribute("height")) > 0
        assert console_errors(driver) == []
