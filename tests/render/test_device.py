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


def test_plan_from_the_workload_memory_estimate():
    from storyboard.render.memory import Workload, estimate, fit

    sdxl = Workload("sdxl", 1024, 1024)
    big = plan_device(Facts(cuda=True, vram_gb=24), work=sdxl)
    assert (big.offload, big.vae_tiling) == ("none", False)
    assert big.estimate_gb == pytest.approx(estimate(sdxl).peak("none", False), abs=0.01)
    assert big.describe() == f"cuda float16, ~{big.estimate_gb:.1f} GB"
    small = plan_device(Facts(cuda=True, vram_gb=8), work=sdxl)
    assert (small.offload, small.vae_tiling, small.vae_slicing) == ("model", True, True)
    assert small.estimate_gb == pytest.approx(fit(sdxl, 8)[2], abs=0.01)
    assert small.describe().endswith(f"(offload model, VAE tiling, VAE slicing), ~{small.estimate_gb:.1f} GB")
    # a 12 GB card without a workload keeps everything on it; SDXL with its ControlNet does not fit so
    assert plan_device(Facts(cuda=True, vram_gb=12)).offload == "none"
    assert plan_device(Facts(cuda=True, vram_gb=12), work=Workload("sdxl", 1024, 1024, controlnet=True)).offload \
        == "model"
    # SD 1.5 fits a 6 GB card whole, where the thresholds would have offloaded it
    assert plan_device(Facts(cuda=True, vram_gb=6), work=Workload("sd15", 512, 512)).offload == "none"
    # the plan's dtype is the workload's: in bf16 SDXL's VAE is not upcast, so the peak is lower
    bf16 = plan_device(Facts(cuda=True, vram_gb=24, bf16=True), work=sdxl)
    assert bf16.dtype == "bfloat16" and bf16.estimate_gb < big.estimate_gb


def test_forced_offload():
    from storyboard.render.memory import Workload, estimate

    sdxl = Workload("sdxl", 1024, 1024)
    seq = plan_device(Facts(cuda=True, vram_gb=24), work=sdxl, offload="sequential")
    assert (seq.offload, seq.vae_tiling, seq.vae_slicing) == ("sequential", True, True)
    assert seq.estimate_gb == pytest.approx(estimate(sdxl).peak("sequential", True), abs=0.01)
    whole = plan_device(Facts(cuda=True, vram_gb=8), work=sdxl, offload="none")
    assert (whole.offload, whole.vae_tiling) == ("none", True)  # as asked; the decode tiled when it cannot fit
    assert plan_device(Facts(cuda=True, vram_gb=24), offload="model") == DevicePlan(
        "cuda", "float16", offload="model", vae_tiling=True, vae_slicing=True)
    assert plan_device(Facts(cuda=True, vram_gb=8), offload="none").offload == "none"
    assert plan_device(Facts(), offload="sequential") == DevicePlan("cpu", "float32")  # only CUDA offloads
    with pytest.raises(ValueError, match="auto, none, model or sequential"):
        plan_device(Facts(cuda=True, vram_gb=8), offload="disk")


def test_cpu_and_mps_carry_the_estimate_without_offload():
    from storyboard.render.memory import Workload, estimate

    sd15 = Workload("sd15", 512, 512)
    cpu = plan_device(Facts(), work=sd15)
    assert (cpu.device, cpu.dtype, cpu.offload) == ("cpu", "float32", "none")
    assert cpu.estimate_gb == pytest.approx(estimate(Workload("sd15", 512, 512, dtype="float32")).peak("none", False),
                                            abs=0.01)
    mps = plan_device(Facts(mps=True), work=sd15)
    assert (mps.device, mps.offload, mps.vae_slicing) == ("mps", "none", True)
    assert mps.estimate_gb == pytest.approx(estimate(sd15).peak("none", False), abs=0.01)
    assert mps.estimate_gb < cpu.estimate_gb
    assert "GB" in mps.describe()
