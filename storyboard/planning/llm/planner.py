"""Text → beats with a language model, window by window, the embedded planner as the floor.

Long texts go in windows (a screenplay scene each; prose a few paragraphs) with the running cast passed along, so a
character keeps one name. Each answer must parse against the schema and name only cast members; one retry tells
the model what was wrong; then that window is planned by the embedded planner, with one message. A backend that
cannot answer at all (not found, unreachable, out of memory, timed out) hands every remaining window to the
embedded planner at once. For a screenplay the parser stays authoritative: headings, places, times and dialogue
come from the script; the model decides the shots, who is on screen, the action we see, descriptions and grammar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from ...errors import InputError
from ...progress import CancelToken, ProgressFn, no_progress
from ...project import Character, DialogueLine
from ...slug import name_key
from ..beats import Beat
from .backend import Backend, LLMError
from .prompt import messages
from .schema import Limits, PlanInvalid, parse_plan, plan_schema

log = logging.getLogger(__name__)

PLANNERS = ("embedded", "local", "server")
WINDOW_CHARS = 1800  # prose: paragraphs are gathered up to about this many characters per window

Film = tuple[str, str, str, float]  # shot size, angle, move, seconds


@dataclass
class ModelOptions:
    """Which planner, and how to reach its model. The key of a server is read from `key_env`, never stored."""

    planner: str = "embedded"
    model: str = ""  # local: a hub id or folder; server: the model's name on the server
    url: str = ""  # server: an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1
    key_env: str = "STORYBOARD_LLM_KEY"
    timeout: float = 120.0
    device: str = "auto"
    max_tokens: int = 4096
    limits: Limits = field(default_factory=Limits)

    def checked(self) -> ModelOptions:
        if self.planner not in PLANNERS:
            raise InputError(f"planner must be one of {', '.join(PLANNERS)}, got {self.planner!r}")
        if self.planner != "embedded" and not self.model.strip():
            raise InputError(f"the {self.planner} planner needs a model (--llm-model)")
        if self.planner == "server" and not self.url.strip():
            raise InputError("the server planner needs the server's URL (--llm-url), e.g. http://127.0.0.1:11434/v1")
        return self

    def backend(self) -> Backend:
        if self.planner == "local":
            from .local import LocalModel

            return LocalModel(self.model, device=self.device)
        from .server import ServerModel

        return ServerModel(self.url, self.model, key_env=self.key_env, timeout=self.timeout)


@dataclass
class Window:
    """One piece of the text, and how the embedded planner plans it if the model cannot."""

    text: str
    fallback: Callable[[], tuple[list[Beat], list[Character]]]
    scene: object | None = None  # the parsed screenplay scene (fountain.ParsedScene), authoritative


@dataclass
class ModelPlan:
    beats: list[Beat] = field(default_factory=list)
    film: list[Film | None] = field(default_factory=list)  # per beat: the model's grammar, None → the rules'
    characters: list[Character] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one line per window the embedded planner took over


class UnknownName(InputError):
    pass


def plan_windows(windows: list[Window], options: ModelOptions, coverage: str, *, cast: list[Character] = (),
                 backend: Backend | None = None, progress: ProgressFn = no_progress,
                 cancel: CancelToken | None = None) -> ModelPlan:
    """Plan each window with the model (or the embedded planner where it fails); groups stay distinct."""
    out = ModelPlan()
    running: dict[str, Character] = {name_key(c.name): Character(c.name, c.description) for c in cast}
    owned = backend is None
    backend = backend or options.backend()
    broken = ""  # set once the backend cannot answer at all
    group = 0
    try:
        for i, window in enumerate(windows):
            progress(i, len(windows), f"planning part {i + 1} of {len(windows)} with the {options.planner} model")
            if cancel is not None:
                cancel.check()
            got = None
            if not broken:
                try:
                    got = _ask(backend, window, options, coverage, running, cancel)
                except LLMError as err:
                    broken = str(err)
                    out.notes.append(f"the {options.planner} model failed ({broken}); the embedded planner planned "
                                     f"part {i + 1} and the rest")
                except (PlanInvalid, UnknownName) as err:
                    out.notes.append(f"part {i + 1}: {err}; planned it with the embedded planner")
            if got is None:
                beats, characters = window.fallback()
                for c in characters:
                    running.setdefault(name_key(c.name), Character(c.name, c.description))
                films: list[Film | None] = [None] * len(beats)
            else:
                beats, films = got
            for beat in _regroup(beats, group):
                out.beats.append(beat)
            group = max((b.group for b in out.beats), default=-1) + 1
            out.film += films
        progress(len(windows), len(windows), "planned")
    finally:
        if owned:
            backend.close()
    out.characters = list(running.values())
    return out


def _regroup(beats: list[Beat], start: int) -> list[Beat]:
    """Beats of a window renumbered into groups after the ones before (a window's groups stay its own)."""
    mapping: dict[int, int] = {}
    for beat in beats:
        key = beat.group if beat.group >= 0 else -1 - id(beat)
        beat.group = mapping.setdefault(key, start + len(mapping))
    return beats


def _ask(backend: Backend, window: Window, options: ModelOptions, coverage: str, running: dict[str, Character],
         cancel: CancelToken | None) -> tuple[list[Beat], list[Film | None]]:
    """The model's beats for one window: asked, checked, asked once more with the problem, else raised."""
    schema, problem = plan_schema(options.limits), ""
    for attempt in range(2):
        cast = {c.name: c.description for c in running.values()}
        chat = messages(window.text, cast, coverage, window.scene is not None, options.limits, problem)
        answer = backend.generate(chat, schema, max_tokens=options.max_tokens, cancel=cancel)
        try:
            data = parse_plan(answer, options.limits)
            return _beats(data, window, running)
        except (PlanInvalid, UnknownName) as err:
            if attempt:
                raise
            problem = str(err)
    raise AssertionError("unreachable")


def _beats(data: dict, window: Window, running: dict[str, Character]) -> tuple[list[Beat], list[Film | None]]:
    """The plan as beats; names resolved against the running cast (and this answer's new cast members)."""
    known = dict(running)
    for member in data["cast"]:
        key = name_key(member["name"])
        if key and key not in known:
            known[key] = Character(member["name"].strip(), member["description"].strip())
        elif key and not known[key].description:
            known[key] = Character(known[key].name, member["description"].strip())

    def resolve(name: str) -> str:
        found = known.get(name_key(name))
        if found is None:
            raise UnknownName(f"the model's plan names {name!r}, who is not in the cast")
        return found.name

    beats: list[Beat] = []
    films: list[Film | None] = []
    for group, scene in enumerate(data["scenes"]):
        for shot in scene["shots"]:
            names = list(dict.fromkeys(resolve(n) for n in shot["characters"]))
            lines = [DialogueLine(resolve(line["character"]), line["text"].strip()) for line in shot["dialogue"]]
            beats.append(Beat(action=shot["action"].strip(), characters=names, dialogue=lines,
                              location=scene["location"].strip(), interior=scene["interior"],
                              time_of_day=scene["time_of_day"].strip().upper(), heading=scene["heading"].strip(),
                              group=group))
            films.append((shot["shot"], shot["angle"], shot["move"], float(shot["duration_s"])))
    if window.scene is not None:
        _keep_the_script(beats, window.scene)
    running.update({k: v for k, v in known.items() if any(v.name in b.characters for b in beats) or k in running})
    return beats, films


def _keep_the_script(beats: list[Beat], scene) -> None:
    """A screenplay scene's heading, place, time and dialogue as written: the model only placed the lines."""
    from ..screenplay import location_case

    lines = list(scene.dialogue)
    for beat in beats:
        beat.heading, beat.interior, beat.time_of_day = scene.heading, scene.interior, scene.time_of_day
        beat.location, beat.number, beat.group = location_case(scene.location), scene.number, 0
        count = len(beat.dialogue)
        beat.dialogue, lines = lines[:count], lines[count:]
        for line in beat.dialogue:
            if line.character not in beat.characters and not line.extension:
                beat.characters.append(line.character)
    if beats and lines:  # lines the model left out go with the last shot, in order
        beats[-1].dialogue += lines
    if beats:
        beats[0].notes = " ".join(scene.notes)
        beats[-1].transition = scene.transition
