"""Split a normalized text into labelled sections by recognizing headings.

A heading is a short line standing alone that matches one of the patterns in
data/swedish/sections.toml (OCR-tolerant for å/ä/ö, so `Arende` and `Forslag till
beslut` are found). A heading broken over two lines (`Information eller förhandling
enligt lag (1976:580) om` + `medbestämmande i arbetslivet`) is joined. Text before the
first heading is the `header` section; a heading-like line that matches no pattern but
introduces a paragraph starts an `other` section; a block of names and titles closing
the text of a section (the signatures) becomes a `signatures` section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from document import Section
from extract.names import looks_like_person
from swedish.data import section_rules

MAX_HEADING_CHARS = 90
_UNKNOWN_HEADING_MAX_WORDS = 7
_SENTENCE_END = re.compile(r"[.,;:!?]\s*$")
_STARTS_LIKE_HEADING = re.compile(r"^[A-ZÅÄÖÉ&6]")
# A heading line ending in one of these words continues on the next line.
_DANGLING = re.compile(r"\b(?:om|och|i|av|till|för|for|enligt|med|samt|mot|inom|vid)$", re.IGNORECASE)
_PROSE_CHARS = 50
# Sections that may end with the signature block (before distribution and attachments).
_AFTER_SIGNATURES = {"distribution", "attachments", "beslutsunderlag", "signatures"}


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


def _heading_form(line: str) -> str:
    return " ".join(line.strip().lower().split()).rstrip(" :")


def heading_label(line: str, after_first: bool = True) -> str | None:
    """The canonical label of a heading line, or None if it is not a known heading.
    Weak patterns (`Yttrande`, `Konsekvenser`) count only `after_first` heading."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_HEADING_CHARS or stripped.endswith(".") or stripped[0].islower():
        return None
    pattern, labels = _heading_patterns(after_first)
    match = pattern.match(_heading_form(stripped))
    return labels[match.lastindex] if match else None


@lru_cache(maxsize=2)
def _heading_patterns(after_first: bool) -> tuple[re.Pattern[str], dict[int, str]]:
    """All heading rules (without the weak ones before the first heading) as one pattern
    with a group per rule, tried in order as the rules are, and the label of each group."""
    rules = [rule for rule in section_rules() if after_first or not rule.weak]
    pattern = re.compile("|".join(f"({rule.pattern.pattern})" for rule in rules), re.IGNORECASE)
    groups, labels = 1, {}
    for rule in rules:
        labels[groups] = rule.label
        groups += 1 + rule.pattern.groups
    return pattern, labels


def _next_text(lines: list[_Line], i: int) -> list[str]:
    """The non-blank lines of the paragraph after line i (skipping one blank line)."""
    j = i + 1
    if j < len(lines) and not lines[j].text.strip():
        j += 1
    out = []
    while j < len(lines) and lines[j].text.strip():
        out.append(lines[j].text.strip())
        j += 1
    return out


def _is_unknown_heading(lines: list[_Line], i: int) -> bool:
    text = lines[i].text.strip()
    if not text or len(text) > 70 or _SENTENCE_END.search(text) or not _STARTS_LIKE_HEADING.match(text):
        return False
    if len(text.split()) > _UNKNOWN_HEADING_MAX_WORDS or re.search(r"\d|@|www\.|http|\(|\)", text):
        return False
    if looks_like_person(text):
        return False
    if i > 0 and lines[i - 1].text.strip():
        return False
    paragraph = _next_text(lines, i)
    # a heading introduces prose that starts a sentence: a long line or a sentence, not a
    # list of short lines, and not the lower-case rest of a sentence the line began
    return (
        bool(paragraph)
        and not paragraph[0][:1].islower()
        and (len(paragraph[0]) >= _PROSE_CHARS or paragraph[0].endswith("."))
    )


