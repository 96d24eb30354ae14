"""Whitespace: tabs and runs of spaces to one space, no trailing spaces, at most one
blank line in a row. Line breaks are kept: headings are recognized by standing alone.
A page break (a form feed on its own line, document.PAGE_BREAK) is kept as it is."""

from __future__ import annotations

import re

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_whitespace(text: str) -> str:
    lines = [
        line if line == "\f" else _SPACES.sub(" ", line).strip()
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip() + "\n"
