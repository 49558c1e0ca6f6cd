"""`python -m storyboard doctor`: what this machine has and what rendering will use."""

from __future__ import annotations

import importlib.util

from .versions import lock_report


def report(model: str | None = None, planner=None, *, size: int | None = None, controlnet: bool = False,
           ip_adapter: bool = False, offload: str = "auto") -> list[str]:
    """Lines describing library versions (against the lock), the planner and whether its model answers, device,
    memory, cached models, the plan, the model's family and its ControlNet, and the memory plan for the chosen
    model at `size` (its native size when None) with those options.
    `planner`: a planning.ModelOptions (None: the embedded planner)."""
    from .render import base
    from .render.models import DEFAULT_MODEL, ModelError, ModelSource, cached_models, chosen_model

    lines = lock_report() + [planner_line(planner)]
    if importlib.util.find_spec("torch") is None:
        lines.append("device: unknown (torch is not installed) — only the sketch renderer can run")
        return lines
    from .render.advice import memory_plan
    from .render.device import detect, plan_device

    facts = detect()
    ref = chosen_model(model)
    memory_lines, work = memory_plan(ref, size, facts, controlnet=controlnet, ip_adapter=ip_adapter, offload=offload)
    plan = plan_device(facts, work=work, offload=offload)
    memory = f", {facts.vram_gb:.1f} GB VRAM" if facts.cuda else ""
    lines.append(f"device: {facts.device_name}{memory} → {plan.describe()}, {plan.attention} attention")
    cached = cached_models()
    lines.append("cached models: " + (", ".join(cached) if cached else "none in the Hugging Face cache"))
    try:
        source = ModelSource.parse(ref)
        where = {"folder": "a local folder", "file": "a single .safetensors file",
                 "hub": "in the cache" if ref in cached else "NOT in the cache (needs a download)"}[source.kind]
        lines.append(f"model: {ref} ({where})" + (" — the default" if ref == DEFAULT_MODEL else ""))
    except ModelError as err:
        lines.append(f"model: {err}")
    lines += [f"family: {family_line(ref)}", *memory_lines]
    lines.append(f"renderer 'auto' will use: {base.resolve('auto', {'model': model})}")
    return lines


def family_line(ref: str) -> str:
    """"SDXL model — ControlNet on the blueprint: …; cannot use: …" for the chosen model."""
    from .render import families
    from .render.advice import family_of

    key, head = family_of(ref)
    fam = families.family(key)
    cannot = [families.OPTIONS[o] for o in families.OPTIONS if families.unsupported(key, o)]
    every = "every option (ControlNet, IP-Adapter, LoRAs, regional pass)"
    uses = f"cannot use {', '.join(cannot)}" if cannot else every
    control = f"ControlNet on the blueprint: {fam.controlnet}" if fam.controlnet else "no blueprint ControlNet"
    return f"{head}; native {fam.size} px; {control}; {uses}"


def planner_line(options=None) -> str:
    """"planner: embedded …", or the language model's planner and whether its model or server is there."""
    from .planning.llm.backend import LLMError

    if options is None or options.planner == "embedded":
        return "planner: embedded (spaCy and rules; no model needed)"
    backend = options.backend()
    try:
        return f"planner: {options.planner} — {backend.check()}"
    except LLMError as err:
        return f"planner: {options.planner} — {err} (plans will fall back to the embedded planner)"
    finally:
        backend.close()
