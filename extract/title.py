"""The document's title (`find_title`), and a protocol's or agenda's (`meeting_title`).
Word lists: data/swedish/layout.toml (`title_labels`, `contents_headings`) and
data/swedish/bodies.toml (`title_types`, `addressed_by`, `sent_by`).

Rules:
- a field of document properties that names the title (`Titel: …`, a printed e-mail's
  `Ämne: …` going on on the next line, without the case number it ends with) gives it; so does a
  cover page of a few short lines that read as one title (`Budgetskrivelse` / `för
  investeringar` / `2027-2031`);
- else the title is the subject line after the letterhead's labels, before the text
  begins: the last block of the header before its first paragraph of prose that holds a
  run of title lines, lines that are not a date, diary number, label, body,
  administration, person, contents entry or the letterhead's heading;
- a title goes on after a blank line when its rest starts in lower case (the PDF layer's
  blank line), and ends where a paragraph of prose begins even without a blank line
  (extract/header.py);
- a line with a web or e-mail address (a cover page's contact footer) is never a title, nor
  a line without a word of three letters (a logo read by OCR: `Kr ;`), nor marks around a
  date: a type word with abbreviations (`Initiativärende NVO 17 oktober 2024`), a party's
  logo line (`S Socialdemokraterna 2024-10-07`), an addressee under `Till  Datum`
  (`Varbergs kommun 2026-03-02`);
- a heading the section rules do not know may stand between the subject line and the
  text (`Sammanfattade inställning`; `Genomförande` under a subject line of several
  words): the title is the subject line above it;
- a cover letter (`Missiv till kommunstyrelsen`) is no title: the report it introduces is
  titled after the letter's signatures, and only when no report title follows is the
  letter's heading the title; a metadata table (`Dokumentansvarig är: …`), a table of
  contents and a list of kinds of document are no title either;
- a line of only a document's type and its addressee or sender (`Motion till
  Kommunfullmäktige`, `Initiativ från Socialdemokraterna Kungsbacka`) names no subject
  (`type_and_addressee`);
- a protocol or agenda is titled by its heading and body (`Protokoll 3/2023 –
  Personalsektionen`), a one-§ extract by the § title.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.body import JOINING, is_body_line
from extract.diary_numbers import is_dnr_line
from extract.doctype import letterhead_heading, party_names, title_words, type_of
from extract.furniture import ends_in_counter
from extract.document_date import is_dateline
from extract.header import (
    RUNS_ON,
    SENTENCE_INSIDE,
    before_prose,
    header_blocks,
    is_prose,
    is_template_field,
    label_row,
    organisation_words,
    strip_label_values,
)
from extract.municipality import municipality_patterns
from extract.names import looks_like_person
from extract.sections import cover_letter_words
from swedish.data import bodies, date_labels, layout
from swedish.dates import COMPACT_DATE, ISO_DATE, MONTH_OF_YEAR, TEXT_DATE, WEEKDAY_DATE
from swedish.dnr import DNR, DNR_INTRO
from swedish.fold import fold, ocr_tolerant

# `Titel: …` at a line's start or after another label (`Dokumentegenskaper: Titel: …`)
_TITLE_LABELS = "|".join(ocr_tolerant(label) for label in layout()["title_labels"])
_TITLE_FIELD = re.compile(r"(?:^|:\s+)(?:" + _TITLE_LABELS + r")\s*:\s+(?P<title>\S.*)$", re.IGNORECASE | re.MULTILINE)
# the label in a table's first cell, the title in the next (`| Ärenderubrik | Remiss – … |`)
_TITLE_CELL = re.compile(r"^\|\s*(?:" + _TITLE_LABELS + r")\s*\|\s*(?P<title>[^|\s][^|]*?)\s*\|", re.IGNORECASE | re.MULTILINE)
_DNR_LABEL_WORD = re.compile(DNR_INTRO)  # `Dnr`, `DiarieNr`, `Diarienummer`
_NEXT_PROPERTY = re.compile(r",\s+[A-ZÅÄÖ][\wåäö]*(?: [\wåäö]+){0,2}:\s")  # the next field of a properties line
# the label alone on its line, the title on the next (`Projektnamn` / `Detaljplan för bostäder …`)
_TITLE_LABEL_LINE = re.compile(r"^(?:" + _TITLE_LABELS + r")[ \t]*\n[ \t]*(?P<title>\S.*)$", re.IGNORECASE | re.MULTILINE)
_CASE_NUMBER = re.compile(r"\s*\((?:[A-ZÅÄÖ]{1,6}[ -])?(?:19|20)\d\d[-/]\d{1,6}\)\s*$")  # `… lustgas (KS-2024-00384)`
_LABEL_LINE = re.compile(
    r"^(?:" + "|".join(ocr_tolerant(w) for w in ("handläggare", "telefon", "tel", "e-post", "epost", "mobil", "datum", "dnr",
    "diarienummer", "ärendenummer", "vår referens", "sida", "till", "utfärdat", "upprättad", "fax", "växel", "box", "besöksadress",
    "postadress", "ert diarienummer", "er beteckning", "er referens", "ert datum")) + r")\b",
    re.IGNORECASE,
)
_TITLE_SENTENCE_CHARS = 300
_FULL_LINE_CHARS = 78  # a subject line this long filled the letterhead's width and wrapped
_SUBJECT_HEADING_WORDS = 6  # a line of up to this many words between the subject line and the text is a heading
_LAYOUT_BLOCKS = 3  # title-like blocks after the subject line that are the text's own layout, not a later title
_REFERENCE = re.compile(r"[A-Za-zÅÄÖåäö]{1,6}\d{2,}[\d/.:-]*/[\d/.:-]*\d")
_YEARS = re.compile(r"(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?")
_PARAGRAPH_LINE = re.compile(r"^\\?[§$]\s*\d+\s+" + DNR.pattern)  # `§ 54 Dnr …`, OCR's `$ 54`, escaped `\$ 54`
_EXTRACT_PARAGRAPH_LINES = 8  # an extract's § line follows its running header at once
_LEADER = re.compile(r"\.{4,}\s*\d*$")  # a contents page's dotted leader and page number
_TITLE_CHARS, _SHORT_TITLE_CHARS = 12, 6
_COVER_LINES = 4  # a cover page that holds a title only
_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÅÄÖ]")  # `1. Allmänt`, `2.1 Beräkning av inkomst`
_TOC_ENTRY = re.compile(r"(?:\.{3,}|…+|\t)\s*\d{1,3}\s*$")  # `Inledning\t3`, `Syfte ........ 3`
_CONTACT = re.compile(r"\bwww\.|https?://|\S@[\w-]+\.[a-z]{2,}|\w\.(?:se|nu|com|org|fi)\b", re.IGNORECASE)  # a web or e-mail address, or a domain (OCR read `@` as `QQ`)
_WORD = re.compile(r"[^\W\d_]{3}")  # a line without a word of three letters (`Kr ;`, a logo read by OCR) is no title
# `Dokumentansvarig är: Anhörigsamordnare`; a label of more words is a subject line's first
# part (`Yttrande över Varbergs kommun remiss: Granskning av …`)
_FIELD = re.compile(r"^[A-ZÅÄÖ][\wåäö]*(?: [\wåäö]+){0,3}:(?:\s|$)")


def _one_sentence(block: str) -> bool:
    """A block of at most `_TITLE_SENTENCE_CHARS` that is one sentence: no sentence ends inside it."""
    one_line = " ".join(block.split())
    return len(one_line) <= _TITLE_SENTENCE_CHARS and not SENTENCE_INSIDE.search(one_line)


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
    head = before_prose(header)
    cell = _TITLE_CELL.search(header)
    if cell:  # a form's table: `| Ärenderubrik | Remiss – Ett nationellt förbud mot tiggeri |`
        return " ".join(cell.group("title").replace("<br>", " ").split())
    labelled = _TITLE_FIELD.search(head) or _TITLE_LABEL_LINE.search(head)
    if labelled:  # the document's properties name its title, perhaps over two lines
        title, *other_fields = _NEXT_PROPERTY.split(labelled.group("title"))  # `Titel: Klassificeringsstruktur, Skapat av: …`
        following = head[labelled.end() :].lstrip("\n").split("\n", 1)[0]
        # a form's label alone over its value is followed by the next label (`Beställare`): only a
        # lower-case line or a line after a preposition goes on that title
        form = labelled.re is _TITLE_LABEL_LINE and not (following[:1].islower() or RUNS_ON.search(title))
        if following.strip() and not form and not other_fields and not _FIELD.match(following) and not _LABEL_LINE.match(following) and not labelled.group("title").rstrip().endswith("."):
            title += " " + following
        return " ".join(_CASE_NUMBER.sub("", title).split())
    cover = _cover_title(header, body)
    if cover:
        return cover
    blocks = header_blocks(header)
    prose = next((n for n, block in enumerate(blocks) if is_prose(block)), len(blocks))
    letter = next((n for n, block in enumerate(blocks[:prose]) if fold(block).startswith(cover_letter_words())), -1)
    # lines above a cover letter's heading are the letterhead (`Rapportsammandrag Göteborgs` /
    # `Stadsrevisionen Stad`, two columns read as one by OCR), not a title
    titles = [(n, title) for n, title in ((n, _title_of(block, body, heading)) for n, block in enumerate(blocks[:prose]))
              if title and n > letter and not (n and _lone_label(blocks[n - 1]))]
    labels = [n for n, block in enumerate(blocks[:prose]) if _labels_block(block)]
    subject = next((title for n, title in titles if labels and n == labels[-1] + 1), "")
    if subject and sum(n > labels[-1] + 1 for n, _ in titles) >= _LAYOUT_BLOCKS:
        # the subject line right under the template's labels (`Datum` … `Diarienummer` …); the
        # several blocks that follow it before any prose are the text's own layout
        # (`Föreslagna ändringar` / `2.3.13 …` / `Föreslagen lydelse` / `2.3.13 …`)
        return subject
    if titles and titles[0][0] == 0 and blocks[0].isupper() and len(titles) > _LAYOUT_BLOCKS:
        # a form's or report's heading in capitals over its fields (`BEHOVSBESKRIVNING
        # VERKSAMHETSLOKAL FÖR DIGITAL` / `HEMTJÄNST OCH HEMSJUKVÅRD.` / `Datum …` / …)
        return titles[0][1]
    if titles:  # the title comes before the text begins
        n, title = titles[-1]
        if len(titles) > 1 and titles[-2][0] == n - 1 and _wraps(blocks[n - 1]):
            return f"{titles[-2][1]} {title}"
        heading_over_text = _heading_shaped(blocks[n], titles[-2][1], titles[-2][1] == subject) if len(titles) > 1 else False
        # a line standing right on its paragraph under a longer subject line is that text's heading
        glued = len(titles) > 1 and len(titles[-2][1].split()) > len(title.split()) and _glued_to(header, blocks[n], blocks[min(prose, len(blocks) - 1)])
        if len(titles) > 1 and n == prose - 1 and prose < len(blocks) and (heading_over_text or glued):
            # a heading the section rules do not know, right over the text (`Yttrande över …`
            # / `Sammanfattade inställning` / `Nämnden … tillstyrker …`, `Granskningsutlåtande
            # för detaljplan …` / `Genomförande` / `Byggnadsnämnden beslöt …`): the title is above
            # it, with its first part where it wrapped over a blank line (`Samrådsredogörelse
            # Vattentjänstplan för` / `Kungsbacka kommun, samrådshandlingar`)
            above, title = titles[-2]
            if len(titles) > 2 and titles[-3][0] == above - 1 and _wraps(blocks[above - 1]):
                return f"{titles[-3][1]} {title}"
            return title
        return title
    if prose == len(blocks) - 1 and _one_sentence(blocks[prose]):
        # a long subject line with a full stop, right before the first heading (`Svar på
        # motion från … om elevresor … och stärka demokratiska värden.` / `Förslag till beslut`)
        title = _title_of(blocks[prose].rstrip("."), body, heading)
        if title:
            return title
    if letter < 0:  # no cover letter, whose report's title would follow its signatures
        return ""
    signed = next((n for n in range(prose, len(blocks)) if any(looks_like_person(line) for line in blocks[n].split("\n"))), None)
    for block in blocks[signed + 1 :] if signed is not None else []:
        if is_prose(block):
            break
        if _CONTACT.search(block):
            continue  # the letter's page footer (`Stadsrevisionen, Granskning av … 1 (6)` / its web address)
        title = _title_of(block, body, heading)
        if title:
            return title
    return _cover_letter_heading(blocks[:prose])


def _lone_label(block: str) -> bool:
    """A label alone over its value (`Källa:` / `Socialstyrelsen ”Nationell handlingsplan …`):
    the block below it is the label's value, not a title."""
    return "\n" not in block.strip() and bool(_FIELD.match(block.strip())) and block.strip().endswith(":")


