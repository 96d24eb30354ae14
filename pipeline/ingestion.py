"""Ingesting files into the archive: decide per file whether it is new, changed,
unchanged or a duplicate (by size+mtime, then by content hash, before any parsing),
parse the new ones (in parallel workers), and hand each parsed document to
`Archive.add_document`, which writes it in crash-safe order (in batches)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from config import available_cores
from document import Document
from index.docstore import SourceRecord
from ingest import IngestError, content_hash, find_files
from pipeline.parallel import ParseRequest, parse_all

if TYPE_CHECKING:
    from pipeline.archive import Archive


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
    pruned: list[str] = field(default_factory=list)

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
            "pruned": len(self.pruned),
        }

    def to_dict(self) -> dict:
        return {**self.summary(), "results": [asdict(result) for result in self.files], "pruned_documents": self.pruned}


@dataclass
class _Pending:
    """A file that has to be parsed: what we knew about it before parsing."""

    path: Path
    size: int
    mtime: float
    doc_id: str
    previous: SourceRecord | None


def _triage(archive: Archive, path: Path) -> FileResult | _Pending:
    """Settle a file without parsing it if possible; else say what must be parsed."""
    name = str(path)
    store = archive.store
    try:
        stat = path.stat()
    except OSError as exc:
        return FileResult(name, "failed", message=f"cannot read file: {exc.strerror or exc}")
    previous = store.source(name)
    if previous and (previous.size, previous.mtime) == (stat.st_size, stat.st_mtime) and store.state(previous.doc_id) == "live":
        return FileResult(name, "unchanged", previous.doc_id)
    try:
        doc_id = content_hash(path)
    except PermissionError:
        return FileResult(name, "failed", message="permission denied (file is not readable)")
    except OSError as exc:
        return FileResult(name, "failed", message=f"cannot read file: {exc.strerror or exc}")
    if store.state(doc_id) == "live":  # the same content is stored already
        archive.attach_source(name, doc_id, stat.st_size, stat.st_mtime, previous)
        status = "unchanged" if previous and previous.doc_id == doc_id else "duplicate"
        return FileResult(name, status, doc_id)
    return _Pending(path, stat.st_size, stat.st_mtime, doc_id, previous)


def ingest_files(
    archive: Archive,
    paths: Iterable[str | Path],
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    password: str | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest files and folders; the caller holds the writer lock."""
    files = find_files(paths)
    report = IngestReport()
    if on_start:
        on_start(len(files))

    def record(result: FileResult) -> None:
        report.files.append(result)
        if on_file:
            on_file(result)

    def parse_jobs():
        for path in files:
            outcome = _triage(archive, path)
            if isinstance(outcome, FileResult):
                record(outcome)
            else:
                yield outcome, ParseRequest(path, outcome.doc_id, archive.settings.reocr, password)

    with archive.batched_writes():
        for pending, parsed in parse_all(parse_jobs(), workers or available_cores()):
            if isinstance(parsed, IngestError):
                record(FileResult(str(pending.path), "failed", message=parsed.reason))
                continue
            record(_store(archive, pending, parsed))
    return report


def _store(archive: Archive, pending: _Pending, doc: Document) -> FileResult:
    name = str(pending.path)
    if archive.has_document(doc.doc_id):  # the same content came in twice in this run
        archive.attach_source(name, doc.doc_id, pending.size, pending.mtime, pending.previous)
        return FileResult(name, "duplicate", doc.doc_id)
    doc.source = name
    chunk_count = archive.add_document(doc, name, pending.size, pending.mtime, pending.previous)
    status = "updated" if pending.previous and pending.previous.doc_id != doc.doc_id else "added"
    return FileResult(name, status, doc.doc_id, pages=doc.page_count, chunks=chunk_count)
