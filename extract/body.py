"""The deciding body (nämnd, styrelse, fullmäktige) a document is of: `find_body` reads it
in the header; when the header names none, extract/metadata.py asks in turn
`proposal_body`, `decided_body`, `addressed_body`, for an untyped document `resolving_body`,
`served_body`, `delegating_body`, for a party's text `member_body` and, for a yttrande,
`stated_body`. Word lists: data/swedish/bodies.toml.

Rules:
- a body line of the letterhead is the body (`is_body_line`: every word capitalised, a
  joining word or a body word: `Kommunstyrelsen`, `Nämnden för Kultur & Fritid`, `Social-
  och omsorgsnämnden`), also after a label (`Organ`, `Dokumentet är beslutat av:`,
  `Till:`), in a `Till` block, or as a body field among others on its line (`Organisation:
  …`); the municipality it is of is left out (`Kommunstyrelsen i Kungsbacka`), and so is
  the document's type printed after it (`Samhällsplaneringsnämnden Sammanträdesprotokoll`);
- a letterhead's body field left as the template has it (`Nämnd`) names no body, nor does
  a list of the bodies a letter goes to (three body lines or more in a row);
- a letterhead may hyphenate a body's name before `&` (`Nämnden för Miljö- & Hälsoskydd`):
  the name is the one its text writes without the hyphen (`SUSPENDED_AMPERSAND`);
- else the body is the one the proposals are for: their heading, or the body named inside
  the first decision (`… dataskyddsombud för byggnadsnämnden`), not the fullmäktige a body
  proposes to nor a nämnd's arbetsutskott beside the nämnd; a line in lower case goes on
  the line above (`… och byggnadsnämndens` / `arbetsutskott`): no body line;
- else, for a decision taken under delegation, its subject (`Beslut` / `Nämnden för Vård &
  Omsorg medger …`);
- else the body the header addresses (`Initiativärende till nämnden för …`);
- a protocol of no known body is of the group named under its heading (`meeting_group`:
  `P ROTOKOLL, GODKÄNT` / `Förvaltningssamverkan Gymnasium & Arbetsmarknad`);
- a document of no letterhead type (a granskningsutlåtande, a samrådsredogörelse) is of the
  body whose resolution its opening lines report (`Byggnadsnämnden beslöt den 1 juni 2026
  att genomföra granskning …`);
- else the one the document's administration serves (`Förvaltningen för Vård & Omsorg`,
  `Kommunstyrelsens förvaltning`; a genitive before a noun is the name's: `Förvaltningen
  för Gymnasium & Arbetsmarknads tjänsteskrivelse`);
- else the one whose delegation list a report of delegated decisions follows;
- else, for a party's text, the one its signers are members of (`ledamot nämnden Vård och
  Omsorg`: Kungsbacka's `Nämnden för …` written without `för`);
- a yttrande whose letterhead's body field is unfilled has the body its statement opens
  with.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from document import Section
from extract.doctype import type_of
from extract.header import is_template_field, label_row, strip_label_values
from extract.municipality import municipality_patterns
from extract.names import looks_like_person
from extract.proposals import base_form, decision_subject, extract_proposals, generic_bodies
from swedish.data import bodies, body_endings
from swedish.dnr import DNR
from swedish.fold import fold, ocr_tolerant

_MEETING_HEADING_LINES = 3  # a protocol's heading is among the header's first lines
JOINING = frozenset({"för", "och", "&", "i"})  # words inside a body's name
# A hyphen before `&` in a body's name (`Nämnden för Miljö- & Hälsoskydd`) is a slip for
# the name its text writes without it (`Nämnden för Miljö & Hälsoskydd`); before `och` it
# suspends a compound (`Miljö- och hälsoskyddsnämnden`) and stays.
SUSPENDED_AMPERSAND = re.compile(r"(?<=\w)-\s+&")
# a body's name, its first part possibly suspended (`Barn- och utbildningsnämnden`)
_BODY_NAME = r"(?:[Nn]ämnden för [A-ZÅÄÖ][\wåäö-]*(?: (?:&|och) [A-ZÅÄÖ][\wåäö-]*)?|(?:[\wåäö]+- (?:och|&) )?[\wåäö-]*(?:nämnden|styrelsen|fullmäktige))"
_OWN_ADMINISTRATION = re.compile(r"\b(?P<body>[A-ZÅÄÖ][\wåäö]*(?:nämnden|styrelsen))s förvaltning\b")
_TILL = re.compile(r"^(?i:till):?\s+(?P<body>\S.*)$")  # `Till: Nämnden för Vård & Omsorg`
_ADDRESSED = re.compile(rf"\btill (?P<body>{_BODY_NAME})\b")


def is_body_line(line: str) -> bool:
    """A line that is a body's name: `Kommunstyrelsen`, `Byggnadsnämndens arbetsutskott`,
    `Nämnden för Kultur & Fritid`, `Social- och omsorgsnämnden`; every word capitalised,
    a joining word or itself a body word. Not a title that ends in one (`Val av
    ersättare till utskott`, `Informationsredovisning, Nämnden för Teknik`: a body's name
    holds no comma)."""
    words = line.split()
    if not words or len(words) > 5 or re.search(r"[\d,]", line) or line.rstrip().endswith((".", ":")):
        return False
    body_words = [fold(word).endswith(body_endings()) for word in words]
    # a lower-case word ending a suspended compound: `Kultur- och fritidsnämndens arbetsutskott`
    suspended = [n >= 2 and words[n - 2].endswith("-") and words[n - 1] in JOINING for n in range(len(words))]
    named = all(is_body or word[:1].isupper() or word in JOINING or after for word, is_body, after in zip(words, body_words, suspended))
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
        if is_body_line(" ".join(words[:n])):
            return _without_place(" ".join(words[:n]))
    return strip_label_values(value)


_IN_PLACE = re.compile(r"\s+i\s+(?P<place>\S.*)$")


def _without_place(name: str) -> str:
    """A body's name without the municipality it is of: `Kommunstyrelsen i Kungsbacka` →
    `Kommunstyrelsen` (the municipality is a field of its own)."""
    place = _IN_PLACE.search(name)
    if place and municipality_patterns().names.fullmatch(re.sub(r"\s+(?:kommun|stad)$", "", place.group("place"), flags=re.IGNORECASE)):
        return name[: place.start()]
    return name


def find_body(header: str) -> str:
    """The body addressed: a header line that names a nämnd/styrelse (after a label such
    as `Organ` or `Till:`, or a body field `Organisation: …` among others on its line),
    or a `Till` block."""
    lines = [line.strip() for line in header.split("\n") if line.strip()]
    for i, line in enumerate(lines):
        if fold(line) == "till" and i + 1 < len(lines):  # "Till\nHässelby-Vällingby\nstadsdelsnämnd"
            sender = next((above for above in lines[:i] if is_body_line(above)), "")
            if sender:  # `YTTRANDE` / `Nämnden för Miljö & Hälsoskydd` / `Till` / `Byggnadsnämnden`: the sender's statement
                return sender
            joined = lines[i + 1]
            for extra in lines[i + 2 : i + 4]:
                if is_body_line(joined):
                    break
                joined += " " + extra
            if is_body_line(joined):
                return joined
    listed = _listed_bodies(lines)
    for i, line in enumerate(lines):
        if i in listed:
            continue
        labelled = _body_label().match(line)
        value = labelled.group("body") if labelled else ""
        if labelled and not label_row(line) and not is_template_field(value) and not value[:1].isdigit():
            # `Organ  Rådet för funktionshindrade`: the label says it is the body (not a
            # template's field, nor a numbered unit of accounts: `Nämnd  63 SE Fastigheter`)
            return _leading_body(labelled.group("body"))
        field = _body_field().search(line)
        if field and is_body_line(field.group("body").strip()):
            return field.group("body").strip()
        addressed = _TILL.match(line)
        goes_on = line[:1].islower()  # the rest of the line above: `… och byggnadsnämndens` / `arbetsutskott`
        line = _without_type_word(strip_label_values(addressed.group("body") if addressed else line))
        if not goes_on and is_body_line(line) and not DNR.search(line) and not _is_placeholder(line):
            return _without_place(line)
    return ""


def _listed_bodies(lines: list[str]) -> set[int]:
    """Indexes of lines in a run of `_LISTED_BODIES` or more body lines: a list of the bodies
    a letter goes to (`Berörda nämnder` / `Nämnden för Kultur & Fritid` / `Nämnden för …`),
    none of them the document's."""
    runs, run = set(), []
    for i, line in enumerate(lines + [""]):
        if line and is_body_line(line):
            run.append(i)
            continue
        if len(run) >= _LISTED_BODIES:
            runs.update(run)
        run = []
    return runs


