"""The document type (one of `document.DOC_TYPES`), by the document's own heading.

A municipal document names its type at the top of its letterhead: `TJÄNSTESKRIVELSE`,
`YTTRANDE`, `KUNGSBACKA KOMMUN  SAMMANTRÄDESPROTOKOLL  1 (11)`, `Protokoll 3/2023`,
`Föredragningslista 16/2022`, `KALLELSE/UNDERRÄTTELSE`, `SAMMANSTÄLLNING
DELEGERINGSBESLUT`, `Linköpings   Tjänsteskrivelse`; a political initiative starts with
`Initiativ – …`; one without a heading or on the tjänsteskrivelse template is known by its
proposals, a party's (`Sverigedemokraterna yrkar på:`), not the administration's: a motion
when they are to the fullmäktige, else an initiative (skrivelse). The first lines of the
header decide, after the municipality's name and the page counter. Only a document without
such a heading is typed by weaker evidence: a title naming its owner's document
(`Stadsrevisionens årsredogörelse och årsrapport för 2023`), a type word elsewhere in its header (not in its
title), its words about itself (`i detta tjänsteutlåtande`, `Skrivelsen skickas till`), or
the first item of its beslutsunderlag (which lists the document itself), and last its signers: politicians with
their parties' marks sign a party's text (a skrivelse). A word in the body text never types a
document (`protokoll` in `noterar informationen till protokollet`).
The words are data/swedish/bodies.toml's `doc_types`.

On the TUNE and shared real documents every document with a letterhead heading is typed
by it (docs/eval-real.md); the synthetic corpus, whose letterheads print the type after
the administration's name, keeps its figures (docs/eval-extraction.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

from document import Section
from swedish.data import bodies, body_endings, municipalities, parties, party_marks_pattern
from swedish.fold import fold

_HEADING_LINES = 3
_LETTERHEAD_LINES = 15
_PROSE_LINE_CHARS = 70
HEADING_WORDS = 4  # a heading line of more words is a title, typed by its first word only
_WORD = re.compile(r"[\wåäöÅÄÖé]+")
_KIND_CHARS = 6  # a heading word at least this long names a kind of document
_PARTY_SIGNERS = 2  # names with a party's mark that make a text without letterhead a party's
_COUNTER = re.compile(r"\s\d{1,3}\s*\(\s*\d{1,3}\s*\)\s*$")
_SELF_REFERENCE = re.compile(r"\b(?:i |av |med )?(?:denna|detta)\s+(?P<type>\w+)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _not_type_phrases() -> re.Pattern:
    """Phrases whose type word names no document (`förslag till beslut`), from data/swedish/bodies.toml."""
    phrases = "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in bodies()["not_type_phrases"])
    return re.compile(rf"\b(?:{phrases})\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _doc_types() -> dict[str, str]:
    """Folded type word → document type; the first type naming a word wins."""
    types: dict[str, str] = {}
    for doc_type, words in bodies()["doc_types"].items():
        for word in words:
            types.setdefault(fold(word), doc_type)
    return types


@lru_cache(maxsize=1)
def _letterhead_words() -> frozenset[str]:
    """Words of a letterhead that are not the heading: municipality names and their
    genitives, `kommun`, `stad`, `region`."""
    words = {"kommun", "stad", "region"}
    for municipality in municipalities():
        for alias in (municipality.name, *municipality.aliases):
            words.update(fold(word) for word in alias.split())
    return frozenset(words)


@lru_cache(maxsize=1)
def title_words() -> frozenset[str]:
    return frozenset(fold(word) for word in bodies()["title_types"])


def type_of(word: str) -> str:
    return _doc_types().get(fold(word), "")


def letterhead_heading(header: str) -> tuple[str, str]:
    """(type, heading) of a letterhead whose heading names its type (see the module
    docstring), else ("", ""): one of the first lines that starts with a type word once
    the municipality's name and the page counter are left out (`Protokoll 3/2023`), or a
    line in capitals holding one (`SAMMANSTÄLLNING  DELEGERINGSBESLUT`). A line of more
    than a few words is a title: only the first line's first word counts there
    (`Rapport dataskyddsarbete 2025`), or on a later line a word that a document without
    a letterhead begins its title with (`Initiativärende angående …` under a party's
    logo). The heading is the line without the municipality's name and the counter."""
    lines = [line.strip() for line in header.split("\n") if line.strip()][:_HEADING_LINES]
    for n, line in enumerate(lines):
        words = [word for word in _WORD.findall(line) if not word.isdigit() and fold(word) not in _letterhead_words()]
        if not words or (len(words) > HEADING_WORDS and n > 0 and fold(words[0]) not in title_words()):
            continue
        typed = [type_of(word) for word in words if type_of(word)]
        if type_of(words[0]) or (typed and line.isupper() and len(words) <= HEADING_WORDS):
            start = line.find(words[0])
            heading = " ".join(_COUNTER.sub("", line[start:]).split())
            return type_of(words[0]) or typed[0], heading
    return "", ""


