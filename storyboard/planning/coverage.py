"""Coverage: the shots a board artist draws for each beat (sparse / normal / dense).

- sparse: one shot per beat; a tiny moment folds into its neighbour of the same screenplay scene;
- normal: what a board artist hands in: an exchange of lines opens on a master and cuts to reverses that
  follow who speaks (over-the-shoulder between two people, singles among more); an object beat gets its
  insert, and the reaction when it is emotional;
- dense: fuller coverage: one shot per action sentence, a reverse per line (over the shoulder first,
  then singles), a reaction after an exchange and after every object.

In every level a new place that opens on an intimate moment (dialogue, emotion, an object) gets an
establishing shot first, and a story of one or two shots gets a wide and a close-up around it.

Words of the source are never lost: each action sentence and each line of dialogue lands in exactly one
shot. Shots with no source words are labelled the way the scorer and the artist recognise them:
"Establishing: …", "Wide: …", "Insert: …", "Close on X: reaction."
"""

from __future__ import annotations

import re

from ..errors import InputError
from ..project import DialogueLine
from . import lexicon
from .beats import Beat, establishing, off_screen

COVERAGE_LEVELS = ("sparse", "normal", "dense")
DEFAULT_COVERAGE = "normal"
INTIMATE = frozenset(("emotion", "object"))
MIN_SHOTS = 3  # a story shorter than this gets a wide and a close-up around its main beat
TINY_WORDS = 6  # sparse: a moment with fewer words folds into its neighbour of the same scene


def check_level(level: str) -> str:
    level = (level or DEFAULT_COVERAGE).strip().lower()
    if level not in COVERAGE_LEVELS:
        raise InputError(f"coverage must be one of {', '.join(COVERAGE_LEVELS)} (got {level!r})")
    return level


def cover(beats: list[Beat], level: str = DEFAULT_COVERAGE) -> list[Beat]:
    """Beats → shots at the chosen coverage level. The shots of one beat share its group (numbered 4A, 4B…)."""
    level = check_level(level)
    if level == "sparse":
        beats = _merge_tiny(beats)
    beats = _grouped(beats)
    shots: list[Beat] = []
    building = ""
    for beat in beats:
        if "object" in beat.cues and not object_phrase(beat.action):
            beat.cues.discard("object")  # "with steady hands": no object handled, no insert
        covered = [beat] if level == "sparse" else _cover(beat, level)
        same_building = level == "sparse" and beat.location.split(" - ")[0] == building  # lighthouse → its stairs
        opener = [establishing(covered[0])] if opens_on_intimate(beat) and not same_building else []
        building = beat.location.split(" - ")[0]
        notes, transition = beat.notes, beat.transition
        for shot in covered:
            shot.notes, shot.transition = "", ""
        covered[0].notes, covered[-1].transition = notes, transition  # notes open the beat, the cut ends it
        shots += opener + covered
    return _pad_short(shots)


def opens_on_intimate(beat: Beat) -> bool:
    """A new place whose first moment is close (talk, emotion, an object) needs a wide shot before it."""
    return "new_location" in beat.cues and bool(beat.location) and bool(beat.dialogue or beat.cues & INTIMATE)


# --- one beat ----------------------------------------------------------------------------------------

def _cover(beat: Beat, level: str) -> list[Beat]:
    parts = _sentences(beat) if level == "dense" else [beat]
    shots: list[Beat] = []
    for part in parts:
        speakers = {line.character for line in part.dialogue}
        if len(speakers) >= 2 or (level == "dense" and speakers and part.action):
            shots += _exchange(part, level)  # dense: even one speaker gets the action, then the line on them
        else:
            shots += _action(part, level)
    return shots