_LISTED_BODIES = 3


def _without_type_word(line: str) -> str:
    """A letterhead line less the document's type after the body's name
    (`Samhällsplaneringsnämnden Sammanträdesprotokoll` → `Samhällsplaneringsnämnden`)."""
    words = line.split()
    return " ".join(words[:-1]) if len(words) > 1 and type_of(words[-1]) else line


def _is_placeholder(line: str) -> bool:
    """A letterhead's body field left as the template has it: a bare generic `Nämnd`
    or `Styrelsen` names no body."""
    return fold(" ".join(line.split())) in generic_bodies()


_LETTER_SPACED = re.compile(r"^([A-ZÅÄÖ]) (?=[A-ZÅÄÖ]{3,}\b)")  # a heading's initial spaced off: `P ROTOKOLL`


def meeting_group(header: str) -> str:
    """The group whose minutes a protocol of no known body is, named on the line under its
    heading (`P ROTOKOLL, GODKÄNT` / `Förvaltningssamverkan Gymnasium & Arbetsmarknad`): a
    short line of capitalised words, no label, number or date."""
    lines = [" ".join(line.split()) for line in header.split("\n") if line.strip()][:_MEETING_HEADING_LINES + 1]
    for n, line in enumerate(lines[:-1]):
        first = re.split(r"[,;: ]", _LETTER_SPACED.sub(r"\1", line))[0]  # `P ROTOKOLL, GODKÄNT`, `P ROTOKOLL GODKÄNT AV …`
        if type_of(first) in ("protokoll", "protokollsutdrag"):
            group = lines[n + 1]
            words = group.split()
            if 1 < len(words) <= 6 and words[0][:1].isupper() and not re.search(r"[\d:;.,]", group) and not looks_like_person(group):
                return group
            return ""
    return ""


