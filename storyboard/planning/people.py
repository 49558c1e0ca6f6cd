"""Who a clause puts on screen (English, spaCy parse): names and people by their role, found by syntax.

spaCy's entity labels are a hint, not the rule: a proper noun that does what people do (is the subject of
a verb, is named or called something, stands beside a role noun) is a person even when the model labels it
a place or an organisation; a proper noun after "into"/"at" or with a place word in it is a place.
1. proper-noun chains ("Dr. Oluwaseun Adeyemi", "Lord Ashby") in a person's position;
2. nicknames: "whom the crew calls Sparrow", "the staff calls her Seun", "a girl named Molly";
3. role nouns with an article: "a porter", "they find an old woman", "the nurse" (the same person
   as "Florence, the nurse" when one was introduced that way);
4. people only talked about — in a letter, a photo, a call, a memory, the story's past — are not on screen.
"""

from __future__ import annotations

from . import lexicon, places
from .cast import TITLES
from .lexicon import CALENDAR, _set, base_is, in_vocab

NOT_PERSON_ENTS = frozenset(
    ("DATE", "TIME", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "PERCENT", "NORP", "LANGUAGE", "LAW", "EVENT")
)
DOUBTFUL_ENTS = frozenset(("GPE", "LOC", "FAC", "ORG", "PRODUCT", "WORK_OF_ART"))
ROLE_NOUNS = lexicon.PERSON_NOUNS | _set(
    """paramedic porter nurse surgeon physician medic physio physiotherapist patient cook chef maid butler
    footman servant housekeeper gardener coachman driver chauffeur cabbie courier postman postwoman mailman
    bartender barman barmaid innkeeper landlord landlady shopkeeper grocer baker butcher tailor barber
    hairdresser cashier clerk receptionist secretary manager boss director producer actor actress singer
    dancer musician drummer guitarist painter artist writer poet reporter journalist photographer editor
    lawyer judge juror witness defendant prosecutor clerk sheriff marshal deputy ranger constable inspector
    sergeant lieutenant colonel general admiral commander private major corporal cadet recruit guard
    bodyguard janitor caretaker cleaner security engineer mechanic plumber electrician builder carpenter
    miner farmer rancher cowboy shepherd fisherman sailor captain pilot stewardess steward conductor
    passenger tourist traveller traveler stranger visitor guest host hostess neighbour neighbor friend
    girlfriend boyfriend husband wife widow widower bride groom fiance fiancee lover partner colleague
    coach trainer referee keeper goalkeeper striker player athlete runner boxer champion teammate
    headteacher headmaster headmistress principal teacher tutor professor student pupil schoolgirl
    schoolboy toddler infant teenager youth lad lass gentleman lady madam monk nun priest vicar preacher
    rabbi imam pastor bishop queen king prince princess duke duchess earl count countess baron knight
    squire lord emperor empress chief elder healer witch wizard sorcerer thief burglar robber smuggler
    pirate bandit outlaw gunman gunslinger killer murderer assassin spy agent detective officer cop
    soldier warrior archer hunter scout nomad beggar orphan twin twins grandmother grandfather grandma
    grandpa granny mum mom mother dad father son daughter brother sister aunt uncle cousin nephew niece
    baby boy girl man woman child kid teen crowd vendor merchant trader dealer banker accountant waiter
    waitress busboy dishwasher usher projectionist librarian scientist doctor dentist vet veterinarian
    astronaut cosmonaut navigator technician operator dispatcher hacker programmer intern resident deckhand
    farmhand stagehand lifeguard warden jailer gaoler bouncer valet concierge bellboy bellhop messenger herald
    servant apprentice blacksmith housekeeper shopkeeper storekeeper beekeeper zookeeper gatekeeper medic
    commis"""
)
IDENTITY_ADJECTIVES = _set("old young little elderly teenage tiny tall small big blind bearded grey gray")
MENTION_NOUNS = _set(
    """letter note photo photograph picture portrait painting call message voicemail text email memory
    story grave name news dream thought postcard telegram obituary diary journal voice"""
)
MENTION_VERBS = _set("remember recall miss mourn imagine think dream mention phone text email write")
NICKNAME_VERBS = _set("call name nickname dub know")


