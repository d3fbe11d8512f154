"""Screenshots of the web app for docs/: the upload, report, review and 填报 pages, taken in headless
Chromium from a fresh store of example reports. Deterministic input; run from the repository root:

    .venv/bin/python scripts/web_screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import browser, missing, server  # noqa: E402

EXAMPLES = ROOT / "examples"
UPLOADS = ("2021_tsv_broken_total.txt", "2021_crawler.txt", "2021_print.pdf", "2021_page.html", "2019_word.docx",
           "hongze_2024_gov.txt")  # fmt: skip


def main() -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    if why := missing():
        sys.exit(f"web_screenshots: {why}")
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        bad = Path(tmp) / "会议纪要.txt"
        bad.write_text("关于召开会议的通知\n请各单位准时参加。\n", encoding="utf-8")
        with server(Path(tmp) / "shots.duckdb") as url, browser(1440, 960) as d:
            wait = WebDriverWait(d, 60)
            d.get(url + "/upload")
            field = d.find_element(By.ID, "file-input")
            d.execute_script("arguments[0].style.display = 'block'", field)
            field.send_keys("\n".join([*(str(EXAMPLES / n) for n in UPLOADS), str(bad)]))
            done = "#upload-rows tr.st-ok, #upload-rows tr.st-failed"
            wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, done)) == len(UPLOADS) + 1)
            d.execute_script("arguments[0].style.display = 'none'", field)
            d.save_screenshot(str(out / "web-upload.png"))

            d.find_element(By.LINK_TEXT, "新乡市凤泉区东风街道办事处").click()
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.official"))
            d.find_element(By.CSS_SELECTOR, 'td.v.broken[data-key="requests.total.total"] a').click()
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '.panel-inner[data-key="requests.total.total"]'))
            d.execute_script("document.getElementById('t-requests').scrollIntoView()")
            time.sleep(0.5)
            d.save_screenshot(str(out / "web-report.png"))

            d.get(url + "/")
            d.find_element(By.LINK_TEXT, "涟水县人民政府").click()
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "table.official"))
            d.find_element(By.CSS_SELECTOR, 'td.v[data-key="active.normative.in_force"] a').click()
            wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '.panel-inner[data-key="active.normative.in_force"]'))
            panel = d.find_element(By.ID, "panel")
            panel.find_elements(By.CSS_SELECTOR, "input[name=choice]")[0].click()
            panel.find_element(By.NAME, "why").send_keys("对照原文：现行有效件数为13")
            panel.find_element(By.CSS_SELECTOR, "input.who[name=who]").send_keys("市政务公开办 张敏")
            d.execute_script("document.querySelector('#panel form.correct').scrollIntoView({block: 'end'})")
            time.sleep(0.5)
            d.save_screenshot(str(out / "web-review.png"))
        fill_shot(Path(tmp) / "fill.duckdb", out)
    print(f"web-upload.png, web-report.png, web-review.png, web-fill.png → {out}")


def fill_shot(db: Path, out: Path) -> None:
    """The 填报 form for 洪泽区 2024, its 2023 report in the store: the carried-over cells, last
    year's values, and one total typed wrong, marked with the value it needs."""
    import json

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    import ogi
    from ogi.batch import ingest

    ingest([EXAMPLES / "hongze_2023_gov.txt"], db, workers=1, progress=False)
    typed = ogi.parse(EXAMPLES / "hongze_2024_gov.txt")
    values = {k: str(c.value) for k, c in typed.cells.items()}
    values["requests.total.total"] = str(typed.cells["requests.total.total"].value + 3)
    with server(db) as url, browser(1440, 1560) as d:
        wait = WebDriverWait(d, 60)
        d.get(url + "/fill")
        form = d.find_element(By.ID, "start-form")
        form.find_element(By.NAME, "agency").send_keys("淮安市洪泽区人民政府")
        year = form.find_element(By.NAME, "year")
        year.clear()
        year.send_keys("2024")
        form.find_element(By.NAME, "who").send_keys("洪泽区政务公开办 王敏")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(lambda d: d.find_elements(By.ID, "fill-form"))
        d.execute_script(
            "const values = JSON.parse(arguments[0]);"
            "for (const [key, value] of Object.entries(values)) {"
            "  const input = document.getElementById('cell-' + key); if (input) input.value = value; }"
            "document.querySelector('input[name=published]').value = '2025-01-10';"
            "document.getElementById('fill-form').dispatchEvent(new Event('input'));",
            json.dumps(values),
        )
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, 'td.v.broken[data-key="requests.total.total"]'))
        d.execute_script("window.scrollTo(0, document.getElementById('t-requests').offsetTop - 12)")
        time.sleep(0.5)
        d.save_screenshot(str(out / "web-fill.png"))


if __name__ == "__main__":
    main()
