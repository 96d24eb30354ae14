"""Document metadata from the normalized text: dnr, date, municipality, deciding body,
title, document type and author (handläggare). Rules and word lists come from
extract/swedish.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from document import Section
from extract.folding import fold
from extract.swedish import DNR, DNR_BARE, ISO_DATE, MONTHS, TEXT_DATE, bodies, municipalities

_NAME = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäöéü]+)?"
_PERSON_LINE = re.compile(rf"^{_NAME}(?: {_NAME}){{1,2}}(?:,? (?:och )?{_NAME}(?: {_NAME}){{1,2}})*$")
_HANDLAGGARE = re.compile(r"^(?:handläggare|handlaggare|kontaktperson)\b:?\s*(.*)$", re.IGNORECASE)


@dataclass
class Metadata:
    dnr: list[str] = field(default_factory=list)
    date: str = ""
    municipality: str = ""
    body: str = ""
    title: str = ""
    doc_type: str = ""
    author: str = ""


def find_dnr(text: str) -> list[str]:
    found: dict[str, None] = {}
    for match in DNR.finditer(text):
        found[" ".join(match.group("dnr").split())] = None
    if not found:
        head = "\n".join(text.split("\n")[:25])
        for match in DNR_BARE.finditer(head):
            found[" ".join(match.group("dnr").split())] = None
    return list(found)


def find_date(header: str, text: str) -> str:
    for scope in (header, text):
        iso = ISO_DATE.search(scope)
        if iso:
            return iso.group(0)
        written = TEXT_DATE.search(scope)
        if written:
            month = MONTHS[written.group("month").lower()]
            return f"{written.group('y')}-{month:02d}-{int(written.group('d')):02d}"
    return ""


def find_municipality(header: str, text: str) -> str:
    for scope in (fold(header), fold(text)):
        best: tuple[int, str] | None = None
        for municipality in municipalities():
            for alias in municipality.aliases + municipality.units:
                position = scope.find(alias)
                if position >= 0 and (best is None or position < best[0]):
                    best = (position, municipality.name)
        if best:
            return best[1]
    lowered = text.lower()
    for municipality in municipalities():
        if any(domain in lowered for domain in municipality.domains):
            return municipality.name
    return ""


def _ends_with(folded_line: str, suffixes: list[str]) -> bool:
    last = folded_line.split()[-1] if folded_line.split() else ""
    return any(last.endswith(fold(suffix)) for suffix in suffixes)


def _header_lines(header: str) -> list[str]:
    return [line.strip() for line in header.split("\n")]


def find_body(header: str) -> str:
    """The body addressed: a header line that is only a nämnd/styrelse name."""
    suffixes = bodies()["body_suffixes"]
    lines = [line for line in _header_lines(header) if line]
    for i, line in enumerate(lines):
        if fold(line) == "till" and i + 1 < len(lines):  # "Till\nHässelby-Vällingby\nstadsdelsnämnd"
            joined = lines[i + 1]
            for extra in lines[i + 2 : i + 4]:
                if _ends_with(fold(joined), suffixes):
                    break
                joined += " " + extra
            if _ends_with(fold(joined), suffixes):
                return joined
        if len(line.split()) <= 6 and _ends_with(fold(line), suffixes) and not DNR.search(line):
            return line
    return ""


def find_doc_type(header: str, title: str, text: str) -> str:
    types = bodies()["doc_types"]
    for scope in (fold(header), fold(title), fold(text)):
        for doc_type, words in types.items():
            if any(re.search(rf"\b{re.escape(fold(word))}\b", scope) for word in words):
                return doc_type
    return ""


def find_author(header: str) -> str:
    lines = [line for line in _header_lines(header) if line]
    for i, line in enumerate(lines):
        match = _HANDLAGGARE.match(line)
        if match:
            return match.group(1).strip() or (lines[i + 1] if i + 1 < len(lines) else "")
    for line in lines:
        candidate = re.split(r"\s+(?:dnr|\d{4}-\d\d-\d\d)\b", line, flags=re.IGNORECASE)[0].strip()
        if _PERSON_LINE.match(candidate) and not _ends_with(fold(candidate), bodies()["body_suffixes"] + bodies()["administration_suffixes"]):
            return candidate
    return ""


def find_title(header: str, body: str) -> str:
    """The last block of the header that is not a date, dnr, address or body line."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", header) if block.strip()]
    for block in reversed(blocks):
        one_line = " ".join(block.split())
        if DNR.search(one_line) or ISO_DATE.fullmatch(one_line) or one_line == body:
            continue
        if len(one_line) < 12 or _PERSON_LINE.match(one_line):
            continue
        if fold(one_line).startswith(("handlaggare", "till ", "telefon")):
            continue
        return one_line
    return ""


def extract_metadata(text: str, sections: list[Section]) -> Metadata:
    header = sections[0].text if sections and sections[0].label == "header" else ""
    body = find_body(header)
    title = find_title(header, body)
    return Metadata(
        dnr=find_dnr(text),
        date=find_date(header, text),
        municipality=find_municipality(header, text),
        body=" ".join(body.split()),
        title=title,
        doc_type=find_doc_type(header, title, text),
        author=find_author(header),
    )
