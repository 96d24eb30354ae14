"""Document metadata from the normalized text: dnr, date, municipality, deciding body,
title, document type (extract/doctype.py) and author (handläggare). The header (the
text before the first heading) carries most of it, in any of the usual layouts: label
and value on one line (`Datum: 2023-11-08`), in two columns (`Dnr   MN-2024-3456`), or
the value on a line after its label (`Diarienummer` / `KS-2024-00605`). Word lists come
from swedish/data.py.

What real documents taught (the shared set and TUNE of data/eval/real/, measured in
docs/eval-real.md):
- the date of a protocol or agenda is its meeting's (`Sammanträde tisdagen den 18
  februari 2025`, `Sammanträdestid 29.5.2023`), not the day the agenda was drawn up;
  other documents carry theirs under `Datum`; dates of the body text are never taken;
- a document's diary numbers are its header's, and those that a list in its text
  introduces line by line (`Dnr IF-2026-00025. Placeringsavtal …`) or a table holds in
  its diary-number column; a number in running text refers to another case;
- the municipality is named in the letterhead or footer (`KUNGSBACKA KOMMUN`, `Nykarleby
  stad`), a web address, or the registry prefix of its diary numbers (`NKBY/…`); a bare
  place name in the text (`Backa`, OCR-like `anges` for Ånge) is no evidence: unknown
  beats wrong;
- the deciding body is a body line of the letterhead (also after `Organ` or `Till:`),
  else the body the proposals are for (their heading or the subject of the first
  decision; not the fullmäktige a body proposes to), else the body the header addresses
  (`Initiativärende till nämnden för …`), else the one its administration serves
  (`Förvaltningen för Vård & Omsorg`, `Kommunstyrelsens förvaltning`);
- the title is the subject line after the letterhead's labels, before the text begins;
  of a protocol or agenda its heading and body (`Protokoll 3/2023 – Personalsektionen`),
  of a one-§ extract the § title.

What the second TUNE batch taught (Göteborg, Botkyrka, more Kungsbacka bodies; `tune 2`
in docs/eval-real.md, 88 % → 98 % of all checks with these rules, the first batch and
the shared set unchanged at 100 %):
- a title goes on after a blank line when its rest starts in lower case (the PDF layer's
  blank line), and ends where a paragraph of prose begins even without a blank line;
- a cover letter (`Missiv till kommunstyrelsen`) is no title: the report it introduces
  is titled after the letter's signatures; a metadata table (`Dokumentansvarig är: …`)
  and a table of contents are no title either;
- a letter is dated by its place-and-date line (`Göteborg den 29 april 2026`) before any
  unlabelled date (deadlines: `senast den 18 juni 2026`); a steering document by
  `Dokumentet beslutades den:` when no `Datum` says otherwise;
- the header's diary numbers are its letterhead's: a report's footnotes cite other cases;
  a table's column of diary numbers counts whatever its heading (`Tillhör ärende`);
- the body may be labelled (`Dokumentet är beslutat av:`), named inside the first
  decision (`… dataskyddsombud för byggnadsnämnden`), or be the one whose delegation
  list a report of delegated decisions follows.

What the sixth TUNE batch taught (Kungsbacka nämnder of 2024 and 2026): a letterhead may
hyphenate a body's name before `&` (`Nämnden för Miljö- & Hälsoskydd`), the name its
text writes without the hyphen; a diary number may keep a space after its prefix's dash
(`VO- 2026-00017`, swedish/dnr.py); a heading the section rules do not know may stand
between the subject line and the text (`Sammanfattade inställning`): the title is the
subject line above it.

What the tenth TUNE batch taught (Kungsbacka documents picked at random in bundles): a
letterhead's body field may be the template's unfilled `Nämnd`, no name: a yttrande then
has the body its statement opens with; a municipality named after a party (`SD
Kungsbacka`) is the party's local branch, not a person's surname; a line with a web or
e-mail address (a cover page's contact footer) is never a title.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from document import MULTI_MATTER_TYPES, Section
from extract.doctype import HEADING_WORDS, find_doc_type, letterhead_heading, title_words
from extract.names import looks_like_person, person_spans
from extract.phrases import PhraseSet
from extract.proposals import decision_subject, extract_proposals, generic_bodies
from extract.sections import cover_letter_words
from swedish.data import bodies, date_labels, genitive, layout, municipalities, parties
from swedish.dates import COMPACT_DATE, FINNISH_DATE, ISO_DATE, SIGNED, TEXT_DATE, date_of, iso_date
from swedish.dnr import DNR, DNR_BARE, DNR_FINNISH, DNR_NUMBER, dnr_in, dnr_key, printed_dnr
from swedish.fold import fold, ocr_tolerant

_AUTHOR_LABEL = re.compile(r"^(?:" + "|".join(ocr_tolerant(label) for label in layout()["author_labels"]) + r")\b:?\s*(.*)$", re.IGNORECASE)
# `Titel: …` at a line's start or after another label (`Dokumentegenskaper: Titel: …`)
_TITLE_FIELD = re.compile(r"(?:^|:\s+)(?:" + "|".join(ocr_tolerant(label) for label in layout()["title_labels"]) + r")\s*:\s+(?P<title>\S.*)$", re.IGNORECASE | re.MULTILINE)
_LABEL_LINE = re.compile(
    r"^(?:" + "|".join(ocr_tolerant(w) for w in ("handläggare", "telefon", "tel", "e-post", "epost", "mobil", "datum", "dnr",
    "diarienummer", "ärendenummer", "vår referens", "sida", "till", "utfärdat", "upprättad", "fax", "växel", "box", "besöksadress",
    "postadress", "ert diarienummer", "er beteckning", "er referens", "ert datum")) + r")\b",
    re.IGNORECASE,
)
_TITLE_SENTENCE_CHARS = 300
_REFERENCE = re.compile(r"[A-Za-zÅÄÖåäö]{1,6}\d{2,}[\d/.:-]*/[\d/.:-]*\d")
_YEARS = re.compile(r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?")
_LABEL_VALUES = re.compile(r"\s+(?:" + ocr_tolerant("dnr") + r"|datum|\d{4}-\d\d-\d\d|tel)\b", re.IGNORECASE)
_DNR_LABEL = re.compile(r"^(?:dnr|diarienr|diarienummer|diarie|" + ocr_tolerant("ärendenummer") + r"|beteckning)\.?:?$", re.IGNORECASE)
_ROW_LABEL = re.compile(r"(?:^|(?<=\s))[A-ZÅÄÖ][\wåäö]*(?: [\wåäö]+){0,3}:(?=\s|$)")  # `Gäller för:`
_NUMBER_ONLY = re.compile(DNR_NUMBER)
_LIST_GAP_LINES = 12  # the most lines between two entries of a list of diary numbers
_LISTED_DNR = re.compile(r"(?m)^[ \t]*(?=[A-ZÅÄÖ])" + DNR.pattern)  # `Dnr IF-2026-00025. …`, not a sentence's `dnr` wrapped to a line start
# in such a list, a line led by a registry's number without `Dnr` (`AVTAL-2025-00385. Handledning …`)
_LISTED_BARE = re.compile(r"(?m)^[ \t]*" + DNR_BARE.pattern + r"\.(?=[ \t]|$)")
_REGISTRY_PREFIX = 4  # letters at most in a registry prefix printed without `Dnr`: `KS`, `SBN`, `KFT` (not `AVTAL 5/2022`)
_PARAGRAPH_LINE = re.compile(r"^§\s*\d+\s+" + DNR.pattern)
_EXTRACT_PARAGRAPH_LINES = 8  # an extract's § line follows its running header at once
_LEADER = re.compile(r"\.{4,}\s*\d*$")  # a contents page's dotted leader and page number
_HEADER_SCAN_LINES = 40
_TITLE_CHARS, _SHORT_TITLE_CHARS = 12, 6
_COVER_LINES = 4  # a cover page that holds a title only
_RUNS_ON = re.compile(r"(?:\b(?:i|om|av|för|och|till|med|samt|på|vid|inom|från|avseende|gällande)|[–&,-])$", re.IGNORECASE)
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÅÄÖ]")  # `1. Allmänt`, `2.1 Beräkning av inkomst`
_TOC_ENTRY = re.compile(r"(?:\.{3,}|…+|\t)\s*\d{1,3}\s*$")  # `Inledning\t3`, `Syfte ........ 3`
_CONTACT = re.compile(r"\bwww\.|https?://|\S@[\w-]+\.[a-z]{2,}", re.IGNORECASE)  # a web or e-mail address
_FIELD = re.compile(r"^[A-ZÅÄÖ][\wåäö ]{2,40}:(?:\s|$)")  # `Dokumentansvarig är: Anhörigsamordnare`
_SENTENCE_INSIDE = re.compile(r"[a-zåäö]{3}[.!?]\s+[A-ZÅÄÖ]")
_JOINING = frozenset({"för", "och", "&", "i"})  # words inside a body's name
# A hyphen before `&` in a body's name (`Nämnden för Miljö- & Hälsoskydd`) is a slip for
# the name its text writes without it (`Nämnden för Miljö & Hälsoskydd`); before `och` it
# suspends a compound (`Miljö- och hälsoskyddsnämnden`) and stays.
_SUSPENDED_AMPERSAND = re.compile(r"(?<=\w)-\s+&")
# a body's name, its first part possibly suspended (`Barn- och utbildningsnämnden`)
_BODY_NAME = r"(?:[Nn]ämnden för [A-ZÅÄÖ][\wåäö-]*(?: (?:&|och) [A-ZÅÄÖ][\wåäö-]*)?|(?:[\wåäö]+- (?:och|&) )?[\wåäö-]*(?:nämnden|styrelsen|fullmäktige))"
_OWN_ADMINISTRATION = re.compile(r"\b(?P<body>[A-ZÅÄÖ][\wåäö]*(?:nämnden|styrelsen))s förvaltning\b")
_TILL = re.compile(r"^(?i:till):?\s+(?P<body>\S.*)$")  # `Till: Nämnden för Vård & Omsorg`
_ADDRESSED = re.compile(rf"\btill (?P<body>{_BODY_NAME})\b")


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


def find_dnr(header: str, text: str = "") -> list[str]:
    """The document's own diary numbers, as printed: in the header's letterhead (before
    its first paragraph of prose: the numbers of a report's footnotes are other cases'),
    introduced by Dnr/Diarienummer (on its line or below it), printed bare with a
    registry prefix (`SBN 475/2022`) or Finland-Swedish; then those that `text` lists
    (see `listed_dnr`). One number printed twice (`KFT-2025-00054`, `KFT 2025-00054`) is
    given once."""
    header = before_prose(header)
    found = [printed_dnr(match.group("dnr")) for match in DNR.finditer(header)]
    lines = [line.strip() for line in header.split("\n")]
    for i, line in enumerate(lines):
        if _DNR_LABEL.match(line):
            value = next((later for later in lines[i + 1 : i + 4] if later), "")
            found += dnr_in(value.split("  ")[0])
    for match in DNR_BARE.finditer(header):
        prefix = re.split(r"[ \-‐‑–—]", match.group("dnr"))[0]
        if sum(ch.isupper() for ch in prefix) >= 2 and len(prefix) <= _REGISTRY_PREFIX:
            found.append(printed_dnr(match.group("dnr")))
    found += [printed_dnr(match.group("dnr")) for match in DNR_FINNISH.finditer(header)]
    found += _dnr_under_label_row(lines)
    found += listed_dnr(text)
    unique: dict[str, str] = {}
    for number in found:
        if not ISO_DATE.fullmatch(number):
            unique.setdefault(dnr_key(number), number)
    return list(unique.values())


def label_row(line: str) -> list[str]:
    """The labels of a metadata table's row of column headings (`Beslutad av:  Gäller för:
    Diarienummer:`, the values on the line below): two or more labels and nothing else."""
    labels = _ROW_LABEL.findall(line)
    return labels if len(labels) >= 2 and not _ROW_LABEL.sub("", line).strip() else []


def _dnr_under_label_row(lines: list[str]) -> list[str]:
    """The number under a `Diarienummer:` column heading of a metadata table whose
    columns a text layer has squeezed (`Beslutad av: Gäller för: Diarienummer:` /
    `Stadsdirektör Stadsledningskontoret 0451/23`): the value line's one token that is
    a diary number's number and nothing else."""
    found = []
    for i, line in enumerate(lines):
        if any(_DNR_LABEL.match(label.strip()) for label in label_row(line)):
            for later in lines[i + 1 : i + 4]:
                numbers = [token for token in later.split() if _NUMBER_ONLY.fullmatch(token) and not ISO_DATE.fullmatch(token)]
                if numbers:
                    found += numbers[:1]
                    break
    return found


def listed_dnr(text: str) -> list[str]:
    """Diary numbers that `text` lists: at the start of a line after `Dnr`, beside another such line (`Dnr
    IF-2026-00025. Placeringsavtal …`) and, in such a list, without it (`AVTAL-2025-00385.
    Handledning …`), or in a Markdown table's column of diary numbers:
    the one headed so (`| Diarie |` … `| KFT 2025-<br>00141 |`), or one whose every
    filled cell is a diary number and nothing else, whatever its heading (`Tillhör
    ärende`) and also where a table goes on on the next page without its heading row."""
    found = [printed_dnr(match.group("dnr")) for match in _in_a_list(list(_LISTED_DNR.finditer(text)), text)]
    if found:
        found += [printed_dnr(match.group("dnr")) for match in _LISTED_BARE.finditer(text)
                  if sum(ch.isupper() for ch in match.group("dnr")[:8]) >= 2]  # a registry's capitals, not a word
    for table in _tables(text):
        headed = next((n for n, cell in enumerate(table[0]) if _DNR_LABEL.match(fold(cell))), None)
        heading_row = len(table) > 1 and all(set(cell) <= set("-: ") for cell in table[1])
        for column in range(max(len(row) for row in table)):
            cells = [row[column] for row in table if column < len(row) and not set(row[column]) <= set("-: ")]
            if heading_row and cells and not _only_dnr(cells[0]):
                cells = cells[1:]  # the column's heading (`Tillhör ärende`)
            if column != headed and not (cells and all(_only_dnr(cell) for cell in cells)):
                continue
            for cell in cells:
                found += dnr_in(cell)
    return found


def _in_a_list(matches: list[re.Match], text: str) -> list[re.Match]:
    """The line-start numbers that stand in a list: each with another within
    `_LIST_GAP_LINES` lines. A lone `Ärendenummer FFS-2026-00773` far from any other is
    the number of an attached extract or letter, not an entry of a list the document makes."""
    lines = [text.count("\n", 0, match.start()) for match in matches]
    return [match for n, match in enumerate(matches)
            if any(abs(lines[n] - other) <= _LIST_GAP_LINES for m, other in enumerate(lines) if m != n)]


def _tables(text: str) -> list[list[list[str]]]:
    """The Markdown tables of `text`, each a list of rows of cells (`<br>` a line break)."""
    tables: list[list[list[str]]] = []
    in_table = False
    for line in text.split("\n"):
        if not line.lstrip().startswith("|"):
            in_table = False
            continue
        cells = [re.sub(r"<br\s*/?>", "\n", cell).strip() for cell in line.strip().strip("|").split("|")]
        if not in_table:
            tables.append([])
        tables[-1].append(cells)
        in_table = True
    return tables


def _only_dnr(cell: str) -> bool:
    """A table cell that is one diary number (`SE-2025-00266`, `KFT 2025-\n00141`)."""
    numbers = dnr_in(cell)
    return len(numbers) == 1 and len(numbers[0]) >= len(" ".join(cell.split())) - 1


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


@lru_cache(maxsize=1)
def _date_label_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(document, decision, meeting) date labels of data/swedish/dates.toml."""
    labels = date_labels()

    def words(kind: str, suffix: str = "") -> re.Pattern[str]:
        return re.compile(r"\b(?:" + "|".join(ocr_tolerant(word) for word in labels[kind]) + rf"){suffix}\b", re.IGNORECASE)

    return words("document"), words("decision"), words("meeting", r"\w*")


def find_date(header: str, meeting: bool = False, text: str = "") -> str:
    """The document's date: a date labelled in the header (`Datum`, `Upprättad`, else
    a steering document's `Dokumentet beslutades den:`) or, for a protocol or agenda
    (`meeting`), its meeting's (`Sammanträde … den 18 februari 2025`,
    `Sammanträdestid 29.5.2023`), which comes first there; else the place and date a
    letter is signed with (`Göteborg den 9 april 2024`, on a line of its own in
    `text`); else the header's first date.
    Other dates are deadlines and events (`senast den 18 juni 2026`, the meeting a report
    goes to), never the document's date."""
    document_label, decision_label, meeting_label = _date_label_patterns()
    signed_rank = 3
    candidates = [(signed_rank, start, date) for start, date in _signing_dates(text or header)]
    for pattern in (ISO_DATE, TEXT_DATE, FINNISH_DATE):
        for match in pattern.finditer(header):
            date = iso_date(match)
            if not date:
                continue
            line_start = header.rfind("\n", 0, match.start()) + 1
            before = header[line_start : match.start()]
            if not before.strip():  # the label on the line above: `Datum` / `2024-05-02`
                before = header[:line_start].rstrip().rsplit("\n", 1)[-1]
            labels = [bool(label.search(before)) for label in (meeting_label, document_label, decision_label)]
            order = (0, 1, 2) if meeting else (4, 0, 1)  # the rank each label gives; unlabelled: 5
            rank = min((order[n] for n, found in enumerate(labels) if found), default=5)
            candidates.append((rank, match.start(), date))
    for match in COMPACT_DATE.finditer(header):
        # `Datum: 20251028`: eight digits are a date only after the label, on its line
        line_start = header.rfind("\n", 0, match.start()) + 1
        before = header[line_start : match.start()]
        label = document_label.search(before)
        date = iso_date(match)
        if label and date and not before[label.end() :].strip(" \t:"):
            candidates.append((0, match.start(), date))
    return min(candidates)[2] if candidates else ""


def _signing_dates(text: str) -> list[tuple[int, str]]:
    """(offset, ISO date) of the lines that give the place and date a letter is signed
    with: `Göteborg den 9 april 2024`, `Kungsbacka den 7 maj 2024`, `Nykarleby 29.5.2023`
    (a municipality's name, or any place before `den`)."""
    names = {fold(m.name) for m in municipalities()}
    found = []
    for line in SIGNED.finditer(text):
        date = date_of(line.group("date"))
        if date and (fold(line.group("place")) in names or line.group("den")):
            found.append((line.start(), date))
    return found


@dataclass(frozen=True)
class _MunicipalityPatterns:
    aliases: PhraseSet  # one entry per municipality: its organisational names
    units: PhraseSet  # one entry per stadsdel or district
    unit_owner: tuple[int, ...]  # municipality index of each unit
    logos: tuple[tuple[int, re.Pattern[str]], ...]  # a first line starting with the genitive
    domains: dict[str, tuple[int, ...]]  # web/e-mail domain → municipality indexes
    domain_endings: tuple[str, ...]  # `.se`, `.fi`
    domain_chars: frozenset[str]  # the characters of the domains before their ending
    registers: dict[str, int]  # registry prefix of diary numbers → municipality index
    names: re.Pattern[str]  # the bare name (or genitive) of each unambiguous municipality, as printed
    names_owner: dict[str, int]


@lru_cache(maxsize=1)
def _municipality_patterns() -> _MunicipalityPatterns:
    all_ = municipalities()
    units = [(n, unit) for n, m in enumerate(all_) for unit in m.units]
    domains: dict[str, tuple[int, ...]] = {}
    for n, m in enumerate(all_):
        for domain in m.domains:
            domains[domain] = domains.get(domain, ()) + (n,)
    return _MunicipalityPatterns(
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
        names=re.compile(r"\b(?P<name>" + "|".join(sorted((re.escape(m.name) for m in all_ if not m.ambiguous), key=len, reverse=True)) + r")s?\b"),
        names_owner={m.name: n for n, m in enumerate(all_) if not m.ambiguous},
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


def _names_a_unit(header: str, match: re.Match) -> bool:
    """A stadsdel named as an organisation (`Hässelby-Vällingby stadsdelsförvaltning`) or
    on a line of its own, not a surname (`Luzilla Backa, välfärdschef`)."""
    line_end = header.find("\n", match.end())
    rest = header[match.end() : line_end if line_end >= 0 else len(header)].split()
    alone = not rest and header[: match.start()].rsplit("\n", 1)[-1].strip() == ""
    return alone or bool(rest and fold(rest[0]).endswith(_organisation_words()))


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


def find_municipality(header: str, text: str) -> str:
    """The municipality named in the header (`Göteborgs Stad`, a stadsdelsförvaltning,
    a `Linköpings … kommun` logo), else the one the text names most by its organisational
    name (`Kungsbacka kommun`, `Nykarleby stad`), its web or e-mail domain, or the
    registry prefix of its diary numbers (`NKBY/497/12.03.01/2022`), or, weakest, its
    name as printed (`Linköpings Stadsmission`); "" when nothing names one. A stadsdel
    in the text, a name inside a person's name (`Anders Lund`) and a word that only
    looks like a name to OCR-tolerant matching (`anges`, `Emil`) are no evidence."""
    patterns = _municipality_patterns()
    all_ = municipalities()
    head_lines = header.split("\n")[:12]
    # the earliest alias or stadsdel in the header; on a tie the first in the data file
    named_in_header = [(match.start(), n) for n, match in patterns.aliases.finditer(header)]
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
    for match in patterns.names.finditer(text):
        if not _in_person_name(text, match.start()):  # not `Anders Lund`
            scores[patterns.names_owner[match.group("name")]] += 1
    return all_[max(scores, key=lambda n: (scores[n], -n))].name if scores else ""


@lru_cache(maxsize=1)
def _body_words() -> tuple[str, ...]:
    return tuple(fold(s) for s in bodies()["body_suffixes"])


@lru_cache(maxsize=1)
def _organisation_words() -> tuple[str, ...]:
    """Endings of the names of bodies and of the administrations serving them."""
    return tuple(fold(s) for s in bodies()["body_suffixes"] + bodies()["administration_suffixes"])


def _is_body_line(line: str) -> bool:
    """A line that is a body's name: `Kommunstyrelsen`, `Byggnadsnämndens arbetsutskott`,
    `Nämnden för Kultur & Fritid`, `Social- och omsorgsnämnden`; every word capitalised,
    a joining word or itself a body word. Not a title that ends in one (`Val av
    ersättare till utskott`)."""
    words = line.split()
    if not words or len(words) > 5 or re.search(r"\d", line) or line.rstrip().endswith((".", ":")):
        return False
    body_words = [fold(word).endswith(_body_words()) for word in words]
    # a lower-case word ending a suspended compound: `Kultur- och fritidsnämndens arbetsutskott`
    suspended = [n >= 2 and words[n - 2].endswith("-") and words[n - 1] in _JOINING for n in range(len(words))]
    named = all(is_body or word[:1].isupper() or word in _JOINING or after for word, is_body, after in zip(words, body_words, suspended))
    return any(body_words) and named and not looks_like_person(line)


@lru_cache(maxsize=1)
def _body_label() -> re.Pattern[str]:
    labels = "|".join(ocr_tolerant(label) for label in sorted(bodies()["body_labels"], key=len, reverse=True))
    return re.compile(rf"^(?:{labels})\s*:?\s+(?P<body>\S.*)$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _body_field() -> re.Pattern[str]:
    """A `Label: value` field anywhere on a line whose label names the body
    (`… Rapportperiod: 2027-12-31 Organisation: Kultur- och fritidsnämnden`)."""
    labels = "|".join(ocr_tolerant(label) for label in bodies()["body_field_labels"])
    return re.compile(rf"(?:^|\s)(?:{labels})\s*:\s*(?P<body>\S.*)$", re.IGNORECASE)


def _leading_body(value: str) -> str:
    """The body's name that a labelled value begins with (`Kommunfullmäktige 7 maj 2024
    § 82, Dnr …`, `Byggnadsnämnden, XXXX § XXX` → the body), else the value without its trailing labels."""
    words = value.split(",")[0].split()  # a name holds no comma: `Byggnadsnämnden, XXXX § XXX`
    for n in range(min(len(words), 6), 0, -1):
        if _is_body_line(" ".join(words[:n])):
            return _without_place(" ".join(words[:n]))
    return _strip_label_values(value)


_IN_PLACE = re.compile(r"\s+i\s+(?P<place>\S.*)$")


def _without_place(name: str) -> str:
    """A body's name without the municipality it is of: `Kommunstyrelsen i Kungsbacka` →
    `Kommunstyrelsen` (the municipality is a field of its own)."""
    place = _IN_PLACE.search(name)
    if place and _municipality_patterns().names.fullmatch(re.sub(r"\s+(?:kommun|stad)$", "", place.group("place"), flags=re.IGNORECASE)):
        return name[: place.start()]
    return name


def find_body(header: str) -> str:
    """The body addressed: a header line that names a nämnd/styrelse (after a label such
    as `Organ` or `Till:`, or a body field `Organisation: …` among others on its line),
    or a `Till` block."""
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
        labelled = _body_label().match(line)
        if labelled and not label_row(line):  # `Organ  Rådet för funktionshindrade`: the label says it is the body
            return _leading_body(labelled.group("body"))
        field = _body_field().search(line)
        if field and _is_body_line(field.group("body").strip()):
            return field.group("body").strip()
        addressed = _TILL.match(line)
        line = _strip_label_values(addressed.group("body") if addressed else line)
        if _is_body_line(line) and not DNR.search(line) and not _is_placeholder(line):
            return _without_place(line)
    return ""


def _is_placeholder(line: str) -> bool:
    """A letterhead's body field left as the template has it: a bare generic `Nämnd`
    or `Styrelsen` names no body."""
    return fold(" ".join(line.split())) in generic_bodies()


def addressed_body(header: str) -> str:
    """A body the header addresses in running words: `Initiativärende till nämnden för Vård
    & Omsorg`, `… till Kommunstyrelsen`."""
    match = _ADDRESSED.search(" ".join(header.split()))
    return match.group("body")[:1].upper() + match.group("body")[1:] if match else ""


def _strip_label_values(line: str) -> str:
    """`John Fristedt, Irene Johansson Dnr KS 2021-257` → `John Fristedt, Irene Johansson`."""
    return _LABEL_VALUES.split(line)[0].strip()


def find_author(header: str) -> str:
    """The handläggare: after a `Handläggare`/`Vår referens` label (several are joined), or
    the lines of person names under the administration's name in the header."""
    lines = [line.strip() for line in header.split("\n")]
    names = []
    for i, line in enumerate(lines):
        match = _AUTHOR_LABEL.match(line)
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


def _is_prose(block: str) -> bool:
    """A paragraph, not a subject line: a sentence ends inside it, or it is one long one."""
    one_line = " ".join(block.split())
    inside = bool(_SENTENCE_INSIDE.search(one_line))
    return (one_line.endswith(".") and (len(one_line) > 100 or inside)) or (inside and len(one_line) > 100)


def _one_sentence(block: str) -> bool:
    """A block of at most `_TITLE_SENTENCE_CHARS` that is one sentence: no sentence ends inside it."""
    one_line = " ".join(block.split())
    return len(one_line) <= _TITLE_SENTENCE_CHARS and not _SENTENCE_INSIDE.search(one_line)


def _header_blocks(header: str) -> list[str]:
    """The header's blank-line separated blocks, as a title reads them: a block that
    starts in lower case goes on the one before (a PDF layer's blank line inside a title:
    `… interna och externa` / blank / `priser och utmärkelser …`), and a block whose
    lines begin a paragraph of prose after a title's lines is two (`Yttrande över … energi,`
    / `KN2024/02249` / `Byggnadsnämnden ser positivt på …`)."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", header):
        block = block.strip()
        if not block:
            continue
        if blocks and block[:1].islower() and not blocks[-1].endswith("."):
            blocks[-1] += "\n" + block
        else:
            blocks.append(block)
    return [part for block in blocks for part in _title_then_prose(block)]


def _title_then_prose(block: str) -> list[str]:
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    for i in range(1, len(lines)):
        head, rest = "\n".join(lines[:i]), "\n".join(lines[i:])
        previous = lines[i - 1]
        if lines[i][:1].isupper() and not _RUNS_ON.search(previous) and not previous.endswith(".") and _is_prose(rest) and not _is_prose(head):
            return [head, rest]
    return [block]


def before_prose(header: str) -> str:
    """The header up to its first paragraph of prose: the letterhead and subject line."""
    for block in _header_blocks(header):
        if _is_prose(block):
            first_line = block.split("\n")[0]
            return header[: header.find(first_line)] if first_line in header else header
    return header


def find_title(header: str, body: str, heading: str = "") -> str:
    """The title a field of document properties names (`Titel: …`), else a cover page's
    title (`_cover_title`), else the last block of the header that holds a title: its one run of lines that are
    not a date, dnr, label, body, administration or name line, nor the letterhead's
    `heading`, nor a paragraph of prose, nor an entry of a table of contents. Such lines
    may stand before the title (`Datum` / `2024-05-02` / title, without a blank line) or
    after it (OCR: `Remiss Motion om …` + `Kommunstyrelsens diarienummer KS 2023/553`). A
    title has two words or some length: `Budget 2027`, `Delårsbokslut`, not `Upplysning`.
    Only blocks before the first paragraph of prose count (a header without headings may
    hold the whole text), and no block of a metadata table (`Diarienummer: …` /
    `Dokumentet är beslutat av: …`) or of a cover letter's heading (`Missiv till
    kommunstyrelsen`): a cover letter introduces a report, whose title is the first one
    after the letter's signatures (`Jonas Ransgård  Torbjörn Rigemar` / `Styrning genom
    planer och program`)."""
    labelled = _TITLE_FIELD.search(before_prose(header))
    if labelled:  # the document's properties name its title
        return " ".join(labelled.group("title").split())
    cover = _cover_title(header, body)
    if cover:
        return cover
    blocks = _header_blocks(header)
    prose = next((n for n, block in enumerate(blocks) if _is_prose(block)), len(blocks))
    titles = [(n, title) for n, title in ((n, _title_of(block, body, heading)) for n, block in enumerate(blocks[:prose])) if title]
    if titles:  # the title comes before the text begins
        n, title = titles[-1]
        if len(titles) > 1 and n == prose - 1 and prose < len(blocks) and _heading_shaped(blocks[n]):
            # a heading the section rules do not know, right over the text (`Yttrande över …`
            # / `Sammanfattade inställning` / `Nämnden … tillstyrker …`): the title is above it
            return titles[-2][1]
        return title
    if prose == len(blocks) - 1 and _one_sentence(blocks[prose]):
        # a long subject line with a full stop, right before the first heading (`Svar på
        # motion från … om elevresor … och stärka demokratiska värden.` / `Förslag till beslut`)
        title = _title_of(blocks[prose].rstrip("."), body, heading)
        if title:
            return title
    if not any(fold(block).startswith(cover_letter_words()) for block in blocks[:prose]):
        return ""
    signed = next((n for n in range(prose, len(blocks)) if any(looks_like_person(line) for line in blocks[n].split("\n"))), None)
    for block in blocks[signed + 1 :] if signed is not None else []:
        if _is_prose(block):
            break
        title = _title_of(block, body, heading)
        if title:
            return title
    return _cover_letter_heading(blocks[:prose])


