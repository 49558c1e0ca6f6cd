"""Coherence across the board: does each character look like themselves, is the board one style?

Identity: faces in each panel (insightface) are matched to the scene's characters by ArcFace cosine
similarity against each character's reference embeddings; below the threshold (insightface's guidance:
cosine under about 0.28 suggests a different person) or not found → flagged. Characters whose references
show no detectable face (cartoon, animal, robot) get a region signature instead: the colour histogram of
their blueprint box, compared with their median across the board. Style: each panel's colour histogram
against the board's median. Without insightface's models, identity is reported as not measured, and why.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import paths, store
from .layout import blueprint
from .project import Project, Scene

log = logging.getLogger(__name__)

IDENTITY_THRESHOLD = 0.28
STYLE_THRESHOLD = 0.6


@dataclass
class CharacterScore:
    name: str
    score: float | None  # None: not found in the panel
    method: str  # "arcface" or "region signature"
    flagged: bool = False


@dataclass
class PanelScore:
    number: str
    scene_id: str
    style: float
    identity: list[CharacterScore] = field(default_factory=list)
    flagged: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def worst(self) -> float:
        """One number to compare takes of a panel: its weakest score."""
        scores = [c.score if c.score is not None else -1.0 for c in self.identity] + [self.style]
        return min(scores)


@dataclass
class Report:
    panels: list[PanelScore]
    identity_measured: bool
    identity_note: str
    threshold: float = IDENTITY_THRESHOLD
    style_threshold: float = STYLE_THRESHOLD
    median_style: list[float] = field(default_factory=list)  # the board's median colour histogram

    def flagged(self) -> list[str]:
        return [p.number for p in self.panels if p.flagged]

    def to_json(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        lines = [f"{len(self.panels)} panels checked · {len(self.flagged())} flagged"
                 + (f": {', '.join(self.flagged())}" if self.flagged() else "")]
        lines.append("identity: " + ("measured with ArcFace" if self.identity_measured else
                                     f"not measured — {self.identity_note}"))
        for panel in self.panels:
            if panel.flagged:
                lines.append(f"  scene {panel.number}: {'; '.join(panel.reasons)}")
        return "\n".join(lines)


# -- signatures and scores -------------------------------------------------------------


def colour_signature(image, box=None):
    """A normalised HSV histogram (8 hues × 4 saturations × 4 values) of the image or a box of it."""
    import numpy as np

    region = image.convert("RGB").crop(box) if box else image.convert("RGB")
    hsv = np.asarray(region.convert("HSV").resize((64, 64)), dtype=np.int32)
    index = (hsv[..., 0] * 8 // 256) * 16 + (hsv[..., 1] * 4 // 256) * 4 + hsv[..., 2] * 4 // 256
    hist = np.bincount(index.ravel(), minlength=128).astype(np.float64)
    return hist / max(hist.sum(), 1.0)


def similarity(signature, reference) -> float:
    """1 − half the L1 distance of two histograms: 1 identical, 0 nothing in common."""
    import numpy as np

    return float(1.0 - 0.5 * np.abs(np.asarray(signature) - np.asarray(reference)).sum())


def median(signatures):
    import numpy as np

    middle = np.median(np.stack(signatures), axis=0)
    return middle / max(middle.sum(), 1e-12)


def cosine(a, b) -> float:
    import numpy as np

    return float(np.dot(a, b) / ((np.linalg.norm(a) * np.linalg.norm(b)) + 1e-12))


def match_identities(faces: list, references: dict, present: list[str]) -> dict[str, float | None]:
    """Greedy one-to-one matching of face embeddings to the present characters' reference embeddings."""
    pairs = sorted(((cosine(face, references[name]), f, name) for f, face in enumerate(faces)
                    for name in present if name in references), reverse=True)
    taken_faces, out = set(), {name: None for name in present if name in references}
    for score, f, name in pairs:
        if f in taken_faces or out[name] is not None:
            continue
        out[name] = score
        taken_faces.add(f)
    return out


# -- the check --------------------------------------------------------------------------


def identity_model(root: Path | None = None, pack: str = "buffalo_l", show_path: bool = True):
    """(model or None, note): insightface `pack` (buffalo_l, antelopev2) when its models are here, else why not
    (`show_path=False`: without the server's folder)."""
    from .faces import FaceIdentity, availability

    ok, why = availability(pack, root, show_path)
    return (FaceIdentity(pack, root), why) if ok else (None, why)


