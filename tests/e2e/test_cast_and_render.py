"""The cast and a render in a real browser: a cast row opens its character, two characters merge (and Undo splits
them again); a render shows one progress indicator, streams the panels onto the cards and can be cancelled."""

from __future__ import annotations

import re

from .test_studio import STORY, open_tab, plan_text


def cast_rows(page) -> dict[str, int]:
    """name → shots, from the cast table."""
    rows = page.locator("#cast-table [role=row]").all_inner_texts()
    found = (re.match(r"(.+?)\n(?:.*\n)?(\d+) shots?\b", row) for row in rows)
    return {m.group(1).strip(): int(m.group(2)) for m in found if m}


def test_a_cast_row_opens_its_character_and_two_characters_merge(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Cast Board")
    open_tab(page, "3 · Characters")
    page.locator("#cast-table").get_by_text("Tom", exact=True).wait_for()
    before = cast_rows(page)
    assert {"Mara", "Tom"} <= set(before)
    page.locator("#cast-table").get_by_text("Tom", exact=True).click()  # the row opens Tom in the form
    page.wait_for_function("document.querySelector('#character-pick input').value.startsWith('Tom')")
    assert page.get_by_label("Name", exact=True).input_value() == "Tom"

    page.locator("#merge-into input").click()
    page.get_by_role("option", name=re.compile(r"^Mara — \d+ shots?$")).click()
    page.locator("#merge").click()
    page.locator(".toast-body").get_by_text(re.compile(r"Tom merged into Mara — ↶ Undo")).wait_for(timeout=20_000)
    page.wait_for_function("!document.querySelector('#cast-table').innerText.includes('Tom')")
    after = cast_rows(page)
    assert "Tom" not in after and before["Mara"] < after["Mara"] <= before["Mara"] + before["Tom"]
    open_tab(page, "2 · Board")
    on_cards = page.locator("#board .sb-meta").all_inner_texts() + page.locator("#board .sb-line").all_inner_texts()
    assert not [text for text in on_cards if "Tom" in text]  # every shot and line follows (action prose is kept)

    page.locator("#undo").click()  # one step splits them again
    page.locator("#status").get_by_text("Undid: merge Tom into Mara").wait_for(timeout=20_000)
    open_tab(page, "3 · Characters")
    page.locator("#cast-table").get_by_text("Tom", exact=True).wait_for(timeout=20_000)
    assert cast_rows(page) == before


def test_a_render_shows_one_progress_indicator_and_can_be_cancelled(page, app_url):
    url, _ = app_url
    page.goto(url)
    page.locator("#coverage input").click()
    page.get_by_role("option", name="dense", exact=True).click()
    page.locator("#story-text textarea").fill("\n\n".join([STORY] * 3))
    page.locator("#plan").click()
    page.locator("#render-result").get_by_text(re.compile(r"^Sketched \d+ panels?\.$")).wait_for(timeout=120_000)
    open_tab(page, "4 · Render")
    page.get_by_text("Redraw up-to-date panels").click()
    open_tab(page, "2 · Board")
    page.locator("#render").click()
    indicators = 0
    for _ in range(40):  # while it runs: one progress indicator (on the render message), not one per output
        shown = page.locator("[data-testid='status-tracker']:not(.hide)").filter(
            has_text=re.compile(r"\d+/\d+|\d+%|\d+\.\d+s")).count()
        indicators = max(indicators, shown)
        if page.locator("#render-result").get_by_text(re.compile("Rendered")).count():
            break
        page.wait_for_timeout(100)
    assert indicators == 1
    page.locator("#render-result").get_by_text(re.compile(r"Rendered \d+ panel")).wait_for(timeout=120_000)

    page.locator("#render").click()  # again, and cancel it at once: the board keeps every panel
    page.locator("#render-cancel").click()
    page.wait_for_timeout(2000)
    scenes = int(re.search(r"(\d+) scenes", page.locator("#status").inner_text()).group(1))
    assert page.locator("#board .sb-card img").count() == scenes
    assert page.locator("[data-testid='status-tracker'] span.error", has_text="Error").count() == 0


def test_a_locked_panel_is_frozen_and_its_card_says_so(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Locked Board")
    page.locator("#board .sb-card").nth(1).click()
    page.locator("#scene-heading").get_by_text("Shot 2A").wait_for(timeout=20_000)
    page.locator("#lock").get_by_role("checkbox").check()
    page.locator("#board .sb-card.sb-locked").wait_for(timeout=20_000)
    assert page.locator("#board .sb-locked .sb-num").inner_text() == "2A"
    src = page.locator("#board .sb-locked img").get_attribute("src")
    page.locator("#reroll").click()  # refused, in the studio's words
    page.locator(".toast-body").get_by_text(re.compile(r"scene 2A is locked: unlock it to re-roll it")).wait_for(
        timeout=20_000)
    open_tab(page, "4 · Render")
    page.get_by_text("Redraw up-to-date panels").click()
    open_tab(page, "2 · Board")
    page.locator("#render").click()
    page.locator("#render-result").get_by_text(re.compile(r"1 locked panel\(s\) kept as they are")).wait_for(
        timeout=120_000)
    assert page.locator("#board .sb-locked img").get_attribute("src") == src  # the same file: not redrawn
