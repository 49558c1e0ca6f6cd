"""What both prose readers share: the reading state, paragraphs, titles, quoted speech."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..project import DialogueLine
from . import lexicon
from .beats import Beat
from .cast import NARRATOR, Cast
from .text import has_letter

MAX_PER_PARAGRAPH = 12
OPENING_BEATS = 4
CHUNK_CHARS = 1500
QUOTE = re.compile(r"[\"“”«»„]([^\"“”«»„]{1,2000})[\"“”«»„]")
SENTENCE_END = re.compile(  # after . ! ? … (and a closing quote); never before a French « … » closing mark
    r"(?<=[.!?。！？…])\s+(?!»)|(?<=[.!?…][»”“\"’])\s+|(?<=[.!?…]\s»)\s+|(?<=[。！？])")


# Present forms the tagger often reads as past ("they run the only cake shop", "they put the cake in the van").
SAME_IN_PAST = lexicon._set("run come become overcome put set cut hit let shut hurt cost spread read quit split cast")


@dataclass
class ReadingState:
    cast: Cast = field(default_factory=Cast)
    location: str = ""
    interior: str = ""
    time_of_day: str = ""
    present: list[str] = field(default_factory=list)
    last_speaker: str = ""  # who spoke the last line of dialogue
    last_listener: str = ""  # whom they spoke to
    paragraph_lines: int = 0  # lines of dialogue read so far in this paragraph
    arrived: bool = False  # the place was reached by moving there ("rides into Redbank")
    place_kind: str = ""  # what ctx.location is: "building", "room", "outdoors", "vehicle", "named"
    present_tense: bool = True  # the story is told in the present tense
    tense_votes: int = 0  # main verbs read so far: present +1, past -1
    actor: str = ""  # who did the last thing told in this paragraph, after its last line of dialogue
    last_subject: str = ""  # the subject of the last clause that had one
    acted_on: str = ""  # whom the actor acted on ("drags him into the fridge"): who answers the actor's line

    def narrator(self) -> str:
        """The first-person narrator ("I"), a character of their own."""
        return self.cast.add(NARRATOR) or ""

    def backstory(self, verb) -> bool:
        """Whether a verb (spaCy token) tells the past of a story told in the present ("she grew up in …"),
        or the past before the past ("had lived")."""
        if verb is None or verb.pos_ not in ("VERB", "AUX"):
            return False
        had = any(c.lower_ in ("had", "'d") and c.dep_ == "aux" for c in verb.children)
        used = any(c.lower_ == "used" for c in verb.children) or verb.lower_ == "used"
        return had or used or (self.present_tense and verb.tag_ == "VBD" and verb.lower_ not in SAME_IN_PAST)

    def next_speaker(self) -> str:
        """Who speaks a quotation that names nobody: in the same paragraph the speaker goes on; a new paragraph
        that opens on a quotation is the reply (the prose convention: a new speaker, a new paragraph)."""
        if self.actor:
            return self.actor
        if self.paragraph_lines:
            return self.last_speaker
        return self.last_listener or self.last_speaker


_SINGLE_QUOTED = re.compile(r"(^|[\s(—–])['‘](?=\S)(.+?)(?<=\S)['’](?=[\s.,;:!?)—–]|$)", re.MULTILINE)


def double_quotes(text: str) -> str:
    """British style 'dialogue' (or ‘dialogue’) as "dialogue", in a text that has no double quotes: an apostrophe
    inside a word ("She's", "boy's") is never a quotation mark."""
    if '"' in text or "“" in text or "«" in text or "„" in text:
        return text
    return _SINGLE_QUOTED.sub(lambda m: f'{m.group(1)}"{m.group(2)}"', text)


def paragraphs(text: str) -> list[str]:
    """Paragraphs, long ones cut into chunks of about CHUNK_CHARS at sentence ends; those without a letter (rules
    of dashes, rows of asterisks) hold nothing to draw and are dropped."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if has_letter(b)]
    if len(blocks) == 1 and blocks[0].count("\n") >= 3:
        blocks = [b.strip() for b in blocks[0].split("\n") if b.strip()]
    out: list[str] = []
    for block in blocks:
        block = " ".join(block.split())
        while len(block) > CHUNK_CHARS * 2:
            cut = _cut_point(block, CHUNK_CHARS)
            if has_letter(block[:cut]):
                out.append(block[:cut].strip())
            block = block[cut:].strip()
        if has_letter(block):
            out.append(block)
    return out


