"""A small screenplay parser: Fountain (fountain.io/syntax) plus plain pasted scripts.

Accepted:

* a title page at the very top: ``Key: value`` lines, indented continuation lines,
  ended by a blank line (only if the block has a usual key such as Title or Author);
  a file that is only a title page still counts as a screenplay;
* scene headings (see fountain_headings.py): INT / EXT / I/E … (and ИНТ. / НАТ., INNEN /
  AUSSEN) followed by "." or a space, or forced with a leading "." (not "..");
* character cues: an upper-case line (any script with case, so "ZOË" and "АННА" work;
  letters, digits, name punctuation, "…", symbols and emoji) after a blank line and right
  before a non-blank line, or forced with "@" (needed for CJK names); extensions such as
  (V.O.) / (CONT'D) and the dual-dialogue mark "^" are split off;
* dialogue until a blank line (a line of two spaces keeps it going), with ``(parenthetical)``
  lines attached to what follows;
* transitions: an upper-case line ending in "TO:" (or FADE IN:, FADE OUT. ...) with
  blank lines around it, or forced with ">"; ">centered<" text is action;
* lyrics "~", forced action "!", boneyard ``/* */`` (removed), notes ``[[ ]]`` and
  synopses "=" (moved to the scene's notes), sections "#" and page breaks "===" (dropped);
* emphasis markers ``*``, ``**``, ``***`` and ``_`` are stripped where they pair up inside
  one paragraph ("*69" stays).

Leniency for scripts pasted from a PDF or typed in a hurry: CRLF/CR endings, tabs,
indentation, form feeds and control characters are normalised; an upper-case slugline, or
a lower-case one that ends on a time of day ("int garage night"), needs no blank line before
it; a cue may follow its heading directly, any line if indented 15+ columns, or any line when
it names someone the script already met (a cue, or an upper-case name in action such as
"OTIS KAVANAGH (60s)"), and then also ends the speech before it; inside a speech with no
blank line, "Ada looks at Nkechi." (a known name in normal case, then a verb) is action.
"CHAPTER ONE" style lines are never cues. Everything is linear in the input size and no
str input makes it raise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from storyboard import film
from storyboard.planning.fountain_headings import SLUG, Heading, parse_heading
from storyboard.planning.fountain_markup import clean, prepare, read_title_page
from storyboard.project import DialogueLine


@dataclass
class ParsedScene:
    heading: str = ""  # slugline as written without #num#, "" for the preamble
    interior: str = ""  # "INT", "EXT", "INT/EXT" or ""
    location: str = ""
    time_of_day: str = ""  # upper case: "NIGHT", "CONTINUOUS", "FLASHBACK" ...
    number: str = ""
    action: list[str] = field(default_factory=list)
    dialogue: list[DialogueLine] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    transition: str = ""
    notes: list[str] = field(default_factory=list)
    # ("action" | "lyrics" | "dialogue" | "transition", text) in script order;
    # dialogue text is "NAME: line".
    elements: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Screenplay:
    title: str = ""
    title_page: dict[str, str] = field(default_factory=dict)
    scenes: list[ParsedScene] = field(default_factory=list)


# --- vocabulary ---------------------------------------------------------------------

_NAME_PUNCTUATION = set(" .'\u2019-&#,/:")  # "MRS. O'NEIL", "COP #2", "R2-D2"
_CUE_SYMBOLS = set("…+*$%\u200d")
_OFF_EXTENSIONS = {"V.O.", "VO", "O.S.", "OS", "O.C.", "OC", "OFF", "CONT'D", "CONT’D", "CONTD", "CONT."}
_TOKEN = re.compile(r"[^\W\d_][\w'’.\-]*|\S")
_LEADING_WORDS = re.compile(r"([^\W\d_][\w'’\-]*)\s+(\S+)")
_WORDS = re.compile(r"[^\W_][\w'’\-]*")
_SMALL = {"THE", "A", "AN", "AND", "OF", "TO", "IN", "ON", "AT", "IT", "IS"}  # never a name on their own
_NOT_NAMES = {"CHAPTER", "PART", "BOOK", "PROLOGUE", "EPILOGUE", "ACT", "SCENE", "SECTION"}
_CUE_INDENT = 15  # a cue deeply indented in a PDF paste needs no blank line before it
_MAX_SPEECH_FOR_DETECTION = 400  # a longer "speech" under a caps line is likely prose


# --- small helpers ------------------------------------------------------------------

def _is_upper(text: str) -> bool:
    """True if the text has cased letters and none of them is lower case."""
    return text == text.upper() and text != text.lower()


def _name_like(text: str, extra: str = "") -> bool:
    """Letters, digits and name punctuation only (random bytes and symbols fail)."""
    return all(c.isalnum() or c in _NAME_PUNCTUATION or c in extra for c in text)


def _cue_like(name: str) -> bool:
    """A character name: letters and digits, name punctuation, "…", and symbols or emoji ("ROBOT 🤖")."""
    return all(
        c.isalnum() or c in _NAME_PUNCTUATION or c in _CUE_SYMBOLS
        or (unicodedata.category(c) in ("So", "Sk", "Mn") and c != "\ufffd")
        for c in name
    )


def _wordy(text: str) -> bool:
    """Mostly letters and spaces: real dialogue, not line noise."""
    return sum(c.isalpha() or c == " " for c in text) >= 0.6 * len(text)


def _scene(heading: Heading) -> ParsedScene:
    return ParsedScene(heading=heading.text, interior=heading.interior, location=heading.location,
                       time_of_day=heading.time_of_day, number=heading.number)


def _split_cue(line: str) -> tuple[str, str]:
    """'STEEL (V.O.) (CONT'D) ^' -> ('STEEL', "V.O. CONT'D")."""
    name = line.strip().removesuffix("^").rstrip()
    end, extensions = len(name), []
    while end > 0 and name[end - 1] == ")":  # indices, not slices: linear on hostile input
        opener = name.rfind("(", 0, end)
        if opener <= 0:
            break
        extensions.append(" ".join(name[opener + 1:end - 1].split()))
        end = opener
        while end > 0 and name[end - 1].isspace():
            end -= 1
    return " ".join(name[:end].split()), " ".join(reversed(extensions))