def _cover_letter_heading(blocks: list[str]) -> str:
    """A cover letter's heading as the title, when no report title follows the letter
    (`Missiv till kommunstyrelsen samt` / `ansvariga nämnder och bolag`, then the report
    begins with its first section heading): the letter is what the document names."""
    letter = next((block for block in blocks if fold(block).startswith(cover_letter_words())), "")
    heading = " ".join(letter.split())
    return heading if letter and len(letter.split("\n")) <= 3 and not _is_prose(heading) else ""


def _type_and_addressee(title: str) -> bool:
    """A line that names only a document's type and the body it is addressed to (`Motion
    till Kommunfullmäktige`, `Medborgarförslag till nämnden för Teknik`) or the party it is
    sent by (`Initiativ från Socialdemokraterna Kungsbacka`)."""
    words = title.split()
    if len(words) < 3 or fold(words[0]) not in title_words():
        return False
    rest = " ".join(words[2:])
    if fold(words[1]) in _addressed_by():
        return _is_body_line(rest) or _is_body_line(rest.capitalize())
    return fold(words[1]) in _sent_by() and _is_party(rest)


def _is_party(text: str) -> bool:
    """A party's name, perhaps followed by the municipality's (`Socialdemokraterna Kungsbacka`)."""
    words = text.split()
    if len(words) > 1 and _municipality_patterns().names.fullmatch(words[-1]):
        words = words[:-1]
    return fold(" ".join(words)) in {fold(party["name"]) for party in parties()}


