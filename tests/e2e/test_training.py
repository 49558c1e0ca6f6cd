"""Training a character in the browser: pictures → crops → Train (live) → the cast table shows the LoRA."""

from __future__ import annotations

import re

from tests.e2e.test_studio import STORY, open_tab, plan_text
from tests.training.conftest import toy_pictures  # noqa: F401  (fixture)


def test_train_a_character_in_the_studio(page, app_url, tiny_model, toy_pictures):  # noqa: F811 - fixtures
    url, _ = app_url
    plan_text(page, url, STORY, "Training Board")
    open_tab(page, "3 · Characters")
    pick = page.locator("#character-pick input")
    pick.click()
    pick.press_sequentially("Mara")  # typed: the list narrows to "Mara — n shots", and Enter picks it
    pick.press("Enter")
    page.get_by_text("Train a LoRA from 3–20 pictures").click()
    page.locator("#train-pictures input[type=file]").set_input_files([str(p) for p in toy_pictures])
    page.get_by_role("button", name="Check pictures and crops").click()
    page.locator("#train-summary").get_by_text(re.compile("Trigger word")).wait_for()
    assert page.locator("#train-crops img").count() == 4
    page.locator("#train-model textarea, #train-model input").first.fill(str(tiny_model))
    page.locator("#train-resolution").get_by_text("256", exact=True).click()
    steps = page.locator("#train-steps input[type=number]")
    steps.fill("20")
    steps.press("Enter")
    page.get_by_role("button", name="Train", exact=True).click()
    page.locator("#train-summary").get_by_text(re.compile(r"Trained \*?\*?20 steps|Trained 20 steps")).wait_for(
        timeout=180_000)
    page.wait_for_function("document.querySelector('#cast-table').innerText.includes('loras/mara/mara.safetensors')")
