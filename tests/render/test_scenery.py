"""Set dressing, night and weather: what each adds to a panel, measured on the pixels."""

from __future__ import annotations

import numpy as np
import pytest

from storyboard.layout import Blueprint
from storyboard.render import scenery
from storyboard.render.sketch import _Canvas

W, H = 1920, 1080


def _canvas(interior=False, horizon=0.45, vanishing_x=0.5, night=False):
    plan = Blueprint(aspect="16:9", shot="LS", angle="eye level", move="static", label="")
    plan.interior, plan.horizon, plan.vanishing_x = interior, horizon, vanishing_x
    canvas = _Canvas(W, H, 0)
    scenery.draw_sky(canvas, night, horizon, interior)
    canvas.background(plan)
    return canvas


def _scene(pieces, interior=False, horizon=0.45, keep_clear=(), seed=0, night=False, vanishing_x=0.5):
    canvas = _canvas(interior, horizon, vanishing_x, night)
    scenery.draw_set(canvas, list(pieces), horizon, vanishing_x, interior, list(keep_clear), seed)
    return canvas.image


def _px(image):
    return np.asarray(image, dtype=np.int16)


def _changed(a, b):
    return np.abs(_px(a) - _px(b)) > 8


# -- set pieces ------------------------------------------------------------------------------------


@pytest.mark.parametrize("interior", [True, False])
def test_every_piece_adds_light_ink_and_each_looks_different(interior):
    plain = _px(_scene([], interior))
    drawn = {}
    for piece in scenery.SET_PIECES:
        image = _px(_scene([piece], interior))
        diff = np.abs(image - plain) > 8
        assert diff.mean() > 0.003, f"{piece} draws (almost) nothing"
        assert image[diff].min() >= 96, f"{piece} is as dark as a figure's ink"
        drawn[piece] = image
    names = list(drawn)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert (np.abs(drawn[a] - drawn[b]) > 8).mean() > 0.002, f"{a} and {b} look the same"


def test_pieces_stay_light_by_day():
    image = _px(_scene(["door", "window", "table", "fireplace"], interior=True))
    assert image.min() >= 110  # outlines 110-175, fills lighter: the figures' ink (35) stays the darkest


def test_unknown_pieces_are_ignored():
    plain = _scene([], True).tobytes()
    assert _scene(["spaceship", "", "DOOR?"], True).tobytes() == plain
    assert _scene(["spaceship", "door"], True).tobytes() == _scene(["door"], True).tobytes()


@pytest.mark.parametrize("piece", ["door", "window", "fireplace"])
@pytest.mark.parametrize("face_x", [0.3, 0.5, 0.62])
def test_wall_pieces_stand_beside_a_face_not_behind_it(piece, face_x):
    plain = _px(_scene([], True))
    image = _px(_scene([piece], True, keep_clear=[face_x]))
    changed = np.abs(image - plain) > 8
    column = int(face_x * W)
    assert changed.any()
    assert not changed[:, column - 20:column + 20].any(), f"{piece} drawn across the face at x={face_x}"


def test_two_faces_and_three_wall_pieces_do_not_pile_up():
    faces = [1 / 3, 2 / 3]
    plain = _px(_scene([], True))
    image = _px(_scene(["door", "window", "fireplace"], True, keep_clear=faces))
    changed = np.abs(image - plain) > 8
    for x in faces:
        assert not changed[: int(0.7 * H), int(x * W) - 10:int(x * W) + 10].any()


@pytest.mark.parametrize("face_x", [0.15, 0.4, 0.7])
def test_trees_and_lamp_keep_clear_of_faces_outside(face_x):
    plain = _px(_scene([], False))
    column, sky = int(face_x * W), int(0.45 * H)
    trees = np.abs(_px(_scene(["trees"], False, keep_clear=[face_x])) - plain) > 8
    assert trees.any() and not trees[:sky, column - 10:column + 10].any()
    # the street's perspective lines may cross the face's column, but not the lamp post (a long vertical run)
    street = np.abs(_px(_scene(["street"], False, keep_clear=[face_x])) - plain) > 8
    assert street[:sky, column - 10:column + 10].any(axis=1).sum() < 60


def test_trees_are_sized_by_distance():
    """Trees stand on the ground: the nearer (lower-footed) the trunk, the taller the canopy rises."""
    image = _px(_scene(["trees"], False, horizon=0.45))
    plain = _px(_scene([], False, horizon=0.45))
    ink = (np.abs(image - plain) > 8).any(axis=0)
    runs = np.flatnonzero(np.diff(np.concatenate([[0], ink.astype(np.int8), [0]])))
    assert len(runs) // 2 >= 2  # more than one tree, side by side