def _sentences(beat: Beat) -> list[Beat]:
    """Dense: an action of several sentences becomes a shot per sentence (the lines stay with the last)."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=\S)", beat.action) if s]
    if len(sentences) < 2:
        return [beat]
    parts, who = [], list(beat.characters)
    for sentence in sentences:
        who = [p for p in beat.characters if _named(p, sentence)] or who  # else whoever the last one showed
        parts.append(beat.shot(sentence, characters=who, cues=lexicon.cues(sentence)))
    parts[0].cues |= beat.cues & {"new_location"}
    parts[-1].dialogue = list(beat.dialogue)
    return parts


def _exchange(beat: Beat, level: str) -> list[Beat]:
    """A master, then a reverse per speaker run: OTS between two people, singles among more (dense: the
    master holds the action alone, a reverse per line, singles after the first two, a reaction to end).
    A voice off screen plays over whoever listens."""
    runs = _runs(beat.dialogue, one_line_each=level == "dense")
    on = list(beat.characters)
    for run in runs:
        if not off_screen(run[0]) and run[0].character not in on:
            on.append(run[0].character)
    master = beat.shot(beat.action, characters=on, kind="master" if len(on) >= 2 else "")
    if level == "normal" or not beat.action:
        master.dialogue = runs.pop(0)  # the exchange starts on the master
    shots = [master]
    speakers = [run[0].character for run in runs]
    for k, run in enumerate(runs):
        speaker = run[0].character
        if off_screen(run[0]):
            listeners = [p for p in on if p != speaker] or on
            kind = "single" if len(listeners) == 1 else "master"
            shots.append(beat.shot(characters=listeners, dialogue=run, kind=kind))
            continue
        listener = _listener(speaker, k, speakers, on, master.dialogue)
        ots = bool(listener) and len(on) == 2 and (level == "normal" or k < 2)
        who = [speaker, listener] if ots else [speaker]
        shots.append(beat.shot(characters=who, dialogue=run, kind="ots" if ots else "single"))
    if level == "dense":
        last = shots[-1].dialogue[0].character if shots[-1].dialogue else ""
        listener = next((p for p in on if p != last), "")
        if listener:
            shots.append(_reaction(beat, listener))
    return shots


def _runs(lines: list[DialogueLine], one_line_each: bool) -> list[list[DialogueLine]]:
    """Consecutive lines of one speaker (or each line alone)."""
    runs: list[list[DialogueLine]] = []
    for line in lines:
        if runs and not one_line_each and runs[-1][0].character == line.character:
            runs[-1].append(line)
        else:
            runs.append([line])
    return runs


def _listener(speaker: str, k: int, speakers: list[str], on: list[str], first: list[DialogueLine]) -> str:
    """Whose shoulder a reverse looks over: the last other speaker, else the next one, else anyone on screen."""
    before = [line.character for line in first] + speakers[:k]
    for name in [*reversed(before), *speakers[k + 1:], *on]:
        if name != speaker and name in on:
            return name
    return ""


def _action(beat: Beat, level: str) -> list[Beat]:
    """An action (or one person's speech): an object handled gets an insert, then the reaction when it is
    emotional; dense adds a reaction after every object and every emotional moment."""
    thing = object_phrase(beat.action) if "object" in beat.cues else ""
    beat.cues.discard("object")  # an insert shows the object; the action shot stays on the people
    if beat.dialogue and not beat.action and len(beat.characters) == 1:
        beat.kind = "single"  # a speech: on the speaker
    shots = [beat]
    if thing:
        shots.append(beat.shot(f"Insert: {thing}.", characters=[], cues={"object"}, kind="insert"))
    who = _feeling(beat) if beat.action else ""
    emotional = "emotion" in beat.cues
    if who and ((thing and emotional) or (level == "dense" and (thing or emotional))):
        shots.append(_reaction(beat, who))
        beat.cues.discard("emotion")  # the close-up carries the feeling; the action shot stays wider
    return shots


def _feeling(beat: Beat) -> str:
    """Who reacts: the first person named in an emotional sentence of the action, else the first on screen."""
    for sentence in re.split(r"(?<=[.!?])\s+", beat.action):
        if "emotion" in lexicon.cues(sentence):
            named = [p for p in beat.characters if _named(p, sentence)]
            if named:
                return named[0]
    return beat.characters[0] if beat.characters else ""


def _named(name: str, text: str) -> bool:
    """The text names the person, whole or by one word of the name ("Thanh" for Thanh Pham)."""
    parts = [name, *(w for w in name.split() if len(w) > 2)] if " " in name else [name]
    return any(re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text, re.IGNORECASE) for part in parts)


def _reaction(beat: Beat, who: str) -> Beat:
    return beat.shot(f"Close on {who}: reaction.", characters=[who], cues={"emotion"}, kind="reaction")


_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_DETERMINERS = frozenset("a an the his her their my your our its this that some one two".split())  # noqa: SIM905
_RECEIVERS = frozenset("him her them me us it the a an his their over back".split())  # noqa: SIM905


def object_phrase(text: str) -> str:
    """The object an insert shows, handled by a verb in the same clause: "kneels and picks up a broken
    watch" → "the broken watch", "reads Dad's letter" → "Dad's letter", "finds a photo of her mother" →
    "the photo of her mother". "" when no one handles an object ("rain hammers the glass")."""
    tokens = list(_TOKEN.finditer(text))
    verb = -1  # the last object verb seen in this clause
    for k, token in enumerate(tokens):
        word = token.group()
        if k and re.search(r"[.;:!?]", text[tokens[k - 1].end():token.start()]):
            verb = -1
        if lexicon.in_vocab(word, lexicon.OBJECT_VERBS) and not _after_determiner(text, tokens, k):
            verb = k
            continue
        if verb < 0 or k - verb > 6 or word.lower() in ("hand", "hands"):
            continue
        if not lexicon.in_vocab(word, lexicon.OBJECTS):
            continue
        start = _phrase_start(text, tokens, k)
        if start is None:
            continue  # "she watches the sea": a verb, not a watch
        end = k
        if k + 2 < len(tokens) and tokens[k + 1].group() == "of":  # "the photo of her mother"
            end = k + 3 if tokens[k + 2].group().lower() in _DETERMINERS and k + 3 < len(tokens) else k + 2
            end = end if _joined(text, tokens, k, end) else k
        first = tokens[start]
        possessive = first.group().endswith(("'s", "’s"))
        words = text[first.start() if possessive else first.end():tokens[end].end()]
        return ("" if possessive else "the ") + " ".join(words.split())
    return ""


def _after_determiner(text: str, tokens, k: int) -> bool:
    """ "with steady hands", "the open box": a verb-looking word used as a noun or an adjective."""
    if k == 0 or not _joined(text, tokens, k - 1, k):
        return False
    before = tokens[k - 1].group().lower()
    if tokens[k].group().lower() in ("hand", "hands"):  # a verb only when something is handed: "hands him"
        after = tokens[k + 1].group() if k + 1 < len(tokens) else ""
        return not (after.lower() in _RECEIVERS or after[:1].isupper())
    return before in _DETERMINERS or before in ("with", "of") or before.endswith(("'s", "’s"))


def _phrase_start(text: str, tokens, k: int) -> int | None:
    """The determiner or possessive that opens the noun phrase of token k, at most 3 words back."""
    for j in range(k - 1, max(k - 4, -1), -1):
        word = tokens[j].group()
        if not _joined(text, tokens, j, j + 1):
            return None
        if word.lower() in _DETERMINERS or word.endswith(("'s", "’s")):
            return j
        if not word.islower():
            return None
    return None


def _joined(text: str, tokens, a: int, b: int) -> bool:
    """Only spaces between tokens a…b (one noun phrase, no punctuation)."""
    return all(not text[tokens[i].end():tokens[i + 1].start()].strip() for i in range(a, b))


# --- the whole story -----------------------------------------------------------------------------------

def _grouped(beats: list[Beat]) -> list[Beat]:
    """Every beat belongs to a group: its own, unless the reader grouped it (a screenplay scene)."""
    fresh = max((b.group for b in beats), default=-1) + 1
    for beat in beats:
        if beat.group < 0:
            beat.group, fresh = fresh, fresh + 1
    return beats


def _size(beat: Beat) -> int:
    return len(beat.action.split()) + sum(len(line.text.split()) for line in beat.dialogue)


def _merge_tiny(beats: list[Beat]) -> list[Beat]:
    """Sparse: fold a tiny moment into the one before it in the same screenplay scene. (Prose beats are
    already merged per paragraph by the reader; merging them further loses story beats.)"""
    out: list[Beat] = []
    for beat in beats:
        last = out[-1] if out else None
        same_scene = last and beat.group >= 0 and last.group == beat.group
        if same_scene and not last.establishing and min(_size(last), _size(beat)) < TINY_WORDS:
            last.merge(beat)
        else:
            out.append(beat)
    return out


def _pad_short(shots: list[Beat]) -> list[Beat]:
    """A story of one or two shots still gets coverage: a wide master, the shots, a close-up."""
    if len(shots) >= MIN_SHOTS or not shots:
        return shots
    main = max(shots, key=lambda b: len(b.action) + 40 * len(b.dialogue))
    out = list(shots)
    if not out[0].establishing:
        out.insert(0, establishing(main, "Wide"))
        out[0].group = out[1].group
    if len(out) < MIN_SHOTS:
        who = main.characters[0] if main.characters else ""
        close = _reaction(main, who) if who else main.shot("Close detail.", characters=[], cues={"emotion"})
        close.kind, close.group = "reaction", out[-1].group
        out.append(close)
    return out
