"""The project model: validation naming the bad field, numbering, atomic saves, migrations, unknown fields, safe ids."""

from __future__ import annotations

import json
import os
import re
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


# -- unknown fields are kept ------------------------------------------------------------------------


def _with_unknown_fields() -> dict:
    data = json.loads(store.dumps(_project()))
    data["studio_notes"] = {"reviewed": True, "by": ["Ana", "Ben"]}
    data["characters"][0]["voice"] = "alto"
    data["scenes"][0]["colour_grade"] = "teal"
    data["scenes"][0]["dialogue"] = [{"character": "Mara", "text": "Hi", "emotion": "warm"}]
    data["scenes"][1]["panel"] = {"path": "panels/a.png", "backend": "sketch", "approved_by": "director"}
    return data


def test_unknown_fields_survive_load_and_save_at_every_level(tmp_path):
    """Before the fix every field the model does not know was dropped at the first save."""
    data = _with_unknown_fields()
    (tmp_path / "project.json").write_text(json.dumps(data))
    project = store.load(tmp_path)
    project.scenes[0].action = "edited"
    store.save(project, tmp_path)
    saved = json.loads((tmp_path / "project.json").read_text())
    assert saved["studio_notes"] == {"reviewed": True, "by": ["Ana", "Ben"]}
    assert saved["characters"][0]["voice"] == "alto"
    assert saved["scenes"][0]["colour_grade"] == "teal" and saved["scenes"][0]["action"] == "edited"
    assert saved["scenes"][0]["dialogue"][0]["emotion"] == "warm"
    assert saved["scenes"][1]["panel"]["approved_by"] == "director"
    assert store.load(tmp_path) == project


def test_unknown_fields_change_neither_equality_nor_render_fingerprints():
    from dataclasses import asdict

    from storyboard.render import base, fingerprint

    plain = store.from_data(json.loads(store.dumps(_project())))
    extended = store.from_data(_with_unknown_fields())
    extended.scenes[0].dialogue, extended.scenes[1].panel = plain.scenes[0].dialogue, plain.scenes[1].panel
    assert extended == plain
    assert "colour_grade" not in asdict(extended.scenes[0])
    renderer = base.get("sketch")
    for a, b in zip(plain.scenes, extended.scenes):
        assert fingerprint(a, plain, renderer, (160, 90), {}) == fingerprint(b, extended, renderer, (160, 90), {})


# -- malformed input: one clear line, never a traceback -------------------------------------------


@pytest.mark.parametrize(
    "raw, says",
    [
        (b'{"schema_version": 1, "scenes": [{"number": "1", "seed": ' + b"9" * 5000 + b"}]}", "digits"),
        (b'{"schema_version": -1, "scenes": []}', "schema_version"),
        (b'{"schema_version": 1.5, "scenes": []}', "schema_version"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"scenes": [{"number": "1", "panel": {"path": "p", "backend": "b", "settings": '
         + b'{"a": ' * 200 + b"1" + b"}" * 200 + b"}}]}", "nested more than"),
        (b'{"scenes": [{"number": "1", "action": "\\ud800"}]}', r"scenes\[0\]\.action: .*lone surrogate"),
    ],
)
def test_malformed_project_files_give_one_line(tmp_path, raw, says):
    """Before the fix these raised ValueError, KeyError or RecursionError (a traceback, CLI exit 1)."""
    (tmp_path / "project.json").write_bytes(raw)
    with pytest.raises(ProjectError, match=says) as err:
        store.load(tmp_path)
    assert "\n" not in str(err.value) and len(str(err.value)) < 400


def test_malformed_project_gives_exit_2_and_one_line_in_the_cli(tmp_path, capsys):
    from storyboard import cli

    (tmp_path / "project.json").write_bytes(b'{"schema_version": -1, "scenes": []}')
    assert cli.main(["export", str(tmp_path), "--csv"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("storyboard: error: ") and err.count("\n") == 1


# -- scene ids name files: only safe ones are kept -----------------------------------------------


@pytest.mark.parametrize("bad", ["../../outside/x", "/etc/passwd", "a\x00b", "..", "a/b", "C:\\x", "-rf", "x" * 65,
                                 "a b", "tab\t", "é"])
def test_unsafe_scene_ids_are_replaced_and_the_load_says_so(tmp_path, bad):
    """Before the fix an id like ../../outside/x was kept and render wrote panels outside the project."""
    data = json.loads(store.dumps(_project()))
    data["scenes"][1]["id"] = bad
    (tmp_path / "project.json").write_text(json.dumps(data))
    notes: list[str] = []
    project = store.load(tmp_path, notes)
    new_id = project.scenes[1].id
    assert new_id != bad and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", new_id)
    assert len({s.id for s in project.scenes}) == 3
    assert len(notes) == 1 and "scene 2" in notes[0] and new_id in notes[0] and "\n" not in notes[0]


def test_a_repeated_scene_id_is_replaced_and_said(tmp_path):
    data = json.loads(store.dumps(_project()))
    data["scenes"][2]["id"] = data["scenes"][0]["id"]
    notes: list[str] = []
    project = store.from_data(data, notes=notes)
    assert project.scenes[0].id == data["scenes"][0]["id"] != project.scenes[2].id
    assert len(notes) == 1 and "scene 3" in notes[0] and "repeats" in notes[0]


def test_safe_and_missing_ids_load_silently(tmp_path):
    data = json.loads(store.dumps(_project()))
    data["scenes"][0]["id"] = "Scene_1-take2"
    del data["scenes"][1]["id"]
    notes: list[str] = []
    project = store.from_data(data, notes=notes)
    assert project.scenes[0].id == "Scene_1-take2" and project.scenes[1].id
    assert notes == []


@pytest.mark.parametrize(("value", "message"), [
    (10**400, "scenes[0].duration_s: expected a number a float can hold"),
    (float("nan"), "scenes[0].duration_s: expected a finite number, got nan"),
])
def test_numbers_no_float_holds_are_refused_in_one_line(value, message):
    with pytest.raises(ProjectError, match=re.escape(message)):
        store.from_data({"schema_version": 1, "scenes": [{"number": "1", "duration_s": value}]})


def test_nan_in_free_form_settings_is_refused_it_would_never_round_trip():
    panel = {"path": "panels/a.png", "backend": "sketch", "settings": {"guidance": float("nan")}}
    scene = {"number": "1", "panel": panel}
    with pytest.raises(ProjectError, match=r"scenes\[0\]\.panel\.settings\.guidance: expected a finite number"):
        store.from_data({"schema_version": 1, "scenes": [scene]})
