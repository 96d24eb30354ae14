"""Parsing files (ingest → normalize → extract) in worker processes, so that PDF parsing
of the next files overlaps embedding of the previous ones on the main process.

Workers are started with `spawn` (a fork of a process that has loaded torch is not safe),
and at most `2 × workers` files are in flight, so memory stays bounded however long the
list. With one worker everything runs inline.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from document import Document
from ingest import IngestError
from pipeline.process import process_file

Job = TypeVar("Job")


@dataclass(frozen=True)
class ParseRequest:
    path: Path
    doc_id: str
    reocr: str
    password: str | None


def _parse(request: ParseRequest) -> Document | IngestError:
    try:
        return process_file(request.path, doc_id=request.doc_id, reocr=request.reocr, password=request.password)
    except IngestError as exc:
        return exc
    except Exception as exc:  # a bug or a pathological file must not stop the batch
        return IngestError(str(request.path), f"could not be processed ({type(exc).__name__}: {str(exc)[:120]})")


def parse_all(jobs: Iterable[tuple[Job, ParseRequest]], workers: int) -> Iterator[tuple[Job, Document | IngestError]]:
    """Yield (job, Document or IngestError) as files finish parsing (order not kept)."""
    if workers <= 1:
        for job, request in jobs:
            yield job, _parse(request)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: dict[Future, Job] = {}
        for job, request in jobs:
            pending[pool.submit(_parse, request)] = job
            if len(pending) >= 2 * workers:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        for future in list(pending):
            yield pending.pop(future), future.result()