def reference_embeddings(project: Project, folder: Path, model) -> dict:
    """name → mean unit embedding of the faces found in their reference pictures (characters with faces only).

    Only pictures inside the project folder are read; others are skipped with a warning.
    """
    import numpy as np

    out = {}
    for char in project.characters:
        vectors = []
        for ref in char.references:
            path = paths.within(folder, ref)
            if path is None:
                log.warning("%s: reference image %r is not inside the project folder; skipped", char.name, ref)
                continue
            image = _open_rgb(path, paths.MAX_REFERENCE_SIDE)
            if image is None:
                continue
            found = model.embeddings(image)
            if found:
                vectors.append(found[0])
        if vectors:
            mean = np.mean(np.stack(vectors), axis=0)
            out[char.name] = mean / (np.linalg.norm(mean) + 1e-12)
    return out


def check(project: Project, folder: str | Path, *, threshold: float = IDENTITY_THRESHOLD,
          style_threshold: float = STYLE_THRESHOLD, model=None, note: str = "") -> Report:
    """Score every rendered panel. `model` embeds faces (None: identity not measured, `note` says why)."""
    folder = Path(folder)
    rendered = [(s, paths.within(folder, s.panel.path)) for s in project.scenes if s.panel]
    images = {}
    for scene, path in rendered:
        image = _open_rgb(path) if path is not None else None
        if image is not None:
            images[scene.id] = image
    scenes = [s for s, _ in rendered if s.id in images]
    if not scenes:
        return Report([], model is not None, note or "no rendered panels", threshold, style_threshold)
    # 1. style: each panel against the board's median colours
    signatures = {s.id: colour_signature(images[s.id]) for s in scenes}
    board = median(list(signatures.values()))
    # 2. identity references: ArcFace where the references show a face, else region signatures
    refs = reference_embeddings(project, folder, model) if model is not None else {}
    regions = _region_signatures(project, scenes, images, set(refs))
    report = Report([], model is not None, note, threshold, style_threshold, [float(v) for v in board])
    for scene in scenes:
        panel = PanelScore(scene.number, scene.id, similarity(signatures[scene.id], board))
        faces = model.embeddings(images[scene.id]) if model is not None and refs else []
        for name, score in match_identities(faces, refs, scene.characters).items():
            panel.identity.append(CharacterScore(name, score, "arcface", score is None or score < threshold))
        for name, (signature, reference) in regions.get(scene.id, {}).items():
            score = similarity(signature, reference)
            panel.identity.append(CharacterScore(name, score, "region signature", score < style_threshold))
        _flag(panel, style_threshold, threshold)
        report.panels.append(panel)
    return report


def _open_rgb(path: Path, limit: int = paths.MAX_PANEL_SIDE):
    """The RGB image at `path` (inside the project), or None when missing, unreadable or over `limit` a side.

    The size is read from the header first, so an oversized picture is never decoded.
    """
    from PIL import Image

    if not path.is_file():
        return None
    if not paths.fits_panel_limits(paths.image_size(path), limit):
        log.warning("%s is not an image of at most %d pixels a side; skipped", path.name, limit)
        return None
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _region_signatures(project: Project, scenes: list[Scene], images: dict, with_faces: set) -> dict:
    """scene id → {name: (signature of their blueprint box, their median signature across the board)}."""
    per_scene: dict = {}
    per_name: dict = {}
    for scene in scenes:
        plan = blueprint(scene, project)
        image = images[scene.id]
        for figure in plan.figures:
            if figure.name in with_faces:
                continue
            box = tuple(int(v) for v in figure.pixel_box(*image.size))
            if box[2] - box[0] < 4 or box[3] - box[1] < 4:
                continue
            signature = colour_signature(image, box)
            per_scene.setdefault(scene.id, {})[figure.name] = signature
            per_name.setdefault(figure.name, []).append(signature)
    medians = {name: median(sigs) for name, sigs in per_name.items()}
    return {sid: {name: (sig, medians[name]) for name, sig in names.items()} for sid, names in per_scene.items()}


def _flag(panel: PanelScore, style_threshold: float, threshold: float) -> None:
    if panel.style < style_threshold:
        panel.reasons.append(f"style {panel.style:.2f} < {style_threshold}")
    for char in panel.identity:
        if char.score is None:
            panel.reasons.append(f"{char.name} not found")
        elif char.flagged:
            limit = threshold if char.method == "arcface" else style_threshold
            panel.reasons.append(f"{char.name} {char.method} {char.score:.2f} < {limit}")
    panel.flagged = bool(panel.reasons)


# -- outputs ----------------------------------------------------------------------------


def save(report: Report, folder: str | Path) -> tuple[Path, Path]:
    """coherence.json and coherence.png (the heatmap) in the project folder."""
    folder = Path(folder)
    data = json.dumps(report.to_json(), indent=2, ensure_ascii=False).encode()
    store.atomic_write_bytes(folder / "coherence.json", data)
    return folder / "coherence.json", heatmap(report, folder / "coherence.png")


