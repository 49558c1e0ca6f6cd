"""Scene headings: "INT. LIGHTHOUSE - LAMP ROOM - NIGHT #1#" → interior, location, time of day, number.

Accepted: INT / EXT / EST / INT./EXT / INT/EXT / EXT/INT / I/E followed by "." or a space, the Russian
ИНТ. / НАТ. / ЭКСТ. and German INNEN / AUSSEN; a ``#12A#`` scene number at the end, or a PDF style
number around it ("12 INT. HOUSE - DAY 12"); the time after the last dash ("- NIGHT"), or at the very
end without one ("int garage night", Russian "ИНТ. КУХНЯ ДЕНЬ"). A relative time after a real one gives
way to it ("LOBBY - DAY - MOMENTS LATER" is DAY); times in other languages read as the English word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyboard import film

# Times that only say "the same as before" or "after it": the planner carries the previous scene's time.
RELATIVE_TIMES = {
    "SAME", "SAME TIME", "LATER", "MOMENTS LATER", "A MOMENT LATER", "SECONDS LATER", "MINUTES LATER",
    "HOURS LATER", "MOMENTS BEFORE", "CONTINUOUS", "CONTINUED",
}
_TIMES = set(film.TIMES_OF_DAY) | RELATIVE_TIMES | {
    "LATE NIGHT", "EARLY MORNING", "LATE AFTERNOON", "EARLY EVENING", "MIDDAY", "MIDNIGHT", "NOON",
    "TWILIGHT", "MAGIC HOUR", "GOLDEN HOUR", "DAYTIME", "NIGHTTIME", "NEXT DAY",
    "NEXT MORNING", "THE NEXT DAY", "THE NEXT MORNING", "SAME DAY", "SAME NIGHT",
}
# Times of day in scripts written in other languages, as the English word the planner uses.
# Russian headings may leave out the dash ("ИНТ. КУХНЯ ДЕНЬ"), so a Cyrillic time is also read from the end.
_CYRILLIC_TIMES = {
    "ДЕНЬ": "DAY", "НОЧЬ": "NIGHT", "УТРО": "MORNING", "ВЕЧЕР": "EVENING", "РАССВЕТ": "DAWN",
    "ЗАКАТ": "DUSK", "СУМЕРКИ": "DUSK", "ПОЗЖЕ": "LATER",
}
_FOREIGN_TIMES = _CYRILLIC_TIMES | {
    "TAG": "DAY", "NACHT": "NIGHT", "MORGEN": "MORNING", "ABEND": "EVENING", "SPÄTER": "LATER",
    "JOUR": "DAY", "NUIT": "NIGHT", "MATIN": "MORNING", "SOIR": "EVENING", "AUBE": "DAWN", "PLUS TARD": "LATER",
    "DÍA": "DAY", "NOCHE": "NIGHT", "MAÑANA": "MORNING", "TARDE": "AFTERNOON", "AMANECER": "DAWN",
    "ATARDECER": "DUSK", "MÁS TARDE": "LATER", "GIORNO": "DAY", "NOTTE": "NIGHT", "DIA": "DAY", "NOITE": "NIGHT",
}
# Tags that may stand where a time would ("- NIGHT - FLASHBACK"); used only when alone.
_MODIFIERS = {
    "FLASHBACK", "END FLASHBACK", "FLASH FORWARD", "DREAM", "DREAM SEQUENCE", "PRESENT",
    "PRESENT DAY", "MONTAGE", "SERIES OF SHOTS", "INTERCUT",
}
# INT/EXT and their equivalents: Russian ИНТ./НАТ. (ЭКСТ.), German INNEN/AUSSEN.
_INTERIOR = {"INT": "INT", "EXT": "EXT", "EST": "EXT", "INT/EXT": "INT/EXT", "EXT/INT": "INT/EXT", "I/E": "INT/EXT",
             "ИНТ": "INT", "НАТ": "EXT", "ЭКСТ": "EXT", "ИНТ/НАТ": "INT/EXT", "НАТ/ИНТ": "INT/EXT",
             "INNEN": "INT", "AUSSEN": "EXT", "INNEN/AUSSEN": "INT/EXT", "AUSSEN/INNEN": "INT/EXT"}

SLUG = re.compile(
    r"(?:(?P<num>\d{1,4}[A-Z]{0,2})\.?\s+)?"
    r"(?P<ie>INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST"
    r"|ИНТ\.?\s*/\s*НАТ|НАТ\.?\s*/\s*ИНТ|ИНТ|НАТ|ЭКСТ"
    r"|INNEN\.?\s*/\s*AU(?:SS|ß)EN|AU(?:SS|ß)EN\.?\s*/\s*INNEN|INNEN|AU(?:SS|ß)EN)(?:(?P<dot>\.)|\s)",
    re.IGNORECASE,
)
_SCENE_NUMBER = re.compile(r"[\w.\-]+")
_TIME_SEP = re.compile(r"[-\u2013\u2014]+|,")
_PARENS = re.compile(r"\([^)]*\)")


@dataclass
class Heading:
    text: str  # the heading as written, without its #number#
    interior: str  # "INT", "EXT", "INT/EXT" or ""
    location: str
    time_of_day: str
    number: str
    dot: bool  # "INT." rather than "INT": a sure sign even in lower case


def _time_of(part: str) -> str:
    """The time a heading part names ("NIGHT", "NIGHT (FLASHBACK)", "НОЧЬ" → "NIGHT"), or ""."""
    if len(part) > 40:
        return ""
    words = " ".join(part.replace("(", " ").replace(")", " ").upper().split())
    if words in _TIMES or words in _MODIFIERS:
        return words
    if words in _FOREIGN_TIMES:
        return _FOREIGN_TIMES[words]
    bare = " ".join(_PARENS.sub(" ", part).upper().split())  # "NIGHT (FLASHBACK)"
    return bare if bare in _TIMES else ""


def _trailing_time(rest: str) -> tuple[str, str]:
    """'GARAGE NIGHT' -> ('GARAGE', 'NIGHT'): a sloppy or Russian heading without a dash."""
    words = rest.split()
    for size in (2, 1):
        if len(words) > size and words[-size - 1].upper() not in ("THE", "OF", "A", "AN"):
            tail = " ".join(words[-size:]).upper()
            if tail in _TIMES and tail not in RELATIVE_TIMES or tail in _CYRILLIC_TIMES:
                return " ".join(words[:-size]), _FOREIGN_TIMES.get(tail, tail)
    return rest.strip(), ""


def _split_time(rest: str) -> tuple[str, str]:
    """'LIGHTHOUSE - LAMP ROOM - NIGHT' -> ('LIGHTHOUSE - LAMP ROOM', 'NIGHT').

    A relative time or a tag after a real one gives way to it: 'LOBBY - DAY - MOMENTS LATER' -> ('LOBBY', 'DAY').
    """
    seps = list(_TIME_SEP.finditer(rest))
    if not seps:
        return _trailing_time(rest)
    last = seps[-1]
    time = _time_of(rest[last.end():])
    if (not time or time in _MODIFIERS or time in RELATIVE_TIMES) and len(seps) > 1:
        before = _time_of(rest[seps[-2].end():last.start()])
        if before and before not in _MODIFIERS and before not in RELATIVE_TIMES:
            return rest[:seps[-2].start()].strip(" -\u2013\u2014,"), before
    if time:
        return rest[:last.start()].strip(" -\u2013\u2014,"), time
    return _trailing_time(rest.strip(" -\u2013\u2014,"))


def parse_heading(line: str, forced: bool) -> Heading | None:
    """The parts of a heading line (forced: it starts with "."), or None when it is no heading."""
    text, number = (line[1:].strip() if forced else line), ""
    if text.endswith("#") and len(text) > 2:
        hash_at = text.rfind("#", 0, len(text) - 1)
        if hash_at >= 0 and _SCENE_NUMBER.fullmatch(text, hash_at + 1, len(text) - 1):
            number, text = text[hash_at + 1:-1], text[:hash_at].rstrip()
    slug = SLUG.match(text)
    if slug and slug.group("num"):  # "12 INT. HOUSE - DAY 12" pasted from a PDF
        number = number or slug.group("num")
        text = text[slug.start("ie"):]
        if text.endswith(" " + slug.group("num")):
            text = text[:-len(slug.group("num"))].rstrip()
        slug = SLUG.match(text)
    if not slug and not forced:
        return None
    interior, rest = "", text
    if slug:
        interior = _INTERIOR[re.sub(r"[\s.]", "", slug.group("ie").upper())]
        rest = text[slug.end():]
    location, time = _split_time(rest)
    return Heading(text, interior, location, time, number, bool(slug and slug.group("dot")))
