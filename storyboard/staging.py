"""Scene text → staging: what each character is doing, what they hold, where it happens and in what weather.

The layout reads this to pose its figures and dress the set. It is plain word
matching over the scene's action (fast and deterministic; no model): a pose
verb belongs to the character named nearest before it in its sentence, or to
the one last named ("she", "he", "it"). Body positions outrank gestures, so
"Harriet kneels and points" kneels. A prop after a holding verb, or after
"with", goes in that character's hand. A character's silhouette comes from
their description: "a small girl" is a child, "an old sheepdog" a dog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .planning.lexicon import forms, words
from .poses import Build
from .project import Character, Project, Scene

# pose → the verbs (base forms) and fixed phrases that call for it, strongest first
POSE_WORDS: dict[str, tuple[str, ...]] = {
    "lie": ("lie", "lay", "lying", "sleep", "slept", "asleep", "dead", "sprawl", "unconscious", "lain", "nap"),
    "fall": ("fall", "fell", "fallen", "trip", "stumble", "collapse", "tumble", "slip", "topple", "faint"),
    "kneel": ("kneel", "knelt"),
    "crouch": ("crouch", "squat", "duck", "cower", "huddle", "hunch"),
    "sit": ("sit", "sat", "seat", "seated", "perch"),
    "climb": ("climb", "clamber", "scale", "ascend", "scramble"),
    "run": ("run", "ran", "rush", "dash", "sprint", "race", "flee", "fled", "chase", "hurry", "bolt", "charge",
            "escape", "gallop"),
    "fight": ("fight", "fought", "punch", "hit", "strike", "struck", "struggle", "wrestle", "attack", "slap", "kick",
              "shove", "push", "grapple", "brawl"),
    "hug": ("hug", "embrace", "cling", "clung", "cuddle"),
    "walk": ("walk", "stroll", "wander", "step", "stride", "strode", "pace", "approach", "enter", "march", "limp",
             "stagger", "trudge", "follow", "cross", "amble", "creep", "crept", "sneak", "pursue", "stalk"),
    "point": ("point", "gesture", "indicate", "wave", "beckon", "signal"),
    "reach": ("reach", "grab", "grasp", "snatch", "pick", "take", "took", "seize", "lift"),
    "hold": ("hold", "held", "carry", "clutch", "grip", "hand", "give", "gave", "offer", "raise", "show",
             "brandish", "read", "check", "pocket"),
    "slump": ("slump", "sag", "sank", "droop"),
    "look up": ("look up", "looks up", "looked up", "looking up", "gaze up", "gazes up", "stare up", "stares up",
                "glance up", "glances up"),
    "look down": ("look down", "looks down", "looked down", "looking down", "bow", "glance down", "glances down",
                  "stare down", "stares down", "gaze down"),
}
PRIORITY = ("lie", "fall", "kneel", "crouch", "sit", "climb", "run", "fight", "hug", "walk", "point", "reach", "hold",
            "slump", "look up", "look down")
HOLDING = frozenset(("hold", "reach"))  # a prop after these goes in the hand
MOVING = frozenset(("walk", "run"))
TRAIL = frozenset(("chase", "follow", "pursue", "tail", "stalk", "hunt"))
WITH = frozenset(("with", "holding", "carrying", "clutching", "gripping", "brandishing"))

SET_WORDS: dict[str, tuple[str, ...]] = {
    "door": ("door", "doorway", "entrance", "hallway", "corridor"),
    "window": ("window", "windowsill", "curtain"),
    "table": ("table", "desk", "counter", "kitchen", "dining", "cafe", "diner", "restaurant", "office"),
    "bed": ("bed", "bedroom", "bedside", "hospital"),
    "fireplace": ("fireplace", "hearth", "cottage", "cabin"),
    "stairs": ("stairs", "staircase", "stair", "steps", "stairwell", "landing"),
    "trees": ("tree", "forest", "wood", "woods", "orchard", "park", "garden", "jungle", "grove"),
    "street": ("street", "road", "alley", "avenue", "lane", "town", "city", "sidewalk", "pavement", "square"),
    "sea": ("sea", "ocean", "harbour", "harbor", "beach", "shore", "pier", "bay", "coast", "dock", "quay", "lake"),
    "car": ("car", "taxi", "cab", "truck", "van"),
}
MAX_PIECES = 3
NIGHT_WORDS = frozenset(("night", "midnight", "evening", "dusk", "moonlight", "moonlit", "nighttime", "darkness"))
WEATHER_WORDS: dict[str, tuple[str, ...]] = {
    "rain": ("rain", "rains", "raining", "rainy", "rained", "downpour", "drizzle", "storm", "stormy", "rainstorm",
             "thunderstorm", "raindrops"),
    "snow": ("snow", "snows", "snowing", "snowy", "blizzard", "snowfall", "snowflakes", "sleet"),
    "fog": ("fog", "foggy", "mist", "misty", "haze", "hazy", "smog"),
}

# description words → build
ANIMALS = {"dog": ("dog", "puppy", "hound", "sheepdog", "terrier", "retriever", "spaniel", "collie", "mutt", "wolf"),
           "cat": ("cat", "kitten", "tomcat"),
           "horse": ("horse", "pony", "mare", "stallion", "foal", "mule", "donkey"),
           "bird": ("bird", "parrot", "crow", "raven", "owl", "pigeon", "gull", "seagull", "hawk", "eagle")}
CHILD = ("child", "kid", "boy", "girl", "toddler", "baby", "infant", "schoolgirl", "schoolboy", "youngster")
FEMALE = ("woman", "girl", "she", "her", "lady", "mother", "daughter", "sister", "wife", "grandmother", "aunt",
          "queen", "actress", "waitress", "nun")
LONG_HAIR = ("long hair", "long-haired", "ponytail", "braid", "braids", "pigtails", "curls", "mane", "bun")
SHORT_HAIR = ("short hair", "crew cut", "cropped", "buzz cut", "short-haired")
BALD = ("bald", "shaved head", "shaven head", "hairless")
HATS = ("hat", "cap", "beanie", "fedora", "helmet", "hood", "hooded", "bonnet", "beret", "bowler", "stetson", "turban")
COATS = ("coat", "trench", "raincoat", "overcoat", "cloak", "parka", "greatcoat", "robe", "gown", "cape", "mac")
GLASSES = ("glasses", "spectacles", "specs", "sunglasses", "monocle", "bespectacled")
BEARD = ("beard", "bearded", "moustache", "mustache", "stubble", "goatee", "whiskers")
_AGE = re.compile(r"\b(\d{1,2})[- ]year[- ]old\b|\baged? (\d{1,2})\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?;]+[.!?;]*")
_PRONOUN = frozenset(("he", "she", "it", "they", "him", "her"))


@dataclass
class Staging:
    poses: dict[str, str] = field(default_factory=dict)  # character → pose (absent: stand)
    holds: dict[str, str] = field(default_factory=dict)  # character → prop in hand
    props: list[str] = field(default_factory=list)  # props named in the action, first first
    trailing: set[str] = field(default_factory=set)  # who chases or follows (behind the others as they move)
    set_pieces: list[str] = field(default_factory=list)
    night: bool = False
    weather: str = ""


def _has(text: str, phrases) -> bool:
    low = f" {text.lower()} "
    return any(re.search(rf"\b{re.escape(p)}\b", low) for p in phrases)


def _word_hits(tokens: list[str], vocab: tuple[str, ...]) -> list[int]:
    """Token positions whose word (or a base form of it) is in `vocab`; phrases of two words match in sequence."""
    singles = frozenset(v for v in vocab if " " not in v)
    pairs = [tuple(v.split()) for v in vocab if " " in v]
    hits = [i for i, t in enumerate(tokens) if not forms(t).isdisjoint(singles)]
    for a, b in pairs:
        hits += [i for i in range(len(tokens) - 1) if tokens[i].lower() == a and tokens[i + 1].lower() == b]
    return sorted(set(hits))


def _mentions(tokens: list[str], cast: list[str]) -> list[tuple[int, str]]:
    """(position, character) for each name (or first name) in the tokens, and pronouns as "?"."""
    first_names = {name.split()[0].lower(): name for name in cast if name.split()}
    found = []
    for i, token in enumerate(tokens):
        low = token.lower().removesuffix("'s").removesuffix("’s")
        if low in first_names:
            found.append((i, first_names[low]))
        elif low in _PRONOUN:
            found.append((i, "?"))
    return found


def read_staging(scene: Scene, project: Project, cast: list[str]) -> Staging:
    """What the scene's text says about the figures `cast` in frame, the set and the weather."""
    from .render.props import find_prop, find_props

    staging = Staging()
    action = scene.action or ""
    found: dict[str, list[str]] = {}
    last = cast[0] if len(cast) == 1 else ""
    for sentence in _SENTENCE.findall(action):
        tokens = words(sentence)
        mentions = _mentions(tokens, cast)
        verbs = sorted((i, pose) for pose, vocab in POSE_WORDS.items() for i in _word_hits(tokens, vocab))
        for i, pose in verbs:
            before = [name for at, name in mentions if at < i]
            who = before[-1] if before else ""
            who = last if who in ("", "?") else who
            if not who:
                continue
            # "Mara and Tom run": both
            subjects = [who]
            if before and len(before) >= 2 and i >= 2 and tokens[i - 2].lower() == "and":
                subjects = [name for name in before[-2:] if name != "?"]
            for name in subjects:
                found.setdefault(name, []).append(pose)
                if not forms(tokens[i]).isdisjoint(TRAIL):
                    staging.trailing.add(name)
                if pose in HOLDING and name not in staging.holds:
                    prop = find_prop(" ".join(tokens[i + 1:]))
                    if prop:
                        staging.holds[name] = prop
            last = who
        named = [name for _, name in mentions if name != "?"]
        last = named[0] if named else last  # the sentence's subject, most often named first: "She" is next
        for k, (at, name) in enumerate(mentions):  # "Mara, with a lantern," / "Tom ... carrying a bag"
            end = min(mentions[k + 1][0] if k + 1 < len(mentions) else len(tokens), at + 10)
            for j in range(at + 1, end):
                if name != "?" and name not in staging.holds and tokens[j].lower() in WITH:
                    prop = find_prop(" ".join(tokens[j + 1:j + 4]))
                    if prop:
                        staging.holds[name] = prop
    for name, poses in found.items():
        staging.poses[name] = min(poses, key=PRIORITY.index)
    staging.props = find_props(action)
    place = " ".join((scene.heading, scene.location, scene.interior, scene.time_of_day))
    staging.set_pieces = set_pieces(place, action, scene.interior == "INT")
    everything = f"{place} {action} {scene.notes}"
    staging.night = not _has(f"{scene.time_of_day} {scene.heading}", ("day", "morning", "noon", "afternoon")) and (
        _has(f"{scene.time_of_day} {scene.heading}", NIGHT_WORDS) or _has(action, ("at night", "in the dark")))
    staging.weather = next((kind for kind, vocab in WEATHER_WORDS.items() if _has(everything, vocab)), "")
    if staging.weather == "fog" and _has(everything, ("misty-eyed", "mist of tears")):
        staging.weather = ""
    return staging