@lru_cache(maxsize=1)
def _sent_by() -> frozenset[str]:
    return frozenset(fold(word) for word in bodies()["sent_by"])


@lru_cache(maxsize=1)
def _addressed_by() -> frozenset[str]:
    return frozenset(fold(word) for word in bodies()["addressed_by"])


def _heading_shaped(block: str) -> bool:
    """One short line of two or three words without digits or closing punctuation, the
    shape of a section heading (`Sammanfattade inställning`), not of a subject line."""
    words = block.split()
    return "\n" not in block.strip() and 2 <= len(words) <= 3 and not re.search(r"[\d.:;,]", block)


def _cover_title(header: str, body: str) -> str:
    """The title of a cover page: a first page (up to the first form feed) of no more than
    `_COVER_LINES` short lines that read as one title (`Budgetskrivelse` / `för
    investeringar` / `2027-2031`), its type word included."""
    if "\f" not in header:
        return ""
    lines = [line for line in header.split("\f", 1)[0].split("\n") if line.strip()]
    if not lines or len(lines) > _COVER_LINES:
        return ""
    return _title_of("\n".join(lines), body, "")


def _title_of(block: str, body: str, heading: str) -> str:
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    listing = (sum(bool(_FIELD.match(line)) for line in lines) >= 2 or sum(bool(_TOC_ENTRY.search(line)) for line in lines) >= 2
               or any(label_row(line) for line in lines))
    if fold(lines[0]).startswith(cover_letter_words()) or listing or _word_list(lines):
        return ""  # a cover letter's heading, a metadata table, a table of contents, a list of kinds
    titled = [_may_be_title(line, body, heading) for line in lines]
    for n in range(1, len(lines)):  # a title broken after `i` goes on: `… utmärkelser i` / `Kungsbacka kommun`
        titled[n] = titled[n] or (titled[n - 1] and bool(_RUNS_ON.search(lines[n - 1]) or lines[n][:1].islower()))
    if True not in titled:
        return ""
    first = titled.index(True)
    last = len(titled) - 1 - titled[::-1].index(True)
    if not all(titled[first : last + 1]):
        return ""  # a dnr or a name between title lines: body text, not a title
    one_line = " ".join(" ".join(lines[first : last + 1]).split())
    long_enough = len(one_line) >= _TITLE_CHARS or (len(one_line.split()) >= 2 and len(one_line) >= _SHORT_TITLE_CHARS)
    return one_line if long_enough and not _is_prose(one_line) else ""


