"""Keeping the archive right over time: delete, prune vanished files, finish interrupted
documents, check (and repair) that the document store and the vector index agree, and
rebuild the index.

The document store is the archive's record: every processed document is kept whole, so
the vector index can always be rebuilt from it (`check` does when the index is missing or
damaged; `reindex` does beside the live index). What the store itself loses cannot be
rebuilt from the index: `check` says which files to ingest again.

Each function expects the caller to hold the writer lock (pipeline/writer.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from document import Document
from errors import NotFoundError, StorageError, UsageError
from index.stores.base import VectorStore
from pipeline.store import DocumentStore
from index.chunking import chunk_document
from pipeline.write_order import OptimizeSchedule, WriteOrder

# Documents are embedded this many chunks at a time (sorted by length within a call), and
# the progress of a rebuild is noted in the store's meta (`staging_progress`) after each.
REINDEX_BATCH_CHUNKS = 128


def delete(store: DocumentStore, order: WriteOrder, target: str) -> list[str]:
    """Delete a document by (a prefix of) its id, or the document stored for a path.

    A path only detaches that path; the document goes when no path is left."""
    record = store.source(str(Path(target).expanduser().resolve())) or store.source(target)
    if record:
        return order.detach_sources([record.path])
    matches = store.resolve_id(target) if len(target) >= 6 else []
    if len(matches) > 1:
        raise UsageError(f"{target!r} matches {len(matches)} documents; give more of the id")
    if not matches:
        raise NotFoundError(f"no stored document or source path matches {target!r}")
    order.remove_documents(matches)
    return matches


def prune(store: DocumentStore, order: WriteOrder) -> list[str]:
    """Forget paths whose files are gone; delete documents left with no path."""
    gone = [record.path for record in store.all_sources() if not Path(record.path).exists()]
    return order.detach_sources(gone)


def recover_interrupted(store: DocumentStore, order: WriteOrder) -> int:
    """Finish documents a killed writer left `pending` (cheap; run before every ingest)."""
    pending = store.doc_ids("pending")
    with order.batched():
        for doc_id in pending:
            doc = store.get(doc_id)
            if doc is None or not doc.sources:
                order.remove_documents([doc_id])
            else:
                order.reindex_stored(doc)
    return len(pending)


@dataclass
class CheckReport:
    store_problems: list[str] = field(default_factory=list)  # SQLite integrity, unreadable documents, a lost store
    index_problem: str = ""  # the vector index cannot be opened, is missing, or its recipe is lost
    pending: list[str] = field(default_factory=list)  # documents whose indexing was interrupted
    orphan_points: list[str] = field(default_factory=list)  # doc_ids in the index but not live in the store
    missing_points: list[str] = field(default_factory=list)  # live documents with no or too few points
    sourceless: list[str] = field(default_factory=list)  # documents no path refers to
    salvaged: int = 0  # documents recovered from a damaged store into a new one
    damaged_copy: str = ""  # where the damaged store was moved
    lost_documents: int = 0  # documents the index knows that the store has lost
    exposed: list[str] = field(default_factory=list)  # files or folders others may read (archives hold personal data)
    reingest: list[str] = field(default_factory=list)  # known files of lost documents: ingest them again
    repaired: bool = False
    rebuilt_index: bool = False

    @property
    def ok(self) -> bool:
        return not (
            self.store_problems or self.index_problem or self.pending or self.orphan_points or self.missing_points
            or self.sourceless or self.exposed
        )

    @property
    def unrepairable(self) -> bool:
        """Damage that repair cannot undo from what is stored: a damaged store not yet
        salvaged, or documents its salvage could not read (their files must be ingested
        again)."""
        return bool(self.store_problems) and (not self.repaired or bool(self.lost_documents or self.reingest))

    def to_dict(self) -> dict:
        return {"ok": self.ok, **asdict(self)}


def check(
    store: DocumentStore,
    vectors: VectorStore,
    order: WriteOrder,
    rebuild_index: Callable[[], None],
    repair: bool = True,
) -> CheckReport:
    """Compare the store with the index; with `repair`, make them agree.

    Repair salvages a damaged store first (pipeline/store.py: the readable rows go into a
    new store; the documents that could not be read are counted, and their files listed
    where the store still knows them), finishes interrupted documents from their stored
    copy (no PDF needed), deletes points of documents that are not live (a lost
    document's points too: ingesting its file again brings them back), deletes documents
    no path refers to, rebuilds the index from the store when it cannot be opened or
    when the store no longer records what built it, and makes what others may read of
    the data directory private (0600 files, 0700 folders)."""
    report = CheckReport()
    report.exposed = exposed_paths(store.path.parent)
    report.store_problems = store.integrity_problems()
    if report.store_problems and not repair:
        return report  # nothing else can be read reliably before a salvage
    if report.store_problems:
        salvage = store.salvage()
        report.salvaged, report.reingest, report.damaged_copy = salvage.documents, salvage.lost_paths, salvage.damaged_copy
    report.pending = store.doc_ids("pending")
    live = set(store.doc_ids("live"))
    report.sourceless = [doc_id for doc_id in sorted(live | set(report.pending)) if not store.sources_of(doc_id)]
    try:
        indexed = vectors.point_counts() if vectors.exists() else {}
        if live and not vectors.exists():
            report.index_problem = "the vector index is missing"
        elif live and store.get_meta("model") is None:
            report.index_problem = "the document store no longer records which model built the vector index"
    except StorageError as exc:
        report.index_problem = str(exc)
        indexed = {}
    if not report.index_problem:
        report.orphan_points = sorted(set(indexed) - live - set(report.pending))
        expected = store.chunk_counts()
        report.missing_points = sorted(doc_id for doc_id in live if indexed.get(doc_id, 0) != expected.get(doc_id, 0))
    if report.store_problems:
        report.lost_documents = len(report.orphan_points)
    elif indexed and not live and not report.pending and store.get_meta("model") is None:
        report.store_problems = [f"{store.path.name} holds no documents but the vector index holds {len(indexed)}: the document store was lost or replaced"]
        report.lost_documents = len(indexed)
    if not repair or report.ok:
        return report
    make_private(report.exposed)
    unfinished = sorted(set(report.pending) - set(report.sourceless))
    if report.index_problem:
        with store.transaction():  # the rebuilt index will not have them either
            for doc_id in report.sourceless:
                store.delete(doc_id)
        rebuild_index()
        report.rebuilt_index = True
    else:
        order.remove_documents(report.sourceless)
        vectors.delete_documents(report.orphan_points)
        unfinished = sorted(set(unfinished) | (set(report.missing_points) - set(report.sourceless)))
    with order.batched():
        for doc_id in unfinished:
            doc = store.get(doc_id)
            if doc is not None:
                order.reindex_stored(doc)
    report.repaired = True
    return report


def exposed_paths(data_dir: Path) -> list[str]:
    """Files and folders under the data directory that other users may read or enter."""
    exposed = [str(data_dir)] if data_dir.stat().st_mode & 0o077 else []
    for folder, directories, files in os.walk(data_dir):
        for name in directories + files:
            path = os.path.join(folder, name)
            if not os.path.islink(path) and os.lstat(path).st_mode & 0o077:
                exposed.append(path)
    return exposed


def make_private(paths: list[str]) -> None:
    for path in paths:
        os.chmod(path, 0o700 if os.path.isdir(path) else 0o600)


def reindex(
    store: DocumentStore,
    vectors: VectorStore,
    recipe: str,
    dimension: int,
    write_points: Callable[[list[Document], VectorStore], list[int]],
    refresh: Callable[[Document], Document],
    record_recipe: Callable[[], None],
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[str], None] | None = None,
) -> dict:
    """Build a new index generation from the stored documents beside the live one, then
    swap it in. Searches use the live index meanwhile; an interrupted rebuild resumes.
    Documents extracted by older rules are extracted again from their stored text
    (`refresh`) on the way, so that a rebuilt index has what the current rules find."""
    staging = vectors.staging()
    if store.get_meta("staging_model") not in (None, "", recipe):
        staging.drop()  # a half-built generation for another recipe is of no use
    store.set_meta("staging_model", recipe)
    staging.create(dimension)
    doc_ids = store.doc_ids("live")
    if on_start:
        on_start(len(doc_ids))
    refreshed = 0
    with staging.session():  # nobody reads the new generation yet: hold it open
        done = staging.doc_ids()  # a document's points are written in one update, so a done one is complete
        optimizing = OptimizeSchedule(staging)  # segments of the size ingest makes
        batch: list[Document] = []
        batch_chunks = 0

        built = len(done)

        def write() -> None:
            nonlocal built
            counts = write_points(batch, staging)
            for doc, count in zip(batch, counts):
                store.set_state(doc.doc_id, "live", count)
            optimizing.wrote(sum(counts))
            built += len(batch)
            store.set_meta("staging_progress", f"{built}/{len(doc_ids)}")
            batch.clear()

        for doc_id in doc_ids:
            doc = store.get(doc_id)
            if doc is not None and doc_id not in done:
                fresh = refresh(doc)
                if fresh is not doc:
                    store.put(fresh, state="live")
                    refreshed += 1
                batch.append(fresh)
                batch_chunks += len(chunk_document(fresh))
                if batch_chunks >= REINDEX_BATCH_CHUNKS:
                    write()
                    batch_chunks = 0
            if on_document:
                on_document(doc_id)
        if batch:
            write()
        optimizing.now()  # before anyone reads it, so the swapped-in index opens quickly
    vectors.promote(staging)
    record_recipe()
    store.set_meta("staging_model", "")
    store.set_meta("staging_progress", "")
    return {"documents": len(doc_ids), "chunks": store.chunk_total(), "re_extracted": refreshed}
