"""Pose geometry: every pose complete, poses differ in silhouette, facing mirrors, views and children."""

from __future__ import annotations

import pytest

from storyboard import poses
from storyboard.poses import JOINTS, POSES, Build, extent, ground_offset, head_tilt, skeleton


def _height(pose, **kw):
    x0, y0, x1, y1 = extent(pose, **kw)
    return y1 - y0


def _width(pose, **kw):
    x0, y0, x1, y1 = extent(pose, **kw)
    return x1 - x0


@pytest.mark.parametrize("pose", POSES)
@pytest.mark.parametrize("facing", (-1.0, 0.0, 0.6))
def test_every_pose_gives_every_joint(pose, facing):
    joints = skeleton(pose, facing)
    assert set(JOINTS) <= set(joints)
    assert joints["head"] == pytest.approx((0.0, 0.0))
    assert all(abs(x) < 10 and abs(y) < 10 for x, y in joints.values())


def test_standing_adult_is_seven_and_a_half_heads():
    x0, y0, x1, y1 = extent("stand")
    assert y0 == pytest.approx(-0.5, abs=0.05)
    assert y1 == pytest.approx(6.9, abs=0.08)
    joints = skeleton("stand")
    assert joints["hip"][1] < joints["knee_l"][1] < joints["foot_l"][1]
    assert abs(joints["foot_l"][0] - joints["foot_r"][0]) < 1.0


def test_low_poses_are_shorter_than_standing():
    stand = _height("stand")
    assert 5.3 <= _height("kneel") <= 5.8
    assert _height("crouch") < 5.4
    assert _height("sit") < stand - 1.2
    for pose in ("kneel", "crouch", "sit"):
        assert _height(pose, facing=1.0) < stand - 1.2


def test_sitting_thighs_are_level_with_the_knees_bent():
    j = skeleton("sit", facing=1.0)
    for side in "lr":
        hip, knee, foot = j[f"hip_{side}"], j[f"knee_{side}"], j[f"foot_{side}"]
        assert abs(knee[1] - hip[1]) < 0.35  # hip at about knee height
        assert knee[0] - hip[0] > 1.2  # thigh forward
        assert foot[1] - knee[1] > 1.3  # shin down


def test_lying_is_wide_and_flat():
    for facing in (-1.0, 0.0, 1.0):
        assert _width("lie", facing=facing) > 6.5
        assert _height("lie", facing=facing) < 1.6
        assert _width("lie", facing=facing) > 4 * _height("lie", facing=facing)


def test_walk_and_run_stride_stand_does_not():
    def gap(pose):
        j = skeleton(pose, facing=1.0)
        return abs(j["foot_l"][0] - j["foot_r"][0])

    assert gap("stand") < 0.5
    assert gap("walk") > 1.2
    assert gap("run") > gap("walk")


def test_facing_mirrors_the_leading_foot():
    for pose in ("walk", "run"):
        for variant in range(4):
            right = skeleton(pose, 1.0, variant)
            left = skeleton(pose, -1.0, variant)
            lead_right = max(right["foot_l"][0], right["foot_r"][0]) - right["hip"][0]
            lead_left = min(left["foot_l"][0], left["foot_r"][0]) - left["hip"][0]
            assert lead_right > 0.5 and lead_left < -0.5
            assert lead_right == pytest.approx(-lead_left, abs=0.05)


def test_pointing_arm_goes_out_toward_facing():
    def reach(pose, facing):
        j = skeleton(pose, facing)
        sign = 1 if facing > 0 else -1
        return max(sign * (j[h][0] - j["chest"][0]) for h in ("hand_l", "hand_r"))

    for facing in (1.0, -1.0, 0.5):
        assert reach("point", facing) > reach("stand", facing) + 1.0
        assert reach("point", facing) > 1.8
    j = skeleton("point", 1.0)
    hand = max((j["hand_l"], j["hand_r"]), key=lambda p: p[0])
    assert abs(hand[1] - j["shoulder_r"][1]) < 0.5  # at shoulder height


def test_climb_and_reach_raise_the_arms():
    for pose in ("climb", "reach"):
        j = skeleton(pose, 1.0)
        assert min(j["hand_l"][1], j["hand_r"][1]) < j["shoulder_l"][1] - 1.0
    j = skeleton("climb", 1.0)
    assert min(j["knee_l"][1], j["knee_r"][1]) < j["hip"][1] + 0.3  # a knee raised high


