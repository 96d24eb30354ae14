"""Stage 3, extract: turn a `NormalizedDocument` into a structured `Document`:
sections (extract/sections.py), proposals (extract/proposals.py), metadata
(extract/metadata.py) and entities (extract/entities.py)."""

from __future__ import annotations

from document import Document, NormalizedDocument
from extract.entities import tag_entities
from extract.metadata import extract_metadata
from extract.proposals import extract_proposals
from extract.sections import split_sections


def extract(normalized: NormalizedDocument, entities: bool = True) -> Document:
    text = normalized.text
    sections = split_sections(text)
    meta = extract_metadata(text, sections, ocr_damaged=bool(normalized.edits))
    proposals = extract_proposals(sections, default_body=meta.body)
    # a header that names no body: the body the (first) proposals are for
    body = meta.body or (proposals[0].body if proposals else "")
    return Document(
        doc_id=normalized.doc_id,
        source=normalized.source,
        sources=[normalized.source],
        file_type=normalized.file_type,
        text=text,
        page_count=normalized.page_count,
        title=meta.title,
        municipality=meta.municipality,
        body=body,
        date=meta.date,
        dnr=meta.dnr,
        doc_type=meta.doc_type,
        author=meta.author,
        sections=sections,
        proposals=proposals,
        entities=tag_entities(text) if entities else [],
        edits=list(normalized.edits),
        notes=list(normalized.notes),
    )


__all__ = ["extract"]
