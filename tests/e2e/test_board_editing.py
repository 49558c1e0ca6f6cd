"""Working on the board in a real browser: cards to pick, drag and move by keyboard; a bad value or upload is a
message on its field or a toast and the fix can be typed at once; delete offers Undo and Ctrl+Z brings the scene
back; a reload restores the story, the tab and the selection; the board stays usable at 800 px."""

from __future__ import annotations

import re

from .test_studio import STORY, open_tab, plan_text


def failed_outputs(page) -> int:
    """Components Gradio marks as failed (the red "Error" badge of an event whose function raised)."""
    return page.locator("[data-testid='status-tracker'] span.error", has_text="Error").count()


def numbers(page) -> list[str]:
    return page.locator("#board .sb-num").all_inner_texts()


def pick(page, number: str) -> None:
    page.locator("#board .sb-card").filter(has=page.locator(".sb-num", has_text=re.compile(f"^{number}$"))).click()
    page.locator("#scene-heading").get_by_text(f"Shot {number} ").wait_for(timeout=20_000)


def test_a_bad_duration_and_shot_size_stay_on_their_fields(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Fixable Board")
    duration = page.locator("#duration textarea, #duration input").first
    duration.fill("abc")
    page.locator("#save-scene").click()
    message = page.locator("#duration .info-text")
    message.get_by_text("⚠ duration must be a number of seconds, got 'abc'").wait_for(timeout=20_000)
    assert failed_outputs(page) == 0
    assert "Fixable Board" in page.locator("#status").inner_text()  # nothing else changed

    duration.fill("4.5")  # the fix is typed at once and saves; the message goes
    page.locator("#save-scene").click()
    page.wait_for_function("document.querySelector('#board .sb-selected .sb-dur').innerText === '4.5 s'")
    page.wait_for_function("!document.querySelector('#duration').innerText.includes('⚠')")

    shot = page.locator("#shot input")
    shot.fill("GIANT")
    shot.press("Enter")
    page.locator("#save-scene").click()
    page.locator("#shot .info-text").get_by_text(re.compile("unknown shot size 'GIANT'")).wait_for(timeout=20_000)
    assert failed_outputs(page) == 0
    pick(page, "2A")  # the board still answers, and another card's form carries no stale message
    assert "⚠" not in page.locator("#shot").inner_text()


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


def test_cards_are_picked_dragged_and_moved_by_keyboard(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Card Board")
    before = numbers(page)
    assert before[:3] == ["1", "2A", "2B"]
    card = page.locator("#board .sb-card").nth(3)
    assert "sb-selected" in page.locator("#board .sb-card").first.get_attribute("class")
    pick(page, before[3])
    assert "sb-selected" in card.get_attribute("class") and page.locator("#board .sb-selected").count() == 1

    page.locator("#board .sb-card").nth(0).drag_to(page.locator("#board .sb-card").nth(2))
    page.wait_for_function("document.querySelectorAll('#board .sb-num')[2].innerText === '1'")
    assert numbers(page)[:3] == ["2A", "2B", "1"]
    page.locator("#board .sb-card").nth(2).focus()
    page.keyboard.press("Alt+ArrowLeft")  # the card moves one place back, and keeps the focus
    page.wait_for_function("document.querySelectorAll('#board .sb-num')[1].innerText === '1'")
    assert page.evaluate("document.activeElement.querySelector('.sb-num').innerText") == "1"
    page.keyboard.press("ArrowRight")  # arrows go from card to card; Enter picks
    page.keyboard.press("Enter")
    page.locator("#scene-heading").get_by_text("Shot 2B ").wait_for(timeout=20_000)
    page.wait_for_timeout(500)  # the browser stores where the user is
    page.reload()  # the order was saved
    page.locator("#status").get_by_text("Card Board").wait_for(timeout=30_000)
    page.locator("#board .sb-card").first.wait_for()
    assert numbers(page)[:3] == ["2A", "1", "2B"]
    page.locator("#scene-heading").get_by_text("Shot 2B ").wait_for(timeout=20_000)  # and the selection


def test_delete_offers_undo_and_ctrl_z_brings_the_scene_back(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Undo Board")
    scenes = int(re.search(r"(\d+) scenes", page.locator("#status").inner_text()).group(1))
    page.locator("#scene-heading").get_by_text("Shot 1").wait_for()
    page.locator("#delete-scene").click()
    page.locator(".toast-body").get_by_text(re.compile(r"Scene deleted — ↶ Undo \(Ctrl\+Z\)")).wait_for(
        timeout=20_000)
    page.locator("#status").get_by_text(f"{scenes - 1} scenes").wait_for(timeout=20_000)
    page.locator("body").click(position={"x": 5, "y": 5})  # focus out of any text box
    page.keyboard.press("Control+z")
    page.locator("#status").get_by_text(f"Undid: delete scene · Undo Board · {scenes} scenes").wait_for(
        timeout=20_000)
    assert page.locator("#board .sb-card").count() == scenes
    page.locator("#redo").click()
    page.locator("#status").get_by_text(f"{scenes - 1} scenes").wait_for(timeout=20_000)
    page.reload()  # the history is in the session folder: a reload can still undo
    page.locator("#status").get_by_text(f"{scenes - 1} scenes").wait_for(timeout=30_000)
    page.locator("#undo").click()
    page.locator("#status").get_by_text(f"{scenes} scenes").wait_for(timeout=20_000)


def test_a_reload_restores_the_story_the_tab_and_the_selected_scene(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Reload Board")
    pick(page, "2A")
    page.wait_for_timeout(500)  # the browser stores where the user is
    page.reload()
    page.locator("#status").get_by_text("Reload Board").wait_for(timeout=30_000)
    page.locator("#scene-heading").get_by_text("Shot 2A").wait_for(timeout=20_000)
    assert page.get_by_role("tab", name="2 · Board").get_attribute("aria-selected") == "true"
    assert page.locator("#board .sb-selected .sb-num").inner_text() == "2A"  # highlighted on the board too
    open_tab(page, "1 · Story")
    assert page.locator("#story-text textarea").input_value().startswith(STORY[:40])


def test_the_board_is_usable_at_800_px(browser, app_url):
    url, _ = app_url
    context = browser.new_context(viewport={"width": 800, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    plan_text(page, url, STORY, "Narrow Board")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 800  # nothing runs off the side
    cards = page.locator("#board .sb-card")
    box = cards.first.bounding_box()
    assert box["width"] >= 180 and box["x"] >= 0 and box["x"] + box["width"] <= 800
    pick(page, numbers(page)[4])
    action = page.locator("#action textarea")
    action.scroll_into_view_if_needed()
    action.fill("Edited on a narrow screen.")
    page.locator("#save-scene").click()
    page.wait_for_function("document.querySelector('#board .sb-selected').innerText.includes('Edited on a narrow')")
    context.close()


def test_forged_card_events_change_nothing_and_say_why(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Forged Board")
    before = numbers(page)
    page.evaluate("""() => { const card = document.querySelectorAll('#board .sb-card')[2];
                             card.dataset.id = 's9999'; card.click(); }""")
    page.locator("#scene-heading").get_by_text("no longer on the board").wait_for(timeout=20_000)
    page.evaluate("""() => { const card = document.querySelectorAll('#board .sb-card')[1];
        card.dataset.id = '../../etc/passwd';
        card.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', altKey: true, bubbles: true})); }""")
    page.locator("#status").get_by_text(re.compile("^⚠ that scene no longer exists")).wait_for(timeout=20_000)
    page.wait_for_function(f"[...document.querySelectorAll('#board .sb-num')].map(n => n.innerText).join() "
                           f"=== {','.join(before)!r}")  # the board as it is on the server
    assert failed_outputs(page) == 0
    pick(page, before[3])  # and it still answers
