"""The CSV shot list, parsed back with the csv module."""

from __future__ import annotations

import csv

import pytest

from storyboard.errors import ExportError
from storyboard.export import export_csv
from storyboard.export.shotlist import COLUMNS, safe_cell


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_header_bom_and_rows(board, tmp_path):
    out = export_csv(board, tmp_path / "shots.csv")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle)) == list(COLUMNS)
    rows = read_rows(out)
    assert [row["shot"] for row in rows] == ["1", "2", "2A", "3", "4", "5", "6"]
    assert [row["scene"] for row in rows] == ["1", "2", "2", "3", "4", "5", "6"]
    second = rows[1]
    assert second["id"] == "s0002"
    assert (second["size"], second["size_name"], second["angle"], second["move"]) == (
        "CU",
        "close-up",
        "low",
        "dolly in",
    )
    assert second["duration_s"] == "2.5" and rows[0]["duration_s"] == "3"
    assert second["heading"] == "INT. LIGHTHOUSE - NIGHT 2"


def test_place_columns_and_dash_numbering(board, tmp_path):
    scene = board.scenes[2]
    scene.interior, scene.location, scene.time_of_day = "EXT", "Cliff path", "DUSK"
    scene.transition, scene.notes = "CUT TO:", "wind"
    board.shot_numbering = "dashes"
    rows = read_rows(export_csv(board, tmp_path / "shots.csv"))
    assert [row["shot"] for row in rows] == ["1-1", "2-1", "2-2", "3-1", "4-1", "5-1", "6-1"]
    assert (rows[2]["int_ext"], rows[2]["location"], rows[2]["time_of_day"]) == ("EXT", "Cliff path", "DUSK")
    assert (rows[2]["transition"], rows[2]["notes"]) == ("CUT TO:", "wind")


def test_unicode_round_trip(board, tmp_path):
    rows = read_rows(export_csv(board, tmp_path / "shots.csv"))
    assert rows[1]["characters"].split("; ") == ["Zoë", "Дмитрий"]
    assert rows[1]["dialogue"] == "Zoë (whispering): Who's there? 👋 / Дмитрий: Кто там? Это я."
    assert rows[2]["dialogue"] == "李明 (V.O.): 我在这里。"
    assert rows[1]["notes"] == "Keep the lantern in frame"


def test_formula_injection_is_neutralised(board, tmp_path):
    scene = board.scenes[0]
    scene.action = '=HYPERLINK("http://evil","click")'
    scene.notes = "+1 555 0100"
    scene.heading = "-INT. CELLAR"
    scene.transition = "@SUM(A1)"
    scene.characters = ["=cmd"]
    scene.duration_s = 0.0
    row = read_rows(export_csv(board, tmp_path / "shots.csv"))[0]
    assert row["action"] == "'" + scene.action
    assert row["notes"] == "'+1 555 0100"
    assert row["heading"] == "'-INT. CELLAR"
    assert row["transition"] == "'@SUM(A1)"
    assert row["characters"] == "'=cmd"
    assert row["duration_s"] == "0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("\t=x", "'\t=x"), ("plain", "plain"), ("", ""), ("a=b", "a=b"), (3, "3")],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_multiline_action_survives_and_bad_destination(board, tmp_path):
    board.scenes[0].action = 'Line one,\n"quoted" line two'
    assert read_rows(export_csv(board, tmp_path / "s.csv"))[0]["action"] == 'Line one,\n"quoted" line two'
    with pytest.raises(ExportError):
        export_csv(board, tmp_path / "s.xlsx")
