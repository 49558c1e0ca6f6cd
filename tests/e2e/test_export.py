"""The Export tab in a real browser: a stale panel is named before exporting, the animatic plays in the page, the
Storyboarder scenes and the timeline download as ZIPs named from the title, and one click renders what is stale."""

from __future__ import annotations

import zipfile

from pypdf import PdfReader

from .test_studio import STORY, open_tab, plan_text


def test_export_tab_warns_exports_previews_and_renders_what_is_stale(page, app_url, tmp_path):
    url, _ = app_url
    plan_text(page, url, STORY, "The Ferry")
    open_tab(page, "1 · Story")
    page.locator("#author textarea, #author input").first.fill("Harbour Lights")
    page.get_by_role("button", name="Apply title, author, numbers, style and aspect to this board").click()
    open_tab(page, "2 · Board")
    page.locator("#dialogue textarea").fill("MARA: A changed line.")
    page.locator("#save-scene").click()
    page.wait_for_function("document.querySelectorAll('#board .sb-stale').length === 1")

    open_tab(page, "5 · Export")
    warning = page.locator("#export-warnings")
    warning.get_by_text("out of date: shot 1.").wait_for()
    for label in ("Animatic (MP4)", "Storyboarder scenes", "EDL (Avid, any editor)"):
        page.get_by_label(label).check()
    page.locator("#pdf-cover input").check()
    page.locator("#export").click()
    page.locator("#export-result").get_by_text("Exported 5 files.").wait_for(timeout=180_000)
    assert "Shown as blank frames: out of date: shot 1." in page.locator("#export-result").inner_text()
    page.wait_for_function("document.querySelector('#animatic-preview video')?.src?.includes('.mp4')")

    names = sorted(page.locator("#downloads a[download]").evaluate_all("links => links.map(a => a.download)"))
    assert names == ["the-ferry-animatic.mp4", "the-ferry-storyboard.pdf", "the-ferry-storyboarder.zip",
                     "the-ferry-strip.png", "the-ferry-timeline.zip"]
    with page.expect_download() as info:
        page.locator("#downloads a[download='the-ferry-storyboarder.zip']").click()
    saved = tmp_path / "sb.zip"
    info.value.save_as(saved)
    assert any(name.endswith(".storyboarder") for name in zipfile.ZipFile(saved).namelist())
    with page.expect_download() as info:
        page.locator("#downloads a[download='the-ferry-storyboard.pdf']").click()
    info.value.save_as(tmp_path / "board.pdf")
    cover = PdfReader(tmp_path / "board.pdf").pages[0].extract_text()
    assert "The Ferry" in cover and "Harbour Lights" in cover and "running time" in cover

    page.locator("#render-first").click()
    page.locator("#export-result").get_by_text("Rendered 1 panel; export when ready.").wait_for(timeout=120_000)
    page.wait_for_function("document.querySelector('#export-warnings').innerText.trim() === ''")
    assert not page.locator("#render-first").is_visible()
