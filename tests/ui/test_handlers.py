"""The app's handlers on real session folders: edits, renders, exports, and bad input that changes nothing."""

from __future__ import annotations

import dataclasses
import json
import re
import zipfile
from pathlib import Path

import pytest

from storyboard import store, studio
from storyboard.editing import SceneEdit, leading_number, number_key
from storyboard.errors import Cancelled, InputError, ProjectError, StoryboardError
from storyboard.planning import COVERAGE_LEVELS
from storyboard.ui import checking, handlers, project_files, session


def snapshot(folder) -> str:
    return (session.check(folder) / "project.json").read_text(encoding="utf-8")


def form_of(view, **changes) -> SceneEdit:
    return dataclasses.replace(view.form.values, **changes)


def test_plan_fills_the_view(board):
    view = handlers.view(board)
    assert view.has_project and view.title == "The Keeper's Letter"
    assert len(view.cards) == len(view.scene_choices) >= 6
    assert view.selected == view.scene_choices[0][1]
    assert "Mara" in view.cast_names


def test_save_scene_edits_every_field(board):
    view = handlers.view(board)
    sid = view.selected
    edit = form_of(view, shot="close up", angle="low", move="push in", duration_s="4.5 s", characters=["Mara", "Ana"],
                   dialogue="MARA (V.O.) (softly): Hold on.\nTOM: I am here.", location="Gallery")
    after = handlers.save_scene(board, sid, edit)
    scene = store.load(session.check(board)).scenes[0]
    assert (scene.shot, scene.angle, scene.move, scene.duration_s) == ("CU", "low", "dolly in", 4.5)
    assert scene.characters == ["Mara", "Ana"] and "Ana" in after.cast_names
    assert [(d.character, d.extension, d.parenthetical, d.text) for d in scene.dialogue] == [
        ("MARA", "V.O.", "(softly)", "Hold on."), ("TOM", "", "", "I am here.")]
    assert scene.location == "Gallery" and "Gallery" in scene.prompt  # the planner's prompt follows the edit


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"duration_s": "abc"}, "duration must be a number"),
        ({"shot": "very wide-ish"}, "unknown shot size"),
        ({"angle": "sideways"}, "unknown camera angle"),
        ({"interior": "OUTSIDE"}, "interior must be"),
        ({"duration_s": "-2"}, "between 0 and 3600"),
    ],
)
def test_bad_scene_values_change_nothing(board, changes, message):
    before = snapshot(board)
    view = handlers.view(board)
    with pytest.raises(InputError, match=message):
        handlers.save_scene(board, view.selected, form_of(view, **changes))
    assert snapshot(board) == before


def test_empty_story_leaves_the_board_as_it_was(board):
    before = snapshot(board)
    with pytest.raises(InputError, match="empty"):
        handlers.plan(board, "   ", "", "", "16:9")
    with pytest.raises(InputError, match="aspect ratio"):
        handlers.plan(board, "Mara runs.", "", "", "7:5")
    assert snapshot(board) == before


def test_bad_story_uploads(tmp_path):
    binary = tmp_path / "story.txt"
    binary.write_bytes(bytes(range(256)) * 100)
    with pytest.raises(InputError, match="binary"):
        handlers.read_story_upload(str(binary))
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.seek(50 * 1024 * 1024)
        handle.write(b"x")
    with pytest.raises(InputError, match="larger than 10 MB"):
        handlers.read_story_upload(str(huge))
    good = tmp_path / "s.fountain"
    good.write_text("INT. ROOM - DAY\n\nZoë waits.\n", encoding="utf-8")
    assert "Zoë" in handlers.read_story_upload(str(good))


def test_scene_list_operations(board):
    view = handlers.renumber(board, "")  # beats 1, 2, 3…; a beat the planner covers with several shots is 2A, 2B
    first, second = view.scene_choices[0][1], view.scene_choices[1][1]
    numbers = lambda v: [card.number for card in v.cards]  # noqa: E731
    count, second_number = len(view.cards), numbers(view)[1]
    assert numbers(view)[0] == "1"
    v = handlers.add_scene(board, first)
    assert numbers(v)[:3] == ["1", "1A", second_number] and v.selected == v.scene_choices[1][1]
    v = handlers.duplicate_scene(board, second)
    copy = numbers(v)[3]  # right after the original, sorting between it and the shot after it
    assert number_key(second_number) < number_key(copy) < number_key(numbers(v)[4]) and len(v.cards) == count + 2
    v = handlers.move_scene(board, second, -1)
    assert numbers(v)[:3] == ["1", second_number, "1A"]
    v = handlers.renumber(board, second)
    beats = [leading_number(n) for n in numbers(v)]
    assert numbers(v)[:3] == ["1", "2", "3"] and len(set(numbers(v))) == count + 2
    assert sorted(set(beats)) == list(range(1, beats[-1] + 1))  # beats count up with no gaps
    v = handlers.delete_scene(board, second)
    assert len(v.cards) == count + 1 and second not in [c[1] for c in v.scene_choices]
    v = handlers.add_scene(board, None)
    assert numbers(v)[-1] == str(beats[-1] + 1)  # numbered after the highest beat, never reusing a number
    with pytest.raises(InputError, match="already first"):
        handlers.move_scene(board, v.scene_choices[0][1], -1)


