"""The municipality a document is of (`find_municipality`), and the patterns of the
municipalities' names, domains and registers (`municipality_patterns`) that the other
field rules also read. The municipalities are data/swedish/'s (swedish/data.py).

Rules:
- the municipality is named in the letterhead or footer (`KUNGSBACKA KOMMUN`, `Nykarleby
  stad`, `Göteborgs Stad`, a stadsdelsförvaltning, a `Linköpings … kommun` logo);
- else the text names it most: by its organisational name, a web or e-mail address, or
  the registry prefix of its diary numbers (`NKBY/…`), or, weakest, by its bare name or the
  name of a nämnd that only it has (`Nämnden för Kultur & Fritid` is Kungsbacka's);
- a bare place name in the text is no evidence: a stadsdel (`Backa`), a name inside a
  person's name (`Anders Lund`), a word that only looks like a name to OCR-tolerant
  matching (`anges` for Ånge); unknown beats wrong;
- a municipality named after a party (`SD Kungsbacka`, `Socialdemokraterna Kungsbacka`)
  is the party's local branch, not a person's surname: it counts;
- a municipality the header addresses (`Till` / `Varbergs kommun`) or names after `över`,
  `till`, `från` (`Yttrande över Varbergs kommun remiss`) is another one: the document's
  own is then the one its text and footer name most.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from extract.header import organisation_words
from extract.phrases import PhraseSet
from swedish.data import genitive, municipalities, parties
from swedish.dnr import DNR_FINNISH
from swedish.fold import fold, ocr_tolerant


@dataclass(frozen=True)
class MunicipalityPatterns:
    aliases: PhraseSet  # one entry per municipality: its organisational names
    units: PhraseSet  # one entry per stadsdel or district
    unit_owner: tuple[int, ...]  # municipality index of each unit
    logos: tuple[tuple[int, re.Pattern[str]], ...]  # a first line starting with the genitive
    domains: dict[str, tuple[int, ...]]  # web/e-mail domain → municipality indexes
    domain_endings: tuple[str, ...]  # `.se`, `.fi`
    domain_chars: frozenset[str]  # the characters of the domains before their ending
    registers: dict[str, int]  # registry prefix of diary numbers → municipality index
    bodies: PhraseSet  # the names of nämnder only one municipality uses (`Nämnden för Kultur & Fritid`)
    body_owner: tuple[int, ...]  # municipality index of each of them
    names: re.Pattern[str]  # the bare name (or genitive) of each unambiguous municipality, as printed
    names_owner: dict[str, int]


@lru_cache(maxsize=1)
def municipality_patterns() -> MunicipalityPatterns:
    all_ = municipalities()
    units = [(n, unit) for n, m in enumerate(all_) for unit in m.units]
    own_bodies = [(n, body) for n, m in enumerate(all_) for body in m.bodies]
    domains: dict[str, tuple[int, ...]] = {}
    for n, m in enumerate(all_):
        for domain in m.domains:
            domains[domain] = domains.get(domain, ()) + (n,)
    return MunicipalityPatterns(
        aliases=PhraseSet([(m.aliases, r"\b") for m in all_], re.IGNORECASE),
        units=PhraseSet([([unit], r"\b") for _, unit in units]),
        unit_owner=tuple(n for n, _ in units),
        logos=tuple(
            (n, re.compile(r"^\s*" + ocr_tolerant(genitive(m.name)) + r"\b", re.IGNORECASE))
            for n, m in enumerate(all_) if not m.ambiguous
        ),
        domains=domains,
        domain_endings=tuple(sorted({"." + d.rsplit(".", 1)[-1] for d in domains})),
        domain_chars=frozenset("".join(d.rsplit(".", 1)[0] for d in domains)),
        registers={register: n for n, m in enumerate(all_) for register in m.registers},
        bodies=PhraseSet([([body, body.replace("&", "och")], r"\b") for _, body in own_bodies], re.IGNORECASE),
        body_owner=tuple(n for n, _ in own_bodies),
        names=re.compile(r"\b(?P<name>" + "|".join(sorted((re.escape(m.name) for m in all_ if not m.ambiguous), key=len, reverse=True)) + r")s?\b"),
        names_owner={m.name: n for n, m in enumerate(all_) if not m.ambiguous},
    )


def _domain_counts(lowered: str, patterns: MunicipalityPatterns) -> Counter[int]:
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


def _names_a_unit(header: str, match: re.Match) -> bool:
    """A stadsdel named as an organisation (`Hässelby-Vällingby stadsdelsförvaltning`) or
    on a line of its own, not a surname (`Luzilla Backa, välfärdschef`)."""
    line_end = header.find("\n", match.end())
    rest = header[match.end() : line_end if line_end >= 0 else len(header)].split()
    alone = not rest and header[: match.start()].rsplit("\n", 1)[-1].strip() == ""
    return alone or bool(rest and fold(rest[0]).endswith(organisation_words()))


def _in_person_name(text: str, start: int) -> bool:
    """Whether the name at `start` follows a capitalised word, as a surname follows a first
    name (`Anders Lund`); a party's name or abbreviation before it makes it the party's
    local branch (`SD Kungsbacka`, `Socialdemokraterna Kungsbacka`). One-letter
    abbreviations stay ambiguous with a middle initial."""
    before = re.search(r"(?P<word>[A-ZÅÄÖ]\w*)\s+$", text[max(0, start - 30) : start])
    return bool(before) and before.group("word") not in _party_marks()


@lru_cache(maxsize=1)
def _party_marks() -> frozenset[str]:
    """Party names and abbreviations of two letters or more, as printed."""
    marks = {party["name"] for party in parties()}
    marks.update(abbreviation for party in parties() for abbreviation in party["abbreviations"] if len(abbreviation) > 1)
    return frozenset(marks)


def _addressed(header: str, start: int) -> bool:
    """Whether the municipality named at `start` is another one the document is sent to or
    about: on a line of a `Till` label or on the line under it (`Till  Datum` / `Varbergs kommun
    2026-03-02`), or after `över`, `till` or `från` (`Yttrande över Varbergs kommun remiss`)."""
    line_start = header.rfind("\n", 0, start) + 1
    above = header[: max(0, line_start - 1)].rsplit("\n", 1)[-1]
    words_before = header[line_start:start].split()
    return (
        any(fold(line).split()[:1] == ["till"] for line in (above, header[line_start:start]) if line.split())
        or bool(words_before and fold(words_before[-1]) in _ADDRESSING)
    )


_ADDRESSING = frozenset({"over", "till", "fran"})


def find_municipality(header: str, text: str) -> str:
    """The municipality named in the header (`Göteborgs Stad`, a stadsdelsförvaltning,
    a `Linköpings … kommun` logo), else the one the text names most by its organisational
    name (`Kungsbacka kommun`, `Nykarleby stad`), its web or e-mail domain, or the
    registry prefix of its diary numbers (`NKBY/497/12.03.01/2022`), or, weakest, its
    name as printed (`Linköpings Stadsmission`) or a nämnd's name only it uses; "" when
    nothing names one. A stadsdel
    in the text, a name inside a person's name (`Anders Lund`) and a word that only
    looks like a name to OCR-tolerant matching (`anges`, `Emil`) are no evidence."""
    patterns = municipality_patterns()
    all_ = municipalities()
    head_lines = header.split("\n")[:12]
    # the earliest alias or stadsdel in the header; on a tie the first in the data file
    named_in_header = [(match.start(), n) for n, match in patterns.aliases.finditer(header) if not _addressed(header, match.start())]
    named_in_header += [(match.start(), patterns.unit_owner[n]) for n, match in patterns.units.finditer(header) if _names_a_unit(header, match)]
    # the logo line: `Linköpings   Tjänsteskrivelse` / `kommun`
    logos = [n for n, logo in patterns.logos if head_lines and logo.match(head_lines[0])]
    if logos:
        return all_[logos[-1]].name
    if named_in_header:
        return all_[min(named_in_header)[1]].name
    scores: Counter[int] = Counter()
    for n, _ in patterns.aliases.finditer(text):
        scores[n] += 3
    for n, count in _domain_counts(text.lower(), patterns).items():
        scores[n] += 3 * count
    for match in DNR_FINNISH.finditer(text):
        register = match.group("dnr").split("/")[0]
        if register in patterns.registers:
            scores[patterns.registers[register]] += 3
    for n, _ in patterns.bodies.finditer(text):  # `Nämnden för Kultur & Fritid`: Kungsbacka's
        scores[patterns.body_owner[n]] += 1
    for match in patterns.names.finditer(text):
        if not _in_person_name(text, match.start()):  # not `Anders Lund`
            scores[patterns.names_owner[match.group("name")]] += 1
    return all_[max(scores, key=lambda n: (scores[n], -n))].name if scores else ""