def set_pieces(place: str, action: str, interior: bool) -> list[str]:
    """Up to three set pieces: the place's first, then the action's. A car is a set only when the place is one
    (INT. CAR); in the action it is a prop. Outdoor pieces stay out of interiors and a bed out of exteriors."""
    outdoor, indoor = {"trees", "street", "sea"}, {"bed", "fireplace"}
    out: list[str] = []
    for text, allow_car in ((place, True), (action, False)):
        tokens = words(text)
        hits = sorted((min(_word_hits(tokens, vocab)), piece) for piece, vocab in SET_WORDS.items()
                      if _word_hits(tokens, vocab))
        for _, piece in hits:
            if piece == "car" and not allow_car:
                continue
            if (interior and piece in outdoor and text is action) or (not interior and piece in indoor):
                continue
            if piece not in out:
                out.append(piece)
    if "car" in out:  # inside a car nothing else of the room shows
        out = ["car"] + [p for p in out if p in ("street", "trees", "sea")][:1]
    return out[:MAX_PIECES]


def build_of(character: Character) -> Build:
    """A character's silhouette from their name and description ("a small girl", "old sheepdog", "in a hat")."""
    text = f"{character.name} {character.description}".lower()
    for kind, vocab in ANIMALS.items():
        if _has(text, vocab):
            return Build(kind=kind, height=1.0)
    age = _AGE.search(text)
    years = int(age.group(1) or age.group(2)) if age else None
    child = (years is not None and years < 13) or (years is None and _has(text, CHILD) and not _has(
        text, ("woman", "man", "grown")))
    teen = years is not None and 13 <= years < 16
    hair = "short"
    if _has(text, BALD):
        hair = "bald"
    elif _has(text, LONG_HAIR) or (_has(text, FEMALE) and not _has(text, SHORT_HAIR)):
        hair = "long"
    return Build(
        kind="person",
        height=0.65 if child else 0.9 if teen else 1.0,
        hair=hair,
        hat=_has(text, HATS),
        coat=_has(text, COATS),
        glasses=_has(text, GLASSES),
        beard=_has(text, BEARD) and not child,
    )