def _word_list(lines: list[str]) -> bool:
    """Four or more lines of one word each, all letters: a list (a template's kinds of
    steering document, `Strategi` / `Program` / `Plan` / `Policy` / `Riktlinjer`), not a
    title (a cover's `Delårsrapport` / `augusti` / `2024` holds a number)."""
    return len(lines) >= 4 and all(len(line.split()) == 1 and line.isalpha() for line in lines)


@lru_cache(maxsize=1)
def _contents_headings() -> frozenset[str]:
    return frozenset(fold(word) for word in layout()["contents_headings"])


def _may_be_title(line: str, body: str, heading: str) -> bool:
    """Whether a header line may be part of the title: not a label, number, date, body,
    person, organisation or contents line. A line without a letter (`511-2413-16`, the
    recipient's number under `Ert diarienummer`) is a number, whatever its form, unless it
    is a year or span of years that ends a title (`Budgetskrivelse för investeringar` /
    `2027-2031`); so is a lone reference of a few letters and digits (a ministry's
    `Fi2023/02375`). A line with a web or e-mail address is the footer's contact line
    (`Kungsbacka kommun | 0300-83 40 00 | info@kungsbacka.se | www.kungsbacka.se`)."""
    return not (
        (not any(c.isalpha() for c in line) and not _YEARS.fullmatch(line.strip())) or _REFERENCE.fullmatch(line.strip())
        or _CONTACT.search(line)
        or _LABEL_LINE.match(line) or DNR.search(line) or _is_dnr_line(line) or ISO_DATE.fullmatch(line) or TEXT_DATE.fullmatch(line)
        or fold(line) == fold(body) or _is_body_line(line) or _is_body_line(_strip_label_values(line))
        or looks_like_person(_strip_label_values(line))
        or (heading and fold(" ".join(line.split())) == fold(heading))
        or _is_organisation_line(line) or _TOC_ENTRY.search(line) or fold(line).rstrip(":") in _contents_headings()
        or _NUMBERED_HEADING.match(line) or _is_dateline(line)
    )


