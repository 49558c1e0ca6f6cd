"""Where a clause happens (English, spaCy parse): the scene's place, nested in the building it is part of.

A place is taken from what the characters do, not from every place word in the text:
1. a place phrase governed by the clause's verb ("runs up the stairs", "wakes in the recovery ward",
   "steps onto the bus") or opening the sentence ("London, 1805."; "In the kitchen, …");
   a phrase hanging off a noun ("a cottage by the mill", "a train into the city") is description;
2. never inside quotes, never in backstory (a past-tense verb in a present-tense story: "she grew up in …");
3. a spot inside a place (a door, a window, the fireplace) does not move the scene;
4. a room inside a building nests: manor → hall → library gives "Manor House - Library".
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .lexicon import CALENDAR, _set, base_is, in_vocab

# Buildings and compounds that hold rooms.
BUILDINGS = _set(
    """house home manor mansion palace castle cottage cabin hut farmhouse homestead lodge villa estate
    apartment flat penthouse tower lighthouse church chapel cathedral abbey monastery convent temple mosque
    synagogue shrine school college university academy hospital clinic infirmary asylum orphanage prison jail
    station airport terminal hotel motel inn hostel tavern saloon pub bar restaurant diner cafe bakery shop
    store supermarket mall market laundromat launderette salon barbershop bank museum gallery library theater
    theatre cinema studio warehouse factory mill plant workshop garage barn stable shed office headquarters
    precinct embassy courthouse stadium arena gym hall ship boat yacht ferry submarine spaceship starship
    base bunker observatory laboratory lab building block skyscraper tenement ranch fort fortress club nightclub
    bookshop bookstore boutique pharmacy chemist butcher bakehouse brewery distillery casino"""
)
# Rooms and parts of a building (nest inside the building the scene is in).
ROOMS = _set(
    """room kitchen bedroom bathroom hallway corridor attic basement cellar study library ballroom lounge
    parlour parlor salon foyer lobby vestibule landing nursery dormitory pantry scullery larder loft
    ward bay theatre icu reception office cubicle boardroom newsroom classroom staffroom cafeteria canteen
    gym locker changing dressing backstage stage auditorium wings chamber chambers courtroom cell vault crypt
    stairwell staircase stairs stairway elevator lift escalator hall deck hold galley cockpit cabin bridge
    shaft duct vent crawlspace sewer
    engine bunk airlock gallery chapel conservatory greenhouse workshop garage porch veranda balcony terrace
    rooftop roof patio courtyard yard garden backyard kitchenette den study toilet shower sauna bar
    aisle platform concourse"""
)
# Parts of a building that are outside it.
OPEN_AIR = _set("porch veranda balcony terrace rooftop roof patio courtyard yard garden backyard deck platform")
OUTDOORS = _set(
    """street road alley alleyway avenue lane highway motorway freeway bridge tunnel square plaza market
    park field meadow farm forest wood woods jungle desert mountain mountains hill hills valley cliff cliffs
    beach shore coast sea ocean lake river stream creek pond island cave canyon gorge ravine moor heath
    marsh swamp bog glacier tundra prairie plain plains mesa ridge summit peak slope pass trail path track
    city town village hamlet camp campsite harbor harbour port dock docks pier wharf quay jetty marina
    promenade boardwalk cemetery graveyard churchyard ruins orchard vineyard grove clearing glade riverbank
    bank waterfall volcano crater crossroads junction intersection sidewalk pavement car park parking lot
    driveway drive runway tarmac pitch court racetrack playground schoolyard fairground carnival zoo border
    frontier outskirts countryside wilderness sky space orbit surface planet moon"""
)
VEHICLES = _set(
    """car van truck lorry bus coach tram train subway metro carriage compartment cab taxi limo limousine
    ambulance jeep wagon stagecoach ferry boat canoe raft helicopter jet plane aircraft rocket shuttle
    capsule spaceship spacecraft starship submarine"""
)
# Spots inside a place: being at one does not change the scene's place.
SPOTS = _set(
    """door doors doorway window windows table chair bed sofa couch desk fireplace hearth corner wall
    floor ceiling counter sink stove oven bench seat throne mirror shelf shelves step steps threshold
    gate gates fence edge side top bottom foot middle centre center end back front bowl punch piano
    stretcher trolley screen machine bedside"""
)
PLACES = BUILDINGS | ROOMS | OUTDOORS | VEHICLES
# Words that pick out a part of the place named after "of": "the top of the staircase".
PART_OF = _set("top bottom foot end edge middle centre center side corner back front far head length mouth "
                "entrance rest other door doors gate gates steps window")
TIME_NOUNS = frozenset(("time", "moment", "day", "night", "hour", "minute", "instant"))
LOCATION_PREPS = _set(
    """in at on by inside outside near into onto across through under beneath along toward towards to atop
    within behind beside up down over past around aboard off"""
)
ENTERING = _set("enter reach board approach arrive climb descend cross storm fill ride take catch")
# Verbs whose object is where the subject is: "unlocks the Tidewrack, a crooked bookshop", "searches the house",
# "walks the length of the hall", "Deep under the station lies the lost-property office".
BEING_IN = _set("unlock open run manage search explore patrol roam pace walk sweep lie")
OUTSIDE_PREPS = frozenset(("outside", "toward", "towards", "near", "by", "beside", "behind", "past", "around"))
PLACE_ENTS = frozenset(("GPE", "LOC", "FAC"))
NAMED_PLACE_PREPS = frozenset(("in", "into", "inside", "outside", "onto", "toward", "towards", "near", "across",
                               "through", "aboard"))
GOAL_PREPS = frozenset(("into", "onto", "inside", "to", "towards", "toward"))


@dataclass
class Place:
    label: str
    interior: str  # "INT" or "EXT"
    kind: str  # "building", "room", "outdoors", "vehicle", "named", "nested" (a room in its building)
    arrival: bool = False  # someone moves there ("rides into Redbank"), rather than being there
    still: bool = False  # someone is at it ("at the top of the staircase"), not moving along or into it


def kind_of(noun: str) -> str:
    noun = "".join(ch for ch in unicodedata.normalize("NFKD", noun) if not unicodedata.combining(ch))  # café
    for kind, vocab in (("room", ROOMS), ("building", BUILDINGS), ("vehicle", VEHICLES), ("outdoors", OUTDOORS)):
        if in_vocab(noun, vocab):
            return kind
    word = noun.casefold()
    for suffix, kind in COMPOUND_ENDS:  # "farmyard", "storeroom", "boathouse", "teashop"
        if word.endswith(suffix) and len(word) > len(suffix) + 2 and word.isalpha():
            return kind
    return ""


COMPOUND_ENDS = (("yard", "outdoors"), ("room", "room"), ("rooms", "room"), ("house", "building"),
                 ("shop", "building"), ("store", "building"))


def find_place(span, quoted: set[int], backstory) -> Place | None:
    """The place this clause moves the scene to, or None. `backstory(verb)` says a verb tells the past."""
    sent_start = span.sent.start if span.doc.has_annotation("SENT_START") else span.start
    quoted = quoted | told_after_colon(span)
    found: list[tuple[str, Place]] = []
    for tok in span:
        if tok.i in quoted:
            continue
        noun, prep = None, None
        if tok.dep_ in ("prep", "prt", "advmod", "conj") and tok.lower_ in LOCATION_PREPS and tok.pos_ != "VERB":
            noun, prep = next((c for c in tok.children if c.dep_ == "pobj"), None), tok.lower_
        elif tok.dep_ in ("dobj", "npadvmod", "conj") and tok.pos_ not in ("VERB", "AUX") and in_vocab(
                tok.head.text, ENTERING):
            noun, prep = tok, "to"
        elif tok.dep_ == "dobj" and tok.left_edge.i > span.start and misread_verb(before := tok.doc[
                tok.left_edge.i - 1]) and in_vocab(before.text, ENTERING):
            noun, prep = tok, "to"  # "slips out the back door and boards the last night bus" ("boards" as a noun)
        elif tok.dep_ == "dobj" and (in_vocab(tok.head.text, BEING_IN) and kind_of(_part_of(tok).text)
                                     or _apposed_kind(tok)):
            noun, prep = tok, "in"
        goal = prep in GOAL_PREPS and noun is not tok
        if noun is None:
            continue
        noun = _part_of(noun)
        if _described(noun):
            continue
        if not _governed_by_action(tok, sent_start) or backstory(tok.head):
            continue
        mover = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), tok.head)  # "fits the crown to …"
        if prep in ("to", "toward", "towards", "into", "onto") and noun is not tok and in_vocab(mover.text, SENDING):
            continue  # "fits the crown to Kenji's temples", "sends her maid to the library": the subject stays
        place = _place(noun, prep, approach=in_vocab(tok.head.text, ENTERING) or base_is(tok.head, "arrive"))
        if place is not None:
            place.arrival = goal or prep == "to"
            place.still = prep in STILL_PREPS and not in_vocab(tok.head.text, ENTERING)
            found.append((goal, place))
    if found:  # "crosses the hall into the library", "onto the tram … and into a carriage": where it ends
        place = next((p for goal, p in reversed(found) if goal), found[0][1])
        building = next((p for _, p in found if p.kind == "building"), None)
        if place.kind == "room" and building is not None:  # "crosses the flat to the bedroom"
            return Place(f"{building.label} - {place.label}", place.interior, "nested", place.arrival)
        return place
    for tok in span:  # "Deep under the station lies the lost-property office", "The stadium groans."
        if tok.i in quoted or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        misread = tok.dep_ == "compound" and tok.head.dep_ == "ROOT" and misread_verb(tok.head)  # "groans" a noun
        if not misread and tok.dep_ not in ("nsubj", "attr"):
            continue
        verb = tok.head
        if tok.lower_ in GENERIC:
            tok = _what_it_is(tok)  # "The building is one of those old tenements"
            if tok is None:
                continue  # "The room erupts": the room the scene is already in
        kind = _subject_kind(tok)
        if kind and not in_vocab(tok.text, SPOTS) and not backstory(verb) and (misread or _main_clause(verb)):
            inside = kind == "room" and not in_vocab(tok.text, OPEN_AIR)
            return Place(phrase(tok), "INT" if inside else "EXT", kind)
    first = span[0] if len(span) else None
    root = span.sent.root
    fragment = first is not None and not any(t.pos_ in ("VERB", "AUX") for t in span.sent) and len(span.sent) <= 8 \
        and not (root.tag_ == "NNS" and root.text.islower())  # "Tom climbs after her.", "climbs" taken for a noun
    if fragment and first.i == sent_start and first.pos_ == "PROPN" and first.i not in quoted and \
            first.lower_ not in CALENDAR:
        return Place(" ".join(t.text for t in name_of(first, span)), "EXT", "named")  # "London, 1805."
    return None


PERCEIVING = _set("watch see hear notice observe spot glimpse imagine picture")
GENERIC = frozenset(("room", "place", "building", "area", "space", "house", "home"))


def _subject_kind(tok) -> str:
    """What kind of place a subject is: "the stadium", or by its words, "the car ferry Saint Columba",
    "Courtroom 4B"."""
    kind = kind_of(tok.text)
    if not kind and (tok.pos_ == "PROPN" or not tok.is_alpha):
        kind = _child_kind(tok, "compound")
    return kind


def _child_kind(tok, dep: str, only: str = "") -> str:
    """The kind of place the first `dep` child of `tok` names ("the Tidewrack, a crooked bookshop": building);
    with `only`, that kind or nothing."""
    kinds = (kind_of(c.text) for c in tok.children if c.dep_ == dep)
    return next((kind for kind in kinds if kind and (not only or kind == only)), "")


THROUGH = frozenset(("through", "across", "past", "along", "down", "up", "out", "from", "via"))
SENDING = _set("fit press hand give pass raise hold tape tie pin attach clip strap show send post mail throw toss")
STILL_PREPS = frozenset(("at", "on", "by", "beside", "near", "behind", "in"))
PASSAGES = _set("stairs staircase stairway stairwell steps corridor hallway")


def passing_through(label: str) -> bool:
    """A staircase or a corridor: being at one is being in the place it belongs to (moving up it is not)."""
    words = label.split()
    return bool(words) and in_vocab(words[-1], PASSAGES)


def misread_verb(tok) -> bool:
    """A verb the small model tags as a plural noun: "boards the bus", "The stadium groans."."""
    return tok.tag_ == "NNS" and tok.text.islower() and tok.dep_ in ("ROOT", "conj")


def _what_it_is(tok):
    """ "The building is one of those old tenements": the place a generic subject is said to be."""
    verb = tok.head
    attr = next((c for c in verb.children if c.dep_ == "attr"), None) if base_is(verb, "be") else None
    if attr is not None and attr.lower_ == "one":
        of = next((c for c in attr.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        attr = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return attr if attr is not None and kind_of(attr.text) else None


def _apposed_kind(tok) -> str:
    """The kind of place a name is by the noun set beside it: "the Tidewrack, a crooked bookshop"."""
    if tok.pos_ != "PROPN" or tok.dep_ not in ("dobj", "pobj"):
        return ""
    return _child_kind(tok, "appos")


def _described(noun) -> bool:
    """A place seen in a memory, a photo, on a screen or a map is not where the scene is."""
    if noun.dep_ == "appos":  # "the memory: a grey beach"
        return in_vocab(noun.head.text, DESCRIBING)
    prep = noun.head  # "a photo of the beach", "the harbour on the screen"
    return noun.dep_ == "pobj" and prep.lower_ in ("of", "on") and in_vocab(prep.head.text, DESCRIBING)


TOLD = _set("news message letter note sign headline rumour rumor words report text telegram email voicemail")


def told_after_colon(span) -> set[int]:
    """ "flaps in with news: the girl is leaving on the evening train": what the news tells is not here."""
    for tok in span:
        if tok.text == ":" and tok.i > span.start and in_vocab(tok.doc[tok.i - 1].text, TOLD | DESCRIBING):
            return set(range(tok.i + 1, span.end))
    return set()


DESCRIBING = _set("memory photo photograph picture painting portrait screen monitor map dream postcard")


def name_of(first, span) -> list:
    """The proper nouns in a row from `first`: "New Orleans, 1927." → New Orleans."""
    out = [first]
    for tok in span[first.i - span.start + 1:]:
        if tok.pos_ != "PROPN":
            break
        out.append(tok)
    return out


def _main_clause(verb) -> bool:
    return verb.dep_ in ("ROOT", "conj") and (verbish(verb) or base_is(verb, "be"))


def _part_of(noun):
    """ "the top of the marble staircase" → staircase."""
    if in_vocab(noun.text, PART_OF):
        of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if obj is not None:
            return obj
    return noun


def _governed_by_action(prep, sent_start: int) -> bool:
    """The place phrase hangs off a verb (or opens the sentence), not off a noun it describes. Through one
    noun that is not a place ("starts her shift at the hospital", "runs beside the stretcher to the bay")."""
    if prep.dep_ in ("dobj", "npadvmod"):
        return True
    head = prep.head
    if head.pos_ in ("ADV", "ADP", "PART") and head.dep_ in ("advmod", "prt", "prep"):
        head = head.head  # "back out to the pitch", "up to the roof"
    if head.pos_ in ("NOUN", "PROPN", "PRON") and prep.i <= sent_start + 1:
        return True
    if prep.lower_ in ("into", "onto", "to", "inside") and kind_of(head.text) and head.dep_ == "pobj" and \
            head.head.lower_ in THROUGH:
        return _governed_by_action(head.head, sent_start)  # "leads him through the waiting room into the bay"
    if head.pos_ in ("NOUN", "PROPN") and not kind_of(head.text) and head.ent_type_ not in PLACE_ENTS:
        if head.dep_ in ("nsubj", "nsubjpass"):  # "the body in the library": where the subject is;
            return prep.lower_ != "from" and prep.lower_ not in GOAL_PREPS  # "the wire to the ridge" is not
        if head.dep_ in ("dobj", "pobj", "attr") and (verbish(head.head) or head.head.pos_ == "ADP"):
            head = head.head.head if head.head.pos_ == "ADP" else head.head
            if in_vocab(head.text, PERCEIVING):
                return False  # "they watch the barrels roll toward the creek": where what is seen goes
    if verbish(head):
        if head.dep_ in ("ccomp", "xcomp") and in_vocab(head.head.text, PERCEIVING):
            return False  # "they watch Mercer's men roll barrels toward the creek": the place of what is seen
        if head.dep_ in ("relcl", "acl") and head.head.lower_ in TIME_NOUNS:
            return True  # "by the time she starts her shift at the hospital"
        return head.dep_ not in ("relcl", "acl") or head.tag_ == "VBG"  # "a girl waiting at the gate" is here
    return False


def verbish(tok) -> bool:
    """A verb, or what the small model mistags as a noun while it heads the clause ("Kwame wakes" as NNS, "Nike
    trains at the club" with "Nike" as its modifier)."""
    return tok.pos_ in ("VERB", "AUX") or (tok.dep_ in ("ROOT", "conj") and any(
        c.dep_ == "nsubj" or (c.dep_ == "compound" and c.pos_ == "PROPN" and misread_verb(tok)) for c in tok.children))


def _place(noun, prep: str, approach: bool) -> Place | None:
    kind = kind_of(noun.text) or _apposed_kind(noun) or (_subject_kind(noun) if not noun.is_alpha else "") or (
        _child_kind(noun, "compound", only="outdoors") if in_vocab(noun.text, SPOTS) else "")  # "the harbour wall"
    # (only the open air: "the ambulance doors", "the car door" are spots of the place the scene is in)
    proper = noun.pos_ == "PROPN" and noun.text[:1].isupper() and noun.lower_ not in CALENDAR
    named = noun.ent_type_ in PLACE_ENTS or (noun.ent_type_ == "ORG" and noun.pos_ == "PROPN") or (
        proper and not noun.ent_type_ and (prep in NAMED_PLACE_PREPS or approach))  # "rides into Redbank"
    if not kind and not (named and noun.pos_ == "PROPN"):
        return None
    if in_vocab(noun.text, SPOTS) and kind not in ("room", "building", "outdoors", "vehicle"):
        return None
    label = phrase(noun)
    if not kind:
        return Place(label, "EXT", "named")
    inside = prep in ("in", "inside", "into", "within", "aboard", "through", "up", "down") or kind == "room"
    if kind == "outdoors" or prep in OUTSIDE_PREPS or (approach and prep in ("at", "to") and kind == "building"):
        inside = kind in ("room", "vehicle") and prep not in OUTSIDE_PREPS
    return Place(label, "INT" if inside and not in_vocab(noun.text, OPEN_AIR) else "EXT", kind)


def phrase(noun) -> str:
    """A place's own words: "the rain-soaked manor house" → "Rain-soaked manor house"; keeps a proper owner
    ("St. Brigid's Hospital"), drops articles, pronoun owners and numbers; adds an "of …" complement."""
    left = [t for t in noun.subtree if t.i < noun.i and t.i >= noun.left_edge.i]
    while left and (left[0].dep_ in ("det", "predet", "nummod", "punct", "case") or left[0].tag_ in ("PRP$", "WP$")):
        left = left[1:]
    left = [t for t in left if t.dep_ not in ("punct",) or t.text in ("-", "'")]
    words = as_written(left + [noun])
    if noun.pos_ == "PROPN":  # "the Lantern and Anchor": one name
        conj = next((c for c in noun.rights if c.dep_ == "conj" and c.pos_ == "PROPN"), None)
        if conj is not None and noun.doc[conj.i - 1].lower_ in ("and", "&"):
            words = as_written(left + list(noun.doc[noun.i : conj.i + 1]))
    of = next((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if obj is not None and (obj.pos_ == "PROPN" or kind_of(obj.text)):
        words += " of " + as_written([t for t in obj.subtree if t.dep_ not in ("det", "punct") and t.tag_ != "PRP$"])
    return words[:1].upper() + words[1:]


def as_written(tokens) -> str:
    """Tokens as written: "rain-soaked" stays one word, a gap where a token was dropped is one space."""
    out = ""
    for i, tok in enumerate(tokens):
        gap = i + 1 < len(tokens) and tokens[i + 1].i != tok.i + 1
        out += tok.text + (tok.whitespace_ or (" " if gap else ""))
    return " ".join(out.split())


def nest(current: str, current_kind: str, place: Place) -> str:
    """A room entered inside the current building is "Building - Room"; a new room of the same building
    keeps the building; anything else replaces the place."""
    if place.kind != "room" or not current:
        return place.label  # a building, the outdoors, a vehicle, or a room already in its building
    outer = current.split(" - ")[0]
    if current_kind == "room" and " - " not in current:
        return place.label  # one room to another, the building unknown
    if current_kind in ("building", "named", "room", "nested") and outer.casefold() != place.label.casefold():
        if current_kind == "named" and len(outer.split()) == 1:
            return place.label  # a city is not a building: "London" then "ballroom" is just the ballroom
        return f"{outer} - {place.label}"
    return place.label