def find_people(span, ctx, quoted: set[int]) -> list[str]:
    """Characters on screen in the clause (in reading order), registering new ones in ctx.cast."""
    found: list[str] = []
    used: set[int] = set(quoted)
    for head, tokens in _name_chains(span, used):
        used.update(t.i for t in tokens)
        if not _is_person(head, tokens, ctx):
            continue
        description = describe(head, ctx)
        name = ctx.cast.add(places.as_written(tokens), description)
        if name is None:
            continue
        roles = _roles_around(head)
        ctx.cast.add_roles(name, roles)
        _same_as_role(name, description, head, ctx, roles)
        _nickname(head, name, ctx, used)
        if not only_mentioned(head, ctx):
            found.append(name)
    for tok in span:
        if tok.i in used or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        if tok.text[:1].isupper() and (known := ctx.cast.resolve(tok.text)):
            found.append(known)  # a known name the tagger took for a noun ("Tomasz groans")
            continue
        if not (in_vocab(tok.text, ROLE_NOUNS) or _man_or_woman(tok)):
            if tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.children) and (
                    known := ctx.cast.by_role(_singular(tok))) and not only_mentioned(tok, ctx):
                ctx.cast.mention(known)
                found.append(known)  # "the hyena", "the tortoise": who was introduced as one
            continue
        name = _role(tok, ctx)
        if name and not only_mentioned(tok, ctx):
            ctx.cast.mention(name)
            found.append(name)
    return list(dict.fromkeys(found))


def _name_chains(span, used: set[int]):
    """(head, tokens) of each proper-noun chain: "Captain Thomas Fairweather" is one chain headed by Fairweather."""
    for tok in span:
        if tok.i in used or not tok.text[:1].isupper() or not (tok.pos_ == "PROPN" or _name_as_noun(tok) or
                                                                _called(tok) or _titled(tok)):
            continue
        if tok.dep_ == "compound" and tok.head.pos_ == "PROPN" and tok.head.i in range(span.start, span.end) and any(
                ch.isalpha() for ch in tok.head.text):
            continue  # part of a longer name (not of an emoji the tagger took for one: "Zoë 🐉")
        left = {t.i for t in tok.subtree if t.i < tok.i and t.dep_ == "compound" and t.pos_ == "PROPN"}
        start = tok.i
        while start - 1 in left or (start - 2 in left and tok.doc[start - 1].tag_ == "HYPH"):
            start -= 1  # "Hassan Al-Amin": the hyphen is part of the name
        tokens = list(tok.doc[start : tok.i + 1])
        yield tok, [t for t in tokens if t.i not in used]


def _titled(tok) -> bool:
    """ "Fisi the hyena lay across it" with "Fisi" tagged a verb: a capitalised subject with an epithet."""
    return tok.is_alpha and tok.dep_ in ("nsubj", "nsubjpass", "npadvmod") and _epithet(tok) is not None


def _called(tok) -> bool:
    """ "a tall girl called Precious", "whom the battalion calls Tiny": a capitalised word given as a name, whatever
    the tagger made of it."""
    return tok.dep_ == "oprd" and tok.i != tok.sent.start and tok.text[:1].isupper() and base_is(
        tok.head, "name", "call", "nickname", "dub")