def addressed_body(header: str) -> str:
    """A body the header addresses in running words: `Initiativärende till nämnden för Vård
    & Omsorg`, `… till Kommunstyrelsen`."""
    for match in _ADDRESSED.finditer(" ".join(header.split())):
        if fold(match.group("body")) not in generic_bodies():  # `… jävsförhållande till nämnden för funktionsstöd`: no name
            return _capitalised(match.group("body"))
    return ""


def proposal_body(sections: list[Section]) -> str:
    """The body the document's proposals are for: the first proposal's, or, when that is
    the fullmäktige the body proposes to, the next one's (`Förslag till beslut i
    kommunfullmäktige` before `Förslag till beslut i kommunstyrelsen`); when the first
    proposal's heading and subject name none, the body its first decision names
    (`Härmed utses följande personer som dataskyddsombud för byggnadsnämnden …`); beside
    the proposals for its own arbetsutskott a nämnd's decides (`Förslag till beslut i
    byggnadsnämndens arbetsutskott` … `Förslag till beslut i byggnadsnämnden`). "" when
    none is named."""
    proposals = extract_proposals(sections, default_body="")
    if not proposals:
        return ""
    if not proposals[0].body:
        return named_body(proposals[0].items[0]) if proposals[0].items else ""
    deciding = [p.body for p in proposals if p.body and not fold(p.body).endswith("fullmaktige")]
    if not deciding:
        return proposals[0].body
    owners = {fold(base_form(body.split()[0])): body for body in deciding if " " in body and fold(body).endswith(("utskott", "utskottet"))}
    return next((body for body in deciding if fold(body) in owners), deciding[0])


