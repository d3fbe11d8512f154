"""The overview pages and their JSON routes in the web app: in-process, and in headless Chromium."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from ogi.batch import ingest
from ogi.overview import charts
from ogi.overview.charts import ChartError
from tests.browser import browser, console_errors, missing, server, wait
from tests.web_helpers import EXAMPLES, web_client


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("overview") / "ex.duckdb"
    assert ingest([EXAMPLES], path, workers=1, progress=False).failed == []
    return path


def _charts_here() -> bool:
    try:
        charts._font()
    except ChartError:
        return False
    return True


def test_dashboard_json_page_charts_and_csv(db: Path) -> None:
    with web_client(db) as client:
        whole = client.get("/api/dashboard").json()
        hongze = client.get("/api/dashboard", params={"region": "320813", "year": 2024}).json()
        assert whole["units"] > hongze["units"] == 3 and hongze["filters"]["region"] == "320813"
        page = client.get("/dashboard?region=320813&year=2024")
        assert page.status_code == 200 and "数据总览" in page.text and "/dashboard/charts/outcomes.svg?" in page.text
        csv = client.get("/dashboard/charts/outcomes.csv?region=320813&year=2024")
        assert csv.headers["content-type"].startswith("text/csv") and "办理结果,件数" in csv.text
        if _charts_here():
            svg = client.get("/dashboard/charts/outcomes.svg?year=2024")
            assert svg.headers["content-type"] == "image/svg+xml" and "<svg" in svg.text
        assert client.get("/dashboard/charts/nothing.svg").status_code == 404
        assert client.get("/api/dashboard?year=abc").status_code == 422
        # The dashboard is in the navigation of every page.
        assert 'href="/dashboard"' in client.get("/findings").text


def test_coverage_unit_history_and_comparison(db: Path) -> None:
    with web_client(db) as client:
        c = client.get("/api/coverage", params={"region": "320813", "year": 2024}).json()
        assert c["late"] == 2 and c["published"] == 1 and c["missing"] >= 10
        page = client.get("/coverage?region=320813&year=2024").text
        assert "逾期发布" in page and "岔河镇" in page
        assert client.get("/api/coverage").status_code == 422
        unit = client.get(f"/api/units/{quote('淮安市洪泽区')}").json()
        assert [y["year"] for y in unit["years"]] == [2023, 2024] and all(r["ok"] for r in unit["carry_over"])
        assert client.get(f"/api/units/{quote('不存在')}").status_code == 409
        page = client.get(f"/units/{quote('淮安市洪泽区')}").text
        assert "上年结转衔接" in page and "比对报告" in page
        compare = client.get(f"/units/{quote('淮安市洪泽区')}/compare/2024").text
        assert "2024年与2023年政府信息公开工作年度报告比对报告" in compare


@pytest.mark.skipif(missing() is not None, reason=str(missing()))
def test_dashboard_filters_and_coverage_in_a_browser(db: Path, tmp_path: Path) -> None:
    """Also the screenshots in docs/, when ``OGI_SCREENSHOTS=docs`` is set (never in a plain run:
    tests do not rewrite tracked files)."""
    from selenium.webdriver.common.by import By

    shots = Path(os.environ.get("OGI_SCREENSHOTS") or tmp_path)
    with server(db) as url, browser(1280, 1800) as driver:
        driver.get(f"{url}/dashboard")
        whole = driver.find_element(By.ID, "units").text
        form = driver.find_element(By.ID, "dashboard-filters")
        form.find_element(By.NAME, "region").send_keys("320813")
        form.find_element(By.NAME, "year").send_keys("2024")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        # Read once the filtered page has replaced the whole one (the URL changes as it does).
        units = wait(driver, lambda d: "region=320813" in d.current_url and d.find_element(By.ID, "units").text)
        assert units != whole and "3" in units
        # Every chart in (a later one moves those below it, and a click among them could miss).
        loaded = "return [...document.querySelectorAll('figure.chart img')].every(i => i.complete)"
        wait(driver, lambda d: d.execute_script(loaded))
        if _charts_here():
            assert driver.execute_script("return document.querySelector('#chart-outcomes img').naturalWidth") > 0
        driver.find_element(By.CSS_SELECTOR, "#chart-outcomes summary").click()
        assert "予以公开" in driver.find_element(By.CSS_SELECTOR, "#chart-outcomes table").text
        driver.save_screenshot(str(shots / "dashboard.png"))
        driver.find_element(By.LINK_TEXT, "发布情况").click()
        form = wait(driver, lambda d: d.find_element(By.ID, "coverage-form"))
        form.find_element(By.NAME, "region").send_keys("320813")
        form.find_element(By.NAME, "year").send_keys("2024")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait(driver, lambda d: d.find_elements(By.ID, "coverage-table"))
        rows = driver.find_elements(By.CSS_SELECTOR, "#coverage-table tbody tr")
        assert len(rows) >= 13 and any("逾期发布" in r.text for r in rows)
        driver.save_screenshot(str(shots / "coverage.png"))
        assert console_errors(driver) == []
