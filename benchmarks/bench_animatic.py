"""Time the animatic export (MP4, optionally GIF) for boards of 10, 25, 50 and 100 sketch panels.

    python benchmarks/bench_animatic.py [--sizes 10 25 50 100] [--width 1280] [--fps 24] [--seconds 3]
                                        [--presets veryfast] [--gif]

Panels are drawn by the real sketch renderer (a mix of shot sizes, every camera move, dialogue on every other
shot, a dissolve and a fade now and then); the export burns in captions and the overlay and plays the moves.
Prints one row per size and x264 preset: seconds, frames, frames per second, output size and seconds per
panel (flat per-panel time = linear growth).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storyboard import film  # noqa: E402
from storyboard.export import video  # noqa: E402
from storyboard.export.animatic import AnimaticOptions, export_animatic, export_animatic_gif  # noqa: E402
from storyboard.layout import blueprint  # noqa: E402
from storyboard.project import Character, DialogueLine, Panel, Project, Scene  # noqa: E402
from storyboard.render.sketch import SketchRenderer  # noqa: E402

NAMES = ["Mara", "Tom", "Elena", "Jonas"]
SHOTS = ["EWS", "LS", "MS", "CU", "MCU", "OTS", "two-shot", "MLS"]
LINES = [
    "Someone lost this key.",
    "Then we give it back — tonight, before the storm breaks over the town.",
    "Кто там?",
    "我在这里。",
]


def board(count: int, seconds: float, folder: Path, width: int) -> Project:
    """`count` shots with sketch panels rendered at the animatic's frame size."""
    project = Project(title="Bench", characters=[Character(name) for name in NAMES])
    moves = list(film.MOVES)
    for i in range(count):
        a, b = NAMES[i % 4], NAMES[(i + 1) % 4]
        scene = Scene(
            number=str(i + 1),
            id=f"s{i + 1:04d}",
            shot=SHOTS[i % len(SHOTS)],
            move=moves[i % len(moves)],
            characters=[a, b],
            duration_s=seconds,
            seed=i,
            transition="DISSOLVE TO:" if i % 5 == 4 else "FADE OUT." if i % 11 == 10 else "",
        )
        if i % 2:
            scene.dialogue = [DialogueLine(a, LINES[i % 4]), DialogueLine(b, LINES[(i + 1) % 4])]
        project.scenes.append(scene)
    renderer = SketchRenderer()
    size = (width, round(width * 9 / 16))
    (folder / "panels").mkdir(parents=True, exist_ok=True)
    for scene in project.scenes:
        image = renderer.draw(scene, blueprint(scene, project), size)
        image.save(folder / "panels" / f"{scene.id}.png", compress_level=1)
        scene.panel = Panel(path=f"panels/{scene.id}.png", backend="sketch", width=size[0], height=size[1])
    return project


def run(count: int, args: argparse.Namespace, preset: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = board(count, args.seconds, folder, args.width)
        options = AnimaticOptions(fps=args.fps, width=args.width)
        video.PRESET = preset
        t0 = time.perf_counter()
        out = export_animatic(project, folder, folder / "board.mp4", options)
        seconds = time.perf_counter() - t0
        row = {
            "panels": count,
            "preset": preset,
            "seconds": seconds,
            "frames": round(count * args.seconds * args.fps),
            "mb": out.stat().st_size / 1e6,
        }
        if args.gif:
            t0 = time.perf_counter()
            gif = export_animatic_gif(project, folder, folder / "board.gif", options)
            row["gif_s"], row["gif_mb"] = time.perf_counter() - t0, gif.stat().st_size / 1e6
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 25, 50, 100])
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of every shot")
    parser.add_argument("--presets", nargs="+", default=[video.PRESET], help="x264 presets to compare")
    parser.add_argument("--gif", action="store_true", help="also time the GIF (12 fps, 640 wide)")
    args = parser.parse_args()
    gif_head, gif_rule = (" GIF s | GIF MB |", "---:|---:|") if args.gif else ("", "")
    print(f"{args.width} px wide, {args.fps} fps, {args.seconds:g} s per panel, moves + captions + overlay")
    print(f"| panels | preset | seconds | frames | frames/s | MP4 MB | s per panel |{gif_head}")
    print(f"|---:|---|---:|---:|---:|---:|---:|{gif_rule}")
    for preset in args.presets:
        for count in args.sizes:
            r = run(count, args, preset)
            gif = f" {r['gif_s']:.2f} | {r['gif_mb']:.2f} |" if args.gif else ""
            print(
                f"| {r['panels']} | {preset} | {r['seconds']:.2f} | {r['frames']} | {r['frames'] / r['seconds']:.0f} "
                f"| {r['mb']:.2f} | {r['seconds'] / r['panels']:.3f} |{gif}",
                flush=True,
            )


if __name__ == "__main__":
    main()
