"""FLUX models (a tiny real pipeline): text-to-image with character LoRAs; the other options say why not."""

from __future__ import annotations

import numpy as np
import pytest

from storyboard.errors import RenderError
from storyboard.render import families
from storyboard.render.diffusion import DiffusionRenderer
from storyboard.render.models import ModelManager
from tests.render.test_diffusion import SIZE, draw, pixels, project_with


@pytest.fixture()
def engine():
    return DiffusionRenderer(ModelManager(device="cpu"))


def test_flux_renders_with_character_loras_switched_per_panel(engine, tiny_flux):
    folder, loras = tiny_flux
    assert families.of_ref(str(folder)) == "flux"
    alone = project_with({"Mara": ""}, ["Mara"], shot="MS")
    plain = draw(engine, alone, folder)
    assert plain.image.size == SIZE and plain.provenance["family"] == "flux"
    assert plain.provenance["composition"] == "prompt only"
    assert np.array_equal(pixels(plain.image), pixels(draw(engine, alone, folder).image))  # seeded
    both = project_with(loras, ["Mara", "Tom"])
    styled = draw(engine, both, folder)
    assert styled.provenance["adapters"] == {"char_mara": 1.0, "char_tom": 1.0}
    assert styled.provenance["regional"] == []  # no blind repaint: the provenance says why
    assert styled.provenance["composition"].startswith(
        "none: regional pass skipped (the regional pass cannot be used with FLUX models: a FLUX transformer has no "
        "UNet cross-attention")
    back = draw(engine, alone, folder)  # the adapters stay loaded but are switched off
    assert np.abs(pixels(back.image) - pixels(plain.image)).max() <= 1
    assert np.abs(pixels(styled.image) - pixels(plain.image)).mean() > 1.0


@pytest.mark.parametrize("setting, message", [
    ({"controlnet": "a/cn"}, r"^the ControlNet cannot be used with FLUX models: .*Clear the ControlNet"),
    ({"ip_adapter": "ip.safetensors"}, r"^the IP-Adapter cannot be used with FLUX models: .*Clear the IP-Adapter"),
    ({"scheduler": "ddim"}, r"^the ddim scheduler is for SD 1\.5/2\.x and SDXL models; FLUX models keep"),
])
def test_flux_names_each_option_it_cannot_use_and_keeps_working(engine, tiny_flux, setting, message):
    folder, _ = tiny_flux
    project = project_with({"Mara": ""}, ["Mara"], shot="MS")
    with pytest.raises(RenderError, match=message):
        draw(engine, project, folder, **setting)
    assert draw(engine, project, folder).image.size == SIZE