def typed_subject(heading: str) -> bool:
    """A letterhead heading that is a type word and a subject of two or more words
    (`PM Trafik arenan`): the document's title, as a cover page begins; not a type and
    its number (`Protokoll 3/2023`) or a type and one name (`Yttrande Kommunstyrelsen`)."""
    words = heading.split()
    return len(words) > 2 and bool(type_of(words[0])) and all(word.isalpha() for word in words[1:])


def _cover_letter_heading(blocks: list[str]) -> str:
    """A cover letter's heading as the title, when no report title follows the letter
    (`Missiv till kommunstyrelsen samt` / `ansvariga nämnder och bolag`, then the report
    begins with its first section heading): the letter is what the document names."""
    letter = next((block for block in blocks if fold(block).startswith(cover_letter_words())), "")
    heading = " ".join(letter.split())
    return heading if letter and len(letter.split("\n")) <= 3 and not is_prose(heading) else ""


def type_and_addressee(title: str) -> bool:
    """A line that names only a document's type and the body it is addressed to (`Motion
    till Kommunfullmäktige`, `Medborgarförslag till nämnden för Teknik`) or the party it is
    sent by (`Initiativ från Socialdemokraterna Kungsbacka`)."""
    words = title.rstrip(".").split()
    if len(words) < 2 or fold(words[0]) not in title_words():
        return False
    if len(words) > 3 and fold(words[1]) in _folded_words("addressed_participles"):
        words = words[:1] + words[2:]  # `Initiativärende ställd till förvaltningen …`
    rest = " ".join(words[2:])
    if fold(words[1]) in _folded_words("addressed_by"):
        return is_body_line(rest) or is_body_line(rest.capitalize()) or _is_administration(rest)
    if fold(words[1]) in _folded_words("sent_by"):
        return _is_party(rest)
    return _are_parties(" ".join(words[1:]))


