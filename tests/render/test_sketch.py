"""The sketch renderer and the render stage: pixels, determinism, provenance, skipping."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from storyboard import film, store
from storyboard.errors import RenderError
from storyboard.layout import blueprint
from storyboard.project import Character, Project, Scene
from storyboard.render import base, inputs_digest, out_of_date, render_scenes
from storyboard.render.sketch import PAPER


def _project(**scene_fields):
    project = Project(title="T", characters=[Character("Mara"), Character("Tom")])
    project.scenes = [Scene(number="1", characters=["Mara"], **scene_fields), Scene(number="2", characters=["Tom"])]
    project.validate()
    return project


def _draw(project, scene, long_side=480):
    size = film.frame_size(project.aspect_ratio, long_side)
    return base.get("sketch").render(scene, blueprint(scene, project), project, size, {}).image


def test_panel_size_follows_the_aspect_ratio():
    project = _project()
    for aspect in film.ASPECT_RATIOS:
        project.aspect_ratio = aspect
        image = _draw(project, project.scenes[0])
        assert image.size == film.frame_size(aspect, 480)
        assert image.mode == "L"


def test_same_scene_same_pixels():
    project = _project(shot="LS", move="pan")
    assert _draw(project, project.scenes[0]).tobytes() == _draw(project, project.scenes[0]).tobytes()


def test_each_character_keeps_one_tone_on_every_panel():
    project = _project(shot="MS")
    for scene in project.scenes:
        plan = blueprint(scene, project)
        fig = plan.figures[0]
        image = _draw(project, scene)
        w, h = image.size
        # the torso, one head below the chin, is filled with the character's tone
        torso = image.getpixel((int(fig.x * w), int((fig.head_y + 1.6 * fig.head) * h)))
        assert torso == project.tone(fig.name)
    assert project.tone("Mara") != project.tone("Tom")


def test_figure_is_where_the_blueprint_says():
    project = _project(shot="MS")
    scene = project.scenes[0]
    fig = blueprint(scene, project).figures[0]
    image = _draw(project, scene)
    w, h = image.size
    mirror_x = 1 - fig.x  # the other third is empty paper at the same height
    y = int((fig.head_y + 1.6 * fig.head) * h)
    assert image.getpixel((int(fig.x * w), y)) != PAPER
    assert image.getpixel((int(mirror_x * w), y)) in (PAPER, 175, 215, 222)  # paper or a faint guide line


@pytest.mark.parametrize("field, value", [("move", "dolly in"), ("angle", "dutch"), ("shot", "CU"), ("angle", "high")])
def test_film_grammar_changes_the_drawing(field, value):
    project = _project()
    plain = _draw(project, project.scenes[0])
    setattr(project.scenes[0], field, value)
    assert _draw(project, project.scenes[0]).tobytes() != plain.tobytes()


def test_unknown_renderer_is_a_clear_error():
    with pytest.raises(RenderError, match="unknown renderer 'oil-paint'.*sketch"):
        base.get("oil-paint")


def test_render_stage_writes_panels_with_provenance(tmp_path):
    project = _project()
    drawn = render_scenes(project, tmp_path)
    assert drawn == ["1", "2"]
    panel = project.scenes[0].panel
    image = Image.open(tmp_path / panel.path)
    meta = json.loads(image.text["storyboard"])
    assert meta["scene"] == "1" and meta["backend"] == "sketch" and meta["fingerprint"] == panel.fingerprint
    assert store.load(tmp_path).scenes[0].panel == panel


def test_up_to_date_panels_are_skipped_and_edits_redraw(tmp_path):
    project = _project()
    render_scenes(project, tmp_path)
    assert render_scenes(project, tmp_path) == []
    project.scenes[1].action = "Tom waves."
    assert render_scenes(project, tmp_path) == ["2"]
    assert render_scenes(project, tmp_path, force=True) == ["1", "2"]


def test_locked_panels_are_frozen(tmp_path):
    project = _project()
    render_scenes(project, tmp_path)
    project.scenes[0].locked = True
    project.scenes[0].shot = "CU"
    before = project.scenes[0].panel
    assert render_scenes(project, tmp_path) == []
    assert render_scenes(project, tmp_path, numbers=["1"], force=True) == []  # asked for by number: still frozen
    assert project.scenes[0].panel == before
    assert out_of_date(project.scenes[0], project)  # and the board says its panel no longer matches the scene
    project.scenes[0].locked = False
    assert render_scenes(project, tmp_path, numbers=["1"]) == ["1"]
    assert not out_of_date(project.scenes[0], project)


def test_a_panel_is_out_of_date_when_its_scene_cast_or_board_changes(tmp_path):
    project = _project()
    render_scenes(project, tmp_path)
    assert not any(out_of_date(s, project) for s in project.scenes)
    project.aspect_ratio = "2.39:1"
    assert all(out_of_date(s, project) for s in project.scenes)
    project.aspect_ratio = "16:9"
    project.scenes[1].action = "Something else happens."
    assert [out_of_date(s, project) for s in project.scenes][:2] == [False, True]
    project.scenes[1].panel.inputs = ""  # a panel from before the board kept its inputs: not called stale
    assert not out_of_date(project.scenes[1], project)


def test_what_only_the_caption_shows_leaves_the_panel_current(tmp_path):
    project = _project()
    render_scenes(project, tmp_path)
    first = project.scenes[0]
    first.duration_s, first.transition, first.notes = 7.5, "DISSOLVE TO:", "hold on the look"
    assert not out_of_date(first, project)
    assert render_scenes(project, tmp_path) == []  # nothing to draw again
    first.panel.inputs = inputs_digest(first, project, legacy=True)  # kept before captions were left out: current
    assert not out_of_date(first, project)
    first.action = "Someone else arrives."
    assert out_of_date(first, project)


def test_a_sketch_shows_the_printed_shot_number_and_a_new_number_needs_a_new_panel(tmp_path):
    project = Project(scenes=[Scene(number=n, id=f"s{i}", action="Mara waits.", characters=["Mara"])
                              for i, n in enumerate(["1", "2A", "2B"])], characters=[Character("Mara")])
    render_scenes(project, tmp_path)
    assert [s.panel.settings["shot_number"] for s in project.scenes] == ["1", "2A", "2B"]
    with Image.open(tmp_path / project.scenes[2].panel.path) as image:
        letters = image.convert("L").crop((0, 0, 200, 40))
    project.shot_numbering = "dashes"
    assert [out_of_date(s, project) for s in project.scenes] == [True, True, True]  # they show 2A, not 2-1
    assert render_scenes(project, tmp_path) == ["1", "2A", "2B"]
    assert [s.panel.settings["shot_number"] for s in project.scenes] == ["1-1", "2-1", "2-2"]
    assert not any(out_of_date(s, project) for s in project.scenes)
    with Image.open(tmp_path / project.scenes[2].panel.path) as image:
        assert image.convert("L").crop((0, 0, 200, 40)).tobytes() != letters.tobytes()  # the corner tag changed
    plan = blueprint(project.scenes[2], project)
    assert plan.number == "2-2" and plan.label.startswith("2-2 · ")
    assert render_scenes(project, tmp_path, numbers=["2-2"], force=True) == ["2B"]  # as printed, or as stored
    project.scenes.insert(2, Scene(number="2AA", id="new", action="Tom waits."))  # a shot between 2-1 and 2-2
    assert [out_of_date(s, project) for s in project.scenes] == [False, False, False, True]  # 2-2 is now 2-3


def test_scene_selection(tmp_path):
    project = _project()
    assert render_scenes(project, tmp_path, numbers=["2"]) == ["2"]
    assert project.scenes[0].panel is None
    with pytest.raises(RenderError, match="no scene numbered 7"):
        render_scenes(project, tmp_path, numbers=["7"])


def test_renumbered_scene_replaces_its_old_file(tmp_path):
    project = _project()
    render_scenes(project, tmp_path)
    old = tmp_path / project.scenes[1].panel.path
    project.scenes[1].number = "5"
    render_scenes(project, tmp_path)
    assert not old.exists()
    assert (tmp_path / project.scenes[1].panel.path).is_file()


def test_cancel_keeps_finished_panels(tmp_path):
    from storyboard.errors import Cancelled
    from storyboard.progress import CancelToken

    project = _project()
    token = CancelToken()

    def progress(done, total, message):
        if done == 1:
            token.cancel()

    with pytest.raises(Cancelled):
        render_scenes(project, tmp_path, progress=progress, cancel=token)
    saved = store.load(tmp_path)
    assert saved.scenes[0].panel is not None and saved.scenes[1].panel is None
