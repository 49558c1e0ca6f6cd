"""Hostile input never crashes and never loses data: empty, huge, binary, mixed scripts, bad projects."""

from __future__ import annotations

import random

import pytest
from pypdf import PdfReader

from storyboard import studio
from storyboard.errors import InputError
from storyboard.planning import MAX_SCENES, plan_text
from storyboard.planning.text import decode, read_text_file


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \r\n", "\u200b\ufeff", "... !!! ---", "12345 67890"])
def test_empty_or_wordless_text_is_refused_with_a_message(text):
    with pytest.raises(InputError, match="empty|no words"):
        plan_text(text)


def _random_story(size: int) -> str:
    rng = random.Random(7)
    names, verbs = ["Mara", "Tom", "Elena"], ["waits", "runs to the pier", "finds a key", "smiles", "argues"]
    parts, total = [], 0
    while total < size:
        sentence = f"{rng.choice(names)} {rng.choice(verbs)} in the {rng.choice(['kitchen', 'harbour', 'forest'])}."
        parts.append(sentence + ("\n\n" if rng.random() < 0.15 else " "))
        total += len(sentence) + 1
    return "".join(parts)


def test_a_long_story_plans(nlp):
    project = plan_text(_random_story(120_000))
    assert MAX_SCENES > len(project.scenes) > 1000
    assert {c.name for c in project.characters} == {"Mara", "Tom", "Elena"}
    assert len({s.number for s in project.scenes}) == len(project.scenes)


def test_a_megabyte_of_sentences_is_refused_past_the_scene_cap(nlp):
    """The audit: 1 MB gave 25,461 scenes in 73 s. Reading stops at the cap and says why."""
    with pytest.raises(InputError) as err:
        plan_text(_random_story(1_000_000))
    assert str(err.value) == (f"the story gives more than {MAX_SCENES:,} shots; a board holds at most "
                              f"{MAX_SCENES:,} — plan it in parts (an act or a sequence at a time)")


def test_pasted_text_over_the_limit_is_refused_like_a_file():
    with pytest.raises(InputError, match=r"the story is 11\.0 MB; the limit is 10 MB of text"):
        plan_text("Mara waits. " * (11 * 1024 * 1024 // 12 + 1))


def test_letters_after_a_long_run_of_symbols_are_words(nlp):
    project = plan_text("-" * 150_000 + "\n\nMara waits at the station. The train arrives.")
    assert {c.name for c in project.characters} == {"Mara"}  # read as English, not by the fallback rules
    assert not any("---" in s.action for s in project.scenes)


def test_a_script_of_only_a_title_page_is_refused():
    """The audit: read as prose, "Author" became a character."""
    with pytest.raises(InputError, match="only a title page"):
        plan_text("Title: The Ferry\nAuthor: Ana Lopes\nDraft date: 1 May 2026\n")


def test_a_title_page_over_prose_gives_the_title_and_no_characters_of_its_keys(nlp):
    project = plan_text("Title: The Ferry\nAuthor: Ana Lopes\n\nMara waits on the pier at dawn. Tom rows across.")
    assert project.title == "The Ferry" and project.source_format == "prose"
    assert {c.name for c in project.characters} == {"Mara", "Tom"}
    assert not any("Ana" in s.action or "Author" in s.action for s in project.scenes)


def test_a_long_paragraph_without_newlines_plans(nlp):
    text = ("Mara walks along the beach and Tom follows her silently " * 2000)[:100_000]
    project = plan_text(text)
    assert project.scenes and all(s.characters for s in project.scenes)


def test_binary_garbage_file_is_refused(tmp_path):
    blob = tmp_path / "story.txt"
    blob.write_bytes(random.Random(1).randbytes(50_000))
    with pytest.raises(InputError, match="binary"):
        read_text_file(blob)


def test_binary_garbage_decoded_as_text_does_not_crash():
    text = random.Random(2).randbytes(20_000).decode("latin-1")
    try:
        project = plan_text(text)
    except InputError:
        return
    assert project.scenes


def test_legacy_encodings_and_utf16_are_read(tmp_path):
    assert decode("Zoë café".encode("cp1252")) == "Zoë café"
    assert decode("Zoë café".encode("utf-16")) == "Zoë café"
    assert decode("\ufeffZoë".encode()) == "Zoë"


def test_oversized_file_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (11 * 1024 * 1024))
    with pytest.raises(InputError, match="limit"):
        read_text_file(big)


def test_mixed_scripts_and_emoji_go_all_the_way_to_the_pdf(tmp_path, nlp):
    text = ('Zoë 🐉 meets Ли Мин at the café. "Привет, 世界!" Zoë laughs 😂. '
            "مريم waits on the pier. Zoë and Ли Мин walk to the lighthouse.")
    project = studio.plan(text, tmp_path)
    studio.render(tmp_path)
    files = studio.export(tmp_path, studio.ExportRequest(kinds=["pdf", "strip", "csv"]))
    pdf_text = "".join(page.extract_text() for page in PdfReader(files["pdf"]).pages)
    assert "Привет" in pdf_text and "世界" in pdf_text and "Zoë" in pdf_text
    assert len(project.scenes) >= 3


def test_screenplay_of_only_cues_and_dialogue(nlp):
    project = plan_text("ANNA\nHello?\n\nBEN\n(whispers)\nOver here.\n")
    assert [d.character for s in project.scenes for d in s.dialogue] == ["ANNA", "BEN"]
    assert [d.parenthetical for s in project.scenes for d in s.dialogue] == ["", "(whispers)"]


def test_an_export_with_nothing_rendered_still_prints_frames(tmp_path, nlp):
    studio.plan("Mara waits at the station. The train arrives. Mara smiles.", tmp_path)
    files = studio.export(tmp_path, studio.ExportRequest(kinds=["pdf"]))
    assert "not rendered" in PdfReader(files["pdf"]).pages[0].extract_text()
