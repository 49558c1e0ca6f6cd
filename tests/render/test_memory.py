"""The memory estimate per family, size and options, the placement that fits a card, and what to lower first."""

import subprocess
import sys
from dataclasses import replace

import pytest

from storyboard.render.device import DevicePlan
from storyboard.render.memory import Workload, estimate, fit, lower_first, usable_gb

SD15 = Workload("sd15", 512, 512)
SDXL = Workload("sdxl", 1024, 1024)
FLUX = Workload("flux", 1024, 1024, dtype="bfloat16")
PLACEMENTS = [("none", False), ("none", True), ("model", True), ("sequential", True)]


def peak(work: Workload) -> float:
    return estimate(work).peak("none", False)


def test_bigger_models_and_sizes_need_more():
    assert peak(SDXL) > peak(SD15)
    assert estimate(SDXL).weights_gb > 3 * estimate(SD15).weights_gb
    assert peak(replace(SD15, width=768, height=768)) > peak(SD15)
    assert peak(replace(SDXL, width=1536)) > peak(SDXL)
    assert estimate(FLUX).weights_gb > 30  # a 12 B transformer and a 4.7 B T5 in 16 bits


@pytest.mark.parametrize("work", [SD15, SDXL])
def test_options_raise_the_estimate(work):
    assert peak(replace(work, controlnet=True)) > peak(work) + 0.5
    assert peak(replace(work, ip_adapter=True)) > peak(work) + 1.0  # the ViT-H image encoder alone is 1.2 GB
    assert estimate(replace(work, loras=2)).weights_gb > estimate(work).weights_gb
    assert peak(replace(work, regional=True)) == pytest.approx(peak(work))  # same weights, same activations
    assert estimate(replace(work, cfg=False)).denoise_gb == pytest.approx(estimate(work).denoise_gb / 2)


def test_the_published_ballparks():
    assert 3 <= peak(SD15) <= 4  # SD 1.5 512² fp16 with nothing offloaded
    assert 10 <= peak(SDXL) <= 13  # SDXL 1024² fp16 (its VAE decodes in fp32)
    assert 6 <= estimate(SDXL).peak("model", True) <= 8
    assert estimate(SD15).peak("sequential", True) < 3
    assert estimate(SDXL).decode_gb > estimate(replace(SDXL, dtype="bfloat16")).decode_gb  # no upcast in bf16


def test_fp32_doubles_the_bytes():
    fp16, fp32 = estimate(SDXL), estimate(replace(SDXL, dtype="float32"))
    assert fp32.weights_gb == pytest.approx(2 * fp16.weights_gb)
    assert fp32.largest_gb == pytest.approx(2 * fp16.largest_gb)
    assert fp32.denoise_gb == pytest.approx(2 * fp16.denoise_gb)
    assert estimate(replace(SD15, dtype="bfloat16")) == replace(estimate(SD15), label="SD 1.5 512×512 (bfloat16)")


def test_fit_picks_the_least_offload_that_fits():
    assert fit(SDXL, 24)[:2] == ("none", False)
    assert fit(SDXL, 8)[:2] == ("model", True)
    assert fit(SDXL, 4)[0] == "sequential"
    assert fit(SD15, 8)[:2] == ("none", False)
    assert fit(FLUX, 16)[0] != "none"
    assert fit(FLUX, 80)[0] == "none"
    offload, tiling, gb = fit(SDXL, 8)
    assert gb == pytest.approx(estimate(SDXL).peak(offload, tiling)) and gb <= usable_gb(8)


