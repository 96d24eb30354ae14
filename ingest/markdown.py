"""Markdown converted from PDF (the form `moggleif/kommunhandlingar` publishes Kungsbacka's
meeting documents in) read as plain page text, as if it were the PDF's text layer:

- the YAML front matter (`---` … `---`: the converter's metadata, not the document) is dropped;
- pages are split at the converter's page markers `<!-- sida N -->`; text before the
  first marker belongs to the first page, other HTML comments are dropped;
- a table becomes plain lines, one block per row with a blank line after it: the
  non-empty cells of a row joined by a tab (`CELL_SEPARATOR`), a `<br>` inside a cell a
  line break, the `| --- |` rule dropped. `|  | Godkännande | IF-2023-<br>00055 |` →
  `Godkännande\\tIF-2023-\\n00055`. The line naming the table's CSV file
  (`[Tabell 1-1](kallelse.tabeller/1-1.csv)`) is dropped;
- marks that would disturb heading detection are removed: heading marks (`## Beslut` →
  `Beslut`), emphasis (`**Beslut**`, `*text*`, `__text__`), backslash escapes (`\\_`),
  and a link keeps its text (`[text](url)` → `text`).
"""

from __future__ import annotations

import re

CELL_SEPARATOR = "\t"

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_PAGE_MARKER = re.compile(r"^[ \t]*<!--\s*sida\s+\d+\s*-->[ \t]*$", re.I | re.M)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_TABLE_LINK = re.compile(r"^\s*\[[^\]]*\]\([^)\s]*\.csv\)\s*$", re.I)
_BR = re.compile(r"<br\s*/?>", re.I)
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$")
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def markdown_pages(text: str) -> list[str]:
    """The page texts of a Markdown document (see the module docstring)."""
    text = _FRONT_MATTER.sub("", text.replace("\r\n", "\n").replace("\r", "\n"), count=1)
    parts = _PAGE_MARKER.split(text)
    if len(parts) > 1 and not parts[0].strip():
        parts = parts[1:]
    return [_plain(_COMMENT.sub("", part)).strip("\n") for part in parts]


def _plain(markdown: str) -> str:
    lines: list[str] = []
    for line in markdown.split("\n"):
        if _TABLE_LINK.match(line) or _TABLE_RULE.match(line):
            continue
        if line.lstrip().startswith("|"):
            lines += _table_row(line)
            continue
        heading = _HEADING.match(line)
        lines.append(_inline(heading.group(1) if heading else line))
    return "\n".join(lines)


def _table_row(line: str) -> list[str]:
    """A table row as lines: its non-empty cells joined by CELL_SEPARATOR, `<br>` a
    line break, and a blank line after the row."""
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = [_inline(cell.strip()) for cell in re.split(r"(?<!\\)\|", body)]
    joined = CELL_SEPARATOR.join(_BR.sub("\n", cell).strip() for cell in cells if cell)
    return [*joined.split("\n"), ""] if joined else []


def _inline(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(3), text)
    return _ESCAPE.sub(r"\1", text)
