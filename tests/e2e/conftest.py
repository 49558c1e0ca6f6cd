"""Browser tests: the real app on a free localhost port, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("STORYBOARD_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = ROOT / "e2e-screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextlib.contextmanager
def running_app(tmp_path_factory, **env):
    """The app in a subprocess on a free port, with its own sessions folder: yields (url, sessions folder)."""
    sessions = tmp_path_factory.mktemp("sessions")
    port = free_port()
    env = {**os.environ, "STORYBOARD_SESSIONS": str(sessions), "GRADIO_ANALYTICS_ENABLED": "False", **env}
    log = (tmp_path_factory.mktemp("log") / "app.log").open("w")
    process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}/", sessions
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    with running_app(tmp_path_factory) as app:
        yield app


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is not installed at {CHROMIUM}; CI must install the Debian chromium package")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        save_tab_screenshots(page, request.node.name)
    context.close()


@pytest.fixture()
def two_pages(browser):
    """Two pages in two browser contexts: two people, or two machines, on the same app."""
    contexts = [browser.new_context() for _ in range(2)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(60_000)
    yield pages
    for context in contexts:
        context.close()


def save_tab_screenshots(page, name: str) -> None:
    """One screenshot per tab, to see what the user saw when a test failed."""
    folder = SCREENSHOTS / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i, tab in enumerate(["1 · Story", "2 · Board", "3 · Characters", "4 · Render", "5 · Export"], start=1):
        try:
            page.get_by_role("tab", name=tab).click(timeout=3000)
            page.wait_for_timeout(300)
            page.screenshot(path=str(folder / f"{i}-{tab.split()[-1].lower()}.png"), full_page=True)
        except Exception:  # the page may be gone; keep what we have
            break
    print(f"screenshots saved in {folder}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report