def _is_administration(text: str) -> bool:
    """An administration named by its word and its name: `förvaltningen Miljö och Hälsoskydd`."""
    words = text.split()
    return 1 < len(words) <= 6 and fold(words[0]) in _folded_words("administration_words") and all(
        word[:1].isupper() or word in JOINING for word in words[1:])


def _are_parties(text: str) -> bool:
    """Parties' names alone, separated by commas or `och`: `Liberalerna, Moderaterna, Centerpartiet`."""
    names = [name for name in re.split(r"\s*,\s*|\s+(?:och|&)\s+", text.strip()) if name]
    return bool(names) and all(_is_party(name) for name in names)


def _is_party(text: str) -> bool:
    """A party's name, perhaps followed by the municipality's (`Socialdemokraterna Kungsbacka`)."""
    words = text.split()
    if len(words) > 1 and municipality_patterns().names.fullmatch(words[-1]):
        words = words[:-1]
    return fold(" ".join(words)) in party_names()


@lru_cache(maxsize=None)
def _folded_words(key: str) -> frozenset[str]:
    """A word list of data/swedish/bodies.toml (`sent_by`, `addressed_by`, …), folded."""
    return frozenset(fold(word) for word in bodies()[key])


def _labels_block(block: str) -> bool:
    """A block of the template's labels and their values: `Datum` / `2026-09-01` /
    `Diarienummer` / `IF-2025-00297`."""
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    return len(lines) >= 2 and sum(bool(_LABEL_LINE.match(line)) for line in lines) >= 2 and not any(
        _may_be_title(line, "", "") for line in lines if not _LABEL_LINE.match(line))


