"""Structure the proposed decisions: one `Proposal` per deciding body with its items.

`Förslag till kommunstyrelsens beslut` names the body (reduced to `kommunstyrelsen`);
a plain `Förslag till beslut` is for the body the document is addressed to. Items are
numbered points (`1.`), `att`-clauses, or the whole text when it has neither.
"""

from __future__ import annotations

import re

from document import Proposal, Section
from extract.folding import fold

_NUMBERED = re.compile(r"(?m)^\s*(\d{1,2})[.)]\s+")
_ATT_CLAUSE = re.compile(r"(?m)^\s*(?:[-–•]\s*)?att\s+")


def _base_form(genitive: str) -> str:
    """`social- och omsorgsnämndens` → `social- och omsorgsnämnden`; `kommunfullmäktiges` → `kommunfullmäktige`."""
    name = genitive.strip()
    if name.endswith("s") and not name.endswith("ss"):
        name = name[:-1]
    return name


def _body_from_heading(heading: str, default_body: str) -> str:
    # Headings may be OCR-damaged (`Forslag till kommunstyrelsens beslut`): match on the
    # folded text, then cut the same span out of the original heading.
    folded = fold(heading)
    match = re.search(r"forslag till (.+?):?s beslut", folded)
    if not match:
        return default_body
    words = heading.split()
    body_words = len(match.group(1).split())
    # heading is "Förslag till <body words> beslut"
    return _base_form(" ".join(words[2 : 2 + body_words]))


def split_items(text: str) -> list[str]:
    text = text.strip()
    if not text:
        return []
    for pattern in (_NUMBERED, _ATT_CLAUSE):
        marks = list(pattern.finditer(text))
        if marks:
            items = []
            for n, mark in enumerate(marks):
                end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
                items.append(" ".join(text[mark.start() : end].split()))
            return items
    return [" ".join(text.split())]


def extract_proposals(sections: list[Section], default_body: str) -> list[Proposal]:
    proposals = []
    for section in sections:
        if section.label != "proposals":
            continue
        body = _body_from_heading(section.heading, default_body)
        proposals.append(Proposal(body=body, items=split_items(section.text)))
    return proposals
