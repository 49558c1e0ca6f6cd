"""Two browser sessions cannot read, write or take over each other's board; a second tab closing keeps the board.

The app here runs with GRADIO_IS_E2E_TEST=1, so Gradio drops a closed tab's state after about a second (instead
of an hour) and the delete callback runs while the test watches.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import running_app
from .test_studio import EXAMPLES, STORY, plan_text

SCRIPT = (EXAMPLES / "last_light.fountain").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fast_expiry_app(tmp_path_factory):
    with running_app(tmp_path_factory, GRADIO_IS_E2E_TEST="1") as app:
        yield app


def folder_with_title(sessions: Path, title: str) -> Path:
    return next(p for p in sessions.iterdir() if (p / "project.json").is_file()
                and f'"title": "{title}"' in (p / "project.json").read_text(encoding="utf-8"))


def status_of(url: str, path: str) -> int:
    try:
        with urllib.request.urlopen(f"{url}gradio_api/file={path}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def start_with(url: str, remembered) -> str:
    """Call the app's start-up event as a hostile client would, with any value as the remembered session."""
    from gradio_client import Client

    result = Client(url, verbose=False, download_files=False).predict(remembered, {"tab": "../x", "scene": "s0001"},
                                                                      "", api_name="/start")
    return " ".join(str(part) for part in result)


def test_two_sessions_cannot_read_or_take_over_each_other(two_pages, fast_expiry_app):
    url, sessions = fast_expiry_app
    one, two = two_pages
    plan_text(one, url, STORY, "Board One")
    one.locator("#render").click()
    one.get_by_text(re.compile(r"Rendered \d+ panel")).wait_for(timeout=120_000)
    plan_text(two, url, SCRIPT, "Board Two")
    first, second = folder_with_title(sessions, "Board One"), folder_with_title(sessions, "Board Two")

    # 1. Nothing either page shows or stores names a session folder.
    for page in (one, two):
        page.locator("#board .sb-card img").first.wait_for()
        seen = page.content() + str(page.evaluate("JSON.stringify(localStorage)"))
        assert first.name not in seen and second.name not in seen
    assert one.locator("#board .sb-card img").first.get_attribute("src").startswith("gradio_api/file=")

    # 2. Session folders are not served, by any spelling of their paths.
    panel = next((first / "panels").glob("*.png"))
    for path in (first / "project.json", panel, f"{first}/../{first.name}/project.json", sessions / ".secret"):
        assert status_of(url, str(path)) == 403, path

    # 3. The folder name (what used to leak) or a forged token given at start-up gives a new, empty board.
    for remembered in (first.name, str(first), f"{first.name}.{'0' * 64}", "0" * 32 + "." + "f" * 64, None):
        shown = start_with(url, remembered)
        assert "Board One" not in shown and "No board yet" in shown, remembered

    # 4. Each page still sees, and edits, only its own board.
    one.reload()
    one.locator("#status").get_by_text("Board One").wait_for()
    assert "Board Two" not in one.locator("#status").inner_text()
    assert "Board One" not in two.locator("#status").inner_text()
    assert '"title": "Board Two"' in (second / "project.json").read_text(encoding="utf-8")
    one.context.close()
    two.context.close()


def test_a_second_tab_closing_keeps_the_board(browser, fast_expiry_app):
    url, sessions = fast_expiry_app
    context = browser.new_context()
    first = context.new_page()
    first.set_default_timeout(60_000)
    plan_text(first, url, STORY, "Shared Board")
    folder = folder_with_title(sessions, "Shared Board")
    second = context.new_page()  # same browser: the same stored token, the same board
    second.goto(url)
    second.locator("#status").get_by_text("Shared Board").wait_for()
    second.close()
    time.sleep(4)  # Gradio notices the closed tab, drops its state and calls the delete callback

    assert (folder / "project.json").is_file()
    action = first.locator("#action textarea")  # the first tab keeps working on the same board
    action.fill("Edited after the other tab closed.")
    first.locator("#save-scene").click()
    first.wait_for_function("document.querySelector('#board').innerText.includes('Edited after the other')")
    assert "Edited after the other tab closed." in (folder / "project.json").read_text(encoding="utf-8")

    first.close()  # the last tab goes too: the board was just used, so it stays until it has been idle
    time.sleep(4)
    assert (folder / "project.json").is_file()
    context.close()