def named_body(text: str) -> str:
    """The first particular body that `text` names (`byggnadsnämnden` → `Byggnadsnämnden`,
    `nämnden för Service`), not a generic `nämnden`; "" if none."""
    for match in re.finditer(_BODY_NAME, text):
        if fold(match.group()) not in generic_bodies():
            return _capitalised(match.group())
    return ""


def decided_body(sections: list[Section]) -> str:
    """The body a decision taken under delegation is taken for, its subject (`Beslut` /
    `Nämnden för Vård & Omsorg medger att …` in an ordförandebeslut); "" if none."""
    decision = next((section.text for section in sections if section.label == "decision" and section.text.strip()), "")
    return decision_subject(" ".join(decision.split()))


def resolving_body(text: str) -> str:
    """The body whose resolution a planning document reports on in its opening lines
    (`Byggnadsnämnden beslöt den 1 juni 2026 att genomföra granskning …` in a
    granskningsutlåtande or samrådsredogörelse); "" if its first lines name none."""
    opening = "\n".join(text.split("\n", _OPENING_LINES)[:_OPENING_LINES])
    match = re.search(rf"^(?P<body>{_BODY_NAME}) (?:beslöt|beslutade)\b", opening, re.MULTILINE)
    return _particular(match.group("body")) if match else ""


_OPENING_LINES = 30


def stated_body(sections: list[Section]) -> str:
    """The body whose position a statement opens with (`Sammanfattande inställning` /
    `Nämnden för Miljö & Hälsoskydd har inget att erinra …`); "" if its first words name
    none."""
    opening = next((section.text for section in sections if section.label != "header" and section.text.strip()), "")
    return decision_subject(" ".join(opening.split()))


def member_body(sections: list[Section]) -> str:
    """The body the signers are members of, for a party's text that names no other: `Per
    Hoel, SD, ledamot nämnden Vård och Omsorg` → `Nämnden för Vård och Omsorg` (the name
    with its `för`), `Ledamot Kommunfullmäktige` → `Kommunfullmäktige`; "" if the
    signatures name none."""
    signed = "\n".join(section.text for section in sections if section.label == "signatures")
    match = _member().search(signed)
    if not match:
        return ""
    if match.group("field"):
        return f"{bodies()['administration_bodies'][0][1]} {match.group('field')}"
    return _particular(match.group("body"))


@lru_cache(maxsize=1)
def _member() -> re.Pattern[str]:
    roles = "|".join(sorted((re.escape(role) for role in bodies()["member_roles"]), key=len, reverse=True))
    field = r"[A-ZÅÄÖ][\wåäö-]*(?: (?:&|och) [A-ZÅÄÖ][\wåäö-]*)?"
    return re.compile(rf"\b(?i:{roles})\s+(?:i\s+)?(?:[Nn]ämnden\s+(?P<field>(?!för\b){field})|(?P<body>{_BODY_NAME}))")


def delegating_body(text: str) -> str:
    """The body whose delegation list a report of delegated decisions follows (`fattade
    enligt nämnden för Service delegeringsförteckning`, `byggnadsnämndens
    delegationsordning`); "" if the text names none."""
    lists = "|".join(ocr_tolerant(word) for word in bodies()["delegation_lists"])
    match = re.search(rf"\b(?P<body>{_BODY_NAME})s? (?:{lists})\b", text)
    return _particular(match.group("body")) if match else ""


def _capitalised(name: str) -> str:
    """A body's name as a field gives it, capitalised (`byggnadsnämnden` → `Byggnadsnämnden`)."""
    return name[:1].upper() + name[1:]