def test_set_pieces_are_deterministic_and_the_seed_only_varies():
    pieces = ["trees", "street", "sea"]
    a = _scene(pieces, False, keep_clear=[0.5], seed=3).tobytes()
    assert a == _scene(pieces, False, keep_clear=[0.5], seed=3).tobytes()
    assert a != _scene(pieces, False, keep_clear=[0.5], seed=4).tobytes()


def test_birds_eye_draws_plan_symbols_or_nothing():
    plain = _px(_scene([], horizon=None))
    for piece in ("door", "window", "table", "bed", "stairs", "trees", "street", "sea"):
        assert (np.abs(_px(_scene([piece], horizon=None)) - plain) > 8).mean() > 0.001, piece
    for piece in ("fireplace", "car"):  # no sense from straight above
        assert (_px(_scene([piece], horizon=None)) == plain).all()


def test_extreme_horizons_and_vanishing_points_do_not_break():
    for horizon in (0.05, 0.12, 0.86, 0.96):
        for vx in (0.2, 0.8):
            for interior in (True, False):
                _scene(list(scenery.SET_PIECES), interior, horizon, keep_clear=[0.1, 0.5, 0.9], vanishing_x=vx)


# -- night -----------------------------------------------------------------------------------------


def test_night_darkens_an_exterior_sky_with_a_moon_and_stars():
    day, night = _px(_canvas(night=False).image), _px(_canvas(night=True).image)
    sky = slice(0, int(0.45 * H) - 4)
    assert night[sky].mean() < day[sky].mean() - 80
    assert 90 <= np.median(night[sky]) <= 125
    assert night[sky].max() >= 225  # the moon and the stars
    ground = slice(int(0.45 * H) + 4, H)
    assert night[ground].mean() < day[ground].mean() - 25
    assert night[ground].mean() > night[sky].mean()  # the ground stays lighter than the sky
    assert night.mean() < day.mean()


def test_night_room_is_dimmer_and_its_window_is_dark():
    day = _px(_scene(["window"], True))
    night = _px(_scene(["window"], True, night=True))
    assert night.mean() < day.mean() - 30
    # the panes: pixels of the window's area that are far darker than the dimmed wall
    day_plain, night_plain = _px(_scene([], True)), _px(_scene([], True, night=True))
    window_day = np.abs(day - day_plain) > 8
    assert (night[window_day] < 120).mean() > 0.2
    assert (day[window_day] < 120).mean() < 0.05
    assert night_plain.min() >= 96


def test_day_sky_leaves_the_paper_white():
    canvas = _Canvas(W, H, 0)
    before = canvas.image.tobytes()
    scenery.draw_sky(canvas, False, 0.45, False)
    assert canvas.image.tobytes() == before


def test_night_flag_can_be_given_to_draw_set():
    marked = _scene(["window"], True, night=True)
    canvas = _canvas(True, night=False)
    canvas.draw.rectangle((0, 0, W, H), fill=scenery.NIGHT_WALL)
    plan = Blueprint(aspect="16:9", shot="LS", angle="eye level", move="static", label="")
    plan.interior, plan.horizon = True, 0.45
    canvas.background(plan)
    scenery.draw_set(canvas, ["window"], 0.45, 0.5, True, [], 0, night=True)
    assert canvas.image.tobytes() == marked.tobytes()


# -- weather ---------------------------------------------------------------------------------------


def _street():
    return _scene(["street", "trees"], False, keep_clear=[0.33, 0.67])


def _stripes():
    """A busy scene: black and white bars across the whole frame, a horizon at 0.45."""
    canvas = _canvas(horizon=0.45)
    for x in range(0, W, 80):
        canvas.draw.rectangle((x, 0, x + 39, H), fill=35)
    return canvas.image


def _overlap(mask, dx, dy):
    """How much of a mask survives a shift by (dx, dy): high along the strokes' direction."""
    h, w = mask.shape
    a = mask[max(0, -dy):h - max(0, dy), max(0, -dx):w - max(0, dx)]
    b = mask[max(0, dy):h - max(0, -dy) or None, max(0, dx):w - max(0, -dx) or None]
    return (a & b).sum() / max(1, a.sum())


