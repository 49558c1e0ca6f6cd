"""The planner's model behind any OpenAI-compatible chat endpoint: Ollama, llama.cpp's server, vLLM, LM Studio, OpenAI.

`ServerModel(url, model)` asks `POST {url}/chat/completions` at temperature 0 for JSON of the plan schema, through the
official `openai` SDK. Structured output is asked for in the strongest form the server takes, and a refusal is
remembered for the instance:

1. `response_format={"type": "json_schema", "json_schema": {"name": "storyboard_plan", "schema": ..., "strict": true}}`
2. `response_format={"type": "json_object"}` (the server refused 1 with a 400/422 naming response_format/json_schema)
3. no response_format at all (it refused 2 as well); the planner validates the text and retries once itself.

The URL rule: a URL without a path ("http://127.0.0.1:11434", "localhost:8080") gets "/v1" appended; a pasted
endpoint ("…/v1/chat/completions", "…/v1/models") is cut back to its base; any other path is used as given
("https://example.com/openai/v1"). No scheme means http://.

The key is read from the environment variable `key_env` (STORYBOARD_LLM_KEY) at each request and sent as a bearer
header of that request only; it is not kept on this object or on the client ("not-needed" when the variable is unset:
local servers take none). No error message carries it.

The answer is streamed, so a cancel takes effect between two chunks of the answer (or before the request); while the
server has not sent its first chunk (reading the prompt), a cancel waits for that chunk. `timeout` is the longest
silence accepted: the time to the first chunk, and between two chunks; a model still writing is not cut off (max_tokens
bounds it). `stream=False` asks for the whole answer at once (for a server whose streaming is broken); a cancel then
takes effect when the request returns.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ...progress import CancelToken
from .backend import LLMError

_FORMATS = ("json_schema", "json_object", "none")
_REFUSED_FORMAT = re.compile(r"response_format|json_schema|json_object|structured output|grammar", re.I)
_NOT_SUPPORTED = re.compile(r"not supported|unsupported|not implemented|unknown (?:field|parameter)", re.I)
_FENCE = re.compile(r"```[ \t]*(?:json|JSON|json5)?[ \t]*\r?\n?(.*?)```", re.S)
_THINK = re.compile(r"^\s*<think>.*?</think>\s*", re.S)


def base_url(url: str) -> str:
    """The API base the SDK wants, by the rule in the module docstring (LLMError for a URL that is not http(s))."""
    text = (url or "").strip()
    if not text:
        raise LLMError("no LLM server URL given (like http://127.0.0.1:11434/v1)")
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LLMError(f"the LLM server URL {_shown(text)} is not an http(s) URL like http://127.0.0.1:11434/v1")
    path = parts.path.rstrip("/")
    for tail in ("/chat/completions", "/completions", "/models"):
        if path.endswith(tail):
            path = path[: -len(tail)]
            break
    if not path:
        path = "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _shown(url: str) -> str:
    """A URL for messages: without any user:password@ part."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def unwrap(text: str) -> str:
    """The JSON inside a model's answer: without a leading <think>…</think> block or ```json fences around it."""
    text = _THINK.sub("", text or "", count=1).strip()
    if text.startswith("{") or text.startswith("["):
        return text
    match = _FENCE.search(text)
    return match.group(1).strip() if match else text


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ServerModel:
    """A Backend (see backend.py) answering through an OpenAI-compatible chat-completions server."""

    name = "server"

    def __init__(self, url: str, model: str, *, key_env: str = "STORYBOARD_LLM_KEY", timeout: float = 120.0,
                 stream: bool = True) -> None:
        if not model or not model.strip():
            raise LLMError("no model named for the LLM server (like llama3.2 or qwen2.5:7b)")
        self.url = base_url(url)
        self.model = model.strip()
        self.key_env = key_env
        self.timeout = float(timeout)
        self.stream = stream
        self.response_format = "json_schema"  # downgraded to "json_object", then "none", when the server refuses it
        self._token_param = "max_tokens"  # "max_completion_tokens" for OpenAI models that refuse max_tokens
        self._temperature = True  # False for models that refuse temperature 0
        self._client: Any = None

    def __repr__(self) -> str:
        return f"ServerModel({self._where!r}, {self.model!r}, response_format={self.response_format!r})"

    # -- the Backend protocol -------------------------------------------------------------------------------------

    def generate(self, messages: list[dict[str, str]], schema: dict[str, Any], *, max_tokens: int,
                 cancel: CancelToken | None = None) -> str:
        """The model's answer (fences unwrapped); LLMError (one line) when the server cannot give one."""
        if cancel is not None:
            cancel.check()
        for _ in range(8):  # each refusal changes one setting, so this ends well before
            kwargs = self._request(messages, schema, max_tokens)
            try:
                return unwrap(self._complete(kwargs, cancel))
            except _Refused as refused:
                if not self._adapt(refused):
                    raise self._status_error(refused.error) from None
        raise LLMError(f"LLM server {self._where} refused every form of the request")

    def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def check(self) -> str:
        """"server … answers; model X is available", or LLMError saying what is wrong; generates nothing."""
        import openai

        try:
            served = [m.id for m in self._get_client().models.list(extra_headers=self._auth())]
        except openai.OpenAIError as err:
            raise self._error(err, models=True) from None
        if any(_same_model(self.model, m) for m in served):
            return f"server {self._where} answers; model {self.model} is available"
        listed = ", ".join(served[:20]) + (f" and {len(served) - 20} more" if len(served) > 20 else "")
        raise LLMError(f"server {self._where} does not serve {self.model} "
                       + (f"(it serves {listed})" if served else "(it lists no models)"))

    # -- the request --------------------------------------------------------------------------------------------

    @property
    def _where(self) -> str:
        return _shown(self.url)

    def _key(self) -> str:
        return os.environ.get(self.key_env, "").strip() or "not-needed"

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._key()}"}

    def _get_client(self):
        if self._client is None:
            import openai

            # The SDK's own key is a placeholder: the real one goes in each request's headers (see _auth).
            self._client = openai.OpenAI(base_url=self.url, api_key="placeholder", max_retries=0,
                                         timeout=openai.Timeout(self.timeout, connect=min(self.timeout, 10.0)))
        return self._client

    def _request(self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"model": self.model, "messages": list(messages), self._token_param: int(max_tokens)}
        if self._temperature:
            kwargs["temperature"] = 0
        if self.response_format == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "storyboard_plan", "schema": schema, "strict": True},
            }
        elif self.response_format == "json_object":
            kwargs["response_format"] = {"type": "json_object"}
        return kwargs

    def _complete(self, kwargs: dict[str, Any], cancel: CancelToken | None) -> str:
        import openai

        client = self._get_client()
        try:
            if not self.stream:
                answer = client.chat.completions.create(**kwargs, extra_headers=self._auth())
                if cancel is not None:
                    cancel.check()
                return (answer.choices[0].message.content or "") if answer.choices else ""
            parts: list[str] = []
            with client.chat.completions.create(**kwargs, stream=True, extra_headers=self._auth()) as chunks:
                for chunk in chunks:
                    if cancel is not None:
                        cancel.check()  # leaving the with-block closes the connection: the server stops too
                    for choice in chunk.choices or ():
                        if choice.delta is not None and choice.delta.content:
                            parts.append(choice.delta.content)
            return "".join(parts)
        except openai.APIStatusError as err:
            if self._refusal(err):
                raise _Refused(err) from None
            raise self._error(err) from None
        except openai.OpenAIError as err:
            raise self._error(err) from None

    # -- refusals and errors ------------------------------------------------------------------------------------

    def _refusal(self, err) -> bool:
        """Whether a 4xx/5xx is the server refusing an option of ours (response_format, max_tokens, temperature)."""
        if err.status_code not in (400, 422, 500, 501):
            return False
        text = _message(err)
        if self._token_param == "max_tokens" and "max_completion_tokens" in text:
            return True
        if self._temperature and "temperature" in text.lower() and _NOT_SUPPORTED.search(text):
            return True
        if self.response_format == "none":
            return False
        if _REFUSED_FORMAT.search(text):
            return True
        return err.status_code in (400, 422) and bool(_NOT_SUPPORTED.search(text))

    def _adapt(self, refused: _Refused) -> bool:
        """Change the one setting the server refused; False when nothing is left to change."""
        text = _message(refused.error)
        if self._token_param == "max_tokens" and "max_completion_tokens" in text:
            self._token_param = "max_completion_tokens"
            return True
        if self._temperature and "temperature" in text.lower() and _NOT_SUPPORTED.search(text):
            self._temperature = False
            return True
        if self.response_format != "none":
            self.response_format = _FORMATS[_FORMATS.index(self.response_format) + 1]
            return True
        return False

    def _error(self, err, *, models: bool = False) -> LLMError:
        import openai

        if isinstance(err, openai.APITimeoutError):
            return LLMError(f"LLM server {self._where} did not answer in {self.timeout:g} s")
        if isinstance(err, openai.APIConnectionError):
            return LLMError(f"cannot reach the LLM server {self._where} (is the server running?)")
        if isinstance(err, openai.APIStatusError):
            return self._status_error(err, models=models)
        return LLMError(self._redact(f"LLM server {self._where} failed: {_one_line(err)}"))

    def _status_error(self, err, *, models: bool = False) -> LLMError:
        status = err.status_code
        if status in (401, 403):
            if self.key_env not in os.environ:
                return LLMError(f"LLM server {self._where} wants a key (HTTP {status}): set ${self.key_env}")
            return LLMError(f"LLM server {self._where} refused the key from ${self.key_env} (HTTP {status})")
        if status == 404:
            text = _message(err)
            if not models and "model" in text.lower():
                return LLMError(f"LLM server {self._where} has no model {self.model}")
            endpoint = "/models" if models else "/chat/completions"
            return LLMError(f"LLM server {self._where} has no {endpoint} (HTTP 404): is the URL the API's base, "
                            "like http://127.0.0.1:11434/v1?")
        return LLMError(self._redact(f"LLM server {self._where} answered HTTP {status}: {_one_line(_message(err))}"))

    def _redact(self, text: str) -> str:
        key = os.environ.get(self.key_env, "").strip()
        return text.replace(key, "***") if len(key) >= 4 else text


class _Refused(Exception):
    """The server refused an option of the request (kept inside ServerModel)."""

    def __init__(self, error) -> None:
        super().__init__(str(error))
        self.error = error


def _message(err) -> str:
    """The server's own words in an APIStatusError: its {"error": {"message": …}} or {"detail": …}, else the body."""
    body = getattr(err, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            found = inner.get("message") or inner.get("detail") or inner
            return str(found)
        return str(inner)
    if body:
        return str(body)
    return str(getattr(err, "message", "") or err)


def _same_model(wanted: str, served: str) -> bool:
    """Whether a served id is the wanted model (Ollama lists "llama3.2:latest" for "llama3.2")."""
    return served == wanted or served == f"{wanted}:latest" or wanted == f"{served}:latest"
