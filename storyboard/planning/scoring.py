"""Scoring the planner against a gold-annotated corpus, in-process.

A corpus is a folder of texts and a `gold.json` ({"about": ..., "texts": {file name: gold}}); see
tests/planning/corpus/ and benchmarks/bench_planner.py. Each text is read as the CLI reads it and planned
with `plan_text` (form detected, normal coverage); a text that raises scores 0 everywhere.

Metrics per text (the mean over the texts is the corpus score; a metric a text has nothing to score for,
such as speaker accuracy without dialogue, is left out of that text's mean):

* char P/R/F1 -- the project's characters against the gold cast. A name maps to a gold entity by its
  normalised form (see `alignment.name_variants`); the first hit on a cast member is a true positive, a
  second name for the same member a false positive; names of neutral entities and groups are ignored;
  any other name is a false positive. Recall is over the gold cast.
* scenes in range -- the number of scenes is inside the gold range; in a screenplay (.fountain)
  consecutive scenes sharing a `heading` count once.
* scene-char F1 -- scenes are aligned to beats (`alignment.align_scenes`); per beat, F1 between the
  characters shown by its aligned scenes (less the `maybe` of the beats they cover) and the `on` sets of
  the beats they cover; 0 when no scene is aligned. Mean over beats.
* speaker acc -- the share of gold dialogue lines found among the predicted lines and given to the
  right speaker (`alignment.match_lines`).
* location / time acc -- per beat with `where` / `when`: the share of its aligned scenes whose location
  contains an accepted word / whose time of day is an accepted one; 0 without aligned scenes. Mean
  over beats.
* seconds -- the time `plan_text` took.

Nothing in the app imports this module.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..project import Project
from . import plan_text
from .alignment import Entities, align_scenes, beat_spans, f1, match_lines, place_ok, time_ok, words
from .text import read_text_file

METRICS = ("char_p", "char_r", "char_f1", "scene_char_f1", "speaker_acc", "loc_acc", "time_acc")


@dataclass
class Case:
    """One text of a corpus and its gold annotation."""

    name: str  # the file name, the key in gold.json
    path: Path
    gold: dict

    @property
    def language(self) -> str:
        return self.gold.get("language", "")

    def read(self) -> str:
        return read_text_file(self.path)


@dataclass
class BeatScore:
    start: str  # the beat's anchor
    scenes: list[int]  # indices of the scenes aligned to it
    f1: float
    location: float | None  # None: the beat has no `where`
    time: float | None  # None: the beat has no `when`


@dataclass
class LineScore:
    speaker: str  # gold
    text: str
    found: bool
    correct: bool
    got: str | None  # the predicted speaker


@dataclass
class TextScore:
    name: str
    language: str = ""
    seconds: float = 0.0
    crash: str = ""  # the error when planning failed ("" = planned)
    project: Project | None = None
    char_p: float = 0.0
    char_r: float = 0.0
    char_f1: float = 0.0
    extras: list[str] = field(default_factory=list)  # names that are no one, or someone again
    missing: list[str] = field(default_factory=list)  # cast members not found
    n_scenes: int = 0
    scene_range: tuple[int, int] = (0, 0)
    scenes_ok: bool = False
    scene_char_f1: float = 0.0
    speaker_acc: float | None = None
    loc_acc: float | None = None
    time_acc: float | None = None
    beats: list[BeatScore] = field(default_factory=list)
    lines: list[LineScore] = field(default_factory=list)


@dataclass
class Summary:
    """Means over the texts of a corpus (a crashed text counts 0)."""

    texts: int
    crashes: int
    scenes_in_range: int
    char_p: float
    char_r: float
    char_f1: float
    scene_char_f1: float
    speaker_acc: float
    loc_acc: float
    time_acc: float
    seconds: float  # mean planning time per text


# -- the corpus ----------------------------------------------------------------------------------


def load_corpus(folder: str | Path) -> list[Case]:
    folder = Path(folder)
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    return [Case(name, folder / name, g) for name, g in gold["texts"].items()]


def check_gold(folder: str | Path) -> list[str]:
    """Problems of a corpus's gold: missing files, anchors not found in order, unknown names, lines outside
    their beat, a bad scene range. Empty when all is well."""
    problems = []
    for case in load_corpus(folder):
        if not case.path.is_file():
            problems.append(f"{case.name}: file missing")
            continue
        source, beats = case.read(), case.gold["beats"]
        try:
            spans = beat_spans(source, beats)
        except ValueError as err:
            problems.append(f"{case.name}: {err}")
            spans = [(0, len(source))] * len(beats)
        entities = Entities(case.gold)
        low, high = case.gold["scenes"]
        if not low <= high:
            problems.append(f"{case.name}: bad scene range {low}-{high}")
        for i, beat in enumerate(beats):
            names = beat.get("on", []) + beat.get("maybe", []) + [line[0] for line in beat.get("lines", [])]
            problems += [f"{case.name} beat {i + 1}: unknown name {n!r}" for n in names if not entities.known(n)]
            span_words = set(words(source[spans[i][0] : spans[i][1]]))
            for line in beat.get("lines", []):
                if not set(words(line[1])) <= span_words:
                    problems.append(f"{case.name} beat {i + 1}: line not in the beat's text {line[1]!r}")
    return problems


# -- scoring -------------------------------------------------------------------------------------


def plan_case(case: Case) -> TextScore:
    """Plan one text as `python -m storyboard plan` does and score it."""
    fallback = case.path.stem.replace("_", " ").replace("-", " ").strip().title() or "Untitled"  # as studio.plan_file
    start = time.perf_counter()
    try:
        source = case.read()
        project = plan_text(source, fallback_title=fallback, force="auto")
        project.validate()  # the CLI saves the project, which validates it
    except Exception as err:  # a crash scores 0 everywhere
        return TextScore(case.name, case.language, time.perf_counter() - start, crash=f"{type(err).__name__}: {err}")
    seconds = time.perf_counter() - start
    score = score_project(case, source, project)
    score.seconds = seconds
    return score


def score_folder(folder: str | Path, on_text: Callable[[TextScore], None] | None = None) -> list[TextScore]:
    scores = []
    for case in load_corpus(folder):
        scores.append(plan_case(case))
        if on_text:
            on_text(scores[-1])
    return scores


def score_project(case: Case, source: str, project: Project) -> TextScore:
    """Score a planned project against the case's gold."""
    gold, entities, scenes = case.gold, Entities(case.gold), project.scenes
    score = TextScore(case.name, case.language, project=project)
    # 1. the cast
    hit: set[str] = set()
    false_pos = 0
    for character in project.characters:
        entity = entities.lookup(character.name)
        if entity is None or entity in hit:
            false_pos += 1
            score.extras.append(character.name if entity is None else f"{character.name} (= {entity} again)")
        if entity in entities.cast:
            hit.add(entity)
    score.char_p = len(hit) / (len(hit) + false_pos) if hit or false_pos else 0.0
    score.char_r = len(hit) / len(entities.cast) if entities.cast else 1.0
    score.char_f1 = _harmonic(score.char_p, score.char_r)
    score.missing = [name for name in entities.cast if name not in hit]
    # 2. scene count
    score.n_scenes = scene_units(case.name, project)
    score.scene_range = tuple(gold["scenes"])
    score.scenes_ok = gold["scenes"][0] <= score.n_scenes <= gold["scenes"][1]
    # 3. beats: who is shown, where, when
    beats = gold["beats"]
    covered = align_scenes(source, beat_spans(source, beats), scenes)
    for i, beat in enumerate(beats):
        aligned = [k for k, cov in enumerate(covered) if i in cov]
        shown, wanted = set(), set()  # a beat boarded as several shots is judged as a whole
        for k in aligned:
            on = set().union(*(beats[j].get("on", []) for j in covered[k]))
            maybe = set().union(*(beats[j].get("maybe", []) for j in covered[k])) - on
            shown |= entities.shown(scenes[k]) - maybe
            wanted |= on
        location = _share([place_ok(scenes[k].location, beat["where"]) for k in aligned]) if beat.get("where") else None
        when = _share([time_ok(scenes[k].time_of_day, beat["when"]) for k in aligned]) if beat.get("when") else None
        score.beats.append(BeatScore(beat["start"], aligned, f1(shown, wanted) if aligned else 0.0, location, when))
    score.scene_char_f1 = _mean([b.f1 for b in score.beats])
    score.loc_acc = _mean([b.location for b in score.beats if b.location is not None], None)
    score.time_acc = _mean([b.time for b in score.beats if b.time is not None], None)
    # 4. dialogue
    gold_lines = [(line[0], line[1]) for beat in beats for line in beat.get("lines", [])]
    pred_lines = [(line.character, line.text) for scene in scenes for line in scene.dialogue]
    matches = match_lines(gold_lines, pred_lines, entities)
    score.lines = [LineScore(s, t, *m) for (s, t), m in zip(gold_lines, matches)]
    score.speaker_acc = _mean([float(line.correct) for line in score.lines], None)
    return score


def scene_units(name: str, project: Project) -> int:
    """Prose: the number of scenes. A screenplay (.fountain): consecutive scenes sharing a heading count once."""
    if not name.endswith(".fountain"):
        return len(project.scenes)
    units, last = 0, None
    for scene in project.scenes:
        heading = " ".join(scene.heading.upper().split()) or None
        units += heading is None or heading != last
        last = heading
    return units


def summarize(scores: list[TextScore]) -> Summary:
    def mean(key: str) -> float:
        values = [0.0 if s.crash else getattr(s, key) for s in scores]
        return _mean([v for v in values if v is not None])

    return Summary(
        texts=len(scores),
        crashes=sum(1 for s in scores if s.crash),
        scenes_in_range=sum(1 for s in scores if not s.crash and s.scenes_ok),
        **{key: mean(key) for key in METRICS},
        seconds=_mean([s.seconds for s in scores]),
    )


def _harmonic(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _share(hits: list[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


def _mean(values: list[float], empty: float | None = 0.0) -> float | None:
    return sum(values) / len(values) if values else empty
