"""Structure the proposed decisions: one `Proposal` per deciding body with its items.

The body comes from the heading (`Förslag till kommunstyrelsens beslut` →
`kommunstyrelsen`), else from a line inside the section that opens a list of decisions
(`Kulturnämnden beslutar`, `Äldrenämnden föreslås besluta`, `I utbildningsnämnden:`), else
it is the body the document is addressed to. Items are numbered points (`1.`, OCR'd
`1,`), `att`-clauses or bullets, or the whole text when it has none; the number is
dropped, an `att` is kept, and a trailing `, samt` is removed.
"""

from __future__ import annotations

import re

from document import Proposal, Section
from swedish.fold import fold, ocr_tolerant
from swedish.data import bodies

_NUMBERED = re.compile(r"(?m)^[ \t]*\d{1,2}[.),][ \t]+")
_ATT_CLAUSE = re.compile(r"(?m)^[ \t]*(?:[-–•][ \t]*)?(?=att[ \t])")
_BULLET = re.compile(r"(?m)^[ \t]*[-–•][ \t]+")
_TRAILING = re.compile(r"(?:,?\s+(?:samt|och))?\s*[,;]?\s*$")
_HEADING_BODY = re.compile(ocr_tolerant("förslag till ") + r"(?P<body>.+?):?s\s+beslut", re.IGNORECASE)


def _intro_pattern() -> re.Pattern[str]:
    verbs = "|".join(ocr_tolerant(v) for v in sorted(bodies()["proposal_intro"], key=len, reverse=True))
    return re.compile(rf"^(?:i\s+(?P<in>[^\d].{{2,60}}?)\s*:|(?P<body>[^\d].{{2,60}}?)\s+(?:{verbs})(?:\s+att)?\s*:?)\s*$", re.IGNORECASE)


def base_form(name: str) -> str:
    """`social- och omsorgsnämndens` → `social- och omsorgsnämnden`; `kommunfullmäktiges` →
    `kommunfullmäktige`; `byggnadsnämndens` → `byggnadsnämnden`."""
    name = " ".join(name.split())
    if name.endswith(":s"):
        return name[:-2]
    if name.endswith("s") and not name.endswith("ss"):
        return name[:-1]
    return name


def _names_a_body(name: str) -> bool:
    words = [fold(w) for w in bodies()["body_suffixes"]]
    last = fold(name.split()[0] if name.split() else "")
    return any(fold(name).endswith(w) for w in words) or any(last.endswith(w) for w in words)


def split_items(text: str) -> list[str]:
    text = text.strip()
    if not text:
        return []
    for pattern in (_NUMBERED, _ATT_CLAUSE, _BULLET):
        marks = list(pattern.finditer(text))
        if marks:
            items = []
            for n, mark in enumerate(marks):
                end = marks[n + 1].start() if n + 1 < len(marks) else len(text)
                item = " ".join(text[mark.end() : end].split())
                items.append(_TRAILING.sub("", item) if n + 1 < len(marks) else item)
            return [item for item in items if item]
    return [" ".join(text.split())]


def _parts(text: str) -> list[tuple[str, str]]:
    """(body named by an intro line or "", text) for each list of decisions in a section."""
    intro = _intro_pattern()
    parts: list[tuple[str, list[str]]] = [("", [])]
    for line in text.split("\n"):
        match = intro.match(line.strip())
        if match and _names_a_body(match.group("in") or match.group("body")):
            parts.append((match.group("in") or match.group("body"), []))
        else:
            parts[-1][1].append(line)
    return [(body, "\n".join(lines)) for body, lines in parts if body or "\n".join(lines).strip()]


def extract_proposals(sections: list[Section], default_body: str) -> list[Proposal]:
    proposals = []
    for section in sections:
        if section.label != "proposals":
            continue
        heading = _HEADING_BODY.search(section.heading.replace("\n", " "))
        heading_body = base_form(heading.group("body")) if heading and not fold(heading.group("body")).endswith("forvaltningen") else ""
        for intro_body, text in _parts(section.text):
            body = heading_body or intro_body or default_body
            items = split_items(text)
            if items:
                proposals.append(Proposal(body=body, items=items))
    return proposals
