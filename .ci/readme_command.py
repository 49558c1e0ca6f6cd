"""Print one of the two commands README.md opens with: `run` (install and run the app) or `test` (install and test).

CI runs the test command word for word, so what it passes is what a new user gets (stdlib only: it runs before
anything is installed)."""

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
LABELS = {"run": "**Run it**", "test": "**Test it**"}


def command(which: str, text: str | None = None) -> str:
    text = README.read_text(encoding="utf-8") if text is None else text
    start = text.index(LABELS[which])
    block = re.search(r"```bash\n(.*?)\n```", text[start:], re.S)
    if block is None:
        raise ValueError(f"README.md: no bash block after {LABELS[which]}")
    return block.group(1).strip()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in LABELS:
        sys.exit("usage: readme_command.py run|test")
    print(command(sys.argv[1]))