def _is_dateline(line: str) -> bool:
    """A letter's date and place on one line (`2025-08-25          Kungsbacka`): no title."""
    date = ISO_DATE.search(line) or TEXT_DATE.search(line)
    if not date:
        return False
    place = " ".join((line[: date.start()] + " " + line[date.end() :]).split()).strip(" ,")
    return bool(_municipality_patterns().names.fullmatch(place))


# The register's code before a diary number that begins with it: `SE SE-2025-00027`.
_REGISTER_CODE = re.compile(r"^(?P<code>[A-ZÅÄÖ]{1,6})\s+(?=(?P=code)\s*[-–])")


def _is_dnr_line(line: str) -> bool:
    """A line that is a diary number: `GA-2026-00001`, `2024-00181`, also after the
    register's code (`SE SE-2025-00027`: the Diarienummer field printing the series)."""
    line = _REGISTER_CODE.sub("", line.strip())
    return len("".join(dnr_in(line))) >= len(line.strip()) - 1


def _is_organisation_line(line: str) -> bool:
    """A letterhead line naming the municipality or an administration: `Kungsbacka
    kommun`, `Bygg- och miljöförvaltningen`, `Kommunledningskontoret`."""
    words = line.split()
    if len(words) > 5:
        return False
    if fold(line).endswith(("kommun", "stad")):
        # the name stands alone or after a unit's name (`Kungsbacka kommun`, `Stadsledningskontoret
        # Göteborgs Stad`), not at the end of a subject (`Årsredovisning 2024 för Kungsbacka kommun`)
        for _, match in _municipality_patterns().aliases.finditer(line):
            if all(word[:1].isupper() and not any(c.isdigit() for c in word) for word in line[: match.start()].split()):
                return True
    # the organisation word may be the lower-case end of a compound: `Vård- och omsorgsförvaltningen`
    return fold(words[-1]).endswith(_organisation_words()) and all(w[:1].isupper() or w in _JOINING for w in words[:-1] if not w.endswith("-"))


