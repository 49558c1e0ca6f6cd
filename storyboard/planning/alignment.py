"""Matching a plan against gold annotations: names, beats and dialogue lines.

The definitions are those of the team's planner scorer (see `scoring.py` for the metrics):

* names are compared in a normalised form (case, accents, punctuation, a leading article, a leading title
  such as Mr./Dr./Captain stripped);
* a beat runs from its `start` anchor (searched after the previous anchor) to the next beat's anchor;
* predicted scenes are aligned to beats through difflib's matcher over words: every source word carries its
  beat's index, and a scene takes the beat most of its matched words carry (plus any beat holding >= 30%
  and >= 2 of them);
* gold dialogue lines are looked up among the predicted lines, in order, by word overlap.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

from ..project import Scene

# word lists read best as text
ARTICLES = set("the a an el la los las le les l un une una uno der die das".split())  # noqa: SIM905
TITLES = set(
    """mr mrs ms miss dr doctor lady lord sir captain capt commander cmdr professor prof detective officer madame
    mme monsieur don dona senor senora sr sra director""".split()  # noqa: SIM905
)
STOP = set(
    """the a an and or but of to in on at by for with from into onto up down out over as is are was were be been
    it its he she him her his hers they them their i me my we us our you your this that these those there then
    so not no if when while than too very just el la los las de del y que en un una se su al lo le les des du et
    est il elle ils elles au aux sur dans pour par pas ne""".split()  # noqa: SIM905
)
SYNTHETIC_BEFORE = re.compile(r"^(Establishing|Wide):")  # planner-added shots that open a beat
SYNTHETIC_AFTER = re.compile(r"^(Close on .*: reaction\.|Close detail\.)$")  # … and those that close one
LINE_WINDOW = 10  # a gold line is looked for among the next 10 predicted lines


# -- words and names -----------------------------------------------------------------------------


def fold(text: str) -> str:
    """Case- and accent-insensitive form."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def name_variants(name: str) -> list[str]:
    """The normalised name, and the same without leading titles ("dr jane ode" → "jane ode")."""
    text = re.sub(r"'s\b", "", fold(name).replace("\u2019", "'"))
    tokens = re.sub(r"[^\w\s]", " ", text).split()
    while len(tokens) > 1 and tokens[0] in ARTICLES:
        tokens = tokens[1:]
    full = " ".join(tokens)
    while len(tokens) > 1 and tokens[0] in TITLES:
        tokens = tokens[1:]
    return list(dict.fromkeys([full, " ".join(tokens)]))


class Entities:
    """The alias table of one gold text: cast members, neutral entities and groups ("group:0")."""

    def __init__(self, gold: dict):
        self.cast = [c["name"] for c in gold["cast"]]
        self.neutral = [c["name"] for c in gold.get("neutral", [])]
        self.groups: dict[str, list[str]] = {}
        self.table: dict[str, str] = {}
        for kind in ("cast", "neutral"):
            for entity in gold.get(kind, []):
                for alias in [entity["name"], *entity.get("aliases", [])]:
                    for variant in name_variants(alias):
                        self.table.setdefault(variant, entity["name"])
        for i, group in enumerate(gold.get("groups", [])):
            key = f"group:{i}"
            self.groups[key] = group["members"]
            for alias in group["aliases"]:
                for variant in name_variants(alias):
                    self.table.setdefault(variant, key)

    def lookup(self, name: str) -> str | None:
        """The canonical name (or group key) a predicted name stands for, or None."""
        return next((self.table[v] for v in name_variants(name) if v in self.table), None)

    def known(self, name: str) -> bool:
        return name in self.cast or name in self.neutral

    def shown(self, scene: Scene) -> set[str]:
        """The gold entities a scene shows: groups expanded, unknown names kept as "?name"."""
        out: set[str] = set()
        for name in scene.characters:
            entity = self.lookup(name)
            if entity is None:
                out.add(f"?{name}")
            else:
                out.update(self.groups.get(entity, [entity]))
        return out


# -- beats ---------------------------------------------------------------------------------------


def beat_spans(source: str, beats: list[dict]) -> list[tuple[int, int]]:
    """(start, end) character offsets of each beat; ValueError when an anchor is not found in order."""
    starts, pos = [], 0
    for beat in beats:
        at = source.find(beat["start"], pos)
        if at < 0:
            raise ValueError(f"anchor not found in order: {beat['start']!r}")
        starts.append(at)
        pos = at + len(beat["start"])
    return list(zip(starts, starts[1:] + [len(source)]))


def labelled_words(source: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[int]]:
    """The source's words and, for each, the index of its beat (-1 before the first anchor)."""
    first = spans[0][0] if spans else len(source)
    tokens = words(source[:first])
    labels = [-1] * len(tokens)
    for i, (a, b) in enumerate(spans):
        span_words = words(source[a:b])
        tokens += span_words
        labels += [i] * len(span_words)
    return tokens, labels


def synthetic_kind(scene: Scene) -> str:
    """ "before" for a planner-added opening shot, "after" for an added reaction/detail, else ""."""
    if scene.dialogue:
        return ""
    if SYNTHETIC_BEFORE.match(scene.action or ""):
        return "before"
    return "after" if SYNTHETIC_AFTER.match(scene.action or "") else ""


