"""The project-ZIP importer on hostile archives: crafted member names, random bytes, random project.json.

Every archive either imports or raises a StoryboardError (one line), nothing is
written outside the project folder, no staging folder is left behind, and an
imported project holds only project.json and checked images directly in panels/.
"""

from __future__ import annotations

import io
import json
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from storyboard import paths, store
from storyboard.bundle import import_bundle
from storyboard.errors import ProjectError, StoryboardError
from tests.fixtures.tree import outside_tree, snapshot

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE_NAMES = ["../outside/victim.png", "/tmp/evil.png", "panels/../../outside/x.png", "C:\\evil.png",
                 "panels\\..\\..\\evil.png", "panels/a.png", "panels/sub/a.png", "panels/a\x00.png", "project.json",
                 "board/project.json", "a/b/project.json", "panels/" + "p" * 300 + ".png", "panels/", ".", "..",
                 "panels/CON.png", "panels/é.png", "panels/a.PNG"]


def png_bytes(size: tuple[int, int] = (32, 18), colour: int = 90) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height, with a tiny (never decoded) body: valid chunks and CRCs."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND",
                                                                                                             b"")


def project_json(panels: list[str], **extra) -> bytes:
    scenes = [{"number": str(i + 1), "id": f"s{i + 1:04d}", "panel": {"path": p, "backend": "sketch"} if p else None}
              for i, p in enumerate(panels)]
    return json.dumps({"schema_version": 1, "title": "T", "scenes": scenes, **extra}).encode()


def make_zip(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def check_import(zip_path: Path, folder: Path, sibling: Path) -> None:
    """Import and check the invariants; the caller's `folder` is work/project beside work/outside."""
    before, around = snapshot(sibling), sorted(p.name for p in folder.parent.iterdir())
    try:
        project, warnings = import_bundle(zip_path, folder)
    except StoryboardError as err:
        _note(f"refused: {str(err).split(':')[-1].strip()[:30]}")
        assert "\n" not in str(err)
        assert store.load(folder).title == "Before"  # the current project is kept
    else:
        _note(f"imported, {len(warnings)} panel(s) dropped, {len(project.scenes)} scene(s)")
        assert all("\n" not in w for w in warnings)
        files = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
        panel_files = {s.panel.path for s in project.scenes if s.panel}
        assert files <= {"project.json", "panels"} | panel_files
        for rel in panel_files:
            path = paths.within(folder, rel)
            assert path is not None and path.parent == (folder / "panels").resolve() and path.is_file()
            assert paths.fits_panel_limits(paths.image_size(path))
        assert store.load(folder).scenes == project.scenes
    assert snapshot(sibling) == before
    assert sorted(p.name for p in folder.parent.iterdir()) == around  # no staging or trash folder left


def _note(what: str) -> None:
    if currently_in_test_context():
        event(what)  # --hypothesis-show-statistics shows how many examples imported and why others were refused


def fresh_tree(root: Path) -> tuple[Path, Path]:
    folder, sibling = outside_tree(root)
    from storyboard.project import Project

    store.save(Project(title="Before"), folder)
    return folder, sibling


def test_a_member_name_flagged_utf8_that_is_not_is_one_line(tmp_path):
    folder, sibling = fresh_tree(tmp_path)
    upload = make_zip(tmp_path / "upload.zip", [("project.json", project_json([])), ("panels/\xe9.png", b"x")])
    raw = upload.read_bytes()
    central = raw.rindex(b"PK\x01\x02")
    assert int.from_bytes(raw[central + 8:central + 10], "little") & 0x800  # the name is flagged UTF-8 …
    raw = raw[:central] + raw[central:].replace("\xe9".encode(), b"\x80\x80")  # … and is not
    upload.write_bytes(raw)
    with pytest.raises(ProjectError, match="upload.zip is a damaged ZIP file"):
        import_bundle(upload, folder)
    check_import(upload, folder, sibling)


# -- item 10: oversized panels ----------------------------------------------------------


def test_panels_larger_than_the_renderer_makes_are_dropped_before_decoding(tmp_path):
    folder, sibling = fresh_tree(tmp_path)
    before = snapshot(sibling)
    names = [f"panels/sc00{i}-s000{i}.png" for i in range(1, 10)]
    members = [("project.json", project_json(names + ["panels/ok.png"]))]
    members += [(name, png_header(16000, 11000)) for name in names] + [("panels/ok.png", png_bytes())]
    upload = make_zip(tmp_path / "upload.zip", members)
    project, warnings = import_bundle(upload, folder)
    assert len(warnings) == 9 and all("16000x11000 pixels, larger than the renderer makes" in w for w in warnings)
    assert [s.panel is not None for s in project.scenes] == [False] * 9 + [True]
    assert sorted(p.name for p in (folder / "panels").iterdir()) == ["ok.png"]
    assert snapshot(sibling) == before


def test_a_panel_at_the_renderer_limit_is_kept(tmp_path):
    folder, _ = fresh_tree(tmp_path)
    upload = make_zip(tmp_path / "upload.zip", [("project.json", project_json(["panels/a.png"])),
                                                ("panels/a.png", png_bytes((paths.MAX_PANEL_SIDE, 8)))])
    project, warnings = import_bundle(upload, folder)
    assert warnings == [] and project.scenes[0].panel.path == "panels/a.png"


def test_a_project_json_no_json_parser_can_hold_is_one_line(tmp_path):
    folder, sibling = fresh_tree(tmp_path)
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"schema_version": ' + b"9" * 5000 + b"}"):
        upload = make_zip(tmp_path / "upload.zip", [("project.json", body)])
        with pytest.raises(ProjectError, match="project.json"):
            import_bundle(upload, folder)
        check_import(upload, folder, sibling)


# -- fuzzing ------------------------------------------------------------------------------

safe_names = st.builds(lambda n: f"panels/{n}.png", st.text(alphabet="abcXYZ019-_ é.", min_size=1, max_size=12))
names = st.one_of(safe_names, safe_names, st.sampled_from(HOSTILE_NAMES), st.text(min_size=1, max_size=40),
                  st.text(alphabet="panels/.\\:a", min_size=1, max_size=30))
panel_paths = st.one_of(st.none(), st.sampled_from(HOSTILE_NAMES), st.text(max_size=40), safe_names)
contents = st.one_of(st.just(png_bytes()), st.just(png_bytes()), st.binary(max_size=300),
                     st.just(png_header(5000, 10)), st.just(png_header(0, 0)))
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                        max_size=4), max_leaves=20)
scene_dicts = st.fixed_dictionaries({"number": st.one_of(st.text(max_size=5), st.integers()),
                                     "id": st.one_of(st.text(max_size=12), st.sampled_from(HOSTILE_NAMES))},
                                    optional={"panel": st.one_of(json_values, st.builds(
                                        lambda p: {"path": p, "backend": "sketch"}, panel_paths)),
                                        "action": st.text(max_size=50), "characters": json_values})
