"""Section-aware chunking: a chunk never spans two sections, and carries its document's
metadata and its section label so that it can be filtered and shown on its own.

Sections are split at paragraph boundaries into chunks of at most `max_words` words,
with long paragraphs split at sentence boundaries.
"""

from __future__ import annotations

import re
import uuid

from document import Chunk, Document

MAX_WORDS = 180
_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”“])")
_CHUNK_NAMESPACE = uuid.UUID("4d1b1a3e-6a51-4f39-9a55-3a8e6f1d0c2b")
SKIPPED_SECTIONS = frozenset({"distribution"})  # address lists carry nothing to search for


def chunk_id(doc_id: str, ordinal: int) -> str:
    return str(uuid.uuid5(_CHUNK_NAMESPACE, f"{doc_id}:{ordinal}"))


def _pieces(text: str, max_words: int) -> list[str]:
    """Split one section's text into pieces of at most about `max_words` words."""
    units: list[str] = []
    for paragraph in _PARAGRAPH.split(text):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if len(paragraph.split()) <= max_words:
            units.append(paragraph)
        else:
            units.extend(_SENTENCE.split(paragraph))
    pieces: list[str] = []
    current: list[str] = []
    count = 0
    for unit in units:
        words = len(unit.split())
        if current and count + words > max_words:
            pieces.append(" ".join(current))
            current, count = [], 0
        if words > max_words:  # one very long sentence: cut it by words
            tokens = unit.split()
            for start in range(0, len(tokens), max_words):
                pieces.append(" ".join(tokens[start : start + max_words]))
            continue
        current.append(unit)
        count += words
    if current:
        pieces.append(" ".join(current))
    return pieces


def document_metadata(doc: Document) -> dict:
    """The document fields every chunk carries in its payload."""
    return {
        "doc_id": doc.doc_id,
        "source": doc.source,
        "title": doc.title,
        "municipality": doc.municipality,
        "body": doc.body,
        "date": doc.date,
        "dnr": list(doc.dnr),
        "doc_type": doc.doc_type,
    }


def chunk_document(doc: Document, max_words: int = MAX_WORDS) -> list[Chunk]:
    metadata = document_metadata(doc)
    chunks: list[Chunk] = []
    ends = [section.start for section in doc.sections[1:]] + [len(doc.text)]
    for section, end in zip(doc.sections, ends):
        if section.label in SKIPPED_SECTIONS:
            continue
        entities = sorted({e.text for e in doc.entities if section.start <= e.start < end})
        for piece in _pieces(section.text, max_words):
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc.doc_id, ordinal),
                    doc_id=doc.doc_id,
                    ordinal=ordinal,
                    section=section.label,
                    heading=section.heading,
                    text=piece,
                    metadata={**metadata, "entities": entities},
                )
            )
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What the model embeds for a chunk: its text in the context of title and heading."""
    context = " – ".join(part for part in (chunk.metadata.get("title", ""), chunk.heading) if part)
    return f"{context}\n{chunk.text}" if context else chunk.text
