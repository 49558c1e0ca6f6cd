"""Property-based fuzzing of the project loader: any input loads or raises ProjectError, and writes nothing.

Inputs are arbitrary JSON values, project-shaped objects with hostile values
in every field (path ids, lone surrogates, huge or deep values, unknown keys),
arbitrary bytes as project.json, and damaged copies of a real project.json. A
project that loads must also save, and load back equal (so what loads can
always be saved), with only safe, unique scene ids. All files live in a
sandbox folder whose contents the test checks after every example.
"""

from __future__ import annotations

import json
import tempfile
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyboard import store
from storyboard.errors import ProjectError
from storyboard.project import Character, DialogueLine, Panel, Project, Scene, valid_scene_id

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text fields get any Unicode (control characters, NUL, path characters); free-form JSON also lone surrogates.
TEXT = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(["", " ", "..", "../../outside/x", "/etc/passwd", "C:\\x", "a\x00b", "s0001", "MS", "CU",
                     "16:9", "x" * 70, "Mara", "panels/../../x.png", "\u202e", "NUL"]),
)
ANY_TEXT = st.one_of(TEXT, st.text(st.characters(codec=None, categories=None, exclude_categories=()), max_size=10),
                     st.just("\ud800"))
NUMBER = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 3.0, 2**32, 1e308]),
)


def _json(text: st.SearchStrategy[str]) -> st.SearchStrategy:
    return st.recursive(
        st.one_of(st.none(), st.booleans(), NUMBER, text),
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)),
        max_leaves=25,
    )


JSON = _json(TEXT)  # what a newer app or a user might add
ANY_JSON = _json(ANY_TEXT)  # anything json.loads can return, lone surrogates included


@st.composite
def _fields(draw, cls, plausible: dict) -> dict:
    """An object for dataclass `cls`: each known field plausible, hostile or absent, plus unknown keys."""
    out = {}
    for name, value in plausible.items():
        choice = draw(st.integers(0, 59))
        if choice < 57:
            out[name] = draw(value)
        elif choice < 58:
            out[name] = draw(ANY_JSON)
    out.update(draw(st.dictionaries(TEXT, JSON, max_size=2)))
    return out


# Each field: a plausible strategy (its text still hostile: control characters, paths, NUL); `_fields` swaps in
# anything at all now and then, drops fields and adds unknown keys.
NAME = st.one_of(st.sampled_from(["Mara", "Zoë", "TOM", "Dr. Who"]), TEXT)
DIALOGUE = _fields(DialogueLine, {"character": NAME, "text": TEXT, "parenthetical": TEXT, "extension": TEXT})
PANEL = _fields(Panel, {
    "path": TEXT, "backend": st.just("sketch"), "settings": st.dictionaries(TEXT, JSON, max_size=3),
    "fingerprint": TEXT, "width": st.integers(0, 10**40), "height": st.integers(0, 5000), "rendered_at": TEXT,
})
SCENE = _fields(Scene, {
    "number": st.integers(1, 99).map(str), "id": TEXT, "heading": TEXT, "interior": TEXT, "location": TEXT,
    "time_of_day": TEXT, "characters": st.lists(NAME, max_size=3), "action": TEXT,
    "dialogue": st.lists(DIALOGUE, max_size=3), "shot": st.sampled_from(["MS", "close up", "wide", "EWS"]),
    "angle": st.sampled_from(["eye level", "low", "dutch"]), "move": st.sampled_from(["static", "pan", "zoom"]),
    "duration_s": st.floats(0, 3600), "transition": TEXT, "notes": TEXT, "prompt": TEXT,
    "seed": st.integers(0, 2**32 - 1), "locked": st.booleans(), "panel": st.one_of(st.none(), PANEL),
})
CHARACTER = _fields(Character, {
    "name": NAME, "description": TEXT, "references": st.lists(TEXT, max_size=2), "lora": TEXT, "trigger": TEXT,
})
PROJECT = _fields(Project, {
    "schema_version": st.just(1), "title": TEXT, "synopsis": TEXT, "source_format": TEXT, "style": TEXT,
    "negative_prompt": TEXT, "aspect_ratio": st.sampled_from(["16:9", "2.39:1", "4:3", "1:1"]),
    "characters": st.lists(CHARACTER, max_size=3), "scenes": st.lists(SCENE, max_size=5),
})


@contextmanager
def _sandbox():
    """A project folder inside a sandbox; afterwards the sandbox holds nothing but that folder."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as root:
        sandbox = Path(root)
        (sandbox / "outside.txt").write_text("untouched")
        folder = sandbox / "board"
        folder.mkdir()
        yield folder
        assert sorted(p.name for p in sandbox.iterdir()) == ["board", "outside.txt"]
        assert (sandbox / "outside.txt").read_text() == "untouched"
        assert all(p.parent == folder for p in folder.rglob("*")), "a file was written below the project folder"


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _check_loaded(project: Project, folder: Path) -> None:
    """What loads has safe unique ids, saves, and loads back the same."""
    ids = [scene.id for scene in project.scenes]
    assert all(valid_scene_id(i) for i in ids) and len(set(ids)) == len(ids)
    store.save(project, folder)
    again = store.load(folder)
    assert again == project
    assert store.dumps(again) == store.dumps(project)


def _from_data(data) -> None:
    with _sandbox() as folder:
        try:
            project = store.from_data(data, notes=[])
        except ProjectError as err:
            assert "\n" not in str(err)
            return
        _check_loaded(project, folder)


@FUZZ
@given(ANY_JSON)
def test_from_data_on_any_json_value_loads_or_says_why(data):
    _from_data(data)


@FUZZ
@given(PROJECT)
def test_from_data_on_hostile_projects_loads_or_says_why(data):
    _from_data(data)


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.integers(), ANY_JSON), st.sampled_from([[], [{"number": "1"}], [{"number": "1", "id": "../x"}]]))
def test_any_schema_version_loads_or_says_why(version, scenes):
    _from_data({"schema_version": version, "scenes": scenes, "characters": ["Mara"]})


@FUZZ
@given(st.binary(max_size=300))
def test_load_on_any_bytes_loads_or_says_why_and_writes_nothing(raw):
    with _sandbox() as folder:
        (folder / "project.json").write_bytes(raw)
        before = _listing(folder)
        try:
            store.load(folder, notes=[])
        except ProjectError as err:
            assert "\n" not in str(err)
        assert _listing(folder) == before  # loading never writes


VALID = store.dumps(Project(title="Base", characters=[Character("Mara")],
                            scenes=[Scene(number=str(i), id=f"s{i:04d}", action=f"beat {i}") for i in range(1, 4)]))


@FUZZ
@given(st.integers(0, len(VALID)), st.integers(0, 40), st.binary(max_size=20), st.booleans())
def test_load_of_a_damaged_project_recovers_the_backup_or_says_why(cut, drop, insert, keep_backup):
    raw = VALID.encode()
    damaged = raw[:cut] + insert + raw[cut + drop:]
    with _sandbox() as folder:
        if keep_backup:
            (folder / "project.json.bak").write_text(VALID)
        (folder / "project.json").write_bytes(damaged)
        notes: list[str] = []
        try:
            project = store.load(folder, notes)
        except ProjectError as err:
            assert "\n" not in str(err)
            if keep_backup:  # with a good backup, only a whole-JSON file that does not validate is an error
                json.loads(damaged.decode("utf-8-sig"))
            return
        if notes and keep_backup and "recovered" in notes[0]:
            assert project.title == "Base"
        _check_loaded(project, folder)
