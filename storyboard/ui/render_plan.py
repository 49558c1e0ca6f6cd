"""The Render tab's plan: what the renderer will do with the chosen model, said before anything is rendered.

`describe` reads only configs and file names (no weights, no pipeline; torch only for `device.detect`, once per
process): the model's family, its native panel size, the ControlNet it reads the blueprint with (and whether the one
in the ControlNet box fits), the options the family cannot use, and the memory plan for this machine and common
cards (render/advice.py, as `doctor` prints it). A value that cannot be planned is one line saying why, never an
exception: the plan updates as the user types.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from .. import paths
from ..errors import InputError, StoryboardError
from ..render import advice, families, memory
from ..render.device import OFFLOADS, Facts, detect, plan_device
from ..render.models import ModelError, ModelSource, chosen_model

# A ControlNet copies its UNet's encoder, so its text width (cross_attention_dim) is its family's.
CONTROLNET_WIDTHS = {768: "sd15", 1024: "sd2", 2048: "sdxl"}


@functools.cache
def machine() -> Facts:
    """This machine's facts, read once per process (`detect` imports torch)."""
    try:
        return detect()
    except Exception:  # no torch, or a broken driver: the plan still describes the cards
        return Facts(device_name="unknown: torch could not be loaded")


def note(text: str) -> str:
    """A plan that cannot be made: one line."""
    return f"⚠ {text}"


def for_page(policy, model, controlnet, ip_adapter, size, guidance, offload) -> str:
    """`describe` for the page: on a shared server, a box holding what the host does not offer gets the policy's
    message (which never says whether a path exists here) instead of a plan."""
    try:
        for value, what in ((model, "model"), (controlnet, "ControlNet"), (ip_adapter, "IP-Adapter")):
            policy.check(value if isinstance(value, str) else "", what)
    except StoryboardError as err:
        return note(str(err))
    return describe(model, controlnet, ip_adapter, size, guidance, offload)


def describe(model, controlnet, ip_adapter, size, guidance, offload, facts: Facts | None = None) -> str:
    """Markdown: the plan for `model` ("" → $STORYBOARD_MODEL, else SD 1.5) with these settings; `facts`: the
    machine (None: this one)."""
    try:
        return _describe(model, controlnet, ip_adapter, size, guidance, offload, facts)
    except StoryboardError as err:
        return note(str(err))
    except Exception as err:  # shown while typing: whatever the value, a line and not a failed page
        return note(f"the plan could not be made: {err}")


def _describe(model, controlnet, ip_adapter, size, guidance, offload, facts: Facts | None) -> str:
    typed, cn, ip = (_text(v) for v in (model, controlnet, ip_adapter))
    ref = chosen_model(typed)
    try:
        ModelSource.parse(ref)
    except ModelError as err:
        return note(str(err))
    side, cfg, offload = _size(size), _guidance(guidance) > 1, _text(offload) or "auto"
    if offload not in OFFLOADS:
        return note(f"unknown offload {offload!r}; use {', '.join(OFFLOADS)}")
    facts = facts or machine()
    key, head = advice.family_of(ref)
    fam = families.family(key)
    side = side or fam.size
    lines = [f"**Model** · {'' if typed else 'the default, '}`{_short(ref)}`: {head}."]
    if side == fam.size:
        lines.append(f"**Panel size** · {side} px, the native size of {fam.label} models.")
    else:
        lines.append(f"**Panel size** · the Panel long side is {side} px; {fam.label} models draw best at their "
                     f"native {fam.size} px.")
    cn_why = families.unsupported(key, "controlnet") if cn else None
    if cn_why:
        lines.append(f"⚠ {cn_why}. Clear the ControlNet box to render with this model.")
    else:
        lines.append(f"**ControlNet** · {families.suggestion(key)}")
        if cn:
            lines += _controlnet_lines(cn, ref, key)
    ip_why = families.unsupported(key, "ip_adapter") if ip else None
    if ip_why:
        lines.append(f"⚠ {ip_why}. Clear the IP-Adapter box to render with this model.")
    elif ip and (missing := _ip_adapter_problem(ip)):
        lines.append(f"⚠ {missing}")
    plan, work = advice.memory_plan(ref, side, facts, controlnet=bool(cn) and not cn_why,
                                    ip_adapter=bool(ip) and not ip_why, cfg=cfg, offload=offload)
    lines.append(_memory_markdown(plan, work, facts, offload))
    return "\n\n".join(lines)


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _short(ref: str) -> str:
    """A path as its last two parts (the whole path is in the box above), a hub id as it is."""
    path = Path(ref)
    return ref if paths.missing_path_or_hub_id(ref) == "hub" or len(path.parts) <= 2 else \
        str(Path("…", *path.parts[-2:]))


def _size(size) -> int | None:
    if size is None or size == "":
        return None
    try:
        side = int(float(size))
    except (TypeError, ValueError):
        raise InputError(f"the panel long side must be a number of pixels, got {size!r}") from None
    if not 64 <= side <= paths.MAX_PANEL_SIDE:
        raise InputError(f"the panel long side must be between 64 and {paths.MAX_PANEL_SIDE} px, got {side}")
    return side


def _guidance(guidance) -> float:
    if guidance is None or guidance == "":
        return 7.5  # the renderer's default
    try:
        return float(guidance)
    except (TypeError, ValueError):
        raise InputError(f"guidance must be a number, got {guidance!r}") from None


