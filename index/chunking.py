"""Section-aware chunking: a chunk never spans two sections (and so never two matters of
a protocol), and knows its section, matter and page so that it can be filtered, shown
and cited on its own.

Sections are split at paragraph boundaries into chunks of at most `max_words` words,
with long paragraphs split at sentence boundaries.
"""

from __future__ import annotations

import re
import uuid
from bisect import bisect_left

from document import Chunk, Document

MAX_WORDS = 180
_PARAGRAPH_GAP = re.compile(r"\n\s*\n")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”“])")
_CHUNK_NAMESPACE = uuid.UUID("4d1b1a3e-6a51-4f39-9a55-3a8e6f1d0c2b")
SKIPPED_SECTIONS = frozenset({"distribution"})  # address lists carry nothing to search for


def chunk_id(doc_id: str, ordinal: int) -> str:
    return str(uuid.uuid5(_CHUNK_NAMESPACE, f"{doc_id}:{ordinal}"))


def _units(text: str, offset: int, max_words: int) -> list[tuple[int, str]]:
    """(offset, text) of the paragraphs of `text`, long ones cut at sentence ends."""
    units: list[tuple[int, str]] = []
    position = 0
    for part in _PARAGRAPH_GAP.split(text):
        start = text.index(part, position) if part else position
        position = start + len(part)
        if not part.strip():
            continue
        if len(part.split()) <= max_words:
            units.append((offset + start, part))
            continue
        cursor = 0
        for sentence in _SENTENCE.split(part):
            at = part.index(sentence, cursor)
            cursor = at + len(sentence)
            units.append((offset + start + at, sentence))
    return units


def _pieces(text: str, offset: int, max_words: int) -> list[tuple[int, str]]:
    """(offset, text) of pieces of at most about `max_words` words of one section's text."""
    pieces: list[tuple[int, str]] = []
    current: list[str] = []
    current_start = offset
    count = 0
    for start, unit in _units(text, offset, max_words):
        words = unit.split()
        if current and count + len(words) > max_words:
            pieces.append((current_start, " ".join(current)))
            current, count = [], 0
        if len(words) > max_words:  # one very long sentence: cut it by words
            for first in range(0, len(words), max_words):
                pieces.append((start, " ".join(words[first : first + max_words])))
            continue
        if not current:
            current_start = start
        current.extend(words)
        count += len(words)
    if current:
        pieces.append((current_start, " ".join(current)))
    return pieces


def chunk_document(doc: Document, max_words: int = MAX_WORDS) -> list[Chunk]:
    chunks: list[Chunk] = []
    ends = [section.start for section in doc.sections[1:]] + [len(doc.text)]
    entities_by_start = sorted(doc.entities, key=lambda entity: entity.start)
    starts = [entity.start for entity in entities_by_start]
    for section, end in zip(doc.sections, ends):
        if section.label in SKIPPED_SECTIONS:
            continue
        inside = entities_by_start[bisect_left(starts, section.start) : bisect_left(starts, end)]
        entities = sorted({entity.text for entity in inside})
        body_start = doc.text.find(section.text, section.start) if section.text else section.start
        for start, piece in _pieces(section.text, max(body_start, section.start), max_words):
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    chunk_id=chunk_id(doc.doc_id, ordinal),
                    doc_id=doc.doc_id,
                    ordinal=ordinal,
                    section=section.label,
                    heading=section.heading,
                    text=piece,
                    page=doc.page_at(start),
                    matter=section.matter,
                    entities=entities,
                )
            )
    return chunks


def embedding_text(doc: Document, chunk: Chunk) -> str:
    """What the model embeds for a chunk: its text in the context of its title (the
    matter's for a chunk of a §) and heading."""
    title = doc.matters[chunk.matter].title if chunk.matter is not None and doc.matters else doc.title
    return _in_context(title, chunk.heading, chunk.text)


def stored_embedding_text(payload: dict) -> str:
    """What the model embedded for a stored chunk, read from its payload (index/payload.py
    keeps the chunk's text, heading, title and matter title): `embedding_text` of the chunk
    it was made from."""
    title = payload.get("matter_title", "") if payload.get("matter") is not None else payload.get("title", "")
    return _in_context(title, payload.get("heading", ""), payload.get("text", ""))


def _in_context(title: str, heading: str, text: str) -> str:
    context = " – ".join(part for part in (title, heading) if part)
    return f"{context}\n{text}" if context else text
