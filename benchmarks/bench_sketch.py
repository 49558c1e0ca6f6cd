"""The sketch renderer: milliseconds per 960-px panel, linear to 1,000 panels, and a contact sheet of 12 shots.

    python benchmarks/bench_sketch.py [--sheet docs/sketch-after.png] [--counts 100 500 1000] [--long-side 960]

The 12 shots cover what a board shows: an establishing shot, a walk, a dialogue
scene (two-shot, over-the-shoulder and its reverse), two inserts (a knife, a
watch), a chase with a dog at night, a night exterior in the rain, a child by
the fire, a fall on the stairs seen from above and a climb in the fog. Each
panel is laid out (blueprint) and drawn (no file written) on one core.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw  # noqa: E402

from storyboard import film  # noqa: E402
from storyboard.export.fonts import draw_text_with_fallback  # noqa: E402
from storyboard.layout import blueprint  # noqa: E402
from storyboard.project import Character, DialogueLine, Project, Scene  # noqa: E402
from storyboard.render import base  # noqa: E402

CAST = [
    Character("Mara", description="a woman in her thirties with long hair and a raincoat"),
    Character("Tom", description="a bearded fisherman in a cap and glasses"),
    Character("Lily", description="Mara's daughter, a small girl of seven"),
    Character("Rex", description="an old sheepdog"),
]
SHOTS = [  # number, heading, characters, shot, angle, move, action, dialogue
    ("1", "EXT. HARBOUR - DAWN", [], "EWS", "eye level", "static",
     "The harbour at dawn. Fishing boats rock on the sea.", []),
    ("2", "EXT. HARBOUR STREET - DAY", ["Mara"], "LS", "eye level", "pan",
     "Mara walks down the street toward the pier.", []),
    ("3", "INT. KITCHEN - NIGHT", ["Mara", "Tom"], "two-shot", "eye level", "static",
     "Mara and Tom sit at the kitchen table.", [("Mara", "You're late."), ("Tom", "The boat wouldn't start.")]),
    ("3A", "INT. KITCHEN - NIGHT", ["Tom", "Mara"], "OTS", "eye level", "static",
     "Tom leans in over the table.", [("Tom", "I saw something out there.")]),
    ("3B", "INT. KITCHEN - NIGHT", ["Mara", "Tom"], "OTS", "eye level", "dolly in",
     "Mara stares at him.", [("Mara", "What did you see?")]),
    ("3C", "INT. KITCHEN - NIGHT", ["Tom"], "insert", "eye level", "static",
     "A knife lies on the table between them.", []),
    ("3D", "INT. KITCHEN - NIGHT", ["Tom"], "insert", "eye level", "static",
     "Tom checks his watch.", []),
    ("4", "EXT. ALLEY - NIGHT", ["Tom", "Rex"], "LS", "eye level", "truck",
     "Tom runs down the alley in the rain. Rex chases after him.", []),
    ("5", "EXT. PIER - NIGHT", ["Mara"], "MS", "low", "tilt",
     "Rain hammers the pier. Mara stands at the edge holding a lantern.", []),
    ("6", "INT. COTTAGE - NIGHT", ["Lily", "Mara"], "MLS", "eye level", "static",
     "Lily kneels by the fireplace and looks up at Mara.", [("Lily", "Is Dad coming home?")]),
    ("7", "INT. STAIRWELL - DAY", ["Tom"], "LS", "high", "static",
     "Tom falls on the stairs.", []),
    ("8", "EXT. HILLSIDE - DAY", ["Mara", "Rex"], "LS", "low", "crane",
     "Mara climbs the hill through the fog, Rex at her heels.", []),
]


def sample_board(aspect: str = "16:9") -> Project:
    scenes = []
    for i, (number, heading, cast, shot, angle, move, action, lines) in enumerate(SHOTS):
        interior, _, rest = heading.partition(". ")
        location, _, time_of_day = rest.partition(" - ")
        scenes.append(Scene(number=number, id=f"s{i + 1:04d}", heading=heading, interior=interior,
                            location=location.title(), time_of_day=time_of_day, characters=list(cast), action=action,
                            dialogue=[DialogueLine(c, t) for c, t in lines], shot=shot, angle=angle, move=move))
    project = Project(title="Sketch benchmark", aspect_ratio=aspect, characters=list(CAST), scenes=scenes)
    project.validate()
    return project


def draw(project: Project, scene: Scene, size: tuple[int, int]) -> Image.Image:
    return base.get("sketch").render(scene, blueprint(scene, project), project, size, {}).image


def contact_sheet(project: Project, size: tuple[int, int], out: Path, columns: int = 4) -> None:
    pad, caption = 16, 44
    rows = -(-len(project.scenes) // columns)
    sheet = Image.new("L", (pad + columns * (size[0] + pad), pad + rows * (size[1] + caption + pad)), 255)
    pen = ImageDraw.Draw(sheet)
    for i, scene in enumerate(project.scenes):
        x = pad + (i % columns) * (size[0] + pad)
        y = pad + (i // columns) * (size[1] + caption + pad)
        sheet.paste(draw(project, scene, size), (x, y))
        text = scene.action if len(scene.action) <= 64 else scene.action[:63] + "…"
        draw_text_with_fallback(pen, (x, y + size[1] + 6), text, 15, 30)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out)
    print(f"contact sheet: {out}")


def timings(project: Project, size: tuple[int, int]) -> list[float]:
    out = []
    for scene in project.scenes:
        draw(project, scene, size)  # warm fonts and caches
        start = time.perf_counter()
        for _ in range(3):
            draw(project, scene, size)
        out.append((time.perf_counter() - start) / 3 * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheet", type=Path, default=None, help="write a contact sheet of the 12 shots here")
    parser.add_argument("--counts", type=int, nargs="+", default=[100, 500, 1000])
    parser.add_argument("--long-side", type=int, default=960)
    args = parser.parse_args()
    project = sample_board()
    size = film.frame_size(project.aspect_ratio, args.long_side)
    if args.sheet:
        contact_sheet(project, film.frame_size(project.aspect_ratio, 480), args.sheet)
    per_shot = timings(project, size)
    print(f"\nper panel at {size[0]}×{size[1]} (layout + drawing, mean of 3)\n")
    print("| shot | action | ms |\n|---|---|---:|")
    for scene, ms in zip(project.scenes, per_shot):
        print(f"| {scene.number} {scene.shot} | {scene.action[:48]} | {ms:.1f} |")
    print(f"| median | | {statistics.median(per_shot):.1f} |\n| max | | {max(per_shot):.1f} |")
    print("\n| panels | seconds | ms per panel |\n|---:|---:|---:|")
    for count in args.counts:
        start = time.perf_counter()
        for k in range(count):
            scene = project.scenes[k % len(project.scenes)]
            scene.seed = k  # each panel a re-roll: new pose details
            draw(project, scene, size)
        seconds = time.perf_counter() - start
        print(f"| {count} | {seconds:.2f} | {seconds / count * 1000:.1f} |")


if __name__ == "__main__":
    main()
