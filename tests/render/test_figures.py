"""draw_figure: poses, builds and animals read in the ink, boxes and hands agree with what is drawn."""

from __future__ import annotations

import time

import numpy as np
import pytest

from storyboard.layout import Figure
from storyboard.poses import KINDS, POSES, Build
from storyboard.render.figures import Drawn, draw_figure, figure_box
from storyboard.render.sketch import _Canvas

W, H = 1920, 1080


def _figure(**kw) -> Figure:
    base = dict(name="A", tone=110, x=0.5, head_y=0.12, head=0.1, facing=0.0)
    base.update(kw)
    return Figure(**base)


def _draw(fig: Figure) -> tuple[np.ndarray, Drawn]:
    canvas = _Canvas(W, H, 0)
    drawn = draw_figure(canvas, fig)
    return np.asarray(canvas.image), drawn


def _ink(pixels: np.ndarray) -> tuple[int, int, int, int]:
    ys, xs = np.nonzero(pixels < 240)
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


def _size(box):
    return box[2] - box[0], box[3] - box[1]


def test_kneeling_is_shorter_than_standing_on_the_same_ground():
    stand, _ = _draw(_figure())
    kneel, _ = _draw(_figure(pose="kneel", facing=0.8))
    s, k = _ink(stand), _ink(kneel)
    assert _size(k)[1] < 0.82 * _size(s)[1]
    assert abs(k[3] - s[3]) < 0.02 * H  # both on the floor


def test_lying_figure_is_wider_than_tall():
    x0, y0, x1, y1 = _ink(_draw(_figure(pose="lie", facing=1.0, x=0.5, head_y=0.1, head=0.08))[0])
    assert x1 - x0 > 3 * (y1 - y0)


def _centroid(pixels: np.ndarray, box) -> float:
    """Mean x of the ink in the band of the eyes, nose and mouth (the head's outline is the same either way)."""
    x0, y0, x1, y1 = (int(v) for v in box)
    band = y0 + (y1 - y0) * 45 // 100, y0 + (y1 - y0) * 80 // 100
    x0, x1 = x0 + (x1 - x0) // 8, x1 - (x1 - x0) // 8
    ys, xs = np.nonzero(pixels[band[0]:band[1], x0:x1] < 60)
    return xs.mean() + x0


def test_facing_moves_the_face():
    bald = Build(hair="bald")  # hair at the back of the head would pull the other way
    left, dl = _draw(_figure(facing=-1.0, build=bald))
    right, dr = _draw(_figure(facing=1.0, build=bald))
    front, df = _draw(_figure(facing=0.0, build=bald))
    cl, cr, cf = _centroid(left, dl.face), _centroid(right, dr.face), _centroid(front, df.face)
    assert cl < cf < cr
    assert cr - cl > 0.15 * (dr.face[2] - dr.face[0])


def test_child_is_shorter_with_the_same_feet():
    adult = _ink(_draw(_figure())[0])
    child = _ink(_draw(_figure(build=Build(height=0.65)))[0])
    assert _size(child)[1] == pytest.approx(0.65 * _size(adult)[1], rel=0.06)
    assert abs(child[3] - adult[3]) <= 0.02 * _size(adult)[1]


def test_a_dog_is_wide_and_low():
    person = _ink(_draw(_figure())[0])
    dog = _ink(_draw(_figure(build=Build(kind="dog"), facing=1.0))[0])
    assert _size(dog)[0] > _size(dog)[1]
    assert _size(dog)[1] < 0.55 * _size(person)[1]
    assert abs(dog[3] - person[3]) < 0.02 * H  # on the same ground


@pytest.mark.parametrize("change", [dict(hat=True), dict(hair="long"), dict(glasses=True), dict(coat=True),
                                    dict(beard=True), dict(hair="bald")])
def test_each_build_detail_changes_the_pixels(change):
    plain, _ = _draw(_figure(facing=0.3))
    dressed, _ = _draw(_figure(facing=0.3, build=Build(**change)))
    assert (plain != dressed).sum() > 200


def test_back_view_has_no_eyes():
    front, df = _draw(_figure(facing=0.5))
    back, db = _draw(_figure(facing=0.5, back=True))

    def dark(pixels, box):  # inside the head's outline
        x0, y0, x1, y1 = box
        dx, dy = (x1 - x0) * 0.22, (y1 - y0) * 0.22
        return (pixels[int(y0 + dy):int(y1 - dy), int(x0 + dx):int(x1 - dx)] < 60).sum()

    assert dark(back, db.face) < 0.5 * dark(front, df.face)


