"""Fountain markup below the element level: control characters, boneyard /* */, notes [[ ]],
sections and synopses, emphasis markers, and the title page. Used by fountain.py."""

from __future__ import annotations

import re

_TITLE_KEYS = {
    "title", "credit", "author", "authors", "written by", "source", "based on", "draft date",
    "date", "contact", "copyright", "notes", "revision", "version", "episode", "series",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200b\ufeff]")
_TITLE_LINE = re.compile(r"([^\s:][^:]{0,30}):(.*)")
_NOTE_REF = re.compile("\x01(\\d+)\x02")
_BONE = "\x00"
_MARKER = re.compile(r"\\[*_]|\*+|_+")


def clean(text: str) -> str:
    """Strip emphasis markers that pair up (*italic*, **bold**, _underline_; "*69" stays) and collapse whitespace."""
    if "*" in text or "_" in text:
        text = _strip_emphasis(text)
    return " ".join(text.split())


def _strip_emphasis(text: str) -> str:
    """Remove paired runs of "*" or "_"; "\\*" is a literal star. Linear: one open stack per marker."""
    cut: list[tuple[int, int, str]] = []  # (start, end, replacement)
    open_: dict[str, list[tuple[int, int]]] = {}
    for match in _MARKER.finditer(text):
        start, end = match.span()
        mark = match.group()
        if mark[0] == "\\":
            cut.append((start, end, mark[1]))
            continue
        before, after = text[start - 1:start], text[end:end + 1]
        if before == "/" or (mark[0] == "_" and before.isalnum() and after.isalnum()):
            continue  # "/*" left from an unclosed boneyard; snake_case
        if before.strip() and open_.get(mark):
            opener = open_[mark].pop()
            cut += [(opener[0], opener[1], ""), (start, end, "")]
        elif after.strip():
            open_.setdefault(mark, []).append((start, end))
    if not cut:
        return text
    out, keep_from = [], 0
    for start, end, replacement in sorted(cut):
        out += [text[keep_from:start], replacement]
        keep_from = end
    out.append(text[keep_from:])
    return "".join(out)


def _cut_spans(text: str, start: str, end: str, replace, single_paragraph: bool = False) -> str:
    """Replace each ``start ... end`` span by replace(inner); unclosed openers stay as text.

    Linear: a closer position stays valid for every opener before it, and once no
    closer is left, no later opener can be closed either.
    """
    out, keep_from, scan, close, blank = [], 0, 0, -1, -1
    nowhere = len(text) + 1
    while True:
        opener = text.find(start, scan)
        if opener < 0:
            break
        if close < opener + len(start):
            close = text.find(end, opener + len(start))
            if close < 0:
                break
        if single_paragraph:
            if blank < opener:
                found = text.find("\n\n", opener)
                blank = nowhere if found < 0 else found
            if blank < close:  # a note never spans a blank line
                scan = opener + len(start)
                continue
        out += [text[keep_from:opener], replace(text[opener + len(start):close])]
        keep_from = scan = close + len(end)
    out.append(text[keep_from:])
    return "".join(out)


def prepare(text: str) -> tuple[list[str | None], dict[int, list[str]]]:
    """Normalised lines (None for lines that only held notes/boneyard/sections) and the
    notes found on them, by line index."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = _CONTROL.sub("", text).expandtabs(4)
    text = "\n".join(line if line == "  " else line.rstrip() for line in text.split("\n"))  # "  ": Fountain
    text = _cut_spans(text, "/*", "*/", lambda inner: _BONE)
    store: list[str] = []

    def keep_note(inner: str) -> str:
        store.append(" ".join(inner.split()))
        return f"\x01{len(store) - 1}\x02"

    text = _cut_spans(text, "[[", "]]", keep_note, single_paragraph=True)
    lines: list[str | None] = []
    notes: dict[int, list[str]] = {}
    for raw in text.split("\n"):
        if not raw:
            lines.append(raw)
            continue
        found = [store[int(i)] for i in _NOTE_REF.findall(raw)] if "\x01" in raw else []
        line = _NOTE_REF.sub("", raw).replace(_BONE, "") if (found or _BONE in raw) else raw
        stripped = line.strip()
        if stripped.startswith("="):  # page break "===" or synopsis "= ..."
            if not stripped.startswith("==="):
                found.append(" ".join(stripped[1:].split()))
            line = None
        elif stripped.startswith("#") or (line != raw and not stripped):
            line = None  # a section, or a line that only held a note or boneyard
        if any(found):
            notes[len(lines)] = [n for n in found if n]
        lines.append(line)
    return lines, notes


def read_title_page(lines: list[str | None]) -> tuple[dict[str, str], int]:
    """The title page's keys and the index of the first body line (0 if no title page)."""
    start = 0
    while start < len(lines) and not (lines[start] or "").strip():
        start += 1
    page: dict[str, list[str]] = {}
    key, end = None, start
    while end < len(lines) and lines[end] is not None and lines[end].strip():
        line = lines[end]
        pair = _TITLE_LINE.fullmatch(line)
        if pair and not line[0].isspace():
            key = pair.group(1).strip()
            page[key] = [pair.group(2).strip()] if pair.group(2).strip() else []
        elif key is not None and line[0].isspace():
            page[key].append(line.strip())
        else:
            break
        end += 1
    if not page or not any(k.lower() in _TITLE_KEYS for k in page):
        return {}, 0
    return {k: "\n".join(filter(None, map(clean, v))) for k, v in page.items()}, end
