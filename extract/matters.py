"""The matters (ärenden) of a protocol or an agenda: one per § of a protocol, one per
item of an agenda, each with its diary numbers, title, decision and page.

A document of one matter (a tjänsteskrivelse, a yttrande) has none: the document is the
matter. Sections are split where a matter begins or ends and tagged with its index
(`Section.matter`), so that no chunk spans two §.

Where the § begin, with their number, diary numbers and title: extract/paragraphs.py;
the items of an agenda: extract/agenda.py. Both read the document as lines
(extract/matter_lines.py) with the rules of data/swedish/matters.toml. A document
whose first lines call it neither protocol nor agenda has matters only if its type
says it is one (or it is unknown and it has several § with a diary number or a
decision). Measured on the shared and TUNE protocols and agendas (2026-12-03, /tmp
script against gold.json): all 61 § and 62 agenda items found with the right diary
numbers and title, 59 of 61 decisions right (two OCR misreadings of the text itself),
no false matter, none in the 31 shared and TUNE documents of one matter; on the
HOLDOUT protocols and agendas, read once at the end: 98 % of § with the right dnr and
title, 92 % with the right decision, 100 % of agenda items with the right dnr.

What a § says: the sections of the § (labels of data/swedish/sections.toml) and the
headings of data/swedish/matters.toml that stand inline (`Ungdomsfullmäktiges beslut:
Frågeformuläret …`) or are an officer's proposal (`Stadsdirektör Martin Norrgårds
förslag:`). A § that carries earlier treatments has several decisions; the last one is
this meeting's; a note under `Beslut` that the § is published elsewhere (`Paragrafen
justerades omedelbart, se separat protokoll.`) is none. Page headers and footers are left out of these texts.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from document import MULTI_MATTER_TYPES, Document, Matter, Section
from extract.agenda import AgendaItem, agenda_items, proposal_cells
from extract.doctype import type_of
from extract.furniture import furniture_lines
from extract.matter_lines import PAGE_MARK, Line, is_heading, lines_of, only_dnr, paragraph_opening, patterns
from extract.paragraphs import ParagraphStart, find_paragraphs
from extract.proposals import split_items, without_lead_in
from extract.sections import heading_label
from swedish.dnr import DNR_FINNISH, dnr_key, printed_dnr

_RULE_LINE = re.compile(r"^[_=—–-]{3,}$")  # a drawn line under a decision (`______`)
_EDGE_LINES = 8  # lines at the top and foot of a page that may be its header or footer
_SPECK_CHARS = 3  # OCR of a logo or a stamp (`KAT`, `Ky`, `<A`, `p)`) among header lines
_LIKE_HEADER = 0.75  # an OCR misreading of a header line is at least this similar to it
_NAMING_LINES = 40  # the first lines, where a document names its type
_WITHHELD_NOTE_CHARS = 120  # a note that the § is published elsewhere, not a decision that cites one
_WORD = re.compile(r"[\wåäöÅÄÖé]+")


def _furniture(text: str, lines: list[Line]) -> set[int]:
    """Indexes of the lines that are page headers and footers: those extract/furniture.py
    knows, page breaks, and the lines at the top of a page that recur (digits aside) at
    the top of three pages or more, or at the foot of a third of the pages, as
    Nykarleby's `Protokoll 17 § 28.03.2023 Sida` does (ingest removes those that recur
    on half of the pages; Nykarleby prints them on the § pages only, fewer than the
    pages of their attachments; a short § ends at the foot of many pages too)."""
    furniture = set(furniture_lines(text)) | {i for i, line in enumerate(lines) if PAGE_MARK.match(line.text)}
    pages: list[list[int]] = [[]]
    for i, line in enumerate(lines):
        if PAGE_MARK.match(line.text):
            pages.append([])
        elif line.text:
            pages[-1].append(i)
    if len(pages) >= 3:
        furniture |= _recurring_edge_lines(lines, [_edge(lines, page) for page in pages], 3)
        furniture |= _recurring_edge_lines(lines, [_edge(lines, page[::-1]) for page in pages], max(3, len(pages) // 3))
    return furniture


def _edge(lines: list[Line], page: list[int]) -> list[int]:
    """The first lines of `page` (reversed: its last), `_EDGE_LINES` of them not specks."""
    words = [k for k, i in enumerate(page) if len(lines[i].text) > _SPECK_CHARS]
    return page[: words[_EDGE_LINES - 1] + 1] if len(words) >= _EDGE_LINES else page


def _recurring_edge_lines(lines: list[Line], edges: list[list[int]], least: int) -> set[int]:
    """The lines of each page edge (lines from the page's border inwards) up to the last
    one that recurs on `least` edges or more, or that is a piece or an OCR misreading of
    such a line (`Protokoll` / `448 15.09.2022 Sida`, `Välfärdshämnden 9`); an edge ends
    before three other lines in a row, or before a heading, a § or a diary number."""
    shape = {i: re.sub(r"\d+", "#", lines[i].text) for edge in edges for i in edge}
    counts = Counter(shape[i] for edge in edges for i in {shape[i]: i for i in edge if _may_be_furniture(lines[i].text)}.values())
    recurring = [line for line, count in counts.items() if count >= least]
    resembles: dict[str, bool] = {}

    def like(line: str) -> bool:
        if line not in resembles:
            resembles[line] = any(
                (len(line) >= 4 and line in header)
                or (abs(len(line) - len(header)) <= 6 and SequenceMatcher(None, line, header).ratio() >= _LIKE_HEADER)
                for header in recurring
            )
        return resembles[line]

    found: set[int] = set()
    for edge in edges:
        last, others = -1, 0
        for k, i in enumerate(edge):
            if _ends_furniture(lines[i].text):
                break
            if like(shape[i]) and _may_be_furniture(lines[i].text):
                last, others = k, 0
            elif len(lines[i].text) > _SPECK_CHARS:
                others += 1
                if others > 2:
                    break
        found.update(edge[: last + 1])
    return found


def _may_be_furniture(text: str) -> bool:
    """Sentences (`Antecknades för kännedom.`) recur at the top and foot of pages too,
    but are never page furniture."""
    return not text.endswith((".", ":"))


def _ends_furniture(text: str) -> bool:
    """A heading, the opening of a § or its diary number: the page's text has begun."""
    return is_heading(text) or paragraph_opening(text) is not None or bool(only_dnr(text))


def _clean(lines: list[Line], first: int, last: int, furniture: set[int]) -> str:
    """The text of lines first..last-1 without page furniture, paragraphs kept. Text that
    has begun goes on over a page break only onto a page that begins with a running
    header: a page without one is an attachment (a map, a letter), not the § going on.
    (A heading at the foot of a page has its text on the next.)"""
    kept: list[str] = []
    for i in range(first, last):
        if PAGE_MARK.match(lines[i].text):
            following = next((j for j in range(i + 1, last) if lines[j].text), None)
            if any(kept) and following is not None and following not in furniture:
                break
        elif i not in furniture and not _RULE_LINE.match(lines[i].text):
            kept.append(lines[i].text)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


@dataclass
class _Part:
    """A headed part of a § (`Beslut`, `Personalsektionens beslut:`, `Jäv` …)."""

    line: int  # the heading's line
    body: int  # the first line of its text
    label: str
    inline: str = ""  # text on the heading's own line after `:`


def _parts(lines: list[Line], first: int, last: int) -> list[_Part]:
    """The headed parts of the lines first..last-1 of a §, each with its canonical label."""
    rules = patterns()
    parts = []
    for i in range(first, last):
        text = lines[i].text
        if not text:
            continue
        decision = rules.decision.match(text)
        proposal = rules.proposal.match(text)
        label = heading_label(text)
        if decision:
            parts.append(_Part(i, i + 1, "decision", decision.group("rest")))
        elif proposal:
            parts.append(_Part(i, i + 1, "beredning", proposal.group("rest")))
        elif rules.decision_as_proposal.match(text):
            parts.append(_Part(i, i + 1, "decision_as_proposal"))
        elif rules.attachment.match(text):
            parts.append(_Part(i, i + 1, "attachments"))
        elif label and not (label == "proposals" and _opens_decision(lines, parts, i)):
            parts.append(_Part(i, i + 1, label))
    return parts


def _opens_decision(lines: list[Line], parts: list[_Part], i: int) -> bool:
    """Whether a proposal's lead-in (`Kommunstyrelsen föreslår kommunfullmäktige besluta:`)
    stands right under a bare decision heading (`Beslut:`): it is the decision's first line."""
    if not parts or parts[-1].label != "decision" or parts[-1].inline:
        return False
    return lines[i].text.rstrip().endswith(":") and not any(lines[j].text.strip() for j in range(parts[-1].body, i))


def _matter_texts(lines: list[Line], first: int, last: int, furniture: set[int]) -> dict[str, list[str]]:
    """Label → the texts of the §'s parts with that label, in order."""
    texts: dict[str, list[str]] = {}
    parts = _parts(lines, first, last)
    # what follows an attachment's stamp is the attachment's, not the §'s
    parts = parts[: next((n + 1 for n, part in enumerate(parts) if part.label == "attachments"), len(parts))]
    for n, part in enumerate(parts):
        end = parts[n + 1].line if n + 1 < len(parts) else last
        body = _clean(lines, part.body, end, furniture)
        body = "\n".join(piece for piece in (part.inline, body) if piece)
        texts.setdefault(part.label, []).append(body)
    return texts


def _paragraph_matter(doc: Document, lines: list[Line], start: ParagraphStart, last: int, furniture: set[int]) -> Matter:
    """The § that begins at `start` and ends before line `last`, with what it says."""
    texts = _matter_texts(lines, start.title_end, last, furniture)
    # the last decision is this meeting's; a withheld § has none
    decisions = texts.get("decision") or texts.get("decision_as_proposal") or [""]
    decision = decisions[-1]
    if patterns().withheld.search(decision) and len(decision) <= _WITHHELD_NOTE_CHARS:
        decision = ""  # `Beslut` / `Paragrafen justerades omedelbart, se separat protokoll.`: published elsewhere
    decision = without_lead_in(decision)
    proposals = texts.get("beredning", []) + texts.get("proposals", [])
    begin = lines[start.first].start
    end = lines[last - 1].end if last > 0 else begin
    return Matter(
        paragraph=f"§ {start.number}",
        number=None,
        dnr=start.dnr,
        title=start.title,
        start=begin,
        end=max(end, begin),
        page=doc.page_at(begin),
        decision=decision,
        items=split_items(decision),
        proposal=proposals[-1] if proposals else "",
        motions="\n\n".join(texts.get("yrkanden", [])),
        procedure="\n\n".join(texts.get("beslutsgang", [])),
        conflicts="\n\n".join(texts.get("jav", [])),
        reservations="\n\n".join(texts.get("reservation", [])),
        distribution="\n\n".join(texts.get("distribution", [])),
    )


def _item_matter(doc: Document, lines: list[Line], item: AgendaItem) -> Matter:
    """An agenda item as a matter: it has no decision yet (its proposal is in its row)."""
    begin, end = lines[item.line].start, lines[item.last].end
    return Matter(paragraph=None, number=str(item.number), dnr=item.dnr, title=item.title, start=begin, end=end, page=doc.page_at(begin))


def _names_itself(lines: list[Line], before: int) -> str:
    """`kallelse`, `protokoll` or `protokollsutdrag`: what the first line among the first
    lines before the first matter that names one of them calls the document
    (`SAMMANTRÄDESPROTOKOLL`, `Föredragningslista 16/2022`); "" if none does."""
    for line in lines[: min(before, _NAMING_LINES)]:
        for word in _WORD.findall(line.text):
            if type_of(word) in MULTI_MATTER_TYPES:
                return type_of(word)
    return ""


def _meeting_type(doc: Document, lines: list[Line], first: int) -> str:
    """The type of a document with matters that begin at line `first`: the one the
    header gives (extract/doctype.py) if it is a protocol's or an agenda's, else the
    one its first lines name; "" if neither says it is a protocol or an agenda."""
    return doc.doc_type if doc.doc_type in MULTI_MATTER_TYPES else _names_itself(lines, first)


def _trailer(lines: list[Line], after: int) -> int:
    """The first line after `after` of what follows the last § (appeal instructions,
    the signature page), or the end."""
    rules = patterns()
    return next((i for i in range(after, len(lines)) if rules.trailer.match(lines[i].text)), len(lines))


def _last_line(lines: list[Line], first: int, end: int) -> int:
    """One past the last non-blank line before `end` (and at or after `first`)."""
    while end > first + 1 and not lines[end - 1].text:
        end -= 1
    return end


def _split_sections(doc: Document, matters: list[Matter]) -> list[Section]:
    """The document's sections cut where a matter begins or ends, each tagged with the
    matter it lies in. The piece from a matter's start (its § line and title, or an
    agenda row) is an `other` section of that matter, whatever section it was cut from."""
    cuts = sorted({m.start for m in matters} | {m.end for m in matters})
    text = doc.text
    ends = [section.start for section in doc.sections[1:]] + [len(text)]
    pieces: list[Section] = []
    for section, end in zip(doc.sections, ends):
        inner = [cut for cut in cuts if section.start < cut < end]
        if not inner:
            pieces.append(section)
            continue
        body_start = text.find(section.text, section.start) if section.text else section.start
        kept = text[max(body_start, section.start) : max(inner[0], body_start)].strip()
        if kept or section.heading:
            pieces.append(dataclasses.replace(section, text=kept))
        for n, cut in enumerate(inner):
            piece = text[cut : inner[n + 1] if n + 1 < len(inner) else end]
            if piece.strip():
                pieces.append(Section(label=section.label, heading="", text=piece.strip(), start=cut + len(piece) - len(piece.lstrip())))
    starts = {m.start for m in matters}
    result = []
    for section in pieces:
        matter = next((n for n, m in enumerate(matters) if m.start <= section.start < m.end), None)
        inherited = section.heading and not text.startswith(section.heading, section.start)
        if section.start in starts and (inherited or not section.heading):
            result.append(dataclasses.replace(section, label="other", heading="", matter=matter))
        else:
            result.append(dataclasses.replace(section, matter=matter))
    return result


def _with_proposals(sections: list[Section], text: str, cells: list[tuple[int, int]]) -> list[Section]:
    """The sections with each agenda row's proposal cell (extract/agenda.py) cut out as a
    `proposals` section of the matter it lies in; a first line that is a proposal heading
    (`Förslag till beslut i kommunstyrelsen`) is its heading."""
    ends = [section.start for section in sections[1:]] + [len(text)]
    result: list[Section] = []
    for section, end in zip(sections, ends):
        inner = [cell for cell in cells if section.start <= cell[0] < end]
        if not inner:
            result.append(section)
            continue
        body_start = text.find(section.text, section.start) if section.text else section.start
        lead = text[body_start : inner[0][0]].strip() if body_start < inner[0][0] else ""
        if lead or section.heading:
            result.append(dataclasses.replace(section, text=lead))
        for n, (start, stop) in enumerate(inner):
            cell = text[start:stop]
            first, rest = (re.split(r"<br\s*/?>|\n", cell, maxsplit=1) + [""])[:2]
            heading = first.strip() if rest.strip() and heading_label(first) == "proposals" else ""
            body = rest if heading else cell
            body_start = stop - len(body)
            result.append(Section(label="proposals", heading=heading, text=body.strip(), start=start, matter=section.matter))
            tail_end = inner[n + 1][0] if n + 1 < len(inner) else end
            tail = text[stop:tail_end]
            if tail.strip(" |\n\t\f"):
                result.append(Section(label=section.label, heading="", text=tail.strip(), start=stop + len(tail) - len(tail.lstrip()), matter=section.matter))
    return result


def _finnish_dnr(text: str) -> list[str]:
    """Every Finland-Swedish diary number printed in `text` (`NKBY/497/12.03.01/2022`):
    a form nothing else has, so a protocol's or agenda's own even where no § or item
    holds it (an agenda's appendix, a proposal that names an earlier decision)."""
    return [printed_dnr(match.group("dnr")) for match in DNR_FINNISH.finditer(text)]


def find_matters(doc: Document) -> Document:
    """`doc` with its matters (none for a single-matter document), its sections split at
    and tagged with them, and, when it has matters, the diary numbers of all its matters
    and the type they imply: agenda items make a `kallelse`, and so do § in a document
    that calls itself an agenda (Nykarleby's `Föredragningslista` numbers its items as
    §); other § make a `protokoll`, or a `protokollsutdrag` when there is one. Its diary
    numbers are its matters' and every Finland-Swedish one it prints (`_finnish_dnr`),
    each once; an agenda's rows give `proposals` sections."""
    lines = lines_of(doc.text)
    chain = find_paragraphs(lines, doc)
    if chain:
        meeting = _meeting_type(doc, lines, chain[0].first)
        # a document that says it is neither protocol nor agenda has § only if its type
        # is unknown and more than one § has a diary number or a decision (the `1 §` of
        # a statute quoted in a tjänsteskrivelse has neither)
        if not meeting and (doc.doc_type or sum(start.evidenced for start in chain) < 2):
            return doc
        furniture = _furniture(doc.text, lines)
        trailer = _trailer(lines, chain[-1].title_end)
        matters = [
            _paragraph_matter(doc, lines, start, _last_line(lines, start.line, chain[n + 1].first if n + 1 < len(chain) else trailer), furniture)
            for n, start in enumerate(chain)
        ]
        doc_type = "kallelse" if meeting == "kallelse" else "protokollsutdrag" if len(matters) == 1 else "protokoll"
    else:
        items = agenda_items(lines)
        if len(items) < 2 or _meeting_type(doc, lines, items[0].line) != "kallelse":
            return doc
        matters = [_item_matter(doc, lines, item) for item in items]
        doc_type = "kallelse"
    sections = _split_sections(doc, matters)
    if doc_type == "kallelse":
        sections = _with_proposals(sections, doc.text, proposal_cells(lines))
    numbers = [number for matter in matters for number in matter.dnr] + _finnish_dnr(doc.text)
    keys = {}
    for number in numbers:
        keys.setdefault(dnr_key(number), number)
    return dataclasses.replace(doc, matters=matters, sections=sections, dnr=list(keys.values()), doc_type=doc_type)
