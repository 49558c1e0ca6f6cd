"""The language-model planner's windows, cast, screenplay authority and fallbacks, with a scripted backend standing
in for the model (the real local and server backends have their own tests)."""

from __future__ import annotations

import json

import pytest

from storyboard.errors import Cancelled, InputError
from storyboard.planning import plan_text
from storyboard.planning.llm.backend import LLMError
from storyboard.planning.llm.planner import ModelOptions, plan_windows
from storyboard.planning.llm.windows import prose_windows

STORY = """The Ferry

Mara waits at the pier in the rain. The old ferry comes out of the fog.

Tom runs down the gangway with a lantern. "You came back," Mara says.

Tom hands her the lantern. The horn sounds across the harbour."""

SCRIPT = """INT. KITCHEN - NIGHT

Mara sits at the table. Tom comes in, soaked.

MARA
You're late.

TOM
The boat wouldn't start.

EXT. PIER - NIGHT

Tom looks out at the sea.
"""


def shot(characters, action, dialogue=(), size="MS", angle="eye level", move="static", seconds=3):
    return {"characters": list(characters), "action": action,
            "dialogue": [{"character": c, "text": t} for c, t in dialogue],
            "shot": size, "angle": angle, "move": move, "duration_s": seconds}


def answer(cast, *scenes):
    return json.dumps({"cast": [{"name": n, "description": d} for n, d in cast],
                       "scenes": [{"heading": h, "interior": "EXT", "location": loc, "time_of_day": "NIGHT",
                                   "shots": shots} for h, loc, shots in scenes]})


class Scripted:
    """A backend that answers from a list (a str, or an exception to raise) and records what it was asked."""

    name = "scripted"

    def __init__(self, *answers):
        self.answers, self.asked, self.closed = list(answers), [], False

    def generate(self, messages, schema, *, max_tokens, cancel=None):
        self.asked.append(messages)
        reply = self.answers.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    def close(self):
        self.closed = True

    def check(self):
        return "scripted"


OPTIONS = ModelOptions(planner="server", model="m", url="http://127.0.0.1:1/v1")


def test_windows_carry_the_cast_and_the_models_grammar(nlp):
    windows = prose_windows(STORY.split("\n\n", 1)[1], "normal", limit=80)
    assert len(windows) == 3
    backend = Scripted(
        answer([("Mara", "a woman in a yellow raincoat")],
               ("EXT. PIER - NIGHT", "Pier", [shot(["Mara"], "Mara waits in the rain.", size="LS", seconds=4)])),
        answer([("Tom", "a young sailor")],
               ("EXT. PIER - NIGHT", "Pier", [shot(["Tom"], "Tom runs down the gangway.", move="pan", seconds=2),
                                              shot(["Mara", "Tom"], "Mara faces him.", [("Mara", "You came back.")],
                                                   size="two-shot")])),
        answer([], ("EXT. PIER - NIGHT", "Pier", [shot(["tom", "MARA"], "Tom hands her the lantern.",
                                                       size="insert")])),
    )
    plan = plan_windows(windows, OPTIONS, "normal", backend=backend)
    assert [b.action for b in plan.beats] == ["Mara waits in the rain.", "Tom runs down the gangway.",
                                              "Mara faces him.", "Tom hands her the lantern."]
    assert plan.film[0] == ("LS", "eye level", "static", 4.0) and plan.film[1][2] == "pan"
    assert plan.beats[3].characters == ["Tom", "Mara"]  # names resolved to the cast's spelling
    assert {c.name: c.description for c in plan.characters} == {"Mara": "a woman in a yellow raincoat",
                                                                "Tom": "a young sailor"}
    assert "- Mara: a woman in a yellow raincoat" in backend.asked[1][1]["content"]  # the running cast goes along
    assert len({b.group for b in plan.beats}) == 3 and plan.notes == []