def test_no_weather_returns_the_image_unchanged():
    image = _street()
    before = image.tobytes()
    assert scenery.apply_weather(image, "", 1, 0.45).tobytes() == before
    assert scenery.apply_weather(image, "hail", 1, 0.45).tobytes() == before
    assert image.tobytes() == before


def test_rain_is_many_slanted_streaks_over_everything():
    dry = _street()
    wet = scenery.apply_weather(dry, "rain", 5, 0.45)
    assert wet.size == dry.size and wet.mode == "L"
    streaks = _changed(wet, dry)
    assert streaks.mean() > 0.005
    # streaks run down and to the left (dx = -0.32 dy): a shift along them keeps far more than a vertical one
    along, vertical = _overlap(streaks, -6, 18), _overlap(streaks, 0, 18)
    assert along > 1.5 * vertical
    # light streaks and a few darker ones
    values = _px(wet)[streaks]
    assert (values > 190).any() and (values < 160).any()
    assert dry.tobytes() == _street().tobytes()  # the input is left alone


def test_rain_is_deterministic_and_seeded():
    dry = _street()
    def wet(seed):
        return scenery.apply_weather(dry, "rain", seed, 0.45).tobytes()

    assert wet(5) == wet(5)
    assert wet(5) != wet(6)
    for weather in ("fog", "snow"):
        assert scenery.apply_weather(dry, weather, 5, 0.45).tobytes() == scenery.apply_weather(
            dry, weather, 5, 0.45).tobytes()


def test_fog_lowers_contrast_most_at_the_horizon():
    scene = _stripes()
    foggy = _px(scenery.apply_weather(scene, "fog", 2, 0.45))
    clear = _px(scene)
    near_horizon = slice(int(0.4 * H), int(0.5 * H))
    foreground = slice(int(0.9 * H), H)
    assert foggy.std() < clear.std()
    kept_far = foggy[near_horizon].std() / clear[near_horizon].std()
    kept_near = foggy[foreground].std() / clear[foreground].std()
    assert kept_far < 0.6 and kept_far < kept_near - 0.2
    assert foggy.mean() > clear.mean()  # a white veil, not a grey one


def test_fog_from_above_is_even():
    scene = _stripes()
    foggy = _px(scenery.apply_weather(scene, "fog", 2, None))
    top, bottom = foggy[: H // 4].std(), foggy[-H // 4:].std()
    assert foggy.std() < _px(scene).std() and abs(top - bottom) / top < 0.25


def test_snow_is_round_flakes_and_a_lighter_ground():
    night = _scene(["street"], False, night=True)
    snowy = scenery.apply_weather(night, "snow", 5, 0.45)
    rainy = scenery.apply_weather(night, "rain", 5, 0.45)
    assert snowy.tobytes() != rainy.tobytes()
    ground = slice(int(0.5 * H), H)
    assert _px(snowy)[ground].mean() > _px(night)[ground].mean() + 15
    flakes = _changed(snowy, night)[: int(0.4 * H)]  # in the sky: only flakes
    assert flakes.mean() > 0.002
    # round, not streaks: no preferred direction
    along, vertical = _overlap(flakes, -2, 6), _overlap(flakes, 0, 6)
    assert abs(along - vertical) < 0.15


def test_snow_keeps_the_figures_tones():
    canvas = _canvas()
    canvas.draw.rectangle((900, 600, 1000, 1000), fill=120)  # a figure's body on the ground
    snowy = _px(scenery.apply_weather(canvas.image, "snow", 1, 0.45))
    body = snowy[600:1000, 900:1000]
    assert np.median(body) == 120


def test_weather_covers_the_pad_of_a_tilted_canvas():
    pad = 200
    canvas = _Canvas(W, H, pad)
    wet = _px(scenery.apply_weather(canvas.image, "rain", 1, 0.45, pad))
    assert (wet[:pad] != 248).any() and (wet[-pad:] != 248).any()


# -- speed -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("weather", ["rain", "fog", "snow"])
def test_a_dressed_panel_is_fast(weather):
    import time

    best = float("inf")
    for _ in range(3):
        canvas = _canvas()
        start = time.perf_counter()
        scenery.draw_sky(canvas, True, 0.45, False)
        scenery.draw_set(canvas, ["street", "trees", "door"], 0.45, 0.5, False, [0.33, 0.67], 1)
        scenery.apply_weather(canvas.image, weather, 1, 0.45)
        best = min(best, time.perf_counter() - start)
    assert best < 0.06  # ~10 ms on a quiet machine; generous for a shared CI core