def _name_as_noun(tok) -> bool:
    """A name the tagger took for a common noun: capitalised inside a sentence, nicknamed ("Tomasz, whom …"), or
    opening a sentence with no article and doing what only people do ("Fenwick answers on the second ring")."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NN":
        return False
    return tok.i != tok.sent.start or tok.ent_type_ == "PERSON" or any(
        c.dep_ == "relcl" and base_is(c, "call", "nickname") for c in tok.children) or _bare_person(tok)


HUMAN_VERBS = _set("""nod smile grin laugh sigh shrug frown wink giggle sob weep grab hand pay sign kiss hug glance
    stare kneel hurry rush limp wave dial phone text knock pick greet thank apologise apologize promise swear""")


def _bare_person(tok) -> bool:
    if tok.dep_ != "nsubj" or any(c.dep_ in ("det", "poss", "amod", "compound", "nummod") for c in tok.children):
        return False
    if in_vocab(tok.text, ROLE_NOUNS | lexicon.GROUP_WORDS) or tok.lower_ in lexicon.TIME_WORDS:
        return False
    return in_vocab(tok.head.text, lexicon.SPEECH_VERBS | HUMAN_VERBS)


def _is_person(head, tokens, ctx) -> bool:
    if not tokens or head.ent_type_ in NOT_PERSON_ENTS or (head.text.isupper() and len(head.text) > 1):
        return False  # a date, a language, a SOUND written in capitals
    if head.lower_ in CALENDAR:
        return False  # "Christmas comes early", "Monday arrives"
    if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children):
        return False  # "a silver-haired Czech", "an Englishman": what someone is, not their name
    if head.i + 1 < len(head.doc) and head.doc[head.i + 1].text == ":" and head.i == head.sent.start:
        return False  # "Format: …", a label
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in TITLES | {"duchess", "duke",
                                                                                              "earl", "count"}:
        return False  # "the Duchess of Wexmoor": a title, not Wexmoor
    if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children):
        return False  # "Her Grace", "His Majesty": a form of address
    if any(c.dep_ == "acl" and base_is(c, "name", "call", "know") for c in head.children):
        return False  # "a stocky Welshman named Rhys Powell": Rhys Powell is the person
    if ctx.cast.resolve(places.as_written(tokens)):
        return True
    if _epithet(head) is not None:
        return True  # "Fisi the hyena", "Olaf the Stout"
    namer = head.head.head if head.dep_ == "conj" else head.head
    if base_is(namer, "name", "call") and namer.dep_ in ("acl", "relcl") and places.kind_of(namer.head.text):
        return False  # "a truck called Old Betsy", "the hill that the men call the Anvil"
    if in_vocab(head.text, THING_HEADS):
        return False  # "Year Four Spring Concert", "Lumo Rail"
    if _placed(head):
        return False
    if any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) and not in_vocab(head.text, ROLE_NOUNS |
                                                                                             TITLES):
        return False  # "the men call the Anvil", "the Mary Rose": a thing's name
    if _named(head) or (head.dep_ in ("appos", "oprd") and in_vocab(head.head.text, ROLE_NOUNS)):
        return True  # "a paramedic, Chelsea Ward": a person whatever the word "Ward" also means
    if tokens[0].lower_ in TITLES and (len(tokens) > 2 or len(tokens) > 1 and not places.kind_of(head.text)):
        return True  # "Sergeant William Marsh, a giant of a man …", however the rest of the sentence parses
    if places.kind_of(head.text) or any(c.dep_ == "det" and c.lower_ == "the" for c in head.children) and \
            not in_vocab(head.text, ROLE_NOUNS | TITLES):
        return False  # "St. Brigid's Hospital", "the Mary Rose"
    if head.ent_type_ == "PERSON" or head.dep_ in ("appos", "oprd"):
        return True

    if head.dep_ == "compound" and not any(ch.isalpha() for ch in head.head.text):
        head = head.head  # "Zoë 🐉 meets …": the emoji took the name's place in the parse
    if misread_subject(head):
        return True
    if head.dep_ in ("nsubj", "nsubjpass"):
        return head.ent_type_ not in ("GPE", "LOC", "FAC") or _acts_human(head.head)
    if head.dep_ == "conj" and head.head.dep_ in ("nsubj", "nsubjpass") and head.head.pos_ == "PROPN":
        return True
    return head.dep_ in ("attr", "acomp") and base_is(head.head, "be") and not head.ent_type_


def _epithet(head):
    """ "Fisi the hyena": the noun right after a name with "the", whatever the parse made of it."""
    doc = head.doc
    if head.i + 2 >= len(doc) or doc[head.i + 1].lower_ != "the":
        return None
    noun = doc[head.i + 2]
    noun = next((t for t in doc[head.i + 2: head.i + 5] if t.pos_ == "NOUN"), None) if noun.pos_ != "NOUN" else noun
    if noun is None or noun.head.i != head.i and head.head.i != noun.i or places.kind_of(noun.text):
        return None
    return noun


def misread_subject(tok) -> bool:
    """ "Tom climbs after her.", "Brandt shifts in his chair.": the verb taken for a plural noun, the name for
    its modifier."""
    verb = tok.head
    return tok.dep_ == "compound" and tok.pos_ == "PROPN" and verb.dep_ == "ROOT" and verb.tag_ == "NNS" and \
        verb.text.islower()


def _placed(head) -> bool:
    """ "rides into Redbank": a proper noun after a place preposition names a place."""
    return head.dep_ == "pobj" and head.head.lower_ in places.LOCATION_PREPS - {"to", "with", "beside", "behind"}


def _named(head) -> bool:
    """ "a girl named Molly Quinn", "a tall Norwegian called Sydney Haugen" (not "a truck called Old Betsy")."""
    verb = head.head
    if head.dep_ not in ("oprd", "dobj", "npadvmod", "attr") or not base_is(verb, "name", "call", "nickname"):
        return False
    return not (verb.dep_ == "acl" and places.kind_of(verb.head.text))


def _acts_human(verb) -> bool:
    """A town or a hill may lie, stand, sleep or burn; a person limps, says, smiles, opens the door."""
    return not base_is(verb, *PLACE_VERBS)


PLACE_VERBS = _set("""be have lie stand sit sprawl stretch loom rise overlook border sleep wake burn flood glow shine
    remain become seem look host boast celebrate mourn prepare hold""")


def _roles_around(head) -> set[str]:
    """Role nouns set beside a name: "Their father, Kwesi Mensah", "The conductor, a cheerful woman called
    Bronwen", "Rashid Benali, the engineer"."""
    nodes, node = [], head
    if node.dep_ in ("oprd", "dobj", "attr") and base_is(node.head, "name", "call") and node.head.dep_ in (
            "acl", "relcl"):
        node = node.head.head  # "a cheerful woman called Bronwen" → woman
        nodes.append(node)
    if node.dep_ == "appos":
        nodes.append(node.head)
    nodes += [c for n in (head, node) for c in n.children if c.dep_ == "appos"]
    roles = {_singular(n) for n in nodes if n.pos_ == "NOUN" and (in_vocab(n.text, ROLE_NOUNS) or _man_or_woman(n))}
    epithet = _epithet(head)
    return roles | ({_singular(epithet)} if epithet is not None else set())  # "Fisi the hyena" → the hyena


