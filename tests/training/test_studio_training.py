"""The Characters tab's handlers: check pictures, train with progress and cancel, import a LoRA."""

from __future__ import annotations

import pytest

from storyboard.errors import Cancelled, InputError
from storyboard.ui import cast_training, handlers, session


@pytest.fixture()
def board(tmp_path, monkeypatch, nlp):
    monkeypatch.setenv("STORYBOARD_SESSIONS", str(tmp_path / "sessions"))
    folder = session.new_session()
    handlers.plan(folder, "Mara, a young woman, waits at the station. Tom arrives. Mara smiles.", "", "", "16:9")
    return folder


def test_check_train_and_cancel_from_the_studio(board, tiny_model, toy_pictures, tmp_path):
    crops, captions, prepared = cast_training.prepare_character(board, "Mara", [str(p) for p in toy_pictures])
    assert len(crops) == 4 and all(label.startswith("saliency") for _, label in crops)
    assert captions.splitlines() == [f"a photo of {prepared.trigger} woman"] * 4
    assert cast_training.training_estimate(500).startswith("500 steps take about")
    with pytest.raises(InputError, match="trigger word"):
        cast_training.train_character(board, "Mara", [str(p) for p in toy_pictures], "", "a photo of someone",
                                      str(tiny_model), 10, 4, 256)

    def cancel_at_3(done, total, message):
        if done == 3:
            handlers.cancel(board)

    with pytest.raises(Cancelled):
        cast_training.train_character(board, "Mara", [str(p) for p in toy_pictures], "", captions, str(tiny_model),
                                      10, 4, 256, progress=cancel_at_3)
    seen = []
    view, previews, summary = cast_training.train_character(
        board, "Mara", [str(p) for p in toy_pictures], "", captions, str(tiny_model), 10, 4, 256,
        progress=lambda done, total, message: seen.append(message))
    assert "resumed from step 3" in summary and prepared.trigger in summary
    assert seen and "loss" in seen[-1]
    row = next(r for r in view.cast_table if r[0] == "Mara")
    assert row[3] == prepared.trigger and row[4] == "loras/mara/mara.safetensors"

    from diffusers import StableDiffusionPipeline

    from tests.fixtures.tiny_sd import save_lora

    lora = save_lora(StableDiffusionPipeline.from_pretrained(str(tiny_model)), tmp_path / "tom.safetensors", seed=5)
    view = cast_training.import_character_lora(board, "Tom", str(lora))
    assert next(r for r in view.cast_table if r[0] == "Tom")[4] == "loras/tom/tom.safetensors"


def test_live_training_streams_previews_then_the_result(board, tiny_model, toy_pictures):
    files = [str(p) for p in toy_pictures]
    updates = list(cast_training.train_character_live(board, "Mara", files, "", "", str(tiny_model), 100, 4, 64))
    previews, view, summary = updates[-1]
    assert view is not None and "Trained **100 steps**" in summary
    assert [label for _, label in previews] == ["step 100"] and previews[0][0].size == (64, 64)
    assert all(v is None for _, v, _ in updates[:-1])
    with pytest.raises(InputError, match="no character called"):
        list(cast_training.train_character_live(board, "Nobody", files, "", "", str(tiny_model), 10, 4, 64))
