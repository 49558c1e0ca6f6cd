"""Quotations are units: never cut at their own sentence ends, and spoken by whom the conversation says."""

from __future__ import annotations

from storyboard.planning import plan_text
from storyboard.planning.plain import sentences
from storyboard.planning.reading import quote_open, whole_quotes


def lines(project) -> list[tuple[str, str]]:
    return [(d.character, d.text) for s in project.scenes for d in s.dialogue]


def test_a_quote_of_several_sentences_survives_whole(nlp):
    """The audit: in '"Wait," he says. "Not yet. Not until the bell."' only the first line survived."""
    project = plan_text('Mara waits at the pier. Tom runs up. "Wait," he says. "Not yet. Not until the bell." '
                        'Mara nods.')
    assert lines(project) == [("Tom", "Wait"), ("Tom", "Not yet. Not until the bell.")]
    assert not any("bell" in s.action for s in project.scenes)  # dialogue, not a panel of narration


def test_a_question_stays_with_its_attribution_and_a_new_paragraph_is_the_reply(nlp):
    text = ('Tom waits at the pier. Mara runs up the gangway.\n\n"Why? Why now?" she asks.\n\n'
            '"Because the ferry is late."\n\n"Then we wait!" Mara laughs. "All night, if we must."')
    assert lines(plan_text(text)) == [("Mara", "Why? Why now?"), ("Tom", "Because the ferry is late."),
                                      ("Mara", "Then we wait!"), ("Mara", "All night, if we must.")]


def test_the_rule_based_reader_keeps_quotes_whole_in_every_convention():
    assert sentences("Marie attend. « Pas encore ! Pas avant la cloche. » Paul sourit.") == [
        "Marie attend.", "« Pas encore ! Pas avant la cloche. »", "Paul sourit."]
    assert sentences("Anna wartet. „Nicht jetzt. Später!“ Paul lacht.") == [
        "Anna wartet.", "„Nicht jetzt. Später!“", "Paul lacht."]
    assert sentences('Ana espera. "¿Ahora? No." Luis sonríe.') == ["Ana espera.", '"¿Ahora? No."', "Luis sonríe."]


def test_quote_open_reads_each_convention():
    assert quote_open('"Not yet.') and not quote_open('"Not yet."')
    assert quote_open("“Not yet.") and not quote_open("“Not yet.”")
    assert quote_open("„Nicht jetzt.") and not quote_open("„Nicht jetzt.“")
    assert quote_open("« Pas encore !") and not quote_open("« Pas encore ! »")
    assert whole_quotes(['"Is he here?"', "she asks.", "He nods."]) == ['"Is he here?" she asks.', "He nods."]
    assert whole_quotes(['"Is he here?"', "He nods."]) == ['"Is he here?"', "He nods."]
