"""The archive, write side: `ingest`, `delete`, `prune`, `check` and `reindex`, each under
the data directory's writer lock, over the read side (pipeline/archive.py) and the
crash-safe write order (pipeline/write_order.py).

This module imports the parsing stages (through pipeline/filing.py); the read side does
not, which is why searching never loads pdfplumber or spaCy.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

from config import Settings
from document import Document
from errors import NotFoundError
from index.embed.embedder import Embedder
from index.payload import PAYLOAD_VERSION
from index.points import document_points
from index.sparse import SCHEME as SPARSE_SCHEME
from index.stores.base import VectorStore
from pipeline import maintenance
from pipeline.archive import Archive
from pipeline.filing import IngestReport, Progress, file_paths
from pipeline.locking import WriterLock
from pipeline.write_order import WriteOrder


class ArchiveWriter(Archive):
    def __init__(self, settings: Settings, vectors: VectorStore | None = None, embedder: Embedder | None = None, create: bool = True):
        """`create`: make the archive if there is none (ingest); otherwise a missing
        archive is a NotFoundError (delete, check, reindex)."""
        if not create and not settings.documents_db.exists():
            raise NotFoundError(f"no archive at {settings.data_dir} (nothing has been ingested there; give --data-dir or run `diarium ingest`)")
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        super().__init__(settings, vectors=vectors, embedder=embedder, readonly=False)
        self.order = WriteOrder(self.store, self.vectors, lambda: self.embedder, self._ensure_index)

    def _writing(self) -> WriterLock:
        return WriterLock(self.settings.data_dir)

    # --- the index ---------------------------------------------------------------------

    def record_index_recipe(self) -> None:
        """Note with the documents what the live index was built with."""
        self.store.set_meta("model", self.embedder.model_name)
        self.store.set_meta("dimension", str(self.embedder.dimension))
        self.store.set_meta("sparse_scheme", SPARSE_SCHEME)
        self.store.set_meta("payload_version", PAYLOAD_VERSION)

    def _ensure_index(self) -> None:
        self.check_index_recipe()
        if not self.vectors.exists():
            self.vectors.create(self.embedder.dimension)
            self.record_index_recipe()

    @staticmethod
    def _refresh(doc: Document) -> Document:
        """The document extracted again by the current rules, if older ones made it."""
        from extract import VERSION, extract_again

        return doc if doc.extraction == VERSION else extract_again(doc)

    def _rebuild(
        self, on_start: Callable[[int], None] | None = None, on_document: Callable[[str], None] | None = None, reuse: bool = False
    ) -> dict:
        """A new index generation from the stored documents. `reuse`: keep the vectors the
        live index holds for unchanged chunk texts when it was built by the same model (a
        `reindex` after a new payload schema or new extraction rules embeds only what
        changed); never when the live index is being repaired, as it cannot be trusted."""
        same_model = reuse and self.indexed_model == self.embedder.model_name and self.vectors.exists()
        known = self.vectors.stored if same_model else None
        reused = 0

        def write_points(docs: list[Document], target: VectorStore) -> list[int]:
            nonlocal reused
            points = document_points(docs, self.embedder, known)
            reused += sum(point.reused for own in points for point in own)
            target.upsert([point for own in points for point in own])
            return [len(own) for own in points]

        result = maintenance.reindex(
            self.store,
            self.vectors,
            self.index_recipe,
            self.embedder.dimension,
            write_points,
            self._refresh,
            self.record_index_recipe,
            on_start,
            on_document,
        )
        return {**result, "model": self.embedder.model_name, "reused_vectors": reused}

    # --- commands ----------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | Path],
        progress: Progress | None = None,
        password: str | None = None,
        workers: int | None = None,
        prune: bool = False,
    ) -> IngestReport:
        progress = progress or Progress()
        started = time.perf_counter()
        with self._writing():
            self.order.on_indexed = progress.indexed
            recovered = maintenance.recover_interrupted(self.store, self.order)
            report = file_paths(self.settings, self.store, self.order, paths, progress, password, workers)
            report.recovered = recovered
            if prune:
                report.pruned = maintenance.prune(self.store, self.order)
            self.order.optimizing.finish()
        report.seconds = time.perf_counter() - started
        timings = self.order.timings
        report.timings = {**asdict(timings), "chunks_per_cpu_second": round(timings.chunks_per_cpu_second, 2)}
        return report

    def delete(self, target: str) -> list[str]:
        with self._writing():
            return maintenance.delete(self.store, self.order, target)

    def prune(self) -> list[str]:
        with self._writing():
            return maintenance.prune(self.store, self.order)

    def check(self, repair: bool = True) -> maintenance.CheckReport:
        with self._writing():
            report = maintenance.check(self.store, self.vectors, self.order, self._rebuild, repair)
            if report.repaired and not report.rebuilt_index:
                self.order.optimizing.now()
            return report

    def reindex(
        self, on_start: Callable[[int], None] | None = None, on_document: Callable[[str], None] | None = None, reuse: bool = True
    ) -> dict:
        """`reuse=False`: embed every chunk again (after a change of embedding backend, say)."""
        with self._writing():
            return self._rebuild(on_start, on_document, reuse=reuse)
