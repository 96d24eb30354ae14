"""Document metadata from the normalized text: dnr, date, municipality, deciding body,
title, document type and author (handläggare). The header (the text before the first
heading) carries most of it, in any of the usual layouts: label and value on one line
(`Datum: 2023-11-08`), in two columns (`Dnr   MN-2024-3456`), or the value on the line
after its label (`Handläggare` / `Ludvig Jansson`). Word lists come from
swedish/data.py."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from document import Section
from swedish.fold import fold, ocr_tolerant
from extract.names import looks_like_person, person_spans
from extract.phrases import PhraseSet
from swedish.data import bodies, genitive, municipalities
from swedish.dates import ISO_DATE, TEXT_DATE, iso_date
from swedish.dnr import DNR, DNR_BARE

_DATE_LABEL = re.compile(r"(?i:datum|utfärdat|utfardat|daterad|upprättad|upprattad)\b[:\s]*")
_HANDLAGGARE = re.compile(r"^(?:" + ocr_tolerant("handläggare") + r"|kontaktperson|" + ocr_tolerant("vår referens") + r")\b:?\s*(.*)$", re.IGNORECASE)
_LABEL_LINE = re.compile(
    r"^(?:" + "|".join(ocr_tolerant(w) for w in ("handläggare", "telefon", "tel", "e-post", "epost", "mobil", "datum", "dnr",
    "diarienummer", "ärendenummer", "vår referens", "sida", "till", "utfärdat", "fax", "växel", "box", "besöksadress", "postadress")) + r")\b",
    re.IGNORECASE,
)
_LABEL_VALUES = re.compile(r"\s+(?:" + ocr_tolerant("dnr") + r"|datum|\d{4}-\d\d-\d\d|tel)\b", re.IGNORECASE)
_SELF_REFERENCE = re.compile(r"\b(?:i |av |med )?(?:denna|detta)\s+(?P<type>\w+)", re.IGNORECASE)
_HEADER_SCAN_LINES = 40


@dataclass
class Metadata:
    dnr: list[str] = field(default_factory=list)
    date: str = ""
    municipality: str = ""
    body: str = ""
    title: str = ""
    doc_type: str = ""
    author: str = ""


def _head(text: str, header: str) -> str:
    """The header, or the first lines of the text when the header is short."""
    return header if header.count("\n") >= 3 else "\n".join(text.split("\n")[:_HEADER_SCAN_LINES])


def find_dnr(header: str) -> list[str]:
    """Every case number of the document: introduced by Dnr/Diarienummer/Ärendenummer,
    or printed bare with a registry prefix (`SBN 475/2022`) in the header."""
    found: dict[str, None] = {}
    for match in DNR.finditer(header):
        found[" ".join(match.group("dnr").split())] = None
    for match in DNR_BARE.finditer(header):
        prefix = match.group("dnr").split()[0].split("-")[0]
        if sum(ch.isupper() for ch in prefix) >= 2:
            found.setdefault(" ".join(match.group("dnr").split()), None)
    return [dnr for dnr in found if not ISO_DATE.fullmatch(dnr)]


_PREFIX = re.compile(r"^[A-Za-z]{2,6}(?=[ -])")


def restore_prefix_diacritic(dnr: str, header: str) -> str:
    """`ALN-2023-01234` in a document of `Äldrenämnden` → `ÄLN-2023-01234`.

    A registry prefix abbreviates the body or administration that keeps the register,
    and English OCR reads its leading Ä/Å/Ö as A/O. Restoration leaves such short
    capitals alone (they cannot be told from other abbreviations by themselves), but the
    header's own, restored, body name tells: its first letter folds to the prefix's and
    the prefix's letters appear in it in order. Call this only for OCR-damaged text."""
    prefix = _PREFIX.match(dnr)
    if not prefix or prefix.group()[0] not in "AO":
        return dnr
    letters = prefix.group().lower()
    for word in re.findall(r"\b[ÅÄÖ][a-zåäö]+", header):
        folded = fold(word)
        if folded.endswith(_organisation_words()) and folded[0] == letters[0] and _in_order(letters, folded):
            return word[0] + dnr[1:]
    return dnr


def _in_order(letters: str, word: str) -> bool:
    rest = iter(word)
    return all(letter in rest for letter in letters)


def find_date(header: str) -> str:
    """The document's date: a labelled date in the header, else the header's first date.
    Dates in the body are deadlines and events, never the document's date."""
    candidates = []
    for pattern in (ISO_DATE, TEXT_DATE):
        for match in pattern.finditer(header):
            labelled = bool(_DATE_LABEL.search(header[max(0, match.start() - 14) : match.start()]))
            candidates.append((not labelled, match.start(), iso_date(match)))
    return min(candidates)[2] if candidates else ""


