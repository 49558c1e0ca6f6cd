"""The renderer interface and the name → renderer registry.

A renderer turns one scene (with its blueprint) into a PIL image. The sketch
renderer is always available; the diffusion renderer registers beside it.
Renderers are created lazily by their factory, so importing this module loads
no model and no heavy library.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..errors import RenderError
from ..layout import Blueprint
from ..project import Project, Scene


class Renderer(Protocol):
    name: str
    version: str  # bump when the same inputs would give different pixels

    def render(
        self, scene: Scene, plan: Blueprint, project: Project, size: tuple[int, int], settings: dict[str, Any]
    ) -> Any:  # -> PIL.Image.Image
        ...


_FACTORIES: dict[str, Callable[[], Renderer]] = {}
_INSTANCES: dict[str, Renderer] = {}


def register(name: str, factory: Callable[[], Renderer]) -> None:
    _FACTORIES[name] = factory


def available() -> list[str]:
    return sorted(_FACTORIES)


def get(name: str) -> Renderer:
    if name not in _FACTORIES:
        raise RenderError(f"unknown renderer {name!r}; available: {', '.join(available())}")
    if name not in _INSTANCES:
        _INSTANCES[name] = _FACTORIES[name]()
    return _INSTANCES[name]


def _sketch() -> Renderer:
    from .sketch import SketchRenderer

    return SketchRenderer()


register("sketch", _sketch)
