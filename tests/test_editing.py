"""Edits to a project's scene list: numbers of added and inserted shots, renumbering that keeps beats together."""

from __future__ import annotations

import copy

import pytest

from storyboard import editing
from storyboard.errors import InputError
from storyboard.planning import plan_text
from storyboard.project import Project, Scene
from tests.conftest import EXAMPLES


def board(*numbers: str) -> Project:
    project = Project(title="Test", scenes=[Scene(number=n) for n in numbers])
    project.validate()
    return project


def numbers(project: Project) -> list[str]:
    return [s.number for s in project.scenes]


def insert_after(project: Project, number: str) -> str:
    scene = editing.add_scene(project, project.scenes[project.scene_index(number)].id)
    project.validate()  # still unique
    return scene.number


def test_numbers_sort_as_on_a_board():
    shuffled = ["10", "4AA", "4A-2", "5", "4B", "4", "4A-10", "4Z", "4A", "4A-1"]
    assert sorted(shuffled, key=editing.number_key) == [
        "4", "4A", "4A-1", "4A-2", "4A-10", "4B", "4Z", "4AA", "5", "10"]
    assert editing.leading_number("12C") == 12 and editing.leading_number("2A-3") == 2
    assert editing.leading_number("X") is None


@pytest.mark.parametrize(("before", "expected"), [
    (["12A", "12B", "12C"], "13"),  # every shot lettered: the next beat, not "1"
    (["1", "2A", "2B", "9"], "10"),
    (["2A-1", "2A-2"], "3"),
    (["A", "B"], "1"),  # no digits anywhere
])
def test_a_scene_added_at_the_end_follows_the_highest_beat(before, expected):
    project = board(*before)
    assert editing.add_scene(project).number == expected
    assert numbers(project) == [*before, expected]


@pytest.mark.parametrize(("before", "after", "expected"), [
    (["4", "5"], "4", "4A"),  # film convention: a scene added after 4 is 4A
    (["4A", "5"], "4A", "4B"),  # the next letter when it is free and still before 5
    (["4A", "4B", "4C"], "4A", "4A-1"),  # 4B is taken: branch under 4A, never 4D
    (["4A", "4A-1", "4B"], "4A-1", "4A-2"),
    (["4A-1", "4A-2"], "4A-1", "4A-1A"),
    (["4A", "4B", "4C"], "4C", "4D"),  # after the last shot of a beat
    (["4Y", "4Z", "5"], "4Z", "4AA"),  # Z → AA, as the planner letters its 27th shot
    (["2A-1", "2A-2", "3"], "2A-2", "2A-3"),  # forced screenplay numbers keep their dash
    (["12C"], "12C", "12D"),
])
def test_an_inserted_shot_sorts_right_after_its_neighbour(before, after, expected):
    project = board(*before)
    got = insert_after(project, after)
    assert got == expected
    position = project.scene_index(got)
    assert numbers(project)[position - 1] == after
    if position + 1 < len(project.scenes):
        following = project.scenes[position + 1].number
        assert editing.number_key(after) < editing.number_key(got) < editing.number_key(following)


def test_when_nothing_fits_between_the_number_is_still_unique():
    project = board("4A", "4A-1", "4B")
    assert insert_after(project, "4A") == "4A-2"  # out of order until renumbered, never a clash
    editing.renumber_scenes(project)
    assert numbers(project) == ["1A", "1B", "1C", "1D"]


def test_duplicate_takes_the_inserted_number_and_keeps_the_content():
    project = board("3A", "3B")
    project.scenes[0].action = "Mara climbs."
    copy = editing.duplicate_scene(project, project.scenes[0].id)
    assert copy.number == "3A-1" and copy.action == "Mara climbs." and copy.id != project.scenes[0].id
    assert numbers(project) == ["3A", "3A-1", "3B"]


def test_renumber_letters_the_shots_of_one_beat():
    project = board("1", "5A", "5B", "5B-1", "7", "7A", "9C", "X", "2A")
    editing.renumber_scenes(project)
    # 5A … 5B-1 are one beat, 7 and its inserted 7A are one beat, a moved shot (2A) stands alone
    assert numbers(project) == ["1", "2A", "2B", "2C", "3A", "3B", "4", "5", "6"]
    project.validate()


def test_renumber_splits_a_beat_whose_shots_were_moved_apart():
    project = board("1", "2A", "2B")
    editing.move_scene(project, project.scenes[1].id, -1)  # 2A, 1, 2B
    editing.renumber_scenes(project)
    assert numbers(project) == ["1", "2", "3"]


