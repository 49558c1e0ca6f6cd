"""The command line, end to end: make, plan, render, export, and one-line errors with exit code 2."""

from __future__ import annotations

import csv
import subprocess
import sys
import zipfile

import pytest
from pypdf import PdfReader

from storyboard import store
from storyboard.cli import main
from storyboard.export.service import output_name


def exported(board, kind: str):
    """Where the export of `kind` of the project in `board` is written (named from its title)."""
    return board / output_name(store.load(board), kind)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "storyboard", *args], capture_output=True, text=True, timeout=300)


def test_make_builds_the_whole_board(tmp_path, lighthouse_text):
    story = tmp_path / "story.txt"
    story.write_text(lighthouse_text, encoding="utf-8")
    result = run_cli("make", str(story), "--out", str(tmp_path / "board"))
    assert result.returncode == 0, result.stderr
    board = tmp_path / "board"
    project = store.load(board)
    panels = sorted((board / "panels").glob("*.png"))
    assert len(panels) == len(project.scenes) >= 6
    assert all(s.panel and (board / s.panel.path).is_file() for s in project.scenes)
    reader = PdfReader(board / "the-keeper-s-letter-storyboard.pdf")  # named from the title
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == -(-len(project.scenes) // 6)
    assert "The Keeper's Letter" in text and "He is alive" in text
    assert (board / "the-keeper-s-letter-strip.png").is_file()
    assert result.stdout.split() == [str(board / "project.json"), str(exported(board, "pdf")),
                                     str(exported(board, "strip"))]


def test_plan_render_export_steps(tmp_path, nlp, capsys):
    script = tmp_path / "scene.fountain"
    script.write_text("Title: Night Shift\n\nINT. DINER - NIGHT\n\nJO wipes the counter.\n\nJO\nWe're closed.\n\n"
                      "EXT. PARKING LOT - NIGHT\n\nA truck pulls in.\n", encoding="utf-8")
    board = tmp_path / "b"
    assert main(["plan", str(script), "--out", str(board), "--aspect", "2.39:1"]) == 0
    project = store.load(board)
    assert project.title == "Night Shift" and project.aspect_ratio == "2.39:1"
    assert main(["render", str(board), "--scene", project.scenes[0].number]) == 0  # "1A": scene 1's first shot
    assert "rendered 1 of" in capsys.readouterr().out
    assert main(["render", str(board)]) == 0
    assert main(["export", str(board), "--pdf", "--csv", "--zip", "--grid", "--per-page", "2", "--portrait",
                 "--hide", "dialogue"]) == 0
    reader = PdfReader(board / "night-shift-storyboard.pdf")
    page = reader.pages[0]
    assert page.mediabox.height > page.mediabox.width
    assert "closed" not in reader.pages[0].extract_text()
    rows = list(csv.DictReader((board / "night-shift-shotlist.csv").open(encoding="utf-8-sig")))
    assert [r["shot"] for r in rows] == [s.number for s in store.load(board).scenes]
    names = zipfile.ZipFile(board / "night-shift-storyboard.zip").namelist()
    assert "project.json" in names and any(n.startswith("panels/") for n in names)
    assert "exports/night-shift-storyboard.pdf" in names and "exports/night-shift-sheet.png" in names


def test_aspect_can_change_at_render_time(tmp_path, nlp):
    story = tmp_path / "s.txt"
    story.write_text("Mara waits at the station. The train arrives. Mara smiles.", encoding="utf-8")
    assert main(["plan", str(story), "--out", str(tmp_path / "b")]) == 0
    assert main(["render", str(tmp_path / "b"), "--aspect", "9:16"]) == 0
    project = store.load(tmp_path / "b")
    assert project.aspect_ratio == "9:16"
    assert project.scenes[0].panel.width < project.scenes[0].panel.height


@pytest.mark.parametrize(
    "args, message",
    [
        (["plan", "{tmp}/missing.txt", "--out", "{tmp}/b"], "input file not found"),
        (["plan", "{tmp}/empty.txt", "--out", "{tmp}/b"], "empty"),
        (["plan", "{tmp}/blob.txt", "--out", "{tmp}/b"], "binary"),
        (["plan", "{tmp}/ok.txt", "--out", "{tmp}/b", "--aspect", "5:4"], "aspect ratio"),
        (["render", "{tmp}/nowhere"], "no project found"),
        (["render", "{tmp}/broken"], "project.json"),
        (["render", "{tmp}/broken2"], "scenes[0].duration_s"),
        (["render", "{tmp}/broken2", "--backend", "oil"], "invalid choice"),
        (["render", "{tmp}/broken2", "--steps", "many"], "invalid int value"),
        (["export", "{tmp}/nowhere", "--pdf"], "no project found"),
        (["plan"], "required"),
        (["export", "{tmp}/b", "--per-page", "4"], "invalid choice"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(tmp_path, args, message):
    (tmp_path / "empty.txt").write_text("   \n\t\n")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "ok.txt").write_text("Mara runs.")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "project.json").write_text("{oops")
    (tmp_path / "broken2").mkdir()
    (tmp_path / "broken2" / "project.json").write_text('{"schema_version": 1, "scenes": [{"number": "1", '
                                                        '"duration_s": "abc"}]}')
    result = run_cli(*[a.format(tmp=tmp_path) for a in args])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_broken_project_is_left_untouched(tmp_path):
    (tmp_path / "project.json").write_text('{"schema_version": 1, "scenes": "nope"}')
    assert main(["render", str(tmp_path)]) == 2
    assert (tmp_path / "project.json").read_text() == '{"schema_version": 1, "scenes": "nope"}'


def test_title_falls_back_to_the_file_name(tmp_path, nlp):
    story = tmp_path / "night_ferry.txt"
    story.write_text("Mara waits at the pier. The ferry arrives. Mara smiles.", encoding="utf-8")
    assert main(["plan", str(story), "--out", str(tmp_path / "b")]) == 0
    project = store.load(tmp_path / "b")
    assert project.title == "Night Ferry"
    assert main(["plan", str(story), "--out", str(tmp_path / "c"), "--title", "Crossing"]) == 0
    assert store.load(tmp_path / "c").title == "Crossing"


def test_export_with_the_coherence_appendix(tmp_path, nlp):
    story = tmp_path / "s.txt"
    story.write_text("Mara waits at the station. The train arrives. Mara smiles.", encoding="utf-8")
    board = tmp_path / "b"
    assert main(["make", str(story), "--out", str(board)]) == 0
    assert main(["check", str(board), "--faces-root", str(tmp_path / "none")]) == 0
    assert main(["export", str(board), "--pdf", "--coherence"]) == 0
    pages = PdfReader(exported(board, "pdf")).pages
    assert len(pages) == 2 and "coherence" in pages[1].extract_text()


def test_export_animatic_storyboarder_and_timelines_with_a_warning(tmp_path, nlp, capsys):
    story = tmp_path / "s.txt"
    story.write_text("The Ferry\n\nMara waits at the pier. The ferry arrives. Mara smiles.", encoding="utf-8")
    board = tmp_path / "b"
    assert main(["make", str(story), "--out", str(board), "--numbering", "dashes", "--author", "Harbour"]) == 0
    project = store.load(board)
    assert (project.shot_numbering, project.author) == ("dashes", "Harbour")
    project.scenes[0].action = "Mara waits at the pier in the rain."  # its panel is now out of date
    project.scenes[1].duration_s = 4.5  # a new duration is not: the panel does not show it
    store.save(project, board)
    capsys.readouterr()
    assert main(["export", str(board), "--animatic", "--gif", "--storyboarder", "--edl", "--otio", "--width", "160",
                 "--fps", "25", "--no-moves"]) == 0
    out, err = capsys.readouterr()
    assert err.count("storyboard: warning:") == 1 and "out of date: shot 1-1; shown as blank frames" in err
    written = out.split()
    assert written == [str(board / name) for name in (
        "the-ferry-animatic.mp4", "the-ferry-animatic.gif", "the-ferry-storyboarder",
        "the-ferry-timeline/the-ferry.otio", "the-ferry-timeline/the-ferry.edl")]
    assert (board / "the-ferry-timeline" / "the-ferry-media").is_dir()


def test_export_with_a_bad_sound_file_is_one_line(tmp_path, nlp):
    story = tmp_path / "s.txt"
    story.write_text("Mara waits at the pier. The ferry arrives.", encoding="utf-8")
    assert main(["plan", str(story), "--out", str(tmp_path / "b")]) == 0
    (tmp_path / "noise.wav").write_text("not a sound")
    result = run_cli("export", str(tmp_path / "b"), "--animatic", "--audio", str(tmp_path / "noise.wav"))
    assert result.returncode == 2
    assert result.stderr.count("\n") <= 2 and "noise.wav" in result.stderr.splitlines()[-1]
    assert not list((tmp_path / "b").glob("*.mp4"))


def test_doctor_plans_memory_for_the_options_asked(capsys):
    from storyboard.cli import main

    assert main(["doctor", "--model", "black-forest-labs/FLUX.1-dev", "--size", "768", "--offload", "sequential"]) == 0
    out = capsys.readouterr().out
    assert ("family: FLUX model (told from its name: it is not downloaded yet); native 1024 px; no blueprint "
            "ControlNet; cannot use the ControlNet, the IP-Adapter, the regional pass") in out
    assert "memory plan: FLUX model (told from its name: it is not downloaded yet) at 768×768" in out
    assert main(["doctor", "--model", "a/sdxl-thing", "--controlnet", "--ip-adapter"]) == 0
    assert "at 1024×1024 (ControlNet, IP-Adapter)" in capsys.readouterr().out