def test_deleting_the_last_scene_is_refused(board):
    view = handlers.view(board)
    for _, sid in view.scene_choices[1:]:
        handlers.delete_scene(board, sid)
    before = snapshot(board)
    with pytest.raises(InputError, match="at least one scene"):
        handlers.delete_scene(board, view.scene_choices[0][1])
    assert snapshot(board) == before


def test_characters_rename_everywhere(board):
    handlers.save_character(board, "Mara", "Marra", "keeper of the light")
    project = store.load(session.check(board))
    assert project.character("Mara") is None and project.character("Marra").description == "keeper of the light"
    assert any("Marra" in s.characters for s in project.scenes)
    assert all(d.character != "Mara" for s in project.scenes for d in s.dialogue)
    with pytest.raises(InputError, match="already a character"):
        handlers.save_character(board, None, "tom", "")
    handlers.delete_character(board, "Tom")
    assert all("Tom" not in s.characters for s in store.load(session.check(board)).scenes)


def test_render_keeps_edits_made_while_it_runs(board):
    view = handlers.view(board)
    sid = view.scene_choices[-1][1]

    def edit_midway(done, total, message):
        if done == 2:
            current = handlers.view(board, sid)
            handlers.save_scene(board, sid, form_of(current, action="Edited during the render."))

    view, drawn = handlers.render(board, progress=edit_midway)
    project = store.load(session.check(board))
    assert len(drawn) == len(project.scenes)
    assert all(s.panel for s in project.scenes)
    assert next(s for s in project.scenes if s.id == sid).action == "Edited during the render."
    assert len(view.gallery) == len(project.scenes)


def test_reroll_and_lock(board):
    handlers.render(board)
    sid = handlers.view(board).selected
    before = store.load(session.check(board)).scenes[0]
    handlers.reroll(board, sid)
    after = store.load(session.check(board)).scenes[0]
    assert after.seed != before.seed and after.panel.fingerprint != before.panel.fingerprint
    handlers.set_locked(board, sid, True)
    handlers.save_scene(board, sid, form_of(handlers.view(board, sid), shot="ECU"))
    _, drawn = handlers.render(board)
    assert drawn == []  # the locked panel is kept


def test_cancel_stops_a_render(board):
    def cancel_at_three(done, total, message):
        if done == 3:
            handlers.cancel(board)

    with pytest.raises(StoryboardError, match="Cancelled"):
        handlers.render(board, progress=cancel_at_three)
    assert sum(1 for s in store.load(session.check(board)).scenes if s.panel) == 3


def test_an_edit_goes_on_while_an_export_is_written(board):
    import threading

    handlers.render(board)
    scene_id = store.load(session.check(board)).scenes[1].id
    edits: list[threading.Thread] = []

    def progress(done, total, message):
        if not edits:  # mid-export: lock a scene from "another tab"; it must not wait for the export
            edits.append(threading.Thread(target=handlers.set_locked, args=(board, scene_id, True)))
            edits[0].start()
            edits[0].join(timeout=10)
            assert not edits[0].is_alive(), "the edit waited for the export"

    files, *_ = project_files.export(board, studio.ExportRequest(kinds=["pdf"]), progress)
    assert files and store.load(session.check(board)).scenes[1].locked


def test_cancel_stops_an_animatic_and_keeps_the_last_good_one(board):
    handlers.render(board)
    request = studio.ExportRequest(kinds=["animatic"], width=160)
    files, _, movie, _ = project_files.export(board, request)
    good = Path(movie).read_bytes()

    def cancel_at_second_shot(done, total, message):
        if done >= 2:
            handlers.cancel(board)

    with pytest.raises(Cancelled):
        project_files.export(board, dataclasses.replace(request, captions=False), cancel_at_second_shot)
    assert Path(movie).read_bytes() == good
    assert not [p for p in Path(movie).parent.iterdir() if p.name.endswith(".tmp")]


