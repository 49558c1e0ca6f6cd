"""Safe names from user-given ones: for folders, files and adapter names.

"Zoë 🐉" → "zoe", "../../x" → "x", "CON" → "con-1a2b3c": lower-case ASCII
letters, digits and dashes, never empty, never a Windows device name, never
a path. Within a project, two different names that fold to the same slug
("Zoe" and "Zoë") get different slugs: the first keeps the plain one, the next
gets a short hash of its name (`unique_slug`). Names are compared after Unicode
normalisation and case folding (`name_key`): "Zoë" typed as one code point or as
e + a combining mark is one name.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)
MAX_LEN = 40


def _hash(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8')):08x}"[:6]


def name_key(name: str) -> str:
    """What makes two names the same name: NFC-normalised, case-folded, outer spaces dropped."""
    return unicodedata.normalize("NFC", str(name)).casefold().strip()


def slugify(name: str, fallback: str = "item") -> str:
    """A filesystem- and identifier-safe slug of `name`."""
    ascii_text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_LEN].strip("-")
    if not slug:
        return f"{fallback}-{_hash(str(name))}"
    if slug in RESERVED:
        return f"{slug}-{_hash(str(name))}"
    return slug


def unique_slug(name: str, names: list[str], fallback: str = "item") -> str:
    """The slug of `name` among `names` (a project's names, in order): different names never share one."""
    wanted, keys = name_key(name), set()
    owners: dict[str, str] = {}  # slug → the name key that holds it
    for other in [*names, name]:
        key = name_key(other)
        if key in keys:
            continue
        slug = slugify(other, fallback)
        while slug in owners:
            slug = f"{slug[:MAX_LEN - 7].rstrip('-')}-{_hash(key + slug)}"
        owners[slug] = key
        keys.add(key)
    return next(slug for slug, key in owners.items() if key == wanted)


def adapter_name(name: str, names: list[str] | None = None) -> str:
    """A LoRA adapter name for a character, unique among `names` (no dots or dashes: PEFT uses it in module paths)."""
    return "char_" + unique_slug(name, names or [], "char").replace("-", "_")
