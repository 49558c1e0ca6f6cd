"""Looking things up in a planned project, for the reading tests."""

from __future__ import annotations


def scene_with(project, words):
    """The first scene whose action or dialogue holds these words."""
    return next(s for s in project.scenes if words in s.action or any(words in d.text for d in s.dialogue))


def speaker_of(project, words):
    return next(d.character for s in project.scenes for d in s.dialogue if words in d.text)


def names(project):
    return [c.name for c in project.characters]