def _same_as_role(name: str, description: str, head, ctx, roles: set[str] = frozenset()) -> None:
    """ "the landlady" met first, then "The landlady, a small fierce woman called Mrs. Threlfall" or "His name is
    Austin": the person met by their role is the person now named."""
    role = next((r for r in map(ctx.cast.role_character, sorted(roles)) if r), None)
    words = lexicon.words(description.casefold())
    if words and role is None:
        role = ctx.cast.role_character(words[-1])
    verb = head.head
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "attr") and c.i != head.i), None) if \
        head.dep_ in ("attr", "nsubj") and base_is(verb, "be") else None  # the other side of "X is Y"
    if subject is None and base_is(verb, "be"):  # "His name, she will learn later, is Declan Roe" (parsed askew)
        subject = next((t for t in head.sent if t.i < head.i and t.lower_ == "name" and t.dep_ != "attr"), None)
    if role is None and subject is not None:
        owner = next((c for c in subject.children if c.dep_ == "poss"), None)
        if subject.lower_ == "name" and owner is not None and owner.lower_ in ("his", "her"):
            role = ctx.cast.role_character("", gender="m" if owner.lower_ == "his" else "f")
        elif subject.lower_ in ("he", "she"):  # "A tall man … steps in. He is Arjun Mehta."
            role = ctx.cast.role_character("", gender="m" if subject.lower_ == "he" else "f")
        elif in_vocab(subject.text, ROLE_NOUNS):  # "Her coach is Emmanuel Quaye"
            role = ctx.cast.role_character(_singular(subject))
    if role and role != name:
        ctx.cast.merge(role, name)