def _block_of(header: str, heading: str) -> str:
    """The header's line that holds `heading` and the lines after it up to a blank line,
    as one line."""
    lines = header.split("\n")
    first = next((n for n, line in enumerate(lines) if heading and heading in " ".join(line.split())), len(lines))
    block = []
    for line in lines[first:]:
        if not line.strip():
            break
        block.append(line)
    return " ".join(" ".join(block).split())


def meeting_title(header: str, body: str) -> str:
    """The title of a protocol or agenda: the title of the § it is an extract of, when its
    header ends in one (`§ 242   Dnr 2023-00249` / `Initiativ från …`), else its heading
    and body: `Protokoll 3/2023 – Personalsektionen`, `Kallelse/underrättelse – Nämnden
    för Teknik`."""
    lines = [line.strip() for line in header.split("\n") if line.strip()]
    for i, line in enumerate(lines[:_EXTRACT_PARAGRAPH_LINES]):
        if _PARAGRAPH_LINE.match(line):
            title = []
            for following in lines[i + 1 : i + 4]:
                if _LEADER.search(following) or DNR.search(following):
                    break
                title.append(following)
            if title:
                return " ".join(" ".join(title).split())
    _, heading = letterhead_heading(header)
    heading = heading.capitalize() if heading.isupper() else heading
    return " – ".join(part for part in (heading, body) if part)