@dataclass(frozen=True)
class _MunicipalityPatterns:
    aliases: PhraseSet  # one entry per municipality: its organisational names
    units: PhraseSet  # one entry per stadsdel or district
    unit_owner: tuple[int, ...]  # municipality index of each unit
    names: PhraseSet  # the bare name (and its genitive) of each unambiguous municipality
    name_owner: tuple[int, ...]
    logos: tuple[tuple[int, re.Pattern[str]], ...]  # a first line starting with the genitive
    domains: dict[str, tuple[int, ...]]  # web/e-mail domain → municipality indexes
    domain_endings: tuple[str, ...]  # `.se`
    domain_chars: frozenset[str]  # the characters of the domains before their ending


@lru_cache(maxsize=1)
def _municipality_patterns() -> _MunicipalityPatterns:
    all_ = municipalities()
    units = [(n, unit) for n, m in enumerate(all_) for unit in m.units]
    named = [(n, m.name) for n, m in enumerate(all_) if not m.ambiguous]
    domains: dict[str, tuple[int, ...]] = {}
    for n, m in enumerate(all_):
        for domain in m.domains:
            domains[domain] = domains.get(domain, ()) + (n,)
    return _MunicipalityPatterns(
        aliases=PhraseSet([(m.aliases, r"\b") for m in all_], re.IGNORECASE),
        units=PhraseSet([([unit], r"\b") for _, unit in units]),
        unit_owner=tuple(n for n, _ in units),
        names=PhraseSet([([name], r"(?:s)?\b") for _, name in named]),
        name_owner=tuple(n for n, _ in named),
        logos=tuple(
            (n, re.compile(r"^\s*" + ocr_tolerant(genitive(m.name)) + r"\b", re.IGNORECASE))
            for n, m in enumerate(all_) if not m.ambiguous
        ),
        domains=domains,
        domain_endings=tuple(sorted({"." + d.rsplit(".", 1)[-1] for d in domains})),
        domain_chars=frozenset("".join(d.rsplit(".", 1)[0] for d in domains)),
    )


def _domain_counts(lowered: str, patterns: _MunicipalityPatterns) -> Counter[int]:
    """How often each municipality's domains occur in `lowered` (as `str.count` counts
    them), found from the occurrences of the domain endings."""
    counts: Counter[int] = Counter()
    for ending in patterns.domain_endings:
        end = lowered.find(ending)
        while end >= 0:
            start = end
            while start > 0 and lowered[start - 1] in patterns.domain_chars:
                start -= 1
            for first in range(start, end):
                counts.update(patterns.domains.get(lowered[first : end + len(ending)], ()))
            end = lowered.find(ending, end + len(ending))
    return counts


def find_municipality(header: str, text: str) -> str:
    """The municipality named in the header (`Göteborgs Stad`, a stadsdelsförvaltning,
    a `Linköpings … kommun` logo), else the one the text names most (`X kommun`, web
    addresses, the bare place name)."""
    patterns = _municipality_patterns()
    all_ = municipalities()
    head_lines = header.split("\n")[:12]
    # the earliest alias or stadsdel in the header; on a tie the first in the data file
    named_in_header = [(match.start(), n) for n, match in patterns.aliases.finditer(header)]
    named_in_header += [(match.start(), patterns.unit_owner[n]) for n, match in patterns.units.finditer(header)]
    # the logo line: `Linköpings   Tjänsteskrivelse` / `kommun`
    logos = [n for n, logo in patterns.logos if head_lines and logo.match(head_lines[0])]
    if logos:
        return all_[logos[-1]].name
    if named_in_header:
        return all_[min(named_in_header)[1]].name
    scores = [0] * len(all_)
    for n, _ in patterns.aliases.finditer(text):
        scores[n] += 3
    for n, count in _domain_counts(text.lower(), patterns).items():
        scores[n] += 3 * count
    for n, _ in patterns.units.finditer(text):
        scores[patterns.unit_owner[n]] += 1
    for n, _ in patterns.names.finditer(text):
        scores[patterns.name_owner[n]] += 1
    best = max(range(len(all_)), key=scores.__getitem__, default=None)
    return all_[best].name if best is not None and scores[best] > 0 else ""


@lru_cache(maxsize=1)
def _body_words() -> tuple[str, ...]:
    return tuple(fold(s) for s in bodies()["body_suffixes"])


@lru_cache(maxsize=1)
def _organisation_words() -> tuple[str, ...]:
    """Endings of the names of bodies and of the administrations serving them."""
    return tuple(fold(s) for s in bodies()["body_suffixes"] + bodies()["administration_suffixes"])


def _is_body_line(line: str) -> bool:
    words = line.split()
    if not words or len(words) > 5 or re.search(r"\d", line) or line.rstrip().endswith((".", ":")):
        return False
    return any(fold(word).endswith(_body_words()) for word in words) and not looks_like_person(line)


