"""The project model: validation naming the bad field, numbering, atomic saves, migrations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from storyboard import store
from storyboard.errors import ProjectError
from storyboard.project import Character, DialogueLine, Project, Scene, insert_number, renumber


def _project(n: int = 3) -> Project:
    project = Project(title="Test", characters=[Character("Mara"), Character("Tom")])
    project.scenes = [Scene(number=str(i + 1), characters=["Mara"], action=f"beat {i + 1}") for i in range(n)]
    project.validate()
    return project


def test_round_trip_keeps_every_field(tmp_path):
    project = _project()
    project.scenes[0].dialogue = [DialogueLine("Mara", "Hello", "(softly)", "V.O.")]
    project.scenes[1].shot, project.scenes[1].angle, project.scenes[1].move = "close up", "birds eye", "push in"
    store.save(project, tmp_path)
    loaded = store.load(tmp_path)
    assert loaded == project
    assert (loaded.scenes[1].shot, loaded.scenes[1].angle, loaded.scenes[1].move) == ("CU", "bird's eye", "dolly in")
    assert json.loads((tmp_path / "project.json").read_text())["schema_version"] == 1


def test_save_keeps_previous_version_as_backup(tmp_path):
    project = _project()
    store.save(project, tmp_path)
    project.title = "Second"
    store.save(project, tmp_path)
    assert json.loads((tmp_path / "project.json.bak").read_text())["title"] == "Test"
    assert store.load(tmp_path).title == "Second"


def test_crash_in_the_middle_of_a_save_leaves_the_old_project(tmp_path):
    store.save(_project(), tmp_path)
    before = (tmp_path / "project.json").read_bytes()
    # A real process dies hard after writing the new data, just before the rename.
    script = textwrap.dedent(f"""
        import os
        from storyboard import store
        from storyboard.project import Project, Scene
        p = Project(title="Half", scenes=[Scene(number=str(i)) for i in range(1, 500)])
        os.replace = lambda *a, **k: os._exit(9)
        store.save(p, {str(tmp_path)!r})
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=os.getcwd(), capture_output=True)
    assert result.returncode == 9
    assert (tmp_path / "project.json").read_bytes() == before
    assert store.load(tmp_path).title == "Test"


def test_failed_write_cleans_its_temp_file(tmp_path, monkeypatch):
    store.save(_project(), tmp_path)

    def boom(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        store.save(_project(5), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.json"]
    assert len(store.load(tmp_path).scenes) == 3


@pytest.mark.parametrize(
    "mutate, field",
    [
        (lambda d: d["scenes"][1].__setitem__("duration_s", "abc"), "scenes[1].duration_s"),
        (lambda d: d["scenes"][0].__setitem__("characters", "Mara"), "scenes[0].characters"),
        (lambda d: d["scenes"][0].__setitem__("shot", "very close"), "scenes[0].shot"),
        (lambda d: d["scenes"][2].pop("number"), "scenes[2].number"),
        (lambda d: d.pop("scenes"), "scenes"),
        (lambda d: d.__setitem__("aspect_ratio", "5:4"), "aspect_ratio"),
        (lambda d: d["scenes"][0].__setitem__("dialogue", [{"text": "hi"}]), "scenes[0].dialogue[0].character"),
        (lambda d: d["scenes"][0].__setitem__("seed", 1.5), "scenes[0].seed"),
        (lambda d: d["characters"].__setitem__(0, {"name": 7}), "characters[0].name"),
        (lambda d: d["scenes"][1].__setitem__("number", "1"), "scenes[1].number"),
        (lambda d: d.__setitem__("schema_version", 99), "schema_version"),
    ],
)
def test_load_names_the_bad_field(tmp_path, mutate, field):
    data = json.loads(store.dumps(_project()))
    mutate(data)
    (tmp_path / "project.json").write_text(json.dumps(data))
    with pytest.raises(ProjectError) as err:
        store.load(tmp_path)
    assert field in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe\x00garbage", b"[1, 2]", b"null"])
def test_unreadable_project_files_give_one_clear_error(tmp_path, content):
    (tmp_path / "project.json").write_bytes(content)
    with pytest.raises(ProjectError, match="project.json"):
        store.load(tmp_path)


def test_missing_project_is_named(tmp_path):
    with pytest.raises(ProjectError, match="no project found"):
        store.load(tmp_path / "nowhere")


def test_unversioned_hand_written_project_is_migrated(tmp_path):
    legacy = {
        "title": "Old",
        "characters": ["Mara"],
        "scenes": [{"action": "Mara waits.", "dialogue": ["MARA: Where is he?"], "shot": "wide shot"}, {"number": 5}],
    }
    (tmp_path / "project.json").write_text(json.dumps(legacy))
    project = store.load(tmp_path)
    assert project.schema_version == 1
    assert project.characters[0].name == "Mara"
    assert [s.number for s in project.scenes] == ["1", "5"]
    assert project.scenes[0].dialogue == [DialogueLine("MARA", "Where is he?")]
    assert project.scenes[0].shot == "LS"
    assert len({s.id for s in project.scenes}) == 2


def test_insert_numbers_and_renumber():
    project = _project(3)
    assert insert_number(project, 1) == "2A"
    project.scenes.insert(2, Scene(number="2A"))
    assert insert_number(project, 1) == "2B"
    assert insert_number(project, 2) == "2B"
    project.scenes.insert(3, Scene(number="2B"))
    renumber(project)
    assert [s.number for s in project.scenes] == ["1", "2", "3", "4", "5"]


def test_aspect_ratio_change_keeps_everything(tmp_path):
    project = _project()
    store.save(project, tmp_path)
    project.aspect_ratio = "2.39:1"
    store.save(project, tmp_path)
    loaded = store.load(tmp_path)
    assert loaded.aspect_ratio == "2.39:1"
    assert [s.action for s in loaded.scenes] == ["beat 1", "beat 2", "beat 3"]


def test_character_tones_are_stable_and_distinct():
    project = _project()
    assert project.tone("Mara") == project.tone("mara")
    assert project.tone("Mara") != project.tone("Tom")
