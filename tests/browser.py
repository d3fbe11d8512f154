"""A real browser for the web app's tests and screenshots: ``ogi serve`` on a free loopback port
and Debian's headless Chromium driven by Selenium through chromedriver (no browser download)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("OGI_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("OGI_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=zh-CN")  # fmt: skip
START_SECONDS = 90


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (Path(path).exists() or shutil.which(path)):
            return f"{path} is absent: apt-get install {package} to run the browser tests"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -e '.[dev]'"
    return None


@contextmanager
def server(db: Path, *extra: str) -> Iterator[str]:
    """``ogi serve`` over ``db`` on 127.0.0.1 and a port the server picks itself (``--port 0``: a
    port picked here and handed over could be taken in between); its base URL. Stopped on exit."""
    cmd = [sys.executable, "-m", "ogi", "serve", "--db", str(db), "--port", "0", "--workers", "1", *extra]
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield _wait_for(proc, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_for(proc: subprocess.Popen[bytes], log: Any) -> str:
    """The server's URL, once it has said which port it bound and answers its health check; raises
    with its output when it died or did not come up in time."""
    deadline = time.monotonic() + START_SECONDS
    url = None
    while True:
        log.seek(0)
        output = log.read().decode(errors="replace")
        if url is None and (said := re.search(r" at (http://127\.0\.0\.1:[1-9][0-9]*)/", output)):
            url = said[1]
        if url is not None:
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=5) as r:
                    if r.status == 200:
                        return url
            except OSError:
                pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"ogi serve did not start: {output[-2000:]}")
        time.sleep(0.2)


@contextmanager
def browser(width: int = 1440, height: int = 900, downloads: Path | None = None) -> Iterator[Any]:
    """Headless Chromium with a fresh profile, logging the console; files it downloads go to
    ``downloads`` when given."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="ogi-chromium-")
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if downloads is not None:
        downloads.mkdir(parents=True, exist_ok=True)
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                  "download.prompt_for_download": False})  # fmt: skip
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(60)
        if downloads is not None:
            driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def wait(driver: Any, condition: Any, seconds: float = 60) -> Any:
    """Until ``condition(driver)`` is truthy. A page swapped or reloaded while the condition reads it
    (htmx, a form's redirect) leaves its elements stale: they are looked up again, not an error. In
    vain, it fails with the page it was on (a CI log then says what the browser showed)."""
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def attempt(d: Any) -> Any:
        try:
            return condition(d)
        except StaleElementReferenceException:
            return False
        except WebDriverException as e:
            # chromedriver's word for an element swapped out mid-read, not given the stale type.
            if "does not belong to the document" in (e.msg or ""):
                return False
            raise

    try:
        return WebDriverWait(driver, seconds).until(attempt)
    except TimeoutException:
        try:
            page = f"{driver.current_url}\n{driver.find_element(By.TAG_NAME, 'body').text[:3000]}"
        except WebDriverException as e:
            page = f"(unreadable: {e.msg})"
        raise AssertionError(f"waited {seconds:g} s in vain; the page: {page}") from None
