"""Fixing the board in a real browser: a bad value or a bad upload is a message on its field or a toast, the
page stays usable and the fix can be typed at once; deleting offers Undo, and Ctrl+Z brings the scene back."""

from __future__ import annotations

import re

from .test_studio import STORY, open_tab, plan_text


def failed_outputs(page) -> int:
    """Components Gradio marks as failed (the red "Error" badge of an event whose function raised)."""
    return page.locator("[data-testid='status-tracker'] span.error", has_text="Error").count()


def test_a_bad_duration_and_shot_size_stay_on_their_fields(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Fixable Board")
    open_tab(page, "2 · Scenes")
    duration = page.locator("#duration textarea, #duration input").first
    duration.fill("abc")
    page.locator("#save-scene").click()
    message = page.locator("#duration .validation-error")
    message.get_by_text(re.compile(r"duration must be a number of seconds, got 'abc'")).wait_for(timeout=20_000)
    assert failed_outputs(page) == 0
    assert "Fixable Board" in page.locator("#status").inner_text()  # nothing else changed

    duration.fill("4.5")  # the fix is typed at once and saves
    page.locator("#save-scene").click()
    page.wait_for_function("document.querySelector('#scene-table').innerText.includes('4.5')", timeout=20_000)
    assert page.locator("#duration .validation-error").count() == 0

    shot = page.locator("#shot input")
    shot.fill("GIANT")
    shot.press("Enter")
    page.locator("#save-scene").click()
    page.locator("#shot .validation-error").get_by_text(re.compile("shot size")).wait_for(timeout=20_000)
    assert failed_outputs(page) == 0
    page.locator("#scene-table").get_by_text("2A", exact=True).filter(visible=True).first.click()  # still answers
    page.wait_for_function("!document.querySelector('#scene-heading').innerText.startsWith('Scene 1 ')",
                           timeout=20_000)


def test_a_bad_upload_is_a_toast_and_the_story_box_stays_editable(page, app_url, tmp_path):
    url, _ = app_url
    page.goto(url)
    box = page.locator("#story-text textarea")
    box.fill("Mara climbs the stairs.")
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    page.locator("#story-upload input[type=file]").set_input_files(str(bad))
    page.locator(".toast-body").get_by_text(re.compile(r"photo\.txt")).first.wait_for(timeout=20_000)
    assert failed_outputs(page) == 0
    assert box.input_value() == "Mara climbs the stairs."
    box.fill("Tom waits at the harbour.")  # not locked: typing works at once
    assert box.input_value() == "Tom waits at the harbour."


def test_delete_offers_undo_and_ctrl_z_brings_the_scene_back(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Undo Board")
    scenes = int(re.search(r"(\d+) scenes", page.locator("#status").inner_text()).group(1))
    open_tab(page, "2 · Scenes")
    page.locator("#scene-heading").get_by_text("Scene 1").wait_for()
    page.get_by_role("button", name="Delete", exact=True).click()
    page.locator(".toast-body").get_by_text(re.compile(r"Scene deleted — ↶ Undo \(Ctrl\+Z\)")).wait_for(
        timeout=20_000)
    page.locator("#status").get_by_text(f"{scenes - 1} scenes").wait_for(timeout=20_000)
    page.locator("body").click(position={"x": 5, "y": 5})  # focus out of any text box
    page.keyboard.press("Control+z")
    page.locator("#status").get_by_text(f"{scenes} scenes").wait_for(timeout=20_000)
    page.locator("#redo").click()
    page.locator("#status").get_by_text(f"{scenes - 1} scenes").wait_for(timeout=20_000)
    page.reload()  # the history is in the session folder: a reload can still undo
    page.locator("#status").get_by_text(f"{scenes - 1} scenes").wait_for(timeout=30_000)
    page.locator("#undo").click()
    page.locator("#status").get_by_text(f"{scenes} scenes").wait_for(timeout=20_000)


def test_a_reload_restores_the_story_the_tab_and_the_selected_scene(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Reload Board")
    open_tab(page, "2 · Scenes")
    page.locator("#scene-table").get_by_text("2A", exact=True).filter(visible=True).first.click()
    page.locator("#scene-heading").get_by_text("Scene 2A").wait_for(timeout=20_000)
    page.wait_for_timeout(500)  # the browser stores where the user is
    page.reload()
    page.locator("#status").get_by_text("Reload Board").wait_for(timeout=30_000)
    page.locator("#scene-heading").get_by_text("Scene 2A").wait_for(timeout=20_000)
    assert page.get_by_role("tab", name="2 · Scenes").get_attribute("aria-selected") == "true"
    open_tab(page, "1 · Story")
    assert page.locator("#story-text textarea").input_value().startswith(STORY[:40])
