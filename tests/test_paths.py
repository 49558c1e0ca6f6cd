"""Path containment: hostile ids, panel paths and links never make render or export touch files outside the project.

Projects are built directly (not loaded), so these tests do not depend on the
loader validating ids: the render and export stages must hold the line alone.
Each test snapshots a sibling folder (another session's, say) before and after.
"""

from __future__ import annotations

import csv
import os
import time
from pathlib import Path

import pytest
from PIL import Image

from storyboard import paths
from storyboard.errors import ExportError, RenderError
from storyboard.export import export_csv, export_grid, export_pdf, export_strip, export_zip
from storyboard.project import Panel, Project, Scene
from storyboard.render import panel_filename, render_scenes
from tests.fixtures.tree import outside_tree, snapshot

HOSTILE_IDS = [
    "../../outside/x",
    "../../../outside/victim",
    "../../../../outside/x/evil",
    "x/../../../../../outside/victim",
    "..",
    "a\x00b",
    "\\..\\..\\outside\\x",
    "s0001/../../../outside",
    "é" * 300,
]


def _project(ids: list[str]) -> Project:
    return Project(title="T", aspect_ratio="1:1",
                   scenes=[Scene(number=str(i + 1), id=ident, action="A door.") for i, ident in enumerate(ids)])


def _files_in_project(project_folder: Path) -> set[str]:
    return {str(p.relative_to(project_folder)) for p in project_folder.rglob("*")}


# -- the helper ------------------------------------------------------------------------


def test_within_answers_only_for_paths_below_the_folder(tmp_path):
    project, sibling = outside_tree(tmp_path)
    (project / "panels").mkdir()
    assert paths.within(project, "panels/a.png") == project.resolve() / "panels" / "a.png"
    assert paths.within(project, str(project / "panels" / "a.png")) == project.resolve() / "panels" / "a.png"
    for bad in ["../outside/victim.png", str(sibling / "victim.png"), "/etc/passwd", "panels/\x00.png", "", ".",
                "panels/../..", "a" * 5000 + "/../../..", 42]:
        assert paths.within(project, bad) is None, bad
    (project / "out").symlink_to(sibling)
    (project / "loop").symlink_to(project / "loop")
    assert paths.within(project, "out/victim.png") is None
    assert paths.within(project, "loop/x") is None
    (project / "inner").symlink_to(project / "panels")
    assert paths.within(project, "inner/a.png") == project.resolve() / "panels" / "a.png"


def test_make_folder_never_creates_anything_above_the_root(tmp_path):
    project, sibling = outside_tree(tmp_path)
    before, around = snapshot(sibling), (os.listdir(tmp_path), os.listdir(tmp_path / "work"))
    for bad in ["../made", "../../made", str(tmp_path / "made"), "a/../../made"]:
        with pytest.raises(RenderError, match="not inside the project folder"):
            paths.make_folder(project, bad, RenderError)
    (project / "panels").symlink_to(sibling / "x")
    with pytest.raises(RenderError, match="goes through a link to"):
        paths.make_folder(project, "panels/new", RenderError)
    assert snapshot(sibling) == before and (os.listdir(tmp_path), os.listdir(tmp_path / "work")) == around
    assert paths.make_folder(project, "a/b/c", RenderError) == project.resolve() / "a" / "b" / "c"


def test_panel_file_names_keep_only_plain_characters_and_stay_distinct():
    names = [panel_filename(Scene(number="1", id=ident)) for ident in HOSTILE_IDS]
    assert all(name.count("/") == 1 and name.startswith("panels/sc001-") for name in names)
    assert all(set(name[len("panels/"):]) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
               for name in names)
    assert len(set(names)) == len(names)
    assert panel_filename(Scene(number="2A", id="s0001")) == "panels/sc002A-s0001.png"  # plain ids unchanged


# -- render ----------------------------------------------------------------------------


def test_hostile_scene_ids_render_only_inside_the_panels_folder(tmp_path):
    project_folder, sibling = outside_tree(tmp_path)
    before, around = snapshot(sibling), set(os.listdir(tmp_path / "work"))
    project = _project(HOSTILE_IDS + [str(sibling / "victim"), str(sibling / "x" / "keep")])
    assert len(render_scenes(project, project_folder, long_side=64)) == len(project.scenes)
    assert snapshot(sibling) == before and set(os.listdir(tmp_path / "work")) == around
    files = _files_in_project(project_folder)
    assert files == {"project.json", "panels"} | {scene.panel.path for scene in project.scenes}
    assert all(paths.within(project_folder / "panels", s.panel.path[len("panels/"):]) for s in project.scenes)


