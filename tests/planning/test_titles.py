"""A board's title: the one given, the story's own, the file's name, or a working title from its leads."""

from __future__ import annotations

from storyboard.planning import plan_text
from storyboard.planning.beats import Beat
from storyboard.planning.reading import propose_title


def test_a_title_line_is_the_title(nlp):
    assert plan_text("The Ferry\n\nMara waits at the pier. The ferry arrives.").title == "The Ferry"


def test_a_story_without_a_title_gets_one_from_its_leads(nlp):
    story = ('Mara waits at the pier. Tom walks up to her. "You came," Mara says. Tom nods. Mara smiles at Tom. '
             "A gull cries overhead.")
    assert plan_text(story).title in ("Mara and Tom", "Tom and Mara")
    assert plan_text(story, fallback_title="The Pier").title == "The Pier"  # a file's name comes first
    assert plan_text(story, title="Crossing").title == "Crossing"


def test_proposals_from_beats():
    lead = [Beat("a", ["Mara"]), Beat("b", ["Mara", "Tom"]), Beat("c", ["Mara"]), Beat("d", ["Mara"])]
    assert propose_title(lead) == "Mara"  # Tom is on screen in one shot of four
    pair = [Beat("a", ["Mara", "Tom"]), Beat("b", ["Tom"]), Beat("c", ["Mara"])]
    assert propose_title(pair) in ("Mara and Tom", "Tom and Mara")
    assert propose_title([Beat("rain", location="Harbour"), Beat("boats", location="Harbour")]) == "Harbour"
    assert propose_title([Beat("rain")]) == ""


def test_a_title_page_gives_the_title_and_the_author():
    script = "Title: Night Shift\nAuthor: Jo Park\n\nINT. DINER - NIGHT\n\nJO wipes the counter.\n"
    project = plan_text(script)
    assert (project.title, project.author) == ("Night Shift", "Jo Park")
    assert plan_text("INT. DINER - NIGHT\n\nJO wipes the counter.\n").author == ""
