"""The crash-safe order in which documents enter the archive, and the batches they enter in.

For every document (so that a crash at any point is repaired by re-running):
1. its row is stored as `pending` (`queue`), with the whole extracted Document;
2. when the batch is due (`flush`): the chunks of every queued document are embedded in
   one call (the encoder sorts them all by length and pads each batch only to its own
   longest chunk); then, with the vector index open once for the whole batch, any points
   a document already has (from an interrupted run) are deleted and the new ones
   upserted (chunk ids derive from doc id and position, so a repeat overwrites rather
   than duplicates; Qdrant's write-ahead log keeps them through a kill);
3. in one SQLite transaction the rows become `live`, their source paths are recorded,
   and a replaced older version of a path loses that path (and its row if it has no
   other path left);
4. the replaced versions' points are deleted.
Searches only return points of `live` documents, so the switch in step 3 is what makes
an update atomic for readers. A kill (or Ctrl-C) before step 3 leaves `pending` rows,
which the next writer finishes from the stored copy (pipeline/maintenance.py). Writers
hold the data directory's writer lock (pipeline/locking.py).

A batch is due at `MAX_CHUNKS` chunks or `MAX_DOCUMENTS` documents, or `MAX_SECONDS`
after its first document was queued: the index is opened once per batch (opening costs
0.1 s and more as it grows), and each hold of it lasts only the writes (about 0.1 s).

`OptimizeSchedule`: Qdrant Edge builds no indexes by itself, so writers optimize every
`OPTIMIZE_EVERY_POINTS` points and when they finish (index/stores/edge.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from document import Document
from index.chunking import chunk_document
from index.embed.embedder import Embedder
from index.points import document_points
from index.stores.base import VectorStore
from pipeline.store import DocumentStore, SourceRecord

MAX_CHUNKS = 512
MAX_DOCUMENTS = 64
MAX_SECONDS = 10.0
OPTIMIZE_EVERY_POINTS = 5_000  # one optimization indexes about 1 CPU-s worth (index/stores/edge.py)


@dataclass
class WriteTimings:
    """Where a writer's time went: what `diarium ingest --json` reports and `make bench` reads."""

    chunks: int = 0
    embedding_cpu_seconds: float = 0.0  # this process's CPU (all ONNX threads) while embedding
    embedding_seconds: float = 0.0
    index_seconds: float = 0.0  # with the vector index held (other processes wait meanwhile)
    longest_hold_seconds: float = 0.0
    optimize_seconds: float = 0.0
    longest_optimize_seconds: float = 0.0

    @property
    def chunks_per_cpu_second(self) -> float:
        return self.chunks / self.embedding_cpu_seconds if self.embedding_cpu_seconds else 0.0


@dataclass
class QueuedDocument:
    """A document stored as `pending`, waiting for its batch."""

    doc: Document
    path: str | None  # the source to record (None: a stored document being re-indexed)
    size: int = 0
    mtime: float = 0.0
    previous: SourceRecord | None = None  # what the path held before, to be replaced
    chunks: int = 0


class OptimizeSchedule:
    """Optimizes a vector store every `OPTIMIZE_EVERY_POINTS` points written to it, and
    when a writer says it is done (`finish`)."""

    def __init__(self, vectors: VectorStore, timings: WriteTimings | None = None) -> None:
        self.vectors = vectors
        self.unoptimized = 0
        self.timings = timings or WriteTimings()

    def wrote(self, points: int) -> None:
        self.unoptimized += points
        if self.unoptimized >= OPTIMIZE_EVERY_POINTS:
            self.now()

    def finish(self) -> None:
        """A writer is done: optimize what it wrote (nothing, and no opening of the index,
        when it wrote nothing: an unchanged re-run)."""
        if self.unoptimized:
            self.now()

    def now(self) -> None:
        started = time.perf_counter()
        if self.vectors.optimize():  # a no-op when there is nothing to index
            held = time.perf_counter() - started
            self.timings.optimize_seconds += held
            self.timings.longest_optimize_seconds = max(self.timings.longest_optimize_seconds, held)
        self.unoptimized = 0