def test_a_name_not_in_the_cast_is_asked_again_then_the_window_falls_back(nlp):
    windows = prose_windows("Mara waits at the pier in the rain.", "normal")
    stranger = answer([], ("EXT. PIER", "Pier", [shot(["Bob"], "Bob waves.")]))
    fixed = answer([("Mara", "")], ("EXT. PIER", "Pier", [shot(["Mara"], "Mara waits.")]))
    backend = Scripted(stranger, fixed)
    plan = plan_windows(windows, OPTIONS, "normal", backend=backend)
    assert "'Bob', who is not in the cast" in backend.asked[1][-1]["content"] and plan.notes == []
    assert [b.action for b in plan.beats] == ["Mara waits."]

    plan = plan_windows(windows, OPTIONS, "normal", backend=Scripted(stranger, stranger))
    assert len(plan.notes) == 1 and "not in the cast" in plan.notes[0] and "embedded planner" in plan.notes[0]
    assert plan.beats and plan.film == [None] * len(plan.beats)  # the embedded plan of the window


def test_invalid_json_twice_falls_back_with_one_line(nlp):
    windows = prose_windows("Mara waits at the pier in the rain.", "normal")
    plan = plan_windows(windows, OPTIONS, "normal", backend=Scripted("{not json", '{"cast": []}'))
    assert len(plan.notes) == 1 and "\n" not in plan.notes[0] and "schema" in plan.notes[0]
    assert any("Mara" in b.characters for b in plan.beats)


def test_a_model_that_cannot_answer_hands_every_window_to_the_embedded_planner(nlp):
    windows = prose_windows(STORY.split("\n\n", 1)[1], "normal", limit=80)
    backend = Scripted(LLMError("the server did not answer in 5 s"))
    plan = plan_windows(windows, OPTIONS, "normal", backend=backend)
    assert len(backend.asked) == 1  # not asked again for the other windows
    assert plan.notes == ["the server model failed (the server did not answer in 5 s); the embedded planner planned "
                          "part 1 and the rest"]
    assert len(plan.beats) >= 3 and all(f is None for f in plan.film)


def test_the_screenplay_keeps_its_headings_and_dialogue(nlp, monkeypatch):
    rewritten = answer(
        [("Mara", "a fisherman's wife"), ("Tom", "a fisherman")],
        ("INT. BEACH HOUSE - DAY", "Beach House", [
            shot(["Mara"], "Mara waits at the table.", [("Tom", "YOU ARE LATE!")], size="MS"),
            shot(["Tom"], "Tom drips on the floor.", size="CU")]))
    pier = answer([], ("EXT. PIER", "Pier", [shot(["Tom"], "Tom stares at the sea.", size="LS")]))
    backend = Scripted(rewritten, pier)
    monkeypatch.setattr(ModelOptions, "backend", lambda self: backend)
    project = plan_text(SCRIPT, model=OPTIONS)
    first, second, third = project.scenes
    assert (first.heading, first.location, first.time_of_day) == ("INT. KITCHEN - NIGHT", "Kitchen", "NIGHT")
    assert [(line.character, line.text) for line in first.dialogue] == [("MARA", "You're late.")]
    assert [(line.character, line.text) for line in second.dialogue] == [("TOM", "The boat wouldn't start.")]
    assert (first.shot, second.shot, third.shot) == ("MS", "CU", "LS")  # the model's grammar
    assert third.heading == "EXT. PIER - NIGHT" and backend.closed
    assert "YOU ARE LATE" not in json.dumps([s.action for s in project.scenes])


def test_cancel_between_windows(nlp):
    from storyboard.progress import CancelToken

    token = CancelToken()
    windows = prose_windows(STORY.split("\n\n", 1)[1], "normal", limit=80)
    first = answer([("Mara", "")], ("EXT. PIER", "Pier", [shot(["Mara"], "Mara waits.")]))

    def progress(done, total, message):
        if done == 1:
            token.cancel()

    backend = Scripted(first, first, first)
    with pytest.raises(Cancelled):
        plan_windows(windows, OPTIONS, "normal", backend=backend, progress=progress, cancel=token)
    assert len(backend.asked) == 1


@pytest.mark.parametrize("options, message", [
    (ModelOptions(planner="gpt"), "planner must be one of embedded, local, server"),
    (ModelOptions(planner="local"), "needs a model"),
    (ModelOptions(planner="server", model="llama3"), "needs the server's URL"),
])
def test_bad_planner_options_are_one_line(options, message):
    with pytest.raises(InputError, match=message):
        plan_text("Mara waits.", model=options)