@pytest.mark.parametrize("family", ["sd15", "sd2", "sdxl", "flux", "other"])
@pytest.mark.parametrize("side", [512, 768, 1024, 1536])
@pytest.mark.parametrize("options", [{}, {"controlnet": True}, {"ip_adapter": True, "loras": 3}, {"cfg": False}])
def test_the_chosen_peak_fits_whenever_something_fits(family, side, options):
    work = Workload(family, side, side * 3 // 4, **options)
    est = estimate(work)
    for vram in (4, 6, 8, 10, 12, 16, 24, 48):
        offload, tiling, gb = fit(work, vram)
        fitting = [p for p in PLACEMENTS if est.peak(*p) <= usable_gb(vram)]
        if fitting:
            assert gb <= usable_gb(vram)
            assert (offload, tiling) == fitting[0]  # nothing with less offload would have fitted
        else:
            assert (offload, tiling) == ("sequential", True)


def test_lower_first_names_what_dominates():
    big = Workload("sd15", 1536, 1536)  # the untiled decode of 2.4 megapixels dominates
    assert estimate(big).decode_gb > estimate(big).weights_gb
    words = lower_first(big, DevicePlan("cuda", "float16"))
    assert "panel size" in words and "--size 1024" in words
    with_cn = replace(SDXL, controlnet=True)  # 8 GB fits SDXL with model offload, not SDXL with its ControlNet
    plan = DevicePlan("cuda", "float16", offload="model", vae_tiling=True, vae_slicing=True)
    assert estimate(with_cn).peak("model", True) > usable_gb(8) >= estimate(SDXL).peak("model", True)
    assert lower_first(with_cn, plan) == "turn off the ControlNet"
    assert lower_first(replace(SD15, ip_adapter=True), DevicePlan("cuda", "float16")) == "turn off the IP-Adapter"
    assert lower_first(FLUX, plan).startswith("set offload to sequential (--offload sequential")
    sequential = DevicePlan("cuda", "float16", offload="sequential", vae_tiling=True)
    assert "panel size" in lower_first(with_cn, sequential)  # sequential: the ControlNet's weights are off the card


def test_describe_and_refusals():
    text = estimate(replace(SDXL, controlnet=True, loras=2)).describe()
    assert text.startswith("SDXL 1024×1024 + ControlNet, 2 LoRAs: ~") and "GB peak (weights " in text
    assert estimate(Workload("other", 512, 512)).weights_gb == estimate(SD15).weights_gb  # counted as SD 1.5
    with pytest.raises(ValueError, match="unknown offload"):
        estimate(SD15).peak("disk", False)
    with pytest.raises(ValueError, match="unknown dtype"):
        estimate(replace(SD15, dtype="int8"))


def test_no_torch_at_import():
    code = "import sys, storyboard.render.memory, storyboard.render.device; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_doctor_reports_the_memory_plan(tiny_model):
    from storyboard import doctor

    lines = doctor.report(model=str(tiny_model))
    start = next(i for i, line in enumerate(lines) if line.startswith("memory plan:"))
    assert lines[start - 2].startswith("model: ")
    assert lines[start - 1] == ("family: SD 1.5 model; native 512 px; ControlNet on the blueprint: "
                                "lllyasviel/control_v11p_sd15_scribble; every option (ControlNet, IP-Adapter, LoRAs, "
                                "regional pass)")
    assert "SD 1.5 model at 512×512" in lines[start]
    for gb in (8, 12, 16, 24):
        assert any(line.startswith(f"  {gb} GB card: SD 1.5 512×512 ~") and "→ no offload" in line
                   for line in lines[start:])
    assert any(line.startswith("  this machine (CPU): cpu float32, ~") for line in lines[start:])
    assert any(line.startswith("device: CPU → cpu float32, ~") for line in lines)
    bigger = doctor.report(model=str(tiny_model), size=1024)
    assert any("SD 1.5 1024×1024" in line for line in bigger)


def test_doctor_says_when_the_family_is_assumed(tmp_path):
    from storyboard.render.advice import memory_plan
    from storyboard.render.device import Facts

    lines, work = memory_plan(str(tmp_path / "missing"), None, Facts(cuda=True, vram_gb=11.6, device_name="GPU"))
    assert "unknown" in lines[0] and "assume SD 1.5" in lines[0] and work.family == "sd15"
    assert lines[-1].startswith("  this GPU (GPU, 11.6 GB): SD 1.5 512×512 ~")
