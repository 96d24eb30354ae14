"""Keeping the archive right over time: delete, prune vanished files, check (and
repair) that the document store and the vector index agree, and rebuild the index.

Each function expects the caller to hold the writer lock (see Archive)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.write_batch import OptimizeSchedule

if TYPE_CHECKING:
    from pipeline.archive import Archive


def delete(archive: Archive, target: str) -> list[str]:
    """Delete a document by (a prefix of) its id, or the document stored for a path.

    A path only detaches that path; the document goes when no path is left."""
    store = archive.store
    record = store.source(str(Path(target).expanduser().resolve())) or store.source(target)
    if record:
        return archive.detach_sources([record.path])
    matches = store.resolve_id(target) if len(target) >= 6 else []
    if len(matches) > 1:
        raise ValueError(f"{target!r} matches {len(matches)} documents; give more of the id")
    if not matches:
        raise ValueError(f"no stored document or path matches {target!r}")
    archive.remove_documents(matches)
    return matches


def prune(archive: Archive) -> list[str]:
    """Forget paths whose files are gone; delete documents left with no path."""
    gone = [record.path for record in archive.store.all_sources() if not Path(record.path).exists()]
    return archive.detach_sources(gone)


@dataclass
class CheckReport:
    pending: list[str] = field(default_factory=list)  # documents whose indexing was interrupted
    orphan_points: list[str] = field(default_factory=list)  # doc_ids in the index but not live in the store
    missing_points: list[str] = field(default_factory=list)  # live documents with no or too few points
    sourceless: list[str] = field(default_factory=list)  # documents no path refers to
    repaired: bool = False

    @property
    def ok(self) -> bool:
        return not (self.pending or self.orphan_points or self.missing_points or self.sourceless)

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "repaired": self.repaired,
            "pending": self.pending,
            "orphan_points": self.orphan_points,
            "missing_points": self.missing_points,
            "sourceless": self.sourceless,
        }


def check(archive: Archive, repair: bool = True) -> CheckReport:
    """Compare the store with the index; with `repair`, make them agree.

    Repair finishes interrupted documents from their stored copy (no PDF needed), deletes
    points of documents that are not live, and deletes documents no path refers to."""
    store, vectors = archive.store, archive.vectors
    report = CheckReport()
    report.pending = store.doc_ids("pending")
    live = set(store.doc_ids("live"))
    report.sourceless = [doc_id for doc_id in sorted(live | set(report.pending)) if not store.sources_of(doc_id)]
    indexed = vectors.point_counts() if vectors.exists() else {}
    report.orphan_points = sorted(set(indexed) - live - set(report.pending))
    expected = store.chunk_counts()
    report.missing_points = sorted(doc_id for doc_id in live if indexed.get(doc_id, 0) != expected.get(doc_id, 0))
    if repair and not report.ok:
        archive.remove_documents(report.sourceless)
        vectors.delete_documents(report.orphan_points)
        for doc_id in sorted((set(report.pending) | set(report.missing_points)) - set(report.sourceless)):
            doc = store.get(doc_id)
            if doc is not None:
                archive.index_stored_document(doc)
        report.repaired = True
    return report


def recover_interrupted(archive: Archive) -> int:
    """Finish documents a killed ingest left `pending` (cheap; run before every ingest)."""
    pending = archive.store.doc_ids("pending")
    for doc_id in pending:
        doc = archive.store.get(doc_id)
        if doc is None or not doc.sources:
            archive.remove_documents([doc_id])
        else:
            archive.index_stored_document(doc)
    return len(pending)


def reindex(
    archive: Archive,
    on_start: Callable[[int], None] | None = None,
    on_document: Callable[[str], None] | None = None,
) -> dict:
    """Build a new index generation from the stored documents beside the live one, then
    swap it in. Searches use the live index meanwhile; an interrupted rebuild resumes."""
    store, embedder = archive.store, archive.embedder
    staging = archive.vectors.staging()
    recipe = archive.index_recipe
    if store.get_meta("staging_model") not in (None, "", recipe):
        staging.drop()  # a half-built generation for another model or term scheme is of no use
    store.set_meta("staging_model", recipe)
    staging.create(embedder.dimension)
    doc_ids = store.doc_ids("live")
    if on_start:
        on_start(len(doc_ids))
    with staging.session():  # nobody reads the new generation yet: hold it open
        done = staging.doc_ids()  # a document's points are written in one update, so a done one is complete
        optimizing = OptimizeSchedule(staging)  # segments of the size ingest makes
        for doc_id in doc_ids:
            doc = store.get(doc_id)
            if doc is not None and doc_id not in done:
                written = archive.write_points(doc, staging)
                store.set_state(doc_id, "live", written)
                optimizing.wrote(written)
            if on_document:
                on_document(doc_id)
        optimizing.now()  # before anyone reads it, so the swapped-in index opens quickly
    archive.vectors.promote(staging)
    archive.record_index_recipe()
    store.set_meta("staging_model", "")
    return {"documents": len(doc_ids), "chunks": store.chunk_total(), "model": embedder.model_name}
