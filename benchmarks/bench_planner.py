"""The story planner against the project's gold corpus, and its speed.

1. Quality: every corpus folder under tests/planning/corpus/ (or the folder given with --set) is planned
   in-process and scored (storyboard/planning/scoring.py): a table per text, a summary line per folder,
   a mean per language where a folder holds several;
2. speed: planning ms per 1,000 words of the corpus's prose (spaCy loaded, a first call excluded), and
   the planning time of synthetic stories of 100/300/1000 beats (it should grow linearly).

    python benchmarks/bench_planner.py [--set DIR] [-v] [--no-speed] [--repeats 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storyboard.planning import nlp, plan_text  # noqa: E402
from storyboard.planning.scoring import TextScore, load_corpus, score_folder, summarize  # noqa: E402

CORPUS = ROOT / "tests" / "planning" / "corpus"
BEATS = (100, 300, 1000)
# four sentences, four beats; names and places vary from one paragraph to the next
PARAGRAPH = (
    '{a} walks into the {place} at dusk. {b} is waiting by the window. "You are late," {b} says. '
    "{a} sits down and opens a letter."
)
NAMES = "Mara Tom Ines Kofi Priya Lars Amara Diego Yuki Olek Nadia Sam Hana Ravi Elsa Jonas".split()  # noqa: SIM905
PLACES = ["harbour bar", "library", "station", "bakery", "garage", "chapel", "market", "ferry"]
HEAD = (
    f"{'text':30} {'sec':>5} {'scenes':>10} {'charP':>5} {'charR':>5} {'charF1':>6} {'scnF1':>5} {'beats':>6} "
    f"{'spkAcc':>6} {'lines':>8} {'locAcc':>6} {'timeAcc':>7}"
)


def fmt(value: float | None, width: int = 5) -> str:
    return f"{value:{width}.2f}" if value is not None else f"{'n/a':>{width}}"


def row(score: TextScore) -> str:
    if score.crash:
        return f"{score.name:30} {score.seconds:5.2f}  CRASH: {score.crash[:80]}"
    low, high = score.scene_range
    scenes = f"{score.n_scenes}{'' if score.scenes_ok else '!'} [{low}-{high}]"
    hit = sum(1 for b in score.beats if b.scenes)
    found = sum(1 for line in score.lines if line.found)
    correct = sum(1 for line in score.lines if line.correct)
    return (
        f"{score.name:30} {score.seconds:5.2f} {scenes:>10} {fmt(score.char_p)} {fmt(score.char_r)} "
        f"{fmt(score.char_f1, 6)} {fmt(score.scene_char_f1)} {hit:>2}/{len(score.beats):<3} "
        f"{fmt(score.speaker_acc, 6)} {correct:>2}/{found:>2}/{len(score.lines):<2} {fmt(score.loc_acc, 6)} "
        f"{fmt(score.time_acc, 7)}"
    )


def summary_line(label: str, scores: list[TextScore]) -> str:
    s = summarize(scores)
    return (
        f"{label}: char-F1 {s.char_f1:.2f}, scene-char-F1 {s.scene_char_f1:.2f}, speaker-acc {s.speaker_acc:.2f}, "
        f"location-acc {s.loc_acc:.2f}, time-acc {s.time_acc:.2f}, char-P {s.char_p:.2f}, char-R {s.char_r:.2f}, "
        f"scenes in range {s.scenes_in_range}/{s.texts}, crashes {s.crashes}/{s.texts}, "
        f"{s.seconds * 1000:.0f} ms a text"
    )


def detail(score: TextScore) -> None:
    """Per-beat and per-line detail of one text (-v)."""
    if score.crash:
        print(f"\n=== {score.name}: CRASH {score.crash}")
        return
    scenes = score.project.scenes
    print(f"\n=== {score.name}: {len(scenes)} scenes, cast {[c.name for c in score.project.characters]}")
    print(f"    missing cast: {score.missing}  extra/duplicate names: {score.extras}")
    for i, beat in enumerate(score.beats):
        print(
            f"  beat {i + 1:>2} [{beat.f1:.2f}] {beat.start[:38]!r:42} location {fmt(beat.location)} "
            f"time {fmt(beat.time)}"
        )
        for k in beat.scenes:
            scene = scenes[k]
            print(
                f"        scene {scene.number}: {scene.characters} @ {scene.location!r} {scene.time_of_day!r} | "
                f"{scene.action[:70]!r}"
            )
        if not beat.scenes:
            print("        (no scene aligned)")
    for line in score.lines:
        mark = "ok " if line.correct else ("SPK" if line.found else "MISS")
        print(f"  line {mark} gold={line.speaker!r} got={line.got!r}: {line.text[:60]!r}")


def quality(folders: list[Path], verbose: bool) -> list[TextScore]:
    everything = []
    for folder in folders:
        print(f"\n## {folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder}\n")
        scores = score_folder(folder, on_text=detail if verbose else None)
        print(HEAD)
        print("-" * len(HEAD))
        for score in scores:
            print(row(score))
        print("-" * len(HEAD))
        print(summary_line(folder.name, scores))
        by_language = defaultdict(list)
        for score in scores:
            by_language[score.language or "?"].append(score)
        if len(by_language) > 1:
            for language, group in sorted(by_language.items()):
                print(summary_line(f"  {language} ({len(group)} texts)", group))
        everything += scores
    if len(folders) > 1:
        print("\n" + summary_line("all folders", everything))
    return everything


def synthetic_story(beats: int) -> str:
    paragraphs = []
    for i in range(beats // 4):
        a, b = NAMES[i % len(NAMES)], NAMES[(i * 5 + 7) % len(NAMES)]
        paragraphs.append(PARAGRAPH.format(a=a, b=b, place=PLACES[i % len(PLACES)]))
    return "\n\n".join(paragraphs)


def best_time(text: str, repeats: int) -> tuple[float, int]:
    """The best of `repeats` planning times (seconds) and the number of scenes planned."""
    best, scenes = float("inf"), 0
    for _ in range(repeats):
        start = time.perf_counter()
        scenes = len(plan_text(text).scenes)
        best = min(best, time.perf_counter() - start)
    return best, scenes


def speed(folders: list[Path], repeats: int) -> None:
    plan_text(synthetic_story(8))  # the first call pays for spaCy's lazy set-up; not measured
    print("\n## Speed (in-process, spaCy loaded, best of", repeats, "runs)\n")
    print("| prose | texts | words | ms | ms per 1,000 words |")
    print("|---|---:|---:|---:|---:|")
    for folder in folders:
        by_language = defaultdict(lambda: [0, 0, 0.0])
        for case in load_corpus(folder):
            if case.gold.get("form") != "prose":
                continue
            text = case.read()
            seconds, _ = best_time(text, repeats)
            totals = by_language[case.language]
            totals[0] += 1
            totals[1] += len(text.split())
            totals[2] += seconds
        for language, (texts, n_words, seconds) in sorted(by_language.items()):
            print(
                f"| {folder.name} {language} | {texts} | {n_words:,} | {seconds * 1000:.0f} | "
                f"{seconds * 1000 / n_words * 1000:.1f} |"
            )
    print("\n| synthetic story | words | scenes | seconds | ms per beat |")
    print("|---|---:|---:|---:|---:|")
    for beats in BEATS:
        text = synthetic_story(beats)
        seconds, scenes = best_time(text, repeats)
        print(f"| {beats} beats | {len(text.split()):,} | {scenes:,} | {seconds:.2f} | {seconds * 1000 / beats:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, help="a folder of texts + gold.json (default: every corpus folder)")
    parser.add_argument("-v", "--verbose", action="store_true", help="per-beat and per-line detail")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed tables")
    parser.add_argument("--repeats", type=int, default=3, help="speed: best of this many runs")
    args = parser.parse_args()
    folders = [args.set.resolve()] if args.set else sorted(p.parent for p in CORPUS.glob("*/gold.json"))
    if not folders:
        parser.error(f"no corpus folder (a folder with gold.json) under {CORPUS}; name one with --set")
    start = time.perf_counter()
    nlp.load()  # once, so that the first text's time is planning only
    print(f"spaCy loaded in {time.perf_counter() - start:.1f} s; times below are plan_text calls, in-process")
    quality(folders, args.verbose)
    if not args.no_speed:
        speed(folders, args.repeats)


if __name__ == "__main__":
    main()