def _wraps(block: str) -> bool:
    """A subject whose last line goes on in the next block: it ends in a word that cannot end
    a title (`… klimatstrategi för` / `Hallands län`) or fills the page's width (`Nämnden för
    Service yttrande över Kultur & Fritids remiss: Aktivitetsytan, remsan` / `Onsala BK arrende
    …`); the PDF layer put a blank line where the subject wrapped."""
    line = " ".join(block.strip().split("\n")[-1].split())
    return not line.endswith(".") and (bool(RUNS_ON.search(line)) or len(line) >= _FULL_LINE_CHARS)


def _glued_to(header: str, block: str, prose: str) -> bool:
    """Whether a one-line block stands right on the paragraph below it, without a blank
    line: under a longer subject line, a heading of the text (`Måldokument … i Kungsbacka
    Arena` / blank / `En kreativ plats för alla` / `Kungsbacka Arena representerar …`); under
    a sender or a date, the subject line itself (`Alliansgruppen` / `Initiativ om kommunalt
    Lantmäteri` / `En kommunal lantmäterimyndighet …`)."""
    line = " ".join(block.split())
    first = " ".join(prose.strip().split("\n")[0].split())
    lines = [" ".join(raw.split()) for raw in header.split("\n")]
    return "\n" not in block.strip() and any(a == line and b == first for a, b in zip(lines, lines[1:]))