odd_projects = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(scene_dicts, max_size=6).map(lambda s: json.dumps({"schema_version": 1, "scenes": s}).encode()),
)


@pytest.mark.filterwarnings("ignore:Duplicate name")
@FUZZ
@given(data=st.data(), root=st.sampled_from(["", "board/"]))
def test_crafted_archives_import_or_fail_in_one_line_and_stay_inside(data, root):
    members = data.draw(st.lists(st.tuples(names, contents), max_size=6), label="members")
    pointed = st.one_of(panel_paths, st.sampled_from([n for n, _ in members])) if members else panel_paths
    body = data.draw(st.one_of(odd_projects, st.lists(pointed, max_size=6).map(project_json),
                               st.lists(pointed, max_size=6).map(project_json)), label="project.json")
    with tempfile.TemporaryDirectory() as tmp:
        folder, sibling = fresh_tree(Path(tmp))
        zip_path = Path(tmp) / "work" / "upload.zip"
        make_zip(zip_path, [(root + "project.json", body)] + [(root + n if n.startswith("panels") else n, data)
                                                              for n, data in members])
        check_import(zip_path, folder, sibling)


@FUZZ
@given(data=st.data())
def test_damaged_archives_import_or_fail_in_one_line(data):
    panels = ["panels/a.png", "panels/b.png"]
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.json", project_json(panels))
        for name in panels:
            archive.writestr(name, png_bytes())
    raw = bytearray(good.getvalue())
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    with tempfile.TemporaryDirectory() as tmp:
        folder, sibling = fresh_tree(Path(tmp))
        zip_path = Path(tmp) / "work" / "upload.zip"
        zip_path.write_bytes(bytes(raw))
        check_import(zip_path, folder, sibling)


@settings(max_examples=40, deadline=None)
@given(raw=st.binary(max_size=2000))
def test_random_bytes_are_refused_in_one_line(raw):
    with tempfile.TemporaryDirectory() as tmp:
        folder, sibling = fresh_tree(Path(tmp))
        zip_path = Path(tmp) / "work" / "upload.zip"
        zip_path.write_bytes(b"PK\x03\x04" + raw if raw[:1] == b"\0" else raw)
        check_import(zip_path, folder, sibling)
