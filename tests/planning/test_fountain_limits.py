"""The screenplay parser under size and hostile input: linear time on megabyte inputs, random bytes."""

from __future__ import annotations

import random
import time

import pytest

from storyboard.planning.fountain import Screenplay, looks_like_screenplay, parse_screenplay


def generated_script(size: int) -> tuple[str, int]:
    parts, count, total = [], 0, 0
    while total < size:
        part = (f"INT. ROOM {count} - NIGHT #{count}#\n\nShe waits by the *window*. [[note {count}]]\n\n"
                f"BOB (V.O.)\n(softly)\nHello there, number {count}.\n\nALICE ^\nGo away.\n\nCUT TO:\n\n")
        parts.append(part)
        total += len(part)
        count += 1
    return "".join(parts), count


def test_one_megabyte_script_is_parsed_in_linear_time():
    text, count = generated_script(1_000_000)
    small = _parse_seconds(generated_script(250_000)[0])
    start = time.perf_counter()
    screenplay = parse_screenplay(text)
    elapsed = time.perf_counter() - start
    assert elapsed < max(10 * small, 1.0), f"250 kB took {small:.2f} s, 1 MB {elapsed:.2f} s"
    assert len(screenplay.scenes) == count
    last = screenplay.scenes[-1]
    assert last.number == str(count - 1) and last.transition == "CUT TO:"
    assert last.characters == ["BOB", "ALICE"] and last.notes == [f"note {count - 1}"]


PATHOLOGICAL = {  # each builds about n characters of input that once made a parser go quadratic
    "spaces": lambda n: " " * n,
    "heading of spaces": lambda n: "INT. " + " " * n + "x",
    "open notes": lambda n: "[[" * (n // 2),
    "open notes over blank lines": lambda n: "[[\n\n" * (n // 4) + "]]",
    "open boneyards": lambda n: "/*" * (n // 2),
    "cue of parentheticals": lambda n: "\n\nJOHN " + "(a)" * (n // 3) + "\nhi",
    "cue of brackets": lambda n: "JOHN " + "(" * n,
    "heading of brackets": lambda n: "INT. X - " + "(" * n,
    "heading of dashes": lambda n: "INT. X " + "- " * (n // 2),
    "emphasis": lambda n: "*a " * (n // 3),
    "underscores": lambda n: "_" * n,
    "carriage returns": lambda n: "\r" * n,
    "title page": lambda n: "Title: x\n" + "  y\n" * (n // 4),
    "cue-like lines": lambda n: ("\n\n" + "A" * 50 + "\nb") * (n // 53),
}


def _parse_seconds(text: str) -> float:
    start = time.perf_counter()
    parse_screenplay(text)
    return time.perf_counter() - start


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_megabyte_inputs_stay_linear(name):
    """Four times the input takes about four times as long (quadratic would be sixteen); speed itself is
    measured by the benchmarks, not here, so a busy machine does not fail this."""
    build = PATHOLOGICAL[name]
    small = min(_parse_seconds(build(250_000)) for _ in range(2))
    large = min(_parse_seconds(build(1_000_000)) for _ in range(2))
    assert large < max(10 * small, 1.0), f"{name}: 250 kB took {small:.2f} s, 1 MB {large:.2f} s"


def test_random_bytes():
    rng = random.Random(1234)
    text = bytes(rng.randrange(256) for _ in range(200_000)).decode("utf-8", errors="replace")
    screenplay = parse_screenplay(text)
    assert isinstance(screenplay, Screenplay)
    assert not looks_like_screenplay(text)
    latin = bytes(rng.randrange(256) for _ in range(50_000)).decode("latin-1")
    parse_screenplay(latin)
