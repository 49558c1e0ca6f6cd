"""What a language-model backend offers the planner: chat messages and a JSON schema in, JSON text out."""

from __future__ import annotations

from typing import Any, Protocol

from ...errors import InputError
from ...progress import CancelToken


class LLMError(InputError):
    """The model could not answer (not found, unreachable, out of memory, timed out): one line saying which."""


class Backend(Protocol):
    name: str  # "local" or "server"

    def generate(self, messages: list[dict[str, str]], schema: dict[str, Any], *, max_tokens: int,
                 cancel: CancelToken | None = None) -> str:
        """The model's answer to `messages` as text that should be JSON of `schema` (LLMError when it cannot)."""

    def close(self) -> None:
        """Free the model (memory back to diffusion); a server backend closes its connections."""

    def check(self) -> str:
        """One line for `doctor`: whether the model or server is there (LLMError when it is not); loads nothing."""
