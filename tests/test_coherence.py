"""The coherence check: ArcFace through insightface's model_zoo, matching, style, report, heatmap, re-roll."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from storyboard import coherence, store
from storyboard.project import Character, Project, Scene
from storyboard.render import render_scenes


@pytest.fixture(scope="session")
def tiny_arcface(tmp_path_factory):
    """A tiny recognition network exported to ONNX: 112×112×3 in, 512 numbers out, like ArcFace."""
    import torch

    class Tiny(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 8, 4, 4)
            self.fc = torch.nn.Linear(8 * 28 * 28, 512)

        def forward(self, x):
            return self.fc(torch.relu(self.conv(x)).flatten(1))

    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("faces") / "w600k_tiny.onnx"
    torch.onnx.export(Tiny().eval(), torch.randn(1, 3, 112, 112), str(path), input_names=["input"],
                      output_names=["embedding"], dynamo=False, opset_version=13,
                      dynamic_axes={"input": {0: "batch"}})
    return path


def test_recognition_model_loads_through_insightface_model_zoo(tiny_arcface):
    from storyboard.faces import embed_aligned, load_recognizer

    model = load_recognizer(tiny_arcface)
    assert type(model).__name__ == "ArcFaceONNX" and tuple(model.input_size) == (112, 112)
    red, blue = Image.new("RGB", (150, 150), (200, 40, 40)), Image.new("RGB", (90, 90), (30, 40, 210))
    a, b = embed_aligned(model, red), embed_aligned(model, blue)
    assert a.shape == (512,) and abs(np.linalg.norm(a) - 1) < 1e-5
    assert coherence.cosine(a, embed_aligned(model, red)) > 0.9999
    assert coherence.cosine(a, b) < 0.999


def unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=512)
    return v / np.linalg.norm(v)


def test_matching_on_synthetic_embeddings():
    refs = {"Mara": unit(1), "Tom": unit(2), "Ana": unit(3)}
    faces = [unit(2) + 0.2 * unit(9), unit(1) + 0.3 * unit(8)]  # Tom first, then Mara; Ana is not in the panel
    faces = [f / np.linalg.norm(f) for f in faces]
    found = coherence.match_identities(faces, refs, ["Mara", "Tom", "Ana"])
    assert found["Mara"] > 0.9 and found["Tom"] > 0.9 and found["Ana"] is None
    assert coherence.match_identities([unit(5)], refs, ["Mara"])["Mara"] < coherence.IDENTITY_THRESHOLD


class ColourFaces:
    """Synthetic face embeddings for the check: a panel's dominant colour decides whose "face" is in it."""

    def __init__(self, by_colour: dict):
        self.by_colour = by_colour

    def embeddings(self, image):
        r, g, b = np.asarray(image.convert("RGB"), dtype=float).reshape(-1, 3).mean(axis=0)
        key = "red" if r > max(g, b) + 20 else "blue" if b > max(r, g) + 20 else "grey"
        return [self.by_colour[key]] if key in self.by_colour else []


@pytest.fixture()
def board(tmp_path):
    project = Project(title="T", aspect_ratio="1:1", characters=[Character("Mara", references=["refs/mara.png"])])
    project.scenes = [Scene(number=str(i), characters=["Mara"], shot="MS") for i in range(1, 5)]
    project.validate()
    (tmp_path / "refs").mkdir()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(tmp_path / "refs" / "mara.png")
    render_scenes(project, tmp_path, long_side=128)
    return project, tmp_path


def test_check_flags_the_panel_that_drifts_and_writes_the_report(board):
    project, folder = board
    odd = folder / project.scenes[2].panel.path
    Image.new("RGB", (128, 128), (20, 30, 220)).save(odd)  # panel 3 turns blue: another look, another "face"
    mara = unit(1)
    faces = ColourFaces({"red": mara, "grey": mara, "blue": unit(4)})
    report = coherence.check(project, folder, model=faces, note="synthetic")
    assert report.identity_measured and report.flagged() == ["3"]
    odd_panel = report.panels[2]
    assert odd_panel.identity[0].method == "arcface" and odd_panel.identity[0].score < 0.28
    assert odd_panel.style < coherence.STYLE_THRESHOLD and "style" in " ".join(odd_panel.reasons)
    assert all(p.identity[0].score > 0.99 for p in report.panels if p.number != "3")
    json_path, png = coherence.save(report, folder)
    data = json.loads(json_path.read_text())
    assert [p["number"] for p in data["panels"]] == ["1", "2", "3", "4"] and data["threshold"] == 0.28
    with Image.open(png) as heat:
        assert heat.width > 4 * 36 and heat.height >= 2 * 36


