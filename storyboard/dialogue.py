"""Dialogue as people write it: "MARA (V.O.) (whispering): He is alive".

`format_line` prints a DialogueLine that way (boards, shot lists, the scene
form); `parse_lines` reads such text back, one speech per line. A known
extension in brackets (V.O., O.S., CONT'D …) is the extension; any other
bracket is the parenthetical. A line without "NAME:" continues the speech
before it.
"""

from __future__ import annotations

import re

from .project import DialogueLine

EXTENSIONS = frozenset(
    ("V.O.", "VO", "O.S.", "OS", "O.C.", "OC", "CONT'D", "CONT’D", "CONTD", "OFF", "OFF SCREEN", "PHONE",
     "ON PHONE", "RADIO", "PRE-LAP", "FILTERED", "SUBTITLED")
)
_SPEAKER = re.compile(r"^\s*([^:()\n]{1,60}?)\s*((?:\([^()\n]{0,80}\)\s*)*):\s*(.*)$")
_BRACKETS = re.compile(r"\(([^()]*)\)")


def format_line(line: DialogueLine) -> str:
    """One line as "NAME (V.O.) (whispering): text"."""
    who = line.character.strip()
    if line.extension.strip():
        who += f" ({line.extension.strip().strip('()')})"
    paren = line.parenthetical.strip()
    if paren:
        who += " " + (paren if paren.startswith("(") else f"({paren})")
    text = " ".join(line.text.split())
    return f"{who.strip()}: {text}" if who.strip() else text


def format_lines(lines: list[DialogueLine]) -> str:
    return "\n".join(format_line(line) for line in lines)


def parse_lines(text: str) -> list[DialogueLine]:
    """Read "NAME (EXT) (paren): text" lines back into DialogueLines."""
    out: list[DialogueLine] = []
    for raw in (text or "").splitlines():
        if not raw.strip():
            continue
        match = _SPEAKER.match(raw)
        if match is None:
            if out:
                out[-1].text = f"{out[-1].text} {raw.strip()}".strip()
            else:
                out.append(DialogueLine(character="", text=raw.strip()))
            continue
        name, brackets, speech = match.groups()
        extension, parenthetical = "", ""
        for inner in _BRACKETS.findall(brackets):
            if inner.strip().upper() in EXTENSIONS and not extension:
                extension = inner.strip()
            else:
                parenthetical = f"({inner.strip()})"
        out.append(DialogueLine(character=name.strip(), text=speech.strip(), parenthetical=parenthetical,
                                extension=extension))
    return out
