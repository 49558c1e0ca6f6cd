"""Sentences, quotations and words for the rule-based reader.

1. Paragraphs: a line opening on dialogue is a paragraph of its own (a new turn), and so is each turn of
   dash dialogue (— Hola —dice ella—. ¿Vienes?), whose speech is rewritten into « » quotations, so every
   convention reaches the reader the same way: "…", “…”, «…», „…“, »…« and dashes.
2. A paragraph is cut into sentences at . ! ? … — never inside a quotation, never before a lower-case word
   (the attribution after a quoted question: «¿Vienes?», pregunta), never after a title's abbreviation.
3. A sentence is cut into tokens: words (hyphenated words whole, French elisions "l'", "qu'" apart,
   inverted pronouns "demande-t-elle" as verb and pronoun), numbers and marks; each token knows whether
   it lies inside a quotation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon_intl import Lexicon
from .reading import paragraphs

CLOSER = {"«": "»", "»": "«", "„": "“”", "“": "”", '"': '"', "‹": "›", "›": "‹"}
DASHES = "—–―"
_END = re.compile(r"[.!?…]+[»“”\"«›]?\s+")
_TOKEN = re.compile(
    r"(?i:\b(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’](?=[^\W\d_]))"  # French elision: l' qu' s'
    r"|[^\W\d_]+(?:[-‑'’][^\W\d_]+)*\.?"  # words, hyphenated and with apostrophes; a dot kept for now
    r"|\d+(?:[.,:h]\d+)*"
    r"|[^\s\w]"
)
_DIALOGUE_LINE = re.compile(r"\n(?=[ \t]*(?:[—–―«„“\"»]|- ))")  # a line opening on speech
_INVERTED = re.compile(r"^(.+?)-(?:t-)?(il|elle|ils|elles|on)$", re.IGNORECASE)


@dataclass
class Token:
    text: str
    start: int  # offset in the sentence
    quoted: bool

    @property
    def low(self) -> str:
        return self.text.casefold()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalpha()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() and not (len(self.text) > 1 and self.text.isupper())


@dataclass
class Sentence:
    text: str
    tokens: list[Token]
    quotes: list[str]  # the quotations in it, in order
    paragraph: int
    index: int  # position in the whole story
    spans: list[tuple[int, int]] = field(default_factory=list)  # where the quotations lie (marks included)
    offset: int = 0  # a clause: where its first token stands in the whole sentence
    continues: bool = False  # a clause after the first ("… y caminan hasta el puerto"): same subject

    @property
    def narration(self) -> str:
        """The sentence without its quotations."""
        out, last = [], 0
        for a, b in self.spans:
            out.append(self.text[last:a])
            last = b
        out.append(self.text[last:])
        text = " ".join("".join(out).split())
        return re.sub(r"\s+([,.!?;:])", r"\1", text).strip(" ,:;—–")


def story_paragraphs(text: str, lex: Lexicon) -> list[str]:
    """The story's paragraphs, and a paragraph of its own for each turn of dialogue: a line that opens on a
    quotation mark or a dash (even without a blank line before it), and each dash turn inside a paragraph."""
    out = []
    for piece in _DIALOGUE_LINE.split(text):
        for chunk in paragraphs(piece):
            out += dialogue_turns(chunk, lex)
    return out


def split_story(paragraphs: list[str], lex: Lexicon) -> list[Sentence]:
    """Every sentence of the story, in order."""
    out: list[Sentence] = []
    for p, paragraph in enumerate(paragraphs):
        spans = quote_spans(paragraph)
        for a, b in sentence_bounds(paragraph, spans, lex):
            text = paragraph[a:b].strip()
            if not text:
                continue
            lead = len(paragraph[a:b]) - len(paragraph[a:b].lstrip())
            inner = [(max(s, a + lead) - a - lead, min(e, b) - a - lead) for s, e in spans if s < b and e > a]
            quotes = [_quote_text(text[s:e]) for s, e in inner]
            out.append(Sentence(text, tokenize(text, inner, lex), [q for q in quotes if q], p, len(out), inner))
    return out


def _quote_text(marked: str) -> str:
    return marked.strip().strip("".join(CLOSER) + "".join(CLOSER.values())).strip().rstrip(",").strip()


# -- quotations ------------------------------------------------------------------------------------


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, marks included; one left open runs to the end of the paragraph."""
    spans, i = [], 0
    while i < len(text):
        closers = CLOSER.get(text[i])
        if closers is None:
            i += 1
            continue
        ends = [j for j in (text.find(c, i + 1) for c in closers) if j >= 0]
        if ends:
            spans.append((i, min(ends) + 1))
            i = min(ends) + 1
        elif text[i] in "«„“\"":
            spans.append((i, len(text)))
            break
        else:
            i += 1
    return spans