class WriteOrder:
    def __init__(
        self,
        store: DocumentStore,
        vectors: VectorStore,
        embedder: Callable[[], Embedder],
        ensure_index: Callable[[], None],
        on_indexed: Callable[[int], None] | None = None,
    ):
        self.store = store
        self.vectors = vectors
        self._embedder = embedder
        self._ensure_index = ensure_index
        self.on_indexed = on_indexed  # told the number of chunks each flush made live
        self.timings = WriteTimings()
        self.optimizing = OptimizeSchedule(vectors, self.timings)
        self._queue: list[QueuedDocument] = []
        self._first_queued: float | None = None
        self._batching = False

    # --- queueing ----------------------------------------------------------------------

    def queue(self, doc: Document, path: str | None, size: int = 0, mtime: float = 0.0, previous: SourceRecord | None = None) -> int:
        """Step 1 for a new or changed document; returns its chunk count. Outside
        `batched()` the document is written at once."""
        self._ensure_index()
        self.store.put(doc, state="pending")
        chunks = len(chunk_document(doc))
        self._queue.append(QueuedDocument(doc, path, size, mtime, previous, chunks))
        if self._first_queued is None:
            self._first_queued = time.monotonic()
        if not self._batching or self._due():
            self.flush()
        return chunks

    def _due(self) -> bool:
        if not self._queue:
            return False
        chunks = sum(queued.chunks for queued in self._queue)
        waited = time.monotonic() - (self._first_queued or time.monotonic())
        return chunks >= MAX_CHUNKS or len(self._queue) >= MAX_DOCUMENTS or waited >= MAX_SECONDS

    def is_queued(self, doc_id: str) -> bool:
        return any(queued.doc.doc_id == doc_id for queued in self._queue)

    @contextmanager
    def batched(self) -> Iterator[None]:
        """Queue documents and write them in batches; what is queued is written when the
        block ends normally. On an exception (Ctrl-C) the queued documents stay
        `pending`, to be finished by the next writer, rather than delay the exit."""
        if self._batching:
            yield
            return
        self._batching = True
        try:
            yield
        except BaseException:
            self._queue, self._first_queued = [], None
            raise
        finally:
            self._batching = False
        self.flush()

    # --- writing -----------------------------------------------------------------------

    def flush(self) -> None:
        """Steps 2-4 of the module doc for every queued document."""
        queued, self._queue, self._first_queued = self._queue, [], None
        if not queued:
            return
        embedder = self._embedder()
        wall, cpu = time.perf_counter(), time.process_time()
        points = document_points([item.doc for item in queued], embedder)
        self.timings.embedding_seconds += time.perf_counter() - wall
        self.timings.embedding_cpu_seconds += time.process_time() - cpu
        held = time.perf_counter()
        with self.vectors.session():
            self.vectors.delete_documents([item.doc.doc_id for item in queued])
            self.vectors.upsert([point for own in points for point in own])
            replaced: list[str] = []
            with self.store.transaction():
                for item, own in zip(queued, points):
                    self.store.set_state(item.doc.doc_id, "live", len(own))
                    if item.path is not None:
                        self.store.add_source(item.path, item.doc.doc_id, item.size, item.mtime)
                        replaced += self._detach_previous(item.previous, item.doc.doc_id)
            self.vectors.delete_documents(replaced)
        held = time.perf_counter() - held
        self.timings.index_seconds += held
        self.timings.longest_hold_seconds = max(self.timings.longest_hold_seconds, held)
        written = sum(len(own) for own in points)
        self.timings.chunks += written
        self.optimizing.wrote(written)
        if self.on_indexed:
            self.on_indexed(written)

    def reindex_stored(self, doc: Document) -> int:
        """Write a stored document's points again and make it live (repair without the
        file); returns its chunk count."""
        return self.queue(doc, None)

    def attach_source(self, path: str, doc_id: str, size: int, mtime: float, previous: SourceRecord | None) -> None:
        """Record another path for stored content (a duplicate, or a file moved back)."""
        with self.store.transaction():
            self.store.add_source(path, doc_id, size, mtime)
            replaced = self._detach_previous(previous, doc_id)
        self.vectors.delete_documents(replaced)

    def _detach_previous(self, previous: SourceRecord | None, new_doc_id: str) -> list[str]:
        """Within a transaction: drop a replaced version whose last path this was."""
        if not previous or previous.doc_id == new_doc_id or self.store.sources_of(previous.doc_id):
            return []
        self.store.delete(previous.doc_id)
        return [previous.doc_id]

    def detach_sources(self, paths: list[str]) -> list[str]:
        """Forget paths; delete (store, then index) documents left without any path."""
        with self.store.transaction():
            doc_ids = {record.doc_id for path in paths if (record := self.store.source(path))}
            for path in paths:
                self.store.remove_source(path)
            orphaned = sorted(doc_id for doc_id in doc_ids if not self.store.sources_of(doc_id))
            for doc_id in orphaned:
                self.store.delete(doc_id)
        self.vectors.delete_documents(orphaned)
        return orphaned

    def remove_documents(self, doc_ids: list[str]) -> None:
        with self.store.transaction():
            for doc_id in doc_ids:
                self.store.delete(doc_id)
        self.vectors.delete_documents(doc_ids)