def proposal_body(sections: list[Section]) -> str:
    """The body the document's proposals are for: the first proposal's, or, when that is
    the fullmäktige the body proposes to, the next one's (`Förslag till beslut i
    kommunfullmäktige` before `Förslag till beslut i kommunstyrelsen`); when the first
    proposal's heading and subject name none, the body its first decision names
    (`Härmed utses följande personer som dataskyddsombud för byggnadsnämnden …`). ""
    when none is named."""
    proposals = extract_proposals(sections, default_body="")
    if not proposals:
        return ""
    if not proposals[0].body:
        return named_body(proposals[0].items[0]) if proposals[0].items else ""
    deciding = [p.body for p in proposals if p.body and not fold(p.body).endswith("fullmaktige")]
    return deciding[0] if deciding else proposals[0].body


def named_body(text: str) -> str:
    """The first particular body that `text` names (`byggnadsnämnden` → `Byggnadsnämnden`,
    `nämnden för Service`), not a generic `nämnden`; "" if none."""
    generic = {fold(word) for word in bodies()["generic"]}
    for match in re.finditer(_BODY_NAME, text):
        name = match.group()
        if fold(name) not in generic:
            return name[:1].upper() + name[1:]
    return ""


def stated_body(sections: list[Section]) -> str:
    """The body whose position a statement opens with (`Sammanfattande inställning` /
    `Nämnden för Miljö & Hälsoskydd har inget att erinra …`); "" if its first words name
    none."""
    opening = next((section.text for section in sections if section.label != "header" and section.text.strip()), "")
    return decision_subject(" ".join(opening.split()))