def _heading_shaped(block: str, above: str, above_is_subject: bool) -> bool:
    """One short line of two or three words without digits or closing punctuation, the
    shape of a section heading (`Sammanfattade inställning`), not of a subject line; one
    word (`Genomförande`) under a subject line of several words (`above`); up to six under
    the subject line right below the template's labels (`Datum` … `Diarienummer` …
    / `Verksamhetsredovisning för det lokala brottsförebyggande rådets aktiviteter 2024`
    / `Brottsförebyggande arbete i Kungsbacka`)."""
    words = block.split()
    fewest = 1 if len(above.split()) >= 3 else 2
    most = _SUBJECT_HEADING_WORDS if above_is_subject else 3
    return "\n" not in block.strip() and fewest <= len(words) <= most and not re.search(r"[\d.:;,]", block)


def _cover_title(header: str, body: str) -> str:
    """The title of a cover page: a first page (up to the first form feed) of no more than
    `_COVER_LINES` short lines that read as one title (`Budgetskrivelse` / `för
    investeringar` / `2027-2031`), its type word included, up to a line that names its
    author or its date (`Permanent utomhusscen i Badhusparken` / `Utredning, Harald
    Tjelle` / `Uppdaterad 2026-08-12`)."""
    if "\f" not in header:
        return ""
    lines = [line for line in header.split("\f", 1)[0].split("\n") if line.strip()]
    if not lines or len(lines) > _COVER_LINES:
        return ""
    end = next((n for n, line in enumerate(lines) if n and (ISO_DATE.search(line) or looks_like_person(line.rpartition(",")[2].strip()))), len(lines))
    return _title_of("\n".join(lines[:end]), body, "")


def _title_of(block: str, body: str, heading: str) -> str:
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    listing = (sum(bool(_FIELD.match(line)) for line in lines) >= 2 or sum(bool(_TOC_ENTRY.search(line)) for line in lines) >= 2
               or any(label_row(line) for line in lines))
    if fold(lines[0]).startswith(cover_letter_words()) or listing or _word_list(lines):
        return ""  # a cover letter's heading, a metadata table, a table of contents, a list of kinds
    titled = [_may_be_title(line, body, heading) for line in lines]
    for n in range(1, len(lines)):  # a title broken after `i` goes on: `… utmärkelser i` / `Kungsbacka kommun`
        titled[n] = titled[n] or (titled[n - 1] and bool(RUNS_ON.search(lines[n - 1]) or lines[n][:1].islower()) and not _CONTACT.search(lines[n]))
    if True not in titled:
        return ""
    first = titled.index(True)
    last = len(titled) - 1 - titled[::-1].index(True)
    if not all(titled[first : last + 1]):
        return ""  # a dnr or a name between title lines: body text, not a title
    one_line = " ".join(" ".join(lines[first : last + 1]).split())
    long_enough = len(one_line) >= _TITLE_CHARS or (len(one_line.split()) >= 2 and len(one_line) >= _SHORT_TITLE_CHARS)
    return one_line if long_enough and not is_prose(one_line) else ""


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
    person, organisation or contents line. A line without a word of three letters
    (`511-2413-16`, the recipient's number under `Ert diarienummer`; `Kr ;`, a logo read by
    OCR) is none, unless it is a year or span of years that ends a title (`Budgetskrivelse
    för investeringar` / `2027-2031`); so is a lone reference of a few letters and digits (a ministry's
    `Fi2023/02375`), nor a template's unfilled field (`«Diarienr»`). A line with a web or e-mail address is the footer's contact line
    (`Kungsbacka kommun | 0300-83 40 00 | info@kungsbacka.se | www.kungsbacka.se`), one
    that ends in a page counter a running header or footer (`Stadsrevisionen, Göteborgs Stads … 1 (6)`),
    and a row of a generated list: a line holding a date run together (`Vikariat   20240219`),
    a Markdown table's row, a row of column labels (`Dok.nr DiarieNr Datum Beskrivning …`)."""
    return not (
        (not _WORD.search(line) and not _YEARS.fullmatch(line.strip())) or _REFERENCE.fullmatch(line.strip())
        or is_template_field(line)
        or (_FIELD.match(line.strip()) and not _WORD.search(line.split(":", 1)[1]))  # `Uppdaterad: 2024-08-28, 2025-05-02`
        or (":" in line and MONTH_OF_YEAR.fullmatch(line.split(":", 1)[1].strip()))  # `Månad:Augusti 2020`
        or _CONTACT.search(line) or ends_in_counter(line)
        or _LABEL_LINE.match(line) or DNR.search(line) or is_dnr_line(line) or ISO_DATE.fullmatch(line) or TEXT_DATE.fullmatch(line)
        or MONTH_OF_YEAR.fullmatch(line.strip()) or WEEKDAY_DATE.fullmatch(line.strip())
        or COMPACT_DATE.search(line) or line.lstrip().startswith("|")  # a list's row: `Vikariat   20240219`, `| Chefs_namn | Befattning |`
        or _column_labels(line)
        or fold(line) == fold(body) or is_body_line(line) or is_body_line(strip_label_values(line))
        or looks_like_person(strip_label_values(line))
        or (heading and fold(" ".join(line.split())) == fold(heading))
        or _is_organisation_line(line) or _TOC_ENTRY.search(line) or fold(line).rstrip(":") in _contents_headings()
        or _NUMBERED_HEADING.match(line) or is_dateline(line) or names_no_subject(line)
    )


