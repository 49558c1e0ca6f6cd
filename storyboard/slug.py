"""Safe names from user-given ones: for folders, files and adapter names.

"Zoë 🐉" → "zoe", "../../x" → "x", "CON" → "con-1a2b3c": lower-case ASCII
letters, digits and dashes, never empty, never a Windows device name, never
a path. Two different names that fold to the same slug get a short hash.
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


def slugify(name: str, fallback: str = "item") -> str:
    """A filesystem- and identifier-safe slug of `name`."""
    ascii_text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_LEN].strip("-")
    if not slug:
        return f"{fallback}-{_hash(str(name))}"
    if slug in RESERVED:
        return f"{slug}-{_hash(str(name))}"
    return slug


def adapter_name(name: str) -> str:
    """A LoRA adapter name for a character (no dots or dashes: PEFT uses it in module paths)."""
    return "char_" + slugify(name, "char").replace("-", "_")
