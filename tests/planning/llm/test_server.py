"""ServerModel against a real OpenAI-compatible server on 127.0.0.1 (tests/planning/llm/openai_server.py)."""

from __future__ import annotations

import json
import time

import pytest

from storyboard.errors import Cancelled
from storyboard.planning.llm.backend import LLMError
from storyboard.planning.llm.schema import Limits, PlanInvalid, parse_plan, plan_schema
from storyboard.planning.llm.server import ServerModel, base_url, unwrap
from storyboard.progress import CancelToken

from .openai_server import HTTPError, OpenAIServer, closed_port, plan, plan_text, schema_of, serve

pytest.importorskip("openai")
pytest.importorskip("uvicorn")

MESSAGES = [{"role": "system", "content": "You plan storyboards as JSON."},
            {"role": "user", "content": "MARA climbs the lighthouse stairs."}]
SCHEMA = plan_schema(Limits())
KEY_ENV = "STORYBOARD_LLM_KEY"


@pytest.fixture(autouse=True)
def _no_key(monkeypatch):
    monkeypatch.delenv(KEY_ENV, raising=False)


@pytest.fixture()
def server():
    with serve(plan_text()) as running:
        yield running


@pytest.fixture()
def model(server):
    backend = ServerModel(server.url, "tiny-model", timeout=10)
    yield backend
    backend.close()


def ask(backend: ServerModel, **kwargs) -> str:
    return backend.generate(MESSAGES, SCHEMA, max_tokens=256, **kwargs)


def one_line(err: pytest.ExceptionInfo) -> str:
    text = str(err.value)
    assert "\n" not in text and text.strip() == text and len(text) < 300, text
    return text


# -- the request and its answer ----------------------------------------------------------------------------------


@pytest.mark.parametrize("stream", [True, False])
def test_json_schema_is_asked_for_and_the_answer_returned(server, stream):
    backend = ServerModel(server.url, "tiny-model", timeout=10, stream=stream)
    try:
        answer = ask(backend)
    finally:
        backend.close()
    assert parse_plan(answer) == plan()
    [request] = server.chats
    body = request.body
    assert body["response_format"] == {"type": "json_schema",
                                       "json_schema": {"name": "storyboard_plan", "schema": SCHEMA, "strict": True}}
    assert schema_of(body) == SCHEMA
    assert body["messages"] == MESSAGES
    assert body["model"] == "tiny-model"
    assert body["temperature"] == 0
    assert body["max_tokens"] == 256
    assert bool(body.get("stream")) is stream
    assert request.headers["authorization"] == "Bearer not-needed"  # no key set: local servers take any
    assert backend.response_format == "json_schema"


def test_a_long_answer_streamed_in_small_chunks_comes_back_whole():
    text = plan_text(["MARA", "THE KEEPER"]) + " " * 50
    with serve(text, chunk_size=3) as server:
        backend = ServerModel(server.url, "tiny-model", timeout=10)
        assert ask(backend) == text.strip()
        backend.close()


@pytest.mark.parametrize("status", [400, 422])
def test_refused_json_schema_falls_back_to_json_object_and_is_remembered(status):
    with serve(plan_text(), refuse={"json_schema"}, refuse_status=status) as server:
        backend = ServerModel(server.url, "tiny-model", timeout=10)
        assert parse_plan(ask(backend)) == plan()
        assert [r.response_format for r in server.chats] == [
            {"type": "json_schema", "json_schema": {"name": "storyboard_plan", "schema": SCHEMA, "strict": True}},
            {"type": "json_object"}]
        assert backend.response_format == "json_object"
        ask(backend)  # the next window asks with json_object at once
        assert len(server.chats) == 3 and server.chats[-1].response_format == {"type": "json_object"}
        backend.close()


def test_refused_json_object_too_falls_back_to_no_format_and_is_remembered():
    with serve(plan_text(), refuse={"json_schema", "json_object"}) as server:
        backend = ServerModel(server.url, "tiny-model", timeout=10)
        assert parse_plan(ask(backend)) == plan()
        formats = [r.body.get("response_format") for r in server.chats]
        assert [f and f["type"] for f in formats] == ["json_schema", "json_object", None]
        assert "response_format" not in server.chats[-1].body
        assert backend.response_format == "none"
        ask(backend)
        assert len(server.chats) == 4 and "response_format" not in server.chats[-1].body
        backend.close()


def test_a_bad_request_that_is_not_about_the_format_is_an_error_not_a_fallback(server, model):
    server.responder = lambda req: HTTPError(400, "prompt is too long: 9000 tokens > 8192 context")
    with pytest.raises(LLMError) as err:
        ask(model)
    assert "HTTP 400" in one_line(err) and "prompt is too long" in str(err.value)
    assert len(server.chats) == 1 and model.response_format == "json_schema"


