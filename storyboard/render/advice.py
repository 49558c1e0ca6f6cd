"""What the renderer will do with a model before it loads it: its family, the ControlNet to use, the memory plan.

`doctor` prints these lines; the Render tab shows them under the diffusion settings as they change.
"""

from __future__ import annotations

from dataclasses import replace

from . import families, memory
from .device import Facts, plan_device

CARDS = (8, 12, 16, 24)  # common card sizes, GB


def family_of(ref: str) -> tuple[str, str]:
    """(family key, a heading that says how it was told — or that SD 1.5 is assumed)."""
    key = families.of_ref(ref)
    if key in families.FAMILIES:
        return key, f"{families.family(key).label} model"
    if key is None and (named := families.guess(ref)):
        return named, f"{families.family(named).label} model (told from its name: it is not downloaded yet)"
    why = "its family is unknown (not a local model, nor in the cache)" if key is None else \
        "it is not an SD 1.5/2.x, SDXL or FLUX model"
    return "sd15", f"{why} — the numbers assume SD 1.5"


def memory_plan(ref: str, size: int | None, facts: Facts, *, controlnet: bool = False, ip_adapter: bool = False,
                loras: int = 0, cfg: bool = True, offload: str = "auto") -> tuple[list[str], memory.Workload]:
    """The "memory plan:" lines for model `ref` on common cards and on this machine, and the workload used.

    `size`: the panel long side (square panels are the worst case); None → the family's native size."""
    key, head = family_of(ref)
    side = size or families.family(key).size
    work = memory.Workload(key, side, side, controlnet=controlnet, ip_adapter=ip_adapter, loras=loras,
                           regional=loras >= 2, cfg=cfg)
    extras = [name for name, on in (("ControlNet", controlnet), ("IP-Adapter", ip_adapter)) if on]
    if loras:
        extras.append(f"{loras} LoRA" + ("s" if loras > 1 else ""))
    what = ", ".join(extras) if extras else "no ControlNet, IP-Adapter or LoRAs"
    lines = [f"memory plan: {head} at {side}×{side} ({what})"]
    lines += [f"  {gb} GB card: {memory.card_line(work, gb)}" for gb in CARDS]
    plan = plan_device(facts, work=work, offload=offload)
    if facts.cuda:
        where = f"this GPU ({facts.device_name}, {facts.vram_gb:.1f} GB)"
        if offload == "auto":
            lines.append(f"  {where}: {memory.card_line(replace(work, dtype=plan.dtype), facts.vram_gb)}")
        else:
            lines.append(f"  {where}: {memory.placement(plan.offload, plan.vae_tiling)} as set "
                         f"(~{plan.estimate_gb:.1f} GB)")
    else:
        ram = "unified memory" if plan.device == "mps" else "RAM"
        lines.append(f"  this machine ({facts.device_name}): {plan.device} {plan.dtype}, ~{plan.estimate_gb:.1f} GB "
                     f"of {ram} at peak")
    return lines, work