def _cut_point(block: str, near: int) -> int:
    for match in SENTENCE_END.finditer(block, near):
        return match.end()
    space = block.find(" ", near)
    return space if space > 0 else near


def split_title(text: str) -> tuple[str, str]:
    """A short first line followed by a blank line is the story's title."""
    first, sep, rest = text.partition("\n")
    if sep and rest.startswith("\n") and 0 < len(first.strip()) <= 80 and not first.rstrip().endswith((".", "!", "?")):
        return first.strip().strip("#").strip(), rest.strip()
    return "", text


def propose_title(beats: list[Beat]) -> str:
    """A working title for a story that has none: its lead ("Mara"), or its two leads when the second is on
    screen at least half as often ("Mara and Tom"); else where it happens ("Harbour"); else ""."""
    counts = Counter(name for beat in beats for name in dict.fromkeys(beat.characters))
    ranked = [name for name, _ in counts.most_common(2)]
    if len(ranked) == 2 and counts[ranked[1]] * 2 >= counts[ranked[0]]:
        return f"{ranked[0]} and {ranked[1]}"
    if ranked:
        return ranked[0]
    places = Counter(beat.location for beat in beats if beat.location)
    return places.most_common(1)[0][0] if places else ""


def backfill_opening_place(beats: list[Beat]) -> None:
    """Beats before the first place named happen there too (the story opens there)."""
    first = next((i for i, b in enumerate(beats) if b.location), None)
    if not first or first > OPENING_BEATS or "arrival" in beats[first].cues:
        return  # a place named much later, or one the story travels to, is not where it opens
    for beat in beats[:first]:
        beat.location, beat.interior = beats[first].location, beats[first].interior
    beats[first].cues.discard("new_location")
    beats[0].cues.add("new_location")


def quote_open(text: str) -> bool:
    """Whether `text` leaves a quotation open: "…", “…”, «…», or German „…“ (where “ closes)."""
    if text.count('"') % 2 or text.count("«") > text.count("»"):
        return True
    low = text.count("„")
    if low:
        return low > text.count("“") + text.count("”")
    return text.count("“") > text.count("”")


def whole_quotes(pieces: list) -> list:
    """Join consecutive sentences while a quotation is open — a quote of several sentences is one unit — and a
    quotation ending in ? or ! with the lower-case attribution after it ("Is he here?" she asks.).
    `pieces` are strings, or spaCy spans of one doc."""
    out: list = []
    for piece in pieces:
        if out:
            before = _text(out[-1]).rstrip()
            if quote_open(before) or _attribution_follows(before, _text(piece)):
                last = out.pop()
                piece = f"{last} {piece}" if isinstance(piece, str) else piece.doc[last.start:piece.end]
        out.append(piece)
    return out


def _text(piece) -> str:
    return piece if isinstance(piece, str) else piece.text


def _attribution_follows(before: str, text: str) -> bool:
    """ "Is he here?" she asks. / "Need a hand?" India asks sweetly. — the quote and who says it are one unit."""
    if not (len(before) > 1 and before[-1] in _CLOSING and before[-2] in "?!…"):
        return False
    start = text.lstrip()
    if start[:1].islower():
        return True
    words = lexicon.words(start)[:4]
    for i, word in enumerate(words):
        if not word[:1].isupper():
            return i > 0 and lexicon.in_vocab(word, lexicon.SPEECH_VERBS)
    return False


_CLOSING = frozenset('"”»“\'’')


def split_quotes(text: str, who: list[str], ctx: ReadingState) -> tuple[list[DialogueLine], str]:
    """Quoted speech → dialogue lines; the rest of the text stays action."""
    lines = []
    for match in QUOTE.finditer(text):
        line = match.group(1).strip().rstrip(",")
        if line:
            speaker = who[0] if who else (ctx.cast.last() or "")
            lines.append(DialogueLine(character=speaker, text=line))
    if not lines:
        return [], text
    action = QUOTE.sub(" ", text)
    action = re.sub(r"\s+([,.!?])", r"\1", " ".join(action.split())).strip(" ,")
    if not lexicon.words(action):
        action = f"{lines[0].character} speaks." if lines[0].character else ""
    return lines, action[:1].upper() + action[1:]
