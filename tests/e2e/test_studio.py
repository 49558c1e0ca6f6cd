"""The studio in a real browser: Story → Plan (a sketched board) → edit dialogue → Render → Export → the PDF has
the edit; the cast's shot counts; the coverage choice."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

EDITED = "The light must never go out."
EXAMPLES = Path(__file__).resolve().parents[2] / "assets" / "examples"
STORY = (EXAMPLES / "lighthouse.txt").read_text(encoding="utf-8").split("\n\n", 1)[1]  # without its title line


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def plan_text(page, url: str, text: str, title: str) -> None:
    """Story tab: type the story and a title, press Plan, wait for the board and its sketches."""
    page.goto(url)
    page.locator("#story-text textarea").fill(text)
    page.locator("#title textarea, #title input").first.fill(title)
    page.locator("#plan").click()
    page.locator("#status").get_by_text(title).wait_for()
    page.locator("#render-result").get_by_text(re.compile(r"^Sketched \d+ panels?\.$")).wait_for()


def scene_count(page) -> int:
    return int(re.search(r"(\d+) scenes", page.locator("#status").inner_text()).group(1))


def choose(page, dropdown: str, option: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.locator(f"{dropdown} input")).to_have_value(option)


def test_story_to_pdf_with_an_edited_line(page, app_url, tmp_path):
    url, _ = app_url
    plan_text(page, url, STORY, "The Keeper's Letter")
    assert re.search(r"(\d+) scenes · 3 characters · \1 rendered", page.locator("#status").inner_text())
    scenes = scene_count(page)

    dialogue = page.locator("#dialogue textarea")  # Plan landed on the board, the first card's form beside it
    dialogue.wait_for()
    dialogue.fill(f"MARA: {EDITED}")
    page.locator("#save-scene").click()
    page.wait_for_function(f"document.querySelector('#board').innerText.includes({EDITED!r})")
    assert page.locator("#board .sb-stale").count() == 1  # the edited card says it is out of date
    assert "1 panel out of date" in page.locator("#status").inner_text()

    page.locator("#render").click()
    page.get_by_text("Rendered 1 panel(s)").wait_for(timeout=120_000)  # the edited scene: Plan sketched the rest
    page.wait_for_function(f"document.querySelectorAll('#board .sb-card img').length === {scenes}")
    page.wait_for_function("document.querySelectorAll('#board .sb-stale').length === 0")

    open_tab(page, "5 · Export")
    page.locator("#export").click()
    link = page.locator("#downloads a[download='the-keeper-s-letter-storyboard.pdf']")
    link.wait_for()
    with page.expect_download() as info:
        link.click()
    pdf = tmp_path / "board.pdf"
    info.value.save_as(pdf)
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert EDITED in text
    assert "The Keeper's Letter" in text


def test_two_sessions_each_see_their_own_project(two_pages, app_url):
    url, sessions = app_url
    one, two = two_pages
    plan_text(one, url, STORY, "Board One")
    plan_text(two, url, (EXAMPLES / "last_light.fountain").read_text(encoding="utf-8"), "Board Two")
    assert "Board One" in one.locator("#status").inner_text()
    assert "Board Two" in two.locator("#status").inner_text()
    one.reload()  # a reload resumes the same board, not a blank one and not the other session's
    one.locator("#status").get_by_text("Board One").wait_for()
    assert "Board Two" not in one.locator("#status").inner_text()
    folders = [p for p in sessions.iterdir() if (p / "project.json").exists()]
    titles = sorted((p / "project.json").read_text(encoding="utf-8").split('"title": "')[1].split('"')[0]
                    for p in folders)
    assert "Board One" in titles and "Board Two" in titles
    one.context.close()
    two.context.close()


def test_files_outside_the_app_folders_are_not_served(app_url):
    import urllib.error
    import urllib.request

    url, sessions = app_url
    secret = sessions.parent / "secret.txt"  # right next to the sessions folder, but outside it
    secret.write_text("not for the browser")
    for path in ("/etc/passwd", str(secret), f"{sessions}/../secret.txt"):
        try:
            with urllib.request.urlopen(f"{url}gradio_api/file={path}", timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as err:
            status = err.code
        assert status == 403, path


def test_example_button_gives_a_finished_board_in_one_click(page, app_url):
    url, _ = app_url
    page.goto(url)
    page.get_by_role("button", name="Example story").click()
    page.locator("#status").get_by_text(re.compile(r"[1-9]\d* rendered")).wait_for(timeout=120_000)
    status = page.locator("#status").inner_text()
    assert "The Keeper's Letter" in status and re.search(r"(\d+) scenes .* \1 rendered", status)


def test_a_render_keeps_the_selected_scene_and_the_unsaved_form(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Selection Board")
    page.locator("#board .sb-card").filter(has_text="Tom").first.click()  # a card that is not scene 1
    heading = page.locator("#scene-heading")
    page.wait_for_function("(t => t.startsWith('Shot ') && !t.startsWith('Shot 1 '))"
                           "(document.querySelector('#scene-heading').innerText.trim())")  # settled on the card
    chosen = heading.inner_text()
    action = page.locator("#action textarea")
    action.fill("Typed while the board renders.")

    open_tab(page, "4 · Render")
    page.get_by_text("Redraw up-to-date panels").click()  # every panel is drawn again
    open_tab(page, "2 · Board")
    page.locator("#render").click()
    page.get_by_text(re.compile(r"Rendered \d+ panel")).wait_for(timeout=120_000)
    page.wait_for_timeout(500)
    assert heading.inner_text() == chosen
    assert action.input_value() == "Typed while the board renders."
    selected = page.locator("#board .sb-selected")
    assert selected.count() == 1 and "Tom" in selected.inner_text()  # the streamed board kept the user's pick
    page.locator("#save-scene").click()  # the edit lands on the scene the user chose, not on scene 1
    page.wait_for_function("document.querySelector('#board .sb-selected').innerText.includes('Typed while the')")
    assert "Typed while the board" not in page.locator("#board .sb-card").first.inner_text()


def test_an_oversized_story_gets_a_message_and_the_board_stays(page, app_url):
    url, _ = app_url
    plan_text(page, url, STORY, "Kept Board")
    open_tab(page, "1 · Story")  # Plan landed on the board
    page.locator("#story-text textarea").evaluate(
        "(box) => { box.value = 'word '.repeat(2300000); box.dispatchEvent(new Event('input', {bubbles: true})); }")
    page.locator("#plan").click()
    message = page.locator("#story-text div.validation-error")  # on the field, not a failed page
    message.get_by_text(re.compile(r"is 11\.0 MB; the limit is 10 MB of text")).wait_for(timeout=30_000)
    assert "Kept Board" in page.locator("#status").inner_text()
    page.locator("#story-text textarea").fill("Mara climbs the stairs. Tom waits at the harbour.")
    page.locator("#title textarea, #title input").first.fill("Small Board")
    page.locator("#plan").click()  # the page is not locked: the next plan works
    page.locator("#status").get_by_text("Small Board").wait_for()
    assert message.count() == 0


def test_plan_lands_on_a_sketched_board_with_the_cast_counted_and_coverage_chosen(page, app_url):
    url, _ = app_url
    page.goto(url)
    page.get_by_role("button", name="Example story").click()  # fills the story and plans it: no other click
    page.locator("#render-result").get_by_text(re.compile(r"^Sketched \d+ panels\.$")).wait_for(timeout=120_000)
    assert page.get_by_role("tab", name="2 · Board").get_attribute("aria-selected") == "true"  # on the board
    scenes = scene_count(page)
    assert f"{scenes} rendered" in page.locator("#status").inner_text()
    page.wait_for_function(f"""() => {{
        const images = [...document.querySelectorAll('#board .sb-card img')];
        return images.length === {scenes} && images.every(i => i.complete && i.naturalWidth > 0);
    }}""")

    open_tab(page, "3 · Characters")
    page.locator("#character-pick input").click()
    mara = page.get_by_role("option", name=re.compile(r"^Mara — \d+ shots?$"))
    shots = int(re.search(r"(\d+) shot", mara.inner_text()).group(1))
    assert 0 < shots <= scenes
    mara.click()  # the label counts; the value is the name
    expect(page.get_by_label("Name", exact=True)).to_have_value("Mara")
    assert re.search(rf"Mara\s+a young lighthouse keeper\s+{shots} shots", page.locator("#cast-table").inner_text())

    panels = {}
    for level in ("sparse", "dense"):
        open_tab(page, "1 · Story")
        choose(page, "#coverage", level)
        page.locator("#plan").click()
        note = page.locator("#plan-note").get_by_text(re.compile(rf"at {level} coverage · Sketched \d+ panels"))
        note.wait_for(state="attached", timeout=120_000)  # on the Story tab, hidden: Plan went to the board
        panels[level] = int(re.search(r"(\d+) shots", note.text_content()).group(1))
        page.wait_for_function(f"document.querySelectorAll('#board .sb-card img').length === {panels[level]}")
    assert panels["dense"] > panels["sparse"], panels