def test_invalid_json_comes_back_as_text_for_the_planner_to_reject(server, model):
    server.responder = "{'cast': [], 'scenes': [ oops"
    answer = ask(model)
    assert answer == "{'cast': [], 'scenes': [ oops"
    with pytest.raises(PlanInvalid, match="not JSON"):
        parse_plan(answer)


def test_a_plan_naming_an_unknown_character_is_schema_valid_text(server, model):
    server.responder = plan_text(["MARA"], speaker="GHOST")
    parsed = parse_plan(ask(model))
    cast = {c["name"] for c in parsed["cast"]}
    assert parsed["scenes"][0]["shots"][0]["characters"] == ["GHOST"] and "GHOST" not in cast


@pytest.mark.parametrize("wrapped", [
    "```json\n{text}\n```",
    "Here is the plan:\n```json\n{text}\n```\nHope this helps.",
    "```\n{text}\n```",
    "<think>The user wants a plan.</think>\n```json\n{text}\n```",
    "  {text}  \n",
])
def test_fenced_answers_are_unwrapped(server, model, wrapped):
    text = plan_text()
    server.responder = wrapped.format(text=text)
    assert ask(model) == text
    assert unwrap(wrapped.format(text=text)) == text


def test_the_responder_sees_the_request_json(server, model):
    seen = []

    def responder(req):
        seen.append(req)
        return json.dumps(plan(["ANNA"]))

    server.responder = responder
    assert parse_plan(ask(model))["cast"][0]["name"] == "ANNA"
    assert seen[0]["messages"] == MESSAGES and schema_of(seen[0]) == SCHEMA


# -- errors --------------------------------------------------------------------------------------------------------


def test_a_server_slower_than_the_timeout_is_one_line_error_in_about_the_timeout():
    with OpenAIServer() as server:
        server.responder = server.sleeping(5, plan_text())
        for stream in (True, False):
            backend = ServerModel(server.url, "tiny-model", timeout=1, stream=stream)
            start = time.monotonic()
            with pytest.raises(LLMError) as err:
                ask(backend)
            elapsed = time.monotonic() - start
            backend.close()
            assert 0.9 <= elapsed < 3, elapsed
            assert one_line(err) == f"LLM server {server.url} did not answer in 1 s"


def test_a_closed_port_is_one_line_error():
    url = f"http://127.0.0.1:{closed_port()}/v1"
    backend = ServerModel(url, "tiny-model", timeout=5)
    start = time.monotonic()
    with pytest.raises(LLMError) as err:
        ask(backend)
    assert one_line(err) == f"cannot reach the LLM server {url} (is the server running?)"
    with pytest.raises(LLMError, match="cannot reach"):
        backend.check()
    assert time.monotonic() - start < 3
    backend.close()


def test_a_wrong_key_is_refused_without_showing_it_and_the_right_key_works(monkeypatch):
    secret = "sk-right-0123456789abcdef"
    with serve(plan_text(), key=secret) as server:
        backend = ServerModel(server.url, "tiny-model", timeout=10)
        with pytest.raises(LLMError) as err:  # no key set at all
            ask(backend)
        assert "set $STORYBOARD_LLM_KEY" in one_line(err) and "HTTP 401" in str(err.value)

        wrong = "sk-wrong-9876543210fedcba"
        monkeypatch.setenv(KEY_ENV, wrong)
        with pytest.raises(LLMError) as err:
            ask(backend)
        assert one_line(err) == f"LLM server {server.url} refused the key from $STORYBOARD_LLM_KEY (HTTP 401)"
        assert server.chats[-1].headers["authorization"] == f"Bearer {wrong}"
        with pytest.raises(LLMError) as err:
            backend.check()
        assert wrong not in str(err.value) and "refused the key" in str(err.value)

        monkeypatch.setenv(KEY_ENV, secret)  # read at each request: no new ServerModel needed
        assert parse_plan(ask(backend)) == plan()
        assert server.chats[-1].headers["authorization"] == f"Bearer {secret}"
        assert backend.check() == f"server {server.url} answers; model tiny-model is available"
        # The key is kept nowhere: not on the backend, not on the SDK client, not in the messages sent.
        assert secret not in repr(vars(backend)) and secret not in repr(backend)
        assert secret not in str(backend._client.api_key)
        assert all(secret not in json.dumps(r.body) for r in server.chats)
        backend.close()