# --- reading -------------------------------------------------------------------------

class _Reader:
    """Walks the body lines once, building scenes."""

    def __init__(self, lines: list[str | None], notes: dict[int, list[str]]):
        self.lines, self.notes = lines, notes
        self.next_line = [-1] * len(lines)  # index of the next kept line
        following = -1
        for i in range(len(lines) - 1, -1, -1):
            self.next_line[i] = following
            if lines[i] is not None:
                following = i
        self.scenes = [ParsedScene()]  # the preamble
        self.paragraph: list[str] = []
        self.paragraph_kind = "action"
        self.cue: tuple[str, str] | None = None
        self.words: list[str] = []
        self.parenthetical, self.in_parenthetical = "", False
        self.speeches = 0  # short cue+dialogue blocks, for looks_like_screenplay
        self.speech_length, self.speech_plausible = 0, True
        self.sure_headings = 0
        self.names: set[str] = set()  # cue names and upper-case names from action ("OTIS KAVANAGH", "OTIS")
        self.scene_words: set[str] = set()  # the scene's action words, lower case ("a wedding planner")

    # -- output
    @property
    def scene(self) -> ParsedScene:
        return self.scenes[-1]

    def flush_paragraph(self) -> None:
        if not self.paragraph:
            return
        text = clean(" ".join(self.paragraph))
        if text:
            self.scene.action.append(text)
            self.scene.elements.append((self.paragraph_kind, text))
        self.paragraph = []

    def add_text(self, text: str, kind: str, new_paragraph: bool) -> None:
        if new_paragraph or kind != self.paragraph_kind:
            self.flush_paragraph()
        self.paragraph_kind = kind
        self.paragraph.append(text)
        if kind == "action":
            self.learn_names(text)
            self.scene_words.update(_WORDS.findall(text.lower()))

    def emit_line(self) -> None:
        name, extension = self.cue
        text = clean(" ".join(self.words))
        if text or self.parenthetical:
            self.scene.dialogue.append(DialogueLine(name, text, clean(self.parenthetical), extension))
            self.scene.elements.append(("dialogue", f"{name}: {text}"))
            if name not in self.scene.characters:
                self.scene.characters.append(name)
            self.speech_length += len(text)
            self.speech_plausible = self.speech_plausible and _wordy(text[:_MAX_SPEECH_FOR_DETECTION])
        self.words, self.parenthetical, self.in_parenthetical = [], "", False

    def end_speech(self) -> None:
        if self.cue is not None:
            self.emit_line()
            if 0 < self.speech_length <= _MAX_SPEECH_FOR_DETECTION and self.speech_plausible:
                self.speeches += 1
        self.cue = None

    def flush(self) -> None:
        self.flush_paragraph()
        self.end_speech()

    # -- the walk
    def _next(self, i: int) -> str | None:
        j = self.next_line[i]
        return None if j < 0 else self.lines[j].strip()

    def run(self, start: int) -> list[ParsedScene]:
        blank_before = True
        for i in range(start, len(self.lines)):
            line = (self.lines[i] or "").strip()
            if line:
                blank_before = self.step(i, line, blank_before)
            elif self.lines[i] == "  " and self.cue is not None:
                pass  # Fountain: a line of two spaces keeps the speech going
            elif self.lines[i] is not None and not blank_before:
                self.flush()
                blank_before = True
            if i in self.notes:  # after step: a heading's note belongs to its scene
                self.scene.notes.extend(self.notes[i])
        self.flush()
        return self.finish()

    def step(self, i: int, line: str, blank_before: bool) -> bool:
        """Handle one non-blank line; return whether the next line counts as after a blank."""
        if self.cue is None and line[0] == "." and len(line) > 1 and line[1].isalnum():
            scene = _scene(parse_heading(line, forced=True))
            return self.start_scene(scene, _is_upper(line) and _name_like(line, "()!?"))
        heading = parse_heading(line, forced=False)
        if heading:
            scene, dot = _scene(heading), heading.dot
            upper = _is_upper(line)
            # a sloppy heading ("int garage night") needs no blank line when it ends on a time of day
            loose = bool(scene.time_of_day) and len(line) <= 80 and line[-1] not in ".!?,;:"
            if upper or loose or (blank_before and (dot or scene.time_of_day)):
                sure = (upper or bool(scene.time_of_day)) and _name_like(line, "()!?\u2013\u2014")
                return self.start_scene(scene, sure)
        if line.startswith("!"):
            self.end_speech()
            self.add_text(line[1:], "action", blank_before)
        elif self.cue is not None and self._next(i) and self.is_cue(line) and self.knows(line):
            self.start_speech(line)  # a known name right after a speech, no blank line between
        elif self.cue is not None and self.words and self.indent(i) < 4 and self.is_action(line):
            self.end_speech()
            self.add_text(line, "action", True)
        elif self.cue is not None:
            opens = line.startswith("(") and (line.endswith(")") or ")" not in line)
            if self.in_parenthetical or opens:  # may wrap over lines: "(looking out\nto sea)"
                if opens and self.words:
                    self.emit_line()
                self.parenthetical = f"{self.parenthetical} {line}".strip()
                self.in_parenthetical = ")" not in line
            else:
                self.words.append(line.removeprefix("~"))
        elif line.startswith(">") and line.endswith("<") and len(line) > 1:
            self.add_text(line[1:-1], "action", True)
        elif line.startswith(">"):
            return self.set_transition(line[1:])
        elif line.startswith("~"):
            self.add_text(line[1:], "lyrics", blank_before)
        elif line.startswith("@") and len(line) > 1:
            self.start_speech(line[1:])
        elif self.is_transition(i, line, blank_before):
            return self.set_transition(line)
        elif self.may_start_speech(i, line, blank_before) and self._next(i) and self.is_cue(line):
            self.start_speech(line)
        else:
            self.add_text(line, "action", blank_before)
        return False

    def is_transition(self, i: int, line: str, blank_before: bool) -> bool:
        if not (blank_before and _is_upper(line)):
            return False
        if not (line.endswith("TO:") or line in film.TRANSITIONS):
            return False
        after = self._next(i)
        return not after or after.startswith(".") or bool(SLUG.match(after))

    @staticmethod
    def is_cue(line: str) -> bool:
        name = _split_cue(line)[0]
        return _is_upper(name) and _cue_like(name) and name.split()[0] not in _NOT_NAMES

    def may_start_speech(self, i: int, line: str, blank_before: bool) -> bool:
        """A cue stands after a blank line, deep in a PDF's indentation, or is a name the script already knows."""
        return blank_before or self.indent(i) >= _CUE_INDENT or self.knows(line)

    def knows(self, line: str) -> bool:
        """A cue written without the blank line before it: a name already met, one the scene's action just
        mentioned ("a wedding planner" → PLANNER), or one with (O.S.), (CONT'D)..."""
        name, extension = _split_cue(line)
        words = name.lower().split()
        mentioned = 0 < len(words) <= 2 and all(w in self.scene_words and w.upper() not in _SMALL for w in words)
        return name in self.names or mentioned or extension.upper() in _OFF_EXTENSIONS

    def is_action(self, line: str) -> bool:
        """Inside a speech with no blank line: "Ada looks at Nkechi." (a known name, in normal case, then a verb).
        Only unindented lines: a PDF's dialogue is indented, its action is not."""
        lead = _LEADING_WORDS.match(line)
        if not lead or line[-1] not in ".!?":
            return False
        name, verb = lead.groups()
        return name.upper() in self.names and not _is_upper(name) and verb[0].islower()

    def learn_names(self, text: str) -> None:
        """Upper-case runs in action introduce people: "OTIS KAVANAGH (60s)" teaches OTIS KAVANAGH and OTIS."""
        if text.lower() == text:
            return  # no capitals, no names
        run: list[str] = []
        for token in [*_TOKEN.findall(text), "."]:
            word = token.strip(".*_")
            if len(word) > 1 and _is_upper(word) and word not in _NOT_NAMES:
                run.append(word)
                continue
            if 0 < len(run) <= 3:
                self.names.add(" ".join(run))
                self.names.update(run)
            run = []

    def indent(self, i: int) -> int:
        return len(self.lines[i]) - len(self.lines[i].lstrip())

    def set_transition(self, text: str) -> bool:
        self.flush()
        text = clean(text)
        if text:
            self.scene.transition = text
            self.scene.elements.append(("transition", text))
        return True

    def start_speech(self, cue: str) -> None:
        self.flush()
        name, extension = _split_cue(cue)
        self.cue = (name or cue.strip(), extension)
        self.names.add(self.cue[0])
        self.speech_length, self.speech_plausible = 0, _cue_like(self.cue[0])

    def start_scene(self, scene: ParsedScene, unmistakable: bool) -> bool:
        self.flush()
        self.scene_words = set()
        self.sure_headings += unmistakable
        self.scenes.append(scene)
        return True  # a cue may follow a heading directly

    def finish(self) -> list[ParsedScene]:
        preamble, scenes = self.scenes[0], self.scenes[1:]
        if any(kind != "transition" for kind, _ in preamble.elements):
            return self.scenes
        if scenes:
            scenes[0].notes[:0] = preamble.notes
        elif preamble.notes:
            return [preamble]
        return scenes


