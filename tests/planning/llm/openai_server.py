"""A real, minimal OpenAI-compatible server for tests: FastAPI + uvicorn on 127.0.0.1, in a background thread.

    with serve(responder) as server:          # or OpenAIServer(responder).start() ... .stop()
        model = ServerModel(server.url, "tiny-model")
        ...
        server.requests[-1].body["response_format"]

It implements `POST /v1/chat/completions` (whole answers and `stream: true` SSE, in OpenAI's shapes) and
`GET /v1/models`. What the chat endpoint answers comes from `responder(request_json) -> str | Exception`:

- a str is the assistant message's content;
- an Exception (returned or raised) is an error answer: `HTTPError(status, message)` as that status with OpenAI's
  {"error": {...}} body, anything else as HTTP 500.

Plug in a real model like this (the schema is absent when the client fell back to json_object or to no format):

    server.responder = lambda req: local_model.generate(req["messages"], schema_of(req) or plan_schema(limits),
                                                        max_tokens=max_tokens_of(req, 512))

Options: `models` (what /v1/models lists; a chat for another model is a 404 model_not_found unless
check_model=False), `key` (every request must carry "Authorization: Bearer <key>", else 401), `refuse` (the
response_format types answered with `refuse_status`, 400 by default, as llama.cpp and older servers do),
`chunk_size`/`chunk_delay` (how the streamed answer is cut and paced). Every request is recorded in `requests`
(method, path, lower-cased headers, JSON body). `sleeping(seconds, answer)` makes a responder that waits (cut short
when the server stops, so stopping never hangs).
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

Responder = Callable[[dict[str, Any]], "str | BaseException"]


class HTTPError(Exception):
    """An error answer of the test server, in OpenAI's shape."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "param": self.param, "code": self.code}}


@dataclass
class Received:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any = None

    @property
    def response_format(self) -> dict[str, Any] | None:
        return self.body.get("response_format") if isinstance(self.body, dict) else None