def test_hold_brings_the_hands_together_in_front_of_the_chest():
    j = skeleton("hold", 0.0)
    assert abs(j["hand_l"][0] - j["hand_r"][0]) < 0.3
    assert j["shoulder_l"][1] < j["hand_l"][1] < j["hip"][1]
    j = skeleton("hold", 1.0)
    assert min(j["hand_l"][0], j["hand_r"][0]) > j["chest"][0] + 0.8


def test_fall_is_tilted():
    j = skeleton("fall", 1.0)
    dx, dy = j["neck"][0] - j["hip"][0], j["neck"][1] - j["hip"][1]
    import math

    angle = abs(math.degrees(math.atan2(dx, -dy)))
    assert 40 <= angle <= 65


def test_head_tilts_opposite_for_up_and_down():
    assert head_tilt("look up") < -10
    assert head_tilt("look down") > 10
    assert head_tilt("stand") == 0
    up, down = skeleton("look up", 1.0), skeleton("look down", 1.0)
    assert up["neck"][0] > 0 > down["neck"][0]  # head back over the neck vs bowed forward of it


@pytest.mark.parametrize("pose", POSES)
def test_variants_change_details_not_the_pose(pose):
    base = skeleton(pose, 0.8, 0)
    heights = [_height(pose, facing=0.8, variant=v) for v in range(8)]
    assert max(heights) <= min(heights) * 1.1
    assert any(skeleton(pose, 0.8, v) != base for v in range(1, 8))
    assert skeleton(pose, 0.8, 3) == skeleton(pose, 0.8, 3)  # deterministic


def test_view_high_shortens_low_lengthens():
    eye, high, low = (_height("stand", view=v) for v in ("eye level", "high", "low"))
    assert high < eye * 0.92
    assert low > eye * 1.04
    j_eye, j_low = skeleton("stand"), skeleton("stand", view="low")
    assert j_low["foot_l"][1] - j_low["hip"][1] > 1.05 * (j_eye["foot_l"][1] - j_eye["hip"][1])


def test_child_ground_offset_keeps_the_adult_feet_line():
    assert ground_offset(Build(), "stand") == pytest.approx(0.0, abs=1e-6)
    child = Build(height=0.65)
    hs, bs = poses.scales(child)
    assert 0.8 < hs < 0.9 and bs < hs  # a bigger head relative to the body
    offset = ground_offset(child, "stand")
    assert offset > 2.0
    x0, y0, x1, y1 = extent("stand")
    neck = skeleton("stand")["neck"][1]
    child_feet = neck * hs + (y1 - neck) * bs + offset
    assert child_feet == pytest.approx(y1, abs=0.02)
    assert (y1 - (y0 * hs + offset)) == pytest.approx(0.65 * (y1 - y0), rel=0.03)  # 0.65 of an adult tall


def test_low_poses_are_grounded_and_animals_too():
    stand_feet = extent("stand")[3]
    for pose in ("sit", "kneel", "lie", "crouch"):
        assert extent(pose)[3] + ground_offset(Build(), pose) == pytest.approx(stand_feet, abs=1e-6)
    for kind in ("dog", "cat", "horse", "bird"):
        b = Build(kind=kind)
        assert extent("stand", kind=kind)[3] + ground_offset(b, "stand") == pytest.approx(stand_feet, abs=1e-6)


def test_animals_have_heads_feet_and_sizes():
    dog = extent("stand", 1.0, kind="dog")
    assert dog[2] - dog[0] > dog[3] - dog[1]  # wider than tall
    back = skeleton("stand", 1.0, kind="dog")
    feet = [back[k] for k in back if k.startswith("foot_")]
    assert len(feet) == 4 and "head" in back and "tail" in back
    top_of_back = min(back["hip"][1], back["chest"][1]) - 0.6
    assert 1.6 < max(y for _, y in feet) - top_of_back < 3.5  # knee-to-hip of an adult
    cat, horse, bird = (extent("stand", 1.0, kind=k) for k in ("cat", "horse", "bird"))
    size = lambda b: b[3] - b[1]
    assert size(bird) < size(cat) < size(dog) < size(horse)
    right, left = skeleton("walk", 1.0, kind="dog"), skeleton("walk", -1.0, kind="dog")
    assert right["snout"][0] > 0 > left["snout"][0]
    assert _height("lie", kind="dog") < _height("stand", kind="dog") * 0.7
