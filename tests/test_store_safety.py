"""project.json under crashes and odd folders: never missing, never half, backups without gaps, no stray files.

The kill tests run real processes and end them with SIGKILL (no cleanup code
runs), either at each file-system step of a save or at random moments of a save
loop and of `python -m storyboard render`. Afterwards project.json must load as
the old or the new version, with no recovery needed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from storyboard import cli, store
from storyboard.errors import ProjectError
from storyboard.project import Project, Scene

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def _project(title: str, scenes: int = 3, action: str = "beat") -> Project:
    project = Project(title=title, scenes=[Scene(number=str(i + 1), action=f"{action} {i}") for i in range(scenes)])
    project.validate()
    return project


def _run(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _loads_cleanly(folder: Path) -> Project:
    """project.json is there and loads as it is: no recovery, no repaired ids."""
    assert (folder / "project.json").is_file(), sorted(p.name for p in folder.iterdir())
    notes: list[str] = []
    project = store.load(folder, notes)
    assert notes == []
    return project


def _title(path: Path) -> str:
    return json.loads(path.read_text(encoding="utf-8"))["title"]


# -- a kill at every step of a save -----------------------------------------------------------------

STEP_KILLER = """
    import os, signal, sys
    from storyboard import store
    from storyboard.project import Project, Scene

    folder, target, when = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    project = Project(title="New", scenes=[Scene(number=str(i + 1), action="new " * 50) for i in range(300)])
    calls = 0

    def killing(fn):
        def call(*args, **kwargs):
            global calls
            calls += 1
            if calls == target and when == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            result = fn(*args, **kwargs)
            if calls == target and when == "after":
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return call

    for name in ("link", "replace", "rename", "unlink", "remove"):
        setattr(os, name, killing(getattr(os, name)))
    store.save(project, folder)
"""


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_kill_at_any_step_of_a_save_leaves_project_json_old_or_new(tmp_path, when):
    """Before the fix, a kill right after renaming project.json to .bak left no project.json."""
    old = _project("Old", 300)
    for step in range(1, 12):
        folder = tmp_path / f"{when}-{step}"
        store.save(old, folder)
        store.save(old, folder)  # so there is a .bak to replace as well
        child = _run(STEP_KILLER, str(folder), str(step), when)
        _, err = child.communicate(timeout=60)
        assert child.returncode in (0, -signal.SIGKILL), err.decode()
        loaded = _loads_cleanly(folder)
        assert loaded.title in ("Old", "New")
        if child.returncode == 0:  # the save ran to the end without reaching this step: all steps covered
            assert loaded.title == "New"
            assert _title(folder / "project.json.bak") == "Old"
            break
    else:
        pytest.fail("the save took more file-system steps than expected")


# -- kill -9 at random moments ---------------------------------------------------------------------

SAVE_LOOP = """
    import sys
    from storyboard import store
    from storyboard.project import Project, Scene

    folder = sys.argv[1]
    versions = [Project(title=t, scenes=[Scene(number=str(i + 1), action=(t + " ") * 1000) for i in range(600)])
                for t in ("A", "B")]
    i = 0
    while True:
        store.save(versions[i % 2], folder)
        i += 1