def test_without_face_models_identity_is_not_measured_and_style_still_is(board, tmp_path):
    project, folder = board
    model, note = coherence.identity_model(tmp_path / "no-insightface-here")
    assert model is None and "not in" in note
    report = coherence.check(project, folder, model=model, note=note)
    assert not report.identity_measured and "not measured" in report.summary()
    assert all(0.0 <= p.style <= 1.0 for p in report.panels)
    assert all(c.method == "region signature" for p in report.panels for c in p.identity)


def test_reroll_on_the_tiny_pipeline_keeps_the_better_take(tmp_path, tiny_model):
    project = Project(title="T", aspect_ratio="1:1", characters=[Character("Mara")])
    project.scenes = [Scene(number=str(i), characters=["Mara"], shot="MS", seed=i, prompt=f"panel {i}")
                      for i in range(1, 4)]
    project.validate()
    settings = {"model": str(tiny_model), "steps": 2}
    render_scenes(project, tmp_path, backend="diffusion", settings=settings, long_side=64)
    report = coherence.check(project, tmp_path, style_threshold=1.01)  # flag every panel
    assert report.flagged() == ["1", "2", "3"]
    changes = coherence.reroll_flagged(project, tmp_path, report, tries=2, backend="diffusion", settings=settings,
                                       long_side=64, seed=0)
    assert len(changes) == 3
    for change, scene in zip(changes, project.scenes):
        assert change["after"] >= change["before"]
        assert scene.seed == change["seed"] and change["kept_old"] == (change["seed"] == change["seed_before"])
        # the panel on disk is the best take
        assert coherence.score_panel(project, tmp_path, scene, report) == pytest.approx(change["after"])
    assert store.load(tmp_path).scenes[0].seed == project.scenes[0].seed


def test_cli_check_writes_the_report(board, capsys):
    from storyboard.cli import main

    project, folder = board
    assert main(["check", str(folder), "--faces-root", str(folder / "none")]) == 0
    out = capsys.readouterr().out
    assert "4 panels checked" in out and "not measured" in out
    assert (folder / "coherence.json").is_file() and (folder / "coherence.png").is_file()


def test_pdf_appendix_shows_the_check(board):
    from pypdf import PdfReader

    from storyboard import studio

    project, folder = board
    Image.new("RGB", (128, 128), (20, 30, 220)).save(folder / project.scenes[2].panel.path)
    coherence.save(coherence.check(project, folder, model=ColourFaces({"red": unit(1), "grey": unit(1),
                                                                       "blue": unit(4)})), folder)
    plain = studio.export(folder, studio.ExportRequest(kinds=["pdf"]))["pdf"]
    assert len(PdfReader(plain).pages) == 1
    pdf = studio.export(folder, studio.ExportRequest(kinds=["pdf"], coherence_appendix=True))["pdf"]
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    last = reader.pages[1].extract_text()
    assert "coherence" in last and "Page 2/2" in last and "Scene 3:" in last and "Mara arcface" in last
    assert "Page 1/2" in reader.pages[0].extract_text()


class Recorder:
    """A face model that records every picture it is shown."""

    def __init__(self):
        self.seen = []

    def embeddings(self, image):
        self.seen.append(image.size)
        return [unit(1)]


def test_reference_pictures_outside_the_project_are_never_opened(tmp_path):
    from tests.fixtures.tree import outside_tree, snapshot

    folder, sibling = outside_tree(tmp_path)
    Image.new("RGB", (40, 40), (200, 30, 30)).save(sibling / "face.png")
    (folder / "refs").mkdir()
    (folder / "refs" / "link.png").symlink_to(sibling / "face.png")
    Image.new("RGB", (30, 30), (200, 30, 30)).save(folder / "refs" / "own.png")
    before = snapshot(sibling)
    hostile = [str(sibling / "face.png"), "../outside/face.png", "refs/link.png", "refs/\x00.png"]
    project = Project(title="T", characters=[Character("Mara", references=hostile), Character("Tom",
                                                                                           references=["refs/own.png"])])
    model = Recorder()
    assert list(coherence.reference_embeddings(project, folder, model)) == ["Tom"]
    assert model.seen == [(30, 30)] and snapshot(sibling) == before


def test_panels_outside_the_project_or_larger_than_the_renderer_makes_are_not_scored(board, tmp_path):
    from storyboard.project import Panel

    project, folder = board
    Image.new("L", (5000, 4), 128).save(folder / "panels" / "huge.png")
    project.scenes[0].panel = Panel(path="panels/huge.png", backend="sketch")
    project.scenes[1].panel = Panel(path=str(tmp_path.parent / "elsewhere.png"), backend="sketch")
    report = coherence.check(project, folder)
    assert [p.number for p in report.panels] == ["3", "4"]
