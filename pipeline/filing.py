"""Filing files into the archive (the work of `diarium ingest`): find the files, decide
per file whether it is new, changed, unchanged or a duplicate (by size and mtime, then
by content hash, before any parsing), parse the new ones in parallel workers, and queue
each parsed document in the crash-safe write order (pipeline/write_order.py).

An unchanged re-run reads no file and loads neither the parsing stages nor the model:
parse workers and the embedder start only when a file needs them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from config import Limits, Settings, available_cores
from document import Document
from errors import IngestError
from ingest.files import content_hash, find_files
from pipeline.parallel import ParseRequest, parse_all
from pipeline.store import DocumentStore, SourceRecord
from pipeline.write_order import WriteOrder


@dataclass
class FileResult:
    path: str
    status: str  # added | updated | unchanged | duplicate | failed | skipped
    doc_id: str = ""
    pages: int = 0
    chunks: int = 0
    message: str = ""


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    recovered: int = 0  # pending documents of an interrupted run, finished first
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)  # pipeline.write_order.WriteTimings, as a dict

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
            "unchanged": self._count("unchanged", "duplicate"),
            "skipped": self._count("skipped"),
            "failed": len(self.failed),
            "pruned": len(self.pruned),
            "recovered": self.recovered,
        }

    def to_dict(self) -> dict:
        return {
            **self.summary(),
            "seconds": round(self.seconds, 3),
            "timings": self.timings,
            "results": [asdict(result) for result in self.files],
            "pruned_documents": self.pruned,
        }


class Progress:
    """What an ingest tells as it goes (the command line draws a progress bar from it)."""

    def found(self, files: int) -> None: ...

    def parsing(self, path: Path) -> None: ...

    def finished(self, result: FileResult) -> None: ...

    def indexed(self, chunks: int) -> None: ...


@dataclass
class _Pending:
    """A file that has to be parsed: what we knew about it before parsing."""

    path: Path
    size: int
    mtime: float
    doc_id: str
    previous: SourceRecord | None


def _triage(store: DocumentStore, order: WriteOrder, path: Path, limits: Limits) -> FileResult | _Pending:
    """Settle a file without parsing it if possible; else say what must be parsed."""
    name = str(path)
    try:
        stat = path.stat()
    except OSError as exc:
        return FileResult(name, "failed", message=f"cannot read file: {exc.strerror or exc}")
    previous = store.source(name)
    if previous and (previous.size, previous.mtime) == (stat.st_size, stat.st_mtime) and store.state(previous.doc_id) == "live":
        return FileResult(name, "unchanged", previous.doc_id)
    try:
        doc_id = content_hash(path, limits)
    except IngestError as exc:
        return FileResult(name, "failed", message=exc.reason)
    if store.state(doc_id) == "live":  # the same content is stored already
        order.attach_source(name, doc_id, stat.st_size, stat.st_mtime, previous)
        status = "unchanged" if previous and previous.doc_id == doc_id else "duplicate"
        return FileResult(name, status, doc_id)
    return _Pending(path, stat.st_size, stat.st_mtime, doc_id, previous)


def file_paths(
    settings: Settings,
    store: DocumentStore,
    order: WriteOrder,
    paths: Iterable[str | Path],
    progress: Progress,
    password: str | None = None,
    workers: int | None = None,
) -> IngestReport:
    """Ingest files and folders; the caller holds the writer lock."""
    found = find_files(paths, follow_symlinks=settings.follow_symlinks)
    report = IngestReport()
    progress.found(len(found.files) + len(found.skipped))

    def record(result: FileResult) -> None:
        report.files.append(result)
        progress.finished(result)

    for path, reason in found.skipped:
        record(FileResult(str(path), "skipped", message=reason))

    def parse_jobs():
        for path in found.files:
            outcome = _triage(store, order, path, settings.limits)
            if isinstance(outcome, FileResult):
                record(outcome)
            else:
                progress.parsing(path)
                yield outcome, ParseRequest(path, outcome.doc_id, settings.reocr, password, settings.limits)

    with order.batched():
        for pending, parsed in parse_all(parse_jobs(), workers or available_cores(), settings.limits):
            if isinstance(parsed, IngestError):
                record(FileResult(str(pending.path), "failed", message=parsed.reason))
                continue
            record(_queue(order, pending, parsed))
    return report


def _queue(order: WriteOrder, pending: _Pending, doc: Document) -> FileResult:
    name = str(pending.path)
    if order.store.state(doc.doc_id) == "live" or order.is_queued(doc.doc_id):  # the same content twice in this run
        order.attach_source(name, doc.doc_id, pending.size, pending.mtime, pending.previous)
        return FileResult(name, "duplicate", doc.doc_id)
    doc.source = name
    chunks = order.queue(doc, name, pending.size, pending.mtime, pending.previous)
    status = "updated" if pending.previous and pending.previous.doc_id != doc.doc_id else "added"
    return FileResult(name, status, doc.doc_id, pages=doc.page_count, chunks=chunks)
