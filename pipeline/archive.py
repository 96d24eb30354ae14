"""The archive: processed documents kept in the document store and the vector store,
consistent with each other, and searchable.

Write order for one document (so that a crash at any point is repaired by re-running):
1. the document row is stored as `pending`;
2. any points it already has (from an interrupted run) are deleted, the new chunks are
   embedded and upserted;
3. in one SQLite transaction the row becomes `live`, its source path is recorded, and a
   replaced older version of the same path loses that path (and its row if it has no
   other path left);
4. the replaced version's points are deleted.
Searches only return points of `live` documents, so the switch in step 3 is what makes
an update atomic for readers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from config import DEFAULT_MODEL, Settings
from document import Document, Hit
from index.chunking import chunk_document, embedding_text
from index.docstore import DocumentStore
from index.edge import EdgeVectorStore
from index.embedding import Embedder
from index.search import search as search_index
from index.sparse import passage_vector
from index.vectorstore import IndexedChunk, SearchFilters, VectorStore
from ingest import IngestError, content_hash, find_files
from pipeline.locking import WriterLock
from pipeline.process import process_file


class ModelMismatchError(RuntimeError):
    pass


@dataclass
class FileResult:
    path: str
    status: str  # added | updated | unchanged | duplicate | failed
    doc_id: str = ""
    pages: int = 0
    chunks: int = 0
    message: str = ""


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)

    def _count(self, *statuses: str) -> int:
        return sum(1 for result in self.files if result.status in statuses)

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.files if result.status == "failed"]

    def summary(self) -> dict:
        return {
            "files": len(self.files),
            "documents": self._count("added", "updated"),
            "pages": sum(result.pages for result in self.files),
            "chunks": sum(result.chunks for result in self.files),
            "skipped": self._count("unchanged", "duplicate"),
            "failed": len(self.failed),
        }

    def to_dict(self) -> dict:
        return {**self.summary(), "results": [asdict(result) for result in self.files]}


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

    def close(self) -> None:
        self.store.close()
        self.vectors.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

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
        if indexed and self.vectors.exists() and indexed != self.embedder.model_name:
            dimension = self.store.get_meta("dimension")
            raise ModelMismatchError(
                f"the index was built with model {indexed} ({dimension}-d) but {self.embedder.model_name} was asked for; "
                f"run `diarium reindex --model {self.embedder.model_name}` to rebuild it"
            )

    def _ensure_index(self) -> None:
        self._check_model()
        if not self.vectors.exists():
            self.vectors.create(self.embedder.dimension)
            self.store.set_meta("model", self.embedder.model_name)
            self.store.set_meta("dimension", str(self.embedder.dimension))

    def _index_points(self, doc: Document, vectors: VectorStore) -> int:
        chunks = chunk_document(doc)
        dense = self.embedder.embed_passages([embedding_text(chunk) for chunk in chunks])
        points = [IndexedChunk(chunk, dense[i], passage_vector(embedding_text(chunk))) for i, chunk in enumerate(chunks)]
        vectors.upsert(points)
        return len(points)

    # --- ingest ------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        on_start: Callable[[int], None] | None = None,
        on_file: Callable[[FileResult], None] | None = None,
        password: str | None = None,
    ) -> IngestReport:
        files = find_files(paths)
        report = IngestReport()
        with WriterLock(self.settings.data_dir):
            if on_start:
                on_start(len(files))
            for path in files:
                result = self._ingest_file(path, password)
                report.files.append(result)
                if on_file:
                    on_file(result)
        return report

    def _ingest_file(self, path: Path, password: str | None) -> FileResult:
        name = str(path)
        try:
            stat = path.stat()
        except OSError as exc:
            return FileResult(name, "failed", message=f"cannot read file: {exc.strerror or exc}")
        previous = self.store.source(name)
        if previous and (previous.size, previous.mtime) == (stat.st_size, stat.st_mtime) and self.store.state(previous.doc_id) == "live":
            return FileResult(name, "unchanged", previous.doc_id)
        try:
            doc_id = content_hash(path)
        except OSError as exc:
            reason = "permission denied (file is not readable)" if isinstance(exc, PermissionError) else f"cannot read file: {exc.strerror or exc}"
            return FileResult(name, "failed", message=reason)

        if self.store.state(doc_id) == "live":  # same content already stored
            with self.store.transaction():
                self.store.add_source(name, doc_id, stat.st_size, stat.st_mtime)
                replaced = self._detach_previous(previous, doc_id)
            self.vectors.delete_documents(replaced)
            return FileResult(name, "unchanged" if previous and previous.doc_id == doc_id else "duplicate", doc_id)

        try:
            doc = process_file(path, doc_id=doc_id, reocr=self.settings.reocr, password=password)
        except IngestError as exc:
            return FileResult(name, "failed", message=exc.reason)
        doc.source = name
        self._ensure_index()
        self.store.put(doc, state="pending")
        self.vectors.delete_documents([doc_id])  # points left by an interrupted run
        chunk_count = self._index_points(doc, self.vectors)
        with self.store.transaction():
            self.store.set_state(doc_id, "live", chunk_count)
            self.store.add_source(name, doc_id, stat.st_size, stat.st_mtime)
            replaced = self._detach_previous(previous, doc_id)
        self.vectors.delete_documents(replaced)
        status = "updated" if previous and previous.doc_id != doc_id else "added"
        return FileResult(name, status, doc_id, pages=doc.page_count, chunks=chunk_count)

    def _detach_previous(self, previous, new_doc_id: str) -> list[str]:
        """Within a transaction: drop a replaced version whose last path this was."""
        if not previous or previous.doc_id == new_doc_id:
            return []
        if self.store.sources_of(previous.doc_id):
            return []
        self.store.delete(previous.doc_id)
        return [previous.doc_id]

    # --- read --------------------------------------------------------------------------

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

    # --- rebuild -----------------------------------------------------------------------

    def reindex(
        self,
        on_start: Callable[[int], None] | None = None,
        on_document: Callable[[str], None] | None = None,
    ) -> dict:
        """Build a new index generation from the stored documents, then swap it in."""
        with WriterLock(self.settings.data_dir):
            staging = self.vectors.staging()
            staging.create(self.embedder.dimension)
            doc_ids = self.store.doc_ids("live")
            if on_start:
                on_start(len(doc_ids))
            with staging.session():  # nobody reads the new generation yet: hold it open
                done = staging.doc_ids()  # a resumed rebuild keeps what it already wrote
                for doc_id in doc_ids:
                    doc = self.store.get(doc_id)
                    if doc is not None and doc_id not in done:
                        count = self._index_points(doc, staging)
                        self.store.set_state(doc_id, "live", count)
                    if on_document:
                        on_document(doc_id)
            self.vectors.promote(staging)
            self.store.set_meta("model", self.embedder.model_name)
            self.store.set_meta("dimension", str(self.embedder.dimension))
        return {"documents": len(doc_ids), "chunks": self.store.chunk_total(), "model": self.embedder.model_name}