def _nickname(head, name: str, ctx, used: set[int]) -> None:
    """ "Tomasz, whom the whole class calls Tomato" / "the staff calls her Seun": one person, two names."""
    owners = [head] + ([head.head] if head.dep_ == "appos" else [])
    owners += [c for owner in list(owners) for c in owner.children if c.dep_ == "appos"]
    verbs = {c for owner in owners for c in owner.children}
    verbs |= {t for appos in owners[1:] for t in appos.subtree if t.dep_ == "relcl"}  # "a veteran of nine runs
    for verb in verbs:  # whom her crew calls Babushka"; not "Button, now a grown woman called Amara": her name
        if (verb.dep_ == "relcl" or verb.dep_ == "acl" and verb.head is head) and base_is(verb, "call", "nickname",
                                                                                          "dub"):
            for c in verb.children:
                if c.dep_ in ("oprd", "dobj", "xcomp") and (c.pos_ == "PROPN" or _called(c)) and c.i not in used:
                    ctx.cast.alias(c.text, name)
                    used.add(c.i)


def nickname_of_pronoun(span, ctx, quoted: set[int]) -> set[int]:
    """ "The whole staff calls her Seun": Seun is another name of whoever "her" is. Returns the tokens used."""
    used = set()
    for tok in span:
        if tok.i in quoted or tok.pos_ != "PROPN" or not in_vocab(tok.head.text, NICKNAME_VERBS):
            continue
        pronoun = next((c for c in tok.head.children if c.lower_ in lexicon.PRONOUNS and c.i != tok.i), None)
        if pronoun is None:
            pronoun = next((c for c in tok.children if c.lower_ in lexicon.PRONOUNS), None)
        referent = ctx.cast.last(pronoun.lower_) if pronoun is not None else None
        if referent and not ctx.cast.resolve(tok.text):
            ctx.cast.alias(tok.text, referent)
            used.add(tok.i)
    return used


def _man_or_woman(tok) -> bool:
    """ "a ferrywoman", "the ferryman": a person by the word they are called."""
    word = tok.lower_
    return tok.pos_ == "NOUN" and word.endswith(("man", "woman", "men", "women")) and word not in NOT_PEOPLE


NOT_PEOPLE = frozenset(("human", "humans", "omen", "omens", "amen", "abdomen", "stamen", "specimen", "talisman"))


