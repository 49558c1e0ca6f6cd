"""Which models a web user may name: anything on a private server, the host's list on a shared one.

On a shared server (a Hugging Face Space, a public `--share` link, any address but
localhost, or $STORYBOARD_SHARED=1) the Model, ControlNet and IP-Adapter boxes
accept only what the host lists in $STORYBOARD_MODELS (comma-separated hub ids or
server paths) plus the default model ($STORYBOARD_MODEL, else SD 1.5). The entry
"*" also lets users name any hub id (owner/name). Anything else gets one message
that says what is offered, never whether a path exists on the server.
$STORYBOARD_SHARED=0 marks a server as private whatever its address.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

SHARED_ENV = "STORYBOARD_SHARED"
MODELS_ENV = "STORYBOARD_MODELS"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
ANY_HUB_ID = "*"
HUB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,95}/[A-Za-z0-9][A-Za-z0-9_.-]{0,95}")
FILE_SUFFIXES = (".safetensors", ".ckpt", ".bin", ".pt", ".pth", ".pkl")


def is_shared(host: str | None = None, share: bool = False) -> bool:
    """Whether strangers can reach this server: $STORYBOARD_SHARED decides, else a Space, a share link or the host."""
    flag = os.environ.get(SHARED_ENV, "").strip().lower()
    if flag in ("1", "true", "yes", "on"):
        return True
    if flag in ("0", "false", "no", "off"):
        return False
    if os.environ.get("SPACE_ID"):
        return True
    return bool(share) or (host is not None and host not in LOCAL_HOSTS)


@dataclass(frozen=True)
class ModelPolicy:
    shared: bool = False
    default: str = ""  # the model an empty box means ($STORYBOARD_MODEL, else SD 1.5)
    listed: tuple[str, ...] = ()  # what the host lists in $STORYBOARD_MODELS
    any_hub_id: bool = False  # the host also lets users name any hub id

    @classmethod
    def from_env(cls, shared: bool) -> ModelPolicy:
        from ..render.models import chosen_model

        entries = [e.strip() for e in os.environ.get(MODELS_ENV, "").split(",") if e.strip()]
        return cls(shared=shared, default=chosen_model(), listed=tuple(e for e in entries if e != ANY_HUB_ID),
                   any_hub_id=ANY_HUB_ID in entries)

    def allowed(self, what: str = "model") -> tuple[str, ...]:
        return tuple(dict.fromkeys([self.default, *self.listed])) if what == "model" else self.listed

    def offer(self, what: str = "model") -> str:
        """What a box accepts on this server, for its placeholder and the refusal ("" on a private server)."""
        if not self.shared:
            return ""
        names = list(self.allowed(what)) + (["a Hugging Face hub id (owner/name)"] if self.any_hub_id else [])
        return ", ".join(names) if names else "none (leave it empty)"

    def check(self, value: str | None, what: str = "model") -> str:
        """`value` stripped, or InputError on a shared server when the host does not offer it."""
        value = (value or "").strip()
        if not self.shared or not value or value in self.allowed(what):
            return value
        if self.any_hub_id and self._hub_id(value):
            return value
        if not self.allowed(what) and not self.any_hub_id:
            raise InputError(f"this server offers no {what}; leave the box empty")
        raise InputError(f"this server offers only these {what}s: {self.offer(what)}")

    @staticmethod
    def _hub_id(value: str) -> bool:
        # A hub id, never a server path: one slash, no dots-only parts, no file suffix, nothing of that name here.
        if not HUB_ID.fullmatch(value) or value.lower().endswith(FILE_SUFFIXES):
            return False
        if any(part.strip(".") == "" for part in value.split("/")):
            return False
        return not Path(value).exists()

    def check_settings(self, settings: dict) -> dict:
        """The diffusion settings with each model box checked (sketch settings are empty and pass)."""
        for key, what in (("model", "model"), ("controlnet", "ControlNet"), ("ip_adapter", "IP-Adapter")):
            if settings.get(key):
                settings[key] = self.check(settings[key], what)
        return settings
