"""Blueprints: figures by shot size and count, thirds, eye line, horizon by angle, aspect ratio."""

from __future__ import annotations

import pytest

from storyboard.layout import FIGURE_HEADS, blueprint, screen_sides
from storyboard.project import Character, DialogueLine, Project, Scene


def _project(aspect="16:9"):
    return Project(aspect_ratio=aspect, characters=[Character("Mara"), Character("Tom"), Character("Ana")])


def _plan(shot="MS", chars=("Mara",), angle="eye level", aspect="16:9", **fields):
    project = _project(aspect)
    scene = Scene(number="1", id="s0001", shot=shot, angle=angle, characters=list(chars), **fields)
    return blueprint(scene, project)


def test_closer_shots_make_bigger_heads():
    heads = [_plan(shot).figures[0].head for shot in ("LS", "MLS", "MS", "MCU", "CU")]
    assert heads == sorted(heads)


def test_long_shot_shows_the_whole_figure_in_frame():
    fig = _plan("LS").figures[0]
    x0, top, x1, feet = fig.box
    assert 0 < top < 0.2 and 0.8 < feet <= 1.0
    assert feet - top == pytest.approx(fig.head * FIGURE_HEADS)


def test_close_up_crops_below_the_shoulders():
    fig = _plan("CU").figures[0]
    assert fig.box[3] > 1.5  # the body continues far below the frame
    assert 0 <= fig.head_y - fig.head / 2 < 0.15  # a little headroom


def test_single_figure_sits_on_a_third_looking_into_the_frame():
    fig = _plan("MS").figures[0]
    assert fig.x == pytest.approx(1 / 3) or fig.x == pytest.approx(2 / 3)
    assert (fig.x - 0.5) * fig.facing < 0  # lead room: faces the open side


def test_two_shot_faces_each_other_on_one_eye_line():
    a, b = sorted(_plan("two-shot", ("Mara", "Tom")).figures, key=lambda f: f.x)
    assert (a.x, b.x) == (pytest.approx(1 / 3), pytest.approx(2 / 3))
    assert a.facing > 0 > b.facing
    assert a.head_y == b.head_y


def test_over_the_shoulder_puts_the_listener_in_the_foreground():
    plan = _plan("OTS", ("Tom", "Mara"), dialogue=[DialogueLine("Mara", "Go.")])
    speaker = next(f for f in plan.figures if f.name == "Mara")
    listener = next(f for f in plan.figures if f.name == "Tom")
    assert listener.back and not speaker.back
    assert listener.head > speaker.head
    assert abs(listener.x - 0.5) > abs(speaker.x - 0.5)
    assert plan.figures[-1] is listener  # drawn last, in front


def test_crowd_spreads_inside_the_frame():
    xs = [f.x for f in _plan("MLS", ("Mara", "Tom", "Ana")).figures]
    assert sorted(xs) == pytest.approx([0.16, 0.5, 0.84])


def test_close_shots_show_only_the_main_character():
    assert [f.name for f in _plan("CU", ("Mara", "Tom")).figures] == ["Mara"]


def test_insert_has_no_figures_and_names_the_object():
    plan = _plan("insert", ("Mara",), action="Mara finds a letter.")
    assert plan.figures == [] and plan.insert_label == "letter"


@pytest.mark.parametrize(
    "angle, check",
    [
        ("high", lambda h: h < 0.2),
        ("low", lambda h: h > 0.8),
        ("worm's eye", lambda h: h > 0.9),
        ("bird's eye", lambda h: h is None),
    ],
)
def test_camera_angle_sets_the_horizon(angle, check):
    assert check(_plan("MS", angle=angle).horizon)


def test_eye_level_horizon_passes_through_the_eyes_and_dutch_tilts():
    plan = _plan("MS")
    assert plan.horizon == pytest.approx(plan.figures[0].head_y)
    assert _plan("MS", angle="dutch").tilt_deg != 0


def test_same_scene_gives_the_same_layout_in_any_aspect():
    wide, tall = _plan("MS", aspect="2.39:1"), _plan("MS", aspect="9:16")
    assert wide.figures[0].x == tall.figures[0].x
    assert (wide.ratio, tall.ratio) == (2.39, 9 / 16)
    assert _plan("MS") == _plan("MS")


def test_two_shot_in_a_tall_frame_does_not_overlap():
    a, b = sorted(_plan("two-shot", ("Mara", "Tom"), aspect="9:16").figures, key=lambda f: f.x)
    ratio = 9 / 16
    # boxes are in frame-height units horizontally too: convert x to the same units
    assert a.x * ratio + a.head * 0.85 <= b.x * ratio - b.head * 0.85 + 1e-9


# -- staging: sides kept through a scene, movers, poses on the ground -------------------------------------------