def test_a_key_in_a_server_error_message_is_redacted(server, model, monkeypatch):
    secret = "sk-secret-abcdef0123456789"
    monkeypatch.setenv(KEY_ENV, secret)
    server.responder = lambda req: HTTPError(500, f"upstream failed for key {secret}", type="server_error")
    with pytest.raises(LLMError) as err:
        ask(model)
    assert secret not in one_line(err) and "HTTP 500" in str(err.value) and "***" in str(err.value)


def test_other_http_errors_say_status_and_a_clipped_message(server, model):
    server.responder = lambda req: HTTPError(503, "overloaded " * 100, type="server_error")
    with pytest.raises(LLMError) as err:
        ask(model)
    text = one_line(err)
    assert text.startswith(f"LLM server {server.url} answered HTTP 503: overloaded") and text.endswith("…")


def test_a_crashing_responder_is_http_500(server, model):
    def responder(req):
        raise RuntimeError("model crashed")

    server.responder = responder
    with pytest.raises(LLMError, match="HTTP 500: RuntimeError: model crashed"):
        ask(model)


def test_an_unknown_model_is_an_error_from_generate_and_from_check():
    with serve(plan_text(), models=("tiny-model", "other-model")) as server:
        backend = ServerModel(server.url, "no-such-model", timeout=10)
        with pytest.raises(LLMError) as err:
            ask(backend)
        assert one_line(err) == f"LLM server {server.url} has no model no-such-model"
        with pytest.raises(LLMError) as err:
            backend.check()
        assert one_line(err) == (f"server {server.url} does not serve no-such-model "
                                 "(it serves tiny-model, other-model)")
        backend.close()


def test_check_lists_the_models_and_accepts_ollama_tags():
    with serve(plan_text(), models=("llama3.2:latest", "qwen2.5:7b")) as server:
        backend = ServerModel(server.url, "llama3.2", timeout=10)
        assert backend.check() == f"server {server.url} answers; model llama3.2 is available"
        assert [r.path for r in server.requests] == ["/v1/models"]  # check() generates nothing
        backend.close()


def test_a_wrong_path_is_a_404_about_the_url(server):
    backend = ServerModel(server.root + "/api", "tiny-model", timeout=10)
    with pytest.raises(LLMError) as err:
        backend.check()
    assert "has no /models (HTTP 404)" in one_line(err)
    with pytest.raises(LLMError, match="has no /chat/completions"):
        ask(backend)
    backend.close()


# -- cancel, close, URLs -------------------------------------------------------------------------------------------


def test_cancel_before_the_request_raises_cancelled_and_sends_nothing(server, model):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        ask(model, cancel=token)
    assert server.requests == []


def test_cancel_during_the_answer_stops_between_chunks(server, model):
    token = CancelToken()

    def responder(req):
        token.cancel()  # the user presses Cancel while the model is writing
        return plan_text()

    server.responder = responder
    server.chunk_size, server.chunk_delay = 4, 0.2  # ~50 chunks: the whole answer would take 10 s
    start = time.monotonic()
    with pytest.raises(Cancelled):
        ask(model, cancel=token)
    assert time.monotonic() - start < 2


def test_close_then_generate_again_opens_a_new_client(server, model):
    ask(model)
    model.close()
    model.close()  # twice is fine
    assert parse_plan(ask(model)) == plan()


@pytest.mark.parametrize(("given", "expected"), [
    ("http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1"),
    ("http://127.0.0.1:11434/v1/", "http://127.0.0.1:11434/v1"),
    ("http://127.0.0.1:11434", "http://127.0.0.1:11434/v1"),
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/v1"),
    ("localhost:1234", "http://localhost:1234/v1"),
    ("http://127.0.0.1:8000/v1/chat/completions", "http://127.0.0.1:8000/v1"),
    ("http://127.0.0.1:8000/v1/models", "http://127.0.0.1:8000/v1"),
    ("https://example.com/openai/v1", "https://example.com/openai/v1"),
])
def test_the_url_rule(given, expected):
    assert base_url(given) == expected


@pytest.mark.parametrize("bad", ["", "ftp://example.com/v1", "http://"])
def test_a_bad_url_is_an_llm_error(bad):
    with pytest.raises(LLMError, match="URL"):
        ServerModel(bad, "tiny-model")


def test_no_model_name_is_an_llm_error():
    with pytest.raises(LLMError, match="no model"):
        ServerModel("http://127.0.0.1:11434", " ")


def test_a_url_with_a_password_never_shows_it():
    backend = ServerModel(f"http://user:hunter22@127.0.0.1:{closed_port()}/v1", "tiny-model", timeout=5)
    with pytest.raises(LLMError) as err:
        ask(backend)
    assert "hunter22" not in str(err.value) and "hunter22" not in repr(backend)
    backend.close()