def heatmap(report: Report, path: Path, cell: int = 36) -> Path:
    """Rows: each character and "style"; columns: panels; red (drifts) → green (coherent), grey: n/a."""
    import io

    from PIL import Image, ImageDraw

    from .export.fonts import draw_text_with_fallback, text_width

    names = sorted({c.name[:40] for p in report.panels for c in p.identity}) + ["style"]
    label_w = max([text_width(n, 13) for n in names] + [40]) + 16
    width, height = label_w + cell * max(len(report.panels), 1) + 8, 28 + cell * len(names) + 8
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for j, panel in enumerate(report.panels):
        x = label_w + j * cell
        draw_text_with_fallback(draw, (x + 4, 6), panel.number[:4], 12, (40, 40, 40), bold=panel.flagged)
        scores = {c.name[:40]: c.score for c in panel.identity} | {"style": panel.style}
        for i, name in enumerate(names):
            y = 28 + i * cell
            value = scores.get(name, "n/a")
            draw.rectangle((x + 1, y + 1, x + cell - 2, y + cell - 2), fill=_colour(value, name, report),
                           outline=(200, 0, 0) if panel.flagged else (255, 255, 255))
    for i, name in enumerate(names):
        draw_text_with_fallback(draw, (6, 28 + i * cell + cell // 3), name, 13, (30, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    store.atomic_write_bytes(path, buffer.getvalue())
    return path


def _colour(value, name: str, report: Report) -> tuple[int, int, int]:
    if value == "n/a":
        return (225, 225, 225)
    if value is None:
        return (170, 0, 0)
    low = report.style_threshold if name == "style" else report.threshold
    t = max(0.0, min(1.0, (value - low) / max(1e-6, 1 - low) * 0.5 + 0.5)) if value >= low else \
        max(0.0, value / max(low, 1e-6)) * 0.5
    return (int(220 * (1 - t) + 30 * t), int(60 * (1 - t) + 170 * t), 60)


# -- acting on it -----------------------------------------------------------------------


def score_panel(project: Project, folder: Path, scene: Scene, report: Report, model=None, refs=None) -> float:
    """The weakest score of one panel as it is on disk: style against the board, ArcFace where measured."""
    path = paths.within(folder, scene.panel.path) if scene.panel else None
    image = _open_rgb(path) if path is not None else None
    if image is None:
        return -1.0
    scores = [similarity(colour_signature(image), report.median_style)]
    if model is not None and refs:
        found = match_identities(model.embeddings(image), refs, scene.characters)
        scores += [s if s is not None else -1.0 for s in found.values()]
    return min(scores)


def reroll_flagged(project: Project, folder: str | Path, report: Report, *, tries: int = 3, backend: str = "auto",
                   settings: dict | None = None, long_side: int | None = None, model=None, seed: int | None = None,
                   progress=None) -> list[dict]:
    """Try `tries` new seeds for each flagged panel and keep the best-scoring take (the old one if best)."""
    import random

    from .render import render_scenes

    folder = Path(folder)
    rng = random.Random(seed)
    refs = reference_embeddings(project, folder, model) if model is not None else {}
    flagged = [p for p in report.panels if p.flagged]
    results = []
    for n, panel in enumerate(flagged):
        scene = next((s for s in project.scenes if s.id == panel.scene_id), None)
        if scene is None or scene.locked:
            continue
        # compare takes with one measure: style against the board, ArcFace where measured
        start_seed, best_seed = scene.seed, scene.seed
        before = best_score = score_panel(project, folder, scene, report, model, refs)
        for k in range(tries):
            if progress is not None:
                progress(n + k / tries, len(flagged), f"scene {scene.number} · take {k + 1}/{tries}")
            scene.seed = rng.randrange(2**31)
            render_scenes(project, folder, backend=backend, numbers=[scene.number], force=True, settings=settings,
                          long_side=long_side)
            score = score_panel(project, folder, scene, report, model, refs)
            if score > best_score:
                best_score, best_seed = score, scene.seed
        if scene.seed != best_seed:  # the last take was not the best: draw the best again (same seed, same pixels)
            scene.seed = best_seed
            render_scenes(project, folder, backend=backend, numbers=[scene.number], force=True, settings=settings,
                          long_side=long_side)
        results.append({"scene": scene.number, "before": before, "after": best_score,
                        "seed_before": start_seed, "seed": best_seed, "kept_old": best_seed == start_seed})
    store.save(project, folder)
    return results