@lru_cache(maxsize=1)
def _label_words() -> frozenset[str]:
    """Words that label a list's columns: date labels and author labels (data/swedish)."""
    return frozenset(fold(word) for word in date_labels()["document"] + layout()["author_labels"])


def _column_labels(line: str) -> bool:
    """A row of a list's column labels (`Dok.nr DiarieNr Datum Beskrivning Handläggare
    Enhet`): four or more capitalised words, two or more of them date, author or diary-number
    labels."""
    words = line.split()
    labels = sum(fold(word).rstrip(":") in _label_words() or bool(_DNR_LABEL_WORD.fullmatch(word.rstrip(":"))) for word in words)
    return len(words) >= 4 and all(word[:1].isupper() for word in words) and labels >= 2


def names_no_subject(line: str) -> bool:
    """A line that names no subject: a type and its addressee or sender (`type_and_addressee`),
    or marks around a date: a type word with only abbreviations and a date (`Initiativärende
    NVO 17 oktober 2024`), a party's logo line (`S Socialdemokraterna 2024-10-07`), an
    addressee and a date under `Till  Datum` (`Varbergs kommun 2026-03-02`)."""
    if type_and_addressee(line):
        return True
    rest = " ".join(TEXT_DATE.sub(" ", ISO_DATE.sub(" ", line)).split())
    if rest == " ".join(line.split()):
        return False
    words = rest.split()
    if words and fold(words[0]) in title_words():
        return all(word.isupper() or word.strip("()").isupper() for word in words[1:])
    if len(words) > 1 and words[0].isupper() and len(words[0]) <= 2:
        rest = " ".join(words[1:])  # the party's logo letter
    return bool(rest) and (_is_party(rest) or _is_organisation_line(rest))


def _is_organisation_line(line: str) -> bool:
    """A letterhead line naming the municipality or an administration: `Kungsbacka
    kommun`, `Bygg- och miljöförvaltningen`, `Kommunledningskontoret`."""
    words = line.split()
    if len(words) > 5:
        return False
    if fold(line).endswith(("kommun", "stad")):
        # the name stands alone or after a unit's name (`Kungsbacka kommun`, `Stadsledningskontoret
        # Göteborgs Stad`), not at the end of a subject (`Årsredovisning 2024 för Kungsbacka kommun`)
        for _, match in municipality_patterns().aliases.finditer(line):
            if all(word[:1].isupper() and not any(c.isdigit() for c in word) for word in line[: match.start()].split()):
                return True
    # the organisation word may be the lower-case end of a compound: `Vård- och omsorgsförvaltningen`
    return fold(words[-1]).endswith(organisation_words()) and all(w[:1].isupper() or w in JOINING for w in words[:-1] if not w.endswith("-"))


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
