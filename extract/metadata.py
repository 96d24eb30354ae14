"""Document metadata from the normalized text: `extract_metadata` assembles the fields,
each found by the module of its own:
- the diary numbers: extract/diary_numbers.py;
- the date: extract/document_date.py;
- the municipality: extract/municipality.py;
- the deciding body: extract/body.py;
- the title: extract/title.py;
- the document type: extract/doctype.py;
- the author (handläggare): here (`find_author`).
The header (the text before the first heading) carries most of it; extract/header.py says
how its blocks and labels are read. Word lists come from swedish/data.py. The rules are
measured on the real documents of data/eval/real/ (docs/eval-real.md) and the synthetic
corpus (docs/eval-extraction.md).

Rules of the assembly:
- a protocol or agenda is titled by its heading and body (`meeting_title`); a document
  that begins with its title (`Initiativ – Instiftande av …`, `Revisionsberättelse
  avseende …`) has that heading for its title, unless the heading names only a type and
  addressee over the title (`Motion till Kommunfullmäktige` / `Hedra …`);
- a header that names no body: the body of the proposals, else the one the header
  addresses, the one its administration serves, the one whose delegation list it follows,
  and for a yttrande the one its statement opens with (extract/body.py);
- the author follows a `Handläggare`/`Vår referens` label (several are joined), else is
  the lines of person names under the administration's name in the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from document import MULTI_MATTER_TYPES, Section
from extract.body import (
    SUSPENDED_AMPERSAND,
    addressed_body,
    decided_body,
    delegating_body,
    find_body,
    meeting_group,
    member_body,
    proposal_body,
    resolving_body,
    served_body,
    spelled_out,
    stated_body,
    usual_form,
)
from extract.diary_numbers import find_dnr, restore_prefix_diacritic
from extract.doctype import HEADING_WORDS, find_doc_type, letterhead_heading
from extract.document_date import find_date
from extract.header import is_prose, strip_label_values
from extract.municipality import find_municipality
from extract.names import looks_like_person, person_spans
from extract.title import find_title, meeting_title, names_no_subject, typed_subject
from swedish.data import layout
from swedish.fold import ocr_tolerant

_AUTHOR_LABEL = re.compile(r"^(?:" + "|".join(ocr_tolerant(label) for label in layout()["author_labels"]) + r")\b:?\s*(.*)$", re.IGNORECASE)
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


def find_author(header: str) -> str:
    """The handläggare: after a `Handläggare`/`Vår referens` label (several are joined), or
    the lines of person names under the administration's name in the header."""
    lines = [line.strip() for line in header.split("\n")]
    names = []
    for i, line in enumerate(lines):
        match = _AUTHOR_LABEL.match(line)
        if match:
            value = strip_label_values(match.group(1)) or (lines[i + 1] if i + 1 < len(lines) else "")
            names += [value[start:end] for start, end in person_spans(value)] or [value.split(",")[0].strip()]
    if names:
        return ", ".join(dict.fromkeys(n for n in names if n))
    for line in lines:
        candidate = strip_label_values(line)
        if candidate and looks_like_person(candidate.replace(",", " ")):
            names += [candidate[start:end] for start, end in person_spans(candidate)]
        elif names:
            break
    return ", ".join(names)


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
    body = SUSPENDED_AMPERSAND.sub(" &", " ".join(find_body(header).split()))
    _, heading = letterhead_heading(header)
    title = find_title(header, body, heading)
    doc_type = find_doc_type(header, title, sections, text)
    meeting = doc_type in MULTI_MATTER_TYPES
    words = heading.split()
    if meeting:
        body = body or meeting_group(header)
        title = meeting_title(header, body)
    elif (len(words) > HEADING_WORDS or (len(words) > 1 and words[1][:1].islower()) or typed_subject(heading)) and not is_prose(_block_of(header, heading)) and not (
        title and names_no_subject(_block_of(header, heading))
    ):
        # the document begins with its title: `Initiativ – Instiftande av …`, `Revisionsberättelse avseende …`;
        # not a line of type and addressee over the title (`Motion till Kommunfullmäktige` / `Hedra …`)
        # nor of type, abbreviation and date (`Initiativärende NVO 17 oktober 2024` / `Trygghetsombud …`)
        title = _block_of(header, heading)
    if not title and doc_type == "rapport":
        title = heading  # a report named by its kind alone: `Patientsäkerhetsberättelse` / `Nämnden för Vård och Omsorg` / `2023`
    if not meeting and not body:
        body = proposal_body(sections) or decided_body(sections) or addressed_body(header)
        if not body and doc_type in ("", "other"):  # a planning document: the body whose resolution it reports on
            body = resolving_body(text)
        if doc_type != "yttrande":  # an administration's own statement is of no deciding body
            body = body or served_body(text) or delegating_body(text)
        if not body and doc_type in ("skrivelse", "motion"):  # a party's text: the body its signers sit in
            body = member_body(sections)
        if not body and doc_type == "yttrande":  # a body's statement, its letterhead's body field unfilled
            body = stated_body(sections)
        body = usual_form(body, text)
    body = spelled_out(body, text)
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
