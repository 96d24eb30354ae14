"""Stage 3, extract: turn a `NormalizedDocument` into a structured `Document`:
sections (extract/sections.py, page furniture of text input set apart by
extract/furniture.py), metadata (extract/metadata.py, each field by its module: title.py,
body.py, diary_numbers.py, document_date.py, municipality.py) and the document type
(extract/doctype.py), proposals (extract/proposals.py), the matters of protocols and
agendas (extract/matters.py) and entities (extract/entities.py).

`VERSION` names the rules; a stored document made by other rules is extracted again
from its stored text by `extract_again` (what `diarium reindex` does), so an archive
never has to be ingested again to get what new rules find.
"""

from __future__ import annotations

from document import Document, NormalizedDocument
from extract.entities import tag_entities
from extract.matters import find_matters
from extract.metadata import extract_metadata
from extract.proposals import extract_proposals
from extract.sections import split_sections

VERSION = "2026-12-05.10"


def extract(normalized: NormalizedDocument) -> Document:
    text = normalized.text
    sections = split_sections(text)
    meta = extract_metadata(text, sections, ocr_damaged=bool(normalized.edits))
    doc = Document(
        doc_id=normalized.doc_id,
        source=normalized.source,
        sources=[normalized.source],
        file_type=normalized.file_type,
        text=text,
        pages=list(normalized.pages),
        title=meta.title,
        municipality=meta.municipality,
        body=meta.body,
        date=meta.date,
        dnr=meta.dnr,
        doc_type=meta.doc_type,
        author=meta.author,
        sections=sections,
        edits=list(normalized.edits),
        notes=list(normalized.notes),
        extraction=VERSION,
    )
    doc = find_matters(doc)
    if not doc.matters:
        doc.proposals = extract_proposals(sections, default_body=meta.body)
        # a header that names no body: the body the (first) proposals are for
        doc.body = doc.body or (doc.proposals[0].body if doc.proposals else "")
    doc.entities = tag_entities(text)
    return doc


def extract_again(doc: Document) -> Document:
    """`doc` extracted anew by the current rules from its stored text."""
    normalized = NormalizedDocument(
        doc_id=doc.doc_id,
        source=doc.source,
        file_type=doc.file_type,
        text=doc.text,
        pages=list(doc.pages),
        edits=list(doc.edits),
        notes=list(doc.notes),
    )
    fresh = extract(normalized)
    fresh.sources = list(doc.sources)
    fresh.language = doc.language
    return fresh


__all__ = ["VERSION", "extract", "extract_again"]