@dataclass
class OpenAIServer:
    responder: Responder | str | None = None
    models: tuple[str, ...] = ("tiny-model",)
    key: str | None = None
    refuse: Iterable[str] = ()
    refuse_status: int = 400
    check_model: bool = True
    chunk_size: int = 16
    chunk_delay: float = 0.0
    requests: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.refuse = frozenset(self.refuse)
        self.stopping = threading.Event()
        self.port = 0
        self._server = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.app = self._make_app()

    # -- lifecycle -------------------------------------------------------------------------------------------------

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The API base for clients: http://127.0.0.1:PORT/v1."""
        return self.root + "/v1"

    def start(self) -> OpenAIServer:
        import uvicorn

        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off",
                                timeout_graceful_shutdown=2, timeout_keep_alive=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]},
                                        name=f"openai-test-server-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the test OpenAI server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers for tests -----------------------------------------------------------------------------------------

    @property
    def chats(self) -> list[Received]:
        """The chat-completion requests received, oldest first."""
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def sleeping(self, seconds: float, answer: str = "{}") -> Responder:
        """A responder that answers `answer` after `seconds` (or at once when the server is stopping)."""

        def respond(request: dict[str, Any]) -> str:
            self.stopping.wait(seconds)
            return answer

        return respond

    # -- the app ---------------------------------------------------------------------------------------------------

    def _make_app(self):
        app = FastAPI(title="OpenAI-compatible test server")

        def error(err: HTTPError) -> JSONResponse:
            return JSONResponse(err.body(), status_code=err.status)

        def auth(request: Request) -> HTTPError | None:
            if self.key is None:
                return None
            got = request.headers.get("authorization", "")
            if got == f"Bearer {self.key}":
                return None
            # Like OpenAI, the answer repeats (part of) the key it refused: clients must not pass it on.
            return HTTPError(401, f"Incorrect API key provided: {got.removeprefix('Bearer ')}.",
                             code="invalid_api_key")

        def record(request: Request, body: Any) -> None:
            self.requests.append(Received(request.method, request.url.path, {k.lower(): v for k, v in
                                                                             request.headers.items()}, body))

        @app.get("/v1/models")
        async def models(request: Request):
            record(request, None)
            refused = auth(request)
            if refused is not None:
                return error(refused)
            created = int(time.time())
            return {"object": "list",
                    "data": [{"id": m, "object": "model", "created": created, "owned_by": "storyboard-tests"}
                             for m in self.models]}

        @app.post("/v1/chat/completions")
        async def chat(request: Request):
            try:
                body = await request.json()
            except ValueError:
                body = None
            record(request, body)
            refused = auth(request)
            if refused is not None:
                return error(refused)
            if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
                return error(HTTPError(400, "'messages' is a required property", param="messages"))
            model = body.get("model")
            if self.check_model and model not in self.models:
                return error(HTTPError(404, f"The model `{model}` does not exist or you do not have access to it.",
                                       code="model_not_found"))
            kind = (body.get("response_format") or {}).get("type")
            if kind in self.refuse:
                return error(HTTPError(self.refuse_status, f"response_format type '{kind}' is not supported",
                                       param="response_format"))
            answer = await run_in_threadpool(self._answer, body)
            if isinstance(answer, HTTPError):
                return error(answer)
            if body.get("stream"):
                return StreamingResponse(self._chunks(answer, body), media_type="text/event-stream",
                                         headers={"Cache-Control": "no-cache"})
            return _completion(answer, body)

        return app

    def _answer(self, body: dict[str, Any]) -> str | HTTPError:
        responder = self.responder
        try:
            if responder is None:
                raise HTTPError(500, "the test server has no responder", type="server_error")
            answer = responder if isinstance(responder, str) else responder(body)
        except Exception as err:  # any failure of the responder is an error answer
            answer = err
        if isinstance(answer, HTTPError):
            return answer
        if isinstance(answer, BaseException):
            return HTTPError(500, f"{type(answer).__name__}: {answer}", type="server_error")
        return str(answer)

    def _chunks(self, text: str, body: dict[str, Any]) -> Iterator[str]:
        ident, created, model = f"chatcmpl-{uuid.uuid4().hex[:24]}", int(time.time()), body.get("model", "")

        def chunk(delta: dict[str, Any], finish: str | None, **extra: Any) -> str:
            data = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": model,
                    "system_fingerprint": None,
                    "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}], **extra}
            return f"data: {json.dumps(data)}\n\n"

        yield chunk({"role": "assistant", "content": ""}, None)
        step = max(1, self.chunk_size)
        for start in range(0, len(text), step):
            if self.chunk_delay and self.stopping.wait(self.chunk_delay):
                return
            yield chunk({"content": text[start:start + step]}, None)
        yield chunk({}, "stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = _usage(body, text)
            data = {"id": ident, "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [], "usage": usage}
            yield f"data: {json.dumps(data)}\n\n"
        yield "data: [DONE]\n\n"


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", "")).split()) for m in body.get("messages", []) if isinstance(m, dict))
    completion = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _completion(text: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", ""),
        "system_fingerprint": None,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": _usage(body, text),
    }


@contextmanager
def serve(responder: Responder | str | None = None, **options: Any) -> Iterator[OpenAIServer]:
    """A started OpenAIServer (see the module docstring), stopped on leaving."""
    server = OpenAIServer(responder, **options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


# -- requests and answers ------------------------------------------------------------------------------------------


def schema_of(request: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema a chat request asks for (response_format json_schema), or None."""
    fmt = request.get("response_format") or {}
    if fmt.get("type") != "json_schema":
        return None
    return (fmt.get("json_schema") or {}).get("schema")


def max_tokens_of(request: dict[str, Any], default: int = 512) -> int:
    return int(request.get("max_completion_tokens") or request.get("max_tokens") or default)


def plan(characters: Iterable[str] = ("MARA",), *, speaker: str | None = None) -> dict[str, Any]:
    """A small plan valid under plan_schema(Limits()): one scene, one shot; `speaker` may name a character who is
    not in the cast (schema-valid, but a planner must notice)."""
    cast = list(characters)
    who = speaker or cast[0]
    shot = {"characters": [who], "action": f"{who} climbs the stairs of the lighthouse.",
            "dialogue": [{"character": who, "text": "Is anyone up there?"}],
            "shot": "MS", "angle": "eye level", "move": "static", "duration_s": 3}
    return {
        "cast": [{"name": name, "description": "the keeper's daughter"} for name in cast],
        "scenes": [{"heading": "INT. LIGHTHOUSE - NIGHT", "interior": "INT", "location": "LIGHTHOUSE",
                    "time_of_day": "NIGHT", "shots": [shot]}],
    }


def plan_text(characters: Iterable[str] = ("MARA",), *, speaker: str | None = None) -> str:
    return json.dumps(plan(characters, speaker=speaker))


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (just released; good enough for a connection-refused test)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