def test_hostile_panel_paths_are_never_deleted_or_written(tmp_path):
    project_folder, sibling = outside_tree(tmp_path)
    before = snapshot(sibling)
    project = _project(["s0001", "s0002", "s0003"])
    project.scenes[0].panel = Panel(path="../outside/victim.png", backend="sketch")
    project.scenes[1].panel = Panel(path=str(sibling / "victim.png"), backend="sketch")
    project.scenes[2].panel = Panel(path="panels/../../outside/x/keep.txt", backend="sketch")
    render_scenes(project, project_folder, long_side=64, force=True)
    assert snapshot(sibling) == before
    assert all(s.panel.path.startswith("panels/sc00") for s in project.scenes)


def test_a_panels_folder_linked_outside_is_refused_and_never_written_through(tmp_path):
    project_folder, sibling = outside_tree(tmp_path)
    (project_folder / "panels").symlink_to(sibling)
    before = snapshot(sibling)
    with pytest.raises(RenderError, match="panels.*goes through a link to"):
        render_scenes(_project(["s0001"]), project_folder, long_side=64)
    assert snapshot(sibling) == before


def test_a_panel_file_linked_outside_is_replaced_not_written_through(tmp_path):
    project_folder, sibling = outside_tree(tmp_path)
    project = _project(["s0001"])
    (project_folder / "panels").mkdir()
    link = project_folder / panel_filename(project.scenes[0])
    link.symlink_to(sibling / "victim.png")
    before = snapshot(sibling)
    render_scenes(project, project_folder, long_side=64)
    assert snapshot(sibling) == before
    assert not link.is_symlink() and Image.open(link).size == (64, 64)


def test_a_panels_folder_linked_inside_the_project_is_followed_by_render_and_export(tmp_path):
    project_folder, _ = outside_tree(tmp_path)
    (project_folder / "drawings").mkdir()
    (project_folder / "panels").symlink_to("drawings")
    project = _project(["s0001", "s0002"])
    render_scenes(project, project_folder, long_side=64)
    assert sorted(os.listdir(project_folder / "drawings")) == ["sc001-s0001.png", "sc002-s0002.png"]
    grid = export_grid(project, project_folder, project_folder / "grid.png", columns=2, cell_width=64,
                       captions=False)
    with Image.open(grid) as sheet:
        assert sheet.convert("L").getpixel((8 + 32, 8 + 32)) > 200  # the white sketch, not a grey placeholder


# -- item 15: a file another scene points at ------------------------------------------


def test_render_never_deletes_or_overwrites_a_file_another_scene_points_at(tmp_path):
    project_folder, _ = outside_tree(tmp_path)
    project = _project(["s0001", "s0002"])
    render_scenes(project, project_folder, long_side=64)
    shared = project.scenes[0].panel.path
    project.scenes[0].locked = True
    project.scenes[1].panel = Panel(**{**project.scenes[0].panel.__dict__})  # both scenes point at one file
    kept = (project_folder / shared).read_bytes()
    render_scenes(project, project_folder, long_side=64, force=True)  # scene 2 gets its own file
    assert (project_folder / shared).read_bytes() == kept
    assert project.scenes[1].panel.path != shared and (project_folder / project.scenes[1].panel.path).is_file()
    # a scene whose own file name is taken by another scene's panel gets a free name instead
    project.scenes[0].panel.path = panel_filename(project.scenes[1])
    project.scenes[0].panel.fingerprint = ""
    os.replace(project_folder / shared, project_folder / panel_filename(project.scenes[1]))
    kept = (project_folder / project.scenes[0].panel.path).read_bytes()
    render_scenes(project, project_folder, long_side=64, numbers=["2"], force=True)
    assert (project_folder / project.scenes[0].panel.path).read_bytes() == kept
    assert project.scenes[1].panel.path == "panels/sc002-s0002-2.png"


# -- export ----------------------------------------------------------------------------


