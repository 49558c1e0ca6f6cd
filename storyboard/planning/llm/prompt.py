"""The messages a language model gets for one window of text: the task, the film terms, the running cast."""

from __future__ import annotations

from ... import film
from ..fountain import ParsedScene
from .schema import DURATIONS, Limits

COVERAGE = {
    "sparse": "one or two shots per scene: only the essential moments",
    "normal": "the coverage a board artist hands in: an establishing shot for a new place, a shot per beat of "
              "action, singles or over-the-shoulders for dialogue, inserts for objects that matter",
    "dense": "full coverage: establishing, wide, singles, over-the-shoulders, reactions and inserts",
}

SYSTEM = """You are a storyboard artist breaking a text down into shots for a storyboard.
Answer with JSON only, matching the schema you are given: the cast (name and a short visual description: age, build,
hair, clothes, or the animal) and the scenes (heading, INT/EXT, location, time of day) with their shots.
For each shot give who is on screen (names from the cast only), the action as one or two short present-tense sentences
of what we see, the dialogue spoken in it with its speaker, and the film grammar:
shot size: {sizes}
angle: {angles}
move: {moves}
duration in seconds: {durations}
Coverage: {coverage}.
Keep each character's name exactly as the cast gives it; never invent dialogue."""

SCREENPLAY = """This is one scene of a screenplay. Its heading, its dialogue and who speaks are fixed: copy the
heading, and give each line of dialogue to a shot in the order the script has them, with the same speaker and words.
You decide the shots, who is on screen in each, the action we see, the descriptions and the film grammar."""


def system_message(coverage: str) -> str:
    return SYSTEM.format(sizes=", ".join(film.SHOT_SIZES), angles=", ".join(film.ANGLES),
                         moves=", ".join(film.MOVES), durations=", ".join(f"{d:g}" for d in DURATIONS),
                         coverage=COVERAGE.get(coverage, COVERAGE["normal"]))


def cast_text(cast: dict[str, str]) -> str:
    """The running cast for the prompt: "- Mara: a lighthouse keeper in her thirties"."""
    if not cast:
        return "The cast so far: nobody yet (add everyone who appears to the cast)."
    lines = [f"- {name}: {description}" if description else f"- {name}" for name, description in cast.items()]
    return "The cast so far (use these exact names; add anyone new to the cast):\n" + "\n".join(lines)


def scene_text(scene: ParsedScene) -> str:
    """A parsed screenplay scene written back as plain script text."""
    lines = [scene.heading] if scene.heading else []
    for kind, text in scene.elements:
        lines.append(text if kind != "transition" else text.upper())
    return "\n\n".join(lines)


def messages(text: str, cast: dict[str, str], coverage: str, screenplay: bool, limits: Limits,
             problem: str = "") -> list[dict[str, str]]:
    """The chat messages for one window; `problem` is what was wrong with the model's first answer (a retry)."""
    task = [cast_text(cast)]
    if screenplay:
        task.append(SCREENPLAY)
    task.append(f"At most {limits.scenes} scenes and {limits.shots} shots per scene.\n\nThe text:\n\n{text}")
    out = [{"role": "system", "content": system_message(coverage)}, {"role": "user", "content": "\n\n".join(task)}]
    if problem:
        out.append({"role": "user", "content": f"Your last answer was not usable: {problem}. Answer again with JSON "
                                               "matching the schema, using only names from the cast."})
    return out