def _parse(text: str) -> tuple[Screenplay, _Reader]:
    lines, notes = prepare(text if isinstance(text, str) else str(text))
    title_page, start = read_title_page(lines)
    reader = _Reader(lines, notes)
    scenes = reader.run(start)
    title = next((v for k, v in title_page.items() if k.lower() == "title"), "")
    title = title.replace("\n", " ")
    return Screenplay(title=title, title_page=title_page, scenes=scenes), reader


def parse_screenplay(text: str) -> Screenplay:
    """Parse Fountain or plain screenplay text into scenes. Never raises on a str."""
    return _parse(text)[0]


def looks_like_screenplay(text: str) -> bool:
    """True for text with an unmistakable slugline or at least two short cue+dialogue blocks."""
    script, reader = _parse(text)
    title_page_only = bool(script.title_page) and not script.scenes
    return reader.sure_headings > 0 or reader.speeches >= 2 or title_page_only


def split_title_page(text: str) -> tuple[dict[str, str], str]:
    """A Fountain title page's keys (lower-cased: "title", "author"…) and the text after it; ({}, text) without one."""
    lines = text.split("\n")
    page, start = read_title_page(lines)
    if not page:
        return {}, text
    return {k.lower(): v for k, v in page.items()}, "\n".join(lines[start:]).strip()
