"""Documents into index points: chunk, embed (dense, in one call for many documents) and
weigh terms (sparse), with the payload of index/payload.py. This is the index stage's
entry point for writers; searching is index/search.py.

Embedding many documents' chunks in one call lets the encoder sort them all by length
and pad each batch only to its own longest chunk: one call per document padded every
batch to that document's longest chunk (253 tokens computed per chunk for 122 real ones).
"""

from __future__ import annotations

from document import Document
from index.chunking import chunk_document, embedding_text
from index.embed.embedder import Embedder
from index.payload import chunk_payload
from index.sparse import passage_vector
from index.stores.base import IndexedChunk


def document_points(docs: list[Document], embedder: Embedder) -> list[list[IndexedChunk]]:
    """The points of each document, in order."""
    chunked = [(doc, chunk_document(doc)) for doc in docs]
    texts = [embedding_text(doc, chunk) for doc, chunks in chunked for chunk in chunks]
    dense = embedder.embed_passages(texts)
    points: list[list[IndexedChunk]] = []
    position = 0
    for doc, chunks in chunked:
        own = []
        for chunk in chunks:
            text = texts[position]
            own.append(IndexedChunk(chunk.chunk_id, dense[position], passage_vector(text), chunk_payload(doc, chunk)))
            position += 1
        points.append(own)
    return points