def delegating_body(text: str) -> str:
    """The body whose delegation list a report of delegated decisions follows (`fattade
    enligt nämnden för Service delegeringsförteckning`, `byggnadsnämndens
    delegationsordning`); "" if the text names none."""
    lists = "|".join(ocr_tolerant(word) for word in bodies()["delegation_lists"])
    match = re.search(rf"\b(?P<body>{_BODY_NAME})s? (?:{lists})\b", text)
    if not match or fold(match.group("body")) in {fold(word) for word in bodies()["generic"]}:
        return ""
    return match.group("body")[:1].upper() + match.group("body")[1:]


def served_body(text: str) -> str:
    """The body that the administration signing the document serves, by the names a
    municipality gives both (`Förvaltningen för Vård & Omsorg` serves `Nämnden för Vård &
    Omsorg`, `Kommunstyrelsens förvaltning` serves `Kommunstyrelsen`): the administration
    named most often."""
    named = Counter(f"{bodies()['administration_bodies'][0][1]} {' '.join(match.group('field').split())}" for match in _served().finditer(text))
    named.update(match.group("body") for match in _OWN_ADMINISTRATION.finditer(text))
    return named.most_common(1)[0][0] if named else ""


@lru_cache(maxsize=1)
def _served() -> re.Pattern[str]:
    administration = bodies()["administration_bodies"][0][0]
    name = r"[A-ZÅÄÖ][\wåäö-]+"
    return re.compile(rf"\b(?i:{ocr_tolerant(administration)})\s+(?P<field>{name}(?:\s+(?:&|och)\s+{name})?)")


def header_text(text: str, sections: list[Section]) -> str:
    """The header section's text; a cover letter's header split by its signatures
    (extract/sections.py) is read whole again, the report's title after the letter."""
    if not sections or sections[0].label != "header":
        return ""
    if len(sections) > 2 and sections[1].label == "signatures" and sections[2].label == "header":
        return text[sections[0].start : sections[2].start + len(sections[2].text)]
    return sections[0].text


def extract_metadata(text: str, sections: list[Section], ocr_damaged: bool = False) -> Metadata:
    """`ocr_damaged`: restoration repaired words of this text (it came through English OCR)."""
    header = header_text(text, sections)
    head = _head(text, header)
    body = _SUSPENDED_AMPERSAND.sub(" &", " ".join(find_body(header).split()))
    _, heading = letterhead_heading(header)
    title = find_title(header, body, heading)
    doc_type = find_doc_type(header, title, sections, text)
    meeting = doc_type in MULTI_MATTER_TYPES
    words = heading.split()
    if meeting:
        title = meeting_title(header, body)
    elif (len(words) > HEADING_WORDS or (len(words) > 1 and words[1][:1].islower())) and not _is_prose(_block_of(header, heading)) and not (
        title and _type_and_addressee(_block_of(header, heading))
    ):
        # the document begins with its title: `Initiativ – Instiftande av …`, `Revisionsberättelse avseende …`;
        # not a line of type and addressee over the title (`Motion till Kommunfullmäktige` / `Hedra …`)
        title = _block_of(header, heading)
    if not meeting and not body:
        body = proposal_body(sections) or addressed_body(header) or served_body(text) or delegating_body(text)
        if not body and doc_type == "yttrande":  # a body's statement, its letterhead's body field unfilled
            body = stated_body(sections)
    dnr = find_dnr(head, text)
    if ocr_damaged:
        dnr = list(dict.fromkeys(restore_prefix_diacritic(number, head) for number in dnr))
    return Metadata(
        dnr=dnr,
        date=find_date(header, meeting=meeting, text=text),
        municipality=find_municipality(header, text),
        body=body,
        title=title,
        doc_type=doc_type,
        author=find_author(header),
    )
