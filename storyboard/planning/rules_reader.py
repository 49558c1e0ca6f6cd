"""The rule-based prose reader: Spanish, French and German (and English when spaCy's model is missing).

1. Detect the language (language.py); one without a lexicon goes to the language-independent plain.py.
2. Split the story into paragraphs and turns of dialogue, sentences, quotations and clauses (rules_text)
   and find its people (rules_names).
3. Per sentence (rules_mentions): who is mentioned → who is in the shot and who is the subject; the place
   and the time of day carry on until a sentence changes them.
4. Who speaks a quotation: the attribution ("dit Inès", "sagt die Wirtin", "pregunta." = its subject); else
   the one the narration just showed ("La señora sonríe. «Para ti.»"); else the conversation
   (ReadingState.next_speaker: the same paragraph, the same speaker; a new one, the listener).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..project import DialogueLine
from . import language, lexicon, plain
from .beats import Beat
from .lexicon_de import GERMAN
from .lexicon_en import ENGLISH
from .lexicon_es import SPANISH
from .lexicon_fr import FRENCH
from .lexicon_intl import Lexicon
from .reading import ReadingState, paragraphs
from .rules_mentions import Mention, find_mentions, find_places, find_time
from .rules_names import candidate_runs, find_people
from .rules_text import Sentence, split_clauses, split_story, story_paragraphs
from .text import has_letter

LEXICONS: dict[str, Lexicon] = {"es": SPANISH, "fr": FRENCH, "de": GERMAN, "en": ENGLISH}


def read_story(text: str, ctx: ReadingState) -> Iterator[list[Beat]]:
    """The beats of each paragraph (or turn of dialogue) of a story, in order: one list per paragraph."""
    lex = LEXICONS.get(language.detect(text))
    if lex is None:
        yield from plain.read_chunks(paragraphs(text), ctx)
        return
    yield from RulesReader(story_paragraphs(text, lex), ctx, lex).paragraphs()


class RulesReader:
    def __init__(self, chunks: list[str], ctx: ReadingState, lex: Lexicon) -> None:
        self.chunks, self.ctx, self.lex = chunks, ctx, lex
        self.sentences = split_story(chunks, lex)
        self.people = find_people(self.sentences, lex)
        self.genders = dict(self.people.genders)
        self.roles = {noun: list(names) for noun, names in self.people.roles.items()}
        self.building = ""  # the building the scene is in, where rooms and spots nest
        self.subjects: list[str] = []  # who did what the last sentence told (Spanish leaves them out: "Sonríe.")
        self.narrated = ""  # whom the last sentence of narration in this paragraph showed
        # A story told in the present: "il a vu l'annonce" tells what happened before (unless the whole story
        # is told so, as French often is).
        told = [c for s in self.sentences for c in split_clauses(s, lex, self.names_at(s)) if not c.quotes]
        perfect = sum(self.perfect(c, lex.perfect) is not None for c in told)
        self.perfect_is_past = perfect < 0.3 * max(1, len(told))

    def paragraphs(self) -> Iterator[list[Beat]]:
        by_paragraph: dict[int, list[Sentence]] = {}
        for s in self.sentences:
            by_paragraph.setdefault(s.paragraph, []).append(s)
        for p in range(len(self.chunks)):
            self.ctx.paragraph_lines, self.narrated = 0, ""
            clauses = [c for s in by_paragraph.get(p, []) for c in split_clauses(s, self.lex, self.names_at(s))]
            yield [b for b in (self.beat(c) for c in clauses) if b is not None]

    def perfect(self, s: Sentence, auxiliaries: frozenset[str]) -> int | None:
        """Where the clause has an auxiliary of `auxiliaries` with a participle after it ("a planté", "hat …
        gebaut"), or None."""
        toks = s.tokens
        for at, tok in enumerate(toks):
            if tok.quoted or tok.low not in auxiliaries:
                continue
            after = toks[at + 1 :] if self.lex.capitalised_nouns else toks[at + 1 : at + 4]  # German: at the end
            if any(self.lex.is_participle(t.text) for t in after if t.is_word and not t.quoted):
                return at
        return None

    def past_from(self, s: Sentence) -> int | None:
        """The token from which the clause tells what happened before the story's now ("y no ha faltado ni un
        día desde que murió su mujer", "il a vu l'annonce à la boulangerie"), or None."""
        found = [self.perfect(s, self.lex.pluperfect)]
        if self.perfect_is_past:
            found.append(self.perfect(s, self.lex.perfect))
        return min((at for at in found if at is not None), default=None)

    def names_at(self, s: Sentence) -> set[int]:
        """Where a person's name starts in the sentence (token indices)."""
        runs = candidate_runs(s.tokens, self.lex)
        return {a for a, b in runs if " ".join(t.text for t in s.tokens[a:b]) in self.people.names}

    # -- one sentence ------------------------------------------------------------------------------

    def beat(self, s: Sentence) -> Beat | None:
        action = s.narration
        if not has_letter(action) and not s.quotes:
            return None
        # 1. who is mentioned, and who is the subject
        past = self.past_from(s)
        mentions = find_mentions(s, self.people, self.lex, self.roles, past)
        replying = bool(s.quotes) and self.ctx.paragraph_lines > 0
        arriving = any(self.lex.is_motion_verb(t.text) for t in s.tokens if not t.quoted)
        resolved = self.resolve(mentions, [self.ctx.last_speaker] if replying else [], arriving)
        # "Sa mère travaille à l'hôpital jusqu'au soir": about someone elsewhere, not the scene's place or time
        elsewhere = bool(mentions) and mentions[0].kind == "role" and not resolved[id(mentions[0])] and (
            mentions[0].article in self.lex.possessives)
        shown = [m for m in mentions if not m.aside and resolved.get(id(m))]
        group = [m for m in mentions if m.kind == "group" and not m.aside]
        subject = next((resolved[id(m)] for m in shown if m.kind in ("name", "role") and not m.prep), "")
        subject = subject or next(
            (resolved[id(m)] for m in shown if m.kind == "pronoun" and not m.object and not m.prep), "")
        subjects = [subject] if subject else []
        if not subject and group and not group[0].prep and (not shown or group[0].start < shown[0].start):
            subjects = list(self.ctx.present)  # "Los dos hermanos cierran la tienda"
        if not subjects and (s.continues or self.lex.pro_drop) and has_letter(action) and not s.tokens[0].quoted:
            subjects = list(self.subjects)  # "… und öffnet den Deckel", Spanish "Sonríe.": the subject goes on
        subject = subjects[0] if len(subjects) == 1 else subject
        if subject:
            self.predicate(s, subject)
        who = list(dict.fromkeys(subjects + [resolved[id(m)] for m in shown]))
        if group:
            who += [n for n in self.ctx.present if n not in who]
        # 2. place and time
        moved, nested = self.place(s, past) if not elsewhere else (False, False)
        self.ctx.time_of_day = (find_time(s, self.lex, past) if not elsewhere else "") or self.ctx.time_of_day
        # 3. what is said, and by whom
        dialogue = []
        if s.quotes:
            speaker = self.speaker(s, mentions, resolved, subject, action)
            dialogue = [DialogueLine(character=speaker, text=q) for q in s.quotes]
            who = self.conversation(speaker, who, moved)
            self.narrated = ""
        elif has_letter(action):
            self.narrated = subject
        # 4. the scene's people
        if moved and not nested:
            self.ctx.present = []
        named = list(who)
        who = who or list(self.ctx.present[-3:])  # nobody named: those here stay in shot
        for name in who:
            if name not in self.ctx.present:
                self.ctx.present.append(name)
        lead = dialogue[0].character if dialogue else subject
        for name in [n for n in named if n != lead] + ([lead] if lead else []):
            self.ctx.cast.mention(name)  # the subject last: the next pronoun most likely means them
        self.subjects = [lead] if lead else subjects or self.subjects
        if not has_letter(action):
            action = f"{dialogue[0].character} speaks." if dialogue and dialogue[0].character else ""
        action = action[:1].upper() + action[1:]
        return Beat(
            action=action,
            characters=who,
            dialogue=dialogue,
            location=self.ctx.location,
            interior=self.ctx.interior,
            time_of_day=self.ctx.time_of_day,
            cues=lexicon.cues(action) | ({"new_location"} if moved and not nested else set()),
        )

    # -- people ------------------------------------------------------------------------------------

    def resolve(self, mentions: list[Mention], answering: list[str], arriving: bool) -> dict[int, str]:
        """Each mention's character (by the mention's id); "" for one that names nobody in the story.
        `answering`: who spoke last, when the sentence answers them ("«Nada», antwortet der alte Mann");
        `arriving`: the sentence has a verb of motion ("Su madre llega": she comes into the story)."""
        out: dict[int, str] = {}
        taken: list[str] = []
        for position, m in enumerate(mentions):
            name = ""
            if m.kind == "name" and m.aside:
                name = self.add_quietly(m.name)
            elif m.kind == "name":
                name = self.ctx.cast.add(m.name, self.people.descriptions.get(m.name, "")) or ""
            elif m.kind == "role":
                name = self.role(m, taken, position == 0, answering, arriving)
            elif m.kind == "pronoun":
                name = self.last(m.gender, exclude=taken if m.object else [])
                if m.object and len(set(taken)) >= 2:
                    name = ""  # "Remedios le cuenta a Tito": the pronoun doubles a name already here
            out[id(m)] = name
            if name and not m.aside:
                taken.append(name)
        return out

    def predicate(self, s: Sentence, subject: str) -> None:
        """ "Il est étudiant", "Er ist seit vierzig Jahren Imker.": the noun after the verb "to be" is the
        subject's role from now on ("l'étudiant", "der Imker")."""
        lex, toks = self.lex, [t for t in s.tokens if not t.quoted]
        at = next((i for i, t in enumerate(toks) if t.low in lex.copulas), None)
        if at is None or at + 1 >= len(toks):
            return
        if lex.capitalised_nouns:  # German puts it last: "… ist seit vierzig Jahren Imker."
            end = next((i for i in range(at + 1, len(toks)) if toks[i].text in ".,;:!?"), len(toks))
            noun = toks[end - 1]
            if end - 1 > at and noun.capitalised and not lex.is_noun_marker(toks[end - 2].low) and not (
                    lex.function_word(noun.text) or noun.text in self.people.names):
                self.roles.setdefault(noun.low, []).append(subject)
        elif lex.person_gender(toks[at + 1].low) is not None and toks[at + 1].text[:1].islower():
            self.roles.setdefault(toks[at + 1].low, []).append(subject)

    def add_quietly(self, name: str) -> str:
        """Register someone only talked about, without making them the one a pronoun means next."""
        order = list(self.ctx.cast.last_named)
        canonical = self.ctx.cast.add(name, self.people.descriptions.get(name, "")) or ""
        self.ctx.cast.last_named[:] = ([canonical] if canonical and canonical not in order else []) + order
        return canonical

    def role(self, m: Mention, taken: list[str], first: bool, answering: list[str], arriving: bool) -> str:
        """ "la señora" → whoever was introduced so; "su madre" → "madre de Tito"; "le vieil homme" → the
        man last named; "un camarero" opening a sentence → a new character "Camarero"."""
        lex = self.lex
        known = [n for n in self.roles.get(m.noun, []) if n in self.ctx.cast]
        if known:
            return max(known, key=self.recency)
        if m.before in lex.copulas and (taken or self.last_subject()):
            owner = taken[0] if taken else self.last_subject()  # "Es el único conductor": the subject is one
            self.roles.setdefault(m.noun, []).append(owner)
            return owner
        if m.article in lex.possessives and m.noun in lex.kin_nouns:  # "con su madre", "Su madre llega"
            owner = taken[0] if taken else self.last_subject()
            if owner and (m.prep in lex.with_preps or (first and not m.prep and arriving)):
                return self.create(lex.owner_template.format(noun=m.noun_text, owner=owner.split()[0]), m)
            return ""
        if (m.noun in lex.generic_people or m.noun in lex.titles) and m.article not in lex.indefinite:
            found = self.last(m.gender, exclude=taken + answering) or self.last(m.gender, exclude=taken)
            if found:
                return found
        if first and not m.prep and not m.aside:
            return self.create(_capital(m.noun_text), m)
        return ""

    def create(self, name: str, m: Mention) -> str:
        words = name.casefold().split()
        if len(words) > 1 and any(c.name.casefold() in words for c in self.ctx.cast.characters):
            name = _capital(m.noun_text)  # Cast would read "madre de Tito" as Tito himself
        canonical = self.ctx.cast.add(name) or ""
        if canonical:
            self.roles.setdefault(m.noun, []).append(canonical)
            if m.gender:
                self.genders.setdefault(canonical, m.gender)
        return canonical

    def last_subject(self) -> str:
        return self.subjects[0] if len(self.subjects) == 1 else ""

    def recency(self, name: str) -> int:
        order = self.ctx.cast.last_named
        return order.index(name) if name in order else -1

    def last(self, gender: str, exclude: list[str]) -> str:
        """The character named most recently whose gender fits, leaving out `exclude`."""
        for name in reversed(self.ctx.cast.last_named):
            if name not in exclude and (not gender or self.genders.get(name, "") in (gender, "")):
                return name
        return ""

    # -- dialogue ----------------------------------------------------------------------------------

    def speaker(self, s: Sentence, mentions: list[Mention], resolved: dict[int, str], subject: str,
                action: str) -> str:
        """Who speaks the sentence's quotations."""
        for v, tok in enumerate(s.tokens):
            if tok.quoted or not tok.text[:1].islower() or not self.lex.is_speech_verb(tok.text):
                continue
            after = next((m for m in mentions if v < m.start <= v + 3 and not m.object and not m.prep), None)
            before = next((m for m in reversed(mentions) if v - 2 <= m.end <= v and not m.object), None)
            for m in (after, before):
                if m is not None and resolved.get(id(m)):
                    return resolved[id(m)]
            if after is not None or before is not None:  # "responde su madre": someone we cannot name answers
                return self.ctx.next_speaker() or subject or self.last("", [])
            return subject or self.last_subject() or self.last("", [])  # "«¿Alcanza?», pregunta." — its subject
        if subject and has_letter(action):
            return subject  # "Tito sonríe: «Hola.»"
        return self.narrated or self.ctx.next_speaker() or self.last("", [])

    def conversation(self, speaker: str, who: list[str], moved: bool) -> list[str]:
        """The speaker first, and whom they speak to in the shot when nobody else is."""
        ctx = self.ctx
        who = ([speaker] if speaker else []) + [n for n in who if n != speaker]
        listener = max((n for n in ctx.present if n != speaker), key=self.recency, default="")
        if len(who) == 1 and listener and not moved:
            who.append(listener)
        ctx.last_speaker = speaker
        ctx.last_listener = next((n for n in who if n != speaker), listener) or ctx.last_listener
        ctx.paragraph_lines += 1
        return who

    # -- place -------------------------------------------------------------------------------------

    def place(self, s: Sentence, past: int | None) -> tuple[bool, bool]:
        """Update the scene's place from the sentence: (it changed, it is a room or spot of the same building)."""
        found = find_places(s, self.people, self.lex, past)
        if not found or (found[0].kind == "named" and self.ctx.location and not found[0].moving):
            return False, False  # a city named in passing does not move a scene already placed
        first = found[0]
        label, nested = first.label, False
        if first.building:
            nested = first.building.casefold() == self.building.casefold()
            self.building = first.building
        elif first.kind in ("room", "spot") and self.building:
            label, nested = f"{self.building} - {first.head}", True
        else:
            self.building = label if first.kind == "building" else ""
            room = next((p for p in found[1:] if p.kind in ("room", "spot") and not p.building), None)
            if self.building and room is not None:
                label = f"{label} - {room.head}"
        if label.casefold() == self.ctx.location.casefold():
            return False, False
        self.ctx.location = label
        self.ctx.interior = "EXT" if first.kind in ("outdoors", "named") else "INT"
        return True, nested


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:]