def _particular(name: str) -> str:
    """`name` capitalised, or "" when it is a generic `nämnden` that names no particular body."""
    return "" if fold(name) in generic_bodies() else _capitalised(name)


def served_body(text: str) -> str:
    """The body that the administration signing the document serves, by the names a
    municipality gives both (`Förvaltningen för Vård & Omsorg` serves `Nämnden för Vård &
    Omsorg`, `Kommunstyrelsens förvaltning` serves `Kommunstyrelsen`): the administration
    named most often."""
    named = Counter(f"{bodies()['administration_bodies'][0][1]} {_field(match)}" for match in _served().finditer(text))
    named.update(match.group("body") for match in _OWN_ADMINISTRATION.finditer(text))
    return named.most_common(1)[0][0] if named else ""


def _field(match: re.Match) -> str:
    """An administration's field as the body's name has it: a genitive before a noun loses its
    `s` (`Förvaltningen för Gymnasium & Arbetsmarknads tjänsteskrivelse` → `Gymnasium &
    Arbetsmarknad`)."""
    field = " ".join(match.group("field").split())
    following = match.string[match.end() :].split(maxsplit=1)
    if field.endswith("s") and following and following[0][:1].islower() and fold(following[0]) not in {"och", "for", "i"}:
        return field[:-1]
    return field


@lru_cache(maxsize=1)
def _served() -> re.Pattern[str]:
    administration = bodies()["administration_bodies"][0][0]
    name = r"[A-ZÅÄÖ][\wåäö-]+"
    return re.compile(rf"\b(?i:{ocr_tolerant(administration)})\s+(?P<field>{name}(?:\s+(?:&|och)\s+{name})?)")


_ABBREVIATION = re.compile(r"[A-ZÅÄÖ]{2,5}")
_NAMED_BODY = re.compile(r"\b(?:[A-ZÅÄÖ][\wåäö]*- (?:och|&) [\wåäö]+|[A-ZÅÄÖ][\wåäö]+)(?=[\s.,:;)]|$)")


def spelled_out(body: str, text: str) -> str:
    """The name a body's abbreviation stands for (`Beslutande organ: BUN` in a protocol
    whose decisions say `Barn- och utbildningsnämnden beslutar …`): the body named most
    often in the text whose name starts with the abbreviation's first letter, ends in a
    body word with its last letter (nämnden: N, styrelsen: S, fullmäktige: F) and holds the
    letters between in order. An abbreviation no name of the text fits stays."""
    if not _ABBREVIATION.fullmatch(body):
        return body
    letters = fold(body)
    fitting: Counter[str] = Counter()
    for match in _NAMED_BODY.finditer(text):
        name = match.group()
        folded = fold(name)
        suffix = next((s for s in body_endings() if folded.endswith(s) and len(folded) > len(s)), "")
        if suffix and folded[0] == letters[0] and suffix[0] == letters[-1] and _holds_in_order(folded[1 : -len(suffix)], letters[1:-1]):
            fitting[base_form(name)] += 1
    return fitting.most_common(1)[0][0] if fitting else body


def _holds_in_order(word: str, letters: str) -> bool:
    rest = iter(word)
    return all(letter in rest for letter in letters)


def usual_form(body: str, text: str) -> str:
    """The body's name as the text prints it most often, when the name was read in a
    definite form of its last word (`Nämnden för Gymnasium & Arbetsmarknaden antar …` in
    a text that elsewhere says `Nämnden för Gymnasium & Arbetsmarknad`)."""
    words = body.split()
    if len(words) < 3 or fold(words[1]) != "for" or not words[-1].endswith(("en", "et")):
        return body
    shorter = body[:-2]
    return shorter if _times_named(shorter, text) > _times_named(body, text) else body


def _times_named(name: str, text: str) -> int:
    return len(re.findall(r"\b" + r"\s+".join(map(re.escape, name.split())) + r"(?![\wåäöÅÄÖ])", text))
