"""What the pages show, made from the archive's objects: a document's text cut into
pieces (entities to highlight, OCR repairs with the text before them, anchors for
pages, sections and matters), snippets with the query terms marked, citations, and the
rows of an export. Nothing here reads the archive; escaping is Jinja's (autoescape),
and the one place that builds HTML itself (`marked`) escapes every part it joins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from document import Document, Hit, Matter

_MARK = re.compile(r"\[\[|\]\]")  # index/snippets.py marks query terms as [[word]]


def marked(snippet: str) -> Markup:
    """A snippet as HTML: the marked query terms in <mark>, everything escaped."""
    parts = _MARK.split(snippet)
    return Markup("").join(Markup("<mark>{}</mark>").format(part) if n % 2 else escape(part) for n, part in enumerate(parts))


def plain(snippet: str) -> str:
    """A snippet without its marks (for exports)."""
    return _MARK.sub("", snippet)


@dataclass
class Piece:
    """A run of a document's text with one look: an entity's label, or an OCR repair
    (`text` is the repaired text, `before` what the file said)."""

    text: str
    entity: str | None = None
    before: str | None = None
    repair: str = ""  # how the repair is described on hover
    anchors: list[str] = field(default_factory=list)  # ids placed before the piece


@dataclass
class PageView:
    number: int | None  # None: page boundaries unknown
    pieces: list[Piece]


def text_pages(doc: Document, start: int = 0, end: int | None = None) -> list[PageView]:
    """`doc.text[start:end]` as pages of pieces. Entities that overlap keep the first
    (longest) one; a repair that overlaps another or crosses a page break is only listed,
    not drawn in the text."""
    end = len(doc.text) if end is None else end
    page_starts = [page.start for page in doc.pages] or [0]
    entities = _non_overlapping([(e.start, e.end, e.label) for e in doc.entities if e.start < end and e.end > start])
    repairs = _repairs(doc, page_starts, start, end)
    anchors: dict[int, list[str]] = {}
    for number, matter in enumerate(doc.matters, 1):
        anchors.setdefault(matter.start, []).append(f"arende-{number}")
    for number, section in enumerate(doc.sections, 1):
        anchors.setdefault(section.start, []).append(f"avsnitt-{number}")
    cuts = {start, end} | {p for p in page_starts if start < p < end} | {p for p in anchors if start < p < end}
    for a, b, _ in entities:
        cuts |= {max(a, start), min(b, end)}
    for a, b, _, _ in repairs:
        cuts |= {a, b}
    positions = sorted(cuts)

    pages: list[PageView] = []
    numbers = {page.start: page.number for page in doc.pages}
    first_page = doc.page_at(start)
    current = PageView(first_page, [])
    pages.append(current)
    entity_index = repair_index = 0
    skip_until = start
    for a, b in zip(positions, positions[1:]):
        if a in numbers and a != start:
            current = PageView(numbers[a], [])
            pages.append(current)
        here = list(anchors.get(a, []))
        while entity_index < len(entities) and entities[entity_index][1] <= a:
            entity_index += 1
        label = entities[entity_index][2] if entity_index < len(entities) and entities[entity_index][0] <= a else None
        while repair_index < len(repairs) and repairs[repair_index][0] < a:
            repair_index += 1
        while repair_index < len(repairs) and repairs[repair_index][0] == a == repairs[repair_index][1]:  # a deletion
            _, _, before, how = repairs[repair_index]
            current.pieces.append(Piece("", None, before, how, here))
            here, repair_index = [], repair_index + 1
        if a < skip_until:
            continue
        if repair_index < len(repairs) and repairs[repair_index][0] == a:
            _, repair_end, before, how = repairs[repair_index]
            current.pieces.append(Piece(_visible(doc.text[a:repair_end]), label, before, how, here))
            skip_until = repair_end
            continue
        current.pieces.append(Piece(_visible(doc.text[a:b]), label, None, "", here))
    return pages


def _visible(text: str) -> str:
    return text.replace("\f", "")


def _non_overlapping(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    kept: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if span[1] > span[0] and (not kept or span[0] >= kept[-1][1]):
            kept.append(span)
    return kept


def _repairs(doc: Document, page_starts: list[int], start: int, end: int) -> list[tuple[int, int, str, str]]:
    """(start, end, before, description) of the repairs drawn in the text, in order."""
    kept: list[tuple[int, int, str, str]] = []
    for edit in sorted(doc.edits, key=lambda e: e.start):
        a, b = edit.start, edit.start + len(edit.after)
        if a < start or b > end or (kept and a < kept[-1][1]) or any(a < p < b for p in page_starts):
            continue
        kept.append((a, b, edit.before, f"OCR-rättelse ({edit.rule}, säkerhet {edit.confidence:.2f}): {edit.before!r} → {edit.after!r}"))
    return kept


# --- matters, citations, exports -----------------------------------------------------


def matter_number(doc: Document, hit: Hit) -> int | None:
    """The 1-based number of the matter a hit's chunk belongs to (found by its § or
    title, which the hit carries), or None outside matters."""
    for number, matter in enumerate(doc.matters, 1):
        if hit.paragraph and matter.paragraph == hit.paragraph:
            return number
        if not hit.paragraph and hit.matter_title and matter.title == hit.matter_title:
            return number
    return None


def citation(doc: Document, matter: Matter | None) -> str:
    """`Byggnadsnämndens arbetsutskott, Kungsbacka, protokoll 2024-05-23, § 137, dnr
    BN-2023-00211: Title.` (the page adds the URL)"""
    parts = [part for part in (doc.body, doc.municipality) if part]
    parts.append(" ".join(part for part in (doc.doc_type or "dokument", doc.date) if part))
    if matter is not None:
        parts.append(matter.label)
    dnr = matter.dnr if matter is not None and matter.dnr else doc.dnr
    if dnr:
        parts.append("dnr " + ", ".join(dnr))
    title = (matter.title if matter is not None else "") or doc.title
    return f"{', '.join(parts)}: {title}."


EXPORT_COLUMNS = ("rank", "document", "matter", "date", "municipality", "body", "doc_type", "dnr", "title", "section", "page", "score", "url")


def export_row(rank: int, hit: Hit, url: str) -> dict:
    return {
        "rank": rank,
        "document": hit.doc_id,
        "matter": hit.paragraph or "",
        "date": hit.date,
        "municipality": hit.municipality,
        "body": hit.body,
        "doc_type": hit.doc_type,
        "dnr": "; ".join(hit.dnr),
        "title": hit.matter_title or hit.title,
        "section": hit.section,
        "page": hit.page,
        "score": hit.score,
        "url": url,
    }
