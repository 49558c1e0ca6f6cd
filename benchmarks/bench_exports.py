"""Every export of one sketched board, timed: PDF, CSV, strip, sheet, animatic, GIF, Storyboarder, timelines, ZIP.

    python benchmarks/bench_exports.py [--shots 20 100] [--width 1280]

Builds a board of N shots (the benchmark story of bench_pipeline.py, planned and
sketched), then runs each export kind alone and prints its seconds, its
seconds per shot and the size of what it wrote.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_pipeline import scenes_per_paragraph, story  # noqa: E402

from storyboard import studio  # noqa: E402

KINDS = ["pdf", "csv", "strip", "grid", "animatic", "gif", "storyboarder", "otio", "fcpxml", "xml", "edl", "zip"]


def size_of(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--width", type=int, default=1280, help="animatic width")
    args = parser.parse_args()
    per_paragraph = scenes_per_paragraph()
    print("| shots | export | seconds | ms per shot | MB |\n|---:|---|---:|---:|---:|")
    for target in args.shots:
        with tempfile.TemporaryDirectory() as tmp:
            project = studio.plan(story(max(1, round(target / per_paragraph))), tmp)
            studio.render(tmp)
            shots = len(project.scenes)
            for kind in KINDS:
                start = time.perf_counter()
                files = studio.export(tmp, studio.ExportRequest(kinds=[kind], width=args.width, zip_exports=False))
                seconds = time.perf_counter() - start
                written = files[kind]
                folder = written.parent if kind in ("otio", "fcpxml", "xml", "edl") else written
                mb = size_of(written) / 1e6 if kind in ("otio", "fcpxml", "xml", "edl") else size_of(folder) / 1e6
                print(f"| {shots} | {kind} | {seconds:.2f} | {1000 * seconds / shots:.0f} | {mb:.2f} |")


if __name__ == "__main__":
    main()
