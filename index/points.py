"""Documents into index points: chunk, embed (dense, in one call for many documents) and
weigh terms (sparse), with the payload of index/payload.py. This is the index stage's
entry point for writers; searching is index/search.py.

Embedding many documents' chunks in one call lets the encoder sort them all by length
and pad each batch only to its own longest chunk: one call per document padded every
batch to that document's longest chunk (253 tokens computed per chunk for 122 real ones).

A rebuild of the index by the same model (`diarium reindex` after a change of the payload
schema or of the extraction rules) passes `known`: the live index's points of these chunk
ids. A chunk whose stored point was embedded from the very text it would be embedded from
now keeps that vector; only the others are embedded.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from document import Document
from index.chunking import chunk_document, embedding_text, stored_embedding_text
from index.embed.embedder import Embedder
from index.payload import chunk_payload
from index.sparse import passage_vector
from index.stores.base import IndexedChunk, StoredPoint

Known = Callable[[list[str]], dict[str, StoredPoint]]  # chunk ids → the live index's points of them


def document_points(docs: list[Document], embedder: Embedder, known: Known | None = None) -> list[list[IndexedChunk]]:
    """The points of each document, in order."""
    chunked = [(doc, chunk_document(doc)) for doc in docs]
    ids = [chunk.chunk_id for _, chunks in chunked for chunk in chunks]
    texts = [embedding_text(doc, chunk) for doc, chunks in chunked for chunk in chunks]
    dense = _reused(ids, texts, known)
    kept = [vector is not None for vector in dense]
    missing = [position for position, vector in enumerate(dense) if vector is None]
    if missing:
        for position, vector in zip(missing, embedder.embed_passages([texts[position] for position in missing])):
            dense[position] = vector
    points: list[list[IndexedChunk]] = []
    position = 0
    for doc, chunks in chunked:
        own = []
        for chunk in chunks:
            text = texts[position]
            own.append(IndexedChunk(chunk.chunk_id, dense[position], passage_vector(text), chunk_payload(doc, chunk), kept[position]))
            position += 1
        points.append(own)
    return points


def _reused(ids: list[str], texts: list[str], known: Known | None) -> list[np.ndarray | None]:
    """For each chunk, the stored vector of the same text, or None."""
    stored = known(ids) if known is not None and ids else {}
    reused: list[np.ndarray | None] = []
    for chunk_id, text in zip(ids, texts):
        point = stored.get(chunk_id)
        same = point is not None and point.dense is not None and stored_embedding_text(point.payload) == text
        reused.append(point.dense if same else None)
    return reused