def test_export_gives_files_and_a_preview(board):
    handlers.render(board)
    request = studio.ExportRequest(kinds=["pdf", "csv"], per_page=3, orientation="portrait", hidden_fields=["duration"])
    files, preview, movie, message = project_files.export(board, request)
    assert sorted(f.rsplit("/", 1)[-1] for f in files) == ["the-keeper-s-letter-shotlist.csv",
                                                          "the-keeper-s-letter-storyboard.pdf"]
    assert movie is None and message == "Exported 2 files."
    from PIL import Image

    with Image.open(preview) as image:
        assert image.height > image.width  # a portrait page
    with pytest.raises(InputError, match="at least one"):
        project_files.export(board, studio.ExportRequest(kinds=[]))


def test_project_zip_round_trip_into_another_session(board, tmp_path):
    handlers.render(board)
    archive = project_files.project_zip(board)
    other = session.new_session()
    view, warnings = project_files.open_project(other, archive)
    assert warnings == []
    assert [dataclasses.replace(c, panel='') for c in view.cards] == [
        dataclasses.replace(c, panel='') for c in handlers.view(board).cards]
    assert len(view.gallery) == len(view.cards)


@pytest.mark.parametrize("kind", ["not-zip", "no-project", "bad-json", "bad-field", "escape", "bomb"])
def test_broken_project_uploads_change_nothing(board, tmp_path, kind):
    before = snapshot(board)
    bad = tmp_path / "upload.zip"
    if kind == "not-zip":
        bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    else:
        with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as archive:
            if kind == "no-project":
                archive.writestr("panels/a.png", b"x")
            elif kind == "bad-json":
                archive.writestr("project.json", "{oops")
            elif kind == "bad-field":
                archive.writestr("project.json", json.dumps({"schema_version": 1, "scenes": [{"number": "1",
                                                                                               "shot": "huge"}]}))
            elif kind == "escape":
                archive.writestr("../../evil.txt", "x")
                archive.writestr("project.json", json.dumps({"schema_version": 1, "scenes": []}))
            elif kind == "bomb":
                archive.writestr("project.json", json.dumps({"schema_version": 1, "scenes": []}))
                archive.writestr("panels/big.png", b"\0" * (300 * 1024 * 1024))
    with pytest.raises(ProjectError):
        project_files.open_project(board, str(bad))
    assert snapshot(board) == before
    assert not (tmp_path / "evil.txt").exists()


def test_damaged_panel_in_a_zip_is_dropped_with_a_warning(board, tmp_path):
    handlers.render(board)
    good = project_files.project_zip(board)
    bad = tmp_path / "damaged.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        first_panel = next(n for n in src.namelist() if n.startswith("panels/"))
        for name in src.namelist():
            dst.writestr(name, b"not an image" if name == first_panel else src.read(name))
    view, warnings = project_files.open_project(board, str(bad))
    assert len(warnings) == 1 and "render it again" in warnings[0]
    assert len(view.gallery) == len(view.cards) - 1


def test_sessions_are_separate_and_cleaned_up(board, tmp_path):
    other = session.new_session()
    assert handlers.view(other).has_project is False
    with pytest.raises(StoryboardError, match="expired"):
        session.check(str(tmp_path))  # outside the sessions root
    session.close_session(board)
    assert not (tmp_path / "sessions" / board).exists()


def test_a_reload_resumes_the_session_with_its_token_only(folder):
    first, token = session.open_session(None)
    assert session.open_session(token) == (first, token)
    name = first.rsplit("/", 1)[-1]
    for forged in (name, "../../etc", f"{name}.{name}", token[:-1] + ("0" if token[-1] != "0" else "1"), None, 7):
        assert session.open_session(forged)[0] != first  # anything else starts a new, empty session


def test_render_saves_in_batches_not_once_a_panel(board, monkeypatch):
    saves = []
    real_save = store.save
    monkeypatch.setattr(store, "save", lambda project, where: saves.append(1) or real_save(project, where))
    _, drawn = handlers.render(board)
    assert len(drawn) >= 6
    assert len(saves) <= 2  # one merge at the end (two if a second passed): was one save per panel


def test_the_board_names_no_session_file_and_runs_nothing_from_the_project(board):
    from storyboard.ui.board import board_html

    handlers.render(board)
    sid = handlers.view(board).selected
    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>"
    view = handlers.save_scene(board, sid, form_of(handlers.view(board, sid), action=hostile,
                                                    dialogue=f"MARA: {hostile}"))
    html = board_html(view)
    assert "<script" not in html and "<img src=x" not in html and "&lt;img src=x onerror" in html
    assert session.check(board).name not in html  # images are card-sized copies in Gradio's cache
    images = re.findall(r"src='gradio_api/file=([^']+)'", html)
    assert len(images) == len(view.cards) and all(path.endswith(".jpg") for path in images)
    assert html.count("sb-selected") == 1 and f"data-id='{sid}'" in html.split("sb-selected")[1][:200]