def _role(tok, ctx) -> str | None:
    """ "a porter", "the nurse", "an old woman": a person by their role, or the named person with that role."""
    if any(c.dep_ in ("appos", "acl") and _names_someone(c) for c in tok.children) or (
            tok.dep_ == "appos" and tok.head.pos_ == "PROPN"):
        return None  # "a paramedic, Chelsea Ward" / "a girl named Molly" / "the manager, a man named Colm"
    if any(a.dep_ == "appos" and a.head.pos_ == "PROPN" for a in tok.ancestors):
        return None  # "William Marsh, a giant of a man": the man is Marsh
    dets = [c.lower_ for c in tok.children if c.dep_ in ("det", "poss")]
    known = ctx.cast.resolve(tok.text) or ctx.cast.by_role(_singular(tok))
    if known:
        return known
    if tok.tag_ in ("NNS", "NNPS") or not dets:
        return None
    if _equated(tok):
        return None  # "His best friend is Brolly": Brolly is the person
    subject = tok.dep_ in ("nsubj", "nsubjpass")
    if dets[0] not in ("a", "an") and not subject:
        return None  # "the landlady", "his sister" out of subject place: most often someone already named
    if not subject and (tok.dep_ not in ("dobj", "pobj", "conj", "attr") or dets[0] not in ARTICLES):
        return None
    if tok.dep_ == "pobj" and tok.head.lower_ in ("as", "like", "than"):
        return None  # "she reads the way she did as a girl"
    adjs = [c.text for c in tok.children if c.dep_ == "amod" and c.i < tok.i and in_vocab(c.text,
                                                                                            IDENTITY_ADJECTIVES)]
    label = " ".join(adjs + [tok.text]).title()
    name = ctx.cast.add(label)
    if name:
        ctx.cast.roles.add(name)
    return name


def _names_someone(tok) -> bool:
    """ "Chelsea Ward", "named Molly", "a nervous young man named Colm": the phrase gives a name."""
    return tok.pos_ == "PROPN" or base_is(tok, "name", "call") or (tok.dep_ == "appos" and any(
        c.dep_ in ("acl", "relcl") and base_is(c, "name", "call") for c in tok.children))


def _singular(tok) -> str:
    if tok.lemma_:
        return tok.lemma_
    return tok.lower_[:-1] if tok.tag_ == "NNS" and tok.lower_.endswith("s") else tok.lower_


ARTICLES = frozenset(("a", "an", "the", "this", "that"))

THING_HEADS = _set("""concert festival fair party ball final cup championship league programme program show rail
    railway railways airline airlines line lines company club council committee society union corporation inc ltd
    express times gazette courier news""")


def _equated(tok) -> bool:
    verb = tok.head
    if tok.dep_ == "nsubj" and base_is(verb, "be"):
        return any(c.dep_ in ("attr", "acomp") and c.pos_ == "PROPN" for c in verb.children)
    return tok.dep_ == "attr" and any(c.dep_ == "nsubj" and c.pos_ == "PROPN" for c in verb.children)


def only_mentioned(token, ctx) -> bool:
    """Talked about, not here: "a letter from Admiral Hale", "a photo of his sister", "remembers her father",
    a person the story's past tells of ("Her father died the winter she made the squad")."""
    node = token.head if token.dep_ in ("appos", "compound") else token
    if node.dep_ == "pobj" and node.head.lower_ in ("from", "about", "of", "for", "to") and in_vocab(
            node.head.head.text, MENTION_NOUNS):
        return True
    if node.dep_ in ("dobj", "pobj") and in_vocab(node.head.text, MENTION_VERBS):
        return True
    return node.dep_ in ("nsubj", "nsubjpass") and ctx.backstory(node.head)


def describe(root, ctx) -> str:
    """ "Mara, a young lighthouse keeper," → "a young lighthouse keeper"; "her brother Tom" → "Mara's brother";
    "a quick-eyed girl named Molly Quinn" → "a quick-eyed girl"."""
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            words = [t.text for t in child.subtree if t.dep_ != "punct" and not t.dep_.startswith("relcl")]
            return " ".join(words)[:120]
    head = root.head
    if _named(root) and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head
        return " ".join(t.text for t in head.subtree if t.i < head.i or t.i == head.i)[:120]
    if root.dep_ == "appos" and head.pos_ == "NOUN":
        owner = [c for c in head.children if c.dep_ == "poss"]
        if owner and owner[0].lower_ in lexicon.PRONOUNS and ctx.cast.last():
            return f"{ctx.cast.last()}'s {head.text}"
        return " ".join(t.text for t in head.subtree if t.i <= head.i and t.dep_ != "punct")[:120]
    return ""