@pytest.mark.parametrize("pose", ("stand", "walk", "lie", "fall", "climb", "hold"))
def test_face_box_holds_the_head_ink(pose):
    pixels, drawn = _draw(_figure(pose=pose, facing=0.7, build=Build(hat=True, hair="long")))
    x0, y0, x1, y1 = (int(round(v)) for v in drawn.face)
    inside = (pixels[y0:y1, x0:x1] < 240).sum()
    assert inside > 0.5 * (x1 - x0) * (y1 - y0)
    bx0, by0, bx1, by1 = drawn.box
    assert bx0 <= x0 + 1 and by0 <= y0 + 1 and x1 <= bx1 + 1 and y1 <= by1 + 1


@pytest.mark.parametrize("pose", POSES)
def test_hand_is_inside_the_box(pose):
    _, drawn = _draw(_figure(pose=pose, facing=-0.8))
    x0, y0, x1, y1 = drawn.box
    assert x0 <= drawn.hand[0] <= x1 and y0 <= drawn.hand[1] <= y1
    assert 0.6 * 0.1 * H < drawn.grip < 1.0 * 0.1 * H


def test_held_prop_goes_in_front_of_the_chest():
    fig = _figure(pose="hold", facing=0.0)
    pixels, drawn = _draw(fig)
    x0, y0, x1, y1 = drawn.box
    cx = W * fig.x
    assert abs(drawn.hand[0] - cx) < 0.15 * (x1 - x0)  # in front of the body, not off to a side
    assert drawn.face[3] < drawn.hand[1] < drawn.face[3] + 3 * fig.head * H  # below the chin, above the hips
    assert pixels[int(drawn.hand[1]), int(drawn.hand[0])] < 240  # on the hands' ink
    _, side = _draw(_figure(pose="hold", facing=1.0))
    assert side.hand[0] > (side.face[0] + side.face[2]) / 2  # reaching forward


def test_ink_stays_in_the_box_and_figure_box_agrees():
    for pose in ("stand", "run", "lie", "sit", "climb"):
        fig = _figure(pose=pose, facing=0.6, build=Build(hat=True, coat=True), x=0.5, head_y=0.3, head=0.06)
        pixels, drawn = _draw(fig)
        ink = _ink(pixels)
        bx = drawn.box
        assert bx[0] - 2 <= ink[0] and bx[1] - 2 <= ink[1] and ink[2] <= bx[2] + 2 and ink[3] <= bx[3] + 2
        assert ink[3] - ink[1] > 0.9 * (bx[3] - bx[1])
        fx0, fy0, fx1, fy1 = figure_box(fig, W / H)
        assert (fx0 * W, fy0 * H, fx1 * W, fy1 * H) == pytest.approx(bx, abs=1.0)


@pytest.mark.parametrize("kind", KINDS)
def test_every_pose_draws_for_every_kind(kind):
    for pose in POSES:
        for facing in (-1.0, 0.0, 0.7):
            pixels, drawn = _draw(_figure(pose=pose, facing=facing, build=Build(kind=kind), head=0.06, head_y=0.3))
            assert (pixels < 240).sum() > 50
            assert drawn.box[2] > drawn.box[0] and drawn.box[3] > drawn.box[1]


def test_from_above_is_a_blob():
    pixels, drawn = _draw(_figure(from_above=True, head_y=0.4))
    ink = _ink(pixels)
    assert _size(ink)[0] > _size(ink)[1]
    assert drawn.box[0] <= ink[0] and ink[2] <= drawn.box[2] + 1


def test_same_figure_same_bytes():
    fig = _figure(pose="fight", facing=0.7, variant=5, build=Build(hat=True, glasses=True))
    assert _draw(fig)[0].tobytes() == _draw(fig)[0].tobytes()


def test_variant_changes_details_not_the_height():
    for pose in ("walk", "point", "sit", "fight"):
        heights, images = [], []
        for v in range(4):
            pixels, _ = _draw(_figure(pose=pose, facing=0.7, variant=v))
            ink = _ink(pixels)
            heights.append(ink[3] - ink[1])
            images.append(pixels)
        assert max(heights) <= 1.1 * min(heights)
        assert any((images[0] != other).sum() > 100 for other in images[1:])


def test_a_figure_draws_fast():
    canvas = _Canvas(W, H, 0)
    figs = [_figure(pose=p, head=0.12, facing=0.7, build=Build(hat=True, hair="long")) for p in POSES]
    for fig in figs:  # warm up
        draw_figure(canvas, fig)
    start = time.perf_counter()
    for _ in range(3):
        for fig in figs:
            draw_figure(canvas, fig)
    per = (time.perf_counter() - start) / (3 * len(figs))
    assert per < 0.006  # 3 ms budget, with room for a busy shared machine
