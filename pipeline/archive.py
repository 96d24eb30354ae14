"""The archive: processed documents kept in the document store and the vector store,
consistent with each other, and searchable.

Write order for a document (so that a crash at any point is repaired by re-running):
1. the document row is stored as `pending` and its chunks are embedded;
2. with the index open (once for a batch of documents, pipeline/write_batch.py): any
   points the document already has (from an interrupted run) are deleted and the new
   ones upserted (chunk ids are derived from doc id and position, so a repeat overwrites
   rather than duplicates; Qdrant's write-ahead log keeps them through a kill);
3. in one SQLite transaction the rows become `live`, their source paths are recorded,
   and a replaced older version of a path loses that path (and its row if it has no
   other path left);
4. the replaced versions' points are deleted.
After a writing command, and every `OPTIMIZE_EVERY_POINTS` points during one
(pipeline/write_batch.py `OptimizeSchedule`), the index is optimized (index/edge.py: new
points get their HNSW and sparse indexes), which keeps each hold of the shard short and
the next opening quick.
Searches only return points of `live` documents, so the switch in step 3 is what makes
an update atomic for readers. A kill before step 3 leaves `pending` rows, which the next
ingest finishes from the stored copy. Writers hold the data directory's writer lock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from config import DEFAULT_MODEL, Settings
from document import Document, Hit
from index.chunking import chunk_document, embedding_text
from index.docstore import DocumentStore, SourceRecord
from index.edge import EdgeVectorStore
from index.embed.embedder import Embedder
from index.search import search as search_index
from index.sparse import SCHEME as SPARSE_SCHEME, passage_vector
from index.vectorstore import IndexedChunk, SearchFilters, VectorStore
from pipeline import maintenance
from pipeline.locking import WriterLock
from pipeline.write_batch import OptimizeSchedule, QueuedDocument, WriteBatch

if TYPE_CHECKING:  # ingestion imports the parsing stages (spaCy, torch): not needed to search
    from pipeline.ingestion import FileResult, IngestReport


class ModelMismatchError(RuntimeError):
    """The live index was built by another model or another sparse term scheme."""


def open_vector_store(settings: Settings) -> VectorStore:
    if settings.qdrant_url:
        from index.server import ServerVectorStore

        return ServerVectorStore.connect(settings.qdrant_url, settings.collection, settings.qdrant_api_key)
    return EdgeVectorStore(settings.edge_dir)


class Archive:
    def __init__(self, settings: Settings, vectors: VectorStore | None = None, embedder: Embedder | None = None):
        self.settings = settings
        self.store = DocumentStore(settings.documents_db)
        self.vectors = vectors or open_vector_store(settings)
        self._embedder = embedder
        self._batch: WriteBatch | None = None  # set inside `batched_writes()`
        self._optimizing = OptimizeSchedule(self.vectors)

    def close(self) -> None:
        self.store.close()
        self.vectors.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _writing(self) -> WriterLock:
        return WriterLock(self.settings.data_dir)

    # --- model -------------------------------------------------------------------------

    @property
    def indexed_model(self) -> str | None:
        return self.store.get_meta("model")

    @property
    def model_name(self) -> str:
        """The model asked for, else the one the index was built with, else the default."""
        return self.settings.model or self.indexed_model or DEFAULT_MODEL

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self.model_name)
        return self._embedder

    def _check_model(self) -> None:
        indexed = self.indexed_model
        if not indexed or not self.vectors.exists():
            return
        if indexed != self.embedder.model_name:
            dimension = self.store.get_meta("dimension")
            raise ModelMismatchError(
                f"the index was built with model {indexed} ({dimension}-d) but {self.embedder.model_name} was asked for; "
                f"run `diarium reindex --model {self.embedder.model_name}` to rebuild it"
            )
        if self.store.get_meta("sparse_scheme") != SPARSE_SCHEME:
            raise ModelMismatchError(
                "the index's lexical vectors were built by an older version of diarium's term scheme; "
                "run `diarium reindex` to rebuild them"
            )

    @property
    def index_recipe(self) -> str:
        """What an index built now is made with: the embedding model and the sparse term scheme."""
        return f"{self.embedder.model_name} | {SPARSE_SCHEME}"

    def record_index_recipe(self) -> None:
        """Note with the documents what the live index was built with (`_check_model` reads it)."""
        self.store.set_meta("model", self.embedder.model_name)
        self.store.set_meta("dimension", str(self.embedder.dimension))
        self.store.set_meta("sparse_scheme", SPARSE_SCHEME)

    def _ensure_index(self) -> None:
        self._check_model()
        if not self.vectors.exists():
            self.vectors.create(self.embedder.dimension)
            self.record_index_recipe()

    # --- writing documents (callers hold the writer lock) --------------------------------

    def embed_points(self, doc: Document) -> list[IndexedChunk]:
        """Chunk and embed one document: its points, ready for the index."""
        chunks = chunk_document(doc)
        texts = [embedding_text(chunk) for chunk in chunks]
        dense = self.embedder.embed_passages(texts)
        return [IndexedChunk(chunk, dense[i], passage_vector(texts[i])) for i, chunk in enumerate(chunks)]

    def write_points(self, doc: Document, vectors: VectorStore) -> int:
        """Chunk, embed and upsert one document's points (in one update); return the count."""
        points = self.embed_points(doc)
        vectors.upsert(points)
        return len(points)

    def add_document(self, doc: Document, path: str, size: int, mtime: float, previous: SourceRecord | None) -> int:
        """Store and index a newly parsed document in crash-safe order (see module doc).
        Inside `batched_writes()` it may become live only when its batch is written."""
        started = time.monotonic()
        self._ensure_index()
        self.store.put(doc, state="pending")
        points = self.embed_points(doc)
        batch = self._batch or WriteBatch()
        batch.add(QueuedDocument(doc.doc_id, path, size, mtime, previous, points), started)
        if batch is not self._batch or batch.due():
            self._write_batch(batch)
        return len(points)

    @contextmanager
    def batched_writes(self) -> Iterator[None]:
        """Let `add_document` queue documents and write them to the index in batches; what
        is queued is written when the block ends, also when it ends by an exception."""
        if self._batch is not None:
            yield
            return
        self._batch = WriteBatch()
        try:
            yield
        finally:
            batch, self._batch = self._batch, None
            self._write_batch(batch)

    def has_document(self, doc_id: str) -> bool:
        """Is this content stored live, or queued to become live in this batch?"""
        return self.store.state(doc_id) == "live" or (self._batch is not None and doc_id in self._batch)

    def _write_batch(self, batch: WriteBatch) -> None:
        """Steps 2-4 of the module doc for every queued document, in one opening of the index."""
        queued = batch.take()
        if not queued:
            return
        with self.vectors.session():
            self.vectors.delete_documents([document.doc_id for document in queued])
            self.vectors.upsert([point for document in queued for point in document.points])
            replaced: list[str] = []
            with self.store.transaction():
                for document in queued:
                    self.store.set_state(document.doc_id, "live", len(document.points))
                    self.store.add_source(document.path, document.doc_id, document.size, document.mtime)
                    replaced += self._detach_previous(document.previous, document.doc_id)
            self.vectors.delete_documents(replaced)
            self._optimizing.wrote(sum(len(document.points) for document in queued))

    def optimize_index(self) -> None:
        """Index the points written so far (a no-op when there is nothing to do)."""
        self._optimizing.now()

    def index_stored_document(self, doc: Document) -> int:
        """(Re)write a stored document's points and make it live: repair without the PDF."""
        self._ensure_index()
        points = self.embed_points(doc)
        with self.vectors.session():
            self.vectors.delete_documents([doc.doc_id])
            self.vectors.upsert(points)
        self.store.set_state(doc.doc_id, "live", len(points))
        return len(points)

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

    # --- commands ----------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        on_start: Callable[[int], None] | None = None,
        on_file: Callable[[FileResult], None] | None = None,
        password: str | None = None,
        workers: int | None = None,
        prune: bool = False,
    ) -> IngestReport:
        from pipeline.ingestion import ingest_files

        with self._writing():
            maintenance.recover_interrupted(self)
            report = ingest_files(self, paths, on_start, on_file, password, workers)
            if prune:
                report.pruned = maintenance.prune(self)
            self.optimize_index()
        return report

    def delete(self, target: str) -> list[str]:
        with self._writing():
            return maintenance.delete(self, target)

    def prune(self) -> list[str]:
        with self._writing():
            return maintenance.prune(self)

    def check(self, repair: bool = True) -> maintenance.CheckReport:
        with self._writing():
            report = maintenance.check(self, repair)
            self.optimize_index()
            return report

    def reindex(
        self,
        on_start: Callable[[int], None] | None = None,
        on_document: Callable[[str], None] | None = None,
    ) -> dict:
        with self._writing():
            return maintenance.reindex(self, on_start, on_document)

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        limit: int = 10,
        mode: str = "hybrid",
        all_chunks: bool = False,
    ) -> list[Hit]:
        if not self.vectors.exists():
            return []
        self._check_model()
        return search_index(query, self.store, self.vectors, self.embedder, filters, limit, mode, all_chunks)

    def find(self, path_or_id: str) -> Document | None:
        """A stored document by (a prefix of) its id or by one of its source paths."""
        record = self.store.source(str(Path(path_or_id).expanduser().resolve()))
        if record:
            return self.store.get(record.doc_id)
        matches = self.store.resolve_id(path_or_id) if len(path_or_id) >= 6 else []
        return self.store.get(matches[0]) if len(matches) == 1 else None

    def stats(self) -> dict:
        summary = self.store.summary()
        summary.update(
            data_dir=str(self.settings.data_dir),
            model=self.indexed_model,
            dimension=int(self.store.get_meta("dimension") or 0) or None,
            index_points=self.vectors.count(),
            index=self.settings.qdrant_url or str(self.settings.edge_dir),
        )
        return summary
