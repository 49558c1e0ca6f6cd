"""The Story tab's planner choice in a real browser: a server planner that cannot be reached still plans the board
(the embedded planner takes over and says so), and the settings come back after a reload."""

from __future__ import annotations

import re

from .test_studio import STORY


def test_an_unreachable_server_planner_falls_back_and_the_settings_are_remembered(page, app_url):
    url, _ = app_url
    page.goto(url)
    page.locator("#planner-settings").get_by_text("Planner: embedded, or a language model").click()
    page.get_by_label("Server (OpenAI-compatible)").check()
    page.locator("#llm-model textarea, #llm-model input").first.fill("llama3.2")
    page.locator("#llm-url textarea, #llm-url input").first.fill("http://127.0.0.1:9/v1")
    page.locator("#story-text textarea").fill(STORY)
    page.locator("#plan").click()
    page.get_by_text(re.compile("cannot reach the LLM server http://127.0.0.1:9/v1")).first.wait_for(timeout=120_000)
    page.locator("#render-result").get_by_text(re.compile(r"^Sketched \d+ panels?\.$")).wait_for(timeout=120_000)
    assert re.search(r"\d+ scenes", page.locator("#status").inner_text())

    page.reload()
    page.get_by_role("tab", name="1 · Story").click()
    page.locator("#planner-settings").get_by_text("Planner: embedded, or a language model").click()
    page.wait_for_function("document.querySelector('#llm-url textarea, #llm-url input').value.includes('127.0.0.1:9')")
    assert page.get_by_label("Server (OpenAI-compatible)").is_checked()
    assert page.locator("#llm-model textarea, #llm-model input").first.input_value() == "llama3.2"
