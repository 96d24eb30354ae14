"""Split a normalized text into labelled sections by recognizing headings.

A heading is a short line standing alone that matches one of the patterns in
data/swedish/sections.toml after folding (so OCR damage such as `Arende` or
`Forslag till beslut` does not hide it). Text before the first heading is the `header`
section; a heading-like line that matches no pattern starts an `other` section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from document import Section
from extract.folding import fold
from extract.swedish import section_rules

MAX_HEADING_CHARS = 90
_UNKNOWN_HEADING_MAX_WORDS = 6
_SENTENCE_END = re.compile(r"[.,;]\s*$")
_STARTS_LIKE_HEADING = re.compile(r"^[A-ZÅÄÖÉ&6]")


@dataclass
class _Line:
    text: str
    start: int


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for raw in text.split("\n"):
        lines.append(_Line(raw, offset))
        offset += len(raw) + 1
    return lines


def heading_label(line: str) -> str | None:
    """The canonical label of a heading line, or None if it is not a known heading."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS:
        return None
    folded = fold(stripped).rstrip(" :")
    for rule in section_rules():
        if rule.pattern.match(folded):
            return rule.label
    return None


def _is_unknown_heading(lines: list[_Line], i: int) -> bool:
    text = lines[i].text.strip()
    if not text or len(text) > 60 or _SENTENCE_END.search(text) or not _STARTS_LIKE_HEADING.match(text):
        return False
    if len(text.split()) > _UNKNOWN_HEADING_MAX_WORDS or re.search(r"\d{3,}|@|www\.|http", text):
        return False
    previous_blank = i == 0 or not lines[i - 1].text.strip()
    following = [line.text for line in lines[i + 1 : i + 3]]
    # a heading introduces a paragraph: the next line is prose (long) or a run of lines
    followed_by_paragraph = bool(following) and bool(following[0].strip()) and (
        len(following[0]) > 60 or (len(following) > 1 and bool(following[1].strip()))
    )
    return previous_blank and followed_by_paragraph


def split_sections(text: str) -> list[Section]:
    lines = _lines(text)
    starts: list[tuple[int, str]] = []  # (line index, label)
    for i, line in enumerate(lines):
        label = heading_label(line.text)
        if label is None and starts and _is_unknown_heading(lines, i):
            label = "other"
        if label is not None:
            starts.append((i, label))

    sections: list[Section] = []
    header_end = starts[0][0] if starts else len(lines)
    header_text = "\n".join(line.text for line in lines[:header_end]).strip()
    if header_text:
        sections.append(Section(label="header", heading="", text=header_text, start=0))
    for n, (i, label) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        body = "\n".join(line.text for line in lines[i + 1 : end]).strip()
        sections.append(Section(label=label, heading=lines[i].text.strip(), text=body, start=lines[i].start))
    return sections