# -- the ControlNet ------------------------------------------------------------------------------------------------

def controlnet_family(ref: str) -> str | None:
    """The family a ControlNet (a diffusers folder, or a hub id in the cache) was made for, from its config.json:
    its text width (768 SD 1.5, 1024 SD 2.x, 2048 SDXL) or its class (FLUX); None when that cannot be told."""
    config = _controlnet_config(ref)
    if config is None:
        return None
    name = str(config.get("_class_name", ""))
    if "Flux" in name:
        return "flux"
    if "SD3" in name:
        return "other"
    width = config.get("cross_attention_dim")
    return CONTROLNET_WIDTHS.get(width) if isinstance(width, int) else None


def _controlnet_config(ref: str) -> dict | None:
    return _read_config(_text(ref), "config.json")


def _unet_width(ref: str) -> int | None:
    """The model's UNet text width (what the renderer compares a ControlNet's with), when its config is at hand."""
    config = _read_config(ref, "unet/config.json")
    width = config.get("cross_attention_dim") if config else None
    return width if isinstance(width, int) else None


def _read_config(ref: str, name: str) -> dict | None:
    """A JSON config inside a folder, or inside a hub id's cached snapshot (never downloaded); None if absent."""
    if not ref:
        return None
    path = Path(ref).expanduser()
    try:
        if path.is_dir():
            found = path / name
        elif paths.missing_path_or_hub_id(ref) == "hub":
            from huggingface_hub import try_to_load_from_cache

            cached = try_to_load_from_cache(ref, name)
            if not isinstance(cached, str):
                return None
            found = Path(cached)
        else:
            return None
        data = json.loads(found.read_text(encoding="utf-8"))
    except Exception:  # unreadable, not JSON, not a repo id: not told
        return None
    return data if isinstance(data, dict) else None


def _controlnet_problem(ref: str) -> str | None:
    """Why the ControlNet box's value cannot be loaded, as far as the files tell; None when it may be."""
    path = Path(ref).expanduser()
    try:
        if path.is_dir():
            return None if (path / "config.json").is_file() else \
                f"{path} is not a diffusers ControlNet folder (it has no config.json)"
    except OSError as err:
        return f"the ControlNet folder cannot be read: {err}"
    kind = paths.missing_path_or_hub_id(ref)
    if kind == "path":
        return f"ControlNet folder not found: {path}"
    if kind != "hub":
        return f"{ref!r} is neither a ControlNet folder nor a hub id like owner/name"
    return None


def _controlnet_lines(cn: str, ref: str, key: str) -> list[str]:
    """The ControlNet box against the model: not found, made for another family, or fitting."""
    problem = _controlnet_problem(cn)
    if problem:
        return [f"⚠ {problem}"]
    fam = families.family(key)
    theirs, ours = (_controlnet_config(cn) or {}).get("cross_attention_dim"), _unet_width(ref)
    told = controlnet_family(cn)
    how = ""
    if told is None and theirs is None and (told := families.guess(cn)):
        how = " (told from its name)"
    if told and told != key:
        return [f"⚠ This ControlNet is made for {families.family(told).label} models{how}, not {fam.label}: "
                "the render would refuse it."]
    if isinstance(theirs, int) and isinstance(ours, int) and theirs != ours:
        return [f"⚠ This ControlNet was made for another model family (text width {theirs}; this {fam.label} "
                f"model's is {ours}): the render would refuse it."]
    if told == key or (isinstance(theirs, int) and theirs == ours):
        return [f"✓ The ControlNet in the box fits {fam.label} models{how}."]
    return []


def _ip_adapter_problem(ref: str) -> str | None:
    """What the renderer will refuse about the IP-Adapter box before loading anything (see ensure_ip_adapter)."""
    path = Path(ref).expanduser()
    if path.suffix.lower() != ".safetensors":
        return f"{path.name}: IP-Adapters are loaded only as .safetensors (pickle files can run code)"
    try:
        if not path.is_file() or not (path.parent / "image_encoder").is_dir():
            return f"IP-Adapter not found: {path} (with an image_encoder folder beside it)"
    except OSError as err:
        return f"the IP-Adapter cannot be read: {err}"
    return None


# -- the memory plan -----------------------------------------------------------------------------------------------

PEAK = re.compile(r"^(?P<where>.*?: ).*?~[\d.]+ GB peak → ")
PLACE = re.compile(r"^(this \w+ \(.*?\)): ")


def _memory_markdown(plan: list[str], work: memory.Workload, facts: Facts, offload: str) -> str:
    """advice.memory_plan's lines as a compact list: the workload and its peak once, this machine first."""
    est = memory.estimate(work)
    head = f"**Memory plan** for {est.label}: ~{est.peak('none', False):.1f} GB peak with nothing offloaded"
    items = [PEAK.sub(r"\g<where>", line.strip()) for line in plan[1:]]
    cards, here = items[:-1], items[-1]
    if facts.cuda and offload != "auto":  # forced: say when it is more than the card can hold
        forced = plan_device(facts, work=work, offload=offload)
        room = memory.usable_gb(facts.vram_gb)
        if forced.estimate_gb > room:
            here += f" — ⚠ more than the ~{room:.1f} GB this card can use"
    return "\n".join([head, "- " + PLACE.sub(r"**\1**: ", here), *(f"- {line}" for line in cards)])