def find_body(header: str) -> str:
    """The body addressed: a header line that names a nämnd/styrelse, or a `Till` block."""
    lines = [line.strip() for line in header.split("\n") if line.strip()]
    for i, line in enumerate(lines):
        if fold(line) == "till" and i + 1 < len(lines):  # "Till\nHässelby-Vällingby\nstadsdelsnämnd"
            joined = lines[i + 1]
            for extra in lines[i + 2 : i + 4]:
                if _is_body_line(joined):
                    break
                joined += " " + extra
            if _is_body_line(joined):
                return joined
    for line in lines:
        if _is_body_line(line) and not DNR.search(line):
            return line
    return ""


@lru_cache(maxsize=1)
def _doc_types() -> dict[str, str]:
    """Folded type word → document type; the first type naming a word wins."""
    types: dict[str, str] = {}
    for doc_type, words in bodies()["doc_types"].items():
        for word in words:
            types.setdefault(fold(word), doc_type)
    return types


def _type_of(word: str) -> str:
    return _doc_types().get(fold(word), "")


def find_doc_type(header: str, title: str, sections: list[Section], text: str) -> str:
    """A type word printed in the header (outside the title), else the document's words
    about itself (`i detta tjänsteutlåtande`), else the first item of the
    beslutsunderlag (which lists the document itself)."""
    title_words = set(fold(title).split())
    for line in header.split("\n"):
        for word in re.findall(r"[\wåäöÅÄÖé]+", line):
            doc_type = _type_of(word)
            if doc_type and (fold(word) not in title_words or fold(line.strip()) == fold(word)):
                return doc_type
    for match in _SELF_REFERENCE.finditer(text):
        doc_type = _type_of(match.group("type"))
        if doc_type:
            return doc_type
    for section in sections:
        if section.label == "beslutsunderlag" and section.text.strip():
            first = re.findall(r"[\wåäöÅÄÖé]+", section.text.strip().split("\n")[0])
            if first and _type_of(first[0]):
                return _type_of(first[0])
    return ""


def _strip_label_values(line: str) -> str:
    """`John Fristedt, Irene Johansson Dnr KS 2021-257` → `John Fristedt, Irene Johansson`."""
    return _LABEL_VALUES.split(line)[0].strip()


def find_author(header: str) -> str:
    """The handläggare: after a `Handläggare`/`Vår referens` label (several are joined), or
    the lines of person names under the administration's name in the header."""
    lines = [line.strip() for line in header.split("\n")]
    names = []
    for i, line in enumerate(lines):
        match = _HANDLAGGARE.match(line)
        if match:
            value = _strip_label_values(match.group(1)) or (lines[i + 1] if i + 1 < len(lines) else "")
            names += [value[start:end] for start, end in person_spans(value)] or [value.split(",")[0].strip()]
    if names:
        return ", ".join(dict.fromkeys(n for n in names if n))
    for line in lines:
        candidate = _strip_label_values(line)
        if candidate and looks_like_person(candidate.replace(",", " ")):
            names += [candidate[start:end] for start, end in person_spans(candidate)]
        elif names:
            break
    return ", ".join(names)


def find_title(header: str, body: str) -> str:
    """The last block of the header that is not a date, dnr, label, body or name line (a
    block may end in such lines when no blank line separates them from the title, as
    OCR often prints it: `Remiss Motion om …` + `Kommunstyrelsens diarienummer KS 2023/553`)."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", header) if block.strip()]
    for block in reversed(blocks):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        titled = [
            not (_LABEL_LINE.match(line) or DNR.search(line) or ISO_DATE.fullmatch(line) or TEXT_DATE.fullmatch(line)
                 or fold(line) == fold(body) or _is_body_line(line) or looks_like_person(_strip_label_values(line)))
            for line in lines
        ]
        leading = titled.index(False) if False in titled else len(titled)
        one_line = " ".join(" ".join(lines[:leading]).split())
        if len(one_line) >= 12 and not any(titled[leading:]):
            return one_line
    return ""


def extract_metadata(text: str, sections: list[Section], ocr_damaged: bool = False) -> Metadata:
    """`ocr_damaged`: restoration repaired words of this text (it came through English OCR)."""
    header = sections[0].text if sections and sections[0].label == "header" else ""
    head = _head(text, header)
    body = " ".join(find_body(header).split())
    title = find_title(header, body)
    dnr = find_dnr(head)
    if ocr_damaged:
        dnr = list(dict.fromkeys(restore_prefix_diacritic(number, head) for number in dnr))
    return Metadata(
        dnr=dnr,
        date=find_date(header),
        municipality=find_municipality(header, text),
        body=body,
        title=title,
        doc_type=find_doc_type(header, title, sections, text),
        author=find_author(header),
    )
