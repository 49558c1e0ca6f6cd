"""The renderer interface and the name → renderer registry.

A renderer turns one scene (with its blueprint) into a `Rendered` image plus
its provenance (what made it). The sketch renderer is always available; the
diffusion renderer registers beside it; "auto" picks diffusion when a GPU and
a model are at hand, else the sketch. Renderers are created lazily by their
factory, so importing this module loads no model and no heavy library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import RenderError
from ..layout import Blueprint
from ..progress import CancelToken
from ..project import Project, Scene

StepFn = Callable[[int, int], None]  # (step done, steps in all) within one panel


@dataclass
class Rendered:
    image: Any  # PIL.Image.Image
    provenance: dict[str, Any] = field(default_factory=dict)


class Renderer(Protocol):
    name: str
    version: str  # bump when the same inputs would give different pixels
    # Optional `shows_number = True`: the printed shot number is in the pixels (see render.number_settings).

    def render(self, scene: Scene, plan: Blueprint, project: Project, size: tuple[int, int],
               settings: dict[str, Any], step: StepFn | None = None, cancel: CancelToken | None = None) -> Rendered:
        ...


_FACTORIES: dict[str, Callable[[], Renderer]] = {}
_INSTANCES: dict[str, Renderer] = {}
CHOICES = ("sketch", "diffusion", "auto")


def register(name: str, factory: Callable[[], Renderer]) -> None:
    _FACTORIES[name] = factory


def available() -> list[str]:
    return sorted(_FACTORIES)


def get(name: str) -> Renderer:
    if name not in _FACTORIES:
        raise RenderError(f"unknown renderer {name!r}; available: {', '.join(available() + ['auto'])}")
    if name not in _INSTANCES:
        _INSTANCES[name] = _FACTORIES[name]()
    return _INSTANCES[name]


def resolve(name: str, settings: dict[str, Any] | None = None) -> str:
    """The renderer "auto" means here: diffusion with a GPU and a model on disk, else the sketch."""
    if name != "auto":
        return name
    from .device import detect
    from .models import ModelError, ModelSource, cached_models, chosen_model

    facts = detect()
    if not (facts.cuda or facts.mps):
        return "sketch"
    try:
        source = ModelSource.parse(chosen_model((settings or {}).get("model")))
    except ModelError:
        return "sketch"
    return "diffusion" if source.kind != "hub" or source.ref in cached_models() else "sketch"


def _sketch() -> Renderer:
    from .sketch import SketchRenderer

    return SketchRenderer()


def _diffusion() -> Renderer:
    from .diffusion import DiffusionRenderer
    from .models import ModelManager

    return DiffusionRenderer(ModelManager())


register("sketch", _sketch)
register("diffusion", _diffusion)