def align_scenes(source: str, spans: list[tuple[int, int]], scenes: list[Scene]) -> list[set[int]]:
    """For each predicted scene, the set of gold beat indices it covers (empty: none)."""
    # 1. every predicted word knows its scene; synthetic shots give no words
    synthetic = [synthetic_kind(scene) for scene in scenes]
    pred, owner = [], []
    for k, scene in enumerate(scenes):
        if synthetic[k]:
            continue
        tokens = words(scene.action or "") + [t for line in scene.dialogue for t in words(line.text)]
        pred += tokens
        owner += [k] * len(tokens)
    # 2. matched words vote for their source beat (lone stop words do not)
    src, labels = labelled_words(source, spans)
    votes = [Counter() for _ in scenes]
    for block in SequenceMatcher(None, pred, src, autojunk=False).get_matching_blocks():
        for d in range(block.size):
            if block.size == 1 and pred[block.a + d] in STOP:
                continue
            votes[owner[block.a + d]][labels[block.b + d]] += 1
    # 3. the main beat and any beat holding >= 30% (and >= 2) of the votes
    main: list[int | None] = [None] * len(scenes)
    covered: list[set[int]] = [set() for _ in scenes]
    for k, vote in enumerate(votes):
        if synthetic[k] or not vote:
            continue
        label = vote.most_common(1)[0][0]
        total = sum(vote.values())
        main[k] = label
        covered[k] = {lab for lab, n in vote.items() if lab >= 0 and (lab == label or (n >= 2 and n >= 0.3 * total))}
    # 4. opening shots take the next scene's beat; any other scene without votes its predecessor's
    for k in range(len(scenes)):
        if main[k] is None and synthetic[k] == "before":
            main[k] = next((main[j] for j in range(k + 1, len(scenes)) if main[j] is not None), None)
            covered[k] = _only(main[k])
    for k in range(len(scenes)):
        if main[k] is None:
            before = (main[j] for j in range(k - 1, -1, -1) if main[j] is not None)
            after = (main[j] for j in range(k + 1, len(scenes)) if main[j] is not None)
            main[k] = next(before, None)
            if main[k] is None:
                main[k] = next(after, None)
            covered[k] = _only(main[k])
    return covered


def _only(label: int | None) -> set[int]:
    return {label} if label is not None and label >= 0 else set()


def f1(pred: set, gold: set) -> float:
    """F1 of two sets; both empty = 1."""
    if not pred and not gold:
        return 1.0
    tp = len(pred & gold)
    if tp == 0:
        return 0.0
    p, r = tp / len(pred), tp / len(gold)
    return 2 * p * r / (p + r)


def place_ok(value: str, accepted: list[str]) -> bool:
    """The location contains one of the accepted words (as text, case- and accent-insensitive)."""
    have = " ".join(words(value))
    return any(" ".join(words(a)) in have for a in accepted if words(a))


def time_ok(value: str, accepted: list[str]) -> bool:
    """The time of day is, or contains as a word, one of the accepted ones."""
    have = fold(value).upper() if value else ""
    return bool(have) and any(a.upper() == have or a.upper() in have.split() for a in accepted)


# -- dialogue ------------------------------------------------------------------------------------


def match_lines(gold_lines: list[tuple[str, str]], pred_lines: list[tuple[str, str]], entities: Entities):
    """For each gold (speaker, text): (found, correct, the predicted speaker or None)."""
    results, cursor = [], 0
    pred_words = [Counter(words(text)) for _, text in pred_lines]
    for speaker, text in gold_lines:
        gold = Counter(words(text))
        size = sum(gold.values()) or 1
        # 1. the first line within the window that covers >= 60% of the gold words or lies >= 80% inside it
        best = None
        for j in range(cursor, min(len(pred_lines), cursor + LINE_WINDOW)):
            overlap = sum((gold & pred_words[j]).values())
            inside = overlap >= 0.8 * (sum(pred_words[j].values()) or 1) and overlap >= min(2, size)
            if overlap and (overlap >= 0.6 * size or inside):
                best = j
                break
        if best is None:
            results.append((False, False, None))
            continue
        # 2. join the following lines that lie inside it (a line split at "she said")
        parts, joined = [best], Counter(pred_words[best])
        j = best + 1
        while sum((gold & joined).values()) < 0.9 * size and j < len(pred_lines):
            overlap = sum((gold & pred_words[j]).values())
            if not overlap or overlap < 0.8 * (sum(pred_words[j].values()) or 1):
                break
            parts.append(j)
            joined += pred_words[j]
            j += 1
        # 3. found when the joined lines cover half the gold words; the speaker is the word-weighted one
        found = sum((gold & joined).values()) >= 0.5 * size
        weight = Counter()
        for j in parts:
            weight[pred_lines[j][0]] += sum((gold & pred_words[j]).values())
        got = weight.most_common(1)[0][0]
        results.append((found, found and entities.lookup(got) == speaker, got))
        cursor = parts[-1] + 1
    return results