def test_a_planned_lettered_board_edits_in_order(nlp):
    project = plan_text((EXAMPLES / "last_light.fountain").read_text(encoding="utf-8"), coverage="dense")
    planned = numbers(project)
    assert all(not n.isdigit() for n in planned[:3]), planned  # the opening scene is several lettered shots
    last_beat = max(editing.leading_number(n) for n in planned)
    assert editing.add_scene(project).number == str(last_beat + 1)
    for index in (0, 1, len(planned) - 2):  # inside a beat, after its first shot, near the end
        after = project.scenes[index]
        got = insert_after(project, after.number)
        following = project.scenes[project.scene_index(got) + 1].number
        assert editing.number_key(after.number) < editing.number_key(got) < editing.number_key(following)
        assert editing.leading_number(got) == editing.leading_number(after.number)
    beats = [editing.leading_number(n) for n in numbers(project)]
    editing.renumber_scenes(project)
    project.validate()
    renumbered = [editing.leading_number(n) for n in numbers(project)]
    # shots that shared a beat still share one, and beats count up from 1 with no gaps
    assert [a == b for a, b in zip(beats, beats[1:])] == [a == b for a, b in zip(renumbered, renumbered[1:])]
    assert sorted(set(renumbered)) == list(range(1, len(set(renumbered)) + 1))
    assert numbers(project)[0] == "1A"


def test_a_missing_scene_is_a_user_error():
    with pytest.raises(InputError, match="no longer exists"):
        editing.add_scene(board("1"), "gone")


def cast_board() -> Project:
    from storyboard.project import Character, DialogueLine

    project = Project(title="Split", characters=[Character("The stranger", "a tall man in a grey coat"),
                                                 Character("Arjun", "", lora="loras/arjun.safetensors",
                                                           trigger="sks"), Character("Mara")],
                      scenes=[Scene(number="1", characters=["The stranger", "Mara"],
                                    dialogue=[DialogueLine("THE STRANGER", "Is this the road north?")]),
                              Scene(number="2", characters=["Arjun", "The stranger"],
                                    dialogue=[DialogueLine("Arjun", "I am Arjun.")])])
    project.validate()
    return project


def test_merging_the_stranger_into_the_name_he_gives_moves_every_shot_and_line():
    project = cast_board()
    kept = editing.merge_characters(project, "the stranger", "Arjun")
    assert [c.name for c in project.characters] == ["Arjun", "Mara"]
    assert [s.characters for s in project.scenes] == [["Arjun", "Mara"], ["Arjun"]]  # once each, order kept
    assert [d.character for s in project.scenes for d in s.dialogue] == ["ARJUN", "Arjun"]  # capitals stay capitals
    assert kept.description == "a tall man in a grey coat"  # Arjun had none: he takes the stranger's
    assert (kept.lora, kept.trigger) == ("loras/arjun.safetensors", "sks")  # his own LoRA stays
    project.validate()


@pytest.mark.parametrize(("name", "into", "message"), [
    ("Nobody", "Arjun", "no character called 'Nobody'"),
    ("Mara", "", "choose the character to merge Mara into"),
    ("Mara", "MARA", "cannot be merged into themselves"),
])
def test_a_merge_that_cannot_be_made_changes_nothing(name, into, message):
    project = cast_board()
    before = copy.deepcopy(project)
    with pytest.raises(InputError, match=message):
        editing.merge_characters(project, name, into)
    assert project == before


def test_a_rename_follows_into_lines_written_in_capitals():
    project = cast_board()
    editing.save_character(project, "The stranger", "Declan Roe", "a tall man")
    assert project.scenes[0].characters == ["Declan Roe", "Mara"]
    assert project.scenes[0].dialogue[0].character == "DECLAN ROE"


def test_a_scene_moves_to_any_place_and_keeps_its_number():
    project = board("1", "2", "3", "4")
    editing.move_scene_to(project, project.scenes[0].id, 2)
    assert numbers(project) == ["2", "3", "1", "4"]
    editing.move_scene_to(project, project.scenes[3].id, 0)
    assert numbers(project) == ["4", "2", "3", "1"]
    for bad in (4, -1, "2", None):
        with pytest.raises(InputError, match="places 1 to 4"):
            editing.move_scene_to(project, project.scenes[0].id, bad)
    assert numbers(project) == ["4", "2", "3", "1"]