def _board_with_outside_panels(tmp_path) -> tuple[Project, Path, Path]:
    project_folder, sibling = outside_tree(tmp_path)
    Image.new("RGB", (64, 64), (200, 0, 0)).save(sibling / "red.png")
    project = _project(["s0001", "s0002", "s0003"])
    project.scenes[0].panel = Panel(path="../outside/red.png", backend="sketch")
    project.scenes[1].panel = Panel(path=str(sibling / "red.png"), backend="sketch")
    (project_folder / "panels").mkdir()
    (project_folder / "panels" / "link.png").symlink_to(sibling / "red.png")
    project.scenes[2].panel = Panel(path="panels/link.png", backend="sketch")
    return project, project_folder, sibling


def test_exports_never_read_panels_outside_the_project(tmp_path):
    project, folder, sibling = _board_with_outside_panels(tmp_path)
    before = snapshot(sibling)
    grid = export_grid(project, folder, folder / "grid.png", columns=3, cell_width=64, captions=False)
    with Image.open(grid) as sheet:
        assert all(sheet.convert("RGB").getpixel((8 + i * 72 + 32, 8 + 16))[0] < 240 for i in range(3))
        assert not any(sheet.convert("RGB").getpixel((8 + i * 72 + 32, 8 + 16)) == (200, 0, 0) for i in range(3))
    export_strip(project, folder, folder / "strip.png")
    export_pdf(project, folder, folder / "board.pdf")
    from pypdf import PdfReader

    assert not PdfReader(folder / "board.pdf").pages[0].images
    import zipfile

    with zipfile.ZipFile(export_zip(project, folder, folder / "board.zip")) as archive:
        assert archive.namelist() == ["project.json"]
    assert snapshot(sibling) == before


def test_a_panels_folder_linked_outside_gives_one_clear_export_error(tmp_path):
    project_folder, sibling = outside_tree(tmp_path)
    Image.new("RGB", (64, 64), (200, 0, 0)).save(sibling / "sc001-s0001.png")
    (project_folder / "panels").symlink_to(sibling)
    project = _project(["s0001"])
    project.scenes[0].panel = Panel(path="panels/sc001-s0001.png", backend="sketch")
    for export in (export_grid, export_strip, export_pdf, export_zip):
        suffix = {"export_pdf": ".pdf", "export_zip": ".zip"}.get(export.__name__, ".png")
        with pytest.raises(ExportError, match="is a link to .*outside the project folder"):
            export(project, project_folder, project_folder / f"out{suffix}")


def test_panels_larger_than_the_renderer_makes_are_not_decoded(tmp_path):
    project_folder, _ = outside_tree(tmp_path)
    (project_folder / "panels").mkdir()
    Image.new("L", (paths.MAX_PANEL_SIDE + 1, 4), 255).save(project_folder / "panels" / "wide.png")
    project = _project(["s0001"])
    project.scenes[0].panel = Panel(path="panels/wide.png", backend="sketch")
    grid = export_grid(project, project_folder, project_folder / "grid.png", columns=1, cell_width=64)
    with Image.open(grid) as sheet:
        assert sheet.convert("L").getpixel((8 + 32, 8 + 18)) < 240  # the grey "panel too large" tile, not white


# -- item 7: huge and odd text ---------------------------------------------------------


def test_an_action_of_a_million_characters_exports_quickly(tmp_path):
    project = _project(["s0001", "s0002"])
    project.scenes[0].action = "x" * 1_100_000
    project.scenes[1].action = "word " * 250_000
    start = time.monotonic()
    export_grid(project, tmp_path, tmp_path / "grid.png")
    export_strip(project, tmp_path, tmp_path / "strip.png")
    export_pdf(project, tmp_path, tmp_path / "board.pdf")
    export_csv(project, tmp_path / "shots.csv")
    assert time.monotonic() - start < 30


def test_lone_surrogates_and_control_characters_export(tmp_path):
    odd = "a\ud800b\x00c\x1b[31m\u202e\ufeff\U0010ffff"
    project = _project(["s0001"])
    project.title, project.scenes[0].action, project.scenes[0].notes = odd, odd, "=" + odd
    export_pdf(project, tmp_path, tmp_path / "board.pdf")
    export_grid(project, tmp_path, tmp_path / "grid.png")
    with open(export_csv(project, tmp_path / "shots.csv"), encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["action"] == "a\ufffdbc\x1b[31m\u202e\ufeff\U0010ffff" and rows[0]["notes"].startswith("'=")