def _letterhead_lines(header: str) -> list[str]:
    """The header's first lines, up to the first line of prose (a long line, or one that
    ends a sentence): a header without headings holds the whole text, and its prose
    (`… ett yttrande från kommunstyrelsen`, a contents list) types nothing."""
    lines = []
    for line in (line.strip() for line in header.split("\n")):
        if len(line) > _PROSE_LINE_CHARS or (line.endswith(".") and len(line.split()) > 3) or len(lines) == _LETTERHEAD_LINES:
            break
        if line:
            lines.append(line)
    return lines


def _proposed_by_party(sections: list[Section]) -> bool:
    """Whether the document's first proposals are a party's (`Sverigedemokraterna yrkar på:`)."""
    first = next((section for section in sections if section.label == "proposals"), None)
    return first is not None and bool({fold(word) for word in _WORD.findall(first.heading)} & party_names())


def _party_submission(sections: list[Section]) -> str:
    """A party's proposals to the fullmäktige are a motion (`Därför yrkar Socialdemokraterna:`
    / `Att Kommunfullmäktige ger …`); to a nämnd, an initiative: a skrivelse."""
    first = next(section for section in sections if section.label == "proposals")
    return "motion" if "fullmaktige" in fold(first.text) else "skrivelse"


@lru_cache(maxsize=1)
def party_names() -> frozenset[str]:
    """The parties' names, folded (`sverigedemokraterna`)."""
    return frozenset(fold(party["name"]) for party in parties())


def find_doc_type(header: str, title: str, sections: list[Section], text: str) -> str:
    """The document's type: its heading's, else the weaker evidence of the module docstring.
    A party's proposals, without a heading or on the tjänsteskrivelse template, make it the
    party's motion (to the fullmäktige) or skrivelse."""
    named, _ = letterhead_heading(header)
    if named in ("", "tjänsteskrivelse") and _proposed_by_party(sections):
        return _party_submission(sections)
    if named:
        return named
    if _names_its_own_kind(header):
        return ""  # `GRANSKNINGSUTLÅTANDE`: a kind the list does not hold, not to be typed by weaker evidence
    words = title.split()
    if len(words) > 1 and words[0].endswith("s") and not words[0].endswith("ss") and words[0][:1].isupper() and words[1].islower() and type_of(words[1]):
        return type_of(words[1])  # a title naming its owner's document: `Stadsrevisionens årsredogörelse och …`
    title_words = set(fold(title).split())
    for line in _letterhead_lines(header):
        words = _WORD.findall(_not_type_phrases().sub("", line))
        if any(len(word) > 3 and words.count(word) > 1 for word in words):
            continue  # a table's column labels side by side: `Bokslut Bokslut Bokslut Summa … beslut`
        for word in words:
            doc_type = type_of(word)
            if doc_type and (fold(word) not in title_words or fold(line.strip()) == fold(word)):
                return doc_type
    for match in _SELF_REFERENCE.finditer(text):
        doc_type = type_of(match.group("type"))
        if doc_type:
            return doc_type
    sent = _sent_document(sections)
    if sent:
        return sent
    for section in sections:
        if section.label == "beslutsunderlag" and section.text.strip():
            first = _WORD.findall(section.text.strip().split("\n")[0])
            if first and type_of(first[0]):
                return type_of(first[0])
    if _signed_by_politicians(sections):  # no letterhead, signed `Axel Storckenfeldt (M)` / `Ordförande` …
        return "skrivelse"
    return ""


@lru_cache(maxsize=1)
def _municipality_names() -> frozenset[str]:
    return frozenset(fold(municipality.name) for municipality in municipalities())


def _names_its_own_kind(header: str) -> bool:
    """Whether the letterhead opens with one word in capitals that is no type, no place and no
    body (`GRANSKNINGSUTLÅTANDE`, `SAMRÅDSREDOGÖRELSE`): the document names its kind, one
    `DOC_TYPES` does not hold, so its words about other texts (`denna skrivelse` in a
    summarised letter) do not type it."""
    lines = _letterhead_lines(header)
    first = lines[0] if lines else ""
    return (
        len(first.split()) == 1 and first.isupper() and len(first) >= _KIND_CHARS and first.isalpha()
        and fold(first) not in _municipality_names() and not fold(first).endswith(body_endings())
    )


def _sent_document(sections: list[Section]) -> str:
    """The type its distribution list's heading names in the definite form (`Skrivelsen
    skickas till` → skrivelse). `Beslutet skickas till` names the decision, which any
    decided document sends, not the document."""
    for section in sections:
        if section.label == "distribution" and section.heading.split():
            word = section.heading.split()[0]
            doc_type = next((type_of(base) for base in (word[:-1], word[:-2]) if type_of(base)), "")
            if doc_type and doc_type != "beslut":
                return doc_type
    return ""


def _signed_by_politicians(sections: list[Section]) -> bool:
    """Whether the text's last signature block holds two or more names with a party's mark
    (`Annika Hedman (C), Maria Gathendahl (M)`): politicians sign it, not an officer."""
    signed = next((section for section in reversed(sections) if section.label == "signatures"), None)
    return signed is not None and len(_party_mark().findall(signed.text)) >= _PARTY_SIGNERS


@lru_cache(maxsize=1)
def _party_mark() -> re.Pattern[str]:
    return re.compile(rf"\((?:{party_marks_pattern()})\)")