"""


def test_kill_9_loop_around_save_always_leaves_the_old_or_the_new_project(tmp_path):
    folder = tmp_path / "board"
    store.save(_project("A", 2), folder)
    store.save(_project("A", 2), folder)
    rng = random.Random(1234)
    for _ in range(20):
        child = _run(SAVE_LOOP, str(folder))
        time.sleep(rng.uniform(0.1, 0.5))
        child.send_signal(signal.SIGKILL)
        _, err = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL, err.decode()
        loaded = _loads_cleanly(folder)
        assert loaded.title in ("A", "B")
        assert len(loaded.scenes) in (2, 600)
        assert all(scene.action.startswith(loaded.title) for scene in loaded.scenes[1:])
        assert _title(folder / "project.json.bak") in ("A", "B")
    # The killed saves left temp files; none is in use now, so a sweep clears them all.
    store.sweep_temps(folder / "project.json", grace=0)
    assert sorted(p.name for p in folder.iterdir()) == ["project.json", "project.json.bak"]


def test_kill_9_loop_around_render_always_leaves_a_loadable_project(tmp_path):
    folder = tmp_path / "board"
    planned = _project("Render me", 150, action="Mara climbs the lighthouse stairs")
    store.save(planned, folder)
    ids = [scene.id for scene in planned.scenes]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "storyboard", "render", str(folder), "--force", "--size", "96"]
    rng = random.Random(99)
    finished = 0
    for _ in range(10):
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.2, 1.6))
        child.send_signal(signal.SIGKILL)
        _, err = child.communicate(timeout=60)
        assert child.returncode in (0, -signal.SIGKILL), err.decode()
        finished += child.returncode == 0
        loaded = _loads_cleanly(folder)
        assert [scene.id for scene in loaded.scenes] == ids
        for scene in loaded.scenes:  # every panel project.json names is a whole file
            assert scene.panel is None or (folder / scene.panel.path).is_file()
    assert finished < 10, "no render was interrupted: the test proves nothing"


# -- backups, permissions, folders -----------------------------------------------------------------


def test_backup_is_a_hard_link_and_project_json_is_never_renamed_away(tmp_path):
    store.save(_project("One"), tmp_path)
    first = (tmp_path / "project.json").stat().st_ino
    store.save(_project("Two"), tmp_path)
    assert (tmp_path / "project.json.bak").stat().st_ino == first  # the old file itself, linked
    assert (tmp_path / "project.json").stat().st_ino != first
    assert _title(tmp_path / "project.json.bak") == "One"


def test_backup_falls_back_to_a_copy_where_hard_links_are_not_supported(tmp_path, monkeypatch):
    store.save(_project("One"), tmp_path)

    def no_links(*args, **kwargs):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)  # as on FAT or some network shares
    store.save(_project("Two"), tmp_path)
    assert store.load(tmp_path).title == "Two"
    assert _title(tmp_path / "project.json.bak") == "One"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project.json", "project.json.bak"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_saved_files_honour_the_umask(tmp_path, umask, mode):
    """Before the fix every file was 0600 (mkstemp's mode), whatever the umask."""
    old = os.umask(umask)
    try:
        store.save(_project("One"), tmp_path)
        store.save(_project("Two"), tmp_path)
        store.atomic_write_bytes(tmp_path / "shotlist.csv", b"a,b\n")
    finally:
        os.umask(old)
    for name in ("project.json", "project.json.bak", "shotlist.csv"):
        assert (tmp_path / name).stat().st_mode & 0o777 == mode, name


def test_plan_out_an_existing_folder_named_like_a_json_file_is_refused(tmp_path, capsys):
    """Before the fix the user's folder was renamed to name.json.bak and replaced by a file."""
    story = tmp_path / "story.txt"
    story.write_text("Mara climbs the stairs of the lighthouse. She lights the lamp.")
    users = tmp_path / "name.json"
    users.mkdir()
    (users / "keep.txt").write_text("mine")
    assert cli.main(["plan", str(story), "--out", str(users)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("storyboard: error: ") and err.count("\n") == 1 and "folder" in err
    assert (users / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["name.json", "story.txt"]


def test_save_never_rotates_a_folder_as_a_backup(tmp_path):
    (tmp_path / "project.json").mkdir()
    (tmp_path / "project.json" / "x").write_text("x")
    with pytest.raises(ProjectError, match="folder"):
        store.save(_project("One"), tmp_path)
    assert (tmp_path / "project.json" / "x").read_text() == "x"
    other = tmp_path / "other"
    store.save(_project("One"), other)
    (other / "project.json.bak").mkdir()
    with pytest.raises(ProjectError, match="folder"):
        store.save(_project("Two"), other)
    assert store.load(other).title == "One" and (other / "project.json.bak").is_dir()
    with pytest.raises(ProjectError, match="folder"):
        store.load(tmp_path)


# -- recovery ---------------------------------------------------------------------------------------


def test_a_missing_project_json_is_recovered_from_the_backup_and_said(tmp_path):
    store.save(_project("One"), tmp_path)
    store.save(_project("Two"), tmp_path)
    (tmp_path / "project.json").unlink()
    assert store.has_project(tmp_path) and not store.has_project(tmp_path / "elsewhere")
    notes: list[str] = []
    assert store.load(tmp_path, notes).title == "One"
    assert len(notes) == 1 and "missing" in notes[0] and "project.json.bak" in notes[0]
    store.save(store.load(tmp_path), tmp_path)  # the next save makes it project.json again
    assert _loads_cleanly(tmp_path).title == "One"


def test_a_cut_short_project_json_is_recovered_from_the_newest_complete_temp_file(tmp_path):
    """What the old save left when killed between its two renames: a .bak and the new, complete temp file."""
    store.save(_project("Old"), tmp_path)
    store.save(_project("Old"), tmp_path)
    fd, tmp = store.new_temp(tmp_path / "project.json")
    os.write(fd, store.dumps(_project("New")).encode())
    os.close(fd)
    half = tmp_path / ".project.json.0000.tmp"
    half.write_text(store.dumps(_project("Half"))[:200])  # a save killed while writing: newest, but not whole
    os.utime(tmp, (time.time() + 5, time.time() + 5))
    os.utime(half, (time.time() + 10, time.time() + 10))
    (tmp_path / "project.json").write_text('{"title": "Ne')
    notes: list[str] = []
    assert store.load(tmp_path, notes).title == "New"
    assert "not valid JSON" in notes[0] and tmp.name in notes[0]


def test_recovery_is_printed_by_the_cli_as_one_warning_line(tmp_path, capsys):
    store.save(_project("One"), tmp_path)
    store.save(_project("Two"), tmp_path)
    (tmp_path / "project.json").write_bytes(b"")
    assert cli.main(["export", str(tmp_path), "--csv"]) == 0
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("storyboard:")]
    assert len(err) == 1 and err[0].startswith("storyboard: warning: ") and "empty" in err[0]
    assert (tmp_path / "project.json").read_bytes() == b""  # loading alone changes no file
    assert (tmp_path / "one-shotlist.csv").is_file()  # named from the recovered copy's title


def test_nothing_to_recover_from_gives_the_original_error(tmp_path):
    (tmp_path / "project.json").write_text("{not json")
    (tmp_path / "project.json.bak").write_text("[]")
    with pytest.raises(ProjectError, match="not valid JSON"):
        store.load(tmp_path)


# -- stale temp files -------------------------------------------------------------------------------


def test_save_sweeps_stale_temp_files_but_not_one_a_writer_holds(tmp_path, monkeypatch):
    """Before the fix, temp files of crashed saves (up to 40 MB each) stayed for ever."""
    store.save(_project("One"), tmp_path)
    stale = tmp_path / ".project.json.abc123.tmp"
    stale.write_bytes(b"x" * 1000)
    old_link = tmp_path / ".project.json.def456.bak.tmp"
    old_link.write_bytes(b"{}")
    held_fd, held = store.new_temp(tmp_path / "project.json")  # a save in another thread, still writing
    other = tmp_path / ".storyboard.pdf.abc.tmp"
    other.write_bytes(b"%PDF")
    store.save(_project("Two"), tmp_path)
    assert stale.exists(), "a temp file this young may belong to a save that has just begun"
    monkeypatch.setattr(store, "TEMP_GRACE_S", 0.0)
    try:
        store.save(_project("Three"), tmp_path)
        assert not stale.exists() and not old_link.exists()
        assert held.exists(), "the temp file of a live writer was deleted"
        assert other.exists(), "only project.json's own temp files are swept"
    finally:
        os.close(held_fd)
    store.save(_project("Four"), tmp_path)
    assert not held.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".storyboard.pdf.abc.tmp", "project.json",
                                                          "project.json.bak"]
