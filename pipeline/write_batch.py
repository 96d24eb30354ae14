"""Documents embedded but not yet written to the vector index, so that the index is
opened once per batch of documents instead of once per document.

Qdrant Edge locks its shard while a process has it open and opening it costs 0.1 s and
more as the index grows, which made a build of thousands of small documents spend most
of its time opening and closing the shard. A batch is written when it has gathered
`MAX_SECONDS` of work or `MAX_POINTS` points: when embedding is slow (the real model,
seconds per document) every document is written as soon as it is embedded; when it is
fast (re-indexing, repairs, benchmarks) many share one opening. Searches in other
processes wait only while a batch is written, never while one gathers.

`OptimizeSchedule` does the same for index building: it optimizes the store every
`OPTIMIZE_EVERY_POINTS` points, so that no single optimization holds the shard for long.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from index.docstore import SourceRecord
from index.vectorstore import IndexedChunk, VectorStore

MAX_SECONDS = 1.0
MAX_POINTS = 4096
# Writers optimize the index (index/edge.py) after this many points: a few seconds of index
# building on 2 cores, during which searches in other processes wait.
OPTIMIZE_EVERY_POINTS = 10_000


@dataclass
class QueuedDocument:
    """A document stored as `pending`, with its points ready for the index."""

    doc_id: str
    path: str
    size: int
    mtime: float
    previous: SourceRecord | None  # what the path held before, to be replaced
    points: list[IndexedChunk]


class WriteBatch:
    def __init__(self) -> None:
        self.documents: list[QueuedDocument] = []
        self._started: float | None = None
        self._points = 0

    def add(self, document: QueuedDocument, work_started: float) -> None:
        """Queue a document whose processing began at `work_started` (time.monotonic)."""
        if self._started is None:
            self._started = work_started
        self.documents.append(document)
        self._points += len(document.points)

    def __contains__(self, doc_id: str) -> bool:
        return any(document.doc_id == doc_id for document in self.documents)

    def due(self) -> bool:
        if not self.documents:
            return False
        return self._points >= MAX_POINTS or time.monotonic() - self._started >= MAX_SECONDS

    def take(self) -> list[QueuedDocument]:
        documents, self.documents, self._started, self._points = self.documents, [], None, 0
        return documents


class OptimizeSchedule:
    """Optimizes a vector store every `OPTIMIZE_EVERY_POINTS` points written to it, and
    when a writer says it is done (`now`)."""

    def __init__(self, vectors: VectorStore) -> None:
        self.vectors = vectors
        self.unoptimized = 0

    def wrote(self, points: int) -> None:
        self.unoptimized += points
        if self.unoptimized >= OPTIMIZE_EVERY_POINTS:
            self.now()

    def now(self) -> None:
        self.vectors.optimize()  # a no-op when there is nothing to index
        self.unoptimized = 0
