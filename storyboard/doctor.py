"""`python -m storyboard doctor`: what this machine has and what rendering will use."""

from __future__ import annotations

import importlib.util

from .versions import lock_report


def report(model: str | None = None, planner=None, *, size: int | None = None) -> list[str]:
    """Lines describing library versions (against the lock), the planner and whether its model answers, device,
    memory, cached models, the plan and the memory plan for the chosen model at `size` (its native size when None).
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
    memory_lines, work = memory_plan(ref, size, facts)
    plan = plan_device(facts, work=work)
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
    lines += memory_lines
    lines.append(f"renderer 'auto' will use: {base.resolve('auto', {'model': model})}")
    return lines


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
