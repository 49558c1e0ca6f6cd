"""Resumable training checkpoints: LoRA weights, optimizer moments and the step.

Written as safetensors + JSON (never pickle) into a temp folder that replaces the old checkpoint whole, so a
crash leaves the previous checkpoint or the new one. A checkpoint whose fingerprint (pictures, base model,
adapter shape) differs, or that is damaged, is ignored and training starts over.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

ADAPTER = "character"  # the name the training adapter has on the models


def save_checkpoint(folder: Path, fingerprint: str, step: int, lora_state: dict, params, optimizer,
                    losses: list[float]) -> None:
    import torch
    from safetensors.torch import save_file

    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".ckpt-", dir=folder.parent))
    try:
        save_file({k: v.detach().contiguous().cpu() for k, v in lora_state.items()}, str(tmp / "adapter.safetensors"))
        moments = {}
        for i, param in enumerate(params):
            state = optimizer.state.get(param, {})
            for key in ("exp_avg", "exp_avg_sq"):
                if key in state:
                    moments[f"{i}.{key}"] = state[key].detach().contiguous().cpu()
        steps = [float(optimizer.state.get(p, {}).get("step", 0)) for p in params]
        save_file(moments or {"empty": torch.zeros(1)}, str(tmp / "optimizer.safetensors"))
        (tmp / "state.json").write_text(json.dumps({"step": step, "fingerprint": fingerprint, "losses": losses,
                                                    "adam_steps": steps}))
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def load_checkpoint(folder: Path, fingerprint: str, models: dict, params, optimizer) -> tuple[int, list[float]]:
    """Restore a matching checkpoint into `models` (prefix → model) and the optimizer; (step, losses)."""
    import torch
    from peft.utils import set_peft_model_state_dict
    from safetensors.torch import load_file

    state_file = folder / "state.json"
    if not state_file.is_file():
        return 0, []
    try:
        state = json.loads(state_file.read_text())
        if state.get("fingerprint") != fingerprint:
            return 0, []  # other pictures or settings: start over
        saved = load_file(str(folder / "adapter.safetensors"))
        for prefix, model in models.items():
            part = {k[len(prefix):]: v for k, v in saved.items() if k.startswith(prefix)}
            if part:
                set_peft_model_state_dict(model, part, adapter_name=ADAPTER)
        moments = load_file(str(folder / "optimizer.safetensors"))
    except (OSError, ValueError, KeyError, RuntimeError):
        return 0, []  # a damaged checkpoint: start over rather than fail
    for i, param in enumerate(params):
        if f"{i}.exp_avg" in moments:
            optimizer.state[param] = {"step": torch.tensor(state["adam_steps"][i]),
                                      "exp_avg": moments[f"{i}.exp_avg"].to(param.device),
                                      "exp_avg_sq": moments[f"{i}.exp_avg_sq"].to(param.device)}
    return int(state["step"]), list(state.get("losses", []))
