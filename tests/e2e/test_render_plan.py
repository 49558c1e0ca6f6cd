"""The Render tab says what the renderer will do with the model in the Model box, before rendering: in a real
browser, at a laptop's 1440×900 and at 800 px wide."""

from __future__ import annotations

import pytest

from .test_studio import open_tab

SHOTS = "/tmp/render-plan-{}.png"


@pytest.fixture(scope="module")
def tiny_sdxl(tmp_path_factory):
    pytest.importorskip("diffusers")
    from tests.fixtures import tiny_sdxl

    return tiny_sdxl.save_sdxl_pipeline_distinct(tmp_path_factory.mktemp("plan-models") / "tiny-sdxl")


def plan_says(page, text: str) -> None:
    page.wait_for_function("text => document.querySelector('#render-plan').innerText.includes(text)", arg=text,
                           timeout=20_000)


def test_the_render_plan_follows_the_model_box(page, app_url, tiny_sdxl):
    url, _ = app_url
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(url)
    open_tab(page, "4 · Render")
    page.get_by_text("Diffusion settings").click()
    plan_says(page, "SD 1.5 model")  # on load: the default model (an empty box)
    assert "the default" in page.locator("#render-plan").inner_text()

    box = page.locator("#render-model textarea, #render-model input").first
    box.fill(str(tiny_sdxl))
    plan_says(page, "SDXL model")
    shown = page.locator("#render-plan").inner_text()
    assert "xinsir/controlnet-scribble-sdxl-1.0" in shown and "native 1024 px" in shown
    assert "Memory plan for SDXL 768×768" in shown and "this machine" in shown
    page.locator("#render-plan").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("1440"))
    page.set_viewport_size({"width": 800, "height": 900})
    page.wait_for_timeout(300)
    page.locator("#render-plan").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("800"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 800, f"the page scrolls sideways at 800 px ({width} px wide)"

    page.set_viewport_size({"width": 1440, "height": 900})
    missing = str(tiny_sdxl.parent / "no-such-model")
    box.fill(missing)
    plan_says(page, f"model folder not found: {missing}")
    assert page.locator("#render-plan").inner_text().strip().count("\n") == 0  # one line
    assert page.locator("[data-testid='status-tracker'] span.error", has_text="Error").count() == 0
    page.locator("#render-plan").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("note-1440"))