def dialogue_turns(paragraph: str, lex: Lexicon) -> list[str]:
    """A paragraph cut at each dash that opens a turn of dialogue (at its start, or after a sentence end,
    before a capital): the narration before the first turn, then one piece per turn, its speech in « »."""
    starts = [i for i, ch in enumerate(paragraph) if ch in DASHES + "-" and _opens_turn(paragraph, i)]
    if not starts:
        return [paragraph]
    pieces = [paragraph[: starts[0]]] + [paragraph[a + 1 : b] for a, b in zip(starts, starts[1:] + [len(paragraph)])]
    turns = [pieces[0].strip()]
    for a, piece in zip(starts, pieces[1:]):
        if paragraph[:a].rstrip().endswith(":"):  # "Tito dice: —Hola.": the speech goes with its announcement
            turns[-1] = f"{turns[-1]} {_turn(piece, lex)}"
        else:
            turns.append(_turn(piece, lex))
    return [t for t in turns if re.search(r"[^\W\d_]", t)]


def _opens_turn(text: str, i: int) -> bool:
    before, after = text[:i].rstrip(), text[i + 1 :]
    if text[i] == "-" and not after.startswith(" "):
        return False  # a hyphen, not a dash
    after = after.lstrip()
    return (not before or before[-1] in ".!?…:»”\"") and bool(after) and (after[0].isupper() or after[0] in "¿¡«")


def _turn(body: str, lex: Lexicon) -> str:
    """One turn: Spanish marks the narrator's words between dashes (¿Vienes? —pregunta Tito—. Ya.); French
    runs the attribution on after a comma or a question (Tu viens ? demande-t-elle.)."""
    parts = re.split(rf"\s*[{DASHES}]\s*", body.strip())
    out: list[str] = []
    for k, part in enumerate(parts):
        part = part.strip()
        lead = re.match(r"^[.,;:]+", part) if k % 2 == 0 and out else None
        if lead:  # "—pregunta Tito—. Va a llover": the mark ends the attribution
            out[-1], part = out[-1] + lead.group(), part[lead.end() :].strip()
        if part:
            out.append(_speech_with_attribution(part, lex) if k % 2 == 0 else part)
    return " ".join(out)


def _speech_with_attribution(part: str, lex: Lexicon) -> str:
    """ "Tu viens ? demande-t-elle. Oui." → « Tu viens ? » demande-t-elle. « Oui. » """
    for match in re.finditer(r"(?<=[,?!…])\s+([^\W\d_]+(?:-t)?(?:-[^\W\d_]+)?)", part):
        verb = re.split(r"-", match.group(1))[0]
        if verb[:1].islower() and lex.is_speech_verb(verb):
            stop = re.search(r"[.,;!?…]", part[match.end() :])
            end = match.end() + (stop.end() if stop else len(part) - match.end())
            said, tag, rest = part[: match.start()].rstrip(" ,"), part[match.start() : end].strip(), part[end:]
            rest = f" «{rest.strip()}»" if re.search(r"[^\W\d_]", rest) else ""
            return f"«{said}» {tag}{rest}"
    return f"«{part}»" if re.search(r"[^\W\d_]", part) else ""


