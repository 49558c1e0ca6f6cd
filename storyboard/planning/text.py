"""Reading and cleaning the text a user plans from.

Files are checked before use: size limit, binary detection, encoding (UTF-8
with or without BOM, UTF-16 with BOM, else Windows-1252). Text is NFC
normalised, line endings unified and control characters removed.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import InputError
from .language import detect

MAX_INPUT_BYTES = 10 * 1024 * 1024  # a file, an upload or pasted text: the same limit everywhere
MAX_SCENES = 5000  # a feature film's board is 1,500–3,000 panels; more is a mistake or an attack
_LETTER = re.compile(r"[^\W\d_]")  # any letter of any script
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")


def read_text_file(path: str | Path) -> str:
    """Read a .txt / .fountain / .md file as text, or raise InputError."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"input file not found: {path}")
    if not path.is_file():
        raise InputError(f"input is not a file: {path}")
    size = path.stat().st_size
    if size > MAX_INPUT_BYTES:
        raise InputError(f"{path.name} is {size / 2**20:.1f} MB; the limit is {MAX_INPUT_BYTES // 2**20} MB of text")
    return decode(path.read_bytes(), name=path.name)


def decode(data: bytes, name: str = "input") -> str:
    """Decode bytes from a user's file; binary data raises InputError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name} claims to be UTF-16 text but is not") from None
    if looks_binary(data):
        raise InputError(f"{name} looks like a binary file, not text; save the story as plain text (.txt)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if control / len(sample) > 0.02:
        return True
    # Invalid UTF-8 with many high bytes is binary unless it decodes as a legacy code page cleanly.
    try:
        sample.decode("utf-8")
        return False
    except UnicodeDecodeError as err:
        if err.start >= len(sample) - 4:  # cut in the middle of a character at the sample end
            return False
    high = sum(1 for b in sample if b >= 0x80)
    return high / len(sample) > 0.3


def clean(text: str) -> str:
    """Normalise text: NFC, \\n line endings, no control characters, trimmed."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    return text.strip()


def has_letter(text: str) -> bool:
    """True when `text` holds a letter of any script."""
    return _LETTER.search(text) is not None


def too_many_shots(count: str) -> InputError:
    """The one message for a story that gives more shots than a board holds."""
    return InputError(f"the story gives {count} shots; a board holds at most {MAX_SCENES:,} — "
                      "plan it in parts (an act or a sequence at a time)")


def require_text(text: str, what: str = "the story") -> str:
    """The cleaned text, or InputError: empty, without a letter, or over the size limit."""
    size = len((text or "").encode("utf-8", errors="replace"))
    if size > MAX_INPUT_BYTES:
        raise InputError(f"{what} is {size / 2**20:.1f} MB; the limit is {MAX_INPUT_BYTES // 2**20} MB of text — "
                         "plan it in parts (an act or a sequence at a time)")
    text = clean(text or "")
    if not text:
        raise InputError(f"{what} is empty; type or paste a synopsis or screenplay")
    if not has_letter(text):
        raise InputError(f"{what} has no words in it; type or paste a synopsis or screenplay")
    return text


def is_english(text: str) -> bool:
    """A cheap guess from function words (language.py): whether spaCy's English pipeline can read the text."""
    return detect(text) == "en"
