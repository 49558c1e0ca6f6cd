"""Planning end to end with a language model: the tiny random model through the real local path and behind a real
OpenAI-compatible server, and the server's failures (timeout, invalid JSON, an unknown character) each falling back
to the embedded planner with one line while the project stays valid."""

from __future__ import annotations

import json

from storyboard import store
from storyboard.cli import main
from storyboard.planning import plan_text
from storyboard.planning.llm.local import LocalModel
from storyboard.planning.llm.planner import ModelOptions
from storyboard.planning.llm.schema import plan_schema

from .conftest import TINY_LIMITS
from .openai_server import max_tokens_of, schema_of, serve
from .openai_server import plan_text as fixed_plan

STORY = "Mara climbs the stairs of the lighthouse.\n\nTom waits at the door with a lantern."


def _valid(project):
    project.validate()
    assert project.scenes and all(s.action or s.dialogue for s in project.scenes)
    on_screen = {n for s in project.scenes for n in s.characters}
    assert on_screen <= {c.name for c in project.characters}


def test_the_tiny_model_plans_through_the_real_local_path(tiny_llm, one_thread):
    notes: list[str] = []
    options = ModelOptions(planner="local", model=str(tiny_llm), limits=TINY_LIMITS, max_tokens=800)
    project = plan_text(STORY, model=options, notes=notes)
    _valid(project)
    # whatever the random weights said, each window is either the model's (valid by construction) or named
    assert len(notes) <= 1 and all("\n" not in n for n in notes)


def test_the_tiny_model_behind_a_real_server(tiny_llm, one_thread):
    local = LocalModel(str(tiny_llm))
    responder = lambda req: local.generate(req["messages"], schema_of(req) or plan_schema(TINY_LIMITS),  # noqa: E731
                                           max_tokens=max_tokens_of(req, 800))
    with serve(responder, models=("tiny",)) as server:
        options = ModelOptions(planner="server", model="tiny", url=server.url, limits=TINY_LIMITS, max_tokens=800)
        notes: list[str] = []
        project = plan_text(STORY, model=options, notes=notes)
    local.close()
    _valid(project)
    assert server.chats and server.chats[0].response_format["type"] == "json_schema"


def test_a_server_that_times_out_falls_back_once(nlp):
    with serve(models=("m",)) as server:
        server.responder = server.sleeping(5)
        options = ModelOptions(planner="server", model="m", url=server.url, timeout=1)
        notes: list[str] = []
        project = plan_text(STORY, model=options, notes=notes)
    _valid(project)
    assert len(notes) == 1 and "did not answer in 1 s" in notes[0] and "embedded planner" in notes[0]
    assert len(server.chats) == 1  # not asked again for every window
    embedded = plan_text(STORY)  # nothing came from the model: the embedded planner read the whole text at once
    assert [(s.action, s.characters) for s in project.scenes] == [(s.action, s.characters) for s in embedded.scenes]


def test_invalid_json_from_the_server_is_retried_then_falls_back(nlp):
    with serve("{ this is not json", models=("m",)) as server:
        options = ModelOptions(planner="server", model="m", url=server.url)
        notes: list[str] = []
        project = plan_text(STORY, model=options, notes=notes)
    _valid(project)
    assert len(server.chats) == 2 and len(notes) == 1 and "not JSON" in notes[0]
    retry = server.chats[1].body["messages"][-1]["content"]
    assert "not usable" in retry


def test_a_schema_valid_plan_naming_an_unknown_character_falls_back(nlp):
    with serve(fixed_plan(["Mara"], speaker="Bob"), models=("m",)) as server:
        options = ModelOptions(planner="server", model="m", url=server.url)
        notes: list[str] = []
        project = plan_text(STORY, model=options, notes=notes)
    _valid(project)
    assert "Bob" not in {c.name for c in project.characters}
    assert len(notes) == 1 and "'Bob', who is not in the cast" in notes[0]


def test_the_cli_plans_with_a_server_and_warns_in_one_line_when_it_cannot(tmp_path, nlp, capsys, monkeypatch):
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    monkeypatch.setenv("MY_KEY", "sk-secret")
    with serve(fixed_plan(["Mara"]), models=("m",), key="sk-secret") as server:
        assert main(["plan", str(story), "--out", str(tmp_path / "b"), "--planner", "server", "--llm-model", "m",
                     "--llm-url", server.url, "--llm-key-env", "MY_KEY"]) == 0
    project = store.load(tmp_path / "b")
    assert project.scenes[0].action == "Mara climbs the stairs of the lighthouse."
    assert "sk-secret" not in json.dumps(json.loads((tmp_path / "b" / "project.json").read_text()))
    capsys.readouterr()
    assert main(["plan", str(story), "--out", str(tmp_path / "c"), "--planner", "server", "--llm-model", "m",
                 "--llm-url", "http://127.0.0.1:9/v1"]) == 0
    err = capsys.readouterr().err
    assert err.count("storyboard: warning:") == 1 and "cannot reach" in err
    store.load(tmp_path / "c").validate()


def test_doctor_says_whether_the_planners_model_is_there(tiny_llm):
    from storyboard.doctor import planner_line

    assert planner_line(None).startswith("planner: embedded")
    with serve(fixed_plan(), models=("m",)) as server:
        line = planner_line(ModelOptions(planner="server", model="m", url=server.url))
    assert line == f"planner: server — server {server.url} answers; model m is available"
    missing = planner_line(ModelOptions(planner="server", model="m", url="http://127.0.0.1:9/v1"))
    assert "cannot reach" in missing and "fall back to the embedded planner" in missing
    assert str(tiny_llm) in planner_line(ModelOptions(planner="local", model=str(tiny_llm)))


def test_no_local_model_falls_back_in_one_line(tmp_path, nlp):
    notes: list[str] = []
    options = ModelOptions(planner="local", model=str(tmp_path / "no-such-model"))
    project = plan_text(STORY, model=options, notes=notes)
    _valid(project)
    assert len(notes) == 1 and "no-such-model" in notes[0] and "embedded planner" in notes[0]


def test_out_of_memory_while_generating_falls_back_and_frees_the_model(tiny_llm, nlp, monkeypatch):
    import torch
    import transformers

    def too_big(self, *args, **kwargs):  # what a GPU says when the model's activations do not fit
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    monkeypatch.setattr(transformers.GenerationMixin, "generate", too_big)
    closed = []
    monkeypatch.setattr(LocalModel, "close", lambda self, real=LocalModel.close: (closed.append(1), real(self))[1])
    notes: list[str] = []
    project = plan_text(STORY, model=ModelOptions(planner="local", model=str(tiny_llm), limits=TINY_LIMITS),
                        notes=notes)
    _valid(project)
    assert len(notes) == 1 and "out of memory" in notes[0] and closed