def _dialogue_board():
    project = Project(characters=[Character("Mara"), Character("Tom")])
    lines = {"Mara": [DialogueLine("Mara", "You're late.")], "Tom": [DialogueLine("Tom", "The boat.")]}
    project.scenes = [
        Scene(number="3", id="a", shot="two-shot", characters=["Mara", "Tom"], dialogue=lines["Mara"]),
        Scene(number="3A", id="b", shot="OTS", characters=["Tom", "Mara"], dialogue=lines["Tom"]),
        Scene(number="3B", id="c", shot="OTS", characters=["Mara", "Tom"], dialogue=lines["Mara"]),
        Scene(number="3C", id="d", shot="MCU", characters=["Tom"], dialogue=lines["Tom"]),
        Scene(number="3D", id="e", shot="MCU", characters=["Mara"], dialogue=lines["Mara"]),
    ]
    return project


@pytest.mark.parametrize("seed", [0, 1, 7, 12345])
def test_each_character_keeps_their_side_of_the_frame_through_a_dialogue_scene(seed):
    project = _dialogue_board()
    for scene in project.scenes:
        scene.seed = seed  # a re-roll never flips the axis
    plans = [blueprint(s, project) for s in project.scenes]
    two = {f.name: f for f in plans[0].figures}
    mara_side = 1 if two["Mara"].x > 0.5 else -1
    assert (two["Mara"].x - 0.5) * (two["Tom"].x - 0.5) < 0
    assert two["Mara"].facing * mara_side < 0 < two["Tom"].facing * mara_side  # they face each other
    for plan in plans[1:]:
        for fig in plan.figures:
            side = mara_side if fig.name == "Mara" else -mara_side
            assert (fig.x - 0.5) * side > 0, (plan.number, fig.name)
            if not fig.back:
                assert fig.facing * side < 0, (plan.number, fig.name)  # looks across the axis at the other


def test_the_reverse_over_the_shoulder_mirrors_the_first():
    project = _dialogue_board()
    first, reverse = blueprint(project.scenes[1], project), blueprint(project.scenes[2], project)
    back_first = next(f for f in first.figures if f.back)
    back_reverse = next(f for f in reverse.figures if f.back)
    assert back_first.name != back_reverse.name
    assert back_first.x == pytest.approx(1 - back_reverse.x)


def test_movers_face_the_way_the_scene_travels_and_keep_it():
    project = Project(characters=[Character("Tom"), Character("Rex", description="a dog")])
    project.scenes = [Scene(number="4", id="a", shot="LS", move="truck", characters=["Tom", "Rex"],
                            action="Tom runs down the alley. Rex chases him."),
                      Scene(number="4A", id="b", shot="MS", characters=["Tom"], action="Tom runs on.")]
    chase, single = (blueprint(s, project) for s in project.scenes)
    directions = {f.facing > 0 for f in chase.figures} | {single.figures[0].facing > 0}
    assert len(directions) == 1  # everyone runs the same way, in both shots
    travel = 1 if directions.pop() else -1
    assert chase.move_direction == travel  # and the camera trucks with them
    assert (single.figures[0].x - 0.5) * travel < 0  # lead room ahead of the runner
    assert [f.pose for f in chase.figures] == ["run", "run"]


def test_a_kneeling_figure_keeps_its_feet_on_the_ground():
    stand = _plan("LS", ("Mara",), action="Mara waits.").figures[0]
    kneel = _plan("LS", ("Mara",), action="Mara kneels.").figures[0]
    assert kneel.pose == "kneel" and kneel.head_y > stand.head_y + 1.0 * stand.head


def test_the_seed_changes_pose_details_not_the_layout():
    a, b = _plan("MS", seed=1), _plan("MS", seed=2)
    assert (a.figures[0].x, a.figures[0].facing) == (b.figures[0].x, b.figures[0].facing)
    assert a.figures[0].variant != b.figures[0].variant


def test_a_figures_pixel_box_follows_its_pose_for_the_per_character_masks():
    stand = _plan("LS", ("Mara",), action="Mara waits.").figures[0].pixel_box(960, 540)
    lie = _plan("LS", ("Mara",), action="Mara lies asleep on the sand.").figures[0].pixel_box(960, 540)
    assert stand[3] - stand[1] > 2 * (stand[2] - stand[0])
    assert lie[2] - lie[0] > 2 * (lie[3] - lie[1])


def test_a_new_character_earlier_in_the_scene_makes_a_panel_out_of_date():
    from storyboard.project import Panel
    from storyboard.render import inputs_digest, out_of_date

    project = _dialogue_board()
    single = project.scenes[3]
    single.panel = Panel(path="panels/x.png", backend="sketch", inputs=inputs_digest(single, project))
    assert not out_of_date(single, project)
    project.scenes[0].characters = ["Tom", "Mara"]  # Tom now enters first: the sides swap
    assert screen_sides(single, project) != screen_sides(project.scenes[1], _dialogue_board())
    assert out_of_date(single, project)