# -- sentences -------------------------------------------------------------------------------------


def sentence_bounds(text: str, spans: list[tuple[int, int]], lex: Lexicon) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in _END.finditer(text):
        mark = match.end() - len(match.group()) + len(match.group().rstrip())  # after the marks
        if _inside(mark - 1, spans) and not any(e == mark for _, e in spans):
            continue
        follow = text[match.end() : match.end() + 1]
        if not follow or follow.islower() or _abbreviation(text[:match.start() + 1], lex):
            continue
        bounds.append((start, match.end()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < pos < b - 1 for a, b in spans)


def _abbreviation(before: str, lex: Lexicon) -> bool:
    """ "Sr." "Dr." "M." or a single initial ends no sentence."""
    word = before.split()[-1] if before.split() else ""
    return word.endswith(".") and (len(word) == 2 and word[0].isupper() or word.casefold() in lex.titles)


# -- clauses -------------------------------------------------------------------------------------


def split_clauses(s: Sentence, lex: Lexicon, names: set[int]) -> list[Sentence]:
    """A sentence without quotations cut at ";" and before "y/et/und" that opens a clause: a verb, a pronoun
    or a name (a token index in `names`) follows. Each piece keeps at least three words."""
    if s.quotes:
        return [s]
    toks, cuts = s.tokens, []
    for k, tok in enumerate(toks[:-1]):
        if tok.text == ";" or (tok.low in lex.conjunctions and _opens_clause(toks, k + 1, lex, names)):
            cuts.append(k)
    pieces, begin = [], 0
    for cut in cuts:
        if _words(toks[begin:cut]) >= 3 and _words(toks[cut + 1 :]) >= 3:
            pieces.append((begin, cut))
            begin = cut + 1
    pieces.append((begin, len(toks)))
    return [s] if len(pieces) == 1 else [_clause(s, a, b) for a, b in pieces]


def _opens_clause(toks: list[Token], j: int, lex: Lexicon, names: set[int]) -> bool:
    tok = toks[j]
    if j in names or tok.low in lex.subject_pronouns or (tok.low in lex.clitics and tok.low not in lex.articles):
        return True  # "y se marcha", "et il vend", "et Karim lui fait signe"; not "et l'accordeur"
    return tok.is_word and tok.text[:1].islower() and not lex.known_word(tok.text) and not lex.place_kind(tok.text)


def _words(toks: list[Token]) -> int:
    return sum(t.is_word for t in toks)


def _clause(s: Sentence, a: int, b: int) -> Sentence:
    toks = [t for t in s.tokens[a:b]]
    while toks and toks[-1].text == ",":
        toks.pop()
    c0, c1 = toks[0].start, toks[-1].start + len(toks[-1].text)
    tokens = [Token(t.text, t.start - c0, t.quoted) for t in toks]
    return Sentence(s.text[c0:c1], tokens, [], s.paragraph, s.index, offset=s.offset + a, continues=a > 0)


# -- tokens ----------------------------------------------------------------------------------------


def tokenize(text: str, spans: list[tuple[int, int]], lex: Lexicon) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word, start = match.group(), match.start()
        quoted = any(a <= start < b for a, b in spans)
        dot = word.endswith(".") and word.casefold() not in lex.titles and not (len(word) == 2 and word[0].isupper())
        word = word[:-1] if dot and len(word) > 1 else word  # "Sr." and "M." stay whole, a sentence end does not
        inverted = _INVERTED.match(word)
        if inverted and word[:1].islower():
            tokens.append(Token(inverted.group(1), start, quoted))
            tokens.append(Token(inverted.group(2), start + len(word) - len(inverted.group(2)), quoted))
        else:
            tokens.append(Token(word, start, quoted))
        if dot and len(match.group()) > 1:
            tokens.append(Token(".", start + len(word), quoted))
    return tokens
