"""The device policy, as a pure function of what the machine has."""

import pytest

from storyboard.render.device import DevicePlan, Facts, plan_device


@pytest.mark.parametrize(
    "facts, expected",
    [
        (Facts(cuda=True, vram_gb=24, bf16=True), DevicePlan("cuda", "bfloat16")),
        (Facts(cuda=True, vram_gb=12, bf16=False), DevicePlan("cuda", "float16")),
        (Facts(cuda=True, vram_gb=8), DevicePlan("cuda", "float16", offload="model", vae_tiling=True,
                                                 vae_slicing=True)),
        (Facts(cuda=True, vram_gb=4), DevicePlan("cuda", "float16", offload="sequential", vae_tiling=True,
                                                 vae_slicing=True)),
        (Facts(mps=True), DevicePlan("mps", "float16", vae_slicing=True)),
        (Facts(), DevicePlan("cpu", "float32")),
    ],
)
def test_plan_by_hardware(facts, expected):
    assert plan_device(facts) == expected
    assert plan_device(facts).attention == "sdpa"


def test_explicit_choices_and_refusals():
    assert plan_device(Facts(cuda=True, vram_gb=24), prefer="cpu") == DevicePlan("cpu", "float32")
    assert plan_device(Facts(cuda=True, vram_gb=24), dtype="float32").dtype == "float32"
    with pytest.raises(ValueError, match="no CUDA"):
        plan_device(Facts(), prefer="cuda")
    with pytest.raises(ValueError, match="unknown device"):
        plan_device(Facts(), prefer="tpu")
