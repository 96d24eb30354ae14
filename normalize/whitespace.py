"""Whitespace: runs of spaces to one space, no trailing spaces, at most one blank line in
a row. Line breaks are kept: headings are recognized by standing alone. A page break (a
form feed on its own line, document.PAGE_BREAK) is kept as it is, and so is a tab, which
separates the cells of a table row read from Markdown (ingest/markdown.py): a run of
whitespace holding one becomes one tab."""

from __future__ import annotations

import re

_CELL_GAP = re.compile(r"[ \u00a0]*\t[ \t\u00a0]*")
_SPACES = re.compile(r"[ \u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_whitespace(text: str) -> str:
    lines = [
        line if line == "\f" else _SPACES.sub(" ", _CELL_GAP.sub("\t", line)).strip()
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip() + "\n"
