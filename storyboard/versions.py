"""The tested dependency set: installed versions against the lock, and checks for features only some versions have.

`requirements.in` holds the ranges people edit; `requirements.txt` is the lock `uv pip compile` makes from it (README,
"The dependency lock"). torch is left out of the lock on purpose: it is the user's choice of build, checked against its
range in `requirements.in` only.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

from .errors import StoryboardError

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.txt"
RANGES = ROOT / "requirements.in"
UNLOCKED = ("torch",)  # the user's build; see lock-overrides.txt
STACK = ("torch", "diffusers", "transformers", "peft", "accelerate", "safetensors", "gradio", "spacy",
         "insightface", "onnxruntime", "opencv-python", "reportlab", "numpy")  # what doctor always lists
INSTALL_LOCK = "pip install -r requirements.txt"
PEFT_RANGE = ">=0.13"  # LoRA adapters in diffusers (add_adapter, set_adapters); as in requirements.in


class DependencyError(StoryboardError):
    """An installed library is too old or too new for the feature asked for."""


def canonical(name: str) -> str:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name)


def installed(name: str) -> str | None:
    """The installed version of a distribution, or None."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def read_requirements(path: Path) -> dict[str, object]:
    """name → packaging Requirement, for the lines of a requirements file that apply to this machine.

    Comments, options (-c, -r) and lines whose environment marker is false here are skipped."""
    from packaging.requirements import Requirement

    out: dict[str, object] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate():
            out[canonical(req.name)] = req
    return out


def pinned_version(req) -> str | None:
    """The version of an `==` pin, else None."""
    specs = list(req.specifier)
    return specs[0].version if len(specs) == 1 and specs[0].operator == "==" else None


@dataclass(frozen=True)
class Status:
    name: str
    installed: str | None
    wanted: str  # "==1.2.3" for a locked package, the range for an unlocked one
    ok: bool

    def line(self) -> str:
        have = self.installed or "not installed"
        if self.ok:
            how = "locked" if self.wanted.startswith("==") else f"your build; range {self.wanted}"
            return f"{self.name}: {have} ({how})"
        return f"{self.name}: {have} — DRIFT: the tested set has {self.wanted}"


def check_lock(lock: Path = LOCK, ranges: Path = RANGES) -> list[Status]:
    """Every locked package (and each unlocked one against its range) compared with what is installed."""
    from packaging.version import InvalidVersion, Version

    statuses = []
    for name, req in sorted(read_requirements(lock).items()):
        version = installed(name)
        statuses.append(Status(name, version, str(req.specifier), version is not None
                               and version == pinned_version(req)))
    wanted = read_requirements(ranges) if ranges.exists() else {}
    for name in UNLOCKED:
        if name in wanted:
            version = installed(name)
            try:
                ok = version is not None and wanted[name].specifier.contains(Version(version), prereleases=True)
            except InvalidVersion:
                ok = False
            statuses.append(Status(name, version, str(wanted[name].specifier) or "any", ok))
    return statuses


def lock_report(lock: Path = LOCK, ranges: Path = RANGES) -> list[str]:
    """Doctor's lines: the stack one by one, then every other drifted package, then a verdict."""
    if not lock.exists():
        return [f"versions: no lock at {lock} (an installed copy without the source tree); not compared"]
    statuses = check_lock(lock, ranges)
    by_name = {s.name: s for s in statuses}
    lines = [by_name[canonical(n)].line() for n in STACK if canonical(n) in by_name]
    shown = {canonical(n) for n in STACK}
    drift = [s for s in statuses if not s.ok]
    lines += [s.line() for s in drift if s.name not in shown]
    if drift:
        lines.append(f"versions: {len(drift)} of {len(statuses)} differ from the tested set — {INSTALL_LOCK}")
    else:
        lines.append(f"versions: all {len(statuses)} match the tested set")
    return lines


def require(name: str, spec: str, feature: str) -> str:
    """Check before use that `name` is installed within `spec`; return its version or raise one clear line."""
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    version = installed(name)
    if version is None:
        raise DependencyError(f"{feature} needs {name}{spec}, which is not installed: {INSTALL_LOCK}")
    if not SpecifierSet(spec).contains(Version(version), prereleases=True):
        raise DependencyError(f"{feature} needs {name}{spec} (this machine has {version}): {INSTALL_LOCK}")
    return version


def transformers_peft_floor() -> str | None:
    """The lowest peft the installed transformers accepts for adapters on its models (None when it says nothing)."""
    for module in ("transformers.integrations.peft", "transformers.utils.peft_utils"):
        try:
            floor = getattr(importlib.import_module(module), "MIN_PEFT_VERSION", None)
        except ImportError:
            continue
        if floor:
            return str(floor)
    return None


def require_text_encoder_lora() -> None:
    """A LoRA on a transformers text encoder goes through transformers' own peft integration, whose floor moves
    with each transformers release (5.24 asks for peft 0.22). Say so before training, not as a traceback."""
    floor = transformers_peft_floor()
    if floor:
        require("peft", f">={floor}", f"a LoRA on the text encoder with transformers {installed('transformers')}")
