"""The app module: builds, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def build(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYBOARD_SESSIONS", str(tmp_path))
    for name in ("STORYBOARD_SHARED", "STORYBOARD_MODELS", "STORYBOARD_MODEL", "SPACE_ID"):
        monkeypatch.delenv(name, raising=False)
    from storyboard.ui.app import build_app

    return build_app


def fns_named(demo, name: str) -> list:
    return [fn for fn in demo.fns.values() if getattr(fn.fn, "__name__", "") == name]


def by_elem_id(demo, elem_id: str):
    return next(block for block in demo.blocks.values() if getattr(block, "elem_id", None) == elem_id)


def test_the_app_builds_with_every_tab_and_serves_no_session_folder(build, tmp_path):
    from storyboard.ui.app import launch_options

    demo = build()
    labels = [block.label for block in demo.blocks.values() if block.__class__.__name__ == "Tab"]
    assert labels == ["1 · Story", "2 · Board", "3 · Characters", "4 · Render", "5 · Export"]
    served = launch_options().get("allowed_paths", [])
    assert not any(tmp_path.resolve().is_relative_to(Path(p).resolve()) for p in served)
    # no run history: gradio would store every event's inputs and outputs (the whole board) in the browser
    assert launch_options()["run_history"] is False and ".sb-card" in launch_options()["css"]


def test_gpu_jobs_never_rewrite_the_selection_or_the_scene_form(build):
    demo = build()
    form = {id(by_elem_id(demo, e)) for e in ("dialogue", "duration", "shot", "scene-heading", "lock")}
    gpu = [fn for fn in demo.fns.values() if fn.concurrency_id == "gpu"]
    assert len(gpu) >= 5  # render, redraw, re-roll, re-roll flagged, train
    for fn in gpu:
        assert not form & {id(block) for block in fn.outputs}, fn.name
        assert all(block.__class__.__name__ != "State" for block in fn.outputs), fn.name  # not the selection
        assert len(fn.show_progress_on or []) == 1, fn.name  # one progress indicator, not one per output


def test_a_pick_and_a_move_send_only_what_they_change(build):
    demo = build()
    board = by_elem_id(demo, "board")
    (pick,) = fns_named(demo, "on_pick")
    (move,) = fns_named(demo, "on_reorder")
    assert {block.elem_id for block in pick.outputs if block.elem_id} == {
        "scene-heading", "lock", "shot", "angle", "move", "duration", "characters", "action", "dialogue"}
    assert board not in pick.outputs and not pick.queue  # the page highlights the card; the form comes back
    assert [getattr(block, "elem_id", None) for block in move.outputs] == ["status", "board"]


def test_oversized_story_text_gets_a_message_on_the_field(build):
    from storyboard.planning.text import MAX_INPUT_BYTES

    demo = build()
    (plan,) = [fn for fn in fns_named(demo, "on_plan") if fn.validator is not None]
    verdicts = plan.validator(None, "x" * (MAX_INPUT_BYTES + 1), "", "", "16:9", "auto", "normal")
    assert [v["is_valid"] for v in verdicts] == [True, False, True, True, True, True, True]
    assert "limit is 10 MB" in verdicts[1]["message"]
    assert all(v["is_valid"] for v in plan.validator(None, "Mara runs.", "", "", "16:9", "auto", "normal"))


def test_a_shared_server_refuses_server_paths_in_the_model_boxes(build, tmp_path):

    demo = build(shared=True)
    (render,) = fns_named(demo, "on_render")
    weights = tmp_path / "weights.safetensors"
    weights.write_bytes(b"x")
    for model in (str(weights), str(tmp_path / "missing.safetensors")):
        choices = ["diffusion", model, 30, 7.5, "default", 768, "", ""]
        verdicts = render.validator(None, None, None, False, *choices)
        assert [v["message"] for v in verdicts if not v["is_valid"]] == [
            "this server offers only these models: stable-diffusion-v1-5/stable-diffusion-v1-5"]
        with pytest.warns(UserWarning, match="offers only these models"):  # the event itself checks too: a toast
            assert list(render.fn(None, None, None, False, *choices)) == []  # and no component changes
    sketch = ["sketch", str(weights), 30, 7.5, "default", 768, "", ""]
    assert all(v["is_valid"] for v in render.validator(None, None, None, False, *sketch))  # the sketch ignores the box
    (private,) = fns_named(build(shared=False), "on_render")
    assert all(v["is_valid"] for v in private.validator(None, None, None, False, "diffusion", str(weights), 30, 7.5,
                                                        "default", 768, "", ""))


def test_importing_the_app_loads_no_heavy_library():
    code = ("import sys; sys.argv=['app.py']; import app, storyboard.ui, storyboard.cli, storyboard.studio; "
            "heavy = [m for m in ('spacy', 'torch', 'diffusers', 'transformers', 'gradio') if m in sys.modules]; "
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_plan_lands_on_a_sketched_board_and_a_bad_story_fails_no_output(build, nlp):
    import gradio as gr

    from storyboard.ui import handlers, session

    demo = build()
    tabs = next(block for block in demo.blocks.values() if block.__class__.__name__ == "Tabs")
    result = next(fn for fn in fns_named(demo, "on_plan") if fn.validator is not None)
    folder = session.new_session()
    progress = gr.Progress()  # no tracker outside a request: reports go nowhere
    with pytest.warns(UserWarning, match="the story is empty"):  # gr.Warning outside a request: a toast in one
        empty = (folder, "   ", "", "", "16:9", "auto", "normal", "", "letters", progress)
        assert list(result.fn(*empty)) == []  # no output
    with pytest.warns(UserWarning, match="coverage must be one of"):
        assert list(result.fn(folder, "Mara runs.", "", "", "16:9", "auto", "often", "", "letters", progress)) == []
    planned, *streamed, sketched = result.fn(folder, handlers.example_text(), "", "", "16:9", "auto", "normal", "",
                                             "letters", progress)
    assert planned[tabs].selected == "board"  # the artist lands on the board
    view = handlers.view(folder)
    assert len(view.gallery) == len(view.cards) and f"{len(view.cards)} rendered" in view.status
    notes = [value for block, value in sketched.items() if getattr(block, "elem_id", "") == "render-result"]
    assert notes == [f"Sketched {len(view.cards)} panels."]
    cards = next(value for block, value in sketched.items() if getattr(block, "elem_id", "") == "board")
    assert cards.count("gradio_api/file=") == len(view.cards)  # the sketches on the cards, not the selection or form
    for update in (*streamed, sketched):
        assert not {"dialogue", "duration", "scene-heading"} & {getattr(block, "elem_id", "") for block in update}


def test_a_bad_field_gets_its_message_and_the_fix_clears_it(build, nlp):
    import dataclasses

    from storyboard.ui import handlers, session

    demo = build()
    (save,) = fns_named(demo, "on_save")
    field = {getattr(block, "elem_id", None): block for block in save.outputs}
    folder = session.new_session()
    view = handlers.plan(folder, handlers.example_text(), "", "", "16:9")
    before = (session.check(folder) / "project.json").read_text(encoding="utf-8")
    values = dataclasses.astuple(dataclasses.replace(view.form.values, duration_s="abc", shot="GIANT"))
    update = save.fn(folder, view.selected, [], *values)
    assert update[field["duration"]]["info"] == "⚠ duration must be a number of seconds, got 'abc'"
    assert update[field["shot"]]["info"].startswith("⚠ shot size: unknown shot size 'GIANT'")
    flagged = next(value for block, value in update.items() if block.__class__.__name__ == "State")
    assert flagged == ["duration_s", "shot"]
    assert {getattr(block, "elem_id", None) for block in update} == {"duration", "shot", None}  # nothing else
    assert (session.check(folder) / "project.json").read_text(encoding="utf-8") == before  # nothing saved

    values = dataclasses.astuple(dataclasses.replace(view.form.values, duration_s="4.5 s", shot="CU"))
    update = save.fn(folder, view.selected, flagged, *values)
    assert update[field["duration"]] == {"__type__": "update", "value": "4.5", "info": ""}  # normalised, cleared
    assert update[field["shot"]]["info"] == "" and "4.5 s" in update[field["board"]]
    assert field["action"] not in update  # unchanged fields are not sent


def test_plan_shows_the_selected_scenes_characters_with_the_casts_names(build, nlp):
    import gradio as gr

    from storyboard.ui import handlers, session

    demo = build()
    plan = next(fn for fn in fns_named(demo, "on_plan") if fn.validator is not None)
    first = next(iter(plan.fn(session.new_session(), handlers.example_text(), "", "", "16:9", "auto", "normal", "",
                              "letters", gr.Progress())))
    characters = next(value for block, value in first.items() if getattr(block, "elem_id", "") == "characters")
    assert characters["choices"] == ["Mara", "Tom", "Old Fisherman"] and characters["value"] == ["Mara"]