def test_the_story_box_has_the_upload_limit(folder):
    from storyboard.planning.text import MAX_INPUT_BYTES

    assert handlers.MAX_UPLOAD_BYTES == MAX_INPUT_BYTES
    with pytest.raises(InputError, match="limit is 10 MB"):
        handlers.check_story("word " * (MAX_INPUT_BYTES // 5 + 1))
    with pytest.raises(InputError, match="empty"):
        handlers.check_story("  ")
    handlers.check_story("Mara climbs the lighthouse stairs.")


def test_coherence_check_and_reroll_from_the_render_tab(board):
    with pytest.raises(InputError, match="render first"):
        checking.check_coherence(board)
    handlers.render(board)
    rows, heat, summary = checking.check_coherence(board)
    assert len(rows) == len(handlers.view(board).cards) and heat.endswith("coherence.png")
    assert "not measured" in summary  # no face models on this machine
    from storyboard.faces import insightface_root

    assert str(insightface_root()) not in summary and "models folder on the server" in summary  # no server path
    flagged = sum(1 for row in rows if row[3] != "ok")
    view, message = checking.reroll_flagged(board, 1, 0.28, 0.6)
    if flagged:
        assert message.count("→") == flagged
    else:
        assert message == "Nothing is flagged: every panel is coherent."
    view, message = checking.reroll_flagged(board, 2, 0.28, 1.01)  # flag everything: each gets two new takes
    assert message.count("→") == len(view.cards)


# -- Plan lands on a sketched board ----------------------------------------------------------


def test_sketch_after_plan_draws_every_panel(board):
    view, note = handlers.sketch(board)
    project = store.load(session.check(board))
    assert all(s.panel and s.panel.backend == "sketch" for s in project.scenes)
    assert len(view.gallery) == len(project.scenes) and note == f"Sketched {len(project.scenes)} panels."
    assert handlers.sketch(board)[1] == "Sketched 0 panels."  # the Render step's path: up-to-date panels are kept


def test_a_cancelled_sketch_keeps_a_planned_board_with_the_panels_drawn_so_far(board):
    seen = []

    def cancel_at_three(done, total, message):
        seen.append(message)
        if done == 3:
            handlers.cancel(board)

    view, note = handlers.sketch(board, progress=cancel_at_three)  # no error: a cancel is the user's choice
    project = store.load(session.check(board))
    assert sum(1 for s in project.scenes if s.panel) == 3 == len(view.gallery)
    assert note.startswith(f"Sketching stopped: 3 of {len(project.scenes)} panels drawn")
    assert seen[0] == "sketching scene 1"


def test_a_cancelled_plan_leaves_the_old_board(board):
    handlers.sketch(board)
    before = snapshot(board)
    panels = sorted(p.name for p in (session.check(board) / "panels").iterdir())
    with pytest.raises(Cancelled):
        handlers.plan(board, "Mara climbs the stairs. Tom waits below.", "", "", "16:9",
                      progress=lambda *_: handlers.cancel(board))
    assert snapshot(board) == before
    assert sorted(p.name for p in (session.check(board) / "panels").iterdir()) == panels


def test_plan_takes_a_coverage_level(board):
    before = snapshot(board)
    with pytest.raises(InputError, match="coverage must be one of sparse, normal, dense"):
        handlers.plan(board, handlers.example_text(), "", "", "16:9", coverage="every frame")
    assert snapshot(board) == before
    sizes = {level: len(handlers.plan(board, handlers.example_text(), "", "", "16:9", coverage=level).cards)
             for level in COVERAGE_LEVELS}
    assert sizes["sparse"] <= sizes["normal"] <= sizes["dense"]


def test_the_cast_says_in_how_many_shots_each_character_appears(board):
    project = store.load(session.check(board))
    view = handlers.view(board)
    for (label, name), row in zip(view.cast_choices, view.cast_table):
        count = sum(1 for s in project.scenes if name in s.characters)
        shots = f"{count} shot{'' if count == 1 else 's'}"
        assert label == f"{name} — {shots}" and (row[0], row[2]) == (name, shots)
    assert re.fullmatch(r"Mara — \d+ shots", view.cast_choices[view.cast_names.index("Mara")][0])