def _heading_end(lines: list[_Line], i: int) -> int:
    """Index of the last line of the heading starting at line i (joined continuations)."""
    end = i
    while (
        _DANGLING.search(lines[end].text.strip())
        and end + 1 < len(lines)
        and lines[end + 1].text.strip()
        and len(lines[end + 1].text.strip()) < 60
        and not lines[end + 1].text.strip().endswith(".")
    ):
        end += 1
    return end


def _blocks(text: str) -> list[tuple[int, str]]:
    """(offset, block) for the blank-line separated blocks of `text`."""
    out, offset = [], 0
    for part in re.split(r"(\n\s*\n)", text):
        if part.strip() and not re.fullmatch(r"\n\s*\n", part):
            out.append((offset + len(part) - len(part.lstrip()), part.strip()))
        offset += len(part)
    return out


def _is_signature_block(block: str) -> bool:
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    short = all(len(line) <= 70 and not line.endswith(".") for line in lines)
    return short and any(looks_like_person(line) for line in lines)


def _signature_start(text: str) -> int | None:
    """Offset in `text` where a closing signature block begins, if the text ends with one:
    blocks with a person's name (and titles), optionally after one short unit line."""
    blocks = _blocks(text)
    k = len(blocks)
    while k > 1:
        block = blocks[k - 1][1]
        # an administration's name next to the names (`Kommunledningsförvaltningen`) belongs too
        unit_lines = block.split("\n")
        unit = len(unit_lines) <= 2 and all(len(line) <= 70 and not _SENTENCE_END.search(line) for line in unit_lines)
        if _is_signature_block(block) or (unit and k < len(blocks) and _is_signature_block(blocks[k][1])):
            k -= 1
        else:
            break
    if k == len(blocks) or not any(_is_signature_block(b) for _, b in blocks[k:]):
        return None
    return blocks[k][0]


def _split_signatures(sections: list[Section], text: str) -> list[Section]:
    """Move a signature block at the end of the last body section into its own section."""
    result = list(sections)
    body = [n for n, s in enumerate(result) if s.label not in _AFTER_SIGNATURES and s.label != "header"]
    candidates = sorted({body[-1]} if body else set() | ({len(result) - 1} if len(result) > 1 else set()), reverse=True)
    if body and len(result) > 1:
        candidates = sorted({body[-1], len(result) - 1}, reverse=True)
    for n in candidates:
        section = result[n]
        if section.label == "signatures":
            continue
        offset = _signature_start(section.text)
        if offset is None:
            continue
        body_start = text.index(section.text, section.start) if section.text else section.start
        signatures = Section(label="signatures", heading="", text=section.text[offset:].strip(), start=body_start + offset)
        result[n] = Section(label=section.label, heading=section.heading, text=section.text[:offset].strip(), start=section.start)
        result.insert(n + 1, signatures)
    return result


def split_sections(text: str) -> list[Section]:
    lines = _lines(text)
    starts: list[tuple[int, int, str]] = []  # (first line, last line of the heading, label)
    i = 0
    while i < len(lines):
        label = heading_label(lines[i].text, after_first=bool(starts))
        if _DANGLING.search(lines[i].text.strip()) and (label is None or _heading_end(lines, i) > i):
            end = _heading_end(lines, i)
            joined = " ".join(line.text.strip() for line in lines[i : end + 1])
            joined_label = heading_label(joined, after_first=bool(starts))
            if joined_label is not None:
                starts.append((i, end, joined_label))
                i = end + 1
                continue
        if label is None and starts and _is_unknown_heading(lines, i):
            label = "other"
        if label is not None:
            starts.append((i, i, label))
        i += 1

    sections: list[Section] = []
    header_end = starts[0][0] if starts else len(lines)
    header_text = "\n".join(line.text for line in lines[:header_end]).strip()
    if header_text:
        sections.append(Section(label="header", heading="", text=header_text, start=0))
    for n, (first, last, label) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        heading = " ".join(line.text.strip() for line in lines[first : last + 1])
        body = "\n".join(line.text for line in lines[last + 1 : end]).strip()
        sections.append(Section(label=label, heading=heading, text=body, start=lines[first].start))
    return _split_signatures(sections, text)
